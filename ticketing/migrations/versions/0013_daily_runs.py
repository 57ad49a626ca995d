"""daily runs: the Moscow day each daily job of the service last finished

Revision ID: 0013
Revises: 0012

Closed tickets are anonymised after ``PD_RETENTION_DAYS`` by the service itself, once a day at
``PD_ANONYMISE_HOUR`` (МСК), whichever replica comes first (``ticketing.adapters.daily_runs``: a
PostgreSQL advisory lock while it runs). This row tells the others the day is done.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_runs",
        sa.Column("name", sa.String(50)),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_daily_runs"),
    )


def downgrade() -> None:
    op.drop_table("daily_runs")
