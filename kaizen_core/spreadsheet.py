"""Spreadsheet files both ways: text that Excel would run as a formula is neutralised, and CSV
saved by Excel is read whichever encoding it chose.

Shared by the batch sheet and the tool pages' CSV/xlsx downloads and uploads (standard library).
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# UTF-8 (with or without Excel's BOM) first, then Shift_JIS as Japanese Excel saves "CSV".
CSV_ENCODINGS = ("utf-8-sig", "cp932")


def decode_csv(data: bytes) -> str | None:
    """The text of a CSV file, or None when it is in neither encoding (the caller says so)."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def neutralise(value: Any) -> Any:
    """Text beginning with = + - @ (or a tab/CR) gets a leading apostrophe; numbers are untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
