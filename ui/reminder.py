"""A calendar reminder for the follow-up assessment: an iCalendar (RFC 5545) all-day event
three months ahead (in Vietnam's calendar), with the link that reopens the assessment.
Built here and downloaded by the owner; nothing is sent anywhere."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from ui.common import VN_TZ
from ui.i18n import t

FOLLOW_UP_AFTER = timedelta(days=91)


def escape(text: str) -> str:
    """A TEXT value of RFC 5545: backslash, semicolon, comma and newlines escaped."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line longer than 75 octets, folded (CRLF and a space), never inside a character."""
    parts: list[str] = []
    current = ""
    for ch in line:
        limit = 75 if not parts else 74  # a continuation line starts with the folding space
        if len((current + ch).encode("utf-8")) > limit:
            parts.append(current)
            current = ""
        current += ch
    parts.append(current)
    return "\r\n ".join(parts)


def follow_up_ics(link: str, lang: str, now: datetime | None = None) -> bytes:
    now = now or datetime.now(UTC)
    day = (now.astimezone(VN_TZ) + FOLLOW_UP_AFTER).date()
    summary = t("code.ics_summary", lang=lang)
    description = t("code.ics_description", lang=lang, link=link)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//san-sang-so//follow-up//VI",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uuid.uuid4()}@san-sang-so",
        f"DTSTAMP:{now.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{link}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(summary)}",
        "TRIGGER:PT9H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
