"""``cli.py score --csv`` from a file: ``python -m bench.cli_csv --n 1000000``.

Writes N random valid assessments of a questionnaire (seeded; a firm id column copied through,
as a real batch has) to a CSV once, then times the command's own stages in this process:
reading the file into categoricals (``commands.csv_batch.read_batch``), scoring, and writing
the scored CSV, and the whole command (``cli.main``) as a user runs it. The baseline in the
same run: the former reader (``pandas.read_csv(dtype=str)``, object columns) on the same file.

Target (issue 12): 1 M rows read from the file in ≤ 2 s. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path


def make_file(questionnaire_id: str, n: int, seed: int, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from scoring.loader import load_bundled
    from scoring.sample import random_frame

    q = load_bundled(questionnaire_id)
    frame = random_frame(q, n, seed=seed)  # categorical columns: each distinct cell once
    columns = {"firm": pa.array([f"DN-{i:07d}" for i in range(n)])}
    for name in frame.columns:
        cat = frame[name].cat
        text = pa.array(["" if c is None else str(c) for c in cat.categories], pa.string())
        codes = pa.array(cat.codes.to_numpy(), pa.int32(), mask=cat.codes.to_numpy() < 0)
        columns[name] = pa.DictionaryArray.from_arrays(codes, text).cast(pa.string())
    table = pa.table(columns)
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))
    return path.stat().st_size


CPU: dict[int, list[float]] = {}  # CPU seconds (all threads) per timed call, by the call's runs list


def timed(func, repeat: int) -> tuple[list[float], object]:
    """Wall seconds of each run. The CPU seconds go to ``CPU``: on a shared machine the wall
    time says how busy it was; the CPU time says how much work the stage is."""
    runs, cpu, out = [], [], None
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        out = func()
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[id(runs)] = cpu
    return runs, out


def fmt(runs: list[float]) -> str:
    cpu = CPU.get(id(runs))
    spent = f"; CPU min {min(cpu):.2f} s (both cores together)" if cpu else ""
    return f"min {min(runs):.2f} s, median {statistics.median(runs):.2f} s over {len(runs)} runs{spent}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--questionnaire", default="dbi_sme")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true", help="skip the former pandas reader (slow at 1 M)")
    args = parser.parse_args()

    import cli
    from commands import csv_batch
    from scoring.loader import load_bundled

    q = load_bundled(args.questionnaire)
    tmp = Path(tempfile.mkdtemp(prefix="bench-csv-"))
    source, out = tmp / "many.csv", tmp / "scored.csv"
    size = make_file(args.questionnaire, args.n, args.seed, source)
    print(f"{args.n:,} assessments of {q.id} ({len(q.questions())} questions + a firm id): {size / 1e6:.0f} MB of CSV; "
          f"load {os.getloadavg()[0]:.2f} (2 cores, shared)")

    read_runs, batch = timed(lambda: csv_batch.read_batch(str(source), q), args.repeat)
    print(f"read into categoricals (pyarrow):  {fmt(read_runs)}  (target ≤ 2 s at 1 M)")
    score_runs, scored = timed(lambda: csv_batch.score_batch(q, batch), args.repeat)
    scores, good = scored
    print(f"score (scoring.bulk):              {fmt(score_runs)}; {int(good.sum()):,} good rows")
    write_runs, _ = timed(lambda: csv_batch.write_table(csv_batch.scored_table(batch, scores, good), str(out)), args.repeat)
    print(f"write the scored CSV (pyarrow):    {fmt(write_runs)}; {out.stat().st_size / 1e6:.0f} MB")
    command_runs, codes = timed(lambda: cli.main(["score", args.questionnaire, "--csv", str(source), "-o", str(out)]),
                                args.repeat)
    assert codes == 0, codes
    print(f"whole command (cli.main):          {fmt(command_runs)}")

    result = {
        "n": args.n, "questionnaire": q.id, "file_mb": round(size / 1e6, 1),
        "read_s": round(min(read_runs), 3), "read_median_s": round(statistics.median(read_runs), 3),
        "read_cpu_s": round(min(CPU[id(read_runs)]), 3),
        "score_s": round(min(score_runs), 3), "write_s": round(min(write_runs), 3),
        "command_s": round(min(command_runs), 3), "command_median_s": round(statistics.median(command_runs), 3),
    }
    if not args.no_baseline:
        import pandas as pd

        base_runs, _ = timed(lambda: pd.read_csv(source, dtype=str, keep_default_na=False), 1)
        print(f"baseline, the former reader (pandas, object columns): {fmt(base_runs)}  "
              f"→ {base_runs[0] / min(read_runs):.1f}× slower than the new read")
        result["baseline_read_s"] = round(base_runs[0], 3)
    print(f"load at the end {os.getloadavg()[0]:.2f}")
    for path in (source, out):
        path.unlink(missing_ok=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
