"""The building blocks every PDF of the project shares: page geometry, colours, paragraph
styles in DejaVu Sans, table helpers, the header and "page X of Y" footer, and the document
build (``build_pdf``). ``report.pdf`` (the roadmap), ``report.forms`` (the blank paper form),
``report.room`` (a workshop room's summary) and ``report.brief`` (the programme staff brief)
are written with them.

Text from users and data files goes through ``para`` (cleaned for the font, markup escaped)
before it reaches a Paragraph; strings of ``report.text`` are ours and may hold simple markup.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from report import charts
from report.fonts import FONT, FONT_BOLD, clean, fit, register
from report.text import t

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
W = PAGE_W - 2 * MARGIN_X  # frame width

INK = charts.INK
MUTED = charts.MUTED
ACCENT = charts.FIRM
RULE = colors.HexColor("#cfd8dc")
PALE = colors.HexColor("#f3f6f9")
HEAD_BG = colors.HexColor("#e3ecf7")
SMALL = "<font size='7.5' color='#607d8b'>"  # the small grey print of a mixed table cell
MAX_NAME = 200  # characters of a name printed: a pasted book must not take minutes to lay out


# ---------------------------------------------------------------- text helpers


def para(text: Any, limit: int | None = None) -> str:
    """User or data text as Paragraph markup: cleaned for the font, escaped, newlines kept."""
    s = clean(text)
    if limit is not None and len(s) > limit:
        s = s[:limit].rstrip() + "…"
    return escape(s).replace("\n", "<br/>")


def bounded(text: Any, limit: int = MAX_NAME) -> str:
    """User text cleaned for the font and cut to ``limit`` characters with "…".

    The raw text is cut first (to a few times the limit) so that a million characters are never
    normalised, measured or broken into lines; the logical order is kept (``clean`` with
    ``visual=False``): ``para`` and the header put right-to-left runs in visual order later.
    """
    if text is None:
        return ""
    raw = str(text)[: limit * 4]
    s = clean(raw, visual=False).strip()
    if len(s) > limit:
        s = s[:limit].rstrip() + "…"
    return s


# ---------------------------------------------------------------- styles


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register()
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, bulletFontName=FONT,
        spaceAfter=4, splitLongWords=1, allowWidows=0, allowOrphans=0,
    )

    def s(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "small": s("small", fontSize=8, leading=10.5, textColor=MUTED),
        "cell": s("cell", fontSize=8.5, leading=11, spaceAfter=0),
        "cell_b": s("cell_b", fontName=FONT_BOLD, fontSize=8.5, leading=11, spaceAfter=0),
        "cell_mixed": s("cell_mixed", fontSize=8.5, leading=11, spaceAfter=0),
        "cell_small": s("cell_small", fontSize=7.5, leading=9.5, spaceAfter=0, textColor=MUTED),
        "th": s("th", fontName=FONT_BOLD, fontSize=8.5, leading=11, spaceAfter=0),
        "h1": s("h1", fontName=FONT_BOLD, fontSize=17, leading=21, spaceBefore=16, spaceAfter=8,
                textColor=ACCENT, keepWithNext=1),
        "h2": s("h2", fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=5, keepWithNext=1),
        "h3": s("h3", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3, keepWithNext=1),
        "bullet": s("bullet", leftIndent=12, bulletIndent=2, spaceAfter=2),
        "num": s("num", leftIndent=16, bulletIndent=0, spaceAfter=4, bulletFontName=FONT_BOLD),
        "cover_tool": s("cover_tool", fontName=FONT_BOLD, fontSize=13, leading=16, textColor=ACCENT),
        "cover_sub": s("cover_sub", fontSize=9.5, leading=12, textColor=MUTED),
        "cover_title": s("cover_title", fontName=FONT_BOLD, fontSize=24, leading=30, spaceBefore=20,
                         spaceAfter=16),
        "cover_label": s("cover_label", fontSize=9, leading=11, textColor=MUTED, spaceAfter=1),
        "cover_name": s("cover_name", fontName=FONT_BOLD, fontSize=18, leading=23, spaceAfter=10),
        "cover_meta": s("cover_meta", fontSize=10.5, leading=14, spaceAfter=2),
        "level_label": s("level_label", fontSize=10, leading=13, alignment=TA_CENTER, textColor=MUTED),
        "level_big": s("level_big", fontName=FONT_BOLD, fontSize=26, leading=32, alignment=TA_CENTER),
        "level_pts": s("level_pts", fontSize=10.5, leading=14, alignment=TA_CENTER),
        "badge": s("badge", fontName=FONT_BOLD, fontSize=9.5, leading=12, alignment=TA_CENTER,
                   textColor=colors.HexColor("#8d4b00")),
        "code_big": s("code_big", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=0),
        "tick": s("tick", fontSize=9, leading=12, leftIndent=15, bulletIndent=0, bulletFontSize=12, spaceAfter=1),
        "tick_centre": s("tick_centre", fontSize=10, leading=13, alignment=TA_CENTER, spaceAfter=0),
        "scale_word": s("scale_word", fontSize=7, leading=8.5, alignment=TA_CENTER, textColor=MUTED, spaceAfter=0),
        "th_centre": s("th_centre", fontName=FONT_BOLD, fontSize=7.5, leading=9.5, alignment=TA_CENTER, spaceAfter=0),
        "box_centre": s("box_centre", fontSize=12, leading=14, alignment=TA_CENTER, spaceAfter=0),
        "form_q": s("form_q", fontSize=9.5, leading=12.5, spaceBefore=2, spaceAfter=2),
        "form_help": s("form_help", fontSize=8, leading=10, textColor=MUTED, spaceAfter=2),
        "form_cond": s("form_cond", fontName=FONT_BOLD, fontSize=8, leading=10, textColor=colors.HexColor("#8d4b00"),
                       spaceAfter=2),
        "form_how": s("form_how", fontName=FONT_BOLD, fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=2),
        "caption": s("caption", fontSize=8, leading=10, textColor=MUTED, alignment=TA_CENTER),
        "phase": s("phase", fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceAfter=0, alignment=TA_LEFT),
    }


class Para(Paragraph):
    """A Paragraph that breaks its lines once per width.

    ReportLab asks a paragraph for its size again and again: a table cell is wrapped when the
    table is measured (``heads_with_table`` measures it once before layout), again at layout,
    again for every split of a long table and once more when the cell is drawn; each wrap
    re-runs the line breaking, which measures every word. The lines depend only on the text,
    the style and the width, so a second wrap at the same width returns the first one's
    result: the same lines, the same bytes, a fraction of the time (the breaking was about
    two thirds of a long report's render time).
    """

    _memo: tuple[float, float, float, Any, Any, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        memo = self._memo
        if memo is not None and memo[0] == availWidth:
            _, self.width, self.height, self.blPara, self._wrapWidths, self._width_max = memo
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        blpara = getattr(self, "blPara", None)
        if blpara is not None:  # (a width too narrow to break at returns early, with no lines)
            self._memo = (availWidth, width, height, blpara, self._wrapWidths, getattr(self, "_width_max", 0))
        return width, height


def P(text: str, style: str = "body", **kw: Any) -> Paragraph:  # noqa: N802
    return Para(text, styles()[style], **kw)


def M(markup: str, col_width: float, style: str = "cell") -> Paragraph | str:  # noqa: N802
    """A table cell: plain one-line text as a string (drawn directly, nothing to parse or wrap),
    anything else as a Paragraph. Markup without '<' or '&' is exactly its plain text."""
    st = styles()[style]
    if (
        "<" not in markup
        and "&" not in markup
        and "\n" not in markup
        and st.fontName == FONT
        and stringWidth(markup, FONT, st.fontSize) <= col_width - 9
    ):
        return markup
    return Para(markup, st)


def grid(extra: Iterable[tuple] = (), header: bool = True) -> TableStyle:
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # string cells (see M) look like the "cell" style
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        cmds += [("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT)]
    return TableStyle(cmds + list(extra))


def table(rows: list[list[Any]], widths: list[float], extra: Iterable[tuple] = (), header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    table.setStyle(grid(extra, header))
    return table


def heads_with_table(heads: list[Flowable], table: Table, rows: int = 1) -> list[Flowable]:
    """Headings followed by a long table that may run over pages.

    ``keepWithNext`` on a heading would bind it to the WHOLE table: a table a little too long
    for the rest of the page then moves entirely to the next one and leaves the page half
    empty. Instead the headings go to a new page only when they, the table's header row and its
    first ``rows`` rows do not fit; the table then splits where it must (its header repeats),
    never leaving a single row alone on either page.
    """
    n = len(table._cellvalues)
    if n >= 5:  # a split leaves at least two rows on either side: no lone row on a page
        table.setStyle(TableStyle([("NOSPLIT", (0, 1), (-1, 2)), ("NOSPLIT", (0, n - 2), (-1, n - 1))]))
        rows = max(rows, 2)
    else:  # too short to split without leaving one row alone: it moves whole, with its headings
        table.setStyle(TableStyle([("NOSPLIT", (0, 0), (-1, -1))]))
        rows = n - 1
    need = 0.0
    for h in heads:
        h.keepWithNext = 0
        need += h.wrap(W, PAGE_H)[1] + h.getSpaceBefore() + h.getSpaceAfter()
    table.wrap(W, PAGE_H)
    heights = list(getattr(table, "_rowHeights", None) or [])
    need += sum(heights[: 1 + rows]) + 4
    return [CondPageBreak(need), *heads, table]


# ---------------------------------------------------------------- header, footer, page numbers


class Decor:
    """What the header and footer say (the same on every page but the numbers)."""

    def __init__(self, lang: str, firm: str, footer: str, when: str):
        self.lang = lang
        self.firm = firm
        self.footer = footer
        self.when = when

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        top = PAGE_H - 12 * mm
        canvas.setFont(FONT_BOLD, 8)
        canvas.setFillColor(ACCENT)
        tool = t(self.lang, "tool_name")
        canvas.drawString(MARGIN_X, top, tool)
        used = canvas.stringWidth(tool, FONT_BOLD, 8) + 12
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        if self.firm:
            canvas.drawRightString(PAGE_W - MARGIN_X, top, fit(self.firm, 8, W - used))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 4, PAGE_W - MARGIN_X, top - 4)
        bottom = 11 * mm
        canvas.line(MARGIN_X, bottom + 10, PAGE_W - MARGIN_X, bottom + 10)
        number = t(self.lang, "page_of", x=page, y=total)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(PAGE_W - MARGIN_X, bottom, number)
        room = W - canvas.stringWidth(number, FONT, 8) - 16
        canvas.drawString(MARGIN_X, bottom, fit(" · ".join(x for x in (self.footer, self.when) if x), 8, room))
        canvas.restoreState()


class NumberedCanvas(Canvas):
    """Keeps each page until the end so that the footer can say "page X of Y" in one pass."""

    def __init__(self, *args: Any, decor: Decor, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._decor.draw(self, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


# ---------------------------------------------------------------- the document


_BUILD_LOCK = threading.Lock()


def build_pdf(
    story: list[Flowable],
    decor: Decor,
    *,
    lang: str,
    title: str,
    subject: str,
    keywords: str = "",
) -> bytes:
    """The story laid out on A4 with the header and numbered footer. ``invariant=1``: the same
    story gives the same bytes (no creation date, no random ids)."""
    register()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=t(lang, "tool_name"),
        subject=subject,
        creator=t(lang, "tool_name"),
        keywords=keywords,
        lang="vi-VN" if lang == "vi" else "en",
        invariant=1,
        initialFontName=FONT,
        initialFontSize=9.5,
        initialLeading=13,
    )

    def canvasmaker(*args: Any, **kwargs: Any) -> Canvas:
        return NumberedCanvas(*args, decor=decor, **kwargs)

    # One document at a time per process: ReportLab's TrueType fonts are shared objects whose
    # subsetting state is not thread-safe (two threads laying out at once met an IndexError in
    # the font subsetter), and Streamlit builds downloads in many threads. A document takes
    # ~0.2 s, so a room of 80 asking at once still waits seconds, not minutes.
    with _BUILD_LOCK:
        doc.build(story, canvasmaker=canvasmaker)
    return buf.getvalue()
