"""The PDF roadmap's newer parts: the resume code, a follow-up's change against the previous
assessment, dates in Vietnam time, framework codes, honest framing, bounded names, wording
conventions, sector names from the reference data, and line breaking done once per width."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta, timezone
from io import BytesIO

import pypdf
import pytest
from PIL import Image

from report import render_pdf
from report.layout import MAX_NAME
from report.text import STRINGS, format_percent, t
from scoring.engine import score_assessment
from scoring.loader import load_questionnaire_text
from scoring.model import FirmProfile
from scoring.profile import load_profile_reference
from scoring.recommend import recommend
from tests.test_report import ANSWERS, SIX, all_text, nospace, page_texts, squash

WHEN = date(2026, 3, 5)
PROFILE = FirmProfile(name="Công ty TNHH Hoa Sen", sector="G", size_band="small", province="ha_noi", staff=12)
# the weak firm of the follow-up's first assessment: everything at the bottom
BEFORE = {
    "cust_channels": "shop", "cust_site": "no", "strat_plan": "none", "infra_backup": "no",
    "infra_practices": {"passwords": "no", "updates": "no"}, "tools": ["nothing"], "ops_invoice": "paper",
    "ops_online_share": 10, "culture_training": 0, "data_reports": "none",
}


def coded(text: str) -> str:
    """SIX with a DBI-style code on every question ("1.1", "1.2", … per pillar)."""
    out, pillar, k = [], 0, 0
    for line in text.splitlines():
        out.append(line)
        if re.match(r"^  - id: ", line):
            pillar, k = pillar + 1, 0
        elif re.match(r"^      - id: ", line):
            k += 1
            out.append(f'        code: "{pillar}.1.{k}"')
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def six():
    return load_questionnaire_text(SIX, "six.yaml")


@pytest.fixture(scope="module")
def six_coded():
    return load_questionnaire_text(coded(SIX), "six_coded.yaml")


def render(q, lang="vi", answers=ANSWERS, **kw):
    result = score_assessment(q, answers)
    from scoring.recommend import recommend

    return render_pdf(q, result, recommend(q, result, PROFILE), PROFILE, lang=lang, answers=answers,
                      when=kw.pop("when", WHEN), **kw)


# ---------------------------------------------------------------- the resume code


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_resume_code_on_the_first_page_only_when_given(six, lang):
    pdf = render(six, lang, code="ABCD-EFGH-JKMN")
    first = squash(page_texts(pdf)[0])
    assert "ABCD-EFGH-JKMN" in first and t(lang, "code_label") in first
    assert squash(t(lang, "code_note")) in first
    assert t(lang, "code_label") not in squash(all_text(render(six, lang)))


def test_resume_code_is_text_not_markup(six):
    pdf = render(six, "en", code="<b>&x</b>" + "Z" * 500)
    first = squash(page_texts(pdf)[0])
    assert "<b>&x</b>ZZZ" in first and "Z" * 60 not in first  # escaped, and cut


# ---------------------------------------------------------------- the follow-up


@pytest.fixture(scope="module")
def followup(six):
    before = score_assessment(six, BEFORE)
    pdfs = {lang: render(six, lang, previous=before, previous_when=date(2025, 12, 1)) for lang in ("vi", "en")}
    return before, score_assessment(six, ANSWERS), pdfs


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_followup_shows_each_pillar_before_now_and_the_change(six, followup, lang):
    before, now, pdfs = followup
    text = squash(all_text(pdfs[lang]))
    assert squash(t(lang, "progress_title")) in text
    assert squash(t(lang, "progress_when", when="1 December 2025" if lang == "en" else "ngày 1 tháng 12 năm 2025")) in text
    changed = 0
    for p in six.pillars:
        b, n = before.pillars[p.id], now.pillars[p.id]
        if b.percent is None or n.percent is None:
            continue
        delta = round(n.percent) - round(b.percent)
        # each pillar's row: last time → this time, and the change in words
        row = f"{format_percent(b.percent, lang)} · {t(lang, 'level_n', n=b.level)} " \
              f"{format_percent(n.percent, lang)} · {t(lang, 'level_n', n=n.level)}"
        assert squash(row) in text, (p.id, row)
        if delta:
            key = ("pp_up" if delta > 0 else "pp_down") + ("_one" if abs(delta) == 1 and lang == "en" else "")
            assert squash(t(lang, key, n=abs(delta))) in text, (p.id, delta)
            changed += 1
    assert changed >= 3  # the fixture moves several pillars
    points = round(now.total - before.total, 1)
    assert points > 0
    n = f"{points:g}".replace(".", ",") if lang == "vi" else f"{points:g}"
    overall = t(lang, "progress_since", change=t(lang, "points_up", n=n) + ", "
                + t(lang, "level_up" if now.overall_level > before.overall_level else "level_same",
                    level=now.overall_level))
    assert squash(overall) in squash(page_texts(pdfs[lang])[0])  # the news is on the cover
    assert squash(overall) in text


def test_followup_words_for_a_drop_and_no_change(six):
    """The same answers: "no change"; a worse follow-up: "down", in red words an owner reads."""
    same = render(six, "en", previous=score_assessment(six, ANSWERS))
    text = squash(all_text(same))
    assert t("en", "points_same") in text and t("en", "pp_same") in text
    worse = render(six, "en", answers=BEFORE, previous=score_assessment(six, ANSWERS))
    assert "down " in squash(all_text(worse)) and "percentage point" in squash(all_text(worse))


def test_previous_as_stored_dict_gives_the_same_pdf(six, followup):
    """The store keeps Result.to_dict(): it prints exactly like the Result itself."""
    before, _, pdfs = followup
    as_dict = render(six, "vi", previous=before.to_dict(digits=None), previous_when=date(2025, 12, 1))
    assert as_dict == pdfs["vi"]


def test_previous_on_another_version_or_questionnaire_says_so(six):
    before = score_assessment(six, BEFORE)
    old = before.to_dict(digits=None)
    old["questionnaire"]["version"] = "2021.9"
    text = squash(all_text(render(six, "en", previous=old)))
    assert squash(t("en", "progress_version", old="2021.9", new=six.version)) in text
    other = before.to_dict(digits=None)
    other["questionnaire"]["id"] = "quick_check"
    text = squash(all_text(render(six, "en", previous=other)))
    assert squash(t("en", "progress_other", id="quick_check")) in text
    level = score_assessment(six, ANSWERS).overall_level
    assert squash(t("en", "progress_since", change=t("en", "level_up", level=level))) in text  # no points compared


def test_no_progress_section_without_previous(six):
    text = squash(all_text(render(six, "vi")))
    assert t("vi", "progress_title") not in text and t("vi", "previous_label") not in text


# ---------------------------------------------------------------- dates in Vietnam time


def test_an_aware_datetime_is_printed_as_the_day_in_vietnam(six):
    late_utc = datetime(2026, 6, 30, 20, 30, tzinfo=UTC)  # 03:30 on 1 July in Hanoi
    vi = squash(all_text(render(six, "vi", when=late_utc)))
    assert "ngày 1 tháng 7 năm 2026" in vi and "30 tháng 6" not in vi
    en = squash(all_text(render(six, "en", when=datetime(2026, 7, 1, 1, 0, tzinfo=timezone(timedelta(hours=7))))))
    assert "1 July 2026" in en
    assert render(six, "vi", when=late_utc) == render(six, "vi", when=date(2026, 7, 1))


def test_a_naive_datetime_is_refused(six):
    with pytest.raises(ValueError, match="time zone"):
        render(six, "vi", when=datetime(2026, 6, 30, 20, 30))
    with pytest.raises(ValueError, match="time zone"):
        render(six, "vi", previous=score_assessment(six, BEFORE), previous_when=datetime(2026, 1, 1))


# ---------------------------------------------------------------- framework codes


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_codes_printed_wherever_a_question_is_named(six_coded, lang):
    pdf = render(six_coded, lang)
    pages = [squash(p) for p in page_texts(pdf)]
    start = next(i for i, p in enumerate(pages) if t(lang, "appendix") in p)
    appendix = " ".join(pages[start:])
    for pillar in six_coded.pillars:
        for question in pillar.questions:
            # the appendix: the code in its own column, just before the question's words
            assert squash(f"{question.code} {question.text.get(lang)}")[:50] in appendix, question.id
    text = " ".join(pages)
    assert squash("1.1.2\u00a0 " + six_coded.question("cust_site").text.get(lang)).replace("\u00a0", " ") in \
        text.replace("\u00a0", " ")  # the gaps table of the customer pillar
    assert t(lang, "criteria_codes", codes="")[:6] in text  # the answers behind a roadmap step, by code


def test_no_code_column_without_codes(six):
    pages = [squash(p) for p in page_texts(render(six, "en"))]
    start = next(i for i, p in enumerate(pages) if t("en", "appendix") in p)
    assert "Code Question" not in " ".join(pages[start:])
    assert "Criteria " not in " ".join(pages)


# ---------------------------------------------------------------- honest framing


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_framing_on_the_cover_summary_and_support_page(six, six_coded, lang):
    coded_pages = [squash(p) for p in page_texts(render(six_coded, lang))]
    assert squash(t(lang, "frame_criteria")) in coded_pages[0]
    assert squash(t(lang, "frame_short")) in coded_pages[1]
    plain = squash(page_texts(render(six, lang))[0])
    assert squash(t(lang, "frame_pillars")) in plain
    for key in ("frame_criteria", "frame_pillars"):
        words = t(lang, key)
        assert "1970/QĐ-BTTTT" in words and "2158/QĐ-BTTTT" in words and "2025" in words
    assert "chính thức" in t("vi", "frame_criteria") and "not an official" in t("en", "frame_criteria")


def test_no_overclaiming_words_anywhere():
    """No "exact level", "real one"; DBI's term (mức độ chuyển đổi số), not "sẵn sàng số" for the level."""
    vi = " ".join(STRINGS["vi"].values())
    en = " ".join(STRINGS["en"].values())
    assert "chính xác" not in vi and "mức sẵn sàng" not in vi.lower()
    assert "exact level" not in en and "real one" not in en and "your real" not in en.lower()
    assert "Mức độ chuyển đổi số" in t("vi", "overall") and "digital transformation level" in t("en", "overall")
    assert "3–6" not in vi + en and "3 to 6" not in en


def test_one_spelling_convention_hoa_not_hoa():
    """Vietnamese strings use the traditional accent placement throughout: hóa, hòa, thủy (never hoá, thuỷ)."""
    new_style = re.compile(r"(?<![qQ])(?:[oO][áàảãạ]|[oO][éèẻẽẹ]|[uU][ýỳỷỹỵ])(?![a-zA-Zđ\u00c0-\u1ef9])")
    for key, text in STRINGS["vi"].items():
        assert not new_style.search(text), (key, new_style.search(text).group(0))
    assert "hóa đơn" in t("vi", "decree80_body")


# ---------------------------------------------------------------- names and reference data


def test_a_million_character_name_is_cut(six):
    # FirmProfile refuses such a name (scoring.model.FIRM_NAME_MAX); render_pdf still bounds
    # whatever profile it is handed (a row read back without validation, another caller)
    name = "Công ty " + "Q" * 1_000_000
    result = score_assessment(six, ANSWERS)
    profile = FirmProfile.model_construct(name=name, sector="G", size_band="small", province="ha_noi", staff=12)
    pdf = render_pdf(six, result, recommend(six, result, profile), profile, lang="vi", answers=ANSWERS, when=WHEN)
    text = nospace(all_text(pdf))
    cut = nospace(name[:MAX_NAME]) + "…"
    assert cut in text and "Q" * (MAX_NAME + 1) not in text
    assert pypdf.PdfReader(BytesIO(pdf)).metadata.title.endswith("…")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sector_and_size_names_come_from_the_reference(six, lang):
    ref = load_profile_reference()
    first = squash(page_texts(render(six, lang))[0])
    assert squash(f"G — {ref.sector('G').name.get(lang)}") in first
    size = ref.size_band("small").name.get(lang)
    assert squash(size[:1].upper() + size[1:]) in first


def test_report_no_longer_reads_names_from_the_recommender():
    source = (__import__("pathlib").Path(__file__).resolve().parent.parent / "report" / "pdf.py").read_text("utf-8")
    assert "SECTOR_NAMES" not in source and "SIZE_NAMES" not in source and "ImportError" not in source


# ---------------------------------------------------------------- line breaking once per width


def test_paragraphs_break_their_lines_once_and_the_bytes_do_not_change(six, monkeypatch):
    """report.layout.Para keeps its lines per width: the PDF is byte-identical to reportlab's own
    wrap (lines broken again at every wrap), with about one line breaking per paragraph."""
    from reportlab.platypus import Paragraph

    from report.layout import Para

    calls = {"break": 0, "para": 0}
    original_break = Paragraph.breakLines
    original_init = Para.__init__

    def counting_break(self, *a, **kw):
        calls["break"] += 1
        return original_break(self, *a, **kw)

    def counting_init(self, *a, **kw):
        calls["para"] += 1
        original_init(self, *a, **kw)

    monkeypatch.setattr(Paragraph, "breakLines", counting_break)
    monkeypatch.setattr(Para, "__init__", counting_init)
    memo = render(six, "vi")
    once = dict(calls)
    monkeypatch.setattr(Para, "wrap", Paragraph.wrap)
    calls.update({"break": 0, "para": 0})
    plain = render(six, "vi")
    assert memo == plain
    assert once["break"] <= once["para"] * 1.15, once  # (a few are measured at two widths)
    assert calls["break"] > once["break"] * 1.5, (calls, once)  # the baseline really re-breaks


# ---------------------------------------------------------------- the pages, looked at


def page_images(pdf: bytes, tmp_path, dpi: int = 40) -> list[Image.Image]:
    """Every page as an image (pdftoppm, as the project looks at pages)."""
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is needed: scripts/test.sh installs it"
    tmp_path.mkdir(parents=True, exist_ok=True)
    src = tmp_path / "doc.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), str(tmp_path / "p")], check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("p-*.png"))]


def assert_margins_blank(images: list[Image.Image], dpi: int = 40, band_mm: float = 12) -> None:
    """Nothing is drawn in the outer ``band_mm`` of any page (a table or chart that runs off its
    frame would be), and no page is blank."""
    band = int(band_mm / 25.4 * dpi)
    for i, im in enumerate(images, 1):
        gray = im.convert("L")
        w, h = gray.size
        for box in ((0, 0, band, h), (w - band, 0, w, h)):
            assert gray.crop(box).getextrema()[0] > 200, f"page {i}: ink in the margin {box}"
        body = gray.crop((band, 2 * band, w - band, h - 2 * band))  # inside the header and footer
        inked = body.histogram()[:230]  # pixels darker than light grey
        assert sum(inked) > 150, f"page {i} is (nearly) blank: {sum(inked)} inked pixels"


def test_followup_pages_stay_inside_their_margins(followup, tmp_path):
    for lang, pdf in followup[2].items():
        assert_margins_blank(page_images(pdf, tmp_path / lang))


def test_a_short_table_moves_whole_with_its_heading():
    """Three rows (a strategy pillar's appendix) never split two and one: heading and table move on."""
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from report.layout import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_H, P, W, heads_with_table, table

    rows = [["question", "answer"]] + [[f"row{i:02d}", "x"] for i in range(1, 4)]
    probe = table(rows, [W * 0.5, W * 0.5])
    probe.wrap(W, 1000)
    head = P("Heading", "h2")
    head_h = head.wrap(W, 1000)[1] + head.getSpaceBefore() + head.getSpaceAfter()
    frame_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 12
    fill = frame_h - head_h - sum(probe._rowHeights[:3]) - 2  # room for the header and two rows
    buf = BytesIO()
    doc = SimpleDocTemplate(buf, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                            bottomMargin=MARGIN_BOTTOM, invariant=1)
    doc.build([Spacer(1, fill), *heads_with_table([P("Heading", "h2")], table(rows, [W * 0.5, W * 0.5]))])
    pages = page_texts(buf.getvalue())
    assert len(pages) == 2 and "Heading" not in pages[0] and "row01" not in pages[0]
    assert all(f"row0{i}" in pages[1] for i in (1, 2, 3)) and "Heading" in pages[1]


def test_one_criterion_is_singular_in_english():
    from report.text import plural

    assert plural("en", "criteria_codes", 1, codes="2.1.1") == "Criterion 2.1.1"
    assert plural("en", "criteria_codes", 2, codes="2.1.1, 2.1.2") == "Criteria 2.1.1, 2.1.2"
    assert plural("vi", "criteria_codes", 1, codes="2.1.1") == "Tiêu chí 2.1.1"
