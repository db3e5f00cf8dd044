"""Demo data: plausible, seeded, bulk-scored with the same numbers as the single path."""

from __future__ import annotations

import textwrap

from sqlalchemy import select

import cli
from scoring.engine import score_assessment
from scoring.profile import sector_group
from store import Filters
from store.demo import generate, staff_ranges
from store.models import PERCENT_SCALE, assessments
from tests.conftest import TINY

pytest_plugins = ["tests.conftest_store"]

PROFILE = ["status", "consent", "province", "sector", "size_band", "round", "staff", "total", "overall_level"]


def test_demo_data_is_plausible_and_scored_like_the_single_path(store, tiny_q):
    summary = generate(store, tiny_q, 600, seed=3, batch_rows=250)
    assert summary.n == 600 and summary.submitted + summary.drafts == 600 and summary.follow_ups > 0
    a = assessments
    with store.read() as conn:
        rows = conn.execute(select(a).order_by(a.c.id)).all()
    data = {r.id: store.get(r.id).answers for r in rows[::7]}  # decoded from the packed rows
    assert len(rows) == 600
    by_id = {r.id: r for r in rows}
    assert 0.75 < sum(r.consent for r in rows) / 600 < 0.95
    assert len({r.province for r in rows}) > 10 and len({r.size_band for r in rows}) == 5
    for r in rows:
        if r.round == "follow_up":
            base = by_id[r.previous_id]
            assert (base.province, base.sector, base.size_band, base.status) == (r.province, r.sector, r.size_band, "submitted")
            assert base.submitted_at < r.submitted_at
    # every stored column equals the single path on the stored answers
    for r in rows[::7]:
        if r.status != "submitted":
            assert r.total is None and r.submitted_at is None
            continue
        result = score_assessment(tiny_q, data[r.id])
        assert (r.total, r.overall_level) == (result.total, result.overall_level)
        assert (r.p1_percent, r.p2_level) == (round(result.pillars["sales"].percent * PERCENT_SCALE), result.pillars["ops"].level)
        assert store.staff is not None and r.gap_mask is not None
    # staff counts follow the Decree 80 limits of each band and sector group
    ranges = staff_ranges()
    for r in rows:
        low, high = ranges[(r.size_band, sector_group(r.sector))]
        assert low <= r.staff <= high, (r.sector, r.size_band, r.staff)
    assert ranges[("small", "trade_services")] == (11, 50) and ranges[("small", "agri_industry_construction")] == (11, 100)
    assert ranges[("medium", "trade_services")] == (51, 100) and ranges[("medium", "agri_industry_construction")] == (101, 200)
    # bigger firms score higher on average: the dashboards have something to show
    by_size = store.aggregate(Filters(), by=["size_band"], k=1).set_index("size_band")["percent"]
    assert by_size["household"] < by_size["small"] < by_size["large"]

    # the same seed draws the same firms again
    generate(store, tiny_q, 600, seed=3, batch_rows=250)
    with store.read() as conn:
        again = conn.execute(select(*(a.c[c] for c in PROFILE)).where(a.c.id > 600).order_by(a.c.id)).all()
    assert [tuple(getattr(r, c) for c in PROFILE) for r in rows] == [tuple(r) for r in again]


def test_demo_data_command(db_url, tmp_path, capsys):
    path = tmp_path / "tiny.yaml"
    path.write_text(textwrap.dedent(TINY), encoding="utf-8")
    assert cli.main(["demo-data", "--n", "120", "--seed", "1", "--questionnaire", str(path), "--url", db_url]) == 0
    assert "120 demo assessments of tiny" in capsys.readouterr().out
    assert cli.main(["demo-data", "--n", "5", "--questionnaire", str(tmp_path / "missing.yaml"), "--url", db_url]) == 1
    err = capsys.readouterr().err
    assert "missing.yaml" in err and "Traceback" not in err
