"""Fuzzing the front doors: hundreds of generated broken questionnaires, answer files and CSV
batches, fed to the loader and to the command line in-process.

Each must end in a questionnaire that then scores cleanly, or in clear errors: problems that
each name the file, the YAML path and what is wrong; one message per line naming the answer
file; never a traceback, never the command line's "internal error" (a bug caught at the last
line of defence still counts as a failure here).
"""

from __future__ import annotations

import copy
import csv
import json
import math
import random
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.bulk import answers_to_frame, score_frame
from scoring.cells import needs_neutralising
from scoring.engine import score_assessment
from scoring.loader import QuestionnaireError, load_questionnaire_text
from scoring.model import Questionnaire
from scoring.sample import random_answers
from tests import cli_helpers
from tests.conftest import TINY

TINY_TEXT = textwrap.dedent(TINY)
TINY_DATA = yaml.safe_load(TINY_TEXT)
PROBLEM = re.compile(r"^fuzz\.yaml(:\d+)?: .+: \S.*$", re.S)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# ------------------------------------------------------------------ what to break things with

junk_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers().map(lambda n: n * 10**30),  # far beyond any float
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308, -5.0, 0.5]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["yes", "no", "maybe", "na", "", "=1+1", "\x00", "vi", "en", "single", "composite"]),
)
junk = st.recursive(
    junk_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["vi", "en", "id", "points", "x"]), inner, max_size=3),
    max_leaves=8,
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into the parsed TINY questionnaire (to pick one to break)."""
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, prefix + (i,))
    return out


PATHS = _paths(TINY_DATA)[1:]


def _mutate(data: Any, path: tuple, action: str, value: Any) -> Any:
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif action == "wrap":
        parent[last] = [parent[last]]
    return data


def check_loads_or_explains(text: str) -> Questionnaire | None:
    """Either a questionnaire that scores without error, or clear problems. Nothing else."""
    try:
        q = load_questionnaire_text(text, "fuzz.yaml")
    except QuestionnaireError as exc:
        assert exc.problems, "a QuestionnaireError must name its problems"
        for problem in exc.problems:
            assert problem.file == "fuzz.yaml" and problem.message.strip() and "\n" not in problem.message, problem
            assert problem.line is None or 1 <= problem.line <= text.count("\n") + 1, problem
            assert PROBLEM.match(str(problem)) and "Traceback" not in str(problem), str(problem)
        return None
    # a questionnaire the validator accepts must score: any valid answers, both paths
    rng = random.Random(7)
    sets = [random_answers(q, rng) for _ in range(5)]
    for answers in sets:
        result = score_assessment(q, answers)
        assert result.overall_level in {lv.level for lv in q.levels}
        assert result.percent is None or math.isfinite(result.percent)
    scores = score_frame(q, answers_to_frame(q, sets))
    assert list(scores["overall_level"]) == [score_assessment(q, a).overall_level for a in sets]
    return q


# ------------------------------------------------------------------ questionnaires


@settings(FUZZ, max_examples=300)
@given(
    path=st.sampled_from(PATHS),
    action=st.sampled_from(["replace", "replace", "replace", "delete", "duplicate", "wrap"]),
    value=junk,
)
def test_structurally_broken_questionnaires(path, action, value):
    data = _mutate(TINY_DATA, path, action, value)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    check_loads_or_explains(text)


YAML_SPECIALS = ["&a ", "*a", "!!python/object/apply:os.system ['x']", "{", "}", "[", "]", ": ", "- ", "\t", "'", '"',
                 "? ", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "<<: *a\n", ".nan", ".inf", "-.inf", "0x1F", "1e999",
                 "9" * 400, "\x07", "\ufeff", "#", "@", "`", "~"]


@settings(FUZZ, max_examples=250)
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["insert", "delete", "dup_line", "swap_lines"]),
                                st.one_of(st.sampled_from(YAML_SPECIALS), st.text(max_size=6))), min_size=1, max_size=4))
def test_textually_broken_questionnaires(edits, tmp_path_factory):
    text = TINY_TEXT
    for where, action, piece in edits:
        lines = text.split("\n")
        at = int(where * (len(text) - 1))
        line = int(where * (len(lines) - 1))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + 1 + len(piece):]
        elif action == "dup_line":
            text = "\n".join(lines[: line + 1] + [lines[line]] + lines[line + 1:])
        else:
            lines[line], lines[-2] = lines[-2], lines[line]
            text = "\n".join(lines)
    loaded = check_loads_or_explains(text)
    # the same file through the command line, in-process: ok, or every problem on one line each
    path = tmp_path_factory.mktemp("q") / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    code, err = run_cli(["validate", str(path)])
    assert code == (0 if loaded else 1), err
    assert all(line.startswith(f"{path}") for line in err.splitlines()), err


@settings(FUZZ, max_examples=60)
@given(depth=st.integers(1, 400), style=st.sampled_from(["flow_list", "flow_map", "block", "anchors"]))
def test_deeply_nested_questionnaires(depth, style):
    if style == "flow_list":
        text = "id: " + "[" * depth + "]" * depth
    elif style == "flow_map":
        text = "id: " + "{a: " * depth + "1" + "}" * depth
    elif style == "block":
        text = "id:\n" + "".join("  " * i + "- \n" for i in range(1, depth + 1))
    else:
        text = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, depth + 1))
    assert check_loads_or_explains(text) is None


# ------------------------------------------------------------------ answer files

def _nest(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=20), st.sampled_from(["yes", "no", "na", "zalo", "fb", "none", "weekly", "fully"])),
    _nest,
    max_leaves=12,
)
QUESTION_IDS = ["has_site", "site_updates", "channels", "skill", "online_share", "practices", "notes", "unknown"]


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "tiny.yaml"
    path.write_text(TINY_TEXT, encoding="utf-8")
    return path


def run_cli(args: list[str]) -> tuple[int, str]:
    done = cli_helpers.run_cli(*args)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done.returncode, done.stderr


@settings(FUZZ, max_examples=200)
@given(answers=st.dictionaries(st.sampled_from(QUESTION_IDS), json_values, max_size=8))
def test_generated_answer_files(answers, tiny_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("a") / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    code, err = run_cli(["score", str(tiny_path), str(path)])
    assert code in (0, 1)
    if code == 1:
        assert err and all(line.startswith(f"{path}: ") for line in err.strip().splitlines()), err


@settings(FUZZ, max_examples=150)
@given(raw=st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda s: s.encode("utf-8")),
    st.tuples(st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1258", "utf-8-sig"]), json_values)
    .map(lambda p: json.dumps({"has_site": p[1]}, ensure_ascii=False).encode(p[0], errors="replace")),
    st.integers(1, 3000).map(lambda n: b'{"skill": ' + b"[" * n + b"]" * n + b"}"),
))
def test_generated_answer_bytes(raw, tiny_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("b") / "answers.json"
    path.write_bytes(raw)
    for command in (["score", str(tiny_path)], ["recommend", "quick_check"]):
        code, err = run_cli([*command, str(path)])
        assert code in (0, 1)
        if code == 1:
            assert err.startswith(f"{path}: "), err


# ------------------------------------------------------------------ CSV batches

cells = st.one_of(st.sampled_from(["yes", "no", "na", "", "zalo|fb", "none", "4", "60", "-5", "1e400", "nan",
                                   "backup=fully;passwords=no", "=1+1", '"', "a,b", "\n"]), st.text(max_size=8))


@settings(FUZZ, max_examples=120)
@given(header=st.lists(st.sampled_from(QUESTION_IDS + ["firm", "=x"]), min_size=1, max_size=8, unique=True),
       rows=st.lists(st.lists(cells, min_size=0, max_size=9), max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1"]))
def test_generated_csv_batches(header, rows, encoding, tiny_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("c")
    source = folder / "many.csv"
    lines = [",".join(header)] + [",".join(row) for row in rows]
    source.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    out = folder / "out.csv"
    code, err = run_cli(["score", str(tiny_path), "--csv", str(source), "-o", str(out)])
    assert code in (0, 1, 3), err
    if code == 1:
        assert err.startswith(f"{source}: "), err
    else:
        with open(out, encoding="utf-8", newline="") as fh:
            written = list(csv.reader(fh))
        assert all(not needs_neutralising(cell) for row in written for cell in row), written
