"""Streamlit's fonts cut down to what the app draws with, for the reverse proxy to serve instead.

Icons. Streamlit draws its icons (the sidebar's arrows, an expander's chevron, a page's icon in
the navigation, ``icon=":material/lock:"``) with one font, Material Symbols Rounded: 375 KB of
woff2 for about 4,000 icons, fetched on the first visit of every phone. The app and Streamlit
use ~130 of them. This writes a copy of that font with only those (~14 KB): every
``:material/name:`` in Streamlit's own JavaScript and in the app's Python and wording, each an
icon drawn from its name by the font's ligatures, as the full font draws it.

Text. The app's theme draws text with the phone's own fonts (.streamlit/config.toml), but
Streamlit paints its first frame, before the theme arrives, in its Source Sans (171 KB), and
the browser then fetches the whole file. Served in its place: Source Sans with no letters
(~1 KB), so that first frame falls back to the phone's font letter by letter, as the theme
does anyway.

    python -m deploy.fonts FOLDER

deploy/local_stack.py builds them at start; deploy/proxy.Dockerfile builds them in the image.
The proxy (deploy/nginx/sme.conf.template) serves each at its full font's address and falls
back to Streamlit's own file when it is not there. Material Symbols and Source Sans: Apache
License 2.0 (Google) and SIL Open Font License 1.1 (Adobe); their name records are kept.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# where the app names its icons: the entry point, the pages, the wording (":material/edit: …")
APP_SOURCES = ("app.py", "ui", "locales")
APP_FILES = ("*.py", "*.yaml")
ICON = re.compile(r":material/([a-z0-9_]+):")
ICON_FONT = "MaterialSymbols-Rounded.*.woff2"
TEXT_FONT = "SourceSansVF-Upright.ttf.*.woff2"
# the files written, as nginx's try_files names them
ICON_FILE = "MaterialSymbols-Rounded.subset.woff2"
TEXT_FILE = "SourceSans.empty.woff2"
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"  # what an icon's name is spelled with


def streamlit_static() -> Path:
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static" / "static"


def full_font(static: Path | None = None, pattern: str = ICON_FONT) -> Path:
    found = sorted((static or streamlit_static()).glob(f"media/{pattern}"))
    if len(found) != 1:
        raise RuntimeError(f"expected one {pattern} in Streamlit's static files, found {len(found)}")
    return found[0]


def names_in(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        found |= set(ICON.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return found


def icon_names(static: Path | None = None, root: Path = ROOT) -> set[str]:
    """Every icon Streamlit's front end or the app names."""
    scripts = sorted((static or streamlit_static()).glob("js/*.js"))
    if not scripts:
        raise RuntimeError("Streamlit's JavaScript is not where it was expected")
    sources: list[Path] = []
    for name in APP_SOURCES:
        path = root / name
        sources += sorted(p for pattern in APP_FILES for p in path.rglob(pattern)) if path.is_dir() else [path]
    return names_in(scripts) | names_in(sources)


def ligatures(font) -> dict[str, str]:
    """{icon name: glyph} from the font's ligature substitutions (GSUB lookup type 4, also
    when wrapped in an extension lookup)."""
    spelled = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    found: dict[str, str] = {}
    if "GSUB" not in font:
        return found
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            for first, rules in getattr(table, "ligatures", {}).items():
                for rule in rules:
                    found["".join(spelled.get(g, "\0") for g in [first, *rule.Component])] = rule.LigGlyph
    return found


def _cut(font, glyphs: list[str], unicodes: list[int]) -> bytes:
    from fontTools import subset as ft_subset

    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.layout_closure = False  # keep the ligatures of the chosen icons, not every one the letters spell
    options.notdef_outline = True
    options.name_IDs = ["*"]  # the licence and copyright records stay
    options.hinting = False
    cutter = ft_subset.Subsetter(options)
    cutter.populate(glyphs=glyphs, unicodes=unicodes)
    cutter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def icon_subset(font_path: Path, names: set[str]) -> tuple[bytes, set[str]]:
    """(the icon font with only ``names``, as woff2; the names the full font does not have)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_path))
    by_name = ligatures(font)
    unknown = {name for name in names if name not in by_name}
    glyphs = sorted(by_name[name] for name in names if name in by_name)
    return _cut(font, glyphs, [ord(c) for c in LETTERS]), unknown


def empty_text_font(font_path: Path) -> bytes:
    """The text font with no letters (a space only): every character falls back to the next
    font of the page's list."""
    from fontTools.ttLib import TTFont

    return _cut(TTFont(str(font_path)), [], [ord(" ")])


def _write(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    tmp.write_bytes(data)
    tmp.chmod(0o644)
    tmp.replace(target)


def build(folder: Path, static: Path | None = None) -> Path:
    """Write ``ICON_FILE`` and ``TEXT_FILE`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / ICON_FILE, icon_subset(full_font(static), icon_names(static))[0])
    _write(folder / TEXT_FILE, empty_text_font(full_font(static, TEXT_FONT)))
    return folder


def cached(base: Path | None = None, static: Path | None = None) -> Path:
    """A folder holding both files for the installed Streamlit and the app's icons, built once
    (fontTools takes ~3 s) and kept under the system's temporary folder by what it was built
    from. Readable by everyone: nginx's workers drop root."""
    names = icon_names(static)
    digest = hashlib.sha256("\n".join(sorted(names)).encode())
    for pattern in (ICON_FONT, TEXT_FONT):
        digest.update(full_font(static, pattern).read_bytes())
    base = base or Path(tempfile.gettempdir()) / "sme-fonts"
    folder = base / digest.hexdigest()[:16]
    if not all((folder / name).exists() for name in (ICON_FILE, TEXT_FILE)):
        build(folder, static)
    for path in (base, folder):
        path.chmod(0o755)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help=f"where to write {ICON_FILE} and {TEXT_FILE}")
    args = parser.parse_args(argv)
    try:
        folder = build(args.folder)
    except (RuntimeError, OSError, ImportError) as exc:
        print(f"deploy.fonts: {exc}", file=sys.stderr)
        return 1
    for name, pattern in ((ICON_FILE, ICON_FONT), (TEXT_FILE, TEXT_FONT)):
        print(f"{folder / name}: {(folder / name).stat().st_size:,} bytes "
              f"(Streamlit's {full_font(pattern=pattern).name}: {full_font(pattern=pattern).stat().st_size:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
