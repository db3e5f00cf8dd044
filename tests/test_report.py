"""The PDF roadmap: text in both languages, hostile input, determinism, fonts, pages, CLI."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import unicodedata
from datetime import date
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest

from report import render_pdf
from report.fonts import FONT_DIR, PLACEHOLDER, clean, has_glyph
from report.pdf import MAX_NAME
from report.text import STRINGS, t
from scoring.engine import score_assessment
from scoring.loader import load_questionnaire_text
from scoring.model import FirmProfile
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
WHEN = date(2026, 3, 5)

LEVELS = [
    ("Chưa chuyển đổi số", "Not started"),
    ("Khởi động", "Initiating"),
    ("Bắt đầu", "Beginning"),
    ("Hình thành", "Forming"),
    ("Nâng cao", "Advanced"),
    ("Dẫn dắt", "Leading"),
]
PILLARS = {
    "customer": ("Trải nghiệm số cho khách hàng", "Customer digital experience"),
    "strategy": ("Chiến lược", "Strategy"),
    "infrastructure": ("Hạ tầng và công nghệ số", "Digital infrastructure and technology"),
    "operations": ("Vận hành", "Operations"),
    "culture": ("Chuyển đổi số văn hóa doanh nghiệp", "Digital transformation of corporate culture"),
    "data": ("Dữ liệu và tài sản thông tin", "Data and information assets"),
}


def _levels_yaml() -> str:
    return "\n".join(
        f"  - {{level: {i}, name: {{vi: {vi}, en: {en}}}, meaning: {{vi: Ý nghĩa mức {i}, en: Meaning of level {i}}}}}"
        for i, (vi, en) in enumerate(LEVELS)
    )


def _pillar_head(pid: str) -> str:
    vi, en = PILLARS[pid]
    return f"  - id: {pid}\n    name: {{vi: {vi}, en: {en}}}\n    questions:"


# Six DBI pillars with every question type, advice, capability tags, N/A, a condition and free text.
SIX = f"""
id: six_test
version: "2026.1"
title: {{vi: Đánh giá sáu trụ cột, en: Six-pillar assessment}}
description: {{vi: Bộ câu hỏi thử, en: A test questionnaire}}
levels:
{_levels_yaml()}
pillars:
{_pillar_head("customer")}
      - id: cust_channels
        type: single
        text: {{vi: "Khách tìm và mua hàng của bạn qua đâu?", en: "Where do customers find and buy from you?"}}
        options:
          - {{id: shop, label: {{vi: Chỉ tại cửa hàng, en: Only in the shop}}, points: 0, gaps: [marketing, ecommerce],
             advice: {{vi: "Mở trang bán hàng trên mạng xã hội", en: "Open a social-media shop page"}}}}
          - {{id: social, label: {{vi: Qua mạng xã hội, en: Through social media}}, points: 2, gaps: [ecommerce],
             advice: {{vi: "Mở gian hàng trên sàn thương mại điện tử", en: "Open a marketplace store"}}}}
          - {{id: web, label: {{vi: Website bán hàng, en: An online shop}}, points: 5, uses: [ecommerce]}}
      - id: cust_site
        type: yesno
        text: {{vi: "Có website riêng không?", en: "Do you have your own website?"}}
        options:
          - {{id: "yes", points: 5}}
          - {{id: "no", points: 0, advice: {{vi: "Làm một website đơn giản", en: "Build a simple website"}}}}
      - id: cust_site_updates
        type: single
        show_if: {{question: cust_site, in: ["yes"]}}
        text: {{vi: "Website được cập nhật thế nào?", en: "How often is the website updated?"}}
        options:
          - {{id: rarely, label: {{vi: Hiếm khi, en: Rarely}}, points: 0}}
          - {{id: weekly, label: {{vi: Hằng tuần, en: Weekly}}, points: 5}}
{_pillar_head("strategy")}
      - id: strat_plan
        type: single
        text: {{vi: "Doanh nghiệp có kế hoạch chuyển đổi số không?", en: "Does the firm have a digital plan?"}}
        options:
          - {{id: none, label: {{vi: Chưa có, en: None}}, points: 0,
             advice: {{vi: "Viết ra ba việc số hóa trong năm", en: "Write down three digital steps for the year"}}}}
          - {{id: written, label: {{vi: Có kế hoạch viết ra, en: A written plan}}, points: 25}}
{_pillar_head("infrastructure")}
      - id: infra_backup
        type: yesno
        text: {{vi: "Dữ liệu có được sao lưu tự động không?", en: "Is data backed up automatically?"}}
        options:
          - {{id: "yes", points: 5, uses: [security_backup]}}
          - {{id: "no", points: 0, gaps: [security_backup],
             advice: {{vi: "Bật sao lưu tự động lên đám mây", en: "Turn on automatic cloud backup"}}}}
      - id: infra_practices
        type: matrix
        aggregate: sum
        text: {{vi: "Thực hành an toàn thông tin", en: "Security practices"}}
        rows:
          - {{id: passwords, label: {{vi: Mật khẩu mạnh, en: Strong passwords}}}}
          - {{id: updates, label: {{vi: Cập nhật phần mềm, en: Software updates}}}}
        options:
          - {{id: no, label: {{vi: Không, en: No}}, points: 0, advice: {{vi: "Đặt quy tắc an toàn", en: "Set security rules"}}}}
          - {{id: partly, label: {{vi: Một phần, en: Partly}}, points: 1}}
          - {{id: fully, label: {{vi: Đầy đủ, en: Fully}}, points: 2}}
      - id: tools
        type: multi
        scoring: none
        required: false
        text: {{vi: "Bạn đang dùng những công cụ nào?", en: "Which tools do you already use?"}}
        options:
          - {{id: acc, label: {{vi: Phần mềm kế toán, en: Accounting software}}, uses: [accounting]}}
          - {{id: inv, label: {{vi: Hóa đơn điện tử, en: E-invoicing}}, uses: [e_invoice]}}
          - {{id: nothing, label: {{vi: Chưa dùng công cụ nào, en: None yet}}, exclusive: true}}
{_pillar_head("operations")}
      - id: ops_invoice
        type: single
        text: {{vi: "Doanh nghiệp xuất hóa đơn thế nào?", en: "How does the firm issue invoices?"}}
        options:
          - {{id: paper, label: {{vi: Hóa đơn giấy, en: Paper invoices}}, points: 0, gaps: [e_invoice],
             advice: {{vi: "Chuyển sang hóa đơn điện tử", en: "Move to e-invoices"}}}}
          - {{id: einvoice, label: {{vi: Hóa đơn điện tử, en: E-invoices}}, points: 5, uses: [e_invoice]}}
      - id: ops_online_share
        type: number
        min: 0
        max: 100
        allow_na: true
        unit: {{vi: "%", en: "%"}}
        text: {{vi: "Bao nhiêu phần trăm đơn hàng xử lý trên phần mềm?", en: "What share of orders is handled in software?"}}
        bands:
          - {{from: 0, points: 0, gaps: [pos_inventory]}}
          - {{from: 50, points: 5}}
{_pillar_head("culture")}
      - id: culture_training
        type: scale
        min: 0
        max: 5
        text: {{vi: "Nhân viên được đào tạo kỹ năng số đến đâu?", en: "How well trained in digital skills are staff?"}}
        anchors: {{0: {{vi: Chưa, en: Not at all}}, 5: {{vi: Bài bản, en: Thoroughly}}}}
        advice: {{vi: "Tổ chức buổi học kỹ năng số mỗi quý", en: "Hold a digital-skills session every quarter"}}
      - id: culture_notes
        type: text
        text: {{vi: "Ghi chú thêm", en: "Other notes"}}
{_pillar_head("data")}
      - id: data_reports
        type: single
        allow_na: true
        text: {{vi: "Bạn xem số liệu kinh doanh thế nào?", en: "How do you look at business figures?"}}
        options:
          - {{id: none, label: {{vi: Không xem, en: We do not}}, points: 0, gaps: [bi_data]}}
          - {{id: monthly, label: {{vi: Báo cáo tháng, en: Monthly reports}}, points: 3, gaps: [bi_data],
             advice: {{vi: "Dùng bảng điều khiển số liệu", en: "Use a dashboard"}}}}
          - {{id: dashboard, label: {{vi: Bảng điều khiển, en: Dashboards}}, points: 5, uses: [bi_data]}}
rules:
  pillar_levels:
    - {{level: 1, min_percent: 10}}
    - {{level: 2, min_percent: 20}}
    - {{level: 3, min_percent: 40}}
    - {{level: 4, min_percent: 60}}
    - {{level: 5, min_percent: 80}}
  overall:
    method: composite
    requirements:
      - {{level: 1, total_percent_above: 6.25, min_pillars: 4}}
      - {{level: 2, total_percent_above: 20, min_pillars: 4}}
      - {{level: 3, total_percent_above: 40, min_pillars: 4}}
      - {{level: 4, total_percent_above: 60, min_pillars: 5}}
      - {{level: 5, total_percent_above: 80, min_pillars: 6}}
"""

QUICK = SIX.replace("id: six_test", "id: quick_test\nindicative: true", 1)

ANSWERS = {
    "cust_channels": "social",
    "cust_site": "no",
    "cust_site_updates": "weekly",  # stale answer on a hidden question: ignored, shown as "not asked"
    "strat_plan": "written",
    "infra_backup": "no",
    "infra_practices": {"passwords": "partly", "updates": "no"},
    "tools": ["nothing"],
    "ops_invoice": "paper",
    "ops_online_share": "na",
    "culture_training": 2,
    "culture_notes": 'Cần <b>hỗ trợ</b> & "đào tạo" </para> 🚀',
    "data_reports": "monthly",
}

HOSTILE_NAMES = {
    "markup": '<b>&amp; "x" </para>',
    "long_word": "Q" * 200,  # FirmProfile.name holds at most 200 characters (scoring.model.FIRM_NAME_MAX)
    "emoji": "Cửa hàng 🚀 Hoa Sen",
    "arabic": "شركة النور للتجارة",
    "hebrew": "חברת אור בע״מ",
    "vietnamese": "Công ty TNHH Thương mại Đồng Tháp Ưu Việt",
    "decomposed": unicodedata.normalize("NFD", "Công ty Phở Hà Nội"),
    "controls": "Firm\x00\x07\u202eName\u200f",
}


# ---------------------------------------------------------------- helpers


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def squash(s: str) -> str:
    """Whitespace runs to one space (lines wrap inside table cells and headings)."""
    return re.sub(r"\s+", " ", nfc(s)).strip()


def nospace(s: str) -> str:
    return re.sub(r"\s+", "", nfc(s))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def font_names(pdf: bytes) -> set[str]:
    """Every BaseFont in the font resources of every page and form XObject."""
    names: set[str] = set()

    def walk(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
        for xobj in (resources.get("/XObject") or {}).values():
            xobj = xobj.get_object()
            if xobj.get("/Subtype") == "/Form":
                walk(xobj.get("/Resources"))

    for page in pypdf.PdfReader(BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return names


@pytest.fixture(scope="module")
def six():
    return load_questionnaire_text(SIX, "six.yaml")


@pytest.fixture(scope="module")
def quick():
    return load_questionnaire_text(QUICK, "quick.yaml")


def _recommend(q, result, profile):
    from scoring.recommend import recommend

    return recommend(q, result, profile)


def build(q, lang="vi", name="Công ty TNHH Hoa Sen", benchmark=None, answers=ANSWERS, recs="real"):
    result = score_assessment(q, answers)
    profile = FirmProfile(name=name, sector="G", size_band="small", province="ha_noi", staff=12)
    recommendations = _recommend(q, result, profile) if recs == "real" else recs
    pdf = render_pdf(q, result, recommendations, profile, lang=lang, benchmark=benchmark, answers=answers, when=WHEN)
    return pdf, result, recommendations


BENCH = SimpleNamespace(n=17, pillars={"customer": 55.0, "strategy": 40.0, "infrastructure": 62.5,
                                       "operations": 48.0, "culture": 35.0, "data": 70.0})


@pytest.fixture(scope="module")
def vi_report(six):
    return build(six, "vi", benchmark=BENCH)


@pytest.fixture(scope="module")
def en_report(six):
    return build(six, "en")


# ---------------------------------------------------------------- content in both languages


def test_vietnamese_level_and_pillar_names_exact(vi_report):
    pdf, result, _ = vi_report
    text = squash(all_text(pdf))
    level_vi = LEVELS[result.overall_level][0]
    assert f"Mức {result.overall_level} · {level_vi}" in text
    for vi, _ in PILLARS.values():
        assert vi in text, vi
    # diacritics intact: stacked marks (ằ, ệ, ữ) and đ survive extraction as precomposed letters
    for word in ("Hạ tầng và công nghệ số", "Dữ liệu và tài sản thông tin", "Chuyển đổi số văn hóa doanh nghiệp"):
        assert word in text
    assert text == nfc(text)
    assert "Tóm tắt" in text and "Lộ trình theo giai đoạn" in text and "Phụ lục" in text


def test_english_level_and_pillar_names(en_report):
    pdf, result, _ = en_report
    text = squash(all_text(pdf))
    assert f"Level {result.overall_level} · {LEVELS[result.overall_level][1]}" in text
    for _, en in PILLARS.values():
        assert en in text, en
    assert "Summary" in text and "Phased roadmap" in text and "Appendix: every answer" in text
    assert "Trang" not in text and "trang " not in text


def test_every_recommended_platform_appears(vi_report):
    pdf, _, recs = vi_report
    assert recs.categories, "the test answers should lead to platform recommendations"
    text = nospace(all_text(pdf))
    for category in recs.categories:
        assert nospace(category.name.get("vi")) in text
        for p in category.platforms:
            assert nospace(clean(p.name)) in text, p.name
            assert nospace(clean(p.vendor)) in text, p.vendor


def test_roadmap_actions_and_targets(en_report):
    pdf, _, recs = en_report
    text = nospace(all_text(pdf))
    for action in recs.roadmap.actions():
        assert nospace(clean(action.text.get("en"))) in text
    for key in ("phase_0-3", "phase_3-12", "phase_12-24", "targets", "in_12m", "in_24m"):
        assert nospace(t("en", key)) in text


def test_pillar_pages_strengths_and_advice(en_report, six):
    pdf, result, _ = en_report
    text = nospace(all_text(pdf))
    for pillar in six.pillars:
        for qid in result.strengths(pillar.id):
            assert nospace(six.question(qid).text.get("en")) in text
    for advice in result.advice:
        assert nospace(advice.text.get("en")) in text
    assert nospace("Write down three digital steps") not in text  # strategy is at the top: no advice


def test_summary_page_names_level_strongest_weakest_and_first_actions(vi_report):
    pdf, result, recs = vi_report
    pages = page_texts(pdf)
    summary = next(p for p in pages if "Tóm tắt" in p)
    flat = nospace(summary)
    assert nospace(LEVELS[result.overall_level][0]) in flat
    for pid in result.strongest + result.weakest:
        assert nospace(PILLARS[pid][0]) in flat
    for action in recs.roadmap.actions()[:3]:
        assert nospace(action.text.get("vi")) in flat


def test_appendix_shows_every_answer_in_words(en_report):
    pdf, _, _ = en_report
    pages = page_texts(pdf)
    start = next(i for i, p in enumerate(pages) if "Appendix: every answer" in p)
    appendix = squash("\n".join(pages[start:]))
    assert "Through social media" in appendix
    assert t("en", "answer_hidden") in appendix  # cust_site_updates: hidden by cust_site = no
    assert t("en", "answer_na") in appendix  # ops_online_share: N/A
    assert "Strong passwords: Partly" in appendix and "Software updates: No" in appendix
    assert "2 / 5" in appendix
    # the free-text answer as typed, markup shown and not obeyed; the emoji replaced
    assert nospace('Cần <b>hỗ trợ</b> & "đào tạo" </para>') in nospace(appendix)
    assert "🚀" not in appendix
    assert "Weekly" not in appendix  # the stale answer of a hidden question is not printed


def test_vi_appendix_words(vi_report):
    text = squash(all_text(vi_report[0]))
    assert "Không áp dụng" in text and "Không hỏi" in text and "Qua mạng xã hội" in text


def test_benchmark_section_only_with_a_benchmark(vi_report, en_report):
    assert nospace(t("vi", "bench_note", n=17)) in nospace(all_text(vi_report[0]))
    assert nospace(t("en", "bench_title")) not in nospace(all_text(en_report[0]))


def test_quick_check_is_marked_indicative(quick):
    pdf, result, _ = build(quick, "en")
    assert result.indicative
    text = squash(all_text(pdf))
    assert "INDICATIVE RESULT" in text and "quick check" in text
    pdf_vi, _, _ = build(quick, "vi")
    assert "KẾT QUẢ SƠ BỘ" in squash(all_text(pdf_vi))


def _support_page(pdf: bytes, lang: str) -> str:
    pages = page_texts(pdf)
    start = next(i for i, p in enumerate(pages) if squash(t(lang, "support_title")) in squash(p))
    end = next(i for i, p in enumerate(pages) if squash(t(lang, "appendix")) in squash(p))
    return squash(" ".join(pages[start:end]))


def test_support_page_in_both_languages(vi_report, en_report):
    """Decree 80/2021 Art. 11 as the decree says it; nothing unsourced (no SMEdx "3–6 months free")."""
    vi = _support_page(vi_report[0], "vi")
    en = _support_page(en_report[0], "en")
    assert "SMEdx" in vi and "Điều 11 Nghị định 80/2021/NĐ-CP" in vi and "tối đa 50% chi phí thuê, mua" in vi
    assert "20 triệu đồng" in vi and "50 triệu đồng" in vi and "100 triệu đồng" in vi
    assert "Hộ kinh doanh không phải là doanh nghiệp nhỏ và vừa" in vi
    assert "hợp đồng tư vấn" in vi and "không phải tư vấn pháp lý" in vi
    assert "Article 11 of Decree 80/2021/NĐ-CP" in en and "up to 50% of the cost of renting or buying" in en
    assert "VND 20 million" in en and "VND 50 million" in en and "VND 100 million" in en
    assert "Household businesses are not SMEs" in en and "not legal advice" in en
    for text in (vi, en):
        assert "3–6" not in text and "3 to 6" not in text and "3 đến 6" not in text
        assert "miễn phí" not in text and " free " not in text  # no promise of free courses or trials
        assert "1970/QĐ-BTTTT" in text and "2158/QĐ-BTTTT" in text  # what DBI is, and that it was revised
    assert "không phải đánh giá hay xếp hạng chính thức" in vi and "not an official assessment or rating" in en


def test_every_string_has_both_languages():
    assert set(STRINGS["vi"]) == set(STRINGS["en"])
    assert all(v.strip() for lang in STRINGS.values() for v in lang.values())


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize("key", list(HOSTILE_NAMES))
def test_hostile_firm_names_render_as_typed(six, key):
    name = HOSTILE_NAMES[key]
    pdf, _, _ = build(six, "vi", name=name)
    text = all_text(pdf)
    # right-to-left names are drawn in visual order; text extraction gives them back as typed
    expected = nfc(name) if key in ("arabic", "hebrew") else clean(name).strip()
    if len(expected) > MAX_NAME:  # a name is cut to MAX_NAME characters, with "…"
        expected = expected[:MAX_NAME] + "…"
    # what the font can draw appears exactly as typed (wrapped lines aside); markup is not obeyed
    assert nospace(expected) in nospace(text)
    if key == "markup":
        assert '<b>&amp; "x" </para>' in squash(text)
    if key == "emoji":
        assert "🚀" not in text and PLACEHOLDER in text
    if key in ("arabic", "hebrew", "vietnamese"):
        assert all(has_glyph(ch) for ch in name if not ch.isspace())
        assert expected == nfc(name)
    if key in ("arabic", "hebrew"):
        # drawn in visual order everywhere (cover and every header), never reversed twice
        flat = nospace(text)
        assert flat.count(nospace(name)) == len(page_texts(pdf)) + 1
        assert nospace(name)[::-1] not in flat
    if key == "decomposed":
        assert nfc(name) in squash(text)
    if key == "controls":
        assert "FirmName" in nospace(text)
    reader = pypdf.PdfReader(BytesIO(pdf))
    assert expected[:40] in reader.metadata.title


def test_hostile_catalogue_and_roadmap_text_with_stand_ins(six):
    """render_pdf needs only the field names of the contract: stand-ins work, and their text is escaped."""
    text_of = lambda s: SimpleNamespace(get=lambda lang, s=s: s)  # noqa: E731 - a Text look-alike
    pick = SimpleNamespace(
        id="x", name="Nền tảng <i>X</i> & Co", vendor="Nhà cung cấp 🚀", website="https://x.example.vn/",
        price_band="low", free_trial="yes", smedx="yes", decree80="unknown", reason=text_of("W" * 120),
    )
    category = SimpleNamespace(
        category="crm", name=text_of("Quản lý khách hàng"), problem=text_of("Thiếu </para> CRM"), mode="adopt",
        score=1.0, pillars=["customer"], questions=["cust_channels"], reason=text_of("Vì «Chỉ tại cửa hàng»"),
        platforms=[pick],
    )
    action = SimpleNamespace(
        id="a1", pillar="customer", from_level=0, to_level=1, phase="0-3", text=text_of("Mở <b>Zalo OA</b>"),
        category="crm", support=text_of("SMEdx & NĐ 80"), reason=text_of("Lý do"), questions=["cust_channels"],
    )
    recs = SimpleNamespace(
        categories=[category],
        roadmap=SimpleNamespace(phases={"0-3": [action], "3-12": [], "12-24": []},
                                targets={"customer": {"now": 0, "12m": 1, "24m": 2}}),
    )
    pdf, _, _ = build(six, "vi", recs=recs)
    text = squash(all_text(pdf))
    assert "Nền tảng <i>X</i> & Co" in text
    assert "Nhà cung cấp " + PLACEHOLDER in text
    assert "Thiếu </para> CRM" in text and "Mở <b>Zalo OA</b>" in text and "SMEdx & NĐ 80" in text
    assert t("vi", "phase_empty") in text


def test_without_recommendations(six):
    pdf, _, _ = build(six, "en", recs=None)
    text = squash(all_text(pdf))
    assert t("en", "no_categories") in text and t("en", "phase_empty") in text


def test_clean_replaces_missing_glyphs_and_drops_controls():
    assert clean("a🚀b") == f"a{PLACEHOLDER}b"
    assert clean("a🚀🚀\ufe0fb") == f"a{PLACEHOLDER}b"
    assert clean("x\x00y\u202ez") == "xyz"
    assert clean(unicodedata.normalize("NFD", "Việt")) == "Việt"
    assert clean("\ud800x") == "x"  # a lone surrogate
    assert clean(None) == ""
    assert clean("Firm שלום 123 עולם end") == "Firm םלוע 123 םולש end"  # visual order, number kept
    assert clean("Firm שלום 123 עולם end", visual=False) == "Firm שלום 123 עולם end"
    assert clean("שלום 2026 abc") == "2026 םולש abc"  # a number after RTL letters joins their run


# ---------------------------------------------------------------- the document


def test_identical_input_gives_identical_bytes(six):
    first, _, _ = build(six, "vi", benchmark=BENCH)
    second, _, _ = build(six, "vi", benchmark=BENCH)
    assert first == second


def test_concurrent_renders_match(six, vi_report):
    """Streamlit renders in many threads at once: shared fonts and styles must not leak between them."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: build(six, "vi", benchmark=BENCH)[0], range(6)))
    assert all(pdf == vi_report[0] for pdf in results)


def test_identical_bytes_across_processes(vi_report):
    script = f"""
import sys, hashlib
sys.path.insert(0, {str(ROOT)!r})
sys.path.insert(0, {str(ROOT / "tests")!r})
from test_report import build, BENCH, SIX
from scoring.loader import load_questionnaire_text
pdf, _, _ = build(load_questionnaire_text(SIX, "six.yaml"), "vi", benchmark=BENCH)
print(hashlib.sha256(pdf).hexdigest())
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}, check=True)
    assert out.stdout.strip() == hashlib.sha256(vi_report[0]).hexdigest()


def test_page_count_and_page_x_of_y_on_every_page(vi_report, en_report, six):
    for (pdf, _, _), lang in ((vi_report, "vi"), (en_report, "en")):
        pages = page_texts(pdf)
        total = len(pages)
        # cover, summary, results, a page per pillar, roadmap, platforms, support, appendix
        assert len(six.pillars) + 7 <= total <= 40
        for number, text in enumerate(pages, 1):
            assert t(lang, "page_of", x=number, y=total) in text, (lang, number)
            assert t(lang, "tool_name") in text
            assert "Hoa Sen" in text  # the firm in the header
            assert len(squash(text)) > 250, (lang, number)  # no blank page: more than header and footer


def test_quick_check_pillars_share_pages(quick, six):
    """A quick check's short pillars flow together (a page each would print near-empty sheets)."""
    quick_pages = len(page_texts(build(quick, "en")[0]))
    full_pages = len(page_texts(build(six, "en")[0]))
    assert quick_pages < full_pages
    for text in page_texts(build(quick, "en")[0]):
        assert len(squash(text)) > 250


def test_only_the_shipped_ttf_fonts(vi_report, en_report):
    base14 = {"Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats"}
    for pdf in (vi_report[0], en_report[0]):
        names = font_names(pdf)
        assert names, "no fonts found"
        for name in names:
            assert "DejaVuSans" in name, name
            assert not any(b in name for b in base14), name


def test_metadata(vi_report, en_report):
    reader = pypdf.PdfReader(BytesIO(vi_report[0]))
    meta = reader.metadata
    assert meta.title.startswith(t("vi", "doc_title")) and "Hoa Sen" in meta.title
    assert meta.author == t("vi", "tool_name")
    assert meta.subject == t("vi", "doc_subject")
    assert reader.trailer["/Root"]["/Lang"] == "vi-VN"
    en = pypdf.PdfReader(BytesIO(en_report[0]))
    assert en.trailer["/Root"]["/Lang"] == "en" and en.metadata.subject == t("en", "doc_subject")


def test_fonts_are_shipped_with_their_licence():
    for file in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert (FONT_DIR / file).is_file()
    assert "Bitstream" in (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")


def test_a_small_questionnaire_and_defaults(tiny):
    answers = {"has_site": "yes", "site_updates": "weekly", "channels": "na", "skill": 4, "online_share": 60,
               "practices": {"backup": "fully", "passwords": "fully"}}
    result = score_assessment(tiny, answers)
    pdf = render_pdf(tiny, result, None, FirmProfile())  # no answers, no date, no name: still a report
    text = squash(all_text(pdf))
    assert t("vi", "no_name") in text and "Bán hàng" in text
    assert pdf.startswith(b"%PDF")


# ---------------------------------------------------------------- CLI


def test_cli_writes_a_report(tmp_path):
    qfile = tmp_path / "six.yaml"
    qfile.write_text(SIX, encoding="utf-8")
    afile = tmp_path / "answers.json"
    afile.write_text(json.dumps(ANSWERS, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.pdf"
    run = run_cli("report", str(qfile), str(afile), "-o", str(out), "--lang", "en", "--name", "Hoa Sen <Co>",
               "--sector", "g", "--size", "small", "--date", "2026-03-05")
    assert run.returncode == 0, run.stderr
    text = squash(all_text(out.read_bytes()))
    assert "Hoa Sen <Co>" in text and "Customer digital experience" in text
    assert "G — Wholesale and retail trade; repair of motor vehicles and motorcycles" in text  # the reference's name


def test_cli_bad_answers_list_every_problem(tmp_path):
    qfile = tmp_path / "six.yaml"
    qfile.write_text(SIX, encoding="utf-8")
    afile = tmp_path / "answers.json"
    afile.write_text(json.dumps({"cust_channels": "bogus", "strat_plan": "none", "nope": 1}), encoding="utf-8")
    out = tmp_path / "out.pdf"
    run = run_cli("report", str(qfile), str(afile), "-o", str(out))
    assert run.returncode == 1
    assert "cust_channels" in run.stderr and "nope: unknown question" in run.stderr
    assert "infra_backup: required answer missing" in run.stderr
    assert "Traceback" not in run.stderr and not out.exists()


@pytest.mark.parametrize("qid", ["dbi_sme", "quick_check"])
def test_bundled_questionnaires_render(qid):
    """The real questionnaires: random full assessments render in both languages."""
    import random

    from scoring.loader import load_bundled
    from scoring.sample import random_answers

    q = load_bundled(qid)  # shipped: a missing file fails, never skips
    rng = random.Random(5)
    for lang in ("vi", "en"):
        answers = random_answers(q, rng)
        pdf, result, _ = build(q, lang, answers=answers)
        text = squash(all_text(pdf))
        assert q.level(result.overall_level).name.get(lang) in text
        for pillar in q.pillars:
            assert squash(pillar.name.get(lang)) in text
        assert all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold)?", name) for name in font_names(pdf))


# ---------------------------------------------------------------- the real full assessment, looked at


def _dbi_answers(q, seed: int, skill: float | None = None) -> dict:
    import random

    from scoring.sample import random_answers

    return random_answers(q, random.Random(seed), skill=skill)


@pytest.fixture(scope="module")
def dbi_reports(dbi):
    """Rendered once: a middling firm (seed 3, as first looked at) and a weak one, in vi and en."""
    q = dbi
    middling, weak = _dbi_answers(q, 3), _dbi_answers(q, 5, skill=0.0)
    return {
        (kind, lang): (build(q, lang, answers=answers), answers)
        for kind, answers in (("middling", middling), ("weak", weak))
        for lang in ("vi", "en")
    }


def test_dbi_cover_names_province_and_size_from_the_reference(dbi_reports):
    """The province printed with its accents ("Ha Noi" was the id title-cased)."""
    vi = squash(page_texts(dbi_reports["middling", "vi"][0][0])[0])
    en = squash(page_texts(dbi_reports["middling", "en"][0][0])[0])
    assert "Hà Nội" in vi and "Ha Noi" not in vi
    assert "Doanh nghiệp nhỏ" in vi
    assert "Hanoi" in en and "Ha Noi" not in en
    assert "Small enterprise" in en


def test_percent_answers_have_no_space_before_the_sign(dbi):
    from report.pdf import answer_text
    from scoring.engine import ANSWERED

    q = dbi
    share = next(x for _, x in q.questions() if x.type == "number" and x.unit and x.unit.get("vi") == "%")
    assert answer_text(share, ANSWERED, 91.0, "vi") == "91%"
    assert answer_text(share, ANSWERED, 50.5, "vi") == "50,5%"
    assert answer_text(share, ANSWERED, 50.5, "en") == "50.5%"


def test_dbi_pdf_prints_percent_answers_like_its_own_percentages(dbi, dbi_reports):
    from report.text import format_number

    (pdf, _, _), answers = dbi_reports["middling", "vi"]
    q = dbi
    text = squash(all_text(pdf))
    shares = [x for _, x in q.questions() if x.type == "number" and x.unit and x.unit.get("vi") == "%"]
    assert shares
    for x in shares:
        if isinstance(answers.get(x.id), (int, float)):
            number = format_number(answers[x.id], "vi")
            assert f"{number}%" in text and f"{number} %" not in text


def test_scale_answer_between_anchors_names_both():
    """A scale with words at 0, 2 and 5 only: a 3 says which two it lies between. (The bundled
    DBI scale, 5.2.4, names all six steps, so the scale is written here.)"""
    from report.pdf import answer_text
    from scoring.engine import ANSWERED
    from scoring.model import ScaleQuestion

    scale = ScaleQuestion.model_validate({
        "id": "leadership", "type": "scale", "min": 0, "max": 5,
        "text": {"vi": "Lãnh đạo tham gia chuyển đổi số đến mức nào?", "en": "How involved are the leaders?"},
        "anchors": {0: {"vi": "Không quan tâm", "en": "Not interested"},
                    2: {"vi": "Ủng hộ nhưng giao cho người khác", "en": "Supportive, but leave it to others"},
                    5: {"vi": "Trực tiếp dẫn dắt", "en": "Lead it themselves"}},
    })
    keys = sorted(scale.anchors)
    gap = next(v for v in range(keys[0] + 1, keys[-1]) if v not in scale.anchors)
    lo = max(k for k in keys if k < gap)
    hi = min(k for k in keys if k > gap)
    for lang in ("vi", "en"):
        markup = answer_text(scale, ANSWERED, gap, lang)
        plain = nfc(re.sub(r"<[^>]+>", "", markup))
        assert plain.startswith(f"{gap} / {scale.max} (")
        assert nfc(scale.anchors[lo].get(lang)) in plain and nfc(scale.anchors[hi].get(lang)) in plain
        word = "giữa" if lang == "vi" else "between"
        assert word in plain
        exact = nfc(re.sub(r"<[^>]+>", "", answer_text(scale, ANSWERED, lo, lang)))
        assert exact == nfc(f"{lo} / {scale.max} ({scale.anchors[lo].get(lang)})")


def test_dbi_scale_answers_in_the_pdf_carry_words(dbi, dbi_reports):
    q = dbi
    for lang in ("vi", "en"):
        (pdf, _, _), answers = dbi_reports["middling", lang]
        text = squash(all_text(pdf))
        for _, x in q.questions():
            value = answers.get(x.id)
            if x.type != "scale" or not isinstance(value, int) or not x.anchors:
                continue
            keys = sorted(x.anchors)
            if value in x.anchors:
                assert squash(f"{value} / {x.max} ({x.anchors[value].get(lang)})") in text
            elif keys[0] < value < keys[-1]:
                lo = x.anchors[max(k for k in keys if k < value)].get(lang)
                assert squash(f"{value} / {x.max} (") in text and squash(lo) in text


def test_dbi_gaps_table_starts_on_its_pillar_page(dbi, dbi_reports):
    """A long gaps table runs over the page; it no longer jumps whole to the next page and leaves
    the pillar page half empty under "What is working"."""
    q = dbi
    for (kind, lang), ((pdf, _, _), _) in dbi_reports.items():
        pages = [squash(p) for p in page_texts(pdf)]
        for pillar in q.pillars:
            title = squash(t(lang, "pillar_page", name=pillar.name.get(lang)))
            page = next(p for p in pages if title in p)
            assert squash(t(lang, "gaps")) in page, (kind, lang, pillar.id)


def test_dbi_roadmap_phase_row_stays_with_its_first_action(dbi_reports):
    for (kind, lang), ((pdf, _, recs), _) in dbi_reports.items():
        pages = [squash(p) for p in page_texts(pdf)]
        phases = recs.roadmap.phases
        checked = 0
        for ph in ("0-3", "3-12", "12-24"):
            label = squash(f"{t(lang, f'phase_{ph}')} · {t(lang, f'phase_{ph}_sub')}")
            holder = [p for p in pages if label in p]
            assert len(holder) == 1, (kind, lang, ph)
            first = phases.get(ph) or []
            expect = squash(first[0].text.get(lang))[:40] if first else squash(t(lang, "phase_empty"))
            assert expect in holder[0], (kind, lang, ph)
            checked += 1
        assert checked == 3


def test_dbi_appendix_never_leaves_one_row_alone_on_a_page(dbi, dbi_reports):
    """The appendix's last page holds at least the last two questions, and every split table
    carries at least two rows onto the next page."""
    q = dbi
    for (kind, lang), ((pdf, _, _), _) in dbi_reports.items():
        pages = [nospace(p) for p in page_texts(pdf)]
        last = q.pillars[-1].questions
        start = next(i for i, p in enumerate(pages) if nospace(t(lang, "appendix")) in p)
        # the appendix's page with the last question (reasons earlier in the report may quote it too)
        page = next(i for i, p in enumerate(pages) if i >= start and nospace(last[-1].text.get(lang)) in p)
        assert nospace(last[-2].text.get(lang)) in pages[page], (kind, lang)
        head = nospace(t(lang, "question") + t(lang, "your_answer"))
        for p in pages[start + 1:]:
            assert p.count(head) >= 1  # every appendix page is a table page


def test_dbi_mode_tag_on_one_line_in_the_pdf(dbi_reports):
    """The "· make better use …" tag wraps as a whole (a lone last word "có" sat on its own line)."""
    for (kind, lang), ((pdf, _, _), _) in dbi_reports.items():
        for page in page_texts(pdf):
            for key in ("mode_improve", "mode_adopt"):
                words = t(lang, key).split()
                for line in nfc(page).replace("\u00a0", " ").splitlines():
                    if f"· {words[0]} {words[1]}" in line:
                        assert squash(t(lang, key)) in squash(line), (kind, lang, line)


def test_split_table_leaves_no_single_row_on_either_page():
    """A table whose heading fits with all but its last row: the last TWO rows move over (one row
    alone on a page looks like a mistake); one that fits with only its first row moves whole."""
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from report.pdf import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_H, P, _heads_with_table, _table
    from report.pdf import W as W_

    def pages_for(room_rows: float) -> list[str]:
        rows = [["question", "answer"]] + [[f"row{i:02d}", "x"] for i in range(1, 11)]
        probe = _table(rows, [W_ * 0.5, W_ * 0.5])
        probe.wrap(W_, 1000)
        head = P("Heading", "h2")
        head_h = head.wrap(W_, 1000)[1] + head.getSpaceBefore() + head.getSpaceAfter()
        frame_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 12
        fill = frame_h - head_h - sum(probe._rowHeights[: 1 + int(room_rows)]) - probe._rowHeights[1] * (room_rows % 1)
        buf = BytesIO()
        doc = SimpleDocTemplate(buf, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                                bottomMargin=MARGIN_BOTTOM, invariant=1)
        table = _table(rows, [W_ * 0.5, W_ * 0.5])
        doc.build([Spacer(1, fill), *_heads_with_table([P("Heading", "h2")], table)])
        return page_texts(buf.getvalue())

    pages = pages_for(9.5)  # room for nine rows and a half
    assert len(pages) == 2
    assert sorted(re.findall(r"row\d\d", pages[1])) == ["row09", "row10"]
    pages = pages_for(1.5)  # room for the first row only: heading and table start the next page
    assert len(pages) == 2 and "Heading" not in pages[0] and "row01" in pages[1] and "row02" in pages[1]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_summary_says_what_the_next_level_takes(dbi, lang):
    """Three full pillars and three empty ones: many points, level 0; the summary says why."""
    from scoring.next_level import next_level

    q = dbi
    from tests.e2e_helpers import all_answers

    answers = all_answers(q, "low", "high")
    pdf, result, _ = build(q, lang, answers=answers)
    assert result.overall_level == 0 and result.total > 20
    step = next_level(q, result)
    summary = squash(next(p for p in page_texts(pdf) if ("Tóm tắt" if lang == "vi" else "Summary") in p))
    name = q.level(1).name.get(lang)  # the level's name as the questionnaire writes it
    want = {
        "vi": [f"Để lên mức 1 · {name} cần:", "ít nhất 4 trụ cột ở mức 1 trở lên (hiện 3) — chưa đạt", "— đã đạt"],
        "en": [f"To reach level 1 · {name} you need:", "at least 4 pillars at level 1 or higher (now 3) — not yet",
               "— done"],
    }[lang]
    for phrase in want:
        assert squash(phrase) in summary, phrase
    closest = q.pillar(step.missing[0].pillars[0]).name.get(lang)
    assert squash(closest) in summary


def test_many_threads_render_different_reports_at_once(six):
    """Different documents built at once (a workshop's PDF ZIP beside owners' downloads) each come
    out whole and equal to the same document built alone."""
    from concurrent.futures import ThreadPoolExecutor

    names = [f"Công ty {i}" for i in range(8)]
    alone = {name: build(six, "vi" if i % 2 else "en", name=name)[0] for i, name in enumerate(names)}
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda item: build(six, "vi" if item[0] % 2 else "en", name=item[1])[0],
                                 list(enumerate(names)) * 2))
    assert together == [alone[name] for name in names] * 2
