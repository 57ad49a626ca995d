"""Who may see and do what: API roles, and the part of the ticket base each line sees (§4.5, §4.6, §5.1, §5.7).

Line 1 and admins see every ticket. Line 2 — a regional operator's contact — sees the tickets of
its regions that were handed to line 2 (§4.5: a question goes to the operator only when needed), and
line 3 the tickets handed to line 3 (§4.6, §5.4); once handed, a ticket stays visible to that line
after it comes back, so it can see what it handled. Personal data of children and parents is shown
to nobody who does not need it (152-ФЗ, data minimisation).

This is the one definition: :meth:`AccessScope.can_see` checks a loaded ticket, and
``ticketing.adapters.ticket_conditions.scope_conditions`` is its SQL form, which every query of
the API, the console, the exports, the reports and the event stream goes through.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ApiRole(StrEnum):
    """Roles a bearer token can carry."""

    SERVICE = "service"  # the bot's action server and mail workers: register and look up requests
    LINE1 = "line1"  # the regional-network department of the Union (§5.1 1)
    LINE2 = "line2"  # the regional operator's contact, bound to regions (§5.1 2, §5.7)
    LINE3 = "line3"  # the platform developers' technical support (§5.1 3, §5.5)
    ADMIN = "admin"


CAN_CREATE_TICKETS = frozenset({ApiRole.SERVICE, ApiRole.LINE1, ApiRole.ADMIN})
# The role groups the API and the console both check, defined once (issue 16).
STAFF_ROLES = (ApiRole.LINE1, ApiRole.LINE2, ApiRole.LINE3, ApiRole.ADMIN)  # people, not the bot's token
LINE1_ROLES = (ApiRole.LINE1, ApiRole.ADMIN)  # who answers, transfers and closes (§5.1 1)
# §4.5, §4.6: the lines that see only what was handed to them
HANDED_LINE_OF_ROLE = {ApiRole.LINE2: 2, ApiRole.LINE3: 3}


@dataclass(frozen=True)
class ApiToken:
    """A stored token: only the hash of its secret is kept."""

    name: str
    role: ApiRole
    token_hash: str
    created_at: datetime
    regions: tuple[str, ...] = ()
    revoked_at: datetime | None = None
    id: int | None = None
    expires_at: datetime | None = None  # every token issued now has one (services.tokens.DEFAULT_LIFETIME)

    def live(self, now: datetime) -> bool:
        """Not revoked and not expired: a leaked token is not good forever."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    @property
    def scope(self) -> AccessScope:
        return AccessScope(role=self.role, regions=self.regions)


@dataclass(frozen=True)
class AccessScope:
    """The part of the ticket base a caller may see."""

    role: ApiRole
    regions: tuple[str, ...] = ()

    @property
    def region_filter(self) -> tuple[str, ...] | None:
        """Regions the caller is confined to, or ``None`` when not confined.

        A line-2 token with no regions sees nothing rather than everything.
        """
        if self.role is ApiRole.LINE2:
            return self.regions
        return None

    @property
    def handed_line(self) -> int | None:
        """The line whose hand-overs confine the caller (2 or 3), or ``None`` for line 1, admins and the bot."""
        return HANDED_LINE_OF_ROLE.get(self.role)

    @property
    def confined(self) -> bool:
        """Whether the caller sees only a part of the tickets."""
        return self.handed_line is not None or self.region_filter is not None

    @property
    def boundary(self) -> tuple[tuple[str, ...] | None, int | None]:
        """What decides the visible part: two scopes with the same boundary see the same tickets."""
        return self.region_filter, self.handed_line

    def can_see_region(self, region: str | None) -> bool:
        allowed = self.region_filter
        return allowed is None or (region is not None and region in allowed)

    def can_see(self, *, region: str | None, handed_to: Collection[int]) -> bool:
        """Whether a ticket of ``region`` that was handed to the lines ``handed_to`` is visible."""
        line = self.handed_line
        return self.can_see_region(region) and (line is None or line in handed_to)

    @property
    def can_create_tickets(self) -> bool:
        return self.role in CAN_CREATE_TICKETS
