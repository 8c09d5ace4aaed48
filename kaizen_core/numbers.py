"""Reading and writing numbers the way Japanese businesses write them.

One parser serves every tool, the CLI, the batch sheets and the browser forms, so that
``１５０万円``, ``1.5億``, ``2千万``, ``¥300,000`` and ``△500`` mean the same thing everywhere.
Money becomes an ``int`` of yen; rates become an exact ``Fraction``.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from kaizen_core.errors import InputError

YEN_EXAMPLES = "1,500,000／150万／150万円／1.5億／2千万／¥300,000"
NEGATIVE_YEN_EXAMPLES = "△500／-500（マイナス）"
COUNT_EXAMPLES = "12／１２人／1,200"
RATE_EXAMPLES = "5%／５％／0.05／2/3／1割"
MONTH_EXAMPLES = "2026-04／2026/4／2026年4月／令和8年4月"
DATE_EXAMPLES = "2026-04-01／2026/4/1／2026年4月1日／令和8年4月1日"

# Bounds checked before any arithmetic, so that no typed text can freeze a tool or overflow a chart.
MAX_NUMBER_CHARS = 40  # a typed number, date or month, as typed (spaces and units included)
MAX_YEN = 10**12  # 1兆円: far above any amount of a small business, far below a float's range
MAX_YEN_TEXT = "1兆円（1,000,000,000,000円）"
MAX_COUNT = 10**6  # people, months, 何か月後
MAX_RATE = Fraction(100)  # 10,000%; each field may set a lower maximum
MIN_YEAR, MAX_YEAR = 1900, 2200  # months and dates
SHOWN_CHARS = 30  # how much of a typed value an error message repeats

_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_NO_SMALL_UNIT, _NO_LARGE_UNIT = 10**4, 10**13
_NUMBER = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
_TOKEN = re.compile(rf"({_NUMBER})|([十百千])|([万億兆])")
_RATE = re.compile(r"([0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?)(%|割)?")
_DIGIT_GAP = re.compile(r"[0-9〇零一二三四五六七八九]\s+[0-9〇零一二三四五六七八九]")
_ARABIC_DIGIT = re.compile(r"[0-9]")
_EXPONENT = re.compile(r"[0-9.][eE][-+]?[0-9]")
_KANJI_DIGIT = re.compile(r"[〇零一二三四五六七八九]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NEGATIVE_MARKS = ("-", "−", "△", "▲", "マイナス")
_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}


class _Unreadable(Exception):
    """Why a typed number cannot be read: a Japanese clause that follows 「…」は."""


def _normalise(text: str) -> str:
    """Full-width to half-width, drop every kind of space, unify minus signs."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return text.replace("‐", "-").replace("―", "-").replace("ｰ", "-")


def _number_text(value: str) -> str:
    """The normalised text of a typed number; its length is checked before anything else."""
    too_long = _Unreadable(f"長すぎます（{MAX_NUMBER_CHARS}文字まで）")
    if len(value) > MAX_NUMBER_CHARS:
        raise too_long
    text = unicodedata.normalize("NFKC", value)
    if len(text) > MAX_NUMBER_CHARS:
        raise too_long
    if _DIGIT_GAP.search(text):
        raise _Unreadable("数字の間に空白があり、どこまでが1つの数か分かりません")
    text = _normalise(text)
    if _EXPONENT.search(text):
        raise _Unreadable("指数を使った書き方（1e6 など）で、読み取れません")
    if _ARABIC_DIGIT.search(text) and _KANJI_DIGIT.search(text):
        raise _Unreadable("算用数字（1、2、3）と漢数字（一、二、三）が混ざっています")
    return text


def _split_sign(text: str) -> tuple[bool, str]:
    for mark in _NEGATIVE_MARKS:
        if text.startswith(mark):
            return True, text[len(mark) :]
    if text.startswith("+"):
        return False, text[1:]
    return False, text


def _parse_kanji_amount(text: str) -> Fraction | None:
    """Value of ``1億2,000万``, ``2千万``, ``15百万``, ``1.5``; None when not of that shape.

    Malformed forms are refused rather than guessed: units out of order (``1万2億``), a number
    after a unit that is not smaller than it (``十20``, ``1万20000``) or that starts with a zero
    (``十〇``, ``1億05万``).
    """
    text = text.translate(_KANJI_DIGITS)
    position = 0
    total = Fraction(0)
    section = Fraction(0)
    pending: Fraction | None = None
    last_small = _NO_SMALL_UNIT
    last_large = _NO_LARGE_UNIT
    seen_digit = seen_unit = False
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        number, small, large = match.groups()
        position = match.end()
        if number is not None:
            if pending is not None or (seen_unit and number.startswith("0")):
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
            seen_digit = seen_unit = True
        else:
            unit = _LARGE_UNITS[large]
            if pending is not None and last_small != _NO_SMALL_UNIT and pending >= last_small:
                return None
            section += pending if pending is not None else 0
            if unit >= last_large or section == 0:
                return None
            total += section * unit
            section, pending, last_small, last_large = Fraction(0), None, _NO_SMALL_UNIT, unit
            seen_unit = True
    if not seen_digit:
        return None
    if pending is not None and last_small != _NO_SMALL_UNIT and pending >= last_small:
        return None
    section += pending if pending is not None else 0
    if last_large != _NO_LARGE_UNIT and section >= last_large:
        return None
    return total + section


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


def _read_amount(value: object) -> Fraction | None:
    """A JSON number or a typed amount (``150万``, ``△500``), or None; raises :class:`_Unreadable`."""
    if not isinstance(value, str):
        return _exact_number(value)
    return _read_typed_amount(value)


_TEXTS_KEPT = 1 << 12  # how many typed texts each reader remembers (a cache size, not a rule)


# A form of thirty amounts sends them all again when one changes (the 資金繰り表 on every
# keystroke): each typed text is read once. Texts are short (the request check bounds every
# string); a text that cannot be read raises, and exceptions are not cached.
@functools.lru_cache(maxsize=_TEXTS_KEPT)
def _read_typed_amount(value: str) -> Fraction | None:
    negative, body = _split_sign(_number_text(value))
    for prefix in ("¥", "\\", "$"):
        if body.startswith(prefix):
            body = body[len(prefix) :]
    if body.endswith("円"):
        body = body[:-1]
    amount = _parse_kanji_amount(body) if body else None
    return -amount if amount is not None and negative else amount


def parse_yen(value: object, field: str, label: str, *, allow_negative: bool = False) -> int:
    """Yen as an integer, from a JSON number or any usual Japanese way of writing money."""
    problem: _Unreadable | None = None
    amount: Fraction | None = None
    try:
        amount = _read_amount(value)
    except _Unreadable as unreadable:
        problem = unreadable
    fits = amount is not None and amount.denominator == 1 and abs(amount) <= MAX_YEN
    if fits and amount is not None and (amount >= 0 or allow_negative):
        return int(amount)  # the usual case: the messages below are written only when needed
    shown = json_repr(value)
    # Only a field that takes a negative amount offers the negative forms as examples.
    examples = f"{YEN_EXAMPLES}／{NEGATIVE_YEN_EXAMPLES}" if allow_negative else YEN_EXAMPLES
    advice = f"円単位の数字で入力してください（例：{examples}）。"
    if problem is not None:
        raise InputError.single(field, f"{label}：「{shown}」は{problem}。{advice}") from None
    if amount is None:
        raise InputError.single(field, f"{label}：「{shown}」は金額として読み取れません。{advice}")
    if abs(amount) > MAX_YEN:
        raise InputError.single(
            field, f"{label}：「{shown}」は大きすぎます（{MAX_YEN_TEXT}以下で入力してください）。"
        )
    if amount.denominator != 1:
        raise InputError.single(field, f"{label}：1円未満の端数は入力できません（{shown}）。")
    if amount < 0 and not allow_negative:
        raise InputError.single(
            field, f"{label}：マイナスの金額は入力できません（{shown}）。0以上の金額で入力してください。"
        )
    return int(amount)


def parse_count(value: object, field: str, label: str) -> int:
    """A whole number of people or months, e.g. ``12``, ``１２人``, ``1,200名``."""
    shown = json_repr(value)
    advice = f"0以上の整数で入力してください（例：{COUNT_EXAMPLES}）。"
    number: Fraction | None
    try:
        if isinstance(value, str):
            text = re.sub(r"(人|名|か月|ヶ月|カ月|箇月|年|社|件)$", "", _number_text(value))
            number = _parse_kanji_amount(text) if text else None
        else:
            number = _exact_number(value)
    except _Unreadable as problem:
        raise InputError.single(field, f"{label}：「{shown}」は{problem}。{advice}") from None
    if number is None or number.denominator != 1 or number < 0:
        raise InputError.single(
            field,
            f"{label}：「{shown}」は0以上の整数として読み取れません（例：{COUNT_EXAMPLES}）。",
        )
    if number > MAX_COUNT:
        raise InputError.single(
            field, f"{label}：「{shown}」は大きすぎます（{MAX_COUNT:,}以下で入力してください）。"
        )
    return int(number)


def _read_rate(value: object) -> Fraction | None:
    if not isinstance(value, str):
        return _exact_number(value)
    return _read_typed_rate(value)


@functools.lru_cache(maxsize=_TEXTS_KEPT)
def _read_typed_rate(value: str) -> Fraction | None:
    """A typed rate, read once per text (as :func:`_read_typed_amount`)."""
    negative, body = _split_sign(_number_text(value))
    match = _RATE.fullmatch(body)
    if match is None:
        return None
    number, unit = match.groups()
    try:
        rate = Fraction(number)  # at most MAX_NUMBER_CHARS digits, no exponent: cheap
    except (ValueError, ZeroDivisionError):
        return None
    rate /= {"%": 100, "割": 10, None: 1}[unit]
    return -rate if negative else rate


def parse_rate(value: object, field: str, label: str, *, allow_negative: bool = False) -> Fraction:
    """An exact rate from ``5%``, ``0.05``, ``2/3`` or ``1割``; floats are read as decimals."""
    shown = json_repr(value)
    advice = f"割合で入力してください（例：{RATE_EXAMPLES}）。"
    try:
        rate = _read_rate(value)
    except _Unreadable as problem:
        raise InputError.single(field, f"{label}：「{shown}」は{problem}。{advice}") from None
    if rate is None:
        raise InputError.single(
            field, f"{label}：「{shown}」は割合として読み取れません（例：{RATE_EXAMPLES}）。"
        )
    if abs(rate) > MAX_RATE:
        raise InputError.single(
            field, f"{label}：「{shown}」は大きすぎます（{format_percent(MAX_RATE)}以下で入力してください）。"
        )
    if rate < 0 and not allow_negative:
        raise InputError.single(field, f"{label}：マイナスの割合は入力できません（{shown}）。")
    return rate


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ordering and arithmetic follow the calendar."""

    year: int
    month: int

    def __hash__(self) -> int:
        # months are dict keys of every table (the 資金繰り表 looks them up thousands of times a run):
        # the month index is unique and cheaper than hashing a tuple of the fields
        return self.year * 12 + self.month

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
    re.compile(rf"^{_ERA}([0-9]{{1,4}}|元)[-/.]([0-9]{{1,2}})$"),
    re.compile(rf"^{_ERA}([0-9]{{1,4}}|元)年([0-9]{{1,2}})月$"),
)
_DATE_PATTERNS = (
    re.compile(rf"^{_ERA}([0-9]{{1,4}}|元)[-/.]([0-9]{{1,2}})[-/.]([0-9]{{1,2}})$"),
    re.compile(rf"^{_ERA}([0-9]{{1,4}}|元)年([0-9]{{1,2}})月([0-9]{{1,2}})日$"),
)


def parse_month(value: object, field: str, label: str) -> Month:
    """A month from ``2026-04``, ``2026年4月`` or ``令和8年4月``."""
    if isinstance(value, str) and len(value) <= MAX_NUMBER_CHARS:
        text = _normalise(value).upper()
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(text)
            if match:
                era, year_text, month_text = match.groups()
                if not era and len(year_text) != 4:
                    break
                year, month = _era_year(era, year_text), int(month_text)
                if 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR:
                    return Month(year, month)
                break
    shown = json_repr(value)
    raise InputError.single(
        field, f"{label}：「{shown}」は年月として読み取れません（例：{MONTH_EXAMPLES}）。"
    )


def parse_date(value: object, field: str, label: str) -> date:
    """A date from ``2026-04-01``, ``2026年4月1日`` or ``令和8年4月1日``."""
    if isinstance(value, str) and len(value) <= MAX_NUMBER_CHARS:
        text = _normalise(value).upper()
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                era, year_text, month_text, day_text = match.groups()
                if not era and len(year_text) != 4:
                    break
                year = _era_year(era, year_text)
                if not MIN_YEAR <= year <= MAX_YEAR:
                    break
                try:
                    return date(year, int(month_text), int(day_text))
                except ValueError:
                    break
    shown = json_repr(value)
    raise InputError.single(field, f"{label}：「{shown}」は日付として読み取れません（例：{DATE_EXAMPLES}）。")


def json_repr(value: object) -> str:
    """How an input is shown back inside a message (strings as typed)."""
    if isinstance(value, str):
        return shorten(value)
    if value is None:
        return "（空欄）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "（一覧や表の形の値）"
    if isinstance(value, int) and abs(value) >= 10**SHOWN_CHARS:
        return "（桁数の多すぎる数）"
    return shorten(str(value))


def shorten(text: str) -> str:
    """A typed text as an error message repeats it: at most SHOWN_CHARS characters, printable."""
    text = _SURROGATE.sub("\ufffd", text)
    if len(text) > SHOWN_CHARS:
        return f"{text[:SHOWN_CHARS]}…（全{len(text):,}文字）"
    return text


def format_date(day: date) -> str:
    """A date as Japanese pages write it: ``2026-12-03`` → ``2026年12月3日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def japanese_partial_date(text: str) -> str:
    """``2026-01`` → 2026年1月, ``2022-04-01`` → 2022年4月1日, ``2023`` → 2023年 (sources' own dates).

    Text that is not such a date (empty, or already Japanese) is returned as it is."""
    parts = text.split("-")
    if not text or not all(part.isascii() and part.isdigit() for part in parts) or len(parts) > 3:
        return text
    numbers = [int(part) for part in parts]
    try:
        if len(numbers) == 3:
            return format_date(date(*numbers))
        if len(numbers) == 2 and 1 <= numbers[1] <= 12:
            return Month(*numbers).label()
    except ValueError:
        return text
    return f"{parts[0]}年" if len(parts) == 1 else text


def format_iso_date(text: str) -> str:
    """An ISO date of a response (``2026-12-03``) as Japanese pages write it; other text unchanged."""
    try:
        return format_date(date.fromisoformat(text))
    except (TypeError, ValueError):
        return text


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
