"""Team assessment pages through AppTest (``pytest -k team``): starting a team, a colleague
joining by link with a role, the owner's view with one respondent (the same as assessing
alone), a removed respondent, a closed round; respondents see the combined view only when
shared."""

from __future__ import annotations

import textwrap

import pytest

from scoring.engine import score_assessment
from scoring.model import FirmProfile
from store import Filters, close_stores, open_store
from tests.app_helpers import new_app, no_traceback, texts
from tests.conftest import HIGH, LOW, TINY
from tests.e2e_helpers import app_complete

TINY_TEXT = textwrap.dedent(TINY)


@pytest.fixture
def env(tmp_path, monkeypatch):
    qdir = tmp_path / "questionnaires"
    qdir.mkdir()
    (qdir / "tiny.yaml").write_text(TINY_TEXT, encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("QUESTIONNAIRE_DIR", str(qdir))
    yield open_store()
    close_stores()


@pytest.fixture
def tiny_q(env):
    from ui import resources

    return resources.questionnaire("tiny")


def owner_started(env, tiny_q, answers=None, consent=True):
    """An owner who began with "invite colleagues" ticked (through the Start page)."""
    at = new_app().run()
    at.text_input(key="start_name").set_value("Cty Hoa Mai")
    at.selectbox(key="start_sector").set_value("G")
    at.radio(key="start_size").set_value("small")
    if consent:
        at.checkbox(key="start_consent").check()
    at.checkbox(key="start_team").check()
    at.button(key="start_begin").click().run()
    no_traceback(at)
    code = at.session_state["code"]
    team, role = env.team_of(env.load(code).id)
    assert role == "owner" and "Đánh giá theo nhóm · mã mời đồng nghiệp: **" + team.code in texts(at)
    if answers is not None:
        env.submit(code, tiny_q, answers)
    return at, code, team


def colleague(env, team, role: str, answers) -> str:
    at = new_app()
    at.query_params["team"] = team.code
    at.run()
    no_traceback(at)
    assert "Bạn được mời cùng đánh giá cho **Cty Hoa Mai**." in texts(at)
    assert not [s for s in at.selectbox if s.key == "start_sector"]  # the firm's profile is filled once
    at.button(key="team_begin").click().run()
    assert "Hãy chọn vai trò của bạn." in [e.value for e in at.error]
    at.radio(key="team_role").set_value(role)
    at.checkbox(key="team_agree").check()
    at.button(key="team_begin").click().run()
    no_traceback(at)
    code = at.session_state["code"]
    rec = env.load(code)
    assert rec.profile.name == "Cty Hoa Mai" and rec.profile.size_band == "small" and not rec.consent
    env.submit(code, env_q(env), answers)
    return code


def env_q(env):
    from ui import resources

    return resources.questionnaire("tiny")


def open_team(code: str):
    at = new_app()
    at.query_params["code"] = code
    at.run()
    at.session_state["goto"] = "team"
    return at.run()


def test_team_with_one_respondent_is_the_same_as_a_solo_assessment(env, tiny_q):
    _, code, team = owner_started(env, tiny_q, HIGH)
    at = open_team(code)
    no_traceback(at)
    solo = score_assessment(tiny_q, HIGH)
    shown = texts(at)
    assert "Gộp từ 1 người đã trả lời xong" in shown
    assert f"Mức {solo.overall_level}/2" in shown
    assert "Cần ít nhất hai người trả lời xong để so sánh." in shown
    assert "Người trả lời (1/1 đã xong)" in shown


def test_team_combined_view_disagreements_removal_and_closing(env, tiny_q):
    _, code, team = owner_started(env, tiny_q, HIGH)
    accountant = colleague(env, team, "accounting", LOW)
    colleague(env, team, "sales", HIGH)
    at = open_team(code)
    no_traceback(at)
    shown = texts(at)
    assert "Người trả lời (3/3 đã xong)" in shown
    # the widest gap first, with who said what (roles, never names)
    assert "Chủ doanh nghiệp, giám đốc: «Có» · Kế toán: «Không»" in shown or "Bán hàng, tiếp thị: «Có» · Kế toán: «Không»" in shown
    assert at.session_state["team_consent"] is True and env.load(code).consent is False
    # the owner removes the accountant's answers
    acc_id = env.load(accountant).id
    at.button(key=f"team_remove_{acc_id}").click().run()
    at.button(key=f"team_remove_yes_{acc_id}").click().run()
    no_traceback(at)
    assert env.load(accountant) is None
    assert "Người trả lời (2/2 đã xong)" in texts(at)
    assert env.aggregate(Filters(questionnaire_id="tiny"), k=1)["n"].sum() == 0  # nothing pooled yet
    at.button(key="team_close").click().run()
    at.button(key="team_close_yes").click().run()
    no_traceback(at)
    team = env.team(team.id)
    assert not team.is_open and team.combined_id is not None
    assert env.aggregate(Filters(questionnaire_id="tiny"), k=1)["n"].sum() == 1  # the firm, once
    assert "Vòng trả lời đã khóa." in texts(at)
    assert not [b for b in at.button if b.key == f"team_remove_{acc_id}"]


def test_team_respondents_see_the_combined_view_only_when_shared(env, tiny_q):
    at_owner, code, team = owner_started(env, tiny_q, HIGH)
    member = colleague(env, team, "it", LOW)
    at = open_team(member)
    no_traceback(at)
    shown = texts(at)
    assert "Bạn trả lời với vai trò **Công nghệ thông tin**." in shown
    assert "Chủ doanh nghiệp chưa chia sẻ kết quả chung" in shown
    assert "Kết quả chung của doanh nghiệp" not in shown
    owner = open_team(code)
    owner.checkbox(key="team_shared").check().run()
    assert env.team(team.id).shared
    at = open_team(member)
    assert "Kết quả chung của doanh nghiệp" in texts(at)
    assert "Người trả lời (" not in texts(at)  # who has finished is the owner's to see


def test_team_a_finished_assessment_can_invite_colleagues(env, tiny_q):
    _, solo_code = env.create_draft(tiny_q, FirmProfile(name="Cty Lẻ", sector="C", size_band="micro"))
    at = new_app()
    at.query_params["code"] = solo_code
    at.run()
    app_complete(at, tiny_q, "high")
    no_traceback(at)
    at.button(key="r_team_offer").click().run()
    at.button(key="team_create").click().run()
    no_traceback(at)
    team, role = env.team_of(env.load(solo_code).id)
    assert role == "owner" and team.code in texts(at)
