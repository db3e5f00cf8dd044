"""Pieces the two pooled-figure PDFs share (``report.room``, ``report.brief``): the k-firm rule,
a level distribution block, a labelled meta table and numbered lists of counts.

The k rule is applied here, when drawing, whatever the caller computed: a group of fewer than
``k`` firms shows a mark ("hidden" / "fewer than 5 firms: not shown"), never its figure. A count
of 0 is shown (it describes no firm).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from report import charts
from report.fonts import FONT, clean
from report.layout import PALE, RULE, P, W, para
from report.models import LevelCount, NamedCount, label_of
from report.text import format_count, format_percent, plural, t

__all__ = ["box", "counts_list", "hidden_cells", "label_of", "level_block", "meta_table", "shown", "small_count"]


def shown(n: int | None, k: int) -> bool:
    """May a figure about a group of ``n`` firms be printed? (0 may: it describes no firm.)"""
    return n is not None and (n == 0 or n >= k)


def hidden_cells(counts: Sequence[int], k: int) -> set[int]:
    """The cells of a distribution (counts that add up to a known total) to hide: those of 1 to k−1
    firms and, when only one would be hidden, the next smallest too — else it is the total minus
    the cells shown."""
    hidden = {i for i, c in enumerate(counts) if not shown(c, k)}
    if len(hidden) == 1:
        others = sorted((c, i) for i, c in enumerate(counts) if i not in hidden and c > 0)
        if others:
            hidden.add(others[0][1])
    return hidden


def small_count(n: int | None, k: int, lang: str) -> str:
    """A group's size as printed: the count, or "under 5" for a group too small to describe."""
    if n is None:
        return "—"
    return format_count(n, lang) if shown(n, k) else f"< {k}"


def meta_table(rows: list[tuple[str, str]]) -> Table:
    """Label / value lines (labels ours, values already escaped markup)."""
    cells = [[P(para(label), "cover_label"), P(value, "cover_meta")] for label, value in rows]
    table = Table(cells, colWidths=[42 * mm, W - 42 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def box(flowables: list[Flowable], width: float = W) -> Table:
    """A pale framed box around ``flowables`` (a notice that must be seen)."""
    table = Table([[flowables]], colWidths=[width], hAlign="LEFT")
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), PALE), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                               ("FONTNAME", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def level_block(levels: Sequence[LevelCount], n: int, k: int, lang: str, width: float = W,
                per_cell: bool = False) -> list[Flowable]:
    """The level distribution of ``n`` firms as bars with "count (share)" labels. With
    ``per_cell``, a level holding fewer than k firms (but some) is marked hidden, not drawn."""
    if not levels:
        return []
    top = max(lv.level for lv in levels)
    hidden = hidden_cells([lv.count for lv in levels], k) if per_cell else set()
    counts: list[float | None] = []
    labels: list[str] = []
    for i, lv in enumerate(levels):
        if i in hidden:
            counts.append(None)
            labels.append(t(lang, "suppressed_mark"))
        else:
            counts.append(lv.count)
            labels.append(f"{format_count(lv.count, lang)} ({format_percent(100 * lv.count / n if n else None, lang)})")
    names = [clean(label_of(lv.name, lang)) for lv in levels]
    drawing = charts.level_bars([(lv.level, name) for lv, name in zip(levels, names)], counts, labels, top, width)
    return [P(f"{t(lang, 'levels_chart')} <font size='8' color='#607d8b'>({t(lang, 'n_is', n=format_count(n, lang))})"
              f"</font>", "h3"), drawing]


def counts_list(items: Sequence[NamedCount], total: int, k: int, lang: str, per_cell: bool = True) -> list[Flowable]:
    """A numbered list "1. E-invoices — 12 of 19 firms" (a count under k hidden when ``per_cell``)."""
    if not items:
        return [P(t(lang, "room_none"), "small")]
    out: list[Flowable] = []
    for i, item in enumerate(items, 1):
        if per_cell and not shown(item.count, k):
            count = t(lang, "suppressed_mark")
        else:
            count = plural(lang, "n_firms", item.count, n=format_count(item.count, lang)) if not total else \
                t(lang, "room_count", n=format_count(item.count, lang), total=format_count(total, lang))
        out.append(P(f"{para(label_of(item.name, lang))} <font color='#607d8b' size='8'>— {count}</font>", "num",
                     bulletText=f"{i}."))
    return out
