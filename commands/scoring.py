"""``validate``, ``describe`` and ``score``: the questionnaire and scoring commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from scoring.bulk import BulkAnswerError, score_frame
from scoring.engine import AnswerError, pillar_maxima, question_max, score_assessment
from scoring.loader import QuestionnaireError, bundled_paths, load_questionnaire
from scoring.model import MatrixQuestion, NumberQuestion, Questionnaire, ScaleQuestion


def resolve_questionnaire(name: str) -> Questionnaire:
    """A path to a YAML file, or the id of a bundled questionnaire (``dbi_sme``)."""
    path = Path(name)
    if not path.exists():
        for candidate in bundled_paths():
            if candidate.stem == name:
                path = candidate
                break
    return load_questionnaire(path)


def read_json(name: str) -> Any:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


class CommandError(Exception):
    """An expected failure: printed as one message, exit code 1."""


def guarded(func):
    """Turn the expected errors into messages on stderr and exit code 1, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return func(args) or 0
        except QuestionnaireError as exc:
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
        item: dict[str, Any] = {
            "id": question.id,
            "pillar": pillar.id,
            "type": question.type,
            "required": question.required,
            "allows_na": question.allow_na,
            "max_points": question_max(question),
            "options": [{"id": o.id, "points": o.points, "exclusive": o.exclusive} for o in getattr(question, "options", ())],
            "rows": [r.id for r in question.rows] if isinstance(question, MatrixQuestion) else [],
            "min": question.min if isinstance(question, (NumberQuestion, ScaleQuestion)) else None,
            "max": question.max if isinstance(question, (NumberQuestion, ScaleQuestion)) else None,
            "show_if": question.show_if.model_dump(by_alias=True, exclude_none=True) if question.show_if else None,
        }
        if question.type == "multi":
            item["scoring"] = question.scoring
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
    answers = read_json(args.answers)
    if not isinstance(answers, dict):
        raise CommandError(f"{args.answers}: expected a JSON object {{question_id: answer}}")
    result = score_assessment(q, answers)
    json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _score_csv(q: Questionnaire, args: argparse.Namespace) -> int:
    try:
        frame = pd.read_csv(args.csv, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise CommandError(f"{args.csv}: cannot read CSV: {exc}") from None
    known = {question.id for _, question in q.questions()}
    passthrough = [c for c in frame.columns if c not in known]
    scores = score_frame(q, frame)
    out = pd.concat([frame[passthrough], scores], axis=1)
    target = args.output or sys.stdout
    out.to_csv(target, index=False, float_format="%.4f")
    if args.output:
        print(f"{len(out)} rows scored → {args.output}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check questionnaire YAML files; every problem on stderr")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=guarded(cmd_validate))

    p = sub.add_parser("describe", help="a questionnaire's structure as JSON (to generate valid answers)")
    p.add_argument("questionnaire", metavar="QUESTIONNAIRE", help="a YAML path or a bundled id (dbi_sme)")
    p.set_defaults(func=guarded(cmd_describe))

    p = sub.add_parser("score", help="score answers (JSON) or many rows (--csv) against a questionnaire")
    p.add_argument("questionnaire", metavar="QUESTIONNAIRE", help="a YAML path or a bundled id (dbi_sme)")
    p.add_argument("answers", nargs="?", metavar="ANSWERS.json", help="JSON answers; - reads stdin")
    p.add_argument("--csv", metavar="FILE", help="score every row of a CSV (a column per question)")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the scored CSV (default stdout)")
    p.set_defaults(func=guarded(cmd_score))
