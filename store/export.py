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

Every text cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) leaves with a leading apostrophe
(``neutralise``): one function, applied to every text column of every format, before the
writer sees it; numbers stay numbers. Each export names its columns in Vietnamese and
English: a "dictionary" sheet in XLSX, ``<file>.dictionary.csv`` beside a CSV or Parquet
file, and field descriptions in the Parquet schema.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, func, select

from scoring.cells import neutralise, neutralise_array  # noqa: F401 - one rule, re-exported
from store import codes
from store.aggregates import Filters, local_period
from store.errors import InvalidValue
from store.layouts import load_layouts, pillar_columns
from store.models import PERCENT_SCALE, assessments
from store.staff import layout_ids, row_filter

if TYPE_CHECKING:
    from store.repository import Store

a = assessments
FORMATS = ("csv", "xlsx", "parquet")
CHUNK_ROWS = 20_000  # rows per fetch on SQLite: Python tuples are the export's memory
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


# what each column means, in Vietnamese and English (the data dictionary)
DICTIONARY: dict[str, tuple[str, str]] = {
    "pid": ("Mã ẩn danh của bài đánh giá (ổn định trong cơ sở dữ liệu này)", "Pseudonymous id of the assessment (stable within this database)"),
    "previous_pid": ("Mã ẩn danh của bài đánh giá lần đầu mà bài này theo dõi", "Pseudonymous id of the baseline this follow-up follows"),
    "questionnaire_id": ("Bộ câu hỏi", "Questionnaire"),
    "questionnaire_version": ("Phiên bản bộ câu hỏi", "Questionnaire version"),
    "language": ("Ngôn ngữ trả lời", "Language answered in"),
    "round": ("Vòng: baseline (lần đầu) hoặc follow_up (theo dõi)", "Round: baseline or follow_up"),
    "submitted_on": ("Ngày nộp (giờ Việt Nam)", "Day submitted (Vietnam time)"),
    "province": ("Tỉnh, thành phố (mã)", "Province or city (id)"),
    "sector": ("Ngành (chữ cái VSIC 2018)", "Sector (VSIC 2018 section letter)"),
    "size_band": ("Quy mô (Nghị định 80/2021/NĐ-CP)", "Size band (Decree 80/2021/NĐ-CP)"),
    "workshop_id": ("Mã hội thảo (nếu trả lời trong hội thảo)", "Workshop id (when answered in a workshop)"),
    "total": ("Tổng điểm", "Total points"),
    "max_total": ("Điểm tối đa của doanh nghiệp (trừ câu không áp dụng)", "The firm's maximum points (not-applicable questions left out)"),
    "percent": ("Tỷ lệ điểm chung (%)", "Overall score (%)"),
    "overall_level": ("Mức chung", "Overall level"),
}
PILLAR_WORDS = {"percent": ("Tỷ lệ điểm trụ cột {pid} (%)", "Pillar {pid} score (%)"), "level": ("Mức của trụ cột {pid}", "Pillar {pid} level")}


def describe(column: str) -> tuple[str, str]:
    """The Vietnamese and English meaning of an export column."""
    if column in DICTIONARY:
        return DICTIONARY[column]
    pid, _, kind = column.rpartition("_")
    if kind in PILLAR_WORDS and pid:
        vi, en = PILLAR_WORDS[kind]
        return vi.format(pid=pid), en.format(pid=pid)
    return column, column


def dictionary_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([(c, *describe(c)) for c in columns], columns=["column", "vi", "en"])


def _query(conn: Connection, filters: Filters) -> tuple[Any, pa.Schema, list[str], dict[int, tuple[str, str]]]:
    layouts = load_layouts(conn)
    scoped = layouts
    if filters.questionnaire_id is not None or filters.questionnaire_version is not None:
        wanted = set(layout_ids(layouts, filters))
        scoped = [lay for lay in layouts if lay.id in wanted]
    pillars = pillar_columns(scoped)
    cols: list[Any] = [
        a.c.id,
        a.c.previous_id,
        a.c.layout_id,  # → questionnaire_id and questionnaire_version, mapped per batch
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
    percents = ["percent"]
    for p in pillars:
        cols += [p.percent.label(f"{p.pillar_id}_percent"), p.level.label(f"{p.pillar_id}_level")]
        fields += [pa.field(f"{p.pillar_id}_percent", pa.float64()), pa.field(f"{p.pillar_id}_level", pa.int16())]
        percents.append(f"{p.pillar_id}_percent")
    stmt = select(*cols).where(*row_filter(conn, filters)).order_by(a.c.id)
    described = [f.with_metadata({"vi": describe(f.name)[0], "en": describe(f.name)[1]}) for f in fields]
    versions = {lay.id: (lay.questionnaire_id, lay.version) for lay in layouts}
    return stmt, pa.schema(described), percents, versions


def _raw_type(field: pa.Field, scaled: set[str]) -> pa.DataType:
    """The type a column has as fetched (percents are fixed-point integers in the rows)."""
    return pa.int64() if field.name in scaled or pa.types.is_integer(field.type) else field.type


def _batches(
    conn: Connection,
    stmt: Any,
    schema: pa.Schema,
    percents: list[str],
    versions: dict[int, tuple[str, str]],
    secret: bytes,
    chunk_rows: int,
) -> Iterator[pa.RecordBatch]:
    """The export's record batches: rows fetched as arrow columns (``_fetch``), then the
    pseudonyms, the questionnaire of each row, percents in percent points rounded to
    ``DIGITS``, every text column neutralised (``_finish``)."""
    scaled = set(percents)
    fetched = ["id", "previous_id", "layout_id", *schema.names[4:]]
    types = [pa.int64(), pa.int64(), pa.int64(), *(_raw_type(f, scaled) for f in list(schema)[4:])]
    fetch = _fetch_copy if conn.dialect.name == "postgresql" else _fetch_rows
    layout_ids = sorted(versions)
    qids = pa.array([versions[i][0] for i in layout_ids], pa.string())
    names = pa.array([versions[i][1] for i in layout_ids], pa.string())
    for raw in fetch(conn, stmt, fetched, types, chunk_rows):
        yield _finish(raw, schema, scaled, layout_ids, qids, names, secret)


def _finish(
    raw: pa.RecordBatch, schema: pa.Schema, scaled: set[str], layout_ids: list[int], qids: pa.Array, names: pa.Array, secret: bytes
) -> pa.RecordBatch:
    def pseudonyms(column: pa.Array) -> pa.Array:
        return pa.array(codes.pseudonyms(secret, column.to_pylist()), pa.string())

    where = pc.index_in(raw.column(2), value_set=pa.array(layout_ids, pa.int64()))
    arrays: list[pa.Array] = [
        pseudonyms(raw.column(0)),
        pseudonyms(raw.column(1)),
        neutralise_array(pc.take(qids, where)),
        neutralise_array(pc.take(names, where)),
    ]
    for field, column in zip(list(schema)[4:], raw.columns[3:]):
        if field.name in scaled:  # stored in PERCENT_SCALE units
            arr = pc.round(pc.divide(column.cast(pa.float64()), float(PERCENT_SCALE)), DIGITS)
        else:
            arr = column.cast(field.type)
            if pa.types.is_floating(field.type):
                arr = pc.round(arr, DIGITS)
        arrays.append(neutralise_array(arr))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _fetch_rows(conn: Connection, stmt: Any, names: list[str], types: list[pa.DataType], chunk_rows: int) -> Iterator[pa.RecordBatch]:
    """SQLite: rows from the driver's cursor (no SQLAlchemy row objects: these columns need
    no result processing), turned column by column into arrow arrays."""
    cursor = conn.execute(stmt).cursor
    while True:
        part = cursor.fetchmany(chunk_rows)
        if not part:
            return
        columns = list(zip(*part))
        yield pa.RecordBatch.from_arrays([pa.array(c, t) for c, t in zip(columns, types)], names=names)


class _CopyStream(io.RawIOBase):
    """``COPY … TO STDOUT`` as a readable binary file, for pyarrow's streaming CSV reader."""

    def __init__(self, copy: Any) -> None:
        self._copy = copy
        self._buffer = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer and not self._done:
            chunk = self._copy.read()
            if not chunk:
                self._done = True
            else:
                self._buffer = bytes(chunk)
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def _fetch_copy(conn: Connection, stmt: Any, names: list[str], types: list[pa.DataType], chunk_rows: int) -> Iterator[pa.RecordBatch]:
    """PostgreSQL: ``COPY (query) TO STDOUT`` as CSV, parsed by pyarrow in blocks: no Python
    object per value (the parameters are bound by psycopg on the client, as COPY needs)."""
    import pyarrow.csv as pcsv

    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})  # IN lists expanded
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)", compiled.params) as copy:
        reader = pcsv.open_csv(
            io.BufferedReader(_CopyStream(copy), buffer_size=1 << 20),
            # 1 MB blocks, one thread: flat memory (4 MB blocks on threads read ahead and grew
            # the peak by 130 MB over a million rows) and no slower here
            read_options=pcsv.ReadOptions(column_names=names, block_size=1 << 20, use_threads=False),
            convert_options=pcsv.ConvertOptions(
                column_types=dict(zip(names, types)), strings_can_be_null=True, quoted_strings_can_be_null=False
            ),
        )
        yield from reader


def _count(conn: Connection, filters: Filters) -> int:
    return int(conn.execute(select(func.count()).select_from(a).where(*row_filter(conn, filters))).scalar_one())


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
            stmt, schema, percents, versions = _query(conn, filters)
            batches = _batches(conn, stmt, schema, percents, versions, secret, chunk_rows)
            writer = {"csv": _write_csv, "parquet": _write_parquet, "xlsx": _write_xlsx}[fmt]
            rows = writer(target, schema, batches)
        if final is not None and fmt != "xlsx":  # the xlsx carries its dictionary as a sheet
            dictionary_frame(schema.names).to_csv(dictionary_path(final), index=False)
    except BaseException:
        if final is not None:
            Path(target).unlink(missing_ok=True)  # type: ignore[arg-type]
        raise
    if final is not None:
        os.replace(target, final)  # type: ignore[arg-type]
    return rows


def dictionary_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.dictionary.csv")


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
    """The rows sheet and the data dictionary through store/xlsx.py (vectorised; batches
    already neutralised by ``_batches``)."""
    from store.xlsx import header_batch, write_xlsx

    def rows() -> Iterator[pa.RecordBatch]:
        yield header_batch(schema.names)
        yield from batches

    def dictionary() -> Iterator[pa.RecordBatch]:
        frame = dictionary_frame(schema.names)
        yield header_batch(list(frame.columns))
        yield pa.RecordBatch.from_arrays(
            [neutralise_array(pa.array(frame[c].tolist(), pa.string())) for c in frame.columns], names=list(frame.columns)
        )

    counts = write_xlsx(str(target) if isinstance(target, Path) else target, [("results", rows()), ("dictionary", dictionary())])
    return counts["results"] - 1


def _dictionary_sheet(book: Any, columns: list[str]) -> None:
    sheet = book.create_sheet("dictionary")
    sheet.append(["column", "vi", "en"])
    for column in columns:
        sheet.append([neutralise(v) for v in (column, *describe(column))])


def write_tables(out: Any, sheets: dict[str, Any]) -> None:
    """Aggregate tables (DataFrames) as one XLSX, a sheet per table; text neutralised,
    numbers kept as numbers, missing values as empty cells."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([neutralise(str(c)) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            cells = []
            for value in row:
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    cells.append(None)
                elif hasattr(value, "item"):
                    cells.append(value.item())
                else:
                    cells.append(neutralise(value))
            sheet.append(cells)
    book.save(out)
