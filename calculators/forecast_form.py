"""資金繰り表: the form of the cash forecast tool (its view is calculators.forecast).

The form has many inputs that repeat (months, rows of taxes or loans) or that widgets create
(calculators/widgets/forecast.mjs); they are declared as :class:`Dynamic` patterns so parsed
values, the printed input summary and file import know them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from calculators.forms import KEY_TOKENS, MONTH_KEY, YEN_HELP, Dynamic, Field, Section, ToolForm
from kaizen_core.directory import councils
from kaizen_core.errors import InputError
from kaizen_core.forecast import (
    ACCRUAL_KEYS,
    LINE_LABELS,
    LOAN_METHODS,
    MAX_MONTHS,
    MIN_MONTHS,
    RECURRING,
)
from kaizen_core.numbers import format_percent, parse_count, parse_month, parse_rate

TOOL = "forecast"


# Month keys (forms.MONTH_KEY) are "2026-04" as the widgets write them; other spellings still get
# their labels, and forms.ToolForm.known accepts only real months.
_REAL_MONTH = re.compile(KEY_TOKENS["__M__"])

# The most months the form lays out: 開始の年月 and 月数 read as more (kaizen_core accepts at most
# MAX_MONTHS and says so), or a loaded request whose keys span more before Python has read it
# (widgets/forecast.mjs, from the page's vocabulary), get this many.
MAX_LAID_OUT_MONTHS = 120


@dataclass(frozen=True)
class Indexed(Dynamic):
    """A :class:`Dynamic` whose first group is a list index, shown counting from 1 (loans[0] → 1)."""

    def match(self, name: str) -> str | None:
        found = self.regex.fullmatch(name)
        if not found:
            return None
        index, *rest = found.groups()
        return self.label.format(int(index) + 1, *rest)


@dataclass(frozen=True)
class ForecastForm(ToolForm):
    """The tool's form, plus the fields its widget templates render and helpers for them."""

    widget_fields: tuple[Field, ...] = ()

    def fields(self) -> list[Field]:
        return [*super().fields(), *self.widget_fields]

    def get(self, name: str) -> Field:
        for item in self.fields():
            if item.name == name:
                return item
        raise KeyError(name)

    # --- helpers for the widget templates (build-time first paint) ---------------------------
    @staticmethod
    def horizon(values: dict[str, Any]) -> list[tuple[str, str]]:
        """The table's months as (``2026-04``, ``2026年4月``) from the start and month count."""
        try:
            start = parse_month(values.get("start", ""), "start", "開始の年月")
            count = parse_count(values.get("months", ""), "months", "月数")
        except InputError:
            return []
        shown = min(count, MAX_LAID_OUT_MONTHS)
        return [(str(start.add(i)), start.add(i).label()) for i in range(shown)]

    def layout(self, values: dict[str, Any]) -> dict[str, Any]:
        """The table's months (``2026-04`` …) from 開始の年月 and 月数 however they are typed
        (``令和8年4月``, ``12か月``), or None while they cannot be read: widgets/forecast.mjs lays
        out every month grid, month select and 実績 box by them. With them, the label of each month
        the widget shows (the table's and every other one the request names: a month select's value,
        a grid's key) and what each list of terms stands for (:meth:`terms_state`)."""
        horizon = self.horizon(values)
        return {
            "months": [key for key, _ in horizon] if horizon else None,
            "labels": self.month_labels(values, horizon),
            # which preset each list of collection/payment terms matches (a loaded request's rows),
            # and the rows 「一部は現金」 writes for the share in its box
            "terms": {prefix: self.terms_state(values, prefix) for prefix in TERM_PREFIXES},
        }

    def month_labels(self, values: dict[str, Any], horizon: list[tuple[str, str]]) -> dict[str, str]:
        """``2026-04`` → ``2026年4月`` for the table's months and every month ``values`` names: in a
        key (``payroll.months.2026-07``) or as the value of a month field (``taxes[0].month``; a
        value kaizen_core cannot read as a month is its own label)."""
        labels = dict(horizon)
        for key, value in values.items():
            for part in key.split("."):
                if part not in labels and _REAL_MONTH.fullmatch(part):
                    labels[part] = self.month_label(part)
            described = self.describe(key)
            if described and described[1] == "month" and isinstance(value, str) and value not in labels:
                labels[value] = self.month_label(value)
        return labels

    @staticmethod
    def vocabulary() -> str:
        """What widgets/forecast.mjs needs to lay out a request loaded from a share link, a file or
        storage before Python has read it (the page's ``#kz-forecast-vocabulary``): which mode of
        each amount its keys choose (:data:`AMOUNT_MODES`, as :meth:`amount_mode` decides it) and
        how many months its keys may span (:data:`MAX_LAID_OUT_MONTHS`)."""
        modes = {
            key: [[mode, f"{key}.{part}" if part else None] for mode, part, _ in options]
            for key, options in AMOUNT_MODES.items()
        }
        return json.dumps({"modes": modes, "max_months": MAX_LAID_OUT_MONTHS}, ensure_ascii=False)

    @staticmethod
    def preset_rows() -> dict[str, list[list[str | None]]]:
        """The rows each preset writes as hidden inputs (widgets/forecast.mjs): 「一部は現金」 those of
        its default share (its box's own value is the first share: None), and 「自分で指定する」 the
        row it starts with when the form has none."""
        return {
            "cash": [],
            **{preset: [[month, "100%"]] for month, preset in PRESET_OF_MONTH.items() if month != "0"},
            "mixed": ForecastForm.mixed_rows(DEFAULT_CASH_SHARE),
            "custom": [["0", "100%"]],
        }

    @staticmethod
    def mixed_rows(cash: object, rest: object = None) -> list[list[str | None]]:
        """The hidden rows of 「一部は現金」 for the share ``cash`` typed in its box (the box is the
        first row's share, None here): the rest is paid or received the month after, written so that
        kaizen_core reads exactly 100% in all (``30%`` → ``70%``; ``rest`` as the request has it when
        it already reads so). A share kaizen_core cannot read, or above 100%, gets no rest: its
        message then names the box."""
        remaining = _rest_of(cash)
        if remaining is None:
            second = None
        elif rest is not None and _reads_as(rest, remaining):
            second = str(rest)
        else:
            second = exact_rate_text(remaining)
        return [["0", None], ["1", second]]

    @staticmethod
    def indices(values: dict[str, Any], prefix: str) -> list[int]:
        """The list indices used in ``values`` under ``prefix`` (``loans`` → [0, 1])."""
        opening = prefix + "["
        index = re.compile(re.escape(opening) + r"(\d+)\]")
        found = {int(m.group(1)) for k in values if k.startswith(opening) and (m := index.match(k))}
        return list(range(max(found) + 1)) if found else []

    @staticmethod
    def keys_under(values: dict[str, Any], prefix: str) -> list[str]:
        """The month keys used in ``values`` under ``prefix`` (``payroll.months`` → ["2026-07"])."""
        keys = []
        for key in values:
            if key.startswith(prefix + ".") and "." not in key[len(prefix) + 1 :]:
                keys.append(key[len(prefix) + 1 :])
        return keys

    @staticmethod
    def has_any(values: dict[str, Any], prefix: str) -> bool:
        return any(k == prefix or k.startswith((prefix + ".", prefix + "[")) for k in values)

    # Fields of rows and grids; ``index`` / ``month`` may be the widgets' template tokens.
    @staticmethod
    def loan(index: object) -> dict[str, Field]:
        return loan_fields(str(index))

    @staticmethod
    def scheduled_row(prefix: str, index: object) -> dict[str, Field]:
        return _row_fields(prefix, str(index), SCHEDULED_TEXT[prefix][2])

    @staticmethod
    def month_cell(prefix: str, month: str, label: str) -> Field:
        return Field(f"{prefix}.{month}", label, "yen", unit="円")

    @staticmethod
    def month_cell_template() -> Field:
        """The month cell the widget clones into any grid (``<template data-kz-template="month-cell">``)."""
        return CellTemplate("__P__.__M__", "__L__", "yen", unit="円")

    @staticmethod
    def modes(key: str) -> tuple[tuple[str, str], ...]:
        """The options (value, text) of the select that says how ``key`` is given."""
        return tuple((mode, text) for mode, _, text in AMOUNT_MODES[key])

    @staticmethod
    def actual(month: str, key: str) -> Field:
        return actual_field(month, key)

    @staticmethod
    def seasonality() -> list[Field]:
        return [Field(f"sales.seasonality.{m}", f"{m}月", "rate", placeholder="100%") for m in range(1, 13)]

    @staticmethod
    def loan_method_label(method: str) -> str:
        return LOAN_METHODS[method]

    @staticmethod
    def term_share(prefix: str, index: object) -> Field:
        return Field(f"{prefix}[{index}].share", "割合", "rate", placeholder="例：70%")

    @staticmethod
    def recurring_field(key: str, name: str) -> Field:
        label, help_text = RECURRING_TEXT[key]
        return Field(name, label, "yen", help=help_text, placeholder="例：30万", unit="円")

    @staticmethod
    def dom(name: str) -> str:
        return Field(name, "", "text").dom_id

    @staticmethod
    def terms_state(values: dict[str, Any], prefix: str) -> dict[str, Any]:
        """A list of terms as the widget shows it: the preset its rows match (the select), the share
        in the box of 「一部は現金」 (the request's when they match it, else the default), the row
        indices (「自分で指定する」), the hidden rows of any other preset, and ``mixed``: the rows
        「一部は現金」 writes for the request's first share (``cash``), as the widget's box holds it."""
        indices = ForecastForm.indices(values, prefix)
        rows = [
            [
                str(values.get(f"{prefix}[{i}].months_after", "")).strip(),
                str(values.get(f"{prefix}[{i}].share", "")),
            ]
            for i in indices
        ]
        first = values.get(f"{prefix}[0].share", "")
        mixed = {"cash": str(first), "rows": ForecastForm.mixed_rows(first, values.get(f"{prefix}[1].share"))}
        preset = "custom"
        if not rows:
            preset = "cash"
        elif len(rows) == 1 and _is_full(rows[0][1]) and rows[0][0] in PRESET_OF_MONTH:
            preset = PRESET_OF_MONTH[rows[0][0]]
        elif [row[0] for row in rows] == ["0", "1"] and mixed["rows"][1][1] == rows[1][1]:
            preset = "mixed"
        hidden: list[list[str | None]] = [] if preset == "custom" else [[*row] for row in rows]
        if preset == "mixed":
            hidden[0][1] = None  # the box's own input
        return {
            "preset": preset,
            "cash": str(first) if preset == "mixed" else DEFAULT_CASH_SHARE,
            "indices": indices,
            "rows": hidden,
            "mixed": mixed,
        }

    @staticmethod
    def amount_mode(values: dict[str, Any], key: str) -> str:
        """How sales, purchases or outsourcing are given (:data:`AMOUNT_MODES`): the first mode whose
        part the request has, else the one without a part (sales: base; the others: none)."""
        fallback = ""
        for mode, part, _ in AMOUNT_MODES[key]:
            if not part:
                fallback = fallback or mode
            elif ForecastForm.has_any(values, f"{key}.{part}"):
                return mode
        return fallback

    @staticmethod
    def actual_extra() -> Field:
        """The template of an 実績 input for a line outside the grid (from a loaded file)."""
        return Field("actuals.__M__.__K__", "__KL__", "yen", unit="円")

    @staticmethod
    def actual_months(values: dict[str, Any], horizon: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The first months of the table up to the last one with actuals in ``values``."""
        keys = [key for key, _ in horizon]
        used = {k.split(".")[1] for k in values if k.startswith("actuals.") and k.count(".") >= 2}
        last = max((keys.index(m) for m in used if m in keys), default=-1)
        return horizon[: last + 1]

    @staticmethod
    def month_label(key: str) -> str:
        try:
            return parse_month(key, "month", "年月").label()
        except InputError:
            return key

    @staticmethod
    def texts() -> dict[str, Any]:
        return {
            "scheduled": SCHEDULED_TEXT,
            "recurring": RECURRING_TEXT,
            "presets": TERM_PRESETS,
            "actual_keys": ACTUAL_KEYS,
            "actual_labels": actual_labels(),
        }


@dataclass(frozen=True)
class CellTemplate(Field):
    """The month cell of ``<template data-kz-template="month-cell">``: a grid's cell ``prefix.month``
    has the id ``Field.dom_id`` gives it, the grid's id (``ForecastForm.dom(prefix)``, the token
    ``__D__``) and the month, so the widget writes the grid's id and never makes one."""

    @property
    def dom_id(self) -> str:
        return "__D__-__M__"


PRESET_OF_MONTH = {"0": "cash", "1": "next", "2": "next2"}
# The lists of collection and payment terms (the prefixes of their rows).
TERM_PREFIXES = ("collection", "purchases.payment", "outsourcing.payment")
# The share 「一部は現金」 starts with (its box is never empty when the preset is chosen).
DEFAULT_CASH_SHARE = "30%"

# How each amount is given, in the order of its select: (mode, the part of the request it writes,
# the option's text). A loaded request shows the first mode whose part it has, else the one without
# (ForecastForm.amount_mode at build time; widgets/forecast.mjs from the page's vocabulary).
_COST_MODES = (
    ("none", "", "なし"),
    ("share", "share_of_sales", "売上高に対する割合で計算する"),
    ("amount", "amount", "毎月同じ金額"),
    ("monthly", "monthly", "月ごとに金額を入力する"),
)
AMOUNT_MODES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "sales": (
        ("base", "", "毎月の基準額と伸び率で計算する"),
        ("monthly", "monthly", "月ごとに金額を入力する"),
    ),
    "purchases": _COST_MODES,
    "outsourcing": _COST_MODES,
}


FULL_SHARES = {"1", "1.0", "100%", "100.0%", "10割"}


def _is_full(value: object) -> bool:
    """Whether a share is written as the whole (100%) in one of the usual ways."""
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "") in FULL_SHARES


def _rate(value: object) -> Fraction | None:
    """A share as kaizen_core reads it, or None when it cannot (its message then names the field)."""
    try:
        return parse_rate(value, "share", "割合")
    except InputError:
        return None


def _rest_of(cash: object) -> Fraction | None:
    """100% less the share ``cash``, or None when it cannot be read or it is above 100%."""
    share = _rate(cash)
    return 1 - share if share is not None and share <= 1 else None


def _reads_as(value: object, rate: Fraction) -> bool:
    return _rate(value) == rate


def exact_rate_text(rate: Fraction) -> str:
    """A rate written so that kaizen_core reads it back exactly: ``70%``, ``12.5%``, else a
    fraction (``1/3``) when no decimal of up to 7 places is exact."""
    for places in range(8):
        if (rate * 100 * 10**places).denominator == 1:
            return format_percent(rate, places)
    return f"{rate.numerator}/{rate.denominator}"


def _row_fields(prefix: str, index: str, what: str) -> dict[str, Field]:
    """The inputs of one row of taxes, capex, … (``what`` names the amount: 払う・入る)."""
    p = f"{prefix}[{index}]"
    return {
        "label": Field(f"{p}.label", "内容（メモ）", "text", placeholder="例：法人税等"),
        "month": Field(f"{p}.month", f"{what}月", "month"),
        "amount": Field(f"{p}.amount", "金額", "yen", placeholder="例：40万", unit="円"),
    }


def loan_fields(index: str) -> dict[str, Field]:
    """The inputs of one loan row; ``index`` is a number or the template token ``__I__``."""
    p = f"loans[{index}]"

    def method_is(*methods: str) -> str:
        """A show-if on the method, also true for its Japanese name (which kaizen_core accepts)."""
        names = [name for method in methods for name in (method, LOAN_METHODS.get(method, method))]
        return f"{p}.method=" + "|".join(dict.fromkeys(names))

    return {
        "name": Field(f"{p}.name", "借入先・名前", "text", placeholder="例：A銀行 運転資金"),
        "balance": Field(
            f"{p}.balance",
            "いまの借入残高（これから借りる場合は借りる額）",
            "yen",
            help=YEN_HELP,
            placeholder="例：2400万",
            unit="円",
        ),
        "annual_rate": Field(
            f"{p}.annual_rate",
            "年利率",
            "rate",
            help="「1.5%」のように%を付けて入力します。利息は残高×年利率÷12で毎月計算します。",
            placeholder="例：1.5%",
        ),
        "method": Field(
            f"{p}.method",
            "返済方法",
            "choice",
            options=tuple((k, v) for k, v in LOAN_METHODS.items()),
            help="選ばないときは元金均等返済（毎月同じ元金を返す）として計算します。",
        ),
        "monthly_principal": Field(
            f"{p}.monthly_principal",
            "毎月の元金の返済額",
            "yen",
            help="返済予定表の「元金」の欄の金額です（利息は別に計算します）。",
            placeholder="例：40万",
            unit="円",
            show_if=method_is("equal_principal", ""),
        ),
        "monthly_payment": Field(
            f"{p}.monthly_payment",
            "毎月の返済額（元金＋利息）",
            "yen",
            help="毎月同じ額を返す返済です。このうち利息を除いた分が元金の返済になります。",
            placeholder="例：15万",
            unit="円",
            show_if=method_is("equal_payment"),
        ),
        "maturity": Field(
            f"{p}.maturity",
            "一括で返す年月",
            "month",
            help="表の期間より後なら、表の中では利息だけを払います。",
            placeholder="例：2027-03",
            show_if=method_is("bullet"),
        ),
        "first_payment": Field(
            f"{p}.first_payment",
            "返済が始まる年月（据置期間があるとき）",
            "month",
            help="空欄なら表の最初の月から（これから借りる場合は借りた翌月から）返済します。",
            placeholder="例：2026-10",
            show_if=method_is("equal_principal", "equal_payment", "schedule", ""),
        ),
        "drawdown": Field(
            f"{p}.drawdown",
            "これから借りる場合：借りる年月",
            "month",
            help="すでに借りている借入金は空欄のままにします。",
            placeholder="例：2026-06",
        ),
    }


def actual_labels() -> dict[str, str]:
    """Every key an actuals month may hold, with kaizen_core's names for it."""
    return {**ACCRUAL_KEYS, **LINE_LABELS, "closing": "月末残高"}


ACTUAL_TEXT = {
    "sales": ("売上高（その月に売った額）", "入金がまだでも、その月の売上の合計。"),
    "cash_sales": ("現金売上（その月に受け取った分）", ""),
    "collections": ("売掛金の回収（その月に入金された分）", ""),
    "payroll": ("人件費（払った額）", ""),
    "other_fixed": ("その他の経費（払った額）", ""),
    "closing": (
        "月末残高（通帳などの残高）",
        "入れると計算との差を「調整」として示し、翌月はこの残高から始めます。",
    ),
}


def actual_field(month: str, key: str) -> Field:
    """One input of the 実績 grid; keys outside the grid (from a file) get kaizen_core's name."""
    label, help_text = ACTUAL_TEXT.get(key, (actual_labels().get(key, key), ""))
    kind = "signed_yen" if key == "closing" else "yen"
    return Field(f"actuals.{month}.{key}", label, kind, help=help_text, unit="円")


# Lines a business usually knows for a past month (the grid of 実績); others can come from a file.
ACTUAL_KEYS = ("sales", "cash_sales", "collections", "payroll", "other_fixed", "closing")


TERM_PRESETS = {
    "collection": (
        ("cash", "全額をその月に受け取る（現金・即日入金）"),
        ("next", "月末締め・翌月末に入金"),
        ("next2", "月末締め・翌々月末に入金"),
        ("mixed", "一部は現金、残りは翌月末に入金"),
        ("custom", "自分で指定する（何か月後に何%）"),
    ),
    "payment": (
        ("cash", "全額をその月に支払う（現金払い）"),
        ("next", "月末締め・翌月末払い"),
        ("next2", "月末締め・翌々月末払い"),
        ("mixed", "一部は現金、残りは翌月末払い"),
        ("custom", "自分で指定する（何か月後に何%）"),
    ),
}


SCHEDULED_TEXT = {
    "taxes": ("税金", "法人税・住民税・事業税・消費税など、払う月と金額。", "払う", "例：法人税等"),
    "capex": ("設備投資", "車両・機械・店舗の改装など、まとまった支払い。", "払う", "例：配送用の車両"),
    "asset_sales": ("資産の売却など", "車両や設備を売って入るお金など。", "入る", "例：旧車両の売却"),
    "other_income": (
        "その他の収入",
        "補助金・助成金・保険金など、売上以外に入るお金。",
        "入る",
        "例：補助金",
    ),
    "other_payments": (
        "その他の支出",
        "保険料の年払い・修繕費など、臨時の支払い。",
        "払う",
        "例：保険料の年払い",
    ),
}


RECURRING_TEXT = {
    "payroll": ("人件費（毎月）", "給与・役員報酬など。賞与の月は下の「金額が違う月」で。"),
    "rent": ("家賃・地代（毎月）", ""),
    "other_fixed": ("その他の経費（毎月）", "水道光熱費・通信費・広告費・保険料など、毎月の経費の合計。"),
    "social_insurance": ("社会保険料（毎月）", "会社負担分と従業員負担分の合計で、実際に払う額。"),
    "owner_drawings": (
        "事業主の引出し（生活費など、毎月）",
        "個人事業主が事業のお金から生活費に回す額。会社の場合は空欄で。",
    ),
}


def _dynamic() -> tuple[Dynamic, ...]:
    rules: list[Dynamic] = [
        Dynamic(rf"sales\.monthly\.{MONTH_KEY}", "yen", "売上高（{0}）"),
        Dynamic(r"sales\.seasonality\.(1[0-2]|[1-9])", "rate", "季節指数（{0}月）"),
        Dynamic(rf"opening_receivables\.{MONTH_KEY}", "yen", "前月までの売上の入金予定（{0}）"),
        Dynamic(rf"opening_payables\.{MONTH_KEY}", "yen", "前月までの仕入・外注費の支払予定（{0}）"),
    ]
    terms = {
        "collection": "売上の回収条件",
        r"purchases\.payment": "仕入の支払条件",
        r"outsourcing\.payment": "外注費の支払条件",
    }
    for pattern, label in terms.items():
        rules.append(Indexed(rf"{pattern}\[(\d+)\]\.months_after", "count", f"{label}{{0}}：何か月後"))
        rules.append(Indexed(rf"{pattern}\[(\d+)\]\.share", "rate", f"{label}{{0}}：割合"))
    for key, label in (("purchases", "仕入"), ("outsourcing", "外注費")):
        rules.append(Dynamic(rf"{key}\.monthly\.{MONTH_KEY}", "yen", f"{label}（{{0}}）"))
    for key, (label, _) in RECURRING_TEXT.items():
        short = RECURRING[key]
        rules.append(Dynamic(rf"{key}\.amount", "yen", label))
        rules.append(Dynamic(rf"{key}\.months\.{MONTH_KEY}", "yen", f"{short}（{{0}}）"))
    for key, (title, *_) in SCHEDULED_TEXT.items():
        rules.append(Indexed(rf"{key}\[(\d+)\]\.label", "text", f"{title}{{0}}：内容"))
        rules.append(Indexed(rf"{key}\[(\d+)\]\.month", "month", f"{title}{{0}}：年月"))
        rules.append(Indexed(rf"{key}\[(\d+)\]\.amount", "yen", f"{title}{{0}}：金額"))
    for key, item in loan_fields("0").items():
        rules.append(
            Indexed(rf"loans\[(\d+)\]\.{key}", item.kind, f"借入金{{0}}：{item.label}", item.options)
        )
    rules.append(Indexed(rf"loans\[(\d+)\]\.schedule\.{MONTH_KEY}", "yen", "借入金{0}：元金の返済（{1}）"))
    for key, label in actual_labels().items():
        kind = "signed_yen" if key == "closing" else "yen"
        rules.append(Dynamic(rf"actuals\.{MONTH_KEY}\.{key}", kind, f"実績（{{0}}）：{label}"))
    return tuple(rules)


def _widget_fields() -> tuple[Field, ...]:
    fields = [
        Field(
            "sales.base",
            "売上高（基準にする1か月の額）",
            "yen",
            help="ふだんの1か月の売上高（税込）。" + YEN_HELP,
            placeholder="例：500万",
            unit="円",
        ),
        Field(
            "sales.growth_rate",
            "毎月の伸び率（任意）",
            "signed_rate",
            help="前の月より何%増えるか。減るときは「-1%」。空欄なら毎月同じ額です。",
            placeholder="例：0.5%",
        ),
    ]
    for key, label in (("purchases", "仕入"), ("outsourcing", "外注費")):
        fields.append(
            Field(
                f"{key}.share_of_sales",
                f"{label}の売上高に対する割合",
                "rate",
                help=f"売上高のうち何%が{label}か（原価率）。「40%」のように%を付けて入力します。",
                placeholder="例：40%",
            )
        )
        fields.append(
            Field(
                f"{key}.amount",
                f"{label}（毎月の金額）",
                "yen",
                help=YEN_HELP,
                placeholder="例：200万",
                unit="円",
            )
        )
    for key, (label, help_text) in RECURRING_TEXT.items():
        fields.append(Field(key, label, "yen", help=help_text, placeholder="例：30万", unit="円"))
    return tuple(fields)


FORM = ForecastForm(
    tool=TOOL,
    title="資金繰り表",
    sections=(
        Section(
            "表の期間と、いまの残高",
            (
                Field(
                    "start",
                    "開始の年月",
                    "month",
                    help="表の最初の月。「2026-04」「2026年4月」「令和8年4月」のように入力します。",
                    placeholder="例：2026-04",
                    required=True,
                ),
                Field(
                    "months",
                    "表の月数",
                    "choice",
                    options=tuple(
                        (str(n), f"{n}か月（{n // 12}年）" if n % 12 == 0 else f"{n}か月")
                        for n in range(MIN_MONTHS, MAX_MONTHS + 1, 6)
                    ),
                    required=True,
                ),
                Field(
                    "opening_balance",
                    "最初の月の月初の現金・預金残高",
                    "signed_yen",
                    help="手元の現金と、事業で使う預金の合計。当座貸越などでマイナスなら「△50万」。",
                    placeholder="例：300万",
                    unit="円",
                    required=True,
                ),
                Field(
                    "safety_balance",
                    "最低限残したい残高（任意）",
                    "yen",
                    help="これを下回る月を「注意」として示します。目安は毎月の支払いの1か月分ほど。",
                    placeholder="例：150万",
                    unit="円",
                ),
            ),
        ),
        Section(
            "売上と入金",
            (),
            help="売上高は「売った月」の金額です。お金が入る時期は回収条件で決めます。",
            widget="widgets/forecast_sales.html",
        ),
        Section(
            "仕入・外注費と支払い",
            (),
            help="売上に合わせて増減する費用です。ない場合は「なし」のままにします。",
            widget="widgets/forecast_costs.html",
        ),
        Section(
            "毎月の支払い",
            (),
            help="毎月ほぼ同じ額を払うものです。月によって違う額（賞与など）は、その月だけ別に入力できます。",
            widget="widgets/forecast_recurring.html",
        ),
        Section(
            "税金・設備投資・臨時の入出金",
            (),
            help="決まった月にだけある入金や支払いです。行を追加して入力します。",
            widget="widgets/forecast_scheduled.html",
        ),
        Section(
            "借入金",
            (),
            help="借入金ごとに1行。返済予定表を見ながら入力します。利息は表の中で毎月計算します。",
            widget="widgets/forecast_loans.html",
        ),
        Section(
            "過去の月の実績（任意）",
            (),
            help="表の最初の何か月かがもう終わっていれば、実績を入れると予定と並べて差を表示します。",
            widget="widgets/forecast_actuals.html",
        ),
        Section(
            "売上が変わった場合・相談先・基準日",
            (
                Field(
                    "scenario.sales_change",
                    "売上高が変わった場合の試算（増減率）",
                    "signed_rate",
                    help="「-10%」なら売上高が1割減った場合の残高をグラフに重ねて表示します（実績の月を除く）。空欄なら試算しません。",
                    placeholder="例：-10%",
                ),
                Field(
                    "prefecture",
                    "相談先の都道府県（任意）",
                    "choice",
                    options=tuple(
                        (c.prefecture_code, c.prefecture) for c in councils() if c.kind == "prefectural"
                    ),
                    help="選ぶと、残高が足りなくなる月があるときに、相談先の中小企業活性化協議会の電話番号を結果に表示します。",
                ),
                Field(
                    "as_of",
                    "基準日（任意）",
                    "date",
                    help="出典の表示に使う日付です。空欄なら今日。",
                    placeholder="例：2026-04-01",
                ),
            ),
        ),
    ),
    dynamic=_dynamic(),
    widget_fields=_widget_fields(),
)
