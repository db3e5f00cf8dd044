"""Programme staff: bulk import of responses collected elsewhere (paper forms typed into a
spreadsheet, KoboToolbox, Google Forms; CSV or XLSX).

1. Upload the file; each column gets a proposed target (a question, a grid row, a profile
   field, the pooling consent, the submission date), or the mapping saved last time for
   this questionnaire and these headers (the store keeps it).
2. Check: every row is read with the mapping and checked like a submission; every bad row
   is named with its row number, the file's column and why.
3. Import: the good rows only, tagged with the import (its number and file name), all in
   one transaction: nothing is half-imported. A file imported before is recognised by its
   content and imported again only when the staff member confirms.

Imported rows count in the pool only when the file's consent column says so; without one,
none of them is pooled. Firm names are never imported.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from scoring.model import Questionnaire
from store.mapping import (
    DATE,
    DEFAULTABLE,
    IGNORE,
    MAX_ROWS,
    ColumnMapping,
    TableError,
    Target,
    auto_match,
    check,
    file_hash,
    read_table,
    targets,
)
from ui import auth, common, reference, resources, state
from ui.i18n import t, text
from ui.pages import staff_common as sc
from ui.safe import callback, section

log = logging.getLogger(__name__)
ss = st.session_state
KEEP = "staff_imp"  # the upload being mapped: file name, hash, table, mapping, check
CONFIRM_UNDO = "staff_imp_undo"
SAMPLES = 3
UPLOAD_MB = 25  # a 20 000-row form export is well under it (the app's other uploads keep 5 MB)


# ------------------------------------------------------------------ targets in words


def target_label(target: Target, lang: str) -> str:
    if target.kind == "profile":
        return t(f"staff.imp_t_{target.id}")
    if target.kind == "consent":
        return t("staff.imp_t_consent")
    if target.kind == "date":
        return t("staff.imp_t_date")
    q = target.question
    code = f"{q.code} · " if q.code else ""
    words = text(q.text, lang)
    words = words if len(words) <= 70 else words[:69] + "…"
    if target.kind == "matrix_row":
        row = next(r for r in q.rows if r.id == target.row)
        return f"{code}{words} → {text(row.label, lang)}"
    return f"{code}{words} ({q.id})"


def _questionnaires() -> dict[str, Questionnaire]:
    return {q.id: q for q in resources.available().questionnaires}


# ------------------------------------------------------------------ callbacks


def file_key() -> str:
    """The uploader's key: a new one after an import, so the imported file leaves the page."""
    return f"staff_imp_file_{ss.get('staff_imp_file_gen', 0)}"


@callback
def _uploaded() -> None:
    upload = ss.get(file_key())
    ss.pop(KEEP, None)
    for key in [k for k in ss.keys() if isinstance(k, str) and k.startswith(("staff_imp_col_", "staff_imp_def_"))]:
        del ss[key]
    if upload is None:
        return
    q = _questionnaires().get(ss.get("staff_imp_qid"))
    if q is None:
        return
    raw = upload.getvalue()
    found = {"name": upload.name, "hash": file_hash(raw), "qid": q.id}
    try:
        table = read_table(raw, upload.name)
    except TableError as exc:
        ss[KEEP] = {**found, "error": str(exc)}
        return
    remembered = resources.get_store().import_mapping(q.id, table.headers)
    if remembered is not None:
        columns = {h: remembered.columns.get(h, IGNORE) for h in table.headers}
        mapping = ColumnMapping(columns, remembered.defaults, remembered.day_first)
    else:
        mapping = ColumnMapping({h: auto_match(q, table.headers).get(h, IGNORE) for h in table.headers})
    ss[KEEP] = {**found, "table": table, "mapping": mapping, "remembered": remembered is not None, "check": None}


@callback
def _check() -> None:
    found = ss.get(KEEP) or {}
    table = found.get("table")
    q = _questionnaires().get(found.get("qid"))
    if table is None or q is None:
        return
    columns = {h: ss.get(f"staff_imp_col_{i}") or IGNORE for i, h in enumerate(table.headers)}
    defaults = {name: ss.get(f"staff_imp_def_{name}") for name in DEFAULTABLE if ss.get(f"staff_imp_def_{name}")}
    mapping = ColumnMapping(columns, defaults, ss.get("staff_imp_day_first", "dmy") == "dmy")
    found["mapping"] = mapping
    found["check"] = check(q, table, mapping)
    resources.get_store().save_import_mapping(q.id, table.headers, mapping, auth.user())


@callback
def _commit() -> None:
    from store import InvalidValue
    from store.imports import DuplicateImport

    found = ss.get(KEEP) or {}
    result = found.get("check")
    q = _questionnaires().get(found.get("qid"))
    if result is None or q is None or not result.good:
        return
    try:
        batch = resources.get_store().import_assessments(
            q, result.good, file_name=found["name"], file_hash=found["hash"], user=auth.user(),
            skipped=len(result.bad_rows), allow_duplicate=bool(ss.get("staff_imp_again")),
        )
    except DuplicateImport:
        found["refused"] = t("staff.imp_duplicate_refused")
        return
    except InvalidValue as exc:
        found["refused"] = t("staff.imp_failed", why=str(exc))
        return
    except Exception:
        log.exception("import of %s failed", found.get("name"))
        found["refused"] = t("staff.imp_failed", why=t("staff.imp_failed_db"))
        return
    ss.pop(KEEP, None)
    ss.pop("staff_imp_again", None)
    ss["staff_imp_file_gen"] = ss.get("staff_imp_file_gen", 0) + 1  # a fresh uploader: the file is done
    state.flash("success", t("staff.imp_done", id=batch.id, name=common.plain(batch.file_name), n=batch.imported,
                             pooled=batch.pooled, skipped=batch.skipped))


@callback
def _ask_undo(batch_id: int) -> None:
    ss[CONFIRM_UNDO] = batch_id


@callback
def _undo(batch_id: int) -> None:
    ss[CONFIRM_UNDO] = None
    n = resources.get_store().delete_import(batch_id)
    state.flash("success", t("staff.imp_undone", id=batch_id, n=n))


@callback
def _keep() -> None:
    ss[CONFIRM_UNDO] = None


# ------------------------------------------------------------------ parts of the page


def _template(q: Questionnaire) -> bytes:
    columns = [DATE, "sector", "size_band", "province", "staff", "consent_pool", *(x.id for _, x in q.questions())]
    return ("\ufeff" + ",".join(columns) + "\n").encode("utf-8")


def _mapping_form(found: dict, q: Questionnaire, lang: str) -> None:
    table, mapping = found["table"], found["mapping"]
    options = [IGNORE, *(x.id for x in targets(q))]
    labels = {x.id: target_label(x, lang) for x in targets(q)}
    labels[IGNORE] = t("staff.imp_ignore")
    if found.get("remembered"):
        st.info(t("staff.imp_remembered"), icon=":material/bookmark:")
    else:
        matched = sum(1 for v in mapping.columns.values() if v != IGNORE)
        st.caption(t("staff.imp_auto", matched=matched, columns=len(table.headers)))
    with st.form("staff_imp_map", border=True, enter_to_submit=False):
        st.markdown(f"**{t('staff.imp_map_title')}**")
        for i, header in enumerate(table.headers):
            key = f"staff_imp_col_{i}"
            if key not in ss:
                wanted = mapping.columns.get(header, IGNORE)
                ss[key] = wanted if wanted in options else IGNORE
            samples = [str(r.get(header, "")) for r in table.rows if r and str(r.get(header, "")).strip()][:SAMPLES]
            st.selectbox(header, options, key=key, format_func=labels.get,
                         help=t("staff.imp_samples", samples=" | ".join(s[:40] for s in samples)) if samples else None)
        st.markdown(f"**{t('staff.imp_defaults_title')}**")
        st.caption(t("staff.imp_defaults_caption"))
        choices = {"sector": dict(reference.sectors(lang)), "size_band": dict(reference.size_bands(lang)),
                   "province": dict(reference.provinces(lang))}
        for name in DEFAULTABLE:
            key = f"staff_imp_def_{name}"
            if key not in ss:
                ss[key] = mapping.defaults.get(name)
            st.selectbox(t(f"staff.imp_t_{name}"), list(choices[name]), key=key, index=None,
                         format_func=choices[name].get, placeholder=t("staff.imp_no_default"))
        if "staff_imp_day_first" not in ss:
            ss["staff_imp_day_first"] = "dmy" if mapping.day_first else "mdy"
        st.radio(t("staff.imp_dates"), ["dmy", "mdy"], key="staff_imp_day_first", horizontal=True,
                 format_func=lambda d: t(f"staff.imp_dates_{d}"))
        st.form_submit_button(t("staff.imp_check"), key="staff_imp_check", type="primary", on_click=_check,
                              icon=":material/fact_check:")


def _preview(found: dict, q: Questionnaire) -> None:
    result = found.get("check")
    if result is None:
        return
    store = resources.get_store()
    st.subheader(t("staff.imp_preview_title"), anchor=False)
    if result.mapping_problems:
        st.error(t("staff.imp_mapping_problems"), icon=":material/error:")
    else:
        st.markdown(t("staff.imp_counts", rows=result.rows, good=len(result.good), bad=len(result.bad_rows),
                      pooled=result.pooled, private=len(result.good) - result.pooled))
        if result.good and not result.pooled:
            st.warning(t("staff.imp_none_pooled"), icon=":material/visibility_off:")
    if result.problems:
        shown = pd.DataFrame(
            [{t("staff.imp_col_row"): p.row, t("staff.imp_col_column"): p.column, t("staff.imp_col_why"): p.message}
             for p in result.problems])
        st.dataframe(shown, hide_index=True, width="stretch", key="staff_imp_problems")
        st.download_button(t("staff.imp_problems_csv"), data=shown.to_csv(index=False).encode("utf-8-sig"),
                           file_name=f"{found['name']}-problems.csv", mime="text/csv", key="staff_imp_dl_problems",
                           on_click="ignore", icon=":material/download:")
    if result.mapping_problems or not result.good:
        return
    earlier = store.imports_of_file(found["hash"], q.id)
    if earlier:
        last = earlier[0]
        st.warning(t("staff.imp_seen", id=last.id, name=common.plain(last.file_name), when=common.vn_date(last.imported_at, state.lang()),
                     user=last.imported_by or "—", n=last.imported), icon=":material/content_copy:")
        st.checkbox(t("staff.imp_again"), key="staff_imp_again")
    if found.get("refused"):
        st.error(found["refused"], icon=":material/error:")
    blocked = bool(earlier) and not ss.get("staff_imp_again")
    st.button(t("staff.imp_commit", n=len(result.good)), key="staff_imp_commit", type="primary", on_click=_commit,
              disabled=blocked, icon=":material/upload:")


def _history(lang: str) -> None:
    batches = resources.get_store().list_imports()
    st.subheader(t("staff.imp_history_title"), anchor=False)
    if not batches:
        st.caption(t("staff.imp_history_none"))
        return
    for b in batches:
        with st.container(border=True, key=f"staff_imp_batch_{b.id}"):
            st.markdown(t("staff.imp_batch", id=b.id, name=common.plain(b.file_name), n=b.imported, pooled=b.pooled,
                          skipped=b.skipped))
            st.caption(t("staff.imp_batch_meta", when=common.vn_date(b.imported_at, lang), user=b.imported_by or "—",
                         questionnaire=b.questionnaire_id, version=b.questionnaire_version))
            if ss.get(CONFIRM_UNDO) == b.id:
                st.warning(t("staff.imp_undo_confirm", n=b.imported))
                with st.container(horizontal=True):
                    st.button(t("staff.imp_undo_yes"), key=f"staff_imp_undo_yes_{b.id}", type="primary",
                              on_click=_undo, args=(b.id,))
                    st.button(t("staff.imp_undo_no"), key=f"staff_imp_undo_no_{b.id}", on_click=_keep)
            else:
                st.button(t("staff.imp_undo"), key=f"staff_imp_undo_{b.id}", on_click=_ask_undo, args=(b.id,),
                          icon=":material/undo:", type="tertiary")


def render() -> None:
    if not sc.page_head("staff.import_title", "staff.import_intro"):
        return
    lang = state.lang()
    st.info(t("staff.imp_consent_rule"), icon=":material/privacy_tip:")
    known = _questionnaires()
    if not known:
        st.error(t("error.questionnaire_load"), icon=":material/error:")
        return
    with section("staff.import"):
        if ss.get("staff_imp_qid") not in known:
            ss["staff_imp_qid"] = next(iter(known))
        st.selectbox(t("staff.imp_questionnaire"), list(known), key="staff_imp_qid",
                     format_func=lambda x: f"{text(known[x].title, lang)} · v{known[x].version}", on_change=_uploaded)
        q = known[ss["staff_imp_qid"]]
        st.download_button(t("staff.imp_template"), data=_template(q), file_name=f"{q.id}-import-template.csv",
                           mime="text/csv", key="staff_imp_dl_template", on_click="ignore", icon=":material/download:")
        st.file_uploader(t("staff.imp_upload"), type=["csv", "xlsx"], key=file_key(), on_change=_uploaded,
                         help=t("staff.imp_upload_help", rows=sc.number(MAX_ROWS)), max_upload_size=UPLOAD_MB)
        found = ss.get(KEEP)
        if found and found.get("error"):
            st.error(t("staff.imp_unreadable", why=found["error"]), icon=":material/error:")
        elif found and found.get("table") is not None and found.get("qid") == q.id:
            st.caption(t("staff.imp_file", name=common.plain(found["name"]), rows=sum(1 for r in found["table"].rows if r),
                         columns=len(found["table"].headers)))
            _mapping_form(found, q, lang)
            _preview(found, q)
    with section("staff.import_history"):
        _history(lang)
