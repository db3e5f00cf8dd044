"""Scoring one assessment: answers → points, percent and level per pillar, overall level.

The per-question functions here (`check_answer`, `question_outcome`, `condition_holds`), with
what each question type does (``scoring.questions``), are the single truth for scoring: ``scoring.bulk`` calls them once per distinct answer value and
vectorises only the sums, so both paths give the same numbers.

Answers are ``{question_id: value}`` where value is: an option id (single, yesno), a list of
option ids (multi), a number (scale, number), ``{row_id: option_id}`` (matrix), a string
(text) or ``"na"`` (not applicable, where the question allows it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from scoring.model import (
    CompositeRule,
    Condition,
    ConditionGroup,
    Pillar,
    QuestionBase,
    Questionnaire,
    Text,
)
from scoring.parts import NA, Picked, is_empty, is_number

# question statuses
ANSWERED = "answered"
NOT_APPLICABLE = "na"
HIDDEN = "hidden"
UNANSWERED = "unanswered"


class AnswerError(ValueError):
    """The answers do not fit the questionnaire. ``problems`` lists every one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


# ---------------------------------------------------------------- per question
# What a question does with an answer is its type's (scoring.questions); here only what every
# type shares: "not applicable", no answer, and the status they give.


def check_answer(q: QuestionBase, value: Any) -> list[str]:
    """Problems with one given (non-empty) answer; [] when it fits the question."""
    if value == NA:
        return [] if q.allow_na else [f"{q.id}: 'not applicable' is not allowed for this question"]
    return q.answer_problems(value)


def question_outcome(q: QuestionBase, value: Any) -> tuple[str, float, float]:
    """(status, points, max) of a visible question for a valid answer (or an empty one)."""
    qmax = q.maximum()
    if is_empty(value):
        return UNANSWERED, 0.0, qmax
    if value == NA:
        return NOT_APPLICABLE, 0.0, 0.0
    return ANSWERED, q.points(value), qmax


def chosen_options(q: QuestionBase, value: Any) -> list[Picked]:
    """The options (or number band) an answer picked: none for no answer or "not applicable"."""
    if is_empty(value) or value == NA:
        return []
    return q.picked(value)


def condition_holds(cond: Condition | ConditionGroup, answers: dict[str, Any], visible: dict[str, bool]) -> bool:
    """A structured show_if; a hidden or unanswered target never satisfies it."""
    if isinstance(cond, ConditionGroup):
        if cond.all is not None:
            return all(condition_holds(c, answers, visible) for c in cond.all)
        return any(condition_holds(c, answers, visible) for c in cond.any or ())
    if not visible.get(cond.question, False):
        return False
    return value_matches(cond, answers.get(cond.question))


def value_matches(cond: Condition, value: Any) -> bool:
    if is_empty(value):
        return False
    if cond.in_ is not None:
        allowed = cond.in_
        if isinstance(value, (list, tuple)):
            if not any(v in allowed for v in value):
                return False
        elif is_number(value):
            if not any(is_number(a) and a == value for a in allowed) and str(value) not in map(str, allowed):
                return False
        elif value not in allowed:
            return False
    if cond.at_least is not None and not (is_number(value) and value >= cond.at_least):
        return False
    if cond.at_most is not None and not (is_number(value) and value <= cond.at_most):
        return False
    return True


def visible_questions(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, bool]:
    """Which questions are shown for these answers (one pass: show_if only looks back)."""
    visible: dict[str, bool] = {}
    for _, q in questionnaire.questions():
        visible[q.id] = q.show_if is None or condition_holds(q.show_if, answers, visible)
    return visible


# ---------------------------------------------------------------- levels


def pillar_level(questionnaire: Questionnaire, points: float, maximum: float, percent: float | None) -> int | None:
    """Level from the pillar's share of its maximum. Each band says whether its threshold
    counts ("at least", ``min_percent``) or not ("strictly above", ``above_percent``)."""
    if percent is None:
        return None
    level = 0
    exact = questionnaire.rules.pillar_percent == "points"
    for t in questionnaire.rules.pillar_levels:
        reached = t.reached(points * 100, maximum) if exact else t.reached(percent)
        if reached:
            level = t.level
    return level


def overall_level(
    questionnaire: Questionnaire,
    total: float,
    max_total: float,
    levels: list[int | None],
    weighted_percent: float | None,
) -> int:
    rule = questionnaire.rules.overall
    best = 0
    if isinstance(rule, CompositeRule):
        for r in rule.requirements:
            if r.total_above is not None and not total > r.total_above:
                continue
            if r.total_percent_above is not None and not total * 100 > r.total_percent_above * max_total:
                continue
            at_or_above = sum(1 for lv in levels if lv is not None and lv >= r.level)
            if at_or_above >= r.min_pillars:
                best = max(best, r.level)
        return best
    if weighted_percent is None:
        return 0
    for band in rule.bands:
        if band.reached(weighted_percent):
            best = band.level
    return best


# ---------------------------------------------------------------- results


@dataclass
class QuestionResult:
    id: str
    pillar: str
    type: str
    status: str
    points: float
    max: float
    answer: Any = None


@dataclass
class PillarResult:
    id: str
    points: float
    max: float
    percent: float | None
    level: int | None
    na_count: int
    answered: int
    weight: float


@dataclass
class Advice:
    question: str
    pillar: str
    text: Text
    points: float
    max: float
    gaps: tuple[str, ...] = ()


@dataclass
class Result:
    questionnaire_id: str
    version: str
    content_hash: str
    indicative: bool
    total: float
    max_total: float
    percent: float | None
    overall_level: int
    pillars: dict[str, PillarResult]
    questions: dict[str, QuestionResult]
    weakest: list[str]
    strongest: list[str]
    advice: list[Advice]
    gaps: list[str] = field(default_factory=list)  # capability tags the answers show missing
    uses: list[str] = field(default_factory=list)  # capability tags the firm already has

    def strengths(self, pillar_id: str) -> list[str]:
        """Questions of a pillar answered at the top: what is working."""
        return [
            r.id
            for r in self.questions.values()
            if r.pillar == pillar_id and r.status == ANSWERED and r.max > 0 and r.points >= r.max
        ]

    def to_dict(self, digits: int | None = 2) -> dict[str, Any]:
        def rnd(x):
            return x if x is None or digits is None else round(x, digits)

        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.version, "hash": self.content_hash},
            "indicative": self.indicative,
            "total": rnd(self.total),
            "max_total": rnd(self.max_total),
            "percent": rnd(self.percent),
            "overall_level": self.overall_level,
            "pillars": {
                pid: {
                    "points": rnd(p.points),
                    "max": rnd(p.max),
                    "percent": rnd(p.percent),
                    "level": p.level,
                    "na_count": p.na_count,
                    "answered": p.answered,
                }
                for pid, p in self.pillars.items()
            },
            "weakest": self.weakest,
            "strongest": self.strongest,
            "questions": {
                qid: {"pillar": r.pillar, "status": r.status, "points": rnd(r.points), "max": rnd(r.max)}
                for qid, r in self.questions.items()
            },
            "advice": [
                {**asdict(a), "text": a.text.root, "points": rnd(a.points), "max": rnd(a.max), "gaps": list(a.gaps)}
                for a in self.advice
            ],
            "gaps": self.gaps,
            "uses": self.uses,
        }


def validate_answers(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, bool]:
    """Every problem with a set of answers at once; returns visibility when they fit."""
    if not isinstance(answers, dict):
        raise AnswerError(["answers must be a mapping of question id to answer"])
    known = {q.id for _, q in questionnaire.questions()}
    problems = [f"{qid}: unknown question" for qid in answers if qid not in known]
    visible = visible_questions(questionnaire, answers)
    for _, q in questionnaire.questions():
        if not visible[q.id]:
            continue  # an answer to a hidden question is kept but ignored
        value = answers.get(q.id)
        if is_empty(value):
            if q.required:
                problems.append(f"{q.id}: required answer missing")
            continue
        problems += check_answer(q, value)
    if problems:
        raise AnswerError(problems)
    return visible


def percent_of(questionnaire: Questionnaire, points: float, maximum: float, ratios: list[float]) -> float | None:
    if questionnaire.rules.pillar_percent == "mean_of_questions":
        return sum(ratios) / len(ratios) * 100 if ratios else None
    return points / maximum * 100 if maximum > 0 else None


def weighted_mean(questionnaire: Questionnaire, percents: list[float | None]) -> float | None:
    num = 0.0
    den = 0.0
    for pillar, pct in zip(questionnaire.pillars, percents):
        if pct is not None:
            num += pillar.weight * pct
            den += pillar.weight
    return num / den if den > 0 else None


def score_assessment(questionnaire: Questionnaire, answers: dict[str, Any]) -> Result:
    """Validate and score one assessment. Raises ``AnswerError`` listing every problem."""
    visible = validate_answers(questionnaire, answers)
    questions: dict[str, QuestionResult] = {}
    pillars: dict[str, PillarResult] = {}
    advice: list[Advice] = []
    gaps: list[str] = []
    uses: list[str] = []
    for pillar in questionnaire.pillars:
        points = maximum = 0.0
        ratios: list[float] = []
        na = answered = 0
        for q in pillar.questions:
            value = answers.get(q.id)
            if not visible[q.id]:
                questions[q.id] = QuestionResult(q.id, pillar.id, q.type, HIDDEN, 0.0, 0.0, value)
                continue
            status, pts, qmax = question_outcome(q, value)
            questions[q.id] = QuestionResult(q.id, pillar.id, q.type, status, pts, qmax, value)
            if status == NOT_APPLICABLE:
                na += 1
                continue
            if status == ANSWERED:
                answered += 1
            points += pts
            maximum += qmax
            if qmax > 0:
                ratios.append(pts / qmax)
            chosen = chosen_options(q, value)
            for item in chosen:
                gaps += [t for t in item.gaps if t not in gaps]
                uses += [t for t in item.uses if t not in uses]
            if qmax > 0 and pts < qmax:
                advice += _advice_for(q, pillar, value, chosen, pts, qmax)
        percent = percent_of(questionnaire, points, maximum, ratios)
        level = pillar_level(questionnaire, points, maximum, percent)
        pillars[pillar.id] = PillarResult(pillar.id, points, maximum, percent, level, na, answered, pillar.weight)

    total = 0.0
    max_total = 0.0
    for p in pillars.values():
        total += p.points
        max_total += p.max
    percents = [p.percent for p in pillars.values()]
    wmean = weighted_mean(questionnaire, percents)
    overall = overall_level(questionnaire, total, max_total, [p.level for p in pillars.values()], wmean)
    if isinstance(questionnaire.rules.overall, CompositeRule):
        overall_percent = total / max_total * 100 if max_total > 0 else None
    else:
        overall_percent = wmean

    ranked = sorted((p for p in pillars.values() if p.percent is not None), key=lambda p: p.percent)
    order = {p.id: i for i, p in enumerate(questionnaire.pillars)}
    weakest = [p.id for p in ranked[:2]]
    strongest = [p.id for p in sorted(ranked, key=lambda p: (-p.percent, order[p.id]))[:2]]
    pct = {p.id: (p.percent if p.percent is not None else 100.0) for p in pillars.values()}
    advice.sort(key=lambda a: (pct[a.pillar], -(a.max - a.points) / (a.max or 1), order[a.pillar]))
    gaps = [t for t in gaps if t not in uses]
    return Result(
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        content_hash=questionnaire.content_hash,
        indicative=questionnaire.indicative,
        total=total,
        max_total=max_total,
        percent=overall_percent,
        overall_level=overall,
        pillars=pillars,
        questions=questions,
        weakest=weakest,
        strongest=strongest,
        advice=advice,
        gaps=gaps,
        uses=uses,
    )


def _advice_for(q: QuestionBase, pillar: Pillar, value: Any, chosen: list[Picked], pts: float, qmax: float) -> list[Advice]:
    texts = q.advice_texts(value, chosen) if not is_empty(value) else []
    gap_tags: list[str] = []
    for item in chosen:
        gap_tags += [t for t in item.gaps if t not in gap_tags]
    if not texts and q.advice is not None:
        texts.append(q.advice)
    return [Advice(q.id, pillar.id, t, pts, qmax, tuple(gap_tags)) for t in texts[:3]]


def pillar_maxima(questionnaire: Questionnaire) -> dict[str, float]:
    """Each pillar's maximum when every question is shown and answered (no N/A)."""
    return {p.id: sum(q.maximum() for q in p.questions) for p in questionnaire.pillars}
