"""Shared pieces of the two plan-figure tools: 財務の健康診断 (benchmark) and 数値計画チェック (plan).

A computed ratio is kept exact as a :class:`~fractions.Fraction` and leaves the tool as a *measure*:

``{"value": number | null, "exact": "n/d" | null, "display": "日本語の表示", "reason": "…"}``

- ``value`` is the JSON number of the exact fraction: an ``int`` when the fraction is whole, otherwise
  the ``float`` nearest to it (``Fraction.__float__`` rounds correctly);
- ``exact`` is the fraction itself as ``"numerator/denominator"`` (``"13/250"``, ``"7/1"``), so that a
  caller can recompute exactly (``Fraction(exact)``);
- ``display`` is rounded for reading only (half away from zero), with ``△`` for negatives as the
  amounts on this site are written;
- ``reason`` is the calculation with its figures, or why there is no value (``value`` null).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kaizen_core.numbers import format_yen, shorten
from kaizen_core.request import Reader

MAX_LABEL_CHARS = 40  # 「2025年3月期」「計画3年目（2028年3月期）」: a column heading
NO_VALUE = "－"


def json_number(value: Fraction) -> int | float:
    """The JSON number of an exact fraction: an int when whole, else the nearest float."""
    return value.numerator if value.denominator == 1 else float(value)


def exact_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def rounded(value: Fraction, places: int) -> Fraction:
    """``value`` rounded half away from zero to ``places`` decimals (for display only)."""
    scale = 10**places
    magnitude = int(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


def decimal_text(value: Fraction, places: int = 1) -> str:
    """``1234.56`` → ``1,234.6``; negatives ``△0.5``; a value that rounds to zero has no sign."""
    shown = rounded(value, places)
    scale = 10**places
    whole, part = divmod(abs(shown.numerator) * scale // shown.denominator, scale)
    sign = "△" if shown < 0 else ""
    return f"{sign}{whole:,}.{part:0{places}d}" if places else f"{sign}{whole:,}"


def percent_text(value: Fraction, places: int = 1) -> str:
    return f"{decimal_text(value * 100, places)}%"


def yen_text(value: Fraction) -> str:
    """An exact amount of yen rounded to the yen for reading: ``1,666,667円``, ``△500円``."""
    return format_yen(int(rounded(value, 0)))


def measure(value: Fraction | None, display: str, reason: str) -> dict[str, Any]:
    if value is None:
        return {"value": None, "exact": None, "display": NO_VALUE, "reason": reason}
    return {"value": json_number(value), "exact": exact_text(value), "display": display, "reason": reason}


def read_label(reader: Reader, key: str, what: str, example: str = "2025年3月期") -> str | None:
    """A required short text such as 「2025年3月期」; ``None`` (with the error recorded) when unusable."""
    value = reader.raw(key)
    field = reader.field(key)
    if value is None or (isinstance(value, str) and value.strip() == ""):
        reader.errors.add(field, f"{what}を入力してください（例：{example}）。")
        return None
    if not isinstance(value, str):
        reader.errors.add(field, f"{what}：文字で入力してください（例：{example}）。")
        return None
    label = value.strip()
    if len(label) > MAX_LABEL_CHARS:
        reader.errors.add(
            field,
            f"{what}：「{shorten(label)}」は長すぎます（{MAX_LABEL_CHARS}文字まで）。",
        )
        return None
    return label


def check_unique_labels(reader: Reader, key: str, labels: list[str | None], what: str) -> None:
    """The same name twice would make two columns or rows that cannot be told apart."""
    seen: dict[str, int] = {}
    for index, label in enumerate(labels):
        if label is None:
            continue
        if label in seen:
            reader.errors.add(
                f"{reader.field(key)}[{index}].label",
                f"{what}：「{label}」は{seen[label] + 1}件目と同じ名前です。別の名前にしてください。",
            )
        else:
            seen[label] = index
