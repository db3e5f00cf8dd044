"""Programme staff: the current filter's figures to take away. The rows (CSV, XLSX or
Parquet: pseudonymous ids, no names, no answers, formula-neutralised cells; a data
dictionary in Vietnamese and English), the aggregate tables (XLSX, a sheet per view) and a
short PDF brief with the charts. Every file is built when its button is clicked
(``st.download_button(data=callable)``); rows stream through a temporary file, so a large
pool never sits in the export's memory twice. A pool under k firms exports nothing."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from store import Filters
from ui import common, resources, state
from ui.i18n import t
from ui.pages import staff_common as sc
from ui.safe import section

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
XLSX_MAX_ROWS = 1_048_575
TOP_NEEDS = 8


def rows_file(store, filters: Filters, fmt: str) -> Callable[[], io.BufferedReader]:
    """The callable a download button runs on click: the rows written to a temporary file
    (streamed by the store), handed back as an open file whose name is already gone."""

    def build() -> io.BufferedReader:
        fd, name = tempfile.mkstemp(prefix="staff-export-", suffix=f".{fmt}")
        os.close(fd)
        path = Path(name)
        beside = path.with_name(f"{path.stem}.dictionary.csv")
        try:
            store.staff.export_rows(path, fmt, filters)
            return open(path, "rb")  # noqa: SIM115 - Streamlit reads and closes it
        finally:
            path.unlink(missing_ok=True)  # the open handle keeps the data until it is read
            beside.unlink(missing_ok=True)

    return build


def dictionary_csv(store, filters: Filters) -> Callable[[], bytes]:
    def build() -> bytes:
        from store.export import DICTIONARY, dictionary_frame

        layouts = store.layouts()
        pillars: list[str] = []
        for lay in sorted(layouts, key=lambda x: -x.id):
            if filters.questionnaire_id in (None, lay.questionnaire_id):
                pillars += [p for p in lay.pillar_ids if p not in pillars]
        columns = [*DICTIONARY, *[f"{p}_{kind}" for p in pillars for kind in ("percent", "level")]]
        return dictionary_frame(columns).to_csv(index=False).encode("utf-8-sig")

    return build


def tables_file(store, filters: Filters, k: int, about: list[tuple[str, str]]) -> Callable[[], bytes]:
    def build() -> bytes:
        out = io.BytesIO()
        store.staff.export_tables(out, filters, k=k, about=about)
        return out.getvalue()

    return build


def brief(store, scope: sc.Scope):
    """A ``report.models.StaffBrief`` of the current views (the group against the whole pool
    of its questionnaire, versions and period). None when the group is hidden or empty.
    Names come from ``scope.names`` (read while the page ran: this also runs on a click)."""
    from report.models import Breakdown, BreakdownRow, FilterItem, LevelCount, NamedCount, PillarComparison, StaffBrief

    staff = store.staff
    ov = staff.overview(scope.filters, k=scope.k)
    if ov.suppressed or not ov.n:
        return None
    q = scope.questionnaire
    levels = q.levels if q is not None else []
    table = staff.compare(scope.filters, None, k=scope.k)
    overall = table[table["pillar"] == "overall"].iloc[0]
    pillar_names = {p.id: p.name for p in q.pillars} if q is not None else {}

    def value(x) -> float | None:
        return None if pd.isna(x) else float(x)

    def count(x) -> int | None:
        return None if pd.isna(x) else int(x)

    pillars = [
        PillarComparison(pillar_names.get(row["pillar"], scope.names.pillar(row["pillar"])), value(row["group_mean"]),
                         value(row["other_mean"]), count(row["group_n"]), count(row["other_n"]))
        for _, row in table[table["pillar"] != "overall"].iterrows()
    ]
    needs = staff.needs(scope.filters, k=scope.k)
    names = scope.names.categories
    top = needs[needs["firms"].fillna(0) > 0].head(TOP_NEEDS)
    breakdowns = []
    for by in ("province", "sector", "size_band"):
        label = {lang: t(f"staff.by_{by}", lang=lang) for lang in ("vi", "en")}
        frame = staff.breakdown(scope.filters, by, k=scope.k, pillar_levels=False)
        frame = frame[frame["suppressed"] | (frame["n"].fillna(0) > 0)]
        rows = [BreakdownRow(scope.names.group(by, row[by]),
                             # a hidden group: any count under k prints "< k", never a figure
                             1 if row["suppressed"] else int(row["n"]),
                             None if row["suppressed"] else value(row["percent"]))
                for _, row in frame.iterrows()]
        if rows:
            breakdowns.append(Breakdown(label, rows))
    versions = scope.filters.questionnaire_version
    return StaffBrief(
        questionnaire_title=q.title if q is not None else (scope.qid or ""),
        n=int(ov.n),
        filters=[FilterItem(label, value) for label, value in scope.words[1:]],
        version=", ".join(versions) if versions else None,
        levels=[LevelCount(lv.level, lv.name, ov.levels.get(lv.level, 0)) for lv in levels],
        mean=ov.percent_mean,
        pillars=pillars,
        pool_n=count(overall["other_n"]),
        pool_mean=value(overall["other_mean"]),
        needs=[NamedCount(names.get(r["tag"], r["tag"]), int(r["firms"])) for _, r in top.iterrows()],
        breakdowns=breakdowns,
        k=scope.k,
    )


def brief_pdf(store, scope: sc.Scope, lang: str) -> Callable[[], bytes]:
    def build() -> bytes:
        from report import render_staff_brief

        made = brief(store, scope)
        if made is None:
            raise ValueError("the group is hidden or empty")  # the button is disabled then
        return render_staff_brief(made, lang)

    return build


def render() -> None:
    if not sc.page_head("staff.exports_title", "staff.exports_intro"):
        return
    scope = sc.filter_bar()
    lang = state.lang()
    store = resources.get_store()
    with section("staff.exports"):
        ov = store.staff.overview(scope.filters, k=scope.k)
        st.markdown(t("staff.ex_filter"))
        st.markdown("\n".join(f"- {label}: **{common.plain(v)}**" for label, v in scope.words) or t("staff.filter_none"))
        blocked = ov.suppressed or not ov.n
        if ov.suppressed:
            st.warning(t("staff.ex_hidden", k=scope.k), icon=":material/visibility_off:")
        elif not ov.n:
            st.info(t("staff.no_firms"), icon=":material/search_off:")
        else:
            st.markdown(t("staff.ex_rows", n=sc.number(ov.n)))
        day = common.vn_today().isoformat()
        base = f"{scope.qid or 'pool'}-{day}"
        st.subheader(t("staff.ex_rows_title"), anchor=False)
        st.caption(t("staff.ex_rows_caption"))
        too_many = bool(ov.n and ov.n > XLSX_MAX_ROWS)
        with st.container(horizontal=True, key="staff_ex_rows"):
            for fmt, icon in (("csv", ":material/table:"), ("xlsx", ":material/grid_on:"), ("parquet", ":material/database:")):
                st.download_button(t(f"staff.ex_{fmt}"), data=rows_file(store, scope.filters, fmt),
                                   file_name=f"{base}.{fmt}", mime=MIME[fmt], key=f"staff_dl_{fmt}", on_click="ignore",
                                   icon=icon, disabled=blocked or (fmt == "xlsx" and too_many))
            st.download_button(t("staff.ex_dictionary"), data=dictionary_csv(store, scope.filters),
                               file_name=f"{base}.dictionary.csv", mime="text/csv", key="staff_dl_dictionary",
                               on_click="ignore", icon=":material/menu_book:")
        if too_many:
            st.caption(t("staff.ex_xlsx_too_many"))
        st.subheader(t("staff.ex_tables_title"), anchor=False)
        st.caption(t("staff.ex_tables_caption", k=scope.k))
        about = [*scope.words, (t("staff.k_label"), str(scope.k))]
        with st.container(horizontal=True, key="staff_ex_tables"):
            st.download_button(t("staff.ex_tables"), data=tables_file(store, scope.filters, scope.k, about),
                               file_name=f"{base}-tables.xlsx", mime=MIME["xlsx"], key="staff_dl_tables",
                               on_click="ignore", icon=":material/table_view:", disabled=blocked)
            st.download_button(t("staff.ex_brief"), data=brief_pdf(store, scope, lang), file_name=f"{base}-brief-{lang}.pdf",
                               mime="application/pdf", key="staff_dl_brief", on_click="ignore",
                               icon=":material/picture_as_pdf:", disabled=blocked)
        st.caption(t("staff.ex_cli"))
