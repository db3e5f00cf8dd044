"""Staff dashboard benchmark: ``python -m bench.dashboard --n 100000``.

Loads N demo assessments into a fresh database (SQLite by default; ``DATABASE_URL`` or
``--url`` with a PostgreSQL server: a new database there, dropped afterwards), then times
each staff view of ``Store.staff`` (store/staff.py) with filters a programme officer would
set, ``--repeat`` runs each (min and median), and the exports of a filter in each format
(in a child process each, with that process's peak memory).

Prints figures and, as its last line, JSON with at least ``{"n": N, "views": {view: seconds}}``
(the median of the runs). Targets (issue 14): at 100 k every view ≤ 0.15 s on SQLite; at
1 M ≤ 1 s; exports ≤ 15 s within 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy.engine import make_url

from bench.store import fresh_database, questionnaire, run_export
from store import Filters, Store
from store.demo import generate


def month_bounds(today: date, months: int) -> tuple[date, date]:
    """The last ``months`` whole calendar months before this one."""
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL, else SQLite")
    parser.add_argument("--questionnaire", default="dbi_sme")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-export", action="store_true", help="time the views only")
    args = parser.parse_args()

    q, source = questionnaire(args.questionnaire)
    url, remove = fresh_database(args.url)
    print(f"questionnaire: {q.id} v{q.version} — {source}")
    print(f"database: {make_url(url).render_as_string(hide_password=True)}; load {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    store = Store(url, migrate=True)
    views: dict[str, float] = {}
    runs_by_view: dict[str, list[float]] = {}
    exports: dict[str, dict] = {}
    try:
        t0 = time.perf_counter()
        generate(store, q, args.n, args.seed)
        load = time.perf_counter() - t0
        print(f"load: {args.n:,} demo assessments in {load:.1f} s")

        year_from, year_to = month_bounds(date.today(), 12)
        pool = Filters(questionnaire_id=q.id)
        last_year = Filters(questionnaire_id=q.id, date_from=year_from, date_to=year_to)
        group = Filters(questionnaire_id=q.id, province="lao_cai", sector="G", size_band="micro")
        staff = store.staff
        checks: dict[str, Callable[[], object]] = {
            "overview": lambda: staff.overview(Filters(questionnaire_id=q.id, province="ha_noi", date_from=year_from, date_to=year_to)),
            "compare": lambda: staff.compare(group),
            "breakdown_province": lambda: staff.breakdown(last_year, "province"),
            "breakdown_sector": lambda: staff.breakdown(Filters(questionnaire_id=q.id, size_band=("micro", "small")), "sector"),
            "breakdown_size": lambda: staff.breakdown(Filters(questionnaire_id=q.id, province="ho_chi_minh"), "size_band"),
            "breakdown_province_sector_size": lambda: staff.breakdown(pool, ["province", "sector", "size_band"]),
            "needs": lambda: staff.needs(Filters(questionnaire_id=q.id, size_band=("household", "micro")), "province"),
            "progress": lambda: staff.progress(Filters(questionnaire_id=q.id, province="ha_noi"), "quarter"),
            "overview_by_language_rows": lambda: staff.overview(Filters(questionnaire_id=q.id, language="en")),
        }
        for name, view in checks.items():
            runs = []
            for _ in range(max(1, args.repeat)):
                t0 = time.perf_counter()
                view()
                runs.append(time.perf_counter() - t0)
            views[name] = statistics.median(runs)
            runs_by_view[name] = runs
            print(f"{name:32s} min {min(runs):.3f} s, median {views[name]:.3f} s ({', '.join(f'{r:.3f}' for r in runs)})")

        if not args.no_export:
            for fmt in ("csv", "parquet", "xlsx"):
                exports[fmt] = run_export(url, fmt)
                e = exports[fmt]
                print(
                    f"export {fmt:8s} {e['rows']:,} rows, {e['bytes'] / 1e6:.0f} MB in {e['seconds']:.2f} s, "
                    f"peak {e['peak_mb']:.0f} MB"
                )
        target = 0.15 if args.n <= 100_000 and store.dialect == "sqlite" else 1.0
        slow = [name for name, seconds in views.items() if name != "overview_by_language_rows" and seconds > target]
        print(f"target every view ≤ {target} s: {'met' if not slow else 'MISSED by ' + ', '.join(slow)}"
              " (the language filter reads the rows: shown for comparison, not a summary view)")
    finally:
        store.close()
        remove()
    print(json.dumps({
        "n": args.n,
        "database": store.dialect,
        "load_seconds": round(load, 2),
        "views": {k: round(v, 4) for k, v in views.items()},
        "view_runs": {k: [round(r, 4) for r in v] for k, v in runs_by_view.items()},
        "exports": {k: {"seconds": round(v["seconds"], 2), "peak_mb": round(v["peak_mb"], 1), "rows": v["rows"]} for k, v in exports.items()},
        "load_average_1min": round(os.getloadavg()[0], 2),
    }))


if __name__ == "__main__":
    main()
