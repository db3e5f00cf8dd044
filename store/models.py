"""The schema (SQLAlchemy Core tables; the migrations in store/migrations create the same).

Core rather than ORM classes: the store's work is set-based (aggregates, batch inserts,
streamed exports) and it hands out plain dataclasses (store/records.py), so an identity map
and lazy loading would add cost and no safety.

What shapes the tables (a national programme stores millions of assessments):
- **Compact rows, no result snapshot.** A result is a pure function of the answers and the
  questionnaire version, so a row keeps the answers (``answers``: packed by
  ``scoring.codec``, about a byte per question; ``answers_extra``: free text and anything not
  packable, JSON, usually NULL) and the headline figures as columns; everything else is
  scored again when shown. Each version's content is kept once, in
  ``questionnaire_versions.content``, so old answers can always be decoded and scored on the
  version they were answered on.
- **Pillar slots.** Pillar ids vary per questionnaire: each row keeps its pillar percents
  and levels in slot columns ``p1_*`` … ``p8_*`` in its version's pillar order, and
  ``questionnaire_versions.pillar_ids`` says which pillar sits in which slot
  (store/layouts.py).
- **Percents as fixed-point integers** (``PERCENT_SCALE`` units per percent point): 4 bytes
  instead of 8, and sums in the summary tables stay exact under the additions and
  subtractions that keep them up to date.
- **Capability gaps as a bit set** (``gap_mask``): bit ``slot - 1`` set when the result names
  the gap tag of that slot in ``tags`` (one global, append-only registry).
- **Summary tables** (``pool_cells``, ``pool_progress``): the pooled figures per
  questionnaire version × province × sector × size band × round × workshop × month, kept up
  to date in the same transaction as every submission, consent change and deletion
  (store/summary.py), so staff views read thousands of cells instead of millions of rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.naming import conv
from sqlalchemy.types import TypeDecorator

SLOTS = 8  # most pillars a questionnaire may have and still be stored
LEVELS = 10  # levels 0..9 (scoring.model.Level allows no more)
TAG_SLOTS = 32  # distinct capability-gap tags the summaries count
PERCENT_SCALE = 10_000  # stored percent = round(percent × PERCENT_SCALE); 100 % = 1,000,000

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Always UTC, always timezone-aware in Python.

    SQLite has no timezone type: it stores naive UTC text (which sorts and compares as
    time); PostgreSQL stores timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # a row written by hand in the sqlite3 shell
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# none_as_null: a missing result is SQL NULL, not the JSON text "null"
JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
# BIGINT on PostgreSQL (a national programme may outgrow 2^31); INTEGER on SQLite, where
# only "INTEGER PRIMARY KEY" is the fast rowid alias.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def slot_percent(i: int) -> str:
    return f"p{i}_percent"


def slot_level(i: int) -> str:
    return f"p{i}_level"


questionnaire_versions = Table(
    "questionnaire_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("questionnaire_id", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("pillar_ids", JSONType, nullable=False),  # slot i+1 holds pillar_ids[i]
    Column("levels", JSONType, nullable=False),  # the level numbers, for distributions
    Column("created_at", UTCDateTime, nullable=False),
    # the questionnaire itself (its validated model as JSON), written when the version is
    # first used: decodes and scores this version's answers after the file has changed.
    # NULL only for versions first stored before revision 0002 and not used since.
    Column("content", Text),
    UniqueConstraint("questionnaire_id", "version", "content_hash"),
)

workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("join_code", String(12), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("association", String(200)),
    Column("facilitator", String(200)),
    Column("questionnaire_id", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("province", String(64)),  # where it is held: preset for the participants
    Column("held_on", Date),  # the day it is held (Vietnam)
    Index(None, "facilitator"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("consent", Boolean, nullable=False, default=False),
    # the questionnaire id and version live in questionnaire_versions (one join away)
    Column("layout_id", Integer, ForeignKey("questionnaire_versions.id"), nullable=False),
    Column("province", String(64)),
    Column("sector", String(2)),
    Column("size_band", String(16)),
    Column("round", String(16), nullable=False),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="SET NULL")),
    Column("language", String(8), nullable=False),
    Column("submitted_at", UTCDateTime),
    # --- the headline figures (NULL while a draft); percents in PERCENT_SCALE units
    Column("total", Float),
    Column("max_total", Float),
    Column("percent", Integer),
    Column("overall_level", SmallInteger),
    *[Column(slot_percent(i), Integer) for i in range(1, SLOTS + 1)],
    *[Column(slot_level(i), SmallInteger) for i in range(1, SLOTS + 1)],
    Column("gap_mask", BigInteger),
    # --- the rest of the record
    Column("staff", Integer),
    Column("step", Integer, nullable=False, default=0),
    Column("previous_id", BigId, ForeignKey("assessments.id", ondelete="SET NULL")),
    Column("firm_name", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("consent_at", UTCDateTime),
    Column("code_hash", LargeBinary(32), nullable=False, unique=True),  # sha256 of the resume code
    Column("answers", LargeBinary),  # scoring.codec packed answers of this row's version
    Column("answers_extra", Text),  # JSON: free text and unpackable answers (NULL: none)
    CheckConstraint("status IN ('draft', 'submitted')", name="status"),
    CheckConstraint("round IN ('baseline', 'follow_up')", name="round"),
    Index(None, "workshop_id"),
    Index(None, "previous_id"),
)

# What a workshop participant agreed to share with the association that runs the workshop:
# asked apart from pooling consent (assessments.consent), one row per workshop assessment.
workshop_sharing = Table(
    "workshop_sharing",
    metadata,
    Column("assessment_id", BigId, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("share_results", Boolean, nullable=False, default=False),  # the association sees the result
    Column("share_name", Boolean, nullable=False, default=False),  # … with the firm's name
    Column("send_pdf", Boolean, nullable=False, default=False),  # … and may hand out its PDF roadmap
    Column("source", String(16), nullable=False, default="web"),  # web | paper (typed in) | csv
    CheckConstraint("source IN ('web', 'paper', 'csv')", name="source"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),  # argon2id, with its parameters
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_login_at", UTCDateTime),
    CheckConstraint("role IN ('facilitator', 'programme', 'admin')", name="role"),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


# A browser tab's short-lived key to an assessment (store/tabs.py): the URL carries the token,
# never the resume code; the code is kept sealed with the token, so the table alone opens nothing.
tab_tokens = Table(
    "tab_tokens",
    metadata,
    Column("token_hash", LargeBinary(32), primary_key=True),
    Column("assessment_id", BigId, ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("sealed_code", LargeBinary(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=False),
    Index(None, "assessment_id"),
    Index(None, "last_used_at"),
)

# Attempts per key in a window (store/tabs.py ``hit``): resume codes tried per session and per client.
throttle = Table(
    "throttle",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("window_start", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
)


# A team assessment (store/teams.py): several respondents of one firm answer apart; the owner
# closes the round and the combined answers become one assessment (combined_id), the only one
# of the team that may be pooled. The firm's profile is filled once, here.
teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(12), nullable=False, unique=True),  # what colleagues type or scan
    Column("questionnaire_id", String(64), nullable=False),
    Column("owner_id", BigId, ForeignKey("assessments.id", ondelete="SET NULL")),
    Column("combined_id", BigId, ForeignKey("assessments.id", ondelete="SET NULL")),
    Column("firm_name", String(200)),
    Column("sector", String(2)),
    Column("size_band", String(16)),
    Column("province", String(64)),
    Column("staff", Integer),
    Column("language", String(8), nullable=False),
    Column("consent", Boolean, nullable=False, default=False),  # the owner's, for the combined result
    Column("shared", Boolean, nullable=False, default=False),  # respondents may see the combined view
    Column("opened_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
)

team_members = Table(
    "team_members",
    metadata,
    Column("assessment_id", BigId, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("joined_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('owner', 'accounting', 'sales', 'operations', 'it', 'other')", name="role"),
    Index(None, "team_id"),
)

# capability-gap tags (the catalogue's category ids) and the bit each has in gap_mask
tags = Table(
    "tags",
    metadata,
    Column("slot", SmallInteger, primary_key=True, autoincrement=False),  # 1..TAG_SLOTS
    Column("tag", String(64), nullable=False, unique=True),
)

# ---- summaries (store/summary.py keeps them; every figure is a sum, so + and - keep them exact)
# Key columns are NOT NULL ('' and 0 stand for "not given") so ON CONFLICT finds the cell.
CELL_KEY = ("layout_id", "province", "sector", "size_band", "round", "workshop_id", "month")


def _cell_key_columns() -> list[Column]:
    return [
        Column("layout_id", Integer, nullable=False),
        Column("province", String(64), nullable=False),
        Column("sector", String(2), nullable=False),
        Column("size_band", String(16), nullable=False),
        Column("round", String(16), nullable=False),
        Column("workshop_id", Integer, nullable=False),
        Column("month", Integer, nullable=False),  # yyyymm, Vietnam time, of the submission
    ]


pool_cells = Table(
    "pool_cells",
    metadata,
    *_cell_key_columns(),
    Column("n", Integer, nullable=False),
    Column("percent_sum", BigInteger, nullable=False),
    Column("percent_n", Integer, nullable=False),
    *[Column(f"level_{lv}", Integer, nullable=False) for lv in range(LEVELS)],
    *[Column(f"p{i}_sum", BigInteger, nullable=False) for i in range(1, SLOTS + 1)],
    *[Column(f"p{i}_l{lv}", Integer, nullable=False) for i in range(1, SLOTS + 1) for lv in range(LEVELS)],
    *[Column(f"g{j}", Integer, nullable=False) for j in range(1, TAG_SLOTS + 1)],
    # the key is the primary key, and on SQLite the table is stored in key order (WITHOUT
    # ROWID): a view grouping by questionnaire version, province, … reads it in one pass
    PrimaryKeyConstraint(*CELL_KEY, name=conv("pk_pool_cells")),
    sqlite_with_rowid=False,
)

# firms with a baseline and a follow-up (both submitted and consented), in the follow-up's cell
pool_progress = Table(
    "pool_progress",
    metadata,
    *_cell_key_columns(),
    Column("n", Integer, nullable=False),
    Column("before_level_sum", Integer, nullable=False),
    Column("after_level_sum", Integer, nullable=False),
    Column("level_up", Integer, nullable=False),
    Column("level_same", Integer, nullable=False),
    Column("level_down", Integer, nullable=False),
    Column("percent_n", Integer, nullable=False),
    Column("before_percent_sum", BigInteger, nullable=False),
    Column("after_percent_sum", BigInteger, nullable=False),
    *[Column(f"p{i}_n", Integer, nullable=False) for i in range(1, SLOTS + 1)],
    *[Column(f"p{i}_before", BigInteger, nullable=False) for i in range(1, SLOTS + 1)],
    *[Column(f"p{i}_after", BigInteger, nullable=False) for i in range(1, SLOTS + 1)],
    PrimaryKeyConstraint(*CELL_KEY, name=conv("pk_pool_progress")),
    sqlite_with_rowid=False,
)

# figures of an assessment scored again on another version: beside the original, never over it
rescores = Table(
    "rescores",
    metadata,
    Column("assessment_id", BigId, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("layout_id", Integer, ForeignKey("questionnaire_versions.id"), primary_key=True),
    Column("rescored_at", UTCDateTime, nullable=False),
    Column("total", Float, nullable=False),
    Column("max_total", Float, nullable=False),
    Column("percent", Integer),
    Column("overall_level", SmallInteger, nullable=False),
    *[Column(slot_percent(i), Integer) for i in range(1, SLOTS + 1)],
    *[Column(slot_level(i), SmallInteger) for i in range(1, SLOTS + 1)],
    Column("gap_mask", BigInteger),
)

# ---- bulk imports (store/imports.py): responses collected elsewhere (paper typed into a
# spreadsheet, KoboToolbox, Google Forms), imported by programme staff in one transaction
import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("questionnaire_id", String(64), nullable=False),
    Column("layout_id", Integer, ForeignKey("questionnaire_versions.id"), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("file_hash", String(64), nullable=False),  # sha256 of the file's bytes: a second import is noticed
    Column("imported", Integer, nullable=False),  # assessments stored
    Column("pooled", Integer, nullable=False),  # … of them with pooling consent
    Column("skipped", Integer, nullable=False),  # bad rows left out
    Column("imported_by", String(64)),
    Column("imported_at", UTCDateTime, nullable=False),
    Index(None, "file_hash"),
)

# which batch (and which row of its file) each imported assessment came from
import_rows = Table(
    "import_rows",
    metadata,
    Column("assessment_id", BigId, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False),
    Column("row_number", Integer, nullable=False),  # the file's row: the header is row 1
    Index(None, "batch_id"),
)

# a column mapping, remembered per questionnaire and set of column headers
import_mappings = Table(
    "import_mappings",
    metadata,
    Column("questionnaire_id", String(64), nullable=False),
    Column("header_key", String(64), nullable=False),  # sha256 of the sorted, normalised headers
    Column("mapping", JSONType, nullable=False),  # {"columns": {header: target}, "defaults": {...}, "day_first": bool}
    Column("updated_by", String(64)),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("questionnaire_id", "header_key", name=conv("pk_import_mappings")),
)
