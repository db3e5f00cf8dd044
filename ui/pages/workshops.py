"""A facilitator's workshops: open a new one (it gets a join code at once), and the list of
their workshops with the room's counts; an admin sees every facilitator's."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ui import auth, common, reference, resources, state
from ui.common import VN_TZ, vn_date
from ui.i18n import t, text
from ui.safe import callback

ss = st.session_state
ERRORS = "ws_new_errors"
CURRENT = "ws_id"


def open_workshop(workshop_id: int) -> None:
    ss[CURRENT] = workshop_id
    state.goto("workshop")


@callback
def _create() -> None:
    errors = {}
    name = (ss.get("ws_new_name") or "").strip()
    if not name:
        errors["name"] = t("ws.need_name")
    qid = ss.get("ws_new_questionnaire")
    q = resources.questionnaire(qid) if qid else None
    if q is None:
        errors["questionnaire"] = t("ws.need_questionnaire")
    ss[ERRORS] = errors
    if errors:
        return
    from store import InvalidValue

    try:
        created = resources.get_store().create_workshop(
            name, ss.get("ws_new_association"), auth.user(), q.id, ss.get("ws_new_language") or "vi",
            province=ss.get("ws_new_province"), held_on=ss.get("ws_new_date"),
        )
    except InvalidValue as exc:
        ss[ERRORS] = {"form": t("ws.invalid", why=str(exc))}
        return
    for key in ("ws_new_name", "ws_new_association"):
        ss[key] = ""
    state.flash("success", t("ws.created", name=common.plain(created.name), code=created.join_code))
    open_workshop(created.id)


def _error(name: str) -> None:
    message = ss.get(ERRORS, {}).get(name)
    if message:
        st.error(message, icon=":material/error:")


def _new_form(lang: str) -> None:
    avail = resources.available()
    by_id = {q.id: q for q in avail.questionnaires}
    with st.expander(t("ws.new"), expanded=bool(ss.get(ERRORS)), icon=":material/add:"):
        with st.form("ws_new_form", border=False):
            st.text_input(t("ws.name"), key="ws_new_name", max_chars=200, placeholder=t("ws.name_placeholder"))
            _error("name")
            st.text_input(t("ws.association"), key="ws_new_association", max_chars=200,
                          placeholder=t("ws.association_placeholder"))
            st.date_input(t("ws.date"), key="ws_new_date", value=datetime.now(VN_TZ).date(), format="DD/MM/YYYY")
            provinces = dict(reference.provinces(lang))
            st.selectbox(t("ws.province"), list(provinces), index=None, key="ws_new_province",
                         format_func=provinces.get, placeholder=t("start.choose_placeholder"))
            if by_id:
                st.radio(t("ws.questionnaire"), list(by_id), key="ws_new_questionnaire",
                         format_func=lambda qid: f"{text(by_id[qid].title, lang)} — {common.describe(by_id[qid], lang)}")
            _error("questionnaire")
            st.radio(t("ws.language"), ["vi", "en"], key="ws_new_language", horizontal=True,
                     format_func=lambda code: t(f"ws.language_{code}"))
            _error("form")
            st.form_submit_button(t("ws.create"), key="ws_create", type="primary", on_click=_create)


def render() -> None:
    common.show_flash()
    st.title(t("ws.title"), anchor=False)
    if not auth.require(auth.FACILITATOR):
        return
    lang = state.lang()
    st.caption(t("ws.intro"))
    _new_form(lang)
    store = resources.get_store()
    mine = store.list_workshops(facilitator=None if auth.role() == auth.ADMIN else auth.user())
    st.subheader(t("ws.list_title", n=len(mine)), anchor=False)
    if not mine:
        st.info(t("ws.none"))
        return
    counts = store.workshop_counts(w.id for w in mine)
    names = {q.id: text(q.title, lang) for q in resources.available().questionnaires}
    for w in mine:
        c = counts[w.id]
        with st.container(border=True, key=f"ws_row_{w.id}"):
            status = t("ws.open") if w.is_open else t("ws.closed")
            st.markdown(f"**{common.plain(w.name)}** · `{w.join_code}` · {status}")
            details = [x for x in (common.plain(w.association) if w.association else None, vn_date(w.held_on, lang) if w.held_on else None,
                                   reference_name(w.province, lang), names.get(w.questionnaire_id, w.questionnaire_id)) if x]
            if auth.role() == auth.ADMIN and w.facilitator:
                details.append(t("ws.by", user=w.facilitator))
            st.caption(" · ".join(details))
            st.markdown(t("ws.counts", joined=c.joined, answering=c.answering, finished=c.finished))
            st.button(t("ws.open_button"), key=f"ws_open_{w.id}", on_click=open_workshop, args=(w.id,),
                      icon=":material/co_present:", type="primary" if w.is_open else "secondary")


def reference_name(province: str | None, lang: str) -> str | None:
    if not province:
        return None
    return dict(reference.provinces(lang)).get(province, province)
