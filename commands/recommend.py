"""``recommend``: platform categories, platforms and a phased roadmap for one set of answers."""

from __future__ import annotations

import argparse
import json
import sys

from commands.report import province_id, sector_letter, size_band, staff_count
from commands.scoring import guarded, read_answers, resolve_questionnaire
from scoring.engine import score_assessment
from scoring.model import FirmProfile
from scoring.recommend import BUDGETS, recommend


def cmd_recommend(args: argparse.Namespace) -> int:
    q = resolve_questionnaire(args.questionnaire)
    answers = read_answers(args.answers, q)
    result = score_assessment(q, answers)
    profile = FirmProfile(sector=args.sector, size_band=args.size, staff=args.staff, province=args.province)
    # a broken catalogue, roadmap or wording file raises a DataFileError: `guarded` lists every problem
    recs = recommend(q, result, profile, budget=args.budget)
    out = {
        "questionnaire": {"id": q.id, "version": q.version, "hash": q.content_hash},
        "overall_level": result.overall_level,
        "pillars": {pid: {"level": p.level, "percent": None if p.percent is None else round(p.percent, 2)} for pid, p in result.pillars.items()},
        **recs.to_dict(args.lang),
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "recommend", help="platform recommendations and a phased roadmap (JSON) for one set of answers"
    )
    p.add_argument("questionnaire", metavar="QUESTIONNAIRE", help="a YAML path or a bundled id (dbi_sme)")
    p.add_argument("answers", metavar="ANSWERS.json", help="JSON answers; - reads stdin")
    p.add_argument("--sector", type=sector_letter, help="VSIC section letter A–U, e.g. G (wholesale and retail)")
    p.add_argument("--size", type=size_band, metavar="BAND", help="a size band of the profile reference, e.g. micro")
    p.add_argument("--staff", type=staff_count, help="number of staff (decides SMEdx eligibility: under 50)")
    p.add_argument("--province", type=province_id, help="province id, e.g. ha_noi")
    p.add_argument("--budget", choices=BUDGETS, help="the highest price band the firm will pay (default: any)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the texts (default vi)")
    p.set_defaults(func=guarded(cmd_recommend))
