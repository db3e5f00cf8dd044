"""UI strings in Vietnamese (default) and English: ``t(key, **fmt)``.

The catalogues are ``locales/vi.yaml`` and ``locales/en.yaml``, plus one file per area in
``locales/vi/`` and ``locales/en/`` (``workshop.yaml``, ``staff.yaml`` …) so that each part of
the product keeps its strings apart; a key defined in two files is an error. Nested keys are
addressed with dots (``start.title``). Questionnaire text is not here: it comes from the
questionnaire's own bilingual fields (``Text.get(lang)``).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SESSION_KEY = "lang"

log = logging.getLogger(__name__)


def flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """``{a: {b: text}}`` → ``{"a.b": text}``."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}{key}."))
    else:
        out[prefix[:-1]] = "" if data is None else str(data)
    return out


def catalogue_files(lang: str) -> list[Path]:
    """The language's main file, then its area files in name order."""
    return [LOCALES_DIR / f"{lang}.yaml", *sorted((LOCALES_DIR / lang).glob("*.yaml"))]


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in catalogue_files(lang):
        with path.open(encoding="utf-8") as fh:
            entries = flatten(yaml.safe_load(fh) or {})
        twice = sorted(set(entries) & set(out))
        if twice:
            raise ValueError(f"{path}: keys already defined in another {lang} file: {', '.join(twice[:5])}")
        out.update(entries)
    return out


def normalise_lang(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.strip().lower()[:2] in LANGS:
        return value.strip().lower()[:2]
    return None


def current_lang() -> str:
    """The session's language (Vietnamese until the visitor switches)."""
    try:
        import streamlit as st

        return st.session_state.get(SESSION_KEY, DEFAULT_LANG)
    except Exception:  # outside a Streamlit session (a download callback, a test)
        return DEFAULT_LANG


def t(key: str, /, *, lang: str | None = None, **fmt: Any) -> str:
    """The text for ``key`` in the session's language (or ``lang``), formatted with ``fmt``.

    A key missing in one language falls back to Vietnamese, then to the key itself, so a
    slip never breaks a page (the locale test keeps both files complete).
    """
    lang = lang or current_lang()
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANG).get(key)
        if text is None:
            log.warning("missing UI string %r", key)
            return key
    if fmt:
        try:
            return text.format(**fmt)
        except (KeyError, IndexError, ValueError):
            log.warning("UI string %r could not be formatted with %s", key, sorted(fmt))
            return text
    return text


def text(value: Any, lang: str | None = None) -> str:
    """A questionnaire ``Text`` (or None) in the session's language."""
    if value is None:
        return ""
    if hasattr(value, "get") and not isinstance(value, dict):
        return value.get(lang or current_lang())
    if isinstance(value, dict):
        lang = lang or current_lang()
        return value.get(lang) or value.get(DEFAULT_LANG) or next(iter(value.values()), "")
    return str(value)


def t_or(key: str, default: str, *, lang: str | None = None) -> str:
    """The text for ``key`` when the catalogue has it, else ``default`` (for open-ended ids)."""
    return catalogue(lang or current_lang()).get(key) or default
