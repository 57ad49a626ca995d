"""Storage of staff users."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import staff_users
from ticketing.domain.access import ApiRole
from ticketing.domain.staff import StaffUser
from ticketing.services.console_ports import DuplicateLogin, StaffRepository


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
