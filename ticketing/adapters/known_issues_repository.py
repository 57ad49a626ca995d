"""Storage of the known-issues board (§5.5) and its links to tickets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ticketing.adapters.orm import known_issue_links, known_issues
from ticketing.domain.known_issues import IssueStatus, KnownIssue
from ticketing.services.console_ports import KnownIssueRepository


def _values(issue: KnownIssue) -> dict[str, Any]:
    return {k: v for k, v in issue.__dict__.items() if k != "id"} | {"status": issue.status.value}


def _from_row(row: Any) -> KnownIssue:
    return KnownIssue(
        id=row.id,
        title=row.title,
        description=row.description,
        keywords=row.keywords,
        status=IssueStatus(row.status),
        expected_on=row.expected_on,
        created_at=row.created_at,
        updated_at=row.updated_at,
        created_by=row.created_by,
        fixed_at=row.fixed_at,
    )


class SqlKnownIssueRepository(KnownIssueRepository):
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, issue: KnownIssue) -> KnownIssue:
        issue_id = (
            await self._conn.execute(insert(known_issues).values(_values(issue)).returning(known_issues.c.id))
        ).scalar_one()
        return KnownIssue(**{**issue.__dict__, "id": issue_id})

    async def save(self, issue: KnownIssue) -> None:
        assert issue.id is not None
        await self._conn.execute(update(known_issues).where(known_issues.c.id == issue.id).values(_values(issue)))

    async def get(self, issue_id: int) -> KnownIssue | None:
        row = (await self._conn.execute(select(known_issues).where(known_issues.c.id == issue_id))).first()
        return _from_row(row) if row else None

    async def all_issues(self, *, active_only: bool) -> list[KnownIssue]:
        fixed = known_issues.c.status == IssueStatus.FIXED.value
        query = select(known_issues).order_by(case((fixed, 1), else_=0), known_issues.c.updated_at.desc())
        if active_only:
            query = query.where(~fixed)
        return [_from_row(r) for r in await self._conn.execute(query.limit(500))]

    async def link(self, issue_id: int, number: str, *, at: datetime, by: str) -> bool:
        exists = (
            await self._conn.execute(
                select(known_issue_links.c.issue_id).where(
                    known_issue_links.c.issue_id == issue_id, known_issue_links.c.ticket_number == number
                )
            )
        ).first()
        if exists:
            return False
        await self._conn.execute(
            insert(known_issue_links).values(issue_id=issue_id, ticket_number=number, linked_at=at, linked_by=by)
        )
        return True

    async def linked_numbers(self, issue_id: int) -> list[str]:
        rows = await self._conn.execute(
            select(known_issue_links.c.ticket_number)
            .where(known_issue_links.c.issue_id == issue_id)
            .order_by(known_issue_links.c.ticket_number)
        )
        return [r.ticket_number for r in rows]

    async def issues_of(self, number: str) -> list[KnownIssue]:
        rows = await self._conn.execute(
            select(known_issues)
            .join(known_issue_links, known_issue_links.c.issue_id == known_issues.c.id)
            .where(known_issue_links.c.ticket_number == number)
            .order_by(known_issues.c.id)
        )
        return [_from_row(r) for r in rows]

    async def link_counts(self) -> dict[int, int]:
        rows = await self._conn.execute(
            select(known_issue_links.c.issue_id, func.count()).group_by(known_issue_links.c.issue_id)
        )
        return {int(issue_id): int(n) for issue_id, n in rows}
