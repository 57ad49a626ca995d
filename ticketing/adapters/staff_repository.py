"""Storage of staff users."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import sign_in_failures, staff_users
from ticketing.domain.access import ApiRole
from ticketing.domain.staff import MAX_DELAY, Attempts, StaffUser
from ticketing.services.console_ports import DuplicateLogin, StaffRepository

FORGET_AFTER = max(timedelta(days=1), MAX_DELAY)  # unknown logins' counts go, the table does not grow


def _values(user: StaffUser) -> dict[str, Any]:
    return {
        "login": user.login.strip().lower(),
        "name": user.name,
        "role": user.role.value,
        "regions": list(user.regions),
        "password_hash": user.password_hash,
        "disabled": user.disabled,
        "failed_attempts": user.failed_attempts,
        "locked_until": user.locked_until,
        "created_at": user.created_at,
    }


def _from_row(row: Any) -> StaffUser:
    return StaffUser(
        id=row.id,
        login=row.login,
        name=row.name,
        role=ApiRole(row.role),
        regions=tuple(row.regions),
        password_hash=row.password_hash,
        disabled=row.disabled,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        created_at=row.created_at,
    )


class SqlStaffRepository(StaffRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, user: StaffUser) -> StaffUser:
        try:
            async with self._conn.begin_nested():
                user_id = (
                    await self._conn.execute(insert(staff_users).values(_values(user)).returning(staff_users.c.id))
                ).scalar_one()
        except IntegrityError as exc:
            raise DuplicateLogin(user.login) from exc
        return StaffUser(**{**user.__dict__, "id": user_id, "login": user.login.strip().lower()})

    async def save(self, user: StaffUser) -> None:
        assert user.id is not None
        await self._conn.execute(update(staff_users).where(staff_users.c.id == user.id).values(_values(user)))

    async def get(self, user_id: int) -> StaffUser | None:
        row = (await self._conn.execute(select(staff_users).where(staff_users.c.id == user_id))).first()
        return _from_row(row) if row else None

    async def by_login(self, login: str) -> StaffUser | None:
        query = select(staff_users).where(staff_users.c.login == login.strip().lower())
        row = (await self._conn.execute(query)).first()
        return _from_row(row) if row else None

    async def all(self) -> list[StaffUser]:
        rows = await self._conn.execute(select(staff_users).order_by(staff_users.c.disabled, staff_users.c.login))
        return [_from_row(r) for r in rows]

    async def attempts(self, login: str) -> Attempts:
        key = login.strip().lower()
        row = (
            await self._conn.execute(
                select(staff_users.c.failed_attempts, staff_users.c.locked_until).where(staff_users.c.login == key)
            )
        ).first()
        if row is None:
            row = (
                await self._conn.execute(
                    select(sign_in_failures.c.failures, sign_in_failures.c.wait_until).where(
                        sign_in_failures.c.login == key
                    )
                )
            ).first()
        return Attempts(failures=row[0], wait_until=row[1]) if row else Attempts()

    async def save_attempts(self, login: str, attempts: Attempts, *, now: datetime) -> None:
        """A member's count in their row; anybody else's in ``sign_in_failures``, forgotten after a day."""
        key = login.strip()[:200].lower()
        member = await self._conn.execute(
            update(staff_users)
            .where(staff_users.c.login == key)
            .values(failed_attempts=attempts.failures, locked_until=attempts.wait_until)
        )
        if member.rowcount:
            return
        await self._conn.execute(delete(sign_in_failures).where(sign_in_failures.c.last_failed_at < now - FORGET_AFTER))
        await self._conn.execute(delete(sign_in_failures).where(sign_in_failures.c.login == key))
        if attempts.failures:
            await self._conn.execute(
                insert(sign_in_failures).values(
                    login=key, failures=attempts.failures, wait_until=attempts.wait_until, last_failed_at=now
                )
            )
