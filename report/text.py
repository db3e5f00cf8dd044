"""Every user-facing sentence of the PDFs, in Vietnamese (default) and English, as templates in
``questionnaires/catalogue/report_wording.yaml``; numbers, percents and dates as each language
writes them (``scoring.formats``, the one formatter the pages use too).

``t(lang, key, **values)`` fills one template; ``plural`` picks a count's form. Strings here are
trusted (ours); they may hold simple Paragraph markup (<b>, <br/>). Text from users or data files
never goes through ``t`` unescaped. The file is checked when first used, every problem with file,
path and line (``scoring.datafile``): both languages in every entry, non-empty, naming the same
values, plain names only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from scoring import datafile
from scoring.formats import DEFAULT_LANG, LANGS, VN_TZ, formats, lang_of, local_date
from scoring.model import Text

WORDING_PATH = Path(__file__).resolve().parent.parent / "questionnaires" / "catalogue" / "report_wording.yaml"
DEFAULT = DEFAULT_LANG

__all__ = [
    "DEFAULT", "LANGS", "VN_TZ", "ReportWording", "ReportWordingError", "format_condition", "format_count",
    "format_date", "format_number", "format_percent", "lang_of", "load_report_wording", "local_date", "plural", "t",
]


class ReportWordingError(datafile.DataFileError):
    """The PDFs' wording file with problems; ``problems`` lists every one (file, YAML path, line)."""


class ReportWording(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    templates: dict[str, Text]

    def strings(self, lang: str) -> dict[str, str]:
        return {key: text.get(lang) for key, text in self.templates.items()}


class _Checker(datafile.DataChecker):
    def run(self, wording: ReportWording) -> list[datafile.Problem]:
        for key, text in wording.templates.items():
            loc: datafile.Loc = ("templates", key)
            self.text(text, loc)
            names: dict[str, set[str]] = {}
            for lang, template in text.root.items():
                used, problem = datafile.template_fields(template)
                if problem:
                    self.add(loc + (lang,), problem)
                names[lang] = used
            if len({frozenset(v) for v in names.values()}) > 1:
                shown = "; ".join(f"{lang}: {', '.join(sorted(v)) or 'none'}" for lang, v in names.items())
                self.add(loc, f"the languages name different values ({shown})")
        return self.problems


def build_report_wording(data: Any, lines: dict[datafile.Loc, int], name: str) -> ReportWording:
    wording = datafile.validated(ReportWording, data, lines, name, ReportWordingError, "version, templates")
    problems = _Checker(name, lines).run(wording)
    if problems:
        raise ReportWordingError(problems)
    return wording


def load_report_wording(path: str | Path | None = None) -> ReportWording:
    """Load and check a wording file of the PDFs (default: the bundled one). Raises ``ReportWordingError``."""
    return datafile.read_checked(path or WORDING_PATH, build_report_wording, ReportWordingError)


def _by_language(path: str) -> dict[str, dict[str, str]]:
    wording = load_report_wording(path)
    return {lang: wording.strings(lang) for lang in LANGS}


_cached = datafile.cached_by_mtime(_by_language, maxsize=2)


def _strings() -> dict[str, dict[str, str]]:
    """{lang: {key: template}} of the bundled file, read again only when it changes."""
    return _cached(WORDING_PATH)


def __getattr__(name: str) -> Any:
    # STRINGS (not in __all__: it is computed): {lang: {key: template}}, read from the wording
    # file and cached until it changes
    if name == "STRINGS":
        return _strings()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def t(lang: str, key: str, **values: object) -> str:
    text = _strings()[lang_of(lang)][key]
    return text.format(**values) if values else text


def plural(lang: str, key: str, count: float, **values: object) -> str:
    """``key`` for a ``count``: ``key_one`` when it is 1 and that key exists (English "1 point")."""
    one = f"{key}_one"
    return t(lang, one if count == 1 and one in _strings()[lang_of(lang)] else key, **values)


def format_date(d: date, lang: str) -> str:
    """A day in words: "ngày 6 tháng 12 năm 2026", "6 December 2026"."""
    return formats(lang).date(d)


def format_number(x: float | None, lang: str) -> str:
    """Points as people write them: 12, 12,5 (vi) or 12.5 (en)."""
    return formats(lang).number(x)


def format_condition(cond: Any, lang: str) -> tuple[str, str, str]:
    """A next-level condition as printed: (kind of sentence, needed, now). A share of the
    maximum total is said in points of the firm's own maximum (DBI's "trên 128 điểm"), points
    as written, percents whole."""
    if cond.kind == "total_percent" and getattr(cond, "points_needed", None) is not None:
        return "total_points", format_number(cond.points_needed, lang), format_number(cond.points_now, lang)
    now = format_number(cond.now, lang) if cond.kind == "total_points" else f"{cond.now:.0f}"
    return cond.kind, format_number(cond.needed, lang), now


def format_count(n: int | None, lang: str) -> str:
    """A whole count with thousands grouped as each language writes it: 12.345 (vi), 12,345 (en)."""
    return formats(lang).count(n)


def format_percent(x: float | None, lang: str) -> str:
    return formats(lang).percent(x)
