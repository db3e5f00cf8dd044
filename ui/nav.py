"""Which pages each role sees, grouped in sections for ``st.navigation``.

Every visitor is an SME respondent today; the workshop (facilitator) and programme
(programme staff) sections are added here, by role, when those pages exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ui.i18n import t
from ui.safe import guard

PUBLIC = None  # no account: an SME owner


@dataclass(frozen=True)
class PageSpec:
    name: str  # also the URL path
    title_key: str
    icon: str
    render: Callable[[], None]
    default: bool = False


def _sme_pages() -> list[PageSpec]:
    from ui.pages import questionnaire, results, resume, start

    return [
        PageSpec("start", "nav.start", ":material/home:", start.render, default=True),
        PageSpec("questionnaire", "nav.questionnaire", ":material/checklist:", questionnaire.render),
        PageSpec("results", "nav.results", ":material/insights:", results.render),
        PageSpec("resume", "nav.resume", ":material/key:", resume.render),
    ]


# section title key -> (roles allowed (None = everyone), the section's pages)
SECTIONS: dict[str, tuple[frozenset[str] | None, Callable[[], list[PageSpec]]]] = {
    "nav.section_sme": (None, _sme_pages),
    # "nav.section_workshop": (frozenset({"facilitator", "admin"}), _workshop_pages),
    # "nav.section_programme": (frozenset({"programme", "admin"}), _programme_pages),
}


def specs_for(role: str | None) -> dict[str, list[PageSpec]]:
    return {
        title: make()
        for title, (roles, make) in SECTIONS.items()
        if roles is None or (role is not None and role in roles)
    }


def build(role: str | None) -> tuple[list[st.Page] | dict[str, list[st.Page]], dict[str, st.Page]]:
    """``st.navigation`` input for this role, and the pages by name (for switching)."""
    by_name: dict[str, st.Page] = {}
    sections: dict[str, list[st.Page]] = {}
    for title, specs in specs_for(role).items():
        pages = []
        for spec in specs:
            page = st.Page(guard(spec.render), title=t(spec.title_key), icon=spec.icon, url_path=spec.name,
                           default=spec.default)
            by_name[spec.name] = page
            pages.append(page)
        sections[t(title)] = pages
    if len(sections) == 1:  # one section needs no header
        return next(iter(sections.values())), by_name
    return sections, by_name
