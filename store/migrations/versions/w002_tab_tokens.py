"""Tab tokens (the URL carries a short-lived token, not the resume code) and attempt limits.

Revision ID: w002
Revises: w001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.models import UTCDateTime

revision = "w002"
down_revision = "w001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "tab_tokens",
        sa.Column("token_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("assessment_id", BigId, nullable=False),
        sa.Column("sealed_code", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"],
            name="fk_tab_tokens_assessment_id_assessments", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_tab_tokens"),
    )
    op.create_index("ix_tab_tokens_assessment_id", "tab_tokens", ["assessment_id"])
    op.create_index("ix_tab_tokens_last_used_at", "tab_tokens", ["last_used_at"])
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_throttle"),
    )


def downgrade() -> None:
    op.drop_table("throttle")
    op.drop_index("ix_tab_tokens_last_used_at", table_name="tab_tokens")
    op.drop_index("ix_tab_tokens_assessment_id", table_name="tab_tokens")
    op.drop_table("tab_tokens")
