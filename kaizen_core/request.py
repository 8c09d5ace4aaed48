"""Reading JSON requests field by field, with Japanese messages that name the field.

A :class:`Reader` walks one object of a request. Each accessor parses its field (numbers may be
JSON numbers or Japanese strings), records a :class:`~kaizen_core.errors.FieldError` instead of
raising, and returns ``None`` for a bad or absent value, so one pass reports every problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar

from kaizen_core.errors import ErrorCollector, InputError
from kaizen_core.numbers import (
    Month,
    json_repr,
    parse_count,
    parse_date,
    parse_month,
    parse_rate,
    parse_yen,
    shorten,
)

T = TypeVar("T")

TRUE_WORDS = {"true", "yes", "はい", "あり", "有", "1", "○", "y"}
FALSE_WORDS = {"false", "no", "いいえ", "なし", "無", "0", "×", "n"}


def join(path: str, key: str | int) -> str:
    """``fees`` + ``plan`` → ``fees.plan``; ``loans`` + 0 → ``loans[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def today() -> date:
    """Japan's date; the browser and CI may run in another zone, but the rules are Japanese."""
    from datetime import datetime, timedelta, timezone

    return datetime.now(timezone(timedelta(hours=9))).date()


class Reader:
    """One JSON object of a request, read with errors collected under full field paths."""

    def __init__(self, data: Any, errors: ErrorCollector, path: str = "", label: str = "リクエスト") -> None:
        self.errors = errors
        self.path = path
        self.label = label
        if data is None:
            data = {}
        if not isinstance(data, dict):
            errors.add(path or "request", f"{label}：項目名と値の組（JSONオブジェクト）で指定してください。")
            data = {}
        self.data: dict[str, Any] = data

    def field(self, key: str | int) -> str:
        return join(self.path, key)

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, "")

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def check_keys(self, allowed: set[str]) -> None:
        """Unknown keys are reported: a misspelt field must not be silently ignored."""
        for key in self.data:
            if key not in allowed:
                self.errors.add(
                    self.field(key),
                    f"「{shorten(str(key))}」は{self.label}で使える項目ではありません"
                    f"（使える項目：{'、'.join(sorted(allowed))}）。",
                )

    def _parse(
        self,
        key: str,
        label: str,
        parser: Callable[[Any, str, str], T],
        required: bool,
        default: T | None,
    ) -> T | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if required:
                self.errors.add(self.field(key), f"{label}を入力してください。")
            return default
        try:
            return parser(value, self.field(key), label)
        except InputError as error:
            self.errors.extend(error)
            return None

    def yen(
        self,
        key: str,
        label: str,
        *,
        required: bool = False,
        default: int | None = None,
        allow_negative: bool = False,
    ) -> int | None:
        return self._parse(
            key,
            label,
            lambda v, f, lab: parse_yen(v, f, lab, allow_negative=allow_negative),
            required,
            default,
        )

    def count(
        self, key: str, label: str, *, required: bool = False, default: int | None = None
    ) -> int | None:
        return self._parse(key, label, parse_count, required, default)

    def rate(
        self,
        key: str,
        label: str,
        *,
        required: bool = False,
        default: Fraction | None = None,
        allow_negative: bool = False,
        maximum: Fraction | None = None,
    ) -> Fraction | None:
        rate = self._parse(
            key,
            label,
            lambda v, f, lab: parse_rate(v, f, lab, allow_negative=allow_negative),
            required,
            default,
        )
        if rate is not None and maximum is not None and rate > maximum:
            self.errors.add(
                self.field(key),
                f"{label}：{json_repr(self.data.get(key))}は大きすぎます"
                f"（{float(maximum) * 100:g}%以下。5%なら「5%」と入力）。",
            )
            return None
        return rate

    def month(self, key: str, label: str, *, required: bool = False) -> Month | None:
        return self._parse(key, label, parse_month, required, None)

    def calendar_date(self, key: str, label: str, *, required: bool = False) -> date | None:
        return self._parse(key, label, parse_date, required, None)

    def as_of(self) -> date:
        """The rules' reference date (基準日); today in Japan when not given."""
        parsed = self.calendar_date("as_of", "基準日")
        return parsed if parsed is not None else today()

    def choice(
        self,
        key: str,
        label: str,
        options: dict[str, str],
        *,
        required: bool = False,
        default: str | None = None,
        aliases: dict[str, str] | None = None,
    ) -> str | None:
        """One of ``options`` (code → Japanese label); Japanese labels are accepted as well."""
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.errors.add(self.field(key), f"{label}を選んでください。")
            return default
        lookup = {code: code for code in options}
        lookup.update({name: code for code, name in options.items()})
        lookup.update(aliases or {})
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            found = lookup.get(str(value).strip())
            if found is not None:
                return found
        shown = "、".join(f"{code}（{name}）" for code, name in options.items())
        self.errors.add(
            self.field(key), f"{label}：「{json_repr(value)}」は選べません。次のどれかです：{shown}。"
        )
        return None

    def boolean(self, key: str, label: str, *, required: bool = False) -> bool | None:
        """Yes/no; ``None`` means unanswered (わからない)."""
        value = self.data.get(key)
        if value is None or value == "" or value == "unknown" or value == "わからない":
            if required:
                self.errors.add(self.field(key), f"{label}：はい／いいえで答えてください。")
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        self.errors.add(
            self.field(key),
            f"{label}：「{json_repr(value)}」は、はい（true）／いいえ（false）／わからない（空欄）のどれかで答えてください。",
        )
        return None

    def child(self, key: str, label: str, *, required: bool = False) -> Reader | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.errors.add(self.field(key), f"{label}を入力してください。")
            return None
        if not isinstance(value, dict):
            self.errors.add(self.field(key), f"{label}：項目名と値の組で指定してください。")
            return None
        return Reader(value, self.errors, self.field(key), label)

    def items(self, key: str, label: str) -> Iterator[tuple[str, Reader]]:
        """The objects of a list field, each with its own path ``key[i]``."""
        value = self.data.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.errors.add(self.field(key), f"{label}：一覧（配列）で指定してください。")
            return
        for index, entry in enumerate(value):
            path = self.field(key) + f"[{index}]"
            yield path, Reader(entry, self.errors, path, f"{label}（{index + 1}件目）")

    def mapping(self, key: str, label: str) -> dict[str, Any] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.errors.add(self.field(key), f"{label}：項目名と値の組で指定してください。")
            return None
        return value
