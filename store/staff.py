"""Programme-staff views of the pooled results: the data layer the staff pages call.

``store.staff`` (a ``StaffViews``) answers, for a ``Filters`` (questionnaire and version,
period, province, sector, size band, round, workshop or association, language):

- ``overview(filters)`` → ``Overview``: number of firms, overall level distribution, mean
  percent, and per pillar the mean and the level distribution;
- ``breakdown(filters, by)`` → a row per province / sector / size band / month … group;
- ``compare(group, against=None)`` → per pillar, a group against another or the whole pool,
  with the difference;
- ``needs(filters, by=None)`` → how many firms show each capability gap (the catalogue's
  category ids the engine reports in ``Result.gaps``), by group, most common first;
- ``progress(filters, period="quarter")`` → firms with a baseline and a follow-up: change
  per pillar and in level, by month, quarter or year of the follow-up;
- ``export_rows(out, fmt, filters)`` and ``export_tables(out, filters)``: the rows (CSV,
  XLSX, Parquet, streamed; store/export.py) and these tables (XLSX, a sheet per view).

Privacy: only submitted assessments with pooling consent; every group of fewer than ``k``
firms (``Store.min_group_size()``, the ``settings`` table, default 5) comes back with
``suppressed = True`` and no figures; no firm names anywhere.

How it stays fast: the figures come from the summary tables (store/summary.py: thousands of
cells instead of millions of rows; filters never load rows into pandas, only the grouped
sums come back). A filter the cells cannot answer (a language, a date inside a month)
reads the assessment rows with the very same aggregate expressions that fill the cells,
so both roads give the same figures (a test compares them).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Connection, Integer, and_, case, cast, func, select

from store import summary
from store.aggregates import LOCAL_TZ, Filters
from store.errors import InvalidValue
from store.layouts import Layout, load_layouts, load_tags
from store.models import LEVELS, PERCENT_SCALE, SLOTS, assessments, pool_cells, pool_progress, rescores, workshops

if TYPE_CHECKING:
    from scoring.model import Questionnaire
    from store.repository import Store

a = assessments
DIMENSIONS = ("province", "sector", "size_band", "round", "workshop_id", "month", "quarter", "year", "questionnaire_version", "language")
PERIODS = ("month", "quarter", "year")
SUPPRESSED = "suppressed"


# ---------------------------------------------------------------- filters → SQL


def _month_of(day: date) -> int:
    return day.year * 100 + day.month


def _whole_months(filters: Filters) -> bool:
    """Can the cells answer this period? Only whole calendar months (Vietnam time)."""
    for value, end in ((filters.date_from, False), (filters.date_to, True)):
        if value is None:
            continue
        if isinstance(value, datetime):
            return False
        if not end and value.day != 1:
            return False
        if end and value.day != calendar.monthrange(value.year, value.month)[1]:
            return False
    return True


def uses_cells(filters: Filters) -> bool:
    """True when the summary cells can answer these filters (else the rows are read)."""
    return filters.language is None and _whole_months(filters)


def _choice(column: ColumnElement[Any], wanted: Any, *, blank: Any = None) -> ColumnElement[bool] | None:
    if wanted is None:
        return None
    values = [wanted] if isinstance(wanted, (str, int)) else list(wanted)
    if blank is not None:
        values = [blank if v is None else v for v in values]
    return column == values[0] if len(values) == 1 else column.in_(values)


def layout_ids(layouts: Sequence[Layout], filters: Filters) -> list[int]:
    def wanted(value: Any) -> set[str] | None:
        return None if value is None else ({value} if isinstance(value, str) else set(value))

    qids, versions = wanted(filters.questionnaire_id), wanted(filters.questionnaire_version)
    return [
        lay.id
        for lay in layouts
        if (qids is None or lay.questionnaire_id in qids) and (versions is None or lay.version in versions)
    ]


def workshop_ids(conn: Connection, filters: Filters) -> list[int] | None:
    """The workshop filter, with an association turned into its workshops' ids."""
    ids: set[int] | None = None
    if filters.workshop_id is not None:
        ids = {filters.workshop_id} if isinstance(filters.workshop_id, int) else set(filters.workshop_id)
    if filters.association is not None:
        names = [filters.association] if isinstance(filters.association, str) else list(filters.association)
        found = set(conn.execute(select(workshops.c.id).where(workshops.c.association.in_(names))).scalars())
        ids = found if ids is None else ids & found
    return None if ids is None else sorted(ids)


def _local_start(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day if day.tzinfo else day.replace(tzinfo=LOCAL_TZ)
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def _conditions(
    conn: Connection,
    filters: Filters,
    cols: dict[str, ColumnElement[Any]],
    layouts: Sequence[Layout],
    *,
    raw: bool,
    submitted_at: Any = None,
) -> list[ColumnElement[bool]]:
    """The filters on summary cells (``raw`` False: '' and 0 stand for "not given", periods
    are months) or on assessment rows (``submitted_at``: the row alias's column, for pairs)."""
    conds: list[ColumnElement[bool]] = []
    if filters.questionnaire_id is not None or filters.questionnaire_version is not None:
        conds.append(cols["layout_id"].in_(layout_ids(layouts, filters) or [-1]))
    blank = None if raw else ""
    for name in ("province", "sector", "size_band", "round"):
        cond = _choice(cols[name], getattr(filters, name), blank=blank)
        if cond is not None:
            conds.append(cond)
    ws = workshop_ids(conn, filters)
    if ws is not None:
        conds.append(cols["workshop_id"].in_(ws or [-1]))
    if raw:
        if filters.language is not None:
            conds.append(_choice(a.c.language if submitted_at is None else submitted_at.table.c.language, filters.language))
        at = submitted_at if submitted_at is not None else a.c.submitted_at
        if filters.date_from is not None:
            conds.append(at >= _local_start(filters.date_from))
        if filters.date_to is not None:
            if isinstance(filters.date_to, datetime):
                conds.append(at <= _local_start(filters.date_to))
            else:
                conds.append(at < _local_start(filters.date_to + timedelta(days=1)))
    else:
        if filters.date_from is not None:
            conds.append(cols["month"] >= _month_of(filters.date_from))
        if filters.date_to is not None:
            conds.append(cols["month"] <= _month_of(filters.date_to))
    return conds


def row_filter(conn: Connection, filters: Filters, *, pooled: bool = True) -> list[ColumnElement[bool]]:
    """The filters as conditions on assessment rows (exports, re-scoring)."""
    dialect = conn.dialect.name
    cols = {**summary.key_exprs(dialect), "layout_id": a.c.layout_id, "province": a.c.province, "sector": a.c.sector,
            "size_band": a.c.size_band, "round": a.c.round, "workshop_id": a.c.workshop_id}
    conds = _conditions(conn, filters, cols, load_layouts(conn), raw=True)
    return [summary.pooled_rows(), *conds] if pooled else conds


def _period(name: str, month: ColumnElement[int]) -> ColumnElement[int]:
    if name == "month":
        return month
    if name == "year":
        return month // 100
    return (month // 100) * 10 + ((month % 100) - 1) // 3 + 1  # yyyyq


def _dimension(name: str, cols: dict[str, ColumnElement[Any]]) -> ColumnElement[Any]:
    if name in PERIODS:
        return cast(_period(name, cols["month"]), Integer)
    return cols[name]


def period_label(name: str, value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    value = int(value)
    if name == "month":
        return f"{value // 100:04d}-{value % 100:02d}"
    if name == "quarter":
        return f"{value // 10:04d}-Q{value % 10}"
    return f"{value:04d}"


# ---------------------------------------------------------------- the one query


def _grouped(
    conn: Connection,
    filters: Filters,
    by: Sequence[str],
    measures: Sequence[str],
    *,
    pairs: bool = False,
    layouts: Sequence[Layout] | None = None,
) -> pd.DataFrame:
    """Sums of ``measures`` (summary column names) per ``by`` group and layout: from the
    cells when they can answer, else from the rows with the same expressions."""
    for name in by:
        if name not in DIMENSIONS:
            raise InvalidValue(f"cannot group by {name!r}; choose from {', '.join(DIMENSIONS)}")
    layouts = list(layouts) if layouts is not None else load_layouts(conn)
    dialect = conn.dialect.name
    version_of = {lay.id: lay.version for lay in layouts}
    group_by = [n for n in by if n != "questionnaire_version"]
    if uses_cells(filters) and "language" not in by:
        table = pool_progress if pairs else pool_cells
        cols = {c.name: c for c in table.c}
        keys = [_dimension(n, cols).label(n) for n in group_by] + [cols["layout_id"].label("layout_id")]
        stmt = select(*keys, *[func.sum(cols[m]).label(m) for m in measures]).where(
            *_conditions(conn, filters, cols, layouts, raw=False)
        )
    else:
        if pairs:
            f, b, pair_measures = summary.pair_source(layouts)
            cols = summary.key_exprs(dialect, f)
            cols = {**cols, "layout_id": f.c.layout_id, "province": f.c.province, "sector": f.c.sector,
                    "size_band": f.c.size_band, "round": f.c.round, "workshop_id": f.c.workshop_id, "language": f.c.language}
            exprs = [pair_measures[m].label(m) for m in measures]
            base = (
                select()
                .select_from(f.join(b, b.c.id == f.c.previous_id))
                .where(summary.pooled_rows(f), summary.pooled_rows(b), f.c.round == "follow_up")
            )
            where = _conditions(conn, filters, cols, layouts, raw=True, submitted_at=f.c.submitted_at)
        else:
            by_name = {m.column: m for m in summary.MEASURES}
            cols = {**summary.key_exprs(dialect), "layout_id": a.c.layout_id, "province": a.c.province, "sector": a.c.sector,
                    "size_band": a.c.size_band, "round": a.c.round, "workshop_id": a.c.workshop_id, "language": a.c.language}
            exprs = [by_name[m].expr(a).label(m) for m in measures]
            base = select().select_from(a).where(summary.pooled_rows())
            where = _conditions(conn, filters, cols, layouts, raw=True)
        keys = [_dimension(n, cols).label(n) for n in group_by] + [cols["layout_id"].label("layout_id")]
        stmt = base.add_columns(*keys, *exprs).where(*where)
    stmt = stmt.group_by(*keys)
    rows = conn.execute(stmt).all()
    columns = list(zip(*rows)) if rows else [() for _ in range(len(keys) + len(measures))]
    dims: dict[str, list[Any]] = {}
    for name, values in zip(group_by, columns):
        if name in ("province", "sector", "size_band"):
            values = [None if v == "" else v for v in values]
        elif name == "workshop_id":
            values = [None if v == 0 else v for v in values]
        dims[name] = list(values)
    layout = np.array(columns[len(group_by)], dtype=np.int64)
    if "questionnaire_version" in by:
        dims["questionnaire_version"] = [version_of.get(int(x)) for x in layout]
    values = {}
    for m, col in zip(measures, columns[len(keys):]):
        try:
            values[m] = np.array(col, dtype=np.int64)
        except TypeError:  # a NULL sum (no row): none here, but never a wrong figure
            values[m] = np.array([0 if v is None else int(v) for v in col], dtype=np.int64)
    return Sums([n for n in by], dims, layout, values)


@dataclass(frozen=True)
class PillarMap:
    """Which pillar ids the layouts in scope have, in order, and their levels."""

    pillar_ids: list[str]
    levels: list[int]
    slots: dict[int, dict[str, int]]  # layout id -> {pillar id: slot}

    @classmethod
    def of(cls, layouts: Sequence[Layout]) -> PillarMap:
        order: list[str] = []
        for lay in sorted(layouts, key=lambda x: -x.id):
            order += [p for p in lay.pillar_ids if p not in order]
        levels = sorted({lv for lay in layouts for lv in lay.levels})
        slots = {lay.id: {pid: i for i, pid in enumerate(lay.pillar_ids, start=1)} for lay in layouts}
        return cls(order, levels, slots)

    @property
    def max_slot(self) -> int:
        return max((max(s.values(), default=0) for s in self.slots.values()), default=0)


@dataclass
class Sums:
    """Grouped sums: ``dims`` (a list per ``by`` name), a layout id and a value per measure, per row."""

    by: list[str]
    dims: dict[str, list[Any]]
    layout: np.ndarray
    values: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.layout)


@dataclass
class Folded:
    """Sums per group (layouts folded together), pillar columns named ``{pid}|{part}``."""

    keys: pd.DataFrame  # one row per group, sorted by the ``by`` columns
    values: dict[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]

    def __len__(self) -> int:
        return len(self.keys)


def _fold(sums: Sums, pmap: PillarMap, slot_names: dict[str, str]) -> Folded:
    """Slot columns (``p{i}_…``) → pillar columns (``{pid}|…``), summed over layouts per group."""
    n = len(sums)
    values = {m: v for m, v in sums.values.items() if not _SLOT_COLUMN.match(m)}
    for pid in pmap.pillar_ids:
        for suffix, pattern in slot_names.items():
            out = np.zeros(n, dtype=np.int64)
            for layout_id, slots in pmap.slots.items():
                slot = slots.get(pid)
                if slot is None or pattern.format(i=slot) not in sums.values:
                    continue
                mask = sums.layout == layout_id
                out[mask] = sums.values[pattern.format(i=slot)][mask]
            values[f"{pid}|{suffix}"] = out
    if not sums.by:
        return Folded(pd.DataFrame(index=[0]), {m: np.array([v.sum()], dtype=np.int64) for m, v in values.items()})
    # a missing value sorts after every given one: swap in a sentinel of the column's kind
    sentinels = {}
    for b in sums.by:
        given = next((v for v in sums.dims[b] if v is not None), None)
        sentinels[b] = _LAST_TEXT if isinstance(given, str) or given is None else _LAST_NUMBER
    columns = [[sentinels[b] if v is None else v for v in sums.dims[b]] for b in sums.by]
    tuples = list(zip(*columns))
    first: dict[tuple[Any, ...], int] = {}
    codes = np.fromiter((first.setdefault(t, len(first)) for t in tuples), dtype=np.int64, count=n)
    ordered = sorted(first)
    rank = np.empty(len(first), dtype=np.int64)
    for position, t in enumerate(ordered):
        rank[first[t]] = position
    ordered = [tuple(None if v in (_LAST_TEXT, _LAST_NUMBER) else v for v in t) for t in ordered]
    codes = rank[codes]
    summed = {}
    for m, v in values.items():
        total = np.zeros(len(ordered), dtype=np.int64)
        np.add.at(total, codes, v)
        summed[m] = total
    group_keys = pd.DataFrame(ordered, columns=sums.by) if ordered else pd.DataFrame(columns=sums.by)
    return Folded(group_keys, summed)


_LAST_TEXT = "\U0010ffff"
_LAST_NUMBER = 2**62
_SLOT_COLUMN = re.compile(r"^p\d+_")


def _mean(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1) / PERCENT_SCALE, np.nan)


def _labels(name: str, values: pd.Series) -> list[Any]:
    if name in PERIODS:
        return [period_label(name, v) for v in values]
    return list(values)


def _hide(values: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Floats with the suppressed groups' figures removed (NaN)."""
    return np.where(hidden, np.nan, values.astype("float64"))


def _counts(values: np.ndarray, hidden: np.ndarray) -> pd.arrays.IntegerArray:
    """Counts as nullable integers, missing where the group is suppressed."""
    return pd.arrays.IntegerArray(np.where(hidden, 0, values).astype(np.int64), hidden.copy())


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Overview:
    """The pool under a filter. ``suppressed``: fewer than ``k`` firms, so no figure is given."""

    n: int | None
    k: int
    suppressed: bool
    percent_mean: float | None
    levels: dict[int, int]  # overall level -> firms
    pillars: pd.DataFrame  # pillar, n, mean, level_<L> …
    pillar_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RescoreSummary:
    """Pooled assessments re-scored on another version, beside their own figures.
    ``suppressed``: fewer than ``k`` firms, so no figure is given."""

    n: int | None
    k: int
    suppressed: bool
    percent_before: float | None  # mean percent on their own versions
    percent_after: float | None  # … and on the target version
    level_up: int | None
    level_down: int | None
    transitions: pd.DataFrame  # level_before, level_after, firms (<NA> for a cell of 1 to k−1)


class StaffViews:
    """The staff views of one store (``Store.staff``). Each call is one read transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _k(self, k: int | None) -> int:
        k = self.store.min_group_size() if k is None else k
        if k < 1:
            raise InvalidValue("k must be at least 1")
        return k

    @staticmethod
    def _scope(conn: Connection, filters: Filters) -> tuple[list[Layout], PillarMap]:
        layouts = load_layouts(conn)
        if filters.questionnaire_id is not None or filters.questionnaire_version is not None:
            wanted = set(layout_ids(layouts, filters))
            return layouts, PillarMap.of([lay for lay in layouts if lay.id in wanted])
        return layouts, PillarMap.of(layouts)

    def _figures(self, filters: Filters, by: Sequence[str], k: int | None, *, pillar_levels: bool = True) -> tuple[pd.DataFrame, PillarMap, int]:
        k = self._k(k)
        with self.store.read() as conn:
            return self._figures_on(conn, filters, by, k, pillar_levels=pillar_levels)

    @staticmethod
    def _figures_on(
        conn: Connection, filters: Filters, by: Sequence[str], k: int, *, pillar_levels: bool = True, raw_sums: bool = False
    ) -> tuple[pd.DataFrame, PillarMap, int]:
        layouts, pmap = StaffViews._scope(conn, filters)
        levels = pmap.levels or list(range(LEVELS))
        slots = range(1, min(pmap.max_slot, SLOTS) + 1)
        measures = ["n", "percent_sum", "percent_n", *[f"level_{lv}" for lv in levels]]
        measures += [f"p{i}_sum" for i in slots]
        measures += [f"p{i}_l{lv}" for i in slots for lv in levels]
        sums = _grouped(conn, filters, by, measures, layouts=layouts)
        names = {"sum": "p{i}_sum", **{f"l{lv}": f"p{{i}}_l{lv}" for lv in levels}}
        folded = _fold(sums, pmap, names)
        if raw_sums:
            return folded, pmap, k
        out: dict[str, Any] = {name: _labels(name, folded.keys[name]) for name in by}
        n = folded["n"]
        hidden = (n > 0) & (n < k)  # no firm, nothing to single out: 0 is shown
        out["n"] = _counts(n, hidden)
        out[SUPPRESSED] = hidden
        out["percent"] = _hide(_mean(folded["percent_sum"], folded["percent_n"]), hidden)
        with np.errstate(divide="ignore", invalid="ignore"):
            level_sum = sum((folded[f"level_{lv}"] * lv for lv in levels), np.zeros(len(folded), dtype=np.int64))
            out["overall_level"] = _hide(np.where(n > 0, level_sum / np.where(n > 0, n, 1), np.nan), hidden)
        for lv in levels:
            out[f"level_{lv}"] = _counts(folded[f"level_{lv}"], hidden)
        for pid in pmap.pillar_ids:
            counted = sum((folded[f"{pid}|l{lv}"] for lv in levels), np.zeros(len(folded), dtype=np.int64))
            out[pid] = _hide(_mean(folded[f"{pid}|sum"], counted), hidden)
            out[f"{pid}_n"] = _counts(counted, hidden)
            if pillar_levels:
                for lv in levels:
                    out[f"{pid}_level_{lv}"] = _counts(folded[f"{pid}|l{lv}"], hidden)
        return pd.DataFrame(out), pmap, k

    # ------------------------------------------------------------ views

    def overview(self, filters: Filters | None = None, *, k: int | None = None) -> Overview:
        filters = filters or Filters()
        frame, pmap, k = self._figures(filters, (), k)
        row = frame.iloc[0]
        suppressed = bool(row[SUPPRESSED])
        levels = pmap.levels
        pillars = pd.DataFrame(
            [
                {
                    "pillar": pid,
                    "n": row[f"{pid}_n"],
                    "mean": row[pid],
                    **{f"level_{lv}": row[f"{pid}_level_{lv}"] for lv in levels},
                }
                for pid in pmap.pillar_ids
            ]
        )
        return Overview(
            n=None if suppressed else int(row["n"]),
            k=k,
            suppressed=suppressed,
            percent_mean=None if suppressed or pd.isna(row["percent"]) else float(row["percent"]),
            levels={} if suppressed else {lv: int(row[f"level_{lv}"]) for lv in levels},
            pillars=pillars,
            pillar_ids=list(pmap.pillar_ids),
        )

    def breakdown(
        self, filters: Filters | None = None, by: str | Sequence[str] = "province", *, k: int | None = None, pillar_levels: bool = True
    ) -> pd.DataFrame:
        """A row per group: ``by`` columns, ``n``, ``suppressed``, ``percent`` (mean),
        ``overall_level`` (mean), ``level_<L>`` counts, per pillar ``<pid>`` (mean percent),
        ``<pid>_n`` and (``pillar_levels``) ``<pid>_level_<L>`` counts. Groups of fewer than k
        firms keep their row with ``suppressed`` True and no figures. Sorted by the groups."""
        by = [by] if isinstance(by, str) else list(by)
        frame, _, _ = self._figures(filters or Filters(), by, k, pillar_levels=pillar_levels)
        return frame

    def compare(self, group: Filters, against: Filters | None = None, *, k: int | None = None) -> pd.DataFrame:
        """Per pillar (and ``overall``): the group's mean, the other side's, ``difference``
        (group − other, percent points) and both n. ``against`` None: the whole pool of the
        group's questionnaire, version and period (its other filters dropped)."""
        if against is None:
            against = Filters(
                questionnaire_id=group.questionnaire_id, questionnaire_version=group.questionnaire_version,
                date_from=group.date_from, date_to=group.date_to,
            )
        one = self.overview(group, k=k)
        two = self.overview(against, k=k)
        rows = []
        ids = list(dict.fromkeys([*one.pillar_ids, *two.pillar_ids]))

        def pick(ov: Overview, pid: str | None) -> tuple[Any, Any]:
            if ov.suppressed:
                return None, None
            if pid is None:
                return ov.percent_mean, ov.n
            found = ov.pillars[ov.pillars["pillar"] == pid]
            if found.empty:
                return None, None
            mean = found["mean"].iloc[0]
            return (None if pd.isna(mean) else float(mean)), found["n"].iloc[0]

        for pid in [None, *ids]:
            g_mean, g_n = pick(one, pid)
            o_mean, o_n = pick(two, pid)
            rows.append(
                {
                    "pillar": pid or "overall",
                    "group_mean": g_mean,
                    "group_n": g_n,
                    "other_mean": o_mean,
                    "other_n": o_n,
                    "difference": None if g_mean is None or o_mean is None else g_mean - o_mean,
                    SUPPRESSED: one.suppressed or two.suppressed,
                }
            )
        frame = pd.DataFrame(rows)
        for name in ("group_mean", "other_mean", "difference"):
            frame[name] = frame[name].astype("float64")
        for name in ("group_n", "other_n"):
            frame[name] = frame[name].astype("Int64")
        return frame

    def needs(self, filters: Filters | None = None, by: str | Sequence[str] = (), *, k: int | None = None) -> pd.DataFrame:
        """Capability gaps by how many firms show them: a row per group and tag (``tag``:
        the catalogue category id), with ``firms`` (showing the gap), ``n`` (firms in the
        group), ``share`` (0..1) and ``suppressed``; most common first within a group."""
        filters = filters or Filters()
        by = [by] if isinstance(by, str) else list(by)
        k = self._k(k)
        with self.store.read() as conn:
            slots = load_tags(conn)
            layouts = load_layouts(conn)
            measures = ["n", *[f"g{j}" for j in sorted(slots.values())]]
            sums = _grouped(conn, filters, by, measures, layouts=layouts)
        folded = _fold(sums, PillarMap([], [], {}), {})
        rows = []
        for g in range(len(folded)):
            n = int(folded["n"][g])
            hidden = 0 < n < k
            keys = {name: _labels(name, folded.keys[name].iloc[[g]])[0] for name in by}
            for tag, slot in slots.items():
                firms = int(folded[f"g{slot}"][g])
                rows.append(
                    {**keys, "tag": tag, "firms": None if hidden else firms, "n": None if hidden else n,
                     "share": None if hidden or n == 0 else firms / n, SUPPRESSED: hidden}
                )
        out = pd.DataFrame(rows, columns=[*by, "tag", "firms", "n", "share", SUPPRESSED])
        out["firms"] = out["firms"].astype("Int64")
        out["n"] = out["n"].astype("Int64")
        out["share"] = out["share"].astype("float64")
        out = out.sort_values([*by, "firms", "tag"], ascending=[True] * len(by) + [False, True], na_position="last", kind="stable")
        return out.reset_index(drop=True)

    def progress(self, filters: Filters | None = None, period: str | None = "quarter", *, k: int | None = None) -> pd.DataFrame:
        """Firms with a baseline and a follow-up (both submitted and consented), by the
        follow-up's month, quarter or year (``period`` None: all together). Columns:
        ``period``, ``n`` (pairs), ``suppressed``, ``level_before``, ``level_after``,
        ``level_change`` (means), ``level_up``/``level_same``/``level_down`` (counts),
        ``percent_before``/``percent_after``/``percent_change``, and per pillar
        ``<pid>_before``, ``<pid>_after``, ``<pid>_change`` (mean percents of the pairs
        that have the pillar on both sides). Filters apply to the follow-up."""
        filters = replace(filters or Filters(), round=None)
        if period is not None and period not in PERIODS:
            raise InvalidValue(f"period {period!r}: choose one of {', '.join(PERIODS)}")
        by = [period] if period else []
        k = self._k(k)
        with self.store.read() as conn:
            layouts, pmap = self._scope(conn, filters)
            slots = range(1, min(pmap.max_slot, SLOTS) + 1)
            measures = ["n", "before_level_sum", "after_level_sum", "level_up", "level_same", "level_down",
                        "percent_n", "before_percent_sum", "after_percent_sum"]
            measures += [f"p{i}_{part}" for i in slots for part in ("n", "before", "after")]
            sums = _grouped(conn, filters, by, measures, pairs=True, layouts=layouts)
        folded = _fold(sums, pmap, {"n": "p{i}_n", "before": "p{i}_before", "after": "p{i}_after"})
        out: dict[str, Any] = {"period": _labels(period, folded.keys[period])} if period else {}
        n = folded["n"]
        hidden = (n > 0) & (n < k)  # no firm, nothing to single out: 0 is shown
        out["n"] = _counts(n, hidden)
        out[SUPPRESSED] = hidden
        with np.errstate(divide="ignore", invalid="ignore"):
            denominator = np.where(n > 0, n, 1)
            before = _hide(np.where(n > 0, folded["before_level_sum"] / denominator, np.nan), hidden)
            after = _hide(np.where(n > 0, folded["after_level_sum"] / denominator, np.nan), hidden)
        out["level_before"], out["level_after"], out["level_change"] = before, after, after - before
        for name in ("level_up", "level_same", "level_down"):
            out[name] = _counts(folded[name], hidden)
        before = _hide(_mean(folded["before_percent_sum"], folded["percent_n"]), hidden)
        after = _hide(_mean(folded["after_percent_sum"], folded["percent_n"]), hidden)
        out["percent_before"], out["percent_after"], out["percent_change"] = before, after, after - before
        for pid in pmap.pillar_ids:
            before = _hide(_mean(folded[f"{pid}|before"], folded[f"{pid}|n"]), hidden)
            after = _hide(_mean(folded[f"{pid}|after"], folded[f"{pid}|n"]), hidden)
            out[f"{pid}_before"], out[f"{pid}_after"], out[f"{pid}_change"] = before, after, after - before
        return pd.DataFrame(out)

    def rescore_summary(self, target: Questionnaire, filters: Filters | None = None, *, k: int | None = None) -> RescoreSummary:
        """The pooled assessments under ``filters`` that were re-scored on ``target``
        (``Store.rescore``): their mean percent on their own version and on the target, and
        how many moved from each level to each other (a cell of 1 to k−1 firms is hidden).
        Grouped in SQL: no row reaches Python."""
        k = self._k(k)
        layout = self.store.layout_id(target)
        r = rescores
        both = and_(a.c.percent.is_not(None), r.c.percent.is_not(None))
        with self.store.read() as conn:
            stmt = (
                select(
                    a.c.overall_level.label("before"), r.c.overall_level.label("after"), func.count().label("firms"),
                    func.count().filter(both).label("percent_n"),
                    func.coalesce(func.sum(case((both, a.c.percent), else_=None)), 0).label("percent_before"),
                    func.coalesce(func.sum(case((both, r.c.percent), else_=None)), 0).label("percent_after"),
                )
                .select_from(a.join(r, r.c.assessment_id == a.c.id))
                .where(r.c.layout_id == layout, *row_filter(conn, filters or Filters()))
                .group_by(a.c.overall_level, r.c.overall_level)
            )
            rows = conn.execute(stmt).all()
        n = sum(int(x.firms) for x in rows)
        hidden = 0 < n < k
        counted = sum(int(x.percent_n) for x in rows)

        def mean(column: str) -> float | None:
            if hidden or not counted:
                return None
            return sum(int(getattr(x, column)) for x in rows) / counted / PERCENT_SCALE

        cells = [
            {"level_before": x.before, "level_after": x.after,
             "firms": None if hidden or 0 < int(x.firms) < k else int(x.firms)}
            for x in sorted(rows, key=lambda x: (x.before if x.before is not None else -1, x.after))
        ]
        transitions = pd.DataFrame(cells, columns=["level_before", "level_after", "firms"])
        transitions["firms"] = transitions["firms"].astype("Int64")
        return RescoreSummary(
            n=None if hidden else n, k=k, suppressed=hidden,
            percent_before=mean("percent_before"), percent_after=mean("percent_after"),
            level_up=None if hidden else sum(int(x.firms) for x in rows if x.before is not None and x.after > x.before),
            level_down=None if hidden else sum(int(x.firms) for x in rows if x.before is not None and x.after < x.before),
            transitions=transitions,
        )

    # ------------------------------------------------------------ exports

    def export_rows(self, out: str | Any | IO[bytes], fmt: str, filters: Filters | None = None, **options: Any) -> int:
        """The rows under ``filters`` (csv, xlsx or parquet; streamed; pseudonymous ids;
        formula-neutralised text; XLSX with a data-dictionary sheet, CSV/Parquet with
        ``<file>.dictionary.csv`` beside a path). Returns the row count (store/export.py)."""
        from store.export import export

        return export(self.store, out, fmt, filters, **options)

    def export_tables(
        self, out: str | Any | IO[bytes], filters: Filters | None = None, *, k: int | None = None,
        about: Sequence[tuple[str, str]] = (),
    ) -> list[str]:
        """The views under ``filters`` as XLSX, one sheet per view (overview, pillars,
        province, sector, size, needs, progress); returns the sheet names. ``about``: rows
        (label, value) for a first sheet "filter" (the filter in words, k), neutralised
        like every text cell."""
        from store.export import write_tables

        filters = filters or Filters()
        ov = self.overview(filters, k=k)
        head = pd.DataFrame(
            [{"n": ov.n, "suppressed": ov.suppressed, "k": ov.k, "percent": ov.percent_mean,
              **{f"level_{lv}": c for lv, c in ov.levels.items()}}]
        )
        sheets = {
            **({"filter": pd.DataFrame(list(about), columns=["label", "value"])} if about else {}),
            "overview": head,
            "pillars": ov.pillars,
            "province": self.breakdown(filters, "province", k=k, pillar_levels=False),
            "sector": self.breakdown(filters, "sector", k=k, pillar_levels=False),
            "size": self.breakdown(filters, "size_band", k=k, pillar_levels=False),
            "needs": self.needs(filters, k=k),
            "progress": self.progress(filters, "quarter", k=k),
        }
        write_tables(out, sheets)
        return list(sheets)


__all__ = ["DIMENSIONS", "Overview", "PERIODS", "RescoreSummary", "StaffViews", "period_label", "row_filter", "uses_cells"]
