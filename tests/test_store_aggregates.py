"""Pooled figures: consent, drafts, small groups, filters, versions; on SQLite and PostgreSQL."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime

import pytest
import yaml
from sqlalchemy import event

from scoring.loader import SafeLoader12, load_questionnaire_text
from scoring.model import FirmProfile
from store import Filters, InvalidValue
from tests.conftest import TINY

pytest_plugins = ["tests.conftest_store"]


@pytest.fixture
def mixed(high, low) -> dict:
    """Sales at the top, operations at the bottom: tells the two pillars apart."""
    return {**{k: high[k] for k in ("has_site", "site_updates", "channels")}, **{k: low[k] for k in ("skill", "online_share", "practices")}}


@pytest.fixture
def pool(store, tiny_q, high, low, submit):
    """5 consented G firms at the top, 4 consented C firms at the bottom, 3 G firms who
    did not consent (bottom), 2 G drafts."""
    for _ in range(5):
        submit(store, tiny_q, high, sector="G", size_band="micro", province="ha_noi")
    for _ in range(4):
        submit(store, tiny_q, low, sector="C", size_band="micro", province="hue")
    for _ in range(3):
        submit(store, tiny_q, low, consent=False, sector="G", size_band="micro", province="ha_noi")
    for _ in range(2):
        store.create_draft(tiny_q, FirmProfile(sector="G", size_band="micro"), consent=True)
    return store


def test_consent_drafts_and_small_groups(pool):
    by_sector = pool.aggregate(Filters(questionnaire_id="tiny"), by=["sector"])
    assert list(by_sector.columns) == [
        "sector", "n", "sales", "ops", "percent", "overall_level", "level_0", "level_1", "level_2",
    ]
    assert by_sector.to_dict("records") == [
        {"sector": "G", "n": 5, "sales": 100.0, "ops": 100.0, "percent": 100.0,
         "overall_level": 2.0, "level_0": 0, "level_1": 0, "level_2": 5},
    ]  # C (4 firms) is below k=5; non-consenting firms and drafts are not pooled
    with_c = pool.aggregate(Filters(), by=["sector"], k=4)
    assert list(with_c["sector"]) == ["C", "G"] and list(with_c["n"]) == [4, 5]
    assert with_c.loc[0, "sales"] == 0.0 and with_c.loc[0, "level_0"] == 4

    overall = pool.aggregate(Filters())
    assert overall.to_dict("records")[0]["n"] == 9
    assert pool.aggregate(Filters(), k=10).empty
    with pytest.raises(InvalidValue):
        pool.aggregate(Filters(), by=["firm_name"])


def test_pillar_level_distribution(pool):
    frame = pool.aggregate(Filters(), by=["province"], k=4, pillar_levels=True)
    row = frame.set_index("province").loc["hue"]
    assert (row["sales_level_0"], row["sales_level_1"], row["sales_level_2"]) == (4, 0, 0)
    for pid in ("sales", "ops"):
        assert (frame[[f"{pid}_level_{lv}" for lv in (0, 1, 2)]].sum(axis=1) == frame["n"]).all()


def test_aggregate_reads_the_summary_cells_not_the_rows(pool):
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(pool.engine, "before_cursor_execute", seen)
    try:
        pool.aggregate(Filters(questionnaire_id="tiny"), by=["province", "sector"])
    finally:
        event.remove(pool.engine, "before_cursor_execute", seen)
    data = [s for s in statements if "FROM pool_cells" in s]
    assert len(data) == 1 and "GROUP BY" in data[0] and "sum(" in data[0].lower()
    assert not [s for s in statements if "FROM assessments" in s]


def test_filters(store, tiny_q, high, low, submit):
    def at(y, m, d, h=3):
        store.clock = lambda: datetime(y, m, d, h, tzinfo=UTC)

    ws = store.create_workshop("WS", None, None, "tiny", "vi")
    at(2025, 1, 10)
    submit(store, tiny_q, high, sector="G", size_band="micro", province="ha_noi", workshop_code=ws.join_code)
    at(2025, 1, 31, 18)  # 1 February, 01:00 in Vietnam
    _, code = submit(store, tiny_q, low, sector="C", size_band="small", province="hue", language="en")
    at(2025, 6, 1)
    submit(store, tiny_q, low, sector="G", size_band="small", province="ha_noi", round="follow_up", previous_code=code)

    def n(**kw) -> int:
        frame = store.aggregate(Filters(**kw), k=1)
        return 0 if frame.empty else int(frame["n"].iloc[0])

    assert n() == 3
    assert n(province="ha_noi") == 2 and n(province=["ha_noi", "hue"]) == 3 and n(province="can_tho") == 0
    assert n(sector="C") == 1 and n(size_band="small") == 2 and n(size_band=("micro",)) == 1
    assert n(workshop_id=ws.id) == 1 and n(round="follow_up") == 1 and n(round="baseline") == 2
    assert n(language="en") == 1
    assert n(questionnaire_id="tiny") == 3 and n(questionnaire_id="other") == 0
    assert n(questionnaire_version="1") == 3 and n(questionnaire_version="2") == 0
    assert n(date_from=date(2025, 2, 1)) == 2  # the 31 January evening (UTC) is 1 February in Hà Nội
    assert n(date_to=date(2025, 1, 31)) == 1
    assert n(date_from=date(2025, 1, 10), date_to=date(2025, 1, 10)) == 1
    assert n(date_from=datetime(2025, 5, 1, tzinfo=UTC)) == 1
    by_month = store.aggregate(Filters(), by=["month"], k=1)
    assert list(by_month["month"]) == ["2025-01", "2025-02", "2025-06"]
    by_round = store.aggregate(Filters(), by=["round", "workshop_id"], k=1)
    assert by_round[["round", "n"]].values.tolist() == [["baseline", 1], ["baseline", 1], ["follow_up", 1]]


def swapped_pillars(version: str) -> str:
    """TINY with its two pillars in the other order: the slots swap."""
    data = yaml.load(TINY, Loader=SafeLoader12)
    data["version"] = version
    data["pillars"] = list(reversed(data["pillars"]))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_versions_with_different_pillar_order_aggregate_by_pillar_id(store, tiny_q, mixed, submit):
    v2 = load_questionnaire_text(textwrap.dedent(swapped_pillars("2")), "tiny-v2.yaml")
    assert [p.id for p in v2.pillars] == ["ops", "sales"]
    for questionnaire in (tiny_q, v2):
        for _ in range(5):
            submit(store, questionnaire, mixed, sector="G")
    both = store.aggregate(Filters(questionnaire_id="tiny"))
    assert (both.loc[0, "n"], both.loc[0, "sales"], both.loc[0, "ops"]) == (10, 100.0, 0.0)
    per_version = store.aggregate(Filters(), by=["questionnaire_version"])
    assert per_version[["sales", "ops"]].values.tolist() == [[100.0, 0.0], [100.0, 0.0]]
    peers = store.peer_benchmark("tiny", "G", None)
    assert peers is not None and peers.pillars == {"ops": 0.0, "sales": 100.0}


def test_peer_benchmark(pool, tiny_q, high, submit):
    peers = pool.peer_benchmark("tiny", "G", "micro")
    assert peers is not None and peers.n == 5 and peers.pillars == {"sales": 100.0, "ops": 100.0}
    assert peers.overall_level_mean == 2.0 and peers.level_counts == {0: 0, 1: 0, 2: 5}
    assert pool.peer_benchmark("tiny", "C", "micro") is None  # 4 firms < k
    assert pool.peer_benchmark("tiny", "C", "micro", k=4).n == 4
    assert pool.peer_benchmark("tiny", None, "micro").n == 9  # no sector: all micro firms
    own, _ = submit(pool, tiny_q, high, sector="C", size_band="micro", province="hue")
    assert pool.peer_benchmark("tiny", "C", "micro").n == 5
    assert pool.peer_benchmark("tiny", "C", "micro", exclude_id=own.id) is None
    assert pool.peer_benchmark("other", "G", "micro") is None
