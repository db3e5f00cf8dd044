"""Summary tables: the pooled figures, kept up to date in the transaction that changes a row.

Why: a staff view at a million assessments would otherwise read every row (SQLite sorted
all of them for a GROUP BY: 2.3 s). ``pool_cells`` holds, per questionnaire version ×
province × sector × size band × round × workshop × month (Vietnam time), the count of
pooled assessments (submitted and consented) and *sums*: of the overall percent, of each
pillar's percent, the count at each overall and pillar level, the count showing each
capability gap. ``pool_progress`` holds the same for pairs of a follow-up and its baseline
(both pooled), in the follow-up's cell: before and after sums per pillar, level up / same /
down. A view sums the cells its filters select: thousands of rows, not millions.

One definition of each figure: ``MEASURES`` and ``PAIR_MEASURES`` say, per column, the SQL
aggregate over assessment rows that fills it. The same expressions

- rebuild a summary from scratch (``rebuild``: INSERT … SELECT … GROUP BY);
- keep it up to date: every change to a set of rows runs ``retract(ids)`` (subtract their
  current contribution), then the change, then ``apply(ids)`` (add the new one), as one
  ``INSERT … SELECT … ON CONFLICT DO UPDATE SET col = col + excluded.col``;
- answer a filter the cells cannot (a language, a day inside a month) straight from the
  assessment rows (store/staff.py).

Every measure is a count or a sum of integers (percents are fixed-point in the rows), so
additions and subtractions leave the cells exact, and a deleted or withdrawn assessment
leaves no trace: cells that fall to zero are deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql import Select

from store.layouts import Layout, load_layouts
from store.models import (
    CELL_KEY,
    LEVELS,
    SLOTS,
    TAG_SLOTS,
    assessments,
    pool_cells,
    pool_progress,
    settings,
    slot_level,
    slot_percent,
    tags,
)

a = assessments
STALE_KEY = "summaries_stale"
REBUILD_LOCK = 0x534D4533  # pg_advisory_xact_lock key while rebuilding


def local_month(dialect: str, column: ColumnElement[Any]) -> ColumnElement[int]:
    """``yyyymm`` of a UTC timestamp in Vietnam (UTC+7, no daylight saving), as an integer."""
    if dialect == "sqlite":
        return cast(func.strftime("%Y%m", column, "+7 hours"), Integer)
    local = func.timezone(literal_column("INTERVAL '+07:00'"), column)
    return cast(func.to_char(local, "YYYYMM"), Integer)


def pooled_rows(row: Any = a) -> ColumnElement[bool]:
    """The rows that may be pooled: submitted and consented."""
    return and_(row.c.status == "submitted", row.c.consent == true())


def key_exprs(dialect: str, row: Any = a) -> dict[str, ColumnElement[Any]]:
    """A row's cell: '' and 0 stand for a profile value or workshop not given."""
    return {
        "layout_id": row.c.layout_id,
        "province": func.coalesce(row.c.province, ""),
        "sector": func.coalesce(row.c.sector, ""),
        "size_band": func.coalesce(row.c.size_band, ""),
        "round": row.c.round,
        "workshop_id": func.coalesce(row.c.workshop_id, 0),
        "month": local_month(dialect, row.c.submitted_at),
    }


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


def _sum(expr: ColumnElement[Any]) -> ColumnElement[int]:
    return func.coalesce(func.sum(expr), 0)


def bit(j: int) -> int:
    return 1 << (j - 1)


@dataclass(frozen=True)
class Measure:
    column: str
    expr: Callable[..., ColumnElement[Any]]  # (row table[, baseline table, slot mapper]) -> aggregate


def _measures() -> list[Measure]:
    out = [
        Measure("n", lambda r: func.count()),
        Measure("percent_sum", lambda r: _sum(r.c.percent)),
        Measure("percent_n", lambda r: func.count(r.c.percent)),
    ]
    out += [Measure(f"level_{lv}", lambda r, lv=lv: _count_if(r.c.overall_level == lv)) for lv in range(LEVELS)]
    out += [Measure(f"p{i}_sum", lambda r, i=i: _sum(r.c[slot_percent(i)])) for i in range(1, SLOTS + 1)]
    out += [
        Measure(f"p{i}_l{lv}", lambda r, i=i, lv=lv: _count_if(r.c[slot_level(i)] == lv))
        for i in range(1, SLOTS + 1)
        for lv in range(LEVELS)
    ]
    out += [Measure(f"g{j}", lambda r, j=j: _count_if(r.c.gap_mask.op("&")(bit(j)) != 0)) for j in range(1, TAG_SLOTS + 1)]
    return out


MEASURES = _measures()


# ---------------------------------------------------------------- progress pairs

SlotMap = Callable[[int], ColumnElement[Any] | None]


def baseline_slot(layouts: Sequence[Layout], f: Any, b: Any) -> Callable[[int, str], ColumnElement[Any] | None]:
    """For the follow-up's slot ``i``, the baseline's column holding the same pillar id (the
    baseline may be on another version with the pillars in another order)."""
    by_id = {lay.id: lay for lay in layouts}

    def pick(i: int, kind: str) -> ColumnElement[Any] | None:
        name = slot_percent if kind == "percent" else slot_level
        whens = []
        straight = True
        for fl in layouts:
            if i > len(fl.pillar_ids):
                continue
            pid = fl.pillar_ids[i - 1]
            for bl in by_id.values():
                if pid in bl.pillar_ids:
                    j = bl.pillar_ids.index(pid) + 1
                    straight &= j == i
                    whens.append((and_(f.c.layout_id == fl.id, b.c.layout_id == bl.id), b.c[name(j)]))
                else:
                    straight = False
        if not whens:
            return None
        if straight:
            return b.c[name(i)]
        return case(*whens, else_=None)

    return pick


def _pair_measures(layouts: Sequence[Layout], f: Any, b: Any) -> dict[str, ColumnElement[Any]]:
    pick = baseline_slot(layouts, f, b)
    both_percent = and_(f.c.percent.is_not(None), b.c.percent.is_not(None))
    out: dict[str, ColumnElement[Any]] = {
        "n": func.count(),
        "before_level_sum": _sum(b.c.overall_level),
        "after_level_sum": _sum(f.c.overall_level),
        "level_up": _count_if(f.c.overall_level > b.c.overall_level),
        "level_same": _count_if(f.c.overall_level == b.c.overall_level),
        "level_down": _count_if(f.c.overall_level < b.c.overall_level),
        "percent_n": _count_if(both_percent),
        "before_percent_sum": _sum(case((both_percent, b.c.percent), else_=None)),
        "after_percent_sum": _sum(case((both_percent, f.c.percent), else_=None)),
    }
    for i in range(1, SLOTS + 1):
        before = pick(i, "percent")
        if before is None:
            out[f"p{i}_n"] = literal(0)
            out[f"p{i}_before"] = literal(0)
            out[f"p{i}_after"] = literal(0)
            continue
        both = and_(f.c[slot_percent(i)].is_not(None), before.is_not(None))
        out[f"p{i}_n"] = _count_if(both)
        out[f"p{i}_before"] = _sum(case((both, before), else_=None))
        out[f"p{i}_after"] = _sum(case((both, f.c[slot_percent(i)]), else_=None))
    return out


def pair_source(layouts: Sequence[Layout]) -> tuple[Any, Any, dict[str, ColumnElement[Any]]]:
    f = a.alias("f")
    b = a.alias("b")
    return f, b, _pair_measures(layouts, f, b)


# ---------------------------------------------------------------- statements


def live_columns(layouts: Sequence[Layout], tag_count: int) -> set[str]:
    """The measures that can be non-zero: the slots, levels and tags in use. The others are
    written as 0 without evaluating an aggregate (half of them, for a DBI-shaped database)."""
    slots = max((len(lay.pillar_ids) for lay in layouts), default=0)
    levels = {lv for lay in layouts for lv in lay.levels}
    live = {"n", "percent_sum", "percent_n"}
    live |= {f"level_{lv}" for lv in levels}
    live |= {f"p{i}_sum" for i in range(1, slots + 1)}
    live |= {f"p{i}_l{lv}" for i in range(1, slots + 1) for lv in levels}
    live |= {f"g{j}" for j in range(1, tag_count + 1)}
    return live


def _cells_select(dialect: str, where: ColumnElement[bool] | None, sign: int, live: set[str] | None = None) -> Select[Any]:
    keys = key_exprs(dialect)
    cols = [v.label(k) for k, v in keys.items()]
    cols += [
        (m.expr(a) * sign if sign != 1 else m.expr(a)).label(m.column) if live is None or m.column in live
        else literal(0).label(m.column)
        for m in MEASURES
    ]
    stmt = select(*cols).where(pooled_rows())
    if where is not None:
        stmt = stmt.where(where)
    return stmt.group_by(*keys.values())


def _pairs_select(dialect: str, layouts: Sequence[Layout], where: Callable[[Any, Any], ColumnElement[bool]] | None, sign: int) -> Select[Any]:
    f, b, measures = pair_source(layouts)
    keys = key_exprs(dialect, f)
    cols = [v.label(k) for k, v in keys.items()]
    cols += [(expr * sign if sign != 1 else expr).label(name) for name, expr in measures.items()]
    stmt = (
        select(*cols)
        .select_from(f.join(b, b.c.id == f.c.previous_id))
        .where(pooled_rows(f), pooled_rows(b), f.c.round == "follow_up")
    )
    if where is not None:
        stmt = stmt.where(where(f, b))
    return stmt.group_by(*keys.values())


def _add(conn: Connection, table: Any, stmt: Select[Any]) -> None:
    """Add the grouped (signed) contribution ``stmt`` computes to ``table``'s cells:
    ``INSERT … ON CONFLICT DO UPDATE SET col = col + excluded.col`` per cell, then, for a
    subtraction, delete the cells it emptied (by their keys: no scan of the table)."""
    rows = conn.execute(stmt).mappings().all()
    if not rows:
        return
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    ins = insert(table)
    measures = [c.name for c in stmt.selected_columns if c.name not in CELL_KEY]
    ins = ins.on_conflict_do_update(index_elements=list(CELL_KEY), set_={m: table.c[m] + ins.excluded[m] for m in measures})
    conn.execute(ins, [dict(r) for r in rows])
    if rows[0]["n"] < 0:
        keys = [{f"k_{k}": r[k] for k in CELL_KEY} for r in rows]
        conn.execute(
            delete(table).where(*(table.c[k] == bindparam(f"k_{k}") for k in CELL_KEY), table.c.n <= 0), keys
        )


def _names(stmt: Select[Any]) -> list[str]:
    return [c.name for c in stmt.selected_columns]


def _apply(conn: Connection, ids: Sequence[int], sign: int, layouts: Sequence[Layout] | None = None) -> None:
    if not ids:
        return
    dialect = conn.dialect.name
    ids = list(ids)
    layouts = layouts if layouts is not None else load_layouts(conn)
    _add(conn, pool_cells, _cells_select(dialect, a.c.id.in_(ids), sign, live_columns(layouts, _tag_count(conn))))
    # the pairs these rows are in: as the follow-up, or as the baseline of a follow-up (found
    # through the previous_id index first: an OR across the join would read every row)
    follow_ups = set(ids) | set(conn.execute(select(a.c.id).where(a.c.previous_id.in_(ids))).scalars())
    _add(conn, pool_progress, _pairs_select(dialect, layouts, lambda f, b: f.c.id.in_(sorted(follow_ups)), sign))


def retract(conn: Connection, ids: Iterable[int], layouts: Sequence[Layout] | None = None) -> None:
    """Subtract the current contribution of these rows (call before changing them)."""
    _apply(conn, list(ids), -1, layouts)


def apply(conn: Connection, ids: Iterable[int], layouts: Sequence[Layout] | None = None) -> None:
    """Add the contribution of these rows as they are now (call after changing them)."""
    _apply(conn, list(ids), 1, layouts)


def rebuild(conn: Connection) -> None:
    """Both summaries from scratch, from the assessment rows (one transaction)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(REBUILD_LOCK)))
    dialect = conn.dialect.name
    conn.execute(delete(pool_cells))
    conn.execute(delete(pool_progress))
    layouts = load_layouts(conn)
    cells = _cells_select(dialect, None, 1, live_columns(layouts, _tag_count(conn)))
    conn.execute(pool_cells.insert().from_select(_names(cells), cells))
    pairs = _pairs_select(dialect, layouts, None, 1)
    conn.execute(pool_progress.insert().from_select(_names(pairs), pairs))
    conn.execute(delete(settings).where(settings.c.key == STALE_KEY))


def _tag_count(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(tags.c.slot), 0))).scalar_one())


def is_stale(conn: Connection) -> bool:
    return conn.execute(select(settings.c.value).where(settings.c.key == STALE_KEY)).scalar() is not None


def mark_stale(conn: Connection) -> None:
    conn.execute(delete(settings).where(settings.c.key == STALE_KEY))
    conn.execute(settings.insert().values(key=STALE_KEY, value="1"))


__all__ = [
    "MEASURES",
    "apply",
    "baseline_slot",
    "is_stale",
    "key_exprs",
    "local_month",
    "mark_stale",
    "pair_source",
    "pooled_rows",
    "rebuild",
    "retract",
]
