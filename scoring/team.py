"""A team assessment: several respondents of one firm, one combined answer set.

One respondent's view is biased (the owner rates strategy high, the accountant sees paper
invoices). Each respondent answers alone and is scored as usual; the firm's result is the
result of the *combined answers*, combined per question by the questionnaire's
``rules.team`` (scoring.model.TeamRule): the median respondent's answer for ordered answers,
an option ticked by a majority for multi-choice. Because the combination yields answers, not
averaged scores, the roadmap and the recommendations come from it exactly as for one firm.

Beside it: each pillar's spread across respondents, and the questions where respondents
disagree most (the gap between the lowest and the highest share of the question's points),
the first thing for a team to talk about.

Pure: no Streamlit, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.engine import (
    NA,
    Result,
    chosen_options,
    is_empty,
    question_outcome,
    visible_questions,
)
from scoring.model import QuestionBase, Questionnaire


@dataclass(frozen=True)
class Response:
    """One respondent: a role (owner, accounting, sales, operations, it, other) and answers."""

    role: str
    answers: dict[str, Any]


@dataclass(frozen=True)
class Disagreement:
    question: str
    spread: float  # highest minus lowest share of the question's points, 0..1
    low: tuple[str, Any]  # (role, answer) of the lowest
    high: tuple[str, Any]  # (role, answer) of the highest


@dataclass(frozen=True)
class PillarSpread:
    pillar: str
    low: float | None  # lowest respondent percent
    high: float | None
    by_role: tuple[tuple[str, float | None], ...]


# ---------------------------------------------------------------- combining


def combine(questionnaire: Questionnaire, responses: list[Response]) -> dict[str, Any]:
    """The firm's answers from its respondents' (each counted only where the question was
    shown to them). A required question that none of them was shown but the combined answers
    show counts at its lowest answer: nobody claimed more."""
    rule = questionnaire.rules.team
    seen = [(r, visible_questions(questionnaire, r.answers)) for r in responses]
    combined: dict[str, Any] = {}
    for _, q in questionnaire.questions():
        if not q.combines:
            continue  # free text is not combined
        values = [r.answers.get(q.id) for r, visible in seen if visible.get(q.id)]
        values = [v for v in values if not is_empty(v)]
        if not values:
            continue
        na = sum(1 for v in values if v == NA)
        if q.allow_na and na * 2 > len(values):
            combined[q.id] = NA
            continue
        values = [v for v in values if v != NA]
        if not values:
            continue
        value = q.combine(values, rule)  # the question's type says how (scoring.questions)
        if value is not None:
            combined[q.id] = value
    for _, q in questionnaire.questions():  # shown by the combination, seen by nobody
        lowest = q.lowest()
        if q.required and lowest is not None and q.id not in combined:
            if visible_questions(questionnaire, combined).get(q.id):
                combined[q.id] = lowest
    return combined


# ---------------------------------------------------------------- where they differ


def disagreements(questionnaire: Questionnaire, responses: list[Response], top: int = 5) -> list[Disagreement]:
    """The scored questions whose answers differ most across respondents, widest gap first
    (ties in questionnaire order); only questions two or more respondents answered."""
    out = []
    order = {q.id: i for i, (_, q) in enumerate(questionnaire.questions())}
    seen = [(r, visible_questions(questionnaire, r.answers)) for r in responses]
    for _, q in questionnaire.questions():
        qmax = q.maximum()
        if qmax <= 0:
            continue
        shares = []
        for r, visible in seen:
            value = r.answers.get(q.id)
            if not visible.get(q.id) or is_empty(value) or value == NA:
                continue
            _, points, _ = question_outcome(q, value)
            shares.append((points / qmax, r.role, value))
        if len(shares) < 2:
            continue
        low = min(shares, key=lambda s: s[0])
        high = max(shares, key=lambda s: s[0])
        if high[0] - low[0] > 0:
            out.append(Disagreement(q.id, high[0] - low[0], (low[1], low[2]), (high[1], high[2])))
    out.sort(key=lambda d: (-d.spread, order[d.question]))
    return out[:top]


def pillar_spread(questionnaire: Questionnaire, results: list[tuple[str, Result]]) -> list[PillarSpread]:
    """Each pillar's lowest and highest percent across respondents (role, result)."""
    out = []
    for pillar in questionnaire.pillars:
        by_role = tuple((role, r.pillars[pillar.id].percent) for role, r in results)
        values = [v for _, v in by_role if v is not None]
        out.append(PillarSpread(pillar.id, min(values) if values else None, max(values) if values else None, by_role))
    return out


def chosen_labels(q: QuestionBase, value: Any, lang: str) -> list[str]:
    """The option labels an answer picked (for "you say X, accounting says Y")."""
    return [item.label.get(lang) for item in chosen_options(q, value) if item.label is not None]
