"""Plausible demo assessments, fast enough for a million rows.

Answers come from ``scoring.sample.random_answers`` with a "skill" that rises with firm
size (and a little for ICT firms, and again at the follow-up), so dashboards show the
gradients a real programme would. Drawing a fresh answer set per row through the single
path would take minutes at a million rows, so a pool of answer sets is drawn per skill band
and each row takes one from its band. The pool is scored once through the bulk path
(``scoring.bulk.score_frame``, gap tags by ``scoring.bulk.gap_tags``) and packed once by
``scoring.codec``: a row's figures are its pool entry's (the engine is deterministic, so
scoring the same answers a thousand times over would give the same numbers a thousand
times). Rows are written in batches: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL, each batch one transaction, with ids reserved up front for the follow-up links
(``reserve_ids``). The summary tables are rebuilt once at the end (store/summary.py).

Profiles follow the reference lists of ``scoring.profile`` (34 provinces, VSIC sections,
size bands), and staff counts the sector-specific Decree 80/2021 limits of each band
(a small trade firm has at most 50 staff, a small manufacturer at most 100).

Demo rows get a random 32-byte ``code_hash`` that no code hashes to: nobody can resume
them, and loading demo data twice never collides.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, text

from scoring.bulk import answers_to_frame, gap_tags, score_frame
from scoring.codec import codec_for
from scoring.model import Questionnaire
from scoring.profile import load_profile_reference
from scoring.sample import random_answers
from store.codes import new_join_code
from store.db import dump_json, utcnow
from store.models import PERCENT_SCALE, SLOTS, slot_level, slot_percent, workshops

if TYPE_CHECKING:
    from store.repository import Store

# Rough shares of firms; ids not listed weigh 1 (provinces) or 0 (sectors: O, T, U are not firms).
PROVINCE_WEIGHTS = {
    "ho_chi_minh": 22, "ha_noi": 18, "hai_phong": 4, "da_nang": 3, "can_tho": 2, "hue": 1.5,
    "dong_nai": 3, "bac_ninh": 3, "hung_yen": 2, "ninh_binh": 2, "quang_ninh": 2, "thanh_hoa": 2,
    "nghe_an": 2, "phu_tho": 2, "thai_nguyen": 1.5, "khanh_hoa": 1.5, "lam_dong": 1.5, "tay_ninh": 1.5,
    "gia_lai": 1.2, "dak_lak": 1.2, "an_giang": 1.2, "vinh_long": 1.2, "dong_thap": 1.2, "ca_mau": 0.8,
    "lao_cai": 0.8, "tuyen_quang": 0.6, "lang_son": 0.6, "son_la": 0.5, "cao_bang": 0.3, "dien_bien": 0.3,
    "lai_chau": 0.2,
}
SECTOR_WEIGHTS = {
    "G": 35, "C": 15, "I": 9, "F": 8, "H": 5, "M": 5, "S": 4, "A": 4, "J": 4, "N": 3,
    "L": 2, "P": 2, "Q": 1.5, "R": 1, "K": 1, "E": 0.5, "D": 0.3, "B": 0.3,
}
SIZE_WEIGHTS = {"household": 20, "micro": 45, "small": 25, "medium": 8, "large": 2}
HOUSEHOLD_STAFF = (1, 5)  # a household business is outside the Decree 80 bands
LARGEST = 2000
SKILL = {"household": 0.22, "micro": 0.33, "small": 0.48, "medium": 0.6, "large": 0.7}
ASSOCIATIONS = ["Hiệp hội DNNVV", "VCCI", "Hội Doanh nhân trẻ", "Hiệp hội Du lịch", "Hội Doanh nghiệp tỉnh"]
BANDS = 10  # skill bands of the answer pool
BULK_CACHE_KIB = 256 * 1024  # SQLite page cache of a bulk-loading connection


def staff_ranges() -> dict[tuple[str, str], tuple[int, int]]:
    """(size band, sector group) → (fewest, most) staff, from the Decree 80 limits in
    questionnaires/reference/profile.yaml: each band starts above the one before."""
    ref = load_profile_reference()
    out: dict[tuple[str, str], tuple[int, int]] = {}
    groups = sorted({s.group for s in ref.sectors})
    for group in groups:
        low = 1
        for band in ref.size_bands:
            if band.id == "household":
                out[(band.id, group)] = HOUSEHOLD_STAFF
            elif band.limits is None:
                out[(band.id, group)] = (low, max(low, LARGEST))
            else:
                top = band.limits[group].staff
                out[(band.id, group)] = (low, top)
                low = top + 1
    return out


def profile_tables() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """The reference lists with demo weights (the ids come from scoring.profile, never from here)."""
    ref = load_profile_reference()
    provinces = {p.id: float(PROVINCE_WEIGHTS.get(p.id, 1.0)) for p in ref.provinces}
    sectors = {s.id: float(SECTOR_WEIGHTS.get(s.id, 0.0)) for s in ref.sectors}
    sizes = {b.id: float(SIZE_WEIGHTS.get(b.id, 1.0)) for b in ref.size_bands}
    return provinces, sectors, sizes


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
    packed: list[bytes]
    extra: list[str | None]
    per_band: int
    scores: pd.DataFrame | None = None  # score_frame of the pool, a row per entry
    masks: np.ndarray | None = None  # gap bit sets per entry


def _pool(questionnaire: Questionnaire, per_band: int, seed: int) -> _Pool:
    rng = random.Random(seed)
    sets = [
        random_answers(questionnaire, rng, skill=(band + 0.5) / BANDS)
        for band in range(BANDS)
        for _ in range(per_band)
    ]
    frame = answers_to_frame(questionnaire, sets)
    frame = frame.astype({c: "category" for c in frame.columns})  # iloc keeps the fast path
    codec = codec_for(questionnaire)
    packed, extra = [], []
    for s in sets:
        p, e = codec.encode(s)
        packed.append(p)
        extra.append(dump_json(e) if e else None)
    return _Pool(frame, packed, extra, per_band)


def _column(values: pd.Series | np.ndarray) -> list[Any]:
    """A scored column as Python values with None for missing (what the driver binds)."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        return values.astype(object).where(values.notna(), None).tolist()
    arr = values.to_numpy() if isinstance(values, pd.Series) else values
    if arr.dtype.kind == "f":
        return [None if v != v else v for v in arr.tolist()]
    return arr.tolist()


def _fixed(values: pd.Series) -> list[int | None]:
    """Percents as stored (store.repository.fixed: round half to even, as numpy's rint)."""
    arr = values.to_numpy(dtype=float) * PERCENT_SCALE
    ok = ~np.isnan(arr)
    ints = np.rint(np.where(ok, arr, 0)).astype(np.int64).tolist()
    return [v if good else None for v, good in zip(ints, ok.tolist())]


def _timestamps(values: np.ndarray, postgres: bool) -> list[str | None]:
    """UTC datetime64[us] → the text each database reads for our UTCDateTime columns."""
    text_values = np.datetime_as_string(values, unit="us")
    suffix = "+00" if postgres else ""
    return [None if t == "NaT" else t.replace("T", " ") + suffix for t in text_values.tolist()]


def generate(
    store: Store,
    questionnaire: Questionnaire,
    n: int,
    seed: int = 0,
    *,
    batch_rows: int = 50_000,
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
    slots = store.tag_slots()
    pool = _pool(questionnaire, pool_per_band or int(np.clip(n // 100, 5, 100)), seed)
    pool.scores = score_frame(questionnaire, pool.frame)
    pool.masks = gap_tags(questionnaire, pool.frame).masks(slots)
    postgres = store.dialect == "postgresql"
    ref = load_profile_reference()
    group_of = {s.id: s.group for s in ref.sectors}
    ranges = staff_ranges()
    province_weights, sector_weights, size_weights = profile_tables()

    # --- who: profile, skill, when
    provinces, province = _weighted(rng, province_weights, n)
    sectors, sector = _weighted(rng, sector_weights, n)
    bands, band = _weighted(rng, size_weights, n)
    lo = np.array([[ranges[(b, group_of[s])][0] for s in sectors] for b in bands])
    hi = np.array([[ranges[(b, group_of[s])][1] for s in sectors] for b in bands])
    staff = rng.integers(lo[band, sector], hi[band, sector] + 1)
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

    now64 = np.datetime64(now.astimezone(UTC).replace(tzinfo=None), "us")
    submitted64 = now64 - (age_days * 86_400e6).astype("timedelta64[us]")
    created64 = submitted64 - ((15 + (np.arange(n) * 7919) % 4000) * 60e6).astype("timedelta64[us]")
    codes = os.urandom(32 * n)
    pillar_ids = [p.id for p in questionnaire.pillars]
    used_slots = range(1, len(pillar_ids) + 1)
    columns = [
        "id", "status", "consent", "layout_id", "province", "sector", "size_band", "round", "workshop_id",
        "language", "submitted_at", "total", "max_total", "percent", "overall_level",
        *[slot_percent(i) for i in used_slots], *[slot_level(i) for i in used_slots], "gap_mask",
        "staff", "step", "previous_id", "firm_name", "created_at", "updated_at", "consent_at", "code_hash",
        "answers", "answers_extra",
    ]
    assert len(pillar_ids) <= SLOTS
    row_ids = np.zeros(n, dtype=np.int64)
    # baselines first, so every follow-up's parent already has its id
    spans = [(lo_, min(n_base, lo_ + batch_rows)) for lo_ in range(0, n_base, batch_rows)]
    spans += [(lo_, min(n, lo_ + batch_rows)) for lo_ in range(n_base, n, batch_rows)]
    ws_ids_arr = np.array(ws_ids, dtype=object)
    for start, stop in spans:
        idx = np.arange(start, stop)
        m = len(idx)
        scores = pool.scores.iloc[pool_idx[idx]].reset_index(drop=True)
        masks = pool.masks[pool_idx[idx]]
        is_draft = draft[idx]

        def scored(values: list[Any], is_draft: np.ndarray = is_draft) -> list[Any]:
            return [None if d else v for v, d in zip(values, is_draft.tolist())]

        submitted_text = _timestamps(np.where(is_draft, np.datetime64("NaT"), submitted64[idx]), postgres)
        updated_text = _timestamps(submitted64[idx], postgres)
        created_text = _timestamps(created64[idx], postgres)
        with store.write() as conn:
            new_ids = reserve_ids(conn, m)
            row_ids[start:stop] = new_ids
            follow = idx >= n_base
            previous = [int(row_ids[parent[r - n_base]]) if f else None for r, f in zip(idx.tolist(), follow.tolist())]
            data: dict[str, list[Any]] = {
                "id": list(new_ids),
                "status": np.where(is_draft, "draft", "submitted").tolist(),
                "consent": consent[idx].tolist(),
                "layout_id": [layout] * m,
                "province": np.array(provinces, dtype=object)[province[idx]].tolist(),
                "sector": np.array(sectors, dtype=object)[sector[idx]].tolist(),
                "size_band": np.array(bands, dtype=object)[band[idx]].tolist(),
                "round": np.where(follow, "follow_up", "baseline").tolist(),
                "workshop_id": np.where(in_ws[idx], ws_ids_arr[ws_of[idx]], None).tolist(),
                "language": language[idx].tolist(),
                "submitted_at": submitted_text,
                "total": scored(_column(scores["total"])),
                "max_total": scored(_column(scores["max_total"])),
                "percent": scored(_fixed(scores["percent"])),
                "overall_level": scored(_column(scores["overall_level"])),
                "gap_mask": scored(masks.tolist()),
                "staff": staff[idx].tolist(),
                "step": np.where(is_draft, 1, len(pillar_ids)).tolist(),
                "previous_id": previous,
                "firm_name": [f"Doanh nghiệp mẫu {r + 1}" if w else None for r, w in zip(idx.tolist(), in_ws[idx].tolist())],
                "created_at": created_text,
                "updated_at": updated_text,
                "consent_at": [c if ok else None for c, ok in zip(created_text, consent[idx].tolist())],
                "code_hash": [codes[32 * r : 32 * r + 32] for r in idx.tolist()],
                "answers": [pool.packed[p] for p in pool_idx[idx].tolist()],
                "answers_extra": [pool.extra[p] for p in pool_idx[idx].tolist()],
            }
            for i, pid in enumerate(pillar_ids, start=1):
                data[slot_percent(i)] = scored(_fixed(scores[f"{pid}_percent"]))
                data[slot_level(i)] = scored(_column(scores[f"{pid}_level"]))
            bulk_insert(conn, columns, [data[c] for c in columns])
        if progress:
            progress(stop, n)
    store.rebuild_summaries()
    analyse(store)
    return DemoSummary(
        n=n,
        submitted=int((~draft).sum()),
        drafts=int(draft.sum()),
        follow_ups=n_fu,
        workshops=n_ws,
        seconds=time.perf_counter() - started,
    )


def bulk_insert(conn: Any, columns: list[str], values: list[list[Any]]) -> None:
    """Rows (given column by column) into ``assessments``: PostgreSQL ``COPY … FROM STDIN``,
    SQLite one ``executemany`` of tuples on the driver's cursor. Values are what each
    driver binds (timestamps as UTC text, booleans as bool, bytes as bytes)."""
    rows = list(zip(*values))
    names = ", ".join(columns)
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        # demo data: a crash may lose the last batch, never corrupt anything; no commit waits on the disk
        conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        with raw.cursor() as cursor, cursor.copy(f"COPY assessments ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cursor = raw.cursor()
    try:
        # the random code hashes land all over their unique index: keep it in memory
        cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        cursor.executemany(f"INSERT INTO assessments ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()


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
    them): a sampled ANALYZE, seconds not minutes at a million rows. (A VACUUM would also
    set PostgreSQL's hint bits now rather than on the first full read; it costs more than
    it saves for a load that is read a few times.)"""
    if store.dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE assessments, pool_cells, pool_progress")
        return
    with store.write() as conn:
        conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
        conn.exec_driver_sql("ANALYZE")
