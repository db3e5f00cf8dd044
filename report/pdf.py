"""The PDF roadmap: the document an SME owner keeps and a facilitator hands out.

``render_pdf(questionnaire, result, recommendations, profile, lang="vi", benchmark=None,
answers=None, when=None) -> bytes``. Pages: cover; one-page summary with the radar chart;
results by pillar (and bars against the peer benchmark when one is given); a page per pillar;
the phased roadmap with targets; the recommended platforms; Vietnamese support for SMEs; an
appendix with every answer. A header and a "page X of Y" footer on every page.

Deterministic: ``invariant=1`` and a fixed ``when`` give byte-identical output for the same
input. All text is set in DejaVu Sans (``report.fonts``); text from users and data files goes
through ``para`` (cleaned for the font, markup escaped) before it reaches a Paragraph.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date
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
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from report import charts
from report.fonts import FONT, FONT_BOLD, clean, fit, register
from report.text import format_condition, format_date, format_number, format_percent, lang_of, t
from scoring.engine import ANSWERED, HIDDEN, NOT_APPLICABLE, UNANSWERED
from scoring.model import (
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Questionnaire,
    ScaleQuestion,
    TextQuestion,
)
from scoring.next_level import next_level

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
PHASE_BG = {"0-3": colors.HexColor("#e8f5e9"), "3-12": colors.HexColor("#fff8e1"), "12-24": colors.HexColor("#e3f2fd")}
PHASE_INK = {"0-3": colors.HexColor("#2e7d32"), "3-12": colors.HexColor("#ef6c00"), "12-24": colors.HexColor("#1565c0")}
PHASES = ("0-3", "3-12", "12-24")
SMALL = "<font size='7.5' color='#607d8b'>"  # the small grey print of a mixed table cell
MAX_USER_TEXT = 2000  # characters of a free-text answer printed (the questionnaire's own limit)


# ---------------------------------------------------------------- text helpers


def para(text: Any, limit: int | None = None) -> str:
    """User or data text as Paragraph markup: cleaned for the font, escaped, newlines kept."""
    s = clean(text)
    if limit is not None and len(s) > limit:
        s = s[:limit].rstrip() + "…"
    return escape(s).replace("\n", "<br/>")


def _level_name(q: Questionnaire, level: int | None, lang: str) -> str:
    if level is None:
        return ""
    try:
        return q.level(level).name.get(lang)
    except KeyError:
        return ""


def _level_label(q: Questionnaire, level: int | None, lang: str) -> str:
    if level is None:
        return t(lang, "not_applicable_pillar")
    name = _level_name(q, level, lang)
    return f"{t(lang, 'level_n', n=level)} · {name}" if name else t(lang, "level_n", n=level)


def _top_level(q: Questionnaire) -> int:
    return max((lv.level for lv in q.levels), default=5)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _txt(value: Any, lang: str) -> str:
    """A ``Text`` (or a plain string, or None) in the chosen language."""
    if value is None:
        return ""
    if hasattr(value, "get") and not isinstance(value, dict):
        return value.get(lang)
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("vi") or next(iter(value.values()), ""))
    return str(value)


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
        "caption": s("caption", fontSize=8, leading=10, textColor=MUTED, alignment=TA_CENTER),
        "phase": s("phase", fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceAfter=0, alignment=TA_LEFT),
    }


class Para(Paragraph):
    """A Paragraph that breaks its lines once per width.

    ReportLab asks a paragraph for its size again and again: a table cell is wrapped when the
    table is measured (``_heads_with_table`` measures it once before layout), again at layout,
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


def _grid(extra: Iterable[tuple] = (), header: bool = True) -> TableStyle:
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


def _table(rows: list[list[Any]], widths: list[float], extra: Iterable[tuple] = (), header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    table.setStyle(_grid(extra, header))
    return table


def _heads_with_table(heads: list[Flowable], table: Table, rows: int = 1) -> list[Flowable]:
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
    need = 0.0
    for h in heads:
        h.keepWithNext = 0
        need += h.wrap(W, PAGE_H)[1] + h.getSpaceBefore() + h.getSpaceAfter()
    table.wrap(W, PAGE_H)
    heights = list(getattr(table, "_rowHeights", None) or [])
    need += sum(heights[: 1 + rows]) + 4
    return [CondPageBreak(need), *heads, table]


# ---------------------------------------------------------------- header, footer, page numbers


class _Decor:
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
        canvas.drawString(MARGIN_X, bottom, fit(f"{self.footer} · {self.when}", 8, room))
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Keeps each page until the end so that the footer can say "page X of Y" in one pass."""

    def __init__(self, *args: Any, decor: _Decor, **kwargs: Any):
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


# ---------------------------------------------------------------- answers in words


def with_unit(number: str, unit: str) -> str:
    """A number and its unit as both languages print them: 45% (no space before a percent sign,
    like the report's own percentages), 12 người, 3,5 tỷ đồng."""
    unit = (unit or "").strip()
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def _scale_text(q: ScaleQuestion, value: Any, lang: str) -> str:
    """``3 / 5`` with the anchor's words; between two anchors, the two that frame the answer
    (a bare "3 / 5" means little when only 0, 2 and 5 have words)."""
    words = f"{format_number(value, lang)} / {q.max}"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return para(words)
    exact = q.anchors.get(int(value)) if float(value).is_integer() else None
    if exact is not None:
        return para(f"{words} ({exact.get(lang)})")
    below = [k for k in q.anchors if k < value]
    above = [k for k in q.anchors if k > value]
    if not below or not above:
        return para(words)
    lo, hi = q.anchors[max(below)].get(lang), q.anchors[min(above)].get(lang)
    return f"{para(words)} {SMALL}({t(lang, 'scale_between', lo=para(lo), hi=para(hi))})</font>"


def answer_text(q: Any, status: str, value: Any, lang: str) -> str:
    """One answer as Paragraph markup, in words (labels in the chosen language)."""
    if status == HIDDEN:
        return f"<i>{t(lang, 'answer_hidden')}</i>"
    if status == NOT_APPLICABLE or value == "na":
        return t(lang, "answer_na")
    if isinstance(q, TextQuestion):
        if value is None or (isinstance(value, str) and not value.strip()):
            return t(lang, "answer_empty")
        return para(value, MAX_USER_TEXT)
    if status == UNANSWERED or value is None or value == "" or value == [] or value == {}:
        if isinstance(q, MultiQuestion) and value == []:
            return t(lang, "answer_none")
        return t(lang, "answer_missing")
    if isinstance(q, ScaleQuestion):
        return _scale_text(q, value, lang)
    if isinstance(q, NumberQuestion):
        return para(with_unit(format_number(value, lang), q.unit.get(lang) if q.unit else ""))
    labels = {o.id: (o.label.get(lang) if o.label else o.id) for o in getattr(q, "options", ())}
    if isinstance(q, MultiQuestion):
        items = [labels.get(v, str(v)) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
        return "<br/>".join(f"• {para(x)}" for x in items) or t(lang, "answer_none")
    if isinstance(q, MatrixQuestion) and isinstance(value, dict):
        rows = []
        for r in q.rows:
            if r.id in value:
                rows.append(f"{para(r.label.get(lang))}: <b>{para(labels.get(value[r.id], value[r.id]))}</b>")
        return "<br/>".join(rows) or t(lang, "answer_missing")
    return para(labels.get(value, value) if isinstance(value, str) else value)


# ---------------------------------------------------------------- profile words


def _profile_lines(profile: Any, lang: str) -> list[tuple[str, str]]:
    if profile is None:
        return []
    out: list[tuple[str, str]] = []
    sector = _get(profile, "sector")
    if sector:
        name = None
        try:
            from scoring.recommend import SECTOR_NAMES

            pair = SECTOR_NAMES.get(str(sector).upper())
            name = pair[0 if lang == "vi" else 1] if pair else None
        except ImportError:  # pragma: no cover - recommend is part of the project
            pass
        out.append((t(lang, "sector"), f"{sector} — {name}" if name else str(sector)))
    size = _get(profile, "size_band")
    if size:
        name = _size_name(str(size), lang)
        out.append((t(lang, "size"), name[:1].upper() + name[1:] if name else str(size)))
    province = _get(profile, "province")
    if province:
        out.append((t(lang, "province"), _province_name(str(province), lang)))
    staff = _get(profile, "staff")
    if staff is not None:
        out.append((t(lang, "staff"), str(staff)))
    return out


def _province_name(pid: str, lang: str) -> str:
    """The unit's name from the reference list ("ha_noi" → Hà Nội / Hanoi; a former province or
    an alias → the current unit); an unknown value as it was given, never a made-up spelling."""
    try:
        from scoring.profile import province_from_name

        found = province_from_name(pid)
        if found is not None:
            return found.name.get(lang)
    except Exception:  # noqa: BLE001 - an unreadable reference file must not stop the report
        pass
    return pid.replace("_", " ").title() if re.fullmatch(r"[a-z0-9_]+", pid) else pid


def _size_name(band: str, lang: str) -> str | None:
    """The size band's name from the reference list (Doanh nghiệp siêu nhỏ / Micro enterprise)."""
    try:
        from scoring.profile import load_profile_reference

        found = load_profile_reference().size_band(band)
        if found is not None:
            return found.name.get(lang)
    except Exception:  # noqa: BLE001 - fall back to the recommender's names
        pass
    try:
        from scoring.recommend import SIZE_NAMES

        return SIZE_NAMES.get(band, {}).get(lang)
    except ImportError:  # pragma: no cover - recommend is part of the project
        return None


# ---------------------------------------------------------------- the builder


class _Report:
    def __init__(self, q, result, recs, profile, lang, benchmark, answers, when):
        self.q = q
        self.r = result
        self.recs = recs
        self.profile = profile
        self.lang = lang
        self.bench = benchmark
        self.answers = answers
        self.when = when
        self.top = _top_level(q)
        self.pillar_names = {p.id: p.name.get(lang) for p in q.pillars}
        # logical order: para() and the header put right-to-left runs in visual order, once
        self.firm = clean(_get(profile, "name") or "", visual=False).strip()
        self.compact = bool(q.indicative or getattr(result, "indicative", False))

    # -- small pieces
    def T(self, key: str, **kw: Any) -> str:  # noqa: N802
        return t(self.lang, key, **kw)

    def pname(self, pid: str) -> str:
        return self.pillar_names.get(pid, pid)

    def actions(self) -> list[Any]:
        if self.recs is None:
            return []
        roadmap = _get(self.recs, "roadmap")
        phases = _get(roadmap, "phases") or {}
        return [a for ph in PHASES for a in phases.get(ph, [])]

    # -- sections
    def cover(self) -> list[Flowable]:
        lang = self.lang
        q, r = self.q, self.r
        out: list[Flowable] = [
            Spacer(1, 8 * mm),
            P(self.T("tool_name"), "cover_tool"),
            P(self.T("tool_subtitle"), "cover_sub"),
            P(self.T("doc_title"), "cover_title"),
            P(self.T("prepared_for"), "cover_label"),
            P(para(self.firm) if self.firm else self.T("no_name"), "cover_name"),
        ]
        meta = [(label, value) for label, value in _profile_lines(self.profile, lang)]
        meta.append((self.T("date"), format_date(self.when, lang)))
        meta.append((self.T("questionnaire"), f"{q.title.get(lang)} ({self.T('version', v=q.version)})"))
        rows = [[P(para(label), "cover_label"), P(para(value), "cover_meta")] for label, value in meta]
        table = Table(rows, colWidths=[42 * mm, W - 42 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        out += [table, Spacer(1, 10 * mm)]

        level = r.overall_level
        box = [
            [P(self.T("overall"), "level_label")],
            [P(f"{self.T('level_n', n=level)} · {para(_level_name(q, level, lang))}", "level_big")],
            [P(self.T("points", points=format_number(r.total, lang), max=format_number(r.max_total, lang),
                      percent=format_percent(r.percent, lang)), "level_pts")],
        ]
        if r.indicative or q.indicative:
            box.append([P(self.T("indicative").upper(), "badge")])
        level_box = Table(box, colWidths=[W], hAlign="CENTER")
        level_box.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("BACKGROUND", (0, 0), (-1, -1), charts.level_colour(level, self.top)),
            ("BOX", (0, 0), (-1, -1), 0.8, INK),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]))
        out += [level_box, Spacer(1, 4 * mm)]
        levels = [(lv.level, lv.name.get(lang)) for lv in q.levels]
        out.append(charts.level_scale(levels, level, W))
        if r.indicative or q.indicative:
            note = q.indicative_note.get(lang) if q.indicative_note else self.T("indicative_note")
            out.append(P(para(note), "body"))
        out += [Spacer(1, 8 * mm), P(self.T("cover_note"), "small"), PageBreak()]
        return out

    def _pillar_line(self, pid: str) -> str:
        p = self.r.pillars[pid]
        return (f"<b>{para(self.pname(pid))}</b>: {format_percent(p.percent, self.lang)} — "
                f"{para(_level_label(self.q, p.level, self.lang))}")

    def summary(self) -> list[Flowable]:
        lang, q, r = self.lang, self.q, self.r
        out: list[Flowable] = [P(self.T("summary"), "h1")]
        level = r.overall_level
        try:
            meaning = q.level(level).meaning.get(lang)
        except KeyError:
            meaning = ""
        points = self.T("points", points=format_number(r.total, lang), max=format_number(r.max_total, lang),
                        percent=format_percent(r.percent, lang))
        out.append(P(f"<b>{self.T('level_n', n=level)} · {para(_level_name(q, level, lang))}</b> — {points}"))
        if meaning:
            out.append(P(f"<b>{self.T('what_level_means')}:</b> {para(meaning)}"))
        out += self._next_level()
        if r.indicative or q.indicative:
            out.append(P(f"<b>{self.T('indicative')}.</b> {self.T('indicative_note')}", "small"))

        strong = [P(self.T("strongest"), "h3")] + [P(self._pillar_line(pid), "bullet", bulletText="▲") for pid in r.strongest]
        weak = [P(self.T("weakest"), "h3")] + [P(self._pillar_line(pid), "bullet", bulletText="▼") for pid in r.weakest]
        sw = Table([[strong, weak]], colWidths=[W / 2, W / 2], hAlign="LEFT")
        sw.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        out.append(sw)

        out.append(P(self.T("first_steps"), "h2"))
        first = self.actions()[:3]
        if not first:
            out.append(P(self.T("no_actions")))
        for i, a in enumerate(first, 1):
            phase = self.T(f"phase_{_get(a, 'phase')}") if _get(a, "phase") in PHASES else str(_get(a, "phase"))
            out.append(P(
                f"{para(_txt(_get(a, 'text'), lang))} <font color='#607d8b' size='8'>"
                f"({phase} · {para(self.pname(_get(a, 'pillar')))})</font>",
                "num", bulletText=f"{i}.",
            ))
        out.append(CondPageBreak(90 * mm))
        out.append(P(self.T("radar_title"), "h3"))
        names = [clean(p.name.get(lang)) for p in q.pillars]
        firm = [r.pillars[p.id].percent for p in q.pillars]
        peers = self._peer_values()
        size = 250 if len(names) > 2 else 170
        drawing = charts.radar(names, firm, peers, (self.T("you"), self.T("peers")), size=size, label_width=105)
        drawing.hAlign = "CENTER"
        out += [drawing, PageBreak()]
        return out

    def _next_level(self) -> list[Flowable]:
        """The next level's conditions, met or not: why many points can still mean a low level."""
        step = next_level(self.q, self.r)
        if step is None:
            return []
        out = [P(f"<b>{self.T('next_level', level=step.level, name=para(_level_name(self.q, step.level, self.lang)))}:</b>")]
        for cond in step.conditions:
            kind, needed, now = format_condition(cond, self.lang)
            line = self.T(f"cond_{kind}", needed=needed, now=now, level=step.level)
            mark = self.T("cond_met") if cond.met else f"<b>{self.T('cond_missing')}</b>"
            line = f"{line} — {mark}"
            if cond.lift:
                line += " · " + self.T("cond_lift", names=", ".join(para(self.pname(pid)) for pid in cond.lift))
            out.append(P(line, "bullet", bulletText="✓" if cond.met else "✗"))
        return out

    def _peer_values(self) -> list[float] | None:
        if self.bench is None:
            return None
        pillars = _get(self.bench, "pillars") or {}
        return [float(pillars.get(p.id) or 0) for p in self.q.pillars]

    def results_table(self) -> list[Flowable]:
        lang, q, r = self.lang, self.q, self.r
        out: list[Flowable] = [P(self.T("pillars_table"), "h1")]
        rows: list[list[Any]] = [[P(self.T("pillar"), "th"), P(self.T("score"), "th"), P(self.T("percent"), "th"),
                                  P(self.T("level"), "th")]]
        extra = []
        for i, p in enumerate(q.pillars, 1):
            pr = r.pillars[p.id]
            rows.append([
                P(para(p.name.get(lang)), "cell_b"),
                M(f"{format_number(pr.points, lang)} / {format_number(pr.max, lang)}", W * 0.14),
                [P(format_percent(pr.percent, lang), "cell"), charts.progress_bar(pr.percent, pr.level, self.top, 90)],
                M(para(_level_label(q, pr.level, lang)), W * 0.3),
            ])
            extra.append(("BACKGROUND", (3, i), (3, i), charts.level_colour(pr.level, self.top)))
        out.append(_table(rows, [W * 0.36, W * 0.14, W * 0.2, W * 0.3], extra))
        if self.bench is not None:
            n = _get(self.bench, "n") or 0
            out += [Spacer(1, 6 * mm), P(self.T("bench_title"), "h2"), P(self.T("bench_note", n=n), "small")]
            names = [clean(p.name.get(lang)) for p in q.pillars]
            firm = [r.pillars[p.id].percent for p in q.pillars]
            peers = self._peer_values() or []
            drawing = charts.benchmark_bars(names, firm, peers, (self.T("you"), self.T("peers")), W)
            out.append(drawing)
        out.append(PageBreak())
        return out

    def pillar_page(self, pillar: Any, last: bool = True) -> list[Flowable]:
        lang, q, r = self.lang, self.q, self.r
        pr = r.pillars[pillar.id]
        out: list[Flowable] = [P(self.T("pillar_page", name=para(pillar.name.get(lang))), "h1")]
        if pillar.description is not None:
            out.append(P(para(pillar.description.get(lang)), "small"))
        if pr.percent is None:
            out.append(P(self.T("pillar_all_na")))
        else:
            out.append(P(self.T(
                "pillar_score", points=format_number(pr.points, lang), max=format_number(pr.max, lang),
                percent=format_percent(pr.percent, lang), level=f"<b>{para(_level_label(q, pr.level, lang))}</b>",
            )))
            out.append(charts.progress_bar(pr.percent, pr.level, self.top, W))
        out.append(P(self.T("working"), "h2"))
        strengths = r.strengths(pillar.id)
        if strengths:
            for qid in strengths:
                out.append(P(para(q.question(qid).text.get(lang)), "bullet", bulletText="✓"))
        else:
            out.append(P(self.T("nothing_working"), "small"))
        gaps_head = P(self.T("gaps"), "h2")
        grouped: dict[str, list[str]] = {}
        for a in r.advice:  # biggest gaps first (the engine's order)
            if a.pillar == pillar.id:
                texts = grouped.setdefault(a.question, [])
                text = a.text.get(lang)
                if text not in texts:
                    texts.append(text)
        for question in pillar.questions:  # answers below the top without advice text still count
            qr = r.questions.get(question.id)
            if qr is not None and qr.status == ANSWERED and qr.max > 0 and qr.points < qr.max:
                grouped.setdefault(question.id, [])
        if not grouped:
            out += [gaps_head, P(self.T("no_gaps"), "small")]
        else:
            rows: list[list[Any]] = [[P(self.T("question"), "th"), P(self.T("your_answer"), "th"),
                                      P(self.T("how_better"), "th")]]
            for qid, texts in grouped.items():
                question = q.question(qid)
                qr = r.questions.get(qid)
                value = self._value(qid)
                rows.append([
                    M(para(question.text.get(lang)), W * 0.34),
                    M(answer_text(question, qr.status if qr else UNANSWERED, value, lang), W * 0.24),
                    P("<br/>".join(para(x) for x in texts) or self.T("none"), "cell"),
                ])
            out += _heads_with_table([gaps_head], _table(rows, [W * 0.34, W * 0.24, W * 0.42]))
        # a page per pillar; a quick check's short pillars share pages (no half-empty sheets)
        out.append(CondPageBreak(70 * mm) if self.compact and not last else PageBreak())
        return out

    def _value(self, qid: str) -> Any:
        if self.answers is not None:
            return self.answers.get(qid)
        qr = self.r.questions.get(qid)
        return qr.answer if qr else None

    def roadmap(self) -> list[Flowable]:
        lang, q = self.lang, self.q
        out: list[Flowable] = [P(self.T("roadmap"), "h1"), P(self.T("roadmap_intro"), "small")]
        roadmap = _get(self.recs, "roadmap") if self.recs is not None else None
        phases = (_get(roadmap, "phases") or {}) if roadmap is not None else {}
        rows: list[list[Any]] = [[P(self.T("action"), "th"), P(self.T("pillar"), "th"), P(self.T("step"), "th")]]
        extra: list[tuple] = []
        for ph in PHASES:
            i = len(rows)
            rows.append([P(f"<font color='{PHASE_INK[ph].hexval().replace('0x', '#')}'>{self.T(f'phase_{ph}')}</font>"
                           f" · {self.T(f'phase_{ph}_sub')}", "phase"), "", ""])
            extra += [("SPAN", (0, i), (-1, i)), ("BACKGROUND", (0, i), (-1, i), PHASE_BG[ph]),
                      ("LINEBEFORE", (0, i), (0, i), 3, PHASE_INK[ph])]
            extra.append(("NOSPLIT", (0, i), (-1, i + 1)))  # the phase row stays with its first action
            actions = phases.get(ph, [])
            if not actions:
                rows.append([P(self.T("phase_empty"), "cell_small"), "", ""])
                extra.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
            for a in actions:
                body = para(_txt(_get(a, "text"), lang))
                support = _get(a, "support")
                if support is not None and _txt(support, lang):
                    body += f"<br/>{SMALL}<b>{self.T('support')}:</b> {para(_txt(support, lang))}</font>"
                # the pillar and step have their own columns: the answers behind the step are enough
                reason = _txt(_get(a, "evidence"), lang) or _txt(_get(a, "reason"), lang)
                if reason:
                    body += f"<br/>{SMALL}{para(reason)}</font>"
                j = len(rows)
                rows.append([
                    P(body, "cell_mixed"),
                    M(para(self.pname(_get(a, "pillar"))), W * 0.22),
                    M(para(f"{_get(a, 'from_level')} → {_get(a, 'to_level')}"), W * 0.12),
                ])
                extra.append(("LINEBEFORE", (0, j), (0, j), 3, PHASE_INK[ph]))
        out.append(_table(rows, [W * 0.66, W * 0.22, W * 0.12], extra))

        targets = (_get(roadmap, "targets") or {}) if roadmap is not None else {}
        if targets:
            block: list[Flowable] = [P(self.T("targets"), "h2")]
            trows: list[list[Any]] = [[P(self.T("pillar"), "th"), P(self.T("now"), "th"), P(self.T("in_12m"), "th"),
                                       P(self.T("in_24m"), "th")]]
            textra: list[tuple] = []
            for p in q.pillars:
                if p.id not in targets:
                    continue
                tg = targets[p.id]
                row: list[Any] = [P(para(p.name.get(lang)), "cell_b")]
                for k, key in enumerate(("now", "12m", "24m"), 1):
                    lv = tg.get(key)
                    row.append(M(para(_level_label(q, lv, lang)) if lv is not None else "—", W * 0.23))
                    textra.append(("BACKGROUND", (k, len(trows)), (k, len(trows)), charts.level_colour(lv, self.top)))
                trows.append(row)
            block.append(_table(trows, [W * 0.31, W * 0.23, W * 0.23, W * 0.23], textra))
            out.append(KeepTogether(block))
        out.append(PageBreak())
        return out

    def platforms(self) -> list[Flowable]:
        lang = self.lang
        out: list[Flowable] = [P(self.T("platforms"), "h1"), P(self.T("platforms_intro"), "small")]
        categories = list(_get(self.recs, "categories") or []) if self.recs is not None else []
        if not categories:
            out.append(P(self.T("no_categories")))
        for n, c in enumerate(categories, 1):
            mode = self.T("mode_improve") if _get(c, "mode") == "improve" else self.T("mode_adopt")
            mode = "\u00a0".join(mode.split())  # wraps as a whole, never a lone last word
            head = P(f"{n}. {para(_txt(_get(c, 'name'), lang))} <font size='9' color='#607d8b'>·\u00a0{mode}</font>",
                     "h2")
            intro = []
            problem = _txt(_get(c, "problem"), lang)
            reason = _txt(_get(c, "reason"), lang)
            if problem:
                intro.append(P(para(problem), "body"))
            if reason:
                intro.append(P(para(reason), "small"))
            picks = list(_get(c, "platforms") or [])
            if not picks:
                note = _txt(_get(c, "platform_note"), lang) or self.T("no_platforms")
                out.append(KeepTogether([head, *intro, P(para(note), "small")]))
                continue
            rows: list[list[Any]] = [[P(self.T("platform"), "th"), P(self.T("vendor"), "th"), P(self.T("why"), "th"),
                                      P(self.T("support_available"), "th")]]
            for p in picks:
                website = _get(p, "website") or ""
                rows.append([
                    P(f"<b>{para(_get(p, 'name'))}</b><br/>{SMALL}{para(website)}</font>", "cell_mixed"),
                    M(para(_get(p, "vendor")), W * 0.17),
                    P(para(_txt(_get(p, "reason"), lang)), "cell"),
                    P("<br/>".join([
                        self.T("smedx_flag", v=self._flag(_get(p, "smedx"))),
                        self.T("decree80_flag", v=self._flag(_get(p, "decree80"))),
                        self.T("free_trial_flag", v=self._flag(_get(p, "free_trial"))),
                        self.T("price", v=self._price(_get(p, "price_band"))),
                    ]), "cell_small"),
                ])
            table = _table(rows, [W * 0.24, W * 0.17, W * 0.37, W * 0.22])
            out.append(KeepTogether([head, *intro, table]))  # no heading left alone at a page foot
        out.append(PageBreak())
        return out

    def _flag(self, value: Any) -> str:
        key = f"flag_{value}" if value in ("yes", "no", "unknown") else "flag_unknown"
        return self.T(key)

    def _price(self, band: Any) -> str:
        return self.T(f"price_{band}") if band in ("free", "low", "medium", "high") else self.T("none")

    def support(self) -> list[Flowable]:
        out: list[Flowable] = [P(self.T("support_title"), "h1"), P(self.T("support_intro"))]
        for key in ("smedx", "decree80", "provincial", "how_to_start"):
            out += [P(self.T(f"{key}_title"), "h2"), P(self.T(f"{key}_body"))]
        box = Table([[P(self.T("support_disclaimer"), "small")]], colWidths=[W])
        box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PALE), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                                 ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        out += [Spacer(1, 6 * mm), box, PageBreak()]
        return out

    def appendix(self) -> list[Flowable]:
        lang, q, r = self.lang, self.q, self.r
        out: list[Flowable] = []
        heads: list[Flowable] = [P(self.T("appendix"), "h1")]
        for pillar in q.pillars:
            rows: list[list[Any]] = [[P(self.T("question"), "th"), P(self.T("your_answer"), "th")]]
            for question in pillar.questions:
                qr = r.questions.get(question.id)
                status = qr.status if qr else UNANSWERED
                value = None if status == HIDDEN else self._value(question.id)
                style = "cell_small" if status == HIDDEN else "cell"
                if status == HIDDEN:  # in small grey print
                    rows.append([P(para(question.text.get(lang)), style), P(answer_text(question, status, value, lang), style)])
                else:
                    rows.append([M(para(question.text.get(lang)), W * 0.55), M(answer_text(question, status, value, lang), W * 0.45)])
            heads.append(P(para(pillar.name.get(lang)), "h2"))
            out += _heads_with_table(heads, _table(rows, [W * 0.55, W * 0.45]))
            heads = []
        return out

    def story(self) -> list[Flowable]:
        story = self.cover() + self.summary() + self.results_table()
        for i, pillar in enumerate(self.q.pillars, 1):
            story += self.pillar_page(pillar, last=i == len(self.q.pillars))
        story += self.roadmap() + self.platforms() + self.support() + self.appendix()
        return story


# ---------------------------------------------------------------- entry point


def render_pdf(
    questionnaire: Questionnaire,
    result: Any,
    recommendations: Any,
    profile: Any,
    lang: str = "vi",
    benchmark: Any = None,
    answers: dict | None = None,
    when: date | None = None,
) -> bytes:
    """The PDF roadmap as bytes (see the module docstring). Same input → same bytes."""
    register()
    lang = lang_of(lang)
    when = when or date.today()
    report = _Report(questionnaire, result, recommendations, profile, lang, benchmark, answers, when)
    title = t(lang, "doc_title") + (f" — {report.firm}" if report.firm else "")  # metadata: logical order
    decor = _Decor(
        lang,
        clean(report.firm),
        t(lang, "footer", title=clean(questionnaire.title.get(lang)), version=clean(questionnaire.version)),
        format_date(when, lang),
    )
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
        subject=t(lang, "doc_subject"),
        creator=t(lang, "tool_name"),
        keywords=t(lang, "keywords"),
        lang="vi-VN" if lang == "vi" else "en",
        invariant=1,
        initialFontName=FONT,
        initialFontSize=9.5,
        initialLeading=13,
    )

    def canvasmaker(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(*args, decor=decor, **kwargs)

    doc.build(report.story(), canvasmaker=canvasmaker)
    return buf.getvalue()
