"""The answers behind a recommendation: which answers reveal a kind of tool missing or in use,
which answers a roadmap action deals with, and those answers in words.

An answered option (or number band, or matrix cell) with ``gaps: [e_invoice]`` is evidence
that the firm lacks e-invoicing; ``uses: [e_invoice]`` that it has it. Answers to the
unscored context questions ("How is stock managed?" — "Paper and hand counts") describe the
firm's daily practice in its own terms; they are named first and mark a category as
``practice`` evidence (what the firm still does by hand), which weighs in the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.engine import ANSWERED, NA, Result, is_empty
from scoring.model import QuestionBase, Questionnaire
from scoring.recommend.standing import Standing
from scoring.recommend.wording import LANGUAGES, Wording
from scoring.roadmap_data import ActionSpec

MAX_NAMED_ANSWERS = 3


def answer_words(q: QuestionBase, value: Any, lang: str, wording: Wording) -> str:
    """The firm's answer to ``q`` in a few words (the question's type says how: option labels, a
    scale point, a number's band)."""
    if is_empty(value):
        return wording.say("not_answered", lang)
    if value == NA:
        return wording.say("not_applicable", lang)
    return q.answer_gist(value, lang)


@dataclass
class Evidence:
    """An answer that carries a capability tag: which question, which labels."""

    question: str
    pillar: str
    practice: bool  # an unscored context question: the firm describing how it works today
    order: int  # the question's place in the questionnaire
    labels: dict[str, list[str]] = field(default_factory=dict)  # lang -> labels of the tagged options


def _picked(q: QuestionBase, value: Any) -> list[tuple[Any, dict[str, str]]]:
    """(option or band, its words per language) for each item the answer picked."""
    if is_empty(value) or value == NA:
        return []
    per_lang = {lang: q.picked_words(value, lang) for lang in LANGUAGES}
    first = per_lang[LANGUAGES[0]]
    return [(item, {lang: per_lang[lang][i][1] for lang in LANGUAGES}) for i, (item, _) in enumerate(first)]


def tag_evidence(
    questionnaire: Questionnaire, result: Result, wording: Wording
) -> tuple[dict[str, list[Evidence]], dict[str, list[Evidence]]]:
    """Per tag, the answered questions whose chosen options reveal it missing (gaps) or in use
    (uses): context answers first, then the criteria in questionnaire order."""
    gaps: dict[str, list[Evidence]] = {}
    uses: dict[str, list[Evidence]] = {}
    for order, (pillar, q) in enumerate(questionnaire.questions()):
        qr = result.questions.get(q.id)
        if qr is None or qr.status != ANSWERED:
            continue
        for kind, store in (("gaps", gaps), ("uses", uses)):
            for item, words in _picked(q, qr.answer):
                for tag in getattr(item, kind, ()):
                    found = next((e for e in store.setdefault(tag, []) if e.question == q.id), None)
                    if found is None:
                        found = Evidence(q.id, pillar.id, qr.max <= 0, order, {lang: [] for lang in LANGUAGES})
                        store[tag].append(found)
                    for lang in LANGUAGES:
                        if words[lang] not in found.labels[lang]:
                            found.labels[lang].append(words[lang])
    for store in (gaps, uses):
        for found in store.values():
            found.sort(key=lambda e: (not e.practice, e.order))
    return gaps, uses


def named_answers(questionnaire: Questionnaire, evidence: list[Evidence], lang: str, wording: Wording) -> str:
    """«labels» for «question»; … (at most MAX_NAMED_ANSWERS, then "and N more")."""
    parts = [
        wording.say(
            "answer_to",
            lang,
            answer=wording.quoted(", ".join(e.labels[lang]), lang),
            question=wording.quoted(questionnaire.question(e.question).text.get(lang), lang),
        )
        for e in evidence[:MAX_NAMED_ANSWERS]
    ]
    more = len(evidence) - MAX_NAMED_ANSWERS
    if more > 0:
        parts.append(wording.say("and_more", lang, count=str(more)))
    return "; ".join(parts)


def answers_in_words(questionnaire: Questionnaire, result: Result, qids: list[str], lang: str, wording: Wording) -> str:
    """«answer» for «question»; … for whole answers (what a roadmap action deals with)."""
    parts = []
    for qid in qids:
        q = questionnaire.question(qid)
        qr = result.questions[qid]
        words = answer_words(q, qr.answer if qr.status == ANSWERED else None, lang, wording)
        parts.append(
            wording.say("answer_to", lang, answer=wording.quoted(words, lang), question=wording.quoted(q.text.get(lang), lang))
        )
    return "; ".join(parts)


def action_topic(
    questionnaire: Questionnaire,
    standing: Standing,
    spec: ActionSpec,
    gaps: dict[str, list[Evidence]],
) -> list[str]:
    """The answers an action deals with that hold the firm back, at most MAX_NAMED_ANSWERS.

    The questions the action ``addresses`` that this questionnaire asks, in the action's order:
    each whose answer is below its maximum, or, for a context question, reveals a missing tool.
    An action that addresses no question of this questionnaire falls back on the answers that
    reveal its category missing. Never the pillar's other answers: a step about security rules
    is not justified by answers about training.
    """
    asked = {q.id for _, q in questionnaire.questions()}
    addressed = [qid for qid in spec.addresses if qid in asked]
    if addressed:
        revealing = {e.question for found in gaps.values() for e in found}
        picked = [qid for qid in addressed if standing.holding_back(qid) or qid in revealing]
    elif spec.category is not None:
        picked = [e.question for e in gaps.get(spec.category, [])]
    else:
        picked = []
    return list(dict.fromkeys(picked))[:MAX_NAMED_ANSWERS]


__all__ = [
    "MAX_NAMED_ANSWERS",
    "Evidence",
    "action_topic",
    "answer_words",
    "answers_in_words",
    "named_answers",
    "tag_evidence",
]
