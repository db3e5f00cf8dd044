"""A workshop room's results on one page, for the association that ran it.

``render_room_summary(summary: RoomSummary, lang="vi") -> bytes`` (``report.models.RoomSummary``).

The workshop, its organiser, date, province and questionnaire; how many joined and finished;
the level distribution; the mean per pillar beside the province and national pools; the three
most common gaps and the platform categories the room most needs. No firm names. A room of
fewer than ``k`` firms (default 5) says so instead of any figure, and a pool of fewer than k
firms is marked hidden: nobody can work out one firm's result from the page.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from report import charts
from report.fonts import FONT, clean
from report.layout import ACCENT, PALE, Decor, P, W, bounded, build_pdf, para
from report.models import RoomSummary
from report.pooled import box, counts_list, label_of, level_block, meta_table, shown
from report.text import format_count, format_date, lang_of, local_date, t
from scoring.profile import load_profile_reference


def _province(value: str | None, lang: str) -> str:
    """A province id (or a name, old names too) by its name in the reference data."""
    if not value:
        return ""
    found = load_profile_reference().province_from_name(value)
    return found.name.get(lang) if found is not None else value


class _Room:
    def __init__(self, s: RoomSummary, lang: str):
        self.s = s
        self.lang = lang
        self.k = max(1, int(s.k))
        self.n = s.finished if s.n is None else s.n
        self.day = local_date(s.when) if s.when is not None else None

    def T(self, key: str, **kw: Any) -> str:  # noqa: N802
        return t(self.lang, key, **kw)

    def head(self) -> list[Flowable]:
        s, lang = self.s, self.lang
        out: list[Flowable] = [
            P(self.T("tool_name"), "cover_tool"),
            P(self.T("room_title"), "h1"),
            P(para(bounded(s.workshop_name)), "h2"),
        ]
        meta = []
        if s.association:
            meta.append((self.T("room_association"), para(bounded(s.association))))
        if self.day is not None:
            meta.append((self.T("room_date"), format_date(self.day, lang)))
        if s.province:
            meta.append((self.T("room_province"), para(_province(bounded(s.province), lang))))
        meta.append((self.T("room_questionnaire"), para(label_of(s.questionnaire_title, lang))))
        out.append(meta_table(meta))
        big = [[P(f"<b>{format_count(s.joined, lang)}</b>", "level_big"),
                P(f"<b>{format_count(s.finished, lang)}</b>", "level_big")],
               [P(self.T("room_joined"), "level_label"), P(self.T("room_finished"), "level_label")]]
        counts = Table(big, colWidths=[W / 2, W / 2], hAlign="LEFT")
        counts.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("BACKGROUND", (0, 0), (-1, -1), PALE),
                                    ("BOX", (0, 0), (-1, -1), 0.8, ACCENT), ("LINEAFTER", (0, 0), (0, -1), 0.5, ACCENT),
                                    ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        out += [Spacer(1, 3 * mm), counts, Spacer(1, 2 * mm)]
        return out

    def figures(self) -> list[Flowable]:
        s, lang, k, n = self.s, self.lang, self.k, self.n
        if not shown(n, k) or n == 0:
            return [Spacer(1, 4 * mm), box([P(self.T("room_too_few", k=k), "body")])]
        out: list[Flowable] = level_block(s.levels, n, k, lang)
        if s.pillars:
            out += self.pillar_chart()
        lists = Table([[
            [P(self.T("room_gaps"), "h3"), *counts_list(s.top_gaps[:3], n, k, lang, per_cell=False)],
            [P(self.T("room_categories"), "h3"), *counts_list(s.top_categories[:3], n, k, lang, per_cell=False)],
        ]], colWidths=[W / 2, W / 2], hAlign="LEFT")
        lists.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        out += [Spacer(1, 3 * mm), lists]
        return out

    def pillar_chart(self) -> list[Flowable]:
        """The room's mean per pillar, and the pools' where they exist (hidden under k firms)."""
        s, lang, k = self.s, self.lang, self.k
        hidden = self.T("suppressed_mark")
        series = [[p.mean if shown(p.n if p.n is not None else self.n, k) else None for p in s.pillars]]
        labels = [self.T("pool_n", label=self.T("room_you"), n=format_count(self.n, lang))]
        colours = [charts.FIRM]
        for attr, pool_n, key, colour in (("province", s.province_n, "room_province_pool", charts.PROVINCE),
                                          ("national", s.national_n, "room_national_pool", charts.NATIONAL)):
            values = [getattr(p, attr) for p in s.pillars]
            if pool_n is None and all(v is None for v in values):
                continue  # no such pool for this room: no empty series
            ok = pool_n is None or shown(pool_n, k)
            series.append([v if ok else None for v in values])
            if not ok:
                labels.append(self.T("pool_small", label=self.T(key), k=k))
            else:
                labels.append(self.T("pool_n", label=self.T(key), n=format_count(pool_n, lang)) if pool_n is not None
                              else self.T(key))
            colours.append(colour)
        names = [clean(label_of(p.name, lang)) for p in s.pillars]
        drawing = charts.grouped_bars(names, series, tuple(labels), W, colours=tuple(colours), row_h=14,
                                      missing=hidden)
        return [P(self.T("pillar_means_chart"), "h3"), drawing]

    def story(self) -> list[Flowable]:
        return self.head() + self.figures() + [Spacer(1, 3 * mm), P(self.T("room_privacy", k=self.k), "small"),
                                               P(self.T("frame_short"), "small")]


def render_room_summary(summary: RoomSummary, lang: str = "vi") -> bytes:
    """The room's one-page summary (see the module docstring). Same input → same bytes."""
    lang = lang_of(lang)
    room = _Room(summary, lang)
    name = bounded(summary.workshop_name)
    title = f"{t(lang, 'room_title')} — {name}"
    when = format_date(room.day, lang) if room.day is not None else ""
    decor = Decor(lang, clean(name), t(lang, "room_title"), when)
    return build_pdf(room.story(), decor, lang=lang, title=title, subject=t(lang, "room_subject"))
