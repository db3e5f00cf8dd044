"""Combining a team's answers (scoring.team): the documented rule, where respondents differ,
and that a combination always scores (``pytest -k team``)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import score_assessment
from scoring.loader import load_bundled
from scoring.sample import random_answers
from scoring.team import Response, combine, disagreements, pillar_spread
from tests.conftest import HIGH, LOW, TINY, load_yaml

MID = {
    "has_site": "yes",
    "site_updates": "never",
    "channels": ["zalo"],
    "skill": 2,
    "online_share": 20,
    "practices": {"backup": "partly", "passwords": "no"},
}


def test_team_one_respondent_is_that_respondent(tiny):
    assert combine(tiny, [Response("owner", HIGH)]) == HIGH
    assert combine(tiny, [Response("owner", LOW)]) == LOW


def test_team_the_median_respondent_answers_ordered_questions(tiny):
    combined = combine(tiny, [Response("owner", HIGH), Response("accounting", LOW), Response("sales", MID)])
    assert combined["has_site"] == "yes"  # two of three said yes
    assert combined["skill"] == 2 and combined["online_share"] == 20
    assert combined["practices"] == {"backup": "partly", "passwords": "no"}
    # site_updates was shown to two (the two "yes"): never (0) and weekly (4) → the lower middle
    assert combined["site_updates"] == "never"
    assert combined["channels"] == ["zalo"]  # zalo ticked by 2 of 3, fb by 1


def test_team_an_even_count_takes_the_cautious_middle_unless_the_questionnaire_says_otherwise(tiny):
    pair = [Response("owner", HIGH), Response("accounting", MID)]
    assert combine(tiny, pair)["skill"] == 2
    high = load_yaml(
        TINY.replace("  overall:\n    method: composite", "  team: {ordinal: median_high, multi: any}\n  overall:\n    method: composite")
    )
    assert high.rules.team.ordinal == "median_high"
    combined = combine(high, pair)
    assert combined["skill"] == 4 and sorted(combined["channels"]) == ["fb", "zalo"]


def test_team_none_of_these_and_na(tiny):
    combined = combine(tiny, [Response("a", {**LOW}), Response("b", {**LOW}), Response("c", {**HIGH})])
    assert combined["channels"] == ["none"]
    na = {**MID, "channels": "na", "online_share": "na"}
    combined = combine(tiny, [Response("a", na), Response("b", na), Response("c", MID)])
    assert combined["channels"] == "na" and combined["online_share"] == "na"
    combined = combine(tiny, [Response("a", na), Response("b", MID), Response("c", MID)])
    assert combined["channels"] == ["zalo"] and combined["online_share"] == 20


def test_team_disagreements_widest_first_with_who_said_what(tiny):
    found = disagreements(tiny, [Response("owner", HIGH), Response("accounting", LOW), Response("sales", HIGH)])
    assert [d.question for d in found][:2] == ["has_site", "channels"]
    first = found[0]
    assert first.spread == 1.0 and first.low == ("accounting", "no") and first.high[1] == "yes"
    assert disagreements(tiny, [Response("owner", HIGH), Response("sales", HIGH)]) == []


def test_team_pillar_spread(tiny):
    results = [("owner", score_assessment(tiny, HIGH)), ("accounting", score_assessment(tiny, LOW))]
    spread = {s.pillar: s for s in pillar_spread(tiny, results)}
    assert spread["sales"].high == 100 and spread["sales"].low == 0
    assert dict(spread["ops"].by_role)["owner"] == 100


@pytest.mark.parametrize("name", ["quick_check", "dbi_sme"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6))
def test_team_a_combination_always_scores(name, seed, n):
    q = load_bundled(name)
    rng = random.Random(seed)
    responses = [Response(f"r{i}", random_answers(q, rng, skill=rng.random())) for i in range(n)]
    score_assessment(q, combine(q, responses))  # raises AnswerError if a combination is not a valid answer set
