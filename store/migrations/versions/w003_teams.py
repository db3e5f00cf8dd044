"""Team assessments: a firm's team, its respondents with their roles.

Revision ID: w003
Revises: w002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.models import UTCDateTime

revision = "w003"
down_revision = "w002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("questionnaire_id", sa.String(64), nullable=False),
        sa.Column("owner_id", BigId, nullable=True),
        sa.Column("combined_id", BigId, nullable=True),
        sa.Column("firm_name", sa.String(200), nullable=True),
        sa.Column("sector", sa.String(2), nullable=True),
        sa.Column("size_band", sa.String(16), nullable=True),
        sa.Column("province", sa.String(64), nullable=True),
        sa.Column("staff", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["assessments.id"], name="fk_teams_owner_id_assessments",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["combined_id"], ["assessments.id"], name="fk_teams_combined_id_assessments",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
        sa.UniqueConstraint("code", name="uq_teams_code"),
    )
    op.create_table(
        "team_members",
        sa.Column("assessment_id", BigId, nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("role IN ('owner', 'accounting', 'sales', 'operations', 'it', 'other')",
                           name="ck_team_members_role"),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"],
                                name="fk_team_members_assessment_id_assessments", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_team_members_team_id_teams", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("assessment_id", name="pk_team_members"),
    )
    op.create_index("ix_team_members_team_id", "team_members", ["team_id"])


def downgrade() -> None:
    op.drop_index("ix_team_members_team_id", table_name="team_members")
    op.drop_table("team_members")
    op.drop_table("teams")
