"""Accounts (admin only): who may sign in, in which role; add an account, set a new
password, lift a lock. Passwords are never shown or stored in the session after use."""

from __future__ import annotations

import streamlit as st

from ui import auth, common, resources, state
from ui.common import vn_date
from ui.i18n import t
from ui.safe import callback

ss = st.session_state
ERROR = "admin_error"


@callback
def _add() -> None:
    from store import InvalidValue, UserExists

    username = (ss.get("admin_new_user") or "").strip()
    password, again = ss.get("admin_new_password") or "", ss.get("admin_new_again") or ""
    ss["admin_new_password"] = ss["admin_new_again"] = ""
    if password != again:
        ss[ERROR] = t("users.mismatch")
        return
    try:
        created = resources.get_store().add_user(username, password, ss.get("admin_new_role") or auth.FACILITATOR)
    except (InvalidValue, UserExists) as exc:
        ss[ERROR] = t("users.refused", why=str(exc))
        return
    ss[ERROR] = None
    ss["admin_new_user"] = ""
    state.flash("success", t("users.added", user=created.username, role=t(f"auth.role_{created.role}")))


@callback
def _reset(username: str) -> None:
    from store import InvalidValue

    password = ss.get(f"admin_pw_{username}") or ""
    ss[f"admin_pw_{username}"] = ""
    try:
        resources.get_store().set_password(username, password)
    except InvalidValue as exc:
        ss[ERROR] = t("users.refused", why=str(exc))
        return
    ss[ERROR] = None
    state.flash("success", t("users.password_set", user=username))


@callback
def _unlock(username: str) -> None:
    resources.get_store().unlock(username)
    state.flash("success", t("users.unlocked", user=username))


def render() -> None:
    common.show_flash()
    st.title(t("users.title"), anchor=False)
    if not auth.require(auth.ADMIN):
        return
    lang = state.lang()
    store = resources.get_store()
    if ss.get(ERROR):
        st.error(ss[ERROR], icon=":material/error:")
    with st.expander(t("users.add"), icon=":material/person_add:", key="admin_add_box"):
        with st.form("admin_add", border=False, enter_to_submit=False):
            st.text_input(t("auth.username"), key="admin_new_user", max_chars=64)
            st.radio(t("users.role"), list(auth.ROLES), key="admin_new_role", horizontal=True,
                     format_func=lambda r: t(f"auth.role_{r}"))
            st.text_input(t("auth.password"), key="admin_new_password", type="password", max_chars=200,
                          autocomplete="new-password")
            st.text_input(t("users.again"), key="admin_new_again", type="password", max_chars=200,
                          autocomplete="new-password")
            st.form_submit_button(t("users.add_button"), key="admin_add_go", type="primary", on_click=_add)
    now = store.clock()
    for user in store.list_users():
        locked = user.locked_until is not None and user.locked_until > now
        with st.container(border=True, key=f"admin_user_{user.id}"):
            line = f"**{user.username}** · {t(f'auth.role_{user.role}')}"
            if locked:
                line += f" · :orange[{t('users.locked')}]"
            st.markdown(line)
            st.caption(t("users.last_login", when=vn_date(user.last_login_at, lang) if user.last_login_at else "—"))
            with st.container(horizontal=True, vertical_alignment="bottom"):
                st.text_input(t("users.new_password"), key=f"admin_pw_{user.username}", type="password",
                              max_chars=200, autocomplete="new-password")
                st.button(t("users.set_password"), key=f"admin_set_{user.username}", on_click=_reset,
                          args=(user.username,))
                if locked:
                    st.button(t("users.unlock"), key=f"admin_unlock_{user.username}", on_click=_unlock,
                              args=(user.username,))
