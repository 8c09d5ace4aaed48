"""Safe spreadsheet cells: text that Excel would run as a formula is neutralised.

Shared by the batch sheet (pandas) and the tool pages' CSV/xlsx downloads (standard library).
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text beginning with = + - @ (or a tab/CR) gets a leading apostrophe; numbers are untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
