"""Spreadsheet cells that cannot run: a text cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is read by Excel, LibreOffice and Google Sheets as a formula (or
DDE command). Every export writes its text cells through ``neutralise``, which prefixes such
a text with an apostrophe, the spreadsheets' own "this is text" mark. Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would run: then ``'`` + text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# ---- the same rule for whole columns (pure too: pandas and pyarrow are imported on use)

# FORMULA_STARTS as a regular expression, for vectorised engines (pandas .str, pyarrow.compute)
FORMULA_START_PATTERN = r"^[=+\-@\t\r]"
PREFIX = "'"


def needs_neutralising(value: Any) -> bool:
    """True when ``neutralise`` would change ``value``."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise_array(arr):
    """``neutralise`` over a pyarrow array or chunked array: text columns only."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return arr
    risky = pc.match_substring_regex(arr, FORMULA_START_PATTERN).fill_null(False)
    if not pc.any(risky).as_py():
        return arr
    return pc.if_else(risky, pc.binary_join_element_wise(PREFIX, arr, ""), arr)


def neutralise_series(series):
    """``neutralise`` over a pandas Series: text cells only. A categorical column checks each
    category once (a million rows with a thousand distinct values: a thousand checks)."""
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = list(series.cat.categories)
        fixed = [neutralise(c) for c in categories]
        if all(a is b for a, b in zip(fixed, categories)):
            return series
        if len(set(fixed)) == len(fixed):
            return series.cat.rename_categories(fixed)
        return series.astype(object).map(neutralise)  # "=x" and "'=x" both present
    if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        risky = series.map(needs_neutralising).astype(bool)
        if not risky.any():
            return series
        out = series.copy()
        out[risky] = PREFIX + series[risky].astype(str)
        return out
    return series  # numbers, booleans, dates: nothing a spreadsheet would run


def neutralise_frame(frame):
    """A pandas DataFrame with every text column neutralised (a new frame; the input is kept)."""
    out = frame.copy(deep=False)
    for i in range(len(frame.columns)):  # by position: column names may repeat
        out.isetitem(i, neutralise_series(frame.iloc[:, i]))
    return out


__all__ = [
    "FORMULA_STARTS",
    "FORMULA_START_PATTERN",
    "needs_neutralising",
    "neutralise",
    "neutralise_array",
    "neutralise_frame",
    "neutralise_series",
]
