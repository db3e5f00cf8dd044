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

from collections import Counter
from dataclasses import dataclass
from typing import Any

from scoring.engine import (
    NA,
    Result,
    chosen_options,
    is_empty,
    question_max,
    question_outcome,
    visible_questions,
)
from scoring.model import (
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    Questionnaire,
    ScaleQuestion,
    TextQuestion,
)


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


def _median_index(n: int, rule: str) -> int:
    return (n - 1) // 2 if rule == "median_low" else n // 2


def _order_key(q: Question, value: Any) -> tuple[float, int]:
    """Ordered answers by points, then by their place in the question (a stable tie-break)."""
    if isinstance(q, (ScaleQuestion, NumberQuestion)):
        return (float(value), 0)
    ids = [o.id for o in q.options]
    points = {o.id: o.points for o in q.options}
    return (float(points.get(value, 0.0)), ids.index(value) if value in ids else 0)


def _ordinal(q: Question, values: list[Any], rule: str) -> Any:
    ordered = sorted(values, key=lambda v: _order_key(q, v))
    return ordered[_median_index(len(ordered), rule)]


def _matrix(q: MatrixQuestion, values: list[dict[str, str]], rule: str) -> dict[str, str]:
    out = {}
    for row in q.rows:
        given = [v[row.id] for v in values if isinstance(v, dict) and v.get(row.id) is not None]
        if given:
            ordered = sorted(given, key=lambda v: _order_key(q, v))
            out[row.id] = ordered[_median_index(len(ordered), rule)]
    return out


def _multi(q: MultiQuestion, values: list[list[str]], rule: str) -> list[str]:
    counts = Counter(opt for value in values for opt in set(value))
    n = len(values)
    if rule == "any":
        picked = [o.id for o in q.options if counts[o.id] > 0]
    elif rule == "all":
        picked = [o.id for o in q.options if counts[o.id] == n]
    else:
        picked = [o.id for o in q.options if counts[o.id] * 2 > n]
    exclusive = {o.id for o in q.options if o.exclusive}
    if len(picked) > 1:
        picked = [p for p in picked if p not in exclusive] or picked[:1]
    if not picked:
        # nothing reached the rule: "none of these" when it is offered, else the most ticked
        if exclusive:
            picked = [next(o.id for o in q.options if o.exclusive)]
        else:
            top = max(counts.values(), default=0)
            picked = [o.id for o in q.options if top and counts[o.id] == top and o.id not in exclusive]
    return picked


def combine(questionnaire: Questionnaire, responses: list[Response]) -> dict[str, Any]:
    """The firm's answers from its respondents' (each counted only where the question was
    shown to them). A required question that none of them was shown but the combined answers
    show counts at its lowest answer: nobody claimed more."""
    rule = questionnaire.rules.team
    seen = [(r, visible_questions(questionnaire, r.answers)) for r in responses]
    combined: dict[str, Any] = {}
    for _, q in questionnaire.questions():
        if isinstance(q, TextQuestion):
            continue
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
        if isinstance(q, MultiQuestion):
            combined[q.id] = _multi(q, [v for v in values if isinstance(v, list)], rule.multi)
        elif isinstance(q, MatrixQuestion):
            rows = _matrix(q, values, rule.ordinal)
            if rows:
                combined[q.id] = rows
        else:
            combined[q.id] = _ordinal(q, values, rule.ordinal)
    for _, q in questionnaire.questions():  # shown by the combination, seen by nobody
        if q.required and not isinstance(q, TextQuestion) and q.id not in combined:
            if visible_questions(questionnaire, combined).get(q.id):
                combined[q.id] = _lowest(q)
    return combined


def _lowest(q: Question) -> Any:
    if isinstance(q, ScaleQuestion):
        return q.min
    if isinstance(q, NumberQuestion):
        return q.min
    if isinstance(q, MatrixQuestion):
        low = min(q.options, key=lambda o: (o.points, [x.id for x in q.options].index(o.id)))
        return {r.id: low.id for r in q.rows}
    if isinstance(q, MultiQuestion):
        exclusive = [o.id for o in q.options if o.exclusive]
        return exclusive[:1] or [min(q.options, key=lambda o: o.points).id]
    return min(q.options, key=lambda o: (o.points, [x.id for x in q.options].index(o.id))).id


# ---------------------------------------------------------------- where they differ


def disagreements(questionnaire: Questionnaire, responses: list[Response], top: int = 5) -> list[Disagreement]:
    """The scored questions whose answers differ most across respondents, widest gap first
    (ties in questionnaire order); only questions two or more respondents answered."""
    out = []
    order = {q.id: i for i, (_, q) in enumerate(questionnaire.questions())}
    seen = [(r, visible_questions(questionnaire, r.answers)) for r in responses]
    for _, q in questionnaire.questions():
        qmax = question_max(q)
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


def chosen_labels(q: Question, value: Any, lang: str) -> list[str]:
    """The option labels an answer picked (for "you say X, accounting says Y")."""
    return [item.label.get(lang) for item in chosen_options(q, value) if getattr(item, "label", None) is not None]
