"""A team assessment in three real browsers (``pytest -k team``): the owner begins with
"invite colleagues", an accountant and a sales lead join by the link on their phones; each
finishes the quick check; the owner's combined view shows the documented combination, the
biggest disagreements first, and after closing the round the firm is one firm in the pool."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.loader import load_bundled
from scoring.team import Response, combine, disagreements
from store import Filters, close_stores, open_store
from tests.e2e_helpers import (
    browser_answer_step,
    choose_option,
    click_button,
    free_port,
    key_locator,
    launch_chromium,
    pick_radio,
    require_chromium,
    screenshot,
    set_checkbox,
    start_server,
    stop_server,
    wait_idle,
)

require_chromium()

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.e2e
SCREENS = Path("/tmp/screens")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("team-e2e")
    url = f"sqlite:///{tmp / 'team.db'}"
    port = free_port()
    proc = start_server(port, {"DATABASE_URL": url}, tmp / "streamlit.log")
    yield {"base": f"http://127.0.0.1:{port}", "db": url}
    stop_server(proc)
    close_stores()


def answer_all(page, q, how: str) -> dict:
    answers: dict = {}
    for step in range(len(q.pillars)):
        answers = browser_answer_step(page, q, step, how, answers)
        click_button(page, "nav_submit" if step == len(q.pillars) - 1 else "nav_next")
    key_locator(page, "overall_level").wait_for()
    wait_idle(page)
    return answers


def test_team_three_browsers_one_combined_firm(server):
    base = server["base"]
    q = load_bundled("quick_check")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        owner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        owner.goto(base + "/")
        wait_idle(owner)
        key_locator(owner, "start_name").locator("input").fill("Cửa hàng Hoa Mai")
        choose_option(owner, "start_sector", "G ·")
        pick_radio(owner, "start_size", 2)
        set_checkbox(owner, "start_consent", True)
        set_checkbox(owner, "start_team", True)
        click_button(owner, "start_begin")
        box = key_locator(owner, "q_team")
        expect(box).to_be_visible()
        code = re.search(r"mã mời đồng nghiệp: ([A-Z0-9]{6})", box.inner_text()).group(1)
        owner_answers = answer_all(owner, q, "high")

        roles = {"accounting": ("Kế toán", "low"), "sales": ("Bán hàng, tiếp thị", "high")}
        given = {"owner": owner_answers}
        for role, (label, how) in roles.items():
            phone = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
            phone.goto(f"{base}/?team={code}")
            wait_idle(phone)
            expect(phone.get_by_text("Bạn được mời cùng đánh giá cho")).to_be_visible()
            phone.get_by_text(label, exact=True).click()
            wait_idle(phone)
            set_checkbox(phone, "team_agree", True)
            click_button(phone, "team_begin")
            given[role] = answer_all(phone, q, how)
            phone.context.close()

        click_button(owner, "r_team_open")
        expect(owner.get_by_text("Người trả lời (3/3 đã xong)")).to_be_visible()
        expect(owner.get_by_text("Gộp từ 3 người đã trả lời xong")).to_be_visible()
        SCREENS.mkdir(parents=True, exist_ok=True)
        screenshot(owner, SCREENS / "team_owner_1280.png")
        # the documented combination and the disagreements, in the engine's order
        responses = [Response(role, answers) for role, answers in given.items()]
        expected = disagreements(q, responses)
        shown = key_locator(owner, "team_disagreements").inner_text()
        positions = [shown.find(q.question(d.question).text.get("vi")) for d in expected]
        assert all(pos >= 0 for pos in positions) and positions == sorted(positions), (positions, shown)
        combined = combine(q, responses)
        store = open_store(server["db"])
        before = store.aggregate(Filters(questionnaire_id=q.id), k=1)
        assert (int(before["n"].sum()) if len(before) else 0) == 0  # nobody pooled on their own
        click_button(owner, "team_close")
        click_button(owner, "team_close_yes")
        expect(owner.get_by_text("Vòng trả lời đã khóa.")).to_be_visible()
        pool = store.aggregate(Filters(questionnaire_id=q.id), k=1)
        assert int(pool["n"].sum()) == 1  # one firm, not three respondents
        team = store.team_by_code(code)
        assert store.get(team.combined_id).answers == combined
        browser.close()
