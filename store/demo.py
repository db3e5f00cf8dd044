"""Plausible demo assessments, fast enough for a million rows.

Answers come from ``scoring.sample.random_answers`` with a "skill" that rises with firm
size (and a little for ICT firms, and again at the follow-up), so dashboards show the
gradients a real programme would. Drawing a fresh answer set per row through the single
path would take minutes at a million rows, so a pool of answer sets is drawn per skill band
and each row takes one from its band; every row is then scored through the bulk path
(``scoring.bulk.score_frame``) and inserted in batches with SQLAlchemy Core
(``executemany``), each batch one transaction, with ids reserved up front for the JSON
rows and the follow-up links (``reserve_ids``). JSON for a pool entry is serialised once
and reused (``RawJSON``).

Demo rows get a random 32-byte ``code_hash`` that no code hashes to: nobody can resume
them, and loading demo data twice never collides.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, text

from scoring.bulk import answers_to_frame, score_frame
from scoring.engine import score_assessment
from scoring.model import Questionnaire
from scoring.sample import random_answers
from store.codes import new_join_code
from store.db import RawJSON, dump_json, utcnow
from store.models import SLOTS, assessment_data, assessments, slot_level, slot_percent, workshops

if TYPE_CHECKING:
    from store.repository import Store

# Reference lists (ids as scoring.profile will use them); weights are rough shares of firms.
PROVINCES = {
    "ho_chi_minh": 22, "ha_noi": 18, "hai_phong": 4, "da_nang": 3, "can_tho": 2, "hue": 1.5,
    "dong_nai": 3, "bac_ninh": 3, "hung_yen": 2, "ninh_binh": 2, "quang_ninh": 2, "thanh_hoa": 2,
    "nghe_an": 2, "phu_tho": 2, "thai_nguyen": 1.5, "khanh_hoa": 1.5, "lam_dong": 1.5, "tay_ninh": 1.5,
    "gia_lai": 1.2, "dak_lak": 1.2, "quang_ngai": 1, "quang_tri": 1, "ha_tinh": 1, "an_giang": 1.2,
    "vinh_long": 1.2, "dong_thap": 1.2, "ca_mau": 0.8, "lao_cai": 0.8, "tuyen_quang": 0.6,
    "lang_son": 0.6, "son_la": 0.5, "cao_bang": 0.3, "dien_bien": 0.3, "lai_chau": 0.2,
}
SECTORS = {
    "G": 35, "C": 15, "I": 9, "F": 8, "H": 5, "M": 5, "S": 4, "A": 4, "J": 4, "N": 3,
    "L": 2, "P": 2, "Q": 1.5, "R": 1, "K": 1, "E": 0.5, "D": 0.3, "B": 0.3,
}
SIZE_BANDS = {"household": 20, "micro": 45, "small": 25, "medium": 8, "large": 2}
STAFF_RANGE = {"household": (1, 5), "micro": (1, 10), "small": (11, 100), "medium": (51, 200), "large": (201, 2000)}
SKILL = {"household": 0.22, "micro": 0.33, "small": 0.48, "medium": 0.6, "large": 0.7}
ASSOCIATIONS = ["Hiệp hội DNNVV", "VCCI", "Hội Doanh nhân trẻ", "Hiệp hội Du lịch", "Hội Doanh nghiệp tỉnh"]
BANDS = 10  # skill bands of the answer pool


@dataclass
class DemoSummary:
    n: int
    submitted: int
    drafts: int
    follow_ups: int
    workshops: int
    seconds: float


def _weighted(rng: np.random.Generator, table: dict[str, float], n: int) -> tuple[list[str], np.ndarray]:
    names = list(table)
    p = np.array([table[k] for k in names], dtype=float)
    return names, rng.choice(len(names), size=n, p=p / p.sum())


@dataclass
class _Pool:
    frame: pd.DataFrame  # categorical answer columns, one row per pool entry
    answers: list[RawJSON]
    results: list[RawJSON]
    per_band: int


def _pool(questionnaire: Questionnaire, per_band: int, seed: int) -> _Pool:
    rng = random.Random(seed)
    sets = [
        random_answers(questionnaire, rng, skill=(band + 0.5) / BANDS)
        for band in range(BANDS)
        for _ in range(per_band)
    ]
    frame = answers_to_frame(questionnaire, sets)
    frame = frame.astype({c: "category" for c in frame.columns})  # iloc keeps the fast path
    results = [RawJSON(dump_json(score_assessment(questionnaire, s).to_dict(digits=None))) for s in sets]
    return _Pool(frame, [RawJSON(dump_json(s)) for s in sets], results, per_band)


def _column(values: pd.Series) -> list[Any]:
    """A scored column as Python values with None for missing (what the driver binds)."""
    if isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        return values.astype(object).where(values.notna(), None).tolist()
    arr = values.to_numpy()
    if arr.dtype.kind == "f":
        return [None if v != v else v for v in arr.tolist()]
    return arr.tolist()


def generate(
    store: Store,
    questionnaire: Questionnaire,
    n: int,
    seed: int = 0,
    *,
    batch_rows: int = 20_000,
    consent_rate: float = 0.85,
    draft_rate: float = 0.03,
    follow_up_rate: float = 0.2,
    workshop_rate: float = 0.15,
    pool_per_band: int | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Insert ``n`` demo assessments of ``questionnaire`` (seeded: the same seed gives the
    same profiles, dates and answers; only the random code hashes differ)."""
    started = time.perf_counter()
    if n <= 0:
        return DemoSummary(0, 0, 0, 0, 0, 0.0)
    rng = np.random.default_rng(seed)
    now = now or utcnow()
    layout = store.layout_id(questionnaire)
    pool = _pool(questionnaire, pool_per_band or int(np.clip(n // 100, 5, 100)), seed)

    # --- who: profile, skill, when
    provinces, province = _weighted(rng, PROVINCES, n)
    sectors, sector = _weighted(rng, SECTORS, n)
    bands, band = _weighted(rng, SIZE_BANDS, n)
    lo = np.array([STAFF_RANGE[b][0] for b in bands])[band]
    hi = np.array([STAFF_RANGE[b][1] for b in bands])[band]
    staff = rng.integers(lo, hi + 1)
    skill = np.array([SKILL[b] for b in bands])[band] + np.where(np.array(sectors)[sector] == "J", 0.12, 0.0)
    skill = skill + rng.normal(0, 0.12, n)
    age_days = rng.uniform(0, 730, n)  # submitted within the last two years
    consent = rng.random(n) < consent_rate
    language = np.where(rng.random(n) < 0.9, "vi", "en")

    # --- workshops: each in one province; some rows took part in one
    n_ws = int(np.clip(n // 2000, 1, 40))
    ws_province = rng.choice(len(provinces), size=n_ws)
    ws_age = rng.uniform(0, 730, n_ws)
    with store.write() as conn:
        ws_ids = []
        for i in range(n_ws):
            opened = now - timedelta(days=float(ws_age[i]))
            ws_ids.append(
                conn.execute(
                    insert(workshops).values(
                        join_code=_free_join_code(conn), name=f"Hội thảo chuyển đổi số {i + 1} (demo)",
                        association=ASSOCIATIONS[i % len(ASSOCIATIONS)], facilitator=None,
                        questionnaire_id=questionnaire.id, language="vi", opened_at=opened,
                        closed_at=opened + timedelta(hours=4),
                    )
                ).inserted_primary_key[0]
            )
    in_ws = (rng.random(n) < workshop_rate) & (np.arange(n) < n - int(n * follow_up_rate))
    ws_of = rng.integers(0, n_ws, n)
    province[in_ws] = ws_province[ws_of[in_ws]]
    age_days[in_ws] = ws_age[ws_of[in_ws]]

    # --- follow-ups: the last n_fu rows follow earlier baselines submitted ≥ 180 days ago
    # (after the workshops, so a follow-up copies its baseline's final province and date)
    n_fu = int(n * follow_up_rate)
    eligible = np.flatnonzero(age_days[: n - n_fu] >= 180)
    n_fu = min(n_fu, len(eligible))
    n_base = n - n_fu
    in_ws[n_base:] = False
    parent = rng.choice(eligible, size=n_fu, replace=False) if n_fu else np.empty(0, dtype=np.int64)
    fu = np.arange(n_base, n)
    for column in (province, sector, band, staff):
        column[fu] = column[parent]
    consent[fu] = consent[parent] | (rng.random(n_fu) < 0.5)
    skill[fu] = skill[parent] + rng.uniform(0.02, 0.15, n_fu)
    gap = rng.uniform(180, 400, n_fu)
    age_days[fu] = np.maximum(age_days[parent] - gap, rng.uniform(0, 5, n_fu))

    draft = np.zeros(n, dtype=bool)
    draft[:n_base] = rng.random(n_base) < draft_rate
    draft[parent] = False  # a follow-up follows a submitted baseline
    pool_idx = np.clip((skill * BANDS).astype(int), 0, BANDS - 1) * pool.per_band + rng.integers(0, pool.per_band, n)

    submitted_at = [now - timedelta(days=float(x)) for x in age_days]
    pillar_ids = [p.id for p in questionnaire.pillars]
    row_ids = np.zeros(n, dtype=np.int64)
    # baselines first, so every follow-up's parent already has its id
    spans = [(lo, min(n_base, lo + batch_rows)) for lo in range(0, n_base, batch_rows)]
    spans += [(lo, min(n, lo + batch_rows)) for lo in range(n_base, n, batch_rows)]
    for start, stop in spans:
        idx = np.arange(start, stop)
        scores = score_frame(questionnaire, pool.frame.iloc[pool_idx[idx]].reset_index(drop=True))
        cols = {
            "total": _column(scores["total"]),
            "max_total": _column(scores["max_total"]),
            "percent": _column(scores["percent"]),
            "overall_level": _column(scores["overall_level"]),
        }
        for i in range(1, SLOTS + 1):
            pid = pillar_ids[i - 1] if i <= len(pillar_ids) else None
            cols[slot_percent(i)] = _column(scores[f"{pid}_percent"]) if pid else [None] * len(idx)
            cols[slot_level(i)] = _column(scores[f"{pid}_level"]) if pid else [None] * len(idx)
        rows = []
        for j, r in enumerate(idx.tolist()):
            is_draft = bool(draft[r])
            when = submitted_at[r]
            created = when - timedelta(minutes=15 + (r * 7919) % 4000)
            row: dict[str, Any] = {
                "status": "draft" if is_draft else "submitted",
                "consent": bool(consent[r]),
                "questionnaire_id": questionnaire.id,
                "questionnaire_version": questionnaire.version,
                "layout_id": layout,
                "province": provinces[province[r]],
                "sector": sectors[sector[r]],
                "size_band": bands[band[r]],
                "round": "follow_up" if r >= n_base else "baseline",
                "workshop_id": ws_ids[ws_of[r]] if in_ws[r] else None,
                "language": str(language[r]),
                "submitted_at": None if is_draft else when,
                "staff": int(staff[r]),
                "step": 1 if is_draft else len(pillar_ids),
                "previous_id": int(row_ids[parent[r - n_base]]) if r >= n_base else None,
                "firm_name": f"Doanh nghiệp mẫu {r + 1}" if in_ws[r] else None,
                "created_at": created,
                "updated_at": when,
                "consent_at": created if consent[r] else None,
                "code_hash": os.urandom(32),
            }
            for name, values in cols.items():
                row[name] = None if is_draft else values[j]
            rows.append(row)
        with store.write() as conn:
            new_ids = reserve_ids(conn, len(rows))
            for row, new_id in zip(rows, new_ids):
                row["id"] = new_id
            row_ids[start:stop] = new_ids
            conn.execute(insert(assessments), rows)  # plain executemany: no per-row RETURNING
            conn.execute(
                insert(assessment_data),
                [
                    {
                        "assessment_id": new_ids[j],
                        "answers": pool.answers[pool_idx[r]],
                        "result": None if draft[r] else pool.results[pool_idx[r]],
                    }
                    for j, r in enumerate(idx.tolist())
                ],
            )
        if progress:
            progress(stop, n)
    analyse(store)
    return DemoSummary(
        n=n,
        submitted=int((~draft).sum()),
        drafts=int(draft.sum()),
        follow_ups=n_fu,
        workshops=n_ws,
        seconds=time.perf_counter() - started,
    )


def reserve_ids(conn: Any, count: int) -> list[int]:
    """Ids for ``count`` new assessments, known before the insert (the JSON rows and the
    follow-up links need them). ``INSERT … RETURNING`` would do, but SQLite can only
    guarantee its order one row per statement.

    PostgreSQL: drawn from the table's sequence, so app servers inserting meanwhile never
    collide. SQLite: the next ids after the largest, safe because the caller holds the
    write lock (``BEGIN IMMEDIATE``) until it has inserted them.
    """
    if conn.dialect.name == "postgresql":
        return list(
            conn.execute(
                text("SELECT nextval(pg_get_serial_sequence('assessments', 'id')) FROM generate_series(1, :n)"),
                {"n": count},
            ).scalars()
        )
    top = conn.execute(text("SELECT coalesce(max(id), 0) FROM assessments")).scalar_one()
    return list(range(top + 1, top + 1 + count))


def _free_join_code(conn: Any) -> str:
    # not from the seeded generator: a retry on a taken code would shift every later draw
    while True:
        code = new_join_code()
        if conn.execute(text("SELECT 1 FROM workshops WHERE join_code = :c"), {"c": code}).first() is None:
            return code


def analyse(store: Store) -> None:
    """Refresh the planner's statistics after a bulk load (both databases plan better with
    them). On PostgreSQL also VACUUM the scanned table: it sets the hint bits and the
    visibility map now, instead of the first dashboard query after the load paying for it
    (and autovacuum competing with it)."""
    if store.dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE) assessments")
            conn.exec_driver_sql("ANALYZE")
        return
    with store.write() as conn:
        conn.exec_driver_sql("ANALYZE")
