"""Database tables (SQLAlchemy Core). Alembic migrations are written against this metadata."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy import false as sa_false
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# SQLite's INTEGER PRIMARY KEY is its rowid only when declared INTEGER, not BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which forgets zones) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def json_column(name: str, **kw: Any) -> Column[Any]:
    """JSON on SQLite, JSONB on PostgreSQL (indexable, compact)."""
    return Column(name, JSON().with_variant(JSONB(), "postgresql"), **kw)


tickets = Table(
    "tickets",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("number", String(20), unique=True),
    Column("channel", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("question_type", String(20)),
    Column("region", String(120)),
    Column("role", String(20)),
    Column("login", String(200)),
    Column("email", String(320)),
    Column("subject", String(300), nullable=False),
    Column("description", Text, nullable=False),
    json_column("transcript", nullable=False),
    Column("conversation_id", String(200)),
    json_column("instructions_tried", nullable=False),
    Column("status", String(30), nullable=False),
    Column("line", SmallInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("idempotency_key", String(200), unique=True),
    Column("assignee", String(200)),
    Column("owner", String(200)),
    Column("line3_due_at", UTCDateTime),
    Column("resolution_reason", String(30)),
    Column("repeat_of", String(20)),
    json_column("questions", nullable=False, server_default="[]"),
    Column("first_answered_at", UTCDateTime),
    Column("resolved_at", UTCDateTime),
    json_column("likely_repeats", nullable=False, server_default="[]"),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("approaching_notified_at", UTCDateTime),
    Column("breached_notified_at", UTCDateTime),
    Index("ix_tickets_queue", "line", "status", "due_at"),
    Index("ix_tickets_region_due", "region", "due_at"),
    Index("ix_tickets_email", "email"),
    Index("ix_tickets_login", "login"),
    Index("ix_tickets_conversation", "conversation_id"),
    Index("ix_tickets_assignee", "assignee"),
)

ticket_events = Table(
    "ticket_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("ticket_id", BigId, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("type", String(40), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("line", SmallInteger),
    json_column("data", nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    json_column("regions", nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

# Extraordinary working and non-working days beyond the production calendar, edited by admins
# (e.g. the days declared non-working by decree in 2020).
calendar_days = Table(
    "calendar_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("working", Boolean, nullable=False),
    Column("note", String(300), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
)

# §2.3, §5.7: the regional operators' contacts; `is_sample` marks rows shipped as examples.
regional_operators = Table(
    "regional_operators",
    metadata,
    Column("region", String(120), primary_key=True),
    Column("organisation", String(300), nullable=False),
    Column("contact_person", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("phone", String(50), nullable=False),
    Column("is_sample", Boolean, nullable=False, server_default=sa_false()),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(200), nullable=False),
)
