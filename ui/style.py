"""The app's own stylesheet, set on every page: what Streamlit's theme options cannot say.

- The copy button of a code box (the resume code) is shown at all times: on a phone there is
  no hover to reveal it.
- A visible focus ring on options, buttons and the menu links (keyboard users).
- Body text of at least 16 px on a phone.
- Streamlit's "Skip to main content" link speaks the page's language (ui/scripts.py).
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

_CSS = """
[data-testid="stCode"] div:has([data-testid="stElementToolbarButton"]),
[data-testid="stCode"] [data-testid="stElementToolbarButton"],
[data-testid="stCode"] [data-testid="stBaseButton-elementToolbar"] {
  opacity: 1 !important; visibility: visible !important;
}
[data-testid="stCode"] [data-testid="stBaseButton-elementToolbar"] {
  border: 1px solid #90a4ae; background: #ffffff;
}
[data-testid="stCode"] pre { padding-right: 3.2rem !important; }
label:has(input[type="radio"]:focus-visible), label:has(input[type="checkbox"]:focus-visible),
button:focus-visible, a:focus-visible, [role="tab"]:focus-visible, input:focus-visible, textarea:focus-visible {
  outline: 3px solid #0d47a1 !important; outline-offset: 2px;
}
@media (max-width: 640px) {
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
  [data-testid="stWidgetLabel"] p, label p { font-size: 16px !important; }
}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #455a64 !important; }
"""

def apply() -> None:
    """The stylesheet, and the skip link's words in the page's language."""
    from ui import scripts

    st.html(f"<style>{_CSS}</style>")
    scripts.run("skip", text=t("app.skip_to_content"))
