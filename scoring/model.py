"""The questionnaire schema: what a questionnaire YAML file may say.

Pydantic checks the shape of each entry (types, required fields, unknown keys);
``scoring.loader`` adds the cross-entry checks (references, translations, rules)
and turns every problem into one line naming the file, the YAML path and the line.

A loaded questionnaire is immutable (frozen models) and carries its content hash.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

# Numbers a questionnaire may give: finite (``.nan`` and ``.inf`` would poison every score that
# touches them), and points never below 0 (a negative option would make percentages negative).
Finite = Annotated[float, Field(allow_inf_nan=False)]
Points = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(RootModel[dict[str, str]]):
    """Bilingual text: ``{vi: ..., en: ...}``. The loader checks every language is there."""

    model_config = ConfigDict(frozen=True)

    def get(self, lang: str, fallback: str = "vi") -> str:
        return self.root.get(lang) or self.root.get(fallback) or next(iter(self.root.values()), "")

    def __hash__(self) -> int:  # frozen RootModel over a dict is not hashable by default
        return hash(tuple(sorted(self.root.items())))


# --- conditions ------------------------------------------------------------------


class Condition(_Strict):
    """``{question: q, in: [values]}`` and/or numeric bounds. Never evaluated as code."""

    question: str
    in_: list[str | int | float | bool] | None = Field(default=None, alias="in")
    at_least: Finite | None = None
    at_most: Finite | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ConditionGroup(_Strict):
    all: list[Condition] | None = None
    any: list[Condition] | None = None


ShowIf = Condition | ConditionGroup


# --- options and questions --------------------------------------------------------


class Option(_Strict):
    id: str
    label: Text | None = None  # optional only for yesno (filled in by the loader)
    points: Points = 0
    advice: Text | None = None  # "how to do better", shown when this answer is below the top
    gaps: tuple[str, ...] = ()  # capability tags this answer reveals as missing
    uses: tuple[str, ...] = ()  # capability tags this answer shows the firm already has
    exclusive: bool = False  # multi only: "none of these" cannot be ticked with others


class Row(_Strict):
    id: str
    label: Text


class Band(_Strict):
    """A band of a number question: covers ``[from, next band's from)``; the last band includes max."""

    from_: Finite = Field(alias="from")
    points: Points
    label: Text | None = None
    advice: Text | None = None
    gaps: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _QuestionBase(_Strict):
    id: str
    code: str | None = None  # the framework's own number for this criterion, e.g. DBI "3.2.4"
    text: Text
    help: Text | None = None
    required: bool = True
    allow_na: bool = False
    show_if: ShowIf | None = None
    advice: Text | None = None  # question-level advice when the answer is below the top


class SingleQuestion(_QuestionBase):
    type: Literal["single"]
    options: tuple[Option, ...]


class YesNoQuestion(_QuestionBase):
    type: Literal["yesno"]
    options: tuple[Option, ...] = ()  # ids must be exactly yes and no; labels optional


class MultiQuestion(_QuestionBase):
    type: Literal["multi"]
    options: tuple[Option, ...]
    scoring: Literal["sum", "share", "none"] = "sum"
    cap: Points | None = None  # sum: at most this many points
    max_points: Points | None = None  # share: points when every scoring option is ticked


class ScaleQuestion(_QuestionBase):
    type: Literal["scale"]
    min: int = Field(default=0, ge=-1000, le=1000)
    max: int = Field(default=5, ge=-1000, le=1000)
    max_points: Points | None = None  # default: max - min
    anchors: dict[int, Text] = Field(default_factory=dict)


class MatrixQuestion(_QuestionBase):
    type: Literal["matrix"]
    rows: tuple[Row, ...]
    options: tuple[Option, ...]  # the columns of the scale, with points
    aggregate: Literal["mean", "sum"] = "mean"


class NumberQuestion(_QuestionBase):
    type: Literal["number"]
    min: Finite
    max: Finite
    unit: Text | None = None
    bands: tuple[Band, ...]


class TextQuestion(_QuestionBase):
    type: Literal["text"]
    required: bool = False
    max_length: int = Field(default=2000, ge=1, le=100_000)


Question = Annotated[
    SingleQuestion | YesNoQuestion | MultiQuestion | ScaleQuestion | MatrixQuestion | NumberQuestion | TextQuestion,
    Field(discriminator="type"),
]


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
    def questions(self) -> list[tuple[Pillar, Question]]:
        return [(p, q) for p in self.pillars for q in p.questions]

    def question(self, qid: str) -> Question:
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
