"""Vector charts for the PDF (reportlab.graphics: no browser, no network).

Every string in a drawing is set in the report's TTF font (``report.fonts.FONT``): a chart
label left on reportlab's default would pull Helvetica into the PDF.
"""

from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from report.fonts import FONT, FONT_BOLD, fit, width

FIRM = colors.HexColor("#1565c0")
FIRM_FILL = colors.Color(0x15 / 255, 0x65 / 255, 0xC0 / 255, alpha=0.22)
PEERS = colors.HexColor("#ef6c00")
BEFORE = colors.HexColor("#90a4ae")  # a previous assessment: grey, the present in the firm's blue
PROVINCE = colors.HexColor("#ef6c00")
NATIONAL = colors.HexColor("#6d4c41")
GRID = colors.HexColor("#c9d1d9")
INK = colors.HexColor("#263238")
MUTED = colors.HexColor("#607d8b")
LEVEL_COLOURS = ["#b0bec5", "#ef9a9a", "#ffcc80", "#fff176", "#aed581", "#66bb6a"]


def level_colour(level: int | None, top: int = 5) -> colors.Color:
    if level is None:
        return colors.HexColor("#eceff1")
    i = round(level * (len(LEVEL_COLOURS) - 1) / top) if top else 0
    return colors.HexColor(LEVEL_COLOURS[max(0, min(len(LEVEL_COLOURS) - 1, i))])


def new_drawing(w: float, h: float) -> Drawing:
    """A drawing whose initial font is the report's TTF (reportlab's default would be Helvetica)."""
    d = Drawing(w, h)
    d.initialFontName = FONT
    d.initialFontSize = 8
    return d


def wrap_words(text: str, size: float, max_width: float, max_lines: int = 3, bold: bool = False) -> list[str]:
    """Word wrap by measured width into as few lines as fit, balanced (no lone last word);
    over-long words are cut; at most ``max_lines``."""
    lines = _greedy(text, size, max_width, max_lines, bold)
    if len(lines) < 2 or any(width(word, size, bold) > max_width for word in text.split()):
        return lines  # one line, or a word that had to be cut: nothing to balance
    lo, hi = max_width / len(lines), max_width  # the narrowest width that still needs no more lines
    for _ in range(12):
        mid = (lo + hi) / 2
        if len(_greedy(text, size, mid, max_lines + 1, bold)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return _greedy(text, size, hi, max_lines, bold)


def _greedy(text: str, size: float, max_width: float, max_lines: int, bold: bool) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if width(trial, size, bold) <= max_width:
            line = trial
            continue
        if line:
            lines.append(line)
        line = word if width(word, size, bold) <= max_width else fit(word, size, max_width, bold)
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [fit(" ".join(lines[max_lines - 1 :]), size, max_width, bold)]
    return lines or [""]


def radar(
    names: list[str],
    firm: list[float | None],
    peers: list[float] | None = None,
    labels: tuple[str, str] = ("", ""),
    size: float = 250,
    label_width: float = 100,
) -> Drawing:
    """A spider chart of pillar percents (0–100) with rings at 20, 40 … 100.

    The drawing is ``size + 2 × label_width`` wide so that no spoke label is ever cut off.
    A pillar without a percent (all N/A) is drawn at 0 and its label says so.
    """
    font_size = 8
    w = size + 2 * label_width
    legend_h = 16 if peers is not None else 0
    h = size + 2 * 30 + legend_h
    d = new_drawing(w, h)
    chart = SpiderChart()
    chart.x = label_width
    chart.y = 30 + legend_h
    chart.width = chart.height = size
    rings = [20, 40, 60, 80, 100]
    n = len(names)
    data = [[r] * n for r in rings] + [[v or 0 for v in firm]]
    if peers is not None:
        data.append([v or 0 for v in peers])
    chart.data = data
    chart.labels = ["\n".join(wrap_words(name, font_size, label_width - 6)) for name in names]
    chart.startAngle = 90
    chart.direction = "clockwise"
    chart.spokes.strokeColor = GRID
    chart.spokes.strokeWidth = 0.5
    chart.spokes.labelRadius = 1.08
    chart.spokeLabels.fontName = FONT
    chart.spokeLabels.fontSize = font_size
    chart.spokeLabels.leading = font_size * 1.2
    chart.spokeLabels.fillColor = INK
    for i in range(n):  # anchor each label on the side away from the chart: never over a spoke
        a = math.radians(90 - i * 360 / n)
        c, si = math.cos(a), math.sin(a)
        anchor, text_anchor = ("w", "start") if c > 0.25 else ("e", "end") if c < -0.25 else ("s" if si > 0 else "n", "middle")
        chart.spokeLabels[i].boxAnchor = anchor
        chart.spokeLabels[i].textAnchor = text_anchor
    chart.strandLabels.fontName = FONT
    chart.strandLabels.fontSize = 7
    chart.strandLabels.format = None
    for i in range(len(rings)):
        chart.strands[i].strokeColor = GRID
        chart.strands[i].strokeWidth = 0.5
        chart.strands[i].fillColor = None
    k = len(rings)
    chart.strands[k].strokeColor = FIRM
    chart.strands[k].strokeWidth = 1.8
    chart.strands[k].fillColor = FIRM_FILL
    chart.strands[k].symbol = "FilledCircle"
    chart.strands[k].symbolSize = 4
    if peers is not None:
        chart.strands[k + 1].strokeColor = PEERS
        chart.strands[k + 1].strokeWidth = 1.4
        chart.strands[k + 1].strokeDashArray = (4, 2)
        chart.strands[k + 1].fillColor = None
    d.add(chart)
    # ring values between the first two spokes (clockwise from the top): a firm's points sit on
    # the spokes, so a value there never covers one
    cx = chart.x + size / 2
    cy = chart.y + size / 2
    half = math.pi / n if n >= 3 else math.pi / 4
    angle = math.pi / 2 - half
    for r in rings:
        radius = size / 2 * r / 100 * math.cos(half) - 4  # just inside the ring's edge
        d.add(String(cx + radius * math.cos(angle), cy + radius * math.sin(angle) - 2, f"{r}",
                     fontName=FONT, fontSize=6, fillColor=MUTED, textAnchor="middle"))
    if peers is not None:
        _legend(d, 4, 4, [(FIRM, labels[0]), (PEERS, labels[1])], w - 8)
    return d


def _legend(d: Drawing, x: float, y: float, items: list[tuple[colors.Color, str]], max_width: float) -> None:
    """Swatches and names side by side, centred in ``max_width`` (names cut to fit)."""
    texts = [text for _, text in items]
    if sum(14 + width(text, 8) for text in texts) + 20 * (len(items) - 1) > max_width:
        room = max_width / max(1, len(items)) - 34
        texts = [fit(text, 8, room) for text in texts]
    sizes = [14 + width(text, 8) for text in texts]
    x0 = x + max(0.0, (max_width - sum(sizes) - 20 * (len(items) - 1)) / 2)
    for (colour, _), text, size in zip(items, texts, sizes):
        d.add(Rect(x0, y + 1, 10, 7, fillColor=colour, strokeColor=None))
        d.add(String(x0 + 14, y + 1, text, fontName=FONT, fontSize=8, fillColor=INK))
        x0 += size + 20


def benchmark_bars(
    names: list[str],
    firm: list[float | None],
    peers: list[float | None],
    labels: tuple[str, str],
    width_pt: float = 460,
) -> Drawing:
    """Horizontal bars per pillar: the firm's percent next to the peer mean."""
    return grouped_bars(names, [firm, peers], labels, width_pt, colours=(FIRM, PEERS))


def paired_bars(
    names: list[str],
    upper: list[float | None],
    lower: list[float | None],
    labels: tuple[str, str],
    width_pt: float = 460,
    colours: tuple[colors.Color, colors.Color] = (FIRM, PEERS),
    row_h: float = 30,
) -> Drawing:
    """Two bars per pillar, ``upper`` above ``lower`` (e.g. last time above this time)."""
    return grouped_bars(names, [upper, lower], labels, width_pt, colours=colours, row_h=row_h)


def grouped_bars(
    names: list[str],
    series: list[list[float | None]],
    labels: tuple[str, ...],
    width_pt: float = 460,
    colours: tuple[colors.Color, ...] = (FIRM, PEERS),
    row_h: float = 30,
    missing: str = "",
) -> Drawing:
    """Horizontal bars of percents (0–100): one group per name, the series top to bottom in the
    order given, each bar labelled with its value. A None value draws no bar and, when
    ``missing`` is given, that word where the bar's label would be (a suppressed figure is
    marked, never shown as 0)."""
    font_size = 8
    label_w = 150
    n = len(names)
    k = max(1, len(series))
    row_h = max(row_h, 7 * k + 6)
    legend_h = 18
    axis_h = 18
    h = n * row_h + legend_h + axis_h + 6
    d = new_drawing(width_pt, h)
    chart = HorizontalBarChart()
    chart.x = label_w
    chart.y = legend_h + axis_h
    chart.width = width_pt - label_w - 16
    chart.height = n * row_h
    # the first category and the first series are drawn at the bottom: reverse both so that the
    # first name is on top and, within a group, the first series above the next
    chart.data = [[v or 0 for v in reversed(values)] for values in reversed(series)]
    for i, colour in enumerate(reversed(colours[:k])):
        chart.bars[i].fillColor = colour
    chart.bars.strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.strokeColor = GRID
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.categoryAxis.categoryNames = ["" for _ in names]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.strokeColor = GRID
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabelFormat = "%.0f"
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabels.fillColor = INK
    if any(v is None for values in series for v in values):
        # no "0" label on a bar that is not there: label each bar by hand (the value or the mark)
        chart.barLabelArray = [
            [_bar_label(v, missing) for v in reversed(values)] for values in reversed(series)
        ]
        chart.barLabelFormat = "values"
    d.add(chart)
    # category labels drawn by hand: wrapped to the label column, never cut off
    for i, name in enumerate(names):
        lines = wrap_words(name, font_size, label_w - 10, max_lines=2)
        yc = chart.y + chart.height - (i + 0.5) * row_h
        top = yc + (len(lines) - 1) * (font_size * 1.15) / 2 - font_size * 0.35
        for j, line in enumerate(lines):
            d.add(
                String(label_w - 6, top - j * font_size * 1.15, line, fontName=FONT, fontSize=font_size,
                       fillColor=INK, textAnchor="end")
            )
    if k > 2:  # three or more names: the legend takes the whole width
        _legend(d, 4, 2, list(zip(colours[:k], labels)), width_pt - 8)
    else:
        _legend(d, label_w, 2, list(zip(colours[:k], labels)), width_pt - label_w - 16)
    return d


def _bar_label(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:.0f}"


def level_bars(
    levels: list[tuple[int, str]],
    counts: list[float | None],
    labels: list[str],
    top: int = 5,
    width_pt: float = 460,
    row_h: float = 16,
) -> Drawing:
    """How many firms are at each level: one bar per level in its level colour, as long as its
    count (the largest the full width), with ``labels`` (e.g. "12 (63%)", or "hidden" for a
    suppressed count: no bar is drawn for None)."""
    font_size = 8
    label_w = 150
    value_w = 70
    n = len(levels)
    h = n * row_h + 8
    d = new_drawing(width_pt, h)
    room = width_pt - label_w - value_w
    biggest = max((c for c in counts if c), default=0)
    for i, ((level, name), count, label) in enumerate(zip(levels, counts, labels)):
        y = h - (i + 1) * row_h
        d.add(String(label_w - 6, y + row_h / 2 - 3, fit(f"{level} · {name}", font_size, label_w - 10),
                     fontName=FONT, fontSize=font_size, fillColor=INK, textAnchor="end"))
        bar = room * count / biggest if count and biggest else 0
        d.add(Rect(label_w, y + 2, room, row_h - 4, fillColor=colors.HexColor("#f3f6f9"), strokeColor=None))
        if bar:
            d.add(Rect(label_w, y + 2, bar, row_h - 4, fillColor=level_colour(level, top), strokeColor=INK,
                       strokeWidth=0.3))
        d.add(String(label_w + bar + 4, y + row_h / 2 - 3, label, fontName=FONT_BOLD if count else FONT,
                     fontSize=font_size, fillColor=INK if count is not None else MUTED))
    return d


def level_scale(levels: list[tuple[int, str]], current: int | None, width_pt: float = 460) -> Drawing:
    """A strip of the levels, the firm's one highlighted: where it stands on the ladder."""
    n = max(1, len(levels))
    h = 40
    d = new_drawing(width_pt, h)
    step = width_pt / n
    top = max((lv for lv, _ in levels), default=5)
    for i, (lv, name) in enumerate(levels):
        x = i * step
        here = lv == current
        d.add(
            Rect(x + 1, 8, step - 2, 24, fillColor=level_colour(lv, top) if here else colors.HexColor("#eceff1"),
                 strokeColor=INK if here else None, strokeWidth=1.2)
        )
        d.add(String(x + step / 2, 22, str(lv), fontName=FONT_BOLD, fontSize=9, fillColor=INK, textAnchor="middle"))
        d.add(
            String(x + step / 2, 12, fit(name, 6.5, step - 6, bold=here), fontName=FONT_BOLD if here else FONT,
                   fontSize=6.5, fillColor=INK, textAnchor="middle")
        )
    d.add(Line(0, 4, width_pt, 4, strokeColor=GRID, strokeWidth=0.5))
    return d


def progress_bar(percent: float | None, level: int | None, top: int, width_pt: float = 200) -> Drawing:
    """A small bar: the pillar's percent of its maximum, coloured by its level."""
    d = new_drawing(width_pt, 12)
    d.add(Rect(0, 2, width_pt, 8, fillColor=colors.HexColor("#eceff1"), strokeColor=None))
    if percent:
        d.add(Rect(0, 2, width_pt * max(0.0, min(100.0, percent)) / 100, 8, fillColor=level_colour(level, top),
                   strokeColor=None))
    d.add(Rect(0, 2, width_pt, 8, fillColor=None, strokeColor=GRID, strokeWidth=0.5))
    return d
