"""Programme staff: results per questionnaire version, and re-scoring a selection of older
results on the current version. Re-scoring keeps the new figures beside the originals
(``Store.rescore``), never over them; the page says how many could not be re-scored and why,
and compares the pooled originals with their re-scored figures (groups under k hidden)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pandas as pd
import streamlit as st

from ui import resources
from ui.i18n import t
from ui.pages import staff_charts
from ui.pages import staff_common as sc
from ui.safe import section

ss = st.session_state
REPORT = "staff_rs_report"
SHOWN_FAILURES = 50


def _per_version(scope: sc.Scope) -> None:
    store = resources.get_store()
    frame = store.staff.breakdown(scope.filters, "questionnaire_version", k=scope.k, pillar_levels=False)
    layouts = [lay for lay in store.layouts() if lay.questionnaire_id == scope.qid]
    current = scope.questionnaire
    st.subheader(t("staff.rs_versions_title"), anchor=False)
    if not layouts:
        st.info(t("staff.rs_no_versions"))
        return
    rows = []
    for lay in sorted(layouts, key=lambda x: x.id):
        is_current = current is not None and lay.content_hash == current.content_hash
        rows.append({t("staff.rs_col_version"): lay.version, t("staff.rs_col_hash"): lay.content_hash[:10],
                     t("staff.rs_col_current"): "✓" if is_current else ""})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="staff_rs_layouts")
    frame = frame[frame["suppressed"] | (frame["n"].fillna(0) > 0)]
    if frame.empty:
        st.caption(t("staff.no_firms"))
        return
    bars = []
    for _, row in frame.iterrows():
        label = t("staff.rs_version", version=row["questionnaire_version"])
        if row["suppressed"]:
            bars.append({"label": label, "value": None, "text": sc.hidden_note(scope.k)})
        else:
            value = None if pd.isna(row["percent"]) else float(row["percent"])
            bars.append({"label": label, "value": value, "text": f"{sc.percent(value)} · {sc.n_is(int(row['n']))}"})
    st.markdown(f"**{t('staff.rs_means_title')}**")
    sc.chart(staff_charts.mean_bars(bars), "staff_ch_versions")


def _report(report, store) -> None:
    st.markdown(t("staff.rs_report", selected=sc.number(report.selected), rescored=sc.number(report.rescored),
                  same=sc.number(report.unchanged_level), failed=sc.number(len(report.failed))))
    if not report.failed:
        return
    reasons = Counter(why.split("; ")[0] for _, why in report.failed)
    st.markdown(f"**{t('staff.rs_failed_title', n=sc.number(len(report.failed)))}**")
    st.dataframe(pd.DataFrame([{t("staff.rs_col_why"): why, t("staff.col_firms"): n} for why, n in reasons.most_common()]),
                 hide_index=True, width="stretch", key="staff_rs_reasons")
    secret = store.export_secret()
    with st.expander(t("staff.rs_failed_rows", n=min(SHOWN_FAILURES, len(report.failed))), icon=":material/list:"):
        st.caption(t("staff.rs_pid_note"))
        st.dataframe(pd.DataFrame([{t("staff.rs_col_pid"): store.pseudonym(i, secret), t("staff.rs_col_why"): why}
                                   for i, why in report.failed[:SHOWN_FAILURES]]),
                     hide_index=True, width="stretch", key="staff_rs_failed")


def _comparison(scope: sc.Scope, target) -> None:
    summary = resources.get_store().staff.rescore_summary(target, scope.filters, k=scope.k)
    st.subheader(t("staff.rs_compare_title", version=target.version), anchor=False)
    if summary.suppressed:
        st.warning(t("staff.group_hidden", k=scope.k), icon=":material/visibility_off:")
        return
    if not summary.n:
        st.caption(t("staff.rs_compare_none"))
        return
    c1, c2, c3 = st.columns(3)
    with c1:
        sc.metric(t("staff.rs_before"), sc.percent(summary.percent_before), summary.n, "staff_rs_m_before")
    with c2:
        sc.metric(t("staff.rs_after", version=target.version), sc.percent(summary.percent_after), summary.n,
                  "staff_rs_m_after")
    with c3:
        sc.metric(t("staff.rs_moved"), t("staff.rs_moved_value", up=sc.number(summary.level_up),
                                          down=sc.number(summary.level_down)), summary.n, "staff_rs_m_moved")
    cells = summary.transitions
    if not cells.empty:
        names = scope.names
        table = cells.assign(
            before=[names.level(v) for v in cells["level_before"]],
            after=[names.level(v) for v in cells["level_after"]],
            shown=[f"< {scope.k}" if pd.isna(v) else sc.number(int(v)) for v in cells["firms"]],
        ).pivot(index="before", columns="after", values="shown").fillna("0")
        table.index.name = t("staff.rs_from_to")
        st.caption(t("staff.rs_transitions", k=scope.k))
        st.dataframe(table, width="stretch", key="staff_rs_transitions")


def render() -> None:
    if not sc.page_head("staff.versions_title", "staff.versions_intro"):
        return
    scope = sc.filter_bar()
    store = resources.get_store()
    with section("staff.versions"):
        _per_version(scope)
    with section("staff.rescore"):
        target = resources.questionnaire(scope.qid) if scope.qid else None
        st.subheader(t("staff.rs_title"), anchor=False)
        if target is None:
            st.info(t("staff.rs_no_file"))
            return
        st.caption(t("staff.rs_intro", version=target.version))
        versions = sc.versions_of(scope.qid)
        older = [v for v in versions if v != target.version]
        if "staff_rs_versions" not in ss or any(v not in versions for v in ss["staff_rs_versions"]):
            ss["staff_rs_versions"] = older
        st.multiselect(t("staff.rs_pick"), versions, key="staff_rs_versions", placeholder=t("staff.rs_pick_none"))
        chosen = list(ss.get("staff_rs_versions") or [])
        st.caption(t("staff.rs_scope"))
        if st.button(t("staff.rs_go", version=target.version), key="staff_rs_go", type="primary", disabled=not chosen,
                     icon=":material/autorenew:"):
            with st.spinner(t("staff.rs_running")):
                ss[REPORT] = store.rescore(target, filters=replace(scope.filters, questionnaire_version=tuple(chosen)))
        if ss.get(REPORT) is not None:
            _report(ss[REPORT], store)
        _comparison(scope, target)
