"""A workshop end to end in real headless Chromium against one real ``streamlit run``
(``pytest -k workshop``): a facilitator signs in and opens a workshop; three participants
join on phones (two by the link, one by the typed code) and finish the quick check; the
projector counts them without a reload; the room picture stays hidden under five firms;
the exports hold exactly the firms that agreed to share; two paper forms typed back in
(one on the page, one by CSV) join the room and bring it to five.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from scoring.intake import template_columns
from scoring.loader import load_bundled
from store import close_stores, open_store
from tests.e2e_helpers import (
    browser_answer_step,
    choose_option,
    click_button,
    free_port,
    key_locator,
    pick_radio,
    require_chromium,
    screenshot,
    set_checkbox,
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


@pytest.fixture(scope="module")
def quick():
    return load_bundled("quick_check")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workshop-e2e")
    url = f"sqlite:///{tmp / 'workshop.db'}"
    store = open_store(url)
    store.add_user("lan", PASSWORD, "facilitator")
    close_stores()
    port = free_port()
    proc = start_server(port, {"DATABASE_URL": url}, tmp / "streamlit.log")
    yield {"base": f"http://127.0.0.1:{port}", "db": url, "tmp": tmp}
    stop_server(proc)


def sign_in_and_open_workshop(page, base: str) -> str:
    page.goto(base + "/login")
    wait_idle(page)
    key_locator(page, "login_user").locator("input").fill("lan")
    key_locator(page, "login_password").locator("input").fill(PASSWORD)
    click_button(page, "login_go")
    expect(page.get_by_text("Xin chào lan.")).to_be_visible()
    page.get_by_text("Mở hội thảo mới").click()
    key_locator(page, "ws_new_name").locator("input").fill("Chuyển đổi số cho hội viên")
    key_locator(page, "ws_new_association").locator("input").fill("Hiệp hội Doanh nghiệp tỉnh Lào Cai")
    choose_option(page, "ws_new_province", "Lào Cai")
    click_button(page, "ws_create")
    big = key_locator(page, "ws_code_big")
    expect(big).to_be_visible()
    code = big.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    return code


def participant(browser, base: str, quick, code: str, *, typed: bool, share: bool, name: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        if typed:
            page.goto(base + "/")
            wait_idle(page)
            page.get_by_text("Tham gia hội thảo? Nhập mã trên màn chiếu").click()
            field = key_locator(page, "start_join_code").locator("input")
            field.fill(code.lower())
            field.press("Enter")
            wait_idle(page)
        else:
            page.goto(f"{base}/?join={code}")
            wait_idle(page)
        expect(page.get_by_text("Bạn đang tham gia hội thảo")).to_be_visible()
        key_locator(page, "start_name").locator("input").fill(name)
        choose_option(page, "start_sector", "G ·")
        pick_radio(page, "start_size", 1)
        if share:
            set_checkbox(page, "start_share", True)
            set_checkbox(page, "start_share_name", True)
        click_button(page, "start_begin")
        answers: dict = {}
        for step in range(len(quick.pillars)):
            answers = browser_answer_step(page, quick, step, "low" if step % 2 else "high", answers)
            click_button(page, "nav_submit" if step == len(quick.pillars) - 1 else "nav_next")
        key_locator(page, "overall_level").wait_for()
    finally:
        context.close()


def test_a_workshop_from_projector_to_exports_and_paper(browser, server, quick):
    base = server["base"]
    facilitator = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = facilitator.new_page()
    code = sign_in_and_open_workshop(page, base)
    finished = key_locator(page, "ws_counts").locator("[data-testid='stMetric']").nth(2)
    expect(finished).to_contain_text("0")

    participant(browser, base, quick, code, typed=False, share=True, name="Cửa hàng Hoa Mai")
    participant(browser, base, quick, code, typed=True, share=True, name="Tạp hóa Bình An")
    participant(browser, base, quick, code, typed=False, share=False, name="Cty không chia sẻ")

    # the projector counts them without a reload (a fragment refreshes every few seconds)
    expect(finished).to_contain_text("3", timeout=15_000)
    expect(page.get_by_text("Cần ít nhất 5 doanh nghiệp làm xong và đồng ý chia sẻ")).to_be_visible(timeout=15_000)
    SCREENS.mkdir(parents=True, exist_ok=True)
    screenshot(page, SCREENS / "workshop_room_1280.png")

    # exports: exactly the two firms that agreed, named as they agreed
    page.get_by_role("tab", name="Xuất kết quả").click()
    # the tab tells the server it is open (a rerun): a click on a download before that rerun
    # has reached the page names a file the rerun has replaced, and Streamlit drops it
    wait_idle(page)
    with page.expect_download() as info:
        key_locator(page, "ws_dl_csv").locator("button").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["Tên doanh nghiệp"] for r in rows) == ["Cửa hàng Hoa Mai", "Tạp hóa Bình An"]
    assert "Cty không chia sẻ" not in text
    with page.expect_download() as info:
        key_locator(page, "ws_dl_xlsx").locator("button").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert sheet.max_row == 3  # a header and two firms
    with page.expect_download() as info:
        key_locator(page, "ws_dl_summary").locator("button").click()
    summary = pdf_text(Path(info.value.path()).read_bytes())
    assert "Chuyển đổi số cho hội viên" in summary and "Cửa hàng Hoa Mai" not in summary

    # paper: one form typed in on the page, one by CSV
    page.get_by_role("tab", name="Phiếu giấy").click()
    wait_idle(page)
    with page.expect_download() as info:
        key_locator(page, "ws_dl_blank").locator("button").click()
    blank = pdf_text(Path(info.value.path()).read_bytes())
    assert code in blank and quick.questions()[0][1].id in blank.replace("\n", "")
    page.get_by_text("Nhập một phiếu giấy").click()
    choose_option(page, "paper_sector", "A ·")
    pick_radio(page, "paper_size", 0)
    set_checkbox(page, "paper_share", True)
    for _, question in quick.questions():
        fill_paper_question(page, question)
    click_button(page, "paper_save")
    screenshot(page, SCREENS / "workshop_paper_1280.png")
    expect(page.get_by_text("Đã lưu 1 phiếu trong phiên này.")).to_be_visible()

    cols = template_columns(quick)
    row = {c: "" for c in cols}
    row.update(sector="C", size_band="small", share_with_association="1")
    for _, question in quick.questions():
        row[question.id] = csv_cell(question)
    body = io.StringIO()
    writer = csv.DictWriter(body, fieldnames=cols)
    writer.writeheader()
    writer.writerow(row)
    upload = server["tmp"] / "paper.csv"
    upload.write_text(body.getvalue(), encoding="utf-8")
    page.get_by_text("Nhập nhiều phiếu từ tệp CSV").click()
    key_locator(page, "ws_csv_file").locator("input[type=file]").set_input_files(str(upload))
    wait_idle(page)
    expect(page.get_by_text("dòng hợp lệ, 0 dòng có lỗi.")).to_be_visible()
    click_button(page, "ws_csv_save")
    expect(page.get_by_text("Đã lưu 1 phiếu vào hội thảo.")).to_be_visible()

    # five finished, four of them sharing: still no picture; the paper forms count in the room
    page.get_by_role("tab", name="Màn chiếu").click()
    expect(finished).to_contain_text("5", timeout=15_000)
    expect(page.get_by_text("(hiện có 4)")).to_be_visible(timeout=15_000)
    facilitator.close()


def pdf_text(data: bytes) -> str:
    import unicodedata

    from pypdf import PdfReader

    assert data.startswith(b"%PDF")
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))


def test_export_buttons_become_usable_while_the_tab_is_open_and_take_a_click(browser, server, quick):
    """The exports tab left open: the counts refresh on their own, the buttons are not redrawn
    with them (a click between two draws was lost), and the first firm that shares makes them
    usable without a click on the page."""
    base = server["base"]
    facilitator = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = facilitator.new_page()
    try:
        code = sign_in_and_open_workshop(page, base)
        page.get_by_role("tab", name="Xuất kết quả").click()
        wait_idle(page)
        csv_button = key_locator(page, "ws_dl_csv").locator("button")
        expect(csv_button).to_be_disabled()
        participant(browser, base, quick, code, typed=False, share=True, name="Nhà sách Phương Nam")
        expect(csv_button).to_be_enabled(timeout=30_000)  # the counts' own refresh, no click here
        counts = page.locator("p", has_text="doanh nghiệp đã làm xong")
        expect(counts).to_contain_text("1 doanh nghiệp đã làm xong; 1 đồng ý chia sẻ", timeout=30_000)
        for attempt in range(2):  # a second click, after the counts' next refresh, still downloads
            if attempt:
                page.wait_for_timeout(11_000)
            with page.expect_download() as info:
                csv_button.click()
            assert "Nhà sách Phương Nam" in Path(info.value.path()).read_text(encoding="utf-8-sig")
    finally:
        facilitator.close()


def fill_paper_question(page, question) -> None:
    """The first answer of each question (conditional ones too: the engine ignores those hidden), through the type-in form's widgets."""
    from scoring.model import MatrixQuestion, MultiQuestion, NumberQuestion, ScaleQuestion, TextQuestion
    from tests.e2e_helpers import type_number

    qid = question.id
    if isinstance(question, TextQuestion):
        return
    if isinstance(question, MultiQuestion):
        none = [o for o in question.options if o.exclusive]
        set_checkbox(page, f"paper_q_{qid}__{(none or question.options)[0].id}", True)
    elif isinstance(question, MatrixQuestion):
        for r in question.rows:
            pick_radio(page, f"paper_q_{qid}__{r.id}", 0)
    elif isinstance(question, NumberQuestion):
        type_number(page, f"paper_q_{qid}", int(question.min))
    elif isinstance(question, ScaleQuestion):
        pick_radio(page, f"paper_q_{qid}", 0)
    else:
        pick_radio(page, f"paper_q_{qid}", 0)


def csv_cell(question) -> str:
    from scoring.model import MatrixQuestion, MultiQuestion, NumberQuestion, ScaleQuestion, TextQuestion

    if isinstance(question, TextQuestion):
        return ""
    if isinstance(question, MultiQuestion):
        none = [o for o in question.options if o.exclusive]
        return (none or question.options)[0].id
    if isinstance(question, MatrixQuestion):
        return ";".join(f"{r.id}={question.options[0].id}" for r in question.rows)
    if isinstance(question, (NumberQuestion, ScaleQuestion)):
        return str(int(question.min))
    return question.options[0].id
