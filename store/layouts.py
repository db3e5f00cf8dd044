"""Questionnaire versions in the database: their content, pillar slots and gap-tag bits.

Each version used is one ``questionnaire_versions`` row, written when first used and kept
for good, with the questionnaire itself (``content``: the validated model as JSON), so an
assessment answered on it can be decoded, shown and scored again after the file changed
(``questionnaire_from_content``).

Which pillar sits in which slot column, per questionnaire version:

Rows keep pillar results in ``p1_*`` … ``p8_*`` in their questionnaire's pillar order. To
name aggregate columns by pillar id, read the few layout rows first and build, per pillar,
an SQL expression picking the right slot. When every layout in scope puts a pillar in the
same slot (the usual case) that is the bare column; when versions differ it is a
``CASE layout_id …`` choosing the slot per row, so aggregates across versions stay correct
and still one scan of one table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from scoring.model import NumberQuestion, Questionnaire
from store.db import utcnow
from store.errors import InvalidValue
from store.models import SLOTS, TAG_SLOTS, assessments, questionnaire_versions, slot_level, slot_percent, tags

TAG_LOCK = 0x534D4532  # pg_advisory_xact_lock key while registering new gap tags

qv = questionnaire_versions


@dataclass(frozen=True)
class Layout:
    id: int
    questionnaire_id: str
    version: str
    content_hash: str
    pillar_ids: tuple[str, ...]
    levels: tuple[int, ...]


@dataclass(frozen=True)
class PillarColumns:
    pillar_id: str
    percent: ColumnElement[float]
    level: ColumnElement[int]


def questionnaire_content(questionnaire: Questionnaire) -> str:
    """The questionnaire as stored: its validated model as JSON (YAML aliases, defaults and
    yes/no labels already resolved), without the hash (kept in its own column)."""
    return questionnaire.model_dump_json(by_alias=True, exclude={"content_hash"})


def questionnaire_from_content(content: str, content_hash: str) -> Questionnaire:
    return Questionnaire.model_validate_json(content).model_copy(update={"content_hash": content_hash})


def gap_tags(questionnaire: Questionnaire) -> list[str]:
    """Every capability-gap tag an answer to this questionnaire can reveal, in file order."""
    found: list[str] = []
    for _, q in questionnaire.questions():
        items = q.bands if isinstance(q, NumberQuestion) else getattr(q, "options", ())
        for item in items:
            found += [t for t in item.gaps if t not in found]
    return found


def load_tags(conn: Connection) -> dict[str, int]:
    return {tag: int(slot) for slot, tag in conn.execute(select(tags.c.slot, tags.c.tag))}


def ensure_tags(conn: Connection, wanted: Sequence[str]) -> dict[str, int]:
    """Slots for ``wanted`` (new tags take the next free slots; a slot is never reused)."""
    known = load_tags(conn)
    missing = [t for t in wanted if t not in known]
    if not missing:
        return known
    if conn.dialect.name == "postgresql":  # two servers registering the same new tag: one waits
        conn.execute(select(func.pg_advisory_xact_lock(TAG_LOCK)))
        known = load_tags(conn)
        missing = [t for t in wanted if t not in known]
    top = max(known.values(), default=0)
    if top + len(missing) > TAG_SLOTS:
        raise InvalidValue(
            f"{top + len(missing)} distinct capability-gap tags; the store counts at most {TAG_SLOTS}"
        )
    for i, tag in enumerate(missing, start=top + 1):
        conn.execute(tags.insert().values(slot=i, tag=tag))
        known[tag] = i
    return known


def ensure_layout(conn: Connection, questionnaire: Questionnaire) -> int:
    """The layout row's id for this questionnaire version (created on first use, with its
    content; a row from before revision 0002 gets its content now). Its gap tags get slots.

    ``INSERT … ON CONFLICT DO NOTHING`` then ``SELECT``: app servers submitting the first
    answers to a new version at the same moment all end up with the one row.
    """
    if not questionnaire.content_hash:
        raise InvalidValue(f"questionnaire {questionnaire.id} has no content hash: load it with scoring.loader")
    pillar_ids = [p.id for p in questionnaire.pillars]
    if len(pillar_ids) > SLOTS:
        raise InvalidValue(
            f"questionnaire {questionnaire.id} has {len(pillar_ids)} pillars; the store keeps at most {SLOTS}"
        )
    key = {
        "questionnaire_id": questionnaire.id,
        "version": questionnaire.version,
        "content_hash": questionnaire.content_hash,
    }
    content = questionnaire_content(questionnaire)
    values = {
        **key,
        "pillar_ids": pillar_ids,
        "levels": sorted(lv.level for lv in questionnaire.levels),
        "created_at": utcnow(),
        "content": content,
    }
    ensure_tags(conn, gap_tags(questionnaire))
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(insert(qv).values(**values).on_conflict_do_nothing(index_elements=list(key)))
    found, stored = conn.execute(
        select(qv.c.id, qv.c.content).where(*(qv.c[name] == value for name, value in key.items()))
    ).one()
    if stored is None:
        conn.execute(qv.update().where(qv.c.id == found).values(content=content))
    return int(found)


def load_layouts(
    conn: Connection,
    questionnaire_id: str | Sequence[str] | None = None,
    version: str | Sequence[str] | None = None,
    ids: Sequence[int] | None = None,
) -> list[Layout]:
    stmt = select(qv).order_by(qv.c.id)
    for column, wanted in ((qv.c.questionnaire_id, questionnaire_id), (qv.c.version, version), (qv.c.id, ids)):
        if wanted is None:
            continue
        if isinstance(wanted, str):
            stmt = stmt.where(column == wanted)
        else:
            stmt = stmt.where(column.in_(list(wanted)))
    return [
        Layout(r.id, r.questionnaire_id, r.version, r.content_hash, tuple(r.pillar_ids), tuple(r.levels))
        for r in conn.execute(stmt)
    ]


def pillar_columns(layouts: Sequence[Layout]) -> list[PillarColumns]:
    """Per pillar id (in order of first appearance, newest layout first), the SQL for its
    percent and level on an assessments row."""
    order: list[str] = []
    for layout in sorted(layouts, key=lambda lay: -lay.id):
        order += [pid for pid in layout.pillar_ids if pid not in order]
    out = []
    for pid in order:
        by_slot: dict[int, list[int]] = {}
        for layout in layouts:
            if pid in layout.pillar_ids:
                by_slot.setdefault(layout.pillar_ids.index(pid) + 1, []).append(layout.id)
        out.append(
            PillarColumns(pid, _pick(by_slot, len(layouts), slot_percent), _pick(by_slot, len(layouts), slot_level))
        )
    return out


def _pick(by_slot: dict[int, list[int]], n_layouts: int, name) -> ColumnElement:
    if len(by_slot) == 1:
        slot, ids = next(iter(by_slot.items()))
        if len(ids) == n_layouts:
            return assessments.c[name(slot)]
    whens = [(assessments.c.layout_id.in_(ids), assessments.c[name(slot)]) for slot, ids in sorted(by_slot.items())]
    return case(*whens, else_=None)


def levels_of(layouts: Sequence[Layout]) -> list[int]:
    return sorted({lv for layout in layouts for lv in layout.levels})
