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


# ---- the DBI rule as Decision 1970/QĐ-BTTTT writes it, worked by hand at each boundary ---
#
# Bảng 2: "trên 10% đến 20%" … "trên 80% đến 100%": the upper bound stays in the lower level
# (``above_percent``). Overall: "trên 20 / 64 / 128 / 192 / 256 điểm" of 320, written as
# shares of the firm's own maximum (6.25 / 20 / 40 / 60 / 80 %) so that hidden or N/A
# questions do not hold a firm to a higher share.

DBI_PILLARS = [("customer", 65), ("strategy", 25), ("infra", 80), ("ops", 65), ("culture", 50), ("data", 35)]
DBI_LEVELS = "".join(
    f"  - {{level: {i}, name: {{vi: M{i}, en: L{i}}}, meaning: {{vi: m{i}, en: l{i}}}}}\n" for i in range(6)
)
DBI_RULES = """rules:
  pillar_levels:
    - {level: 1, above_percent: 10}
    - {level: 2, above_percent: 20}
    - {level: 3, above_percent: 40}
    - {level: 4, above_percent: 60}
    - {level: 5, above_percent: 80}
  overall:
    method: composite
    requirements:
      - {level: 1, total_percent_above: 6.25, min_pillars: 4}
      - {level: 2, total_percent_above: 20, min_pillars: 4}
      - {level: 3, total_percent_above: 40, min_pillars: 4}
      - {level: 4, total_percent_above: 60, min_pillars: 5}
      - {level: 5, total_percent_above: 80, min_pillars: 6}
"""
DBI_LIKE = (
    """
id: dbi_like
version: "1"
title: {vi: DBI, en: DBI}
description: {vi: Thử quy tắc, en: Rule test}
levels:
"""
    + DBI_LEVELS
    + "pillars:\n"
    + "".join(
        f"""  - id: {pid}
    name: {{vi: {pid}, en: {pid}}}
    questions:
      - {{id: {pid}_q, type: scale, min: 0, max: {mx}, text: {{vi: câu, en: question}}}}
"""
        for pid, mx in DBI_PILLARS
    )
    + DBI_RULES
)
# the same questionnaire where the customer pillar has a goods-only question worth 5 of its 65
# points, hidden from a firm that sells services (its maximum is then 315)
DBI_GOODS = (
    DBI_LIKE.replace("id: dbi_like", "id: dbi_goods")
    .replace(
        "      - {id: customer_q, type: scale, min: 0, max: 65, text: {vi: câu, en: question}}\n",
        """      - id: offer
        type: single
        text: {vi: "Bán gì?", en: "Sells what?"}
        options:
          - {id: goods, label: {vi: Hàng, en: Goods}, points: 0}
          - {id: services, label: {vi: Dịch vụ, en: Services}, points: 0}
      - {id: customer_q, type: scale, min: 0, max: 60, text: {vi: câu, en: question}}
      - {id: stock_q, type: scale, min: 0, max: 5, show_if: {question: offer, in: [goods]}, text: {vi: kho, en: stock}}
""",
    )
)

PILLARS = [pid for pid, _ in DBI_PILLARS]


@pytest.fixture(scope="module")
def dbi_like():
    return load_yaml(DBI_LIKE, "dbi_like.yaml")


def run(dbi_like, *points):
    return score_assessment(dbi_like, {f"{p}_q": v for p, v in zip(PILLARS, points)})


def levels(r):
    return [r.pillars[p].level for p in PILLARS]


def test_the_decisions_worked_example_39_of_65_is_level_3(dbi_like):
    # "Doanh nghiệp có tổng điểm của trụ cột Trải nghiệm số cho khách hàng là 39 điểm thì …
    # đạt mức 3 - đã hình thành" (Decision 1970, under Bảng 2)
    assert run(dbi_like, 39, 0, 0, 0, 0, 0).pillars["customer"].level == 3
    assert run(dbi_like, 40, 0, 0, 0, 0, 0).pillars["customer"].level == 4


def test_every_strategy_answer_sits_on_a_boundary(dbi_like):
    # the strategy criterion scores 0/5/10/15/20/25: each is an upper bound of Bảng 2
    got = [run(dbi_like, 0, s, 0, 0, 0, 0).pillars["strategy"].level for s in (0, 5, 10, 15, 20, 25)]
    assert got == [0, 1, 2, 3, 4, 5]


def test_upper_bounds_stay_in_the_lower_level(dbi_like):
    r = run(dbi_like, 0, 0, 8, 7, 0, 0)  # infra 8/80 = exactly 10 % → 0; ops 7/65 = 10.8 % → 1
    assert r.pillars["infra"].level == 0 and r.pillars["ops"].level == 1
    r = run(dbi_like, 13, 5, 16, 39, 40, 28)  # exactly 20 %, 20 %, 20 %, 60 %, 80 %, 80 %
    assert levels(r) == [1, 1, 1, 3, 4, 4]
    r = run(dbi_like, 14, 6, 17, 40, 41, 29)  # one point more each
    assert levels(r) == [2, 2, 2, 4, 5, 5]


def test_pillars_45_15_56_45_30_21_are_overall_level_3(dbi_like):
    r = run(dbi_like, 45, 15, 56, 45, 30, 21)  # 69 %, 60 %, 70 %, 69 %, 60 %, 60 %
    assert r.total == 212
    assert levels(r) == [4, 3, 4, 4, 3, 3]  # three at 4: level 4 needs five
    assert r.overall_level == 3


def test_total_above_128_with_three_pillars_at_level_3_is_level_2(dbi_like):
    r = run(dbi_like, 30, 11, 33, 25, 17, 13)  # 46 %, 44 %, 41 %, 38.5 %, 34 %, 37 %
    assert r.total == 129
    assert levels(r) == [3, 3, 3, 2, 2, 2]
    assert r.overall_level == 2


def test_total_128_with_four_pillars_at_level_3_is_level_2_and_129_is_3(dbi_like):
    r = run(dbi_like, 27, 11, 33, 27, 18, 12)  # four pillars just above 40 %
    assert levels(r)[:4] == [3, 3, 3, 3]
    assert r.total == 128 and r.overall_level == 2  # 128 is not above 128
    r = run(dbi_like, 27, 11, 33, 27, 19, 12)
    assert r.total == 129 and r.overall_level == 3


def test_level_0_and_1_boundaries(dbi_like):
    r = run(dbi_like, 7, 3, 0, 0, 6, 4)  # four pillars just above 10 %, 20 points
    assert levels(r) == [1, 1, 0, 0, 1, 1]
    assert r.total == 20 and r.overall_level == 0  # the total must be above 20
    r = run(dbi_like, 7, 3, 1, 0, 6, 4)
    assert r.total == 21 and r.overall_level == 1
    r = run(dbi_like, 6, 3, 8, 0, 6, 4)  # 27 points, but customer 9.2 % and infra exactly 10 %
    assert r.total == 27 and r.overall_level == 0


def test_level_4_needs_five_pillars(dbi_like):
    r = run(dbi_like, 40, 16, 49, 40, 31, 22)  # all six just above 60 %, 198 points
    assert r.total == 198 and r.overall_level == 4
    r = run(dbi_like, 40, 16, 49, 40, 30, 21)  # culture and data exactly 60 %: four at level 4
    assert r.overall_level == 3
    r = run(dbi_like, 65, 25, 80, 39, 30, 21)  # 260 points, three at level 4
    assert r.overall_level == 3


def test_level_5_needs_all_six(dbi_like):
    r = run(dbi_like, 53, 21, 65, 53, 41, 29)  # all six just above 80 %
    assert r.total == 262 and r.overall_level == 5
    r = run(dbi_like, 53, 21, 65, 53, 41, 28)  # data exactly 80 %
    assert r.overall_level == 4


def test_a_service_firm_is_held_to_the_same_share_as_a_goods_firm():
    q = load_yaml(DBI_GOODS, "dbi_goods.yaml")
    rest = {"strategy_q": 3, "infra_q": 0, "ops_q": 0, "culture_q": 6, "data_q": 4}
    goods = score_assessment(q, {"offer": "goods", "customer_q": 7, "stock_q": 0, **rest})
    services = score_assessment(q, {"offer": "services", "customer_q": 7, **rest})
    assert goods.max_total == 320 and services.max_total == 315
    assert goods.total == services.total == 20
    # four pillars at level 1 either way; 20 of 320 is not above 6.25 %, 20 of 315 is
    assert goods.overall_level == 0
    assert services.overall_level == 1


def test_at_least_bands_still_mean_at_least():
    q = load_yaml(DBI_LIKE.replace("above_percent", "min_percent"), "at_least.yaml")
    r = run(q, 13, 5, 16, 39, 40, 28)
    assert levels(r) == [2, 2, 2, 4, 5, 5]


def test_a_band_gives_exactly_one_threshold():
    from scoring.loader import QuestionnaireError

    with pytest.raises(QuestionnaireError) as info:
        load_yaml(DBI_LIKE.replace("{level: 2, above_percent: 20}", "{level: 2, above_percent: 20, min_percent: 20}"))
    assert any(
        "rules.pillar_levels[1]: give exactly one of min_percent (at least) and above_percent (strictly above)" in str(p)
        for p in info.value.problems
    )


OTHER_FRAMEWORK = """
id: dims
version: "1"
title: {vi: Sáu khía cạnh, en: Six dimensions}
description: {vi: Mỗi khía cạnh 0–100, en: Each dimension 0–100}
levels:
  - {level: 0, name: {vi: Cơ bản, en: Basic}, meaning: {vi: a, en: a}}
  - {level: 1, name: {vi: Trung bình, en: Average}, meaning: {vi: b, en: b}}
  - {level: 2, name: {vi: Khá, en: Moderately advanced}, meaning: {vi: c, en: c}}
  - {level: 3, name: {vi: Cao, en: Advanced}, meaning: {vi: d, en: d}}
pillars:
""" + "".join(
    f"""  - id: d{i}
    name: {{vi: Khía cạnh {i}, en: Dimension {i}}}
    questions:
      - id: d{i}_practices
        type: multi
        scoring: share
        max_points: 100
        text: {{vi: "Đang làm gì?", en: "What do you do?"}}
        options:
          - {{id: a, label: {{vi: A, en: A}}}}
          - {{id: b, label: {{vi: B, en: B}}}}
          - {{id: c, label: {{vi: C, en: C}}}}
          - {{id: d, label: {{vi: D, en: D}}}}
          - {{id: none, label: {{vi: Không, en: None}}, exclusive: true}}
"""
    for i in range(1, 7)
) + """rules:
  pillar_percent: mean_of_questions
  pillar_levels:
    - {level: 1, min_percent: 30}
    - {level: 2, min_percent: 50}
    - {level: 3, min_percent: 70}
  overall:
    method: weighted_mean
    bands:
      - {level: 1, min_percent: 30}
      - {level: 2, min_percent: 50}
      - {level: 3, min_percent: 70}
"""


def test_a_pillar_of_share_questions_is_scorable():
    # option points are unused: max_points alone gives the question its maximum
    q = load_yaml(OTHER_FRAMEWORK, "dims.yaml")
    answers = {f"d{i}_practices": ["a", "b", "c", "d"][:k] or ["none"] for i, k in zip(range(1, 7), (4, 3, 2, 2, 1, 0))}
    r = score_assessment(q, answers)
    assert [r.pillars[f"d{i}"].percent for i in range(1, 7)] == [100, 75, 50, 50, 25, 0]
    assert r.percent == 50 and r.overall_level == 2
    assert [r.pillars[f"d{i}"].level for i in range(1, 7)] == [3, 3, 2, 2, 0, 0]


# ---- what the next level takes --------------------------------------------------------


def test_next_level_names_the_missing_condition_and_the_pillars_to_lift(dbi_like):
    from scoring.next_level import next_level

    r = run(dbi_like, 30, 11, 33, 25, 19, 11)  # 129 points, three pillars at 3: level 2
    step = next_level(dbi_like, r)
    assert step.level == 3
    total, pillars = step.conditions
    assert (total.kind, total.needed, total.met) == ("total_percent", 40, True)
    assert total.now == pytest.approx(129 / 320 * 100)
    assert (total.points_needed, total.points_now) == (128, 129)
    assert (pillars.kind, pillars.needed, pillars.now, pillars.met) == ("pillars", 4, 3, False)
    # ops 38.5 %, culture 38 %, data 31.4 %: closest to the 40 % threshold first
    assert pillars.pillars == ("ops", "culture", "data")
    assert step.missing == (pillars,)


def test_next_level_when_only_the_total_is_short(dbi_like):
    from scoring.next_level import next_level

    r = run(dbi_like, 27, 11, 33, 27, 18, 12)  # 128 points, four pillars at 3: level 2
    step = next_level(dbi_like, r)
    assert step.level == 3 and [c.kind for c in step.missing] == ["total_percent"]


def test_no_next_level_at_the_top(dbi_like):
    from scoring.next_level import next_level

    assert next_level(dbi_like, run(dbi_like, 65, 25, 80, 65, 50, 35)) is None


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


def test_the_pillars_to_lift_are_as_many_as_are_missing(dbi_like):
    from scoring.next_level import next_level

    r = run(dbi_like, 0, 0, 0, 7, 6, 4)  # three pillars at level 1 (ops, culture, data): one more needed
    total, pillars = next_level(dbi_like, r).conditions
    assert not pillars.met and (pillars.needed, pillars.now) == (4, 3)
    assert len(pillars.lift) == 1 and pillars.lift == pillars.pillars[:1]
    assert total.lift == ()
