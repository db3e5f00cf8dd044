"""No traceback ever reaches the page: each page body runs inside ``guard``.

An unexpected error is logged with its traceback on the server and the visitor sees a
short message in their language with a reference to quote. Streamlit's own control flow
(``st.rerun``, ``st.switch_page``, ``st.stop``) derives from BaseException and passes through.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable

import streamlit as st

from ui.i18n import t

log = logging.getLogger("ui.errors")


def report(where: str) -> None:
    """Log the current exception and show the visitor a message they can act on."""
    ref = secrets.token_hex(3).upper()
    log.exception("unexpected error in %s (ref %s)", where, ref)
    st.error(t("error.unexpected", ref=ref), icon=":material/error:")


def guard(fn: Callable[[], None]) -> Callable[[], None]:
    @functools.wraps(fn)
    def run() -> None:
        try:
            fn()
        except Exception:
            report(getattr(fn, "__qualname__", "page"))

    return run


def section(where: str):
    """``with section("results.roadmap"):`` — one failing part does not take the page down."""
    return _Section(where)


class _Section:
    def __init__(self, where: str):
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None and issubclass(exc_type, Exception):
            report(self.where)
            return True
        return False


def callback(fn: Callable[..., None]) -> Callable[..., None]:
    """For ``on_change``/``on_click``: callbacks run before the page body, outside ``guard``.

    An unexpected error is logged with its traceback and the page shows the same short
    message (through the flash messages every page shows first)."""

    @functools.wraps(fn)
    def run(*args, **kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except Exception:
            ref = secrets.token_hex(3).upper()
            log.exception("unexpected error in callback %s (ref %s)", getattr(fn, "__qualname__", "?"), ref)
            from ui import state

            state.flash("error", t("error.unexpected", ref=ref))

    return run
