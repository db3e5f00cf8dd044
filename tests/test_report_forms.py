"""The blank paper form (report.forms.render_blank_form): every question, its boxes, its ids and
codes, conditions in words, the firm's profile and consent; both languages; looked at."""

from __future__ import annotations

import pytest

from report import render_blank_form
from report.text import t
from scoring.loader import bundled_paths, load_bundled, load_questionnaire_text
from scoring.model import MatrixQuestion, MultiQuestion, NumberQuestion, ScaleQuestion, TextQuestion
from scoring.profile import load_profile_reference
from tests.test_report import SIX, all_text, font_names, nfc, nospace, page_texts, squash
from tests.test_report_followup import assert_margins_blank, coded, page_images


@pytest.fixture(scope="module")
def six():
    return load_questionnaire_text(SIX, "six.yaml")


@pytest.fixture(scope="module")
def forms(six):
    return {lang: render_blank_form(six, lang, workshop_name="Hội thảo Lào Cai", join_code="KXT7QM")
            for lang in ("vi", "en")}


def flat(pdf: bytes) -> str:
    return nospace(all_text(pdf)).replace("\u00a0", "")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_question_option_and_id_is_on_the_form(six, forms, lang):
    text = flat(forms[lang])
    for n, (_, q) in enumerate(six.questions(), 1):
        assert nospace(f"{t(lang, 'form_question_n', n=n)}. {q.text.get(lang)}") in text, q.id
        assert nospace(t(lang, "form_id", id=q.id)) in text, q.id
        for o in getattr(q, "options", ()):
            if not isinstance(q, MatrixQuestion):
                assert nospace(f"{o.label.get(lang)}") + nospace(f"[{o.id}]") in text, (q.id, o.id)
    assert text == nfc(text)  # diacritics come back precomposed


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_type_has_its_own_boxes_and_instruction(six, forms, lang):
    text = squash(all_text(forms[lang])).replace("\u00a0", " ")
    for key in ("form_tick_one", "form_tick_all", "form_tick_scale", "form_tick_matrix", "form_write_number",
                "form_write_text"):
        assert t(lang, key) in text, key
    scale = next(q for _, q in six.questions() if isinstance(q, ScaleQuestion))
    for step in range(scale.min, scale.max + 1):
        assert f"☐ {step}" in text
    for word in scale.anchors.values():
        assert squash(word.get(lang)) in text
    matrix = next(q for _, q in six.questions() if isinstance(q, MatrixQuestion))
    for row in matrix.rows:
        assert squash(f"{row.label.get(lang)} [{row.id}]") in text
    number = next(q for _, q in six.questions() if isinstance(q, NumberQuestion))
    assert squash(t(lang, "form_range", min="0", max="100")) in text
    multi = next(q for _, q in six.questions() if isinstance(q, MultiQuestion))
    exclusive = next(o for o in multi.options if o.exclusive)
    assert squash(f"{exclusive.label.get(lang)} [{exclusive.id}] — {t(lang, 'form_exclusive')}") in text
    assert number.allow_na
    assert text.count(f"☐ {t(lang, 'form_na')}") == sum(1 for _, q in six.questions() if q.allow_na)
    assert text.count("☐") >= sum(len(getattr(q, "options", ())) for _, q in six.questions() if
                                  not isinstance(q, (MatrixQuestion, TextQuestion)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_conditional_question_says_when_to_answer_it(six, forms, lang):
    numbers = {q.id: n for n, (_, q) in enumerate(six.questions(), 1)}
    yes = six.question("cust_site").options[0].label.get(lang)
    cond = t(lang, "form_cond_in", n=numbers["cust_site"], values=t(lang, "form_quote", x=yes))
    assert squash(t(lang, "form_only_if", cond=cond)) in squash(all_text(forms[lang]))


CONDITIONS = """
id: cond
version: "1"
title: {vi: Điều kiện, en: Conditions}
description: {vi: Thử, en: A test}
levels:
  - {level: 0, name: {vi: Chưa, en: None}, meaning: {vi: Chưa, en: None}}
  - {level: 1, name: {vi: Có, en: Some}, meaning: {vi: Có, en: Some}}
pillars:
  - id: p
    name: {vi: Trụ cột, en: Pillar}
    questions:
      - id: has_site
        type: yesno
        text: {vi: "Có website không?", en: "Is there a website?"}
        options: [{id: "yes", points: 1}, {id: "no", points: 0}]
      - id: staff
        type: number
        min: 0
        max: 500
        text: {vi: "Bao nhiêu lao động?", en: "How many staff?"}
        bands: [{from: 0, points: 0}, {from: 10, points: 1}]
      - id: updates
        type: single
        show_if: {any: [{question: has_site, in: ["yes"]}, {question: staff, at_least: 10, at_most: 200.5}]}
        text: {vi: "Cập nhật thế nào?", en: "How is it updated?"}
        options: [{id: rarely, label: {vi: Hiếm khi, en: Rarely}, points: 0}, {id: weekly, label: {vi: Hằng tuần, en: Weekly}, points: 1}]
rules:
  pillar_levels: [{level: 1, min_percent: 50}]
  overall: {method: weighted_mean, bands: [{level: 1, min_percent: 50}]}
"""


def test_conditions_in_words_for_groups_and_numbers():
    q = load_questionnaire_text(CONDITIONS, "cond.yaml")
    en = squash(all_text(render_blank_form(q, "en")))
    assert "Answer only if you chose “Yes” in question 1 or question 2 is 10 or more and question 2 is at most " \
           "200.5." in en
    vi = squash(all_text(render_blank_form(q, "vi")))
    assert "Chỉ trả lời nếu ở câu 1 bạn chọn «Có» hoặc câu 2 từ 10 trở lên và câu 2 không quá 200,5." in vi


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_profile_lists_and_consent(forms, lang):
    text = flat(forms[lang])
    ref = load_profile_reference()
    for p in ref.provinces:
        assert nospace(p.name.get(lang)) + nospace(f"[{p.id}]") in text, p.id
    for s in ref.sectors:
        assert nospace(f"{s.id} — {s.name.get(lang)}") in text, s.id
    for b in ref.size_bands:
        assert nospace(b.name.get(lang)) in text
    for key in ("form_name", "form_staff", "form_consent_title", "form_consent_room", "form_consent_pool",
                "form_consent_note"):
        assert nospace(t(lang, key)) in text, key
    first = squash(page_texts(forms[lang])[0])
    assert "Hội thảo Lào Cai" in first and "KXT7QM" in first


def test_codes_printed_before_the_question(six):
    q = load_questionnaire_text(coded(SIX), "coded.yaml")
    text = squash(all_text(render_blank_form(q, "vi"))).replace("\u00a0", " ")
    for n, (_, question) in enumerate(q.questions(), 1):
        assert squash(f"Câu {n}. {question.code} {question.text.get('vi')}") in text, question.id


def test_every_page_has_a_form_number_line(forms):
    for lang, pdf in forms.items():
        pages = page_texts(pdf)
        assert len(pages) >= 2
        for page in pages:
            assert nospace(t(lang, "form_number")) in nospace(page)


def test_without_workshop_and_with_hostile_names(six):
    plain = squash(all_text(render_blank_form(six)))
    assert t("vi", "form_workshop") + ":" not in plain and t("vi", "form_join_code") not in plain
    hostile = render_blank_form(six, "en", workshop_name="<b>Club</b> & " + "W" * 1_000_000, join_code="</para>")
    text = squash(all_text(hostile))
    assert "<b>Club</b> & WWW" in text and "</para>" in text and "W" * 300 not in text


def test_same_input_same_bytes_and_only_the_shipped_fonts(six, forms):
    assert render_blank_form(six, "vi", workshop_name="Hội thảo Lào Cai", join_code="KXT7QM") == forms["vi"]
    for pdf in forms.values():
        assert all("DejaVuSans" in name for name in font_names(pdf))


@pytest.mark.parametrize("qid", ["dbi_sme", "quick_check"])
def test_bundled_questionnaires_print_and_stay_inside_the_page(qid, tmp_path):
    assert qid in {p.stem for p in bundled_paths()}, f"{qid}.yaml is missing"
    q = load_bundled(qid)
    for lang in ("vi", "en"):
        pdf = render_blank_form(q, lang, workshop_name="Hội thảo", join_code="ABC123")
        text = flat(pdf)
        for _, question in q.questions():
            assert nospace(t(lang, "form_id", id=question.id)) in text
        assert_margins_blank(page_images(pdf, tmp_path / lang))
