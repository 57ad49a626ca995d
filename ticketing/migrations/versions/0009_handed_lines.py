"""handed lines: which of lines 2 and 3 each ticket was handed to, backfilled from its history

Revision ID: 0009
Revises: 0008

Lines 2 and 3 see only the tickets handed to them (§4.5, §4.6, §5.4; ``ticketing.domain.access``).
That used to be read from the history of each ticket in the console alone, so the API and the
reports showed line 3 everything; two flags on the ticket let every query say it in SQL. The
backfill reads the same history: a ``created`` event on line 2 (§5.8: straight to the region's
operator) or a ``transferred`` event to line 2 or 3; a ticket on line 2 or 3 now counts too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _handed(line: int, dialect: str) -> str:
    to_line = "(e.data ->> 'to_line')" if dialect == "postgresql" else "json_extract(e.data, '$.to_line')"
    return (
        f"line = {line} OR EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = tickets.id AND ("
        f"(e.type = 'transferred' AND CAST({to_line} AS INTEGER) = {line})"
        f" OR (e.type = 'created' AND e.line = {line})))"
    )


def upgrade() -> None:
    bind = op.get_bind()
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and the copy's DROP TABLE
    # would cascade to the very history the backfill reads.
    for line in (2, 3):
        op.add_column("tickets", sa.Column(f"handed_line{line}", sa.Boolean(), nullable=False, server_default=sa.false()))
    for line in (2, 3):
        op.execute(f"UPDATE tickets SET handed_line{line} = TRUE WHERE {_handed(line, bind.dialect.name)}")
    op.create_index(
        "ix_tickets_handed_line3_due",
        "tickets",
        ["due_at", "id"],
        postgresql_where=sa.text("handed_line3"),
        sqlite_where=sa.text("handed_line3"),
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_handed_line3_due", table_name="tickets")
    for line in (3, 2):  # ALTER TABLE … DROP COLUMN on SQLite too (3.35+): a batch copy would cascade
        op.execute(f"ALTER TABLE tickets DROP COLUMN handed_line{line}")
