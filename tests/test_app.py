"""The pages, driven through streamlit.testing's AppTest (no browser).

Each test gets its own temporary SQLite database (DATABASE_URL) and, unless it says
otherwise, a questionnaire folder (QUESTIONNAIRE_DIR) holding the tiny test questionnaire,
so these tests do not move when the bundled questionnaires' wording does.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from scoring.loader import load_questionnaire_text
from scoring.model import FirmProfile
from store import close_stores, open_store
from tests.app_helpers import new_app, no_traceback, texts
from tests.conftest import TINY
from tests.e2e_helpers import app_answer_step, app_complete, step_answers

TINY_TEXT = textwrap.dedent(TINY).replace('version: "1"', 'version: "1"\nestimated_minutes: 3', 1)


@pytest.fixture
def tiny_q():
    return load_questionnaire_text(TINY_TEXT, "tiny.yaml")


@pytest.fixture
def env(tmp_path, monkeypatch):
    qdir = tmp_path / "questionnaires"
    qdir.mkdir()
    (qdir / "tiny.yaml").write_text(TINY_TEXT, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("QUESTIONNAIRE_DIR", str(qdir))
    yield {"url": url, "qdir": qdir}
    close_stores()


def open_page(at: AppTest, page: str, **query) -> AppTest:
    for k, v in query.items():
        at.query_params[k] = v
    at.session_state["goto"] = page
    return at.run()


def begin(at: AppTest, sector: str = "G", size: str = "micro") -> AppTest:
    at.selectbox(key="start_sector").set_value(sector)
    at.radio(key="start_size").set_value(size)
    return at.button(key="start_begin").click().run()


def param(at, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def url_code(at) -> str | None:
    """The resume code behind the tab token in the page's URL."""
    return open_store().tab_code(param(at, "t"))


def draft(tiny_q, **profile) -> str:
    profile = profile or {"sector": "G", "size_band": "micro", "province": "ha_noi"}
    _, code = open_store().create_draft(tiny_q, FirmProfile(**profile))
    return code


# ------------------------------------------------------------------ Start


def test_start_page_offers_the_questionnaires_with_time_estimates(env):
    at = new_app().run()
    no_traceback(at)
    assert at.title[0].value == "Doanh nghiệp của bạn đang ở mức chuyển đổi số nào?"
    choice = at.radio(key="start_questionnaire")
    assert choice.value == "tiny"
    assert "Khoảng 3 phút · 6 tiêu chí tính điểm và 1 câu bối cảnh" in " ".join(choice.proto.captions)
    assert at.checkbox(key="start_consent").value is False  # consent is off by default
    assert len(at.selectbox(key="start_province").options) == 34
    assert len(at.selectbox(key="start_sector").options) == 21


def test_start_needs_sector_and_size(env):
    at = new_app().run()
    at.button(key="start_begin").click().run()
    no_traceback(at)
    errors = [e.value for e in at.error]
    assert "Hãy chọn ngành nghề chính." in errors
    assert "Hãy chọn quy mô doanh nghiệp." in errors
    assert "code" not in at.session_state or not at.session_state["code"]


def test_size_helper_suggests_a_band(env):
    at = new_app().run()
    assert not at.number_input, "the helper's inputs are drawn only when it is opened"
    at.session_state["start_size_box"] = True  # the visitor opens it
    at.run()
    at.selectbox(key="start_sector").set_value("G")
    at.number_input(key="start_staff").set_value(8)
    at.number_input(key="start_revenue").set_value(5.0)
    at.button(key="start_suggest").click().run()
    no_traceback(at)
    assert at.session_state["start_suggested"] == "micro"
    at.button(key="start_use_suggestion").click().run()
    assert at.radio(key="start_size").value == "micro"
    at.session_state["start_size_box"] = False  # closed again: what was typed stays
    at.run()
    assert not at.number_input
    at.run()
    at.button(key="start_begin").click().run()
    no_traceback(at)
    code = at.session_state["code"]
    assert open_store().load(code).profile.staff == 8


def test_begin_creates_the_draft_and_shows_the_code(env, tiny_q):
    at = new_app().run()
    at.text_input(key="start_name").set_value("Công ty Minh An")
    at.selectbox(key="start_province").set_value("ha_noi")
    at.checkbox(key="start_consent").check()
    begin(at)
    no_traceback(at)
    code = at.session_state["code"]
    assert "code" not in at.query_params  # the address bar never carries the code …
    assert url_code(at) == code  # … but a tab token that opens it after a reload
    assert any(c.value == code for c in at.code)  # st.code: a copy button in the browser
    assert "Mã tiếp tục của bạn đã sẵn sàng" in texts(at)
    rec = open_store().load(code)
    assert rec.status == "draft" and rec.consent is True
    assert rec.profile.name == "Công ty Minh An" and rec.profile.province == "ha_noi"
    assert rec.profile.sector == "G" and rec.profile.size_band == "micro"
    # now on the questionnaire: the first pillar
    assert at.progress[0].value == 50  # step 1 of 2
    assert "Bước 1/2: Bán hàng" in at.progress[0].proto.text


# ------------------------------------------------------------------ Questionnaire


def test_required_answers_block_next_with_the_message_on_the_question(env, tiny_q):
    at = open_page(new_app(), "questionnaire", code=draft(tiny_q))
    at.button(key="nav_next").click().run()
    no_traceback(at)
    assert at.session_state["step"] == 0
    errors = [e.value for e in at.error]
    assert errors.count("Cần trả lời câu hỏi này để đi tiếp.") == 2  # has_site and channels
    assert "Còn 2 câu hỏi cần trả lời ở trên (được đánh dấu đỏ)." in errors
    # the message sits inside that question's box
    box = at.get_by_key("qbox_has_site")
    assert [e.value for e in box.error] == ["Cần trả lời câu hỏi này để đi tiếp."]
    # answering clears it
    at.radio(key="q_has_site").set_value("no").run()
    assert [e.value for e in at.error].count("Cần trả lời câu hỏi này để đi tiếp.") == 1


def test_conditional_question_appears_as_soon_as_its_condition_holds(env, tiny_q):
    at = open_page(new_app(), "questionnaire", code=draft(tiny_q))
    keys = [r.key for r in at.radio]
    assert "q_site_updates" not in keys
    at.radio(key="q_has_site").set_value("yes").run()
    assert "q_site_updates" in [r.key for r in at.radio]
    at.radio(key="q_has_site").set_value("no").run()
    assert "q_site_updates" not in [r.key for r in at.radio]


def test_exclusive_option_clears_the_others(env, tiny_q):
    at = open_page(new_app(), "questionnaire", code=draft(tiny_q))
    at.checkbox(key="q_channels__zalo").check().run()
    at.checkbox(key="q_channels__fb").check().run()
    assert at.session_state["answers"]["channels"] == ["zalo", "fb"]
    at.checkbox(key="q_channels__none").check().run()
    assert at.session_state["answers"]["channels"] == ["none"]
    assert not at.checkbox(key="q_channels__zalo").value
    at.checkbox(key="q_channels__fb").check().run()
    assert at.session_state["answers"]["channels"] == ["fb"]
    # not applicable
    at.checkbox(key="na_channels").check().run()
    assert at.session_state["answers"]["channels"] == "na"
    assert at.checkbox(key="q_channels__fb").disabled


def test_back_and_next_keep_answers_and_every_step_is_saved(env, tiny_q):
    code = draft(tiny_q)
    at = open_page(new_app(), "questionnaire", code=code)
    app_answer_step(at, tiny_q, 0, "high")
    at.button(key="nav_next").click().run()
    assert at.session_state["step"] == 1
    at.radio(key="q_skill").set_value(2).run()
    at.button(key="nav_back").click().run()
    no_traceback(at)
    assert at.session_state["step"] == 0
    assert at.radio(key="q_has_site").value == "yes"  # the widget was gone and is seeded again
    assert at.radio(key="q_site_updates").value == "weekly"
    at.button(key="nav_next").click().run()
    assert at.radio(key="q_skill").value == 2
    saved = open_store().load(code)
    assert saved.step == 1
    assert saved.answers["has_site"] == "yes" and saved.answers["skill"] == 2


def test_a_reload_restores_every_answer_from_the_code(env, tiny_q):
    code = draft(tiny_q)
    at = open_page(new_app(), "questionnaire", code=code)
    app_answer_step(at, tiny_q, 0, "high")
    at.button(key="nav_next").click().run()
    at.number_input(key="q_online_share").set_value(30).run()
    at.radio(key="q_practices__backup").set_value("partly").run()
    # a reload is a new session: only the URL is left
    again = new_app()
    again.query_params["code"] = code.lower().replace("-", " ")  # typed sloppily
    open_page(again, "questionnaire")
    no_traceback(again)
    assert again.session_state["step"] == 1
    assert again.number_input(key="q_online_share").value == 30
    assert again.radio(key="q_practices__backup").value == "partly"
    assert again.radio(key="q_practices__passwords").value is None
    assert "code" not in again.query_params and url_code(again) == code
    # a reload of that tab: only its token is in the URL
    token = param(again, "t")
    third = new_app()
    third.query_params["t"] = token
    open_page(third, "questionnaire")
    no_traceback(third)
    assert third.session_state["code"] == code and third.number_input(key="q_online_share").value == 30


def test_matrix_partly_answered_blocks_next(env, tiny_q):
    code = draft(tiny_q)
    store = open_store()
    store.save_draft(code, step_answers(tiny_q, 0, "high", {}), step=1)
    at = open_page(new_app(), "questionnaire", code=code)
    at.radio(key="q_skill").set_value(1).run()
    at.radio(key="q_practices__backup").set_value("fully").run()
    at.button(key="nav_submit").click().run()
    no_traceback(at)
    assert "Hãy chọn một mức cho từng dòng." in [e.value for e in at.error]
    assert open_store().load(code).status == "draft"


def test_submit_answer_error_is_shown_in_words_and_nothing_is_lost(env, tiny_q):
    code = draft(tiny_q)
    # step 1 answered, step 0 skipped (e.g. a draft saved at the last step by an older version)
    answers = step_answers(tiny_q, 1, "high", {})
    open_store().save_draft(code, answers, step=1)
    at = open_page(new_app(), "questionnaire", code=code)
    at.button(key="nav_submit").click().run()
    no_traceback(at)
    shown = texts(at)
    assert "Chưa gửi được: 2 câu trả lời cần xem lại. Không có câu trả lời nào bị mất." in shown
    assert "Bước 1 · Bán hàng — «Có website?»: Cần trả lời câu hỏi này để đi tiếp." in shown
    assert "«Kênh nào?»" in shown
    assert open_store().load(code).status == "draft"
    assert at.session_state["answers"] == answers
    at.button(key="jump_0").click().run()
    assert at.session_state["step"] == 0
    assert "Cần trả lời câu hỏi này để đi tiếp." in [e.value for e in at.error]


def test_questionnaire_without_an_assessment_points_to_start_and_resume(env):
    at = open_page(new_app(), "questionnaire")
    no_traceback(at)
    assert "Chưa có bài đánh giá nào trong phiên này." in texts(at)
    at.button(key="q_go_resume").click().run()
    assert at.title[0].value == "Tiếp tục với mã"


# ------------------------------------------------------------------ Resume


def test_bad_resume_code_shows_a_clear_error(env):
    at = open_page(new_app(), "resume")
    at.text_input(key="resume_code").set_value("ABCD-EFGH-JKMN")
    at.button(key="resume_go").click().run()
    no_traceback(at)
    assert any("Không tìm thấy bài đánh giá nào với mã này" in e.value for e in at.error)
    at.text_input(key="resume_code").set_value("not a code!")
    at.button(key="resume_go").click().run()
    assert any("Không tìm thấy bài đánh giá nào với mã này" in e.value for e in at.error)


def test_bad_code_in_the_url_shows_a_clear_error(env):
    at = new_app()
    at.query_params["code"] = "ZZZZ-ZZZZ-ZZZZ"
    at.run()
    no_traceback(at)
    assert any("Đường dẫn có mã tiếp tục không đúng" in e.value for e in at.error)
    assert "code" not in at.query_params


def test_resume_with_a_typed_code_goes_to_the_saved_step(env, tiny_q):
    code = draft(tiny_q)
    open_store().save_draft(code, step_answers(tiny_q, 0, "low", {}), step=1)
    at = open_page(new_app(), "resume")
    at.text_input(key="resume_code").set_value(code)
    at.button(key="resume_go").click().run()
    no_traceback(at)
    assert "Đã mở lại bài đánh giá của bạn." in texts(at)
    assert at.session_state["step"] == 1
    assert "code" not in at.query_params and url_code(at) == code


# ------------------------------------------------------------------ Results


def test_results_show_level_pillars_downloads(env, tiny_q):
    code = draft(tiny_q)
    at = open_page(new_app(), "questionnaire", code=code)
    app_complete(at, tiny_q, "high")
    no_traceback(at)
    assert at.title[0].value == "Kết quả đánh giá"
    shown = texts(at)
    assert "Mức 2/2 · Hai" in shown
    assert "Mức hai" in shown  # the level's meaning
    assert "Bán hàng: mức 2" in shown
    assert "Chưa đủ doanh nghiệp cùng ngành và quy mô để so sánh (cần ít nhất 5)" in shown
    assert "dl_json" in [b.key for b in at.download_button]
    assert open_store().load(code).status == "submitted"


def test_answers_json_download_holds_the_answers(env, tiny_q):
    code = draft(tiny_q)
    at = open_page(new_app(), "questionnaire", code=code)
    app_complete(at, tiny_q, "low")
    from ui.pages.results import _answers_json

    rec = open_store().load(code)
    from scoring.engine import score_assessment

    data = json.loads(_answers_json(tiny_q, rec, score_assessment(tiny_q, rec.answers)))
    assert data["answers"] == rec.answers
    assert data["result"]["overall_level"] == rec.result["overall_level"]


def test_peer_benchmark_shows_with_enough_consenting_peers(env, tiny_q):
    store = open_store()
    profile = FirmProfile(sector="G", size_band="micro")
    for how in ("high", "low", "high", "low", "high"):
        _, c = store.create_draft(tiny_q, profile, consent=True)
        answers = step_answers(tiny_q, 1, how, step_answers(tiny_q, 0, how, {}))
        store.submit(c, tiny_q, answers)
    code = draft(tiny_q, sector="G", size_band="micro")
    at = open_page(new_app(), "questionnaire", code=code)
    app_complete(at, tiny_q, "high")
    no_traceback(at)
    assert "So với trung bình của 5 doanh nghiệp cùng ngành và quy mô" in texts(at)


def test_follow_up_shows_the_change_per_pillar(env, tiny_q):
    code = draft(tiny_q)
    at = open_page(new_app(), "questionnaire", code=code)
    app_complete(at, tiny_q, "low")
    at.button(key="start_follow_up").click().run()
    no_traceback(at)
    new_code = at.session_state["code"]
    assert new_code != code
    assert any(c.value == new_code for c in at.code)
    rec = open_store().load(new_code)
    assert rec.round == "follow_up" and rec.previous_id == open_store().load(code).id
    app_complete(at, tiny_q, "high")
    no_traceback(at)
    shown = texts(at)
    assert "Tiến bộ so với lần trước" in shown
    table = at.dataframe[0].value
    assert list(table["Thay đổi (điểm phần trăm)"]) == ["+100", "+100"] or all(v.startswith("+") for v in table["Thay đổi (điểm phần trăm)"])


def test_delete_my_data_needs_confirmation(env, tiny_q):
    code = draft(tiny_q)
    at = open_page(new_app(), "questionnaire", code=code)
    app_complete(at, tiny_q, "high")
    at.button(key="delete_data").click().run()
    assert open_store().load(code) is not None
    at.button(key="delete_no").click().run()
    at.button(key="delete_data").click().run()
    at.text_input(key="delete_code").set_value("ABCD-EFGH-JKMN")  # deleting asks for the code again
    at.button(key="delete_yes").click().run()
    no_traceback(at)
    assert open_store().load(code) is not None
    assert "Mã này không khớp với bài đánh giá đang mở." in [e.value for e in at.error]
    at.text_input(key="delete_code").set_value(code.lower())
    at.button(key="delete_yes").click().run()
    no_traceback(at)
    assert open_store().load(code) is None
    assert "Đã xóa dữ liệu của bạn." in texts(at)
    assert "code" not in at.query_params and "t" not in at.query_params


def test_results_without_an_assessment(env):
    at = open_page(new_app(), "results")
    no_traceback(at)
    assert "Chưa có kết quả trong phiên này." in texts(at)


# ------------------------------------------------------------------ errors and language


def test_broken_questionnaire_shows_a_clear_error(env, tmp_path, monkeypatch):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "quick_check.yaml").write_text("id: quick\nversion: 1\npillars: [\n", encoding="utf-8")
    monkeypatch.setenv("QUESTIONNAIRE_DIR", str(broken))
    at = new_app().run()
    no_traceback(at)
    assert any("Không tải được bộ câu hỏi" in e.value for e in at.error)
    assert at.button(key="start_begin") if False else True
    assert "start_begin" not in [b.key for b in at.button]


def test_one_broken_questionnaire_does_not_hide_the_others(env):
    (env["qdir"] / "zz_broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    at = new_app().run()
    no_traceback(at)
    assert "Một số bộ câu hỏi tạm thời không dùng được." in [w.value for w in at.warning]
    assert at.radio(key="start_questionnaire").options == ["Thử"]


def test_an_unexpected_error_shows_a_message_not_a_traceback(env, tiny_q, monkeypatch):
    import ui.pages.questionnaire as page

    def boom(*_a, **_k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(page, "visible_questions", boom)
    at = open_page(new_app(), "questionnaire", code=draft(tiny_q))
    no_traceback(at, expect_unexpected=True)
    shown = texts(at)
    assert "Đã xảy ra lỗi ngoài dự kiến" in shown
    assert "secret internals" not in shown and "Traceback" not in shown


def test_language_switch_to_english(env, tiny_q):
    at = new_app().run()
    assert at.query_params["lang"] in ("vi", ["vi"])
    at.segmented_control(key="lang_switch").set_value("en").run()
    no_traceback(at)
    assert at.title[0].value == "How far has your business come in digital transformation?"
    assert at.query_params["lang"] in ("en", ["en"])
    assert at.radio(key="start_questionnaire").options == ["Tiny"]  # questionnaire text from the YAML
    begin(at)
    assert "Your resume code is ready" in texts(at)
    at.button(key="nav_next").click().run()
    assert "Please answer this question to go on." in [e.value for e in at.error]


def test_lang_in_the_url_opens_in_english(env):
    at = new_app()
    at.query_params["lang"] = "en"
    at.run()
    no_traceback(at)
    assert at.title[0].value == "How far has your business come in digital transformation?"


def test_switching_language_mid_questionnaire_keeps_answers(env, tiny_q):
    at = open_page(new_app(), "questionnaire", code=draft(tiny_q))
    at.radio(key="q_has_site").set_value("yes").run()
    at.segmented_control(key="lang_switch").set_value("en").run()
    no_traceback(at)
    assert at.radio(key="q_has_site").value == "yes"
    assert "**1. Has a website?**" in [m.value for m in at.markdown]


def test_an_unexpected_error_in_a_callback_shows_a_message(env, tiny_q, monkeypatch):
    import ui.resources as resources

    code = draft(tiny_q)
    open_store().save_draft(code, step_answers(tiny_q, 1, "high", step_answers(tiny_q, 0, "high", {})), step=1)
    at = open_page(new_app(), "questionnaire", code=code)
    real = resources.get_store()

    class Broken:
        def __getattr__(self, name):
            return getattr(real, name)

        def submit(self, *a, **k):
            raise RuntimeError("database on fire")

    monkeypatch.setattr(resources, "get_store", lambda: Broken())
    at.button(key="nav_submit").click().run()
    no_traceback(at, expect_unexpected=True)
    shown = texts(at)
    assert "Đã xảy ra lỗi ngoài dự kiến" in shown and "database on fire" not in shown
    assert open_store().load(code).status == "draft"


def test_results_reopen_from_the_url_after_a_reload(env, tiny_q):
    code = draft(tiny_q)
    store = open_store()
    store.submit(code, tiny_q, step_answers(tiny_q, 1, "low", step_answers(tiny_q, 0, "low", {})))
    at = open_page(new_app(), "results", code=code)
    no_traceback(at)
    assert at.title[0].value == "Kết quả đánh giá"
    assert "Mức 0/2 · Chưa" in texts(at)


# ------------------------------------------------------------------ the address bar


def test_an_idle_tab_link_opens_nothing_and_sends_to_resume(env, tiny_q):
    from datetime import timedelta

    from sqlalchemy import update

    from store.models import tab_tokens
    from store.tabs import TAB_IDLE

    code = draft(tiny_q)
    store = open_store()
    token = store.open_tab(code)
    with store.write() as conn:  # the tab was left for longer than the idle limit
        conn.execute(update(tab_tokens).values(last_used_at=store.clock() - TAB_IDLE - timedelta(minutes=1)))
    at = new_app()
    at.query_params["t"] = token
    at.run()
    no_traceback(at)
    assert "code" not in at.session_state or not at.session_state["code"]
    assert at.title[0].value == "Tiếp tục với mã"
    assert any("đường dẫn không còn mở bài đánh giá" in i.value for i in at.info)
    assert "t" not in at.query_params


def test_a_kept_continue_link_is_read_once_and_replaced_by_a_token(env, tiny_q):
    code = draft(tiny_q)
    at = new_app()
    at.query_params["code"] = code
    at.run()
    no_traceback(at)
    assert at.session_state["code"] == code
    assert "code" not in at.query_params and url_code(at) == code


def test_resume_attempts_are_limited_per_session(env, tiny_q):
    code = draft(tiny_q)
    at = open_page(new_app(), "resume")
    for _ in range(5):
        at.text_input(key="resume_code").set_value("ABCD-EFGH-JKMN")
        at.button(key="resume_go").click().run()
    at.text_input(key="resume_code").set_value(code)  # even the right code waits now
    at.button(key="resume_go").click().run()
    no_traceback(at)
    assert any("Bạn đã thử nhiều mã liên tiếp" in e.value for e in at.error)
    assert "code" not in at.session_state or not at.session_state["code"]


def test_a_follow_up_starts_from_the_previous_answers_marked_as_such(env, tiny_q):
    code = draft(tiny_q)
    at = open_page(new_app(), "questionnaire", code=code)
    app_complete(at, tiny_q, "low")
    before = open_store().load(code).answers
    at.button(key="start_follow_up").click().run()
    no_traceback(at)
    new_code = at.session_state["code"]
    assert open_store().load(new_code).answers == before  # saved at once: a reload keeps them
    assert at.session_state["answers"] == before
    shown = texts(at)
    assert "Đây là bài đánh giá lại: câu trả lời lần trước đã được điền sẵn." in shown
    assert ":material/history: Lần trước: Không (giữ nguyên)" in shown
    at.radio(key="q_has_site").set_value("yes").run()
    assert ":material/edit: Lần trước: Không — bạn đã đổi câu trả lời" in texts(at)
    # the markers survive a reload (a new session finds the previous assessment again)
    again = open_page(new_app(), "questionnaire", code=new_code)
    assert ":material/edit: Lần trước: Không — bạn đã đổi câu trả lời" in texts(again)


def test_answers_that_no_longer_fit_are_not_carried_into_a_follow_up(tiny_q):
    from ui.state import answers_that_fit

    kept = answers_that_fit(tiny_q, {"has_site": "no", "skill": 9, "gone": "x", "channels": ["zalo", "tiktok"]})
    assert kept == {"has_site": "no"}


def test_a_pasted_long_firm_name_is_cut_with_a_message(env):
    at = new_app().run()
    at.text_input(key="start_name").set_value("Công ty " + "A" * 400).run()
    no_traceback(at)
    assert len(at.text_input(key="start_name").value) == 200
    assert any("dài quá 200 ký tự nên đã được cắt bớt" in w.value for w in at.warning)
    at.button(key="start_resume").click().run()
    assert at.title[0].value == "Tiếp tục với mã"
