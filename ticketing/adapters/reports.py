"""Counts for control of speed and quality (§5.3), computed in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from procedure.statuses import ANSWERED, OPEN
from ticketing.adapters.orm import ticket_events, tickets
from ticketing.adapters.ticket_conditions import scope_conditions
from ticketing.domain.access import AccessScope
from ticketing.domain.tickets import Status
from ticketing.services.read_models import Summary
from ticketing.services.unit_of_work import AuditEntry, AuditFilter, Reports


class SqlReports(Reports):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def summary(
        self, *, now: datetime, since: datetime | None, until: datetime | None, scope: AccessScope | None
    ) -> Summary:
        where = scope_conditions(scope)
        if since is not None:
            where.append(tickets.c.created_at >= since)
        if until is not None:
            where.append(tickets.c.created_at < until)

        async def grouped(column: Any, *extra: ColumnElement[bool]) -> dict[str, int]:
            rows = await self._conn.execute(select(column, func.count()).where(*where, *extra).group_by(column))
            return {str(key) if key is not None else "—": int(count) for key, count in rows}

        async def count(*extra: ColumnElement[bool]) -> int:
            return int(
                (await self._conn.execute(select(func.count()).select_from(tickets).where(*where, *extra))).scalar_one()
            )

        return Summary(
            total=await count(),
            by_status=await grouped(tickets.c.status),
            by_line=await grouped(tickets.c.line, tickets.c.status.in_(OPEN)),
            by_channel=await grouped(tickets.c.channel),
            by_region=await grouped(tickets.c.region),
            by_question_type=await grouped(tickets.c.question_type),
            left_without_answer=await grouped(
                tickets.c.resolution_reason, tickets.c.status == Status.LEFT_WITHOUT_ANSWER.value
            ),
            open_breached=await count(tickets.c.status.in_(OPEN), tickets.c.due_at < now),
            answered_in_time=await count(tickets.c.status.in_(ANSWERED), tickets.c.resolved_at <= tickets.c.due_at),
            answered_late=await count(tickets.c.status.in_(ANSWERED), tickets.c.resolved_at > tickets.c.due_at),
        )

    async def audit(self, flt: AuditFilter, *, limit: int, offset: int) -> list[AuditEntry]:
        conditions = scope_conditions(flt.scope)
        if flt.number:
            conditions.append(tickets.c.number == flt.number)
        if flt.actor:
            conditions.append(ticket_events.c.actor == flt.actor)
        if flt.type:
            conditions.append(ticket_events.c.type == flt.type)
        if flt.since:
            conditions.append(ticket_events.c.at >= flt.since)
        if flt.until:
            conditions.append(ticket_events.c.at < flt.until)
        rows = await self._conn.execute(
            select(tickets.c.number, ticket_events)
            .select_from(ticket_events.join(tickets, and_(tickets.c.id == ticket_events.c.ticket_id)))
            .where(*conditions)
            .order_by(ticket_events.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [
            AuditEntry(number=r.number, type=r.type, at=r.at, actor=r.actor, line=r.line, data=r.data) for r in rows
        ]
