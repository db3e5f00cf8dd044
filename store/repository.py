"""The store the pages use: drafts and submissions by resume code, pooled figures, exports.

Every method is one short transaction on a pooled connection, so one ``Store`` serves all
Streamlit sessions and threads (``st.cache_resource``). Writes open with the SQLite write
lock taken up front (store/db.py); on PostgreSQL a submission locks its row
(``SELECT … FOR UPDATE``) so two clicks on "submit" score it once.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from scoring.engine import Result, score_assessment
from scoring.model import FirmProfile, Questionnaire
from store import aggregates, codes
from store.accounts import Accounts
from store.db import dump_json, make_engine, resolve_url, utcnow, writer
from store.errors import (
    AlreadySubmitted,
    InvalidValue,
    UnknownCode,
    WorkshopClosed,
)
from store.layouts import ensure_layout
from store.migrate import ensure_schema
from store.models import (
    SLOTS,
    assessment_data,
    assessments,
    questionnaire_versions,
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
)
from store.tabs import Tabs
from store.teams import Teams
from store.workshops import Workshops, workshop_row

a = assessments
d = assessment_data
qv = questionnaire_versions
EXPORT_SECRET_KEY = "export_secret"

_RECORD_QUERY = (
    select(a, d.c.answers, d.c.result, qv.c.content_hash.label("questionnaire_hash"))
    .join(d, d.c.assessment_id == a.c.id)
    .join(qv, qv.c.id == a.c.layout_id)
)


def _record(row: Row[Any]) -> AssessmentRecord:
    m = row._mapping
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
        answers=dict(m["answers"] or {}),
        result=m["result"],
        step=int(m["step"]),
        workshop_id=m["workshop_id"],
    )


def _profile_values(profile: FirmProfile | dict[str, Any] | None) -> dict[str, Any]:
    if profile is None:
        profile = FirmProfile()
    elif isinstance(profile, dict):
        profile = FirmProfile(**profile)
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


def score_values(questionnaire: Questionnaire, result: Result) -> dict[str, Any]:
    """The result in its own columns: totals, overall level, and each pillar in its slot."""
    values: dict[str, Any] = {
        "total": result.total,
        "max_total": result.max_total,
        "percent": result.percent,
        "overall_level": result.overall_level,
    }
    for i in range(1, SLOTS + 1):
        values[slot_percent(i)] = None
        values[slot_level(i)] = None
    for i, pillar in enumerate(questionnaire.pillars, start=1):
        pr = result.pillars[pillar.id]
        values[slot_percent(i)] = pr.percent
        values[slot_level(i)] = pr.level
    return values


class Store(Workshops, Accounts, Tabs, Teams):
    """Storage for one database. Build it once per process (``store.open_store``).

    Assessments live here; workshops, staff accounts and tab tokens come from the
    ``Workshops``, ``Accounts`` and ``Tabs`` mixins (store/workshops.py, store/accounts.py,
    store/tabs.py)."""

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
        self._lock = threading.Lock()
        try:
            ensure_schema(self.engine, migrate)
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

    # ------------------------------------------------------------ questionnaire layouts

    def layout_id(self, questionnaire: Questionnaire) -> int:
        """Committed in its own transaction, so a rolled-back submission cannot leave the
        cache pointing at a row that does not exist."""
        key = (questionnaire.id, questionnaire.version, questionnaire.content_hash)
        with self._lock:
            found = self._layout_ids.get(key)
        if found is None:
            with self.write() as conn:
                found = ensure_layout(conn, questionnaire)
            with self._lock:
                self._layout_ids[key] = found
        return found

    # ------------------------------------------------------------ assessments

    def _find(self, conn: Connection, code: str | None, *, lock: bool = False) -> Row[Any] | None:
        digest = codes.resume_hash(code)
        if digest is None:
            return None
        stmt = _RECORD_QUERY.where(a.c.code_hash == digest)
        if lock:
            stmt = stmt.with_for_update(of=a)
        return conn.execute(stmt).first()

    def _get(self, conn: Connection, assessment_id: int) -> AssessmentRecord:
        return _record(conn.execute(_RECORD_QUERY.where(a.c.id == assessment_id)).one())

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
                "questionnaire_id": questionnaire.id,
                "questionnaire_version": questionnaire.version,
                "layout_id": layout,
                "round": round,
                "workshop_id": workshop_id,
                "previous_id": previous_id,
                "language": language,
                "step": 0,
                "created_at": now,
                "updated_at": now,
                "code_hash": codes.resume_hash(code),
                **_profile_values(profile),
            }
            new_id = conn.execute(insert(a).values(**values)).inserted_primary_key[0]
            conn.execute(insert(d).values(assessment_id=new_id, answers={}, result=None))
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
            if profile is not None:
                values.update(_profile_values(profile))
            if language is not None:
                values["language"] = language
            if consent is not None and bool(consent) != bool(row.consent):
                values.update(consent=bool(consent), consent_at=now)
            conn.execute(update(a).where(a.c.id == row.id).values(**values))
            if answers is not None:
                conn.execute(update(d).where(d.c.assessment_id == row.id).values(answers=answers))
            return self._get(conn, row.id)

    def set_consent(self, code: str, consent: bool) -> AssessmentRecord:
        """Give or withdraw consent to pooling, also after submission."""
        with self.write() as conn:
            row = self._find(conn, code, lock=True)
            if row is None:
                raise UnknownCode("no assessment has that resume code")
            if bool(consent) != bool(row.consent):
                now = self.clock()
                conn.execute(update(a).where(a.c.id == row.id).values(consent=bool(consent), consent_at=now, updated_at=now))
            return self._get(conn, row.id)

    def load(self, code: str) -> AssessmentRecord | None:
        with self.read() as conn:
            row = self._find(conn, code)
        return None if row is None else _record(row)

    def get(self, assessment_id: int) -> AssessmentRecord | None:
        with self.read() as conn:
            row = conn.execute(_RECORD_QUERY.where(a.c.id == assessment_id)).first()
        return None if row is None else _record(row)

    def previous(self, record: AssessmentRecord) -> AssessmentRecord | None:
        return None if record.previous_id is None else self.get(record.previous_id)

    def submit(
        self, code: str, questionnaire: Questionnaire, answers: dict[str, Any] | None = None
    ) -> tuple[AssessmentRecord, Result]:
        """Validate, score and store in one transaction.

        ``answers`` (or, when ``None``, the draft's saved answers) are scored with
        ``scoring.engine.score_assessment``; an ``AnswerError`` rolls everything back, so
        the draft stays exactly as it was.
        """
        if answers is not None:
            _check_answers(answers)
        layout = self.layout_id(questionnaire)
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
            use = dict(row.answers or {}) if answers is None else answers
            result = score_assessment(questionnaire, use)  # raises AnswerError: nothing written yet
            now = self.clock()
            conn.execute(
                update(a)
                .where(a.c.id == row.id)
                .values(
                    status=SUBMITTED,
                    submitted_at=now,
                    updated_at=now,
                    # the version actually scored against, so the result stays reproducible
                    questionnaire_version=questionnaire.version,
                    layout_id=layout,
                    **score_values(questionnaire, result),
                )
            )
            conn.execute(
                update(d).where(d.c.assessment_id == row.id).values(answers=use, result=result.to_dict(digits=None))
            )
            return self._get(conn, row.id), result

    def delete(self, code: str) -> bool:
        """"Delete my data": the assessment, its answers and result, and the firm's linked
        assessments (the baseline it follows and the follow-ups of it), which the holder of
        this code started from it. Returns False when the code matches nothing."""
        with self.write() as conn:
            row = self._find(conn, code, lock=True)
            if row is None:
                return False
            chain = self._chain(conn, row.id)
            conn.execute(delete(d).where(d.c.assessment_id.in_(chain)))
            conn.execute(update(a).where(a.c.previous_id.in_(chain)).values(previous_id=None))
            conn.execute(delete(a).where(a.c.id.in_(chain)))
        return True

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

    # ------------------------------------------------------------ pooled figures

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



__all__ = ["Store", "score_values"]
