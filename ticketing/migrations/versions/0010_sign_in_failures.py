"""sign-in failures of logins no staff member has, counted like a member's

Revision ID: 0010
Revises: 0009

An unknown login was answered «wrong password» forever while a real one was locked after five tries,
so the answers told which logins exist. Now every login — a member's in ``staff_users``, anybody
else's here — gets the same growing delay (``ticketing.domain.staff.Attempts``); a member's old
15-minute lock simply runs out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("login", sa.String(200)),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("wait_until", sa.DateTime(timezone=True)),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("login", name="pk_sign_in_failures"),
    )
    op.create_index("ix_sign_in_failures_last_failed_at", "sign_in_failures", ["last_failed_at"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_failures_last_failed_at", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
