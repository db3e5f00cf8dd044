"""Charts for the Results page (Altair): a radar of the pillars, bars per pillar, and the
change since the previous assessment. Only drawing: the numbers come from the Result.

Altair is imported when a chart is first drawn, not with this module: the navigation imports
every page on a server's first run, and the Start page has no chart (about 0.3 s saved there).
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd


class _Altair:
    """``alt`` as if imported, but loaded on first use (``alt.Chart`` …)."""

    def __getattr__(self, name: str):
        import altair

        return getattr(altair, name)


alt = _Altair()

RADAR_SIZE = 320
COLOURS = ["#1565c0", "#ef6c00", "#2e7d32"]
# from "not started" to the top level, whatever the questionnaire's number of levels; each at
# least 3:1 against white (WCAG 1.4.11, graphics), from slate through red and amber to green
LEVEL_COLOURS = ["#6b7780", "#c62828", "#e65100", "#9e7700", "#558b2f", "#1b5e20"]
GREY = "#607d8b"  # a second series (peers, "before"): 4.4:1 against white


def level_colour(level: int | None, top: int) -> str:
    if level is None or level != level or top <= 0:
        return "#eceff1"
    return LEVEL_COLOURS[round(max(0, min(level, top)) / top * (len(LEVEL_COLOURS) - 1))]


def wrap(name: str, width: int = 16) -> str:
    return "\n".join(textwrap.wrap(name, width=width, break_long_words=False)) or name


def _point(i: int, n: int, r: float) -> tuple[float, float]:
    angle = 2 * math.pi * i / n
    return r * math.sin(angle), r * math.cos(angle)


def radar(names: list[str], series: list[tuple[str, list[float | None]]], size: int = RADAR_SIZE) -> alt.LayerChart:
    """``series``: [(label, [percent per pillar])]; the first is the firm, drawn filled."""
    n = len(names)
    grid = []
    for ring in (20, 40, 60, 80, 100):
        for i in range(n + 1):
            x, y = _point(i % n, n, ring / 100)
            grid.append({"ring": ring, "i": i, "x": x, "y": y})
    spokes = []
    for i in range(n):
        x, y = _point(i, n, 1.0)
        spokes += [{"spoke": i, "o": 0, "x": 0.0, "y": 0.0}, {"spoke": i, "o": 1, "x": x, "y": y}]
    points = []
    for s, (label, values) in enumerate(series):
        for i in range(n + 1):
            v = values[i % n]
            r = max(0.0, min(100.0, v or 0.0)) / 100
            x, y = _point(i % n, n, r)
            points.append({"series": label, "s": s, "i": i, "x": x, "y": y,
                           "pillar": names[i % n], "percent": round(v or 0.0)})
    labels = []
    for i, name in enumerate(names):
        x, y = _point(i, n, 1.12)
        side = "center" if abs(x) < 0.15 else ("left" if x > 0 else "right")
        # a label straight above (below) the chart sits on (hangs from) its point; Vega puts the
        # first line at the baseline, so a label above is lifted by its extra lines
        baseline = "middle" if side != "center" else ("bottom" if y > 0 else "top")
        label = wrap(name, 14)
        if baseline == "bottom":
            y += 0.14 * label.count("\n")
        labels.append({"x": x, "y": y, "label": label, "side": side, "baseline": baseline})

    dom = [-1.62, 1.62]
    x = alt.X("x:Q", scale=alt.Scale(domain=dom), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=dom), axis=None)
    base = alt.Chart(pd.DataFrame(grid)).mark_line(color="#cfd8dc", strokeWidth=1).encode(
        x=x, y=y, detail="ring:N", order="i:Q"
    )
    spoke = alt.Chart(pd.DataFrame(spokes)).mark_line(color="#cfd8dc", strokeWidth=1).encode(
        x=x, y=y, detail="spoke:N", order="o:Q"
    )
    labels_df = pd.DataFrame(labels)
    text_layers = [
        alt.Chart(labels_df[(labels_df["side"] == side) & (labels_df["baseline"] == baseline)])
        .mark_text(align=side, baseline=baseline, lineBreak="\n", fontSize=11, color="#37474f")
        .encode(x=x, y=y, text="label:N")
        for side, baseline in (("left", "middle"), ("right", "middle"), ("center", "bottom"), ("center", "top"))
        if ((labels_df["side"] == side) & (labels_df["baseline"] == baseline)).any()
    ]
    domain = [label for label, _ in series]
    colour = alt.Color(
        "series:N", scale=alt.Scale(domain=domain, range=COLOURS[: len(domain)]),
        legend=alt.Legend(title=None, orient="bottom", direction="vertical") if len(domain) > 1 else None,
    )
    df = pd.DataFrame(points)
    shapes = []
    for s in range(len(domain)):
        part = df[df["s"] == s]
        if s == 0:
            shape = alt.Chart(part).mark_line(interpolate="linear-closed", fillOpacity=0.25, strokeWidth=2.5,
                                              fill=COLOURS[0])
        else:
            shape = alt.Chart(part).mark_line(interpolate="linear-closed", strokeWidth=2, strokeDash=[5, 3])
        shapes.append(shape.encode(x=x, y=y, color=colour, order="i:Q"))
    dots = alt.Chart(df[(df["s"] == 0) & (df["i"] < len(names))]).mark_point(filled=True, size=40, color=COLOURS[0]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("pillar:N"), alt.Tooltip("percent:Q", format=".0f")]
    )
    return (
        alt.layer(base, spoke, *shapes, dots, *text_layers)
        .properties(width=size, height=size)
        .configure_view(stroke=None)
    )


def pillar_bars(rows: list[dict], top: int, legend: list[tuple[str, int]] | None = None) -> alt.LayerChart:
    """rows: {"pillar": name, "percent": 0..100 | None, "level": int | None, "label": text on the bar}.
    ``legend``: (name, level) pairs to explain the colours (the levels, or the signs of a quick check)."""
    df = pd.DataFrame(rows)
    df["name"] = df["pillar"].map(lambda s: wrap(s, 18))
    df["value"] = df["percent"].fillna(0.0)
    df["order"] = range(len(df))
    df["level_colour"] = [level_colour(lv, top) for lv in df["level"]]
    y = alt.Y(
        "name:N", sort=list(df["name"]), title=None,  # the questionnaire's order, whatever else is encoded
        axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=160, labelFontSize=12, ticks=False,
                      domain=False, labelPadding=6),
    )
    # the scale runs past 100 so that the label after a full bar ("Mức 5 · 100%") is not cut off
    x = alt.X("value:Q", scale=alt.Scale(domain=[0, 135]), title=None,
              axis=alt.Axis(values=[0, 20, 40, 60, 80, 100], grid=True))
    if legend:
        names = [name for name, _ in legend]
        colour = alt.Color("legend:N", scale=alt.Scale(domain=names, range=[level_colour(lv, top) for _, lv in legend]),
                           legend=alt.Legend(title=None, orient="bottom", direction="horizontal", columns=3,
                                             labelLimit=200, symbolType="square"))
        by_level = {lv: name for name, lv in legend}
        df["legend"] = [by_level.get(lv, "") for lv in df["level"]]
    else:
        colour = alt.Color("level_colour:N", scale=None)
    bars = alt.Chart(df).mark_bar(cornerRadiusEnd=3, height=22).encode(
        x=x, y=y, color=colour, tooltip=[alt.Tooltip("pillar:N"), alt.Tooltip("label:N")],
    )
    labels = alt.Chart(df).mark_text(align="left", dx=4, fontSize=12, color="#263238").encode(
        x=x, y=y, text="label:N"
    )
    return alt.layer(bars, labels).properties(height=alt.Step(44)).configure_view(stroke=None)


def change_bars(rows: list[dict], before: str, now: str) -> alt.Chart:
    """rows: {"pillar": name, "when": before|now, "percent": value} — grouped bars per pillar."""
    df = pd.DataFrame(rows)
    df["name"] = df["pillar"].map(lambda s: wrap(s, 18))
    order = list(dict.fromkeys(df["name"]))
    return (
        alt.Chart(df)
        .mark_bar(height=14, cornerRadiusEnd=2)
        .encode(
            y=alt.Y("name:N", sort=order, title=None,
                    axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=160, ticks=False, domain=False)),
            yOffset=alt.YOffset("when:N", sort=[before, now]),
            x=alt.X("percent:Q", scale=alt.Scale(domain=[0, 100]), title=None,
                    axis=alt.Axis(values=[0, 20, 40, 60, 80, 100])),
            color=alt.Color("when:N", sort=[before, now], scale=alt.Scale(range=[GREY, COLOURS[0]]),
                            legend=alt.Legend(title=None, orient="bottom")),
            tooltip=["pillar:N", "when:N", alt.Tooltip("percent:Q", format=".0f")],
        )
        .properties(height=alt.Step(18))
        .configure_view(stroke=None)
    )


def level_distribution(rows: list[dict], top: int, *, font: int = 12) -> alt.LayerChart:
    """rows: {"label": "2 · Beginning", "level": 2, "firms": 4}, lowest level first."""
    df = pd.DataFrame(rows)
    df["order"] = range(len(df))
    df["colour"] = [level_colour(lv, top) for lv in df["level"]]
    y = alt.Y("label:N", sort=alt.SortField("order"), title=None,
              axis=alt.Axis(labelFontSize=font, labelLimit=320, ticks=False, domain=False))
    x = alt.X("firms:Q", title=None, axis=alt.Axis(tickMinStep=1, labelFontSize=font, format="d"))
    bars = alt.Chart(df).mark_bar(cornerRadiusEnd=3, height=font * 2).encode(
        x=x, y=y, color=alt.Color("colour:N", scale=None), tooltip=["label:N", "firms:Q"]
    )
    labels = alt.Chart(df).mark_text(align="left", dx=4, fontSize=font, color="#263238").encode(
        x=x, y=y, text="firms:Q"
    )
    return alt.layer(bars, labels).properties(height=alt.Step(font * 3)).configure_view(stroke=None)


def group_compare(rows: list[dict], series: list[str], *, font: int = 12) -> alt.Chart:
    """rows: {"pillar": name, "series": one of ``series``, "percent": 0..100} — grouped bars
    per pillar (a room against the province and the national pool, a group against another)."""
    df = pd.DataFrame(rows)
    df["name"] = df["pillar"].map(lambda s: wrap(s, 22))
    order = list(dict.fromkeys(df["name"]))
    palette = [COLOURS[0], GREY, "#263238", COLOURS[1]][: len(series)]
    return (
        alt.Chart(df)
        .mark_bar(height=font, cornerRadiusEnd=2)
        .encode(
            y=alt.Y("name:N", sort=order, title=None,
                    axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=260, labelFontSize=font,
                                  ticks=False, domain=False)),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("percent:Q", scale=alt.Scale(domain=[0, 100]), title=None,
                    axis=alt.Axis(values=[0, 20, 40, 60, 80, 100], labelFontSize=font)),
            color=alt.Color("series:N", sort=series, scale=alt.Scale(domain=series, range=palette),
                            legend=alt.Legend(title=None, orient="bottom", labelFontSize=font, labelLimit=400)),
            tooltip=["pillar:N", "series:N", alt.Tooltip("percent:Q", format=".0f")],
        )
        # with yOffset the step is one bar's; a pillar's band must still hold its two-line label
        .properties(height=alt.Step(max(font * 1.4, font * 3.2 / len(series))))
        .configure_view(stroke=None)
    )


def count_bars(rows: list[dict], *, font: int = 12, colour: str = COLOURS[1]) -> alt.LayerChart:
    """rows: {"label": text, "firms": n}, largest first."""
    df = pd.DataFrame(rows)
    df["order"] = range(len(df))
    df["name"] = df["label"].map(lambda s: wrap(s, 28))
    y = alt.Y("name:N", sort=alt.SortField("order"), title=None,
              axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelFontSize=font, labelLimit=360, ticks=False,
                            domain=False))
    x = alt.X("firms:Q", title=None, axis=alt.Axis(tickMinStep=1, labelFontSize=font, format="d"))
    bars = alt.Chart(df).mark_bar(cornerRadiusEnd=3, height=font * 2, color=colour).encode(
        x=x, y=y, tooltip=["label:N", "firms:Q"]
    )
    labels = alt.Chart(df).mark_text(align="left", dx=4, fontSize=font, color="#263238").encode(
        x=x, y=y, text="firms:Q"
    )
    return alt.layer(bars, labels).properties(height=alt.Step(font * 3.5)).configure_view(stroke=None)
