"""Platform recommendations and the phased roadmap: fit, reasons, modes, phases, determinism, CLI."""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from scoring.catalogue import CATEGORY_IDS, Catalogue
from scoring.datafile import DataFileError
from scoring.engine import AnswerError, score_assessment
from scoring.loader import load_questionnaire_text
from scoring.model import FirmProfile
from scoring.recommend import PHASES, QUICK_WINS, QUICK_WINS_PER_PILLAR, recommend
from scoring.roadmap_data import (
    DBI_PILLARS,
    ROADMAP_PATH,
    RoadmapError,
    load_bundled_roadmap,
    load_roadmap,
    load_roadmap_text,
)
from tests.cli_helpers import run_cli as cli
from tests.e2e_helpers import all_answers

ROOT = Path(__file__).resolve().parent.parent

# A six-pillar questionnaire with DBI pillar ids and thresholds, capability tags on options and
# a "tools you already use" question whose options carry `uses`.
MINI = """
id: mini_dbi
version: "1"
title: {vi: Thử DBI, en: Mini DBI}
description: {vi: Bộ câu hỏi nhỏ theo sáu trụ cột, en: A small six-pillar questionnaire}
levels:
  - {level: 0, name: {vi: Chưa chuyển đổi số, en: Not started}, meaning: {vi: "-", en: "-"}}
  - {level: 1, name: {vi: Khởi động, en: Start-up}, meaning: {vi: "-", en: "-"}}
  - {level: 2, name: {vi: Bắt đầu, en: Beginning}, meaning: {vi: "-", en: "-"}}
  - {level: 3, name: {vi: Hình thành, en: Formed}, meaning: {vi: "-", en: "-"}}
  - {level: 4, name: {vi: Nâng cao, en: Advanced}, meaning: {vi: "-", en: "-"}}
  - {level: 5, name: {vi: Dẫn dắt, en: Leading}, meaning: {vi: "-", en: "-"}}
pillars:
  - id: customer
    name: {vi: Trải nghiệm khách hàng, en: Customer experience}
    questions:
      - id: cust_channels
        type: single
        text: {vi: "Khách tìm và mua hàng của bạn qua đâu?", en: "Where do customers find and buy from you?"}
        options:
          - {id: none, label: {vi: Chỉ tại cửa hàng, en: Only in the shop}, points: 0, gaps: [marketing, ecommerce]}
          - {id: social, label: {vi: Qua mạng xã hội, en: Through social media}, points: 2, gaps: [ecommerce]}
          - {id: web, label: {vi: Website bán hàng, en: An online shop}, points: 5, uses: [ecommerce]}
  - id: strategy
    name: {vi: Chiến lược, en: Strategy}
    questions:
      - id: strat_plan
        type: single
        text: {vi: "Doanh nghiệp có kế hoạch chuyển đổi số không?", en: "Does the firm have a digital plan?"}
        options:
          - {id: none, label: {vi: Chưa có, en: None}, points: 0}
          - {id: informal, label: {vi: Có ý tưởng, en: Some ideas}, points: 2}
          - {id: written, label: {vi: Có kế hoạch viết ra, en: A written plan}, points: 5}
  - id: infrastructure
    name: {vi: Hạ tầng và công nghệ số, en: Digital infrastructure}
    questions:
      - id: infra_backup
        type: yesno
        text: {vi: "Dữ liệu có được sao lưu tự động không?", en: "Is data backed up automatically?"}
        options:
          - {id: "yes", points: 5, uses: [security_backup]}
          - {id: "no", points: 0, gaps: [security_backup]}
      - id: tools
        type: multi
        scoring: none
        required: false
        text: {vi: "Bạn đang dùng những công cụ nào?", en: "Which tools do you already use?"}
        options:
          - {id: acc, label: {vi: Phần mềm kế toán, en: Accounting software}, uses: [accounting]}
          - {id: inv, label: {vi: Hóa đơn điện tử, en: E-invoicing}, uses: [e_invoice]}
          - {id: pos, label: {vi: Phần mềm bán hàng, en: Sales software}, uses: [pos_inventory]}
          - {id: nothing, label: {vi: Chưa dùng công cụ nào, en: None yet}, exclusive: true}
  - id: operations
    name: {vi: Vận hành, en: Operations}
    questions:
      - id: ops_invoice
        type: single
        text: {vi: "Doanh nghiệp xuất hóa đơn thế nào?", en: "How does the firm issue invoices?"}
        options:
          - {id: paper, label: {vi: Chưa dùng hóa đơn điện tử, en: No e-invoices yet}, points: 0, gaps: [e_invoice]}
          - {id: einvoice, label: {vi: Hóa đơn điện tử, en: E-invoices}, points: 5, uses: [e_invoice]}
      - id: ops_books
        type: single
        text: {vi: "Sổ sách kế toán ghi ở đâu?", en: "Where are the books kept?"}
        options:
          - {id: paper, label: {vi: Sổ giấy, en: Paper ledgers}, points: 0, gaps: [accounting]}
          - {id: excel, label: {vi: Excel, en: Excel}, points: 2, gaps: [accounting]}
          - {id: software, label: {vi: Phần mềm kế toán, en: Accounting software}, points: 5, uses: [accounting]}
  - id: culture
    name: {vi: Văn hóa số, en: Digital culture}
    questions:
      - id: culture_training
        type: scale
        min: 0
        max: 5
        text: {vi: "Nhân viên được đào tạo kỹ năng số đến đâu?", en: "How well trained in digital skills are staff?"}
        anchors: {0: {vi: Chưa, en: Not at all}, 5: {vi: Bài bản, en: Thoroughly}}
  - id: data
    name: {vi: Dữ liệu, en: Data}
    questions:
      - id: data_reports
        type: single
        text: {vi: "Bạn xem số liệu kinh doanh thế nào?", en: "How do you look at business figures?"}
        options:
          - {id: none, label: {vi: Không xem, en: We do not}, points: 0, gaps: [bi_data]}
          - {id: monthly, label: {vi: Báo cáo tháng, en: Monthly reports}, points: 3, gaps: [bi_data]}
          - {id: dashboard, label: {vi: Bảng điều khiển, en: Dashboards}, points: 5, uses: [bi_data]}
rules:
  pillar_levels:
    - {level: 1, min_percent: 10}
    - {level: 2, min_percent: 20}
    - {level: 3, min_percent: 40}
    - {level: 4, min_percent: 60}
    - {level: 5, min_percent: 80}
  overall:
    method: composite
    requirements:
      - {level: 1, total_percent_above: 6.25, min_pillars: 4}
      - {level: 2, total_percent_above: 20, min_pillars: 4}
      - {level: 3, total_percent_above: 40, min_pillars: 4}
      - {level: 4, total_percent_above: 60, min_pillars: 5}
      - {level: 5, total_percent_above: 80, min_pillars: 6}
"""

# A firm near the bottom: paper invoices, Excel books, no backup, social media only.
LOW = {
    "cust_channels": "social",
    "strat_plan": "none",
    "infra_backup": "no",
    "tools": ["nothing"],
    "ops_invoice": "paper",
    "ops_books": "excel",
    "culture_training": 1,
    "data_reports": "monthly",
}


def _cat(cid, vi, en, pillars):
    return {"id": cid, "name": {"vi": vi, "en": en}, "problem": {"vi": f"Thiếu {vi}", "en": f"No {en}"}, "pillars": pillars}


def _plat(pid, category, sizes, sectors, price, trial="no", smedx="no", decree80="no"):
    return {
        "id": pid,
        "name": pid.replace("_", " ").title(),
        "vendor": "Vendor " + pid,
        "category": category,
        "sizes": sizes,
        "sectors": sectors,
        "price_band": price,
        "free_trial": trial,
        "smedx": smedx,
        "decree80": decree80,
        "open_source": False,
        "website": f"https://{pid.replace('_', '-')}.example.vn/",
        "summary": {"vi": "Thử", "en": "Test"},
        "checked": "2026-01-01",
        "source": "https://example.vn/",
    }


def make_catalogue(categories, platforms):
    return Catalogue.model_validate(
        {"version": "t", "checked": "2026-01-01", "categories": categories, "platforms": platforms}
    )


ALL_SIZES = ["household", "micro", "small", "medium", "large"]

# A small catalogue (the real model, scoring.catalogue.Catalogue), so the assertions do not
# depend on the content of the bundled catalogue.
CATALOGUE = make_catalogue(
    [
        _cat("accounting", "Kế toán", "Accounting", {"operations": 1.0, "data": 0.3}),
        _cat("e_invoice", "Hóa đơn điện tử", "E-invoicing", {"operations": 1.0}),
        _cat("ecommerce", "Thương mại điện tử", "E-commerce", {"customer": 1.0}),
        _cat("marketing", "Tiếp thị số", "Digital marketing", {"customer": 0.8}),
        _cat("security_backup", "An toàn và sao lưu", "Security and backup", {"infrastructure": 1.0, "data": 0.5}),
        _cat("bi_data", "Phân tích dữ liệu", "Business intelligence", {"data": 1.0}),
        _cat("pos_inventory", "Bán hàng và kho", "Sales and stock", {"operations": 0.8, "customer": 0.4}),
        _cat("cloud_office", "Văn phòng đám mây", "Cloud office", {"infrastructure": 1.0, "culture": 0.6}),
    ],
    [
        _plat("acc_small", "accounting", ["household", "micro", "small"], ["all"], "low", "yes", "yes", "yes"),
        _plat("acc_enterprise", "accounting", ["medium", "large"], "all", "high", "no", "no", "yes"),
        _plat("acc_free", "accounting", ALL_SIZES, "all", "free"),
        _plat("inv_one", "e_invoice", ALL_SIZES, "all", "low", "yes", "yes", "no"),
        _plat("inv_two", "e_invoice", ALL_SIZES, "all", "low", "yes", "no", "no"),
        _plat("shop_retail", "ecommerce", ["micro", "small", "medium"], ["G"], "low", "yes", "no", "no"),
        _plat("shop_general", "ecommerce", ALL_SIZES, "all", "medium", "no", "no", "no"),
        _plat("backup_pro", "security_backup", ALL_SIZES, "all", "medium", "yes", "yes", "yes"),
        _plat("bi_pro", "bi_data", ["medium", "large"], "all", "high"),
    ],
)


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire_text(textwrap.dedent(MINI), "mini.yaml")


def run(q, answers, profile=None, budget=None, catalogue=CATALOGUE, **kw):
    return recommend(q, score_assessment(q, answers), profile or FirmProfile(), budget=budget, catalogue=catalogue, **kw)


def by_category(recs):
    return {c.category: c for c in recs.categories}


def all_actions(recs):
    return [a for phase in PHASES for a in recs.roadmap.phases[phase]]


# ---------------------------------------------------------------- the roadmap file


def test_bundled_roadmap_covers_every_pillar_and_step():
    data = load_bundled_roadmap()
    assert data.missing_steps(DBI_PILLARS, 5) == []
    for pillar in DBI_PILLARS:
        for step in (0, 1):  # the low steps carry about two actions each, for every size of firm
            for size in [None, *ALL_SIZES]:
                assert len(data.for_step(pillar, step, FirmProfile(size_band=size))) >= 2, (pillar, step, size)
        for step in range(5):  # and no firm is left without a next step
            for size in ALL_SIZES:
                assert data.for_step(pillar, step, FirmProfile(size_band=size)), (pillar, step, size)
    for a in data.actions:
        assert a.text.get("vi").strip() and a.text.get("en").strip() and a.text.get("vi") != a.text.get("en")
        assert a.category is None or a.category in CATEGORY_IDS
        if a.category is not None:
            assert a.improve is not None, f"{a.id}: a category action needs an improve text"
    # the concrete support programmes are there and applied by size
    assert {"smedx", "decree80", "decree80_household", "provincial"} <= set(data.supports)
    smedx_action = next(a for a in data.actions if "smedx" in a.support and "decree80" in a.support)
    assert "SMEdx" in data.support_text(smedx_action, FirmProfile(size_band="micro", staff=8)).get("en")
    big = data.support_text(smedx_action, FirmProfile(size_band="large", staff=400))
    assert big is None or ("SMEdx" not in big.get("en") and "Decree 80" not in big.get("en"))
    # Decree 80/2021, Art. 11: SMEs only; a household business is told it is not covered
    for size in ("micro", "small", "medium"):
        text = data.support_text(smedx_action, FirmProfile(size_band=size)).get("vi")
        assert "Nghị định 80/2021/NĐ-CP, Điều 11" in text and "tối đa 50%" in text
        assert "20 triệu đồng (siêu nhỏ), 50 triệu đồng (nhỏ) hoặc 100 triệu đồng (vừa)" in text
        assert "hợp đồng tư vấn" in text and "dự thảo nghị định" in text
    household = data.support_text(smedx_action, FirmProfile(size_band="household")).get("en")
    assert "not a small or medium enterprise under Decree 80/2021" in household and "up to 50%" not in household
    # facts carry sources; the unsourced claims of earlier versions are gone
    for key in ("smedx", "decree80", "decree80_household"):
        sources = data.supports[key].source
        assert sources and all(src.title.strip() for src in sources), key
    assert any("Nghị định 80/2021/NĐ-CP" in src.title and "Điều 11" in src.title for src in data.supports["decree80"].source)
    everything = ROADMAP_PATH.read_text(encoding="utf-8")
    body = everything[everything.index("supports:"):]
    for claim in ("3–6 tháng", "3–6 months", "dưới 50 lao động", "under 50 staff", "miễn phí", "free "):
        assert claim not in body, claim


BROKEN = """\
version: "x"
supports:
  smedx:
    text: {vi: "Dùng thử miễn phí"}
    sizes: [tiny]
    source: [{title: "Nghị định 80/2021/NĐ-CP, Điều 11"}, {title: " ", url: "ftp://example.vn/x"}]
actions:
  - id: ok_one
    pillar: operations
    from: 0
    to: 1
    cost: low
    effort: low
    text: {vi: "Dùng hóa đơn điện tử", en: "Use e-invoices"}
  - id: ok_one
    pillar: marketing_pillar
    from: 4
    to: 6
    category: crypto
    cost: cheap
    effort: low
    text: {vi: "Làm gì đó", en: "Do something"}
  - id: bad_step
    pillar: data
    from: 5
    to: 6
    cost: low
    effort: low
    support: [nowhere]
    sizes: [micro, giant]
    improve: {vi: "Tốt hơn", en: "Better"}
    text: {vi: "Việc", en: ""}
    colour: red
"""


def test_broken_roadmap_is_refused_with_every_path(tmp_path):
    path = tmp_path / "roadmap.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(RoadmapError) as err:
        load_roadmap(path)
    lines = str(err.value).splitlines()
    assert all(line.startswith(str(path)) for line in lines)
    # shape problems (pydantic) come first and alone: an unknown field, a bad cost
    assert any("actions[1].cost" in line for line in lines)
    assert any("actions[2].colour" in line and "unknown field" in line for line in lines)

    fixed = BROKEN.replace("cost: cheap", "cost: low").replace("    colour: red\n", "")
    path.write_text(fixed, encoding="utf-8")
    with pytest.raises(RoadmapError) as err:
        load_roadmap(path)
    text = str(err.value)
    expected = {
        "supports.smedx.text": "missing 'en' translation",
        "supports.smedx.sizes[0]": "unknown size band 'tiny'",
        "supports.smedx.source[1].title": "must not be empty",
        "supports.smedx.source[1].url": "must start with https:// or http://",
        "actions[2].sizes[1]": "unknown size band 'giant'",
        "actions[1].id": "duplicate action id 'ok_one'",
        "actions[1].pillar": "unknown pillar 'marketing_pillar'",
        "actions[1].to": "to must be 5",
        "actions[1].category": "unknown category 'crypto'",
        "actions[2].from": "step out of range",
        "actions[2].support[0]": "unknown support 'nowhere'",
        "actions[2].improve": "needs a category",
        "actions[2].text": "missing 'en' translation",
    }
    for where, message in expected.items():
        assert any(f": {where}: " in line and message in line for line in text.splitlines()), (where, text)
    # every line names the file and the line in it
    assert all(line.startswith(f"{path}:") and line.split(":")[1].isdigit() for line in text.splitlines())


def test_actions_name_their_sectors_and_the_questions_they_address():
    data = load_bundled_roadmap()
    till = next(a for a in data.actions if a.id == "operations_01_pos")
    assert till.sectors == ("G", "I") and till.category == "pos_inventory" and till.quick_win
    first_ops = lambda sector: {a.id for a in data.for_step("operations", 0, FirmProfile(size_band="micro", sector=sector))}  # noqa: E731
    assert "operations_01_pos" in first_ops("G") and "operations_01_pos" in first_ops("I")
    assert "operations_01_pos" not in first_ops("C") and "operations_01_pos" in first_ops(None)
    # every action addresses questions the bundled questionnaires ask, and at least one of the
    # full assessment's: its reason names the firm's answers to those
    asked = {name: {q.id for _, q in _bundled(name).questions()} for name in ("dbi_sme", "quick_check")}
    for a in data.actions:
        assert a.addresses, a.id
        assert set(a.addresses) <= asked["dbi_sme"] | asked["quick_check"], (a.id, set(a.addresses) - asked["dbi_sme"] - asked["quick_check"])
        assert set(a.addresses) & asked["dbi_sme"], a.id
    rules = next(a for a in data.actions if a.id == "culture_23_rules")
    assert "op_security_policy" in rules.addresses and not {"op_ict_training", "qc_training"} & set(rules.addresses)
    bad = textwrap.dedent(
        """\
        version: "1"
        actions:
          - {id: a, pillar: data, from: 0, to: 1, cost: low, effort: low, text: {vi: "Việc", en: "Task"}, sectors: [G, Z], addresses: [x, x]}
          - {id: b, pillar: data, from: 0, to: 1, cost: low, effort: low, text: {vi: "Việc", en: "Task"}, sectors: []}
        """
    )
    with pytest.raises(RoadmapError) as err:
        load_roadmap_text(bad, "r.yaml")
    text = str(err.value)
    assert "r.yaml:3: actions[0].sectors[1]: unknown sector 'Z'" in text
    assert "r.yaml:3: actions[0].addresses[1]: 'x' is empty or named twice" in text
    assert "r.yaml:4: actions[1].sectors: name at least one sector" in text


def test_roadmap_text_loader_checks_against_given_pillars():
    small = textwrap.dedent(
        """\
        version: "1"
        actions:
          - {id: a, pillar: sales, from: 0, to: 1, cost: low, effort: low, text: {vi: "Việc", en: "Task"}}
        """
    )
    assert load_roadmap_text(small, pillars=["sales"], top=2).actions[0].pillar == "sales"
    with pytest.raises(RoadmapError, match=r"actions\[0\]\.pillar: unknown pillar 'sales'"):
        load_roadmap_text(small)
    with pytest.raises(DataFileError):  # RoadmapError is a DataFileError: the CLI lists its problems
        load_roadmap_text("actions: [", "broken.yaml")


# ---------------------------------------------------------------- platforms fit the firm


def test_size_and_sector_change_the_platforms(mini):
    micro = by_category(run(mini, LOW, FirmProfile(size_band="micro", sector="G")))
    large = by_category(run(mini, LOW, FirmProfile(size_band="large", sector="G")))
    micro_acc = [p.id for p in micro["accounting"].platforms]
    large_acc = [p.id for p in large["accounting"].platforms]
    assert micro_acc == ["acc_small", "acc_free"]  # SMEdx/Decree-80 support ranks acc_small first
    assert large_acc == ["acc_enterprise", "acc_free"]

    retail = by_category(run(mini, LOW, FirmProfile(size_band="small", sector="G")))
    factory = by_category(run(mini, LOW, FirmProfile(size_band="small", sector="C")))
    assert [p.id for p in retail["ecommerce"].platforms] == ["shop_retail", "shop_general"]
    assert [p.id for p in factory["ecommerce"].platforms] == ["shop_general"]

    pick = retail["ecommerce"].platforms[0]
    assert "bán buôn, bán lẻ" in pick.reason.get("vi") and "wholesale and retail" in pick.reason.get("en")
    assert "free trial" in pick.reason.get("en") and "dùng thử miễn phí" in pick.reason.get("vi")
    smedx = micro["accounting"].platforms[0].reason.get("en")
    assert "micro firms" in smedx and "SMEdx" in smedx and "Decree 80/2021" in smedx


def test_budget_filters_and_a_category_without_platform_says_why(mini):
    recs = run(mini, LOW, FirmProfile(size_band="micro", sector="G"), budget="free")
    cats = by_category(recs)
    assert [p.id for p in cats["accounting"].platforms] == ["acc_free"]
    assert all(p.price_band == "free" for c in cats.values() for p in c.platforms)
    # both e-invoice platforms cost money: no platform invented, and no empty group either (issue 15):
    # the category is set aside with the reason, and the roadmap's e-invoice step still says what to do
    assert "e_invoice" not in cats
    inv = next(c for c in recs.without_platforms if c.category == "e_invoice")
    assert inv.platforms == []
    assert "budget" in inv.platform_note.get("en") and "ngân sách" in inv.platform_note.get("vi")
    assert inv.platform_note.get("en") in inv.reason.get("en")
    paper_books = run(mini, {**LOW, "ops_books": "paper"}, FirmProfile(size_band="micro", sector="G"), budget="free")
    step = next(a for a in all_actions(paper_books) if a.category == "e_invoice")
    assert step.questions == ["ops_invoice"]
    assert "Kind of tool: “E-invoicing”" in step.reason.get("en")  # not "see the platforms under …"
    # a size no platform serves: says so instead of inventing one
    no_size = run(mini, LOW, FirmProfile(size_band="micro"))
    assert "bi_data" not in by_category(no_size)
    bi = next(c for c in no_size.without_platforms if c.category == "bi_data")
    assert bi.platforms == [] and "micro firms" in bi.platform_note.get("en")
    # at most three platforms, none twice, never none
    for c in by_category(run(mini, LOW)).values():
        assert 1 <= len(c.platforms) <= 3 and len({p.id for p in c.platforms}) == len(c.platforms)
    with pytest.raises(ValueError, match="budget"):
        run(mini, LOW, budget="cheap")


# ---------------------------------------------------------------- categories and modes


def test_category_reason_names_the_answers_in_words(mini):
    recs = by_category(run(mini, LOW))
    inv = recs["e_invoice"]
    assert inv.mode == "adopt" and inv.questions == ["ops_invoice"]
    assert "Vì bạn trả lời «Chưa dùng hóa đơn điện tử» cho câu «Doanh nghiệp xuất hóa đơn thế nào?»" in inv.reason.get("vi")
    assert "“No e-invoices yet” to “How does the firm issue invoices?”" in inv.reason.get("en")
    assert inv.pillars == ["operations"]
    assert set(recs) == {"accounting", "e_invoice", "ecommerce", "security_backup", "bi_data"}  # only evidenced ones


def test_a_tool_already_used_is_improved_never_adopted(mini):
    answers = {**LOW, "tools": ["acc", "inv"]}
    recs = run(mini, answers, FirmProfile(size_band="micro"))
    cats = by_category(recs)
    for cid in ("accounting", "e_invoice"):
        assert cats[cid].mode == "improve"
        assert "tools" in cats[cid].questions  # the "tools you already use" answer is named
        assert "already use" in cats[cid].reason.get("en") and "đã dùng" in cats[cid].reason.get("vi")
    assert cats["ecommerce"].mode == "adopt"

    # with operations at level 0 the roadmap's first operations step names e-invoicing: as improve
    low_ops = {**answers, "ops_books": "paper"}
    result = score_assessment(mini, low_ops)
    assert result.pillars["operations"].level == 0
    recs = recommend(mini, result, FirmProfile(), catalogue=CATALOGUE)
    used = set(result.uses)
    actions = all_actions(recs)
    assert any(a.category in used for a in actions)
    for a in actions:
        if a.category in used:
            assert a.mode == "improve"
            spec = next(s for s in load_bundled_roadmap().actions if s.id == a.id)
            assert a.text == spec.improve and a.text != spec.text
    for c in recs.categories:
        assert c.mode == ("improve" if c.category in used else "adopt")


def test_ranking_weakest_pillar_first_and_threshold_counts(mini):
    # operations at 0 %, data at 60 %: e-invoicing (operations) outranks BI (data)
    recs = run(mini, LOW)
    order = [c.category for c in recs.categories]
    assert order.index("e_invoice") < order.index("bi_data")
    scores = [c.score for c in recs.categories]
    assert scores == sorted(scores, reverse=True)
    # equal scores are ordered by id
    for a, b in zip(recs.categories, recs.categories[1:]):
        assert a.score > b.score or a.category < b.category

    # a pillar just below its next threshold counts more than one deep inside its band
    cat = make_catalogue(
        [_cat("accounting", "Kế toán", "Accounting", {"operations": 1.0}), _cat("bi_data", "BI", "BI", {"data": 1.0})],
        [_plat("books", "accounting", ALL_SIZES, "all", "low"), _plat("charts", "bi_data", ALL_SIZES, "all", "low")],
    )
    # operations at 50 % (level 3, half-way through its 40–60 % band), data at 60 % (level 4, at the start of its band)
    answers = {**LOW, "ops_invoice": "einvoice", "ops_books": "paper", "data_reports": "monthly"}
    result = score_assessment(mini, answers)
    assert result.pillars["operations"].percent == 50 and result.pillars["data"].percent == 60
    ranked = recommend(mini, result, FirmProfile(), catalogue=cat).categories
    # operations: gap 0.5 + 0.25 × 0.5 (half-way to 60 %) = 0.625; data: gap 0.4 + 0.25 × 0 = 0.4
    assert [(c.category, c.score) for c in ranked] == [("accounting", 0.625), ("bi_data", 0.4)]


def test_a_pillar_just_below_a_threshold_counts_more(mini):
    from scoring.recommend.standing import Standing

    def lift(level, percent):
        fake = SimpleNamespace(pillars={"operations": SimpleNamespace(level=level, percent=percent)})
        return Standing(mini, fake).lift("operations")

    assert lift(2, 39) > lift(2, 21)  # same level: the one about to reach level 3 first
    assert lift(0, 1) > lift(2, 39)  # but a pillar at the bottom still leads
    assert lift(5, 90) == 0  # nothing to lift at the top


# ---------------------------------------------------------------- reasons point at answers


def _gap_questions(q, result, tag):
    """The questions whose chosen options (or number band) reveal ``tag`` missing."""
    from scoring.engine import ANSWERED, chosen_options

    return {
        qid
        for qid, qr in result.questions.items()
        if qr.status == ANSWERED and any(tag in o.gaps for o in chosen_options(q.question(qid), qr.answer))
    }


def _assert_points_at_answers(q, recs, result=None, roadmap=None):
    known = {question.id for _, question in q.questions()}
    for c in recs.categories:
        assert c.platforms, f"{c.category}: a platform group is never empty"
        assert c.questions and set(c.questions) <= known, c.category
        assert c.reason.get("vi").strip() and c.reason.get("en").strip()
        for qid in c.questions[:3]:
            assert q.question(qid).text.get("vi") in c.reason.get("vi")
    for c in recs.without_platforms:
        assert not c.platforms and c.platform_note is not None and c.platform_note.get("en") in c.reason.get("en")
    specs = {a.id: a for a in (roadmap or load_bundled_roadmap()).actions}
    for a in all_actions(recs):
        assert set(a.questions) <= known, a.id
        assert a.reason.get("vi").strip() and a.reason.get("en").strip()
        for qid in a.questions:
            assert q.question(qid).text.get("en") in a.reason.get("en")
            assert q.question(qid).text.get("vi") in a.reason.get("vi")
        if result is not None:  # the answers named are the action's topic, never the pillar's others
            spec = specs[a.id]
            asked = [qid for qid in spec.addresses if qid in known]
            topic = set(asked) if asked else (_gap_questions(q, result, spec.category) if spec.category else set())
            assert set(a.questions) <= topic, (a.id, a.questions, topic)


def test_every_recommendation_and_action_points_at_answers(mini):
    low = score_assessment(mini, LOW)
    _assert_points_at_answers(mini, run(mini, LOW, FirmProfile(size_band="micro", sector="G"), budget="low"), low)
    rng = random.Random(7)
    for _ in range(60):
        answers = {
            "cust_channels": rng.choice(["none", "social", "web"]),
            "strat_plan": rng.choice(["none", "informal", "written"]),
            "infra_backup": rng.choice(["yes", "no"]),
            "tools": rng.choice([["nothing"], ["acc"], ["inv", "pos"], []]),
            "ops_invoice": rng.choice(["paper", "einvoice"]),
            "ops_books": rng.choice(["paper", "excel", "software"]),
            "culture_training": rng.randint(0, 5),
            "data_reports": rng.choice(["none", "monthly", "dashboard"]),
        }
        recs = run(mini, answers, FirmProfile(size_band=rng.choice(ALL_SIZES)), budget=rng.choice([None, "free", "low"]))
        result = score_assessment(mini, answers)
        _assert_points_at_answers(mini, recs, result)
        for a in all_actions(recs):
            assert a.from_level >= result.pillars[a.pillar].level
            assert not (a.category in result.uses and a.mode == "adopt")


# ---------------------------------------------------------------- roadmap phases and targets


def test_top_level_pillar_gets_no_action_and_keeps_its_target(mini):
    answers = {**LOW, "ops_invoice": "einvoice", "ops_books": "software", "data_reports": "dashboard"}
    recs = run(mini, answers)
    assert recs.roadmap.targets["operations"] == {"now": 5, "12m": 5, "24m": 5}
    assert recs.roadmap.targets["data"] == {"now": 5, "12m": 5, "24m": 5}
    assert not [a for a in all_actions(recs) if a.pillar in ("operations", "data")]
    # and elsewhere no action for a step below the pillar's level
    result = score_assessment(mini, answers)
    for a in all_actions(recs):
        assert a.from_level >= result.pillars[a.pillar].level


def test_phases_and_targets(mini):
    result = score_assessment(mini, LOW)
    recs = recommend(mini, result, FirmProfile(size_band="micro", staff=6), catalogue=CATALOGUE)
    roadmap = recs.roadmap
    assert list(roadmap.phases) == list(PHASES)
    levels = {pid: p.level for pid, p in result.pillars.items()}
    for pid, lv in levels.items():
        assert roadmap.targets[pid] == {"now": lv, "12m": min(lv + 1, 5), "24m": min(lv + 2, 5)}
    data = load_bundled_roadmap()
    specs = {a.id: a for a in data.actions}
    for phase, actions in roadmap.phases.items():
        for a in actions:
            first_step = a.from_level == levels[a.pillar]
            assert a.to_level == a.from_level + 1 <= roadmap.targets[a.pillar]["24m"]
            if phase == "12-24":
                assert not first_step
            else:
                assert first_step
            if phase == "0-3":
                assert specs[a.id].quick_win
    # the first three months are a short list of quick wins, the weakest pillars first
    quick = roadmap.phases["0-3"]
    assert 0 < len(quick) <= QUICK_WINS
    per_pillar = {pid: sum(a.pillar == pid for a in quick) for pid in levels}
    assert max(per_pillar.values()) <= QUICK_WINS_PER_PILLAR
    for pid in result.weakest:
        assert any(a.pillar == pid for a in quick)
    # a quick win left out of the short list waits for 3-12 months, it is not dropped
    for a in roadmap.phases["3-12"]:
        if specs[a.id].quick_win:
            assert len(quick) == QUICK_WINS or per_pillar[a.pillar] == QUICK_WINS_PER_PILLAR
    # every action of the next two steps is there (none dropped: this firm uses no tool)
    micro = FirmProfile(size_band="micro", staff=6)
    expected = {s.id for pid, lv in levels.items() for step in range(lv, min(lv + 2, 5)) for s in data.for_step(pid, step, micro)}
    assert {a.id for a in all_actions(recs)} == expected
    # supports: a micro firm is told about SMEdx where an action names it
    assert any(a.support and "SMEdx" in a.support.get("en") for a in all_actions(recs))


def test_actions_can_be_given_inline(mini):
    custom = load_roadmap_text(
        textwrap.dedent(
            """\
            version: "t"
            actions:
              - id: plan
                pillar: strategy
                from: 0
                to: 1
                cost: high
                effort: high
                text: {vi: "Lập kế hoạch", en: "Make a plan"}
            """
        )
    )
    recs = run(mini, LOW, actions=custom)
    assert [a.id for a in all_actions(recs)] == ["plan"]
    assert recs.roadmap.phases["3-12"][0].id == "plan"  # high cost: not a quick win, even for a weak pillar


# ---------------------------------------------------------------- determinism and JSON


def test_deterministic_and_json_ready(mini):
    profile = FirmProfile(size_band="small", sector="G", staff=20)
    first = run(mini, LOW, profile, budget="medium").to_dict("vi")
    again = run(mini, LOW, profile, budget="medium").to_dict("vi")
    assert first == again
    shuffled = CATALOGUE.model_copy(
        update={"categories": CATALOGUE.categories[::-1], "platforms": CATALOGUE.platforms[::-1]}
    )
    assert run(mini, LOW, profile, budget="medium", catalogue=shuffled).to_dict("vi") == first
    json.dumps(first, ensure_ascii=False)
    en = run(mini, LOW, profile, budget="medium").to_dict("en")
    assert en["categories"][0]["reason"] != first["categories"][0]["reason"]
    assert set(en["roadmap"]["phases"]) == set(PHASES)
    assert en["profile"] == {"sector": "G", "size_band": "small", "staff": 20}


# ---------------------------------------------------------------- with the bundled data


def _bundled(name):
    """A bundled questionnaire: a missing file fails the test (it is shipped, never "not yet")."""
    from scoring.loader import load_questionnaire

    return load_questionnaire(ROOT / "questionnaires" / f"{name}.yaml")


def _bundled_catalogue():
    from scoring.catalogue import load_catalogue

    return load_catalogue()


@pytest.mark.parametrize("name", ["dbi_sme", "quick_check"])
def test_bundled_questionnaires_give_reasoned_recommendations(name):
    q = _bundled(name)
    catalogue = _bundled_catalogue()
    from scoring.sample import random_answers

    for seed in range(25):
        answers = random_answers(q, random.Random(seed))
        result = score_assessment(q, answers)
        profile = FirmProfile(size_band=ALL_SIZES[seed % 5], sector="CGIF"[seed % 4])
        recs = recommend(q, result, profile, budget=[None, "free", "low", "medium"][seed % 4], catalogue=catalogue)
        _assert_points_at_answers(q, recs, result)
        for c in recs.categories + recs.without_platforms:
            assert c.mode == ("improve" if c.category in result.uses else "adopt")
        for a in all_actions(recs):
            assert a.from_level >= result.pillars[a.pillar].level
            assert not (a.category in result.uses and a.mode == "adopt")
        assert recs.to_dict("en") == recommend(q, result, profile, budget=recs.budget, catalogue=catalogue).to_dict("en")


def test_bundled_catalogue_sizes_change_platforms():
    """Where the bundled catalogue has size-limited platforms, a micro and a large firm differ."""
    catalogue = _bundled_catalogue()
    q = load_questionnaire_text(textwrap.dedent(MINI), "mini.yaml")
    result = score_assessment(q, LOW)
    micro = by_category(recommend(q, result, FirmProfile(size_band="micro"), catalogue=catalogue))
    large = by_category(recommend(q, result, FirmProfile(size_band="large"), catalogue=catalogue))
    differs = [cid for cid in micro if [p.id for p in micro[cid].platforms] != [p.id for p in large[cid].platforms]]
    assert differs, "expected at least one category whose platforms depend on size"


# ---------------------------------------------------------------- command line


def test_cli_recommend_end_to_end(tmp_path):
    qfile = tmp_path / "mini.yaml"
    qfile.write_text(textwrap.dedent(MINI), encoding="utf-8")
    done = cli("recommend", str(qfile), "-", "--size", "micro", "--sector", "g", "--budget", "low", "--lang", "en", stdin=json.dumps(LOW))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["language"] == "en" and out["budget"] == "low"
    assert out["profile"] == {"sector": "G", "size_band": "micro"}
    assert out["categories"] and set(out["roadmap"]["phases"]) == set(PHASES)
    inv = next(c for c in out["categories"] if c["category"] == "e_invoice")
    assert "“No e-invoices yet” to “How does the firm issue invoices?”" in inv["reason"]
    assert all(p["price_band"] in ("free", "low") for c in out["categories"] for p in c["platforms"])
    actions = [a for ph in out["roadmap"]["phases"].values() for a in ph]
    assert actions and all(a["reason"] for a in actions)
    # an action names the answers it deals with: the backup step names the backup answer
    backup = next(a for a in actions if a["id"] == "infrastructure_12_backup")
    assert backup["questions"] == ["infra_backup"] and "“No” to “Is data backed up automatically?”" in backup["reason"]

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(LOW), encoding="utf-8")
    vi = cli("recommend", str(qfile), str(answers))
    assert vi.returncode == 0, vi.stderr
    assert "Vì bạn trả lời «Chưa dùng hóa đơn điện tử»" in vi.stdout


def test_cli_recommend_bad_answers_list_every_problem(tmp_path):
    qfile = tmp_path / "mini.yaml"
    qfile.write_text(textwrap.dedent(MINI), encoding="utf-8")
    bad = {**LOW, "ops_invoice": "fax", "strat_plan": None, "nonsense": 1}
    done = cli("recommend", str(qfile), "-", stdin=json.dumps(bad))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    with pytest.raises(AnswerError) as err:
        score_assessment(load_questionnaire_text(textwrap.dedent(MINI)), bad)
    assert len(err.value.problems) == 3
    for problem in err.value.problems:
        assert problem in done.stderr
    done = cli("recommend", str(qfile), "-", stdin="{not json")
    assert done.returncode == 1 and "not valid JSON" in done.stderr
    done = cli("recommend", str(tmp_path / "missing.yaml"), "-", stdin="{}")
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_roadmap_path_is_bundled():
    assert ROADMAP_PATH.exists() and ROADMAP_PATH.parent.name == "catalogue"


def test_bundled_tags_and_roadmap_categories_are_catalogue_categories():
    """The questionnaires' gaps/uses tags and the roadmap's categories all name catalogue categories."""
    catalogue = _bundled_catalogue()
    known = set(catalogue.category_ids)
    load_roadmap(categories=known)  # the roadmap checked against the real catalogue
    for name in ("dbi_sme", "quick_check"):
        q = _bundled(name)
        for _, question in q.questions():
            for item in question.tag_items():
                unknown = (set(item.gaps) | set(item.uses)) - known
                assert not unknown, f"{name}: {question.id}: tags {sorted(unknown)} are not catalogue categories"


def test_cli_recommend_with_a_bundled_id():
    q = _bundled("quick_check")
    from scoring.sample import random_answers

    answers = random_answers(q, random.Random(11))
    done = cli("recommend", "quick_check", "-", "--size", "small", "--budget", "medium", stdin=json.dumps(answers))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["questionnaire"]["id"] == "quick_check" and out["language"] == "vi"
    assert set(out["roadmap"]["targets"]) == {p.id for p in q.pillars}


def test_a_firm_at_level_zero_gets_a_short_start_and_a_full_year():
    """Every pillar at 0: the cheap first steps are many, but the first 3 months stay short."""
    q = _bundled("dbi_sme")
    result = score_assessment(q, all_answers(q, "low"))
    assert result.overall_level == 0 and all(p.level == 0 for p in result.pillars.values())
    recs = recommend(q, result, FirmProfile(size_band="micro", sector="G"), catalogue=_bundled_catalogue())
    phases = recs.roadmap.phases
    assert 0 < len(phases["0-3"]) <= QUICK_WINS
    assert phases["3-12"], "the rest of the first step moves to 3-12 months"
    assert phases["12-24"]
    assert len({a.pillar for a in phases["0-3"]}) >= 3, "the quick wins are spread over the pillars"


def test_roadmap_advice_fits_the_size_of_the_firm():
    """A digital champion in each team is advice for firms with teams: a household business or a
    micro firm gets an action of its own for the same step; an unknown size sees everything."""
    q = _bundled("dbi_sme")
    result = score_assessment(q, all_answers(q, "low"))
    data = load_bundled_roadmap()
    sized = {a.id: a.sizes for a in data.actions if a.sizes is not None}
    assert "culture_12_champions" in sized and "household" not in sized["culture_12_champions"]
    assert "infrastructure_34_monitor" in sized and "micro" not in sized["infrastructure_34_monitor"]

    def ids(profile):
        return {a.id for a in all_actions(recommend(q, result, profile, catalogue=_bundled_catalogue()))}

    household = ids(FirmProfile(size_band="household", sector="G"))
    micro = ids(FirmProfile(size_band="micro", sector="G", staff=3))
    medium = ids(FirmProfile(size_band="medium", sector="C", staff=150))
    unknown = ids(FirmProfile())
    for small_firm in (household, micro):
        assert "culture_12_champions" not in small_firm
        assert "culture_12_weekly_tip" in small_firm  # the same step, sized for a small shop
    assert "culture_12_champions" in medium and "culture_12_weekly_tip" not in medium
    assert {"culture_12_champions", "culture_12_weekly_tip"} <= unknown
    for aid in household | micro | medium:
        spec = next(a for a in data.actions if a.id == aid)
        assert spec.sizes is None or spec.sizes  # every shown action fits or has no size filter
    for aid, sizes in sized.items():
        assert (aid in household) <= ("household" in sizes) and (aid in medium) <= ("medium" in sizes)

