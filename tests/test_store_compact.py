"""Compact storage, on SQLite and PostgreSQL: answers read back exactly, every version keeps
its content, the summaries follow every change, re-scoring is explicit, deletes leave no
copy, profile values are checked, migrations move old data and may run concurrently."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

import cli
from scoring.engine import AnswerError, score_assessment
from scoring.loader import SafeLoader12, load_questionnaire_text
from scoring.model import FirmProfile
from scoring.sample import random_answers
from store import Filters, InvalidValue, Store
from store import migrate as mig
from store import summary as summ
from store.db import make_engine
from store.models import assessments, pool_cells, pool_progress, questionnaire_versions, rescores
from tests.conftest import TINY

pytest_plugins = ["tests.conftest_store"]
ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- answers read back exactly

ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=4),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


def answer_sets() -> st.SearchStrategy[dict]:
    """Answers to TINY: every question type, canonical values, "na", absent, and the odd
    values a draft may hold (lists out of option order, matrices missing a row, text)."""
    per_question = {
        "has_site": st.sampled_from(["yes", "no", "na", "maybe"]) | ODD,
        "site_updates": st.sampled_from(["never", "weekly", "na"]) | ODD,
        "channels": st.sampled_from([[], ["zalo"], ["fb"], ["zalo", "fb"], ["fb", "zalo"], ["none"], ["zalo", "zalo"], "na"]) | ODD,
        "skill": st.integers(-3, 9) | st.sampled_from([2.0, "na", True]) | ODD,
        "online_share": st.integers(-5, 200) | st.floats(0, 100, allow_nan=False) | st.just("na") | ODD,
        "practices": st.sampled_from(
            [
                {"backup": "no", "passwords": "fully"},
                {"passwords": "partly", "backup": "fully"},
                {"backup": "fully"},
                {"backup": "fully", "passwords": "never"},
                {},
            ]
        ) | ODD,
        "notes": st.text(max_size=40) | ODD,
        "not_a_question": ODD,
    }
    return st.fixed_dictionaries({}, optional=per_question)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=answer_sets())
def test_a_draft_reads_back_exactly(store, tiny_q, answers):
    _, code = store.create_draft(tiny_q, FirmProfile())
    saved = store.save_draft(code, answers)
    assert saved.answers == answers
    assert store.load(code).answers == answers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_a_submission_reads_back_exactly_and_scores_the_same(store, tiny_q, seed):
    rng = random.Random(seed)
    answers = random_answers(tiny_q, rng, skill=rng.random())
    record, code = store.create_draft(tiny_q, FirmProfile(sector="G"), consent=True)
    submitted, result = store.submit(code, tiny_q, answers)
    loaded = store.load(code)
    assert loaded.answers == answers and loaded == submitted
    assert store.result(loaded).to_dict(digits=None) == result.to_dict(digits=None)
    assert loaded.result["overall_level"] == result.overall_level
    assert loaded.result["pillars"]["sales"]["level"] == result.pillars["sales"].level


def test_rows_are_small(store, tiny_q, high, submit):
    record, _ = submit(store, tiny_q, high, sector="G", size_band="micro", province="ha_noi")
    with store.read() as conn:
        packed, extra = conn.execute(
            select(assessments.c.answers, assessments.c.answers_extra).where(assessments.c.id == record.id)
        ).one()
        contents = conn.execute(select(func.count()).select_from(questionnaire_versions)).scalar_one()
    assert len(packed) <= 16 and extra is None  # 8 questions: about two bytes each
    assert contents == 1


# ---------------------------------------------------------------- versions


def renamed(version: str) -> str:
    """TINY as version ``version`` with other question ids: old answers do not fit it."""
    data = yaml.load(TINY, Loader=SafeLoader12)
    data["version"] = version
    for pillar in data["pillars"]:
        for q in pillar["questions"]:
            q["id"] = "v2_" + q["id"]
            show = q.get("show_if")
            if show:
                show["question"] = "v2_" + show["question"]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_an_old_version_assessment_opens_after_a_new_version_is_added(store, tiny_q, high, submit):
    v2 = load_questionnaire_text(renamed("2"), "tiny-v2.yaml")
    record, code = submit(store, tiny_q, high, sector="G")
    # the new version is used: stored beside the old one
    store.create_draft(v2, FirmProfile())
    fresh = Store(store.url)  # another app server: nothing cached, the file is v2 now
    try:
        loaded = fresh.load(code)
        assert loaded.questionnaire_version == "1" and loaded.answers == high
        old = fresh.questionnaire_for(loaded)
        assert old == tiny_q  # the very questionnaire, from the database
        assert fresh.result(loaded).overall_level == record.result["overall_level"]
        assert fresh.questionnaire_version("tiny", "2") == v2
        with pytest.raises(AnswerError):
            score_assessment(v2, loaded.answers)  # why the version must be kept
    finally:
        fresh.close()


def test_a_draft_continues_on_the_version_it_was_started_on(store, tiny_q, high):
    _, code = store.create_draft(tiny_q, FirmProfile())
    store.save_draft(code, {"has_site": "yes"})
    v2 = load_questionnaire_text(renamed("2"), "tiny-v2.yaml")
    store.layout_id(v2)
    rec = store.load(code)
    assert store.questionnaire_for(rec) == tiny_q and rec.answers == {"has_site": "yes"}
    submitted, _ = store.submit(code, store.questionnaire_for(rec), high)
    assert submitted.questionnaire_version == "1"


# ---------------------------------------------------------------- summaries


def cells(store) -> dict:
    with store.read() as conn:
        return {
            name: sorted(tuple(r) for r in conn.execute(select(table)))
            for name, table in (("cells", pool_cells), ("progress", pool_progress))
        }


def rebuilt(store) -> dict:
    """What the summaries hold when built from scratch from the rows (in a transaction
    rolled back, so the store keeps its incrementally maintained ones)."""
    with store._writer.connect() as conn:
        with conn.begin() as tx:
            summ.rebuild(conn)
            out = {
                name: sorted(tuple(r) for r in conn.execute(select(table)))
                for name, table in (("cells", pool_cells), ("progress", pool_progress))
            }
            tx.rollback()
    return out


def test_summaries_follow_submit_consent_delete(store, tiny_q, high, low, submit):
    _, base_code = submit(store, tiny_q, low, sector="G", size_band="micro", province="ha_noi")
    follow, follow_code = submit(store, tiny_q, high, sector="G", size_band="micro", province="ha_noi",
                                 round="follow_up", previous_code=base_code)
    for _ in range(5):
        submit(store, tiny_q, high, sector="C", size_band="small", province="hue")
    _, quiet = submit(store, tiny_q, low, consent=False, sector="C", size_band="small", province="hue")
    assert cells(store) == rebuilt(store)
    assert len(cells(store)["progress"]) == 1  # one pair: both consented

    store.set_consent(quiet, True)
    assert cells(store) == rebuilt(store)
    store.set_consent(base_code, False)  # the pair leaves the progress figures too
    assert cells(store) == rebuilt(store) and cells(store)["progress"] == []
    store.set_consent(base_code, True)
    assert cells(store) == rebuilt(store) and len(cells(store)["progress"]) == 1

    before = store.staff.overview(Filters(), k=1).n
    assert store.delete(follow_code)  # the firm's chain: baseline and follow-up
    assert cells(store) == rebuilt(store)
    assert store.staff.overview(Filters(), k=1).n == before - 2
    assert store.staff.breakdown(Filters(), "province", k=1)["province"].tolist() == ["hue"]  # no trace of ha_noi
    assert cells(store)["progress"] == []


def test_cells_and_rows_give_the_same_figures(store, tiny_q):
    from store.demo import generate

    generate(store, tiny_q, 400, seed=4, batch_rows=150)
    assert cells(store) == rebuilt(store)
    whole_months = Filters(questionnaire_id="tiny", size_band=("micro", "small"))
    # a filter the cells cannot answer (a language) reads the rows: every language = no filter
    rows_road = Filters(questionnaire_id="tiny", size_band=("micro", "small"), language=("vi", "en"))
    staff = store.staff
    for by in (["province"], ["sector", "size_band"], ["month"], ["quarter", "round"]):
        a = staff.breakdown(whole_months, by, k=1)
        b = staff.breakdown(rows_road, by, k=1)
        assert a.equals(b), by
    assert staff.needs(whole_months, "sector", k=1).equals(staff.needs(rows_road, "sector", k=1))
    assert staff.progress(whole_months, "month", k=1).equals(staff.progress(rows_road, "month", k=1))


def test_migration_rebuilds_stale_summaries_on_open(db_url, tiny_q, high, submit):
    store = Store(db_url)
    submit(store, tiny_q, high, sector="G")
    with store.write() as conn:
        conn.execute(pool_cells.delete())
        summ.mark_stale(conn)
    store.close()
    again = Store(db_url)
    try:
        assert again.staff.overview(Filters(), k=1).n == 1
        with again.read() as conn:
            assert not summ.is_stale(conn)
    finally:
        again.close()


# ---------------------------------------------------------------- re-scoring


def test_rescore_keeps_the_original_and_names_what_failed(store, tiny_q, high, low, submit, capsys, db_url, tmp_path):
    a, _ = submit(store, tiny_q, high, sector="G")
    b, _ = submit(store, tiny_q, low, sector="G")
    # version 2: a new required question in sales, and the maximum of skill doubled
    data = yaml.load(TINY, Loader=SafeLoader12)
    data["version"] = "2"
    data["pillars"][1]["questions"][0]["max"] = 8
    data["pillars"][0]["questions"].append(
        {"id": "has_shop", "type": "yesno", "text": {"vi": "Cửa hàng?", "en": "A shop?"},
         "show_if": {"question": "has_site", "in": ["no"]},
         "options": [{"id": "yes", "points": 1}, {"id": "no", "points": 0}]}
    )
    v2_text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    v2 = load_questionnaire_text(v2_text, "tiny-v2.yaml")
    report = store.rescore(v2, ids=[a.id, b.id, 999])
    assert report.rescored == 1 and report.failed_count == 2
    reasons = dict(report.failed)
    assert "has_shop: required answer missing" in reasons[b.id] and "not a submitted assessment" in reasons[999]
    assert store.get(a.id).result == a.result  # the original never changes
    frame = store.rescored(v2)
    assert frame["id"].tolist() == [a.id] and frame["version"].tolist() == ["1"]
    assert frame["new_percent"].iloc[0] < frame["percent"].iloc[0]  # skill 4 of 8 now
    # the command: a selection by version, failures listed, exit code 2
    path = tmp_path / "tiny-v2.yaml"
    path.write_text(v2_text, encoding="utf-8")
    assert cli.main(["rescore", "--to", str(path), "--version", "1", "--url", db_url]) == 2
    captured = capsys.readouterr()
    assert "re-scored 1 of 2" in captured.out and "has_shop: required answer missing" in captured.err
    assert cli.main(["rescore", "--to", str(path), "--url", db_url]) == 1
    assert "say which assessments" in capsys.readouterr().err
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(rescores)).scalar_one() == 1


# ---------------------------------------------------------------- privacy and input


def test_profile_values_must_be_known_ids(store, tiny_q):
    for field, value in (("province", "atlantis"), ("sector", "=1+1"), ("size_band", "huge")):
        with pytest.raises(InvalidValue, match=field):
            store.create_draft(tiny_q, FirmProfile(**{field: value}))
    _, code = store.create_draft(tiny_q, FirmProfile(province="ha_noi"))
    with pytest.raises(InvalidValue, match="province"):
        store.save_draft(code, None, profile=FirmProfile(province="Hà Nội"))  # a name, not an id
    assert store.load(code).profile.province == "ha_noi"


def test_deleted_firm_leaves_no_bytes_in_the_sqlite_files(tmp_path, tiny_q, high, submit):
    path = tmp_path / "app.db"
    store = Store(f"sqlite:///{path}")
    try:
        name = "Công ty Xoá Sạch ZQXW"
        _, code = submit(store, tiny_q, {**high, "notes": "ghi chú riêng ZQXW"}, name=name, sector="G")
        submit(store, tiny_q, high, name="Công ty Ở Lại", sector="G")
        files = lambda: b"".join(p.read_bytes() for p in tmp_path.glob("app.db*"))  # noqa: E731
        assert name.encode() in files()
        assert store.delete(code)
        blob = files()
        assert name.encode() not in blob and b"ZQXW" not in blob
        assert "Công ty Ở Lại".encode() in blob
    finally:
        store.close()


# ---------------------------------------------------------------- migrations with data

OLD_RESULT = {"total": 24.0, "max_total": 24.0, "percent": 100.0, "overall_level": 2, "gaps": ["ecommerce", "crm"]}


def test_upgrade_moves_0001_rows_and_back(empty_db_url, tiny_q, high):
    engine = make_engine(empty_db_url)
    try:
        mig.upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO questionnaire_versions (id, questionnaire_id, version, content_hash, pillar_ids, levels, created_at) "
                "VALUES (1, 'tiny', '1', :h, :p, :l, '2025-01-01 00:00:00')"
            ), {"h": tiny_q.content_hash, "p": json.dumps(["sales", "ops"]), "l": json.dumps([0, 1, 2])})
            for i, (status, consent) in enumerate((("submitted", True), ("submitted", False), ("draft", True)), start=1):
                conn.execute(text(
                    "INSERT INTO assessments (id, status, consent, questionnaire_id, questionnaire_version, layout_id, province, "
                    "sector, size_band, round, language, submitted_at, total, max_total, percent, overall_level, p1_percent, "
                    "p1_level, p2_percent, p2_level, step, created_at, updated_at, code_hash) VALUES (:i, :s, :c, 'tiny', '1', 1, "
                    "'ha_noi', 'G', 'micro', 'baseline', 'vi', :at, :t, :t, :pc, :lv, :pc, :lv, :pc, :lv, 2, '2025-01-01 00:00:00', "
                    "'2025-01-01 00:00:00', :h)"
                ), {"i": i, "s": status, "c": consent, "at": "2025-03-01 00:00:00" if status == "submitted" else None,
                    "t": 24.0 if status == "submitted" else None, "pc": 100.0 / 3 if status == "submitted" else None,
                    "lv": 2 if status == "submitted" else None, "h": bytes([i]) * 32})
                conn.execute(text("INSERT INTO assessment_data (assessment_id, answers, result) VALUES (:i, :a, :r)"),
                             {"i": i, "a": json.dumps(high), "r": json.dumps(OLD_RESULT) if status == "submitted" else None})
            if conn.dialect.name == "postgresql":  # rows inserted with their ids: move the sequences on
                for table in ("assessments", "questionnaire_versions"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        mig.upgrade(engine)
    finally:
        engine.dispose()
    store = Store(empty_db_url, migrate=True)
    try:
        first = store.get(1)
        assert first.answers == high and first.questionnaire_id == "tiny" and first.questionnaire_version == "1"
        assert first.result["pillars"]["sales"]["percent"] == round(100.0 / 3, 4)
        assert store.get(3).status == "draft" and store.get(3).result is None
        assert store.staff.overview(Filters(), k=1).n == 1  # the consented submission, summaries rebuilt on open
        needs = store.staff.needs(Filters(), k=1).set_index("tag")
        assert needs.loc["ecommerce", "firms"] == 1 and needs.loc["crm", "firms"] == 1
        # the version is used again: its content is stored now, and answers get packed
        store.submit(*_new_draft(store, tiny_q), high)
        with store.read() as conn:
            assert conn.execute(select(questionnaire_versions.c.content).where(questionnaire_versions.c.id == 1)).scalar()
    finally:
        store.close()
    engine = make_engine(empty_db_url)
    try:
        mig.downgrade(engine, "0001")
        with engine.connect() as conn:
            back = {r[0]: r[1] for r in conn.execute(text("SELECT assessment_id, answers FROM assessment_data"))}
            percent = conn.execute(text("SELECT p1_percent FROM assessments WHERE id = 1")).scalar_one()
        decoded = {k: json.loads(v) if isinstance(v, str) else v for k, v in back.items()}
        assert decoded[1] == high and decoded[4] == high and abs(percent - 100.0 / 3) < 1e-4
        mig.upgrade(engine)
        assert mig.is_current(engine)
    finally:
        engine.dispose()


def _new_draft(store, q):
    _, code = store.create_draft(q, FirmProfile(sector="G"), consent=True)
    return code, q


def test_concurrent_db_upgrade_on_an_empty_postgresql():
    """Five deployments run `db upgrade` at once on an empty PostgreSQL: the advisory lock
    makes four wait and then find the schema current; none fails."""
    from tests.conftest_store import create_pg_database, drop_pg_database

    url = create_pg_database("_c")
    try:
        procs = [
            subprocess.Popen([sys.executable, "cli.py", "db", "upgrade", "--url", url], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(5)
        ]
        outcomes = [(*p.communicate(timeout=300), p.returncode) for p in procs]
        assert [code for _, _, code in outcomes] == [0] * 5, [err for _, err, _ in outcomes]
        assert all("(current)" in out for out, _, _ in outcomes)
    finally:
        drop_pg_database(url)


def test_sqlite_migration_keeps_follow_up_links(tmp_path, tiny_q, high):
    """The batch migration copies the assessments table: its ON DELETE SET NULL must not fire."""
    url = f"sqlite:///{tmp_path / 'links.db'}"
    store = Store(url)
    _, base = _submit(store, tiny_q, high)
    follow, _ = store.create_draft(tiny_q, FirmProfile(), round="follow_up", previous_code=base)
    store.close()
    engine = make_engine(url)
    try:
        mig.downgrade(engine, "0001")
        mig.upgrade(engine)
    finally:
        engine.dispose()
    again = Store(url)
    try:
        assert again.get(follow.id).previous_id == follow.previous_id is not None
    finally:
        again.close()


def _submit(store, q, answers):
    record, code = store.create_draft(q, FirmProfile(sector="G"), consent=True)
    store.submit(code, q, answers)
    return record, code


def test_tiny_yaml_round_trip_helper():
    assert "v2_has_site" in textwrap.dedent(renamed("2"))
