"""Bulk scoring benchmark: ``python -m bench.scoring --n 1000000``.

Makes N random valid dbi_sme assessments (seeded), scores them through the bulk path, times
the single path on a sample in the same run, and prints JSON as the last line.
Targets on a 2-core machine: 1 M in ≤ 2 s, ≥ 50× the single path.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from scoring.bulk import decode_cell, score_frame
from scoring.engine import score_assessment
from scoring.loader import load_bundled
from scoring.sample import random_answers, random_frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--questionnaire", default="dbi_sme")
    parser.add_argument("--sample", type=int, default=2000, help="assessments timed through the single path")
    parser.add_argument("--repeat", type=int, default=3, help="bulk runs; the best is reported")
    args = parser.parse_args()

    q = load_bundled(args.questionnaire)
    t0 = time.perf_counter()
    frame = random_frame(q, args.n, seed=args.seed)
    print(f"generated {args.n:,} assessments of {q.id} ({len(frame.columns)} questions) in {time.perf_counter() - t0:.2f} s")

    runs = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        scores = score_frame(q, frame)
        runs.append(time.perf_counter() - t0)
    bulk = min(runs)
    print(f"bulk path: {', '.join(f'{r:.3f}' for r in runs)} s (best {bulk:.3f} s); mean level {scores['overall_level'].mean():.2f}")

    rng = random.Random(args.seed)
    sample = [random_answers(q, rng) for _ in range(args.sample)]
    t0 = time.perf_counter()
    for answers in sample:
        score_assessment(q, answers)
    single = (time.perf_counter() - t0) / args.sample
    print(f"single path: {single * 1000:.3f} ms per assessment over {args.sample} assessments")

    # the same rows through both paths agree (a check, not a timing)
    for i in range(0, min(args.n, 50)):
        row = {c: decode_cell(q.question(c), frame.iloc[i][c]) for c in frame.columns}
        result = score_assessment(q, {k: v for k, v in row.items() if v is not None})
        assert result.total == scores.iloc[i]["total"]

    ratio = single * args.n / bulk
    print(f"ratio: {ratio:.0f}× (target ≥ 50×); 1 M target ≤ 2 s: {'met' if bulk * 1_000_000 / args.n <= 2 else 'missed'}")
    print(json.dumps({
        "n": args.n,
        "bulk_seconds": round(bulk, 4),
        "single_per_assessment_ms": round(single * 1000, 4),
        "ratio": round(ratio, 1),
        "bulk_runs": [round(r, 4) for r in runs],
        "bulk_median_seconds": round(statistics.median(runs), 4),
    }))


if __name__ == "__main__":
    main()
