"""Resume with a code: type (or paste) the code shown when the assessment began."""

from __future__ import annotations

import streamlit as st

from ui import common, state
from ui.i18n import t
from ui.safe import callback

ss = st.session_state
ERROR = "resume_error"


@callback
def _resume() -> None:
    typed = (ss.get("resume_code") or "").strip()
    if not typed:
        ss[ERROR] = t("resume.empty")
        return
    rec = state.restore(typed)
    if rec is None:
        ss[ERROR] = t("resume.unknown")
        return
    ss[ERROR] = None
    ss["resume_code"] = ""
    state.flash("success", t("resume.restored"))
    state.goto("results" if rec.submitted else "questionnaire")


def render() -> None:
    common.show_flash()
    st.title(t("resume.title"))
    st.write(t("resume.intro"))
    # a form, so Enter in the field submits it
    with st.form("resume_form", border=True, enter_to_submit=True):
        st.text_input(t("resume.label"), key="resume_code", max_chars=40, placeholder="ABCD-EFGH-JKMN")
        if ss.get(ERROR):
            st.error(ss[ERROR], icon=":material/error:")
        st.form_submit_button(t("resume.go"), key="resume_go", type="primary", on_click=_resume)
    st.caption(t("resume.lost"))
