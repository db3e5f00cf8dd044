"""The pages with the bundled questionnaires, catalogue and PDF report (AppTest, no browser).

The other app tests use a tiny questionnaire of their own; these make sure the real content
goes through the same pages: both questionnaires load, the quick check can be completed,
the results show recommendations and a roadmap, and the PDF builds (tested as a function:
AppTest cannot read download bytes).
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from report.text import format_number
from scoring.engine import score_assessment
from scoring.loader import BUNDLED_DIR, bundled_paths, load_questionnaire
from scoring.model import FirmProfile
from store import close_stores, open_store
from tests.conftest import needs_bundled
from tests.e2e_helpers import APP, all_answers, app_complete

pytestmark = needs_bundled


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.delenv("QUESTIONNAIRE_DIR", raising=False)
    yield
    close_stores()


@pytest.fixture(scope="module")
def bundled():
    return {q.id: q for q in (load_questionnaire(p) for p in bundled_paths(BUNDLED_DIR))}


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error], [e.value for e in at.error]


def open_at(code: str, page: str) -> AppTest:
    """The app opened on ``page`` for the assessment with this resume code."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["code"] = code
    at.session_state["goto"] = page
    at.run()
    return at


def test_start_offers_both_bundled_questionnaires_quick_first(env, bundled):
    assert {"quick_check", "dbi_sme"} <= set(bundled)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    no_errors(at)
    choice = at.radio(key="start_questionnaire")
    assert choice.options[:2] == [bundled["quick_check"].title.get("vi"), bundled["dbi_sme"].title.get("vi")]
    assert choice.value == "quick_check"
    assert all("phút" in c for c in choice.proto.captions)


@pytest.mark.parametrize("how", ["low", "high"])
def test_quick_check_through_the_pages(env, bundled, how):
    q = bundled["quick_check"]
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.selectbox(key="start_sector").set_value("G")
    at.radio(key="start_size").set_value("micro")
    at.button(key="start_begin").click().run()
    no_errors(at)
    app_complete(at, q, how)
    no_errors(at)
    code = at.session_state["code"]
    rec = open_store().load(code)
    assert rec.status == "submitted"
    level = rec.result["overall_level"]
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert q.level(level).name.get("vi") in shown
    assert [b.key for b in at.download_button] == ["dl_pdf", "dl_json"]
    assert "Nền tảng số gợi ý" in [str(s.value) for s in at.subheader]
    assert "Lộ trình" in [str(s.value) for s in at.subheader]
    if how == "low":  # a weak result: each suggestion and roadmap step says why
        assert "Vì sao:" in "\n".join(str(c.value) for c in at.caption) + shown


def test_full_assessment_first_step_renders(env, bundled):
    q = bundled["dbi_sme"]
    _, code = open_store().create_draft(q, FirmProfile(sector="C", size_band="small"))
    at = open_at(code, "questionnaire")
    no_errors(at)
    assert f"1/{len(q.pillars)}" in at.progress[0].proto.text


def test_the_pdf_builds_with_vietnamese_text(env, bundled):
    from scoring.recommend import recommend
    from ui.pages.results import _pdf_builder

    q = bundled["quick_check"]
    answers = all_answers(q, "low")
    profile = FirmProfile(name="Công ty Minh An", sector="G", size_band="micro")
    store = open_store()
    _, code = store.create_draft(q, profile)
    rec, result = store.submit(code, q, answers)
    recs = recommend(q, result, profile)
    data = _pdf_builder(q, rec, result, recs, "vi", None)()
    assert data.startswith(b"%PDF")
    text = unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))
    assert unicodedata.normalize("NFC", q.level(result.overall_level).name.get("vi")) in text


def test_full_assessment_hides_the_goods_questions_from_a_service_firm(env, bundled):
    """cx_offer decides, on the same step and at once, whether the delivery question is asked."""
    q = bundled["dbi_sme"]
    _, code = open_store().create_draft(q, FirmProfile(sector="M", size_band="micro"))
    at = open_at(code, "questionnaire")
    keys = lambda: {r.key for r in at.radio}  # noqa: E731
    assert "q_cx_offer" in keys() and "q_cx_delivery" not in keys()  # unanswered: not asked yet
    at.radio(key="q_cx_offer").set_value("goods").run()
    no_errors(at)
    assert "q_cx_delivery" in keys()
    at.radio(key="q_cx_offer").set_value("services").run()
    assert "q_cx_delivery" not in keys()
    # the whole assessment completes for a service firm and its maximum leaves the goods criteria out
    app_complete(at, q, "high")
    no_errors(at)
    rec = open_store().load(code)
    assert rec.result["max_total"] < 320


def test_results_explain_why_many_points_can_still_be_level_zero(env, bundled):
    """Three strong pillars and three empty ones: ~40 % of the points, yet level 0 (DBI needs four pillars)."""
    q = bundled["dbi_sme"]
    answers = all_answers(q, "low", "high")
    result = score_assessment(q, answers)
    assert result.overall_level == 0 and result.total > 20
    store = open_store()
    _, code = store.create_draft(q, FirmProfile(sector="C", size_band="small"))
    store.submit(code, q, answers)
    at = open_at(code, "results")
    no_errors(at)
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert "**Để lên mức 1 · Khởi động** cần:" in shown
    assert f"tổng điểm trên 20 (hiện {format_number(result.total, 'vi')}) — :green[:material/check: đã đạt]" in shown
    assert "ít nhất 4 trụ cột ở mức 1 trở lên (hiện 3)" in shown
    assert "chưa đạt" in shown and "gần đạt nhất: " in shown


def test_a_quick_check_result_offers_the_full_assessment_with_the_same_profile(env, bundled):
    quick, full = bundled["quick_check"], bundled["dbi_sme"]
    answers = all_answers(quick, "low")
    store = open_store()
    profile = FirmProfile(name="Công ty Minh An", sector="C", size_band="small", province="ha_noi")
    _, code = store.create_draft(quick, profile, consent=True)
    store.submit(code, quick, answers)
    at = open_at(code, "results")
    no_errors(at)
    assert "Làm bài đánh giá đầy đủ" in [b.label for b in at.button]
    at.button(key="start_full").click().run()
    no_errors(at)
    new_code = at.session_state["code"]
    assert new_code != code
    rec = store.load(new_code)
    assert rec.questionnaire_id == full.id and rec.status == "draft"
    assert rec.profile == profile and rec.consent is True
    assert f"1/{len(full.pillars)}" in at.progress[0].proto.text


def test_the_full_assessment_result_does_not_offer_itself(env, bundled):
    full = bundled["dbi_sme"]
    answers = all_answers(full, "high")
    store = open_store()
    _, code = store.create_draft(full, FirmProfile(sector="C", size_band="small"))
    store.submit(code, full, answers)
    at = open_at(code, "results")
    no_errors(at)
    assert "start_full" not in [b.key for b in at.button]
    assert "start_follow_up" in [b.key for b in at.button]


def test_a_quick_check_pillar_is_a_sign_not_a_top_level(env, bundled):
    """One "yes" can put a two-question pillar at 80 %: shown as a high sign, never "level 5 · Leading"."""
    q = bundled["quick_check"]
    answers = all_answers(q, "low")
    first = q.pillars[0]
    strong = all_answers(q, "high")
    for question in first.questions:  # the first pillar at the top, the rest at the bottom
        if question.id in strong:
            answers[question.id] = strong[question.id]
    result = score_assessment(q, answers)
    assert result.pillars[first.id].level == 5 and result.overall_level == 0
    store = open_store()
    _, code = store.create_draft(q, FirmProfile(sector="G", size_band="micro"))
    store.submit(code, q, answers)
    at = open_at(code, "results")
    no_errors(at)
    shown = "\n".join([str(m.value) for m in at.markdown] + [str(c.value) for c in at.caption])
    name = first.name.get("vi")
    assert f"**{name}: dấu hiệu cao (100%)**" in shown or f"**{name}: dấu hiệu cao (" in shown
    assert "Dẫn dắt" not in shown.replace(q.level(0).name.get("vi"), "")
    assert "không phải mức" in shown
