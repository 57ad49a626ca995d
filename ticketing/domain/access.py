"""Who may see and do what: API roles and the region boundary of line 2 (§5.1, §5.7).

A line-2 user is a regional operator's contact and must see only the tickets of
their regions; every query goes through :meth:`AccessScope.region_filter` so that
no route can forget it.
"""

from __future__ import annotations

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

    def can_see_region(self, region: str | None) -> bool:
        allowed = self.region_filter
        return allowed is None or (region is not None and region in allowed)

    @property
    def can_create_tickets(self) -> bool:
        return self.role in CAN_CREATE_TICKETS
