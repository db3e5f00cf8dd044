"""The profile lists (VSIC sections, size bands, the 34 provinces) for the Start page,
read from ``scoring.profile`` and shaped as ``[(id, label)]`` in the session's language."""

from __future__ import annotations

import logging
from typing import Any

from ui import resources
from ui.i18n import t, text

log = logging.getLogger(__name__)

SIZE_BANDS = ("household", "micro", "small", "medium", "large")


def _get(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _items(ref: Any, name: str) -> list[Any]:
    value = _get(ref, name)
    if value is None:
        return []
    if isinstance(value, dict):
        return [{"id": k, **v} if isinstance(v, dict) else {"id": k, "name": v} for k, v in value.items()]
    return list(value)


def _label(item: Any, lang: str) -> str:
    for field in ("name", "label", "title"):
        value = _get(item, field)
        if value is not None:
            return text(value, lang)
    return str(_get(item, "id", item))


def sectors(lang: str) -> list[tuple[str, str]]:
    """``[("A", "A · Nông nghiệp, lâm nghiệp và thủy sản"), …]``"""
    out = []
    for item in _items(resources.profile_reference(), "sectors"):
        sid = str(_get(item, "id", _get(item, "code")))
        out.append((sid, f"{sid} · {_label(item, lang)}"))
    return out


def provinces(lang: str) -> list[tuple[str, str]]:
    items = _items(resources.profile_reference(), "provinces")
    out = [(str(_get(item, "id")), _label(item, lang)) for item in items]
    return out


def size_bands(lang: str) -> list[tuple[str, str]]:
    """Band ids in order, with the UI's own plain-words names."""
    ids = [str(_get(i, "id")) for i in _items(resources.profile_reference(), "size_bands")] or list(SIZE_BANDS)
    return [(b, t(f"size.{b}", lang=lang)) for b in ids]


def suggest_size(sector: str | None, staff: int | None, revenue_bn: float | None, capital_bn: float | None) -> str | None:
    """The Decree 80/2021 band for these figures (``scoring.profile.classify_size``); None
    without a sector or a staff count."""
    from scoring.profile import classify_size

    if not sector or staff is None:
        return None
    return classify_size(sector, int(staff), revenue_bn, capital_bn)
