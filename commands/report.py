"""``report``: the PDF roadmap for one set of answers."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from commands.scoring import CommandError, guarded, read_answers, resolve_questionnaire
from scoring.engine import score_assessment
from scoring.model import FIRM_NAME_MAX, FirmProfile


def size_band(value: str) -> str:
    """A size band of the firm-profile reference (household … large), for ``--size``; read when
    the option is given, so that a command without it does not load the reference."""
    from scoring.profile import load_profile_reference

    bands = [b.id for b in load_profile_reference().size_bands]
    if value not in bands:
        raise argparse.ArgumentTypeError(f"one of {', '.join(bands)}, got {value[:40]!r}")
    return value


def sector_letter(value: str) -> str:
    """A VSIC section of the firm-profile reference (``G``; a lower-case letter is accepted)."""
    from scoring.profile import load_profile_reference

    letter = value.strip().upper()
    if not re.fullmatch(r"[A-Z]", letter) or load_profile_reference().sector(letter) is None:
        raise argparse.ArgumentTypeError(f"a VSIC section letter A–U, got {value!r}")
    return letter


def firm_name(value: str) -> str:
    """The firm's name, bounded before anything is drawn: a name of a million characters once
    kept the PDF renderer busy for eleven minutes."""
    name = " ".join(value.split())
    if len(name) > FIRM_NAME_MAX:
        raise argparse.ArgumentTypeError(f"at most {FIRM_NAME_MAX} characters, got {len(name):,}")
    return name


def staff_count(value: str) -> int:
    try:
        staff = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number of staff, got {value[:40]!r}") from None
    if not 0 <= staff <= 10_000_000:
        raise argparse.ArgumentTypeError(f"a number of staff from 0 to 10,000,000, got {staff:,}")
    return staff


def province_id(value: str) -> str:
    """A province id of the reference list (``ha_noi``); a former or a written name is mapped."""
    from scoring.profile import load_profile_reference

    ref = load_profile_reference()
    key = value.strip()
    if ref.province(key) is not None:
        return key
    found = ref.province_from_name(key[:200])
    if found is None:
        raise argparse.ArgumentTypeError(f"no province {value[:60]!r}; use an id such as ha_noi or ho_chi_minh")
    return found.id


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date as YYYY-MM-DD, got {value!r}") from None


def cmd_report(args: argparse.Namespace) -> int:
    from report import render_pdf
    from scoring.recommend import recommend

    q = resolve_questionnaire(args.questionnaire)
    answers = read_answers(args.answers, q)
    result = score_assessment(q, answers)  # AnswerError: every problem, exit 1 (guarded)
    profile = FirmProfile(
        name=args.name, sector=args.sector, size_band=args.size, province=args.province, staff=args.staff
    )
    recs = recommend(q, result, profile)  # a broken catalogue or roadmap: `guarded` lists every problem
    pdf = render_pdf(q, result, recs, profile, lang=args.lang, answers=answers, when=args.date)
    if args.output == "-":
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(args.output).write_bytes(pdf)
    except OSError as exc:
        raise CommandError(f"{args.output}: cannot write: {exc.strerror}") from None
    print(f"{args.output}: {len(pdf):,} bytes, level {result.overall_level}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the PDF roadmap (results, roadmap, platforms) for one set of answers")
    p.add_argument("questionnaire", metavar="QUESTIONNAIRE", help="a YAML path or a bundled id (dbi_sme)")
    p.add_argument("answers", metavar="ANSWERS.json", help="JSON answers; - reads stdin")
    p.add_argument("-o", "--output", required=True, help="the PDF file to write; - writes to stdout")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the report (default vi)")
    p.add_argument("--name", type=firm_name, help=f"the firm's name, printed on the cover and in the header (at most {FIRM_NAME_MAX} characters)")
    p.add_argument("--sector", type=sector_letter, help="VSIC section letter A–U, e.g. G (wholesale and retail)")
    p.add_argument("--size", type=size_band, metavar="BAND", help="a size band of the profile reference, e.g. micro")
    p.add_argument("--staff", type=staff_count, help="number of staff (SMEdx free trials are for under 50)")
    p.add_argument("--province", type=province_id, help="province id, e.g. ha_noi")
    p.add_argument("--date", type=_date, help="the report's date, YYYY-MM-DD (default today)")
    p.set_defaults(func=guarded(cmd_report))
