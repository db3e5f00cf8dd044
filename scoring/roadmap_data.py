"""Roadmap actions as data: ``questionnaires/catalogue/roadmap.yaml`` → validated ``RoadmapData``.

Each action moves one pillar one level up (``from`` → ``to`` = ``from`` + 1), says what to do
in Vietnamese and English, names the platform category that helps (if any) with an
``improve`` text for firms that already use such a tool, carries a ``cost`` and ``effort``
(low | medium | high) used for phasing, and names the ``supports`` (SMEdx, Decree 80/2021,
provincial programmes) that apply to it. An action may name the firm sizes it fits (``sizes``):
advice such as "a digital champion in each team" is not shown to a one-person shop.

A support states facts (a decree's article, a programme): each such fact carries its
``source`` (the text's number and article, a URL, the date it was published or checked).

Validated like a questionnaire: every problem at once, each with the file, the YAML path
(``actions[12].category``) and the line: unknown fields, unknown pillar or category, missing
translation, steps out of range, duplicate ids, unknown support keys, size bands and sectors
that the firm-profile reference (``questionnaires/reference/profile.yaml``) does not define,
bad source URLs.

An action may also name the VSIC sections it fits (``sectors``: a till for shops and cafés)
and the questions it deals with (``addresses``): its reason names the firm's answers to those,
so a step about security rules is never justified by answers about training.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from scoring import datafile
from scoring.catalogue import PILLARS
from scoring.model import FirmProfile, Text

ROADMAP_PATH = Path(__file__).resolve().parent.parent / "questionnaires" / "catalogue" / "roadmap.yaml"

DBI_PILLARS = PILLARS  # the DBI pillars (Decision 1970/QĐ-BTTTT), written once in scoring.catalogue
TOP_LEVEL = 5

Amount = Literal["low", "medium", "high"]
AMOUNT_RANK = {"low": 0, "medium": 1, "high": 2}


class RoadmapError(datafile.DataFileError):
    """A roadmap file with problems; ``problems`` lists every one (file, YAML path, line)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def size_band_ids() -> tuple[str, ...]:
    """The size bands of the firm-profile reference (household, micro, small, medium, large)."""
    from scoring.profile import load_profile_reference

    return tuple(b.id for b in load_profile_reference().size_bands)


def sector_ids() -> tuple[str, ...]:
    """The VSIC sections of the firm-profile reference (A … U)."""
    from scoring.profile import load_profile_reference

    return tuple(s.id for s in load_profile_reference().sectors)


def _fits_size(sizes: tuple[str, ...] | None, profile: FirmProfile | None) -> bool:
    if sizes is None or profile is None or not profile.size_band:
        return True  # no filter, or the size is not known: show it, the firm can judge
    return profile.size_band in sizes


def _fits_sector(sectors: tuple[str, ...] | None, profile: FirmProfile | None) -> bool:
    if sectors is None or profile is None or not profile.sector:
        return True  # as for sizes: an unknown sector sees every action
    return profile.sector in sectors


class SourceRef(_Strict):
    """Where a fact comes from: a legal text's number and article, a page, a date."""

    title: str  # e.g. "Nghị định 80/2021/NĐ-CP, Điều 11"
    url: str | None = None
    date: dt.date | None = None  # when it was published (or last checked)


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


Sources = Annotated[tuple[SourceRef, ...], BeforeValidator(_one_or_many)]


class SupportSpec(_Strict):
    """A support programme; shown only to firms it applies to (size band, staff count)."""

    text: Text
    sizes: tuple[str, ...] | None = None  # size bands it applies to; None = every firm
    max_staff: int | None = Field(default=None, ge=0)  # a staff limit, where a programme has one
    source: Sources = ()  # one or a list; every support stating a fact has one (the bundled test checks)

    def applies(self, profile: FirmProfile | None) -> bool:
        if profile is None:
            return True
        if self.max_staff is not None and profile.staff is not None:
            return profile.staff <= self.max_staff
        return _fits_size(self.sizes, profile)


class ActionSpec(_Strict):
    id: str
    pillar: str
    from_: int = Field(alias="from")
    to: int
    text: Text
    improve: Text | None = None  # shown instead of text when the firm already uses the category
    category: str | None = None
    cost: Amount
    effort: Amount
    support: tuple[str, ...] = ()
    sizes: tuple[str, ...] | None = None  # the size bands it fits; None = every size
    sectors: tuple[str, ...] | None = None  # the VSIC sections it fits; None = every sector
    # The questions whose answers the action deals with (ids of any questionnaire; those a
    # questionnaire does not ask are passed over): its reason names these answers, never the
    # pillar's other answers.
    addresses: tuple[str, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def quick_win(self) -> bool:
        return self.cost == "low" and self.effort == "low"

    def fits(self, profile: FirmProfile | None) -> bool:
        """True when the action suits the firm's size band and sector (an unknown one fits)."""
        return _fits_size(self.sizes, profile) and _fits_sector(self.sectors, profile)


class RoadmapData(_Strict):
    version: str
    supports: dict[str, SupportSpec] = Field(default_factory=dict)
    actions: tuple[ActionSpec, ...]

    def for_step(self, pillar: str, from_level: int, profile: FirmProfile | None = None) -> list[ActionSpec]:
        """The actions that take ``pillar`` from ``from_level`` to the next level, in file order;
        with a ``profile``, only those that fit the firm's size."""
        return [a for a in self.actions if a.pillar == pillar and a.from_ == from_level and a.fits(profile)]

    def support_text(self, action: ActionSpec, profile: FirmProfile | None) -> Text | None:
        """The action's supports that apply to this firm, joined into one bilingual text."""
        texts = [self.supports[k].text for k in action.support if k in self.supports and self.supports[k].applies(profile)]
        if not texts:
            return None
        langs = {lang for t in texts for lang in t.root}
        return Text({lang: " ".join(t.get(lang) for t in texts) for lang in sorted(langs)})

    def missing_steps(self, pillars: Iterable[str] = DBI_PILLARS, top: int = TOP_LEVEL) -> list[tuple[str, int]]:
        """(pillar, from level) pairs with no action: a complete roadmap has none."""
        have = {(a.pillar, a.from_) for a in self.actions}
        return [(p, lv) for p in pillars for lv in range(top) if (p, lv) not in have]


# ---------------------------------------------------------------- validation


class _Checker(datafile.DataChecker):
    def __init__(
        self, data: RoadmapData, name: str, lines: dict[datafile.Loc, int], pillars, categories, top, languages, sizes,
        sectors,
    ):
        super().__init__(name, lines, languages)
        self.data = data
        self.pillars = list(pillars)
        self.categories = set(categories)
        self.top = top
        self.sizes = tuple(sizes)
        self.sectors = tuple(sectors)

    def sources(self, sources: tuple[SourceRef, ...], loc: datafile.Loc) -> None:
        for i, source in enumerate(sources):
            if not source.title.strip():
                self.add(loc + (i, "title"), "must not be empty")
            if source.url is not None:
                self.url(source.url, loc + (i, "url"))

    def run(self) -> list[datafile.Problem]:
        d = self.data
        for key, s in d.supports.items():
            loc: datafile.Loc = ("supports", key)
            self.text(s.text, loc + ("text",))
            self.known(s.sizes, loc + ("sizes",), self.sizes, "size band")
            self.sources(s.source, loc + ("source",))
        if not d.actions:
            self.add(("actions",), "a roadmap needs at least one action")
        self.unique_ids(d.actions, "actions", "action", r"\w+", "letters, digits and _")
        for i, a in enumerate(d.actions):
            loc = ("actions", i)
            if a.pillar not in self.pillars:
                self.add(loc + ("pillar",), f"unknown pillar '{a.pillar}' (expected one of {', '.join(self.pillars)})")
            if not 0 <= a.from_ < self.top:
                self.add(loc + ("from",), f"step out of range: from must be 0–{self.top - 1}, got {a.from_}")
            if a.to != a.from_ + 1:
                self.add(loc + ("to",), f"an action moves one level: to must be {a.from_ + 1}, got {a.to}")
            elif not 1 <= a.to <= self.top:
                self.add(loc + ("to",), f"step out of range: to must be 1–{self.top}, got {a.to}")
            if a.category is not None and a.category not in self.categories:
                self.add(loc + ("category",), f"unknown category '{a.category}'")
            if a.improve is not None and a.category is None:
                self.add(loc + ("improve",), "an improve text needs a category (it replaces text for firms using one)")
            self.text(a.text, loc + ("text",))
            self.text(a.improve, loc + ("improve",))
            self.known(a.sizes, loc + ("sizes",), self.sizes, "size band")
            self.known(a.sectors, loc + ("sectors",), self.sectors, "sector")
            for j, qid in enumerate(a.addresses):
                if not isinstance(qid, str) or not qid.strip() or qid in a.addresses[:j]:
                    self.add(loc + ("addresses", j), f"'{qid}' is empty or named twice")
            for j, key in enumerate(a.support):
                if key not in d.supports:
                    self.add(loc + ("support", j), f"unknown support '{key}' (defined: {', '.join(d.supports) or 'none'})")
        return self.problems


def build_roadmap(
    data: Any,
    lines: dict[datafile.Loc, int],
    name: str,
    *,
    pillars: Iterable[str] = DBI_PILLARS,
    categories: Iterable[str] | None = None,
    top: int = TOP_LEVEL,
    languages: tuple[str, ...] = datafile.LANGUAGES,
    sizes: Iterable[str] | None = None,
    sectors: Iterable[str] | None = None,
) -> RoadmapData:
    roadmap = datafile.validated(RoadmapData, data, lines, name, RoadmapError, "version, supports, actions")
    if categories is None:
        from scoring.catalogue import load_bundled_catalogue

        categories = load_bundled_catalogue().category_ids
    bands = size_band_ids() if sizes is None else tuple(sizes)
    letters = sector_ids() if sectors is None else tuple(sectors)
    problems = _Checker(roadmap, name, lines, pillars, set(categories), top, languages, bands, letters).run()
    if problems:
        raise RoadmapError(problems)
    return roadmap


def load_roadmap(path: str | Path | None = None, **checks: Any) -> RoadmapData:
    """Load and check a roadmap file (default: the bundled one). Raises ``RoadmapError``.

    ``checks``: ``pillars`` (default the six DBI pillars), ``categories`` (default the
    catalogue's category ids), ``top`` (highest level, 5), ``languages`` (vi, en), ``sizes`` and
    ``sectors`` (default the size bands and VSIC sections of the firm-profile reference).
    """
    return datafile.read_checked(path or ROADMAP_PATH, partial(build_roadmap, **checks), RoadmapError)


def load_roadmap_text(text: str, name: str = "<roadmap>", **checks: Any) -> RoadmapData:
    return datafile.parse_checked(text, name, partial(build_roadmap, **checks), RoadmapError)


_cached = datafile.cached_by_mtime(load_roadmap)


def load_bundled_roadmap() -> RoadmapData:
    """The bundled roadmap, cached until the file changes."""
    return _cached(ROADMAP_PATH)


__all__ = [
    "AMOUNT_RANK",
    "ActionSpec",
    "DBI_PILLARS",
    "RoadmapData",
    "RoadmapError",
    "SourceRef",
    "SupportSpec",
    "load_bundled_roadmap",
    "load_roadmap",
    "load_roadmap_text",
    "sector_ids",
    "size_band_ids",
]
