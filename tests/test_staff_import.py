"""Bulk import by programme staff (store/mapping.py, store/imports.py), on SQLite and
PostgreSQL: reading CSV and XLSX from other tools, mapping columns, every bad row named,
exactly the good rows stored in one transaction, a second import of the same file noticed,
nothing half-imported when the commit fails, the mapping remembered.
``pytest -k "staff or programme"`` selects these."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from store import Filters, InvalidValue
from store.imports import DuplicateImport
from store.mapping import (
    IGNORE,
    ColumnMapping,
    TableError,
    auto_match,
    check,
    file_hash,
    header_key,
    read_date,
    read_table,
)
from store.models import assessments, import_batches, import_rows, pool_cells

pytest_plugins = ["tests.conftest_store"]

TODAY = date(2025, 8, 1)

# A Google Forms export of the tiny questionnaire (tests/conftest.py): headers are the
# question texts, answers the option labels, checkboxes joined by ", ", a grid question as a
# column per row, a timestamp, and a firm-name column nobody maps.
GOOGLE = (
    "Dấu thời gian,Tên doanh nghiệp,Ngành,Quy mô,Tỉnh/Thành phố,Đồng ý góp dữ liệu,Có website?,Cập nhật?,"
    "Kênh nào?,Kỹ năng?,Tỷ lệ online,Thực hành [Sao lưu],Thực hành [Mật khẩu]\n"
    '30/06/2025 10:00:00,Cty Một,G · Bán buôn,Siêu nhỏ,Lào Cai,Tôi đồng ý,Có,Hàng tuần,"Zalo, Facebook",4,60%,Đầy đủ,Một phần\n'
    "01/07/2025 09:30:00,Cty Hai,C,Doanh nghiệp nhỏ,Hà Nội,Không,Không,,Không,0,0,Không,Không\n"
    "02/07/2025,Cty Ba,Q9,tí hon,Nowhere,có lẽ,Perhaps,,,9,200,,\n"
    ",,,,,,,,,,,,\n"
    '31/02/2025,Cty Bốn,G,micro,lao_cai,1,Có,Hàng tuần,Zalo,3,20,Đầy đủ,Đầy đủ\n'
    '03/07/2025,Cty Năm,G,micro,Lào Cai,x,yes,weekly,zalo|fb,2,10,fully,partly\n'
)


def table_of(text: str, name: str = "google.csv"):
    return read_table(text.encode("utf-8"), name)


# ------------------------------------------------------------------ reading and mapping (pure)


def test_staff_import_auto_matches_google_forms_headers(tiny_q):
    t = table_of(GOOGLE)
    found = auto_match(tiny_q, t.headers)
    assert found == {
        "Dấu thời gian": "submitted_on", "Ngành": "sector", "Quy mô": "size_band", "Tỉnh/Thành phố": "province",
        "Đồng ý góp dữ liệu": "consent_pool", "Có website?": "has_site", "Cập nhật?": "site_updates",
        "Kênh nào?": "channels", "Kỹ năng?": "skill", "Tỷ lệ online": "online_share",
        "Thực hành [Sao lưu]": "practices.backup", "Thực hành [Mật khẩu]": "practices.passwords",
    }
    assert "Tên doanh nghiệp" not in found  # a firm name is never imported


def test_staff_import_auto_matches_kobo_paths_ids_and_the_template(tiny_q):
    headers = ["start", "end", "grp_profile/sector", "grp_profile/size_band", "grp_a/has_site", "grp_a/channels",
               "grp_a/channels/zalo", "practices", "consent_pool", "_uuid"]
    found = auto_match(tiny_q, headers)
    assert found == {"end": "submitted_on", "grp_profile/sector": "sector", "grp_profile/size_band": "size_band",
                     "grp_a/has_site": "has_site", "grp_a/channels": "channels", "practices": "practices",
                     "consent_pool": "consent_pool"}


def test_staff_import_reads_semicolons_windows_1258_and_xlsx(tiny_q):
    text = "sector;size_band;has_site\nG;micro;yes\n"
    t = read_table(text.encode("cp1258"), "kobo.csv")
    assert t.headers == ["sector", "size_band", "has_site"] and t.rows == [{"sector": "G", "size_band": "micro", "has_site": "yes"}]
    # Windows-1258 writes Vietnamese with combining tone marks: read back as the composed letters
    vn = read_table("Ngành;Ti\u0309nh\nG;Hà Nô\u0323i\n".encode("cp1258"), "a.csv")
    assert vn.headers == ["Ngành", "Tỉnh"] and vn.rows[0]["Tỉnh"] == "Hà Nội"
    book = Workbook()
    sheet = book.active
    sheet.append(["Ngành", "Kỹ năng?", "Dấu thời gian", None])
    sheet.append(["G", 3.0, datetime(2025, 6, 30, 10, 0), None])
    sheet.append([None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    x = read_table(out.getvalue(), "forms.xlsx")
    assert x.headers == ["Ngành", "Kỹ năng?", "Dấu thời gian"]
    assert x.rows == [{"Ngành": "G", "Kỹ năng?": "3", "Dấu thời gian": datetime(2025, 6, 30, 10, 0)}]


@pytest.mark.parametrize(
    ("raw", "name", "why"),
    [(b"", "a.csv", "empty"), (b"a,b\n", "a.csv", "no rows"), (b"PK\x03\x04 not really", "a.xlsx", "cannot be opened"),
     (b"\x00\x01\x02", "a.csv", "not a text")],
)
def test_staff_import_unreadable_files_say_why(raw, name, why):
    with pytest.raises(TableError, match=why):
        read_table(raw, name)


def test_staff_import_dates_in_vietnam_time_and_refused_ones():
    when, why = read_date("30/06/2025 10:00:00", today=TODAY)
    assert why is None and when.astimezone(UTC) == datetime(2025, 6, 30, 3, 0, tzinfo=UTC)
    assert read_date("06/30/2025", day_first=False, today=TODAY)[0].date() == date(2025, 6, 30)
    assert read_date("2025-06-30T10:00:00Z", today=TODAY)[0].astimezone(UTC).hour == 10
    assert read_date("1/7/2025 2:05 PM", today=TODAY)[0].hour == 14
    assert read_date("", today=TODAY) == (None, None)
    assert "not a date" in read_date("31/02/2025", today=TODAY)[1]
    assert "in the future" in read_date("2025-12-01", today=TODAY)[1]
    assert "before 2000" in read_date("1999-12-31", today=TODAY)[1]
    assert "not a date" in read_date("hôm qua", today=TODAY)[1]


def test_staff_import_report_names_every_bad_row_by_its_file_column(tiny_q):
    t = table_of(GOOGLE)
    result = check(tiny_q, t, ColumnMapping(auto_match(tiny_q, t.headers)), today=TODAY)
    assert result.rows == 5  # the blank line is not a row
    assert [g.row for g in result.good] == [2, 3, 7]
    assert result.bad_rows == [4, 6]
    named = {(p.row, p.column) for p in result.problems}
    assert named == {
        (4, "Ngành"), (4, "Quy mô"), (4, "Tỉnh/Thành phố"), (4, "Đồng ý góp dữ liệu"), (4, "Có website?"),
        (4, "Kênh nào?"), (4, "Kỹ năng?"), (4, "Tỷ lệ online"), (4, "Thực hành [Sao lưu]"),
        (6, "Dấu thời gian"),
    }
    why = {(p.row, p.column): p.message for p in result.problems}
    assert why[(4, "Kỹ năng?")] == "9 is outside 0–4" and "not a date" in why[(6, "Dấu thời gian")]
    first, second, last = (g.intake for g in result.good)
    assert first.answers == {"has_site": "yes", "site_updates": "weekly", "channels": ["zalo", "fb"], "skill": 4,
                             "online_share": 60.0, "practices": {"backup": "fully", "passwords": "partly"}}
    assert (first.profile.sector, first.profile.size_band, first.profile.province, first.consent) == ("G", "micro", "lao_cai", True)
    assert first.profile.name is None  # the firm-name column is left out
    assert (second.profile.size_band, second.consent) == ("small", False)
    assert last.answers["channels"] == ["zalo", "fb"] and last.consent
    assert result.pooled == 2


def test_staff_import_a_mapping_problem_stops_before_the_rows(tiny_q):
    t = table_of(GOOGLE)
    columns = dict.fromkeys(t.headers, IGNORE) | {"Kỹ năng?": "skill", "Tỷ lệ online": "skill", "Ngành": "nope"}
    result = check(tiny_q, t, ColumnMapping(columns), today=TODAY)
    assert not result.good and result.bad_rows == []
    assert {(p.row, p.column) for p in result.mapping_problems} == {(1, "Tỷ lệ online"), (1, "Ngành"), (1, "-")}
    # a value for every row stands in for a missing profile column
    ok = check(tiny_q, t, ColumnMapping(auto_match(tiny_q, t.headers) | {"Ngành": IGNORE}, {"sector": "A"}), today=TODAY)
    assert [g.intake.profile.sector for g in ok.good] == ["A", "A", "A"]  # rows 2, 3 and 7, as before


# ------------------------------------------------------------------ storing (SQLite and PostgreSQL)


def counts(store) -> tuple[int, int, int, int]:
    with store.read() as conn:
        return tuple(int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                     for t in (assessments, import_batches, import_rows, pool_cells))


def checked(tiny_q):
    t = table_of(GOOGLE)
    return check(tiny_q, t, ColumnMapping(auto_match(tiny_q, t.headers)), today=TODAY)


def test_staff_import_commits_exactly_the_good_rows(store, tiny_q):
    store.clock = lambda: datetime(2025, 8, 1, 3, tzinfo=UTC)
    result = checked(tiny_q)
    batch = store.import_assessments(tiny_q, result.good, file_name="google.csv", file_hash=file_hash(GOOGLE.encode()),
                                     user="hoa", skipped=len(result.bad_rows))
    assert (batch.imported, batch.pooled, batch.skipped, batch.imported_by, batch.file_name) == (3, 2, 2, "hoa", "google.csv")
    ids = store.import_ids(batch.id)
    assert len(ids) == 3 and counts(store)[:3] == (3, 1, 3)
    records = [store.get(i) for i in ids]
    assert [r.status for r in records] == ["submitted"] * 3
    assert [r.consent for r in records] == [True, False, True]
    assert [r.profile.name for r in records] == [None, None, None]
    assert records[0].submitted_at == datetime(2025, 6, 30, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
    assert records[2].submitted_at == datetime(2025, 7, 3, 5, 0, tzinfo=UTC)  # a day alone: noon in Vietnam
    assert records[0].answers["practices"] == {"backup": "fully", "passwords": "partly"}
    assert store.result(records[0]).overall_level == records[0].result["overall_level"]
    # the pool: the two consented rows only, in the summaries already
    ov = store.staff.overview(Filters(questionnaire_id="tiny"), k=1)
    assert ov.n == 2
    assert store.staff.overview(Filters(province="lao_cai", date_from=date(2025, 6, 1), date_to=date(2025, 6, 30)), k=1).n == 1
    store.rebuild_summaries()  # the same figures from scratch: the import kept them exact
    assert store.staff.overview(Filters(questionnaire_id="tiny"), k=1).n == 2


def test_staff_import_a_second_import_of_the_same_file_is_detected(store, tiny_q):
    result = checked(tiny_q)
    digest = file_hash(GOOGLE.encode())
    first = store.import_assessments(tiny_q, result.good, file_name="google.csv", file_hash=digest, user="hoa")
    assert [b.id for b in store.imports_of_file(digest, "tiny")] == [first.id]
    with pytest.raises(DuplicateImport) as refused:
        store.import_assessments(tiny_q, result.good, file_name="renamed.csv", file_hash=digest, user="minh")
    assert refused.value.earlier.id == first.id and refused.value.earlier.imported_by == "hoa"
    assert counts(store)[:2] == (3, 1)  # nothing more
    again = store.import_assessments(tiny_q, result.good, file_name="renamed.csv", file_hash=digest, allow_duplicate=True)
    assert again.id != first.id and counts(store)[:2] == (6, 2)
    assert [b.id for b in store.imports_of_file(digest)] == [again.id, first.id]
    assert [b.id for b in store.list_imports("tiny")] == [again.id, first.id]


def test_staff_import_nothing_half_imported_when_the_summaries_fail(store, tiny_q, monkeypatch):
    result = checked(tiny_q)
    before = counts(store)
    import store.imports as imports

    calls = []

    def broken(conn, ids, layouts=None):
        calls.append(len(ids))
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports.summary, "apply", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        store.import_assessments(tiny_q, result.good, file_name="google.csv", file_hash="abc")
    assert calls == [3]  # it failed after the rows were written …
    assert counts(store) == before  # … and none of them stayed
    assert store.imports_of_file("abc") == []


def test_staff_import_nothing_half_imported_when_the_database_refuses_a_row(store, tiny_q, monkeypatch):
    """The third row collides with the first (the same resume-code hash): the database
    refuses it inside the transaction, and the first two go too."""
    result = checked(tiny_q)
    import store.imports as imports

    hashes = iter([b"a" * 32, b"b" * 32, b"a" * 32])
    monkeypatch.setattr(imports.os, "urandom", lambda n: next(hashes))
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        store.import_assessments(tiny_q, result.good, file_name="google.csv", file_hash="abc")
    assert counts(store) == (0, 0, 0, 0)


def test_staff_import_refuses_a_row_the_engine_refuses_and_stores_nothing(store, tiny_q):
    from dataclasses import replace

    result = checked(tiny_q)
    broken = replace(result.good[1].intake, answers={**result.good[1].intake.answers, "skill": 99})
    rows = [result.good[0], replace(result.good[1], intake=broken)]
    with pytest.raises(InvalidValue, match="row 3: skill"):
        store.import_assessments(tiny_q, rows, file_name="x.csv", file_hash="abc")
    assert counts(store)[:2] == (0, 0)
    with pytest.raises(InvalidValue, match="no row"):
        store.import_assessments(tiny_q, [], file_name="x.csv", file_hash="abc")


def test_staff_import_mapping_is_remembered_per_questionnaire_and_header_set(store, tiny_q):
    t = table_of(GOOGLE)
    assert store.import_mapping("tiny", t.headers) is None
    mapping = ColumnMapping(auto_match(tiny_q, t.headers) | {"Quy mô": IGNORE}, {"size_band": "micro"}, day_first=False)
    store.save_import_mapping("tiny", t.headers, mapping, "hoa")
    # the same headers in another order and case find it; other headers or questionnaire do not
    again = store.import_mapping("tiny", [h.upper() for h in reversed(t.headers)])
    assert again == mapping
    assert store.import_mapping("tiny", [*t.headers, "Ghi chú"]) is None
    assert store.import_mapping("other", t.headers) is None
    store.save_import_mapping("tiny", t.headers, ColumnMapping({"Ngành": "sector"}), "minh")
    assert store.import_mapping("tiny", t.headers).columns == {"Ngành": "sector"}
    assert header_key(["A b", "c"]) == header_key(["C", "a  B"])


def test_staff_import_undo_leaves_every_summary(store, tiny_q, submit, high):
    submit(store, tiny_q, high, sector="G", size_band="micro", province="lao_cai")
    before = store.staff.overview(Filters(), k=1).n
    batch = store.import_assessments(tiny_q, checked(tiny_q).good, file_name="g.csv", file_hash="abc")
    assert store.staff.overview(Filters(), k=1).n == before + 2
    assert store.delete_import(batch.id) == 3
    assert store.staff.overview(Filters(), k=1).n == before
    assert counts(store)[:3] == (1, 0, 0) and store.imports_of_file("abc") == []
    from store import NotFound

    with pytest.raises(NotFound):
        store.delete_import(batch.id)
