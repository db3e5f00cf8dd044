"""Which pages each role sees, grouped in sections for ``st.navigation``.

Everyone sees the SME owner's pages. Staff sign in (ui/auth.py): a facilitator also sees
the workshop pages, programme staff the pooled-results pages, an admin both. A hidden page
is reachable by its URL and by switching to it, but is not listed in the menu (the sign-in
page for visitors, one workshop's page opened from the list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

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
    hidden: bool = False


def _sme_pages(role: str | None) -> list[PageSpec]:
    from ui.pages import login, questionnaire, results, resume, start, team

    return [
        PageSpec("start", "nav.start", ":material/home:", start.render, default=True),
        PageSpec("questionnaire", "nav.questionnaire", ":material/checklist:", questionnaire.render),
        PageSpec("results", "nav.results", ":material/insights:", results.render),
        PageSpec("resume", "nav.resume", ":material/key:", resume.render),
        # a team assessment's page: opened from the questionnaire and the results
        PageSpec("team", "nav.team", ":material/groups:", team.render, hidden=True),
        # listed for staff (as "Account"), hidden for visitors (linked from each page's foot)
        PageSpec("login", "nav.account" if role else "nav.login", ":material/account_circle:", login.render,
                 hidden=role is None),
    ]


def _workshop_pages(role: str | None) -> list[PageSpec]:
    from ui.pages import workshop, workshops

    return [
        PageSpec("workshops", "nav.workshops", ":material/groups:", workshops.render),
        PageSpec("workshop", "nav.workshop", ":material/co_present:", workshop.render, hidden=True),
    ]


def _programme_pages(role: str | None) -> list[PageSpec]:
    from ui.pages import (
        staff,
        staff_breakdowns,
        staff_compare,
        staff_exports,
        staff_import,
        staff_needs,
        staff_progress,
        staff_settings,
        staff_versions,
    )

    return [
        PageSpec("staff", "nav.staff_overview", ":material/dashboard:", staff.render),
        PageSpec("staff_compare", "nav.staff_compare", ":material/compare_arrows:", staff_compare.render),
        PageSpec("staff_breakdowns", "nav.staff_breakdowns", ":material/bar_chart:", staff_breakdowns.render),
        PageSpec("staff_needs", "nav.staff_needs", ":material/handyman:", staff_needs.render),
        PageSpec("staff_progress", "nav.staff_progress", ":material/trending_up:", staff_progress.render),
        PageSpec("staff_exports", "nav.staff_exports", ":material/download:", staff_exports.render),
        PageSpec("staff_import", "nav.staff_import", ":material/upload_file:", staff_import.render),
        PageSpec("staff_versions", "nav.staff_versions", ":material/history:", staff_versions.render),
        PageSpec("staff_settings", "nav.staff_settings", ":material/tune:", staff_settings.render),
    ]


def _admin_pages(role: str | None) -> list[PageSpec]:
    from ui.pages import users

    return [PageSpec("users", "nav.users", ":material/manage_accounts:", users.render)]


# section title key -> (roles allowed (None = everyone), the section's pages)
SECTIONS: dict[str, tuple[frozenset[str] | None, Callable[[str | None], list[PageSpec]]]] = {
    "nav.section_sme": (None, _sme_pages),
    "nav.section_workshop": (frozenset({"facilitator", "admin"}), _workshop_pages),
    "nav.section_programme": (frozenset({"programme", "admin"}), _programme_pages),
    "nav.section_admin": (frozenset({"admin"}), _admin_pages),
}


def specs_for(role: str | None) -> dict[str, list[PageSpec]]:
    """The sections this role sees, each with its pages. The pages of a section the role may
    not see are still there, hidden, in the first section: a bookmarked staff page then asks
    the visitor to sign in (each staff page checks the role itself) instead of vanishing."""
    sections: dict[str, list[PageSpec]] = {}
    hidden: list[PageSpec] = []
    for title, (roles, make) in SECTIONS.items():
        specs = make(role)
        if roles is None or (role is not None and role in roles):
            sections[title] = specs
        else:
            hidden += [replace(spec, hidden=True, default=False) for spec in specs]
    first = next(iter(sections))
    sections[first] = sections[first] + hidden
    return sections


def build(role: str | None) -> tuple[list[st.Page] | dict[str, list[st.Page]], dict[str, st.Page]]:
    """``st.navigation`` input for this role, and the pages by name (for switching)."""
    by_name: dict[str, st.Page] = {}
    sections: dict[str, list[st.Page]] = {}
    for title, specs in specs_for(role).items():
        pages = []
        for spec in specs:
            page = st.Page(guard(spec.render), title=t(spec.title_key), icon=spec.icon, url_path=spec.name,
                           default=spec.default, visibility="hidden" if spec.hidden else "visible")
            by_name[spec.name] = page
            pages.append(page)
        sections[t(title)] = pages
    if len(sections) == 1:  # one section needs no header
        return next(iter(sections.values())), by_name
    return sections, by_name
