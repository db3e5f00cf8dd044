"""Workshops: a facilitator's session with a join code on the projector.

A mixin of ``store.repository.Store`` (which provides ``read``, ``write``, ``clock``,
``create_draft``, ``submit`` and ``get``). Join codes are six characters from the
resume-code alphabet, unique among workshops; a clash (rare: 31^6 codes) just draws another.

Everything about a room lives in the database, never in process memory, so several app
servers behind a proxy show the same room: a participant who joined through one server is
counted on the projector served by another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Connection, Row, and_, case, func, insert, select, update

from scoring.model import FirmProfile, Questionnaire
from store import aggregates, codes
from store.errors import InvalidValue, NotFound, UnknownCode
from store.models import assessments, workshop_sharing, workshops
from store.records import SOURCES, SUBMITTED, AssessmentRecord, Participant, RoomCounts, Sharing, Workshop

if TYPE_CHECKING:
    from scoring.engine import Result

a = assessments
ws = workshop_sharing
NAME_LIMIT = 200


def _workshop(row: Row[Any]) -> Workshop:
    m = row._mapping
    return Workshop(
        id=m["id"], join_code=m["join_code"], name=m["name"], association=m["association"],
        facilitator=m["facilitator"], questionnaire_id=m["questionnaire_id"], language=m["language"],
        opened_at=m["opened_at"], closed_at=m["closed_at"], province=m["province"], held_on=m["held_on"],
    )


def workshop_row(conn: Connection, code: str) -> Row[Any] | None:
    """The workshop with this join code (any case, spaces ignored), or None."""
    raw = codes.normalise_join(code)
    if raw is None:
        return None
    return conn.execute(select(workshops).where(workshops.c.join_code == raw)).first()


def _text(value: str | None, field: str, *, required: bool = False) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidValue(f"{field}: required")
        return None
    if len(value) > NAME_LIMIT:
        raise InvalidValue(f"{field}: {len(value)} characters; the limit is {NAME_LIMIT}")
    return value


def _check_province(province: str | None) -> str | None:
    if province is None:
        return None
    from scoring.profile import load_profile_reference

    if load_profile_reference().province(province) is None:
        raise InvalidValue(f"province {province!r} is not one of the 34 provincial units")
    return province


class Workshops:
    # provided by store.repository.Store
    if TYPE_CHECKING:
        clock: Callable[[], datetime]

        def write(self) -> AbstractContextManager[Connection]: ...

        def read(self) -> AbstractContextManager[Connection]: ...

        def get(self, assessment_id: int) -> AssessmentRecord | None: ...

        def create_draft(self, questionnaire: Questionnaire, profile: FirmProfile | None = None, **kw: Any) -> tuple[AssessmentRecord, str]: ...

        def submit(self, code: str, questionnaire: Questionnaire, answers: dict[str, Any] | None = None) -> tuple[AssessmentRecord, Result]: ...

        def _find(self, conn: Connection, code: str | None, *, lock: bool = False) -> Row[Any] | None: ...

    def create_workshop(
        self,
        name: str,
        association: str | None,
        facilitator: str | None,
        questionnaire_id: str,
        language: str = "vi",
        *,
        province: str | None = None,
        held_on: date | None = None,
    ) -> Workshop:
        name = _text(name, "name", required=True)
        association = _text(association, "association")
        facilitator = _text(facilitator, "facilitator")
        province = _check_province(province)
        if language not in ("vi", "en"):
            raise InvalidValue(f"language {language!r}: choose vi or en")
        for _ in range(20):
            join_code = codes.new_join_code()
            try:
                with self.write() as conn:
                    new_id = conn.execute(
                        insert(workshops).values(
                            join_code=join_code, name=name, association=association, facilitator=facilitator,
                            questionnaire_id=questionnaire_id, language=language, opened_at=self.clock(),
                            province=province, held_on=held_on,
                        )
                    ).inserted_primary_key[0]
                    return _workshop(conn.execute(select(workshops).where(workshops.c.id == new_id)).one())
            except Exception as exc:  # the join code is taken (rare): draw another
                from sqlalchemy.exc import IntegrityError

                if not isinstance(exc, IntegrityError):
                    raise
                continue
        raise InvalidValue("could not draw a free join code")  # pragma: no cover - 31^6 codes

    def workshop_by_code(self, code: str) -> Workshop | None:
        with self.read() as conn:
            row = workshop_row(conn, code)
        return None if row is None else _workshop(row)

    def workshop(self, workshop_id: int) -> Workshop | None:
        with self.read() as conn:
            row = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).first()
        return None if row is None else _workshop(row)

    def list_workshops(self, *, facilitator: str | None = None, open_only: bool = False) -> list[Workshop]:
        stmt = select(workshops).order_by(workshops.c.opened_at.desc(), workshops.c.id.desc())
        if facilitator is not None:
            stmt = stmt.where(workshops.c.facilitator == facilitator)
        if open_only:
            stmt = stmt.where(workshops.c.closed_at.is_(None))
        with self.read() as conn:
            return [_workshop(r) for r in conn.execute(stmt)]

    def close_workshop(self, workshop_id: int) -> Workshop:
        with self.write() as conn:
            row = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).first()
            if row is None:
                raise NotFound(f"no workshop {workshop_id}")
            if row.closed_at is None:
                conn.execute(update(workshops).where(workshops.c.id == workshop_id).values(closed_at=self.clock()))
            return _workshop(conn.execute(select(workshops).where(workshops.c.id == workshop_id)).one())

    def workshop_results(self, workshop_id: int, include_drafts: bool = False) -> pd.DataFrame:
        with self.read() as conn:
            return aggregates.workshop_results(conn, workshop_id, include_drafts)

    # ------------------------------------------------------------ the room

    def workshop_counts(self, workshop_ids: Iterable[int]) -> dict[int, RoomCounts]:
        """Joined / answering / finished per workshop, in one query (the projector polls it)."""
        ids = list(workshop_ids)
        if not ids:
            return {}
        answering = and_(a.c.status != SUBMITTED, a.c.updated_at > a.c.created_at)
        stmt = (
            select(
                a.c.workshop_id,
                func.count(),
                func.sum(case((answering, 1), else_=0)),
                func.sum(case((a.c.status == SUBMITTED, 1), else_=0)),
            )
            .where(a.c.workshop_id.in_(ids))
            .group_by(a.c.workshop_id)
        )
        with self.read() as conn:
            rows = conn.execute(stmt).all()
        out = {i: RoomCounts() for i in ids}
        for wid, joined, busy, done in rows:
            out[int(wid)] = RoomCounts(int(joined), int(busy or 0), int(done or 0))
        return out

    def set_workshop_sharing(
        self,
        code: str,
        *,
        share_results: bool,
        share_name: bool = False,
        send_pdf: bool = False,
        source: str = "web",
    ) -> Sharing:
        """What the participant holding ``code`` agrees to share with the association. The
        name and the PDF go only with the results: without ``share_results`` both are off."""
        if source not in SOURCES:
            raise InvalidValue(f"source {source!r}: choose one of {', '.join(SOURCES)}")
        sharing = Sharing(bool(share_results), bool(share_results and share_name), bool(share_results and send_pdf), source)
        values = {
            "share_results": sharing.share_results, "share_name": sharing.share_name,
            "send_pdf": sharing.send_pdf, "source": sharing.source,
        }
        with self.write() as conn:
            row = self._find(conn, code, lock=True)
            if row is None:
                raise UnknownCode("no assessment has that resume code")
            if row.workshop_id is None:
                raise InvalidValue("this assessment was not started in a workshop")
            done = conn.execute(update(ws).where(ws.c.assessment_id == row.id).values(**values)).rowcount
            if not done:
                conn.execute(insert(ws).values(assessment_id=row.id, **values))
        return sharing

    def workshop_sharing(self, assessment_id: int) -> Sharing | None:
        with self.read() as conn:
            row = conn.execute(select(ws).where(ws.c.assessment_id == assessment_id)).first()
        if row is None:
            return None
        return Sharing(bool(row.share_results), bool(row.share_name), bool(row.send_pdf), row.source)

    def workshop_participants(self, workshop_id: int, *, submitted_only: bool = True) -> list[Participant]:
        """Every assessment of the room with what it shares (for the room picture and the
        exports; a room is tens of firms, so one record each is fine)."""
        stmt = (
            select(a.c.id, ws.c.share_results, ws.c.share_name, ws.c.send_pdf, ws.c.source)
            .select_from(a.outerjoin(ws, ws.c.assessment_id == a.c.id))
            .where(a.c.workshop_id == workshop_id)
            .order_by(a.c.id)
        )
        if submitted_only:
            stmt = stmt.where(a.c.status == SUBMITTED)
        with self.read() as conn:
            rows = conn.execute(stmt).all()
        out = []
        for rid, share, name, pdf, source in rows:
            record = self.get(int(rid))
            if record is None:  # deleted in between
                continue
            out.append(Participant(record, Sharing(bool(share), bool(name), bool(pdf), source or "web")))
        return out

    def join_workshop(
        self,
        join_code: str,
        questionnaire: Questionnaire,
        profile: FirmProfile | None,
        *,
        language: str = "vi",
        consent: bool = False,
        share_results: bool = False,
        share_name: bool = False,
        send_pdf: bool = False,
    ) -> tuple[AssessmentRecord, str]:
        """A participant's draft in the workshop (refused for an unknown or closed workshop,
        or a questionnaire other than the workshop's) and what they share; returns the
        record and their own resume code."""
        found = self.workshop_by_code(join_code)
        if found is None:
            raise UnknownCode(f"no workshop has the join code {join_code!r}")
        if found.questionnaire_id != questionnaire.id:
            raise InvalidValue(f"this workshop uses questionnaire {found.questionnaire_id!r}, not {questionnaire.id!r}")
        record, code = self.create_draft(
            questionnaire, profile, language=language, consent=consent, workshop_code=found.join_code
        )
        self.set_workshop_sharing(code, share_results=share_results, share_name=share_name, send_pdf=send_pdf)
        return record, code

    def submit_paper_form(
        self,
        workshop_id: int,
        questionnaire: Questionnaire,
        profile: FirmProfile | None,
        answers: dict[str, Any],
        *,
        consent: bool = False,
        share_results: bool = False,
        share_name: bool = False,
        source: str = "paper",
    ) -> tuple[AssessmentRecord, str]:
        """A paper form typed back in: scored and submitted at once, tagged to the workshop
        and to its source. Scoring first, so a form with a problem stores nothing."""
        from scoring.engine import score_assessment

        found = self.workshop(workshop_id)
        if found is None:
            raise NotFound(f"no workshop {workshop_id}")
        if found.questionnaire_id != questionnaire.id:
            raise InvalidValue(f"this workshop uses questionnaire {found.questionnaire_id!r}, not {questionnaire.id!r}")
        score_assessment(questionnaire, answers)  # raises AnswerError listing every problem
        # not through create_draft's workshop_code: a facilitator types forms in after the
        # workshop has closed too
        record, code = self.create_draft(questionnaire, profile, language=found.language, consent=consent)
        with self.write() as conn:
            conn.execute(update(a).where(a.c.id == record.id).values(workshop_id=workshop_id))
        self.set_workshop_sharing(code, share_results=share_results, share_name=share_name, source=source)
        record, _ = self.submit(code, questionnaire, answers)
        return record, code
