"""PDF report benchmark: ``python -m bench.report``.

Two measures, each timing ``render_pdf`` alone (answers, scoring and recommendations are made
beforehand):

- **random**: ``--n`` reports of random full assessments (seeded:
  ``scoring.sample.random_answers``), one by one, then ``--batch`` in a row;
- **weak**: the longest report, a weak firm's (every answer low: the most gaps, advice and
  roadmap steps), rendered ``--runs`` times. Target: median ≤ 0.2 s. Its baseline, in the same
  run and interleaved with it run by run: the same report with reportlab's own
  ``Paragraph.wrap`` (lines broken again at every wrap, as before ``report.layout.Para``); the
  two must give the same bytes.

The machine's load average is printed with the figures (other work on the cores slows every
wall-clock figure; the weak report's CPU time, of this process only, is printed beside it). The
last line is JSON: ``{"median_seconds", "batch100_seconds", "pages", "weak_median_seconds",
"weak_min_seconds", "weak_cpu_median_seconds", "weak_pages", "weak_runs",
"weak_baseline_median_seconds", "weak_baseline_cpu_median_seconds", "same_bytes",
"load_average", "load_average_start"}``.

Uses the bundled questionnaire (``--questionnaire dbi_sme``) or a YAML path.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from datetime import date
from io import BytesIO
from pathlib import Path

import pypdf
from reportlab.platypus import Paragraph

from report import render_pdf
from report.layout import Para
from scoring.engine import score_assessment
from scoring.loader import QuestionnaireError, bundled_paths, load_questionnaire
from scoring.model import FirmProfile, Questionnaire
from scoring.sample import random_answers


def questionnaire(name: str) -> Questionnaire:
    path = Path(name)
    if path.exists():
        return load_questionnaire(path)
    for candidate in bundled_paths():
        if candidate.stem == name:
            return load_questionnaire(candidate)
    raise SystemExit(f"{name}: neither a YAML path nor a bundled questionnaire id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questionnaire", default="dbi_sme", help="a bundled id or a YAML path")
    parser.add_argument("--n", type=int, default=50, help="reports timed one by one")
    parser.add_argument("--batch", type=int, default=100, help="reports rendered in a row for the batch time")
    parser.add_argument("--runs", type=int, default=15, help="renders of the weak firm's report (and of its baseline)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    try:
        q = questionnaire(args.questionnaire)
    except QuestionnaireError as exc:
        raise SystemExit("\n".join(str(p) for p in exc.problems)) from None
    from scoring.recommend import recommend

    rng = random.Random(args.seed)
    sizes = ["household", "micro", "small", "medium"]
    cases = []
    t0 = time.perf_counter()
    for i in range(max(args.n, args.batch)):
        answers = random_answers(q, rng)
        result = score_assessment(q, answers)
        profile = FirmProfile(name=f"Công ty TNHH Thử Nghiệm Số {i}", sector=rng.choice("CGIFM"),
                              size_band=rng.choice(sizes), staff=rng.randint(1, 180))
        cases.append((result, recommend(q, result, profile), profile, answers, rng.choice(["vi", "en"])))
    print(f"prepared {len(cases)} assessments of {q.id} ({len(q.questions())} questions) "
          f"with recommendations in {time.perf_counter() - t0:.2f} s")

    when = date(2026, 1, 15)
    load_start = os.getloadavg()
    render_pdf(q, *cases[0][:3], lang="vi", answers=cases[0][3], when=when)  # warm: fonts, styles
    times = []
    pages = []
    for result, recs, profile, answers, lang in cases[: args.n]:
        t0 = time.perf_counter()
        pdf = render_pdf(q, result, recs, profile, lang=lang, answers=answers, when=when)
        times.append(time.perf_counter() - t0)
        pages.append(len(pypdf.PdfReader(BytesIO(pdf)).pages))
    t0 = time.perf_counter()
    for result, recs, profile, answers, lang in cases[: args.batch]:
        render_pdf(q, result, recs, profile, lang=lang, answers=answers, when=when)
    batch = time.perf_counter() - t0
    median = statistics.median(times)
    print(f"random: median {median:.3f} s, min {min(times):.3f} s, max {max(times):.3f} s over {len(times)} "
          f"reports; {args.batch} in a row: {batch:.2f} s; pages {min(pages)}–{max(pages)}")

    *weak, weak_answers = weak_case(q, args.seed)
    (weak_times, weak_pdf), (base_times, base_pdf) = interleaved(
        lambda: render_pdf(q, *weak, lang="vi", answers=weak_answers, when=when), args.runs)
    weak_pages = len(pypdf.PdfReader(BytesIO(weak_pdf)).pages)
    wall, cpu = [w for w, _ in weak_times], [c for _, c in weak_times]
    base_wall, base_cpu = [w for w, _ in base_times], [c for _, c in base_times]
    weak_median, base_median = statistics.median(wall), statistics.median(base_wall)
    same = weak_pdf == base_pdf
    load = os.getloadavg()
    print(f"weak firm: {weak_pages} pages, {args.runs} runs each, interleaved with the baseline (lines broken at "
          f"every wrap):\n  wall: median {weak_median:.3f} s, min {min(wall):.3f} s (target ≤ 0.2 s: "
          f"{'met' if weak_median <= 0.2 else 'missed'}); baseline median {base_median:.3f} s, min "
          f"{min(base_wall):.3f} s; {base_median / weak_median:.2f}× faster\n  CPU:  median "
          f"{statistics.median(cpu):.3f} s, min {min(cpu):.3f} s; baseline median {statistics.median(base_cpu):.3f} s, "
          f"min {min(base_cpu):.3f} s; {statistics.median(base_cpu) / statistics.median(cpu):.2f}× less CPU\n"
          f"  same bytes: {same}")
    print(f"load average (1, 5, 15 min) at the start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}, "
          f"at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, on {os.cpu_count()} cores (other work slows "
          f"every figure; the weak report and its baseline alike)")
    print(json.dumps({
        "median_seconds": round(median, 4),
        "batch100_seconds": round(batch * 100 / max(1, args.batch), 3),
        "pages": statistics.median(pages),
        "weak_median_seconds": round(weak_median, 4),
        "weak_min_seconds": round(min(wall), 4),
        "weak_cpu_median_seconds": round(statistics.median(cpu), 4),
        "weak_baseline_cpu_median_seconds": round(statistics.median(base_cpu), 4),
        "weak_pages": weak_pages,
        "weak_runs": args.runs,
        "weak_baseline_median_seconds": round(base_median, 4),
        "same_bytes": same,
        "load_average": round(load[0], 2),
        "load_average_start": round(load_start[0], 2),
    }))
    if not same:
        raise SystemExit("the memoised wrap changed the PDF: it must only save time")


def weak_case(q: Questionnaire, seed: int) -> tuple:
    """A weak firm (every answer leaning to the lowest): the longest report."""
    from scoring.recommend import recommend

    answers = random_answers(q, random.Random(seed), skill=0.0)
    result = score_assessment(q, answers)
    profile = FirmProfile(name="Hộ kinh doanh Thử Nghiệm Yếu", sector="G", size_band="micro", province="ha_noi",
                          staff=4)
    return result, recommend(q, result, profile), profile, answers


def interleaved(render, runs: int) -> tuple[tuple[list[tuple[float, float]], bytes], tuple[list[tuple[float, float]], bytes]]:
    """(wall, CPU) seconds of ``render`` with report.layout's Para (lines broken once per width) and
    with reportlab's own ``Paragraph.wrap`` (the baseline), run by run in alternating order, so that
    other work on the shared cores slows both alike. CPU time (this process only) is what a quiet
    machine's wall time would be, near enough, when others keep the cores busy."""
    memo_wrap = Para.wrap

    def once(baseline: bool) -> tuple[tuple[float, float], bytes]:
        Para.wrap = Paragraph.wrap if baseline else memo_wrap
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            pdf = render()
            return (time.perf_counter() - t0, time.process_time() - c0), pdf
        finally:
            Para.wrap = memo_wrap

    once(False), once(True)  # warm both
    memo: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    memo_pdf = base_pdf = b""
    for i in range(max(1, runs)):
        for baseline in ((False, True) if i % 2 == 0 else (True, False)):
            seconds, pdf = once(baseline)
            if baseline:
                base.append(seconds)
                base_pdf = pdf
            else:
                memo.append(seconds)
                memo_pdf = pdf
    return (memo, memo_pdf), (base, base_pdf)


if __name__ == "__main__":
    main()
