"""The pooled-figure PDFs: a workshop room's one-page summary (report.room) and the programme
staff brief (report.brief), from report.models data; the k-firm rule applied when drawing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from report import render_room_summary, render_staff_brief
from report.models import (
    Breakdown,
    BreakdownRow,
    FilterItem,
    LevelCount,
    NamedCount,
    PillarComparison,
    PillarMean,
    RoomSummary,
    StaffBrief,
)
from report.pooled import hidden_cells
from report.text import t
from tests.test_report import LEVELS, PILLARS, all_text, font_names, nfc, page_texts, squash
from tests.test_report_followup import assert_margins_blank, page_images

LEVEL_NAMES = [{"vi": vi, "en": en} for vi, en in LEVELS]
PILLAR_NAMES = [{"vi": vi, "en": en} for vi, en in PILLARS.values()]
TITLE = {"vi": "Đánh giá đầy đủ mức độ chuyển đổi số (DBI)", "en": "Full digital transformation assessment (DBI)"}
GAPS = [NamedCount({"vi": "Hóa đơn điện tử", "en": "E-invoices"}, 12),
        NamedCount({"vi": "Sao lưu dữ liệu", "en": "Data backup"}, 9),
        NamedCount({"vi": "Bán hàng trực tuyến", "en": "Selling online"}, 7),
        NamedCount({"vi": "Chữ ký số", "en": "Digital signature"}, 6)]
CATEGORIES = [NamedCount({"vi": "Phần mềm bán hàng và quản lý kho", "en": "Sales and stock software"}, 11),
              NamedCount({"vi": "Kế toán", "en": "Accounting"}, 8),
              NamedCount({"vi": "Quản lý nhân sự", "en": "HR and payroll"}, 4)]

ROOM = RoomSummary(
    workshop_name="Hội thảo chuyển đổi số Lào Cai",
    questionnaire_title=TITLE,
    joined=24,
    finished=18,
    association="Hiệp hội Doanh nghiệp nhỏ và vừa tỉnh Lào Cai",
    when=datetime(2026, 4, 8, 18, 30, tzinfo=UTC),  # 01:30 on 9 April in Vietnam
    province="lao_cai",
    levels=[LevelCount(i, LEVEL_NAMES[i], c) for i, c in enumerate([3, 7, 5, 2, 1, 0])],
    pillars=[PillarMean(PILLAR_NAMES[i], m, pv, nat) for i, (m, pv, nat) in
             enumerate([(34.2, 31, 36), (48, 44, 50), (22.5, 25, 27), (30.1, 28, 33), (41, 39, 42), (18, 15, 21)])],
    province_n=3,  # fewer than 5: its means are hidden
    national_n=5120,
    top_gaps=GAPS,
    top_categories=CATEGORIES,
)

BRIEF = StaffBrief(
    questionnaire_title=TITLE,
    n=212,
    version="2.0",
    when=date(2026, 5, 2),
    filters=[FilterItem({"vi": "Tỉnh, thành phố", "en": "Province"}, {"vi": "Lào Cai", "en": "Lao Cai"}),
             FilterItem({"vi": "Quy mô", "en": "Size"}, {"vi": "Doanh nghiệp siêu nhỏ", "en": "Micro enterprise"})],
    levels=[LevelCount(i, LEVEL_NAMES[i], c) for i, c in enumerate([41, 88, 57, 23, 3, 0])],
    mean=27.9,
    pillars=[PillarComparison(PILLAR_NAMES[i], g, p, group_n=gn) for i, (g, p, gn) in
             enumerate([(31.4, 36, None), (44, 50, None), (22.5, 27.4, None), (29, 33, None), (38, 37.6, None),
                        (17, 21, 4)])],
    pool_label={"vi": "toàn bộ dữ liệu chung", "en": "the whole pool"},
    pool_n=48213,
    pool_mean=33.1,
    needs=[NamedCount({"vi": "Hóa đơn điện tử", "en": "E-invoices"}, 131),
           NamedCount({"vi": "Kế toán", "en": "Accounting"}, 90),
           NamedCount({"vi": "Chữ ký số", "en": "Digital signature"}, 3)],
    breakdowns=[Breakdown({"vi": "Quy mô", "en": "Size"},
                          [BreakdownRow({"vi": "Hộ kinh doanh", "en": "Household business"}, 58, 19.2),
                           BreakdownRow({"vi": "Doanh nghiệp siêu nhỏ", "en": "Micro enterprise"}, 150, 30.4),
                           BreakdownRow({"vi": "Doanh nghiệp nhỏ", "en": "Small enterprise"}, 4, 51.0)])],
)


# ---------------------------------------------------------------- the room summary


@pytest.fixture(scope="module")
def rooms():
    return {lang: render_room_summary(ROOM, lang) for lang in ("vi", "en")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_room_summary_on_one_page_with_every_figure(rooms, lang):
    pages = page_texts(rooms[lang])
    assert len(pages) == 1
    text = squash(pages[0])
    assert text == nfc(text)
    assert "Hội thảo chuyển đổi số Lào Cai" in text and "Hiệp hội Doanh nghiệp nhỏ và vừa tỉnh Lào Cai" in text
    assert ("ngày 9 tháng 4 năm 2026" if lang == "vi" else "9 April 2026") in text  # the day in Vietnam
    assert ("Lào Cai" if lang == "vi" else "Lao Cai") in text and TITLE[lang] in text
    assert f"24 18 {t(lang, 'room_joined')} {t(lang, 'room_finished')}" in text
    for i, (count, share) in enumerate([(3, 17), (7, 39), (5, 28), (2, 11), (1, 6)]):
        assert f"{i} · {LEVEL_NAMES[i][lang]}" in text and f"{count} ({share}%)" in text
    for name in PILLAR_NAMES:
        assert squash(name[lang])[:20] in text
    assert t(lang, "pool_n", label=t(lang, "room_you"), n="18") in text
    assert t(lang, "pool_small", label=t(lang, "room_province_pool"), k=5) in text
    assert t(lang, "pool_n", label=t(lang, "room_national_pool"), n="5.120" if lang == "vi" else "5,120") in text
    assert text.count(t(lang, "suppressed_mark")) >= 6  # each province bar marked, not drawn as 0
    for item in GAPS[:3] + CATEGORIES:
        assert item.name[lang] in text
    assert GAPS[3].name[lang] not in text  # the three most common only
    assert t(lang, "room_count", n=12, total=18) in text
    assert squash(t(lang, "room_privacy", k=5)) in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_room_of_fewer_than_five_shows_no_figure(lang):
    pdf = render_room_summary(dataclasses.replace(ROOM, finished=4), lang)
    text = squash(all_text(pdf))
    assert t(lang, "suppressed", k=5)[:1].upper() + t(lang, "suppressed", k=5)[1:] in text
    assert "4" in text and "24" in text  # how many joined and finished is not a result
    for hidden in [LEVEL_NAMES[1][lang], PILLAR_NAMES[0][lang], GAPS[0].name[lang], CATEGORIES[0].name[lang], "39%"]:
        assert hidden not in text, hidden
    # n (the firms that agreed to share) decides, not the number finished
    text = squash(all_text(render_room_summary(dataclasses.replace(ROOM, n=3), lang)))
    assert LEVEL_NAMES[1][lang] not in text


def test_room_without_pools_has_no_empty_series():
    no_pools = dataclasses.replace(ROOM, province_n=None, national_n=None,
                                   pillars=[dataclasses.replace(p, province=None, national=None) for p in ROOM.pillars])
    text = squash(all_text(render_room_summary(no_pools, "en")))
    assert t("en", "room_province_pool") not in text and t("en", "room_national_pool") not in text
    assert "hidden" not in text and "34" in text


# ---------------------------------------------------------------- the staff brief


@pytest.fixture(scope="module")
def briefs():
    return {lang: render_staff_brief(BRIEF, lang) for lang in ("vi", "en")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_staff_brief_describes_the_filter_and_every_figure_carries_n(briefs, lang):
    pages = page_texts(briefs[lang])
    assert 2 <= len(pages) <= 4
    text = squash(" ".join(pages))
    filters = "; ".join(f"{f.label[lang]}: {f.value[lang]}" for f in BRIEF.filters)
    assert squash(t(lang, "brief_filter_sentence", n="212", filters=filters).replace("<b>", "").replace("</b>", "")) \
        in text
    assert f"{t(lang, 'levels_chart')} (n = 212)" in text
    assert t(lang, "pool_n", label=t(lang, "brief_group"), n="212") in text
    pool = "48.213" if lang == "vi" else "48,213"
    assert f"(n = {pool})" in text and f"{t(lang, 'brief_firms')} (n = 212)" in text
    assert "28%" in text and "33%" in text  # the means


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_staff_brief_hides_small_cells_and_shows_differences(briefs, lang):
    text = squash(all_text(briefs[lang]))
    mark = t(lang, "suppressed_mark")
    # levels: 3 firms at level 4 hidden, and 23 at level 3 with it (else 212 minus the rest gives it away)
    assert "41 (19%)" in text and "88 (42%)" in text and "57 (27%)" in text and "0 (0%)" in text
    assert "23 (11%)" not in text and "3 (1%)" not in text
    # pillar comparison: whole-point differences, group minus pool; the 4-firm pillar hidden
    for diff in ("\u22125", "\u22126", "0"):
        assert diff in text
    assert "+1" not in text  # 38 vs 37.6: 38 − 38 = 0 (rounded shares, as printed)
    data_row = squash(f"{PILLAR_NAMES[5][lang]} {mark} 21% —")
    assert data_row in text
    # needs: a count of 3 firms hidden, with its share
    assert squash(f"3 {BRIEF.needs[2].name[lang]} {mark} {mark}") in text
    assert "131" in text and "62%" in text
    # breakdown: a 4-firm group's size shown as under 5, its mean hidden
    assert squash(f"{BRIEF.breakdowns[0].rows[2].name[lang]} < 5 {mark}") in text
    assert squash(t(lang, "suppressed_note", k=5)) in text and squash(t(lang, "brief_method", k=5)) in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_staff_brief_for_a_group_under_five_shows_only_its_filter(lang):
    text = squash(all_text(render_staff_brief(dataclasses.replace(BRIEF, n=4), lang)))
    assert t(lang, "suppressed", k=5)[1:] in text and t(lang, "under_k", k=5) in text
    for hidden in ["41 (19%)", BRIEF.needs[0].name[lang], PILLAR_NAMES[0][lang], "28%"]:
        assert hidden not in text, hidden
    assert "Lào Cai" in text or "Lao Cai" in text
    empty = squash(all_text(render_staff_brief(dataclasses.replace(BRIEF, n=0, filters=[]), lang)))
    assert t(lang, "brief_no_data") in empty and t(lang, "brief_filter_all") in empty


def test_hidden_cells_hide_a_second_cell_when_one_alone_would_be_worked_out():
    assert hidden_cells([41, 88, 57, 23, 3, 0], 5) == {3, 4}
    assert hidden_cells([41, 88, 2, 23, 3, 0], 5) == {2, 4}
    assert hidden_cells([41, 88, 57, 23, 7, 0], 5) == set()
    assert hidden_cells([0, 0, 9, 0], 5) == set()
    assert hidden_cells([3, 0, 0], 5) == {0}  # nothing else to hide with it: the group's n is hidden anyway


# ---------------------------------------------------------------- both documents


def test_same_input_same_bytes_fonts_and_margins(rooms, briefs, tmp_path):
    assert render_room_summary(ROOM, "vi") == rooms["vi"]
    assert render_staff_brief(BRIEF, "vi") == briefs["vi"]
    for key, pdf in {**{f"room-{k}": v for k, v in rooms.items()}, **{f"brief-{k}": v for k, v in briefs.items()}}.items():
        assert all("DejaVuSans" in name for name in font_names(pdf)), key
        assert_margins_blank(page_images(pdf, tmp_path / key))


def test_hostile_text_in_the_data_is_printed_not_obeyed():
    room = dataclasses.replace(ROOM, workshop_name="<b>Club</b> & </para> " + "W" * 100_000,
                               top_gaps=[NamedCount("<i>gap</i> & co", 9)])
    text = squash(all_text(render_room_summary(room, "en")))
    assert "<b>Club</b> & </para> WWW" in text and "<i>gap</i> & co" in text and "W" * 300 not in text
