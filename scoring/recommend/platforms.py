"""Platforms for one kind of tool: those of the validated catalogue that fit the firm.

A platform fits when it serves the firm's size band and sector (``Platform.fits``) and its
price band is within the budget (``Platform.affordable``). Up to ``MAX_PLATFORMS``, ranked by
fit (made for the firm's sector, then its size named), support (SMEdx, Decree 80/2021), a free
trial, then id. None fitting: no platform is invented; ``why_none`` says why.
"""

from __future__ import annotations

from scoring.catalogue import PRICE_RANK, Catalogue, Category, Platform
from scoring.model import FirmProfile, Text
from scoring.recommend.contract import PlatformPick
from scoring.recommend.wording import Wording, texts

MAX_PLATFORMS = 3


def fitting(catalogue: Catalogue, category: str, profile: FirmProfile, budget: str | None) -> list[Platform]:
    """The catalogue's platforms of ``category`` that fit the firm and the budget, best first."""

    def key(p: Platform) -> tuple:
        fit = 2 * p.made_for(profile.sector) + (profile.size_band is not None and profile.size_band in p.sizes)
        support = (p.smedx == "yes") + (p.decree80 == "yes")
        return (-fit, -support, -(p.free_trial == "yes"), p.id)

    found = [
        p
        for p in catalogue.platforms_in(category)
        if p.fits(profile.size_band, profile.sector) and p.affordable(budget)
    ]
    return sorted(found, key=key)


def _reason(p: Platform, profile: FirmProfile, budget: str | None, wording: Wording) -> Text:
    def make(lang: str) -> str:
        size = wording.size(profile.size_band, lang)
        sector = wording.sector(profile.sector, lang)
        made_for = p.made_for(profile.sector)
        parts = []
        if size and made_for:
            parts.append(wording.say("fits_size_in_sector", lang, size=size, sector=sector))
        elif size:
            parts.append(wording.say("fits_size", lang, size=size))
        elif made_for:
            parts.append(wording.say("made_for_sector", lang, sector=sector))
        if sector and not made_for:
            parts.append(wording.say("every_sector", lang))
        if p.price_band == "free":
            price = wording.say("price_free", lang)
        else:
            price = wording.say("price_band", lang, price=wording.price(p.price_band, lang))
        if budget is not None:
            parts.append(wording.say("within_budget", lang, price=price, budget=wording.price(budget, lang)))
        else:
            parts.append(price)
        for flag, name in ((p.free_trial, "free_trial"), (p.smedx, "smedx"), (p.decree80, "decree80")):
            if flag == "yes":
                parts.append(wording.say(name, lang))
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]

    return texts(make)


def picks(
    catalogue: Catalogue, category: str, profile: FirmProfile, budget: str | None, wording: Wording
) -> list[PlatformPick]:
    """Up to ``MAX_PLATFORMS`` fitting platforms, each with why it fits."""
    return [
        PlatformPick(
            id=p.id,
            name=p.name,
            vendor=p.vendor,
            website=p.website,
            price_band=p.price_band,
            free_trial=p.free_trial,
            smedx=p.smedx,
            decree80=p.decree80,
            reason=_reason(p, profile, budget, wording),
        )
        for p in fitting(catalogue, category, profile, budget)[:MAX_PLATFORMS]
    ]


def why_none(catalogue: Catalogue, category: Category, profile: FirmProfile, budget: str | None, wording: Wording) -> Text:
    """Why no platform of ``category`` is named for this firm (sector, budget, size or catalogue)."""
    if not category.serves(profile.sector):
        return texts(
            lambda lang: wording.say(
                "other_sectors", lang, sectors="; ".join(wording.sector(s, lang) for s in category.sectors or ())
            )
        )
    in_category = catalogue.platforms_in(category.id)
    if not in_category:
        return texts(lambda lang: wording.say("none_in_catalogue", lang))
    over_budget = [p for p in in_category if p.fits(profile.size_band, profile.sector)]
    if over_budget and budget is not None:
        cheapest = min((p.price_band for p in over_budget), key=PRICE_RANK.__getitem__)
        return texts(
            lambda lang: wording.say(
                "over_budget", lang, budget=wording.price(budget, lang), cheapest=wording.price(cheapest, lang)
            )
        )

    def firm(lang: str) -> str:
        size, sector = wording.size(profile.size_band, lang), wording.sector(profile.sector, lang)
        if size and sector:
            return wording.say("firm_size_in_sector", lang, size=size, sector=sector)
        if size:
            return wording.say("firm_size", lang, size=size)
        if sector:
            return wording.say("firm_in_sector", lang, sector=sector)
        return wording.say("firm_unknown", lang)

    template = "none_fits_in_budget" if budget else "none_fits"
    return texts(lambda lang: wording.say(template, lang, firm=firm(lang)))


__all__ = ["MAX_PLATFORMS", "fitting", "picks", "why_none"]
