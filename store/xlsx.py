"""A streaming XLSX writer for arrow record batches: a million rows in seconds.

Why not openpyxl or XlsxWriter here: both build every cell as a Python object; measured on
this project's 2-core machine they write 85 k export rows (27 columns) in 25–30 s, so a
national export of a million rows would take minutes against a 15-second target. This
writer builds each column's cell XML with vectorised arrow string kernels (escaping
included), joins the columns row by row in arrow, and deflates the result into the zip
stream batch by batch: memory stays flat, and no Python object is made per cell.

What it writes is the smallest valid SpreadsheetML package (content types, relationships,
a workbook, a minimal stylesheet, one worksheet per sheet): text as inline strings, numbers
as numbers, a missing value as an empty cell. openpyxl and pandas read it back (tests); the
small aggregate workbooks still go through openpyxl (store/export.py ``write_tables``).
Text cells must already be neutralised (store/export.py ``neutralise_array``): this module
writes values, never formulas (no ``<f>`` element is ever produced).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MAX_ROWS = 1_048_576  # Excel's sheet limit, header included

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{i}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"
# characters XML 1.0 does not allow at all (tab, newline and carriage return it does)
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_NEEDS_ESCAPE = r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]"


def _escape(text: pa.Array) -> pa.Array:
    if not pc.any(pc.match_substring_regex(text, _NEEDS_ESCAPE)).as_py():
        return text  # ids, codes and bands: nothing to escape, four passes saved
    text = pc.replace_substring(text, "&", "&amp;")
    text = pc.replace_substring(text, "<", "&lt;")
    text = pc.replace_substring(text, ">", "&gt;")
    return pc.replace_substring_regex(text, _ILLEGAL, "")


def _cells(column: pa.Array) -> pa.Array:
    """One column's cells as XML text (a missing value is an empty cell, so the row keeps its places)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        inner = _escape(column)
        cells = pc.binary_join_element_wise('<c t="inlineStr"><is><t xml:space="preserve">', inner, "</t></is></c>", "")
    elif pa.types.is_boolean(column.type):
        cells = pc.binary_join_element_wise('<c t="b"><v>', pc.cast(pc.cast(column, pa.int8()), pa.string()), "</v></c>", "")
    else:
        cells = pc.binary_join_element_wise("<c><v>", pc.cast(column, pa.string()), "</v></c>", "")
    return pc.fill_null(cells, "<c/>")


def _rows(batch: pa.RecordBatch) -> bytes | memoryview:
    """The batch as ``<row>…</row>`` elements, joined in arrow: the bytes come straight from
    the string array's data buffer (no Python string per row)."""
    if not batch.num_rows:
        return b""
    row = pc.binary_join_element_wise("<row>", *[_cells(c) for c in batch.columns], "</row>", "")
    width = np.int64 if pa.types.is_large_string(row.type) else np.int32
    offsets = np.frombuffer(row.buffers()[1], dtype=width)[row.offset : row.offset + len(row) + 1]
    return memoryview(row.buffers()[2])[int(offsets[0]) : int(offsets[-1])]


def header_batch(names: list[str]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array([n], pa.string()) for n in names], names=[f"c{i}" for i in range(len(names))])


def write_xlsx(target: str | IO[bytes], sheets: Iterable[tuple[str, Iterator[pa.RecordBatch]]]) -> dict[str, int]:
    """Write sheets (name, batches: the first batch should be the header row) into one
    XLSX; returns the rows written per sheet, headers included."""
    counts: dict[str, int] = {}
    names: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as book:
        for i, (name, batches) in enumerate(sheets, start=1):
            names.append(name)
            rows = 0
            with book.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as sheet:
                sheet.write(_SHEET_HEAD)
                for batch in batches:
                    rows += batch.num_rows
                    if rows > MAX_ROWS:
                        raise ValueError(f"sheet {name!r}: more than {MAX_ROWS:,} rows do not fit in an Excel sheet")
                    sheet.write(_rows(batch))
                sheet.write(_SHEET_TAIL)
            counts[name] = rows
        book.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(i=i) for i in range(1, len(names) + 1))))
        book.writestr("_rels/.rels", _ROOT_RELS)
        entries = "".join(
            f'<sheet name="{_attr(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, start=1)
        )
        book.writestr("xl/workbook.xml", _WORKBOOK.format(sheets=entries))
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(rels=rels))
        book.writestr("xl/styles.xml", _STYLES)
    return counts


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")[:31]


__all__ = ["MAX_ROWS", "header_batch", "write_xlsx"]
