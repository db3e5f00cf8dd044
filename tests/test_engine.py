"""The scoring engine on one assessment: validation, N/A, conditions, levels, DBI boundaries."""

from __future__ import annotations

import pytest

from scoring.engine import AnswerError, score_assessment
from tests.conftest import load_yaml

FULL = {
    "has_site": "yes",
    "site_updates": "weekly",
    "channels": ["zalo", "fb"],
    "skill": 4,
    "online_share": 60,
    "practices": {"backup": "fully", "passwords": "fully"},
}


def test_full_marks(tiny):
    r = score_assessment(tiny, FULL)
    assert r.total == r.max_total == 24
    assert r.pillars["sales"].percent == 100 and r.pillars["sales"].level == 2
    assert r.overall_level == 2
    assert r.advice == []
    assert r.strengths("ops") == ["skill", "online_share", "practices"]


def test_every_problem_listed_at_once(tiny):
    bad = {
        "has_site": "maybe",
        "channels": ["zalo", "none"],
        "skill": 7,
        "online_share": "lots",
        "practices": {"backup": "fully", "cloud": "fully"},
        "ghost": 1,
    }
    with pytest.raises(AnswerError) as info:
        score_assessment(tiny, bad)
    problems = info.value.problems
    assert "ghost: unknown question" in problems
    assert "has_site: option 'maybe' is not offered" in problems
    assert "channels: 'none' cannot be ticked together with other options" in problems
    assert "skill: 7 is outside 0–4" in problems
    assert "online_share: expected a number, got 'lots'" in problems
    assert "practices: unknown row 'cloud'" in problems
    assert "practices.passwords: row not answered" in problems
    assert len(problems) == 7


def test_required_missing(tiny):
    with pytest.raises(AnswerError) as info:
        score_assessment(tiny, {"has_site": "no"})
    assert set(info.value.problems) == {
        "channels: required answer missing",
        "skill: required answer missing",
        "online_share: required answer missing",
        "practices: required answer missing",
    }


def test_na_leaves_question_out_of_points_and_maximum(tiny):
    answers = dict(FULL, online_share="na", channels="na")
    r = score_assessment(tiny, answers)
    assert r.pillars["ops"].max == 8 and r.pillars["ops"].points == 8
    assert r.pillars["ops"].percent == 100  # N/A never lowers a percentage
    assert r.pillars["ops"].na_count == 1 and r.pillars["sales"].na_count == 1
    assert r.questions["online_share"].status == "na"


def test_na_refused_where_not_allowed(tiny):
    with pytest.raises(AnswerError, match="skill: 'not applicable' is not allowed"):
        score_assessment(tiny, dict(FULL, skill="na"))


def test_hidden_question_answer_is_kept_but_ignored(tiny):
    answers = dict(FULL, has_site="no", site_updates="never")
    r = score_assessment(tiny, answers)
    assert r.questions["site_updates"].status == "hidden"
    assert r.questions["site_updates"].answer == "never"
    assert r.pillars["sales"].max == 8  # yes/no 4 + channels 4; the hidden question is not asked
    # a hidden question's invalid answer is not an error either
    score_assessment(tiny, dict(answers, site_updates="not-an-option"))


def test_multi_share_and_exclusive(tiny):
    r = score_assessment(tiny, dict(FULL, channels=["zalo"]))
    assert r.questions["channels"].points == 2
    r = score_assessment(tiny, dict(FULL, channels=["none"]))
    assert r.questions["channels"].points == 0


def test_number_bands_and_matrix_sum(tiny):
    for share, points in [(0, 0), (9.99, 0), (10, 2), (49, 2), (50, 4), (100, 4)]:
        assert score_assessment(tiny, dict(FULL, online_share=share)).questions["online_share"].points == points
    r = score_assessment(tiny, dict(FULL, practices={"backup": "partly", "passwords": "no"}))
    assert r.questions["practices"].points == 1 and r.questions["practices"].max == 4


def test_advice_and_tags(tiny):
    r = score_assessment(tiny, dict(FULL, has_site="no"))
    assert r.gaps == ["ecommerce"]
    assert [a.question for a in r.advice] == ["has_site"]
    assert r.advice[0].text.get("en") == "Build a site"
    r = score_assessment(tiny, FULL)
    assert r.uses == ["ecommerce"] and r.gaps == []


def test_weakest_pillars(tiny):
    r = score_assessment(tiny, dict(FULL, skill=0, online_share=0))
    assert r.weakest[0] == "ops"
    assert r.strongest[0] == "sales"


# ---- the DBI overall rule, worked by hand at each boundary -----------------------------

DBI_LIKE = """
id: dbi_like
version: "1"
title: {vi: DBI, en: DBI}
description: {vi: Thử quy tắc, en: Rule test}
levels:
""" + "".join(
    f"  - {{level: {i}, name: {{vi: M{i}, en: L{i}}}, meaning: {{vi: m{i}, en: l{i}}}}}\n" for i in range(6)
) + "pillars:\n" + "".join(
    f"""  - id: {pid}
    name: {{vi: {pid}, en: {pid}}}
    questions:
      - {{id: {pid}_q, type: scale, min: 0, max: {mx}, text: {{vi: câu, en: question}}}}
"""
    for pid, mx in [("customer", 65), ("strategy", 25), ("infra", 80), ("ops", 65), ("culture", 50), ("data", 35)]
) + """rules:
  pillar_levels:
    - {level: 1, min_percent: 10}
    - {level: 2, min_percent: 20}
    - {level: 3, min_percent: 40}
    - {level: 4, min_percent: 60}
    - {level: 5, min_percent: 80}
  overall:
    method: composite
    requirements:
      - {level: 1, total_above: 20, min_pillars: 4}
      - {level: 2, total_above: 64, min_pillars: 4}
      - {level: 3, total_above: 128, min_pillars: 4}
      - {level: 4, total_above: 192, min_pillars: 5}
      - {level: 5, total_above: 256, min_pillars: 6}
"""

PILLARS = ["customer", "strategy", "infra", "ops", "culture", "data"]


@pytest.fixture(scope="module")
def dbi():
    return load_yaml(DBI_LIKE, "dbi_like.yaml")


def run(dbi, *points):
    return score_assessment(dbi, {f"{p}_q": v for p, v in zip(PILLARS, points)})


def test_pillar_thresholds_are_inclusive(dbi):
    r = run(dbi, 0, 0, 8, 7, 0, 0)  # infra 8/80 = 10 % → 1; ops 7/65 = 10.8 % → 1
    assert r.pillars["infra"].level == 1
    r = run(dbi, 0, 0, 7, 6, 0, 0)  # 8.75 % and 9.2 % → 0
    assert r.pillars["infra"].level == 0 and r.pillars["ops"].level == 0
    r = run(dbi, 13, 5, 16, 39, 40, 28)  # exactly 20 %, 20 %, 20 %, 60 %, 80 %, 80 %
    assert [r.pillars[p].level for p in PILLARS] == [2, 2, 2, 4, 5, 5]


def test_total_129_with_three_pillars_at_level_3_is_level_2(dbi):
    r = run(dbi, 30, 10, 32, 25, 19, 13)
    assert r.total == 129
    assert [r.pillars[p].level for p in PILLARS] == [3, 3, 3, 2, 2, 2]
    assert r.overall_level == 2


def test_total_128_with_four_pillars_at_level_3_is_level_2_and_129_is_3(dbi):
    r = run(dbi, 26, 10, 32, 26, 19, 15)  # four at 40 %, culture 38 %, data 42.9 %
    assert r.total == 128 and r.overall_level == 2
    r = run(dbi, 26, 10, 32, 26, 20, 15)
    assert r.total == 129 and r.overall_level == 3


def test_level_0_and_1_boundaries(dbi):
    assert run(dbi, 7, 3, 8, 2, 0, 0).total == 20
    assert run(dbi, 7, 3, 8, 2, 0, 0).overall_level == 0  # total must be above 20
    r = run(dbi, 7, 3, 8, 7, 0, 0)  # 25 points, four pillars at level 1
    assert r.overall_level == 1
    r = run(dbi, 7, 3, 8, 6, 0, 0)  # 24 points but ops at 9.2 %: only three pillars at 1
    assert r.overall_level == 0


def test_level_4_needs_five_pillars(dbi):
    r = run(dbi, 39, 15, 48, 39, 30, 27)  # 198 points; data 77 %: all six at ≥ 60 %
    assert r.total == 198 and r.overall_level == 4
    r = run(dbi, 39, 15, 48, 39, 29, 20)  # 190: total fails
    assert r.overall_level == 3
    r = run(dbi, 65, 25, 47, 38, 29, 30)  # 234 points but only three pillars at level 4
    assert r.overall_level == 3


def test_level_5_needs_all_six(dbi):
    r = run(dbi, 52, 20, 64, 52, 40, 28)  # 256: not above 256
    assert r.total == 256 and r.overall_level == 4
    r = run(dbi, 53, 20, 64, 52, 40, 28)
    assert r.overall_level == 5
    r = run(dbi, 65, 25, 80, 65, 50, 27)  # 312 but data at 77 %
    assert r.overall_level == 4


# ---- what the next level takes --------------------------------------------------------


def test_next_level_names_the_missing_condition_and_the_pillars_to_lift(dbi):
    from scoring.next_level import next_level

    r = run(dbi, 30, 10, 32, 25, 19, 13)  # 129 points, three pillars at 3: level 2
    step = next_level(dbi, r)
    assert step.level == 3
    total, pillars = step.conditions
    assert (total.kind, total.needed, total.now, total.met) == ("total_points", 128, 129, True)
    assert (pillars.kind, pillars.needed, pillars.now, pillars.met) == ("pillars", 4, 3, False)
    # ops 38.5 %, culture 38 %, data 37.1 %: closest to the 40 % threshold first
    assert pillars.pillars == ("ops", "culture", "data")
    assert step.missing == (pillars,)


def test_next_level_when_only_the_total_is_short(dbi):
    from scoring.next_level import next_level

    r = run(dbi, 26, 10, 32, 26, 19, 15)  # 128 points, four pillars at 3: level 2
    step = next_level(dbi, r)
    assert step.level == 3 and [c.kind for c in step.missing] == ["total_points"]


def test_no_next_level_at_the_top(dbi):
    from scoring.next_level import next_level

    assert next_level(dbi, run(dbi, 65, 25, 80, 65, 50, 35)) is None


def test_next_level_of_a_weighted_mean_rule():
    from scoring.next_level import next_level

    q = load_yaml(
        """
id: dmat_like
version: "1"
title: {vi: D, en: D}
description: {vi: d, en: d}
levels:
  - {level: 0, name: {vi: Cơ bản, en: Basic}, meaning: {vi: a, en: a}}
  - {level: 1, name: {vi: Trung bình, en: Average}, meaning: {vi: b, en: b}}
pillars:
  - id: a
    name: {vi: A, en: A}
    questions: [{id: qa, type: scale, min: 0, max: 10, text: {vi: c, en: q}}]
  - id: b
    name: {vi: B, en: B}
    weight: 3
    questions: [{id: qb, type: scale, min: 0, max: 10, text: {vi: c, en: q}}]
rules:
  pillar_levels: [{level: 1, min_percent: 50}]
  overall: {method: weighted_mean, bands: [{level: 1, min_percent: 40}]}
""",
        "dmat_like.yaml",
    )
    r = score_assessment(q, {"qa": 10, "qb": 0})  # (100 × 1 + 0 × 3) / 4 = 25 %
    step = next_level(q, r)
    assert step.level == 1
    (cond,) = step.conditions
    assert (cond.kind, cond.needed, cond.now, cond.met) == ("mean_percent", 40, 25, False)
    assert next_level(q, score_assessment(q, {"qa": 10, "qb": 10})) is None


def test_the_pillars_to_lift_are_as_many_as_are_missing(dbi):
    from scoring.next_level import next_level

    r = run(dbi, 0, 0, 0, 7, 5, 4)  # three pillars at level 1 (ops, culture, data): one more needed
    total, pillars = next_level(dbi, r).conditions
    assert not pillars.met and (pillars.needed, pillars.now) == (4, 3)
    assert len(pillars.lift) == 1 and pillars.lift == pillars.pillars[:1]
    assert total.lift == ()
