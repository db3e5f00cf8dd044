"""The building blocks of a questionnaire: bilingual text, conditions, answer options, matrix
rows, number bands; and the few facts about answer values every question type shares (what
"not applicable" and "no answer" are).

``scoring.questions`` builds the question types from them, ``scoring.model`` the questionnaire.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

# Numbers a questionnaire may give: finite (``.nan`` and ``.inf`` would poison every score that
# touches them), and points never below 0 (a negative option would make percentages negative).
Finite = Annotated[float, Field(allow_inf_nan=False)]
Points = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]

NA = "na"  # the answer "not applicable", where a question allows it


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(RootModel[dict[str, str]]):
    """Bilingual text: ``{vi: ..., en: ...}``. The loaders check every language is there."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, value: Any) -> Any:
        if isinstance(value, Text):
            return value.root
        if not isinstance(value, dict):
            raise ValueError("expected a translation mapping like {vi: ..., en: ...}")
        return value

    def get(self, lang: str, fallback: str = "vi") -> str:
        return self.root.get(lang) or self.root.get(fallback) or next(iter(self.root.values()), "")

    def __hash__(self) -> int:  # frozen RootModel over a dict is not hashable by default
        return hash(tuple(sorted(self.root.items())))


# --- conditions ------------------------------------------------------------------


class Condition(Strict):
    """``{question: q, in: [values]}`` and/or numeric bounds. Never evaluated as code."""

    question: str
    in_: list[str | int | float | bool] | None = Field(default=None, alias="in")
    at_least: Finite | None = None
    at_most: Finite | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ConditionGroup(Strict):
    all: list[Condition] | None = None
    any: list[Condition] | None = None


ShowIf = Condition | ConditionGroup


# --- what an answer picks ------------------------------------------------------------


class Option(Strict):
    id: str
    label: Text  # a yes/no question's may be left out in the file: its question fills it in
    points: Points = 0
    advice: Text | None = None  # "how to do better", shown when this answer is below the top
    gaps: tuple[str, ...] = ()  # capability tags this answer reveals as missing
    uses: tuple[str, ...] = ()  # capability tags this answer shows the firm already has
    exclusive: bool = False  # multi only: "none of these" cannot be ticked with others


class Row(Strict):
    id: str
    label: Text


class Band(Strict):
    """A band of a number question: covers ``[from, next band's from)``; the last band includes max."""

    from_: Finite = Field(alias="from")
    points: Points
    label: Text | None = None
    advice: Text | None = None
    gaps: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Picked = Option | Band  # what an answer chose: it carries advice and capability tags


# --- answer values -----------------------------------------------------------------


def is_empty(value: Any) -> bool:
    """No answer: None, NaN, an empty string, list or mapping."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, (str, list, tuple, dict)) and len(value) == 0:
        return True
    return False


def is_number(value: Any) -> bool:
    """A finite int or float (a bool is not a number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


__all__ = [
    "NA",
    "Band",
    "Condition",
    "ConditionGroup",
    "Finite",
    "Option",
    "Percent",
    "Picked",
    "Points",
    "Row",
    "ShowIf",
    "Strict",
    "Text",
    "is_empty",
    "is_number",
]
