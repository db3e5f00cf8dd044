"""The platform catalogue: ``questionnaires/catalogue/{categories,platforms}.yaml`` → ``Catalogue``.

Categories say which kind of tool solves which problem, which DBI pillars it lifts, whether
a tool of that kind connects to the firm's other software (``integrates``) and, for a kind of
tool made for some trades only, the sectors it serves (``sectors``); platforms are real
products in those categories, with the sizes and sectors they fit, a price band, and the
SMEdx / Decree 80 flags (``yes`` | ``no`` | ``unknown``). ``Platform.fits``, ``made_for`` and
``affordable`` are the one place the fit to a firm is decided (the recommendations use them).
The category ids are written once, in ``categories.yaml``: ``CATEGORY_IDS`` reads them there.

Validated like every data file (``scoring.datafile``): every problem at once, raised as
``CatalogueError`` whose ``problems`` read ``platforms.yaml:214: platforms[12].category: unknown
category 'ecomerce'``. Checked: the shape of every entry (pydantic: unknown or missing
fields, wrong types; its errors are turned into such lines), duplicate ids, dangling
categories (in ``category`` and ``also``), missing translations (every bilingual field
needs non-empty ``vi`` and ``en``), unknown size bands, sector letters (of platforms and
categories) and pillars, and bad URLs. The checks read the raw YAML, so one broken field does not hide the others.

Safety: the loader core's safe YAML (YAML 1.2 booleans), files over 2 MB are refused, and YAML
aliases are refused (a catalogue never needs them, and they are the way to a "billion laughs" file).

Pure: imports neither Streamlit nor the database.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, ValidationError

from scoring.datafile import (
    LANGUAGES,
    DataChecker,
    DataFileError,
    Loc,
    Problem,
    as_date,
    pydantic_problems,
    read_yaml,
)
from scoring.model import Text

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "questionnaires" / "catalogue"
CATEGORIES_FILE = "categories.yaml"
PLATFORMS_FILE = "platforms.yaml"
MAX_BYTES = 2 * 1024 * 1024  # 2 MB per file

PILLARS = ("customer", "strategy", "infrastructure", "operations", "culture", "data")
SIZE_BANDS = ("household", "micro", "small", "medium", "large")
SECTORS = tuple("ABCDEFGHIJKLMNOPQRSTU")  # VSIC 2018 sections
ALL_SECTORS = "all"
PRICE_BANDS = ("free", "low", "medium", "high")
PRICE_RANK = {band: i for i, band in enumerate(PRICE_BANDS)}

_ID = r"[a-z][a-z0-9_]*"


class CatalogueError(DataFileError):
    """A catalogue with problems; ``problems`` lists every one (``Problem``: file, YAML path, line)."""


# ---------------------------------------------------------------- models


def _tri_state(expected: str):
    """yes | no | unknown; YAML booleans (``true``, and ``yes``/``no`` under YAML 1.1) map to yes/no."""

    def convert(value: Any) -> Any:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, str):
            v = value.strip().lower()
            v = {"true": "yes", "false": "no"}.get(v, v)
            if v in ("yes", "no", "unknown"):
                return v
        raise ValueError(f"expected {expected}, got {value!r}")

    return convert


def _one_or_many(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


YesNoUnknown = Annotated[Literal["yes", "no", "unknown"], BeforeValidator(_tri_state("yes, no or unknown"))]
TrialFlag = Annotated[Literal["yes", "no", "unknown"], BeforeValidator(_tri_state("true, false or unknown"))]
CheckedDate = Annotated[date, BeforeValidator(as_date)]
Weight = Annotated[float, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    id: str
    name: Text
    problem: Text  # the problem it solves, one plain sentence
    pillars: dict[str, Weight]  # DBI pillar id -> how much the category lifts it, 0..1
    # True where a tool of this kind works with the firm's other software (accounting with
    # invoices, a POS with stock): a firm that has one is told to connect it. An antivirus or a
    # signing token stands alone: such a firm is told to use it fully instead.
    integrates: StrictBool = False
    # The VSIC sections whose firms this kind of tool is for (a shop's till, a restaurant's
    # orders); None: every sector.
    sectors: tuple[str, ...] | None = None

    def serves(self, sector: str | None) -> bool:
        """True when the category is for firms of that sector (an unknown sector: yes)."""
        return self.sectors is None or sector is None or sector in self.sectors


class Platform(_Strict):
    id: str
    name: str
    vendor: str
    category: str
    also: tuple[str, ...] = ()  # further categories it serves
    sizes: tuple[str, ...]  # size bands it fits
    sectors: Annotated[tuple[str, ...], BeforeValidator(_one_or_many)]  # VSIC letters, or ("all",)
    price_band: Literal["free", "low", "medium", "high"]
    price_note: Text | None = None
    free_trial: TrialFlag  # "yes" | "no" | "unknown" (YAML true/false/unknown)
    smedx: YesNoUnknown  # listed on the SMEdx programme
    decree80: YesNoUnknown  # cost support under Decree 80/2021
    open_source: StrictBool
    website: str
    summary: Text
    checked: CheckedDate  # when the entry was last checked
    source: str  # the public source used

    @property
    def categories(self) -> tuple[str, ...]:
        """The main category first, then ``also``."""
        return (self.category, *(c for c in self.also if c != self.category))

    @property
    def all_sectors(self) -> bool:
        return ALL_SECTORS in self.sectors

    def fits(self, size_band: str | None = None, sector: str | None = None) -> bool:
        """True when the platform suits that size band and sector (None: not known, fits)."""
        if size_band is not None and size_band not in self.sizes:
            return False
        return sector is None or self.all_sectors or sector in self.sectors

    def made_for(self, sector: str | None) -> bool:
        """True when the platform names that sector (not merely 'all')."""
        return sector is not None and sector in self.sectors

    def affordable(self, budget: str | None) -> bool:
        """True when its price band is at most ``budget`` (free < low < medium < high; None: any)."""
        return budget is None or PRICE_RANK[self.price_band] <= PRICE_RANK[budget]


class Catalogue(_Strict):
    version: str
    checked: date
    categories: tuple[Category, ...]
    platforms: tuple[Platform, ...]

    def category(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(f"unknown category {category_id!r}")

    def platform(self, platform_id: str) -> Platform:
        for p in self.platforms:
            if p.id == platform_id:
                return p
        raise KeyError(f"unknown platform {platform_id!r}")

    def platforms_in(self, category_id: str) -> list[Platform]:
        """Platforms of a category in file order: those whose main category it is, then those with it in ``also``."""
        self.category(category_id)  # KeyError for an unknown category
        main = [p for p in self.platforms if p.category == category_id]
        extra = [p for p in self.platforms if p.category != category_id and category_id in p.also]
        return main + extra

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON of the loaded data (sorted keys, no whitespace)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _CategoriesFile(_Strict):
    version: str
    checked: CheckedDate
    categories: tuple[Category, ...]


class _PlatformsFile(_Strict):
    version: str
    checked: CheckedDate
    platforms: tuple[Platform, ...]


class _CatalogueFile(_Strict):
    version: str
    checked: CheckedDate
    categories: tuple[Category, ...]
    platforms: tuple[Platform, ...]


# ---------------------------------------------------------------- checks on the raw data


_SECTION_ORDER = {"version": 0, "checked": 0, "categories": 1, "platforms": 2}


class _Checker(DataChecker):
    """One file's problems: pydantic's shape problems and the checks below, on the raw data so
    that one broken field does not hide the others; listed in file order (section, then entry)."""

    def __init__(self, name: str, lines: dict[Loc, int], category_ids: set[str] | None = None):
        super().__init__(name, lines, LANGUAGES)
        self.category_ids = category_ids  # None: the categories could not be read

    def sorted_problems(self) -> list[Problem]:
        def key(problem: Problem) -> tuple[int, int]:
            head, _, rest = problem.path.partition("[")
            index = int(rest.split("]", 1)[0]) if rest[:1].isdigit() else -1
            return _SECTION_ORDER.get(head.split(".")[0], 0), index

        return sorted(self.problems, key=key)

    def shape(self, model: type[_Strict], data: Any) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems += pydantic_problems(exc, self.name, self.lines)
            return None

    def categories(self, items: Any) -> None:
        if not isinstance(items, list):
            return
        self.category_ids = {c["id"] for c in items if isinstance(c, dict) and isinstance(c.get("id"), str)}
        self.unique_ids(items, "categories", "category", _ID, "lower_snake_case (a-z, 0-9, _)")
        for i, c in enumerate(items):
            if not isinstance(c, dict):
                continue
            loc: Loc = ("categories", i)
            self.text(c.get("name"), loc + ("name",))
            self.text(c.get("problem"), loc + ("problem",))
            pillars = c.get("pillars")
            if isinstance(pillars, dict):
                if not pillars:
                    self.add(loc + ("pillars",), "name at least one pillar")
                for key in pillars:
                    if key not in PILLARS:
                        self.add(loc + ("pillars", key), f"unknown pillar {key!r} (expected one of {', '.join(PILLARS)})")
                weights = [w for w in pillars.values() if isinstance(w, (int, float)) and not isinstance(w, bool)]
                if pillars and len(weights) == len(pillars) and not any(w > 0 for w in weights):
                    self.add(loc + ("pillars",), "at least one pillar needs a weight above 0")
            if "sectors" in c:
                self._sectors(c.get("sectors"), loc + ("sectors",), allow_all=False)

    def _category_ref(self, value: Any, loc: Loc) -> None:
        if isinstance(value, str) and self.category_ids is not None and value not in self.category_ids:
            self.add(loc, f"unknown category '{value}'")

    def platforms(self, items: Any) -> None:
        if not isinstance(items, list):
            return
        self.unique_ids(items, "platforms", "platform", _ID, "lower_snake_case (a-z, 0-9, _)")
        for i, p in enumerate(items):
            if not isinstance(p, dict):
                continue
            loc: Loc = ("platforms", i)
            for key in ("name", "vendor"):
                if isinstance(p.get(key), str) and not p[key].strip():
                    self.add(loc + (key,), "must not be empty")
            main = p.get("category")
            self._category_ref(main, loc + ("category",))
            also = p.get("also")
            if isinstance(also, list):
                seen: set[str] = set()
                for j, c in enumerate(also):
                    if not isinstance(c, str):
                        continue
                    if c == main:
                        self.add(loc + ("also", j), f"'{c}' is already the main category")
                    elif c in seen:
                        self.add(loc + ("also", j), f"'{c}' is listed twice")
                    else:
                        self._category_ref(c, loc + ("also", j))
                    seen.add(c)
            sizes = p.get("sizes")
            if isinstance(sizes, list):
                if not sizes:
                    self.add(loc + ("sizes",), "name at least one size band")
                for j, size in enumerate(sizes):
                    if isinstance(size, str) and size not in SIZE_BANDS:
                        self.add(loc + ("sizes", j), f"unknown size band {size!r} (expected one of {', '.join(SIZE_BANDS)})")
            self._sectors(p.get("sectors"), loc + ("sectors",))
            self.url(p.get("website"), loc + ("website",), ("https",))
            self.url(p.get("source"), loc + ("source",))
            self.text(p.get("summary"), loc + ("summary",))
            self.text(p.get("price_note"), loc + ("price_note",))

    def _sectors(self, value: Any, loc: Loc, allow_all: bool = True) -> None:
        if not allow_all:  # a category names letters, or leaves sectors out
            if isinstance(value, list):
                if not value:
                    self.add(loc, "name at least one sector letter, or leave sectors out (every sector)")
                for j, s in enumerate(value):
                    if isinstance(s, str) and s not in SECTORS:
                        self.add(loc + (j,), f"unknown sector {s!r} (expected a VSIC section letter A–U)")
            return
        if isinstance(value, str):
            if value != ALL_SECTORS and value not in SECTORS:
                self.add(loc, f"unknown sector {value!r} (expected VSIC section letters A–U, or '{ALL_SECTORS}')")
            return
        if not isinstance(value, list):
            return
        if not value:
            self.add(loc, f"name at least one sector letter, or '{ALL_SECTORS}'")
        for j, s in enumerate(value):
            if not isinstance(s, str):
                continue
            if s == ALL_SECTORS:
                if len(value) > 1:
                    self.add(loc + (j,), f"'{ALL_SECTORS}' must stand alone")
            elif s not in SECTORS:
                self.add(loc + (j,), f"unknown sector {s!r} (expected a VSIC section letter A–U, or '{ALL_SECTORS}')")


# ---------------------------------------------------------------- loading


def _read(path: Path, keys: str) -> tuple[Any, _Checker]:
    """One file through the loader core (no aliases: a catalogue never needs them); its data
    (None when it cannot be read, its problem recorded) and its checker."""
    try:
        data, lines, name = read_yaml(path, name=path.name, max_bytes=MAX_BYTES, aliases=False)
    except DataFileError as exc:
        checker = _Checker(path.name, {})
        checker.problems += exc.problems
        return None, checker
    checker = _Checker(name, lines)
    if not isinstance(data, dict):
        checker.add((), f"the top level must be a mapping ({keys})")
        return None, checker
    return data, checker


def _load_dir(root: Path) -> Catalogue:
    cat_data, cat_check = _read(root / CATEGORIES_FILE, "version, checked, categories")
    plat_data, plat_check = _read(root / PLATFORMS_FILE, "version, checked, platforms")
    cats = plats = None
    if cat_data is not None:
        cats = cat_check.shape(_CategoriesFile, cat_data)
        cat_check.categories(cat_data.get("categories"))
    if plat_data is not None:
        plat_check.category_ids = cat_check.category_ids
        plats = plat_check.shape(_PlatformsFile, plat_data)
        plat_check.platforms(plat_data.get("platforms"))
        v1 = cat_data.get("version") if cat_data is not None else None
        v2 = plat_data.get("version")
        if isinstance(v1, str) and isinstance(v2, str) and v1 != v2:
            plat_check.add(("version",), f"'{v2}' differs from {CATEGORIES_FILE}'s version '{v1}'")
    problems = cat_check.sorted_problems() + plat_check.sorted_problems()
    if problems or cats is None or plats is None:
        raise CatalogueError(problems or [Problem(str(root), "", "the catalogue could not be read")])
    return Catalogue(
        version=cats.version,
        checked=max(cats.checked, plats.checked),
        categories=cats.categories,
        platforms=plats.platforms,
    )


def _load_file(path: Path) -> Catalogue:
    data, check = _read(path, "version, checked, categories, platforms")
    whole = None
    if data is not None:
        whole = check.shape(_CatalogueFile, data)
        check.categories(data.get("categories"))
        check.platforms(data.get("platforms"))
    problems = check.sorted_problems()
    if problems or whole is None:
        raise CatalogueError(problems or [Problem(path.name, "", "the catalogue could not be read")])
    return Catalogue(
        version=whole.version, checked=whole.checked, categories=whole.categories, platforms=whole.platforms
    )


def load_catalogue(path_or_dir: str | Path | None = None) -> Catalogue:
    """Load and check a catalogue. Raises ``CatalogueError`` listing every problem.

    ``path_or_dir``: a folder holding ``categories.yaml`` and ``platforms.yaml`` (default: the
    bundled ``questionnaires/catalogue/``), or one YAML file holding ``version``, ``checked``,
    ``categories`` and ``platforms`` together.
    """
    root = Path(path_or_dir) if path_or_dir is not None else BUNDLED_DIR
    if root.is_dir():
        return _load_dir(root)
    return _load_file(root)


@lru_cache(maxsize=4)
def _cached(root: str, stamps: tuple[float, ...]) -> Catalogue:
    return load_catalogue(root)


def load_bundled_catalogue() -> Catalogue:
    """The bundled catalogue, cached until one of its files changes."""
    stamps = tuple((BUNDLED_DIR / f).stat().st_mtime for f in (CATEGORIES_FILE, PLATFORMS_FILE))
    return _cached(str(BUNDLED_DIR), stamps)


def __getattr__(name: str) -> Any:
    # CATEGORY_IDS: the ids of the bundled categories.yaml, the one place they are written
    # (the questionnaires' gaps/uses tags, the roadmap and platforms.yaml name them).
    if name == "CATEGORY_IDS":
        return load_bundled_catalogue().category_ids
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALL_SECTORS",
    "BUNDLED_DIR",
    "Catalogue",
    "CatalogueError",
    "Category",
    "LANGUAGES",
    "MAX_BYTES",
    "PILLARS",
    "PRICE_BANDS",
    "PRICE_RANK",
    "Platform",
    "SECTORS",
    "SIZE_BANDS",
    "load_bundled_catalogue",
    "load_catalogue",
]
