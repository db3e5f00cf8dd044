"""The questionnaire loader: every problem at once, each with file, YAML path and line."""

from __future__ import annotations

import pytest

from scoring.loader import MAX_BYTES, QuestionnaireError, load_questionnaire
from tests.conftest import TINY, load_yaml


def problems_of(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as info:
        load_yaml(text, "bad.yaml")
    return [str(p) for p in info.value.problems]


def test_tiny_loads_with_a_stable_hash(tiny):
    again = load_yaml(TINY, "other-name.yaml")
    assert tiny.content_hash == again.content_hash
    assert len(tiny.content_hash) == 64
    changed = load_yaml(TINY.replace("points: 4, uses", "points: 3, uses"))
    assert changed.content_hash != tiny.content_hash


def test_yes_no_stay_strings(tiny):
    q = tiny.question("has_site")
    assert [o.id for o in q.options] == ["yes", "no"]
    assert q.options[0].label.get("vi") == "Có"
    practices = tiny.question("practices")
    assert practices.options[0].id == "no" and practices.options[0].label.get("en") == "No"


def test_every_problem_reported_at_once_with_paths_and_lines():
    text = TINY.replace('en: "Has a website?"', 'fr: "Un site?"', 1)  # missing en
    text = text.replace("id: site_updates", "id: has_site")  # duplicate id
    text = text.replace("{question: has_site, in: [\"yes\"]}", "{question: nowhere, in: [\"yes\"]}")
    text = text.replace("{level: 2, min_percent: 75}", "{level: 2, min_percent: 20}")  # not increasing
    found = problems_of(text)
    joined = "\n".join(found)
    assert "bad.yaml:" in joined
    assert "pillars[0].questions[0].text: missing 'en' translation" in joined
    assert "pillars[0].questions[1].id: duplicate question id 'has_site'" in joined
    assert "pillars[0].questions[1].show_if.question: unknown question 'nowhere'" in joined
    assert "rules.pillar_levels[1].min_percent: thresholds must increase" in joined
    assert len(found) == 4
    assert all(line.startswith("bad.yaml:") for line in found)


def test_shape_errors_name_the_path_and_line():
    text = TINY.replace("{id: fully, label: {vi: Đầy đủ, en: Fully}, points: 2}", "{id: fully, label: {vi: Đầy đủ, en: Fully}, points: lots}")
    text = text.replace("        max_points: 4\n", "        max_points: 4\n        colour: red\n")
    found = problems_of(text)
    lines = {line.split(": ", 1)[1] for line in found}
    assert any(x.startswith("pillars[1].questions[2].options[2].points:") for x in lines), found
    assert any(x.startswith("pillars[0].questions[2].colour: unknown field") for x in lines), found
    points_line = next(line for line in found if "options[2].points" in line)
    expected_line = text.splitlines().index(
        "          - {id: fully, label: {vi: Đầy đủ, en: Fully}, points: lots}"
    ) + 1
    assert points_line.startswith(f"bad.yaml:{expected_line}:")


def test_show_if_must_look_back():
    text = TINY.replace("show_if: {question: has_site, in: [\"yes\"]}", "show_if: {question: skill, at_least: 2}")
    found = problems_of(text)
    assert any("show_if.question: 'skill' comes later" in p for p in found)


def test_show_if_value_must_be_an_option():
    found = problems_of(TINY.replace('in: ["yes"]', 'in: ["maybe"]'))
    assert any("show_if.in[0]: 'maybe' is not an option of 'has_site'" in p for p in found)


def test_pillar_with_nothing_to_score():
    text = TINY.replace(
        """      - id: skill
        type: scale""",
        """      - id: skill
        type: scale
        max_points: 0""",
    )
    text = text.replace("{from: 10, points: 2}", "{from: 10, points: 0}").replace("{from: 50, points: 4}", "{from: 50, points: 0}")
    text = text.replace("points: 1}", "points: 0}").replace("points: 2}\n      - id: notes", "points: 0}\n      - id: notes")
    found = problems_of(text)
    assert any("pillars[1]: pillar 'ops' has nothing to score" in p for p in found), found


def test_composite_rule_problems():
    text = TINY.replace("{level: 1, total_above: 4, min_pillars: 1}", "{level: 1, min_pillars: 3}")
    found = problems_of(text)
    assert any("rules.overall.requirements[0]: give exactly one of total_above and total_percent_above" in p for p in found)
    assert any("requirements[0].min_pillars: 3 pillars required but the questionnaire has 2" in p for p in found)


def test_invalid_yaml_names_line():
    found = problems_of("id: x\nversion: [1\n")
    assert found[0].startswith("bad.yaml:") and "not valid YAML" in found[0]


def test_alias_bomb_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(8):
        name = f"b{i}"
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        prev = name
    found = problems_of(bomb)
    assert "too many YAML nodes" in found[0]


def test_oversized_file_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * (MAX_BYTES + 10))
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    assert "huge.yaml" in str(info.value) and "limit" in str(info.value)


def test_python_tags_are_not_executed():
    found = problems_of("id: !!python/object/apply:os.system ['echo hacked']\n")
    assert "not valid YAML" in found[0]


def test_weighted_mean_framework_is_only_a_new_file():
    text = TINY.replace(
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
    q = load_yaml(text)
    assert q.rules.overall.method == "weighted_mean"
