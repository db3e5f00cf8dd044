"""Which kinds of tool to suggest, best first, each with the answers behind it.

A category is suggested when answers reveal it missing (``gaps`` tags). It is a platform
group only when the catalogue has a platform that fits the firm (size, sector, budget) and
the category is for the firm's sector (``Category.serves``); otherwise it goes to
``without_platforms`` with the reason, never to an empty box. A category the firm already
uses (``uses`` tags) is suggested in mode ``improve``: connect it (where tools of that kind
work with other software, ``Category.integrates``) or use it fully, rather than buy another.

Ranking, as an adviser would order the first visits:

    score = need × timing × fit × mode

- ``need``: the weighted mean, over the pillars the category lifts (categories.yaml weights),
  of how weak each pillar is (``Standing.lift``: gap to 100 % plus a bonus near the next
  threshold). A mean, not a sum: a category is not ranked up for naming more pillars.
- ``timing = 1 / (1 + steps)``: ``steps`` is how many levels the firm's pillars are below the
  first roadmap step that names the category and fits the firm's size and sector. A tool the
  firm's next step needs comes before one for two levels up (ERP, BI for a firm at level 0).
- ``fit = 1 + PRACTICE_BONUS × practice + TRADE_BONUS × trade``: ``practice`` when a context
  answer says the firm does this work by hand today (stock in a paper book); ``trade`` when
  the category is made for the firm's sector (a till for a shop or a café).
- ``mode``: ``IMPROVE_FACTOR`` for a tool the firm already has: using it better comes after
  the tools it lacks.

Ties go to the category id.
"""

from __future__ import annotations

from scoring.catalogue import Catalogue, Category
from scoring.engine import Result
from scoring.model import FirmProfile, Questionnaire, Text
from scoring.recommend.contract import CategoryRec
from scoring.recommend.evidence import Evidence, named_answers
from scoring.recommend.platforms import picks as platform_picks
from scoring.recommend.platforms import why_none
from scoring.recommend.standing import Standing
from scoring.recommend.wording import Wording, texts
from scoring.roadmap_data import RoadmapData

PRACTICE_BONUS = 0.5
TRADE_BONUS = 0.5
IMPROVE_FACTOR = 0.75
NAMED_PILLARS = 2


def steps_to_category(category: str, roadmap: RoadmapData, profile: FirmProfile, standing: Standing) -> int:
    """Levels between the firm and the first roadmap step naming ``category`` that fits it (0 when none names it)."""
    steps = [
        standing.steps_to(a.pillar, a.from_)
        for a in roadmap.actions
        if a.category == category and a.fits(profile)
    ]
    known = [s for s in steps if s is not None]
    return min(known) if known else 0


def _score(
    cat: Category, profile: FirmProfile, standing: Standing, steps: int, evidence: list[Evidence], improve: bool
) -> tuple[float, list[str]]:
    """(ranking score, the pillars it lifts, most lifted first)."""
    lifts = {pid: (w, standing.lift(pid)) for pid, w in cat.pillars.items() if w > 0 and standing.level(pid) is not None}
    weight = sum(w for w, _ in lifts.values())
    need = sum(w * lift for w, lift in lifts.values()) / weight if weight else 0.0
    practice = any(e.practice for e in evidence)
    trade = cat.sectors is not None and profile.sector in cat.sectors
    fit = 1 + PRACTICE_BONUS * practice + TRADE_BONUS * trade
    score = need / (1 + steps) * fit * (IMPROVE_FACTOR if improve else 1.0)
    lifted = sorted(
        (pid for pid, (w, lift) in lifts.items() if w * lift > 0),
        key=lambda pid: (-lifts[pid][0] * lifts[pid][1], standing.sort_key(pid)),
    )
    return round(score, 4), lifted


def _reason(
    questionnaire: Questionnaire,
    cat: Category,
    standing: Standing,
    improve: bool,
    gap_ev: list[Evidence],
    use_ev: list[Evidence],
    lifted: list[str],
    note: Text | None,
    wording: Wording,
) -> Text:
    def make(lang: str) -> str:
        sentences = [wording.say("because", lang, answers=named_answers(questionnaire, gap_ev, lang, wording))]
        if improve:
            if use_ev:
                already = wording.say("already_used", lang, answers=named_answers(questionnaire, use_ev, lang, wording))
            else:
                already = wording.say("already_used_unnamed", lang)
            how = "connect" if cat.integrates else "use"
            sentences.append(wording.say(f"improve_{how}", lang, already=already))
            if note is None:
                sentences.append(wording.say(f"alternatives_{how}", lang))
        if lifted:
            named = []
            for pid in lifted[:NAMED_PILLARS]:
                level, pct = standing.level(pid), standing.percent(pid)
                name = standing.name(pid, lang)
                if level is not None and pct is not None:
                    name = wording.say("pillar_at", lang, pillar=name, level=str(level), percent=f"{pct:.0f}")
                named.append(name)
            sentences.append(wording.say("lifts", lang, pillars=", ".join(named)))
        if note is not None:
            sentences.append(note.get(lang))
        return " ".join(sentences)

    return texts(make)


def rank_categories(
    questionnaire: Questionnaire,
    result: Result,
    profile: FirmProfile,
    budget: str | None,
    catalogue: Catalogue,
    roadmap: RoadmapData,
    standing: Standing,
    gaps: dict[str, list[Evidence]],
    uses: dict[str, list[Evidence]],
    wording: Wording,
) -> tuple[list[CategoryRec], list[CategoryRec]]:
    """(platform groups best first, categories the answers point to that no platform fits)."""
    used = set(result.uses) | set(uses)
    known = set(catalogue.category_ids)
    groups: list[CategoryRec] = []
    without: list[CategoryRec] = []
    for cid in sorted(gaps):
        if cid not in known or not gaps[cid]:
            continue
        cat = catalogue.category(cid)
        improve = cid in used
        gap_ev = gaps[cid]
        use_ev = uses.get(cid, [])[:1] if improve else []  # one answer is proof enough
        steps = steps_to_category(cid, roadmap, profile, standing)
        score, lifted = _score(cat, profile, standing, steps, gap_ev, improve)
        picks = platform_picks(catalogue, cid, profile, budget, wording) if cat.serves(profile.sector) else []
        note = None if picks else why_none(catalogue, cat, profile, budget, wording)
        rec = CategoryRec(
            category=cid,
            name=cat.name,
            problem=cat.problem,
            mode="improve" if improve else "adopt",
            score=score,
            pillars=lifted,
            questions=list(dict.fromkeys(e.question for e in gap_ev + use_ev)),
            reason=_reason(questionnaire, cat, standing, improve, gap_ev, use_ev, lifted, note, wording),
            platforms=picks,
            platform_note=note,
        )
        (groups if picks else without).append(rec)
    groups.sort(key=lambda r: (-r.score, r.category))
    without.sort(key=lambda r: (-r.score, r.category))
    return groups, without


__all__ = ["IMPROVE_FACTOR", "PRACTICE_BONUS", "TRADE_BONUS", "rank_categories", "steps_to_category"]
