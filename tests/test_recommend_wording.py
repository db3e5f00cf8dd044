"""The sentences of the recommendations are data (questionnaires/catalogue/wording.yaml): checked
like the other data files, used for every reason, and no language branch is left in the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.datafile import DataFileError
from scoring.engine import score_assessment
from scoring.loader import load_bundled
from scoring.model import FirmProfile
from scoring.profile import load_profile_reference
from scoring.recommend import recommend
from scoring.recommend.wording import (
    TEMPLATES,
    WORDING_PATH,
    WordingError,
    bundled_wording,
    load_wording,
    load_wording_text,
)
from tests.e2e_helpers import all_answers

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = WORDING_PATH.read_text(encoding="utf-8")


def test_bundled_wording_is_complete():
    w = load_wording()
    assert set(w.templates) == set(TEMPLATES)
    for name, text in w.templates.items():
        assert text.get("vi").strip() and text.get("en").strip() and set(text.root) == {"vi", "en"}, name
    ref = load_profile_reference()
    assert set(w.sizes) == {b.id for b in ref.size_bands}
    assert set(w.sectors) == {s.id for s in ref.sectors}
    assert w.say("answer_to", "vi", answer="«Có»", question="«Bán gì?»") == "«Có» cho câu «Bán gì?»"
    assert w.quoted("Yes", "en") == "“Yes”" and w.quoted("Có", "vi") == "«Có»"


def test_size_and_sector_names_for_the_pdf_come_from_the_wording():
    from scoring.recommend import SECTOR_NAMES, SIZE_NAMES  # report/pdf.py reads these

    assert SIZE_NAMES["micro"] == {"vi": "doanh nghiệp siêu nhỏ", "en": "micro firms"}
    assert SECTOR_NAMES["G"] == ("bán buôn, bán lẻ", "wholesale and retail")
    with pytest.raises(ImportError):
        from scoring.recommend import NO_SUCH_NAME  # noqa: F401


def _broken(text: str) -> list[str]:
    with pytest.raises(WordingError) as err:
        load_wording_text(text, "wording.yaml")
    assert isinstance(err.value, DataFileError)  # the CLI's handler lists its problems
    return [str(p) for p in err.value.problems]


def test_a_broken_wording_file_lists_every_problem_with_its_line():
    text = (
        BUNDLED.replace('because: {vi: "Vì bạn trả lời {answers}.", en: "Because you answered {answers}."}',
                        'because: {vi: "Vì bạn trả lời {answer}.", en: "Because you answered {answers.__class__}."}')
        .replace('lifts: {vi: "Giúp nâng trụ cột {pillars}.", en: "It lifts {pillars}."}',
                 'lifts: {vi: "Giúp nâng trụ cột {pillars", en: ""}')
        .replace('  micro: {vi: "doanh nghiệp siêu nhỏ", en: "micro firms"}\n', '  tiny: {vi: "rất nhỏ", en: "tiny firms"}\n')
        .replace("  not_applicable: {vi: \"không áp dụng\", en: \"not applicable\"}\n", "")
        .replace("templates:\n", "templates:\n  shout: {vi: \"!\", en: \"!\"}\n")
    )
    problems = _broken(text)
    expected = {
        "templates.because.vi": "uses {answer}; expected {answers}",
        "templates.because.en": "{answers.__class__}: only plain names",
        "templates.lifts.vi": "not a valid template",
        "templates.lifts": "missing 'en' translation",
        "sizes": "'micro' is missing",
        "sizes.tiny": "unknown size band 'tiny'",
        "templates": "template 'not_applicable' is missing",
        "templates.shout": "unknown template 'shout'",
    }
    for where, message in expected.items():
        assert any(f": {where}: " in p and message in p for p in problems), (where, problems)
    # every line names the file and a line number in it
    assert all(re.match(r"wording\.yaml:\d+: ", p) for p in problems), problems
    line = next(p for p in problems if ": templates.because.vi: " in p)
    assert int(line.split(":")[1]) == text.splitlines().index(
        next(x for x in text.splitlines() if x.strip().startswith("because:"))) + 1


def test_a_wording_with_a_wrong_shape_is_refused_with_paths():
    problems = _broken('version: "1"\nquote: "«{text}»"\nsizes: {}\nsectors: {}\nprices: {}\ntemplates: {}\ncolour: red\n')
    assert any(": quote: " in p for p in problems) and any(": colour: unknown field" in p for p in problems)
    assert _broken("- a list\n") == ["wording.yaml: (top): the top level must be a mapping (version, quote, sizes, sectors, prices, templates)"]


def test_the_reasons_are_the_files_words(tmp_path):
    """Change a sentence in the file: the recommendations say the new words, in both languages."""
    path = tmp_path / "wording.yaml"
    path.write_text(
        BUNDLED.replace('because: {vi: "Vì bạn trả lời {answers}.", en: "Because you answered {answers}."}',
                        'because: {vi: "Bạn đã chọn {answers}.", en: "You chose {answers}."}'),
        encoding="utf-8",
    )
    q = load_bundled("dbi_sme")
    result = score_assessment(q, all_answers(q, "low"))
    profile = FirmProfile(size_band="small", sector="C")
    mine = recommend(q, result, profile, wording=load_wording(path))
    bundled = recommend(q, result, profile)
    assert mine.categories and all(c.reason.get("vi").startswith("Bạn đã chọn «") for c in mine.categories)
    assert all(c.reason.get("en").startswith("You chose “") for c in mine.categories)
    assert all(c.reason.get("en").startswith("Because you answered “") for c in bundled.categories)
    assert bundled_wording() is bundled_wording()  # cached


def test_no_language_branch_left_in_the_recommendations():
    """Issue 16 item 4: sentences are templates, so the code never asks which language it is in."""
    for path in sorted((ROOT / "scoring" / "recommend").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for pattern in (r"\bif vi\b", r"lang == \"(vi|en)\"", r"\bvi = lang", r"\"vi\" if"):
            assert not re.search(pattern, source), f"{path.name}: {pattern}"
