"""Staff users of the console and the growing delay that protects their passwords.

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

# Wrong passwords in a row that cost nothing; each one after them makes the next try of that login wait
# twice as long (1 s, 2 s, 4 s …), never more than MAX_DELAY. A hard lock let anybody lock a colleague
# out with five tries; a delay slows guessing as much and never shuts the real person out for long.
FREE_FAILURES = 3
MAX_DELAY = timedelta(minutes=5)

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
    locked_until: datetime | None = None  # no sign-in before this moment (the growing delay)
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


@dataclass(frozen=True)
class Attempts:
    """Wrong passwords in a row for one login — a staff member's or one nobody has — and the next try's time.

    Kept alike for known and unknown logins, so that the answers never tell which logins exist.
    """

    failures: int = 0
    wait_until: datetime | None = None

    def waiting(self, now: datetime) -> bool:
        return self.wait_until is not None and now < self.wait_until


def delay_after(failures: int) -> timedelta:
    """How long the next try waits after ``failures`` wrong passwords in a row."""
    if failures <= FREE_FAILURES:
        return timedelta()
    return min(timedelta(seconds=2 ** min(failures - FREE_FAILURES - 1, 30)), MAX_DELAY)


def after_failure(attempts: Attempts, now: datetime) -> Attempts:
    failures = attempts.failures + 1
    delay = delay_after(failures)
    return Attempts(failures=failures, wait_until=now + delay if delay else None)


def after_success(user: StaffUser) -> StaffUser:
    """A new password (or a sign-in) starts the count again."""
    return replace(user, failed_attempts=0, locked_until=None)
