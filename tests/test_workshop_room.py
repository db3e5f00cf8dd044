"""The room picture (scoring.room) and paper rows typed back in (scoring.intake): pure, no
database (``pytest -k workshop``)."""

from __future__ import annotations

import pandas as pd

from scoring.engine import score_assessment
from scoring.intake import read_rows, template_columns
from scoring.room import room_picture
from tests.conftest import HIGH, LOW


def test_a_room_under_k_firms_shows_only_its_size(tiny):
    results = [score_assessment(tiny, HIGH) for _ in range(4)]
    pic = room_picture(tiny, results, k=5)
    assert not pic.shown and pic.n == 4
    assert pic.level_counts == {} and pic.pillar_means == {} and pic.weakest == () and pic.needs == ()


def test_the_room_picture_counts_levels_means_weakest_and_needs(tiny):
    results = [score_assessment(tiny, HIGH) for _ in range(3)] + [score_assessment(tiny, LOW) for _ in range(2)]
    pic = room_picture(tiny, results, k=5)
    assert pic.shown and pic.n == 5
    assert pic.level_counts == {0: 2, 1: 0, 2: 3}
    assert pic.pillar_means["sales"] == (3 * 100 + 2 * results[-1].pillars["sales"].percent) / 5
    # has_site: 3 of 5 at the top → 0.6; skill likewise; the weakest three come first in questionnaire order on ties
    assert [qid for qid, _ in pic.weakest] == ["has_site", "channels", "skill"]
    assert pic.weakest[0][1] == 0.6
    assert pic.needs == (("ecommerce", 2),)


def test_template_and_rows_good_and_bad_are_named(tiny):
    cols = template_columns(tiny)
    assert cols[:8] == ["firm_name", "sector", "size_band", "province", "staff", "consent_pool",
                        "share_with_association", "share_name"]
    assert cols[8:] == [q.id for _, q in tiny.questions()]
    frame = pd.DataFrame(
        [
            {"firm_name": "=HYPERLINK(\"x\")", "sector": "g", "size_band": "Micro", "province": "Bình Dương",
             "staff": "4", "consent_pool": "có", "share_with_association": "1", "share_name": "x",
             "has_site": "yes", "site_updates": "weekly", "channels": "zalo|fb", "skill": "4",
             "online_share": "60", "practices": "backup=fully;passwords=partly", "notes": ""},
            {"firm_name": "", "sector": "Z", "size_band": "giant", "province": "Atlantis", "staff": "-1",
             "consent_pool": "maybe", "has_site": "perhaps", "channels": "zalo", "skill": "9",
             "online_share": "60", "practices": "backup=fully"},
            {c: "" for c in cols},  # a blank line: skipped
        ]
    )
    report = read_rows(tiny, frame.to_dict("records"))
    assert [r.row for r in report.good] == [2]
    good = report.good[0]
    assert good.profile.sector == "G" and good.profile.size_band == "micro" and good.profile.province == "ho_chi_minh"
    assert good.profile.staff == 4 and good.consent and good.share_results and good.share_name
    assert good.answers["channels"] == ["zalo", "fb"] and good.answers["practices"] == {"backup": "fully", "passwords": "partly"}
    assert report.bad_rows == [3]
    where = {(p.row, p.column) for p in report.problems}
    assert {(3, "sector"), (3, "size_band"), (3, "province"), (3, "staff"), (3, "consent_pool"), (3, "has_site"),
            (3, "skill"), (3, "practices")} <= where
    assert any(p.column == "practices" and "passwords" in p.message for p in report.problems)
    assert all(str(p).startswith("row 3, column ") for p in report.problems)


def test_unknown_columns_are_reported_once(tiny):
    rows = [{"sector": "G", "size_band": "micro", "colour": "blue", **HIGH} for _ in range(2)]
    rows = [{k: ("|".join(v) if isinstance(v, list) else ";".join(f"{a}={b}" for a, b in v.items()) if isinstance(v, dict) else v)
             for k, v in r.items()} for r in rows]
    report = read_rows(tiny, rows)
    assert [(p.row, p.column) for p in report.problems] == [(1, "colour")]
    assert len(report.good) == 2 and report.bad_rows == []

