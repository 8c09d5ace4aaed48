"""iCalendar files (RFC 5545) of all-day events, for deadlines that any calendar can import.

UTF-8, CRLF line ends, lines folded at 75 octets without splitting a character, TEXT values
escaped (backslash, semicolon, comma, newline). Each event has a UID that stays the same for the
same deadline of the same case, so importing the file again updates the events instead of
adding copies, and a DTSTAMP (the time the file was made, in UTC).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PRODID = "-//kaizen-navi//経営改善計画策定支援ナビ//JA"
UID_DOMAIN = "kaizen-navi.invalid"  # RFC 5545 suggests a domain part; this one is reserved, never resolved
MAX_OCTETS = 75


@dataclass(frozen=True)
class Event:
    """An all-day event: its day, title, description and the text that makes its UID stable."""

    day: date
    summary: str
    description: str
    key: str


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, newlines as ``\\n``."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded to at most 75 octets per physical line (RFC 5545 3.1): each
    continuation starts with one space, and no UTF-8 character is split."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1  # the leading space takes one octet
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def uid(key: str) -> str:
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def calendar(events: Sequence[Event], stamp: datetime, name: str) -> bytes:
    """The VCALENDAR with one all-day VEVENT per event (DTEND is the next day, as RFC 5545
    3.6.1 gives for a one-day event), as UTF-8 bytes with CRLF line ends."""
    utc = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid(event.key)}",
            f"DTSTAMP:{utc}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")
