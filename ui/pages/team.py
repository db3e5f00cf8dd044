"""A team assessment: colleagues of one firm answer apart; the owner sees who has finished
(by role, never by name), removes a respondent's answers, shares the combined view or not,
and closes the round. The combined view: the firm's result from the combined answers (the
questionnaire's ``rules.team``), each pillar's spread across respondents, and the questions
where they disagree most, first; its roadmap, platforms and PDF come from the combined result.

Respondents see their own result, and the combined view only when the owner shares it;
never each other's answers on their own.
"""

from __future__ import annotations

import logging

import streamlit as st

from scoring.engine import AnswerError, score_assessment
from scoring.team import Response, combine, disagreements, pillar_spread
from ui import common, questions, resources, state
from ui.i18n import t, text
from ui.pages import results as results_page
from ui.safe import callback, section

log = logging.getLogger(__name__)
ss = st.session_state
CONFIRM_CLOSE = "team_confirm_close"
CONFIRM_REMOVE = "team_confirm_remove"


def team_link(team) -> str:
    return f"{common.public_base()}/?{state.TEAM_PARAM}={team.code}"


# ------------------------------------------------------------------ owner's actions


@callback
def _create() -> None:
    rec = state.record()
    q = resources.questionnaire(rec.questionnaire_id) if rec is not None else None
    if q is None:
        state.flash("error", t("error.questionnaire_load"))
        return
    resources.get_store().create_team(state.code(), q)
    state.flash("success", t("team.created_hint"))
    state.goto("team")


@callback
def _share() -> None:
    resources.get_store().set_team_shared(state.code(), bool(ss.get("team_shared")))


@callback
def _consent() -> None:
    resources.get_store().set_team_consent(state.code(), bool(ss.get("team_consent")))


@callback
def _ask_remove(assessment_id: int) -> None:
    ss[CONFIRM_REMOVE] = assessment_id


@callback
def _remove(assessment_id: int) -> None:
    ss[CONFIRM_REMOVE] = None
    resources.get_store().remove_member(state.code(), assessment_id)
    state.flash("success", t("team.removed"))


@callback
def _cancel() -> None:
    ss[CONFIRM_REMOVE] = None
    ss[CONFIRM_CLOSE] = False


@callback
def _ask_close() -> None:
    ss[CONFIRM_CLOSE] = True


@callback
def _close(team_id: int) -> None:
    ss[CONFIRM_CLOSE] = False
    store = resources.get_store()
    team = store.team(team_id)
    q = resources.questionnaire(team.questionnaire_id)
    finished = [m for m in store.team_members(team_id) if m.finished]
    try:
        store.close_team(state.code(), q, combine(q, [Response(m.role, m.record.answers) for m in finished]))
    except AnswerError:
        log.exception("team %s: the combined answers did not score", team_id)
        state.flash("error", t("team.close_failed"))
        return
    state.flash("success", t("team.closed_now"))


# ------------------------------------------------------------------ views


def _role(role: str) -> str:
    return t(f"team.role_{role}")


def _invite(team) -> None:
    url = team_link(team)
    with st.container(border=True, key="team_invite"):
        st.markdown(t("team.invite_how"))
        left, right = st.columns([3, 2], vertical_alignment="center")
        with left:
            st.markdown(f"### `{team.code}`")
            st.code(url, language=None, wrap_lines=True)
            st.caption(t("team.invite_privacy"))
        with right:
            from ui.pages.workshop import qr_png

            st.image(qr_png(url), caption=t("team.qr_caption"), width=200)


def _members(team, members, owner: bool) -> None:
    st.subheader(t("team.members_title", done=sum(m.finished for m in members), n=len(members)), anchor=False)
    for m in members:
        with st.container(border=True, key=f"team_member_{m.record.id}", horizontal=True, vertical_alignment="center"):
            status = t("team.finished") if m.finished else t("team.answering")
            st.markdown(f"**{_role(m.role)}** · {status}")
            if owner and team.is_open and m.role != "owner":
                if ss.get(CONFIRM_REMOVE) == m.record.id:
                    st.button(t("team.remove_yes"), key=f"team_remove_yes_{m.record.id}", type="primary",
                              on_click=_remove, args=(m.record.id,))
                    st.button(t("team.remove_no"), key=f"team_remove_no_{m.record.id}", on_click=_cancel)
                else:
                    st.button(t("team.remove"), key=f"team_remove_{m.record.id}", on_click=_ask_remove,
                              args=(m.record.id,), icon=":material/person_remove:")


def _combined(team, q, members, lang: str) -> None:
    """The firm's combined result: the first thing to talk about is where the team differs."""
    store = resources.get_store()
    finished = [m for m in members if m.finished]
    closed = store.get(team.combined_id) if team.combined_id is not None else None
    if closed is not None:
        answers = dict(closed.answers)
    elif finished:
        answers = combine(q, [Response(m.role, m.record.answers) for m in finished])
    else:
        st.info(t("team.none_finished"), icon=":material/hourglass_empty:")
        return
    result = score_assessment(q, answers)
    st.header(t("team.combined_title"), anchor=False)
    st.caption(t("team.combined_rule", n=len(finished)))
    responses = [Response(m.role, m.record.answers) for m in finished]
    found = disagreements(q, responses)
    with st.container(border=True, key="team_disagreements"):
        st.subheader(t("team.disagree_title"), anchor=False)
        if not found:
            st.caption(t("team.disagree_none" if len(finished) > 1 else "team.disagree_one"))
        for d in found:
            question = q.question(d.question)
            code = f"`{question.code}` " if question.code else ""
            low_role, low_answer = d.low
            high_role, high_answer = d.high
            st.markdown(
                f"**{code}{text(question.text, lang)}**  \n"
                + t("team.says", role=_role(high_role), answer=questions.answer_text(question, high_answer, lang))
                + " · "
                + t("team.says", role=_role(low_role), answer=questions.answer_text(question, low_answer, lang))
            )
    results_page.overall_box(q, result, lang)
    results_page.pillar_charts(q, result, lang)
    spread = pillar_spread(q, [(m.role, score_assessment(q, dict(m.record.answers))) for m in finished])
    rows = []
    for s, pillar in zip(spread, q.pillars):
        row = {t("results.col_pillar"): text(pillar.name, lang),
               t("team.col_range"): "—" if s.low is None else f"{s.low:.0f}–{s.high:.0f}%"}
        for role, value in s.by_role:
            row[_role(role)] = "—" if value is None else f"{value:.0f}%"
        rows.append(row)
    st.subheader(t("team.spread_title"), anchor=False)
    st.dataframe(rows, hide_index=True, width="stretch", key="team_spread")
    recs = None
    try:
        from scoring.recommend import recommend

        recs = recommend(q, result, team.profile, catalogue=resources.catalogue())
    except Exception:
        log.exception("recommendations for team %s failed", team.id)
    with section("team.downloads"):
        if recs is not None:
            st.download_button(
                t("team.download_pdf"), data=_pdf(q, result, recs, team.profile, lang, answers),
                file_name=t("results.pdf_name", day=common.vn_today().isoformat()), mime="application/pdf",
                key="team_dl_pdf", type="primary", on_click="ignore", icon=":material/picture_as_pdf:",
            )
    with section("team.platforms"):
        results_page.platforms_section(recs, lang)
    with section("team.roadmap"):
        results_page.roadmap_section(q, result, recs, lang)


def _pdf(q, result, recs, profile, lang, answers):
    def build() -> bytes:
        from report import render_pdf

        return render_pdf(q, result, recs, profile, lang=lang, answers=answers, when=common.vn_today())

    return build


def render() -> None:
    lang = state.lang()
    common.show_flash()
    st.title(t("team.title"), anchor=False)
    rec = state.record()
    if not state.code() or rec is None:
        st.info(t("team.no_assessment"))
        common.nav_button(t("nav.start"), "start", "team_go_start", primary=True)
        common.nav_button(t("nav.resume"), "resume", "team_go_resume")
        return
    store = resources.get_store()
    found = store.team_of(rec.id)
    if found is None:
        st.write(t("team.explain"))
        st.button(t("team.create"), key="team_create", type="primary", on_click=_create, icon=":material/group_add:")
        return
    team, role = found
    q = resources.questionnaire(team.questionnaire_id)
    if q is None:
        st.error(t("error.questionnaire_load"), icon=":material/error:")
        return
    if team.profile.name:
        st.caption(common.plain(team.profile.name))
    members = store.team_members(team.id)
    if role != "owner":
        st.markdown(t("team.you_are", role=_role(role)))
        common.nav_button(t("team.my_result" if rec.submitted else "results.continue"),
                          "results" if rec.submitted else "questionnaire", "team_mine")
        if team.shared:
            _combined(team, q, members, lang)
        else:
            st.info(t("team.not_shared"), icon=":material/lock:")
        return
    if team.is_open:
        _invite(team)
    else:
        st.success(t("team.is_closed"), icon=":material/lock:")
    _members(team, members, owner=True)
    with st.container(border=True, key="team_settings"):
        ss["team_shared"] = team.shared
        st.checkbox(t("team.share"), key="team_shared", on_change=_share)
        ss["team_consent"] = team.consent
        st.checkbox(t("team.consent"), key="team_consent", on_change=_consent)
        st.caption(t("team.consent_explain"))
    _combined(team, q, members, lang)
    if team.is_open:
        with st.container(border=True, key="team_close_box"):
            st.markdown(t("team.close_explain"))
            if not ss.get(CONFIRM_CLOSE):
                st.button(t("team.close"), key="team_close", on_click=_ask_close, icon=":material/lock:",
                          disabled=not any(m.finished for m in members))
            else:
                st.warning(t("team.close_confirm"))
                with st.container(horizontal=True):
                    st.button(t("team.close_yes"), key="team_close_yes", type="primary", on_click=_close,
                              args=(team.id,))
                    st.button(t("team.close_no"), key="team_close_no", on_click=_cancel)
