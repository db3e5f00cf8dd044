"""Pooled figures for programme staff and workshop rooms, computed in SQL.

Every aggregate is one ``GROUP BY`` over the assessments table (AVG and COUNT; level
distributions as ``COUNT(*) FILTER (WHERE level = L)``, the standard form of
``SUM(CASE …)``, measured ~1.5× faster on SQLite and native on PostgreSQL); only the
grouped rows reach Python.

Pooling needs consent: only submitted, consented assessments count, and a group of fewer
than ``k`` firms (default 5) is left out entirely (``HAVING COUNT(*) >= k``), so a small
group cannot be singled out.

On SQLite the broad filters are written ``+column`` (see ``no_index``): a pooled aggregate
reads most of the table, and SQLite's planner would otherwise walk an index (province,
submission date) and fetch each row at random, 3–5× slower than one sequential scan. A
workshop filter keeps its index: a workshop is a few dozen rows.

Days and months are Vietnamese calendar days (UTC+7, no daylight saving): a programme that
filters "from 1 January" means the morning of 1 January in Hà Nội, not in Greenwich.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Float, and_, cast, func, literal_column, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from store.errors import InvalidValue
from store.layouts import PillarColumns, levels_of, load_layouts, pillar_columns
from store.models import assessments
from store.records import PeerBenchmark

a = assessments
LOCAL_TZ = timezone(timedelta(hours=7), "ICT")
DEFAULT_K = 5

Choice = str | Sequence[str] | None


@dataclass(frozen=True)
class Filters:
    """What to pool. ``None`` means no restriction; a sequence means any of its values.

    ``date_from``/``date_to`` bound the submission time; a ``date`` is a whole Vietnamese
    calendar day and both ends are inclusive.
    """

    questionnaire_id: Choice = None
    questionnaire_version: Choice = None
    province: Choice = None
    sector: Choice = None
    size_band: Choice = None
    workshop_id: int | Sequence[int] | None = None
    round: Choice = None
    language: Choice = None
    date_from: date | datetime | None = None
    date_to: date | datetime | None = None

    def __post_init__(self) -> None:
        # lists become tuples: a Filters is hashable, so st.cache_data can key on it
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (list, set, frozenset)):
                object.__setattr__(self, f.name, tuple(sorted(value)) if isinstance(value, (set, frozenset)) else tuple(value))


class no_index(ColumnElement[Any]):
    """A column the SQLite planner may not use an index for (rendered ``+column``; unary
    plus changes no value). Elsewhere it is just the column."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(no_index)
def _plain(element: no_index, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(no_index, "sqlite")
def _unindexed(element: no_index, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


def _local_start(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day if day.tzinfo else day.replace(tzinfo=LOCAL_TZ)
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def filter_conditions(filters: Filters, scan: bool = False) -> list[ColumnElement[bool]]:
    """The filters as SQL. ``scan``: the caller reads much of the table, so keep SQLite off
    the indexes except the selective workshop one."""

    def col(name: str) -> ColumnElement[Any]:
        return no_index(a.c[name]) if scan and name != "workshop_id" else a.c[name]

    conds: list[ColumnElement[bool]] = []
    for name in ("questionnaire_id", "questionnaire_version", "province", "sector", "size_band", "workshop_id", "round", "language"):
        wanted = getattr(filters, name)
        if wanted is None:
            continue
        column = col(name)
        if isinstance(wanted, (str, int)):
            conds.append(column == wanted)
        else:
            conds.append(column.in_(list(wanted)))
    submitted_at = col("submitted_at")
    if filters.date_from is not None:
        conds.append(submitted_at >= _local_start(filters.date_from))
    if filters.date_to is not None:
        if isinstance(filters.date_to, datetime):
            conds.append(submitted_at <= _local_start(filters.date_to))
        else:
            conds.append(submitted_at < _local_start(filters.date_to + timedelta(days=1)))
    return conds


def pooled(filters: Filters, scan: bool = False) -> list[ColumnElement[bool]]:
    """The rows that may be pooled: submitted, consented, and inside the filters."""
    status, consent = (no_index(a.c.status), no_index(a.c.consent)) if scan else (a.c.status, a.c.consent)
    return [status == "submitted", consent == true(), *filter_conditions(filters, scan)]


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


def local_period(dialect: str, column: ColumnElement[Any], period: str) -> ColumnElement[str]:
    """``YYYY-MM-DD`` (day), ``YYYY-MM`` (month) or ``YYYY`` (year) of a UTC timestamp, in Vietnam."""
    if dialect == "sqlite":
        fmt = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[period]
        return func.strftime(fmt, column, "+7 hours")
    fmt = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[period]
    return func.to_char(func.timezone(literal_column("INTERVAL '+07:00'"), column), fmt)


GROUPS = ("province", "sector", "size_band", "round", "language", "workshop_id", "questionnaire_id", "questionnaire_version", "month", "year")


def group_column(dialect: str, name: str) -> ColumnElement[Any]:
    if name not in GROUPS:
        raise InvalidValue(f"cannot group by {name!r}; choose from {', '.join(GROUPS)}")
    if name in ("month", "year"):
        return local_period(dialect, a.c.submitted_at, name)
    # not the index order: sorting the filtered rows beats fetching every row through an index
    return no_index(a.c[name])


def _pillar_label(pid: str, taken: set[str]) -> str:
    return f"pillar_{pid}" if pid in taken else pid


def aggregate(
    conn: Connection,
    filters: Filters | None = None,
    by: Sequence[str] = (),
    k: int = DEFAULT_K,
    *,
    pillar_levels: bool = False,
) -> pd.DataFrame:
    """One row per group with at least ``k`` firms.

    Columns: the ``by`` columns; ``n``; one column per pillar id with the mean pillar
    percent; ``percent``, ``total`` and ``overall_level`` means; ``level_<L>`` counts of
    the overall level; with ``pillar_levels``, ``<pillar>_level_<L>`` counts too. Groups
    are ordered by the ``by`` columns, empty values last.
    """
    filters = filters or Filters()
    if isinstance(by, str):
        by = [by]
    if k < 1:
        raise InvalidValue("k must be at least 1")
    dialect = conn.dialect.name
    layouts = load_layouts(conn, filters.questionnaire_id, filters.questionnaire_version)
    pillars = pillar_columns(layouts)
    levels = levels_of(layouts)
    keys = [group_column(dialect, name).label(name) for name in by]
    taken = {*by, "n", "percent", "total", "overall_level"}
    count_cols: list[str] = ["n"]
    cols: list[Any] = [*keys, func.count().label("n")]
    for p in pillars:
        cols.append(func.avg(p.percent).label(_pillar_label(p.pillar_id, taken)))
    cols += [
        func.avg(a.c.percent).label("percent"),
        func.avg(a.c.total).label("total"),
        func.avg(cast(a.c.overall_level, Float)).label("overall_level"),
    ]
    for lv in levels:
        count_cols.append(f"level_{lv}")
        cols.append(count_where(a.c.overall_level == lv).label(count_cols[-1]))
    if pillar_levels:
        for p in pillars:
            for lv in levels:
                count_cols.append(f"{p.pillar_id}_level_{lv}")
                cols.append(count_where(p.level == lv).label(count_cols[-1]))
    stmt = select(*cols).where(*pooled(filters, scan=True)).having(func.count() >= k)
    if keys:
        stmt = stmt.group_by(*keys).order_by(*(key.nulls_last() for key in keys))
    rows = conn.execute(stmt).all()
    names = [c.name for c in cols]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=names)
    for name in names[len(keys) :]:
        frame[name] = frame[name].astype("int64" if name in count_cols else "float64")
    return frame


def peer_benchmark(
    conn: Connection,
    questionnaire_id: str,
    sector: str | None,
    size_band: str | None,
    k: int = DEFAULT_K,
    exclude_id: int | None = None,
) -> PeerBenchmark | None:
    """Means over firms like this one; ``None`` when fewer than ``k`` (a ``None`` sector or
    size band widens the peer group to all of them)."""
    layouts = load_layouts(conn, questionnaire_id)
    pillars = pillar_columns(layouts)
    levels = levels_of(layouts)
    conds = pooled(Filters(questionnaire_id=questionnaire_id, sector=sector, size_band=size_band))
    if exclude_id is not None:
        conds.append(a.c.id != exclude_id)
    cols: list[Any] = [
        func.count().label("n"),
        func.avg(cast(a.c.overall_level, Float)).label("overall_level"),
        func.avg(a.c.percent).label("percent"),
        *[func.avg(p.percent).label(f"p_{i}") for i, p in enumerate(pillars)],
        *[count_where(a.c.overall_level == lv).label(f"l_{lv}") for lv in levels],
    ]
    row = conn.execute(select(*cols).where(and_(*conds))).one()._mapping
    n = int(row["n"])
    if n < max(k, 1):
        return None
    means = {p.pillar_id: float(row[f"p_{i}"]) for i, p in enumerate(pillars) if row[f"p_{i}"] is not None}
    return PeerBenchmark(
        n=n,
        pillars=means,
        overall_level_mean=float(row["overall_level"]),
        percent_mean=None if row["percent"] is None else float(row["percent"]),
        level_counts={lv: int(row[f"l_{lv}"]) for lv in levels},
    )


def row_columns(pillars: Sequence[PillarColumns]) -> list[Any]:
    """Per-row pillar columns, named like scoring.bulk: ``<pillar>_percent``, ``<pillar>_level``."""
    out: list[Any] = []
    for p in pillars:
        out += [p.percent.label(f"{p.pillar_id}_percent"), p.level.label(f"{p.pillar_id}_level")]
    return out


def workshop_results(conn: Connection, workshop_id: int, include_drafts: bool = False) -> pd.DataFrame:
    """The room, a row per firm, for the workshop's facilitator (not pooled, so not limited
    to consented rows: the firms answered in the facilitator's session; ``consent`` says
    which of them may also be pooled)."""
    layout_ids = conn.execute(select(a.c.layout_id).where(a.c.workshop_id == workshop_id).distinct()).scalars().all()
    pillars = pillar_columns(load_layouts(conn, ids=list(layout_ids))) if layout_ids else []
    base = [
        a.c.id, a.c.status, a.c.firm_name, a.c.sector, a.c.size_band, a.c.province, a.c.staff,
        a.c.round, a.c.language, a.c.consent, a.c.step, a.c.created_at, a.c.submitted_at,
        a.c.total, a.c.max_total, a.c.percent, a.c.overall_level,
    ]
    cols = [*base, *row_columns(pillars)]
    stmt = select(*cols).where(a.c.workshop_id == workshop_id).order_by(a.c.id)
    if not include_drafts:
        stmt = stmt.where(a.c.status == "submitted")
    rows = conn.execute(stmt).all()
    names = [c.key if hasattr(c, "key") else c.name for c in cols]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=names)
    for name in ("total", "max_total", "percent", *[f"{p.pillar_id}_percent" for p in pillars]):
        frame[name] = frame[name].astype("float64")
    for name in ("overall_level", "staff", *[f"{p.pillar_id}_level" for p in pillars]):
        frame[name] = frame[name].astype("Int64")
    for name in ("created_at", "submitted_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame
