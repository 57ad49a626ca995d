"""staff console: users, sessions, known issues and their links, reply deliveries

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
OPEN_PREDICATE = "status IN ('new', 'in_progress', 'waiting_line2', 'waiting_line3')"
RETURNED_PREDICATE = "type = 'returned'"
REPORT_COLUMNS = [
    "id", "status", "line", "channel", "region", "question_type", "resolution_reason",
    "due_at", "line3_due_at", "first_answered_at", "resolved_at",
]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("login", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("regions", JSON, nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("login", name=op.f("uq_staff_users_login")),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_users.id"], name=op.f("fk_console_sessions_user_id_staff_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_console_sessions")),
    )
    op.create_index(op.f("ix_console_sessions_user_id"), "console_sessions", ["user_id"])
    op.create_index(op.f("ix_console_sessions_expires_at"), "console_sessions", ["expires_at"])
    op.create_table(
        "known_issues",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("keywords", sa.String(500), nullable=False, server_default=""),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("expected_on", sa.Date()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("fixed_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_issues")),
    )
    op.create_table(
        "known_issue_links",
        sa.Column("issue_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ticket_number", sa.String(20), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["known_issues.id"],
            name=op.f("fk_known_issue_links_issue_id_known_issues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_number"],
            ["tickets.number"],
            name=op.f("fk_known_issue_links_ticket_number_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("issue_id", "ticket_number", name=op.f("pk_known_issue_links")),
    )
    op.create_index("ix_known_issue_links_ticket", "known_issue_links", ["ticket_number"])
    op.create_table(
        "reply_deliveries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("ticket_number", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("conversation_id", sa.String(200)),
        sa.Column("email", sa.String(320)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(500)),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(
            ["ticket_number"],
            ["tickets.number"],
            name=op.f("fk_reply_deliveries_ticket_number_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_deliveries")),
    )
    op.create_index("ix_reply_deliveries_due", "reply_deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_reply_deliveries_ticket", "reply_deliveries", ["ticket_number"])
    # The console's open work in deadline order (breached, approaching, «mine»), and the returns
    # from lines 2 and 3 for the dashboard; the console writes these predicates literally.
    op.create_index(
        "ix_tickets_open_due",
        "tickets",
        ["due_at", "id"],
        postgresql_where=sa.text(OPEN_PREDICATE),
        sqlite_where=sa.text(OPEN_PREDICATE),
    )
    # The dashboard (§5.3) reads a period's tickets by creation time: with what it needs included,
    # each of its questions is an index-only scan instead of a pass over the wide rows.
    op.create_index(
        "ix_tickets_created_report",
        "tickets",
        ["created_at"],
        postgresql_include=REPORT_COLUMNS,
    )
    op.create_index(
        "ix_ticket_events_returned",
        "ticket_events",
        ["ticket_id"],
        postgresql_include=["line", "at"],
        postgresql_where=sa.text(RETURNED_PREDICATE),
        sqlite_where=sa.text(RETURNED_PREDICATE),
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_events_returned", table_name="ticket_events")
    op.drop_index("ix_tickets_created_report", table_name="tickets")
    op.drop_index("ix_tickets_open_due", table_name="tickets")
    op.drop_table("reply_deliveries")
    op.drop_table("known_issue_links")
    op.drop_table("known_issues")
    op.drop_table("console_sessions")
    op.drop_table("staff_users")
