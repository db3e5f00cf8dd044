"""What ``recommend()`` returns: the contract the results page, the PDF and the CLI read.

Plain dataclasses (docs/INTERFACES.md). Every sentence is a ``Text`` ({vi, en}); ``to_dict(lang)``
gives the same structure with each ``Text`` in one language, ready for JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from scoring.model import Text

PHASES = ("0-3", "3-12", "12-24")  # months


def _plain(value: Any, lang: str) -> Any:
    """A value with its Texts in one language and its dataclasses as dicts (JSON-ready)."""
    if isinstance(value, Text):
        return value.get(lang)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), lang) for f in fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v, lang) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, lang) for v in value]
    return value


class _InOneLanguage:
    def to_dict(self, lang: str) -> dict[str, Any]:
        return _plain(self, lang)


@dataclass
class PlatformPick(_InOneLanguage):
    id: str
    name: str
    vendor: str
    website: str
    price_band: str
    free_trial: str  # "yes" | "no" | "unknown"
    smedx: str
    decree80: str
    reason: Text  # why this platform fits (size, sector, budget, support)


@dataclass
class CategoryRec(_InOneLanguage):
    category: str
    name: Text
    problem: Text
    mode: str  # "adopt" | "improve" (the firm already uses a tool of this kind)
    score: float  # ranking score, higher first
    pillars: list[str]  # pillars it lifts, most lifted first
    questions: list[str]  # the answers that led to it
    reason: Text  # names those answers in words (and, with no platform, says why)
    platforms: list[PlatformPick]  # 1 to 3 in ``Recommendations.categories``; none in ``without_platforms``
    platform_note: Text | None = None  # why the platform list is empty, when it is


@dataclass
class RoadmapAction(_InOneLanguage):
    id: str
    pillar: str
    from_level: int
    to_level: int
    phase: str  # "0-3" | "3-12" | "12-24" (months)
    text: Text
    category: str | None
    support: Text | None
    reason: Text
    questions: list[str]  # the answers the action deals with (its topic), may be empty
    mode: str | None = None  # "adopt" | "improve" for actions with a category, else None
    cost: str = "low"
    effort: str = "low"
    # the reason without the pillar's standing: for a page that names the pillar once above its
    # actions; None when there is nothing more to say than the standing
    evidence: Text | None = None


@dataclass
class Roadmap(_InOneLanguage):
    phases: dict[str, list[RoadmapAction]]  # keys "0-3", "3-12", "12-24"
    targets: dict[str, dict[str, int]]  # pillar -> {"now": l, "12m": l, "24m": l}

    def actions(self) -> list[RoadmapAction]:
        return [a for phase in PHASES for a in self.phases.get(phase, [])]


@dataclass
class Recommendations(_InOneLanguage):
    categories: list[CategoryRec]  # platform groups, best first; each names 1 to 3 platforms
    roadmap: Roadmap
    budget: str | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    # kinds of tool the answers point to but no catalogue platform fits (size, sector or
    # budget): never shown as an empty group; each says why in ``platform_note``
    without_platforms: list[CategoryRec] = field(default_factory=list)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"language": lang, **_plain(self, lang)}


__all__ = ["PHASES", "CategoryRec", "PlatformPick", "Recommendations", "Roadmap", "RoadmapAction"]
