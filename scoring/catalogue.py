"""The platform catalogue: ``questionnaires/catalogue/{categories,platforms}.yaml`` → ``Catalogue``.

Categories say which kind of tool solves which problem, which DBI pillars it lifts, whether
a tool of that kind connects to the firm's other software (``integrates``) and, for a kind of
tool made for some trades only, the sectors it serves (``sectors``); platforms are real
products in those categories, with the sizes and sectors they fit, a price band, and the
SMEdx / Decree 80 flags (``yes`` | ``no`` | ``unknown``). ``Platform.fits``, ``made_for`` and
``affordable`` are the one place the fit to a firm is decided (the recommendations use them).
The category ids are written once, in ``categories.yaml``: ``CATEGORY_IDS`` reads them there.

Validated like the questionnaires: every problem at once, raised as ``CatalogueError``
whose ``problems`` are lines of the form ``platforms.yaml: platforms[12].category: unknown
category 'ecomerce'``. Checked: the shape of every entry (pydantic: unknown or missing
fields, wrong types; its errors are turned into such lines), duplicate ids, dangling
categories (in ``category`` and ``also``), missing translations (every bilingual field
needs non-empty ``vi`` and ``en``), unknown size bands, sector letters (of platforms and
categories) and pillars, and bad URLs. The checks read the raw YAML, so one broken field does not hide the others.

Safety: ``yaml.safe_load`` only, files over 2 MB are refused, and YAML aliases are refused
(a catalogue never needs them, and they are the way to a "billion laughs" file).

Pure: imports neither Streamlit nor the database.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, ValidationError

from scoring.loader import format_path  # the questionnaires' path style: platforms[3].website
from scoring.model import Text

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "questionnaires" / "catalogue"
CATEGORIES_FILE = "categories.yaml"
PLATFORMS_FILE = "platforms.yaml"
MAX_BYTES = 2 * 1024 * 1024  # 2 MB per file

LANGUAGES = ("vi", "en")
PILLARS = ("customer", "strategy", "infrastructure", "operations", "culture", "data")
SIZE_BANDS = ("household", "micro", "small", "medium", "large")
SECTORS = tuple("ABCDEFGHIJKLMNOPQRSTU")  # VSIC 2018 sections
ALL_SECTORS = "all"
PRICE_BANDS = ("free", "low", "medium", "high")
PRICE_RANK = {band: i for i, band in enumerate(PRICE_BANDS)}

_ID = re.compile(r"[a-z][a-z0-9_]*")
_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}")

Loc = tuple[str | int, ...]


class CatalogueError(Exception):
    """A catalogue with problems; ``problems`` lists every one as ``file: yaml.path: message``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


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


def _as_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date like 2026-11-23, got {value!r}")


def _one_or_many(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


YesNoUnknown = Annotated[Literal["yes", "no", "unknown"], BeforeValidator(_tri_state("yes, no or unknown"))]
TrialFlag = Annotated[Literal["yes", "no", "unknown"], BeforeValidator(_tri_state("true, false or unknown"))]
CheckedDate = Annotated[date, BeforeValidator(_as_date)]
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


# ---------------------------------------------------------------- problems


_SECTION_ORDER = {"version": 0, "checked": 0, "categories": 1, "platforms": 2}


class _Problems:
    """Problems of one file, kept in file order (section, then entry)."""

    def __init__(self, name: str):
        self.name = name
        self.items: list[tuple[Loc, str]] = []

    def add(self, loc: Loc, message: str) -> None:
        self.items.append((tuple(loc), message))

    def lines(self) -> list[str]:
        def key(item: tuple[Loc, str]) -> tuple[int, int]:
            loc = item[0]
            section = _SECTION_ORDER.get(loc[0], 0) if loc and isinstance(loc[0], str) else 0
            index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else -1
            return section, index

        return [f"{self.name}: {format_path(loc) or '(top)'}: {msg}" for loc, msg in sorted(self.items, key=key)]


def _pydantic(exc: ValidationError, out: _Problems) -> None:
    for err in exc.errors():
        loc = tuple(err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "dict_type" and loc and loc[-1] in _TEXT_FIELDS:
            msg = "expected a translation mapping like {vi: ..., en: ...}"
        elif err["type"] == "string_type" and loc == ("version",):
            msg = f'expected a string: quote it, e.g. version: "{err["input"]}"'
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.add(loc, msg)


_TEXT_FIELDS = {"name", "problem", "summary", "price_note"}


# ---------------------------------------------------------------- reading


def _read(path: Path, out: _Problems) -> Any:
    """Read one YAML file safely; on a problem, record it and return None."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            out.add((), f"file is {size:,} bytes; the limit is {MAX_BYTES:,} (2 MB)")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        out.add((), f"cannot read file: {exc.strerror or exc}")
        return None
    if len(raw) > MAX_BYTES:
        out.add((), f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} (2 MB)")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        out.add((), f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                out.add(
                    (),
                    f"YAML aliases (*{event.anchor}) are not allowed in the catalogue (line {event.start_mark.line + 1})",
                )
                return None
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        out.add((), f"not valid YAML: {getattr(exc, 'problem', None) or exc}{where}")
        return None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a date like 2026-13-01
        line = _bad_timestamp_line(text)
        where = f" (line {line})" if line else ""
        out.add((), f"not valid YAML: a value cannot be read ({exc}){where}")
        return None
    if data is None:
        out.add((), "the file is empty")
        return None
    return data


def _bad_timestamp_line(text: str) -> int | None:
    """The line of the first date-like scalar PyYAML cannot turn into a date (e.g. 2026-13-01)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    constructor = yaml.constructor.SafeConstructor()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:timestamp":
                try:
                    constructor.construct_yaml_timestamp(node)
                except ValueError:
                    return node.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in reversed(node.value) for v in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


# ---------------------------------------------------------------- checks on the raw data


def url_problem(value: str, schemes: tuple[str, ...] = ("https", "http")) -> str | None:
    """Why ``value`` is not a usable URL with one of ``schemes`` (None: it is)."""
    want = " or ".join(f"{s}://" for s in schemes)
    if not value or any(ch.isspace() for ch in value):
        return f"bad URL {value!r}: it must not be empty or contain spaces"
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return f"bad URL {value!r}"
    if parts.scheme not in schemes:
        return f"bad URL {value!r}: it must start with {want}"
    if not host or not _HOST.fullmatch(host) or parts.username or parts.password:
        return f"bad URL {value!r}: no valid host name"
    return None


class _Checker:
    def __init__(self) -> None:
        self.category_ids: set[str] | None = None  # None: the categories could not be read

    def text(self, value: Any, loc: Loc, out: _Problems) -> None:
        if not isinstance(value, dict):
            return  # missing or not a mapping: pydantic reports it
        for lang in LANGUAGES:
            if lang not in value or (isinstance(value[lang], str) and not value[lang].strip()):
                out.add(loc, f"missing '{lang}' translation")
        for key in value:
            if key not in LANGUAGES:
                out.add(loc, f"unknown language {key!r} (expected {', '.join(LANGUAGES)})")

    def ids(self, items: list, section: str, kind: str, out: _Problems) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            value = item["id"]
            if not _ID.fullmatch(value):
                out.add((section, i, "id"), f"id {value!r} must be lower_snake_case (a-z, 0-9, _)")
            if value in seen:
                out.add((section, i, "id"), f"duplicate {kind} id '{value}' (first at {section}[{seen[value]}])")
            else:
                seen[value] = i

    def categories(self, items: Any, out: _Problems) -> None:
        if not isinstance(items, list):
            return
        self.category_ids = {c["id"] for c in items if isinstance(c, dict) and isinstance(c.get("id"), str)}
        self.ids(items, "categories", "category", out)
        for i, c in enumerate(items):
            if not isinstance(c, dict):
                continue
            loc: Loc = ("categories", i)
            self.text(c.get("name"), loc + ("name",), out)
            self.text(c.get("problem"), loc + ("problem",), out)
            pillars = c.get("pillars")
            if isinstance(pillars, dict):
                if not pillars:
                    out.add(loc + ("pillars",), "name at least one pillar")
                for key in pillars:
                    if key not in PILLARS:
                        out.add(
                            loc + ("pillars", key), f"unknown pillar {key!r} (expected one of {', '.join(PILLARS)})"
                        )
                weights = [w for w in pillars.values() if isinstance(w, (int, float)) and not isinstance(w, bool)]
                if pillars and len(weights) == len(pillars) and not any(w > 0 for w in weights):
                    out.add(loc + ("pillars",), "at least one pillar needs a weight above 0")
            if "sectors" in c:
                self._sectors(c.get("sectors"), loc + ("sectors",), out, allow_all=False)

    def _category_ref(self, value: Any, loc: Loc, out: _Problems) -> None:
        if isinstance(value, str) and self.category_ids is not None and value not in self.category_ids:
            out.add(loc, f"unknown category '{value}'")

    def platforms(self, items: Any, out: _Problems) -> None:
        if not isinstance(items, list):
            return
        self.ids(items, "platforms", "platform", out)
        for i, p in enumerate(items):
            if not isinstance(p, dict):
                continue
            loc: Loc = ("platforms", i)
            for key in ("name", "vendor"):
                if isinstance(p.get(key), str) and not p[key].strip():
                    out.add(loc + (key,), "must not be empty")
            main = p.get("category")
            self._category_ref(main, loc + ("category",), out)
            also = p.get("also")
            if isinstance(also, list):
                seen: set[str] = set()
                for j, c in enumerate(also):
                    if not isinstance(c, str):
                        continue
                    if c == main:
                        out.add(loc + ("also", j), f"'{c}' is already the main category")
                    elif c in seen:
                        out.add(loc + ("also", j), f"'{c}' is listed twice")
                    else:
                        self._category_ref(c, loc + ("also", j), out)
                    seen.add(c)
            sizes = p.get("sizes")
            if isinstance(sizes, list):
                if not sizes:
                    out.add(loc + ("sizes",), "name at least one size band")
                for j, s in enumerate(sizes):
                    if isinstance(s, str) and s not in SIZE_BANDS:
                        out.add(
                            loc + ("sizes", j), f"unknown size band {s!r} (expected one of {', '.join(SIZE_BANDS)})"
                        )
            self._sectors(p.get("sectors"), loc + ("sectors",), out)
            for key, schemes in (("website", ("https",)), ("source", ("https", "http"))):
                value = p.get(key)
                if isinstance(value, str):
                    problem = url_problem(value.strip(), schemes)
                    if problem:
                        out.add(loc + (key,), problem)
            self.text(p.get("summary"), loc + ("summary",), out)
            self.text(p.get("price_note"), loc + ("price_note",), out)

    def _sectors(self, value: Any, loc: Loc, out: _Problems, allow_all: bool = True) -> None:
        if not allow_all:  # a category names letters, or leaves sectors out
            if isinstance(value, list):
                if not value:
                    out.add(loc, "name at least one sector letter, or leave sectors out (every sector)")
                for j, s in enumerate(value):
                    if isinstance(s, str) and s not in SECTORS:
                        out.add(loc + (j,), f"unknown sector {s!r} (expected a VSIC section letter A–U)")
            return
        if isinstance(value, str):
            if value != ALL_SECTORS and value not in SECTORS:
                out.add(loc, f"unknown sector {value!r} (expected VSIC section letters A–U, or '{ALL_SECTORS}')")
            return
        if not isinstance(value, list):
            return
        if not value:
            out.add(loc, f"name at least one sector letter, or '{ALL_SECTORS}'")
        for j, s in enumerate(value):
            if not isinstance(s, str):
                continue
            if s == ALL_SECTORS:
                if len(value) > 1:
                    out.add(loc + (j,), f"'{ALL_SECTORS}' must stand alone")
            elif s not in SECTORS:
                out.add(loc + (j,), f"unknown sector {s!r} (expected a VSIC section letter A–U, or '{ALL_SECTORS}')")


# ---------------------------------------------------------------- loading


def _top_mapping(data: Any, keys: str, out: _Problems) -> bool:
    if data is None:
        return False
    if not isinstance(data, dict):
        out.add((), f"the top level must be a mapping ({keys})")
        return False
    return True


def _validate(model: type[_Strict], data: Any, out: _Problems) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        _pydantic(exc, out)
        return None


def _load_dir(root: Path) -> Catalogue:
    cat_out, plat_out = _Problems(CATEGORIES_FILE), _Problems(PLATFORMS_FILE)
    checker = _Checker()
    cat_data = _read(root / CATEGORIES_FILE, cat_out)
    plat_data = _read(root / PLATFORMS_FILE, plat_out)
    cats = plats = None
    if _top_mapping(cat_data, "version, checked, categories", cat_out):
        cats = _validate(_CategoriesFile, cat_data, cat_out)
        checker.categories(cat_data.get("categories"), cat_out)
    if _top_mapping(plat_data, "version, checked, platforms", plat_out):
        plats = _validate(_PlatformsFile, plat_data, plat_out)
        checker.platforms(plat_data.get("platforms"), plat_out)
        v1 = cat_data.get("version") if isinstance(cat_data, dict) else None
        v2 = plat_data.get("version")
        if isinstance(v1, str) and isinstance(v2, str) and v1 != v2:
            plat_out.add(("version",), f"'{v2}' differs from {CATEGORIES_FILE}'s version '{v1}'")
    problems = cat_out.lines() + plat_out.lines()
    if problems or cats is None or plats is None:
        raise CatalogueError(problems or ["the catalogue could not be read"])
    return Catalogue(
        version=cats.version,
        checked=max(cats.checked, plats.checked),
        categories=cats.categories,
        platforms=plats.platforms,
    )


def _load_file(path: Path) -> Catalogue:
    out = _Problems(path.name)
    checker = _Checker()
    data = _read(path, out)
    whole = None
    if _top_mapping(data, "version, checked, categories, platforms", out):
        whole = _validate(_CatalogueFile, data, out)
        checker.categories(data.get("categories"), out)
        checker.platforms(data.get("platforms"), out)
    problems = out.lines()
    if problems or whole is None:
        raise CatalogueError(problems or ["the catalogue could not be read"])
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
