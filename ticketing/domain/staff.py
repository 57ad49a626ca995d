"""Staff users of the console and the lock-out rule that protects their passwords.

Staff sign in with a login and a password, unlike the services that call the API with tokens,
but they act with the same roles (:class:`ApiRole`) and the same region boundary
(:class:`AccessScope`), so the services cannot tell a console action from an API call and
line 2 stays inside its regions either way (§5.1, §5.7).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ticketing.domain.access import STAFF_ROLES, AccessScope, ApiRole
from ticketing.domain.lifecycle import Actor

MAX_FAILURES = 5  # consecutive wrong passwords before the account is locked
LOCKOUT = timedelta(minutes=15)

ROLE_LABELS_RU: dict[ApiRole, str] = {
    ApiRole.LINE1: "первая линия (отдел по работе с региональной сетью)",
    ApiRole.LINE2: "вторая линия (региональный оператор)",
    ApiRole.LINE3: "третья линия (техподдержка платформы)",
    ApiRole.ADMIN: "администратор",
    ApiRole.SERVICE: "сервис",
}


class InvalidStaffUser(ValueError):
    """The user's data break a rule; the message says which, in Russian."""


@dataclass(frozen=True)
class StaffUser:
    """A person who works in the console."""

    login: str
    name: str
    role: ApiRole
    password_hash: str
    created_at: datetime
    regions: tuple[str, ...] = ()
    disabled: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    id: int | None = None

    @property
    def scope(self) -> AccessScope:
        return AccessScope(role=self.role, regions=self.regions)

    @property
    def actor(self) -> Actor:
        """The history names a person by login and full name, so that the timeline is readable."""
        return Actor(name=self.name, role=self.role)

    @property
    def line(self) -> int | None:
        return self.actor.line

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def validate(user: StaffUser) -> StaffUser:
    """Check the rules every stored user keeps; returns the user for chaining.

    Raises:
        InvalidStaffUser: a line-2 user without a region would see nothing, a service
            role cannot sign in, an empty login or name cannot be shown in the history.
    """
    if user.role not in STAFF_ROLES:
        raise InvalidStaffUser("Роль сотрудника: line1, line2, line3 или admin.")
    if not user.login.strip() or not user.name.strip():
        raise InvalidStaffUser("Укажите логин и имя сотрудника.")
    if len(user.login) > 100 or len(user.name) > 200:
        raise InvalidStaffUser("Логин — не длиннее 100 символов, имя — не длиннее 200.")
    if user.role is ApiRole.LINE2 and not user.regions:
        raise InvalidStaffUser("Для второй линии укажите хотя бы один регион.")
    return user


def after_failure(user: StaffUser, now: datetime) -> StaffUser:
    """Count a wrong password; the fifth in a row locks the account for fifteen minutes."""
    failures = user.failed_attempts + 1
    if failures >= MAX_FAILURES:
        return replace(user, failed_attempts=0, locked_until=now + LOCKOUT)
    return replace(user, failed_attempts=failures)


def after_success(user: StaffUser) -> StaffUser:
    return replace(user, failed_attempts=0, locked_until=None)
