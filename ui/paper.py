"""Paper forms typed back in, one at a time: every question of the workshop's questionnaire
on one page (a paper form has no steps), the profile and the consents the firm ticked. The
engine checks the whole form when it is saved; a form with a problem is kept on screen with
each problem under its question, and nothing is stored until it is right.

``PAPER_WIDGETS`` maps each question type to its widgets and how to read them back: the one
place this page branches on the type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st

from scoring.engine import NA, AnswerError
from scoring.model import (
    FirmProfile,
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    QuestionBase,
    Questionnaire,
    ScaleQuestion,
    SingleQuestion,
    TextQuestion,
)
from ui import common, reference, resources, state
from ui.i18n import t, text
from ui.safe import callback

ss = st.session_state
PREFIX = "paper_"
ERRORS = "paper_errors"
SAVED = "paper_saved"


def _k(qid: str, part: str | None = None) -> str:
    return f"{PREFIX}q_{qid}" if part is None else f"{PREFIX}q_{qid}__{part}"


def _na(qid: str) -> str:
    return f"{PREFIX}na_{qid}"


def collect(q: Questionnaire) -> dict[str, Any]:
    """The answers the typist entered, in the engine's shapes (empty ones left out)."""
    answers: dict[str, Any] = {}
    for _, question in q.questions():
        if question.allow_na and ss.get(_na(question.id)):
            answers[question.id] = NA
            continue
        value = PAPER_WIDGETS[question.type].read(question)
        if value is not None and value != [] and value != {}:
            answers[question.id] = value
    return answers


def clear() -> None:
    for key in [k for k in ss.keys() if isinstance(k, str) and k.startswith(PREFIX)]:
        del ss[key]


def _profile() -> FirmProfile:
    staff = ss.get(f"{PREFIX}staff")
    return FirmProfile(
        name=(ss.get(f"{PREFIX}name") or "").strip() or None,
        sector=ss.get(f"{PREFIX}sector"),
        size_band=ss.get(f"{PREFIX}size"),
        province=ss.get(f"{PREFIX}province"),
        staff=int(staff) if staff is not None else None,
    )


@callback
def _save(workshop_id: int, qid: str) -> None:
    q = resources.questionnaire(qid)
    errors: dict[str, str] = {}
    if not ss.get(f"{PREFIX}sector"):
        errors["sector"] = t("start.need_sector")
    if not ss.get(f"{PREFIX}size"):
        errors["size"] = t("start.need_size")
    answers = collect(q)
    if not errors:
        share = bool(ss.get(f"{PREFIX}share"))
        try:
            resources.get_store().submit_paper_form(
                workshop_id, q, _profile(), answers, consent=bool(ss.get(f"{PREFIX}consent")),
                share_results=share, share_name=share and bool(ss.get(f"{PREFIX}share_name")),
            )
        except AnswerError as exc:
            from ui.pages.questionnaire import explain

            for problem in exc.problems:
                _, found, _, why = explain(q, problem, state.lang())
                missing = problem.endswith("required answer missing")
                errors[found or "form"] = t("paper.missing") if missing else t("paper.problem", why=why)
    ss[ERRORS] = errors
    if errors:
        return
    clear()
    ss[SAVED] = ss.get(SAVED, 0) + 1


def _read_one(question: QuestionBase) -> Any:
    return ss.get(_k(question.id))


def _read_multi(question: MultiQuestion) -> list[str]:
    return [o.id for o in question.options if ss.get(_k(question.id, o.id))]


def _read_matrix(question: MatrixQuestion) -> dict[str, str]:
    return {r.id: ss.get(_k(question.id, r.id)) for r in question.rows if ss.get(_k(question.id, r.id)) is not None}


def _read_text(question: TextQuestion) -> str | None:
    return (ss.get(_k(question.id)) or "").strip() or None


def _multi(question: MultiQuestion, lang: str, label: str) -> None:
    for o in question.options:
        st.checkbox(text(o.label, lang), key=_k(question.id, o.id))


def _matrix(question: MatrixQuestion, lang: str, label: str) -> None:
    labels = {o.id: text(o.label, lang) for o in question.options}
    for r in question.rows:
        st.radio(text(r.label, lang), question.option_ids(), index=None, key=_k(question.id, r.id),
                 format_func=labels.get, horizontal=True)


def _number(question: NumberQuestion, lang: str, label: str) -> None:
    unit = text(question.unit, lang) if question.unit is not None else ""
    st.number_input(f"{label} ({unit})" if unit else label, min_value=float(question.min),
                    max_value=float(question.max), value=None, key=_k(question.id), label_visibility="collapsed",
                    placeholder=unit or None)


def _text(question: TextQuestion, lang: str, label: str) -> None:
    st.text_area(label, key=_k(question.id), max_chars=question.max_length, label_visibility="collapsed")


def _scale(question: ScaleQuestion, lang: str, label: str) -> None:
    st.radio(label, question.steps(), index=None, key=_k(question.id), horizontal=True, label_visibility="collapsed",
             format_func=lambda v: f"{v} · {text(question.anchors[v], lang)}" if v in question.anchors else str(v))


def _choice(question: SingleQuestion, lang: str, label: str, horizontal: bool = False) -> None:
    labels = {o.id: text(o.label, lang) for o in question.options}
    st.radio(label, question.option_ids(), index=None, key=_k(question.id), format_func=labels.get,
             label_visibility="collapsed", horizontal=horizontal)


@dataclass(frozen=True)
class PaperWidget:
    """A question type on the type-in form: ``draw(question, lang, label)`` and ``read(question)``
    (its answer in the engine's shape; None, [] or {} when nothing was entered)."""

    draw: Callable[..., None]
    read: Callable[[Any], Any] = _read_one


PAPER_WIDGETS: dict[str, PaperWidget] = {
    "single": PaperWidget(_choice),
    "yesno": PaperWidget(partial(_choice, horizontal=True)),
    "scale": PaperWidget(_scale),
    "multi": PaperWidget(_multi, _read_multi),
    "matrix": PaperWidget(_matrix, _read_matrix),
    "number": PaperWidget(_number),
    "text": PaperWidget(_text, _read_text),
}


def _widget(question: QuestionBase, lang: str) -> None:
    if question.allow_na:
        st.checkbox(t("q.na"), key=_na(question.id))
    PAPER_WIDGETS[question.type].draw(question, lang, text(question.text, lang))


def form(workshop, q: Questionnaire, lang: str) -> None:
    """The type-in form for one paper questionnaire of ``workshop``."""
    errors = ss.get(ERRORS) or {}
    if ss.get(SAVED):
        st.success(t("paper.saved", n=ss[SAVED]), icon=":material/check:")
    with st.form("paper_form", border=True, clear_on_submit=False, enter_to_submit=False):
        st.markdown(f"**{t('paper.profile')}**")
        st.text_input(t("start.name"), key=f"{PREFIX}name", max_chars=200)
        sectors = dict(reference.sectors(lang))
        st.selectbox(t("start.sector"), list(sectors), index=None, key=f"{PREFIX}sector", format_func=sectors.get,
                     placeholder=t("start.choose_placeholder"))
        if errors.get("sector"):
            st.error(errors["sector"], icon=":material/error:")
        bands = dict(reference.size_bands(lang))
        st.radio(t("start.size"), list(bands), index=None, key=f"{PREFIX}size", format_func=bands.get, horizontal=True)
        if errors.get("size"):
            st.error(errors["size"], icon=":material/error:")
        provinces = dict(reference.provinces(lang))
        if f"{PREFIX}province" not in ss and workshop.province:
            ss[f"{PREFIX}province"] = workshop.province
        st.selectbox(t("start.province"), list(provinces), index=None, key=f"{PREFIX}province",
                     format_func=provinces.get, placeholder=t("start.choose_placeholder"))
        st.number_input(t("start.staff"), min_value=0, max_value=1_000_000, value=None, step=1, key=f"{PREFIX}staff")
        st.markdown(f"**{t('paper.consents')}**")
        st.checkbox(t("paper.consent"), key=f"{PREFIX}consent")
        st.checkbox(t("paper.share", who=common.plain(workshop.association or workshop.name)), key=f"{PREFIX}share")
        st.checkbox(t("paper.share_name"), key=f"{PREFIX}share_name")
        number = 0
        for pillar in q.pillars:
            st.markdown(f"#### {text(pillar.name, lang)}")
            for question in pillar.questions:
                number += 1
                code = f"{question.code} · " if question.code else ""
                st.markdown(f"**{number}. {text(question.text, lang)}**")
                st.caption(f"{code}{question.id}")
                if question.show_if is not None:
                    st.caption(t("paper.conditional"))
                _widget(question, lang)
                if errors.get(question.id):
                    st.error(errors[question.id], icon=":material/error:")
        if errors.get("form"):
            st.error(errors["form"], icon=":material/error:")
        if errors:
            st.error(t("paper.fix", n=len(errors)), icon=":material/error:")
        st.form_submit_button(t("paper.save"), key="paper_save", type="primary", on_click=_save,
                              args=(workshop.id, q.id))
