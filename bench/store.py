"""Storage benchmark: ``python -m bench.store --n 1000000 [--url DATABASE_URL]``.

Loads N demo assessments into a fresh database (default: a temporary SQLite file; with a
PostgreSQL URL, a new database ``sme_bench_<random>`` on that server, dropped afterwards),
then times a filtered aggregate (province × sector → mean pillar percent and the overall
level distribution; then again with every pillar's level distribution too) and a full
streamed CSV export. The export runs in
a child process so its peak memory is the export's own and not the load's.
Prints figures and, as its last line, JSON.
Targets on a 2-core machine: aggregate ≤ 1 s; export ≤ 15 s within 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scoring.loader import load_bundled, load_questionnaire_text
from scoring.model import Questionnaire
from store import Filters, Store
from store.db import normalise_url
from store.demo import generate


def synthetic_dbi() -> Questionnaire:
    """A DBI-shaped stand-in (6 pillars, 60 criteria of 0–5 points, DBI level rules) for
    when questionnaires/dbi_sme.yaml is not there yet."""
    pillars = {"customer": 13, "strategy": 1, "infrastructure": 16, "operations": 13, "culture": 10, "data": 7}
    levels = "\n".join(
        f"  - {{level: {i}, name: {{vi: M{i}, en: L{i}}}, meaning: {{vi: Mức {i}, en: Level {i}}}}}" for i in range(6)
    )
    blocks = []
    for pid, count in pillars.items():
        questions = []
        for j in range(count):
            options = "\n".join(
                f"          - {{id: o{k}, label: {{vi: Mức {k}, en: Level {k}}}, points: {k * (5 if pid == 'strategy' else 1)},"
                f" advice: {{vi: Cải thiện {pid} {j}, en: Improve {pid} {j}}}}}"
                for k in range(6)
            )
            questions.append(
                f"      - id: {pid}_{j}\n        type: single\n        allow_na: {str(j % 4 == 3).lower()}\n"
                f"        text: {{vi: Câu {pid} {j}, en: Question {pid} {j}}}\n        options:\n{options}"
            )
        blocks.append(f"  - id: {pid}\n    name: {{vi: {pid}, en: {pid}}}\n    questions:\n" + "\n".join(questions))
    rules = """
rules:
  pillar_levels:
    - {level: 1, min_percent: 10}
    - {level: 2, min_percent: 20}
    - {level: 3, min_percent: 40}
    - {level: 4, min_percent: 60}
    - {level: 5, min_percent: 80}
  overall:
    method: composite
    requirements:
      - {level: 1, total_above: 20, min_pillars: 4}
      - {level: 2, total_above: 64, min_pillars: 4}
      - {level: 3, total_above: 128, min_pillars: 4}
      - {level: 4, total_above: 192, min_pillars: 5}
      - {level: 5, total_above: 256, min_pillars: 6}
"""
    yaml_text = (
        'id: dbi_sme\nversion: "bench"\ntitle: {vi: DBI, en: DBI}\ndescription: {vi: Thử, en: Bench}\n'
        f"levels:\n{levels}\npillars:\n" + "\n".join(blocks) + textwrap.dedent(rules)
    )
    return load_questionnaire_text(yaml_text, "synthetic-dbi.yaml")


def questionnaire(name: str) -> tuple[Questionnaire, str]:
    try:
        return load_bundled(name), f"questionnaires/{name}.yaml"
    except KeyError:
        if name != "dbi_sme":
            raise
        return synthetic_dbi(), "synthetic DBI-shaped stand-in (questionnaires/dbi_sme.yaml not found)"


def fresh_database(url: str | None) -> tuple[str, Callable[[], None]]:
    """A URL to an empty database and a function that removes it."""
    if url is None:
        folder = tempfile.mkdtemp(prefix="sme-bench-")
        return f"sqlite:///{folder}/bench.db", lambda: shutil.rmtree(folder, ignore_errors=True)
    u = make_url(normalise_url(url))
    if u.get_backend_name() == "sqlite":
        if u.database and Path(u.database).exists():
            raise SystemExit(f"{u.database} exists: the benchmark needs a fresh database")
        return str(u), lambda: None
    name = f"sme_bench_{secrets.token_hex(4)}"
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return u.set(database=name).render_as_string(hide_password=False), drop


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the current program
    image; ``ru_maxrss`` would also count the parent's peak, which survives fork + exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def export_child(url: str, out: str) -> None:
    """Runs in its own process: times the export and reports this process's peak memory."""
    store = Store(url, migrate=False)
    before = peak_rss_mb()
    started = time.perf_counter()
    rows = store.export(out, "csv")
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_rss_mb(), "before_mb": before}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="a server to benchmark on (PostgreSQL: a fresh database is made there)")
    parser.add_argument("--questionnaire", default="dbi_sme")
    parser.add_argument("--repeat", type=int, default=3, help="aggregate runs; the median is reported")
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    parser.add_argument("--export-child", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return

    q, source = questionnaire(args.questionnaire)
    url, remove = fresh_database(args.url)
    safe = make_url(url).render_as_string(hide_password=True)
    print(f"questionnaire: {q.id} v{q.version}, {len(q.pillars)} pillars, {len(q.questions())} questions — {source}")
    print(f"database: {safe}")
    store = Store(url, migrate=True)
    try:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done == total or done % 200_000 < 20_000:
                rate = done / (time.perf_counter() - started)
                print(f"  loaded {done:,}/{total:,} ({rate:,.0f}/s)", flush=True)

        summary = generate(store, q, args.n, args.seed, progress=progress)
        load = time.perf_counter() - started
        # the load leaves gigabytes of dirty pages: write them back now, so the kernel's
        # writeback does not run during (and get timed as part of) the queries below
        os.sync()
        print(
            f"load: {args.n:,} assessments in {load:.1f} s ({summary.submitted:,} submitted, "
            f"{summary.drafts:,} drafts, {summary.follow_ups:,} follow-ups)"
        )

        filters = Filters(questionnaire_id=q.id, date_from=date.today() - timedelta(days=3 * 365))

        def timed(pillar_levels: bool) -> tuple[list[float], object]:
            runs, frame = [], None
            for _ in range(max(1, args.repeat)):
                t0 = time.perf_counter()
                frame = store.aggregate(filters, by=["province", "sector"], pillar_levels=pillar_levels)
                runs.append(time.perf_counter() - t0)
            return runs, frame

        runs, frame = timed(False)
        aggregate = statistics.median(runs)
        print(
            f"aggregate province × sector (mean pillar %, overall level distribution): "
            f"{', '.join(f'{r:.3f}' for r in runs)} s → {len(frame)} groups of ≥ 5, {len(frame.columns)} columns, "
            f"{int(frame['n'].sum()):,} firms"
        )
        runs_levels, frame = timed(True)
        aggregate_levels = statistics.median(runs_levels)
        print(
            f"  … plus each pillar's level distribution: {', '.join(f'{r:.3f}' for r in runs_levels)} s → "
            f"{len(frame.columns)} columns"
        )

        with tempfile.TemporaryDirectory(prefix="sme-bench-export-") as folder:
            out = Path(folder) / "export.csv"
            child = subprocess.run(
                [sys.executable, "-m", "bench.store", "--export-child", url, str(out)],
                capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent, check=False,
            )
            if child.returncode != 0:
                raise SystemExit(f"export failed:\n{child.stderr}")
            exported = json.loads(child.stdout.strip().splitlines()[-1])
            size = out.stat().st_size
        print(
            f"export csv: {exported['rows']:,} rows, {size / 1e6:.0f} MB in {exported['seconds']:.2f} s; "
            f"process peak {exported['peak_mb']:.0f} MB (of which {exported['before_mb']:.0f} MB before the export started)"
        )
        ok_agg = aggregate <= 1.0
        ok_exp = exported["seconds"] <= 15 and exported["peak_mb"] <= 500
        print(f"targets: aggregate ≤ 1 s {'met' if ok_agg else 'MISSED'}; export ≤ 15 s within 500 MB {'met' if ok_exp else 'MISSED'}")
    finally:
        store.close()
        if args.keep:
            print(f"kept: {safe}")
        else:
            remove()
    print(json.dumps({
        "n": args.n,
        "database": store.dialect,
        "load_seconds": round(load, 2),
        "aggregate_seconds": round(aggregate, 3),
        "aggregate_runs": [round(r, 3) for r in runs],
        "aggregate_pillar_levels_seconds": round(aggregate_levels, 3),
        "export_seconds": round(exported["seconds"], 2),
        "export_peak_mb": round(exported["peak_mb"], 1),
        "export_rows": exported["rows"],
    }))


if __name__ == "__main__":
    main()
