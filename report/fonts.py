"""The report's one font family (DejaVu Sans, shipped in report/fonts/) and text cleaning.

Every style and chart label of the PDF uses ``FONT`` / ``FONT_BOLD``: reportlab's base-14
fonts (Helvetica …) have no Vietnamese glyphs, so nothing may fall back to them.

``clean`` makes any user text safe to draw with this font: Unicode NFC (Vietnamese typed with
combining accents becomes precomposed), control and bidi-override characters dropped, and every
character the font has no glyph for (most emoji) replaced by a visible placeholder. It does not
escape markup: ``report.pdf.para`` does that for Paragraph text.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
LICENCE = FONT_DIR / "LICENSE-DejaVu.txt"

PLACEHOLDER = "\u25a1"  # □ : a character the font cannot draw (DejaVu has this one)
# invisible characters that only steer layout or direction: dropped (reportlab draws glyphs in
# the order typed and knows no bidi algorithm, so these would only confuse copy and paste)
_DROP = {0x200E, 0x200F, 0x061C, 0xFE0E, 0xFE0F, 0x200D, 0xFEFF, 0x2060}
_DROP |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
# variation selectors, emoji skin-tone modifiers and tag characters (parts of an emoji)
_DROP |= set(range(0xFE00, 0xFE10)) | set(range(0x1F3FB, 0x1F400)) | set(range(0xE0000, 0xE0080))

_lock = threading.Lock()
_WIDTH_CACHE_LIMIT = 200_000


class _CachedTTFont(TTFont):
    """A TTFont that remembers the width of each string it has measured.

    Line breaking measures every word of every paragraph, and a report repeats the same short
    Vietnamese syllables thousands of times; reportlab's pure-Python width sum is the hot spot
    (its C accelerator is a separate package). The result is computed exactly as reportlab does
    (``0.001 × size × Σ glyph widths``), so layout is unchanged. Thread-safe: a dict lookup or
    store is atomic, and a lost race only measures a string twice.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._units: dict[str, int] = {}

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 (reportlab's name)
        if not isinstance(text, str):
            text = text.decode(encoding or "utf8")
        units = self._units.get(text)
        if units is None:
            g = self.face.charWidths.get
            dw = self.face.defaultWidth
            units = sum(g(ord(u), dw) for u in text)
            if len(self._units) >= _WIDTH_CACHE_LIMIT:
                self._units.clear()
            self._units[text] = units
        return 0.001 * size * units


@lru_cache(maxsize=1)
def register() -> tuple[str, str]:
    """Register DejaVu Sans regular and bold as one family (once per process, thread-safe)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, file in FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(_CachedTTFont(name, str(FONT_DIR / file)))
        registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
        # <i> inside a paragraph maps to the regular face (there is no italic file): never Helvetica
        addMapping(FONT_BOLD, 0, 1, FONT_BOLD)
        addMapping(FONT_BOLD, 1, 1, FONT_BOLD)
    return FONT, FONT_BOLD


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    register()
    regular = set(pdfmetrics.getFont(FONT).face.charToGlyph)
    bold = set(pdfmetrics.getFont(FONT_BOLD).face.charToGlyph)
    return frozenset(regular & bold)


def has_glyph(ch: str) -> bool:
    return ord(ch) in _glyphs()


@lru_cache(maxsize=4096)
def clean(text: object, visual: bool = True) -> str:
    """User or catalogue text made drawable: NFC, no controls, placeholders for missing glyphs,
    right-to-left runs in visual order (``visual=False`` keeps the logical order: metadata)."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text))
    glyphs = _glyphs()
    out: list[str] = []
    for ch in s:
        cp = ord(ch)
        if ch in "\n\t":
            out.append(ch)
            continue
        if cp in _DROP or 0xD800 <= cp <= 0xDFFF:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn"):
            continue
        if cat in ("Zl", "Zp"):
            out.append("\n")
            continue
        if cat == "Zs":
            out.append(" ")
            continue
        if cp in glyphs:
            out.append(ch)
        elif cat.startswith("M"):
            continue  # a combining mark the font lacks: drop it, keep the base letter
        elif not out or out[-1] != PLACEHOLDER:
            out.append(PLACEHOLDER)  # one placeholder for a run of undrawable characters
    s = "".join(out)
    return visual_order(s) if visual else s


_RTL = {"R", "AL"}
_IN_RUN = {"WS", "ON", "CS", "ES", "ET", "EN", "AN", "NSM", "BN"}  # neutrals, numbers, marks


def visual_order(text: str) -> str:
    """Right-to-left runs (Hebrew, Arabic) put in visual order, line by line.

    reportlab draws characters left to right in the order given and has no bidi algorithm
    without the optional ``rlbidi``; a PDF holds glyphs in visual order. So each run of RTL
    letters (with the spaces, punctuation and numbers between them) is reversed, keeping a
    letter with its combining marks and a number's digits in their own order. Enough for a
    name or a short phrase inside left-to-right text; Arabic letters stay in isolated forms
    (no shaping). Text without RTL letters is returned unchanged.
    """
    if not any(unicodedata.bidirectional(ch) in _RTL for ch in text):
        return text
    return "\n".join(_visual_line(line) for line in text.split("\n"))


def _visual_line(line: str) -> str:
    classes = [unicodedata.bidirectional(ch) for ch in line]
    out: list[str] = []
    i = 0
    n = len(line)
    while i < n:
        if classes[i] not in _RTL:
            out.append(line[i])
            i += 1
            continue
        end = i  # the run ends at its last RTL letter (with its marks) or a number after one
        j = i
        while j < n and (classes[j] in _RTL or classes[j] in _IN_RUN):
            if classes[j] in _RTL or classes[j] in ("EN", "AN"):
                end = j
                while end + 1 < n and classes[end + 1] == "NSM":
                    end += 1
            j += 1
        units: list[str] = []  # clusters: a letter with its marks, a number, one neutral
        k = i
        while k <= end:
            m = k + 1
            if classes[k] in ("EN", "AN"):
                while m <= end and classes[m] in ("EN", "AN", "CS") and not (
                    classes[m] == "CS" and (m + 1 > end or classes[m + 1] not in ("EN", "AN"))
                ):
                    m += 1
            else:
                while m <= end and classes[m] == "NSM":
                    m += 1
            units.append(line[k:m])
            k = m
        out.extend(reversed(units))
        i = end + 1
    return "".join(out)


def width(text: str, size: float, bold: bool = False) -> float:
    return pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, size)


def fit(text: str, size: float, max_width: float, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it fits ``max_width`` points (for one-line labels)."""
    if width(text, size, bold) <= max_width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width(text[:mid] + "…", size, bold) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"
