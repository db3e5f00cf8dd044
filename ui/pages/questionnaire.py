"""Questionnaire: one pillar per step. Answers live in ``state.answers()`` and are saved as
they are given; "next" is blocked by a required question left empty (the message shows on
that question); the last step submits through the store."""

from __future__ import annotations

import logging
import re

import streamlit as st

from scoring.engine import AnswerError, visible_questions
from scoring.model import Questionnaire
from ui import common, questions, resources, scripts, state
from ui.i18n import t, text
from ui.safe import callback

log = logging.getLogger(__name__)
ss = st.session_state


def step_problems(q: Questionnaire, index: int) -> dict[str, str]:
    """``{question id: message}`` for the visible questions of one step that block "next"."""
    answers = state.answers()
    visible = visible_questions(q, answers)
    out = {}
    for question in q.pillars[index].questions:
        if visible.get(question.id):
            message = questions.problem_message(question, answers.get(question.id))
            if message:
                out[question.id] = message
    return out


def _move(q: Questionnaire, to: int) -> None:
    ss[state.STEP] = max(0, min(to, len(q.pillars) - 1))
    ss[state.SCROLL_TOP] = True
    try:
        state.save(step=ss[state.STEP])
    except Exception:
        log.exception("saving the step failed")
        ss["save_failed"] = True


@callback
def _back(q: Questionnaire) -> None:
    ss[state.STEP_ERRORS] = {}
    ss[state.SUBMIT_PROBLEMS] = []
    _move(q, ss.get(state.STEP, 0) - 1)


@callback
def _jump(q: Questionnaire, to: int) -> None:
    """From the list of problems after "submit" to the step that has them."""
    _move(q, to)
    ss[state.STEP_ERRORS] = {qid: why for i, qid, _, why in ss.get(state.SUBMIT_PROBLEMS) or [] if qid and i == to}


@callback
def _next(q: Questionnaire) -> None:
    problems = step_problems(q, ss.get(state.STEP, 0))
    ss[state.STEP_ERRORS] = problems
    if problems:
        return
    ss.pop(state.CODE_NOTICE, None)
    ss[state.SUBMIT_PROBLEMS] = []
    _move(q, ss.get(state.STEP, 0) + 1)


_PROBLEM = re.compile(r"^(?P<qid>[A-Za-z0-9_]+)(?:\.(?P<row>[A-Za-z0-9_]+))?: (?P<message>.*)$")


def explain(q: Questionnaire, problem: str, lang: str) -> tuple[int | None, str | None, str, str]:
    """An engine problem (``qid: message``) in words: (step, question id, sentence, why)."""
    m = _PROBLEM.match(problem)
    if m:
        qid = m.group("qid")
        for i, pillar in enumerate(q.pillars):
            for question in pillar.questions:
                if question.id == qid:
                    raw = m.group("message")
                    if "required answer missing" in raw:
                        why = t("q.required")
                    elif "row not answered" in raw:
                        why = t("q.matrix_incomplete")
                    else:
                        why = t("q.invalid_detail", detail=raw)
                    sentence = t(
                        "q.problem_line", step=i + 1, pillar=text(pillar.name, lang),
                        question=text(question.text, lang), why=why,
                    )
                    return i, qid, sentence, why
    why = t("q.invalid_detail", detail=problem)
    return None, None, why, why


@callback
def _submit(q: Questionnaire) -> None:
    step = ss.get(state.STEP, 0)
    problems = step_problems(q, step)
    ss[state.STEP_ERRORS] = problems
    if problems:
        return
    store = resources.get_store()
    lang = state.lang()
    try:
        rec, result = store.submit(state.code(), q, dict(state.answers()))
    except AnswerError as exc:
        explained = [explain(q, p, lang) for p in exc.problems]
        ss[state.SUBMIT_PROBLEMS] = explained
        ss[state.STEP_ERRORS] = {qid: why for i, qid, _, why in explained if qid and i == step}
        return
    except Exception as exc:
        from store import AlreadySubmitted, UnknownCode

        if isinstance(exc, AlreadySubmitted):
            ss[state.RECORD] = store.load(state.code())
            state.goto("results")
            return
        if isinstance(exc, UnknownCode):
            state.forget()
            state.flash("error", t("error.code_gone"))
            state.goto("start")
            return
        raise
    ss[state.RECORD] = rec
    ss[state.RESULT_CACHE] = {rec.id: result}
    ss.pop(state.CODE_NOTICE, None)
    ss[state.SUBMIT_PROBLEMS] = []
    state.goto("results")


def _keep_typed_text() -> None:
    """Text typed in a box and not yet left survives a reload (ui/scripts.py "text")."""
    scripts.run("text", tab=ss.get(state.TAB) or "tab")


def _step_opened(step: int, first: str | None) -> None:
    """A new step opens at its top with focus on its first question (so a keyboard user
    carries on from there), and becomes an entry of the browser's history: Back in the
    browser goes to the previous step, not to the Start page (ui/scripts.py "step")."""
    if ss.pop(state.SCROLL_TOP, False):
        scripts.run("step", step=step, first=first or "")


def render() -> None:
    lang = state.lang()
    common.show_flash()
    code = state.code()
    if not code:
        st.title(t("q.title"))
        st.info(t("q.no_assessment"))
        common.nav_button(t("nav.start"), "start", "q_go_start", primary=True)
        common.nav_button(t("nav.resume"), "resume", "q_go_resume")
        return
    rec = state.record()
    # a draft continues on the version it was started on, even after the file changed
    q = resources.questionnaire_for(rec) if rec is not None else resources.questionnaire(ss.get(state.QID, ""))
    if q is None:
        st.error(t("error.questionnaire_load"), icon=":material/error:")
        problems = resources.available().problems
        if problems:
            with st.expander(t("error.details")):
                for p in problems:
                    st.text(p)
        return
    if rec is not None and rec.submitted:
        st.title(text(q.title, lang))
        st.info(t("q.already_submitted"))
        common.nav_button(t("nav.results"), "results", "q_go_results", primary=True)
        return

    pillars = q.pillars
    total = len(pillars)
    step = max(0, min(int(ss.get(state.STEP, 0)), total - 1))
    ss[state.STEP] = step
    pillar = pillars[step]
    shown = visible_questions(q, state.answers())
    _step_opened(step, next((x.id for x in pillar.questions if shown.get(x.id)), None))
    _keep_typed_text()

    st.caption(text(q.title, lang))
    common.code_panel(code, fresh=bool(ss.get(state.CODE_NOTICE)))
    common.team_box("q_team")
    st.progress((step + 1) / total, text=t("q.progress", step=step + 1, total=total, name=text(pillar.name, lang)))
    names = []
    for i, p in enumerate(pillars):
        name = text(p.name, lang)
        names.append(f"**{i + 1}. {name}**" if i == step else (f"✓ {i + 1}. {name}" if i < step else f"{i + 1}. {name}"))
    st.caption(" · ".join(names))

    st.header(text(pillar.name, lang), anchor=False)
    if pillar.description is not None:
        st.caption(text(pillar.description, lang))

    answers = state.answers()
    visible = visible_questions(q, answers)
    errors = ss.get(state.STEP_ERRORS, {})
    before = state.previous_answers()
    if before:
        st.info(t("q.prefilled"), icon=":material/history:")
    number = 0
    for question in pillar.questions:
        if not visible.get(question.id):
            continue
        number += 1
        questions.render(question, number, lang, errors.get(question.id), previous=before.get(question.id))

    if errors:
        st.error(t("q.fix_above", n=len(errors)), icon=":material/error:")
    problems = ss.get(state.SUBMIT_PROBLEMS) or []
    if problems:
        with st.container(border=True, key="submit_problems"):
            st.error(t("q.submit_problems", n=len(problems)), icon=":material/error:")
            for _, _, sentence, _ in problems:
                st.markdown(f"- {sentence}")
            for i in sorted({i for i, _, _, _ in problems if i is not None and i != step}):
                st.button(t("q.go_to_step", step=i + 1), key=f"jump_{i}", on_click=_jump, args=(q, i))
    if ss.get("save_failed"):
        st.warning(t("q.save_failed"))

    last = step == total - 1
    with st.container(horizontal=True, key="step_nav"):
        st.button(t("q.back"), key="nav_back", on_click=_back, args=(q,), disabled=step == 0, icon=":material/arrow_back:")
        if last:
            st.button(t("q.submit"), key="nav_submit", type="primary", on_click=_submit, args=(q,),
                      icon=":material/check:")
        else:
            st.button(t("q.next"), key="nav_next", type="primary", on_click=_next, args=(q,),
                      icon=":material/arrow_forward:", icon_position="right")
    if not ss.get(state.CODE_NOTICE):
        with st.expander(t("q.save_and_leave"), key="save_and_leave"):
            st.caption(t("code.link_hint"))
            st.code(state.continue_link(common.public_base(), code), language=None, wrap_lines=True)
            common.reminder_button(code, "q_ics")
