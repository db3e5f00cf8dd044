"""The SME owner's journey in a real headless Chromium against one real ``streamlit run``.

One server for the module (DATABASE_URL: a temporary SQLite file). After each action the
helpers wait for ``[data-testid='stApp'][data-test-script-state='notRunning']``.
Screenshots go to /tmp/screens/.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest

from scoring.engine import score_assessment
from scoring.loader import bundled_paths, load_questionnaire
from tests.conftest import needs_bundled
from tests.e2e_helpers import (
    browser_answer_step,
    choose_option,
    click_button,
    free_port,
    key_locator,
    pick_radio,
    require_chromium,
    screenshot,
    start_server,
    stop_server,
    wait_idle,
)

require_chromium()

from playwright.sync_api import expect  # noqa: E402
from pypdf import PdfReader  # noqa: E402

pytestmark = [needs_bundled, pytest.mark.e2e]
SCREENS = Path("/tmp/screens")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@pytest.fixture(scope="module")
def offered():
    """The questionnaires in the Start page's order: shortest first."""
    qs = [load_questionnaire(p) for p in bundled_paths(os.environ.get("QUESTIONNAIRE_DIR"))]
    return sorted(qs, key=lambda q: (len(q.questions()), q.id))


@pytest.fixture(scope="module")
def quick(offered):
    """The questionnaire the Start page offers first (the shortest: the quick check)."""
    return offered[0]


DATABASES: dict[str, str] = {}  # the server's base URL -> its DATABASE_URL


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    port = free_port()
    db = f"sqlite:///{tmp / 'e2e.db'}"
    proc = start_server(port, {"DATABASE_URL": db}, tmp / "streamlit.log")
    base = f"http://127.0.0.1:{port}"
    DATABASES[base] = db
    yield base
    stop_server(proc)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def open_app(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def begin(page, base: str, questionnaire: int = 0) -> str:
    """Start page: questionnaire (by its place in the list), profile, begin; returns the resume code shown."""
    open_app(page, base + "/")
    if questionnaire:
        pick_radio(page, "start_questionnaire", questionnaire)
    choose_option(page, "start_sector", "G ·")
    pick_radio(page, "start_size", 1)  # micro
    click_button(page, "start_begin")
    code = key_locator(page, "code_panel").locator("code").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    assert "code=" not in page.url and code not in page.url  # the address bar carries a tab token only
    assert re.search(r"[?&]t=[\w-]+", page.url), page.url
    return code


def complete(page, q, how: str, answers=None, from_step: int = 0) -> dict:
    answers = dict(answers or {})
    for step in range(from_step, len(q.pillars)):
        answers = browser_answer_step(page, q, step, how, answers)
        click_button(page, "nav_submit" if step == len(q.pillars) - 1 else "nav_next")
    key_locator(page, "overall_level").wait_for()  # submit switches to the Results page
    wait_idle(page)
    return answers


def test_quick_check_in_vietnamese_to_pdf(page, server, quick):
    open_app(page, server + "/")
    SCREENS.mkdir(parents=True, exist_ok=True)
    screenshot(page, SCREENS / "start_1280.png")
    begin(page, server)
    expect(page.get_by_text("Mã tiếp tục của bạn đã sẵn sàng")).to_be_visible()
    screenshot(page, SCREENS / "questionnaire_1280.png")
    answers = complete(page, quick, "low")  # a weak result: platforms and a roadmap to show
    overall = key_locator(page, "overall_level")
    expect(overall).to_be_visible()
    level = score_assessment(quick, answers).overall_level
    name = quick.level(level).name.get("vi")
    expect(overall).to_contain_text(name)
    screenshot(page, SCREENS / "results_1280.png")

    with page.expect_download() as info:
        key_locator(page, "dl_pdf").locator("button").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = nfc("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))
    assert nfc(name) in text, f"level name {name!r} not in the PDF text"


def test_reload_halfway_and_resume_with_the_code(browser, page, server, quick):
    code = begin(page, server)
    answers = browser_answer_step(page, quick, 0, "low", {})
    click_button(page, "nav_next")
    answers = browser_answer_step(page, quick, 1, "high", answers)
    # a reload: a new session, only the URL is left
    page.reload()
    wait_idle(page)
    expect(page.get_by_text(f"Bước 2/{len(quick.pillars)}")).to_be_visible()
    first = quick.pillars[1].questions[0]
    checked = key_locator(page, f"q_{first.id}").locator("input[type=radio]:checked, input[type=checkbox]:checked")
    assert checked.count() >= 1, "the answer given before the reload is not shown"

    # days later, another browser: type the code
    later = browser.new_context(viewport={"width": 1280, "height": 900})
    other = later.new_page()
    try:
        open_app(other, server + "/resume")
        field = key_locator(other, "resume_code").locator("input")
        field.fill(code.lower().replace("-", " "))
        field.press("Enter")
        wait_idle(other)
        expect(other.get_by_text("Đã mở lại bài đánh giá của bạn.")).to_be_visible()
        expect(other.get_by_text(f"Bước 2/{len(quick.pillars)}")).to_be_visible()
        assert code not in other.url and "t=" in other.url
        complete(other, quick, "high", answers, from_step=1)
        expect(key_locator(other, "overall_level")).to_be_visible()
    finally:
        later.close()


def test_follow_up_shows_the_change_per_pillar(page, server, quick):
    begin(page, server)
    complete(page, quick, "low")
    expect(key_locator(page, "overall_level")).to_be_visible()
    click_button(page, "start_follow_up")
    new_code = key_locator(page, "code_panel").locator("code").first.inner_text().strip()
    assert new_code not in page.url and "t=" in page.url
    complete(page, quick, "high")
    expect(page.get_by_text("Tiến bộ so với lần trước")).to_be_visible()
    table = key_locator(page, "progress_table")
    expect(table).to_be_visible()
    screenshot(page, SCREENS / "follow_up_1280.png")
    # the PDF keeps the follow-up's own code on its first page and the change since last time
    with page.expect_download() as info:
        key_locator(page, "dl_pdf").locator("button").click()
    reader = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    first = nfc(reader.pages[0].extract_text() or "")
    assert new_code in first and "Mã tiếp tục của bạn" in first
    text = nfc("\n".join(p.extract_text() or "" for p in reader.pages))
    assert "Tiến bộ so với lần đánh giá trước" in text


def _no_horizontal_overflow(page) -> None:
    widths = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return [document.documentElement.scrollWidth, m ? m.scrollWidth : 0, window.innerWidth]; }"
    )
    assert widths[0] <= widths[2] and widths[1] <= widths[2], f"wider than the screen: {widths}"


def test_phone_375_screens(browser, server, quick):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                                  device_scale_factor=1)
    page = context.new_page()
    try:
        open_app(page, server + "/")
        _no_horizontal_overflow(page)
        screenshot(page, SCREENS / "start_375.png")
        begin(page, server)
        _no_horizontal_overflow(page)
        screenshot(page, SCREENS / "questionnaire_375.png")
        click_button(page, "nav_next")  # required answers missing: the messages show
        screenshot(page, SCREENS / "questionnaire_errors_375.png")
        complete(page, quick, "low")
        expect(key_locator(page, "overall_level")).to_be_visible()
        _no_horizontal_overflow(page)
        screenshot(page, SCREENS / "results_375.png")
    finally:
        context.close()


def test_full_assessment_on_a_phone(browser, server, offered):
    """All 63 questions of the full assessment at 375 px: every step fits, the level matches the engine."""
    full = offered[-1]  # the longest
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                                  device_scale_factor=1)
    page = context.new_page()
    try:
        begin(page, server, questionnaire=offered.index(full))
        expect(page.get_by_text(f"Bước 1/{len(full.pillars)}")).to_be_visible()
        answers: dict = {}
        for step in range(len(full.pillars)):
            answers = browser_answer_step(page, full, step, "high" if step % 2 else "low", answers)
            _no_horizontal_overflow(page)
            screenshot(page, SCREENS / f"full_step{step + 1}_375.png")
            click_button(page, "nav_submit" if step == len(full.pillars) - 1 else "nav_next")
        overall = key_locator(page, "overall_level")
        overall.wait_for()
        wait_idle(page)
        result = score_assessment(full, answers)
        expect(overall).to_contain_text(nfc(full.level(result.overall_level).name.get("vi")))
        assert not full.indicative
        _no_horizontal_overflow(page)
        screenshot(page, SCREENS / "full_results_375.png")
    finally:
        context.close()


def test_keyboard_alone_through_a_step(page, server, quick):
    """Tab to a question, arrows to choose, Tab to "next", Enter: no mouse."""
    begin(page, server)
    first = quick.pillars[0].questions[0]
    group = key_locator(page, f"q_{first.id}").locator("input[type=radio]").first
    group.focus()
    page.keyboard.press("Space")
    wait_idle(page)
    assert key_locator(page, f"q_{first.id}").locator("input[type=radio]:checked").count() == 1
    next_button = key_locator(page, "nav_next").locator("button")
    next_button.focus()
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(key_locator(page, "qbox_" + first.id).get_by_text("Cần trả lời câu hỏi này")).to_have_count(0)
    # the rest of the step by keyboard: each visible question gets its first choice
    from scoring.engine import visible_questions

    answers = {first.id: None}
    for question in quick.pillars[0].questions[1:]:
        if not visible_questions(quick, {first.id: quick.pillars[0].questions[0].options[0].id}).get(question.id):
            continue
        box = key_locator(page, f"q_{question.id}").locator("input").first
        box.focus()
        page.keyboard.press("Space")
        wait_idle(page)
        answers[question.id] = True
    next_button = key_locator(page, "nav_next").locator("button")
    next_button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Bước 2/{len(quick.pillars)}")).to_be_visible()
    page.wait_for_timeout(300)
    second = quick.pillars[1].questions[0]
    focused = page.evaluate("() => document.activeElement ? document.activeElement.className : ''")
    assert f"st-key-qbox_{second.id}" in focused, focused  # focus moved to the new step's first question
    page.keyboard.press("Tab")  # and Tab goes into its answers
    assert page.evaluate("() => document.activeElement && document.activeElement.type") in ("radio", "checkbox")
    ring = page.evaluate("() => getComputedStyle(document.activeElement.closest('label') || document.activeElement).outlineStyle")
    assert ring != "none", "no visible focus ring on the focused option"


def test_vietnamese_pages_show_no_streamlit_english(page, server):
    open_app(page, server + "/")
    page.wait_for_timeout(500)
    assert page.locator("[data-testid='stMainMenu']").count() == 0  # the toolbar's menu (Print, Record …) is off
    skip = page.evaluate("() => { const a = document.querySelector('a[href=\"#stMain\"]'); return a ? a.textContent : null; }")
    assert skip in (None, "Đến nội dung chính"), skip
    body = page.locator("body").inner_text()
    for english in ("Made with Streamlit", "Print", "Record a screencast", "Skip to main content", "Deploy"):
        assert english not in body, english


def _scroll_top(page) -> int:
    return page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollTop : -1; }")


def test_each_step_opens_at_its_top_with_focus_and_back_goes_to_the_previous_step(browser, server, quick):
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 812}):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            open_app(page, server + "/")
            choose_option(page, "start_sector", "G ·")
            pick_radio(page, "start_size", 1)
            page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 5000)")
            click_button(page, "start_begin")
            expect(page.get_by_text(f"Bước 1/{len(quick.pillars)}")).to_be_visible()
            page.wait_for_timeout(300)
            assert _scroll_top(page) == 0, viewport
            expect(key_locator(page, "code_panel")).to_be_in_viewport()  # the code on the first screen
            first = quick.pillars[0].questions[0]
            focused = page.evaluate("() => document.activeElement ? document.activeElement.className : ''")
            assert f"st-key-qbox_{first.id}" in focused, focused
            answers = browser_answer_step(page, quick, 0, "high", {})
            page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 5000)")
            click_button(page, "nav_next")
            expect(page.get_by_text(f"Bước 2/{len(quick.pillars)}")).to_be_visible()
            page.wait_for_timeout(300)
            assert _scroll_top(page) == 0, viewport
            # the code is on every step, its copy button shown without a hover
            reminder = key_locator(page, "code_reminder")
            expect(reminder).to_be_in_viewport()
            copy = reminder.locator("[data-testid='stBaseButton-elementToolbar']")
            assert copy.evaluate("b => { let e = b; while (e) { const s = getComputedStyle(e);"
                                 " if (s.opacity === '0' || s.visibility === 'hidden') return false; e = e.parentElement; }"
                                 " return true; }"), "the copy button is hidden until hovered"
            browser_answer_step(page, quick, 1, "high", answers)
            click_button(page, "nav_next")
            expect(page.get_by_text(f"Bước 3/{len(quick.pillars)}")).to_be_visible()
            page.go_back()
            expect(page.get_by_text(f"Bước 2/{len(quick.pillars)}")).to_be_visible()
            page.go_back()
            expect(page.get_by_text(f"Bước 1/{len(quick.pillars)}")).to_be_visible()
            assert "/questionnaire" in page.url
        finally:
            context.close()


def test_a_firm_name_is_shown_as_plain_text_and_fetches_nothing(browser, server, quick):
    """A name with Markdown in it (an image from another host, a data: link) stays text."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(re.sub(r"^\w+://([^/:]+).*$", r"\1", r.url)))
    name = "![x](http://198.51.100.7/pixel.png) [tải](data:text/html,hi) **đậm**"
    try:
        open_app(page, server + "/")
        key_locator(page, "start_name").locator("input").fill(name)
        key_locator(page, "start_name").locator("input").press("Tab")
        wait_idle(page)
        choose_option(page, "start_sector", "G ·")
        pick_radio(page, "start_size", 1)
        click_button(page, "start_begin")
        complete(page, quick, "low")
        main = page.locator("[data-testid='stMain']")
        expect(main.get_by_text("![x](http://198.51.100.7/pixel.png)", exact=False)).to_be_visible()
        assert main.locator("img[src*='198.51.100.7']").count() == 0
        assert main.locator("a[href^='data:']").count() == 0
        assert hosts <= {"127.0.0.1", "localhost"}, hosts
    finally:
        context.close()


def test_text_typed_and_not_yet_left_survives_a_reload(page, server, offered):
    from scoring.model import FirmProfile, TextQuestion
    from store import open_store
    from tests.e2e_helpers import step_answers

    full = offered[-1]
    step, question = next((i, x) for i, p in enumerate(full.pillars) for x in p.questions if isinstance(x, TextQuestion))
    store = open_store(DATABASES[server])
    _, code = store.create_draft(full, FirmProfile(sector="G", size_band="micro"))
    answers: dict = {}
    for i in range(step):
        answers = step_answers(full, i, "low", answers)
    store.save_draft(code, answers, step=step)
    open_app(page, f"{server}/?code={code}")  # the "continue later" link: straight to the saved step
    expect(page.get_by_text(f"Bước {step + 1}/{len(full.pillars)}")).to_be_visible()
    assert "code=" not in page.url
    box = key_locator(page, f"q_{question.id}").locator("textarea")
    box.click()
    box.type("Muốn bán hàng qua Zalo OA")  # typed, the box never left
    page.reload()
    wait_idle(page)
    box = key_locator(page, f"q_{question.id}").locator("textarea")
    expect(box).to_have_value("Muốn bán hàng qua Zalo OA")
    import time

    deadline = time.monotonic() + 15  # sent on when the box is left: the save lands soon after
    while store.load(code).answers.get(question.id) != "Muốn bán hàng qua Zalo OA" and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert store.load(code).answers.get(question.id) == "Muốn bán hàng qua Zalo OA"  # and sent on
