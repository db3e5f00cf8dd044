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
translation, steps out of range, duplicate ids, unknown support keys, size bands that the
firm-profile reference (``questionnaires/reference/profile.yaml``) does not define, bad
source URLs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from scoring.catalogue import CATEGORY_IDS
from scoring.loader import Path_, Problem, QuestionnaireError, format_path, parse_yaml_text, read_yaml
from scoring.model import FirmProfile, Text

ROADMAP_PATH = Path(__file__).resolve().parent.parent / "questionnaires" / "catalogue" / "roadmap.yaml"

# The DBI pillars (Decision 1970/QĐ-BTTTT) used by the bundled questionnaires.
DBI_PILLARS = ("customer", "strategy", "infrastructure", "operations", "culture", "data")
TOP_LEVEL = 5
LANGUAGES = ("vi", "en")

Amount = Literal["low", "medium", "high"]
AMOUNT_RANK = {"low": 0, "medium": 1, "high": 2}


class RoadmapError(QuestionnaireError):
    """A roadmap file with problems; ``problems`` lists every one (file, YAML path, line)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def size_band_ids() -> tuple[str, ...]:
    """The size bands of the firm-profile reference (household, micro, small, medium, large)."""
    from scoring.profile import load_profile_reference

    return tuple(b.id for b in load_profile_reference().size_bands)


def _fits_size(sizes: tuple[str, ...] | None, profile: FirmProfile | None) -> bool:
    if sizes is None or profile is None or not profile.size_band:
        return True  # no filter, or the size is not known: show it, the firm can judge
    return profile.size_band in sizes


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

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def quick_win(self) -> bool:
        return self.cost == "low" and self.effort == "low"

    def fits(self, profile: FirmProfile | None) -> bool:
        """True when the action suits the firm's size band (an unknown size fits every action)."""
        return _fits_size(self.sizes, profile)


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


def _line_for(lines: dict[Path_, int], loc: Path_) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def _pydantic_problems(exc: ValidationError, name: str, lines: dict[Path_, int]) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple("from" if p == "from_" else p for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        out.append(Problem(name, format_path(loc), msg, _line_for(lines, loc)))
    return out


def _url_problem(value: str) -> str | None:
    if not value or any(ch.isspace() for ch in value):
        return f"bad URL {value!r}: it must not be empty or contain spaces"
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return f"bad URL {value!r}"
    if parts.scheme not in ("https", "http"):
        return f"bad URL {value!r}: it must start with https:// or http://"
    if not host or "." not in host:
        return f"bad URL {value!r}: no valid host name"
    return None


class _Checker:
    def __init__(
        self, data: RoadmapData, name: str, lines: dict[Path_, int], pillars, categories, top, languages, sizes
    ):
        self.data = data
        self.name = name
        self.lines = lines
        self.pillars = list(pillars)
        self.categories = set(categories)
        self.top = top
        self.languages = languages
        self.sizes = tuple(sizes)
        self.problems: list[Problem] = []

    def add(self, loc: Path_, message: str) -> None:
        self.problems.append(Problem(self.name, format_path(loc), message, _line_for(self.lines, loc)))

    def text(self, text: Text | None, loc: Path_) -> None:
        if text is None:
            return
        for lang in self.languages:
            if not (text.root.get(lang) or "").strip():
                self.add(loc, f"missing '{lang}' translation")

    def size_bands(self, sizes: tuple[str, ...] | None, loc: Path_) -> None:
        if sizes is None:
            return
        if not sizes:
            self.add(loc, "name at least one size band, or leave sizes out (every size)")
        for i, band in enumerate(sizes):
            if band not in self.sizes:
                self.add(loc + (i,), f"unknown size band '{band}' (expected one of {', '.join(self.sizes)})")

    def sources(self, sources: tuple[SourceRef, ...], loc: Path_) -> None:
        for i, source in enumerate(sources):
            if not source.title.strip():
                self.add(loc + (i, "title"), "must not be empty")
            if source.url is not None:
                problem = _url_problem(source.url.strip())
                if problem:
                    self.add(loc + (i, "url"), problem)

    def run(self) -> list[Problem]:
        d = self.data
        for key, s in d.supports.items():
            loc: Path_ = ("supports", key)
            self.text(s.text, loc + ("text",))
            self.size_bands(s.sizes, loc + ("sizes",))
            self.sources(s.source, loc + ("source",))
        if not d.actions:
            self.add(("actions",), "a roadmap needs at least one action")
        seen: dict[str, int] = {}
        for i, a in enumerate(d.actions):
            loc = ("actions", i)
            if not a.id or not a.id.replace("_", "").isalnum():
                self.add(loc + ("id",), f"id '{a.id}' must be letters, digits and _")
            if a.id in seen:
                self.add(loc + ("id",), f"duplicate action id '{a.id}' (first at actions[{seen[a.id]}])")
            else:
                seen[a.id] = i
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
            self.size_bands(a.sizes, loc + ("sizes",))
            for j, key in enumerate(a.support):
                if key not in d.supports:
                    self.add(loc + ("support", j), f"unknown support '{key}' (defined: {', '.join(d.supports) or 'none'})")
        return self.problems


def build_roadmap(
    data: Any,
    lines: dict[Path_, int],
    name: str,
    *,
    pillars: Iterable[str] = DBI_PILLARS,
    categories: Iterable[str] | None = None,
    top: int = TOP_LEVEL,
    languages: tuple[str, ...] = LANGUAGES,
    sizes: Iterable[str] | None = None,
) -> RoadmapData:
    if not isinstance(data, dict):
        raise RoadmapError([Problem(name, "", "the top level must be a mapping (version, supports, actions)")])
    try:
        roadmap = RoadmapData.model_validate(data)
    except ValidationError as exc:
        raise RoadmapError(_pydantic_problems(exc, name, lines)) from None
    known = set(CATEGORY_IDS if categories is None else categories)
    bands = size_band_ids() if sizes is None else tuple(sizes)
    problems = _Checker(roadmap, name, lines, pillars, known, top, languages, bands).run()
    if problems:
        raise RoadmapError(problems)
    return roadmap


def _reraise(exc: QuestionnaireError) -> RoadmapError:
    return RoadmapError(exc.problems)


def load_roadmap(path: str | Path | None = None, **checks: Any) -> RoadmapData:
    """Load and check a roadmap file (default: the bundled one). Raises ``RoadmapError``.

    ``checks``: ``pillars`` (default the six DBI pillars), ``categories`` (default the
    catalogue's category ids), ``top`` (highest level, 5), ``languages`` (vi, en), ``sizes``
    (default the size bands of the firm-profile reference).
    """
    try:
        data, lines, name = read_yaml(path or ROADMAP_PATH)
    except QuestionnaireError as exc:
        raise _reraise(exc) from None
    return build_roadmap(data, lines, name, **checks)


def load_roadmap_text(text: str, name: str = "<roadmap>", **checks: Any) -> RoadmapData:
    try:
        data, lines, name = parse_yaml_text(text, name)
    except QuestionnaireError as exc:
        raise _reraise(exc) from None
    return build_roadmap(data, lines, name, **checks)


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> RoadmapData:
    return load_roadmap(path)


def load_bundled_roadmap() -> RoadmapData:
    """The bundled roadmap, cached until the file changes."""
    return _cached(str(ROADMAP_PATH), ROADMAP_PATH.stat().st_mtime)


__all__ = [
    "AMOUNT_RANK",
    "ActionSpec",
    "CATEGORY_IDS",
    "DBI_PILLARS",
    "RoadmapData",
    "RoadmapError",
    "SourceRef",
    "SupportSpec",
    "load_bundled_roadmap",
    "load_roadmap",
    "load_roadmap_text",
    "size_band_ids",
]
