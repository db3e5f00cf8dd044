"""The PDF roadmap: the document an SME owner keeps and a facilitator hands out.

``render_pdf(questionnaire, result, recommendations, profile, lang="vi", benchmark=None,
answers=None, when=None, *, code=None, previous=None, previous_when=None) -> bytes``.

Pages: cover (the level, the resume code when given, what this assessment is and is not);
one-page summary with the radar chart; results by pillar (for a follow-up, the change against
the previous assessment; bars against the peer benchmark when one is given); a page per
pillar; the phased roadmap with targets; the recommended platforms; support for SMEs in
Vietnam; an appendix with every answer. A header and a "page X of Y" footer on every page.
Where a question carries its framework code (DBI "1.1.2"), the PDF prints it wherever it
names the question.

Deterministic: ``invariant=1`` and a fixed ``when`` give byte-identical output for the same
input. Dates are the day in Vietnam (UTC+7). All text is set in DejaVu Sans
(``report.fonts``); text from users and data files goes through ``para`` (cleaned for the
font, markup escaped) before it reaches a Paragraph; a firm name is cut to ``MAX_NAME``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from report import charts
from report.fonts import FONT, clean
from report.layout import (
    ACCENT,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MAX_NAME,
    PAGE_H,
    PAGE_W,
    PALE,
    RULE,
    SMALL,
    Decor,
    M,
    P,
    Para,
    W,
    bounded,
    build_pdf,
    heads_with_table,
    para,
    styles,
    table,
)
from report.models import Benchmark
from report.text import (
    format_condition,
    format_date,
    format_number,
    format_percent,
    lang_of,
    local_date,
    plural,
    t,
)
from scoring.engine import ANSWERED, HIDDEN, NA, NOT_APPLICABLE, UNANSWERED, Result
from scoring.model import (
    FirmProfile,
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Pillar,
    QuestionBase,
    Questionnaire,
    ScaleQuestion,
    Text,
    TextQuestion,
)
from scoring.next_level import next_level
from scoring.profile import load_profile_reference
from scoring.recommend.contract import Recommendations, RoadmapAction

__all__ = [  # the layout names older callers and tests import from here
    "MARGIN_BOTTOM", "MARGIN_TOP", "MARGIN_X", "PAGE_H", "PAGE_W", "W", "P", "M", "Para", "para", "styles",
    "MAX_NAME", "answer_text", "bounded", "render_pdf", "_heads_with_table", "_table",
]

_table = table
_heads_with_table = heads_with_table

PHASE_BG = {"0-3": colors.HexColor("#e8f5e9"), "3-12": colors.HexColor("#fff8e1"), "12-24": colors.HexColor("#e3f2fd")}
PHASE_INK = {"0-3": colors.HexColor("#2e7d32"), "3-12": colors.HexColor("#ef6c00"), "12-24": colors.HexColor("#1565c0")}
UP_INK = "#2e7d32"
DOWN_INK = "#c62828"
PHASES = ("0-3", "3-12", "12-24")
MAX_USER_TEXT = 2000  # characters of a free-text answer printed (the questionnaire's own limit)
MAX_CODE = 40  # characters of a resume code printed (codes are 12 letters and dashes)


# ---------------------------------------------------------------- text helpers


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


def _code_of(q: Questionnaire, qid: str) -> str:
    """The framework code of a question ("1.1.2"), or "" (no code, or an id the questionnaire lacks)."""
    try:
        return (q.question(qid).code or "").strip()
    except KeyError:
        return ""


def _words(text: Text | None, lang: str) -> str:
    """A bilingual text (or none) in one language."""
    return text.get(lang) if text is not None else ""


def _with_code(code: str, markup: str) -> str:
    """A question's words led by its code in small grey print."""
    return f"{SMALL}{para(code)}</font>\u00a0 {markup}" if code else markup


# ---------------------------------------------------------------- answers in words


def _scale_text(q: ScaleQuestion, status: str, value: Any, lang: str) -> str:
    """``3 / 5`` with the anchor's words; between two anchors, the two that frame the answer
    (a bare "3 / 5" means little when only 0, 2 and 5 have words)."""
    if _unanswered(status, value):
        return t(lang, "answer_missing")
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


def _unanswered(status: str, value: Any) -> bool:
    return status == UNANSWERED or value is None or value == "" or value == [] or value == {}


def _text_text(q: TextQuestion, status: str, value: Any, lang: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return t(lang, "answer_empty")
    return para(value, MAX_USER_TEXT)


def _choice_text(q: QuestionBase, status: str, value: Any, lang: str) -> str:
    if _unanswered(status, value):
        return t(lang, "answer_missing")
    return para(q.value_label(value, lang) if isinstance(value, str) else value)


def _number_text(q: NumberQuestion, status: str, value: Any, lang: str) -> str:
    if _unanswered(status, value):
        return t(lang, "answer_missing")
    return para(q.answer_words(value, lang))


def _multi_text(q: MultiQuestion, status: str, value: Any, lang: str) -> str:
    """One ticked option a line."""
    if _unanswered(status, value):
        return t(lang, "answer_none" if value == [] else "answer_missing")
    items = [q.value_label(v, lang) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    return "<br/>".join(f"• {para(x)}" for x in items) or t(lang, "answer_none")


def _matrix_text(q: MatrixQuestion, status: str, value: Any, lang: str) -> str:
    """One row a line: "Backup: <b>Partly</b>"."""
    if not isinstance(value, dict) or _unanswered(status, value):
        return _choice_text(q, status, value, lang)
    rows = [f"{para(r.label.get(lang))}: <b>{para(q.value_label(value[r.id], lang))}</b>" for r in q.rows if r.id in value]
    return "<br/>".join(rows) or t(lang, "answer_missing")


# How each question type's answer is printed: the one place the PDF branches on the type (a
# new type adds its drawing here; its words in general are its class's ``answer_words``).
ANSWER_TEXT = {
    "single": _choice_text,
    "yesno": _choice_text,
    "multi": _multi_text,
    "scale": _scale_text,
    "matrix": _matrix_text,
    "number": _number_text,
    "text": _text_text,
}


def answer_text(q: QuestionBase, status: str, value: Any, lang: str) -> str:
    """One answer as Paragraph markup, in words (labels in the chosen language)."""
    if status == HIDDEN:
        return f"<i>{t(lang, 'answer_hidden')}</i>"
    if status == NOT_APPLICABLE or value == NA:
        return t(lang, "answer_na")
    return ANSWER_TEXT[q.type](q, status, value, lang)


# ---------------------------------------------------------------- profile words


def _profile_lines(profile: FirmProfile | None, lang: str) -> list[tuple[str, str]]:
    """The firm's sector, size band and province by their names in the reference data
    (``questionnaires/reference/profile.yaml``), and its staff."""
    if profile is None:
        return []
    ref = load_profile_reference()
    out: list[tuple[str, str]] = []
    sector = bounded(profile.sector, 40)
    if sector:
        found = ref.sector(sector.upper())
        out.append((t(lang, "sector"), f"{sector.upper()} — {found.name.get(lang)}" if found else sector))
    size = bounded(profile.size_band, 40)
    if size:
        found = ref.size_band(size)
        name = found.name.get(lang) if found else size
        out.append((t(lang, "size"), name[:1].upper() + name[1:]))
    province = bounded(profile.province)
    if province:
        out.append((t(lang, "province"), _province_name(province, lang)))
    if profile.staff is not None:
        out.append((t(lang, "staff"), bounded(profile.staff, 20)))
    return out


def _province_name(pid: str, lang: str) -> str:
    """The unit's name from the reference list ("ha_noi" → Hà Nội / Hanoi; a former province or
    an alias → the current unit); an unknown value as it was given, never a made-up spelling."""
    found = load_profile_reference().province_from_name(pid)
    if found is not None:
        return found.name.get(lang)
    return pid.replace("_", " ").title() if re.fullmatch(r"[a-z0-9_]+", pid) else pid


# ---------------------------------------------------------------- the previous assessment


@dataclass(frozen=True)
class _Snapshot:
    """What the comparison needs of an assessment, from a ``Result`` or its ``to_dict()``."""

    questionnaire_id: str
    version: str
    total: float | None
    max_total: float | None
    percent: float | None
    level: int | None
    pillars: dict[str, tuple[float | None, int | None]]  # pillar id → (percent, level)

    @classmethod
    def of(cls, result: Result | Mapping[str, Any]) -> _Snapshot:
        if isinstance(result, Mapping):  # Result.to_dict(): {"questionnaire": {"id", "version"}, ...}
            meta = result.get("questionnaire") or {}
            pillars = {str(pid): (_number(p.get("percent")), p.get("level"))
                       for pid, p in (result.get("pillars") or {}).items()}
            return cls(str(meta.get("id") or ""), str(meta.get("version") or ""), _number(result.get("total")),
                       _number(result.get("max_total")), _number(result.get("percent")), result.get("overall_level"),
                       pillars)
        pillars = {str(pid): (_number(p.percent), p.level) for pid, p in result.pillars.items()}
        return cls(result.questionnaire_id, result.version, _number(result.total), _number(result.max_total),
                   _number(result.percent), result.overall_level, pillars)


def _number(x: Any) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


# ---------------------------------------------------------------- the builder


class _Report:
    def __init__(self, q: Questionnaire, result: Result, recs: Recommendations | None, profile: FirmProfile | None,
                 lang: str, benchmark: Benchmark | None, answers: Mapping[str, Any] | None, when: date,
                 code: str | None = None, previous: Result | Mapping[str, Any] | None = None,
                 previous_when: date | None = None):
        self.q = q
        self.r = result
        self.recs = recs
        self.profile = profile
        self.lang = lang
        self.bench = benchmark
        self.answers = answers
        self.when = when
        self.code = bounded(code, MAX_CODE) if code else ""
        self.previous = _Snapshot.of(previous) if previous is not None else None
        self.previous_when = previous_when
        self.top = _top_level(q)
        self.pillar_names = {p.id: p.name.get(lang) for p in q.pillars}
        # logical order: para() and the header put right-to-left runs in visual order, once
        self.firm = bounded(profile.name if profile is not None else "")
        self.compact = bool(q.indicative or result.indicative)
        self.has_codes = any((question.code or "").strip() for _, question in q.questions())

    # -- small pieces
    def T(self, key: str, **kw: Any) -> str:  # noqa: N802
        return t(self.lang, key, **kw)

    def pname(self, pid: str) -> str:
        return self.pillar_names.get(pid, pid)

    def actions(self) -> list[RoadmapAction]:
        if self.recs is None:
            return []
        phases = self.recs.roadmap.phases
        return [a for ph in PHASES for a in phases.get(ph, [])]

    def _frame(self) -> str:
        return self.T("frame_criteria" if self.has_codes else "frame_pillars")

    def _points(self, total: float | None, maximum: float | None, percent: float | None) -> str:
        return self.T("points", points=format_number(total, self.lang), max=format_number(maximum, self.lang),
                      percent=format_percent(percent, self.lang))

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
        if self.previous is not None:
            before = _level_label(q, self.previous.level, lang) if self.previous.level is not None else ""
            when = format_date(self.previous_when, lang) if self.previous_when else ""
            meta.append((self.T("previous_label"), " · ".join(x for x in (when, before) if x) or "—"))
        rows = [[P(para(label), "cover_label"), P(para(value), "cover_meta")] for label, value in meta]
        meta_table = Table(rows, colWidths=[42 * mm, W - 42 * mm], hAlign="LEFT")
        meta_table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        out += [meta_table, Spacer(1, 10 * mm if self.code == "" else 6 * mm)]

        level = r.overall_level
        box = [
            [P(self.T("overall"), "level_label")],
            [P(f"{self.T('level_n', n=level)} · {para(_level_name(q, level, lang))}", "level_big")],
            [P(self._points(r.total, r.max_total, r.percent), "level_pts")],
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
        if self.previous is not None:
            out.append(P(self.T("progress_since", change=self._overall_change()), "body"))
        if r.indicative or q.indicative:
            note = q.indicative_note.get(lang) if q.indicative_note else self.T("indicative_note")
            out.append(P(para(note), "body"))
        if self.code:
            out += [Spacer(1, 4 * mm), self._code_box()]
        out += [Spacer(1, 6 * mm), P(self._frame(), "small"), P(self.T("cover_note"), "small"), PageBreak()]
        return out

    def _code_box(self) -> Table:
        """The resume code, large, with what it is for: the only way back to these results."""
        left = [P(self.T("code_label"), "cover_label"), P(f"<b>{para(self.code)}</b>", "code_big")]
        box = Table([[left, P(self.T("code_note"), "small")]], colWidths=[W * 0.4, W * 0.6], hAlign="LEFT")
        box.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("BACKGROUND", (0, 0), (-1, -1), PALE),
            ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        return box

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
        points = self._points(r.total, r.max_total, r.percent)
        out.append(P(f"<b>{self.T('level_n', n=level)} · {para(_level_name(q, level, lang))}</b> — {points}"))
        out.append(P(self.T("frame_short"), "small"))
        if self.previous is not None:
            out.append(P(self.T("progress_since", change=self._overall_change())))
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
            phase = self.T(f"phase_{a.phase}") if a.phase in PHASES else str(a.phase)
            out.append(P(
                f"{para(_words(a.text, lang))} <font color='#607d8b' size='8'>"
                f"({phase} · {para(self.pname(a.pillar))})</font>",
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
        pillars = self.bench.pillars or {}
        return [float(pillars.get(p.id) or 0) for p in self.q.pillars]

    # -- the change against the previous assessment
    def _same_questionnaire(self) -> bool:
        return self.previous is not None and self.previous.questionnaire_id in ("", self.r.questionnaire_id)

    def _level_change(self, before: int | None, now: int | None) -> str:
        if now is None:
            return ""
        if before is None or before == now:
            return self.T("level_same", level=now)
        return self.T("level_up" if now > before else "level_down", level=now)

    def _overall_change(self) -> str:
        """In words: "up 22 points, up to level 2" (points only when the questionnaire is the same)."""
        prev, r = self.previous, self.r
        parts = []
        if self._same_questionnaire() and prev.total is not None:
            delta = round(r.total - prev.total, 1)
            n = format_number(abs(delta), self.lang)
            key = "points_same" if delta == 0 else "points_up" if delta > 0 else "points_down"
            parts.append(plural(self.lang, key, abs(delta), n=n))
        parts.append(self._level_change(prev.level, r.overall_level))
        return ", ".join(p for p in parts if p)

    def _pp_change(self, before: float | None, now: float | None) -> tuple[str, int | None]:
        """A share's change in whole percentage points, from the rounded shares the page prints (so
        that 8 % → 25 % reads "up 17", whatever the decimals were)."""
        if before is None or now is None:
            return "—", None
        delta = int(round(now)) - int(round(before))
        if delta == 0:
            return self.T("pp_same"), 0
        key = "pp_up" if delta > 0 else "pp_down"
        return plural(self.lang, key, abs(delta), n=abs(delta)), delta

    def _change_cell(self, before_pct, now_pct, before_level, now_level) -> str:
        words, delta = self._pp_change(before_pct, now_pct)
        if before_level is not None and now_level is not None and before_level != now_level:
            words += ", " + self._level_change(before_level, now_level)
        ink = UP_INK if delta and delta > 0 else DOWN_INK if delta and delta < 0 else "#607d8b"
        return f"<font color='{ink}'>{words}</font>"

    def _state(self, percent: float | None, level: int | None) -> str:
        if percent is None and level is None:
            return "—"
        label = self.T("level_n", n=level) if level is not None else self.T("not_applicable_pillar")
        return f"{format_percent(percent, self.lang)} · {label}"

    def progress(self) -> list[Flowable]:
        """Last time → this time, per pillar and overall, in words an owner reads."""
        prev, q, r, lang = self.previous, self.q, self.r, self.lang
        if prev is None:
            return []
        when = format_date(self.previous_when, lang) if self.previous_when else ""
        before_label = self.T("progress_when", when=when) if when else self.T("progress_before")
        same = self._same_questionnaire()
        line = self.T(
            "progress_line", before_label=before_label, now_label=self.T("progress_now"),
            level_before=para(_level_label(q, prev.level, lang)) if prev.level is not None else "—",
            points_before=self._points(prev.total, prev.max_total, prev.percent) if same else
            format_percent(prev.percent, lang),
            level_now=para(_level_label(q, r.overall_level, lang)),
            points_now=self._points(r.total, r.max_total, r.percent) if same else format_percent(r.percent, lang),
        )
        heads: list[Flowable] = [P(self.T("progress_title"), "h2"), P(line), P(self.T("progress_since",
                                 change=self._overall_change()))]
        if not same:
            heads.append(P(self.T("progress_other", id=para(prev.questionnaire_id)), "small"))
        elif prev.version and prev.version != r.version:
            heads.append(P(self.T("progress_version", old=para(prev.version), new=para(r.version)), "small"))
        rows: list[list[Any]] = [[P(self.T("pillar"), "th"), P(self.T("progress_before"), "th"),
                                  P(self.T("progress_now"), "th"), P(self.T("progress_change"), "th")]]
        for p in q.pillars:
            before_pct, before_level = prev.pillars.get(p.id, (None, None))
            now = r.pillars[p.id]
            rows.append([
                P(para(p.name.get(lang)), "cell_b"),
                M(self._state(before_pct, before_level), W * 0.16),
                M(self._state(now.percent, now.level), W * 0.16),
                P(self._change_cell(before_pct, now.percent, before_level, now.level), "cell"),
            ])
        rows.append([
            P(self.T("progress_overall"), "cell_b"),
            M(self._state(prev.percent, prev.level), W * 0.16),
            M(self._state(r.percent, r.overall_level), W * 0.16),
            P(self._change_cell(prev.percent, r.percent, prev.level, r.overall_level), "cell"),
        ])
        extra = [("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 0.8, ACCENT),
                 ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), PALE)]
        out: list[Flowable] = [Spacer(1, 4 * mm)]
        out += heads_with_table(heads, table(rows, [W * 0.3, W * 0.16, W * 0.16, W * 0.38], extra), rows=len(rows) - 1)
        names = [clean(p.name.get(lang)) for p in q.pillars]
        drawing = charts.paired_bars(
            names, [prev.pillars.get(p.id, (None, None))[0] for p in q.pillars],
            [r.pillars[p.id].percent for p in q.pillars],
            (self.T("progress_before"), self.T("progress_now")), W, colours=(charts.BEFORE, charts.FIRM), row_h=20,
        )
        out.append(KeepTogether([P(self.T("progress_chart"), "h3"), drawing]))
        return out

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
        out.append(table(rows, [W * 0.36, W * 0.14, W * 0.2, W * 0.3], extra))
        out += self.progress()
        if self.bench is not None:
            n = self.bench.n or 0
            out += [Spacer(1, 6 * mm), CondPageBreak(70 * mm), P(self.T("bench_title"), "h2"),
                    P(self.T("bench_note", n=n), "small")]
            names = [clean(p.name.get(lang)) for p in q.pillars]
            firm = [r.pillars[p.id].percent for p in q.pillars]
            peers = self._peer_values() or []
            drawing = charts.benchmark_bars(names, firm, peers, (self.T("you"), self.T("peers")), W)
            out.append(drawing)
        out.append(PageBreak())
        return out

    def pillar_page(self, pillar: Pillar, last: bool = True) -> list[Flowable]:
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
                text = para(q.question(qid).text.get(lang))
                out.append(P(_with_code(_code_of(q, qid), text), "bullet", bulletText="✓"))
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
                    M(_with_code(_code_of(q, qid), para(question.text.get(lang))), W * 0.34),
                    M(answer_text(question, qr.status if qr else UNANSWERED, value, lang), W * 0.24),
                    P("<br/>".join(para(x) for x in texts) or self.T("none"), "cell"),
                ])
            out += heads_with_table([gaps_head], table(rows, [W * 0.34, W * 0.24, W * 0.42]))
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
        roadmap = self.recs.roadmap if self.recs is not None else None
        phases = roadmap.phases if roadmap is not None else {}
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
                body = para(_words(a.text, lang))
                if _words(a.support, lang):
                    body += f"<br/>{SMALL}<b>{self.T('support')}:</b> {para(_words(a.support, lang))}</font>"
                # the pillar and step have their own columns: the answers behind the step are enough
                evidence = getattr(a, "evidence", None)  # added to the contract later: stand-ins may lack it
                reason = self._with_codes(_words(evidence, lang) or _words(a.reason, lang), a.questions)
                if reason:
                    body += f"<br/>{SMALL}{para(reason)}</font>"
                j = len(rows)
                rows.append([
                    P(body, "cell_mixed"),
                    M(para(self.pname(a.pillar)), W * 0.22),
                    M(para(f"{a.from_level} → {a.to_level}"), W * 0.12),
                ])
                extra.append(("LINEBEFORE", (0, j), (0, j), 3, PHASE_INK[ph]))
        out.append(table(rows, [W * 0.66, W * 0.22, W * 0.12], extra))

        targets = roadmap.targets if roadmap is not None else {}
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
            block.append(table(trows, [W * 0.31, W * 0.23, W * 0.23, W * 0.23], textra))
            out.append(KeepTogether(block))
        out.append(PageBreak())
        return out

    def platforms(self) -> list[Flowable]:
        lang = self.lang
        out: list[Flowable] = [P(self.T("platforms"), "h1"), P(self.T("platforms_intro"), "small")]
        categories = list(self.recs.categories) if self.recs is not None else []
        if not categories:
            out.append(P(self.T("no_categories")))
        for n, c in enumerate(categories, 1):
            mode = self.T("mode_improve") if c.mode == "improve" else self.T("mode_adopt")
            mode = "\u00a0".join(mode.split())  # wraps as a whole, never a lone last word
            head = P(f"{n}. {para(_words(c.name, lang))} <font size='9' color='#607d8b'>·\u00a0{mode}</font>",
                     "h2")
            intro = []
            problem = _words(c.problem, lang)
            reason = _words(c.reason, lang)
            if problem:
                intro.append(P(para(problem), "body"))
            reason = self._with_codes(reason, c.questions)
            if reason:
                intro.append(P(para(reason), "small"))
            picks = list(c.platforms)
            if not picks:
                note = _words(getattr(c, "platform_note", None), lang) or self.T("no_platforms")  # stand-ins may lack it
                out.append(KeepTogether([head, *intro, P(para(note), "small")]))
                continue
            rows: list[list[Any]] = [[P(self.T("platform"), "th"), P(self.T("vendor"), "th"), P(self.T("why"), "th"),
                                      P(self.T("support_available"), "th")]]
            for p in picks:
                rows.append([
                    P(f"<b>{para(p.name)}</b><br/>{SMALL}{para(p.website or '')}</font>", "cell_mixed"),
                    M(para(p.vendor), W * 0.17),
                    P(para(_words(p.reason, lang)), "cell"),
                    P("<br/>".join([
                        self.T("smedx_flag", v=self._flag(p.smedx)),
                        self.T("decree80_flag", v=self._flag(p.decree80)),
                        self.T("free_trial_flag", v=self._flag(p.free_trial)),
                        self.T("price", v=self._price(p.price_band)),
                    ]), "cell_small"),
                ])
            platform_table = table(rows, [W * 0.24, W * 0.17, W * 0.37, W * 0.22])
            out.append(KeepTogether([head, *intro, platform_table]))  # no heading left alone at a page foot
        out.append(PageBreak())
        return out

    def _with_codes(self, reason: str, questions: Any) -> str:
        """The answers behind a step or a category, followed by their criteria codes ("1.1.2, 3.2.4")."""
        codes = [c for c in (_code_of(self.q, qid) for qid in (questions or [])) if c]
        if not codes:
            return reason
        codes = list(dict.fromkeys(codes))
        listed = plural(self.lang, "criteria_codes", len(codes), codes=", ".join(codes))
        return f"{reason} ({listed})" if reason else listed

    def _flag(self, value: Any) -> str:
        key = f"flag_{value}" if value in ("yes", "no", "unknown") else "flag_unknown"
        return self.T(key)

    def _price(self, band: Any) -> str:
        return self.T(f"price_{band}") if band in ("free", "low", "medium", "high") else self.T("none")

    def support(self) -> list[Flowable]:
        out: list[Flowable] = [P(self.T("support_title"), "h1"), P(self.T("support_intro"))]
        for key in ("smedx", "decree80", "provincial", "how_to_start"):
            out += [P(self.T(f"{key}_title"), "h2"), P(self.T(f"{key}_body"))]
        out += [P(self.T("dbi_title"), "h2"), P(self._frame())]
        box = Table([[P(self.T("support_disclaimer"), "small")]], colWidths=[W])
        box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PALE), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                                 ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        out += [Spacer(1, 6 * mm), box, PageBreak()]
        return out

    def appendix(self) -> list[Flowable]:
        lang, q, r = self.lang, self.q, self.r
        out: list[Flowable] = []
        heads: list[Flowable] = [P(self.T("appendix"), "h1")]
        # a code column when the questionnaire has codes (plain strings: nothing to wrap)
        widths = [W * 0.08, W * 0.5, W * 0.42] if self.has_codes else [W * 0.55, W * 0.45]
        for pillar in q.pillars:
            head = [P(self.T("question"), "th"), P(self.T("your_answer"), "th")]
            rows: list[list[Any]] = [[P(self.T("code"), "th"), *head] if self.has_codes else head]
            for question in pillar.questions:
                qr = r.questions.get(question.id)
                status = qr.status if qr else UNANSWERED
                value = None if status == HIDDEN else self._value(question.id)
                style = "cell_small" if status == HIDDEN else "cell"
                if status == HIDDEN:  # in small grey print
                    cells = [P(para(question.text.get(lang)), style), P(answer_text(question, status, value, lang), style)]
                else:
                    cells = [M(para(question.text.get(lang)), widths[-2]), M(answer_text(question, status, value, lang),
                                                                             widths[-1])]
                if self.has_codes:
                    cells.insert(0, M(para(question.code or ""), widths[0], style))
                rows.append(cells)
            heads.append(P(para(pillar.name.get(lang)), "h2"))
            out += heads_with_table(heads, table(rows, widths))
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
    result: Result,
    recommendations: Recommendations | None,
    profile: FirmProfile | None,
    lang: str = "vi",
    benchmark: Benchmark | None = None,
    answers: Mapping[str, Any] | None = None,
    when: date | datetime | None = None,
    *,
    code: str | None = None,
    previous: Result | Mapping[str, Any] | None = None,
    previous_when: date | datetime | None = None,
) -> bytes:
    """The PDF roadmap as bytes (see the module docstring). Same input → same bytes.

    ``when``: the assessment's date, or an aware datetime (printed as the day in Vietnam, UTC+7);
    None is today in Vietnam. ``code``: the resume code, printed on the cover. ``previous``: for
    a follow-up, the assessment it follows (a ``Result`` or its ``to_dict()``), compared per
    pillar and overall; ``previous_when``: its date (as ``when``). A naive datetime raises
    ValueError.
    """
    lang = lang_of(lang)
    day = local_date(when)
    previous_day = local_date(previous_when) if previous_when is not None else None
    report = _Report(questionnaire, result, recommendations, profile, lang, benchmark, answers, day, code, previous,
                     previous_day)
    title = t(lang, "doc_title") + (f" — {report.firm}" if report.firm else "")  # metadata: logical order
    decor = Decor(
        lang,
        clean(report.firm),
        t(lang, "footer", title=clean(questionnaire.title.get(lang)), version=clean(questionnaire.version)),
        format_date(day, lang),
    )
    return build_pdf(report.story(), decor, lang=lang, title=title, subject=t(lang, "doc_subject"),
                     keywords=t(lang, "keywords"))
