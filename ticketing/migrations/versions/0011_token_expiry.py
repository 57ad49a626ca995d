"""token expiry: every API token expires; those issued before get the default lifetime from now

Revision ID: 0011
Revises: 0010

Tokens never expired, so a leaked one was good forever. New tokens carry ``expires_at``
(``ticketing.services.tokens.DEFAULT_LIFETIME`` unless ``token create --days`` says otherwise);
tokens issued before this migration get the default lifetime counted from the upgrade, so that
nothing stops working at once and every old token is still gone within it (``token list`` shows
them, ``token create`` issues the successors; ``make run`` renews its own).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from ticketing.adapters.orm import UTCDateTime
from ticketing.services.tokens import DEFAULT_LIFETIME

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True)))
    tokens = sa.table("api_tokens", sa.column("expires_at", UTCDateTime()))
    op.execute(
        tokens.update().where(tokens.c.expires_at.is_(None)).values(expires_at=datetime.now(UTC) + DEFAULT_LIFETIME)
    )


def downgrade() -> None:
    op.execute("ALTER TABLE api_tokens DROP COLUMN expires_at")  # SQLite 3.35+ too: a batch copy is not needed
