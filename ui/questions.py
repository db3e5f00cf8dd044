"""One widget (or a small group) per question type, bound to the permanent answers.

``WIDGETS`` maps each question type to how it is drawn and how its widgets' value is read:
the one place the page branches on the type (what a type *means* is its class's, in
``scoring.questions``). Every widget has a stable key (``q_<question id>``, ``q_<question id>__<row or option>``,
``na_<question id>`` for "not applicable"); its value is copied into ``answers`` by its
``on_change`` and saved at once, and a widget that was not rendered last run is seeded
from ``answers`` before it is drawn. No scoring here: the engine decides what counts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st

from scoring.engine import NA, check_answer, is_empty
from scoring.formats import formats
from scoring.model import (
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    QuestionBase,
    ScaleQuestion,
    SingleQuestion,
    TextQuestion,
)
from ui import state
from ui.i18n import t, text
from ui.safe import callback

log = logging.getLogger(__name__)

ss = st.session_state


def key(qid: str, part: str | None = None) -> str:
    return f"q_{qid}" if part is None else f"q_{qid}__{part}"


def na_key(qid: str) -> str:
    return f"na_{qid}"


# ------------------------------------------------------------------ saving


def _save() -> None:
    """Save after every answer, so a reload or a closed tab loses nothing."""
    try:
        state.save(step=ss.get(state.STEP))
        ss.pop("save_failed", None)
    except Exception:
        log.exception("saving the draft failed")
        ss["save_failed"] = True


def _set(qid: str, value: Any) -> None:
    answers = state.answers()
    if is_empty(value):
        answers.pop(qid, None)
    else:
        answers[qid] = value
        ss.get(state.STEP_ERRORS, {}).pop(qid, None)
    _save()


# ------------------------------------------------------------------ callbacks


@callback
def _on_choice(qid: str) -> None:
    _set(qid, ss.get(key(qid)))


@callback
def _on_text(qid: str) -> None:
    value = ss.get(key(qid)) or ""
    _set(qid, value if value.strip() else None)


def _multi_value(q: MultiQuestion) -> list[str]:
    return [o.id for o in q.options if ss.get(key(q.id, o.id))]


@callback
def _on_multi(q: MultiQuestion, changed: str) -> None:
    by_id = {o.id: o for o in q.options}
    if ss.get(key(q.id, changed)):
        # "none of these" clears the others; ticking another clears "none of these"
        for o in q.options:
            if o.id != changed and (by_id[changed].exclusive or o.exclusive):
                ss[key(q.id, o.id)] = False
    _set(q.id, _multi_value(q))


def _matrix_value(q: MatrixQuestion) -> dict[str, str]:
    return {r.id: ss[key(q.id, r.id)] for r in q.rows if ss.get(key(q.id, r.id)) is not None}


@callback
def _on_matrix(q: MatrixQuestion) -> None:
    _set(q.id, _matrix_value(q))


@callback
def _on_number(qid: str) -> None:
    _set(qid, ss.get(key(qid)))


def _one_value(q: QuestionBase) -> Any:
    return ss.get(key(q.id))


@callback
def _on_na(q: QuestionBase) -> None:
    _set(q.id, NA if ss.get(na_key(q.id)) else WIDGETS[q.type].value(q))


# ------------------------------------------------------------------ seeding


def _seed(k: str, value: Any) -> None:
    """Give a widget its saved value when it was not on screen last run."""
    if k not in ss and value is not None:
        ss[k] = value


def _with_na(q: QuestionBase, ids: list[Any], labels: dict[Any, str]) -> tuple[list[Any], dict[Any, str]]:
    if q.allow_na:
        ids.append(NA)
        labels[NA] = t("q.na")
    return ids, labels


def _option_choices(q: SingleQuestion, lang: str) -> tuple[list[Any], dict[Any, str]]:
    return _with_na(q, q.option_ids(), {o.id: o.label.get(lang) for o in q.options})


def _scale_choices(q: ScaleQuestion, lang: str) -> tuple[list[Any], dict[Any, str]]:
    """A scale's steps, each with its words where it has them."""
    labels = {v: f"{v} · {q.anchors[v].get(lang)}" if v in q.anchors else str(v) for v in q.steps()}
    return _with_na(q, q.steps(), labels)


# ------------------------------------------------------------------ rendering


def render(q: QuestionBase, number: int, lang: str, error: str | None = None, previous: Any = None) -> None:
    """A question in its own bordered box: text, help, the input, and its error if any.
    ``previous``: the answer of the assessment a follow-up follows, shown under the question
    (and whether the answer now differs)."""
    value = state.answers().get(q.id)
    with st.container(border=True, key=f"qbox_{q.id}"):
        title = f"**{number}. {text(q.text, lang)}**"
        if not q.required and q.marks_optional:
            title += f" _({t('q.optional')})_"
        st.markdown(title)
        if q.help is not None:
            st.caption(text(q.help, lang))
        WIDGETS[q.type].draw(q, value, lang, text(q.text, lang))
        if previous is not None and not is_empty(previous):
            said = answer_text(q, previous, lang)
            same = _same(value, previous)
            st.caption(t("q.previous_same" if same else "q.previous_changed", answer=said))
        if error:
            st.error(error, icon=":material/error:")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return a == b


def _na_box(q: QuestionBase, value: Any) -> bool:
    if not q.allow_na:
        return False
    _seed(na_key(q.id), True if value == NA else None)
    return st.checkbox(t("q.na"), key=na_key(q.id), on_change=_on_na, args=(q,))


def _multi(q: MultiQuestion, value: Any, lang: str, label: str) -> None:
    ticked = set(value) if isinstance(value, list) else set()
    for o in q.options:
        _seed(key(q.id, o.id), True if o.id in ticked else None)
    na = _na_box(q, value) if q.allow_na else False
    st.caption(t("q.multi_hint"))
    for o in q.options:
        st.checkbox(o.label.get(lang), key=key(q.id, o.id), on_change=_on_multi, args=(q, o.id), disabled=na)


def _matrix(q: MatrixQuestion, value: Any, lang: str, label: str) -> None:
    given = value if isinstance(value, dict) else {}
    ids = q.option_ids()
    labels = {o.id: o.label.get(lang) for o in q.options}
    na = _na_box(q, value)
    for r in q.rows:
        _seed(key(q.id, r.id), given.get(r.id) if given.get(r.id) in ids else None)
        st.radio(
            r.label.get(lang), ids, index=None, key=key(q.id, r.id), format_func=labels.get,
            on_change=_on_matrix, args=(q,), horizontal=True, disabled=na,
        )


def _number(q: NumberQuestion, value: Any, lang: str, label: str) -> None:
    whole = q.whole()
    cast = int if whole else float
    na = _na_box(q, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        _seed(key(q.id), cast(value))
    unit = text(q.unit, lang) if q.unit is not None else ""
    st.number_input(
        f"{label} ({unit})" if unit else label,
        min_value=cast(q.min), max_value=cast(q.max), value=None, step=1 if whole else None,
        key=key(q.id), on_change=_on_number, args=(q.id,), disabled=na,
        placeholder=t("q.number_placeholder", min=formats(lang).number(q.min), max=formats(lang).number(q.max),
                      unit=unit).strip(),
        label_visibility="collapsed",
    )
    if unit:
        st.caption(t("q.unit", unit=unit))


def _text(q: TextQuestion, value: Any, lang: str, label: str) -> None:
    _seed(key(q.id), value if isinstance(value, str) else None)
    st.text_area(
        label, key=key(q.id), max_chars=q.max_length, on_change=_on_text, args=(q.id,),
        label_visibility="collapsed", placeholder=t("q.text_placeholder"),
    )


def _radio(q: QuestionBase, value: Any, label: str, ids: list[Any], labels: dict[Any, str],
           horizontal: bool = False) -> None:
    _seed(key(q.id), value if value in ids else None)
    st.radio(
        label, ids, index=None, key=key(q.id), format_func=labels.get, on_change=_on_choice, args=(q.id,),
        label_visibility="collapsed", horizontal=horizontal,
    )


def _choice(q: SingleQuestion, value: Any, lang: str, label: str, horizontal: bool = False) -> None:
    _radio(q, value, label, *_option_choices(q, lang), horizontal=horizontal)


def _scale(q: ScaleQuestion, value: Any, lang: str, label: str) -> None:
    _radio(q, value, label, *_scale_choices(q, lang))


@dataclass(frozen=True)
class Widget:
    """How a question type is asked: ``draw(q, value, lang, label)``; ``value(q)`` reads its
    widgets back (after "not applicable" is unticked); ``invalid``: the message key of an answer
    its type refuses."""

    draw: Callable[..., None]
    value: Callable[[Any], Any] = _one_value
    invalid: str = "q.invalid"


WIDGETS: dict[str, Widget] = {
    "single": Widget(_choice),
    "yesno": Widget(partial(_choice, horizontal=True)),
    "scale": Widget(_scale),
    "multi": Widget(_multi, _multi_value),
    "matrix": Widget(_matrix, _matrix_value, "q.matrix_incomplete"),
    "number": Widget(_number),
    "text": Widget(_text),
}


# ------------------------------------------------------------------ checking a step


def problem_message(q: QuestionBase, value: Any) -> str | None:
    """Why this visible question blocks "next", in words; None when it is fine."""
    if is_empty(value):
        return t("q.required") if q.required else None
    if check_answer(q, value):
        return t(WIDGETS[q.type].invalid)
    return None


def answer_text(q: QuestionBase, value: Any, lang: str) -> str:
    """An answer in words, for showing it back (e.g. "what is working"): the question's type says how."""
    if value == NA:
        return t("q.na")
    return q.answer_words(value, lang)
