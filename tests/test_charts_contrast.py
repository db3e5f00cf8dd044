"""Colours a reader must tell apart: chart bars at least 3:1 against white (WCAG 1.4.11), the
captions that carry explanations at least 4.5:1 (WCAG 1.4.3), computed from the colours
the code uses."""

from __future__ import annotations

import re

import pytest

from ui import charts, style


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str = "#ffffff") -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def test_contrast_formula_on_known_pairs():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#ffffff") == pytest.approx(1.0)
    assert contrast("#fff176") == pytest.approx(1.16, abs=0.01)  # the old level-3 yellow


@pytest.mark.parametrize("colour", [*charts.LEVEL_COLOURS, charts.GREY, *charts.COLOURS])
def test_chart_colours_reach_3_to_1_against_white(colour):
    assert contrast(colour) >= 3.0, colour


def test_levels_are_told_apart_by_more_than_lightness_alone():
    assert len(set(charts.LEVEL_COLOURS)) == len(charts.LEVEL_COLOURS)


def test_caption_text_reaches_4_5_to_1():
    found = re.search(r'stCaptionContainer"\] p \{ color: (#[0-9a-f]{6})', style._CSS)
    assert found, "the stylesheet sets the caption colour"
    assert contrast(found.group(1)) >= 4.5
