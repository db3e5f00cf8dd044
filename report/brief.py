"""A short brief (2–4 pages) of the programme staff page's current view.

``render_staff_brief(brief: StaffBrief, lang="vi") -> bytes`` (``report.models.StaffBrief``).

The filter in words and the number of firms; the level distribution; the mean per pillar of
the group against the pool it is compared with (a chart and a table with the differences);
the most common needs; optional breakdowns (by province, sector, size). Every figure carries
its n; every group of fewer than ``k`` firms (default 5) is marked hidden instead of shown, and
a whole group under k shows nothing but its filter. No firm names.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from report import charts
from report.fonts import clean
from report.layout import Decor, M, P, W, build_pdf, heads_with_table, para, table
from report.models import StaffBrief
from report.pooled import box, label_of, level_block, meta_table, shown, small_count
from report.text import format_count, format_date, format_percent, lang_of, local_date, t
from scoring.formats import formats


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower(text: str) -> str:
    """A name inside a sentence: "Quy mô" → "quy mô", but "VSIC" stays (an acronym)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


class _Brief:
    def __init__(self, b: StaffBrief, lang: str):
        self.b = b
        self.lang = lang
        self.k = max(1, int(b.k))
        self.day = local_date(b.when)
        self.pool = label_of(b.pool_label, lang)
        self.Pool = capital(self.pool)  # noqa: N815 - the same words leading a header or legend

    def T(self, key: str, **kw: Any) -> str:  # noqa: N802
        return t(self.lang, key, **kw)

    def _n(self, n: int | None) -> str:
        return self.T("n_is", n=small_count(n, self.k, self.lang))

    def title(self) -> str:
        return label_of(self.b.title, self.lang) if self.b.title is not None else self.T("brief_title")

    def head(self) -> list[Flowable]:
        b, lang = self.b, self.lang
        out: list[Flowable] = [P(self.T("tool_name"), "cover_tool"), P(para(self.title()), "h1")]
        questionnaire = para(label_of(b.questionnaire_title, lang))
        if b.version:
            questionnaire += f" ({self.T('version', v=para(b.version))})"
        out.append(meta_table([(self.T("brief_questionnaire"), questionnaire),
                               (self.T("brief_made"), format_date(self.day, lang))]))
        filters = "; ".join(f"{para(label_of(f.label, lang))}: <b>{para(label_of(f.value, lang))}</b>"
                            for f in b.filters) or self.T("brief_filter_all")
        n = format_count(b.n, lang) if shown(b.n, self.k) else self.T("under_k", k=self.k)
        out += [Spacer(1, 3 * mm), box([P(self.T("brief_filter"), "h3"),
                                        P(self.T("brief_filter_sentence", n=n, filters=filters), "body")])]
        return out

    def key_figures(self) -> list[Flowable]:
        b, lang, k = self.b, self.lang, self.k
        rows: list[list[Any]] = [[P("", "th"), P(self.T("brief_group"), "th"), P(para(self.Pool), "th")]]
        rows.append([P(self.T("brief_n"), "cell_b"), M(small_count(b.n, k, lang), W * 0.3),
                     M(small_count(b.pool_n, k, lang), W * 0.3)])
        rows.append([P(self.T("brief_mean"), "cell_b"),
                     M(format_percent(b.mean, lang) if shown(b.n, k) else self.T("suppressed_mark"), W * 0.3),
                     M(format_percent(b.pool_mean, lang) if self._pool_ok(b.pool_n) else self.T("suppressed_mark"),
                       W * 0.3)])
        return [P(self.T("brief_key"), "h2"), table(rows, [W * 0.4, W * 0.3, W * 0.3])]

    def charts(self) -> list[Flowable]:
        b, lang, k = self.b, self.lang, self.k
        out: list[Flowable] = []
        if b.levels:
            out.append(KeepTogether(level_block(b.levels, b.n, k, lang, per_cell=True)))
        if b.pillars:
            group = [p.group if shown(p.group_n if p.group_n is not None else b.n, k) else None for p in b.pillars]
            pool = [p.pool if self._pool_ok(p.pool_n if p.pool_n is not None else b.pool_n) else None
                    for p in b.pillars]
            labels = (self.T("pool_n", label=self.T("brief_group"), n=small_count(b.n, k, lang)),
                      self.T("pool_n", label=self.Pool, n=small_count(b.pool_n, k, lang)) if b.pool_n is not None
                      else self.Pool)
            names = [clean(label_of(p.name, lang)) for p in b.pillars]
            drawing = charts.grouped_bars(names, [group, pool], labels, W, colours=(charts.FIRM, charts.PEERS),
                                          row_h=24, missing=self.T("suppressed_mark"))
            out.append(KeepTogether([P(self.T("pillar_means_chart"), "h3"), drawing]))
        return out

    def _pool_ok(self, n: int | None) -> bool:
        """A pool figure may be shown: its n is at least k, or not given (a pool the caller did not
        count; its figures are printed without an n)."""
        return n is None or shown(n, self.k)

    def _cell(self, value: float | None, n: int | None) -> str:
        if not shown(n, self.k):
            return self.T("suppressed_mark")
        return format_percent(value, self.lang)

    def comparison(self) -> list[Flowable]:
        b, lang, k = self.b, self.lang, self.k
        if not b.pillars:
            return []
        group_head = f"{self.T('brief_group')} ({self._n(b.n)})"
        pool_head = f"{para(self.Pool)} ({self._n(b.pool_n)})" if b.pool_n is not None else para(self.Pool)
        rows: list[list[Any]] = [[P(self.T("pillar"), "th"), P(group_head, "th"), P(pool_head, "th"),
                                  P(self.T("brief_difference"), "th")]]
        for p in b.pillars:
            gn = p.group_n if p.group_n is not None else b.n
            pn = p.pool_n if p.pool_n is not None else b.pool_n
            g = p.group if shown(gn, k) else None
            q = p.pool if self._pool_ok(pn) else None
            diff = "—"
            if g is not None and q is not None:
                diff = formats(lang).change(int(round(g)) - int(round(q)))  # of the shares as printed
            group_cell = self._cell(p.group, gn)
            if p.group_n is not None and shown(gn, k):
                group_cell += f" ({self._n(gn)})"
            pool_cell = format_percent(q, lang) if self._pool_ok(pn) else self.T("suppressed_mark")
            if p.pool_n is not None and shown(pn, k):
                pool_cell += f" ({self._n(pn)})"
            rows.append([P(para(label_of(p.name, lang)), "cell_b"), M(group_cell, W * 0.2), M(pool_cell, W * 0.2),
                         M(diff, W * 0.2)])
        heads = [P(self.T("brief_compare", pool=para(self.pool)), "h2")]
        out = heads_with_table(heads, table(rows, [W * 0.4, W * 0.2, W * 0.2, W * 0.2]))
        out += [Spacer(1, 1.5 * mm), P(self.T("brief_difference_note", pool=para(self.pool)), "small")]
        return out

    def needs(self) -> list[Flowable]:
        b, lang, k = self.b, self.lang, self.k
        if not b.needs:
            return []
        rows: list[list[Any]] = [[P("#", "th"), P(self.T("brief_need"), "th"),
                                  P(f"{self.T('brief_firms')} ({self._n(b.n)})", "th"), P(self.T("brief_share"), "th")]]
        for i, item in enumerate(b.needs, 1):
            ok = shown(item.count, k)
            rows.append([M(str(i), W * 0.06), P(para(label_of(item.name, lang)), "cell"),
                         M(format_count(item.count, lang) if ok else self.T("suppressed_mark"), W * 0.2),
                         M(format_percent(100 * item.count / b.n if b.n else None, lang) if ok
                           else self.T("suppressed_mark"), W * 0.2)])
        heads = [P(self.T("brief_needs"), "h2"), P(self.T("brief_needs_intro"), "small")]
        return heads_with_table(heads, table(rows, [W * 0.06, W * 0.54, W * 0.2, W * 0.2]))

    def breakdowns(self) -> list[Flowable]:
        lang, k = self.lang, self.k
        out: list[Flowable] = []
        for bd in self.b.breakdowns:
            rows: list[list[Any]] = [[P(para(capital(label_of(bd.by, lang))), "th"), P(self.T("brief_n"), "th"),
                                      P(self.T("brief_mean"), "th")]]
            for row in bd.rows:
                rows.append([P(para(label_of(row.name, lang)), "cell"), M(small_count(row.n, k, lang), W * 0.2),
                             M(self._cell(row.mean, row.n), W * 0.2)])
            heads = [P(self.T("brief_breakdown", by=para(lower(label_of(bd.by, lang)))), "h2")]
            out += heads_with_table(heads, table(rows, [W * 0.6, W * 0.2, W * 0.2]))
        return out

    def story(self) -> list[Flowable]:
        b, k = self.b, self.k
        out = self.head()
        if not shown(b.n, k) or b.n == 0:
            key = "brief_no_data" if b.n == 0 else None
            notice = self.T(key) if key else capital(self.T("suppressed", k=k)) + "."
            out += [Spacer(1, 4 * mm), box([P(notice, "body")])]
        else:
            out += self.key_figures() + self.charts()
            out += [CondPageBreak(60 * mm)] + self.comparison() + self.needs() + self.breakdowns()
        out += [Spacer(1, 4 * mm), P(self.T("brief_method", k=k), "small"),
                P(self.T("suppressed_note", k=k), "small")]
        return out


def render_staff_brief(brief: StaffBrief, lang: str = "vi") -> bytes:
    """The programme staff brief (see the module docstring). Same input → same bytes."""
    lang = lang_of(lang)
    doc = _Brief(brief, lang)
    title = doc.title()
    decor = Decor(lang, "", title, format_date(doc.day, lang))
    return build_pdf(doc.story(), decor, lang=lang, title=title, subject=t(lang, "brief_subject"))
