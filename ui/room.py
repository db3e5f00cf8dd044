"""A workshop room, gathered for its pages: the participants' results (scored from their
stored answers on their own questionnaire version), the room picture, the pools to compare
with, and the association's exports (CSV, XLSX, a ZIP of PDF roadmaps).

Only participants who agreed to share with the association count in the picture and leave
in an export; a name leaves only with its own consent. Every text cell of an export is
neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from scoring.cells import neutralise
from scoring.engine import Result, score_assessment
from scoring.model import Questionnaire
from scoring.room import RoomPicture, room_picture
from ui import resources
from ui.common import vn_date
from ui.i18n import t, text

log = logging.getLogger(__name__)
K = 5


@dataclass(frozen=True)
class Entry:
    """One finished participant: the record, what it shares, its questionnaire and result."""

    record: Any
    sharing: Any
    questionnaire: Questionnaire
    result: Result


def questionnaire_for(record) -> Questionnaire | None:
    """The questionnaire a record was answered on (its own version when the store keeps it)."""
    store = resources.get_store()
    finder = getattr(store, "questionnaire_for", None)
    if finder is not None:
        try:
            found = finder(record)
            if found is not None:
                return found
        except Exception:
            log.exception("the stored version of assessment %s could not be loaded", record.id)
    return resources.questionnaire(record.questionnaire_id)


def entries(workshop_id: int) -> list[Entry]:
    """Every finished participant of the room, scored; one that cannot be scored is logged and left out."""
    out = []
    for p in resources.get_store().workshop_participants(workshop_id):
        q = questionnaire_for(p.record)
        if q is None:
            continue
        try:
            out.append(Entry(p.record, p.sharing, q, score_assessment(q, dict(p.record.answers))))
        except Exception:
            log.exception("assessment %s of workshop %s could not be scored", p.record.id, workshop_id)
    return out


def shared(items: list[Entry]) -> list[Entry]:
    return [e for e in items if e.sharing.share_results]


def picture(questionnaire: Questionnaire, items: list[Entry]) -> RoomPicture:
    same = [e.result for e in shared(items) if e.questionnaire.id == questionnaire.id]
    return room_picture(questionnaire, same, k=K)


def pools(questionnaire: Questionnaire, province: str | None) -> dict[str, Any]:
    """Mean pillar percent of the province's and the national consented pools, each only
    with at least K firms (None otherwise); ``<name>_n``: the firms behind each."""
    from store import Filters

    store = resources.get_store()
    out: dict[str, Any] = {"province": None, "national": None, "province_n": None, "national_n": None}
    for name, filters in (
        ("province", Filters(questionnaire_id=questionnaire.id, province=province) if province else None),
        ("national", Filters(questionnaire_id=questionnaire.id)),
    ):
        if filters is None:
            continue
        frame = store.aggregate(filters, k=K)
        if len(frame) and int(frame.iloc[0]["n"]) >= K:  # an empty pool has a row of n = 0 and no means
            row = frame.iloc[0]
            out[name] = {p.id: float(row[p.id]) for p in questionnaire.pillars if p.id in frame.columns}
            out[f"{name}_n"] = int(row["n"])
    return out


def summary(workshop, questionnaire: Questionnaire, items: list[Entry]):
    """The association's one-page room summary (report.models.RoomSummary): the same figures
    as the projector, from the firms that agreed to share."""
    from report.models import LevelCount, NamedCount, PillarMean, RoomSummary

    counts = resources.get_store().workshop_counts([workshop.id])[workshop.id]
    pic = picture(questionnaire, items)
    pool = pools(questionnaire, workshop.province)
    names = {c.id: c.name for c in resources.catalogue().categories}
    same = [e.result for e in shared(items) if e.questionnaire.id == questionnaire.id]
    below_half = {qid: sum(1 for r in same if r.questions[qid].max > 0 and r.questions[qid].points * 2 < r.questions[qid].max)
                  for qid, _ in pic.weakest}
    return RoomSummary(
        workshop_name=workshop.name,
        questionnaire_title=questionnaire.title,
        joined=counts.joined,
        finished=counts.finished,
        association=workshop.association,
        when=workshop.held_on,
        province=workshop.province,
        n=pic.n,
        levels=[LevelCount(lv.level, lv.name, pic.level_counts.get(lv.level, 0)) for lv in questionnaire.levels]
        if pic.shown else [],
        pillars=[
            PillarMean(p.name, pic.pillar_means.get(p.id),
                       (pool["province"] or {}).get(p.id), (pool["national"] or {}).get(p.id))
            for p in questionnaire.pillars
        ] if pic.shown else [],
        province_n=pool["province_n"],
        national_n=pool["national_n"],
        top_gaps=[NamedCount(questionnaire.question(qid).text, below_half[qid]) for qid, _ in pic.weakest],
        top_categories=[NamedCount(names.get(tag, tag), n) for tag, n in pic.needs],
        k=K,
    )


# ------------------------------------------------------------------ exports


def export_rows(items: list[Entry], lang: str) -> list[dict[str, Any]]:
    """The association's table: one row per participant who shares; the name only with consent."""
    rows = []
    for i, e in enumerate(shared(items), start=1):
        rec, q, r = e.record, e.questionnaire, e.result
        row: dict[str, Any] = {
            t("wsx.col_no", lang=lang): i,
            t("wsx.col_firm", lang=lang): (rec.profile.name or "") if e.sharing.share_name else "",
            t("wsx.col_sector", lang=lang): rec.profile.sector or "",
            t("wsx.col_size", lang=lang): t(f"size.{rec.profile.size_band}", lang=lang) if rec.profile.size_band else "",
            t("wsx.col_province", lang=lang): _province(rec.profile.province, lang),
            t("wsx.col_source", lang=lang): t(f"wsx.source_{e.sharing.source}", lang=lang),
            t("wsx.col_submitted", lang=lang): vn_date(rec.submitted_at, lang),
            t("wsx.col_questionnaire", lang=lang): f"{q.id} {q.version}",
            t("wsx.col_level", lang=lang): r.overall_level,
            t("wsx.col_level_name", lang=lang): text(q.level(r.overall_level).name, lang),
            t("wsx.col_percent", lang=lang): None if r.percent is None else round(r.percent, 1),
        }
        for p in q.pillars:
            pr = r.pillars[p.id]
            name = text(p.name, lang)
            row[f"{name} (%)"] = None if pr.percent is None else round(pr.percent, 1)
            row[f"{name} ({t('wsx.level', lang=lang)})"] = pr.level
        rows.append(row)
    return rows


def _province(pid: str | None, lang: str) -> str:
    if not pid:
        return ""
    found = resources.profile_reference().province(pid)
    return text(found.name, lang) if found is not None else pid


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        cols += [c for c in row if c not in cols]
    return cols


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    cols = _columns(rows)
    writer = csv.writer(out)
    writer.writerow([neutralise(c) for c in cols])
    for row in rows:
        writer.writerow([neutralise(row.get(c)) for c in cols])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # a BOM: Excel then reads UTF-8 (Vietnamese) right


def to_xlsx(rows: list[dict[str, Any]], sheet: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    cols = _columns(rows)
    ws.append([neutralise(c) for c in cols])
    for row in rows:
        ws.append([neutralise(row.get(c)) for c in cols])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_zip(items: list[Entry], workshop_name: str) -> tuple[bytes, int]:
    """The PDF roadmaps of the participants who asked the association to hand them theirs."""
    from report import render_pdf
    from scoring.recommend import recommend

    out = io.BytesIO()
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, e in enumerate(x for x in shared(items) if x.sharing.send_pdf):
            rec = e.record
            lang = rec.language if rec.language in ("vi", "en") else "vi"
            try:
                recs = recommend(e.questionnaire, e.result, rec.profile, catalogue=resources.catalogue())
                # no resume code in it: the association must not be able to open the firm's answers
                pdf = render_pdf(e.questionnaire, e.result, recs, rec.profile, lang=lang, answers=dict(rec.answers),
                                 when=rec.submitted_at)
            except Exception:
                log.exception("the PDF of assessment %s could not be built", rec.id)
                continue
            label = _file_label(rec.profile.name) or f"{i + 1:03d}"
            zf.writestr(f"{_file_label(workshop_name) or 'workshop'}/{i + 1:03d}-{label}.pdf", pdf)
            count += 1
    return out.getvalue(), count


def _file_label(name: str | None) -> str:
    """A firm name safe as a file name inside a ZIP (letters kept, Vietnamese included)."""
    if not name:
        return ""
    cleaned = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE).strip().replace(" ", "_")
    return cleaned[:60]
