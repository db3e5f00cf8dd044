"""Programme staff: do firms progress? Firms with a baseline and a follow-up (both pooled):
the change in level and per pillar, and, by month, quarter or year of the follow-up, how
many rose, kept or fell a level. The filter bar applies to the follow-up."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import resources
from ui.i18n import t
from ui.pages import staff_charts
from ui.pages import staff_common as sc
from ui.safe import callback, section

ss = st.session_state
PERIODS = ("quarter", "month", "year")
KEEP = "staff_progress"


@callback
def _changed() -> None:
    ss.setdefault(KEEP, {})["period"] = ss.get("staff_pg_period")


def _value(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def render() -> None:
    if not sc.page_head("staff.progress_title", "staff.progress_intro"):
        return
    scope = sc.filter_bar()
    names = scope.names
    staff = resources.get_store().staff
    with section("staff.progress"):
        total = staff.progress(scope.filters, None, k=scope.k).iloc[0]
        n = None if pd.isna(total["n"]) else int(total["n"])
        if sc.empty_or_hidden(n, bool(total["suppressed"]), scope.k):
            st.caption(t("staff.pg_how"))
            return
        c1, c2, c3 = st.columns(3)
        with c1:
            sc.metric(t("staff.pg_pairs"), sc.number(n), None, "staff_pg_m_pairs", note=t("staff.pg_pairs_note"))
        with c2:
            sc.metric(t("staff.pg_level"), f"{sc.number(_value(total['level_before']), digits=2)} → "
                      f"{sc.number(_value(total['level_after']), digits=2)}", n, "staff_pg_m_level")
        with c3:
            sc.metric(t("staff.pg_score"), t("staff.points", value=sc.points(_value(total["percent_change"]))), n,
                      "staff_pg_m_score")
        st.markdown(t("staff.pg_moves", up=sc.number(int(total["level_up"])), same=sc.number(int(total["level_same"])),
                      down=sc.number(int(total["level_down"]))))

        st.subheader(t("staff.pg_pillars_title"), anchor=False)
        before, after = t("staff.pg_before"), t("staff.pg_after")
        rows, diffs = [], []
        for pid in names.pillars:
            b, a = _value(total.get(f"{pid}_before")), _value(total.get(f"{pid}_after"))
            if b is None or a is None:
                continue
            rows += [{"label": names.pillar(pid), "when": before, "value": b},
                     {"label": names.pillar(pid), "when": after, "value": a}]
            diffs.append({"label": names.pillar(pid), "difference": a - b, "text": sc.points(a - b)})
        if rows:
            st.caption(sc.n_is(n))
            sc.chart(staff_charts.before_after(rows, before, after), "staff_ch_pg_pillars")
            st.markdown(f"**{t('staff.pg_change_title')}**")
            sc.chart(staff_charts.difference_bars(diffs), "staff_ch_pg_change")

        st.subheader(t("staff.pg_time_title"), anchor=False)
        current = ss.setdefault(KEEP, {}).get("period", "quarter")
        if ss.get("staff_pg_period") != current:
            ss["staff_pg_period"] = current if current in PERIODS else "quarter"
        st.segmented_control(t("staff.pg_period"), list(PERIODS), key="staff_pg_period", on_change=_changed,
                             format_func=lambda p: t(f"staff.by_{p}"), required=True)
        period = ss[KEEP].get("period", "quarter")
        frame = staff.progress(scope.filters, period, k=scope.k)
        frame = frame[frame["suppressed"] | (frame["n"].fillna(0) > 0)]
        labels = {"up": t("staff.pg_up"), "same": t("staff.pg_same"), "down": t("staff.pg_down")}
        moves = [{"period": row["period"], "kind": kind, "firms": int(row[f"level_{kind}"])}
                 for _, row in frame[~frame["suppressed"]].iterrows() for kind in ("up", "same", "down")]
        if moves:
            sc.chart(staff_charts.movement_bars(moves, labels), "staff_ch_pg_moves")
        if frame["suppressed"].any():
            st.caption(t("staff.pg_hidden_periods", periods=", ".join(frame[frame["suppressed"]]["period"].astype(str)),
                         k=scope.k))
        table = pd.DataFrame({
            t(f"staff.by_{period}"): frame["period"],
            t("staff.pg_col_pairs"): [sc.hidden_note(scope.k) if s else sc.number(v) for s, v in zip(frame["suppressed"], frame["n"])],
            t("staff.pg_col_level_before"): frame["level_before"].round(2),
            t("staff.pg_col_level_after"): frame["level_after"].round(2),
            t("staff.pg_up"): frame["level_up"],
            t("staff.pg_same"): frame["level_same"],
            t("staff.pg_down"): frame["level_down"],
            t("staff.pg_col_change"): frame["percent_change"].round(1),
            **{f"{names.pillar(pid)} (±)": frame[f"{pid}_change"].round(1) for pid in names.pillars
               if f"{pid}_change" in frame.columns},
        })
        st.dataframe(table, hide_index=True, width="stretch", key="staff_progress_table")
        st.caption(t("staff.pg_how"))
