"""The PDFs: the owner's roadmap (``render_pdf``), the blank paper form (``render_blank_form``),
a workshop room's summary (``render_room_summary``) and the programme staff brief
(``render_staff_brief``); their plain input data in ``report.models``."""

from report.brief import render_staff_brief
from report.forms import render_blank_form
from report.pdf import render_pdf
from report.room import render_room_summary

__all__ = ["render_blank_form", "render_pdf", "render_room_summary", "render_staff_brief"]
