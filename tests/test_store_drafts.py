"""Drafts, resume codes, submission and "delete my data", on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from scoring.engine import AnswerError, score_assessment
from scoring.model import FirmProfile
from store import AlreadySubmitted, InvalidValue, UnknownCode, WorkshopClosed, codes
from store.models import assessments
from tests.conftest import TINY, load_yaml

pytest_plugins = ["tests.conftest_store"]


def count(store, table) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


# ---------------------------------------------------------------- codes (no database)


def test_resume_code_is_grouped_unambiguous_and_accepted_loosely():
    code = codes.new_resume_code()
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert not set("01OIL") & set(codes.ALPHABET)
    raw = code.replace("-", "")
    for typed in (code, code.lower(), raw, f"  {raw[:4]} {raw[4:8]}  {raw[8:]} ", raw.lower()):
        assert codes.resume_hash(typed) == codes.resume_hash(code)
    for bad in ("", "ABC", raw + "X", raw[:-1] + "O", None, 123):
        assert codes.resume_hash(bad) is None  # type: ignore[arg-type]
    assert len({codes.new_resume_code() for _ in range(1000)}) == 1000


# ---------------------------------------------------------------- drafts


def test_draft_round_trip_by_code(store, tiny_q):
    profile = FirmProfile(name="Công ty ABC", sector="G", size_band="micro", province="ha_noi", staff=7)
    record, code = store.create_draft(tiny_q, profile, language="en", consent=False)
    assert record.status == "draft" and record.answers == {} and record.result is None
    assert record.questionnaire_hash == tiny_q.content_hash and record.profile == profile
    # the code is never stored, only its hash
    with store.read() as conn:
        stored = conn.execute(select(assessments.c.code_hash)).scalar_one()
    assert code.encode() not in stored and stored == codes.resume_hash(code)

    saved = store.save_draft(code.lower().replace("-", " "), {"has_site": "yes"}, step=1, consent=True)
    assert saved.answers == {"has_site": "yes"} and saved.step == 1
    assert saved.consent and saved.consent_at is not None
    loaded = store.load(code.replace("-", ""))
    assert loaded == saved
    assert loaded.language == "en" and loaded.profile.name == "Công ty ABC"

    changed = store.save_draft(code, None, profile=FirmProfile(sector="C"), language="vi")
    assert changed.answers == {"has_site": "yes"}  # None keeps the answers
    assert changed.profile == FirmProfile(sector="C") and changed.language == "vi"


def test_wrong_code_finds_nothing(store, tiny_q, high):
    store.create_draft(tiny_q, FirmProfile())
    assert store.load(codes.new_resume_code()) is None
    assert store.load("not a code") is None
    with pytest.raises(UnknownCode):
        store.save_draft(codes.new_resume_code(), {})
    with pytest.raises(UnknownCode):
        store.submit("ABCD-EFGH-JKMN", tiny_q, high)


def test_answers_must_be_json(store, tiny_q):
    _, code = store.create_draft(tiny_q, FirmProfile())
    with pytest.raises(InvalidValue):
        store.save_draft(code, {"has_site": {1, 2}})
    with pytest.raises(InvalidValue):
        store.save_draft(code, ["not", "a", "mapping"])  # type: ignore[arg-type]


# ---------------------------------------------------------------- submission


def test_submit_scores_and_stores_result_and_columns(store, tiny_q, high):
    record, code = store.create_draft(tiny_q, FirmProfile(sector="G"), consent=True)
    store.save_draft(code, high, step=2)
    submitted, result = store.submit(code, tiny_q)  # the saved draft answers
    expected = score_assessment(tiny_q, high)
    assert result.total == expected.total and submitted.status == "submitted"
    assert submitted.submitted_at is not None
    # the full result is scored again from the stored answers, on the stored version
    assert store.result(submitted).to_dict(digits=None) == expected.to_dict(digits=None)
    assert submitted.result == {
        "total": 24.0, "max_total": 24.0, "percent": 100.0, "overall_level": 2,
        "pillars": {"sales": {"percent": 100.0, "level": 2}, "ops": {"percent": 100.0, "level": 2}},
    }
    with store.read() as conn:
        row = conn.execute(select(assessments).where(assessments.c.id == record.id)).one()
    # percents are fixed-point (1/10 000 of a point); gaps a bit set; answers packed
    assert (row.total, row.overall_level, row.p1_percent, row.p2_percent) == (24.0, 2, 1_000_000, 1_000_000)
    assert row.p1_level == row.p2_level == 2 and row.p3_percent is None
    assert row.gap_mask == 0 and len(row.answers) < 20 and row.answers_extra is None


def test_failed_submission_leaves_the_draft_as_it_was(store, tiny_q, high):
    record, code = store.create_draft(tiny_q, FirmProfile(sector="G"))
    draft = store.save_draft(code, {"has_site": "yes"}, step=3)
    bad = {**high, "skill": 9, "channels": ["telegram"]}
    with pytest.raises(AnswerError) as caught:
        store.submit(code, tiny_q, bad)
    assert any("skill" in p for p in caught.value.problems) and any("telegram" in p for p in caught.value.problems)
    # the stored (incomplete) draft does not validate either
    with pytest.raises(AnswerError) as caught:
        store.submit(code, tiny_q)
    assert any("required answer missing" in p for p in caught.value.problems)
    after = store.load(code)
    assert after == draft  # answers, step, status, times: untouched
    with store.read() as conn:
        row = conn.execute(select(assessments).where(assessments.c.id == record.id)).one()
    assert row.total is None and row.submitted_at is None and row.status == "draft"


def test_submitted_is_frozen_but_consent_can_change(store, tiny_q, high, low, submit):
    record, code = submit(store, tiny_q, consent=True)
    with pytest.raises(AlreadySubmitted):
        store.submit(code, tiny_q, high)
    with pytest.raises(AlreadySubmitted):
        store.save_draft(code, low)
    withdrawn = store.set_consent(code, False)
    assert not withdrawn.consent and withdrawn.result == record.result


def test_submit_against_another_questionnaire_is_refused(store, tiny_q, high):
    other = load_yaml(TINY.replace("id: tiny", "id: other"), "other.yaml")
    _, code = store.create_draft(tiny_q, FirmProfile())
    with pytest.raises(InvalidValue):
        store.submit(code, other, high)


def test_submit_records_the_version_scored_against(store, tiny_q, high):
    newer = load_yaml(TINY.replace('version: "1"', 'version: "2"'), "tiny2.yaml")
    _, code = store.create_draft(tiny_q, FirmProfile())
    record, _ = store.submit(code, newer, high)
    assert record.questionnaire_version == "2" and record.questionnaire_hash == newer.content_hash


# ---------------------------------------------------------------- follow-ups and deletion


def test_follow_up_links_to_the_previous_assessment(store, tiny_q, low, submit):
    first, first_code = submit(store, tiny_q, low, sector="G")
    follow, _ = store.create_draft(tiny_q, FirmProfile(sector="G"), round="follow_up", previous_code=first_code)
    assert follow.round == "follow_up" and follow.previous_id == first.id
    assert store.previous(follow) == store.load(first_code)
    assert store.previous(first) is None
    with pytest.raises(UnknownCode):
        store.create_draft(tiny_q, FirmProfile(), previous_code=codes.new_resume_code())
    with pytest.raises(InvalidValue):
        store.create_draft(tiny_q, FirmProfile(), round="midline")


def test_delete_by_code_removes_the_firms_data(store, tiny_q, high, low, submit):
    keep, keep_code = submit(store, tiny_q, high)
    base, base_code = submit(store, tiny_q, low)
    follow, follow_code = store.create_draft(tiny_q, FirmProfile(), round="follow_up", previous_code=base_code)
    assert count(store, assessments) == 3

    assert store.delete(follow_code.lower()) is True
    assert store.load(follow_code) is None and store.load(base_code) is None  # the whole chain
    assert store.get(base.id) is None and store.get(follow.id) is None
    assert count(store, assessments) == 1
    assert store.load(keep_code) == keep
    assert store.delete(follow_code) is False
    assert store.delete("nonsense") is False


# ---------------------------------------------------------------- workshops


def test_workshop_join_code_results_and_closing(store, tiny_q, high, low, submit):
    ws = store.create_workshop("Hội thảo Hà Nội", "VCCI", "lan", "tiny", "vi")
    assert len(ws.join_code) == 6 and ws.is_open
    assert store.workshop_by_code(ws.join_code.lower()) == ws
    assert store.workshop_by_code("ZZZZZZ") in (None, ws) and store.workshop_by_code("?") is None
    a, _ = submit(store, tiny_q, high, name="A", sector="G", workshop_code=ws.join_code)
    b, _ = submit(store, tiny_q, low, name="B", sector="C", workshop_code=ws.join_code, consent=False)
    store.create_draft(tiny_q, FirmProfile(name="C"), workshop_code=ws.join_code)
    submit(store, tiny_q, high, name="elsewhere")

    results = store.workshop_results(ws.id)
    assert list(results["id"]) == [a.id, b.id]
    assert list(results["firm_name"]) == ["A", "B"] and list(results["consent"]) == [True, False]
    assert list(results["sales_percent"]) == [100.0, 0.0] and list(results["ops_level"]) == [2, 0]
    assert len(store.workshop_results(ws.id, include_drafts=True)) == 3

    closed = store.close_workshop(ws.id)
    assert not closed.is_open and store.workshop(ws.id) == closed
    assert store.list_workshops(open_only=True) == [] and store.list_workshops() == [closed]
    with pytest.raises(WorkshopClosed):
        store.create_draft(tiny_q, FirmProfile(), workshop_code=ws.join_code)
    with pytest.raises(UnknownCode):
        store.create_draft(tiny_q, FirmProfile(), workshop_code="ABCDEF" if ws.join_code != "ABCDEF" else "BCDEFG")
