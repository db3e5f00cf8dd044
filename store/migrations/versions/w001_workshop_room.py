"""Workshops for associations: where and when a workshop is held, and what each participant
agreed to share with the association (separate from pooling consent).

Revision ID: w001
Revises: 0002_compact_rows
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w001"
down_revision = "0002_compact_rows"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("province", sa.String(64), nullable=True))
        batch.add_column(sa.Column("held_on", sa.Date(), nullable=True))
    op.create_index("ix_workshops_facilitator", "workshops", ["facilitator"])
    op.create_table(
        "workshop_sharing",
        sa.Column("assessment_id", BigId, nullable=False),
        sa.Column("share_results", sa.Boolean(), nullable=False),
        sa.Column("share_name", sa.Boolean(), nullable=False),
        sa.Column("send_pdf", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.CheckConstraint("source IN ('web', 'paper', 'csv')", name="ck_workshop_sharing_source"),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"],
            name="fk_workshop_sharing_assessment_id_assessments", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name="pk_workshop_sharing"),
    )


def downgrade() -> None:
    op.drop_table("workshop_sharing")
    op.drop_index("ix_workshops_facilitator", table_name="workshops")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("held_on")
        batch.drop_column("province")
