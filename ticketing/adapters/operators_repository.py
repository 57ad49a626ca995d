"""Storage of the regional operators' directory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import regional_operators
from ticketing.domain.operators import RegionalOperator
from ticketing.services.unit_of_work import OperatorRepository


def _from_row(row: Any) -> RegionalOperator:
    return RegionalOperator(
        region=row.region,
        organisation=row.organisation,
        contact_person=row.contact_person,
        email=row.email,
        phone=row.phone,
        is_sample=row.is_sample,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


class SqlOperatorRepository(OperatorRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def all(self) -> list[RegionalOperator]:
        rows = await self._conn.execute(select(regional_operators).order_by(regional_operators.c.region))
        return [_from_row(r) for r in rows]

    async def get(self, region: str) -> RegionalOperator | None:
        row = (
            await self._conn.execute(select(regional_operators).where(regional_operators.c.region == region))
        ).first()
        return _from_row(row) if row else None

    async def put(self, operator: RegionalOperator) -> None:
        values = {k: v for k, v in operator.__dict__.items() if k != "region"}
        result = await self._conn.execute(
            update(regional_operators).where(regional_operators.c.region == operator.region).values(values)
        )
        if result.rowcount == 0:
            await self._conn.execute(insert(regional_operators).values(region=operator.region, **values))

    async def remove(self, region: str) -> bool:
        result = await self._conn.execute(delete(regional_operators).where(regional_operators.c.region == region))
        return bool(result.rowcount)
