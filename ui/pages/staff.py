"""Programme staff: the overview of the consented pool under the filter bar: how many firms,
their mean score, the level distribution, and each pillar's mean and levels, every figure
with its n. A group under k firms shows nothing but the note that says why."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import charts, resources
from ui.i18n import t
from ui.pages import staff_charts
from ui.pages import staff_common as sc
from ui.safe import section


def _levels(scope: sc.Scope) -> list[int]:
    if scope.questionnaire is not None:
        return [lv.level for lv in scope.questionnaire.levels]
    return sorted(scope.names.levels)


def render() -> None:
    if not sc.page_head("staff.overview_title", "staff.overview_intro"):
        return
    scope = sc.filter_bar()
    with section("staff.overview"):
        ov = resources.get_store().staff.overview(scope.filters, k=scope.k)
        if sc.empty_or_hidden(ov.n, ov.suppressed, scope.k):
            return
        names = scope.names
        levels = [lv for lv in _levels(scope) if lv in ov.levels] or sorted(ov.levels)
        top = max(levels) if levels else 0
        common_level = max(ov.levels, key=lambda lv: (ov.levels[lv], -lv)) if ov.levels else None
        with st.container(horizontal=True, key="staff_metrics"):
            sc.metric(t("staff.firms"), sc.number(ov.n), None, "staff_m_firms", note=t("staff.firms_note"))
            sc.metric(t("staff.mean_score"), sc.percent(ov.percent_mean), ov.n, "staff_m_mean")
            sc.metric(t("staff.common_level"), names.level(common_level), None, "staff_m_level",
                      note=t("staff.common_level_note", firms=sc.number(ov.levels.get(common_level)), n=sc.number(ov.n)))

        st.subheader(t("staff.levels_title"), anchor=False)
        st.caption(sc.n_is(ov.n))
        rows = [{"label": names.level(lv), "level": lv, "firms": ov.levels.get(lv, 0)} for lv in levels]
        sc.chart(charts.level_distribution(rows, top), "staff_ch_levels")

        st.subheader(t("staff.pillars_title"), anchor=False)
        st.caption(t("staff.pillars_caption"))
        pillars = ov.pillars
        bars = []
        for _, p in pillars.iterrows():
            n = None if pd.isna(p["n"]) else int(p["n"])
            mean = None if pd.isna(p["mean"]) else float(p["mean"])
            bars.append({"label": names.pillar(p["pillar"]), "value": mean,
                         "text": f"{sc.percent(mean)} · {sc.n_is(n)}" if mean is not None else sc.n_is(n)})
        if bars:
            sc.chart(staff_charts.mean_bars(bars), "staff_ch_pillars")
            st.markdown(f"**{t('staff.pillar_levels_title')}**")
            shares = [{"group": names.pillar(p["pillar"]), "level": lv,
                       "firms": 0 if pd.isna(p[f"level_{lv}"]) else int(p[f"level_{lv}"])}
                      for _, p in pillars.iterrows() for lv in levels if f"level_{lv}" in pillars.columns]
            sc.chart(staff_charts.level_shares(shares, [(lv, names.level(lv)) for lv in levels], top),
                     "staff_ch_pillar_levels")
        with st.expander(t("staff.table"), icon=":material/table:"):
            table = pd.DataFrame({
                t("staff.col_pillar"): [names.pillar(p) for p in pillars["pillar"]],
                t("staff.col_n"): pillars["n"],
                t("staff.col_mean"): pillars["mean"].round(1),
                **{names.level(lv): pillars[f"level_{lv}"] for lv in levels if f"level_{lv}" in pillars.columns},
            })
            st.dataframe(table, hide_index=True, width="stretch", key="staff_overview_table")
