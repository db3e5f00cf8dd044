"""Resume with a code: type (or paste) the code shown when the assessment began.

Attempts are limited, per browser session and per client address, counted in the database
(so several app servers share the count) before a code is looked up: guessing codes is slow
and says so in plain words.
"""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

import streamlit as st

from ui import common, resources, state
from ui.i18n import t
from ui.safe import callback

ss = st.session_state
ERROR = "resume_error"
SESSION_ID = "resume_session_id"
WINDOW = timedelta(minutes=10)
PER_SESSION = 5
PER_CLIENT = 20
TRUST_PROXY_ENV = "TRUST_PROXY"  # set when a reverse proxy of ours sets X-Real-IP


def client_address() -> str:
    """The visitor's address: the proxy's X-Real-IP when we run behind our own proxy, else
    the connection's (which, behind a proxy, is the proxy's own)."""
    try:
        if os.environ.get(TRUST_PROXY_ENV):
            real = st.context.headers.get("X-Real-Ip") or st.context.headers.get("X-Real-IP")
            if isinstance(real, str) and real:
                return real
        address = st.context.ip_address
        return address if isinstance(address, str) and address else "unknown"
    except Exception:
        return "unknown"


def _keys() -> tuple[str, str]:
    if SESSION_ID not in ss:
        ss[SESSION_ID] = os.urandom(9).hex()
    client = hashlib.sha256(b"sme-client:" + client_address().encode()).hexdigest()[:24]
    return f"resume:s:{ss[SESSION_ID]}", f"resume:c:{client}"


@callback
def _resume() -> None:
    typed = (ss.get("resume_code") or "").strip()
    if not typed:
        ss[ERROR] = t("resume.empty")
        return
    store = resources.get_store()
    session_key, client_key = _keys()
    # counted before the code is looked up, in one statement each: parallel tries all count
    if store.hit(session_key, WINDOW) > PER_SESSION or store.hit(client_key, WINDOW) > PER_CLIENT:
        ss[ERROR] = t("resume.too_many", minutes=int(WINDOW.total_seconds() // 60))
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
