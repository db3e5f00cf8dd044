"""Staff sign-in: who is signed in, in this browser session only, and what their role lets
them see. Facilitators run workshops; programme staff see the pooled results; an admin sees
both and manages accounts. SME owners never need an account.

The signed-in state lives in ``st.session_state`` (never in a cookie or the URL): a reload
or a new tab asks again, and signing out forgets it at once. Passwords are checked by the
store (argon2, a lock after repeated failures), which answers alike for a wrong password, a
locked account and a missing user, so the page says one thing for all three.
"""

from __future__ import annotations

import streamlit as st

from ui import resources, state
from ui.i18n import t

USER = "auth_user"
ROLE = state.ROLE
FACILITATOR, PROGRAMME, ADMIN = "facilitator", "programme", "admin"
ROLES = (FACILITATOR, PROGRAMME, ADMIN)

ss = st.session_state


def user() -> str | None:
    return ss.get(USER)


def role() -> str | None:
    return ss.get(ROLE)


def allowed(*roles: str) -> bool:
    """The signed-in role is one of ``roles`` (an admin is allowed everywhere)."""
    current = role()
    return current is not None and (current == ADMIN or current in roles)


def sign_in(username: str, password: str) -> bool:
    found = resources.get_store().authenticate(username or "", password or "")
    if found is None:
        return False
    ss[USER] = found.username
    ss[ROLE] = found.role
    return True


def sign_out() -> None:
    for key in (USER, ROLE):
        ss.pop(key, None)
    for key in [k for k in ss.keys() if isinstance(k, str) and k.startswith(("ws_", "staff_", "paper_", "admin_"))]:
        del ss[key]


def require(*roles: str) -> bool:
    """True when the visitor may see this page; otherwise the page says why and offers the
    sign-in page (the caller returns at once)."""
    if allowed(*roles):
        return True
    if role() is None:
        st.info(t("auth.need_sign_in"), icon=":material/lock:")
    else:
        st.error(t("auth.wrong_role"), icon=":material/block:")
    st.button(t("auth.go_sign_in"), key="auth_go_sign_in", on_click=state.goto, args=("login",), type="primary")
    return False
