"""Programme-staff views and exports (store/staff.py), on SQLite and PostgreSQL: consented
submitted rows only, small groups suppressed and marked, no names, formulas neutralised.
``pytest -k "staff or programme"`` selects these."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from scoring.cells import neutralise
from scoring.loader import load_questionnaire_text
from scoring.model import FirmProfile
from store import Filters, InvalidValue
from tests.conftest import TINY

pytest_plugins = ["tests.conftest_store"]


@pytest.fixture
def programme(store, tiny_q, high, low, submit):
    """In Hà Nội: 5 consented G micro firms at the top (two in a VCCI workshop), their 5
    follow-ups, 3 G firms without consent; in Huế: 4 consented C small firms at the bottom;
    a draft. Submitted in January 2025 (baselines) and July 2025 (follow-ups), Vietnam time."""
    store.clock = lambda: datetime(2025, 1, 15, 3, tzinfo=UTC)
    ws = store.create_workshop("Hội thảo", "VCCI", None, "tiny", "vi")
    codes = []
    for i in range(5):
        extra = {"workshop_code": ws.join_code} if i < 2 else {}
        _, code = submit(store, tiny_q, low, name=f"Công ty Bí Mật {i}", sector="G", size_band="micro", province="ha_noi", **extra)
        codes.append(code)
    for _ in range(4):
        submit(store, tiny_q, low, sector="C", size_band="small", province="hue")
    for _ in range(3):
        submit(store, tiny_q, high, consent=False, sector="G", size_band="micro", province="ha_noi")
    store.create_draft(tiny_q, FirmProfile(sector="G", size_band="micro", province="ha_noi"), consent=True)
    store.clock = lambda: datetime(2025, 7, 2, 3, tzinfo=UTC)
    for code in codes:
        submit(store, tiny_q, high, sector="G", size_band="micro", province="ha_noi", round="follow_up", previous_code=code)
    store.programme_workshop = ws
    return store


def test_staff_overview_pools_consented_submissions_only(programme):
    ov = programme.staff.overview(Filters(questionnaire_id="tiny"))
    assert ov.n == 14 and not ov.suppressed and ov.k == 5  # 5 + 5 follow-ups + 4; not the 3 unconsented, not the draft
    assert ov.levels == {0: 9, 1: 0, 2: 5}
    pillars = ov.pillars.set_index("pillar")
    assert pillars.loc["sales", "n"] == 14 and pillars.loc["sales", "mean"] == pytest.approx(500 / 14)
    assert pillars.loc["ops", "level_0"] == 9 and pillars.loc["ops", "level_2"] == 5


def test_staff_breakdown_suppresses_small_groups_and_says_so(programme):
    frame = programme.staff.breakdown(Filters(questionnaire_id="tiny", round="baseline"), "province")
    assert frame["province"].tolist() == ["ha_noi", "hue"]
    hue = frame.set_index("province").loc["hue"]
    assert bool(hue["suppressed"]) and pd.isna(hue["n"]) and pd.isna(hue["sales"]) and pd.isna(hue["level_0"])
    hanoi = frame.set_index("province").loc["ha_noi"]
    assert not hanoi["suppressed"] and hanoi["n"] == 5 and hanoi["sales"] == 0.0
    three = programme.staff.breakdown(Filters(), ["province", "sector", "size_band"], pillar_levels=True)
    assert {"sales_level_0", "ops_level_2", "sales_n"} <= set(three.columns)
    assert three["suppressed"].tolist() == [False, True]


def test_staff_k_is_a_setting_in_the_database(programme):
    programme.set_min_group_size(4)
    assert programme.min_group_size() == 4
    frame = programme.staff.breakdown(Filters(round="baseline"), "province")
    assert not frame["suppressed"].any() and frame["n"].tolist() == [5, 4]
    assert programme.staff.breakdown(Filters(round="baseline"), "province", k=6)["suppressed"].all()
    with pytest.raises(InvalidValue, match="at least 2"):
        programme.set_min_group_size(1)


def test_staff_compare_a_group_with_the_pool(programme):
    table = programme.staff.compare(Filters(questionnaire_id="tiny", province="ha_noi", round="follow_up"))
    row = table.set_index("pillar").loc["sales"]
    assert row["group_mean"] == 100.0 and row["group_n"] == 5 and row["other_n"] == 14
    assert row["difference"] == pytest.approx(100.0 - 500 / 14)
    small = programme.staff.compare(Filters(province="hue"), Filters(province="ha_noi"))
    assert small["suppressed"].all() and small["difference"].isna().all()


def test_staff_needs_count_capability_gaps_by_group(programme):
    needs = programme.staff.needs(Filters(questionnaire_id="tiny"), "round")
    base = needs[needs["round"] == "baseline"].set_index("tag")
    # every low answer says "no website": the ecommerce gap; the follow-ups have one
    assert base.loc["ecommerce", "firms"] == 9 and base.loc["ecommerce", "share"] == 1.0
    follow = needs[needs["round"] == "follow_up"].set_index("tag")
    assert follow.loc["ecommerce", "firms"] == 0 and follow.loc["ecommerce", "n"] == 5
    assert needs.iloc[0]["firms"] == 9  # most common first


def test_staff_progress_baseline_to_follow_up(programme):
    progress = programme.staff.progress(Filters(questionnaire_id="tiny"), "quarter")
    assert progress["period"].tolist() == ["2025-Q3"]
    row = progress.iloc[0]
    assert row["n"] == 5 and row["level_before"] == 0 and row["level_after"] == 2 and row["level_up"] == 5
    assert row["sales_before"] == 0 and row["sales_change"] == 100 and row["percent_change"] == 100
    assert programme.staff.progress(Filters(province="hue"), None)["n"].tolist() == [0]  # no pair: nothing to hide
    assert programme.staff.progress(Filters(), None, k=6)["suppressed"].tolist() == [True]
    monthly = programme.staff.progress(Filters(), "month")
    assert monthly["period"].tolist() == ["2025-07"]


def test_staff_filters_workshop_association_and_period(programme):
    ws = programme.programme_workshop
    by_ws = programme.staff.overview(Filters(workshop_id=ws.id), k=1)
    by_assoc = programme.staff.overview(Filters(association="VCCI"), k=1)
    assert by_ws.n == by_assoc.n == 2
    assert programme.staff.overview(Filters(association="nobody"), k=1).n == 0
    january = Filters(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))  # whole months: the cells
    one_day = Filters(date_from=date(2025, 1, 15), date_to=date(2025, 1, 15))  # a day: the rows
    assert programme.staff.overview(january).n == programme.staff.overview(one_day).n == 9
    assert programme.staff.overview(Filters(date_from=date(2025, 1, 16), date_to=date(2025, 6, 30)), k=1).n == 0
    months = programme.staff.breakdown(Filters(), "month")
    assert months["month"].tolist() == ["2025-01", "2025-07"]


def test_staff_withdrawn_consent_and_deletion_leave_every_figure(programme, tiny_q, low, submit):
    _, code = submit(programme, tiny_q, low, sector="C", size_band="small", province="hue")
    assert programme.staff.overview(Filters(province="hue")).n == 5
    programme.set_consent(code, False)
    assert programme.staff.overview(Filters(province="hue")).suppressed
    programme.set_consent(code, True)
    programme.delete(code)
    assert programme.staff.overview(Filters(province="hue"), k=1).n == 4
    assert programme.staff.needs(Filters(province="hue"), k=1).set_index("tag").loc["ecommerce", "firms"] == 4


# ---------------------------------------------------------------- exports


@pytest.fixture
def risky(store, high, submit):
    """A questionnaire whose version a spreadsheet would run as a formula."""
    q = load_questionnaire_text(TINY.replace('version: "1"', 'version: "=HYPERLINK(\\"http://x\\")"'), "risky.yaml")
    for _ in range(5):
        submit(store, q, high, name="Công ty Bí Mật", sector="G", size_band="micro", province="ha_noi")
    return store


def test_neutralise_keeps_numbers_and_disarms_formulas():
    for bad in ("=1+1", "+cmd", "-1+1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("Hà Nội") == "Hà Nội" and neutralise(-5) == -5 and neutralise(1.5) == 1.5 and neutralise(None) is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_staff_row_exports_are_neutralised_named_and_described(risky, tmp_path, fmt):
    path = tmp_path / f"rows.{fmt}"
    assert risky.staff.export_rows(path, fmt, Filters(province="ha_noi")) == 5
    raw = path.read_bytes()
    assert "Bí Mật".encode() not in raw
    if fmt == "csv":
        frame = pd.read_csv(path, dtype=str)
        dictionary = pd.read_csv(tmp_path / "rows.dictionary.csv")
    elif fmt == "parquet":
        table = pq.read_table(path)
        frame = table.to_pandas()
        assert table.schema.field("percent").metadata[b"vi"].decode() == "Tỷ lệ điểm chung (%)"
        dictionary = pd.read_csv(tmp_path / "rows.dictionary.csv")
    else:
        book = load_workbook(path)
        sheet = book["results"]
        header = [c.value for c in sheet[1]]
        cell = sheet.cell(row=2, column=header.index("questionnaire_version") + 1)
        assert cell.data_type == "s"  # text, never a formula
        assert sheet.cell(row=2, column=header.index("percent") + 1).data_type == "n"  # numbers stay numbers
        frame = pd.read_excel(path, sheet_name="results", dtype={"questionnaire_version": str})
        dictionary = pd.read_excel(path, sheet_name="dictionary")
    assert set(frame["questionnaire_version"]) == {"'=HYPERLINK(\"http://x\")"}
    assert list(dictionary.columns) == ["column", "vi", "en"]
    described = dictionary.set_index("column")
    assert set(described.index) == set(frame.columns)
    assert described.loc["sales_percent", "en"] == "Pillar sales score (%)"
    assert described.loc["province", "vi"] == "Tỉnh, thành phố (mã)"


def test_staff_tables_export_one_sheet_per_view(programme):
    out = io.BytesIO()
    sheets = programme.staff.export_tables(out, Filters(questionnaire_id="tiny"))
    assert sheets == ["overview", "pillars", "province", "sector", "size", "needs", "progress"]
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == sheets
    province = list(book["province"].values)
    header = province[0]
    rows = {r[header.index("province")]: r for r in province[1:]}
    assert rows["hue"][header.index("suppressed")] is True and rows["hue"][header.index("n")] is None
    assert rows["ha_noi"][header.index("n")] == 10
    assert b"B\xc3\xad M\xe1\xba\xadt" not in out.getvalue()  # no firm name


def test_staff_export_command_filters_by_association(programme, db_url, tmp_path, capsys):
    import cli

    out = tmp_path / "vcci.csv"
    assert cli.main(["export", "--format", "csv", "-o", str(out), "--association", "VCCI", "--url", db_url]) == 0
    assert len(pd.read_csv(out)) == 2 and "2 rows" in capsys.readouterr().err
