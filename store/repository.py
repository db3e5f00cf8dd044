"""The store the pages use: drafts and submissions by resume code, pooled figures, exports.

Every method is one short transaction on a pooled connection, so one ``Store`` serves all
Streamlit sessions and threads (``st.cache_resource``). Writes open with the SQLite write
lock taken up front (store/db.py); on PostgreSQL a submission locks its row
(``SELECT … FOR UPDATE``) so two clicks on "submit" score it once.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from scoring.codec import codec_for
from scoring.engine import AnswerError, Result, score_assessment
from scoring.model import FirmProfile, Questionnaire
from store import aggregates, codes, summary
from store.accounts import Accounts
from store.db import dump_json, make_engine, resolve_url, utcnow, writer
from store.errors import (
    AlreadySubmitted,
    InvalidValue,
    NotFound,
    UnknownCode,
    WorkshopClosed,
)
from store.imports import Imports
from store.layouts import Layout, ensure_layout, load_layouts, load_tags, questionnaire_from_content
from store.migrate import ensure_schema
from store.models import (
    PERCENT_SCALE,
    SLOTS,
    assessments,
    questionnaire_versions,
    rescores,
    settings,
    slot_level,
    slot_percent,
)
from store.records import (
    DRAFT,
    ROUNDS,
    SUBMITTED,
    AssessmentRecord,
    PeerBenchmark,
    RescoreReport,
)
from store.tabs import Tabs
from store.teams import Teams
from store.validation import check_profile
from store.workshops import Workshops, workshop_row

a = assessments
qv = questionnaire_versions
EXPORT_SECRET_KEY = "export_secret"
MIN_GROUP_KEY = "min_group_size"

_RECORD_QUERY = select(
    a,
    qv.c.questionnaire_id,
    qv.c.version.label("questionnaire_version"),
    qv.c.content_hash.label("questionnaire_hash"),
).join(qv, qv.c.id == a.c.layout_id)


def fixed(percent: float | None) -> int | None:
    """A percent as stored: PERCENT_SCALE units, rounded half to even (numpy's rint does the same)."""
    return None if percent is None else int(round(percent * PERCENT_SCALE))


def unfixed(value: int | None) -> float | None:
    return None if value is None else value / PERCENT_SCALE


def headline(m: Any, pillar_ids: Sequence[str]) -> dict[str, Any] | None:
    """The stored headline figures of a submitted row, as the record's ``result``."""
    if m["status"] != SUBMITTED:
        return None
    return {
        "total": m["total"],
        "max_total": m["max_total"],
        "percent": unfixed(m["percent"]),
        "overall_level": m["overall_level"],
        "pillars": {
            pid: {"percent": unfixed(m[slot_percent(i)]), "level": m[slot_level(i)]}
            for i, pid in enumerate(pillar_ids, start=1)
        },
    }


def _profile_values(profile: FirmProfile | dict[str, Any] | None) -> dict[str, Any]:
    if profile is None:
        profile = FirmProfile()
    elif isinstance(profile, dict):
        profile = FirmProfile(**profile)
    check_profile(profile)
    return {
        "firm_name": profile.name,
        "sector": profile.sector,
        "size_band": profile.size_band,
        "province": profile.province,
        "staff": profile.staff,
    }


def _check_answers(answers: Any) -> dict[str, Any]:
    if not isinstance(answers, dict):
        raise InvalidValue("answers must be a mapping of question id to answer")
    try:
        dump_json(answers)
    except (TypeError, ValueError) as exc:
        raise InvalidValue(f"answers cannot be stored as JSON: {exc}") from None
    return answers


def gap_mask(result: Result, slots: dict[str, int]) -> int:
    mask = 0
    for tag in result.gaps:
        slot = slots.get(tag)
        if slot is not None:
            mask |= 1 << (slot - 1)
    return mask


def score_values(questionnaire: Questionnaire, result: Result, tag_slots: dict[str, int] | None = None) -> dict[str, Any]:
    """The result in its own columns: totals, overall level, each pillar in its slot (percents
    fixed-point), and the gap tags as a bit set (when ``tag_slots`` is given)."""
    values: dict[str, Any] = {
        "total": result.total,
        "max_total": result.max_total,
        "percent": fixed(result.percent),
        "overall_level": result.overall_level,
    }
    for i in range(1, SLOTS + 1):
        values[slot_percent(i)] = None
        values[slot_level(i)] = None
    for i, pillar in enumerate(questionnaire.pillars, start=1):
        pr = result.pillars[pillar.id]
        values[slot_percent(i)] = fixed(pr.percent)
        values[slot_level(i)] = pr.level
    if tag_slots is not None:
        values["gap_mask"] = gap_mask(result, tag_slots)
    return values


class Store(Workshops, Accounts, Tabs, Teams, Imports):
    """Storage for one database. Build it once per process (``store.open_store``).

    Assessments live here; workshops, staff accounts, tab tokens, teams and bulk imports come
    from the ``Workshops``, ``Accounts``, ``Tabs``, ``Teams`` and ``Imports`` mixins
    (store/workshops.py, store/accounts.py, store/tabs.py, store/teams.py, store/imports.py);
    the staff views from ``store.staff``
    (``Store.staff``)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        migrate: bool | None = None,
        clock: Callable[[], datetime] = utcnow,
        **engine_options: Any,
    ) -> None:
        self.url = resolve_url(url)
        self.engine = make_engine(self.url, **engine_options)
        self._writer = writer(self.engine)
        self.clock = clock  # tests move time forward to expire a lock
        self._layout_ids: dict[tuple[str, str, str], int] = {}
        self._versions: dict[int, Questionnaire | None] = {}  # layout id -> its questionnaire
        self._tag_slots: dict[str, int] = {}
        self._lock = threading.Lock()
        try:
            ensure_schema(self.engine, migrate)
            with self.read() as conn:
                stale = summary.is_stale(conn)
            if stale:  # left by a migration: rebuilt once, here, not by every query
                with self.write() as conn:
                    if summary.is_stale(conn):
                        summary.rebuild(conn)
        except BaseException:
            self.engine.dispose()  # a refused store leaves no connections open
            raise

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (committed on success, rolled back on any exception)."""
        with self._writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @property
    def staff(self):
        """The programme-staff views and exports of this database (store/staff.py)."""
        from store.staff import StaffViews

        return StaffViews(self)

    # ------------------------------------------------------------ questionnaire versions

    def layout_id(self, questionnaire: Questionnaire) -> int:
        """The version's row (written with its content on first use), in its own
        transaction, so a rolled-back submission cannot leave the cache pointing at a row
        that does not exist."""
        key = (questionnaire.id, questionnaire.version, questionnaire.content_hash)
        with self._lock:
            found = self._layout_ids.get(key)
        if found is None:
            with self.write() as conn:
                found = ensure_layout(conn, questionnaire)
                slots = load_tags(conn)
            with self._lock:
                self._layout_ids[key] = found
                self._versions[found] = questionnaire
                self._tag_slots = slots
        return found

    def tag_slots(self) -> dict[str, int]:
        with self._lock:
            if self._tag_slots:
                return dict(self._tag_slots)
        with self.read() as conn:
            slots = load_tags(conn)
        with self._lock:
            self._tag_slots = slots
        return dict(slots)

    def layouts(self) -> list[Layout]:
        with self.read() as conn:
            return load_layouts(conn)

    def _version(self, conn: Connection, layout_id: int) -> Questionnaire | None:
        with self._lock:
            if layout_id in self._versions:
                return self._versions[layout_id]
        row = conn.execute(select(qv.c.content, qv.c.content_hash).where(qv.c.id == layout_id)).first()
        found = None if row is None or row.content is None else questionnaire_from_content(row.content, row.content_hash)
        with self._lock:
            self._versions[layout_id] = found
        return found

    def questionnaire_for(self, record: AssessmentRecord | int) -> Questionnaire | None:
        """The questionnaire version an assessment was answered on, as stored in the
        database (kept when the file changes), or ``None`` for a version stored before
        revision 0002 and not used since (then only the file of that version can show it)."""
        layout_id = record if isinstance(record, int) else record.layout_id
        with self.read() as conn:
            return self._version(conn, layout_id)

    def questionnaire_version(self, questionnaire_id: str, version: str, content_hash: str | None = None) -> Questionnaire | None:
        """A stored version by id and version (and hash, when several contents share a version)."""
        stmt = select(qv.c.id).where(qv.c.questionnaire_id == questionnaire_id, qv.c.version == version)
        if content_hash:
            stmt = stmt.where(qv.c.content_hash == content_hash)
        with self.read() as conn:
            found = conn.execute(stmt.order_by(qv.c.id.desc())).scalars().first()
            return None if found is None else self._version(conn, found)

    # ------------------------------------------------------------ rows and records

    def _record(self, conn: Connection, row: Row[Any]) -> AssessmentRecord:
        m = row._mapping
        q = self._version(conn, m["layout_id"])
        extra = json.loads(m["answers_extra"]) if m["answers_extra"] else None
        if m["answers"] and q is None:  # packed answers always come with their version's content
            raise NotFound(f"assessment {m['id']}: its questionnaire version is not in the database")
        answers = codec_for(q).decode(m["answers"], extra) if m["answers"] else dict(extra or {})
        pillar_ids = [p.id for p in q.pillars] if q is not None else self._pillar_ids(conn, m["layout_id"])
        return AssessmentRecord(
            id=int(m["id"]),
            questionnaire_id=m["questionnaire_id"],
            questionnaire_version=m["questionnaire_version"],
            questionnaire_hash=m["questionnaire_hash"],
            language=m["language"],
            status=m["status"],
            created_at=m["created_at"],
            updated_at=m["updated_at"],
            submitted_at=m["submitted_at"],
            profile=FirmProfile(
                name=m["firm_name"], sector=m["sector"], size_band=m["size_band"], province=m["province"], staff=m["staff"]
            ),
            consent=bool(m["consent"]),
            consent_at=m["consent_at"],
            round=m["round"],
            previous_id=m["previous_id"],
            answers=answers,
            result=headline(m, pillar_ids),
            step=int(m["step"]),
            workshop_id=m["workshop_id"],
            layout_id=int(m["layout_id"]),
        )

    def _pillar_ids(self, conn: Connection, layout_id: int) -> list[str]:
        return list(conn.execute(select(qv.c.pillar_ids).where(qv.c.id == layout_id)).scalar_one())

    def _packed(self, conn: Connection, layout_id: int, answers: dict[str, Any]) -> dict[str, Any]:
        q = self._version(conn, layout_id)
        if q is None:  # a pre-0002 version nobody has used since: keep the answers as JSON
            return {"answers": None, "answers_extra": dump_json(answers) if answers else None}
        packed, extra = codec_for(q).encode(answers)
        return {"answers": packed, "answers_extra": dump_json(extra) if extra else None}

    def _find(self, conn: Connection, code: str | None, *, lock: bool = False) -> Row[Any] | None:
        digest = codes.resume_hash(code)
        if digest is None:
            return None
        stmt = _RECORD_QUERY.where(a.c.code_hash == digest)
        if lock:
            stmt = stmt.with_for_update(of=a)
        return conn.execute(stmt).first()

    def _get(self, conn: Connection, assessment_id: int) -> AssessmentRecord:
        return self._record(conn, conn.execute(_RECORD_QUERY.where(a.c.id == assessment_id)).one())

    # ------------------------------------------------------------ assessments

    def create_draft(
        self,
        questionnaire: Questionnaire,
        profile: FirmProfile | None = None,
        language: str = "vi",
        consent: bool = False,
        round: str = "baseline",
        previous_code: str | None = None,
        workshop_code: str | None = None,
    ) -> tuple[AssessmentRecord, str]:
        """A new draft and its resume code. The code is returned once and never stored."""
        if round not in ROUNDS:
            raise InvalidValue(f"round {round!r}: choose one of {', '.join(ROUNDS)}")
        profile_values = _profile_values(profile)
        layout = self.layout_id(questionnaire)
        code = codes.new_resume_code()
        now = self.clock()
        with self.write() as conn:
            previous_id = None
            if previous_code:
                prev = self._find(conn, previous_code)
                if prev is None:
                    raise UnknownCode("no assessment has that previous resume code")
                previous_id = prev.id
            workshop_id = None
            if workshop_code:
                ws = workshop_row(conn, workshop_code)
                if ws is None:
                    raise UnknownCode(f"no workshop has the join code {workshop_code!r}")
                if ws.closed_at is not None:
                    raise WorkshopClosed(f"the workshop {ws.name!r} is closed")
                workshop_id = ws.id
            values = {
                "status": DRAFT,
                "consent": bool(consent),
                "consent_at": now if consent else None,
                "layout_id": layout,
                "round": round,
                "workshop_id": workshop_id,
                "previous_id": previous_id,
                "language": language,
                "step": 0,
                "created_at": now,
                "updated_at": now,
                "code_hash": codes.resume_hash(code),
                **profile_values,
                **self._packed(conn, layout, {}),
            }
            new_id = conn.execute(insert(a).values(**values)).inserted_primary_key[0]
            record = self._get(conn, new_id)
        return record, code

    def save_draft(
        self,
        code: str,
        answers: dict[str, Any] | None,
        *,
        step: int | None = None,
        profile: FirmProfile | None = None,
        consent: bool | None = None,
        language: str | None = None,
    ) -> AssessmentRecord:
        """Replace the draft's answers (``None`` keeps them) and whatever else is given."""
        if answers is not None:
            _check_answers(answers)
        profile_values = _profile_values(profile) if profile is not None else None
        with self.write() as conn:
            row = self._find(conn, code, lock=True)
            if row is None:
                raise UnknownCode("no assessment has that resume code")
            if row.status == SUBMITTED:
                raise AlreadySubmitted("this assessment is already submitted; start a follow-up to change answers")
            now = self.clock()
            values: dict[str, Any] = {"updated_at": now}
            if step is not None:
                values["step"] = int(step)
            if profile_values is not None:
                values.update(profile_values)
            if language is not None:
                values["language"] = language
            if consent is not None and bool(consent) != bool(row.consent):
                values.update(consent=bool(consent), consent_at=now)
            if answers is not None:
                values.update(self._packed(conn, row.layout_id, answers))
            conn.execute(update(a).where(a.c.id == row.id).values(**values))
            return self._get(conn, row.id)

    def set_consent(self, code: str, consent: bool) -> AssessmentRecord:
        """Give or withdraw consent to pooling, also after submission: every summary
        follows in the same transaction (a withdrawn consent leaves every later figure)."""
        with self.write() as conn:
            row = self._find(conn, code, lock=True)
            if row is None:
                raise UnknownCode("no assessment has that resume code")
            if bool(consent) != bool(row.consent):
                now = self.clock()
                summary.retract(conn, [row.id])
                conn.execute(update(a).where(a.c.id == row.id).values(consent=bool(consent), consent_at=now, updated_at=now))
                summary.apply(conn, [row.id])
            return self._get(conn, row.id)

    def load(self, code: str) -> AssessmentRecord | None:
        with self.read() as conn:
            row = self._find(conn, code)
            return None if row is None else self._record(conn, row)

    def get(self, assessment_id: int) -> AssessmentRecord | None:
        with self.read() as conn:
            row = conn.execute(_RECORD_QUERY.where(a.c.id == assessment_id)).first()
            return None if row is None else self._record(conn, row)

    def previous(self, record: AssessmentRecord) -> AssessmentRecord | None:
        return None if record.previous_id is None else self.get(record.previous_id)

    def result(self, record: AssessmentRecord) -> Result:
        """The full Result of a submitted record, scored again from its answers on its own
        version (the engine is deterministic: the same figures as when it was submitted)."""
        q = self.questionnaire_for(record)
        if q is None:
            raise NotFound(
                f"assessment {record.id}: questionnaire {record.questionnaire_id} v{record.questionnaire_version} "
                "is not stored in the database; open it with that version's file"
            )
        return score_assessment(q, dict(record.answers))

    def submit(
        self, code: str, questionnaire: Questionnaire, answers: dict[str, Any] | None = None
    ) -> tuple[AssessmentRecord, Result]:
        """Validate, score and store in one transaction (the summaries too).

        ``answers`` (or, when ``None``, the draft's saved answers) are scored with
        ``scoring.engine.score_assessment``; an ``AnswerError`` rolls everything back, so
        the draft stays exactly as it was.
        """
        if answers is not None:
            _check_answers(answers)
        layout = self.layout_id(questionnaire)
        slots = self.tag_slots()
        with self.write() as conn:
            row = self._find(conn, code, lock=True)
            if row is None:
                raise UnknownCode("no assessment has that resume code")
            if row.status == SUBMITTED:
                raise AlreadySubmitted("this assessment is already submitted")
            if row.questionnaire_id != questionnaire.id:
                raise InvalidValue(
                    f"this assessment was started on questionnaire {row.questionnaire_id!r}, not {questionnaire.id!r}"
                )
            use = self._record(conn, row).answers if answers is None else answers
            result = score_assessment(questionnaire, use)  # raises AnswerError: nothing written yet
            now = self.clock()
            summary.retract(conn, [row.id])  # a draft counts nowhere; kept for the pattern's sake
            conn.execute(
                update(a)
                .where(a.c.id == row.id)
                .values(
                    status=SUBMITTED,
                    submitted_at=now,
                    updated_at=now,
                    # the version actually scored against, so the result stays reproducible
                    layout_id=layout,
                    **score_values(questionnaire, result, slots),
                    **self._packed(conn, layout, use),
                )
            )
            summary.apply(conn, [row.id])
            return self._get(conn, row.id), result

    def delete(self, code: str) -> bool:
        """"Delete my data": the assessment, its answers and figures, and the firm's linked
        assessments (the baseline it follows and the follow-ups of it), which the holder of
        this code started from it; every summary forgets them in the same transaction.
        On SQLite the freed pages are zeroed (``secure_delete``) and the write-ahead log is
        checkpointed and truncated, so no copy stays in the files. False when the code
        matches nothing."""
        with self.write() as conn:
            row = self._find(conn, code, lock=True)
            if row is None:
                return False
            chain = self._chain(conn, row.id)
            summary.retract(conn, chain)
            conn.execute(update(a).where(a.c.previous_id.in_(chain)).values(previous_id=None))
            conn.execute(delete(a).where(a.c.id.in_(chain)))
        self.checkpoint()
        return True

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database and truncate it (a deleted
        firm's rows must not live on in the log). A no-op elsewhere."""
        if self.dialect != "sqlite":
            return
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _chain(self, conn: Connection, start: int) -> list[int]:
        seen = {start}
        frontier = [start]
        while frontier:
            linked = conn.execute(
                select(a.c.id, a.c.previous_id).where((a.c.id.in_(frontier)) | (a.c.previous_id.in_(frontier)))
            ).all()
            frontier = []
            for rid, prev in linked:
                for candidate in (rid, prev):
                    if candidate is not None and candidate not in seen:
                        seen.add(candidate)
                        frontier.append(candidate)
        return sorted(seen)

    # ------------------------------------------------------------ re-scoring

    def rescore(
        self,
        target: Questionnaire,
        ids: Sequence[int] | None = None,
        filters: aggregates.Filters | None = None,
        *,
        include_unconsented: bool = True,
        batch: int = 2_000,
    ) -> RescoreReport:
        """Score submitted assessments again on ``target`` (another version of their
        questionnaire) and keep the new figures in ``rescores``, beside the originals,
        which never change. Select by ``ids`` or by ``filters`` (the staff filters; by
        default also rows without pooling consent: re-scoring is not pooling).

        A row the target cannot score (a required answer missing on the new version, an
        answer no longer offered) is reported with why and left alone. Returns a
        ``RescoreReport``. An explicit action: nothing re-scores by itself.
        """
        layout = self.layout_id(target)
        slots = self.tag_slots()
        from store.staff import row_filter

        stmt = select(a.c.id).where(a.c.status == SUBMITTED)
        layout_ids = [lay.id for lay in self.layouts() if lay.questionnaire_id == target.id]
        stmt = stmt.where(a.c.layout_id.in_(layout_ids))
        if ids is not None:
            stmt = stmt.where(a.c.id.in_(list(ids)))
        if filters is not None:
            with self.read() as conn:
                stmt = stmt.where(*row_filter(conn, filters, pooled=not include_unconsented))
        with self.read() as conn:
            selected = [int(x) for x in conn.execute(stmt.order_by(a.c.id)).scalars()]
        if ids is not None:
            missing = sorted(set(int(i) for i in ids) - set(selected))
        else:
            missing = []
        failed: list[tuple[int, str]] = [
            (i, f"not a submitted assessment of {target.id}") for i in missing
        ]
        rescored = same = 0
        now = self.clock()
        for lo in range(0, len(selected), batch):
            part = selected[lo : lo + batch]
            rows_out = []
            with self.read() as conn:
                records = [self._record(conn, r) for r in conn.execute(_RECORD_QUERY.where(a.c.id.in_(part)))]
            for rec in records:
                try:
                    result = score_assessment(target, dict(rec.answers))
                except AnswerError as exc:
                    failed.append((rec.id, "; ".join(exc.problems)))
                    continue
                values = score_values(target, result, slots)
                rows_out.append({"assessment_id": rec.id, "layout_id": layout, "rescored_at": now, **values})
                rescored += 1
                same += int(rec.result is not None and rec.result["overall_level"] == result.overall_level)
            if rows_out:
                with self.write() as conn:
                    conn.execute(
                        delete(rescores).where(rescores.c.layout_id == layout, rescores.c.assessment_id.in_([r["assessment_id"] for r in rows_out]))
                    )
                    conn.execute(insert(rescores), rows_out)
        failed.sort()
        return RescoreReport(
            target=(target.id, target.version, target.content_hash),
            selected=len(selected) + len(missing),
            rescored=rescored,
            unchanged_level=same,
            failed=failed,
        )

    def rescored(self, target: Questionnaire) -> pd.DataFrame:
        """Original beside re-scored figures on ``target``: a row per re-scored assessment
        (``id``, ``version``, ``percent``, ``overall_level``, ``new_percent``, ``new_overall_level``)."""
        layout = self.layout_id(target)
        r = rescores
        stmt = (
            select(
                a.c.id, qv.c.version, a.c.percent, a.c.overall_level,
                r.c.percent.label("new_percent"), r.c.overall_level.label("new_overall_level"),
            )
            .join(a, a.c.id == r.c.assessment_id)
            .join(qv, qv.c.id == a.c.layout_id)
            .where(r.c.layout_id == layout)
            .order_by(a.c.id)
        )
        with self.read() as conn:
            frame = pd.DataFrame([tuple(x) for x in conn.execute(stmt)], columns=[c.name for c in stmt.selected_columns])
        for name in ("percent", "new_percent"):
            frame[name] = frame[name].astype("float64") / PERCENT_SCALE
        return frame

    # ------------------------------------------------------------ pooled figures

    def min_group_size(self) -> int:
        """k: groups of fewer firms are suppressed (the ``settings`` table; default 5)."""
        with self.read() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == MIN_GROUP_KEY)).scalar()
        try:
            return max(1, int(value)) if value is not None else aggregates.DEFAULT_K
        except ValueError:
            return aggregates.DEFAULT_K

    def set_min_group_size(self, k: int) -> None:
        if isinstance(k, bool) or not isinstance(k, int) or k < 2:
            raise InvalidValue(f"the smallest group shown must be a whole number of at least 2 firms, got {k!r}")
        with self.write() as conn:
            conn.execute(delete(settings).where(settings.c.key == MIN_GROUP_KEY))
            conn.execute(insert(settings).values(key=MIN_GROUP_KEY, value=str(k)))

    def rebuild_summaries(self) -> None:
        """Both summary tables from the assessment rows (after a bulk load; also what a
        migration asks for). One transaction: views see the old or the new, never half."""
        with self.write() as conn:
            summary.rebuild(conn)

    def peer_benchmark(
        self,
        questionnaire_id: str,
        sector: str | None,
        size_band: str | None,
        k: int = aggregates.DEFAULT_K,
        exclude_id: int | None = None,
    ) -> PeerBenchmark | None:
        with self.read() as conn:
            return aggregates.peer_benchmark(conn, questionnaire_id, sector, size_band, k, exclude_id)

    def aggregate(
        self,
        filters: aggregates.Filters | None = None,
        by: Sequence[str] = (),
        k: int = aggregates.DEFAULT_K,
        *,
        pillar_levels: bool = False,
    ) -> pd.DataFrame:
        with self.read() as conn:
            return aggregates.aggregate(conn, filters, by, k, pillar_levels=pillar_levels)

    def export(self, out: Any, fmt: str, filters: aggregates.Filters | None = None, **options: Any) -> int:
        """Write consented, submitted rows without names (see store/export.py); returns the row count."""
        from store.export import export

        return export(self, out, fmt, filters, **options)

    def export_secret(self) -> bytes:
        """The per-database key of the pseudonymous ids in exports (made on first use)."""
        with self.read() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == EXPORT_SECRET_KEY)).scalar()
        if value is None:
            try:
                with self.write() as conn:
                    conn.execute(insert(settings).values(key=EXPORT_SECRET_KEY, value=secrets.token_hex(32)))
            except IntegrityError:
                pass  # another server made it first: use theirs
            with self.read() as conn:
                value = conn.execute(select(settings.c.value).where(settings.c.key == EXPORT_SECRET_KEY)).scalar_one()
        return bytes.fromhex(value)

    def pseudonym(self, assessment_id: int, secret: bytes | None = None) -> str:
        key = secret if secret is not None else self.export_secret()
        return codes.pseudonym(key, assessment_id)


__all__ = ["Store", "fixed", "score_values", "unfixed"]
