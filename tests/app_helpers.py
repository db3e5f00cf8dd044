"""Helpers for the AppTest page tests (no browser): open the app, read what it says, check no
traceback reached the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.e2e_helpers import APP


def new_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=60)


def texts(at) -> str:
    """Everything the page says, as one string (for "is this shown?" checks)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "info", "warning", "success", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def no_traceback(at, expect_unexpected: bool = False) -> None:
    """No exception reached the page, and (unless a test provokes one) no page hit the
    "unexpected error" guard either."""
    assert not at.exception, [e.value for e in at.exception]
    if not expect_unexpected:
        unexpected = [e.value for e in at.error if "ngoài dự kiến" in e.value or "unexpected" in e.value]
        assert not unexpected, unexpected


def signed_in(user: str, password: str, page: str | None = None) -> AppTest:
    """The app, signed in as ``user`` through the sign-in page, then on ``page`` if given."""
    at = new_app()
    at.session_state["goto"] = "login"
    at.run()
    at.text_input(key="login_user").set_value(user)
    at.text_input(key="login_password").set_value(password)
    at.button(key="login_go").click().run()
    no_traceback(at)
    if page is not None:
        at.session_state["goto"] = page
        at.run()
        no_traceback(at)
    return at
