"""Sign in (staff only): username and password; signed in, the page names the account and
offers the pages of its role and signing out."""

from __future__ import annotations

import streamlit as st

from ui import auth, common, state
from ui.i18n import t
from ui.safe import callback

ss = st.session_state
ERROR = "login_error"
HOME = {auth.FACILITATOR: "workshops", auth.PROGRAMME: "staff", auth.ADMIN: "workshops"}


@callback
def _sign_in() -> None:
    username = (ss.get("login_user") or "").strip()
    password = ss.get("login_password") or ""
    ss["login_password"] = ""  # never kept in the session after the attempt
    if not username or not password:
        ss[ERROR] = t("auth.empty")
        return
    if not auth.sign_in(username, password):
        ss[ERROR] = t("auth.failed")
        return
    ss[ERROR] = None
    state.flash("success", t("auth.welcome", user=auth.user()))
    state.goto(HOME.get(auth.role() or "", "start"))


@callback
def _sign_out() -> None:
    auth.sign_out()
    state.flash("info", t("auth.signed_out"))
    state.goto("start")


def render() -> None:
    common.show_flash()
    st.title(t("auth.title"), anchor=False)
    if auth.user():
        st.success(t("auth.signed_in_as", user=auth.user(), role=t(f"auth.role_{auth.role()}")))
        st.button(t("auth.sign_out"), key="login_sign_out", on_click=_sign_out, icon=":material/logout:")
        return
    st.caption(t("auth.intro"))
    with st.form("login_form", border=True, enter_to_submit=True):
        st.text_input(t("auth.username"), key="login_user", max_chars=64, autocomplete="username")
        st.text_input(t("auth.password"), key="login_password", type="password", max_chars=200,
                      autocomplete="current-password")
        if ss.get(ERROR):
            st.error(ss[ERROR], icon=":material/error:")
        st.form_submit_button(t("auth.sign_in"), key="login_go", type="primary", on_click=_sign_in)
    st.caption(t("auth.owners_need_no_account"))
