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

Uses the bundled questionnaire (``--questionnaire dbi_sme`` or a YAML path); while it is not
there, a synthetic questionnaire of the DBI's shape (six pillars, 60 criteria of 0–5 points, the
strategy one 0–25, advice and capability tags on every answer below the top).
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
from scoring.loader import QuestionnaireError, bundled_paths, load_questionnaire, load_questionnaire_text
from scoring.model import FirmProfile, Questionnaire
from scoring.sample import random_answers

DBI_SHAPE = [  # pillar id, vi, en, criteria, capability tags their low answers reveal
    ("customer", "Trải nghiệm số cho khách hàng", "Customer digital experience", 13, ["marketing", "ecommerce", "crm"]),
    ("strategy", "Chiến lược", "Strategy", 1, []),
    ("infrastructure", "Hạ tầng và công nghệ số", "Digital infrastructure and technology", 16,
     ["cloud_office", "security_backup", "digital_signature"]),
    ("operations", "Vận hành", "Operations", 13, ["accounting", "e_invoice", "erp", "pos_inventory", "hr_payroll"]),
    ("culture", "Chuyển đổi số văn hóa doanh nghiệp", "Digital transformation of corporate culture", 10,
     ["cloud_office", "hr_payroll"]),
    ("data", "Dữ liệu và tài sản thông tin", "Data and information assets", 7, ["bi_data", "security_backup"]),
]
LEVELS = [("Chưa chuyển đổi số", "Not started"), ("Khởi động", "Initiating"), ("Bắt đầu", "Beginning"),
          ("Hình thành", "Forming"), ("Nâng cao", "Advanced"), ("Dẫn dắt", "Leading")]
STEPS = [("Chưa làm", "Not yet"), ("Mới thử", "Tried"), ("Một phần", "Partly"), ("Phần lớn", "Mostly"),
         ("Gần đủ", "Nearly all"), ("Đầy đủ, thường xuyên", "Fully, routinely")]


def synthetic_dbi() -> Questionnaire:
    """A questionnaire the size and shape of the DBI, for benchmarking before the real one exists."""
    lines = [
        "id: dbi_bench", 'version: "bench"', "title: {vi: Đánh giá DBI (thử tải), en: DBI assessment (benchmark)}",
        "description: {vi: Bộ câu hỏi tổng hợp, en: A synthetic questionnaire}", "levels:",
    ]
    for i, (vi, en) in enumerate(LEVELS):
        lines.append(f"  - {{level: {i}, name: {{vi: {vi}, en: {en}}}, meaning: {{vi: Doanh nghiệp ở mức {i} của "
                     f"chuyển đổi số, en: The firm is at level {i} of its digital transformation}}}}")
    lines.append("pillars:")
    for pid, vi, en, count, tags in DBI_SHAPE:
        lines += [f"  - id: {pid}", f"    name: {{vi: {vi}, en: {en}}}", "    questions:"]
        for k in range(1, count + 1):
            scale = 5 if count > 1 else 25
            tag = f"[{tags[k % len(tags)]}]" if tags else "[]"
            lines += [
                f"      - id: {pid}_{k:02d}",
                "        type: single",
                f"        allow_na: {'true' if k % 5 == 0 else 'false'}",
                f'        text: {{vi: "Tiêu chí {k} của {vi.lower()}: doanh nghiệp đã số hóa việc này đến đâu?", '
                f'en: "Criterion {k} of {en.lower()}: how far has the firm digitised this?"}}',
                "        options:",
            ]
            for step, (svi, sen) in enumerate(STEPS):
                points = step * scale // 5
                extra = ""
                if step < 5:
                    extra = (f", gaps: {tag}, advice: {{vi: \"Bước tiếp theo cho tiêu chí {k}: chọn một công cụ phù hợp, "
                             f"giao người phụ trách và đặt thời hạn ba tháng\", en: \"Next step for criterion {k}: choose "
                             f"a suitable tool, name who is responsible and set a three-month deadline\"}}")
                lines.append(f"          - {{id: s{step}, label: {{vi: \"{svi}\", en: \"{sen}\"}}, points: {points}{extra}}}")
    lines += [
        "rules:", "  pillar_levels:",
        *[f"    - {{level: {lv}, min_percent: {pc}}}" for lv, pc in ((1, 10), (2, 20), (3, 40), (4, 60), (5, 80))],
        "  overall:", "    method: composite", "    requirements:",
        "      - {level: 1, total_above: 20, min_pillars: 4}", "      - {level: 2, total_above: 64, min_pillars: 4}",
        "      - {level: 3, total_above: 128, min_pillars: 4}", "      - {level: 4, total_above: 192, min_pillars: 5}",
        "      - {level: 5, total_above: 256, min_pillars: 6}",
    ]
    return load_questionnaire_text("\n".join(lines) + "\n", "dbi_bench.yaml")


def questionnaire(name: str) -> Questionnaire:
    path = Path(name)
    if path.exists():
        return load_questionnaire(path)
    for candidate in bundled_paths():
        if candidate.stem == name:
            return load_questionnaire(candidate)
    print(f"{name}: not bundled yet; using a synthetic questionnaire of the DBI's shape (60 criteria)")
    return synthetic_dbi()


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
