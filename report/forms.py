"""The blank paper form: a questionnaire printed for rooms without phones or computers.

``render_blank_form(questionnaire, lang="vi", *, workshop_name=None, join_code=None) -> bytes``.

Every question with its answer boxes: "tick one" (single, yes/no), "tick all that apply"
(multi, its "none of these" marked), the steps of a scale with their words, a grid for a
matrix, a box with the unit for a number, lines for text; "Not applicable" where the question
allows it; a question shown only after some answer says so in words ("Answer only if you
chose “Yes” in question 3"). Each question carries its number, its framework code where it has
one and, in small grey print, its id and each option's id, so that the answers typed back in
(one form at a time, or a CSV) map to the questionnaire exactly. Before the questions: the firm
(name optional, sector, size band, province, staff) and consent in plain words (to the
organisers; to the anonymous pool: two separate boxes). Every page has a "form no." line so
loose pages find their form.

Deterministic and in DejaVu Sans, like the roadmap (``report.layout``).
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import unescape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from report.fonts import FONT, clean, width
from report.layout import (
    ACCENT,
    MUTED,
    PALE,
    RULE,
    Decor,
    P,
    W,
    bounded,
    build_pdf,
    para,
    styles,
)
from report.text import format_number, lang_of, t
from scoring.model import (
    Condition,
    ConditionGroup,
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    QuestionBase,
    Questionnaire,
    ScaleQuestion,
    SingleQuestion,
    TextQuestion,
)
from scoring.profile import load_profile_reference

BOX = "☐"
ID = "<font size='6.5' color='#90a4ae'>"  # ids for whoever types the answers back in
MAX_LABEL = 200  # characters of a workshop name or join code printed


def _ids(text: str) -> str:
    return f"{ID}[{para(text)}]</font>"


class _Form:
    def __init__(self, q: Questionnaire, lang: str, workshop: str, join_code: str):
        self.q = q
        self.lang = lang
        self.workshop = workshop
        self.join_code = join_code
        self.numbers = {question.id: n for n, (_, question) in enumerate(q.questions(), 1)}

    def T(self, key: str, **kw: Any) -> str:  # noqa: N802
        return t(self.lang, key, **kw)

    # -- pieces
    def ticks(self, items: list[str], columns: int = 1, across: bool = False) -> Table:
        """Tick boxes (``items`` are Paragraph markup) in ``columns`` columns, filled down (a long
        list read column by column) or ``across`` (a short scale read left to right)."""
        rows = -(-len(items) // columns)

        def at(r: int, c: int) -> int:
            return r * columns + c if across else c * rows + r

        grid = [[P(items[at(r, c)], "tick", bulletText=BOX) if at(r, c) < len(items) else ""
                 for c in range(columns)] for r in range(rows)]
        tbl = Table(grid, colWidths=[(W - 8 * mm) / columns] * columns, hAlign="LEFT")
        tbl.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        return tbl

    def _columns(self, items: list[str]) -> int:
        """Two columns when every answer fits half the width on one line (short answers: less paper)."""
        st = styles()["tick"]
        room = (W - 8 * mm) / 2 - st.leftIndent - 10
        plain = [unescape(re.sub(r"<[^>]+>", "", x)) for x in items]
        return 2 if len(items) > 2 and all(width(x, st.fontSize) <= room for x in plain) else 1

    def option_items(self, question: SingleQuestion | MultiQuestion) -> list[str]:
        items = []
        for o in question.options:
            note = f" <font size='7.5' color='#607d8b'>— {self.T('form_exclusive')}</font>" if o.exclusive else ""
            items.append(f"{para(o.label.get(self.lang))} {_ids(o.id)}{note}")
        return items

    def na_item(self, question: QuestionBase) -> list[str]:
        return [f"{self.T('form_na')} {_ids('na')}"] if question.allow_na else []

    def condition(self, cond: Condition | ConditionGroup) -> str:
        """A show_if in words: "you chose “Yes” in question 3", joined by "and" / "or"."""
        if isinstance(cond, ConditionGroup):
            parts = [self.condition(c) for c in (cond.all or cond.any or ())]
            joiner = f" {self.T('form_and' if cond.all is not None else 'form_or')} "
            return joiner.join(parts)
        n = self.numbers.get(cond.question, "?")
        try:
            target = self.q.question(cond.question)
        except KeyError:
            target = None
        parts = []
        if cond.in_ is not None:
            values = [self.T("form_quote", x=para(target.value_label(v, self.lang) if target is not None else v))
                      if isinstance(v, str) else format_number(v, self.lang) for v in cond.in_]
            parts.append(self.T("form_cond_in", n=n, values=f" {self.T('form_or')} ".join(values)))
        if cond.at_least is not None:
            parts.append(self.T("form_cond_at_least", n=n, x=format_number(cond.at_least, self.lang)))
        if cond.at_most is not None:
            parts.append(self.T("form_cond_at_most", n=n, x=format_number(cond.at_most, self.lang)))
        if not parts:
            parts.append(self.T("form_cond_answered", n=n))
        return f" {self.T('form_and')} ".join(parts)

    def answer_area(self, question: QuestionBase) -> tuple[str, list[Flowable]]:
        """The instruction ("tick one") and the boxes, lines or grid to answer in (``AREAS``)."""
        return AREAS[question.type](self, question)

    def _with_na(self, question: QuestionBase, flow: list[Flowable]) -> list[Flowable]:
        return flow + [self.ticks(self.na_item(question))] if question.allow_na else flow

    def text_area(self, question: TextQuestion) -> tuple[str, list[Flowable]]:
        lines = Table([[""] for _ in range(3)], colWidths=[W - 8 * mm], rowHeights=[7 * mm] * 3, hAlign="LEFT")
        lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE), ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        return self.T("form_write_text"), [lines]

    def number_area(self, question: NumberQuestion) -> tuple[str, list[Flowable]]:
        lang = self.lang
        unit = question.unit.get(lang) if question.unit else ""
        rng = self.T("form_range", min=format_number(question.min, lang), max=format_number(question.max, lang))
        box = Table([["", P(f"{para(unit)} <font size='8' color='#607d8b'>({rng})</font>", "cell")]],
                    colWidths=[32 * mm, W - 40 * mm], rowHeights=[8 * mm], hAlign="LEFT")
        box.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.8, ACCENT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                 ("LEFTPADDING", (1, 0), (1, 0), 6), ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        return self.T("form_write_number"), self._with_na(question, [box])

    def scale_area(self, question: ScaleQuestion) -> tuple[str, list[Flowable]]:
        steps = question.steps()
        heads = [P(f"{BOX} <b>{s}</b>", "tick_centre") for s in steps]
        words = [P(para(question.anchors[s].get(self.lang)) if s in question.anchors else "", "scale_word")
                 for s in steps]
        col = min(30 * mm, (W - 8 * mm) / len(steps))
        grid = Table([heads, words], colWidths=[col] * len(steps), hAlign="LEFT")
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1)]))
        return self.T("form_tick_scale"), self._with_na(question, [grid])

    def matrix_area(self, question: MatrixQuestion) -> tuple[str, list[Flowable]]:
        labels = [o.label.get(self.lang) for o in question.options]
        first = (W - 8 * mm) * 0.4
        col = ((W - 8 * mm) - first) / max(1, len(labels))
        head = [""] + [P(f"{para(x)} {_ids(o.id)}", "th_centre") for x, o in zip(labels, question.options)]
        body = [[P(f"{para(r.label.get(self.lang))} {_ids(r.id)}", "cell")] + [P(BOX, "box_centre") for _ in labels]
                for r in question.rows]
        grid = Table([head, *body], colWidths=[first] + [col] * len(labels), hAlign="LEFT", repeatRows=1)
        grid.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), PALE),
        ]))
        return self.T("form_tick_matrix"), self._with_na(question, [grid])

    def options_area(self, question: SingleQuestion | MultiQuestion, how: str) -> tuple[str, list[Flowable]]:
        items = self.option_items(question) + self.na_item(question)
        return self.T(how), [self.ticks(items, self._columns(items))]

    def question_flow(self, question: QuestionBase) -> list[Flowable]:
        lang = self.lang
        n = self.numbers[question.id]
        code = (question.code or "").strip()
        code_mark = f"<font color='#1565c0'>{para(code)}</font>\u00a0 " if code else ""
        qid = self.T("form_id", id=para(question.id)).replace(" ", "\u00a0")  # the id wraps as a whole
        head = f"<b>{self.T('form_question_n', n=n)}.</b> {code_mark}{para(question.text.get(lang))} {ID}{qid}</font>"
        block: list[Flowable] = [P(head, "form_q")]
        if question.help is not None:
            block.append(P(para(question.help.get(lang)), "form_help"))
        if question.show_if is not None:
            block.append(P(self.T("form_only_if", cond=self.condition(question.show_if)), "form_cond"))
        instruction, area = self.answer_area(question)
        if not question.required and question.marks_optional:
            instruction += f" ({self.T('form_optional')})"
        block.append(P(instruction, "form_how"))
        block += area
        block.append(Spacer(1, 3 * mm))
        return block

    # -- sections
    def intro(self) -> list[Flowable]:
        q, lang = self.q, self.lang
        out: list[Flowable] = [
            P(self.T("tool_name"), "cover_tool"),
            P(self.T("form_title"), "h1"),
            P(f"<b>{para(q.title.get(lang))}</b> ({self.T('version', v=para(q.version))})", "body"),
            P(para(q.description.get(lang)), "small"),
        ]
        meta = []
        if self.workshop:
            meta.append(f"<b>{self.T('form_workshop')}:</b> {para(self.workshop)}")
        if self.join_code:
            meta.append(f"<b>{self.T('form_join_code')}:</b> {para(self.join_code)}")
        if meta:
            out.append(P(" · ".join(meta), "body"))
        how = Table([[[P(self.T("form_how_title"), "h3"), P(self.T("form_how"), "small"),
                       P(self.T("frame_short"), "small")]]], colWidths=[W], hAlign="LEFT")
        how.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PALE), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                                 ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        out += [Spacer(1, 2 * mm), how]
        return out

    def profile(self) -> list[Flowable]:
        lang = self.lang
        out: list[Flowable] = [P(self.T("form_profile"), "h2")]
        name = Table([[P(f"<b>{self.T('form_name')}</b>", "form_q"), ""]], colWidths=[70 * mm, W - 74 * mm],
                     hAlign="LEFT")
        name.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, 0), 0.5, MUTED), ("FONTNAME", (0, 0), (-1, -1), FONT),
                                  ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        out += [name, Spacer(1, 2 * mm)]
        ref = load_profile_reference()
        sectors = [f"<b>{s.id}</b> — {para(s.name.get(lang))}" for s in ref.sectors]
        sizes = [f"{para(b.name.get(lang))} {_ids(b.id)}" for b in ref.size_bands]
        provinces = [f"{para(p.name.get(lang))} {_ids(p.id)}" for p in ref.provinces]
        out += [
            KeepTogether([P(f"<b>{self.T('form_sector')}</b>", "form_q"), self.ticks(sectors, 2)]),
            KeepTogether([P(f"<b>{self.T('form_size')}</b>", "form_q"), self.ticks(sizes, 3, across=True)]),
            KeepTogether([P(f"<b>{self.T('form_province')}</b>", "form_q"), self.ticks(provinces, 3)]),
        ]
        staff = Table([[P(f"<b>{self.T('form_staff')}</b>", "form_q"), ""]], colWidths=[70 * mm, 32 * mm],
                      rowHeights=[8 * mm],
                      hAlign="LEFT")
        staff.setStyle(TableStyle([("BOX", (1, 0), (1, 0), 0.8, ACCENT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("LEFTPADDING", (0, 0), (0, 0), 0), ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        out += [Spacer(1, 2 * mm), staff]
        consent = Table([[[
            P(self.T("form_consent_title"), "h3"),
            P(self.T("form_consent_room"), "tick", bulletText=BOX),
            P(self.T("form_consent_pool"), "tick", bulletText=BOX),
            P(self.T("form_consent_note"), "small"),
        ]]], colWidths=[W], hAlign="LEFT")
        consent.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, ACCENT), ("FONTNAME", (0, 0), (-1, -1), FONT),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8)]))
        out += [Spacer(1, 4 * mm), KeepTogether([consent])]
        return out

    def questions(self) -> list[Flowable]:
        lang = self.lang
        out: list[Flowable] = []
        for pillar in self.q.pillars:
            head: list[Flowable] = [P(para(pillar.name.get(lang)), "h2")]
            if pillar.description is not None:
                head.append(P(para(pillar.description.get(lang)), "small"))
            if not pillar.questions:
                out += head
            for i, question in enumerate(pillar.questions):
                flow = self.question_flow(question)
                # a question never splits over two pages; the pillar's heading stays with its first
                out.append(KeepTogether(head + flow if i == 0 else flow))
        return out

    def end(self) -> list[Flowable]:
        return [Spacer(1, 4 * mm), P(self.T("form_end"), "body"), Spacer(1, 4 * mm), P(self.T("form_entry"), "small")]

    def story(self) -> list[Flowable]:
        return self.intro() + self.profile() + self.questions() + self.end()


# How each question type is printed to be answered on paper: the one place the form branches
# on the type (a new type adds its drawing here).
AREAS: dict[str, Any] = {
    "single": lambda form, q: form.options_area(q, "form_tick_one"),
    "yesno": lambda form, q: form.options_area(q, "form_tick_one"),
    "multi": lambda form, q: form.options_area(q, "form_tick_all"),
    "scale": _Form.scale_area,
    "matrix": _Form.matrix_area,
    "number": _Form.number_area,
    "text": _Form.text_area,
}


def render_blank_form(
    questionnaire: Questionnaire,
    lang: str = "vi",
    *,
    workshop_name: str | None = None,
    join_code: str | None = None,
) -> bytes:
    """The questionnaire as a printable paper form (see the module docstring). Same input →
    same bytes: the form carries no date."""
    lang = lang_of(lang)
    form = _Form(questionnaire, lang, bounded(workshop_name, MAX_LABEL), bounded(join_code, 40))
    title = f"{t(lang, 'form_title')} — {clean(questionnaire.title.get(lang), visual=False)}"
    decor = Decor(lang, t(lang, "form_number"),
                  t(lang, "footer", title=clean(questionnaire.title.get(lang)), version=clean(questionnaire.version)),
                  clean(form.workshop) if form.workshop else t(lang, "form_title"))
    return build_pdf(form.story(), decor, lang=lang, title=title, subject=t(lang, "form_subject"))
