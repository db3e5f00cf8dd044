"""Storage benchmark: ``python -m bench.store --n 1000000 [--url DATABASE_URL]``.

Loads N demo assessments into a fresh database (default: a temporary SQLite file; with a
PostgreSQL URL, a new database ``sme_bench_<random>`` on that server, dropped afterwards),
then measures:

- the load (``store.demo.generate``: bulk scoring, executemany / COPY in batches, the
  summary tables rebuilt once at the end);
- bytes per stored assessment, all in (tables, indexes, summaries, the questionnaire
  versions: the database's own size accounting);
- the staff aggregate province × sector × size band with every pillar's level
  distribution (``Store.staff.breakdown``), ``--repeat`` runs, min and median;
- the same aggregate in DuckDB over a Parquet copy of the same pooled rows (the export's
  Parquet file), as the yardstick: the target is within 2× of it;
- a full streamed CSV export, in a child process so its peak memory is the export's own.

Prints figures and, as its last line, JSON. Targets (issue 12, 2-core machine): load 1 M
≤ 60 s; ≤ 1 KB per assessment; aggregate ≤ 1 s SQLite, ≤ 0.5 s PostgreSQL, ≤ 2× DuckDB;
CSV export ≤ 10 s within 300 MB.
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
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scoring.loader import load_bundled
from scoring.model import Questionnaire
from store import Filters, Store
from store.db import normalise_url
from store.demo import generate


def questionnaire(name: str) -> tuple[Questionnaire, str]:
    """A bundled questionnaire by id (``dbi_sme``, ``quick_check``) and where it came from."""
    try:
        return load_bundled(name), f"questionnaires/{name}.yaml"
    except KeyError:
        raise SystemExit(f"no bundled questionnaire {name!r} in questionnaires/") from None


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


def export_child(url: str, out: str, fmt: str = "csv") -> None:
    """Runs in its own process: times the export and reports this process's peak memory."""
    store = Store(url, migrate=False)
    before = peak_rss_mb()
    started = time.perf_counter()
    rows = store.export(out, fmt)
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_rss_mb(), "before_mb": before}))


def run_export(url: str, fmt: str) -> dict:
    """A full export of ``fmt`` in a child process: rows, seconds, peak MB, bytes."""
    with tempfile.TemporaryDirectory(prefix="sme-bench-export-") as folder:
        out = Path(folder) / f"export.{fmt}"
        child = subprocess.run(
            [sys.executable, "-m", "bench.store", "--export-child", url, str(out), fmt],
            capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent, check=False,
        )
        if child.returncode != 0:
            raise SystemExit(f"export failed:\n{child.stderr}")
        result = json.loads(child.stdout.strip().splitlines()[-1])
        result["bytes"] = out.stat().st_size
    return result


def database_bytes(store: Store) -> tuple[int, dict[str, int]]:
    """The database's size, all in, and per table (indexes and TOAST included)."""
    with store.read() as conn:
        if store.dialect == "postgresql":
            rows = conn.execute(
                text(
                    "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                )
            ).all()
            return sum(int(r[1]) for r in rows), {r[0]: int(r[1]) for r in rows}
        tables = dict(conn.execute(text("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')")).all())
        sizes: dict[str, int] = {}
        for name, size in conn.execute(text("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")).all():
            table = tables.get(name, name)
            sizes[table] = sizes.get(table, 0) + int(size)
        page = conn.execute(text("PRAGMA page_size")).scalar_one()
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
        return int(page * pages), sizes


AGG_DIMENSIONS = ["province", "sector", "size_band"]


def duckdb_aggregate(parquet: Path, pillar_ids: list[str], levels: list[int], repeat: int) -> tuple[list[float], int]:
    """The same aggregate in DuckDB over the Parquet copy (a yardstick, not a product path)."""
    import duckdb

    cols = ", ".join(
        [f"avg({pid}_percent)" for pid in pillar_ids]
        + [f"count(*) FILTER (WHERE overall_level = {lv})" for lv in levels]
        + [f"count(*) FILTER (WHERE {pid}_level = {lv})" for pid in pillar_ids for lv in levels]
    )
    dims = ", ".join(AGG_DIMENSIONS)
    query = f"SELECT {dims}, count(*) AS n, avg(percent), {cols} FROM read_parquet('{parquet}') GROUP BY {dims}"
    con = duckdb.connect()
    con.execute("SET threads = 2")
    runs, groups = [], 0
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        groups = len(con.execute(query).fetchall())
        runs.append(time.perf_counter() - t0)
    con.close()
    return runs, groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="a server to benchmark on (PostgreSQL: a fresh database is made there)")
    parser.add_argument("--questionnaire", default="dbi_sme")
    parser.add_argument("--repeat", type=int, default=5, help="aggregate runs; min and median are reported")
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    parser.add_argument("--export-child", nargs=3, metavar=("URL", "OUT", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return

    q, source = questionnaire(args.questionnaire)
    url, remove = fresh_database(args.url)
    safe = make_url(url).render_as_string(hide_password=True)
    print(f"questionnaire: {q.id} v{q.version}, {len(q.pillars)} pillars, {len(q.questions())} questions — {source}")
    print(f"database: {safe}; machine: {os.getloadavg()[0]:.1f} load (1 min), {os.cpu_count()} cores")
    store = Store(url, migrate=True)
    try:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done == total or done % 200_000 < 50_000:
                rate = done / (time.perf_counter() - started)
                print(f"  loaded {done:,}/{total:,} ({rate:,.0f}/s)", flush=True)

        summary = generate(store, q, args.n, args.seed, progress=progress)
        load = time.perf_counter() - started
        # write the load's dirty pages back now, so the kernel's writeback is not timed below
        os.sync()
        print(
            f"load: {args.n:,} assessments in {load:.1f} s ({summary.submitted:,} submitted, "
            f"{summary.drafts:,} drafts, {summary.follow_ups:,} follow-ups; summaries rebuilt included)"
        )
        total_bytes, per_table = database_bytes(store)
        per_assessment = total_bytes / max(args.n, 1)
        top = ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sorted(per_table.items(), key=lambda x: -x[1])[:6])
        print(f"size: {total_bytes / 1e6:.1f} MB all in = {per_assessment:.0f} bytes per assessment ({top})")

        filters = Filters(questionnaire_id=q.id)
        runs, frame = [], None
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            frame = store.staff.breakdown(filters, AGG_DIMENSIONS, k=1, pillar_levels=True)
            runs.append(time.perf_counter() - t0)
        aggregate = statistics.median(runs)
        print(
            f"aggregate province × sector × size band (mean pillar %, overall and pillar level distributions): "
            f"{', '.join(f'{r:.3f}' for r in runs)} s → min {min(runs):.3f}, median {aggregate:.3f}; "
            f"{len(frame)} groups, {len(frame.columns)} columns, {int(frame['n'].sum()):,} firms"
        )

        with tempfile.TemporaryDirectory(prefix="sme-bench-duck-") as folder:
            parquet = Path(folder) / "pool.parquet"
            store.export(parquet, "parquet", filters)
            pillar_ids = [p.id for p in q.pillars]
            levels = sorted(lv.level for lv in q.levels)
            duck_runs, duck_groups = duckdb_aggregate(parquet, pillar_ids, levels, args.repeat)
        duck = statistics.median(duck_runs)
        print(
            f"DuckDB over a Parquet copy of the same pooled rows: {', '.join(f'{r:.3f}' for r in duck_runs)} s → "
            f"min {min(duck_runs):.3f}, median {duck:.3f}; {duck_groups} groups; store/DuckDB = {aggregate / duck:.2f}×"
        )

        exported = run_export(url, "csv")
        print(
            f"export csv: {exported['rows']:,} rows, {exported['bytes'] / 1e6:.0f} MB in {exported['seconds']:.2f} s; "
            f"process peak {exported['peak_mb']:.0f} MB (of which {exported['before_mb']:.0f} MB before the export started)"
        )
        agg_target = 1.0 if store.dialect == "sqlite" else 0.5
        checks = {
            "load ≤ 60 s at 1 M": load * 1_000_000 / max(args.n, 1) <= 60,
            "≤ 1 KB per assessment": per_assessment <= 1024,
            f"aggregate ≤ {agg_target} s": aggregate <= agg_target,
            "aggregate ≤ 2× DuckDB": aggregate <= 2 * duck,
            "CSV export ≤ 10 s within 300 MB": exported["seconds"] <= 10 and exported["peak_mb"] <= 300,
        }
        print("targets: " + "; ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in checks.items()))
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
        "bytes_per_assessment": round(per_assessment),
        "bytes_by_table": per_table,
        "aggregate_seconds": round(aggregate, 3),
        "aggregate_min_seconds": round(min(runs), 3),
        "aggregate_runs": [round(r, 3) for r in runs],
        "duckdb_seconds": round(duck, 3),
        "duckdb_runs": [round(r, 3) for r in duck_runs],
        "export_seconds": round(exported["seconds"], 2),
        "export_peak_mb": round(exported["peak_mb"], 1),
        "export_rows": exported["rows"],
        "load_average_1min": round(os.getloadavg()[0], 2),
    }))


if __name__ == "__main__":
    main()
