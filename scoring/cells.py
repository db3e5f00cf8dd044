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
