"""Platform recommendations and a phased roadmap, each item with the answers behind it.

``recommend(questionnaire, result, profile, budget, catalogue, actions) -> Recommendations``.
Pure and deterministic: the same inputs always give an equal ``Recommendations`` (ties are
broken by ids, never by dict or set order). Its stages, one module each:

- ``contract``: the dataclasses the results page, the PDF and the CLI read.
- ``standing``: where each pillar stands (level, next threshold, how weak).
- ``evidence``: the answers that reveal a kind of tool missing or in use, and those a roadmap
  action deals with, in words.
- ``platforms``: the platforms of the validated ``Catalogue`` that fit the firm (size, sector,
  budget), and why none does.
- ``categories``: which kinds of tool to suggest and in which order (need × timing × fit ×
  mode; see that module).
- ``roadmap``: the actions of the next two steps per pillar, in three phases.
- ``wording``: the sentences, as bilingual templates in ``questionnaires/catalogue/wording.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scoring.catalogue import PRICE_BANDS, Catalogue
from scoring.engine import Result
from scoring.model import FirmProfile, Questionnaire
from scoring.recommend.categories import rank_categories
from scoring.recommend.contract import PHASES, CategoryRec, PlatformPick, Recommendations, Roadmap, RoadmapAction
from scoring.recommend.evidence import tag_evidence
from scoring.recommend.roadmap import QUICK_WINS, QUICK_WINS_PER_PILLAR, build_roadmap
from scoring.recommend.standing import Standing
from scoring.recommend.wording import Wording, bundled_wording
from scoring.roadmap_data import ActionSpec, RoadmapData, load_bundled_roadmap

BUDGETS = PRICE_BANDS  # free < low < medium < high


def _roadmap_data(actions: RoadmapData | Iterable[ActionSpec] | None) -> RoadmapData:
    if actions is None:
        return load_bundled_roadmap()
    if isinstance(actions, RoadmapData):
        return actions
    return RoadmapData(version="custom", actions=tuple(actions))


def recommend(
    questionnaire: Questionnaire,
    result: Result,
    profile: FirmProfile | None = None,
    budget: str | None = None,
    catalogue: Catalogue | None = None,
    actions: RoadmapData | Iterable[ActionSpec] | None = None,
    wording: Wording | None = None,
) -> Recommendations:
    """Ranked platform groups with fitting platforms, and a phased roadmap; each with its reason.

    ``budget``: the highest price band the firm will pay (free | low | medium | high; None = any).
    ``catalogue``: a validated ``scoring.catalogue.Catalogue`` (default: the bundled one, cached);
    ``actions``: a ``RoadmapData`` or a list of ``ActionSpec`` (default: the bundled roadmap);
    ``wording``: the sentences (default: the bundled ``wording.yaml``).
    """
    if budget is not None and budget not in BUDGETS:
        raise ValueError(f"budget must be one of {', '.join(BUDGETS)} (or None), got {budget!r}")
    profile = profile or FirmProfile()
    if catalogue is None:
        from scoring.catalogue import load_bundled_catalogue

        catalogue = load_bundled_catalogue()
    wording = wording or bundled_wording()
    data = _roadmap_data(actions)
    standing = Standing(questionnaire, result)
    gaps, uses = tag_evidence(questionnaire, result, wording)
    groups, without = rank_categories(
        questionnaire, result, profile, budget, catalogue, data, standing, gaps, uses, wording
    )
    names = {c.id: c.name for c in catalogue.categories}
    roadmap = build_roadmap(
        questionnaire, result, profile, data, standing, gaps, uses, {r.category: r for r in groups}, names, wording
    )
    return Recommendations(
        categories=groups,
        roadmap=roadmap,
        budget=budget,
        profile=profile.model_dump(exclude_none=True),
        without_platforms=without,
    )


def __getattr__(name: str) -> Any:
    # The short size and sector names of the reasons, for callers that print them (the PDF);
    # read from wording.yaml when first asked for, not at import.
    if name == "SIZE_NAMES":
        w = bundled_wording()
        return {band: dict(text.root) for band, text in w.sizes.items()}
    if name == "SECTOR_NAMES":
        w = bundled_wording()
        return {letter: (text.get("vi"), text.get("en")) for letter, text in w.sectors.items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BUDGETS",
    "PHASES",
    "QUICK_WINS",
    "QUICK_WINS_PER_PILLAR",
    "CategoryRec",
    "PlatformPick",
    "Recommendations",
    "Roadmap",
    "RoadmapAction",
    "recommend",
]
