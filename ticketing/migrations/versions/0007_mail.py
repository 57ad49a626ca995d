"""mail channels: stored letters and replies, registration cards of the Union mailbox, their counter

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "mail_messages",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("mailbox", sa.String(20), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("uid_key", sa.String(200)),
        sa.Column("message_id", sa.String(500)),
        sa.Column("in_reply_to", sa.String(500)),
        sa.Column("reference_ids", JSON, nullable=False),
        sa.Column("ticket_number", sa.String(20)),
        sa.Column("delivery_id", sa.BigInteger()),
        sa.Column("sender", sa.String(320)),
        sa.Column("sender_name", sa.String(300), nullable=False, server_default=""),
        sa.Column("recipients", JSON, nullable=False),
        sa.Column("subject", sa.String(500), nullable=False, server_default=""),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attachments", JSON, nullable=False),
        sa.Column("note", sa.String(500)),
        sa.Column("raw", sa.LargeBinary()),
        sa.Column("raw_size", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("raw_trimmed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(
            ["ticket_number"],
            ["tickets.number"],
            name=op.f("fk_mail_messages_ticket_number_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_messages")),
        sa.UniqueConstraint("uid_key", name=op.f("uq_mail_messages_uid_key")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_mail_messages_delivery_id")),
    )
    # Threading looks letters up by Message-ID; the ticket page lists a ticket's letters.
    op.create_index("ix_mail_messages_message_id", "mail_messages", ["message_id"])
    op.create_index("ix_mail_messages_ticket", "mail_messages", ["ticket_number"])
    op.create_table(
        "registration_cards",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("ticket_number", sa.String(20), nullable=False),
        sa.Column("incoming_number", sa.String(60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registration_date", sa.Date(), nullable=False),
        sa.Column("correspondent", sa.String(300), nullable=False, server_default=""),
        sa.Column("surname", sa.String(100)),
        sa.Column("name", sa.String(100)),
        sa.Column("patronymic", sa.String(100)),
        sa.Column("email", sa.String(320)),
        sa.Column("subject", sa.String(500), nullable=False, server_default=""),
        sa.Column("summary", sa.Text(), nullable=False, server_default=""),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("missing", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_number"],
            ["tickets.number"],
            name=op.f("fk_registration_cards_ticket_number_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_cards")),
        sa.UniqueConstraint("ticket_number", name=op.f("uq_registration_cards_ticket_number")),
        sa.UniqueConstraint("incoming_number", name=op.f("uq_registration_cards_incoming_number")),
        sa.UniqueConstraint("year", "seq", name="uq_registration_cards_year_seq"),
    )
    op.create_index("ix_registration_cards_registered", "registration_cards", ["registered_at"])
    # One row a year; incrementing it inside the registering transaction keeps the numbers gapless.
    op.create_table(
        "incoming_sequences",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_incoming_sequences")),
    )


def downgrade() -> None:
    op.drop_table("incoming_sequences")
    op.drop_index("ix_registration_cards_registered", table_name="registration_cards")
    op.drop_table("registration_cards")
    op.drop_index("ix_mail_messages_ticket", table_name="mail_messages")
    op.drop_index("ix_mail_messages_message_id", table_name="mail_messages")
    op.drop_table("mail_messages")
