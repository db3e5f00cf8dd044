"""A coarse reading of a pillar's share for an indicative questionnaire.

A quick check asks two questions per pillar: one "yes" can put a pillar at 80 %, which a
level table would call "Leading". Such a pillar result is a sign, not a level: it is shown
as low, medium or high (thirds of the pillar's points), and only the overall indicative
level is given as a level. Pure: used by the results page and the PDF alike.
"""

from __future__ import annotations

BANDS = ("low", "medium", "high")


def indicative_band(percent: float | None) -> str | None:
    """``low`` below a third of the points, ``high`` from two thirds, else ``medium``."""
    if percent is None:
        return None
    if percent * 3 < 100:
        return "low"
    if percent * 3 < 200:
        return "medium"
    return "high"
