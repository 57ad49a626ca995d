"""Use cases of staff users: create, edit, sign in with a growing delay per login.

Passwords are hashed with Argon2id (``argon2-cffi``); the hash carries its own parameters, so
stronger settings later re-hash a password at the next successful sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ticketing.domain.access import ApiRole
from ticketing.domain.staff import (
    Attempts,
    InvalidStaffUser,
    StaffUser,
    after_failure,
    after_success,
    validate,
)
from ticketing.services.unit_of_work import AbstractUnitOfWork

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the login is unknown, so that timing does not tell which logins exist.
_DUMMY_HASH = _hasher.hash("not-a-password-of-anybody")


def configure_hasher(hasher: PasswordHasher) -> None:
    """Swap the hasher's parameters; tests use cheap ones (a real hash costs ~0.3 s on purpose)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("not-a-password-of-anybody")


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidStaffUser(f"Пароль — не короче {MIN_PASSWORD_LENGTH} символов.")
    if len(password) > 200:
        raise InvalidStaffUser("Пароль — не длиннее 200 символов.")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def create_user(
    uow: AbstractUnitOfWork,
    *,
    login: str,
    name: str,
    role: ApiRole,
    password: str,
    now: datetime,
    regions: tuple[str, ...] = (),
) -> StaffUser:
    """Store a new staff user.

    Raises:
        InvalidStaffUser: a rule is broken (message in Russian).
        DuplicateLogin: the login is taken.
    """
    user = validate(
        StaffUser(
            login=login.strip().lower(),
            name=name.strip(),
            role=role,
            regions=tuple(regions) if role is ApiRole.LINE2 else (),
            password_hash=hash_password(password),
            created_at=now,
        )
    )
    async with uow:
        stored = await uow.staff.add(user)
        await uow.commit()
    return stored


async def update_user(
    uow: AbstractUnitOfWork,
    user_id: int,
    *,
    name: str,
    role: ApiRole,
    regions: tuple[str, ...],
    disabled: bool,
    password: str | None = None,
) -> StaffUser | None:
    """Change a user; a new password also lifts a lock-out. ``None`` when there is no such user."""
    async with uow:
        user = await uow.staff.get(user_id)
        if user is None:
            return None
        changed = validate(
            replace(
                user,
                name=name.strip(),
                role=role,
                regions=tuple(regions) if role is ApiRole.LINE2 else (),
                disabled=disabled,
            )
        )
        if password:
            changed = after_success(replace(changed, password_hash=hash_password(password)))
        await uow.staff.save(changed)
        await uow.commit()
    return changed


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: a user, or why not.

    ``too_early``: the try came before ``retry_at`` and was not checked at all. Otherwise a failure
    may still set ``retry_at``: the next try of this login must wait until then.
    """

    user: StaffUser | None
    retry_at: datetime | None = None
    too_early: bool = False


async def sign_in(uow: AbstractUnitOfWork, login: str, password: str, *, now: datetime) -> SignIn:
    """Check the password; each failure past the free ones makes the next try of the login wait longer.

    Unknown, disabled and real logins go the same way — the same count, the same delays, a hash
    verified either way — so the answers and their timing do not tell which logins exist.
    """
    async with uow:
        attempts = await uow.staff.attempts(login)
        if attempts.waiting(now):
            return SignIn(None, retry_at=attempts.wait_until, too_early=True)
        user = await uow.staff.by_login(login)
        member = user is not None and not user.disabled
        if not _verify(user.password_hash if user is not None and member else _DUMMY_HASH, password) or not member:
            failed = after_failure(attempts, now)
            await uow.staff.save_attempts(login, failed, now=now)
            await uow.commit()
            return SignIn(None, retry_at=failed.wait_until)
        assert user is not None
        changed = attempts != Attempts()
        if changed:  # a success starts the count again
            await uow.staff.save_attempts(login, Attempts(), now=now)
            user = replace(user, failed_attempts=0, locked_until=None)
        signed = after_success(user)
        if _hasher.check_needs_rehash(user.password_hash):
            signed = replace(signed, password_hash=_hasher.hash(password))
        if signed != user:
            await uow.staff.save(signed)
            changed = True
        if changed:
            await uow.commit()
        return SignIn(signed)


async def active_user(uow: AbstractUnitOfWork, user_id: int) -> StaffUser | None:
    """The user behind a session, unless disabled meanwhile (checked on every request)."""
    async with uow:
        user = await uow.staff.get(user_id)
    return user if user is not None and not user.disabled else None


async def list_users(uow: AbstractUnitOfWork) -> list[StaffUser]:
    async with uow:
        return await uow.staff.all()
