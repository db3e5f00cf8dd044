"""One workshop, for its facilitator: the projector view (join code, QR code, the room's
counts and picture, refreshed live), the association's exports, paper forms (a blank form to
print, typed back in one at a time or as a CSV), and closing the workshop.

Nothing here lives in process memory: counts and results come from the database on every
refresh, so a room served by several app servers is one room.
"""

from __future__ import annotations

import hashlib
import io
import logging

import pandas as pd
import streamlit as st

from scoring.intake import read_rows, template_columns
from ui import auth, charts, common, paper, resources, room, state
from ui.common import vn_date
from ui.i18n import t, text
from ui.pages.workshops import CURRENT
from ui.safe import callback, section

log = logging.getLogger(__name__)
ss = st.session_state
COUNTS_EVERY = "3s"
PICTURE_EVERY = "10s"
CONFIRM_CLOSE = "ws_confirm_close"
CSV_REPORT = "ws_csv_report"
CSV_SAVED = "ws_csv_saved_files"


# ------------------------------------------------------------------ which workshop


def _current():
    wanted = ss.get(CURRENT)
    raw = st.query_params.get("w")
    if wanted is None and raw and str(raw).isdigit():
        wanted = int(raw)
    if wanted is None:
        return None
    found = resources.get_store().workshop(int(wanted))
    if found is not None:
        ss[CURRENT] = found.id
        st.query_params["w"] = str(found.id)
    return found


def join_url(workshop) -> str:
    return f"{common.public_base()}/?join={workshop.join_code}"


def qr_png(url: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=10, border=2, dark="#102027")
    return out.getvalue()


# ------------------------------------------------------------------ projector


def _projector_css() -> None:
    """Projector mode: no menu bar, large type, the whole width."""
    st.html(
        "<style>"
        "header[data-testid='stHeader']{display:none}"
        "[data-testid='stMainBlockContainer']{max-width:100%;padding-top:1rem}"
        ".st-key-ws_code_big p{font-size:clamp(3rem,9vw,8rem);font-weight:700;letter-spacing:.12em;line-height:1.1}"
        ".st-key-ws_counts p{font-size:clamp(1.4rem,3vw,2.6rem)}"
        ".st-key-ws_room p, .st-key-ws_room li{font-size:clamp(1.1rem,2vw,1.8rem)}"
        "</style>"
    )


@st.fragment(run_every=COUNTS_EVERY)
def _counts(workshop_id: int) -> None:
    c = resources.get_store().workshop_counts([workshop_id])[workshop_id]
    with st.container(key="ws_counts", horizontal=True):
        st.metric(t("ws.joined"), c.joined, border=True)
        st.metric(t("ws.answering"), c.answering, border=True)
        st.metric(t("ws.finished"), c.finished, border=True)


@st.fragment(run_every=PICTURE_EVERY)
def _picture(workshop_id: int, big: bool) -> None:
    lang = state.lang()
    w = resources.get_store().workshop(workshop_id)
    q = resources.questionnaire(w.questionnaire_id) if w else None
    if q is None:
        st.warning(t("error.questionnaire_load"))
        return
    items = room.entries(workshop_id)
    pic = room.picture(q, items)
    font = 20 if big else 12
    with st.container(key="ws_room"):
        st.subheader(t("ws.room_title"), anchor=False)
        if not pic.shown:
            st.info(t("ws.room_too_few", n=pic.n, k=pic.k), icon=":material/visibility_off:")
            return
        st.caption(t("ws.room_n", n=pic.n))
        top = max(lv.level for lv in q.levels)
        rows = [{"label": f"{lv.level} · {text(lv.name, lang)}", "level": lv.level, "firms": pic.level_counts.get(lv.level, 0)}
                for lv in q.levels]
        st.markdown(f"**{t('ws.room_levels')}**")
        st.altair_chart(charts.level_distribution(rows, top, font=font), width="stretch")
        pools = room.pools(q, w.province)
        series = [t("ws.room_series")]
        if pools["province"] is not None:
            series.append(t("ws.pool_province"))
        if pools["national"] is not None:
            series.append(t("ws.pool_national"))
        compare = []
        for p in q.pillars:
            name = text(p.name, lang)
            compare.append({"pillar": name, "series": series[0], "percent": pic.pillar_means.get(p.id, 0.0)})
            for key, label in (("province", t("ws.pool_province")), ("national", t("ws.pool_national"))):
                if pools[key] is not None:
                    compare.append({"pillar": name, "series": label, "percent": pools[key].get(p.id, 0.0)})
        st.markdown(f"**{t('ws.room_pillars')}**")
        st.altair_chart(charts.group_compare(compare, series, font=font), width="stretch")
        if len(series) == 1:
            st.caption(t("ws.pools_too_few", k=pic.k))
        if pic.weakest:
            st.markdown(f"**{t('ws.room_weakest')}**")
            st.markdown("\n".join(
                f"{i}. {text(q.question(qid).text, lang)} — {t('ws.room_share', percent=f'{share * 100:.0f}')}"
                for i, (qid, share) in enumerate(pic.weakest, start=1)
            ))
        if pic.needs:
            names = {c.id: text(c.name, lang) for c in resources.catalogue().categories}
            st.markdown(f"**{t('ws.room_needs')}**")
            st.altair_chart(charts.count_bars([{"label": names.get(tag, tag), "firms": n} for tag, n in pic.needs],
                                              font=font), width="stretch")


def _join_panel(w, big: bool) -> None:
    url = join_url(w)
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown(t("ws.join_how"))
        with st.container(key="ws_code_big"):
            st.markdown(w.join_code)
        st.markdown(t("ws.join_link"))
        st.code(url, language=None)
    with right:
        st.image(qr_png(url), caption=t("ws.qr_caption"), width=360 if big else 240)


def _projector(w, big: bool) -> None:
    if not w.is_open:
        st.warning(t("ws.is_closed"), icon=":material/lock:")
    else:
        _join_panel(w, big)
    _counts(w.id)
    with section("ws.room"):
        _picture(w.id, big)


# ------------------------------------------------------------------ exports


def _export_state(workshop_id: int) -> tuple[int, int, int]:
    """(finished, agreed to share, want their PDF) of a workshop, now."""
    items = room.entries(workshop_id)
    sharing = room.shared(items)
    return len(items), len(sharing), sum(1 for e in sharing if e.sharing.send_pdf)


@st.fragment(run_every=PICTURE_EVERY)
def _export_counts(workshop_id: int, drawn: tuple[bool, bool]) -> None:
    """The counts stay current while the room fills. The buttons below are not redrawn with
    them: a button redrawn every few seconds loses a click that lands between two draws
    (Streamlit drops the file a click still names). Only when a button must change from
    unusable to usable (the first firm that shares, the first that wants its PDF) does the
    whole page run again."""
    finished, shared, pdfs = _export_state(workshop_id)
    st.markdown(t("ws.export_counts", finished=finished, shared=shared, pdfs=pdfs))
    st.caption(t("ws.export_privacy"))
    if (shared > 0, pdfs > 0) != drawn:
        st.rerun()


def _exports(workshop_id: int, lang: str) -> None:
    """The counts, and the downloads (each file built on click, from the room as it is then)."""
    w = resources.get_store().workshop(workshop_id)
    _, shared, pdfs = _export_state(w.id)
    _export_counts(w.id, (shared > 0, pdfs > 0))
    sharing = shared > 0
    day = (w.held_on.isoformat() if w.held_on else "")
    base = f"{w.join_code}-{day}".strip("-")
    with st.container(horizontal=True, key="ws_downloads"):
        st.download_button(t("ws.export_csv"), data=lambda: room.to_csv(room.export_rows(room.entries(w.id), lang)),
                           file_name=f"{base}.csv", mime="text/csv", key="ws_dl_csv", on_click="ignore",
                           icon=":material/table:", disabled=not sharing)
        st.download_button(t("ws.export_xlsx"),
                           data=lambda: room.to_xlsx(room.export_rows(room.entries(w.id), lang), w.join_code),
                           file_name=f"{base}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="ws_dl_xlsx", on_click="ignore", icon=":material/grid_on:", disabled=not sharing)
        q = resources.questionnaire(w.questionnaire_id)
        st.download_button(t("ws.export_summary"),
                           data=lambda: _summary_pdf(w, q, lang), file_name=f"{base}-summary-{lang}.pdf",
                           mime="application/pdf", key="ws_dl_summary", on_click="ignore",
                           icon=":material/summarize:", disabled=q is None)
        st.download_button(t("ws.export_zip"), data=lambda: room.pdf_zip(room.entries(w.id), w.name)[0],
                           file_name=f"{base}-pdf.zip", mime="application/zip", key="ws_dl_zip", on_click="ignore",
                           icon=":material/folder_zip:", disabled=not pdfs)


def _summary_pdf(w, q, lang: str) -> bytes:
    from report import render_room_summary

    return render_room_summary(room.summary(w, q, room.entries(w.id)), lang)


# ------------------------------------------------------------------ paper


def _template_csv(q) -> bytes:
    return ("\ufeff" + ",".join(template_columns(q)) + "\n").encode("utf-8")


@callback
def _check_csv(q_id: str) -> None:
    upload = ss.get("ws_csv_file")
    ss[CSV_REPORT] = None
    if upload is None:
        return
    raw = upload.getvalue()
    q = resources.questionnaire(q_id)
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as exc:
        ss[CSV_REPORT] = {"error": t("ws.csv_unreadable", why=str(exc)[:200])}
        return
    report = read_rows(q, frame.to_dict("records"))
    ss[CSV_REPORT] = {"report": report, "digest": hashlib.sha256(raw).hexdigest(), "name": upload.name}


@callback
def _save_csv(workshop_id: int, q_id: str) -> None:
    found = ss.get(CSV_REPORT) or {}
    report = found.get("report")
    if report is None or not report.good:
        return
    q = resources.questionnaire(q_id)
    store = resources.get_store()
    saved = 0
    for row in report.good:
        try:
            store.submit_paper_form(workshop_id, q, row.profile, row.answers, consent=row.consent,
                                    share_results=row.share_results, share_name=row.share_name, source="csv")
            saved += 1
        except Exception:
            log.exception("row %s of %s could not be saved", row.row, found.get("name"))
            state.flash("error", t("ws.csv_row_failed", row=row.row, saved=saved))
            break
    ss.setdefault(CSV_SAVED, set()).add(found["digest"])
    ss[CSV_REPORT] = None
    state.flash("success", t("ws.csv_saved", n=saved))


def _paper(w, q, lang: str) -> None:
    st.markdown(t("ws.paper_intro"))
    st.download_button(t("ws.paper_blank"), data=_blank_form_builder(w, q, lang),
                       file_name=f"{w.join_code}-{q.id}-{lang}.pdf", mime="application/pdf", key="ws_dl_blank",
                       on_click="ignore", icon=":material/print:")
    with st.expander(t("ws.paper_one"), icon=":material/edit_note:", key="ws_paper_one"):
        paper.form(w, q, lang)
    with st.expander(t("ws.paper_csv"), icon=":material/upload_file:", key="ws_paper_csv"):
        st.caption(t("ws.csv_intro"))
        st.download_button(t("ws.csv_template"), data=_template_csv(q), file_name=f"{q.id}-template.csv",
                           mime="text/csv", key="ws_dl_template", on_click="ignore", icon=":material/download:")
        st.file_uploader(t("ws.csv_upload"), type=["csv"], key="ws_csv_file", on_change=_check_csv, args=(q.id,))
        found = ss.get(CSV_REPORT)
        if found and found.get("error"):
            st.error(found["error"], icon=":material/error:")
        elif found:
            report = found["report"]
            if found["digest"] in ss.get(CSV_SAVED, set()):
                st.warning(t("ws.csv_again"), icon=":material/content_copy:")
            st.markdown(t("ws.csv_summary", good=len(report.good), bad=len(report.bad_rows)))
            if report.problems:
                st.dataframe(
                    [{t("ws.csv_col_row"): p.row, t("ws.csv_col_column"): p.column, t("ws.csv_col_why"): p.message}
                     for p in report.problems],
                    hide_index=True, width="stretch", key="ws_csv_problems",
                )
            st.button(t("ws.csv_save", n=len(report.good)), key="ws_csv_save", type="primary",
                      disabled=not report.good, on_click=_save_csv, args=(w.id, q.id))


def _blank_form_builder(w, q, lang: str):
    def build() -> bytes:
        from report import render_blank_form

        return render_blank_form(q, lang, workshop_name=w.name, join_code=w.join_code)

    return build


# ------------------------------------------------------------------ managing


@callback
def _ask_close() -> None:
    ss[CONFIRM_CLOSE] = True


@callback
def _cancel_close() -> None:
    ss[CONFIRM_CLOSE] = False


@callback
def _close(workshop_id: int) -> None:
    ss[CONFIRM_CLOSE] = False
    w = resources.get_store().close_workshop(workshop_id)
    state.flash("success", t("ws.closed_now", name=common.plain(w.name)))


def _manage(w) -> None:
    if not w.is_open:
        st.info(t("ws.is_closed"), icon=":material/lock:")
        return
    st.markdown(t("ws.close_explain"))
    if not ss.get(CONFIRM_CLOSE):
        st.button(t("ws.close"), key="ws_close", on_click=_ask_close, icon=":material/lock:")
    else:
        st.warning(t("ws.close_confirm"))
        with st.container(horizontal=True):
            st.button(t("ws.close_yes"), key="ws_close_yes", type="primary", on_click=_close, args=(w.id,))
            st.button(t("ws.close_no"), key="ws_close_no", on_click=_cancel_close)


# ------------------------------------------------------------------ page


def render() -> None:
    common.show_flash()
    if not auth.require(auth.FACILITATOR):
        return
    lang = state.lang()
    w = _current()
    if w is None:
        st.title(t("ws.title"), anchor=False)
        st.info(t("ws.pick_one"))
        common.nav_button(t("nav.workshops"), "workshops", "ws_back_list", primary=True)
        return
    if auth.role() != auth.ADMIN and w.facilitator != auth.user():
        st.error(t("ws.not_yours"), icon=":material/block:")
        common.nav_button(t("nav.workshops"), "workshops", "ws_back_list", primary=True)
        return
    q = resources.questionnaire(w.questionnaire_id)
    big = st.toggle(t("ws.projector_mode"), key="ws_projector", help=t("ws.projector_help"))
    if big:
        _projector_css()
        st.markdown(f"### {common.plain(w.name)}")
        _projector(w, big=True)
        return
    st.title(common.plain(w.name), anchor=False)
    details = [common.plain(w.association) if w.association else None, vn_date(w.held_on, lang) if w.held_on else None,
               dict_get_province(w.province, lang), text(q.title, lang) if q else w.questionnaire_id,
               t("ws.open") if w.is_open else t("ws.closed")]
    st.caption(" · ".join(d for d in details if d))
    if q is None:
        st.error(t("error.questionnaire_load"), icon=":material/error:")
        return
    # keyed: the open tab survives a rerun (saving a paper form stays on "Paper forms")
    tab_room, tab_export, tab_paper, tab_manage = st.tabs(
        [t("ws.tab_room"), t("ws.tab_export"), t("ws.tab_paper"), t("ws.tab_manage")], key="ws_tab",
        on_change="rerun",  # the server learns the tab at once, so a later rerun cannot reopen the first
    )
    with tab_room:
        _projector(w, big=False)
    with tab_export:
        with section("ws.exports"):
            _exports(w.id, lang)
    with tab_paper:
        with section("ws.paper"):
            _paper(w, q, lang)
    with tab_manage:
        _manage(w)
    common.nav_button(t("ws.back"), "workshops", "ws_back", primary=False)


def dict_get_province(province: str | None, lang: str) -> str | None:
    from ui.pages.workshops import reference_name

    return reference_name(province, lang)
