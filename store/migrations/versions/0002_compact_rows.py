"""Compact rows: no result snapshot, answers packed per version, summary tables.

- ``questionnaire_versions.content``: each version's questionnaire, kept once;
- ``assessments``: ``questionnaire_id``/``questionnaire_version`` go (they are the layout's),
  percents become fixed-point integers (``× 10 000``), ``gap_mask`` (a bit per gap tag),
  ``answers`` (packed by scoring.codec) and ``answers_extra`` (JSON) come in; the indexes
  the old SQL aggregates needed go (the summaries answer those queries now);
- ``assessment_data`` goes: rows of before this revision keep their answers as JSON in
  ``answers_extra`` (the codec reads that without the questionnaire) and their gaps as
  ``gap_mask``;
- ``tags``, ``pool_cells``, ``pool_progress``, ``rescores`` come in. The summaries are left
  empty with ``settings.summaries_stale = 1``: the store rebuilds them when it next opens
  (store/summary.py), so this file never copies the summary's definitions.

SQLite cannot alter a column's type or drop an indexed column in place: those go through
alembic's batch mode (copy and move), with foreign keys off for the run (store/migrate.py),
so that moving the table does not fire ``ON DELETE SET NULL`` on the follow-up links.

Revision ID: 0002_compact_rows
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from store.models import UTCDateTime

revision = "0002_compact_rows"
down_revision = "0001"
branch_labels = None
depends_on = None

# frozen here, like 0001's SLOTS
SLOTS = 8
LEVELS = 10
TAG_SLOTS = 32
SCALE = 10_000
BATCH = 5_000
JSONType = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PERCENTS = ["percent", *[f"p{i}_percent" for i in range(1, SLOTS + 1)]]


def _cell_key() -> list[sa.Column]:
    return [
        sa.Column("layout_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(64), nullable=False),
        sa.Column("sector", sa.String(2), nullable=False),
        sa.Column("size_band", sa.String(16), nullable=False),
        sa.Column("round", sa.String(16), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
    ]


KEY = ["layout_id", "province", "sector", "size_band", "round", "workshop_id", "month"]


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("questionnaire_versions", sa.Column("content", sa.Text(), nullable=True))
    op.create_table(
        "tags",
        sa.Column("slot", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("slot", name="pk_tags"),
        sa.UniqueConstraint("tag", name="uq_tags_tag"),
    )
    op.create_table(
        "pool_cells",
        *_cell_key(),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("percent_sum", sa.BigInteger(), nullable=False),
        sa.Column("percent_n", sa.Integer(), nullable=False),
        *[sa.Column(f"level_{lv}", sa.Integer(), nullable=False) for lv in range(LEVELS)],
        *[sa.Column(f"p{i}_sum", sa.BigInteger(), nullable=False) for i in range(1, SLOTS + 1)],
        *[sa.Column(f"p{i}_l{lv}", sa.Integer(), nullable=False) for i in range(1, SLOTS + 1) for lv in range(LEVELS)],
        *[sa.Column(f"g{j}", sa.Integer(), nullable=False) for j in range(1, TAG_SLOTS + 1)],
        sa.PrimaryKeyConstraint(*KEY, name="pk_pool_cells"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "pool_progress",
        *_cell_key(),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("before_level_sum", sa.Integer(), nullable=False),
        sa.Column("after_level_sum", sa.Integer(), nullable=False),
        sa.Column("level_up", sa.Integer(), nullable=False),
        sa.Column("level_same", sa.Integer(), nullable=False),
        sa.Column("level_down", sa.Integer(), nullable=False),
        sa.Column("percent_n", sa.Integer(), nullable=False),
        sa.Column("before_percent_sum", sa.BigInteger(), nullable=False),
        sa.Column("after_percent_sum", sa.BigInteger(), nullable=False),
        *[sa.Column(f"p{i}_n", sa.Integer(), nullable=False) for i in range(1, SLOTS + 1)],
        *[sa.Column(f"p{i}_before", sa.BigInteger(), nullable=False) for i in range(1, SLOTS + 1)],
        *[sa.Column(f"p{i}_after", sa.BigInteger(), nullable=False) for i in range(1, SLOTS + 1)],
        sa.PrimaryKeyConstraint(*KEY, name="pk_pool_progress"),
        sqlite_with_rowid=False,
    )

    # --- assessments: new columns, then the data, then the old columns and indexes go
    op.add_column("assessments", sa.Column("gap_mask", sa.BigInteger(), nullable=True))
    op.add_column("assessments", sa.Column("answers", sa.LargeBinary(), nullable=True))
    op.add_column("assessments", sa.Column("answers_extra", sa.Text(), nullable=True))
    for name in PERCENTS:
        op.execute(f"UPDATE assessments SET {name} = round({name} * {SCALE}) WHERE {name} IS NOT NULL")
    _move_data(bind)
    op.drop_table("assessment_data")
    op.drop_index("ix_assessments_questionnaire_id_sector_size_band", table_name="assessments")
    op.drop_index("ix_assessments_province", table_name="assessments")
    op.drop_index("ix_assessments_submitted_at", table_name="assessments")
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.drop_column("questionnaire_id")
        batch.drop_column("questionnaire_version")
        for name in PERCENTS:
            batch.alter_column(
                name, type_=sa.Integer(), existing_type=sa.Float(), existing_nullable=True,
                postgresql_using=f"{name}::integer",
            )

    op.create_table(
        "rescores",
        sa.Column("assessment_id", BigId, nullable=False),
        sa.Column("layout_id", sa.Integer(), nullable=False),
        sa.Column("rescored_at", UTCDateTime(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("max_total", sa.Float(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("overall_level", sa.SmallInteger(), nullable=False),
        *[sa.Column(f"p{i}_percent", sa.Integer(), nullable=True) for i in range(1, SLOTS + 1)],
        *[sa.Column(f"p{i}_level", sa.SmallInteger(), nullable=True) for i in range(1, SLOTS + 1)],
        sa.Column("gap_mask", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name="fk_rescores_assessment_id_assessments", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["layout_id"], ["questionnaire_versions.id"], name="fk_rescores_layout_id_questionnaire_versions"
        ),
        sa.PrimaryKeyConstraint("assessment_id", "layout_id", name="pk_rescores"),
    )
    op.execute("DELETE FROM settings WHERE key = 'summaries_stale'")
    op.execute("INSERT INTO settings (key, value) VALUES ('summaries_stale', '1')")


def _move_data(bind: sa.Connection) -> None:
    """answers JSON → answers_extra; the result's gap tags → gap_mask (tags registered here)."""
    slots: dict[str, int] = {}
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT assessment_id, answers, result FROM assessment_data "
                "WHERE assessment_id > :last ORDER BY assessment_id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        updates = []
        for assessment_id, answers, result in rows:
            answers = json.loads(answers) if isinstance(answers, str) else answers
            result = json.loads(result) if isinstance(result, str) else result
            mask = None
            if result:
                mask = 0
                for tag in result.get("gaps") or []:
                    if tag not in slots:
                        if len(slots) >= TAG_SLOTS:
                            continue  # more tags than the summaries count: the gap is not counted
                        slots[tag] = len(slots) + 1
                    mask |= 1 << (slots[tag] - 1)
            extra = json.dumps(answers, ensure_ascii=False, separators=(",", ":")) if answers else None
            updates.append({"i": assessment_id, "extra": extra, "mask": mask})
        bind.execute(sa.text("UPDATE assessments SET answers_extra = :extra, gap_mask = :mask WHERE id = :i"), updates)
        last = rows[-1][0]
    if slots:
        bind.execute(sa.text("INSERT INTO tags (slot, tag) VALUES (:slot, :tag)"), [{"slot": s, "tag": t} for t, s in slots.items()])


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_table("rescores")
    op.create_table(
        "assessment_data",
        sa.Column("assessment_id", BigId, nullable=False),
        sa.Column("answers", JSONType, nullable=False),
        sa.Column("result", JSONType, nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"],
            name="fk_assessment_data_assessment_id_assessments", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name="pk_assessment_data"),
    )
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.add_column(sa.Column("questionnaire_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("questionnaire_version", sa.String(32), nullable=True))
        for name in PERCENTS:
            batch.alter_column(
                name, type_=sa.Float(), existing_type=sa.Integer(), existing_nullable=True,
                postgresql_using=f"{name}::double precision",
            )
    op.execute(
        "UPDATE assessments SET questionnaire_id = (SELECT q.questionnaire_id FROM questionnaire_versions q "
        "WHERE q.id = assessments.layout_id), questionnaire_version = (SELECT q.version FROM questionnaire_versions q "
        "WHERE q.id = assessments.layout_id)"
    )
    for name in PERCENTS:
        op.execute(f"UPDATE assessments SET {name} = {name} / {SCALE}.0 WHERE {name} IS NOT NULL")
    _restore_answers(bind)
    with op.batch_alter_table("assessments", recreate="auto") as batch:
        batch.alter_column("questionnaire_id", existing_type=sa.String(64), nullable=False)
        batch.alter_column("questionnaire_version", existing_type=sa.String(32), nullable=False)
        batch.drop_column("answers_extra")
        batch.drop_column("answers")
        batch.drop_column("gap_mask")
    op.create_index("ix_assessments_questionnaire_id_sector_size_band", "assessments", ["questionnaire_id", "sector", "size_band"])
    op.create_index("ix_assessments_province", "assessments", ["province"])
    op.create_index("ix_assessments_submitted_at", "assessments", ["submitted_at"])
    op.drop_table("pool_progress")
    op.drop_table("pool_cells")
    op.drop_table("tags")
    op.drop_column("questionnaire_versions", "content")
    op.execute("DELETE FROM settings WHERE key = 'summaries_stale'")


def _restore_answers(bind: sa.Connection) -> None:
    """Answers back to JSON (packed ones decoded with their version's stored content); the
    result snapshot is not rebuilt (the code of revision 0001 scores again when it shows one)."""
    from scoring.codec import decode_answers
    from scoring.model import Questionnaire

    versions = {}
    for vid, content, content_hash in bind.execute(sa.text("SELECT id, content, content_hash FROM questionnaire_versions")):
        if content:
            versions[vid] = Questionnaire.model_validate_json(content).model_copy(update={"content_hash": content_hash})
    last = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, layout_id, answers, answers_extra FROM assessments WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        out = []
        for rid, layout_id, packed, extra in rows:
            extra_dict = json.loads(extra) if extra else None
            q = versions.get(layout_id)
            answers = decode_answers(q, packed, extra_dict) if (q is not None and packed) else (extra_dict or {})
            out.append({"i": rid, "a": json.dumps(answers, ensure_ascii=False)})
        stmt = "INSERT INTO assessment_data (assessment_id, answers, result) VALUES (:i, CAST(:a AS {}), NULL)"
        bind.execute(sa.text(stmt.format("JSONB" if bind.dialect.name == "postgresql" else "TEXT")), out)
        last = rows[-1][0]
