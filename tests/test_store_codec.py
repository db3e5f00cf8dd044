"""The answer codec (scoring/codec.py) and the bulk gap tags (scoring.bulk.gap_tags): pure,
no database. Property tests: decode(encode(a)) == a for every question type and for odd
values; the bulk path's gap tags equal ``score_assessment(...).gaps``, row by row."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.bulk import answers_to_frame, gap_tags, score_frame
from scoring.codec import CodecError, codec_for
from scoring.engine import score_assessment
from scoring.sample import random_answers
from tests.conftest import TINY, load_yaml
from tests.test_bulk import QUESTIONNAIRES

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.parametrize("name", sorted(QUESTIONNAIRES))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), skill=st.none() | st.floats(0, 1))
def test_codec_round_trips_random_valid_answers(name, seed, skill):
    q = QUESTIONNAIRES[name]()
    answers = random_answers(q, random.Random(seed), skill=skill)
    packed, extra = codec_for(q).encode(answers)
    assert codec_for(q).decode(packed, extra) == answers
    texts = {q2.id for _, q2 in q.questions() if q2.type == "text"}
    assert set(extra) <= texts | {k for k, v in answers.items() if not isinstance(v, (str, int, float, list, dict))} | set(extra)
    assert len(packed) <= 1 + sum(1 + (9 if q2.type in ("number", "matrix") else 3) * (len(getattr(q2, "rows", ())) or 1)
                                  for _, q2 in q.questions())


@settings(max_examples=150, deadline=None)
@given(answers=st.dictionaries(
    st.sampled_from(["has_site", "site_updates", "channels", "skill", "online_share", "practices", "notes", "other"]),
    JSON_VALUES | st.sampled_from(["na", "yes", "no", "weekly", ["zalo", "fb"], ["fb", "zalo"], {"backup": "no", "passwords": "fully"}]),
))
def test_codec_round_trips_any_json_answers(answers):
    q = load_yaml(TINY)
    packed, extra = codec_for(q).encode(answers)
    assert codec_for(q).decode(packed, extra) == answers


def test_codec_packs_choices_and_keeps_text_apart():
    q = load_yaml(TINY)
    answers = {
        "has_site": "yes", "site_updates": "weekly", "channels": ["zalo", "fb"], "skill": 3,
        "online_share": 12.5, "practices": {"backup": "partly", "passwords": "fully"}, "notes": "Tên: Nguyễn Văn A",
    }
    packed, extra = codec_for(q).encode(answers)
    assert extra == {"notes": "Tên: Nguyễn Văn A"}  # free text never packed
    assert packed[0] == 1 and len(packed) == 1 + 2 + 2 + 2 + 2 + 9 + 3 + 1
    assert codec_for(q).decode(packed, extra) == answers
    # out of option order: kept as given, in extra
    packed, extra = codec_for(q).encode({"channels": ["fb", "zalo"]})
    assert extra == {"channels": ["fb", "zalo"]}


def test_codec_refuses_answers_of_another_version():
    q = load_yaml(TINY)
    packed, _ = codec_for(q).encode({"has_site": "yes", "skill": 4})
    other = load_yaml(TINY.replace("      - id: notes\n        type: text\n        text: {vi: Ghi chú, en: Notes}\n", ""))
    with pytest.raises(CodecError, match="left over|end"):
        codec_for(other).decode(packed + b"\x02\x05")
    with pytest.raises(CodecError, match="format"):
        codec_for(q).decode(b"\x09" + packed[1:])


@pytest.mark.parametrize("name", sorted(QUESTIONNAIRES))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9))
def test_bulk_gap_tags_equal_the_single_path(name, seed):
    q = QUESTIONNAIRES[name]()
    rng = random.Random(seed)
    sets = [random_answers(q, rng, skill=rng.random()) for _ in range(40)]
    frame = answers_to_frame(q, sets)
    score_frame(q, frame)  # valid rows only
    bulk = gap_tags(q, frame)
    assert bulk.lists() == [score_assessment(q, s).gaps for s in sets]
    slots = {tag: i for i, tag in enumerate(sorted(bulk.tags), start=1)}
    masks = bulk.masks(slots)
    for mask, s in zip(masks.tolist(), sets):
        assert {t for t, i in slots.items() if mask >> (i - 1) & 1} == set(score_assessment(q, s).gaps)
