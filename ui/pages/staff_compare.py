"""Programme staff: compare the filtered group (the filter bar) with the whole pool of the
same questionnaire, versions and period, or with another group, per pillar and overall,
with the difference in percentage points and both n. E.g. Lào Cai retail micro firms
against the national pool."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from ui import charts, common, reference, resources, state
from ui.i18n import t
from ui.pages import staff_charts
from ui.pages import staff_common as sc
from ui.safe import callback, section

ss = st.session_state
OTHER = "staff_cmp"  # the other group, kept across pages like the filter
W = "staff_cmp_"
AGAINST = ("pool", "group")


@callback
def _changed(name: str) -> None:
    ss.setdefault(OTHER, {})[name] = ss.get(W + name)


def _seed(name: str, options: list, default):
    value = ss.setdefault(OTHER, {}).get(name, default)
    if isinstance(default, list):
        value = [v for v in (value or []) if v in options]
    elif value not in options:
        value = default
    if ss.get(W + name) != value:
        ss[W + name] = value


def _other_group(scope: sc.Scope, lang: str):
    """The second group's choices (province, sector, size, round): the questionnaire,
    versions and period are the filter bar's, so the two sides stay comparable."""
    provinces = dict(reference.provinces(lang))
    sectors = dict(reference.sectors(lang))
    sizes = dict(reference.size_bands(lang))
    with st.container(border=True, key="staff_cmp_other"):
        st.markdown(f"**{t('staff.cmp_other_title')}**")
        sc.group_pickers(W, _seed, _changed, provinces=provinces, sectors=sectors, sizes=sizes)
    other = ss.get(OTHER, {})
    words = []
    for name, options in (("province", provinces), ("sector", sectors), ("size", sizes),
                          ("round", {r: t(f"staff.round_{r}") for r in sc.ROUNDS})):
        picked = [v for v in other.get(name) or [] if v in options]
        if picked:
            words.append(", ".join(options[v] for v in picked))
    filters = replace(
        scope.without_groups(),
        province=tuple(v for v in other.get("province") or [] if v in provinces) or None,
        sector=tuple(v for v in other.get("sector") or [] if v in sectors) or None,
        size_band=tuple(v for v in other.get("size") or [] if v in sizes) or None,
        round=tuple(v for v in other.get("round") or [] if v in sc.ROUNDS) or None,
    )
    return filters, " · ".join(words) or t("staff.cmp_pool")


def render() -> None:
    if not sc.page_head("staff.compare_title", "staff.compare_intro"):
        return
    scope = sc.filter_bar()
    lang = state.lang()
    group_words = " · ".join(v for _, v in scope.words[1:]) or t("staff.cmp_pool")
    st.markdown(t("staff.cmp_group_is", group=common.plain(group_words)))
    if scope.filters == scope.without_groups():
        st.info(t("staff.cmp_pick_a_group"), icon=":material/filter_alt:")
    _seed("against", list(AGAINST), "pool")
    st.segmented_control(t("staff.cmp_against"), list(AGAINST), key=W + "against", on_change=_changed,
                         args=("against",), format_func=lambda a: t(f"staff.cmp_against_{a}"), required=True)
    with section("staff.compare"):
        if ss.get(OTHER, {}).get("against", "pool") == "group":
            against, other_words = _other_group(scope, lang)
        else:
            against, other_words = scope.without_groups(), t("staff.cmp_pool")
        table = resources.get_store().staff.compare(scope.filters, against, k=scope.k)
        overall = table[table["pillar"] == "overall"].iloc[0]
        g_n = None if pd.isna(overall["group_n"]) else int(overall["group_n"])
        o_n = None if pd.isna(overall["other_n"]) else int(overall["other_n"])
        staff = resources.get_store().staff
        g_hidden = g_n is None and staff.overview(scope.filters, k=scope.k).suppressed
        o_hidden = o_n is None and staff.overview(against, k=scope.k).suppressed
        group_label = t("staff.cmp_series_group", n=sc.number(g_n)) if g_n is not None else t("staff.cmp_group")
        other_label = t("staff.cmp_series_other", name=other_words, n=sc.number(o_n)) if o_n is not None else other_words
        for hidden, words in ((g_hidden, t("staff.cmp_group")), (o_hidden, other_words)):
            if hidden:
                st.warning(t("staff.cmp_side_hidden", side=common.plain(words), k=scope.k),
                           icon=":material/visibility_off:")
        if not g_n or not o_n:
            if not (g_hidden or o_hidden):
                st.info(t("staff.no_firms"), icon=":material/search_off:")
            return
        c1, c2, c3 = st.columns(3)
        with c1:
            sc.metric(t("staff.cmp_group"), sc.percent(overall["group_mean"]), g_n, "staff_cmp_m_group")
        with c2:
            sc.metric(common.plain(other_words[:1].upper() + other_words[1:]), sc.percent(overall["other_mean"]), o_n,
                      "staff_cmp_m_other")
        with c3:
            sc.metric(t("staff.cmp_difference"), t("staff.points", value=sc.points(overall["difference"])), None,
                      "staff_cmp_m_diff")
        pillars = table[table["pillar"] != "overall"]
        st.subheader(t("staff.cmp_chart_title"), anchor=False)
        series = [group_label, other_label]
        rows = []
        for _, p in pillars.iterrows():
            name = scope.names.pillar(p["pillar"])
            if not pd.isna(p["group_mean"]):
                rows.append({"pillar": name, "series": series[0], "percent": float(p["group_mean"])})
            if not pd.isna(p["other_mean"]):
                rows.append({"pillar": name, "series": series[1], "percent": float(p["other_mean"])})
        if rows:
            sc.chart(charts.group_compare(rows, series), "staff_ch_compare")
        st.subheader(t("staff.cmp_diff_title"), anchor=False)
        st.caption(t("staff.cmp_diff_caption"))
        diffs = [{"label": scope.names.pillar(p["pillar"]),
                  "difference": None if pd.isna(p["difference"]) else float(p["difference"]),
                  "text": sc.points(p["difference"])} for _, p in table.iterrows()]
        sc.chart(staff_charts.difference_bars(diffs), "staff_ch_difference")
        shown = pd.DataFrame({
            t("staff.col_pillar"): [scope.names.pillar(p) for p in table["pillar"]],
            t("staff.cmp_col_group"): table["group_mean"].round(1),
            t("staff.cmp_col_group_n"): table["group_n"],
            t("staff.cmp_col_other"): table["other_mean"].round(1),
            t("staff.cmp_col_other_n"): table["other_n"],
            t("staff.cmp_col_difference"): table["difference"].round(1),
        })
        st.dataframe(shown, hide_index=True, width="stretch", key="staff_compare_table")
