"""The bulk path gives exactly the single path's numbers (a property test), and names bad rows."""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.bulk import BulkAnswerError, answers_to_frame, score_frame
from scoring.engine import score_assessment
from scoring.loader import load_bundled
from scoring.sample import random_answers, random_frame
from tests.conftest import TINY, load_yaml
from tests.test_engine import DBI_GOODS, DBI_LIKE, DBI_PILLARS, OTHER_FRAMEWORK

DMAT_LIKE = TINY.replace(
    """  overall:
    method: composite
    requirements:
      - {level: 1, total_above: 4, min_pillars: 1}
      - {level: 2, total_percent_above: 70, min_pillars: 2}""",
    """  pillar_percent: mean_of_questions
  overall:
    method: weighted_mean
    bands:
      - {level: 1, min_percent: 30}
      - {level: 2, min_percent: 70}""",
)

QUESTIONNAIRES = {
    "dbi_sme": lambda: load_bundled("dbi_sme"),
    "quick_check": lambda: load_bundled("quick_check"),
    "tiny": lambda: load_yaml(TINY),
    "dmat_like": lambda: load_yaml(DMAT_LIKE),
    "dbi_like": lambda: load_yaml(DBI_LIKE),
    "dbi_at_least": lambda: load_yaml(DBI_LIKE.replace("above_percent", "min_percent")),
    "dbi_goods": lambda: load_yaml(DBI_GOODS),
    "other_framework": lambda: load_yaml(OTHER_FRAMEWORK),
}


def same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b))
    return a == b


def assert_paths_agree(q, answer_sets):
    frame = score_frame(q, answers_to_frame(q, answer_sets))
    for i, answers in enumerate(answer_sets):
        single = score_assessment(q, answers)
        row = frame.iloc[i]
        for pid, p in single.pillars.items():
            assert row[f"{pid}_points"] == p.points, (i, pid)
            assert row[f"{pid}_max"] == p.max, (i, pid)
            assert same(p.percent, row[f"{pid}_percent"]), (i, pid, p.percent, row[f"{pid}_percent"])
            assert same(p.level, row[f"{pid}_level"]), (i, pid)
            assert row[f"{pid}_na"] == p.na_count, (i, pid)
        assert row["total"] == single.total
        assert row["max_total"] == single.max_total
        assert same(single.percent, row["percent"])
        assert row["overall_level"] == single.overall_level, (i, answers)


@pytest.mark.parametrize("name", sorted(QUESTIONNAIRES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12), skill=st.one_of(st.none(), st.floats(0, 1)))
def test_bulk_equals_single(name, seed, n, skill):
    q = QUESTIONNAIRES[name]()
    rng = random.Random(seed)
    answer_sets = [random_answers(q, rng, skill=skill) for _ in range(n)]
    assert_paths_agree(q, answer_sets)


def test_random_frame_rows_are_valid_and_agree():
    q = QUESTIONNAIRES["tiny"]()
    frame = random_frame(q, 300, seed=7)
    scores = score_frame(q, frame)
    assert len(scores) == 300
    from scoring.bulk import decode_cell

    for i in range(0, 300, 37):
        answers = {c: decode_cell(q.question(c), frame.iloc[i][c]) for c in frame.columns}
        answers = {k: v for k, v in answers.items() if v is not None}
        single = score_assessment(q, answers)
        assert scores.iloc[i]["total"] == single.total
        assert scores.iloc[i]["overall_level"] == single.overall_level


def test_bad_rows_are_named():
    q = QUESTIONNAIRES["tiny"]()
    frame = pd.DataFrame(
        {
            "has_site": ["yes", "perhaps", "no"],
            "site_updates": ["weekly", None, "bogus"],  # row 3's bad answer is hidden: ignored
            "channels": ["zalo|fb", "zalo", "none"],
            "skill": [1, 2, 9],
            "online_share": [5, None, 50],
            "practices": ["backup=fully;passwords=no"] * 3,
        }
    )
    with pytest.raises(BulkAnswerError) as info:
        score_frame(q, frame)
    problems = info.value.problems
    assert "row 2: has_site: option 'perhaps' is not offered" in problems
    assert "row 2: online_share: required answer missing" in problems
    assert "row 3: skill: 9 is outside 0–4" in problems
    assert len(problems) == 3


DECISION_EXAMPLES = [
    # (points per pillar, pillar levels, overall level): Decision 1970/QĐ-BTTTT, Bảng 2 and 2.2
    ((39, 0, 0, 0, 0, 0), [3, 0, 0, 0, 0, 0], 0),  # the decision's own example: 39/65 = 60 % → 3
    ((0, 5, 0, 0, 0, 0), [0, 1, 0, 0, 0, 0], 0),
    ((0, 10, 0, 0, 0, 0), [0, 2, 0, 0, 0, 0], 0),
    ((0, 15, 0, 0, 0, 0), [0, 3, 0, 0, 0, 0], 0),
    ((0, 20, 0, 0, 0, 0), [0, 4, 0, 0, 0, 0], 0),
    ((0, 0, 8, 0, 0, 0), [0, 0, 0, 0, 0, 0], 0),  # exactly 10 % → 0
    ((45, 15, 56, 45, 30, 21), [4, 3, 4, 4, 3, 3], 3),  # 212 points → 3
    ((7, 3, 0, 0, 6, 4), [1, 1, 0, 0, 1, 1], 0),  # 20 points: not above 20
    ((7, 3, 1, 0, 6, 4), [1, 1, 0, 0, 1, 1], 1),
    ((53, 21, 65, 53, 41, 29), [5, 5, 5, 5, 5, 5], 5),
    ((53, 21, 65, 53, 41, 28), [5, 5, 5, 5, 5, 4], 4),
]


@pytest.mark.parametrize("points, pillar_levels, overall", DECISION_EXAMPLES)
def test_the_decisions_examples_hold_on_both_paths(points, pillar_levels, overall):
    q = QUESTIONNAIRES["dbi_like"]()
    answers = {f"{pid}_q": v for (pid, _), v in zip(DBI_PILLARS, points)}
    single = score_assessment(q, answers)
    row = score_frame(q, answers_to_frame(q, [answers])).iloc[0]
    for path in ("single", "bulk"):
        got = (
            [single.pillars[pid].level for pid, _ in DBI_PILLARS]
            if path == "single"
            else [int(row[f"{pid}_level"]) for pid, _ in DBI_PILLARS]
        )
        assert got == pillar_levels, path
    assert single.overall_level == int(row["overall_level"]) == overall
