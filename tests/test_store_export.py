"""Exports: consented, submitted rows only, no names; csv, xlsx and parquet; on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow.parquet as pq
import pytest

import cli
from scoring.model import FirmProfile
from store import Filters, InvalidValue

pytest_plugins = ["tests.conftest_store"]

NEVER = {"firm_name", "name", "staff", "id", "code", "code_hash", "answers", "result", "notes"}


@pytest.fixture
def filled(store, tiny_q, high, low, submit):
    """3 consented (2 in Hà Nội, one a follow-up), 1 not consented, 1 draft."""
    _, code = submit(store, tiny_q, high, name="Công ty Bí Mật", sector="G", size_band="micro", province="ha_noi", staff=7)
    submit(store, tiny_q, low, name="Khác", sector="C", size_band="small", province="hue")
    submit(store, tiny_q, high, name="Theo dõi", sector="G", size_band="micro", province="ha_noi", round="follow_up", previous_code=code)
    submit(store, tiny_q, low, consent=False, name="No consent", sector="G", province="ha_noi")
    store.create_draft(tiny_q, FirmProfile(name="Draft firm", sector="G"), consent=True)
    return store


def read(path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path, dtype={"pid": str, "previous_pid": str})
    if fmt == "xlsx":
        return pd.read_excel(path, dtype={"pid": str, "previous_pid": str})
    return pq.read_table(path).to_pandas()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_has_only_consented_submitted_rows_and_no_names(filled, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    assert filled.export(path, fmt) == 3
    frame = read(path, fmt)
    assert len(frame) == 3 and not NEVER & set(frame.columns)
    assert {"pid", "province", "sector", "size_band", "percent", "overall_level", "sales_percent", "ops_level"} <= set(frame.columns)
    assert set(frame["province"]) == {"ha_noi", "hue"}
    raw = path.read_bytes()
    for secret in ("Bí Mật", "Khác", "No consent", "Draft firm"):
        assert secret.encode() not in raw
    # pseudonymous ids: 16 hex digits, stable, not the row id; the follow-up points at its baseline
    assert frame["pid"].str.fullmatch(r"[0-9a-f]{16}").all()
    follow = frame[frame["round"] == "follow_up"].iloc[0]
    assert follow["previous_pid"] == frame.iloc[0]["pid"]
    assert frame.iloc[0]["pid"] == filled.pseudonym(1)
    assert list(frame["sales_percent"]) == [100.0, 0.0, 100.0]
    assert not (tmp_path / f"out.{fmt}.part").exists()


def test_export_filters_and_streams_in_chunks(filled, tmp_path):
    path = tmp_path / "hn.csv"
    assert filled.export(path, "csv", Filters(province="ha_noi"), chunk_rows=1) == 2
    frame = pd.read_csv(path)
    assert set(frame["province"]) == {"ha_noi"} and len(frame) == 2
    buffer = io.BytesIO()
    assert filled.export(buffer, "csv", Filters(round="follow_up")) == 1
    assert buffer.getvalue().count(b"\n") == 2  # header + one row
    with pytest.raises(InvalidValue):
        filled.export(tmp_path / "x.json", "json")


def test_export_command(filled, db_url, tmp_path, capsys):
    out = tmp_path / "cli.parquet"
    assert cli.main(["export", "--format", "parquet", "-o", str(out), "--sector", "G", "--url", db_url]) == 0
    assert len(pq.read_table(out)) == 2 and "2 rows" in capsys.readouterr().err
    csv_out = tmp_path / "cli.csv"
    args = ["export", "--format", "csv", "-o", str(csv_out), "--province", "ha_noi,hue", "--from", "2000-01-01", "--url", db_url]
    assert cli.main(args) == 0 and len(pd.read_csv(csv_out)) == 3
    assert cli.main(["export", "--format", "csv", "-o", str(csv_out), "--to", "31/01/2025", "--url", db_url]) == 1
    assert "expected a date" in capsys.readouterr().err
    assert cli.main(["export", "--format", "xlsx", "-o", "-", "--url", db_url]) == 1
    assert cli.main(["export", "--format", "csv", "-o", str(tmp_path / "no" / "x.csv"), "--url", db_url]) == 1
    assert cli.main(["export", "--format", "csv", "-o", str(csv_out), "--workshop", "QQQQQQ", "--url", db_url]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_xlsx_writer_keeps_values_text_numbers_and_empty_cells(tmp_path):
    """store/xlsx.py: text (escaped), numbers, empty cells in their places, several batches
    and sheets; openpyxl reads back exactly what went in, and never a formula."""
    import pyarrow as pa
    from openpyxl import load_workbook

    from store.xlsx import header_batch, write_xlsx

    texts = ["a < b & c > d", "Hà Nội", "'=1+1", "tab\there", None, "ctrl\x01char", '"quoted"']
    numbers = [1.5, None, -2.0, 1e-7, 123456789012.0, 0.0, 42.25]
    ints = pa.array([1, 2, None, 4, 5, 6, 7], pa.int64())
    batch = pa.RecordBatch.from_arrays([pa.array(texts, pa.string()), pa.array(numbers, pa.float64()), ints], names=["t", "x", "i"])
    path = tmp_path / "w.xlsx"
    counts = write_xlsx(str(path), [("results", iter([header_batch(["t", "x", "i"]), batch, batch.slice(0, 2)])),
                                    ("dictionary", iter([header_batch(["column"])]))])
    assert counts == {"results": 10, "dictionary": 1}
    book = load_workbook(path)
    assert book.sheetnames == ["results", "dictionary"]
    rows = list(book["results"].iter_rows(values_only=True))
    assert rows[0] == ("t", "x", "i") and len(rows) == 10
    expected_texts = [t if t is None else t.replace("\x01", "") for t in texts]
    assert [r[0] for r in rows[1:8]] == expected_texts
    assert [r[1] for r in rows[1:8]] == numbers and [r[2] for r in rows[1:8]] == [1, 2, None, 4, 5, 6, 7]
    assert all(c.data_type != "f" for row in book["results"].iter_rows() for c in row)
