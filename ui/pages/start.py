"""Start: choose the quick check or the full assessment, describe the firm, give (or not)
consent to pooling, and begin. Beginning creates the draft and shows its resume code."""

from __future__ import annotations

import logging

import streamlit as st

from scoring.model import FirmProfile
from ui import common, reference, resources, state
from ui.i18n import t, text
from ui.safe import callback

log = logging.getLogger(__name__)
ss = st.session_state

ERRORS = "start_errors"


def _profile_values() -> dict:
    staff = ss.get("start_staff")
    return {
        "name": (ss.get("start_name") or "").strip() or None,
        "sector": ss.get("start_sector"),
        "size_band": ss.get("start_size"),
        "province": ss.get("start_province"),
        "staff": int(staff) if staff is not None else None,
    }


@callback
def _begin() -> None:
    """Check the profile, create the draft, go to the questionnaire (its code shown at once)."""
    errors = {}
    if not ss.get("start_questionnaire"):
        errors["questionnaire"] = t("start.need_questionnaire")
    if not ss.get("start_sector"):
        errors["sector"] = t("start.need_sector")
    if not ss.get("start_size"):
        errors["size"] = t("start.need_size")
    ss[ERRORS] = errors
    if errors:
        return
    q = resources.questionnaire(ss["start_questionnaire"])
    if q is None:
        ss[ERRORS] = {"questionnaire": t("error.questionnaire_missing")}
        return
    sharing = None
    if ss.get(state.JOIN) is not None:
        share = bool(ss.get("start_share"))
        sharing = {
            "share_results": share,
            "share_name": share and bool(ss.get("start_share_name")),
            "send_pdf": share and bool(ss.get("start_send_pdf")),
        }
    try:
        code = state.start(q, FirmProfile(**_profile_values()), consent=bool(ss.get("start_consent")), sharing=sharing)
        if ss.get("start_team") and sharing is None:
            resources.get_store().create_team(code, q)
            state.flash("info", t("team.created_hint"))
    except Exception as exc:
        from store import UnknownCode, WorkshopClosed

        if not isinstance(exc, (UnknownCode, WorkshopClosed)):
            raise
        state.leave_workshop()  # closed (or gone) while the visitor was filling in the page
        ss[state.JOIN_ERROR] = "closed" if isinstance(exc, WorkshopClosed) else "unknown"
        return
    state.goto("questionnaire")


NAME_LIMIT = 200
PASTE_LIMIT = 5000


@callback
def _cut_name() -> None:
    name = ss.get("start_name") or ""
    ss["start_name_cut"] = len(name) > NAME_LIMIT
    if len(name) > NAME_LIMIT:
        ss["start_name"] = name[:NAME_LIMIT]


@callback
def _join() -> None:
    typed = (ss.get("start_join_code") or "").strip()
    if not typed:
        ss[state.JOIN_ERROR] = "empty"
        return
    why = state.join(typed)
    if why == "unknown":  # not a workshop: perhaps a colleague's team
        team_why = state.join_team(typed)
        why = None if team_why is None else ("unknown" if team_why == "unknown" else f"team_{team_why}")
    ss[state.JOIN_ERROR] = why
    if why is None:
        ss["start_join_code"] = ""


@callback
def _leave() -> None:
    state.leave_workshop()
    ss[state.JOIN_ERROR] = None


@callback
def _suggest() -> None:
    if not ss.get("start_sector"):
        ss["start_suggested"] = "need_sector"
        return
    try:
        band = reference.suggest_size(
            ss.get("start_sector"), ss.get("start_staff"), ss.get("start_revenue"), ss.get("start_capital")
        )
    except Exception:
        log.exception("classify_size failed")
        band = None
    ss["start_suggested"] = band or "none"


@callback
def _use_suggestion() -> None:
    band = ss.get("start_suggested")
    if band and band not in ("none", "need_sector"):
        ss["start_size"] = band
        ss.get(ERRORS, {}).pop("size", None)


def _field_error(name: str) -> None:
    message = ss.get(ERRORS, {}).get(name)
    if message:
        st.error(message, icon=":material/error:")


def _size_helper(bands: dict) -> None:
    """Staff, revenue and capital to a size band (Decree 80's thresholds, by sector)."""
    st.caption(t("start.size_helper_hint"))
    st.number_input(t("start.staff"), min_value=0, max_value=1_000_000, value=None, step=1, key="start_staff")
    st.number_input(
        t("start.revenue"), min_value=0.0, max_value=1_000_000.0, value=None, step=1.0, key="start_revenue"
    )
    st.number_input(
        t("start.capital"), min_value=0.0, max_value=1_000_000.0, value=None, step=1.0, key="start_capital"
    )
    st.button(t("start.suggest"), key="start_suggest", on_click=_suggest)
    suggested = ss.get("start_suggested")
    if suggested == "need_sector":
        st.info(t("start.suggest_need_sector"))
    elif suggested == "none":
        st.info(t("start.suggest_none"))
    elif suggested:
        st.success(t("start.suggested", band=bands.get(suggested, suggested)))
        st.button(t("start.use_suggestion"), key="start_use_suggestion", on_click=_use_suggestion)


HELPER_KEYS = ("start_staff", "start_revenue", "start_capital")


def render() -> None:
    lang = state.lang()
    for key in HELPER_KEYS:  # typed in the size helper: kept while it is closed (not drawn)
        if key in ss:
            ss[key] = ss[key]
    common.show_flash()
    st.title(t("start.title"), anchor=False)
    st.write(t("start.intro"))
    # on a phone the page menu folds away: the way back is on the page itself
    st.button(t("start.resume_here"), key="start_resume", on_click=state.goto, args=("resume",), type="tertiary",
              icon=":material/key:")

    rec = state.record()
    if state.code() and rec is not None and not rec.submitted:
        with st.container(border=True, key="start_in_progress"):
            st.markdown(t("start.in_progress"))
            common.nav_button(t("start.continue"), "questionnaire", "start_continue", primary=True)

    avail = resources.available()
    if not avail.questionnaires:
        st.error(t("error.questionnaire_load"), icon=":material/error:")
        with st.expander(t("error.details")):
            for p in avail.problems:
                st.text(p)
        return
    if avail.problems:
        st.warning(t("error.some_questionnaires"))
        with st.expander(t("error.details")):
            for p in avail.problems:
                st.text(p)

    by_id = {q.id: q for q in avail.questionnaires}
    team = ss.get(state.TEAM_JOIN)
    if team is not None:
        _team_join(team, by_id, lang)
        return
    workshop = _workshop_box(by_id, lang)

    # ---- which questionnaire (a workshop has chosen it already)
    if workshop is None:
        st.subheader(t("start.choose"), anchor=False)
        if ss.get("start_questionnaire") not in by_id:
            ss["start_questionnaire"] = avail.questionnaires[0].id
        st.radio(
            t("start.choose"), list(by_id), key="start_questionnaire", label_visibility="collapsed",
            format_func=lambda qid: text(by_id[qid].title, lang),
            captions=[f"{text(q.description, lang)}  \n{common.describe(q, lang)}" for q in by_id.values()],
        )
        _field_error("questionnaire")

    # ---- the firm
    st.subheader(t("start.profile"), anchor=False)
    st.caption(t("start.profile_hint"))
    # the browser lets a long paste through (up to PASTE_LIMIT); the page then cuts it to the
    # store's limit and says so, rather than refusing it silently
    st.text_input(t("start.name"), key="start_name", max_chars=PASTE_LIMIT, placeholder=t("start.name_placeholder"),
                  on_change=_cut_name)
    if ss.get("start_name_cut"):
        st.warning(t("start.name_cut", limit=NAME_LIMIT), icon=":material/content_cut:")

    sectors = dict(reference.sectors(lang))
    st.selectbox(
        t("start.sector"), list(sectors), index=None, key="start_sector", format_func=sectors.get,
        placeholder=t("start.choose_placeholder"),
    )
    _field_error("sector")

    bands = dict(reference.size_bands(lang))
    st.radio(
        t("start.size"), list(bands), index=None, key="start_size", format_func=bands.get,
        captions=[t(f"size.{b}_hint") for b in bands],
    )
    _field_error("size")
    # drawn only when opened (a rerun): three number inputs fewer on a phone's first page
    with st.expander(t("start.size_helper"), key="start_size_box", on_change="rerun") as helper:
        if helper.open:
            _size_helper(bands)

    provinces = dict(reference.provinces(lang))
    st.selectbox(
        t("start.province"), list(provinces), index=None, key="start_province", format_func=provinces.get,
        placeholder=t("start.choose_placeholder"),
    )

    # ---- consent, in plain words, off by default
    st.subheader(t("start.consent_title"), anchor=False)
    st.markdown(t("start.consent_explain"))
    st.checkbox(t("start.consent"), value=False, key="start_consent")
    if workshop is not None:
        who = common.plain(workshop.association or workshop.name)
        st.subheader(t("join.share_title", who=who), anchor=False)
        st.markdown(t("join.share_explain", who=who))
        share = st.checkbox(t("join.share", who=who), value=False, key="start_share")
        st.checkbox(t("join.share_name"), value=False, key="start_share_name", disabled=not share)
        st.checkbox(t("join.send_pdf"), value=False, key="start_send_pdf", disabled=not share)

    if workshop is None:
        st.subheader(t("team.start_title"), anchor=False)
        st.checkbox(t("team.start_checkbox"), key="start_team", help=t("team.start_help"))
    if ss.get(ERRORS):
        st.error(t("start.fix_above"), icon=":material/error:")
    st.button(t("start.begin"), key="start_begin", type="primary", on_click=_begin)
    common.staff_link()


ROLES = ("accounting", "sales", "operations", "it", "other")


@callback
def _begin_team() -> None:
    team = ss.get(state.TEAM_JOIN)
    errors = {}
    if not ss.get("team_role"):
        errors["role"] = t("team.need_role")
    if not ss.get("team_agree"):
        errors["agree"] = t("team.need_agree")
    ss[ERRORS] = errors
    if errors or team is None:
        return
    q = resources.questionnaire(team.questionnaire_id)
    if q is None:
        ss[ERRORS] = {"role": t("error.questionnaire_missing")}
        return
    try:
        state.start(q, team.profile, consent=False, role=ss["team_role"])
    except Exception as exc:
        from store import UnknownCode, WorkshopClosed

        if not isinstance(exc, (UnknownCode, WorkshopClosed)):
            raise
        state.leave_team()
        ss[state.JOIN_ERROR] = "team_closed" if isinstance(exc, WorkshopClosed) else "team_unknown"
        return
    state.goto("questionnaire")


@callback
def _leave_team() -> None:
    state.leave_team()
    ss[ERRORS] = {}


def _team_join(team, by_id: dict, lang: str) -> None:
    """A colleague invited to answer for the firm: a role and their agreement, nothing else
    (the firm's profile was filled once, by the owner)."""
    q = by_id.get(team.questionnaire_id)
    with st.container(border=True, key="team_join"):
        st.markdown(t("team.invited", firm=common.plain(team.profile.name) if team.profile.name else t("team.the_firm")))
        if q is not None:
            st.markdown(t("join.questionnaire", title=text(q.title, lang)))
            st.caption(common.describe(q, lang))
        st.caption(t("team.join_explain"))
    if q is None:
        st.error(t("error.questionnaire_missing"), icon=":material/error:")
        st.button(t("team.leave"), key="team_leave", on_click=_leave_team)
        return
    st.radio(t("team.role"), list(ROLES), index=None, key="team_role", format_func=lambda r: t(f"team.role_{r}"))
    _field_error("role")
    st.checkbox(t("team.agree"), key="team_agree")
    _field_error("agree")
    st.button(t("start.begin"), key="team_begin", type="primary", on_click=_begin_team)
    st.button(t("team.leave"), key="team_leave", on_click=_leave_team, type="tertiary")


def _join_error() -> None:
    why = ss.get(state.JOIN_ERROR)
    if why:
        st.error(t(f"join.error_{why}"), icon=":material/error:")


def _workshop_box(by_id: dict, lang: str):
    """A workshop being joined (its name, and the questionnaire it uses), or the box to type
    a join code. Returns the workshop, or None."""
    workshop = ss.get(state.JOIN)
    if workshop is not None and workshop.questionnaire_id not in by_id:
        state.leave_workshop()  # its questionnaire is not offered here: join as anyone would
        ss[state.JOIN_ERROR] = "questionnaire"
        workshop = None
    if workshop is None:
        with st.expander(t("join.have_code"), key="start_join_box", on_change="rerun") as box:
            if box.open:  # drawn only when opened (a rerun), as the size helper
                with st.form("join_form", border=False, enter_to_submit=True):
                    st.text_input(t("join.code_label"), key="start_join_code", max_chars=12, placeholder="ABC234")
                    st.form_submit_button(t("join.go"), key="start_join", on_click=_join)
        _join_error()
        return None
    with st.container(border=True, key="start_workshop"):
        st.markdown(t("join.joined", name=common.plain(workshop.name)))
        details = [common.plain(workshop.association)] if workshop.association else []
        if workshop.held_on:
            details.append(common.vn_date(workshop.held_on, lang))
        if details:
            st.caption(" · ".join(details))
        q = by_id[workshop.questionnaire_id]
        st.markdown(t("join.questionnaire", title=text(q.title, lang)))
        st.caption(common.describe(q, lang))
        st.button(t("join.leave"), key="start_leave", on_click=_leave)
    ss["start_questionnaire"] = workshop.questionnaire_id
    return workshop
