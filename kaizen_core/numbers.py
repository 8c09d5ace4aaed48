"""Reading and writing numbers the way Japanese businesses write them.

One parser serves every tool, the CLI, the batch sheets and the browser forms, so that
``１５０万円``, ``1.5億``, ``2千万``, ``¥300,000`` and ``△500`` mean the same thing everywhere.
Money becomes an ``int`` of yen; rates become an exact ``Fraction``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from kaizen_core.errors import InputError

YEN_EXAMPLES = "1,500,000／150万／150万円／1.5億／2千万／¥300,000／△500（マイナス）"
COUNT_EXAMPLES = "12／１２人／1,200"
RATE_EXAMPLES = "5%／５％／0.05／2/3／1割"
MONTH_EXAMPLES = "2026-04／2026/4／2026年4月／令和8年4月"
DATE_EXAMPLES = "2026-04-01／2026/4/1／2026年4月1日／令和8年4月1日"

_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_TOKEN = re.compile(rf"({_NUMBER})|([十百千])|([万億兆])")
_NEGATIVE_MARKS = ("-", "−", "△", "▲", "マイナス")
_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}


def _normalise(text: str) -> str:
    """Full-width to half-width, drop every kind of space, unify minus signs."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return text.replace("‐", "-").replace("―", "-").replace("ｰ", "-")


def _split_sign(text: str) -> tuple[bool, str]:
    for mark in _NEGATIVE_MARKS:
        if text.startswith(mark):
            return True, text[len(mark) :]
    if text.startswith("+"):
        return False, text[1:]
    return False, text


def _parse_kanji_amount(text: str) -> Fraction | None:
    """Value of ``1億2,000万``, ``2千万``, ``15百万``, ``1.5``; None when not of that shape."""
    text = text.translate(_KANJI_DIGITS)
    position = 0
    total = Fraction(0)
    section = Fraction(0)
    pending: Fraction | None = None
    last_small = 10**4
    last_large = 10**13
    seen_digit = False
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        number, small, large = match.groups()
        position = match.end()
        if number is not None:
            if pending is not None:
                return None
            pending = Fraction(number.replace(",", ""))
            seen_digit = True
        elif small is not None:
            unit = _SMALL_UNITS[small]
            if unit >= last_small:
                return None
            section += (pending if pending is not None else 1) * unit
            pending = None
            last_small = unit
            seen_digit = True
        else:
            unit = _LARGE_UNITS[large]
            section += pending if pending is not None else 0
            if unit >= last_large or section == 0:
                return None
            total += section * unit
            section, pending, last_small, last_large = Fraction(0), None, 10**4, unit
    if not seen_digit:
        return None
    return total + section + (pending if pending is not None else 0)


def _exact_number(value: object) -> Fraction | None:
    """A JSON number as an exact fraction (floats read from their shortest decimal form)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Fraction(repr(value))
    return None


def parse_yen(value: object, field: str, label: str, *, allow_negative: bool = False) -> int:
    """Yen as an integer, from a JSON number or any usual Japanese way of writing money."""
    amount: Fraction | None
    if isinstance(value, str):
        negative, body = _split_sign(_normalise(value))
        for prefix in ("¥", "\\", "$"):
            if body.startswith(prefix):
                body = body[len(prefix) :]
        if body.endswith("円"):
            body = body[:-1]
        amount = _parse_kanji_amount(body) if body else None
        if amount is not None and negative:
            amount = -amount
    else:
        amount = _exact_number(value)
    if amount is None:
        shown = json_repr(value)
        raise InputError.single(
            field,
            f"{label}：「{shown}」は金額として読み取れません。"
            f"円単位の数字で入力してください（例：{YEN_EXAMPLES}）。",
        )
    if amount.denominator != 1:
        raise InputError.single(field, f"{label}：1円未満の端数は入力できません（{value}）。")
    if amount < 0 and not allow_negative:
        raise InputError.single(field, f"{label}：マイナスの金額は入力できません（{value}）。")
    return int(amount)


def parse_count(value: object, field: str, label: str) -> int:
    """A whole number of people or months, e.g. ``12``, ``１２人``, ``1,200名``."""
    number: Fraction | None
    if isinstance(value, str):
        text = _normalise(value)
        text = re.sub(r"(人|名|か月|ヶ月|カ月|箇月|年|社|件)$", "", text)
        number = _parse_kanji_amount(text) if text else None
    else:
        number = _exact_number(value)
    if number is None or number.denominator != 1 or number < 0:
        shown = json_repr(value)
        raise InputError.single(
            field,
            f"{label}：「{shown}」は0以上の整数として読み取れません（例：{COUNT_EXAMPLES}）。",
        )
    return int(number)


def parse_rate(value: object, field: str, label: str, *, allow_negative: bool = False) -> Fraction:
    """An exact rate from ``5%``, ``0.05``, ``2/3`` or ``1割``; floats are read as decimals."""
    rate: Fraction | None = None
    if isinstance(value, str):
        negative, body = _split_sign(_normalise(value))
        try:
            if body.endswith("%"):
                rate = Fraction(body[:-1]) / 100
            elif body.endswith("割"):
                rate = Fraction(body[:-1]) / 10
            elif re.fullmatch(r"\d+(\.\d+)?(/\d+)?", body):
                rate = Fraction(body)
        except (ValueError, ZeroDivisionError):
            rate = None
        if rate is not None and negative:
            rate = -rate
    else:
        rate = _exact_number(value)
    if rate is None:
        shown = json_repr(value)
        raise InputError.single(
            field, f"{label}：「{shown}」は割合として読み取れません（例：{RATE_EXAMPLES}）。"
        )
    if rate < 0 and not allow_negative:
        raise InputError.single(field, f"{label}：マイナスの割合は入力できません（{value}）。")
    return rate


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ordering and arithmetic follow the calendar."""

    year: int
    month: int

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    def add(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def label(self) -> str:
        return f"{self.year}年{self.month}月"


def _era_year(era: str | None, year_text: str) -> int:
    year = 1 if year_text == "元" else int(year_text)
    return year + _ERA_START[era] if era else year


_ERA = r"(令和|平成|R|H)?"
_MONTH_PATTERNS = (
    re.compile(rf"^{_ERA}(\d{{1,4}}|元)[-/.](\d{{1,2}})$"),
    re.compile(rf"^{_ERA}(\d{{1,4}}|元)年(\d{{1,2}})月$"),
)
_DATE_PATTERNS = (
    re.compile(rf"^{_ERA}(\d{{1,4}}|元)[-/.](\d{{1,2}})[-/.](\d{{1,2}})$"),
    re.compile(rf"^{_ERA}(\d{{1,4}}|元)年(\d{{1,2}})月(\d{{1,2}})日$"),
)


def parse_month(value: object, field: str, label: str) -> Month:
    """A month from ``2026-04``, ``2026年4月`` or ``令和8年4月``."""
    if isinstance(value, str):
        text = _normalise(value).upper()
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(text)
            if match:
                era, year_text, month_text = match.groups()
                if not era and len(year_text) != 4:
                    break
                year, month = _era_year(era, year_text), int(month_text)
                if 1 <= month <= 12 and 1900 <= year <= 2200:
                    return Month(year, month)
                break
    shown = json_repr(value)
    raise InputError.single(
        field, f"{label}：「{shown}」は年月として読み取れません（例：{MONTH_EXAMPLES}）。"
    )


def parse_date(value: object, field: str, label: str) -> date:
    """A date from ``2026-04-01``, ``2026年4月1日`` or ``令和8年4月1日``."""
    if isinstance(value, str):
        text = _normalise(value).upper()
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                era, year_text, month_text, day_text = match.groups()
                if not era and len(year_text) != 4:
                    break
                try:
                    return date(_era_year(era, year_text), int(month_text), int(day_text))
                except ValueError:
                    break
    shown = json_repr(value)
    raise InputError.single(field, f"{label}：「{shown}」は日付として読み取れません（例：{DATE_EXAMPLES}）。")


def json_repr(value: object) -> str:
    """How an input is shown back inside a message (strings as typed)."""
    if isinstance(value, str):
        return value
    if value is None:
        return "（空欄）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "（一覧や表の形の値）"
    return str(value)


def format_yen(amount: int) -> str:
    """``1,500,000円``; negatives with the accounting mark ``△``."""
    sign = "△" if amount < 0 else ""
    return f"{sign}{abs(amount):,}円"


def format_man(amount: int) -> str:
    """Short form for prose and headings: ``15万円``, ``2.8億円``, ``22万5,000円``."""
    sign = "△" if amount < 0 else ""
    value = abs(amount)
    if value >= 10**8 and value % 10**6 == 0:
        oku, rest = divmod(value, 10**8)
        decimals = f"{rest // 10**6:02d}".rstrip("0")
        return f"{sign}{oku:,}{'.' + decimals if decimals else ''}億円"
    if value >= 10**4:
        man, rest = divmod(value, 10**4)
        return f"{sign}{man:,}万円" if rest == 0 else f"{sign}{man:,}万{rest:,}円"
    return f"{sign}{value:,}円"


def format_rate(rate: Fraction) -> str:
    """``2/3`` stays a fraction; other rates as a percentage with up to two decimals."""
    if rate.denominator not in (1, 2, 4, 5, 10, 20, 25, 50, 100, 1000) and rate.denominator < 10:
        return f"{rate.numerator}/{rate.denominator}"
    return format_percent(rate)


def format_percent(rate: Fraction, places: int = 2) -> str:
    """A rate as ``5%`` or ``4.76%`` (rounded half away from zero for display only)."""
    scaled = rate * 100 * 10**places
    rounded = int(abs(scaled) + Fraction(1, 2)) * (1 if scaled >= 0 else -1)
    whole, frac = divmod(abs(rounded), 10**places)
    sign = "-" if rounded < 0 else ""
    text = f"{whole}.{frac:0{places}d}".rstrip("0").rstrip(".") if places else str(whole)
    return f"{sign}{text}%"
