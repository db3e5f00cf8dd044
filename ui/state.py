"""The visitor's journey in ``st.session_state``, kept in step with the URL and the store.

Widgets forget their value when they are not rendered, so the answers live under a
permanent key (``answers``), copied in by each widget's ``on_change``. The resume code,
not the answers, goes in the URL (``?code=``), and every change is saved to the store, so a
reload or a visit days later restores everything.
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from scoring.model import FirmProfile, Questionnaire
from ui import resources
from ui.i18n import DEFAULT_LANG, LANGS, SESSION_KEY, normalise_lang

log = logging.getLogger(__name__)

CODE = "code"
QID = "qid"
ANSWERS = "answers"
STEP = "step"
RECORD = "record"
STEP_ERRORS = "step_errors"
SUBMIT_PROBLEMS = "submit_problems"
FLASH = "flash"
GOTO = "goto"
CODE_NOTICE = "code_notice"
SCROLL_TOP = "scroll_top"
RESULT_CACHE = "result_cache"
ROLE = "role"
PREVIOUS = "previous_answers"  # (follow-up id, the answers it follows)
JOIN = "join_ws"  # the workshop this visitor is joining (a store.Workshop), before they begin
TEAM_JOIN = "join_team"  # the team (store.teams.Team) a colleague is joining, before they begin
TEAM_PARAM = "team"
JOIN_ERROR = "join_error"
JOIN_PARAM = "join"

WIDGET_PREFIXES = ("q_", "na_")
_ASSESSMENT_KEYS = (CODE, QID, ANSWERS, STEP, RECORD, STEP_ERRORS, SUBMIT_PROBLEMS, CODE_NOTICE, RESULT_CACHE, "tab_token")

ss = st.session_state


def init() -> None:
    """Defaults for a new session; the language comes from ``?lang=`` (Vietnamese otherwise)."""
    if SESSION_KEY not in ss:
        ss[SESSION_KEY] = normalise_lang(st.query_params.get("lang")) or DEFAULT_LANG
    ss.setdefault(ANSWERS, {})
    ss.setdefault(STEP, 0)
    ss.setdefault(STEP_ERRORS, {})
    ss.setdefault(FLASH, [])


def lang() -> str:
    value = ss.get(SESSION_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def set_lang(value: str) -> None:
    if value in LANGS:
        ss[SESSION_KEY] = value


def code() -> str | None:
    return ss.get(CODE)


def answers() -> dict[str, Any]:
    return ss.setdefault(ANSWERS, {})


def record():
    return ss.get(RECORD)


def flash(kind: str, message: str) -> None:
    """A message for the next page shown (after a page switch)."""
    ss.setdefault(FLASH, []).append((kind, message))


def take_flash() -> list[tuple[str, str]]:
    items = list(ss.get(FLASH, []))
    ss[FLASH] = []
    return items


def goto(page: str) -> None:
    """Ask app.py to switch to ``page`` (callbacks cannot switch pages themselves)."""
    ss[GOTO] = page


# ------------------------------------------------------------------ URL

TAB = "tab_token"  # this tab's short-lived token (store/tabs.py), in the URL as ?t=
TAB_PARAM = "t"
OWN_TOKENS = "own_tab_tokens"  # every token this session put in the URL
LINK_PARAM = CODE  # ?code=…: the "continue later" link the owner chose to keep


def sync_from_url() -> str | None:
    """Restore the assessment the URL names, when this session did not put it there itself.

    ``?code=`` is a "continue later" link the owner kept: it is read once, and the address
    bar gets a tab token in its place. ``?t=`` is this tab's token after a reload. Returns
    "bad_code" for a link that opens nothing, "expired" for a token that no longer does, else
    None.
    """
    raw = st.query_params.get(LINK_PARAM)
    if raw:
        del st.query_params[LINK_PARAM]  # never left in the address bar
        if raw == ss.get("link_seen") or canonical(raw) == ss.get(CODE):
            return None
        ss["link_seen"] = raw  # read once per session, whatever the address bar still says
        rec = restore(raw)
        if rec is None:
            return "bad_code"
        goto("results" if rec.submitted else "questionnaire")  # straight back to where it stands
        return None
    token = st.query_params.get(TAB_PARAM)
    own = ss.setdefault(OWN_TOKENS, set())
    if not token or token == ss.get(TAB) or token in own:
        return None  # ours: this session put it there (perhaps for an assessment it has left)
    own.add(token)
    found = resources.get_store().tab_code(token)
    if found is None or restore(found, token=token) is None:
        del st.query_params[TAB_PARAM]
        return "expired"
    return None


def sync_to_url() -> None:
    """The URL carries the language and this tab's token (never the code, never the answers)."""
    if st.query_params.get("lang") != lang():
        st.query_params["lang"] = lang()
    current = ss.get(CODE)
    if current:
        token = ss.get(TAB)
        if token is None:
            token = resources.get_store().open_tab(current)
            ss[TAB] = token
        if token and st.query_params.get(TAB_PARAM) != token:
            st.query_params[TAB_PARAM] = token
        if token:
            ss.setdefault(OWN_TOKENS, set()).add(token)
    elif TAB_PARAM in st.query_params:
        del st.query_params[TAB_PARAM]


def continue_link(base: str, code_: str) -> str:
    """The link the owner may keep to come back (it holds the code: theirs to keep safe)."""
    return f"{base}/?{LINK_PARAM}={code_}"


# ------------------------------------------------------------------ assessment


def clear_widgets() -> None:
    for key in list(ss.keys()):
        if isinstance(key, str) and key.startswith(WIDGET_PREFIXES):
            del ss[key]


def forget() -> None:
    """Drop the assessment from this session (the store keeps it unless deleted)."""
    for key in _ASSESSMENT_KEYS:
        ss.pop(key, None)
    ss[ANSWERS] = {}
    ss[STEP] = 0
    ss[STEP_ERRORS] = {}
    clear_widgets()


def adopt(rec, code_: str, token: str | None = None) -> None:
    """Make ``rec`` (with its resume code) this session's assessment; ``token`` is the tab
    token that brought it back after a reload (else the next URL sync opens a new one)."""
    forget()
    ss[CODE] = code_
    ss[QID] = rec.questionnaire_id
    ss[ANSWERS] = dict(rec.answers or {})
    ss[STEP] = int(rec.step or 0)
    ss[RECORD] = rec
    ss[SCROLL_TOP] = True
    if token:
        ss[TAB] = token
        ss.setdefault(OWN_TOKENS, set()).add(token)


def restore(code_: str, token: str | None = None):
    """Load the assessment of a typed or linked code; None when no assessment has it."""
    code_ = (code_ or "").strip()
    if not code_:
        return None
    rec = resources.get_store().load(code_)
    if rec is None:
        return None
    adopt(rec, canonical(code_), token)
    return rec


def canonical(code_: str) -> str:
    """``abcd efgh jkmn`` → ``ABCD-EFGH-JKMN`` (the form shown to the visitor)."""
    raw = "".join(ch for ch in code_.upper() if ch.isalnum())
    if len(raw) == 12:
        return "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    return code_.strip()


def start(
    q: Questionnaire,
    profile: FirmProfile,
    consent: bool,
    *,
    round: str = "baseline",
    previous_code: str | None = None,
    sharing: dict[str, bool] | None = None,
    prefill: dict[str, Any] | None = None,
    role: str | None = None,
) -> str:
    """Create a draft in the store and make it this session's assessment; returns the code.

    A visitor joining a workshop (``JOIN``) starts the draft in that workshop, with what they
    share with the association (``sharing``: share_results, share_name, send_pdf); a colleague
    joining a team (``TEAM_JOIN``) starts theirs for the team's firm in ``role``."""
    workshop = ss.get(JOIN)
    team = ss.get(TEAM_JOIN)
    store = resources.get_store()
    if team is not None and role:
        rec, new_code = store.join_team(team.code, q, role, language=lang())
        leave_team()
    elif workshop is not None and round == "baseline" and previous_code is None:
        rec, new_code = store.join_workshop(
            workshop.join_code, q, profile, language=lang(), consent=consent, **(sharing or {})
        )
        leave_workshop()  # joined: the draft carries the workshop from here on
    else:
        rec, new_code = store.create_draft(
            q, profile, language=lang(), consent=consent, round=round, previous_code=previous_code
        )
    if prefill:  # a follow-up starts from the previous answers (saved at once: a reload keeps them)
        rec = store.save_draft(new_code, dict(prefill))
    adopt(rec, new_code)
    ss[CODE_NOTICE] = True
    return new_code


def answers_that_fit(q: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers that are still valid answers to ``q`` (an earlier version may have asked
    other questions or offered other options)."""
    from scoring.engine import check_answer

    ids = {question.id: question for _, question in q.questions()}
    return {qid: v for qid, v in (answers or {}).items() if qid in ids and not check_answer(ids[qid], v)}


def previous_answers() -> dict[str, Any]:
    """The answers of the assessment this follow-up follows (empty for a first assessment),
    loaded once per session."""
    rec = record()
    if rec is None or rec.round != "follow_up" or rec.previous_id is None:
        return {}
    cached = ss.get(PREVIOUS)
    if cached is None or cached[0] != rec.id:
        before = resources.get_store().get(rec.previous_id)
        cached = (rec.id, dict(before.answers) if before is not None else {})
        ss[PREVIOUS] = cached
    return cached[1]


# ------------------------------------------------------------------ workshops


def join(code_: str | None) -> str | None:
    """Make the workshop with this join code the one this visitor joins (its questionnaire,
    province and language preset on the Start page). Returns None when done, else why not:
    "unknown" or "closed"."""
    found = resources.get_store().workshop_by_code(code_ or "")
    if found is None:
        return "unknown"
    if not found.is_open:
        return "closed"
    if ss.get(JOIN) is None or ss[JOIN].id != found.id:
        ss[JOIN] = found
        if found.province:
            ss["start_province"] = found.province
        ss["start_questionnaire"] = found.questionnaire_id
    return None


def leave_workshop() -> None:
    ss.pop(JOIN, None)
    if JOIN_PARAM in st.query_params:
        del st.query_params[JOIN_PARAM]


def sync_join_from_url() -> None:
    """``?join=CODE`` (the projector's QR code and link): join that workshop once per code."""
    raw = st.query_params.get(JOIN_PARAM)
    if not raw or raw == ss.get("join_seen"):
        return
    ss["join_seen"] = raw
    why = join(raw)
    if why is None:
        found = ss[JOIN]
        if "lang" not in st.query_params and found.language in LANGS:
            set_lang(found.language)
        goto("start")
    else:
        ss[JOIN_ERROR] = why
        del st.query_params[JOIN_PARAM]
        goto("start")


def save(step: int | None = None) -> None:
    """Save the answers (and the step) to the store."""
    current = ss.get(CODE)
    if not current:
        return
    rec = resources.get_store().save_draft(current, dict(answers()), step=step, language=lang())
    ss[RECORD] = rec


# ------------------------------------------------------------------ teams


def join_team(code_: str | None) -> str | None:
    """Make the team with this code the one this visitor joins as a colleague. None when
    done, else why not: "unknown" or "closed"."""
    found = resources.get_store().team_by_code(code_ or "")
    if found is None:
        return "unknown"
    if not found.is_open:
        return "closed"
    ss[TEAM_JOIN] = found
    return None


def leave_team() -> None:
    ss.pop(TEAM_JOIN, None)
    if TEAM_PARAM in st.query_params:
        del st.query_params[TEAM_PARAM]


def sync_team_from_url() -> None:
    """``?team=CODE`` (the owner's invitation link or QR code): join that team once per code."""
    raw = st.query_params.get(TEAM_PARAM)
    if not raw or raw == ss.get("team_seen"):
        return
    ss["team_seen"] = raw
    why = join_team(raw)
    if why is not None:
        ss[JOIN_ERROR] = f"team_{why}"
        del st.query_params[TEAM_PARAM]
    elif "lang" not in st.query_params and ss[TEAM_JOIN].language in LANGS:
        set_lang(ss[TEAM_JOIN].language)
    goto("start")


def team_of_current():
    """(team, role) of this session's assessment, or None."""
    rec = record()
    if rec is None:
        return None
    return resources.get_store().team_of(rec.id)
