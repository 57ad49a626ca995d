"""queue indexes: every filter of the ticket list served in deadline order, counts index-only

Revision ID: 0006
Revises: 0005

Measured on 1 000 000 tickets (docs/performance.md, ``python -m bench queue``).
``SqlTicketRepository.list`` runs as a prepared statement (asyncpg), and after five executions
PostgreSQL uses a generic plan that cannot see which status or region was asked for. With only
``(line, status, due_at)`` and ``(region, due_at)`` that plan AND-ed two bitmaps and sorted
thousands of wide rows: 200–300 ms a page. Each index below ends with ``due_at, id``, the exact
``ORDER BY`` of the list, so the page is a walk of the index whatever the plan, and the
``count(*)`` is an index-only scan of the same range. Partial indexes (``WHERE status IN …``)
would be smaller, but a generic plan can never use them.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # status=new (all lines), line=1&status=new: the page and the count.
    op.create_index("ix_tickets_status_due", "tickets", ["status", "due_at", "id"])
    # status=new&region=X with or without line: line is included so the count needs no heap.
    op.create_index(
        "ix_tickets_status_region_due", "tickets", ["status", "region", "due_at", "id"], postgresql_include=["line"]
    )
    # Lists without a status (line=1, everything): the page without sorting the table.
    op.create_index("ix_tickets_due", "tickets", ["due_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_tickets_due", table_name="tickets")
    op.drop_index("ix_tickets_status_region_due", table_name="tickets")
    op.drop_index("ix_tickets_status_due", table_name="tickets")
