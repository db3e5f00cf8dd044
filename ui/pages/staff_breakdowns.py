"""Programme staff: the filtered pool broken down by province, sector or size band (or the
quarter of submission), as a chart and a table: per group its firms, mean score (overall or
one pillar) and level shares. A group under k firms keeps its row and says it is hidden."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import resources
from ui.i18n import t
from ui.pages import staff_charts
from ui.pages import staff_common as sc
from ui.safe import callback, section

ss = st.session_state
BY = ("province", "sector", "size_band", "quarter")
KEEP = "staff_bd"


@callback
def _changed(name: str) -> None:
    ss.setdefault(KEEP, {})[name] = ss.get(f"staff_bd_{name}")


def _seed(name: str, options: list, default):
    value = ss.setdefault(KEEP, {}).get(name, default)
    if value not in options:
        value = default
    if ss.get(f"staff_bd_{name}") != value:
        ss[f"staff_bd_{name}"] = value


def render() -> None:
    if not sc.page_head("staff.breakdowns_title", "staff.breakdowns_intro"):
        return
    scope = sc.filter_bar()
    names = scope.names
    with section("staff.breakdowns"):
        _seed("by", list(BY), "province")
        st.segmented_control(t("staff.bd_by"), list(BY), key="staff_bd_by", on_change=_changed, args=("by",),
                             format_func=lambda b: t(f"staff.by_{b}"), required=True)
        by = ss[KEEP].get("by", "province")
        frame = resources.get_store().staff.breakdown(scope.filters, by, k=scope.k)
        frame = frame[frame["suppressed"] | (frame["n"].fillna(0) > 0)]
        if frame.empty:
            st.info(t("staff.no_firms"), icon=":material/search_off:")
            return
        pillar_ids = [c for c in names.pillars if c in frame.columns]
        measures = ["percent", *pillar_ids]
        _seed("measure", measures, "percent")
        st.selectbox(t("staff.bd_measure"), measures, key="staff_bd_measure", on_change=_changed, args=("measure",),
                     format_func=lambda m: t("staff.overall") if m == "percent" else names.pillar(m))
        measure = ss[KEEP].get("measure", "percent")
        if measure not in measures:
            measure = "percent"
        hidden = int(frame["suppressed"].sum())
        shown = frame[~frame["suppressed"]]
        st.caption(t("staff.bd_counts", groups=len(frame), shown=len(shown), hidden=hidden, k=scope.k,
                     n=sc.number(int(shown["n"].sum()))))
        if by != "quarter" and not shown.empty:
            order = shown.sort_values(measure, ascending=False, na_position="last")
            frame = pd.concat([order, frame[frame["suppressed"]]])
        n_column = f"{measure}_n" if measure != "percent" else "n"
        bars = []
        for _, row in frame.iterrows():
            label = names.group(by, row[by])
            if row["suppressed"]:
                bars.append({"label": label, "value": None, "text": sc.hidden_note(scope.k)})
                continue
            value = None if pd.isna(row[measure]) else float(row[measure])
            n = None if pd.isna(row[n_column]) else int(row[n_column])
            bars.append({"label": label, "value": value, "text": f"{sc.percent(value)} · {sc.n_is(n)}"})
        st.subheader(t("staff.bd_chart_title", measure=t("staff.overall") if measure == "percent" else names.pillar(measure),
                       by=t(f"staff.by_{by}").lower()), anchor=False)
        sc.chart(staff_charts.mean_bars(bars), "staff_ch_breakdown")
        levels = [lv for lv in sorted(names.levels) if f"level_{lv}" in frame.columns]
        if levels and not shown.empty:
            st.markdown(f"**{t('staff.bd_levels_title')}**")
            shares = [{"group": names.group(by, row[by]), "level": lv, "firms": int(row[f"level_{lv}"])}
                      for _, row in frame[~frame["suppressed"]].iterrows() for lv in levels]
            sc.chart(staff_charts.level_shares(shares, [(lv, names.level(lv)) for lv in levels], max(levels)),
                     "staff_ch_breakdown_levels")
        table = pd.DataFrame({
            t(f"staff.by_{by}"): [names.group(by, v) for v in frame[by]],
            t("staff.col_n"): [sc.hidden_note(scope.k) if s else sc.number(n) for s, n in zip(frame["suppressed"], frame["n"])],
            t("staff.col_mean"): frame["percent"].round(1),
            t("staff.col_level"): frame["overall_level"].round(2),
            **{names.pillar(p): frame[p].round(1) for p in pillar_ids},
        })
        st.dataframe(table, hide_index=True, width="stretch", key="staff_breakdown_table")
        st.caption(t("staff.bd_table_caption"))
