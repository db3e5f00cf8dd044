"""The UI string catalogues: Vietnamese and English say the same things."""

from __future__ import annotations

import re
import string

import pytest
import yaml

from ui.i18n import LANGS, catalogue, catalogue_files, flatten, t

CODE_DIRS = ["app.py", "ui"]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_files_have_the_same_keys():
    vi, en = catalogue("vi"), catalogue("en")
    assert sorted(set(vi) - set(en)) == [], "in vi.yaml only"
    assert sorted(set(en) - set(vi)) == [], "in en.yaml only"


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_strings_and_same_placeholders(lang):
    vi, other = catalogue("vi"), catalogue(lang)
    for key, value in other.items():
        assert value.strip(), f"{lang}: {key} is empty"
        assert fields(value) == fields(vi[key]), f"{lang}: {key} has placeholders {fields(value)}, vi {fields(vi[key])}"


def test_files_are_plain_yaml_mappings():
    for lang in LANGS:
        merged: dict[str, str] = {}
        for path in catalogue_files(lang):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert isinstance(data, dict), path
            merged.update(flatten(data))
        assert merged == catalogue(lang)


def test_area_files_match_across_languages():
    names = {lang: [p.name for p in catalogue_files(lang)[1:]] for lang in LANGS}
    assert names["vi"] == names["en"]


def test_every_key_the_code_names_exists():
    from pathlib import Path

    from ui.i18n import LOCALES_DIR

    root = LOCALES_DIR.parent
    used = set()
    for entry in CODE_DIRS:
        path = root / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for f in files:
            used |= set(re.findall(r"\bt(?:_or)?\(\s*[\"']([a-z_0-9]+\.[a-z_0-9.]+)[\"']", f.read_text(encoding="utf-8")))
    assert used, "no t() calls found"
    missing = sorted(k for k in used if k not in catalogue("vi"))
    assert missing == []
    assert Path(root / "ui" / "i18n.py").exists()


def test_t_formats_and_falls_back():
    assert t("start.estimate", lang="en", minutes=5, count=12) == "About 5 minutes · 12 questions"
    assert t("start.estimate", lang="vi", minutes=5, count=12) == "Khoảng 5 phút · 12 câu hỏi"
    assert t("no.such.key", lang="en") == "no.such.key"
