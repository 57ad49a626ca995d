"""personal data: the moment a ticket was anonymised, and the log of access to personal data

Revision ID: 0012
Revises: 0011

152-ФЗ: a closed ticket loses its requester's data after ``PD_RETENTION_DAYS`` or on the person's
request (``python -m ticketing pd …``); ``tickets.anonymised_at`` says when, so that it is done once.
``pd_access`` records who opened a ticket card, read a ticket by API, exported a list or a person's
data, or erased it — when, and from which address (docs/security.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("anonymised_at", sa.DateTime(timezone=True)))
    op.create_table(
        "pd_access",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("address", sa.String(64)),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("tickets", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pd_access"),
    )
    op.create_index("ix_pd_access_at", "pd_access", ["at"])


def downgrade() -> None:
    op.drop_index("ix_pd_access_at", table_name="pd_access")
    op.drop_table("pd_access")
    op.execute("ALTER TABLE tickets DROP COLUMN anonymised_at")
