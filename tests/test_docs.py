"""The documentation against the code: README's command examples parse with the real command
line, and every function, method and record docs/INTERFACES.md names exists with the parameters
and fields it documents (a renamed parameter, a dropped field or a number the code no longer
keeps fails here, not in a reader's hands)."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import random
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
INTERFACES = (ROOT / "docs" / "INTERFACES.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- README's commands


def _readme_commands(prefix: str) -> list[str]:
    """The indented example lines that start with ``prefix`` (comments after ``#`` dropped)."""
    out = []
    for line in README.splitlines():
        stripped = line.strip()
        if line.startswith("    ") and stripped.startswith(prefix):
            out.append(re.sub(r"\s+#.*$", "", stripped))
    return out


def _variants(tokens: list[str]) -> list[list[str]]:
    """``csv|xlsx|parquet`` stands for three commands; ``[filters]`` for optional words left out."""
    tokens = [t for t in tokens if not (t.startswith("[") and t.endswith("]"))]
    for i, token in enumerate(tokens):
        if "|" in token:
            return [v for alt in token.split("|") for v in _variants(tokens[:i] + [alt] + tokens[i + 1:])]
    return [tokens]


CLI_EXAMPLES = _readme_commands("python cli.py ")


def test_readme_shows_the_command_line():
    assert len(CLI_EXAMPLES) >= 8, CLI_EXAMPLES
    assert {line.split()[2] for line in CLI_EXAMPLES} >= {"validate", "describe", "score", "recommend", "report"}


@pytest.mark.parametrize("line", CLI_EXAMPLES)
def test_each_readme_command_parses(line):
    parser = cli.build_parser()
    for words in _variants(shlex.split(line)[2:]):
        try:
            args = parser.parse_args(words)
        except SystemExit as exc:  # argparse refused it: the README shows a command that does not exist
            pytest.fail(f"README: {line!r} ({' '.join(words)}) is refused by cli.py (exit {exc.code})")
        assert callable(args.func)


@pytest.mark.parametrize("line", _readme_commands("python -m "))
def test_each_readme_module_exists(line):
    module = shlex.split(line)[2]
    assert importlib.util.find_spec(module) is not None, f"README runs {module}, which does not exist"


# ---------------------------------------------------------------- INTERFACES: functions


def _split_top(text: str) -> list[str]:
    """Split at commas outside brackets: ``a, b: dict[str, int], c=(1, 2)`` → three parts."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _documented_names(args: str) -> list[str]:
    """The parameter or field names a documented call spells out; descriptions ("pyarrow array"),
    literal values ("dbi_sme") and alternatives (``record | layout_id``) name none."""
    names = []
    for part in _split_top(" ".join(args.split())):
        if part in ("*", "...") or part.startswith("..."):
            continue
        head = re.split(r"[:=]", part, maxsplit=1)[0].strip().lstrip("*")
        if head.isidentifier():
            names.append(head)
    return names


def _accepted(obj: Any) -> tuple[set[str], bool]:
    """The names a callable or a record accepts, and whether it takes any keyword (``**kw``)."""
    if dataclasses.is_dataclass(obj):
        return {f.name for f in dataclasses.fields(obj)}, False
    if isinstance(obj, type) and hasattr(obj, "model_fields"):
        return set(obj.model_fields), False
    signature = inspect.signature(obj)
    names = {p.name for p in signature.parameters.values()}
    return names, any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())


SECTIONS = {  # where an unqualified name of each section of INTERFACES.md lives, after the module last named
    "scoring/": ["scoring.model", "scoring.engine", "scoring.loader", "scoring.next_level", "scoring.catalogue"],
    "report/": ["report", "report.models", "scoring.engine"],
    "store/": ["store.Store", "store", "store.records", "store.imports", "store.mapping"],
    "deploy/": ["deploy.local_stack"],
}
NOT_FUNCTIONS = {"on_problem"}  # a callback the caller passes: its parameters are described, not defined
INSTANCES = {"q": "scoring.questions.QuestionBase"}  # ``q.points(value)``: a method of any question


def _resolve(dotted: str) -> Any:
    """``scoring.engine.score_assessment``, ``store.Store`` or ``scoring.model.Text.get``."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise LookupError(dotted)


def _is_module(dotted: str) -> bool:
    """A module path (``store.mapping``), not a name inside one (``store.mapping.header_key``)."""
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ModuleNotFoundError, ValueError):
        return False


def _interface_calls() -> list[tuple[str, str, str, list[str]]]:
    """(section, name as written, its arguments, the places to look for it) in document order."""
    found = []
    section, last_module = "", ""
    pattern = re.compile(r"^## (\S+)|`((?:scoring|report|store|deploy)(?:\.\w+)*)`"
                         r"|`([A-Za-z_][\w.]*)\(((?:[^`()]|\([^`()]*\))*)\)(?:\s*->[^`]*)?`", re.M)
    for m in pattern.finditer(INTERFACES):
        if m.group(1):
            section, last_module = m.group(1), ""
            continue
        if m.group(2):  # `scoring.datafile`: the names after it are that module's
            if _is_module(m.group(2)):
                last_module = m.group(2)
            continue
        name, args = m.group(3), m.group(4)
        if name.split(".")[0] in INSTANCES:
            name = INSTANCES[name.split(".")[0]] + name[name.index("."):]
            places = [""]
        elif "." in name and name.split(".")[0] in ("scoring", "report", "store", "deploy"):
            module = name.rsplit(".", 1)[0]
            places = [""]
            last_module = module
        else:
            places = [p for p in [last_module, *SECTIONS.get(section, [])] if p]
        found.append((section, name, args, places))
    return found


CALLS = _interface_calls()


def test_interfaces_names_enough_to_check():
    assert len(CALLS) > 50, len(CALLS)


@pytest.mark.parametrize(("section", "name", "args", "places"), CALLS,
                         ids=[f"{c[0]}{c[1]}" for c in CALLS])
def test_each_documented_call_exists_with_its_parameters(section, name, args, places):
    if name in NOT_FUNCTIONS:
        return
    target = None
    for place in places:
        try:
            found = _resolve(f"{place}.{name}" if place else name)
        except (LookupError, AttributeError):
            continue
        if callable(found):  # a module of the same name (store.export) is not the method meant
            target = found
            break
    assert target is not None, f"INTERFACES.md ({section}) names {name}(…), found in none of {places}"
    accepted, any_keyword = _accepted(target)
    nested = dict(re.findall(r"(\w+)\(([^()]*)\)", args))  # Platform(... fits(size_band, sector))
    for method, method_args in nested.items():
        assert hasattr(target, method), f"{name} has no {method}()"
        method_names, _ = _accepted(getattr(target, method))
        missing = set(_documented_names(method_args)) - method_names
        assert not missing, f"{name}.{method}: documented parameters {sorted(missing)} are not in the code"
    plain = re.sub(r"\w+\([^()]*\)", "", args)
    missing = set(_documented_names(plain)) - accepted
    assert any_keyword or not missing, f"{name}: documented parameters {sorted(missing)} are not in the code ({sorted(accepted)})"


# ---------------------------------------------------------------- INTERFACES: records in code blocks


def _python_blocks() -> list[tuple[str, str]]:
    """(section, code) of each ```python block."""
    out, section = [], ""
    for m in re.finditer(r"^## (\S+)|```python\n(.*?)```", INTERFACES, re.S | re.M):
        if m.group(1):
            section = m.group(1)
        else:
            out.append((section, m.group(2)))
    return out


RECORD_HOMES = ["scoring.model", "scoring.recommend", "report.models"]


def _records() -> list[tuple[str, list[str], list[str]]]:
    """(class name, documented fields, documented methods) from the python blocks."""
    records = []
    for _, code in _python_blocks():
        code = "\n".join(line.split("#", 1)[0].rstrip() for line in code.splitlines())
        for m in re.finditer(r"class (\w+)[^\n]*:\n((?:[ \t]+[^\n]*\n?)*)", code):
            body = m.group(2)
            fields = re.findall(r"(?:^|;)\s*(\w+)\s*:", body, re.M)
            methods = re.findall(r"def (\w+)\(", body)
            records.append((m.group(1), [f for f in fields if f != "self"], methods))
        for m in re.finditer(r"^\s*([A-Z]\w+)\(((?:[^()]|\([^()]*\))*)\)", code, re.M):
            records.append((m.group(1), _documented_names(m.group(2)), []))
    return records


RECORDS = _records()


def test_interfaces_documents_the_records():
    assert {"FirmProfile", "CategoryRec", "RoadmapAction", "Recommendations", "RoomSummary", "StaffBrief"} <= {
        r[0] for r in RECORDS}


@pytest.mark.parametrize(("name", "fields", "methods"), RECORDS, ids=[r[0] for r in RECORDS])
def test_each_documented_record_has_its_fields(name, fields, methods):
    home = next((h for h in RECORD_HOMES if hasattr(importlib.import_module(h), name)), None)
    assert home is not None, f"INTERFACES.md documents {name}, found in none of {RECORD_HOMES}"
    cls = getattr(importlib.import_module(home), name)
    accepted, _ = _accepted(cls)
    missing = set(fields) - accepted
    assert not missing, f"{name}: documented fields {sorted(missing)} are not in the code ({sorted(accepted)})"
    for method in methods:
        assert callable(getattr(cls, method, None)), f"{name} has no {method}()"


# ---------------------------------------------------------------- INTERFACES: numbers it promises


def test_the_documented_number_of_platforms_per_category():
    """INTERFACES says how many platforms a category of ``Recommendations.categories`` carries:
    the recommendations of many firms keep to it, and a kind of tool no platform fits carries none."""
    found = re.search(r"platforms: list\[PlatformPick\]\s*#\s*(\d+) to (\d+) in Recommendations\.categories",
                      INTERFACES)
    assert found, "INTERFACES.md no longer says how many platforms a category carries"
    low, high = int(found.group(1)), int(found.group(2))
    from scoring.engine import score_assessment
    from scoring.loader import load_bundled
    from scoring.model import FirmProfile
    from scoring.recommend import BUDGETS, recommend
    from scoring.sample import random_answers

    rng = random.Random(16)
    seen = 0
    for qid in ("quick_check", "dbi_sme"):
        q = load_bundled(qid)
        for i in range(12):
            result = score_assessment(q, random_answers(q, rng, skill=i / 12))
            profile = FirmProfile(sector="GCIAF"[i % 5], size_band=["household", "micro", "small", "medium"][i % 4])
            recs = recommend(q, result, profile, budget=(None, *BUDGETS)[i % 5])
            for category in recs.categories:
                assert low <= len(category.platforms) <= high, (qid, i, category.category, len(category.platforms))
                seen += 1
            assert all(not c.platforms and c.platform_note is not None for c in recs.without_platforms)
    assert seen > 20
