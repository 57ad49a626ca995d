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
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

from procedure import statuses

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
    # Migration 0009: handed to line 2 / line 3 at least once (§4.5, §4.6), the SQL of domain.access
    Column("handed_line2", Boolean, nullable=False, server_default=sa_false()),
    Column("handed_line3", Boolean, nullable=False, server_default=sa_false()),
    # Migration 0012: when the requester's personal data were removed (domain/personal_data.py, 152-ФЗ)
    Column("anonymised_at", UTCDateTime),
    Index("ix_tickets_queue", "line", "status", "due_at"),
    Index("ix_tickets_region_due", "region", "due_at"),
    # Queue indexes (migration *_queue_indexes): each ends with the list's ORDER BY; docs/performance.md.
    Index("ix_tickets_status_due", "status", "due_at", "id"),
    Index("ix_tickets_status_region_due", "status", "region", "due_at", "id", postgresql_include=["line"]),
    Index("ix_tickets_due", "due_at", "id"),
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
    Column("expires_at", UTCDateTime),  # migration 0011
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

# The staff console: its users and sessions, the known-issues board (§5.5), reply deliveries (§6.3).
staff_users = Table(
    "staff_users",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("login", String(100), nullable=False, unique=True),  # stored lower-cased
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    json_column("regions", nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=sa_false()),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)

# Migration 0010: failed sign-ins of logins no staff member has, counted like a member's (domain.staff.Attempts)
# so that the answers do not tell which logins exist.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("login", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("wait_until", UTCDateTime),
    Column("last_failed_at", UTCDateTime, nullable=False, index=True),
)

console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # sha256 of the cookie: a stolen table opens nothing
    Column("user_id", BigId, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)

known_issues = Table(
    "known_issues",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("keywords", String(500), nullable=False, server_default=""),
    Column("status", String(30), nullable=False),
    Column("expected_on", Date),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("fixed_at", UTCDateTime),
)

known_issue_links = Table(
    "known_issue_links",
    metadata,
    Column("issue_id", BigId, ForeignKey("known_issues.id", ondelete="CASCADE"), primary_key=True),
    Column("ticket_number", String(20), ForeignKey("tickets.number", ondelete="CASCADE"), primary_key=True),
    Column("linked_at", UTCDateTime, nullable=False),
    Column("linked_by", String(200), nullable=False),
    Index("ix_known_issue_links_ticket", "ticket_number"),
)

reply_deliveries = Table(
    "reply_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("ticket_number", String(20), ForeignKey("tickets.number", ondelete="CASCADE"), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("conversation_id", String(200)),
    Column("email", String(320)),
    Column("text", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", String(500)),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime),
    Index("ix_reply_deliveries_due", "status", "next_attempt_at"),
    Index("ix_reply_deliveries_ticket", "ticket_number"),
)

_OPEN_CONDITION = "status IN ({})".format(", ".join(f"'{status}'" for status in statuses.OPEN))
# The console's indexes (migration 0005): open work by deadline, the dashboard's period, returns from lines 2 and 3.
Index(
    "ix_tickets_open_due",
    tickets.c.due_at,
    tickets.c.id,
    postgresql_where=text(_OPEN_CONDITION),
    sqlite_where=text(_OPEN_CONDITION),
)
Index(
    "ix_tickets_created_report",
    tickets.c.created_at,
    postgresql_include=[
        "id", "status", "line", "channel", "region", "question_type", "resolution_reason",
        "due_at", "line3_due_at", "first_answered_at", "resolved_at",
        "version",  # migration 0008: each day's fingerprint for the dashboard (dashboard_days)
    ],
)  # fmt: skip
Index(  # line 3 sees only what was handed to it: a few tickets of the whole base (migration 0009)
    "ix_tickets_handed_line3_due",
    tickets.c.due_at,
    tickets.c.id,
    postgresql_where=text("handed_line3"),
    sqlite_where=text("handed_line3"),
)
Index(
    "ix_ticket_events_returned",
    ticket_events.c.ticket_id,
    postgresql_include=["line", "at"],
    postgresql_where=text("type = 'returned'"),
    sqlite_where=text("type = 'returned'"),
)

# Mail channels (migration 0007): every letter kept with its ticket (raw RFC 822, as received), our
# replies' Message-IDs for threading, the Union mailbox's registration cards and their gapless counter.
mail_messages = Table(
    "mail_messages",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("mailbox", String(20), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("uid_key", String(200), unique=True),
    Column("message_id", String(500)),
    Column("in_reply_to", String(500)),
    json_column("reference_ids", nullable=False),
    Column("ticket_number", String(20), ForeignKey("tickets.number", ondelete="CASCADE")),
    Column("delivery_id", BigInteger, unique=True),
    Column("sender", String(320)),
    Column("sender_name", String(300), nullable=False, server_default=""),
    json_column("recipients", nullable=False),
    Column("subject", String(500), nullable=False, server_default=""),
    Column("sent_at", UTCDateTime),
    Column("received_at", UTCDateTime, nullable=False),
    json_column("attachments", nullable=False),
    Column("note", String(500)),
    Column("raw", LargeBinary),
    Column("raw_size", Integer, nullable=False, server_default="0"),
    Column("raw_trimmed", Boolean, nullable=False, server_default=sa_false()),
    Index("ix_mail_messages_message_id", "message_id"),
    Index("ix_mail_messages_ticket", "ticket_number"),
)

registration_cards = Table(
    "registration_cards",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("ticket_number", String(20), ForeignKey("tickets.number", ondelete="CASCADE"), nullable=False, unique=True),
    Column("incoming_number", String(60), nullable=False, unique=True),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
    Column("registration_date", Date, nullable=False),
    Column("correspondent", String(300), nullable=False, server_default=""),
    Column("surname", String(100)),
    Column("name", String(100)),
    Column("patronymic", String(100)),
    Column("email", String(320)),
    Column("subject", String(500), nullable=False, server_default=""),
    Column("summary", Text, nullable=False, server_default=""),
    Column("due_at", UTCDateTime, nullable=False),
    json_column("missing", nullable=False),
    UniqueConstraint("year", "seq", name="uq_registration_cards_year_seq"),
    Index("ix_registration_cards_registered", "registered_at"),
)

incoming_sequences = Table(
    "incoming_sequences",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last", Integer, nullable=False),
)

# Migration 0012: who read or changed personal data, when, from which address (152-ФЗ ст. 19; ASVS V7.1, V8.3).
# ``subject`` is a ticket number, a list's filter or a masked e-mail — never the address itself.
pd_access = Table(
    "pd_access",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("address", String(64)),
    Column("action", String(30), nullable=False),
    Column("subject", String(500), nullable=False),
    json_column("tickets", nullable=False),
    Index("ix_pd_access_at", "at"),
)

# Migration 0013: the Moscow day each daily job of the service last finished (adapters.daily_runs), so that of
# several replicas only one runs it, once a day.
daily_runs = Table(
    "daily_runs",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("day", Date, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("summary", String(500), nullable=False),
)
