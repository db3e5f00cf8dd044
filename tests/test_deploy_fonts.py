"""deploy/fonts.py: Streamlit's fonts cut down to what the app draws with (the proxy serves
them in place of the full files; tests/test_deploy.py checks that through nginx and Chromium).

- every icon Streamlit's front end or the app names is in the cut-down icon font, drawn from
  its name by a ligature as the full font draws it, and the font is a small fraction of the full one;
- the text font has no letters (the page falls back to the phone's fonts letter by letter);
- the theme never asks for Source Sans (exactly "sans-serif" would mean Source Sans to Streamlit);
- the folder is built once per Streamlit and icon set, readable by nginx's workers.
"""

from __future__ import annotations

import io
import stat
import tomllib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from deploy import fonts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return fonts.build(tmp_path_factory.mktemp("fonts"))


def test_the_names_come_from_streamlit_and_from_the_app():
    names = fonts.icon_names()
    assert {"keyboard_arrow_right", "keyboard_double_arrow_right", "expand_more", "close"} <= names  # Streamlit's own
    assert {"home", "key", "login", "error", "lock", "checklist"} <= names  # the app's pages and messages
    assert len(names) < 400, "a scan that found every word would make the cut pointless"


def test_every_icon_named_is_drawn_by_the_cut_down_font(built):
    full = TTFont(str(fonts.full_font()))
    in_full = fonts.ligatures(full)
    cut = TTFont(str(built / fonts.ICON_FILE))
    in_cut = fonts.ligatures(cut)
    names = fonts.icon_names()
    app_names = fonts.names_in([*(ROOT / "ui").rglob("*.py"), ROOT / "app.py", *(ROOT / "locales").rglob("*.yaml")])
    assert {"edit", "history"} <= app_names, "the wording's icons (a follow-up's earlier answer) count too"
    assert app_names <= set(in_full), f"icons the app names that Material Symbols lacks: {app_names - set(in_full)}"
    missing = {n for n in names if n in in_full and n not in in_cut}
    assert not missing, f"icons named but cut: {sorted(missing)}"
    # the same outline as in the full font (a ligature to a glyph of the same shape)
    full_glyphs, cut_glyphs = full.getGlyphSet(), cut.getGlyphSet()
    for name in ("home", "keyboard_arrow_right", "lock"):
        assert full_glyphs[in_full[name]].width == cut_glyphs[in_cut[name]].width
    assert len(in_cut) < len(in_full) / 10


def test_the_cut_down_fonts_are_a_small_fraction_of_the_full_ones(built):
    icon, text = built / fonts.ICON_FILE, built / fonts.TEXT_FILE
    assert icon.stat().st_size < 40_000 and icon.stat().st_size < fonts.full_font().stat().st_size / 10
    assert text.stat().st_size < 5_000
    assert icon.read_bytes()[:4] == text.read_bytes()[:4] == b"wOF2"


def test_the_text_font_has_no_letters(built):
    text = TTFont(str(built / fonts.TEXT_FILE))
    assert set(text.getBestCmap()) == {ord(" ")}
    assert text["name"].getDebugName(0), "the copyright record is kept"


def test_the_theme_uses_the_phones_fonts():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    for key in ("font", "codeFont"):
        first = theme[key].split(",")[0].strip().lower()
        assert first in ("system-ui", "ui-monospace"), theme[key]
        assert theme[key].strip() not in ("sans-serif", "serif", "monospace"), "Streamlit maps these to its web fonts"


def test_the_folder_is_built_once_and_readable_by_everyone(tmp_path):
    folder = fonts.cached(tmp_path / "cache")
    first = {name: (folder / name).stat().st_mtime_ns for name in (fonts.ICON_FILE, fonts.TEXT_FILE)}
    assert fonts.cached(tmp_path / "cache") == folder
    assert {name: (folder / name).stat().st_mtime_ns for name in first} == first
    for path in (tmp_path / "cache", folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o755
    for name in first:
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o644
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "no half-written file left"


def test_the_command_writes_both_files(tmp_path, capsys):
    assert fonts.main([str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert fonts.ICON_FILE in out and fonts.TEXT_FILE in out
    TTFont(io.BytesIO((tmp_path / "out" / fonts.ICON_FILE).read_bytes()))  # a font fontTools reads back
