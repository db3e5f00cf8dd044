"""Small pieces every page uses: flash messages, the resume-code panel, time estimates, dates.

Numbers, percents and dates are written by ``scoring.formats`` (one formatter per language,
the PDFs' too): ``formats(lang).number(x)``, ``.percent(x)``, ``.date(d, short=True)``."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import streamlit as st

from scoring.formats import VN_TZ, formats, vn_today  # noqa: F401 - the pages' names for them
from scoring.model import Questionnaire
from ui import state
from ui.i18n import t, text


def show_flash() -> None:
    for kind, message in state.take_flash():
        getattr(st, kind, st.info)(message)


def code_panel(code: str, *, fresh: bool) -> None:
    """The resume code with a copy button always visible (st.code; ui/style.py shows its
    button without hover), the link to keep, and a calendar reminder for the follow-up.
    ``fresh``: just made (the first step); otherwise a compact reminder on every page."""
    if not fresh:
        with st.container(key="code_reminder", horizontal=True, vertical_alignment="center"):
            st.caption(t("code.compact"))
            st.code(code, language=None, width="content")
        return
    with st.container(border=True, key="code_panel"):
        st.markdown(f"**{t('code.new_title')}**")
        st.caption(t("code.new_hint"))
        st.code(code, language=None)
        st.caption(t("code.copy_button_hint"))
        with st.expander(t("code.more"), key="code_more"):
            st.caption(t("code.link_hint"))
            st.code(state.continue_link(public_base(), code), language=None, wrap_lines=True)
            reminder_button(code, "code_ics")


def public_base() -> str:
    """The address visitors use: ``PUBLIC_URL`` when set (behind a proxy, a public name),
    else the address this browser used."""
    import os
    from urllib.parse import urlsplit

    configured = os.environ.get("PUBLIC_URL")
    if not configured:
        try:
            configured = st.secrets.get("PUBLIC_URL")
        except Exception:  # no secrets file
            configured = None
    if configured:
        return str(configured).rstrip("/")
    try:
        parts = urlsplit(st.context.url or "")
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    except Exception:
        pass
    return "http://localhost:8501"


def reminder_button(code: str, key: str) -> None:
    """"Remind me in 3 months": an .ics file the owner adds to their own calendar (nothing is
    sent anywhere), with the link that reopens this assessment for the follow-up."""
    from ui.reminder import follow_up_ics

    st.download_button(
        t("code.reminder_ics"), data=follow_up_ics(state.continue_link(public_base(), code), state.lang()),
        file_name="theo-doi-chuyen-doi-so.ics" if state.lang() == "vi" else "digital-follow-up.ics",
        mime="text/calendar", key=key, on_click="ignore", icon=":material/event:",
    )


def minutes(q: Questionnaire) -> int:
    """An honest estimate: the YAML's own figure, else about 30 seconds a question."""
    if q.estimated_minutes:
        return int(q.estimated_minutes)
    return max(1, math.ceil(len(q.questions()) * 0.5))


def describe(q: Questionnaire, lang: str) -> str:
    """One honest count: the scored criteria and, apart, the context questions that score nothing."""
    asked = [question for _, question in q.questions()]
    scored = sum(1 for question in asked if question.scored)
    if scored == len(asked):
        return t("start.estimate", minutes=minutes(q), count=len(asked), lang=lang)
    return t("start.estimate_split", minutes=minutes(q), scored=scored, context=len(asked) - scored, lang=lang)


def title(q: Questionnaire, lang: str) -> str:
    return text(q.title, lang)


def nav_button(label: str, page: str, key: str, *, primary: bool = False) -> None:
    st.button(label, key=key, on_click=state.goto, args=(page,), type="primary" if primary else "secondary")


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def plain(value: str | None) -> str:
    """User-typed text (a firm name, a workshop name) made inert for st.markdown and every
    element that renders Markdown: each ASCII punctuation mark is escaped, so no link, image,
    emphasis, HTML or Streamlit directive (``:red[…]``, ``:material/…:``) is made from it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value or "")


def staff_link() -> None:
    """The way in for staff, at the foot of the public pages (the sign-in page is not in the menu)."""
    from ui import auth

    if auth.user():
        return
    with st.container(horizontal=True, key="staff_link", vertical_alignment="center"):
        st.caption(t("auth.staff_link"))
        st.button(t("nav.login"), key="go_login", on_click=state.goto, args=("login",), type="tertiary",
                  icon=":material/login:")


def vn_date(value: date | datetime | None, lang: str) -> str:
    """A day in a table or a caption, in Vietnam time: 06/12/2026 (vi) or 6 Dec 2026 (en) — the
    one date formatter of the pages and the PDFs (``scoring.formats``)."""
    return formats(lang).date(value, short=True)


def team_box(key: str) -> None:
    """For an assessment that answers for a team: the owner sees the code colleagues join
    with; a colleague sees the role they answer in. Both can open the team's page."""
    found = state.team_of_current()
    if found is None:
        return
    team, role = found
    with st.container(border=True, key=key, horizontal=True, vertical_alignment="center"):
        if role == "owner":
            st.markdown(t("team.box_owner", code=team.code))
        else:
            st.markdown(t("team.box_member", role=t(f"team.role_{role}")))
        nav_button(t("team.open"), "team", f"{key}_open")
