"""The programme-staff pages through AppTest (``pytest -k "staff or programme"``): nothing
before sign-in, a facilitator kept out of the pool, each page with its figures and n, small
groups hidden everywhere, the filter kept across pages, the exports' files, the bulk import
(bad rows named, good rows committed, a second import noticed, nothing half-imported),
re-scoring, the k setting, and a failing view that does not take the page down."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import textwrap

import pytest
from openpyxl import load_workbook

from scoring.loader import load_questionnaire_text
from scoring.model import FirmProfile
from store import Filters, close_stores, open_store
from tests.app_helpers import new_app, no_traceback, texts
from tests.app_helpers import signed_in as app_signed_in
from tests.conftest import HIGH, LOW, TINY
from tests.test_staff_import import GOOGLE
from tests.test_staff_store import V2

TINY_TEXT = textwrap.dedent(TINY)
PASSWORD = "correct horse"
PAGES = ["staff", "staff_compare", "staff_breakdowns", "staff_needs", "staff_progress", "staff_exports",
         "staff_import", "staff_versions", "staff_settings"]
SECRET_NAME = "Công ty Bí Mật"


@pytest.fixture
def tiny_q():
    return load_questionnaire_text(TINY_TEXT, "tiny.yaml")


@pytest.fixture
def env(tmp_path, monkeypatch, tiny_q):
    """Lào Cai: 6 G micro firms (baseline low, follow-up high); Hà Nội: 8 C small firms;
    Huế: 2 A household firms (under k); 3 Hà Nội firms without consent, named."""
    qdir = tmp_path / "questionnaires"
    qdir.mkdir()
    (qdir / "tiny.yaml").write_text(TINY_TEXT, encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("QUESTIONNAIRE_DIR", str(qdir))
    store = open_store()
    store.add_user("lan", PASSWORD, "facilitator")
    store.add_user("minh", PASSWORD, "facilitator")
    store.add_user("hoa", PASSWORD, "programme")
    store.add_user("root", PASSWORD, "admin")

    def submit(answers, consent=True, **profile):
        extra = {k: profile.pop(k) for k in ("round", "previous_code") if k in profile}
        _, code = store.create_draft(tiny_q, FirmProfile(**profile), consent=consent, **extra)
        store.submit(code, tiny_q, dict(answers))
        return code

    for _ in range(6):
        code = submit(LOW, sector="G", size_band="micro", province="lao_cai")
        submit(HIGH, sector="G", size_band="micro", province="lao_cai", round="follow_up", previous_code=code)
    for _ in range(8):
        submit(HIGH, sector="C", size_band="small", province="ha_noi")
    for _ in range(2):
        submit(LOW, sector="A", size_band="household", province="hue")
    for _ in range(3):
        submit(HIGH, consent=False, name=SECRET_NAME, sector="C", size_band="small", province="ha_noi")
    store.qdir = qdir
    yield store
    close_stores()


def signed_in(user: str, page: str | None = None):
    return app_signed_in(user, PASSWORD, page)


def goto(at, page: str):
    at.session_state["goto"] = page
    at.run()
    no_traceback(at)
    return at


def figures(at) -> list[str]:
    """The big figures of the metric boxes (the subheaders that are figures, not titles)."""
    return [h.value for h in at.subheader if re.match(r"^[\d±+−—<]", h.value)]


# ------------------------------------------------------------------ who sees what


@pytest.mark.parametrize("page", PAGES)
def test_staff_pages_show_nothing_before_sign_in(env, page):
    at = new_app()
    at.session_state["goto"] = page
    at.run()
    no_traceback(at)
    shown = texts(at)
    assert "Trang này dành cho cán bộ. Hãy đăng nhập để tiếp tục." in shown
    assert figures(at) == [] and "n = " not in shown and not at.dataframe and not at.get("download_button")
    assert not [e for e in at.expander if "Bộ lọc" in e.label]


def test_programme_staff_land_on_the_overview_with_the_staff_pages_in_their_menu(env):
    from ui import nav

    at = signed_in("hoa")
    assert at.title[0].value == "Tổng quan dữ liệu chung"
    assert figures(at)[:2] == ["22", "63,6%"]  # 6 + 6 + 8 + 2 pooled; not the 3 without consent
    assert SECRET_NAME not in texts(at)
    menu = nav.specs_for("programme")
    assert [s.name for s in menu["nav.section_programme"] if not s.hidden] == PAGES
    assert "nav.section_workshop" not in menu


def test_programme_a_facilitator_sees_only_their_workshops_not_the_pool(env):
    from ui import nav

    env.create_workshop("Của Lan", None, "lan", "tiny")
    env.create_workshop("Của Minh", None, "minh", "tiny")
    menu = nav.specs_for("facilitator")
    assert "nav.section_programme" not in menu
    hidden = {s.name for specs in menu.values() for s in specs if s.hidden}
    assert set(PAGES) <= hidden  # registered hidden: a bookmarked URL asks for the right role
    at = signed_in("lan")
    shown = texts(at)
    assert "Của Lan" in shown and "Của Minh" not in shown
    for page in PAGES:
        goto(at, page)
        shown = texts(at)
        assert "Tài khoản của bạn không có quyền xem trang này." in shown, page
        assert figures(at) == [] and "n = " not in shown and not at.get("download_button"), page


def test_programme_an_admin_sees_the_staff_pages_too(env):
    at = signed_in("root", "staff")
    assert figures(at)[0] == "22"


# ------------------------------------------------------------------ the pages


def test_staff_filter_to_a_province_holds_on_every_page(env):
    at = signed_in("hoa")
    at.multiselect(key="staff_f_province").set_value(["lao_cai"]).run()
    no_traceback(at)
    assert figures(at)[0] == "12"
    assert any("Lào Cai" in e.label for e in at.expander)  # the filter in the bar's label
    goto(at, "staff_compare")
    assert at.multiselect(key="staff_f_province").value == ["lao_cai"]
    assert "**Nhóm đã lọc:** Lào Cai" in texts(at)
    group, pool, difference = figures(at)
    assert (group, pool) == ("50,0%", "63,6%") and difference == "−13,6 điểm"
    assert "n = 12" in texts(at) and "n = 22" in texts(at)
    table = at.dataframe[0].value
    assert list(table.iloc[0][["n nhóm đã lọc", "n nhóm so sánh"]]) == [12, 22]


def test_staff_period_by_months_and_by_days(env):
    from datetime import date

    at = signed_in("hoa")
    at.segmented_control(key="staff_f_period").set_value("months").run()
    no_traceback(at)
    assert figures(at)[0] == "22"  # the last twelve months hold today
    at.selectbox(key="staff_f_month_to").set_value(at.selectbox(key="staff_f_month_to").options[-1]).run()
    at.selectbox(key="staff_f_month_from").set_value(at.selectbox(key="staff_f_month_from").options[-1]).run()
    no_traceback(at)
    assert "Không có doanh nghiệp nào khớp bộ lọc này." in texts(at) and figures(at) == []
    at.segmented_control(key="staff_f_period").set_value("days").run()
    no_traceback(at)
    assert figures(at)[0] == "22"  # from the first of this month to today
    at.date_input(key="staff_f_days").set_value((date(2024, 1, 1), date(2024, 1, 31))).run()
    no_traceback(at)
    assert "Không có doanh nghiệp nào khớp bộ lọc này." in texts(at)
    assert any("01/01/2024 – 31/01/2024" in e.label.replace("\\", "") for e in at.expander)


def test_staff_compare_with_another_group_and_a_hidden_side(env):
    at = signed_in("hoa")
    at.multiselect(key="staff_f_province").set_value(["lao_cai"]).run()
    goto(at, "staff_compare")
    at.segmented_control(key="staff_cmp_against").set_value("group").run()
    at.multiselect(key="staff_cmp_province").set_value(["ha_noi"]).run()
    no_traceback(at)
    assert figures(at)[:2] == ["50,0%", "100,0%"]
    at.multiselect(key="staff_cmp_province").set_value(["hue"]).run()
    no_traceback(at)
    assert "Huế: dưới 5 doanh nghiệp, không hiển thị số liệu." in texts(at)
    assert figures(at) == [] and not at.dataframe


def test_staff_a_small_group_is_hidden_on_every_page(env):
    at = signed_in("hoa")
    at.multiselect(key="staff_f_province").set_value(["hue"]).run()
    warning = "Nhóm này có dưới 5 doanh nghiệp: không hiển thị số liệu"
    for page in ("staff", "staff_needs"):
        goto(at, page)
        assert warning in texts(at) and figures(at) == [], page
    goto(at, "staff_breakdowns")
    rows = at.dataframe[0].value
    assert rows.iloc[0]["Số doanh nghiệp (n)"] == "dưới 5 doanh nghiệp: không hiển thị"
    assert rows.iloc[0][["Điểm trung bình (%)", "Mức trung bình"]].isna().all()
    goto(at, "staff_exports")
    assert "Bộ lọc này có dưới 5 doanh nghiệp: không xuất được tệp nào." in texts(at)
    for key in ("staff_dl_csv", "staff_dl_xlsx", "staff_dl_parquet", "staff_dl_tables", "staff_dl_brief"):
        assert at.download_button(key=key).proto.disabled, key


def test_staff_breakdowns_table_and_chart_by_province_sector_and_size(env):
    at = signed_in("hoa", "staff_breakdowns")
    rows = at.dataframe[0].value
    assert list(rows["Tỉnh, thành phố"]) == ["Hà Nội", "Lào Cai", "Huế"]  # best first, hidden last
    assert list(rows["Số doanh nghiệp (n)"]) == ["8", "12", "dưới 5 doanh nghiệp: không hiển thị"]
    assert "3 nhóm có doanh nghiệp; 2 nhóm hiện số liệu (20 doanh nghiệp), 1 nhóm dưới 5 doanh nghiệp bị ẩn." in texts(at)
    assert len(at.get("vega_lite_chart")) == 2
    at.segmented_control(key="staff_bd_by").set_value("size_band").run()
    no_traceback(at)
    assert list(at.dataframe[0].value["Quy mô"]) == ["Nhỏ", "Siêu nhỏ", "Hộ kinh doanh"]
    at.selectbox(key="staff_bd_measure").set_value("ops").run()
    assert "Vận hành theo quy mô" in texts(at)


def test_staff_needs_are_named_as_in_the_catalogue(env):
    at = signed_in("hoa", "staff_needs")
    shown = texts(at)
    assert "Tỷ lệ trong 22 doanh nghiệp có câu trả lời cho thấy còn thiếu loại công cụ này." in shown
    table = at.dataframe[0].value
    assert "Website bán hàng và sàn thương mại điện tử" in set(table["Loại công cụ còn thiếu"])
    assert "ecommerce" not in set(table["Loại công cụ còn thiếu"])
    lao_cai = table[table["Tỉnh, thành phố"] == "Lào Cai"].iloc[0]
    assert (lao_cai["Số doanh nghiệp"], lao_cai["Số doanh nghiệp (n)"]) == (6, 12)
    hue = table[table["Tỉnh, thành phố"] == "Huế"].iloc[0]
    assert hue["Ghi chú"] == "dưới 5 doanh nghiệp: không hiển thị" and hue[["Số doanh nghiệp", "Tỷ lệ (%)"]].isna().all()


def test_staff_progress_of_firms_with_a_baseline_and_a_follow_up(env):
    at = signed_in("hoa", "staff_progress")
    assert figures(at) == ["6", "0,00 → 2,00", "+100,0 điểm"]
    assert "Lên mức: **6** · giữ nguyên: **0** · xuống mức: **0** doanh nghiệp." in texts(at)
    table = at.dataframe[0].value
    assert int(table.iloc[0]["Lên mức"]) == 6
    at.segmented_control(key="staff_pg_period").set_value("month").run()
    no_traceback(at)
    assert at.dataframe[0].value.columns[0] == "Tháng"


def test_staff_overview_in_english(env):
    at = signed_in("hoa")
    at.session_state["lang"] = "en"
    at.run()
    no_traceback(at)
    assert at.title[0].value == "Overview of the pooled results"
    assert figures(at)[:2] == ["22", "63.6%"]
    assert "Groups of fewer than 5 firms show no figures. No firm is ever named." in texts(at)


# ------------------------------------------------------------------ exports


def test_staff_exports_build_rows_tables_and_a_brief_of_the_current_filter(env, tmp_path):
    from ui.pages import staff_exports

    at = signed_in("hoa")
    at.multiselect(key="staff_f_province").set_value(["lao_cai", "hue"]).run()
    goto(at, "staff_exports")
    assert "Các tệp gồm **14** bài đánh giá." in texts(at)
    for key in ("staff_dl_csv", "staff_dl_xlsx", "staff_dl_parquet", "staff_dl_tables", "staff_dl_brief"):
        assert not at.download_button(key=key).proto.disabled, key
    # the files the buttons build on click (AppTest cannot click a download: call the builders)
    filters = Filters(questionnaire_id="tiny", province=("lao_cai", "hue"))
    with staff_exports.rows_file(env, filters, "csv")() as handle:
        text = handle.read().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 14 and list(rows[0])[:3] == ["pid", "previous_pid", "questionnaire_id"]
    assert {r["province"] for r in rows} == {"lao_cai", "hue"} and SECRET_NAME not in text
    assert not list(tmp_path.glob("staff-export-*"))
    book = load_workbook(staff_exports.rows_file(env, filters, "xlsx")())
    assert book.sheetnames == ["results", "dictionary"] and book["results"].max_row == 15
    words = [("Bộ câu hỏi", "Thử"), ("Tỉnh, thành phố", "Lào Cai, Huế")]
    scope = staff_exports.sc.Scope(filters, "tiny", load_questionnaire_text(TINY_TEXT, "tiny.yaml"), 5, _names(), words)
    tables = load_workbook(io.BytesIO(staff_exports.tables_file(env, filters, 5, scope.words)()))
    assert tables.sheetnames[:2] == ["filter", "overview"]
    made = staff_exports.brief(env, scope)
    assert made.n == 14 and made.pool_n == 22 and [f.value for f in made.filters] == ["Lào Cai, Huế"]
    provinces = {r.name: (r.n, r.mean) for r in made.breakdowns[0].rows}
    assert provinces == {"Lào Cai": (12, 50.0), "Huế": (1, None)}  # Huế hidden: any n under k prints "< 5"
    pdf = staff_exports.brief_pdf(env, scope, "vi")()
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(words.split())
    assert "Tỉnh, thành phố: Lào Cai, Huế" in words and SECRET_NAME not in words
    assert "Website bán hàng và sàn thương mại điện tử" in words and "ecommerce" not in words
    assert re.search(r"Huế <\s?5 ẩn Lào Cai 12 50%", words)  # the hidden province: no figure


def _names():
    from scoring.catalogue import load_catalogue
    from ui.pages.staff_common import Names

    return Names("vi", None, {"sales": "Bán hàng", "ops": "Vận hành"}, {0: "Chưa", 1: "Một", 2: "Hai"}, {},
                 {"lao_cai": "Lào Cai", "hue": "Huế", "ha_noi": "Hà Nội"}, {}, {},
                 {c.id: c.name for c in load_catalogue().categories})


# ------------------------------------------------------------------ import


def upload(at, raw: bytes, name: str = "google.csv"):
    key = f"staff_imp_file_{at.session_state['staff_imp_file_gen'] if 'staff_imp_file_gen' in at.session_state else 0}"
    at.file_uploader(key=key).set_value((name, raw, "text/csv")).run()
    no_traceback(at)
    return at


def test_staff_import_names_every_bad_row_commits_the_good_and_notices_the_same_file(env):
    before = env.staff.overview(Filters(questionnaire_id="tiny"), k=1).n
    at = signed_in("hoa", "staff_import")
    assert "chỉ được tính vào dữ liệu chung khi tệp có cột đồng ý" in texts(at)
    upload(at, GOOGLE.encode("utf-8"))
    assert "Tệp **google\\.csv**: 5 dòng, 13 cột." in texts(at)  # the blank line is no row
    assert at.selectbox(key="staff_imp_col_0").value == "submitted_on"
    assert at.selectbox(key="staff_imp_col_1").value == ""  # the firm name: left out
    at.button(key="staff_imp_check").click().run()
    no_traceback(at)
    problems = at.dataframe[0].value
    assert sorted(set(problems["Dòng"])) == [4, 6]
    assert set(problems[problems["Dòng"] == 6]["Cột"]) == {"Dấu thời gian"}
    assert "5 dòng: **3** dòng hợp lệ, **2** dòng có lỗi (sẽ bỏ qua). Trong các dòng hợp lệ: **2** đồng ý góp vào dữ liệu chung, 1 chỉ được lưu." in texts(at)
    at.button(key="staff_imp_commit").click().run()
    no_traceback(at)
    (batch,) = env.list_imports()
    assert (batch.imported, batch.pooled, batch.skipped, batch.imported_by) == (3, 2, 2, "hoa")
    assert "Đã nhập 3 dòng từ «google\\.csv» (lần nhập số 1)" in texts(at)
    assert env.staff.overview(Filters(questionnaire_id="tiny"), k=1).n == before + 2
    # the mapping is remembered; the same file again is noticed and needs a confirmation
    upload(at, GOOGLE.encode("utf-8"), "again.csv")
    assert "Đã dùng cách ghép cột lưu lần trước" in texts(at)
    at.button(key="staff_imp_check").click().run()
    assert "Tệp này đã được nhập rồi (lần nhập số 1, «google\\.csv»" in texts(at)
    assert at.button(key="staff_imp_commit").disabled
    at.checkbox(key="staff_imp_again").check().run()
    assert not at.button(key="staff_imp_commit").disabled
    at.button(key="staff_imp_commit").click().run()
    no_traceback(at)
    assert [b.imported for b in env.list_imports()] == [3, 3]
    # undo the second import
    goto(at, "staff_import")
    at.button(key="staff_imp_undo_2").click().run()
    at.button(key="staff_imp_undo_yes_2").click().run()
    no_traceback(at)
    assert [b.id for b in env.list_imports()] == [1] and "Đã hủy lần nhập số 2: đã xóa 3 bài đánh giá." in texts(at)


def test_staff_import_a_failing_commit_stores_nothing_and_says_so(env, monkeypatch):
    import store.imports as imports

    def broken(conn, ids, layouts=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports.summary, "apply", broken)
    with env.read() as conn:
        from sqlalchemy import func, select

        from store.models import assessments

        rows_before = conn.execute(select(func.count()).select_from(assessments)).scalar_one()
    at = signed_in("hoa", "staff_import")
    upload(at, GOOGLE.encode("utf-8"))
    at.button(key="staff_imp_check").click().run()
    at.button(key="staff_imp_commit").click().run()
    no_traceback(at)
    assert "Chưa nhập được dòng nào: lỗi khi ghi vào cơ sở dữ liệu. Không có dòng nào được lưu" in texts(at)
    assert env.list_imports() == []
    with env.read() as conn:
        assert conn.execute(select(func.count()).select_from(assessments)).scalar_one() == rows_before


def test_staff_import_an_unreadable_file_and_a_mapping_problem_are_explained(env):
    at = signed_in("hoa", "staff_import")
    upload(at, b"\x00\x01binary", "x.csv")
    assert "Không đọc được tệp: this is not a text (CSV) file" in texts(at)
    upload(at, "Kỹ năng?,Ghi chú\n3,x\n".encode(), "y.csv")
    at.button(key="staff_imp_check").click().run()
    no_traceback(at)
    assert "Cách ghép cột còn vấn đề" in texts(at)
    problems = at.dataframe[0].value
    assert set(problems["Dòng"]) == {1} and not [b for b in at.button if b.key == "staff_imp_commit"]


# ------------------------------------------------------------------ versions, settings, errors


def test_staff_rescore_on_the_current_version_beside_the_original(env):
    (env.qdir / "tiny.yaml").write_text(textwrap.dedent(V2), encoding="utf-8")
    at = signed_in("hoa", "staff_versions")
    assert at.multiselect(key="staff_rs_versions").value == ["1"]
    at.button(key="staff_rs_go").click().run()
    no_traceback(at)
    assert "Đã chọn **25** bài; chấm lại được **25** (25 bài giữ nguyên mức); **0** bài không chấm lại được." in texts(at)
    assert "Kết quả gốc và kết quả chấm lại theo phiên bản 2" in texts(at)
    assert figures(at)[:2] == ["63,6%", "63,6%"]
    original = env.staff.overview(Filters(questionnaire_id="tiny"), k=1)
    assert original.n == 22 and round(original.percent_mean, 1) == 63.6  # the originals are untouched


def test_staff_k_is_shown_to_staff_and_changed_by_an_admin(env):
    at = signed_in("hoa", "staff_settings")
    assert [m.value for m in at.metric] == ["5"] and not at.number_input
    at = signed_in("root", "staff_settings")
    at.number_input(key="staff_set_k").set_value(2)
    at.button(key="staff_set_save").click().run()
    no_traceback(at)
    assert env.min_group_size() == 2 and "Đã lưu: nhóm dưới 2 doanh nghiệp sẽ được ẩn." in texts(at)
    goto(at, "staff")
    at.multiselect(key="staff_f_province").set_value(["hue"]).run()
    assert figures(at)[0] == "2"  # with k = 2 the two Huế firms show


def test_staff_a_failing_view_says_so_and_keeps_the_page(env, monkeypatch):
    from store.staff import StaffViews

    def broken(self, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(StaffViews, "breakdown", broken)
    at = signed_in("hoa")
    at.session_state["goto"] = "staff_breakdowns"
    at.run()
    no_traceback(at, expect_unexpected=True)
    assert any("Đã xảy ra lỗi ngoài dự kiến" in e.value for e in at.error)
    assert any(e.label.startswith("Bộ lọc") for e in at.expander)  # the filter bar is still there
    goto(at, "staff")
    assert figures(at)[0] == "22"


def test_staff_chart_colours_reach_3_to_1_and_heat_map_text_4_5_to_1():
    from tests.test_charts_contrast import contrast
    from ui.pages import staff_charts as sc

    for colour in sc.PALETTE:
        assert contrast(colour) >= 3.0, colour
    for i, cell in enumerate(sc.HEAT):
        text = "#ffffff" if i >= sc.HEAT_DARK_FROM else sc.TEXT
        assert contrast(text, cell) >= 4.5, (cell, text)
