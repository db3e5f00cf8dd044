"""What the store hands out: plain dataclasses, detached from any database session.

The pages keep these in ``st.session_state`` and pass them between threads, so they must
not lazy-load or expire the way ORM objects do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from scoring.model import FirmProfile

DRAFT = "draft"
SUBMITTED = "submitted"
STATUSES = (DRAFT, SUBMITTED)
BASELINE = "baseline"
FOLLOW_UP = "follow_up"
ROUNDS = (BASELINE, FOLLOW_UP)
ROLES = ("facilitator", "programme", "admin")
SOURCES = ("web", "paper", "csv")


@dataclass(frozen=True)
class AssessmentRecord:
    id: int
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_hash: str
    language: str
    status: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    profile: FirmProfile
    consent: bool
    consent_at: datetime | None
    round: str
    previous_id: int | None
    answers: dict[str, Any]
    # the headline figures when submitted: {"total", "max_total", "percent", "overall_level",
    # "pillars": {pid: {"percent", "level"}}} (percents to 1/10 000 of a point). The full
    # Result is scored again from the answers: Store.result(record).
    result: dict[str, Any] | None
    step: int
    workshop_id: int | None
    layout_id: int = 0  # the questionnaire_versions row: Store.questionnaire_for(record)

    @property
    def submitted(self) -> bool:
        return self.status == SUBMITTED


@dataclass(frozen=True)
class PeerBenchmark:
    """Means over similar firms (submitted, consented), never fewer than k of them."""

    n: int
    pillars: dict[str, float]  # pillar id -> mean percent
    overall_level_mean: float
    percent_mean: float | None = None
    level_counts: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RescoreReport:
    """What ``Store.rescore`` did: rows scored on the target version (kept beside their
    original figures), and the rows it could not score, each with why."""

    target: tuple[str, str, str]  # questionnaire id, version, content hash
    selected: int
    rescored: int
    unchanged_level: int
    failed: list[tuple[int, str]]  # (assessment id, why)

    @property
    def failed_count(self) -> int:
        return len(self.failed)


@dataclass(frozen=True)
class Workshop:
    id: int
    join_code: str
    name: str
    association: str | None
    facilitator: str | None
    questionnaire_id: str
    language: str
    opened_at: datetime
    closed_at: datetime | None
    province: str | None = None
    held_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class RoomCounts:
    """A workshop's room at a glance: joined (a draft exists), answering (a draft with saved
    answers), finished (submitted)."""

    joined: int = 0
    answering: int = 0
    finished: int = 0


@dataclass(frozen=True)
class Sharing:
    """What a workshop participant agreed to share with the association (apart from pooling)."""

    share_results: bool = False
    share_name: bool = False
    send_pdf: bool = False
    source: str = "web"  # web | paper | csv


@dataclass(frozen=True)
class Participant:
    record: AssessmentRecord
    sharing: Sharing


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    last_login_at: datetime | None
