"""The phased roadmap: from each pillar's level, the actions of the next two steps.

Only actions that fit the firm's size and sector (``ActionSpec.fits``; an unknown one sees
all). The first step's quick wins (low cost and low effort) go to 0–3 months, weakest pillars
first, but at most ``QUICK_WINS_PER_PILLAR`` per pillar and ``QUICK_WINS`` in all: an owner gets
a short list to start on, not every cheap idea at once. The rest of the first step is 3–12
months, the second step 12–24 months. Targets: +1 level at 12 months and +2 at 24, capped at
the top. An action naming a tool the firm already uses shows its ``improve`` text (without
one it is dropped: a firm is never told to adopt what it has).

Each action's reason is the pillar's standing and the answers the action deals with
(``evidence.action_topic``), never the pillar's other answers.
"""

from __future__ import annotations

from scoring.engine import Result
from scoring.model import FirmProfile, Questionnaire, Text
from scoring.recommend.contract import PHASES, CategoryRec, Roadmap, RoadmapAction
from scoring.recommend.evidence import Evidence, action_topic, answers_in_words
from scoring.recommend.standing import Standing
from scoring.recommend.wording import Wording, texts
from scoring.roadmap_data import ActionSpec, RoadmapData

QUICK_WINS = 6  # at most this many actions in the first three months
QUICK_WINS_PER_PILLAR = 2


def _assign_phases(candidates: list[tuple[tuple, int, bool, RoadmapAction]]) -> dict[str, list[RoadmapAction]]:
    """(sort key, step, quick win, action) → phases. Sort keys put the weakest pillars first."""
    phases: dict[str, list[RoadmapAction]] = {phase: [] for phase in PHASES}
    quick: dict[str, int] = {}
    taken = 0
    for _, step, quick_win, action in sorted(candidates, key=lambda c: c[0]):
        if step > 0:
            phase = "12-24"
        elif quick_win and taken < QUICK_WINS and quick.get(action.pillar, 0) < QUICK_WINS_PER_PILLAR:
            phase = "0-3"
            taken += 1
            quick[action.pillar] = quick.get(action.pillar, 0) + 1
        else:
            phase = "3-12"
        action.phase = phase
        phases[phase].append(action)
    return phases


def _reasons(
    questionnaire: Questionnaire,
    result: Result,
    standing: Standing,
    pid: str,
    spec: ActionSpec,
    mode: str | None,
    questions: list[str],
    category_name: Text | None,
    suggested: bool,
    wording: Wording,
) -> tuple[Text, Text | None]:
    """(the whole reason, the reason without the pillar's standing or None when that is all)."""
    level = standing.level(pid)
    pct = standing.percent(pid)
    nxt = standing.next_threshold(pid)

    def standing_words(lang: str) -> str:
        text = wording.say(
            "standing",
            lang,
            pillar=wording.quoted(standing.name(pid, lang), lang),
            level=str(level),
            level_name=standing.level_name(level, lang),
            percent=f"{pct:.0f}",
        )
        if nxt is not None:
            text += wording.say("standing_next", lang, threshold=f"{nxt:g}", next=str(level + 1))
        if spec.from_ > level:
            text += wording.say("standing_follows", lang, level=str(spec.from_))
        return text

    def evidence(lang: str) -> str:
        sentences = []
        if questions:
            answers = answers_in_words(questionnaire, result, questions, lang, wording)
            sentences.append(wording.say("action_answers", lang, answers=answers))
        if category_name is not None:
            name = wording.quoted(category_name.get(lang), lang)
            key = "action_uses" if mode == "improve" else "action_see_platforms" if suggested else "action_kind"
            sentences.append(wording.say(key, lang, category=name))
        return " ".join(sentences)

    def whole(lang: str) -> str:
        rest = evidence(lang)
        return f"{standing_words(lang)}. {rest}" if rest else f"{standing_words(lang)}."

    return texts(whole), (texts(evidence) if questions or category_name is not None else None)


def build_roadmap(
    questionnaire: Questionnaire,
    result: Result,
    profile: FirmProfile,
    data: RoadmapData,
    standing: Standing,
    gaps: dict[str, list[Evidence]],
    uses: dict[str, list[Evidence]],
    suggested: dict[str, CategoryRec],
    category_names: dict[str, Text],
    wording: Wording,
) -> Roadmap:
    used = set(result.uses) | set(uses)
    order = {a.id: i for i, a in enumerate(data.actions)}
    candidates: list[tuple[tuple, int, bool, RoadmapAction]] = []
    targets: dict[str, dict[str, int]] = {}
    for pillar in questionnaire.pillars:
        pid = pillar.id
        level = standing.level(pid)
        if level is None or standing.percent(pid) is None:
            continue  # nothing scored in this pillar (all not applicable)
        t12, t24 = min(level + 1, standing.top), min(level + 2, standing.top)
        targets[pid] = {"now": level, "12m": t12, "24m": t24}
        for step, from_level in enumerate(range(level, t24)):
            for spec in data.for_step(pid, from_level, profile):  # only actions that fit the firm
                mode = None
                text = spec.text
                if spec.category is not None:
                    if spec.category in used:
                        if spec.improve is None:
                            continue  # never tell a firm to adopt what it already uses
                        mode, text = "improve", spec.improve
                    else:
                        mode = "adopt"
                questions = action_topic(questionnaire, standing, spec, gaps)
                name = None
                if spec.category is not None:
                    name = category_names.get(spec.category, Text({"vi": spec.category, "en": spec.category}))
                reason, evidence = _reasons(
                    questionnaire, result, standing, pid, spec, mode, questions, name, spec.category in suggested,
                    wording,
                )
                action = RoadmapAction(
                    id=spec.id,
                    pillar=pid,
                    from_level=spec.from_,
                    to_level=spec.to,
                    phase="",  # set by _assign_phases
                    text=text,
                    category=spec.category,
                    support=data.support_text(spec, profile),
                    reason=reason,
                    evidence=evidence,
                    questions=questions,
                    mode=mode,
                    cost=spec.cost,
                    effort=spec.effort,
                )
                key = (standing.sort_key(pid), spec.from_, order[spec.id], spec.id)
                candidates.append((key, step, spec.quick_win, action))
    return Roadmap(phases=_assign_phases(candidates), targets=targets)


__all__ = ["QUICK_WINS", "QUICK_WINS_PER_PILLAR", "build_roadmap"]
