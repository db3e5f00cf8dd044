"""Firm-profile reference data: ``questionnaires/reference/profile.yaml`` → ``ProfileReference``.

- ``provinces``: the 34 provincial-level units since 1 July 2025, each with the former
  provinces (of the 63) merged into it, so an old record naming e.g. "Bình Dương" maps to
  ``ho_chi_minh`` (``province_from_name``).
- ``sectors``: VSIC 2018 sections A..U, each in one column of the Decree 80/2021 size table
  (``agri_industry_construction`` or ``trade_services``).
- ``size_bands``: household, micro, small, medium, large; ``classify_size`` applies the
  Decree 80/2021/NĐ-CP Article 5 limits stored in the file.

Validated like a questionnaire: every problem at once, each with the file, the YAML path
(``provinces[3].name``) and the line: unknown fields, duplicate ids, missing translations,
a former province listed twice, two units answering to the same name, limits out of order.
Read and checked with the data files' one loader core (``scoring.datafile``).
Pure Python: no Streamlit, no database.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from scoring import datafile
from scoring.model import Text

PROFILE_PATH = Path(__file__).resolve().parent.parent / "questionnaires" / "reference" / "profile.yaml"
GROUPS = ("agri_industry_construction", "trade_services")
LARGE = "large"  # above the medium limits
HOUSEHOLD = "household"  # a legal form, chosen explicitly; never returned by classify_size

Group = Literal["agri_industry_construction", "trade_services"]


class ProfileError(datafile.DataFileError):
    """A profile reference file with problems; ``problems`` lists every one (file, YAML path, line)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Province(_Strict):
    id: str
    kind: Literal["city", "province"]
    name: Text
    former: tuple[str, ...]  # former provinces merged into this unit (its own former name first)
    aliases: tuple[str, ...] = ()  # other accepted spellings: "TP.HCM", "Sài Gòn", ...


class Sector(_Strict):
    id: str  # VSIC 2018 section letter
    group: Group
    name: Text


class SizeLimit(_Strict):
    staff: int = Field(ge=0)
    revenue_bn: float = Field(ge=0)
    capital_bn: float = Field(ge=0)


class SizeBand(_Strict):
    id: str
    name: Text
    description: Text
    limits: dict[Group, SizeLimit] | None = None  # None: household and large


class ProfileReference(_Strict):
    version: str
    provinces: tuple[Province, ...]
    sectors: tuple[Sector, ...]
    size_bands: tuple[SizeBand, ...]

    _names: dict[str, Province] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        for p in self.provinces:
            for key in _province_keys(p):
                self._names.setdefault(key, p)

    def province(self, province_id: str) -> Province | None:
        return next((p for p in self.provinces if p.id == province_id), None)

    def sector(self, sector_id: str) -> Sector | None:
        return next((s for s in self.sectors if s.id == sector_id), None)

    def size_band(self, band_id: str) -> SizeBand | None:
        return next((b for b in self.size_bands if b.id == band_id), None)

    def province_from_name(self, name: str | None) -> Province | None:
        """The current unit for an id, a vi/en name, an alias or a former province name."""
        if not name or not isinstance(name, str):
            return None
        return self._names.get(normalize_name(name))

    def sector_group(self, sector: str) -> str:
        """``agri_industry_construction`` or ``trade_services`` for a section letter (or a group id)."""
        key = (sector or "").strip()
        if key in GROUPS:
            return key
        found = self.sector(key.upper())
        if found is None:
            known = ", ".join(s.id for s in self.sectors)
            raise ValueError(f"unknown sector {sector!r}: expected a VSIC 2018 section ({known}) or one of {GROUPS}")
        return found.group

    def classify_size(
        self, sector: str, staff: int, revenue_bn: float | None = None, capital_bn: float | None = None
    ) -> str:
        """The Decree 80/2021 Art. 5 band: the first band whose staff limit is met AND whose
        revenue OR capital limit is met; ``large`` above medium.

        Revenue and capital are in billion VND. Give what is known: with neither, staff
        alone decides; with one, that one must be within the limit.
        """
        group = self.sector_group(sector)
        if isinstance(staff, bool) or not isinstance(staff, int) or staff < 0:
            raise ValueError(f"staff must be a whole number ≥ 0, got {staff!r}")
        for label, value in (("revenue_bn", revenue_bn), ("capital_bn", capital_bn)):
            if value is not None and not value >= 0:  # also rejects NaN
                raise ValueError(f"{label} must be ≥ 0, got {value!r}")
        for band in self.size_bands:
            if band.limits is None:
                continue
            lim = band.limits[group]
            if staff > lim.staff:
                continue
            if revenue_bn is None and capital_bn is None:
                return band.id
            if (revenue_bn is not None and revenue_bn <= lim.revenue_bn) or (
                capital_bn is not None and capital_bn <= lim.capital_bn
            ):
                return band.id
        return LARGE


# ---------------------------------------------------------------- name matching

_PREFIXES = ("thanh pho ", "tinh ", "tp ")
_SUFFIXES = (" province", " city")


def normalize_name(name: str) -> str:
    """Accent- and case-free key: "TP. Hồ Chí Minh" → "ho chi minh", "Bà Rịa–Vũng Tàu" → "ba ria vung tau"."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return text


def _province_keys(p: Province) -> list[str]:
    names = [p.id, *p.name.root.values(), *p.aliases, *p.former]
    return [k for k in (normalize_name(n) for n in names) if k]


# ---------------------------------------------------------------- validation


class _Checker(datafile.DataChecker):
    def __init__(self, ref: ProfileReference, name: str, lines: dict[datafile.Loc, int]):
        super().__init__(name, lines)
        self.ref = ref

    def run(self) -> list[datafile.Problem]:
        ref = self.ref
        for section in ("provinces", "sectors", "size_bands"):
            if not getattr(ref, section):
                self.add((section,), "the list is empty")
        self.unique_ids(ref.provinces, "provinces", "province", r"[a-z][a-z0-9_]*", "lower-case ascii letters, digits and _")
        self.unique_ids(ref.sectors, "sectors", "sector", r"[A-Z]", "one upper-case letter (VSIC 2018 section)")
        self.unique_ids(ref.size_bands, "size_bands", "size band", r"[a-z][a-z0-9_]*", "lower-case ascii letters, digits and _")
        self.provinces()
        for i, s in enumerate(ref.sectors):
            self.text(s.name, ("sectors", i, "name"))
        self.size_bands()
        return self.problems

    def provinces(self) -> None:
        former_at: dict[str, tuple[int, int]] = {}
        owner: dict[str, tuple[str, str]] = {}  # normalized name → (province id, where)
        for i, p in enumerate(self.ref.provinces):
            loc: datafile.Loc = ("provinces", i)
            self.text(p.name, loc + ("name",))
            if not p.former:
                self.add(loc + ("former",), "list the former province(s) this unit covers")
            for j, former in enumerate(p.former):
                key = normalize_name(former)
                if not key:
                    self.add(loc + ("former", j), "empty former province name")
                elif key in former_at:
                    a, b = former_at[key]
                    self.add(
                        loc + ("former", j),
                        f"former province '{former}' is already listed at provinces[{a}].former[{b}]",
                    )
                else:
                    former_at[key] = (i, j)
            names = [("id", p.id), *((f"name.{k}", v) for k, v in p.name.root.items())]
            names += [(f"aliases[{j}]", a) for j, a in enumerate(p.aliases)]
            names += [(f"former[{j}]", f) for j, f in enumerate(p.former)]
            for where, raw in names:
                key = normalize_name(raw)
                if key and key in owner and owner[key][0] != p.id:
                    other, other_where = owner[key]
                    self.add(loc, f"{where} '{raw}' also names '{other}' ({other_where}): a name must map to one unit")
                elif key:
                    owner.setdefault(key, (p.id, f"provinces[{i}].{where}"))

    def size_bands(self) -> None:
        previous: tuple[int, SizeBand] | None = None
        for i, band in enumerate(self.ref.size_bands):
            loc: datafile.Loc = ("size_bands", i)
            self.text(band.name, loc + ("name",))
            self.text(band.description, loc + ("description",))
            if band.limits is None:
                continue
            if band.id in (HOUSEHOLD, LARGE):
                self.add(loc + ("limits",), f"'{band.id}' takes no limits (it is not a Decree 80 SME band)")
            for group in GROUPS:
                if group not in band.limits:
                    self.add(loc + ("limits",), f"missing limits for group '{group}'")
            if previous is not None:
                j, prev = previous
                for group, lim in band.limits.items():
                    low = (prev.limits or {}).get(group)
                    if low is None:
                        continue
                    for field in ("staff", "revenue_bn", "capital_bn"):
                        if getattr(lim, field) < getattr(low, field):
                            self.add(
                                loc + ("limits", group, field),
                                f"limit below the previous band's (size_bands[{j}] '{prev.id}'): bands go smallest first",
                            )
            previous = (i, band)
        if self.ref.size_bands and self.ref.size_band(LARGE) is None:
            self.add(("size_bands",), f"a '{LARGE}' band is required (firms above the medium limits)")


def build_profile(data: Any, lines: dict[datafile.Loc, int], name: str) -> ProfileReference:
    ref = datafile.validated(ProfileReference, data, lines, name, ProfileError, "version, provinces, sectors, size_bands")
    problems = _Checker(ref, name, lines).run()
    if problems:
        raise ProfileError(problems)
    return ref


def load_profile(path: str | Path) -> ProfileReference:
    """Load and check a profile reference file. Raises ``ProfileError``."""
    return datafile.read_checked(path, build_profile, ProfileError)


def load_profile_text(text: str, name: str = "<profile>") -> ProfileReference:
    return datafile.parse_checked(text, name, build_profile, ProfileError)


_cached = datafile.cached_by_mtime(load_profile, maxsize=4)


def load_profile_reference() -> ProfileReference:
    """The bundled reference (provinces, sectors, size bands), cached until the file changes."""
    return _cached(PROFILE_PATH)


# ---------------------------------------------------------------- module-level shortcuts


def province_from_name(name: str | None) -> Province | None:
    """The current unit for an id, vi/en name, alias or FORMER province name; None if unknown.

    Accent-, case- and punctuation-insensitive; "Tỉnh", "Thành phố", "TP." prefixes and
    "Province"/"City" suffixes are ignored: "tinh ha giang" → Tuyên Quang.
    """
    return load_profile_reference().province_from_name(name)


def classify_size(sector: str, staff: int, revenue_bn: float | None = None, capital_bn: float | None = None) -> str:
    """Decree 80/2021 Art. 5 size band (micro | small | medium | large) of a firm in ``sector``.

    ``sector``: a VSIC 2018 section letter (or a group id). Never returns ``household``: that is
    a legal form the firm chooses, not a size.
    """
    return load_profile_reference().classify_size(sector, staff, revenue_bn, capital_bn)


def sector_group(sector: str) -> str:
    return load_profile_reference().sector_group(sector)


__all__ = [
    "GROUPS",
    "PROFILE_PATH",
    "ProfileError",
    "ProfileReference",
    "Province",
    "Sector",
    "SizeBand",
    "SizeLimit",
    "classify_size",
    "load_profile",
    "load_profile_reference",
    "load_profile_text",
    "normalize_name",
    "province_from_name",
    "sector_group",
]
