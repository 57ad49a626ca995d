"""regional operators' directory, with sample entries marked as sample

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "operators_sample.yml"


def upgrade() -> None:
    table = op.create_table(
        "regional_operators",
        sa.Column("region", sa.String(120), nullable=False),
        sa.Column("organisation", sa.String(300), nullable=False),
        sa.Column("contact_person", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("region", name=op.f("pk_regional_operators")),
    )
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    rows = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    op.bulk_insert(table, [{**row, "is_sample": True, "updated_at": now, "updated_by": "sample"} for row in rows])


def downgrade() -> None:
    op.drop_table("regional_operators")
