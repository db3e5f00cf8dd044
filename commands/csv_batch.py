"""Reading and writing the CSV files of ``cli.py score --csv``: fast, and never all-or-nothing.

Reading: pyarrow's multi-threaded CSV reader, every cell as text (an id ``007`` stays ``007``);
the question columns straight into dictionary-encoded columns (pandas categoricals, the fast
path of ``scoring.bulk``), the other columns kept as Arrow text and never turned into a
million Python strings. A row with the wrong number of cells is set aside, not fatal.

Writing: the good rows to the output, each problem to an error file (row, column, why), and
every text cell, column names included, made spreadsheet-safe (``scoring.cells``).

Row numbers are data rows: 1 is the first row after the header (what a spreadsheet shows as
line 2).
"""

from __future__ import annotations

import csv
import mmap
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scoring.bulk import score_frame
from scoring.cells import neutralise, neutralise_array
from scoring.model import Questionnaire

# pyarrow's own block size (1 MB): larger blocks mean fewer dictionaries to unify afterwards
# but more hashing per block; measured on 1 M dbi_sme rows, the default costs the least CPU.
ERROR_COLUMNS = ("row", "column", "why")


class BatchError(Exception):
    """The file as a whole cannot be read (not CSV, not UTF-8, a repeated column …)."""


@dataclass
class Batch:
    questions: pd.DataFrame  # a categorical column per question found in the header
    passthrough: pa.Table  # every other column, as text, copied to the output
    rows: np.ndarray  # the data-row number (1-based) of each row read
    problems: list[tuple[np.ndarray, str, list[str] | str]] = field(default_factory=list)
    missing_questions: list[str] = field(default_factory=list)  # required questions without a column

    def __len__(self) -> int:
        return len(self.rows)


def _header(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except OSError as exc:
        raise BatchError(f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise BatchError("not UTF-8 text: save the file as CSV UTF-8") from None
    except csv.Error as exc:
        raise BatchError(f"not CSV: {exc}") from None
    if not header:
        raise BatchError("the file is empty: the first line must name the columns")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise BatchError(f"column {name!r} appears twice in the header")
        seen.add(name)
    return header


def _has_quotes(path: str) -> bool:
    """Whether the file has a double quote anywhere (memchr over a memory map: ~0.1 s per
    500 MB). Without one no value can hold a line break, and the reader may split the file
    into blocks at any line end, which is about a third faster."""
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                return False
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mem:
                # a quoted header is common (pyarrow and some exporters quote every name) and
                # harmless: look from the header's end, unless a quote stays open across it
                end = mem.find(b"\n")
                if end == -1:
                    return mem.find(b'"') != -1
                if mem[:end].count(b'"') % 2:
                    return True
                return mem.find(b'"', end) != -1
    except (OSError, ValueError):
        return True  # not a regular file (a pipe): assume the worst


def read_batch(path: str, questionnaire: Questionnaire, *, use_threads: bool = True) -> Batch:
    """Read ``path`` (UTF-8 CSV with a header). Raises ``BatchError`` for a file-level problem."""
    header = _header(path)
    known = {question.id for _, question in questionnaire.questions()}
    text_type = pa.dictionary(pa.int32(), pa.string())
    types = {name: (text_type if name in known else pa.string()) for name in header}
    invalid: list[tuple[int | None, int, int]] = []

    def set_aside(row: Any) -> str:
        invalid.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=use_threads),
            # quoted line breaks (free text) are allowed when the file quotes anything at all
            parse_options=pacsv.ParseOptions(newlines_in_values=_has_quotes(path), invalid_row_handler=set_aside),
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "UTF8" in message or "UTF-8" in message:
            raise BatchError("not UTF-8 text: save the file as CSV UTF-8") from None
        raise BatchError(f"not CSV: {message.splitlines()[0]}") from None
    except OSError as exc:
        raise BatchError(f"cannot read: {exc}") from None
    if invalid and any(number is None for number, _, _ in invalid) and use_threads:
        # the threaded reader does not know row numbers: read again, in order, to name them
        return read_batch(path, questionnaire, use_threads=False)

    n_read = table.num_rows
    skipped = np.array(sorted(number - 1 for number, _, _ in invalid), dtype=np.int64)  # header is record 1
    rows = np.arange(1, n_read + len(skipped) + 1, dtype=np.int64)
    if len(skipped):
        rows = np.setdiff1d(rows, skipped, assume_unique=True)
    problems: list[tuple[np.ndarray, str, list[str] | str]] = []
    for number, expected, actual in sorted(invalid, key=lambda x: x[0]):
        problems.append((np.array([number - 1]), "", f"expected {expected} cells, found {actual}"))

    question_names = [name for name in header if name in known]
    questions = table.select(question_names).unify_dictionaries().to_pandas() if question_names else pd.DataFrame(index=range(n_read))
    passthrough = table.select([name for name in header if name not in known])
    present = set(question_names)
    missing = [question.id for _, question in questionnaire.questions() if question.required and question.id not in present]
    return Batch(questions=questions, passthrough=passthrough, rows=rows, problems=problems, missing_questions=missing)


def score_batch(questionnaire: Questionnaire, batch: Batch) -> tuple[pd.DataFrame, np.ndarray]:
    """(scores of every row, a mask of the rows that are good). Problems go to ``batch.problems``."""
    found: list[tuple[np.ndarray, str, str]] = []
    scores = score_frame(questionnaire, batch.questions, on_problem=lambda idx, qid, msg: found.append((idx, qid, msg)))
    good = np.ones(len(batch), dtype=bool)  # rows set aside by the reader are not in the batch at all
    for idx, qid, message in found:
        good[idx] = False
        batch.problems.append((batch.rows[idx], qid, _why(qid, message)))
    return scores, good


def _why(question_id: str, message: str) -> str:
    """The engine's message without the question id in front (the file has a column for it)."""
    parts = [p.removeprefix(f"{question_id}: ") for p in message.split("; ")]
    return "; ".join(parts)


# ---------------------------------------------------------------- writing


def scored_table(batch: Batch, scores: pd.DataFrame, good: np.ndarray) -> pa.Table:
    keep = pa.array(good)
    passthrough = batch.passthrough.filter(keep) if not good.all() else batch.passthrough
    score_table = pa.Table.from_pandas(scores[good] if not good.all() else scores, preserve_index=False)
    columns: list[Any] = []
    names: list[str] = []
    for name, column in zip(passthrough.column_names, passthrough.columns):
        names.append(neutralise(name))
        columns.append(neutralise_array(column))
    for name, column in zip(score_table.column_names, score_table.columns):
        if pa.types.is_floating(column.type):
            column = pc.round(column, 4)  # as the former float_format="%.4f", without trailing zeros
        names.append(name)
        columns.append(column)
    return pa.Table.from_arrays(columns, names=names)


def write_table(table: pa.Table, target: str | IO[bytes] | None) -> None:
    """CSV, UTF-8, quoting only where needed; ``None`` or ``-`` is stdout."""
    sink = sys.stdout.buffer if target in (None, "-") else target
    if sink is sys.stdout.buffer:
        sys.stdout.flush()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))


def error_table(batch: Batch) -> pa.Table:
    """Every problem, one per line, by row: (row, column, why)."""
    if not batch.problems:
        return pa.table({"row": pa.array([], pa.int64()), "column": pa.array([], pa.string()), "why": pa.array([], pa.string())})
    rows = np.concatenate([p[0] for p in batch.problems])
    columns = np.concatenate([np.full(len(p[0]), i, dtype=np.int32) for i, p in enumerate(batch.problems)])
    order = np.lexsort((columns, rows))  # by row, then in the order found (question order)
    col_names = pa.array([neutralise(p[1]) for p in batch.problems], pa.string())
    whys = pa.array([neutralise(p[2]) for p in batch.problems], pa.string())
    idx = pa.array(columns[order])
    return pa.table({"row": pa.array(rows[order]), "column": col_names.take(idx), "why": whys.take(idx)})


def first_problems(table: pa.Table, n: int) -> list[str]:
    head = table.slice(0, n).to_pylist()
    return [f"row {p['row']}: {p['column'] + ': ' if p['column'] else ''}{p['why']}" for p in head]


def bad_row_count(table: pa.Table) -> int:
    return len(pc.unique(table.column("row"))) if table.num_rows else 0


def default_error_path(csv_path: str, output: str | None) -> Path:
    base = Path(output) if output and output != "-" else Path(csv_path)
    return base.with_name(f"{base.stem}.errors.csv")
