"""Indicative pillar bands: a quick check's pillar is a sign (low, medium, high), not a level."""

from __future__ import annotations


def test_indicative_bands_are_thirds():
    from scoring.bands import indicative_band

    assert [indicative_band(p) for p in (None, 0, 33.3, 100 / 3, 50, 66.6, 200 / 3, 80, 100)] == [
        None, "low", "low", "medium", "medium", "medium", "high", "high", "high"]
