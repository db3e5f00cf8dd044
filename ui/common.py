"""Small pieces every page uses: flash messages, the resume-code panel, time estimates."""

from __future__ import annotations

import math

import streamlit as st

from scoring.model import Questionnaire
from ui import state
from ui.i18n import t, text


def show_flash() -> None:
    for kind, message in state.take_flash():
        getattr(st, kind, st.info)(message)


def code_panel(code: str, *, fresh: bool) -> None:
    """The resume code with a copy button (st.code) and what to do with it."""
    with st.container(border=True, key="code_panel" if fresh else "code_reminder"):
        if fresh:
            st.markdown(f"**{t('code.new_title')}**")
            st.caption(t("code.new_hint"))
        else:
            st.caption(t("code.reminder"))
        st.code(code, language=None)
        st.caption(t("code.copy_hint"))


def minutes(q: Questionnaire) -> int:
    """An honest estimate: the YAML's own figure, else about 30 seconds a question."""
    if q.estimated_minutes:
        return int(q.estimated_minutes)
    return max(1, math.ceil(len(q.questions()) * 0.5))


def describe(q: Questionnaire, lang: str) -> str:
    return t("start.estimate", minutes=minutes(q), count=len(q.questions()), lang=lang)


def title(q: Questionnaire, lang: str) -> str:
    return text(q.title, lang)


def nav_button(label: str, page: str, key: str, *, primary: bool = False) -> None:
    st.button(label, key=key, on_click=state.goto, args=(page,), type="primary" if primary else "secondary")
