"""Exports for programme staff: submitted, consented rows, never a name.

What leaves: a pseudonymous id (a keyed BLAKE2b MAC of the row id under a per-database
secret, 16 hex digits: stable across exports of one database, so a baseline and its
follow-up can be linked, but not reversible without the database; BLAKE2b's keyed mode is
a MAC by design, like HMAC-sha256, and 3× faster per id, which counts at a million rows), the profile bands
(province, sector, size band), the day of submission, and the scores. What never leaves:
firm names, the resume code, answers (free text may name people) and the exact staff count
(with province and sector it can single a firm out; the size band carries the signal).

Rows stream from the database in chunks (a server-side cursor on PostgreSQL, ``yield_per``)
and are written chunk by chunk, so memory stays flat at any size: CSV and Parquet through
pyarrow writers, XLSX through openpyxl's write-only mode (capped by Excel's row limit).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, func, select

from store.aggregates import Filters, local_period, pooled
from store.codes import pseudonym
from store.errors import InvalidValue
from store.layouts import load_layouts, pillar_columns
from store.models import assessments

if TYPE_CHECKING:
    from store.repository import Store

a = assessments
FORMATS = ("csv", "xlsx", "parquet")
CHUNK_ROWS = 50_000
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header
DIGITS = 2

_BASE = [
    ("previous_pid", pa.string()),
    ("questionnaire_id", pa.string()),
    ("questionnaire_version", pa.string()),
    ("language", pa.string()),
    ("round", pa.string()),
    ("submitted_on", pa.string()),
    ("province", pa.string()),
    ("sector", pa.string()),
    ("size_band", pa.string()),
    ("workshop_id", pa.int64()),
    ("total", pa.float64()),
    ("max_total", pa.float64()),
    ("percent", pa.float64()),
    ("overall_level", pa.int16()),
]


def _query(conn: Connection, filters: Filters) -> tuple[Any, pa.Schema]:
    pillars = pillar_columns(load_layouts(conn, filters.questionnaire_id, filters.questionnaire_version))
    cols: list[Any] = [
        a.c.id,
        a.c.previous_id,
        a.c.questionnaire_id,
        a.c.questionnaire_version,
        a.c.language,
        a.c.round,
        # the day as text, computed in SQL: no per-row datetime objects in Python
        local_period(conn.dialect.name, a.c.submitted_at, "day").label("submitted_on"),
        a.c.province,
        a.c.sector,
        a.c.size_band,
        a.c.workshop_id,
        a.c.total,
        a.c.max_total,
        a.c.percent,
        a.c.overall_level,
    ]
    fields = [pa.field("pid", pa.string()), *(pa.field(name, kind) for name, kind in _BASE)]
    for p in pillars:
        cols += [p.percent.label(f"{p.pillar_id}_percent"), p.level.label(f"{p.pillar_id}_level")]
        fields += [pa.field(f"{p.pillar_id}_percent", pa.float64()), pa.field(f"{p.pillar_id}_level", pa.int16())]
    stmt = select(*cols).where(*pooled(filters, scan=True)).order_by(a.c.id)
    return stmt, pa.schema(fields)


def _batches(conn: Connection, stmt: Any, schema: pa.Schema, secret: bytes, chunk_rows: int) -> Iterator[pa.RecordBatch]:
    def pseudonyms(ids: tuple[Any, ...]) -> list[str | None]:
        return [None if value is None else pseudonym(secret, value) for value in ids]

    result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(stmt)
    for part in result.partitions():
        columns = list(zip(*part))
        arrays: list[pa.Array] = [pa.array(pseudonyms(columns[0]), pa.string()), pa.array(pseudonyms(columns[1]), pa.string())]
        for field, values in zip(list(schema)[2:], columns[2:]):
            arr = pa.array(values, type=field.type)
            if pa.types.is_floating(field.type):
                arr = pc.round(arr, DIGITS)
            arrays.append(arr)
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _count(conn: Connection, filters: Filters) -> int:
    return int(conn.execute(select(func.count()).select_from(a).where(*pooled(filters, scan=True))).scalar_one())


def export(
    store: Store,
    out: str | Path | IO[bytes],
    fmt: str,
    filters: Filters | None = None,
    *,
    chunk_rows: int = CHUNK_ROWS,
) -> int:
    """Write the pooled rows under ``filters`` to ``out`` (a path or a binary stream).

    A path is written to ``<path>.part`` first and renamed at the end, so an interrupted
    export never leaves a truncated file under the real name. Returns the row count.
    """
    if fmt not in FORMATS:
        raise InvalidValue(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    filters = filters or Filters()
    secret = store.export_secret()
    target: str | Path | IO[bytes] = out
    final: Path | None = None
    if isinstance(out, (str, Path)):
        final = Path(out)
        target = final.with_name(final.name + ".part")
    try:
        with store.read() as conn:
            if fmt == "xlsx" and _count(conn, filters) > XLSX_MAX_ROWS:
                raise InvalidValue(
                    f"more than {XLSX_MAX_ROWS:,} rows do not fit in an Excel sheet: narrow the filters or use csv or parquet"
                )
            stmt, schema = _query(conn, filters)
            batches = _batches(conn, stmt, schema, secret, chunk_rows)
            writer = {"csv": _write_csv, "parquet": _write_parquet, "xlsx": _write_xlsx}[fmt]
            rows = writer(target, schema, batches)
    except BaseException:
        if final is not None:
            Path(target).unlink(missing_ok=True)  # type: ignore[arg-type]
        raise
    if final is not None:
        os.replace(target, final)  # type: ignore[arg-type]
    return rows


def _write_csv(target: Any, schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> int:
    import pyarrow.csv as pcsv

    rows = 0
    options = pcsv.WriteOptions(include_header=True, quoting_style="needed")
    with pcsv.CSVWriter(str(target) if isinstance(target, Path) else target, schema, write_options=options) as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _write_parquet(target: Any, schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> int:
    import pyarrow.parquet as pq

    rows = 0
    with pq.ParquetWriter(str(target) if isinstance(target, Path) else target, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _write_xlsx(target: Any, schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # rows go straight to the zip stream: flat memory
    sheet = book.create_sheet("results")
    sheet.append(schema.names)
    rows = 0
    for batch in batches:
        for row in zip(*(column.to_pylist() for column in batch.columns)):
            sheet.append(row)
        rows += batch.num_rows
    book.save(target)
    return rows
