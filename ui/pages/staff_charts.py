"""Charts of the programme-staff pages (Altair), beside those in ui/charts.py: means with
their n, level shares per group, differences with a sign, needs as shares, and a heat map
of needs by group. Only drawing: the figures come from ``store.staff``. A group under k has
no bar, only its note; every colour is at least 3:1 against white (tests/test_staff_app.py)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts import COLOURS, GREY, level_colour, wrap

BLUE = COLOURS[0]  # a mean
ORANGE = COLOURS[1]  # a need
UP = "#2e7d32"  # better (green)
DOWN = "#c62828"  # worse (red)
SAME = GREY
TEXT = "#263238"
PALETTE = (BLUE, ORANGE, UP, DOWN, SAME)
# the heat map's classes (share of firms, %): the printed share carries the figure, so the
# lightest cells need not stand out from white; the text on each class must (4.5:1)
HEAT_BREAKS = (20, 40, 60, 80)
HEAT = ("#e3f2fd", "#bbdefb", "#90caf9", "#1565c0", "#0d47a1")
HEAT_DARK_FROM = 3  # from this class on the text is white
FONT = 12


def _axis_y(order: list[str], width: int = 24) -> alt.Y:
    return alt.Y(
        "name:N", sort=order, title=None,
        axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=260, labelFontSize=FONT, ticks=False,
                      domain=False, labelPadding=6),
    )


def mean_bars(rows: list[dict], *, colour: str = BLUE, domain: float = 100.0) -> alt.LayerChart:
    """rows: {"label": group, "value": 0..100 | None (hidden or no firm), "text": "52% · n = 40"}:
    a bar per group with its figure and n after it; a group without a figure shows only its text."""
    df = pd.DataFrame(rows)
    df["name"] = df["label"].map(lambda s: wrap(str(s), 24))
    df["bar"] = df["value"].fillna(0.0)
    order = list(df["name"])
    x = alt.X("bar:Q", scale=alt.Scale(domain=[0, domain * 1.45]), title=None,
              axis=alt.Axis(values=[v * domain / 5 for v in range(6)], grid=True, labelFontSize=FONT))
    y = _axis_y(order)
    bars = alt.Chart(df).mark_bar(cornerRadiusEnd=3, height=18, color=colour).encode(
        x=x, y=y, tooltip=[alt.Tooltip("label:N"), alt.Tooltip("text:N")]
    )
    labels = alt.Chart(df).mark_text(align="left", dx=4, fontSize=FONT, color=TEXT).encode(x=x, y=y, text="text:N")
    return alt.layer(bars, labels).properties(height=alt.Step(36)).configure_view(stroke=None)


def level_shares(rows: list[dict], levels: list[tuple[int, str]], top: int) -> alt.Chart:
    """rows: {"group": label, "level": int, "firms": n}: a 100 % bar per group, split by level
    (lowest level first, the level colours of the results page)."""
    df = pd.DataFrame(rows)
    names = {lv: name for lv, name in levels}
    df["name"] = df["group"].map(lambda s: wrap(str(s), 24))
    df["legend"] = df["level"].map(names)
    total = df.groupby("group")["firms"].transform("sum")
    df["share"] = (df["firms"] / total.where(total > 0, 1) * 100).round(1)
    order = list(dict.fromkeys(df["name"]))
    legend = [name for _, name in levels]
    return (
        alt.Chart(df)
        .mark_bar(height=18)
        .encode(
            y=_axis_y(order),
            x=alt.X("firms:Q", stack="normalize", title=None,
                    axis=alt.Axis(format="%", values=[0, 0.2, 0.4, 0.6, 0.8, 1.0], labelFontSize=FONT)),
            color=alt.Color("legend:N", sort=legend,
                            scale=alt.Scale(domain=legend, range=[level_colour(lv, top) for lv, _ in levels]),
                            # two columns: three do not fit a phone's width
                            legend=alt.Legend(title=None, orient="bottom", direction="horizontal", columns=2,
                                              labelLimit=160, labelFontSize=FONT, symbolType="square")),
            order=alt.Order("level:Q"),
            tooltip=[alt.Tooltip("group:N"), alt.Tooltip("legend:N"), alt.Tooltip("firms:Q"),
                     alt.Tooltip("share:Q", format=".1f")],
        )
        .properties(height=alt.Step(32))
        .configure_view(stroke=None)
    )


def difference_bars(rows: list[dict]) -> alt.LayerChart:
    """rows: {"label": pillar, "difference": points | None, "text": "+4,2"}: bars to the right
    (green) where the group is ahead, to the left (red) where it is behind."""
    df = pd.DataFrame(rows)
    df["name"] = df["label"].map(lambda s: wrap(str(s), 24))
    df["bar"] = df["difference"].fillna(0.0)
    df["side"] = ["ahead" if v > 0 else "behind" for v in df["bar"]]
    reach = max(10.0, float(df["bar"].abs().max() or 0) * 1.4)
    order = list(df["name"])
    x = alt.X("bar:Q", scale=alt.Scale(domain=[-reach, reach]), title=None,
              axis=alt.Axis(grid=True, labelFontSize=FONT, tickCount=5))
    y = _axis_y(order)
    bars = alt.Chart(df).mark_bar(height=18).encode(
        x=x, y=y, color=alt.Color("side:N", scale=alt.Scale(domain=["ahead", "behind"], range=[UP, DOWN]), legend=None),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("text:N")],
    )
    right = alt.Chart(df[df["bar"] >= 0]).mark_text(align="left", dx=4, fontSize=FONT, color=TEXT).encode(
        x=x, y=y, text="text:N")
    left = alt.Chart(df[df["bar"] < 0]).mark_text(align="right", dx=-4, fontSize=FONT, color=TEXT).encode(
        x=x, y=y, text="text:N")
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=TEXT).encode(x="x:Q")
    return alt.layer(bars, right, left, zero).properties(height=alt.Step(36)).configure_view(stroke=None)


def share_heatmap(rows: list[dict], groups: list[str], needs: list[str]) -> alt.LayerChart:
    """rows: {"group": label, "need": category name, "share": 0..100 | None, "text": "42%" or
    the hidden mark}: a cell per group and need, darker where more firms need it."""
    df = pd.DataFrame(rows)
    df["need_name"] = df["need"].astype(str)
    need_order = list(needs)
    df["dark"] = df["share"].fillna(0) >= HEAT_BREAKS[HEAT_DARK_FROM - 1]
    x = alt.X("need_name:N", sort=need_order, title=None,
              # slanted names: every column is named, even a phone's narrow one (level names
              # would overlap, and Vega drops overlapping labels)
              axis=alt.Axis(labelAngle=-40, labelAlign="left", labelBaseline="middle", labelFontSize=11,
                            labelLimit=190, labelOverlap=False, orient="top", ticks=False, domain=False))
    y = alt.Y("group:N", sort=groups, title=None, axis=alt.Axis(labelFontSize=FONT, labelLimit=200, ticks=False,
                                                                domain=False))
    cells = alt.Chart(df).mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        x=x, y=y,
        color=alt.condition("datum.share === null", alt.value("#eceff1"),
                            alt.Color("share:Q", scale=alt.Scale(type="threshold", domain=list(HEAT_BREAKS),
                                                                 range=list(HEAT)), legend=None)),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("need:N"), alt.Tooltip("text:N")],
    )
    labels = alt.Chart(df).mark_text(fontSize=11).encode(
        x=x, y=y, text="text:N",
        color=alt.condition("datum.dark", alt.value("#ffffff"), alt.value(TEXT)),
    )
    # cells keep their width (a phone scrolls sideways rather than crushing them)
    return alt.layer(cells, labels).properties(height=alt.Step(30), width=alt.Step(60)).configure_view(stroke=None)


def movement_bars(rows: list[dict], labels: dict[str, str]) -> alt.Chart:
    """rows: {"period": label, "kind": "up" | "same" | "down", "firms": n}: per period, how
    many firms rose, kept or fell a level between their baseline and follow-up."""
    df = pd.DataFrame(rows)
    df["legend"] = df["kind"].map(labels)
    kinds = ["up", "same", "down"]
    legend = [labels[k] for k in kinds]
    df["order"] = df["kind"].map({k: i for i, k in enumerate(kinds)})
    return (
        alt.Chart(df)
        .mark_bar(size=28)
        .encode(
            x=alt.X("period:N", title=None, sort=list(dict.fromkeys(df["period"])),
                    axis=alt.Axis(labelAngle=0, labelFontSize=FONT)),
            y=alt.Y("firms:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d", labelFontSize=FONT)),
            color=alt.Color("legend:N", sort=legend, scale=alt.Scale(domain=legend, range=[UP, SAME, DOWN]),
                            legend=alt.Legend(title=None, orient="bottom", labelFontSize=FONT, labelLimit=300)),
            order=alt.Order("order:Q"),
            tooltip=["period:N", "legend:N", "firms:Q"],
        )
        .properties(height=260)
        .configure_view(stroke=None)
    )


def before_after(rows: list[dict], before: str, after: str) -> alt.Chart:
    """rows: {"label": pillar, "when": before | after, "value": 0..100}: a pair of bars per pillar."""
    df = pd.DataFrame(rows)
    df["name"] = df["label"].map(lambda s: wrap(str(s), 24))
    order = list(dict.fromkeys(df["name"]))
    return (
        alt.Chart(df)
        .mark_bar(height=12, cornerRadiusEnd=2)
        .encode(
            y=_axis_y(order),
            yOffset=alt.YOffset("when:N", sort=[before, after]),
            x=alt.X("value:Q", scale=alt.Scale(domain=[0, 100]), title=None,
                    axis=alt.Axis(values=[0, 20, 40, 60, 80, 100], labelFontSize=FONT)),
            color=alt.Color("when:N", sort=[before, after], scale=alt.Scale(domain=[before, after], range=[SAME, BLUE]),
                            legend=alt.Legend(title=None, orient="bottom", labelFontSize=FONT, labelLimit=300)),
            tooltip=["label:N", "when:N", alt.Tooltip("value:Q", format=".1f")],
        )
        .properties(height=alt.Step(16))
        .configure_view(stroke=None)
    )
