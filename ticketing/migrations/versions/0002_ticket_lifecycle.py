"""ticket lifecycle: assignee and owner, line-3 target, resolution, questions, versions

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("assignee", sa.String(200), nullable=True))
        batch.add_column(sa.Column("owner", sa.String(200), nullable=True))
        batch.add_column(sa.Column("line3_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("resolution_reason", sa.String(30), nullable=True))
        batch.add_column(sa.Column("repeat_of", sa.String(20), nullable=True))
        batch.add_column(sa.Column("questions", JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("first_answered_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("likely_repeats", JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("approaching_notified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("breached_notified_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_tickets_assignee", ["assignee"])
    # Tickets registered before questions existed had one: their description.
    op.execute(
        sa.text(
            "UPDATE tickets SET questions = "
            + (
                "jsonb_build_array(jsonb_build_object('id', 1, 'text', description, "
                "'answered_at', NULL, 'answer_channel', NULL))"
                if op.get_bind().dialect.name == "postgresql"
                else "json_array(json_object('id', 1, 'text', description, 'answered_at', NULL, 'answer_channel', NULL))"
            )
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_assignee")
        for column in (
            "breached_notified_at",
            "approaching_notified_at",
            "version",
            "likely_repeats",
            "resolved_at",
            "first_answered_at",
            "questions",
            "repeat_of",
            "resolution_reason",
            "line3_due_at",
            "owner",
            "assignee",
        ):
            batch.drop_column(column)
