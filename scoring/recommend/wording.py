"""The sentences of the recommendations as data: ``questionnaires/catalogue/wording.yaml``.

Scoring says why (which answers, which pillar, which fit); the words live in the file, in
every language, as templates with named values (``"{answer} cho câu {question}"``). The code
fills them with plain, already formatted strings; it never evaluates a template.

Checked at load, every problem at once with file, YAML path and line (the questionnaire
data files' loader core, ``scoring.datafile``): every language of every entry,
no template missing or unknown, each template naming exactly the values its code passes
(``TEMPLATES``) and nothing else (no ``{x.attr}``, ``{x[0]}``, ``{x!r}`` or ``{x:>9}``), the
size bands and sectors of the profile reference and the catalogue's price bands all named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from scoring import datafile
from scoring.model import Text

LANGUAGES = datafile.LANGUAGES
WORDING_PATH = Path(__file__).resolve().parents[2] / "questionnaires" / "catalogue" / "wording.yaml"

# Each template and the values its code passes (the file must use exactly these).
TEMPLATES: dict[str, frozenset[str]] = {
    name: frozenset(values)
    for name, values in {
        "not_answered": (),
        "not_applicable": (),
        "answer_to": ("answer", "question"),
        "and_more": ("count",),
        "fits_size_in_sector": ("size", "sector"),
        "fits_size": ("size",),
        "made_for_sector": ("sector",),
        "every_sector": (),
        "price_free": (),
        "price_band": ("price",),
        "within_budget": ("price", "budget"),
        "free_trial": (),
        "smedx": (),
        "decree80": (),
        "over_budget": ("budget", "cheapest"),
        "none_fits": ("firm",),
        "none_fits_in_budget": ("firm",),
        "none_in_catalogue": (),
        "other_sectors": ("sectors",),
        "firm_size_in_sector": ("size", "sector"),
        "firm_size": ("size",),
        "firm_in_sector": ("sector",),
        "firm_unknown": (),
        "because": ("answers",),
        "already_used": ("answers",),
        "already_used_unnamed": (),
        "improve_connect": ("already",),
        "alternatives_connect": (),
        "improve_use": ("already",),
        "alternatives_use": (),
        "lifts": ("pillars",),
        "pillar_at": ("pillar", "level", "percent"),
        "standing": ("pillar", "level", "level_name", "percent"),
        "standing_next": ("threshold", "next"),
        "standing_follows": ("level",),
        "action_answers": ("answers",),
        "action_uses": ("category",),
        "action_see_platforms": ("category",),
        "action_kind": ("category",),
    }.items()
}
QUOTE_VALUES = frozenset({"text"})


class WordingError(datafile.DataFileError):
    """A wording file with problems; ``problems`` lists every one (file, YAML path, line)."""


class Wording(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    quote: Text
    sizes: dict[str, Text]
    sectors: dict[str, Text]
    prices: dict[str, Text]
    templates: dict[str, Text]

    def say(self, name: str, lang: str, **values: str) -> str:
        """One template in one language, filled (the loader checked the names match)."""
        return self.templates[name].get(lang).format_map(values)

    def quoted(self, text: str, lang: str) -> str:
        return self.quote.get(lang).format_map({"text": text})

    def size(self, band: str | None, lang: str) -> str | None:
        return self.sizes[band].get(lang) if band in self.sizes else None

    def sector(self, letter: str | None, lang: str) -> str | None:
        if not letter:
            return None
        return self.sectors[letter].get(lang) if letter in self.sectors else letter

    def price(self, band: str, lang: str) -> str:
        return self.prices[band].get(lang) if band in self.prices else band


# ---------------------------------------------------------------- validation


class _Checker(datafile.DataChecker):
    def __init__(self, wording: Wording, name: str, lines: dict[datafile.Loc, int], sizes, sectors, prices):
        super().__init__(name, lines, datafile.LANGUAGES)
        self.w = wording
        self.expected = {"sizes": tuple(sizes), "sectors": tuple(sectors), "prices": tuple(prices)}

    def template(self, text: Text, loc: datafile.Loc, allowed: frozenset[str]) -> None:
        self.text(text, loc)
        for lang, value in text.root.items():
            used, problem = datafile.template_fields(value)
            if problem:
                self.add(loc + (lang,), problem)
            elif used != allowed:
                want = ", ".join("{" + n + "}" for n in sorted(allowed)) or "no values"
                self.add(loc + (lang,), f"uses {', '.join('{' + n + '}' for n in sorted(used)) or 'no values'}; expected {want}")

    def names(self, section: str, table: dict[str, Text]) -> None:
        expected = self.expected[section]
        for key in expected:
            if key not in table:
                self.add((section,), f"'{key}' is missing")
        for key, text in table.items():
            if key not in expected:
                kind = {"sizes": "size band", "sectors": "sector", "prices": "price band"}[section]
                self.add((section, key), f"unknown {kind} '{key}' (expected one of {', '.join(expected)})")
            used, problem = datafile.template_fields(" ".join(text.root.values()))
            if problem or used:
                self.add((section, key), "a name, not a template: no braces")
            self.text(text, (section, key))

    def run(self) -> list[datafile.Problem]:
        self.template(self.w.quote, ("quote",), QUOTE_VALUES)
        for section in ("sizes", "sectors", "prices"):
            self.names(section, getattr(self.w, section))
        for key in TEMPLATES:
            if key not in self.w.templates:
                self.add(("templates",), f"template '{key}' is missing")
        for key, text in self.w.templates.items():
            if key not in TEMPLATES:
                self.add(("templates", key), f"unknown template '{key}'")
            else:
                self.template(text, ("templates", key), TEMPLATES[key])
        return self.problems


def _reference_ids() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    from scoring.catalogue import PRICE_BANDS
    from scoring.profile import load_profile_reference

    ref = load_profile_reference()
    return tuple(b.id for b in ref.size_bands), tuple(s.id for s in ref.sectors), tuple(PRICE_BANDS)


def build_wording(data: Any, lines: dict[datafile.Loc, int], name: str) -> Wording:
    wording = datafile.validated(Wording, data, lines, name, WordingError, "version, quote, sizes, sectors, prices, templates")
    problems = _Checker(wording, name, lines, *_reference_ids()).run()
    if problems:
        raise WordingError(problems)
    return wording


def load_wording(path: str | Path | None = None) -> Wording:
    """Load and check a wording file (default: the bundled one). Raises ``WordingError``."""
    return datafile.read_checked(path or WORDING_PATH, build_wording, WordingError)


def load_wording_text(text: str, name: str = "<wording>") -> Wording:
    return datafile.parse_checked(text, name, build_wording, WordingError)


_cached = datafile.cached_by_mtime(load_wording, maxsize=4)


def bundled_wording() -> Wording:
    """The bundled wording, cached until the file changes."""
    return _cached(WORDING_PATH)


def texts(make) -> Text:
    """A ``Text`` from a function of the language."""
    return Text({lang: make(lang) for lang in datafile.LANGUAGES})


__all__ = [
    "LANGUAGES",
    "TEMPLATES",
    "WORDING_PATH",
    "Wording",
    "WordingError",
    "bundled_wording",
    "load_wording",
    "load_wording_text",
    "texts",
]
