"""The PDFs: the owner's roadmap (``render_pdf``), the blank paper form (``render_blank_form``),
a workshop room's summary (``render_room_summary``) and the programme staff brief
(``render_staff_brief``); their plain input data in ``report.models``.

The four functions are imported on first use (PEP 562): a page that needs only the wording
helpers (``report.text``) does not load ReportLab, which costs a server's first page ~0.2 s.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "render_staff_brief": "report.brief",
    "render_blank_form": "report.forms",
    "render_pdf": "report.pdf",
    "render_room_summary": "report.room",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'report' has no attribute {name!r}")
