"""What the staff pages added to the store (store/staff.py), on SQLite and PostgreSQL: the
pooled comparison of re-scored assessments with their originals, and the aggregate tables'
filter sheet (neutralised like every text cell). ``pytest -k "staff or programme"``."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from scoring.loader import load_questionnaire_text
from store import Filters
from tests.conftest import TINY

pytest_plugins = ["tests.conftest_store"]

# version 2 of the tiny questionnaire: a website now weighs twice as much, and a new
# required question that the old answers cannot have
V2 = TINY.replace('version: "1"', 'version: "2"').replace('- {id: "yes", points: 4, uses: [ecommerce]}',
                                                           '- {id: "yes", points: 8, uses: [ecommerce]}')
V3 = TINY.replace('version: "1"', 'version: "3"').replace(
    "      - id: notes\n",
    "      - id: backups\n        type: yesno\n        text: {vi: \"Sao lưu\", en: \"Backups\"}\n"
    "        options: [{id: \"yes\", points: 1}, {id: \"no\", points: 0}]\n      - id: notes\n",
)


@pytest.fixture
def versions():
    import textwrap

    return (load_questionnaire_text(textwrap.dedent(V2), "tiny.yaml"), load_questionnaire_text(textwrap.dedent(V3), "tiny.yaml"))


def test_staff_rescore_summary_pools_consented_rows_and_hides_small_cells(store, tiny_q, submit, high, low, versions):
    v2, v3 = versions
    for _ in range(6):
        submit(store, tiny_q, low, sector="G", size_band="micro", province="ha_noi")
    for _ in range(3):
        submit(store, tiny_q, high, sector="C", size_band="small", province="hue")
    for _ in range(4):
        submit(store, tiny_q, high, consent=False, sector="C", size_band="small", province="hue")
    report = store.rescore(v2)
    assert (report.selected, report.rescored, report.failed) == (13, 13, [])
    summary = store.staff.rescore_summary(v2, Filters(questionnaire_id="tiny"))
    assert summary.n == 9 and not summary.suppressed  # the 4 without consent are re-scored, not pooled
    cells = summary.transitions.set_index(["level_before", "level_after"])["firms"]
    assert cells.loc[(0, 0)] == 6 and pd.isna(cells.loc[(2, 2)])  # 3 firms: under k, hidden
    assert summary.percent_after == pytest.approx(summary.percent_before)  # nobody changed a website answer
    small = store.staff.rescore_summary(v2, Filters(province="hue"))
    assert small.suppressed and small.n is None and small.percent_before is None
    assert store.staff.rescore_summary(v2, Filters(province="hue"), k=3).n == 3
    # a version the old answers cannot be scored on: every row fails, with why, nothing pooled
    failed = store.rescore(v3)
    assert failed.rescored == 0 and len(failed.failed) == 13
    assert {why for _, why in failed.failed} == {"backups: required answer missing"}
    assert store.staff.rescore_summary(v3).n == 0


def test_staff_tables_carry_the_filter_in_words_neutralised(store, tiny_q, submit, high):
    for _ in range(5):
        submit(store, tiny_q, high, sector="G", size_band="micro", province="ha_noi")
    submit(store, tiny_q, high, sector="C", size_band="small", province="hue")
    out = io.BytesIO()
    about = [("Hiệp hội", '=HYPERLINK("http://evil.example","bấm")'), ("k", "5")]
    sheets = store.staff.export_tables(out, Filters(questionnaire_id="tiny"), about=about)
    assert sheets[:2] == ["filter", "overview"]
    book = load_workbook(io.BytesIO(out.getvalue()))
    rows = list(book["filter"].iter_rows(values_only=True))
    assert rows == [("label", "value"), ("Hiệp hội", '\'=HYPERLINK("http://evil.example","bấm")'), ("k", "5")]
    province = {r[0]: r for r in book["province"].iter_rows(values_only=True)}
    header = list(province["province"])
    hue = province["hue"]
    assert hue[header.index("suppressed")] is True and hue[header.index("n")] is None and hue[header.index("percent")] is None
    assert province["ha_noi"][header.index("n")] == 5
    assert "filter" not in store.staff.export_tables(io.BytesIO(), Filters(questionnaire_id="tiny"))
