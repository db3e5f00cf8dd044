"""Pooled figures for the results page and workshop rooms, and the ``Filters`` of every view.

The programme-staff views live in store/staff.py; ``aggregate`` and ``peer_benchmark`` here
are the older, narrower calls (kept for their callers) answered by the same summary cells
(store/summary.py), so every figure has one definition.

Pooling needs consent: only submitted, consented assessments count, and a group of fewer
than ``k`` firms (default 5) is left out, so a small group cannot be singled out.

Days and months are Vietnamese calendar days (UTC+7, no daylight saving): a programme that
filters "from 1 January" means the morning of 1 January in Hà Nội, not in Greenwich.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, literal_column, select

from store.errors import InvalidValue
from store.layouts import load_layouts, pillar_columns
from store.models import PERCENT_SCALE, assessments, questionnaire_versions, slot_level, slot_percent
from store.records import PeerBenchmark

a = assessments
LOCAL_TZ = timezone(timedelta(hours=7), "ICT")
DEFAULT_K = 5

Choice = str | Sequence[str] | None


@dataclass(frozen=True)
class Filters:
    """What to pool. ``None`` means no restriction; a sequence means any of its values.

    ``date_from``/``date_to`` bound the submission time; a ``date`` is a whole Vietnamese
    calendar day and both ends are inclusive. ``association``: the workshops run by it.
    Whole months (or no dates) and no ``language`` are answered from the summary cells;
    anything finer reads the rows (the same figures, slower at scale).
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
    association: Choice = None

    def __post_init__(self) -> None:
        # lists become tuples: a Filters is hashable, so st.cache_data can key on it
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (list, set, frozenset)):
                object.__setattr__(self, f.name, tuple(sorted(value)) if isinstance(value, (set, frozenset)) else tuple(value))


def local_period(dialect: str, column: ColumnElement[Any], period: str) -> ColumnElement[str]:
    """``YYYY-MM-DD`` (day), ``YYYY-MM`` (month) or ``YYYY`` (year) of a UTC timestamp, in Vietnam."""
    if dialect == "sqlite":
        if period == "day":
            return func.date(column, "+7 hours")  # the same text as strftime('%Y-%m-%d'), cheaper
        fmt = {"month": "%Y-%m", "year": "%Y"}[period]
        return func.strftime(fmt, column, "+7 hours")
    fmt = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[period]
    return func.to_char(func.timezone(literal_column("INTERVAL '+07:00'"), column), fmt)


GROUPS = ("province", "sector", "size_band", "round", "language", "workshop_id", "questionnaire_version", "month", "year")


def aggregate(
    conn: Connection,
    filters: Filters | None = None,
    by: Sequence[str] = (),
    k: int = DEFAULT_K,
    *,
    pillar_levels: bool = False,
) -> pd.DataFrame:
    """One row per group with at least ``k`` firms (smaller groups are left out).

    Columns: the ``by`` columns; ``n``; one column per pillar id with the mean pillar
    percent; ``percent`` and ``overall_level`` means; ``level_<L>`` counts of the overall
    level; with ``pillar_levels``, ``<pillar>_level_<L>`` counts too. Ordered by the ``by``
    columns, empty values last.
    """
    from store.staff import StaffViews

    if isinstance(by, str):
        by = [by]
    for name in by:
        if name not in GROUPS:
            raise InvalidValue(f"cannot group by {name!r}; choose from {', '.join(GROUPS)}")
    if k < 1:
        raise InvalidValue("k must be at least 1")
    frame, pmap, _ = StaffViews._figures_on(conn, filters or Filters(), list(by), k, pillar_levels=pillar_levels)
    frame = frame[~frame["suppressed"]]
    cols = [*by, "n", *pmap.pillar_ids, "percent", "overall_level", *[f"level_{lv}" for lv in pmap.levels]]
    if pillar_levels:
        cols += [f"{pid}_level_{lv}" for pid in pmap.pillar_ids for lv in pmap.levels]
    out = frame[cols].copy()
    for name in cols[len(by):]:
        out[name] = out[name].astype("int64" if name == "n" or "level_" in name else "float64")
    if by:
        out = out.sort_values(list(by), na_position="last", kind="stable")
    return out.reset_index(drop=True)


def peer_benchmark(
    conn: Connection,
    questionnaire_id: str,
    sector: str | None,
    size_band: str | None,
    k: int = DEFAULT_K,
    exclude_id: int | None = None,
) -> PeerBenchmark | None:
    """Means over firms like this one; ``None`` when fewer than ``k`` (a ``None`` sector or
    size band widens the peer group to all of them). ``exclude_id``: the firm's own
    assessment is taken out of the sums when it is in them."""
    from store.staff import StaffViews

    filters = Filters(questionnaire_id=questionnaire_id, sector=sector, size_band=size_band)
    folded, pmap, _ = StaffViews._figures_on(conn, filters, [], 1, pillar_levels=False, raw_sums=True)
    sums = {m: int(v[0]) for m, v in folded.values.items()}
    if exclude_id is not None:
        sums = _without(conn, sums, exclude_id, filters, pmap)
    n = int(sums["n"])
    if n < max(k, 1) or n == 0:
        return None
    means = {}
    for pid in pmap.pillar_ids:
        counted = sum(sums[f"{pid}|l{lv}"] for lv in pmap.levels)
        if counted:
            means[pid] = sums[f"{pid}|sum"] / counted / PERCENT_SCALE
    level_counts = {lv: int(sums[f"level_{lv}"]) for lv in pmap.levels}
    return PeerBenchmark(
        n=n,
        pillars=means,
        overall_level_mean=sum(lv * c for lv, c in level_counts.items()) / n,
        percent_mean=sums["percent_sum"] / sums["percent_n"] / PERCENT_SCALE if sums["percent_n"] else None,
        level_counts=level_counts,
    )


def _without(conn: Connection, sums: dict[str, Any], assessment_id: int, filters: Filters, pmap: Any) -> dict[str, Any]:
    """``sums`` less one assessment's contribution, when it is pooled and inside ``filters``."""
    qv = questionnaire_versions
    row = conn.execute(
        select(a, qv.c.questionnaire_id.label("qid")).join(qv, qv.c.id == a.c.layout_id).where(a.c.id == assessment_id)
    ).first()
    if row is None or row.status != "submitted" or not row.consent or row.qid != filters.questionnaire_id:
        return sums
    if (filters.sector is not None and row.sector != filters.sector) or (
        filters.size_band is not None and row.size_band != filters.size_band
    ):
        return sums
    out = dict(sums)
    out["n"] -= 1
    if row.percent is not None:
        out["percent_sum"] -= row.percent
        out["percent_n"] -= 1
    if row.overall_level is not None and f"level_{row.overall_level}" in out:
        out[f"level_{row.overall_level}"] -= 1
    for pid, slot in pmap.slots.get(row.layout_id, {}).items():
        level = row._mapping[slot_level(slot)]
        if level is None:
            continue
        out[f"{pid}|sum"] -= row._mapping[slot_percent(slot)]
        out[f"{pid}|l{level}"] -= 1
    return out


def row_columns(pillars: Sequence[Any]) -> list[Any]:
    """Per-row pillar columns, named like scoring.bulk: ``<pillar>_percent``, ``<pillar>_level``
    (percents back in percent points)."""
    out: list[Any] = []
    for p in pillars:
        out += [(p.percent / float(PERCENT_SCALE)).label(f"{p.pillar_id}_percent"), p.level.label(f"{p.pillar_id}_level")]
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
        a.c.total, a.c.max_total, (a.c.percent / float(PERCENT_SCALE)).label("percent"), a.c.overall_level,
    ]
    cols = [*base, *row_columns(pillars)]
    stmt = select(*cols).where(a.c.workshop_id == workshop_id).order_by(a.c.id)
    if not include_drafts:
        stmt = stmt.where(a.c.status == "submitted")
    rows = conn.execute(stmt).all()
    names = [c.key if hasattr(c, "key") and c.key else c.name for c in cols]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=names)
    for name in ("total", "max_total", "percent", *[f"{p.pillar_id}_percent" for p in pillars]):
        frame[name] = frame[name].astype("float64")
    for name in ("overall_level", "staff", *[f"{p.pillar_id}_level" for p in pillars]):
        frame[name] = frame[name].astype("Int64")
    for name in ("created_at", "submitted_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame
