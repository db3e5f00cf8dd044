"""``python cli.py validate | describe | score``: the command line in-process (``tests.cli_helpers``)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli as cli
from tests.conftest import TINY, needs_bundled

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def tiny_file(tmp_path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(textwrap.dedent(TINY), encoding="utf-8")
    return path


def test_validate_ok_and_bad(tiny_file, tmp_path):
    done = cli("validate", str(tiny_file))
    assert done.returncode == 0, done.stderr
    assert "tiny.yaml: ok — tiny v1, 2 pillars, 7 questions, 24 points" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(tiny_file.read_text().replace("id: site_updates", "id: has_site").replace("min_percent: 75", "min_percent: 5"))
    done = cli("validate", str(tiny_file), str(bad))
    assert done.returncode == 1
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith(str(bad)) for line in errors)
    assert "Traceback" not in done.stderr


@needs_bundled
def test_validate_bundled():
    paths = sorted(str(p) for p in (ROOT / "questionnaires").glob("*.yaml"))
    assert len(paths) >= 2, paths
    done = cli("validate", *paths)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(": ok — ") == len(paths)


def test_describe_gives_enough_to_generate_answers(tiny_file):
    done = cli("describe", str(tiny_file))
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["id"] == "tiny" and len(info["hash"]) == 64
    assert info["pillars"] == [{"id": "sales", "max": 12.0, "weight": 1.0}, {"id": "ops", "max": 12.0, "weight": 2.0}]
    by_id = {q["id"]: q for q in info["questions"]}
    assert by_id["site_updates"]["show_if"] == {"question": "has_site", "in": ["yes"]}
    assert by_id["practices"]["rows"] == ["backup", "passwords"]
    assert by_id["online_share"]["min"] == 0 and by_id["online_share"]["max"] == 100
    assert by_id["channels"]["allows_na"] is True
    assert [o["id"] for o in by_id["has_site"]["options"]] == ["yes", "no"]


def test_score_json_and_stdin(tiny_file, tmp_path):
    answers = {
        "has_site": "yes", "site_updates": "weekly", "channels": ["zalo"], "skill": 3,
        "online_share": 20, "practices": {"backup": "fully", "passwords": "partly"},
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers))
    done = cli("score", str(tiny_file), str(path))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["total"] == 18 and out["overall_level"] == 1
    assert out["pillars"]["sales"] == {"points": 10.0, "max": 12.0, "percent": 83.33, "level": 2, "na_count": 0, "answered": 3}
    done = cli("score", str(tiny_file), "-", stdin=json.dumps(answers))
    assert json.loads(done.stdout)["total"] == 18


def test_score_bad_answers_lists_every_problem(tiny_file, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"has_site": "maybe", "skill": 9}))
    done = cli("score", str(tiny_file), str(path))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert any("has_site: option 'maybe' is not offered" in x for x in lines)
    assert any("skill: 9 is outside 0–4" in x for x in lines)
    assert any("practices: required answer missing" in x for x in lines)
    path.write_text("{not json")
    done = cli("score", str(tiny_file), str(path))
    assert done.returncode == 1 and "not valid JSON" in done.stderr and "Traceback" not in done.stderr


def test_score_csv(tiny_file, tmp_path):
    csv = tmp_path / "many.csv"
    csv.write_text(
        "firm,has_site,site_updates,channels,skill,online_share,practices\n"
        "A,yes,weekly,zalo|fb,4,60,backup=fully;passwords=fully\n"
        "B,no,,none,0,na,backup=no;passwords=no\n"
    )
    out = tmp_path / "scored.csv"
    done = cli("score", str(tiny_file), "--csv", str(csv), "-o", str(out))
    assert done.returncode == 0, done.stderr
    import pandas as pd

    scored = pd.read_csv(out)
    assert list(scored["firm"]) == ["A", "B"]
    assert list(scored["overall_level"]) == [2, 0]
    assert list(scored["ops_na"]) == [0, 1]
    csv.write_text("firm,has_site\nA,perhaps\n")
    done = cli("score", str(tiny_file), "--csv", str(csv))
    assert done.returncode == 3 and "row 1: has_site: option 'perhaps' is not offered" in done.stderr
