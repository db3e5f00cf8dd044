"""The questionnaire schema: what a questionnaire YAML file may say.

The building blocks (bilingual text, conditions, options, rows, bands) are in
``scoring.parts``, the question types (each a class with its behaviour) in
``scoring.questions``; both are re-exported here. Pydantic checks the shape of each entry
(types, required fields, unknown keys); ``scoring.loader`` adds the cross-entry checks
(references, translations, rules) and turns every problem into one line naming the file,
the YAML path and the line.

A loaded questionnaire is immutable (frozen models) and carries its content hash.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from scoring.parts import (  # noqa: F401 - the building blocks, re-exported for callers
    NA,
    Band,
    Condition,
    ConditionGroup,
    Finite,
    Option,
    Percent,
    Points,
    Row,
    ShowIf,
    Text,
)
from scoring.parts import Strict as _Strict
from scoring.questions import (  # noqa: F401 - the question types, re-exported for callers
    QUESTION_CLASSES,
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    QuestionBase,
    ScaleQuestion,
    SingleQuestion,
    TextQuestion,
    YesNoQuestion,
)


class Pillar(_Strict):
    id: str
    name: Text
    description: Text | None = None
    weight: float = Field(default=1.0, ge=0, allow_inf_nan=False)
    questions: tuple[Question, ...]


class Level(_Strict):
    level: int = Field(ge=0, le=9)
    name: Text
    meaning: Text


# --- level rules -------------------------------------------------------------------


class LevelThreshold(_Strict):
    """One band of a level table: give exactly one of ``min_percent`` ("at least", the EU DMAT
    style) and ``above_percent`` ("strictly above": DBI's "trên 10% đến 20%", where the upper
    bound stays in the lower level)."""

    level: int = Field(ge=0, le=9)
    min_percent: Finite | None = None  # the loader checks the range and names the field
    above_percent: Finite | None = None

    @property
    def percent(self) -> float:
        """The threshold, whichever way it is written (the loader ensures one is given)."""
        return self.above_percent if self.above_percent is not None else (self.min_percent or 0.0)

    @property
    def strict(self) -> bool:
        return self.above_percent is not None

    def reached(self, value: float, scale: float = 1.0) -> bool:
        """``value`` against the threshold times ``scale`` (exact comparisons: ``points × 100``
        against ``percent × maximum`` avoid a division's rounding at the boundary)."""
        bound = self.percent * scale
        return value > bound if self.strict else value >= bound


class CompositeRequirement(_Strict):
    """One row of a DBI-style table: the level holds when the total and the pillar count both do."""

    level: int = Field(ge=0, le=9)
    total_above: Points | None = None  # points, strictly greater
    total_percent_above: Percent | None = None  # percent of the maximum total, strictly greater
    min_pillars: int = Field(default=0, ge=0)  # pillars at this level or higher


class CompositeRule(_Strict):
    method: Literal["composite"]
    requirements: tuple[CompositeRequirement, ...]


class WeightedMeanRule(_Strict):
    method: Literal["weighted_mean"]
    bands: tuple[LevelThreshold, ...]


OverallRule = Annotated[CompositeRule | WeightedMeanRule, Field(discriminator="method")]


class TeamRule(_Strict):
    """How several respondents' answers to one question combine into the firm's answer (a
    team assessment). ``ordinal`` for single, yes/no, scale, number and each matrix row: the
    median respondent's answer, ordered by points (with an even count, ``median_low`` takes the
    lower of the two middle answers: the cautious reading). ``multi``: an option counts when
    ticked by more than half of the respondents (``majority``), by anyone (``any``) or by
    all (``all``). N/A wins only when more than half answered N/A. Free text is not combined."""

    ordinal: Literal["median_low", "median_high"] = "median_low"
    multi: Literal["majority", "any", "all"] = "majority"


class Rules(_Strict):
    # "points": pillar percent = points / maximum; "mean_of_questions": each question is
    # normalised to 0..1 first and the pillar percent is their mean (EU DMAT style).
    pillar_percent: Literal["points", "mean_of_questions"] = "points"
    pillar_levels: tuple[LevelThreshold, ...]
    overall: OverallRule
    team: TeamRule = Field(default_factory=TeamRule)


class Questionnaire(_Strict):
    id: str
    version: str
    languages: tuple[str, ...] = ("vi", "en")
    default_language: str = "vi"
    title: Text
    description: Text
    indicative: bool = False  # a quick check: its level is indicative
    indicative_note: Text | None = None
    estimated_minutes: int | None = Field(default=None, ge=0, le=1000)
    levels: tuple[Level, ...]
    pillars: tuple[Pillar, ...]
    rules: Rules
    content_hash: str = ""  # set by the loader: sha256 of the canonical content

    # ---- lookups (computed, cheap) ----
    def questions(self) -> list[tuple[Pillar, QuestionBase]]:
        return [(p, q) for p in self.pillars for q in p.questions]

    def question(self, qid: str) -> QuestionBase:
        for _, q in self.questions():
            if q.id == qid:
                return q
        raise KeyError(qid)

    def pillar(self, pid: str) -> Pillar:
        for p in self.pillars:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def level(self, n: int) -> Level:
        for lv in self.levels:
            if lv.level == n:
                return lv
        raise KeyError(n)


FIRM_NAME_MAX = 200  # characters; the store's column holds as many


class FirmProfile(BaseModel):
    """Who answered: optional name, VSIC section, size band, province id, staff count.

    Bounded so that no input can make a page or a PDF render for minutes: a name of at most
    ``FIRM_NAME_MAX`` characters, short ids, a plausible staff count."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str | None = Field(default=None, max_length=FIRM_NAME_MAX)
    sector: str | None = Field(default=None, max_length=8)  # VSIC 2018 section letter "A".."U"
    size_band: str | None = Field(default=None, max_length=32)  # household | micro | small | medium | large
    province: str | None = Field(default=None, max_length=64)  # province id, e.g. "ha_noi"
    staff: int | None = Field(default=None, ge=0, le=10_000_000)
