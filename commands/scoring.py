"""``validate``, ``describe`` and ``score``: the questionnaire and scoring commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scoring.bulk import BulkAnswerError
from scoring.datafile import DataFileError
from scoring.engine import AnswerError, pillar_maxima, score_assessment
from scoring.loader import QuestionnaireError, bundled_paths, load_questionnaire
from scoring.model import Questionnaire


def resolve_questionnaire(name: str) -> Questionnaire:
    """A path to a YAML file, or the id of a bundled questionnaire (``dbi_sme``)."""
    path = Path(name)
    if not path.exists():
        for candidate in bundled_paths():
            if candidate.stem == name:
                path = candidate
                break
    return load_questionnaire(path)


MAX_JSON_BYTES = 10_000_000  # an answer file is a few KB; this only stops a runaway file
MAX_INT_DIGITS = 30  # no answer needs more; Python itself refuses int("9" * 4301)
MAX_OPTION_ID = 200  # characters: longer is no option id, and is not echoed back in full


class CommandError(Exception):
    """An expected failure: printed as one message, exit code 1."""


class _JSONValueError(ValueError):
    """Raised from inside json.loads by the number hooks below."""


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _JSONValueError(f"a number of {digits} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _JSONValueError(f"the number {text[:40]} is out of range")
    return value


def _no_constant(name: str) -> Any:
    raise _JSONValueError(f"{name} is not a number JSON allows")


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without a byte-order mark); anything else is a clear error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and (raw[0] == 0 or raw[1] == 0)):
        raise CommandError(f"{name}: the file is UTF-16 or UTF-32 text; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); save it as UTF-8"
        ) from None


def read_json(name: str) -> Any:
    """Read a JSON file (``-``: stdin) with bounded size, depth and numbers: any input gets
    a value or a ``CommandError`` that says what is wrong, never a traceback."""
    try:
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_JSON_BYTES + 1)
        else:
            with open(name, "rb") as fh:
                raw = fh.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"{name}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_JSON_BYTES:
        raise CommandError(f"{name}: over the {MAX_JSON_BYTES:,}-byte limit for an answer file")
    text = _decode(raw, name)
    try:
        return json.loads(text, parse_int=_bounded_int, parse_float=_finite_float, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except _JSONValueError as exc:
        raise CommandError(f"{name}: not valid JSON: {exc}") from None
    except RecursionError:
        raise CommandError(f"{name}: not valid JSON: nested too deeply") from None


def read_answers(name: str, q: Questionnaire) -> dict[str, Any]:
    """An answers file: a JSON object whose values have the shapes answers have."""
    answers = read_json(name)
    if not isinstance(answers, dict):
        raise CommandError(f"{name}: expected a JSON object {{question_id: answer}}")
    problems = answer_shape_problems(q, answers)
    if problems:
        raise CommandError("\n".join(f"{name}: {p}" for p in problems))
    return answers


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def answer_shape_problems(q: Questionnaire, answers: dict[str, Any]) -> list[str]:
    """Values that are no answer at all (a list of lists, an object of numbers, an option id
    of a thousand characters): named here, before the engine looks at them."""
    kinds = {question.id: question for _, question in q.questions()}
    problems = []
    for key, value in answers.items():
        if len(key) > MAX_OPTION_ID:
            problems.append(f"{key[:40]}…: no question has an id of {len(key):,} characters")
            continue
        question = kinds.get(key)
        limit = getattr(question, "max_length", MAX_OPTION_ID) if question is not None else MAX_OPTION_ID
        if value is None or isinstance(value, bool | int | float):
            continue
        if isinstance(value, str):
            if len(value) > limit:
                problems.append(f"{key}: {len(value):,} characters; at most {limit:,} here")
        elif isinstance(value, list):
            if not all(isinstance(v, str) and len(v) <= MAX_OPTION_ID for v in value):
                problems.append(f"{key}: expected a list of option ids, got {_short(value)}")
        elif isinstance(value, dict):
            if not all(isinstance(v, str) and len(v) <= MAX_OPTION_ID for v in value.values()):
                problems.append(f"{key}: expected {{row: option id}}, got {_short(value)}")
        else:
            problems.append(f"{key}: not an answer: {_short(value)}")
    return problems


def guarded(func):
    """Turn the expected errors into messages on stderr and exit code 1, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return func(args) or 0
        except DataFileError as exc:  # a questionnaire, catalogue, roadmap, profile or wording file
            for p in exc.problems:
                print(p, file=sys.stderr)
            return 1
        except (AnswerError, BulkAnswerError) as exc:
            for p in exc.problems:
                print(f"{getattr(args, 'answers', None) or getattr(args, 'csv', '')}: {p}", file=sys.stderr)
            return 1
        except CommandError as exc:
            print(exc, file=sys.stderr)
            return 1

    return run


def cmd_validate(args: argparse.Namespace) -> int:
    failed = False
    for name in args.paths:
        try:
            q = load_questionnaire(name)
        except QuestionnaireError as exc:
            failed = True
            for p in exc.problems:
                print(p, file=sys.stderr)
            continue
        maxima = pillar_maxima(q)
        n_questions = len(q.questions())
        print(
            f"{name}: ok — {q.id} v{q.version}, {len(q.pillars)} pillars, {n_questions} questions, "
            f"{sum(maxima.values()):g} points, hash {q.content_hash[:12]}"
        )
    return 1 if failed else 0


def describe(q: Questionnaire) -> dict[str, Any]:
    maxima = pillar_maxima(q)
    questions = []
    for pillar, question in q.questions():
        structure = question.structure()  # options, rows, min, max (and a multi's scoring)
        item: dict[str, Any] = {
            "id": question.id,
            "pillar": pillar.id,
            "type": question.type,
            "required": question.required,
            "allows_na": question.allow_na,
            "max_points": question.maximum(),
            "options": structure.pop("options"),
            "rows": structure.pop("rows"),
            "min": structure.pop("min"),
            "max": structure.pop("max"),
            "show_if": question.show_if.model_dump(by_alias=True, exclude_none=True) if question.show_if else None,
            **structure,
        }
        questions.append(item)
    return {
        "id": q.id,
        "version": q.version,
        "hash": q.content_hash,
        "languages": list(q.languages),
        "indicative": q.indicative,
        "pillars": [{"id": p.id, "max": maxima[p.id], "weight": p.weight} for p in q.pillars],
        "levels": [{"level": lv.level, "name": lv.name.root} for lv in q.levels],
        "questions": questions,
    }


def cmd_describe(args: argparse.Namespace) -> int:
    q = resolve_questionnaire(args.questionnaire)
    json.dump(describe(q), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    q = resolve_questionnaire(args.questionnaire)
    if args.csv:
        return _score_csv(q, args)
    if not args.answers:
        raise CommandError("give ANSWERS.json (or - for stdin), or --csv FILE")
    answers = read_answers(args.answers, q)
    result = score_assessment(q, answers)
    json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


PARTIAL = 3  # exit code: some rows failed (the good ones are written, the bad ones listed)


def _score_csv(q: Questionnaire, args: argparse.Namespace) -> int:
    from commands import csv_batch

    try:
        batch = csv_batch.read_batch(args.csv, q)
    except csv_batch.BatchError as exc:
        raise CommandError(f"{args.csv}: {exc}") from None
    if batch.missing_questions:
        shown = ", ".join(batch.missing_questions[:10]) + (" …" if len(batch.missing_questions) > 10 else "")
        print(f"{args.csv}: note: no column for {_count(len(batch.missing_questions), 'required question')}: {shown}",
              file=sys.stderr)
    scores, good = csv_batch.score_batch(q, batch)
    out = csv_batch.scored_table(batch, scores, good)
    try:
        csv_batch.write_table(out, args.output)
    except OSError as exc:
        raise CommandError(f"{args.output}: cannot write: {exc.strerror}") from None
    errors = csv_batch.error_table(batch)
    n_bad = csv_batch.bad_row_count(errors)
    where = f" → {args.output}" if args.output and args.output != "-" else ""
    if not errors.num_rows:
        if where:
            print(f"{_count(out.num_rows, 'row')} scored{where}", file=sys.stderr)
        return 0
    error_path = Path(args.errors) if args.errors else csv_batch.default_error_path(args.csv, args.output)
    try:
        csv_batch.write_table(errors, str(error_path))
    except OSError as exc:
        raise CommandError(f"{error_path}: cannot write the error file: {exc.strerror}") from None
    for line in csv_batch.first_problems(errors, 10):
        print(f"{args.csv}: {line}", file=sys.stderr)
    if errors.num_rows > 10:
        print(f"{args.csv}: … {errors.num_rows - 10:,} more", file=sys.stderr)
    print(
        f"{_count(out.num_rows, 'row')} scored{where}; {_count(n_bad, 'row')} failed "
        f"({_count(errors.num_rows, 'problem')}) → {error_path}",
        file=sys.stderr,
    )
    return PARTIAL


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check questionnaire YAML files; every problem on stderr")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=guarded(cmd_validate))

    p = sub.add_parser("describe", help="a questionnaire's structure as JSON (to generate valid answers)")
    p.add_argument("questionnaire", metavar="QUESTIONNAIRE", help="a YAML path or a bundled id (dbi_sme)")
    p.set_defaults(func=guarded(cmd_describe))

    p = sub.add_parser(
        "score",
        help="score answers (JSON) or many rows (--csv) against a questionnaire",
        epilog=(
            "With --csv: the good rows are scored and written; each problem of the others goes to an "
            "error file (row, column, why). Exit code 0: every row scored; 3: some rows failed; 1: nothing "
            "could be done (the file or the questionnaire is broken). Text cells that a spreadsheet would "
            "run as a formula (starting with = + - @, tab or CR) are written with a leading '."
        ),
    )
    p.add_argument("questionnaire", metavar="QUESTIONNAIRE", help="a YAML path or a bundled id (dbi_sme)")
    p.add_argument("answers", nargs="?", metavar="ANSWERS.json", help="JSON answers; - reads stdin")
    p.add_argument("--csv", metavar="FILE", help="score every row of a CSV (a column per question)")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the scored CSV (default stdout)")
    p.add_argument(
        "--errors", metavar="FILE",
        help="where to list the rows that failed (default: OUTPUT.errors.csv, or CSV.errors.csv beside the input)",
    )
    p.set_defaults(func=guarded(cmd_score))
