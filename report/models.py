"""Plain data the workshop and staff PDFs are drawn from.

The UI and the store fill these (from a workshop's submissions, from the pooled aggregates);
``report.room.render_room_summary`` and ``report.brief.render_staff_brief`` turn them into
PDF bytes. Nothing here imports the store, Streamlit or the questionnaire loader: plain frozen
dataclasses of numbers and names.

A **label** is a name in both languages: a ``{"vi": ..., "en": ...}`` mapping, a ``Text`` from a
questionnaire or the catalogue (anything with ``.get(lang)``), or a plain string (the same in
both). Percentages are 0–100. ``None`` means "no figure" (no data, or not given).

Privacy is enforced again when drawing, whatever the caller passed: a group of fewer than ``k``
firms (default 5) prints "fewer than 5 firms: not shown" instead of its figures, and no firm
name is ever asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, Union

Label = Union[str, Mapping[str, str], Any]  # noqa: UP007 - a str, {"vi", "en"} or a Text (has .get(lang))


def label_of(label: Label | None, lang: str) -> str:
    """A label in one language: a ``Text`` (or anything with ``.get(lang)``), a ``{"vi", "en"}``
    mapping (Vietnamese when the language is missing), a plain string, or nothing ("")."""
    if label is None:
        return ""
    if isinstance(label, Mapping):
        return str(label.get(lang) or label.get("vi") or next(iter(label.values()), ""))
    if hasattr(label, "get"):
        return label.get(lang)
    return str(label)


class Benchmark(Protocol):
    """The peer comparison on the roadmap (``store.PeerBenchmark``): how many firms, and their
    mean percent per pillar."""

    n: int
    pillars: Mapping[str, float]

K_DEFAULT = 5  # the smallest group whose figures may be shown


@dataclass(frozen=True)
class LevelCount:
    """How many firms are at one level (levels in the questionnaire's order, 0 first)."""

    level: int
    name: Label
    count: int


@dataclass(frozen=True)
class NamedCount:
    """A gap, a need or a platform category, and how many firms have it."""

    name: Label
    count: int


@dataclass(frozen=True)
class PillarMean:
    """A workshop room's mean percent for one pillar, beside the province and national pools.

    ``n``: firms behind the room's mean when fewer than the room's (a pillar all N/A for some)."""

    name: Label
    mean: float | None
    province: float | None = None
    national: float | None = None
    n: int | None = None


@dataclass(frozen=True)
class RoomSummary:
    """One workshop room, for the association's one-page summary.

    ``joined`` and ``finished`` count participants; ``n`` is the number of firms behind the
    figures (finished and agreed to share with the organisers; default: ``finished``). The
    province and national means are shown only with their pool's size ``province_n`` /
    ``national_n`` at least ``k``."""

    workshop_name: str
    questionnaire_title: Label
    joined: int
    finished: int
    association: str | None = None
    when: date | datetime | None = None  # the workshop's date (an aware datetime: its day in Vietnam)
    province: str | None = None  # a province id ("lao_cai") or name
    n: int | None = None
    levels: Sequence[LevelCount] = ()
    pillars: Sequence[PillarMean] = ()
    province_n: int | None = None
    national_n: int | None = None
    top_gaps: Sequence[NamedCount] = ()  # the three most common gaps, most common first
    top_categories: Sequence[NamedCount] = ()  # the platform categories most needed, first first
    k: int = K_DEFAULT


@dataclass(frozen=True)
class FilterItem:
    """One part of the staff page's current filter, in words: ("Tỉnh, thành phố", "Lào Cai")."""

    label: Label
    value: Label


@dataclass(frozen=True)
class PillarComparison:
    """A pillar's mean percent in the filtered group and in the pool it is compared with.

    ``group_n`` / ``pool_n``: firms behind each mean when they differ from the brief's ``n`` and
    ``pool_n`` (a pillar all N/A for some firms)."""

    name: Label
    group: float | None
    pool: float | None
    group_n: int | None = None
    pool_n: int | None = None


@dataclass(frozen=True)
class BreakdownRow:
    """One group of a breakdown (a province, a sector, a size band): its firms and mean percent."""

    name: Label
    n: int
    mean: float | None


@dataclass(frozen=True)
class Breakdown:
    """A table of groups, e.g. by province: ``by`` names the grouping ("tỉnh" / "province")."""

    by: Label
    rows: Sequence[BreakdownRow]


def _default_pool_label() -> dict[str, str]:
    return {"vi": "toàn bộ dữ liệu chung", "en": "the whole pool"}


@dataclass(frozen=True)
class StaffBrief:
    """The programme staff page's current view, for a short PDF brief (2–4 pages).

    ``n``: firms in the filtered group; ``filters`` describe it in words (empty: the whole
    pool); ``levels`` count the group's firms per level; ``mean``: the group's mean overall
    percent; ``pillars`` compare the group with ``pool_label`` (``pool_n`` firms, mean
    ``pool_mean``); ``needs``: the most common platform categories or gaps, most common first;
    ``breakdowns``: optional tables by province, sector or size."""

    questionnaire_title: Label
    n: int
    filters: Sequence[FilterItem] = ()
    version: str | None = None
    when: date | datetime | None = None  # when the brief is made (default: today in Vietnam)
    levels: Sequence[LevelCount] = ()
    mean: float | None = None
    pillars: Sequence[PillarComparison] = ()
    pool_label: Label = field(default_factory=_default_pool_label)
    pool_n: int | None = None
    pool_mean: float | None = None
    needs: Sequence[NamedCount] = ()
    breakdowns: Sequence[Breakdown] = ()
    k: int = K_DEFAULT
    title: Label | None = None  # default: "Brief for programme staff"


__all__ = [
    "K_DEFAULT",
    "Breakdown",
    "BreakdownRow",
    "FilterItem",
    "Label",
    "LevelCount",
    "NamedCount",
    "PillarComparison",
    "PillarMean",
    "RoomSummary",
    "StaffBrief",
]
