"""Bulk imports by programme staff: the batches, which row each assessment came from, and
the column mappings remembered per questionnaire and header set.

Revision ID: s001
Revises: w003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from store.models import UTCDateTime

revision = "s001"
down_revision = "w003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSONType = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(64), nullable=False),
        sa.Column("layout_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("pooled", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=True),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["layout_id"], ["questionnaire_versions.id"], name="fk_import_batches_layout_id_questionnaire_versions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_import_batches"),
    )
    op.create_index("ix_import_batches_file_hash", "import_batches", ["file_hash"])
    op.create_table(
        "import_rows",
        sa.Column("assessment_id", BigId, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name="fk_import_rows_assessment_id_assessments", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name="fk_import_rows_batch_id_import_batches", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("assessment_id", name="pk_import_rows"),
    )
    op.create_index("ix_import_rows_batch_id", "import_rows", ["batch_id"])
    op.create_table(
        "import_mappings",
        sa.Column("questionnaire_id", sa.String(64), nullable=False),
        sa.Column("header_key", sa.String(64), nullable=False),
        sa.Column("mapping", JSONType, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("questionnaire_id", "header_key", name="pk_import_mappings"),
    )


def downgrade() -> None:
    op.drop_table("import_mappings")
    op.drop_index("ix_import_rows_batch_id", table_name="import_rows")
    op.drop_table("import_rows")
    op.drop_index("ix_import_batches_file_hash", table_name="import_batches")
    op.drop_table("import_batches")
