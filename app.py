"""Sẵn sàng số — the Streamlit entry: page config, language, navigation by role. Thin.

Run with ``streamlit run app.py``. Pages live in ``ui/pages``; they gather input, call the
core (scoring/, store/, report/) and show the result.
"""

from __future__ import annotations

import logging

import streamlit as st

from ui import nav, resources, state, style
from ui.i18n import LANG_NAMES, LANGS, t
from ui.safe import callback, report

st.set_page_config(page_title="Sẵn sàng số · SME digital readiness", page_icon="📈", layout="centered")
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@callback
def _switch_language() -> None:
    state.set_lang(st.session_state.get("lang_switch"))


def main() -> None:
    resources.warm_up()
    state.init()
    style.apply()
    bad = state.sync_from_url()
    if bad == "bad_code":
        state.flash("error", t("error.bad_url_code"))
    elif bad == "expired":
        state.flash("info", t("error.tab_expired"))
        state.goto("resume")
    state.sync_join_from_url()
    state.sync_team_from_url()

    with st.container(horizontal=True, horizontal_alignment="right", key="lang_bar"):
        st.session_state["lang_switch"] = state.lang()
        st.segmented_control(
            t("app.language"), LANGS, format_func=LANG_NAMES.get, key="lang_switch", on_change=_switch_language,
            label_visibility="collapsed", required=True,
        )

    pages, by_name = nav.build(st.session_state.get(state.ROLE))
    st.session_state["_pages"] = by_name
    page = st.navigation(pages, position="top")

    target = st.session_state.pop(state.GOTO, None)
    state.sync_to_url()
    if target in by_name and by_name[target].url_path != page.url_path:
        st.switch_page(by_name[target])
    page.run()


try:
    main()
except Exception:  # anything outside a page body: still no traceback on the page
    report("app")
