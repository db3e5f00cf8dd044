"""Team assessments: several respondents of one firm, each on their own device and code.

- The owner opens a team from their own assessment (a draft or a finished one): the team
  takes the firm's profile (filled once) and the owner's consent to pooling, and the owner's
  own assessment stops being pooled on its own, so the firm never counts twice.
- A colleague joins with the team code and a role; their assessment copies the firm's
  profile and is never pooled on its own either (its consent is off; they agree only to their
  answers being combined).
- The owner (whoever holds the owner's resume code) sees who has finished, by role; removes
  a respondent's answers; shares the combined view or not; and closes the round: the
  combined answers (scoring.team.combine) become one submitted assessment with the team's
  consent, the one result of the firm that pooled figures count.

A mixin of ``store.repository.Store`` (``read``, ``write``, ``clock``, ``create_draft``,
``submit``, ``get``, ``load``, ``_find``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from scoring.model import FirmProfile, Questionnaire
from store import codes
from store.errors import InvalidValue, NotFound, UnknownCode, WorkshopClosed
from store.models import assessments, team_members, teams
from store.records import SUBMITTED, AssessmentRecord

if TYPE_CHECKING:
    from scoring.engine import Result

ROLES = ("owner", "accounting", "sales", "operations", "it", "other")


@dataclass(frozen=True)
class Team:
    id: int
    code: str
    questionnaire_id: str
    owner_id: int | None
    combined_id: int | None
    profile: FirmProfile
    language: str
    consent: bool
    shared: bool
    opened_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Member:
    record: AssessmentRecord
    role: str

    @property
    def finished(self) -> bool:
        return self.record.status == SUBMITTED


def _team(row: Row[Any]) -> Team:
    m = row._mapping
    return Team(
        id=m["id"], code=m["code"], questionnaire_id=m["questionnaire_id"], owner_id=m["owner_id"],
        combined_id=m["combined_id"],
        profile=FirmProfile(name=m["firm_name"], sector=m["sector"], size_band=m["size_band"],
                            province=m["province"], staff=m["staff"]),
        language=m["language"], consent=bool(m["consent"]), shared=bool(m["shared"]),
        opened_at=m["opened_at"], closed_at=m["closed_at"],
    )


class TeamClosed(WorkshopClosed):
    """The team's round is closed: no one joins or changes it any more."""


class Teams:
    if TYPE_CHECKING:
        clock: Callable[[], datetime]

        def write(self) -> AbstractContextManager[Connection]: ...

        def read(self) -> AbstractContextManager[Connection]: ...

        def get(self, assessment_id: int) -> AssessmentRecord | None: ...

        def load(self, code: str) -> AssessmentRecord | None: ...

        def create_draft(self, questionnaire: Questionnaire, profile: FirmProfile | None = None, **kw: Any) -> tuple[AssessmentRecord, str]: ...

        def submit(self, code: str, questionnaire: Questionnaire, answers: dict[str, Any] | None = None) -> tuple[AssessmentRecord, Result]: ...

        def set_consent(self, code: str, consent: bool) -> AssessmentRecord: ...

        def _find(self, conn: Connection, code: str | None, *, lock: bool = False) -> Row[Any] | None: ...

    # ------------------------------------------------------------ reading

    def team_by_code(self, code: str) -> Team | None:
        raw = codes.normalise_join(code)
        if raw is None:
            return None
        with self.read() as conn:
            row = conn.execute(select(teams).where(teams.c.code == raw)).first()
        return None if row is None else _team(row)

    def team(self, team_id: int) -> Team | None:
        with self.read() as conn:
            row = conn.execute(select(teams).where(teams.c.id == team_id)).first()
        return None if row is None else _team(row)

    def team_of(self, assessment_id: int) -> tuple[Team, str] | None:
        """The team an assessment answers for, and its respondent's role (None when alone)."""
        with self.read() as conn:
            row = conn.execute(
                select(teams, team_members.c.role)
                .join(team_members, team_members.c.team_id == teams.c.id)
                .where(team_members.c.assessment_id == assessment_id)
            ).first()
        return None if row is None else (_team(row), row.role)

    def team_members(self, team_id: int) -> list[Member]:
        with self.read() as conn:
            rows = conn.execute(
                select(team_members.c.assessment_id, team_members.c.role)
                .where(team_members.c.team_id == team_id)
                .order_by(team_members.c.joined_at, team_members.c.assessment_id)
            ).all()
        out = []
        for aid, role in rows:
            record = self.get(int(aid))
            if record is not None:
                out.append(Member(record, role))
        return out

    # ------------------------------------------------------------ the owner

    def _owned(self, conn: Connection, owner_code: str) -> tuple[Row[Any], Row[Any]]:
        """The owner's assessment row and their team's row (locked), or a clear refusal."""
        owner = self._find(conn, owner_code)
        if owner is None:
            raise UnknownCode("no assessment has that resume code")
        row = conn.execute(select(teams).where(teams.c.owner_id == owner.id).with_for_update()).first()
        if row is None:
            raise NotFound("this assessment does not own a team")
        return owner, row

    def create_team(self, owner_code: str, questionnaire: Questionnaire) -> Team:
        """A team for the firm of this assessment (the owner's; draft or finished). The
        owner's consent to pooling moves to the team, so only the combined result is pooled."""
        record = self.load(owner_code)
        if record is None:
            raise UnknownCode("no assessment has that resume code")
        if record.questionnaire_id != questionnaire.id:
            raise InvalidValue(f"the assessment uses {record.questionnaire_id!r}, not {questionnaire.id!r}")
        if self.team_of(record.id) is not None:
            raise InvalidValue("this assessment already answers for a team")
        now = self.clock()
        for _ in range(20):
            code = codes.new_join_code()
            try:
                with self.write() as conn:
                    new_id = conn.execute(
                        insert(teams).values(
                            code=code, questionnaire_id=questionnaire.id, owner_id=record.id,
                            firm_name=record.profile.name, sector=record.profile.sector,
                            size_band=record.profile.size_band, province=record.profile.province,
                            staff=record.profile.staff, language=record.language, consent=record.consent,
                            shared=False, opened_at=now,
                        )
                    ).inserted_primary_key[0]
                    conn.execute(insert(team_members).values(assessment_id=record.id, team_id=new_id, role="owner",
                                                             joined_at=now))
                    break
            except IntegrityError:
                continue  # the code is taken (rare): draw another
        else:  # pragma: no cover - 31^6 codes
            raise InvalidValue("could not draw a free team code")
        if record.consent:
            self.set_consent(owner_code, False)  # the firm is pooled once: through the combined result
        found = self.team(int(new_id))
        assert found is not None
        return found

    def set_team_shared(self, owner_code: str, shared: bool) -> Team:
        with self.write() as conn:
            _, row = self._owned(conn, owner_code)
            conn.execute(update(teams).where(teams.c.id == row.id).values(shared=bool(shared)))
        return self.team(row.id)  # type: ignore[return-value]

    def set_team_consent(self, owner_code: str, consent: bool) -> Team:
        """The owner's consent to pooling the combined result (also after the round closed)."""
        with self.write() as conn:
            _, row = self._owned(conn, owner_code)
            conn.execute(update(teams).where(teams.c.id == row.id).values(consent=bool(consent)))
            if row.combined_id is not None:
                self._consent_ids(conn, [row.combined_id], bool(consent))
        return self.team(row.id)  # type: ignore[return-value]

    # the two writes a team makes to assessments it holds no resume code for (its combined
    # result, a removed respondent), in the caller's transaction; every summary follows
    def _consent_ids(self, conn: Connection, ids: list[int], consent: bool) -> None:
        from store import summary

        summary.retract(conn, ids)
        conn.execute(update(assessments).where(assessments.c.id.in_(ids))
                     .values(consent=consent, consent_at=self.clock(), updated_at=self.clock()))
        summary.apply(conn, ids)

    def _delete_ids(self, conn: Connection, ids: list[int]) -> None:
        from store import summary

        summary.retract(conn, ids)
        conn.execute(update(assessments).where(assessments.c.previous_id.in_(ids)).values(previous_id=None))
        conn.execute(delete(assessments).where(assessments.c.id.in_(ids)))

    def remove_member(self, owner_code: str, assessment_id: int) -> None:
        """The owner removes a respondent's answers (never their own: they delete their data)."""
        with self.write() as conn:
            owner, row = self._owned(conn, owner_code)
            if assessment_id == owner.id:
                raise InvalidValue("the owner's own answers are removed by deleting the assessment")
            member = conn.execute(
                select(team_members).where(team_members.c.assessment_id == assessment_id,
                                           team_members.c.team_id == row.id)
            ).first()
            if member is None:
                raise NotFound("no such respondent in this team")
            if row.closed_at is not None:
                raise TeamClosed("the round is closed")
            self._delete_ids(conn, [assessment_id])

    def close_team(self, owner_code: str, questionnaire: Questionnaire, combined_answers: dict[str, Any]) -> Team:
        """Close the round: the combined answers become the firm's one submitted assessment,
        pooled only with the team's (the owner's) consent. Scored first: a combination that
        does not score stores nothing."""
        from scoring.engine import score_assessment

        score_assessment(questionnaire, combined_answers)  # raises AnswerError listing every problem
        with self.read() as conn:
            _, row = self._owned(conn, owner_code)
        if row.closed_at is not None:
            raise TeamClosed("the round is already closed")
        team = _team(row)
        record, code = self.create_draft(questionnaire, team.profile, language=team.language, consent=team.consent)
        self.submit(code, questionnaire, combined_answers)
        with self.write() as conn:
            conn.execute(update(teams).where(teams.c.id == row.id).values(closed_at=self.clock(), combined_id=record.id))
        return self.team(row.id)  # type: ignore[return-value]

    def delete_team(self, owner_code: str) -> bool:
        """With the owner's "delete my data": the team, its combined result and the link of its
        respondents to it (their own assessments stay theirs to delete)."""
        with self.write() as conn:
            owner = self._find(conn, owner_code)
            if owner is None:
                return False
            row = conn.execute(select(teams).where(teams.c.owner_id == owner.id)).first()
            if row is None:
                return False
            conn.execute(delete(team_members).where(team_members.c.team_id == row.id))
            conn.execute(delete(teams).where(teams.c.id == row.id))
            if row.combined_id is not None:
                self._delete_ids(conn, [row.combined_id])
        return True

    # ------------------------------------------------------------ respondents

    def join_team(
        self, team_code: str, questionnaire: Questionnaire, role: str, *, language: str = "vi"
    ) -> tuple[AssessmentRecord, str]:
        """A colleague's own draft for the team's firm (its profile, never pooled on its own)."""
        if role not in ROLES or role == "owner":
            raise InvalidValue(f"role {role!r}: choose one of {', '.join(r for r in ROLES if r != 'owner')}")
        team = self.team_by_code(team_code)
        if team is None:
            raise UnknownCode(f"no team has the code {team_code!r}")
        if not team.is_open:
            raise TeamClosed("this team's round is closed")
        if team.questionnaire_id != questionnaire.id:
            raise InvalidValue(f"this team answers {team.questionnaire_id!r}, not {questionnaire.id!r}")
        record, code = self.create_draft(questionnaire, team.profile, language=language, consent=False)
        with self.write() as conn:
            conn.execute(insert(team_members).values(assessment_id=record.id, team_id=team.id, role=role,
                                                     joined_at=self.clock()))
        return record, code
