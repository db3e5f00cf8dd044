"""Numbers, percents and dates as each language writes them: one formatter per language, used
by the pages, the PDFs and the sentences of the recommendations alike.

    >>> formats("vi").number(1234.5), formats("en").number(1234.5)
    ('1.234,5', '1,234.5')
    >>> formats("vi").date(date(2026, 12, 6)), formats("en").date(date(2026, 12, 6), short=True)
    ('ngày 6 tháng 12 năm 2026', '6 Dec 2026')

Dates are days in Vietnam (UTC+7, no daylight saving): ``local_date`` turns an aware datetime
into its day there.

Pure: no Streamlit, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
VN_TZ = timezone(timedelta(hours=7), "ICT")  # Vietnam: UTC+7 all year
NONE = "—"  # a figure that does not exist
MINUS = "\u2212"  # a difference's sign

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def lang_of(lang: str | None) -> str:
    """A supported language, else the default (Vietnamese)."""
    return lang if lang in LANGS else DEFAULT_LANG


def local_date(when: date | datetime | None, *, naive_is_utc: bool = False) -> date:
    """The calendar day in Vietnam for a date (as it is) or an aware datetime (converted to UTC+7);
    None is today in Vietnam. A naive datetime is refused (it could be any time zone's, and a
    report dated the wrong day is worse than an error) unless ``naive_is_utc`` says it is UTC
    (as the database keeps times)."""
    if when is None:
        return datetime.now(VN_TZ).date()
    if isinstance(when, datetime):
        if when.tzinfo is None or when.utcoffset() is None:
            if not naive_is_utc:
                raise ValueError(f"when={when.isoformat()} has no time zone: pass a date or an aware datetime")
            when = when.replace(tzinfo=UTC)
        return when.astimezone(VN_TZ).date()
    if isinstance(when, date):
        return when
    raise TypeError(f"when must be a date or an aware datetime, not {type(when).__name__}")


def vn_today() -> date:
    """Today in Vietnam (the server may keep another time zone)."""
    return datetime.now(VN_TZ).date()


@dataclass(frozen=True)
class Formats:
    """How one language writes figures: ``formats(lang)``."""

    lang: str
    thousands: str
    decimal: str

    def _group(self, whole: str) -> str:
        sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        groups.insert(0, digits)
        return sign + self.thousands.join(groups)

    def number(self, x: float | None) -> str:
        """Points and answers as people write them: 12, 12,5 and 1.234 (vi); 12.5 and 1,234 (en).
        At most one decimal; a whole number has none."""
        if x is None:
            return NONE
        if abs(x - round(x)) <= 1e-9:
            return self._group(str(int(round(x))))
        whole, _, fraction = f"{x:.1f}".partition(".")
        fraction = fraction.rstrip("0")
        return self._group(whole) + (self.decimal + fraction if fraction else "")

    def count(self, n: int | None) -> str:
        """A whole count, thousands grouped: 12.345 (vi), 12,345 (en)."""
        return NONE if n is None else self._group(str(int(n)))

    def percent(self, x: float | None) -> str:
        """A share of 0–100 as a whole percent: 45%."""
        return NONE if x is None else f"{int(round(x))}%"

    def whole(self, x: float | None) -> str:
        """A figure rounded to a whole number, thousands grouped: 45, 1.234 (vi)."""
        return NONE if x is None else self.count(int(round(x)))

    def change(self, x: float | None) -> str:
        """A difference in whole units with its sign: +5, −3 (a minus sign, not a hyphen), 0."""
        if x is None:
            return NONE
        n = int(round(x))
        return f"+{self.count(n)}" if n > 0 else f"{MINUS}{self.count(-n)}" if n < 0 else "0"

    def date(self, when: date | datetime | None, *, short: bool = False) -> str:
        """A day in words, "ngày 6 tháng 12 năm 2026" (vi), "6 December 2026" (en); ``short`` for a
        table or a caption, 06/12/2026 (vi), 6 Dec 2026 (en). A naive datetime is taken as UTC
        (the database's times)."""
        if when is None:
            return NONE
        d = local_date(when, naive_is_utc=True)
        if self.lang == "vi":
            return f"{d.day:02d}/{d.month:02d}/{d.year}" if short else f"ngày {d.day} tháng {d.month} năm {d.year}"
        month = _EN_MONTHS[d.month - 1]
        return f"{d.day} {month[:3] if short else month} {d.year}"


def with_unit(number: str, unit: str | None) -> str:
    """A number and its unit as both languages print them: 45% (no space before a percent sign,
    like the percentages themselves), 12 người, 3,5 tỷ đồng."""
    unit = (unit or "").strip()
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


@cache
def formats(lang: str | None) -> Formats:
    """The formatter of a language (an unknown one: Vietnamese)."""
    lang = lang_of(lang)
    return Formats(lang, ".", ",") if lang == "vi" else Formats(lang, ",", ".")


__all__ = ["DEFAULT_LANG", "LANGS", "NONE", "VN_TZ", "Formats", "formats", "lang_of", "local_date", "vn_today",
           "with_unit"]
