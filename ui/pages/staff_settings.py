"""Programme staff: the privacy setting every staff view and export applies. k, the smallest
group whose figures are shown (default 5): programme staff see it, an admin may change it.
The store refuses less than 2 (a group of one is a firm)."""

from __future__ import annotations

import streamlit as st

from ui import auth, resources, state
from ui.i18n import t
from ui.pages import staff_common as sc
from ui.safe import callback, section

ss = st.session_state


@callback
def _save_k() -> None:
    from store import InvalidValue

    if auth.role() != auth.ADMIN:  # the field is not shown to others; a forged click changes nothing
        return
    value = ss.get("staff_set_k")
    try:
        resources.get_store().set_min_group_size(int(value) if value is not None else 0)
    except (InvalidValue, ValueError):
        ss["staff_set_error"] = t("staff.set_k_invalid")
        return
    ss["staff_set_error"] = None
    state.flash("success", t("staff.set_k_saved", k=int(value)))


def render() -> None:
    if not sc.page_head("staff.settings_title", "staff.settings_intro"):
        return
    store = resources.get_store()
    with section("staff.settings"):
        k = store.min_group_size()
        st.metric(t("staff.k_label"), k, border=True)
        st.markdown(t("staff.set_k_explain", k=k))
        if auth.role() == auth.ADMIN:
            if "staff_set_k" not in ss:
                ss["staff_set_k"] = k
            with st.form("staff_set_form", border=True, enter_to_submit=False):
                st.number_input(t("staff.set_k_input"), min_value=2, max_value=1000, step=1, key="staff_set_k")
                if ss.get("staff_set_error"):
                    st.error(ss["staff_set_error"], icon=":material/error:")
                st.form_submit_button(t("staff.set_k_save"), key="staff_set_save", type="primary", on_click=_save_k)
        else:
            st.caption(t("staff.set_k_admin_only"))
        st.markdown(t("staff.set_privacy"))
