"""Programme staff: which kinds of digital tool the firms lack most (the capability gaps
their answers reveal, named as the platform catalogue's categories), for the filtered pool
and by group: the list a programme uses to decide what to subsidise, and where."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import resources
from ui.i18n import t
from ui.pages import staff_charts
from ui.pages import staff_common as sc
from ui.safe import callback, section

ss = st.session_state
BY = ("none", "province", "sector", "size_band", "round")
TOP = 10
HEAT_TOP = 6
KEEP = "staff_needs"


@callback
def _changed() -> None:
    ss.setdefault(KEEP, {})["by"] = ss.get("staff_needs_by")


def render() -> None:
    if not sc.page_head("staff.needs_title", "staff.needs_intro"):
        return
    scope = sc.filter_bar()
    names = scope.names
    staff = resources.get_store().staff
    with section("staff.needs"):
        whole = staff.needs(scope.filters, k=scope.k)
        if whole.empty:
            st.info(t("staff.no_firms"), icon=":material/search_off:")
            return
        head = whole.iloc[0]
        if bool(head["suppressed"]):
            st.warning(t("staff.group_hidden", k=scope.k), icon=":material/visibility_off:")
            return
        n = 0 if pd.isna(head["n"]) else int(head["n"])
        if not n:
            st.info(t("staff.no_firms"), icon=":material/search_off:")
            return
        top = whole[whole["firms"].fillna(0) > 0].head(TOP)
        st.subheader(t("staff.needs_top_title"), anchor=False)
        st.caption(t("staff.needs_top_caption", n=sc.number(n)))
        if top.empty:
            st.info(t("staff.needs_none"))
            return
        rows = [{"label": names.category(r["tag"]), "value": float(r["share"]) * 100,
                 "text": t("staff.needs_bar", share=sc.percent(float(r["share"]) * 100), firms=sc.number(int(r["firms"])))}
                for _, r in top.iterrows()]
        sc.chart(staff_charts.mean_bars(rows, colour=staff_charts.ORANGE), "staff_ch_needs")

        st.subheader(t("staff.needs_by_title"), anchor=False)
        current = ss.setdefault(KEEP, {}).get("by", "province")
        if ss.get("staff_needs_by") != current:
            ss["staff_needs_by"] = current if current in BY else "province"
        st.segmented_control(t("staff.bd_by"), [b for b in BY if b != "none"], key="staff_needs_by",
                             on_change=_changed, format_func=lambda b: t(f"staff.by_{b}"), required=True)
        by = ss[KEEP].get("by", "province")
        grouped = staff.needs(scope.filters, by, k=scope.k)
        tags = list(top["tag"].head(HEAT_TOP))
        groups = grouped.drop_duplicates(by)[[by, "n", "suppressed"]]
        groups = groups[groups["suppressed"] | (groups["n"].fillna(0) > 0)]
        cells, order = [], []
        for _, g in groups.iterrows():
            label = names.group(by, g[by])
            label = f"{label} · {t('staff.hidden_short')}" if g["suppressed"] else f"{label} · {sc.n_is(int(g['n']))}"
            order.append(label)
            part = grouped[grouped[by].isna() if pd.isna(g[by]) else grouped[by] == g[by]].set_index("tag")
            for tag in tags:
                share = None if g["suppressed"] or tag not in part.index or pd.isna(part.loc[tag, "share"]) \
                    else float(part.loc[tag, "share"]) * 100
                cells.append({"group": label, "need": names.category(tag), "share": share,
                              "text": t("staff.hidden_short") if g["suppressed"] else (f"{sc.number(share)}%" if share is not None else "—")})
        if cells:
            st.caption(t("staff.needs_heat_caption", k=scope.k))
            # the heat map keeps its cells' width: on a phone its box scrolls sideways
            st.html("<style>.st-key-staff_needs_heat_box{overflow-x:auto}</style>")
            with st.container(key="staff_needs_heat_box"):
                st.altair_chart(staff_charts.share_heatmap(cells, order, [names.category(tag) for tag in tags]),
                                width="content", key="staff_ch_needs_heat")
        with st.expander(t("staff.table"), icon=":material/table:"):
            table = pd.DataFrame({
                t(f"staff.by_{by}"): [names.group(by, v) for v in grouped[by]],
                t("staff.col_need"): [names.category(tag) for tag in grouped["tag"]],
                t("staff.col_firms"): grouped["firms"],
                t("staff.col_n"): grouped["n"],
                t("staff.col_share"): (grouped["share"] * 100).round(1),
                t("staff.col_note"): [sc.hidden_note(scope.k) if s else "" for s in grouped["suppressed"]],
            })
            st.dataframe(table[grouped["suppressed"] | (grouped["firms"].fillna(0) > 0)], hide_index=True,
                         width="stretch", key="staff_needs_table")
