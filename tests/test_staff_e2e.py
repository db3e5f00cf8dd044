"""The programme-staff workspace end to end in real headless Chromium against one real
``streamlit run`` (``pytest -k "staff or programme"``): a programme officer signs in, filters
to a province, compares it with the pool, exports CSV and XLSX (rows and the aggregate
tables) and opens them: the rows of the filter only, pseudonymous and nameless, the small
group suppressed, formula-like text neutralised. Every staff page is photographed at 1280
and 375 px (``/tmp/screens``).

The questionnaire's version is ``=1+1``: text a spreadsheet would run as a formula, which
must leave every export as text.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from pathlib import Path

import pytest

from scoring.loader import load_questionnaire_text
from scoring.model import FirmProfile
from store import close_stores, open_store
from tests.conftest import HIGH, LOW, TINY
from tests.e2e_helpers import (
    click_button,
    free_port,
    key_locator,
    require_chromium,
    screenshot,
    start_server,
    stop_server,
    wait_idle,
)

require_chromium()

from openpyxl import load_workbook  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.e2e
SCREENS = Path("/tmp/screens")
PASSWORD = "correct horse battery"
SECRET_NAME = "Công ty Bí Mật"
QUESTIONNAIRE = textwrap.dedent(TINY).replace('version: "1"', 'version: "=1+1"').replace(
    "title: {vi: Thử, en: Tiny}", "title: {vi: Thử nghiệm, en: Trial}")
WAIT = 30_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Lào Cai: 6 G micro firms at the top, 2 C small at the bottom (C: under k), 3 without
    consent (named); Hà Nội: 10 G micro at the bottom."""
    tmp = tmp_path_factory.mktemp("staff-e2e")
    qdir = tmp / "questionnaires"
    qdir.mkdir()
    (qdir / "trial.yaml").write_text(QUESTIONNAIRE, encoding="utf-8")
    q = load_questionnaire_text(QUESTIONNAIRE, "trial.yaml")
    url = f"sqlite:///{tmp / 'staff.db'}"
    store = open_store(url)
    store.add_user("hoa", PASSWORD, "programme")

    def submit(answers, consent=True, **profile):
        _, code = store.create_draft(q, FirmProfile(**profile), consent=consent)
        store.submit(code, q, dict(answers))

    for _ in range(6):
        submit(HIGH, sector="G", size_band="micro", province="lao_cai")
    for _ in range(2):
        submit(LOW, sector="C", size_band="small", province="lao_cai")
    for _ in range(3):
        submit(HIGH, consent=False, name=SECRET_NAME, sector="G", size_band="micro", province="lao_cai")
    for _ in range(10):
        submit(LOW, sector="G", size_band="micro", province="ha_noi")
    close_stores()
    port = free_port()
    proc = start_server(port, {"DATABASE_URL": url, "QUESTIONNAIRE_DIR": str(qdir)}, tmp / "streamlit.log")
    yield {"base": f"http://127.0.0.1:{port}", "tmp": tmp}
    stop_server(proc)


def menu(page, name: str) -> None:
    """Open a staff page through the top menu (a reload would start a new session)."""
    page.locator("[data-testid='stTopNavSection']").filter(has_text="Chương trình").click()
    page.locator(f"a[href$='/{name}']").first.click()
    wait_idle(page)


def photograph(page, name: str) -> None:
    screenshot(page, SCREENS / f"staff_{name}_1280.png")
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_timeout(600)
    screenshot(page, SCREENS / f"staff_{name}_375.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_timeout(300)
    wait_idle(page)


def pick(page, key: str, option: str) -> None:
    """Add ``option`` to a multiselect: type to filter, click the option itself."""
    field = key_locator(page, key).locator("input").first
    expect(field).to_be_editable()
    field.click()
    page.wait_for_timeout(300)  # typed at once after the click, the choice was lost now and then
    page.keyboard.type(option)
    page.wait_for_timeout(500)
    page.get_by_role("option", name=option, exact=True).first.click()
    page.wait_for_timeout(800)  # the choice is sent when the list settles (no Escape: it would drop it)
    wait_idle(page)


def metric(page, key: str):
    return key_locator(page, key).locator("h3")


def download(page, key: str) -> Path:
    with page.expect_download(timeout=WAIT) as info:
        key_locator(page, key).locator("button").click()
    return Path(info.value.path())


def test_staff_sign_in_filter_compare_and_export(browser, server):
    base = server["base"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    expect.set_options(timeout=WAIT)
    page.goto(base + "/login")
    wait_idle(page)
    key_locator(page, "login_user").locator("input").fill("hoa")
    key_locator(page, "login_password").locator("input").fill(PASSWORD)
    click_button(page, "login_go")
    expect(page.get_by_role("heading", name="Tổng quan dữ liệu chung")).to_be_visible()
    page.wait_for_timeout(1000)  # the page switch after sign-in settles
    wait_idle(page)
    expect(metric(page, "staff_m_firms")).to_have_text("18")  # 6 + 2 + 10; not the 3 without consent
    expect(page.get_by_text(SECRET_NAME)).to_have_count(0)

    # filter to a province
    key_locator(page, "staff_filters").locator("summary").click()
    expect(key_locator(page, "staff_f_province")).to_be_visible()
    pick(page, "staff_f_province", "Lào Cai")
    expect(metric(page, "staff_m_firms")).to_have_text("8")
    expect(metric(page, "staff_m_mean")).to_have_text("75,0%")
    expect(key_locator(page, "staff_filters").locator("summary")).to_contain_text("Lào Cai")
    SCREENS.mkdir(parents=True, exist_ok=True)
    photograph(page, "overview")

    # compare with the pool: the filter holds on the next page
    menu(page, "staff_compare")
    expect(page.get_by_text("Nhóm đã lọc: Lào Cai")).to_be_visible()
    expect(metric(page, "staff_cmp_m_group")).to_have_text("75,0%")
    expect(metric(page, "staff_cmp_m_other")).to_have_text("33,3%")
    expect(metric(page, "staff_cmp_m_diff")).to_have_text("+41,7 điểm")
    expect(key_locator(page, "staff_cmp_m_group")).to_contain_text("n = 8")
    expect(key_locator(page, "staff_cmp_m_other")).to_contain_text("n = 18")
    photograph(page, "compare")

    # exports of the filter
    menu(page, "staff_exports")
    expect(page.get_by_text("Các tệp gồm 8 bài đánh giá.")).to_be_visible()
    rows = list(csv.DictReader(download(page, "staff_dl_csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 8 and {r["province"] for r in rows} == {"lao_cai"}
    assert all(re.fullmatch(r"[0-9a-f]{16}", r["pid"]) for r in rows) and len({r["pid"] for r in rows}) == 8
    assert {r["questionnaire_version"] for r in rows} == {"'=1+1"}  # neutralised: a spreadsheet shows text
    assert SECRET_NAME not in str(rows) and "firm_name" not in rows[0]
    book = load_workbook(io.BytesIO(download(page, "staff_dl_xlsx").read_bytes()))
    assert book.sheetnames == ["results", "dictionary"]
    sheet = list(book["results"].iter_rows(values_only=True))
    version = sheet[0].index("questionnaire_version")
    assert len(sheet) == 9 and {r[version] for r in sheet[1:]} == {"'=1+1"}
    assert not any(isinstance(v, str) and v.startswith("=") for r in sheet for v in r)
    tables = load_workbook(io.BytesIO(download(page, "staff_dl_tables").read_bytes()))
    assert tables.sheetnames[:2] == ["filter", "overview"]
    about = dict(list(tables["filter"].iter_rows(values_only=True))[1:])
    assert about["Bộ câu hỏi"] == "Thử nghiệm" and about["Tỉnh, thành phố"] == "Lào Cai"
    sectors = list(tables["sector"].iter_rows(values_only=True))
    head = list(sectors[0])
    by_sector = {r[0]: r for r in sectors[1:]}
    assert by_sector["C"][head.index("suppressed")] is True  # 2 firms: suppressed, no figures
    assert by_sector["C"][head.index("n")] is None and by_sector["C"][head.index("percent")] is None
    assert by_sector["G"][head.index("n")] == 6 and by_sector["G"][head.index("percent")] == 100
    pdf = download(page, "staff_dl_brief").read_bytes()
    assert pdf.startswith(b"%PDF")
    photograph(page, "exports")

    # the other pages, for a look
    for name in ("staff_breakdowns", "staff_needs", "staff_progress", "staff_import", "staff_versions", "staff_settings"):
        menu(page, name)
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        expect(page.get_by_text("Đã xảy ra lỗi ngoài dự kiến")).to_have_count(0)
        photograph(page, name.removeprefix("staff_"))
    context.close()
