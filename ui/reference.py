"""The profile lists (VSIC sections, size bands, the 34 provinces) for the Start page and the
paper type-in form, read from the firm-profile reference (``scoring.profile``) and shaped as
``[(id, label)]`` in the session's language."""

from __future__ import annotations

from ui import resources
from ui.i18n import t, text


def sectors(lang: str) -> list[tuple[str, str]]:
    """``[("A", "A · Nông nghiệp, lâm nghiệp và thủy sản"), …]``"""
    return [(s.id, f"{s.id} · {text(s.name, lang)}") for s in resources.profile_reference().sectors]


def provinces(lang: str) -> list[tuple[str, str]]:
    return [(p.id, text(p.name, lang)) for p in resources.profile_reference().provinces]


def size_bands(lang: str) -> list[tuple[str, str]]:
    """Band ids in the reference's order, with the UI's own plain-words names."""
    return [(b.id, t(f"size.{b.id}", lang=lang)) for b in resources.profile_reference().size_bands]


def suggest_size(sector: str | None, staff: int | None, revenue_bn: float | None, capital_bn: float | None) -> str | None:
    """The Decree 80/2021 band for these figures (``scoring.profile.classify_size``); None
    without a sector or a staff count."""
    from scoring.profile import classify_size

    if not sector or staff is None:
        return None
    return classify_size(sector, int(staff), revenue_bn, capital_bn)
