"""Heavy, shared things, built once per process (``st.cache_resource``): questionnaires,
the platform catalogue, the profile reference lists and the store.

Everything here is read-only or thread-safe: one object serves every session.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import streamlit as st

from scoring.loader import BUNDLED_DIR, QuestionnaireError, bundled_paths, load_questionnaire
from scoring.model import Questionnaire

log = logging.getLogger(__name__)

QUESTIONNAIRE_DIR_ENV = "QUESTIONNAIRE_DIR"


def questionnaire_dir() -> Path:
    """Where the questionnaires are: ``QUESTIONNAIRE_DIR`` when set, else the bundled folder."""
    return Path(os.environ.get(QUESTIONNAIRE_DIR_ENV) or BUNDLED_DIR)


@st.cache_resource(show_spinner=False, max_entries=64)
def _load(path: str, mtime: float) -> Questionnaire:
    return load_questionnaire(path)


@dataclass
class Available:
    """The questionnaires that loaded, and the problems of those that did not."""

    questionnaires: list[Questionnaire] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def get(self, questionnaire_id: str) -> Questionnaire | None:
        for q in self.questionnaires:
            if q.id == questionnaire_id:
                return q
        return None


def available() -> Available:
    """Every questionnaire in the folder, shortest first (the quick check leads).

    A broken file does not hide the others: its problems are collected for the page to show.
    Visitors see them, so they name the file only, never a server path; the log has it all.
    """
    out = Available()
    folder = questionnaire_dir()
    try:
        paths = bundled_paths(folder)
    except OSError as exc:
        log.error("questionnaire folder %s cannot be read: %s", folder, exc)
        out.problems.append(f"{folder.name}: cannot be read")
        return out
    if not paths:
        log.error("questionnaire folder %s has no *.yaml file", folder)
        out.problems.append(f"{folder.name}: no questionnaire (*.yaml) found")
    for path in paths:
        try:
            out.questionnaires.append(_load(str(path.resolve()), path.stat().st_mtime))
        except QuestionnaireError as exc:
            log.error("questionnaire %s failed to load:\n%s", path, exc)
            out.problems += [str(replace(p, file=path.name)) for p in exc.problems]
        except Exception as exc:  # unreadable file, bad encoding …: its message may hold a path
            log.exception("questionnaire %s failed to load", path)
            out.problems.append(f"{path.name}: cannot be loaded ({type(exc).__name__})")
    out.questionnaires.sort(key=lambda q: (len(q.questions()), q.id))
    return out


def questionnaire(questionnaire_id: str) -> Questionnaire | None:
    return available().get(questionnaire_id)


def questionnaire_for(record) -> Questionnaire | None:
    """The version an assessment was answered on: the file's when it is still that version,
    else the one the store kept (so a result, or a draft started on an older version, opens
    on its own version after the file changed); None when neither has it."""
    current = questionnaire(record.questionnaire_id)
    if current is not None and current.content_hash == record.questionnaire_hash:
        return current
    try:
        stored = get_store().questionnaire_for(record)
    except Exception:  # the page says the questionnaire cannot be loaded
        log.exception("stored questionnaire version of assessment %s failed to load", record.id)
        stored = None
    return stored if stored is not None else current


@st.cache_resource(show_spinner=False)
def _store(url: str | None):
    from store import open_store

    return open_store(url)


def get_store():
    """The store for ``DATABASE_URL`` (a test sets its own temporary SQLite file)."""
    return _store(os.environ.get("DATABASE_URL") or None)


@st.cache_resource(show_spinner=False)
def catalogue():
    from scoring.catalogue import load_catalogue

    return load_catalogue()


@st.cache_resource(show_spinner=False)
def profile_reference():
    from scoring.profile import load_profile_reference

    return load_profile_reference()


@st.cache_resource(show_spinner=False)
def warm_up() -> bool:
    """Once per process: load the heavy things, then move everything alive into the garbage
    collector's permanent generation (gc.freeze), so later full collections skip the big,
    long-lived heap of libraries and models and no rerun pays for walking it."""
    import gc

    try:
        available()
        get_store()
    except Exception:  # the pages report these problems themselves
        log.exception("warming up failed")
    gc.collect()
    gc.freeze()
    return True
