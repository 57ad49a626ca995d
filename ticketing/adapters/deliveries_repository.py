"""Storage of the reply outbox (§6.3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import reply_deliveries
from ticketing.domain.deliveries import Delivery, DeliveryStatus
from ticketing.services.console_ports import DeliveryRepository


def _values(delivery: Delivery) -> dict[str, Any]:
    return {k: v for k, v in delivery.__dict__.items() if k != "id"} | {"status": delivery.status.value}


def _from_row(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        ticket_number=row.ticket_number,
        channel=row.channel,
        conversation_id=row.conversation_id,
        email=row.email,
        text=row.text,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
    )


class SqlDeliveryRepository(DeliveryRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, delivery: Delivery) -> Delivery:
        delivery_id = (
            await self._conn.execute(
                insert(reply_deliveries).values(_values(delivery)).returning(reply_deliveries.c.id)
            )
        ).scalar_one()
        return Delivery(**{**delivery.__dict__, "id": delivery_id})

    async def save(self, delivery: Delivery) -> None:
        assert delivery.id is not None
        await self._conn.execute(
            update(reply_deliveries).where(reply_deliveries.c.id == delivery.id).values(_values(delivery))
        )

    async def due(
        self, now: datetime, limit: int, *, channels: frozenset[str] | None = None, include_manual: bool = False
    ) -> list[Delivery]:
        ready = and_(
            reply_deliveries.c.status == DeliveryStatus.PENDING.value, reply_deliveries.c.next_attempt_at <= now
        )
        if include_manual:
            ready = or_(ready, reply_deliveries.c.status == DeliveryStatus.MANUAL.value)
        conditions = [ready]
        if channels is not None:
            conditions.append(reply_deliveries.c.channel.in_(sorted(channels)))
        rows = await self._conn.execute(
            select(reply_deliveries)
            .where(*conditions)
            .order_by(reply_deliveries.c.next_attempt_at, reply_deliveries.c.id)
            .limit(limit)
        )
        return [_from_row(r) for r in rows]

    async def of_ticket(self, number: str) -> list[Delivery]:
        rows = await self._conn.execute(
            select(reply_deliveries).where(reply_deliveries.c.ticket_number == number).order_by(reply_deliveries.c.id)
        )
        return [_from_row(r) for r in rows]
