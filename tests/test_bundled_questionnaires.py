"""The bundled questionnaires as content: the DBI 2021 structure, the quick check's promise,
and that every answer below the top tells the owner what to do next."""

from __future__ import annotations

from collections import Counter

import pytest

from scoring.catalogue import load_catalogue
from scoring.engine import pillar_maxima, question_max, score_assessment, visible_questions
from scoring.loader import load_bundled
from scoring.model import (
    CompositeRule,
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    ScaleQuestion,
    SingleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from tests.e2e_helpers import choose

DBI_PILLARS = ["customer", "strategy", "infrastructure", "operations", "culture", "data"]
DBI_MAXIMA = {"customer": 65, "strategy": 25, "infrastructure": 80, "operations": 65, "culture": 50, "data": 35}
DBI_CRITERIA = {"customer": 13, "strategy": 1, "infrastructure": 16, "operations": 13, "culture": 10, "data": 7}
DBI_LEVELS_VI = ["Chưa chuyển đổi số", "Khởi động", "Bắt đầu", "Hình thành", "Nâng cao", "Dẫn dắt"]


@pytest.fixture(scope="module")
def dbi():
    return load_bundled("dbi_sme")


@pytest.fixture(scope="module")
def quick():
    return load_bundled("quick_check")


def _all_answers(q, how: str, **fixed) -> dict:
    """The best or weakest answer to every shown question, in order; ``fixed`` answers win."""
    answers: dict = {}
    for _, question in q.questions():
        if visible_questions(q, answers).get(question.id):
            value = fixed.get(question.id, choose(question, how))
            if value is not None:
                answers[question.id] = value
    return answers


def test_dbi_has_the_six_pillars_and_their_maxima(dbi):
    assert [p.id for p in dbi.pillars] == DBI_PILLARS
    assert pillar_maxima(dbi) == DBI_MAXIMA
    assert sum(pillar_maxima(dbi).values()) == 320


def test_dbi_has_sixty_criteria_of_five_points_and_one_strategy_criterion_of_25(dbi):
    criteria = Counter()
    for pillar, question in dbi.questions():
        top = question_max(question)
        if top == 0:
            continue
        criteria[pillar.id] += 1
        if pillar.id == "strategy":
            assert top == 25
            assert isinstance(question, SingleQuestion)
            assert sorted(o.points for o in question.options) == [0, 5, 10, 15, 20, 25]
        else:
            assert top == 5, f"{question.id}: a DBI criterion scores 0–5, this one {top}"
    assert dict(criteria) == DBI_CRITERIA
    assert sum(criteria.values()) == 60


def test_dbi_levels_and_rules_are_the_decision_1970_ones(dbi):
    assert [lv.level for lv in dbi.levels] == [0, 1, 2, 3, 4, 5]
    assert [lv.name.get("vi") for lv in dbi.levels] == DBI_LEVELS_VI
    # Bảng 2: "trên 10% đến 20%" …: strictly above, the upper bound stays in the lower level
    assert [(t.level, t.above_percent, t.min_percent) for t in dbi.rules.pillar_levels] == [
        (1, 10, None), (2, 20, None), (3, 40, None), (4, 60, None), (5, 80, None),
    ]
    overall = dbi.rules.overall
    assert isinstance(overall, CompositeRule)
    # 2.2: above 20/64/128/192/256 of 320 points, as shares of the firm's own maximum
    assert [(r.level, r.total_percent_above, r.total_above, r.min_pillars) for r in overall.requirements] == [
        (1, 6.25, None, 4), (2, 20, None, 4), (3, 40, None, 4), (4, 60, None, 5), (5, 80, None, 6),
    ]
    assert [r.total_percent_above * 320 / 100 for r in overall.requirements] == [20, 64, 128, 192, 256]


def test_dbi_asks_which_tools_are_in_use_and_what_holds_the_firm_back(dbi):
    categories = {c.id for c in load_catalogue().categories}
    multis = [q for _, q in dbi.questions() if isinstance(q, MultiQuestion)]
    tools = [q for q in multis if len({t for o in q.options for t in o.uses}) >= 10]
    assert tools, "a 'tools you already use' question whose options mark ten or more categories as in use"
    assert {t for o in tools[0].options for t in o.uses} <= categories
    barriers = [q for q in multis if q.scoring == "none" and len(q.options) >= 8]
    assert barriers, "an unscored barriers question"
    assert any(o.exclusive for o in barriers[0].options)


def test_dbi_uses_every_question_type(dbi):
    kinds = {type(q) for _, q in dbi.questions()}
    assert kinds >= {SingleQuestion, YesNoQuestion, MultiQuestion, ScaleQuestion, MatrixQuestion, NumberQuestion,
                     TextQuestion}
    assert any(q.allow_na for _, q in dbi.questions())
    assert any(q.show_if is not None for _, q in dbi.questions())


def test_dbi_extremes_give_levels_zero_and_five(dbi):
    low = score_assessment(dbi, _all_answers(dbi, "low", cx_offer="goods"))
    high = score_assessment(dbi, _all_answers(dbi, "high", cx_offer="goods"))
    assert (low.total, low.overall_level) == (0, 0)
    assert (high.total, high.max_total, high.overall_level) == (320, 320, 5)


def test_a_firm_selling_services_is_not_asked_about_stock_and_its_maximum_shrinks(dbi):
    """The goods-only criteria are hidden, not scored as zero: a service firm is not marked down."""
    result = score_assessment(dbi, _all_answers(dbi, "high", cx_offer="services"))
    hidden = [qid for qid, qr in result.questions.items() if qr.status == "hidden"]
    assert len(hidden) >= 3
    assert result.max_total == 320 - 5 * len(hidden)
    assert result.overall_level == 5


def test_quick_check_is_short_indicative_and_speaks_the_same_levels(dbi, quick):
    assert len(quick.questions()) <= 15
    assert quick.indicative and quick.indicative_note is not None
    assert quick.indicative_note.get("vi") and quick.indicative_note.get("en")
    assert [p.id for p in quick.pillars] == DBI_PILLARS
    assert [lv.name.get("vi") for lv in quick.levels] == [lv.name.get("vi") for lv in dbi.levels]
    assert not dbi.indicative


@pytest.mark.parametrize("name", ["dbi_sme", "quick_check"])
def test_every_answer_below_the_top_comes_with_advice(name):
    """Change one answer of a perfect firm at a time: each weaker answer must say what to do."""
    q = load_bundled(name)
    best = _all_answers(q, "high", cx_offer="goods")
    missing = []
    for _, question in q.questions():
        top = question_max(question)
        if top == 0:
            continue
        weaker = []
        if isinstance(question, (SingleQuestion, YesNoQuestion)):
            weaker = [o.id for o in question.options if o.points < top]
        elif isinstance(question, NumberQuestion):
            weaker = [b.from_ for b in question.bands if b.points < top]
        elif isinstance(question, ScaleQuestion):
            weaker = [question.min]
        elif isinstance(question, MultiQuestion):
            exclusive = [o.id for o in question.options if o.exclusive]
            weaker = [[e] for e in exclusive] + [[o.id for o in question.options if not o.exclusive][:1]]
        elif isinstance(question, MatrixQuestion):
            low = min(question.options, key=lambda o: o.points).id
            weaker = [{r.id: low for r in question.rows}]
        for value in weaker:
            result = score_assessment(q, dict(best, **{question.id: value}))
            texts = [a.text for a in result.advice if a.question == question.id]
            if not texts or not all(t.get("vi") and t.get("en") for t in texts):
                missing.append(f"{question.id}={value!r}")
    assert not missing, f"no advice for: {missing}"
