"""資金繰り表: the form and the result view of the cash forecast tool.

The form has many inputs that repeat (months, rows of taxes or loans) or that widgets create
(calculators/widgets/forecast.mjs); they are declared as :class:`Dynamic` patterns so parsed
values, the printed input summary and file import know them. The result is the monthly table
(sticky first column, 予定／実績／差異 for months with actuals) and a chart of the closing balance
drawn here as inline SVG (no library), with the safety line, shortfall months and the ±N% scenario.
All figures come from kaizen_core's response; this module only lays them out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from calculators.cells import Computed, ComputedText
from calculators.forms import MONTH_KEY, YEN_HELP, Dynamic, Field, Section, ToolForm, input_rows
from calculators.html import (
    council_contact,
    esc,
    explanation,
    headline,
    inputs_summary,
    sources,
    table,
    verdict,
    warnings,
)
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
from kaizen_core.numbers import Month, format_yen, parse_count, parse_month

TOOL = "forecast"
# Month keys (forms.MONTH_KEY) are "2026-04" as the widgets write them; other spellings still get
# their labels, and forms.ToolForm.known accepts only real months.

# ---------------------------------------------------------------------------------------------
# The form


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
        return [(str(start.add(i)), start.add(i).label()) for i in range(min(count, 120))]

    @staticmethod
    def indices(values: dict[str, Any], prefix: str) -> list[int]:
        """The list indices used in ``values`` under ``prefix`` (``loans`` → [0, 1])."""
        found = {int(m.group(1)) for k in values if (m := re.match(re.escape(prefix) + r"\[(\d+)\]", k))}
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
        """Which preset a list of terms matches (the widget's select), as forecast.mjs decides it."""
        indices = ForecastForm.indices(values, prefix)
        rows = [
            (
                str(values.get(f"{prefix}[{i}].months_after", "")).strip(),
                values.get(f"{prefix}[{i}].share", ""),
            )
            for i in indices
        ]
        preset, cash = "custom", ""
        if not rows:
            preset = "cash"
        elif len(rows) == 1 and _is_full(rows[0][1]) and rows[0][0] in PRESET_OF_MONTH:
            preset = PRESET_OF_MONTH[rows[0][0]]
        elif len(rows) == 2 and rows[0][0] == "0" and rows[1][0] == "1":
            preset, cash = "mixed", str(rows[0][1])
        return {"preset": preset, "cash": cash, "indices": indices}

    @staticmethod
    def amount_mode(values: dict[str, Any], key: str) -> str:
        """How purchases or outsourcing are given: none, share, amount or monthly."""
        for mode, prefix in (("share", "share_of_sales"), ("amount", "amount"), ("monthly", "monthly")):
            if ForecastForm.has_any(values, f"{key}.{prefix}"):
                return mode
        return "none"

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


PRESET_OF_MONTH = {"0": "cash", "1": "next", "2": "next2"}
FULL_SHARES = {"1", "1.0", "100%", "100.0%", "10割"}


def _is_full(value: object) -> bool:
    """Whether a share is written as the whole (100%) in one of the usual ways."""
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "") in FULL_SHARES


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


# ---------------------------------------------------------------------------------------------
# The result


def _amount(value: int) -> str:
    """A table cell's figure: digits only (the unit is in the caption), △ for a negative."""
    if value < 0:
        return f'<span class="kz-num kz-neg">△{-value:,}</span>'
    return f'<span class="kz-num">{value:,}</span>'


def _yen(value: int) -> str:
    css = "kz-num kz-neg" if value < 0 else "kz-num"
    return f'<span class="{css}">{esc(format_yen(value))}</span>'


# No figure for this cell (e.g. 予定 of a subtotal in a month with actuals). Left empty: a dash could
# be read aloud as マイナス, and visually hidden text would overflow the scrolling table's page.
NONE_CELL = ""


def _month(key: str) -> Month:
    return Month(int(key[:4]), int(key[5:7]))


def month_ranges(keys: list[str]) -> str:
    """``["2026-09", "2026-10", "2026-12"]`` → ``2026年9月〜10月、2026年12月``."""
    runs: list[list[Month]] = []
    for month in sorted(_month(k) for k in keys):
        if runs and runs[-1][-1].add(1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            parts.append(first.label())
        elif first.year == last.year:
            parts.append(f"{first.label()}〜{last.month}月")
        else:
            parts.append(f"{first.label()}〜{last.label()}")
    return "、".join(parts)


def _scenario_label(response: dict[str, Any]) -> str:
    scenario = response["scenario"]
    return f"売上高が{scenario['sales_change_percent']}の場合"


def _flag(row: dict[str, Any]) -> str:
    if row["below_zero"]:
        return '<span class="kz-fc-flag kz-ng"><span aria-hidden="true">▲</span>不足</span>'
    if row["below_safety"]:
        return '<span class="kz-fc-flag kz-unknown"><span aria-hidden="true">▽</span>注意</span>'
    return "○"


def _flag_text(row: dict[str, Any]) -> str:
    if row["below_zero"]:
        return "不足（マイナス）"
    if row["below_safety"]:
        return "注意（最低限の残高未満）"
    return ""


# --- the chart ------------------------------------------------------------------------------------


def _nice_step(span: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) of at least a quarter of ``span``.

    Integer arithmetic only: a float would overflow on amounts far beyond any input's bound.
    """
    quarter = max(span // 4, 1)
    magnitude: int = 10 ** (len(str(quarter)) - 1)
    for factor in (1, 2, 5, 10):
        if 4 * factor * magnitude >= max(span, 4):
            return factor * magnitude
    return 10 * magnitude


def _tick_label(value: int) -> str:
    sign = "△" if value < 0 else ""
    value = abs(value)
    if value == 0:
        return "0"
    if value >= 10**8 and value % 10**6 == 0:
        return f"{sign}{value / 10**8:g}億"
    if value >= 10**4 and value % 10**3 == 0:
        return f"{sign}{value / 10**4:,g}万"
    return f"{sign}{value:,}"


def chart(response: dict[str, Any]) -> str:
    """The closing balance per month as bars, with zero, the safety level and the scenario line."""
    rows = response["rows"]
    count = len(rows)
    scenario = response["scenario"]
    safety = response["safety_balance"]
    closings = [r["closing"] for r in rows]
    scenario_rows = scenario["rows"] if scenario else []
    values = [0, *closings, *(r["closing"] for r in scenario_rows)]
    if safety:
        values.append(safety)
    low, high = min(values), max(values)
    step = _nice_step(max(high - low, 1))
    bottom = (low // step) * step
    top = -((-high) // step) * step
    if top == bottom:
        top = bottom + step
    col = 56 if count <= 12 else 40 if count <= 24 else 30
    font = 11 if count <= 24 else 10
    left, right, plot_top, plot_h = 68, 12, 22, 220
    width = left + col * count + right
    height = plot_top + plot_h + 46

    def y(value: int) -> float:
        return round(float(plot_top + (top - value) / (top - bottom) * plot_h), 1)

    def cx(index: int) -> float:
        return left + col * index + col / 2

    parts: list[str] = [
        "<defs>"
        '<pattern id="kz-fc-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffe0b2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#e65100" stroke-width="3"/>'
        "</pattern></defs>"
    ]
    # Months with actuals: a shaded band labelled 実績.
    actual = [i for i, r in enumerate(rows) if r["is_actual"]]
    if actual:
        first, last = actual[0], actual[-1]
        parts.append(
            f'<rect x="{left + col * first}" y="{plot_top}" width="{col * (last - first + 1)}" '
            f'height="{plot_h}" fill="#eceff1"/>'
            f'<text x="{left + col * first + 3}" y="{plot_top + 12}" font-size="{font}" fill="#37474f">実績</text>'
        )
    tick = bottom
    while tick <= top:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty}" y2="{ty}" stroke="#e0e0e0" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{ty + 4}" font-size="{font}" text-anchor="end" fill="#424242">'
            f"{esc(_tick_label(tick))}</text>"
        )
        tick += step
    zero = y(0)
    bar = col * 0.62
    for index, row in enumerate(rows):
        value = row["closing"]
        x = round(cx(index) - bar / 2, 1)
        top_y, h = (y(value), round(zero - y(value), 1)) if value >= 0 else (zero, round(y(value) - zero, 1))
        if row["below_zero"]:
            fill, state = "#b71c1c", "（マイナス）"
        elif row["below_safety"]:
            fill, state = "url(#kz-fc-hatch)", "（最低限の残高未満）"
        else:
            fill, state = "#5c6bc0", ""
        stroke = ' stroke="#e65100" stroke-width="1"' if row["below_safety"] and not row["below_zero"] else ""
        parts.append(
            f'<rect x="{x}" y="{top_y}" width="{round(bar, 1)}" height="{max(h, 0.5)}" fill="{fill}"{stroke}>'
            f"<title>{esc(row['label'])}：{esc(format_yen(value))}{state}</title></rect>"
        )
        if row["below_zero"]:
            label_y = min(y(value) + font + 3, plot_top + plot_h + 1)
            parts.append(
                f'<text x="{cx(index)}" y="{label_y}" font-size="{font}" text-anchor="middle" '
                f'fill="#b71c1c" font-weight="bold">不足</text>'
            )
        elif row["below_safety"]:
            parts.append(
                f'<text x="{cx(index)}" y="{y(value) - 3}" font-size="{font}" text-anchor="middle" '
                f'fill="#bf360c" font-weight="bold">注意</text>'
            )
        month = _month(row["month"])
        parts.append(
            f'<text x="{cx(index)}" y="{plot_top + plot_h + 16}" font-size="{font}" text-anchor="middle" '
            f'fill="#212121">{month.month}月</text>'
        )
        if index == 0 or month.month == 1:
            parts.append(
                f'<text x="{left + col * index + 2}" y="{plot_top + plot_h + 31}" font-size="{font}" '
                f'fill="#424242">{month.year}年</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{zero}" y2="{zero}" stroke="#212121" stroke-width="1.5"/>'
    )
    if safety:
        sy = y(safety)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{sy}" y2="{sy}" stroke="#e65100" stroke-width="2" '
            f'stroke-dasharray="7 4"/>'
        )  # its amount is in the legend: a label on the line ran into the bars on a phone
    if scenario_rows:
        points = " ".join(f"{cx(i)},{y(r['closing'])}" for i, r in enumerate(scenario_rows))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="#00695c" stroke-width="2.5" stroke-linejoin="round"/>'
        )
        for i, r in enumerate(scenario_rows):
            parts.append(
                f'<rect x="{cx(i) - 3.5}" y="{y(r["closing"]) - 3.5}" width="7" height="7" fill="#00695c">'
                f"<title>{esc(_scenario_label(response))}：{esc(rows[i]['label'])} "
                f"{esc(format_yen(r['closing']))}</title></rect>"
            )
    parts.append(
        f'<rect x="{left}" y="{plot_top}" width="{col * count}" height="{plot_h}" fill="none" stroke="#9e9e9e"/>'
    )
    first_label, last_label = rows[0]["label"], rows[-1]["label"]
    lowest = response["lowest_balance"]
    desc = [
        f"{first_label}から{last_label}までの月末残高の棒グラフ。",
        f"最も少ないのは{lowest['label']}の{format_yen(lowest['amount'])}、期末残高は{format_yen(response['closing_balance'])}。",
    ]
    if response["shortfall_months"]:
        desc.append(f"残高がマイナスになる月（「不足」）：{month_ranges(response['shortfall_months'])}。")
    else:
        desc.append("残高がマイナスになる月はありません。")
    if safety:
        below = [m for m in response["below_safety_months"] if m not in response["shortfall_months"]]
        desc.append(
            f"点線は最低限残したい残高{format_yen(safety)}。"
            + (f"それを下回る月（「注意」）：{month_ranges(below)}。" if below else "")
        )
    if scenario:
        desc.append(
            f"折れ線は{_scenario_label(response)}の月末残高で、最も少ないのは{scenario['lowest_balance']['label']}の"
            f"{format_yen(scenario['lowest_balance']['amount'])}。"
        )
    desc.append("各月の数字は下の表にあります。")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="kz-fc-chart-title kz-fc-chart-desc" '
        f'font-family="sans-serif" class="kz-fc-chart">'
        f'<title id="kz-fc-chart-title">月末残高のグラフ（{esc(first_label)}〜{esc(last_label)}）</title>'
        f'<desc id="kz-fc-chart-desc">{esc("".join(desc))}</desc>{"".join(parts)}</svg>'
    )
    legend = [
        ('<rect width="14" height="14" fill="#5c6bc0"/>', "月末残高"),
        (
            '<rect width="14" height="14" fill="url(#kz-fc-hatch)" stroke="#e65100"/>',
            "最低限の残高を下回る月（「注意」）",
        ),
        ('<rect width="14" height="14" fill="#b71c1c"/>', "残高がマイナスの月（「不足」）"),
        (
            '<line x1="0" x2="22" y1="7" y2="7" stroke="#e65100" stroke-width="2" stroke-dasharray="7 4"/>',
            f"最低限残したい残高（{format_yen(safety)}）" if safety else "最低限残したい残高",
        ),
    ]
    if scenario_rows:
        legend.append(
            (
                '<line x1="0" x2="22" y1="7" y2="7" stroke="#00695c" stroke-width="2.5"/>'
                '<rect x="7.5" y="3.5" width="7" height="7" fill="#00695c"/>',
                _scenario_label(response) + "の月末残高",
            )
        )
    if actual:
        legend.append(('<rect width="14" height="14" fill="#eceff1" stroke="#9e9e9e"/>', "実績の月"))
    present = {
        "「注意」": any(r["below_safety"] and not r["below_zero"] for r in rows),
        "「不足」": any(r["below_zero"] for r in rows),
        "最低限残したい": bool(safety),
    }
    legend = [item for item in legend if all(ok or mark not in item[1] for mark, ok in present.items())]
    items = "".join(
        f'<li><svg width="24" height="14" viewBox="0 0 24 14" aria-hidden="true" focusable="false">{mark}</svg> '
        f"{esc(text)}</li>"
        for mark, text in legend
    )
    return (
        '<section class="kz-fc-chart-box" aria-labelledby="kz-fc-chart-heading">'
        '<h3 id="kz-fc-chart-heading">月末残高のグラフ</h3>'
        f'<ul class="kz-fc-legend">{items}</ul>'
        '<div class="kz-table-wrap kz-fc-chart-wrap" tabindex="0" role="region" '
        'aria-label="月末残高のグラフ（横にスクロールできます）">'
        f"{svg}</div></section>"
    )


# --- the monthly table -----------------------------------------------------------------------------


def _line_cells(row: dict[str, Any], key: str, value: int, plannable: bool) -> list[str]:
    """One month's cells of a line: one cell, or 予定・実績・差異 in a month with actuals."""
    if not row["is_actual"]:
        return [f'<td class="kz-r">{_amount(value)}</td>']
    planned = row.get("plan", {})
    variance = row.get("variance", {})
    if key in planned:
        plan, diff = _amount(planned[key]), _amount(variance[key])
    else:
        plan, diff = (_amount(value) if plannable else NONE_CELL), NONE_CELL
    return [
        f'<td class="kz-r kz-fc-plan">{plan}</td>',
        f'<td class="kz-r kz-fc-actual">{_amount(value)}</td>',
        f'<td class="kz-r kz-fc-diff">{diff}</td>',
    ]


def _month_table(response: dict[str, Any], first: int, stop: int, *, total: bool, css: str) -> str:
    """The <table> of the months ``first``..``stop - 1``, with the 合計 column when ``total``.

    The screen shows all months in one scrolling table; the printed page repeats the row labels
    on each chunk of months (:func:`print_tables`)."""
    rows = response["rows"][first:stop]
    has_actual = any(r["is_actual"] for r in rows)
    lines = response["lines"]
    totals = response["totals"]
    sections = response["sections"]
    widths = [3 if r["is_actual"] else 1 for r in rows]
    span = 1 + sum(widths) + (1 if total else 0)

    def line_row(label: str, key: str, values: list[int], amount: int | None, css: str = "") -> str:
        cells: list[str] = []
        for row, value in zip(rows, values, strict=True):
            cells.extend(_line_cells(row, key, value, plannable=True))
        klass = f' class="{css}"' if css else ""
        return f'<tr{klass}><th scope="row">{esc(label)}</th>{"".join(cells)}{total_cell(amount)}</tr>'

    def total_cell(amount: int | None, status: bool = False) -> str:
        if not total:
            return ""
        if status:
            return f"<td>{NONE_CELL}</td>"
        return f'<td class="kz-r kz-fc-total">{_amount(amount) if amount is not None else NONE_CELL}</td>'

    def summary_row(
        label: str, key: str, values: list[int], amount: int | None, css: str = "kz-fc-sum"
    ) -> str:
        cells: list[str] = []
        for row, value in zip(rows, values, strict=True):
            cells.extend(_line_cells(row, key, value, plannable=False))
        return f'<tr class="{css}"><th scope="row">{esc(label)}</th>{"".join(cells)}{total_cell(amount)}</tr>'

    def group(title: str, body: list[str]) -> str:
        return (
            f'<tbody><tr class="kz-fc-group"><th scope="rowgroup">{esc(title)}</th><td colspan="{span - 1}"></td></tr>'
            f"{''.join(body)}</tbody>"
        )

    def series(name: str) -> list[int]:
        return [r[name] for r in rows]

    def line_values(key: str) -> list[int]:
        return [r["lines"][key] for r in rows]

    def lines_of(section: str) -> list[str]:
        return [
            line_row(item["label"], item["key"], line_values(item["key"]), totals[item["key"]])
            for item in lines
            if item["section"] == section
        ]

    body: list[str] = []
    opening = response["rows"][0]["opening"]  # the 合計 column: the whole period's first balance
    body.append(
        "<tbody>"
        + summary_row("月初残高", "opening", series("opening"), opening, css="kz-fc-balance")
        + "</tbody>"
    )
    receipts_total = sum(totals[i["key"]] for i in lines if i["section"] == "operating_in")
    payments_total = sum(totals[i["key"]] for i in lines if i["section"] == "operating_out")
    operating = [
        *lines_of("operating_in"),
        summary_row("経常収入 計", "operating_receipts", series("operating_receipts"), receipts_total),
        *lines_of("operating_out"),
        summary_row("経常支出 計", "operating_payments", series("operating_payments"), payments_total),
        summary_row(
            "経常収支（収入−支出）",
            "operating_balance",
            series("operating_balance"),
            totals["operating_balance"],
            css="kz-fc-sum kz-fc-strong",
        ),
    ]
    body.append(group(sections["operating"], operating))
    body.append(
        group(
            sections["investing"],
            [
                *lines_of("investing_in"),
                *lines_of("investing_out"),
                summary_row(
                    sections["investing"],
                    "investing_balance",
                    series("investing_balance"),
                    totals["investing_balance"],
                    css="kz-fc-sum kz-fc-strong",
                ),
            ],
        )
    )
    body.append(
        group(
            sections["financing"],
            [
                *lines_of("financing_in"),
                *lines_of("financing_out"),
                summary_row(
                    sections["financing"],
                    "financing_balance",
                    series("financing_balance"),
                    totals["financing_balance"],
                    css="kz-fc-sum kz-fc-strong",
                ),
            ],
        )
    )
    closing_rows = []
    if any(r["adjustment"] for r in rows):
        closing_rows.append(
            summary_row("実績の残高との差（調整）", "adjustment", series("adjustment"), totals["adjustment"])
        )
    closing_rows.append(
        summary_row(
            "月末残高",
            "closing",
            series("closing"),
            response["closing_balance"],
            css="kz-fc-balance kz-fc-strong",
        )
    )
    status_cells = []
    for row in rows:
        cell = f"<td>{_flag(row)}</td>"
        status_cells.append(cell if not row["is_actual"] else f'<td colspan="3">{_flag(row)}</td>')
    closing_rows.append(
        f'<tr class="kz-fc-status"><th scope="row">残高の状態</th>{"".join(status_cells)}'
        f"{total_cell(None, status=True)}</tr>"
    )
    body.append(group("残高", closing_rows))
    scenario = response["scenario"]
    if scenario:
        scenario_cells = []
        status = []
        for row, other in zip(rows, scenario["rows"][first:stop], strict=True):
            colspan = ' colspan="3"' if row["is_actual"] else ""
            scenario_cells.append(f'<td class="kz-r"{colspan}>{_amount(other["closing"])}</td>')
            status.append(f"<td{colspan}>{_flag(other)}</td>")
        short = f"売上{scenario['sales_change_percent']}"
        body.append(
            group(
                f"{_scenario_label(response)}（実績の月を除く）",
                [
                    f'<tr class="kz-fc-balance"><th scope="row">月末残高（{esc(short)}）</th>'
                    f"{''.join(scenario_cells)}{total_cell(scenario['closing_balance'])}</tr>",
                    f'<tr class="kz-fc-status"><th scope="row">残高の状態（{esc(short)}）</th>'
                    f"{''.join(status)}{total_cell(None, status=True)}</tr>",
                ],
            )
        )
    accrual_rows = []
    for key, label in ACCRUAL_KEYS.items():
        values = [r["accruals"][key] for r in rows]
        if key != "sales" and not any(values) and not any(key in r.get("plan", {}) for r in rows):
            continue
        whole = sum(r["accruals"][key] for r in response["rows"])
        accrual_rows.append(line_row(f"{label}（発生した月）", key, values, whole))
    body.append(group("参考：売上高・仕入高（入出金ではなく発生した月の額）", accrual_rows))

    # Column headers: one per month; a month with actuals gets 予定・実績・差異 under it.
    rowspan = ' rowspan="2"' if has_actual else ""
    colgroups = ['<colgroup><col class="kz-fc-col-label"></colgroup>']
    top_row = [f'<th scope="col"{rowspan}>項目</th>']
    sub_row: list[str] = []
    for row, width in zip(rows, widths, strict=True):
        if width == 3:
            colgroups.append('<colgroup span="3"></colgroup>')
            top_row.append(
                f'<th scope="colgroup" colspan="3">{esc(row["label"])}<span class="kz-tag">実績</span></th>'
            )
            sub_row.extend(f'<th scope="col" class="kz-r">{name}</th>' for name in ("予定", "実績", "差異"))
        else:
            colgroups.append("<colgroup><col></colgroup>")
            top_row.append(f'<th scope="col" class="kz-r"{rowspan}>{esc(row["label"])}</th>')
    if total:
        colgroups.append('<colgroup><col class="kz-fc-col-total"></colgroup>')
        top_row.append(f'<th scope="col" class="kz-r"{rowspan}>合計</th>')
    head = "<tr>" + "".join(top_row) + "</tr>"
    if has_actual:
        head += "<tr>" + "".join(sub_row) + "</tr>"
    caption = f"月ごとの資金繰り（{rows[0]['label']}〜{rows[-1]['label']}、単位：円、△はマイナス）"
    return (
        f'<table class="kz-table {css}"><caption>{esc(caption)}</caption>{"".join(colgroups)}'
        f"<thead>{head}</thead>{''.join(body)}</table>"
    )


def _table_notes(response: dict[str, Any]) -> str:
    safety = response["safety_balance"]
    note = (
        '<p class="kz-note">残高の状態：<span aria-hidden="true">▲</span>不足＝残高がマイナス'
        + (
            f'、<span aria-hidden="true">▽</span>注意＝最低限残したい残高（{esc(format_yen(safety))}）未満'
            if safety
            else ""
        )
        + "、○＝問題なし。</p>"
    )
    if any(r["is_actual"] for r in response["rows"]):
        note += (
            '<p class="kz-note">実績の月は「予定・実績・差異（実績−予定）」の3列です。実績を入力していない行は、'
            "予定の金額をそのまま実績の欄にも使っています（差異の欄は空欄）。</p>"
        )
    return note


def monthly_table(response: dict[str, Any]) -> str:
    """All months in one table that scrolls sideways, its label column fixed (the screen)."""
    rows = response["rows"]
    caption = f"月ごとの資金繰り（{rows[0]['label']}〜{rows[-1]['label']}、単位：円、△はマイナス）"
    table_html = _month_table(response, 0, len(rows), total=True, css="kz-fc-table")
    return (
        '<section class="kz-no-print" aria-labelledby="kz-fc-table-heading">'
        '<h3 id="kz-fc-table-heading">月ごとの資金繰り表</h3>'
        '<p class="kz-note">表は横にスクロールできます。左の項目名の列は固定です。</p>'
        f'<div class="kz-table-wrap kz-fc-table-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f"{table_html}</div>{_table_notes(response)}</section>"
    )


# On paper (A4 landscape) the table is cut into chunks of at most this many month columns (a month
# with actuals takes three: 予定・実績・差異), each with the row labels; the last adds 合計.
PRINT_COLUMNS = 12


def print_chunks(rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(first, stop) of each printed chunk of months."""
    chunks: list[tuple[int, int]] = []
    first, used = 0, 0
    for index, row in enumerate(rows):
        width = 3 if row["is_actual"] else 1
        if used and used + width > PRINT_COLUMNS:
            chunks.append((first, index))
            first, used = index, 0
        used += width
    chunks.append((first, len(rows)))
    return chunks


def print_tables(response: dict[str, Any]) -> str:
    """The table for paper: months in page-wide chunks, the row labels repeated on each."""
    rows = response["rows"]
    chunks = print_chunks(rows)
    # The heading sits inside the first chunk, so that it is never left alone at a page's foot.
    tables = "".join(
        '<div class="kz-fc-print-chunk">'
        + ("<h3>月ごとの資金繰り表</h3>" if index == 0 else "")
        + _month_table(response, first, stop, total=stop == len(rows), css="kz-fc-table kz-fc-print-table")
        + "</div>"
        for index, (first, stop) in enumerate(chunks)
    )
    return f'<section class="kz-print-only kz-fc-print" data-kz-key="print">{tables}{_table_notes(response)}</section>'


def _loans_table(response: dict[str, Any]) -> str:
    loans = response["loan_balances_end"]
    if not loans:
        return ""
    last = response["rows"][-1]["label"]
    rows = [[esc(item["name"]), _yen(item["balance"])] for item in loans]
    footer = ["合計", _yen(sum(item["balance"] for item in loans))] if len(loans) > 1 else None
    return table(
        f"借入金の残高（{last}末）",
        ["借入金", "残高"],
        rows,
        numeric=(1,),
        footer=footer,
    )


def _headline(response: dict[str, Any]) -> str:
    rows = response["rows"]
    lowest = response["lowest_balance"]
    shortfall = response["shortfall_months"]
    safety = response["safety_balance"]
    figures = [
        (f"期末残高（{rows[-1]['label']}末）", _yen(response["closing_balance"])),
        ("最も少ない残高", f"{_yen(lowest['amount'])}<br><small>{esc(lowest['label'])}末</small>"),
    ]
    if shortfall:
        text = (
            verdict(False, "", f"{len(shortfall)}か月あります", "")
            + f"<br><small>{esc(month_ranges(shortfall))}</small>"
        )
    else:
        text = verdict(True, "ありません", "", "")
    figures.append(("残高がマイナスになる月", text))
    if safety:
        below = response["below_safety_months"]
        if below:
            text = (
                verdict(False, "", f"{len(below)}か月あります", "")
                + f"<br><small>{esc(month_ranges(below))}</small>"
            )
        else:
            text = verdict(True, "ありません", "", "")
        figures.append((f"最低限の残高（{format_yen(safety)}）を下回る月", text))
    scenario = response["scenario"]
    if scenario:
        low = scenario["lowest_balance"]
        figures.append(
            (
                f"{_scenario_label(response)}の最も少ない残高",
                f"{_yen(low['amount'])}<br><small>{esc(low['label'])}末</small>",
            )
        )
    return headline(figures)


def _warnings(response: dict[str, Any]) -> str:
    messages = []
    if response["shortfall_months"]:
        messages.append(
            f"{month_ranges(response['shortfall_months'])}に残高がマイナスになる見込みです。"
            "入金と支払いの時期の見直しや借入れなど、資金の手当てを早めに検討してください。"
        )
    safety = response["safety_balance"]
    below = [m for m in response["below_safety_months"] if m not in response["shortfall_months"]]
    if safety and below:
        messages.append(f"{month_ranges(below)}は、最低限残したい残高{format_yen(safety)}を下回ります。")
    scenario = response["scenario"]
    if scenario and scenario["shortfall_months"] and not response["shortfall_months"]:
        messages.append(
            f"{_scenario_label(response)}は、{month_ranges(scenario['shortfall_months'])}に残高がマイナスになります。"
        )
    return warnings(messages)


# Links from the tool page (/tools/forecast/) to the other pages of the site.
PAGES = {
    "405": "../../405/",
    "vup": "../../vup/",
    "kinki": "../../kyogikai/kinki/",
    "zenkoku": "../../kyogikai/zenkoku/",
    "eligibility": "../eligibility/",
    "subsidy": "../subsidy/",
}


def _link(key: str, text: str) -> str:
    return f'<a href="{esc(PAGES[key])}">{esc(text)}</a>'


def next_steps(response: dict[str, Any]) -> str:
    """What to do when the balance goes below zero or below the safety level: the months, the
    main bank, the council (its number when a prefecture is given), and which programme fits."""
    shortfall = response["shortfall_months"]
    below = [m for m in response["below_safety_months"] if m not in shortfall]
    scenario = response["scenario"]
    scenario_short = scenario["shortfall_months"] if scenario and not shortfall else []
    if not (shortfall or below or scenario_short):
        return ""
    months = []
    if shortfall:
        months.append(f"残高がマイナスになる月：<strong>{esc(month_ranges(shortfall))}</strong>")
    if below:
        safety = format_yen(response["safety_balance"])
        months.append(
            f"最低限残したい残高（{esc(safety)}）を下回る月：<strong>{esc(month_ranges(below))}</strong>"
        )
    if scenario_short:
        months.append(
            f"{esc(_scenario_label(response))}に残高がマイナスになる月：<strong>{esc(month_ranges(scenario_short))}</strong>"
        )
    first = min([*shortfall, *below, *scenario_short])
    council = response.get("council")
    if council:
        call = f"中小企業活性化協議会に相談する：{council_contact(council)}。"
    else:
        call = (
            "本社のある都道府県の中小企業活性化協議会に相談する（連絡先は"
            f"{_link('kinki', '近畿の協議会')}・{_link('zenkoku', '全国の協議会')}の一覧にあります。"
            "上の入力で都道府県を選ぶと、ここに電話番号を表示します）。"
        )
    if shortfall:
        fit = (
            "返済を待ってもらう・返済額を減らすなど、借入の返し方を変えてもらう必要があるなら、"
            f"{_link('405', '経営改善計画策定支援（405事業）')}が合います。すべての取引金融機関と話し合いながら、"
            f"専門家と計画を作ります。そこまでではなく、早めに手を打つなら{_link('vup', 'Vアップ')}です。"
        )
    else:
        fit = (
            "返済の条件はまだ変えずに、早めに立て直しの計画を作るなら"
            f"{_link('vup', '早期経営改善計画策定支援（Vアップ）')}が合います。"
            f"返済の条件を変えてもらう必要が出てきたら{_link('405', '405事業')}です。"
        )
    steps = [
        "<li><strong>メインバンクに早めに相談する</strong>：できるだけ早く、遅くとも"
        f"{esc(Month(int(first[:4]), int(first[5:7])).label())}より前に、この表を持って相談してください。"
        "早いほど打てる手（返済の時期の相談、つなぎの融資など）が多くあります。</li>",
        f"<li><strong>{call}</strong></li>",
        f"<li><strong>合う支援を選ぶ</strong>：{fit}"
        f"どちらが使えるかは{_link('eligibility', '利用対象チェック')}、費用の補助は"
        f"{_link('subsidy', '補助金額シミュレーター')}で確かめられます。</li>",
    ]
    items = "".join(f"<li>{m}</li>" for m in months)
    return (
        '<section class="kz-fc-next" aria-labelledby="kz-fc-next-heading">'
        '<h3 id="kz-fc-next-heading">資金が足りなくなりそうなときにすること</h3>'
        f'<ul class="kz-fc-next__months">{items}</ul>'
        f'<ol class="kz-next">{"".join(steps)}</ol></section>'
    )


# What the figures rest on: the user's inputs, not the programmes' rules.
SOURCES_INTRO = (
    "<p>この表の金額は、すべて入力した数字から計算しています（制度の金額や率は使っていません）。"
    "計算のしかたは上の「計算の根拠」のとおりです。下の出典は、この表が下書きになる計画の書類"
    "（Vアップの資金実績・計画表、405事業の資金繰表）の名前と中身を確かめた資料です。</p>"
)


def _request_for_summary(request: dict[str, Any]) -> dict[str, Any]:
    """The request with loan methods written as their Japanese names (which kaizen_core accepts)."""
    loans = request.get("loans") if isinstance(request, dict) else None
    if not isinstance(loans, list):
        return request
    shown = []
    for loan in loans:
        if isinstance(loan, dict) and loan.get("method") in LOAN_METHODS:
            loan = {**loan, "method": LOAN_METHODS[loan["method"]]}
        shown.append(loan)
    return {**request, "loans": shown}


def render(response: dict[str, Any], request: dict[str, Any]) -> str:
    rows = response["rows"]
    return (
        f'<div class="kz-forecast"><h2 id="kz-results-heading">結果：{esc(rows[0]["label"])}から'
        f"{response['months']}か月の資金繰り</h2>"
        + _headline(response)
        + _warnings(response)
        + next_steps(response)
        + chart(response)
        + monthly_table(response)
        + print_tables(response)
        + _loans_table(response)
        + explanation(response)
        + sources(response, SOURCES_INTRO)
        + inputs_summary(input_rows(TOOL, _request_for_summary(request)))
        + "</div>"
    )


def summary(response: dict[str, Any]) -> str:
    """One sentence for the screen reader's status line."""
    lowest = response["lowest_balance"]
    text = (
        f"期末残高{format_yen(response['closing_balance'])}、最も少ない残高は"
        f"{lowest['label']}末の{format_yen(lowest['amount'])}。"
    )
    if response["shortfall_months"]:
        text += f"残高がマイナスになる月：{month_ranges(response['shortfall_months'])}。"
    else:
        text += "残高がマイナスになる月はありません。"
    return text


def _main_sheet(response: dict[str, Any]) -> list[list[Any]]:
    """The monthly table as a bank's 資金繰り表: each subtotal, balance and status a formula.

    Body rows in order: 月初残高, the operating receipts and 経常収入 計, the operating payments and
    経常支出 計, 経常収支 (差引), investing lines and 設備等収支, financing lines and 財務収支, the
    adjustment to actual balances, 月末残高, 残高の状態, then the accruals (for reference). Each
    month's 月初残高 is the month before's 月末残高, so an edited amount carries through the year.
    """
    rows = response["rows"]
    lines = response["lines"]
    safety = response["safety_balance"] or 0
    body: list[list[Any]] = []

    def add(row: list[Any]) -> int:
        body.append(row)
        return len(body) - 1

    def plain(label: str, values: list[int]) -> int:
        """A row of month figures whose last column (合計) sums them."""
        here = len(body)
        return add(
            [label, *values, Computed(sum(values), f"SUM({{first}}{{r[{here}]}}:{{last}}{{r[{here}]}})")]
        )

    def keyed(section: str) -> list[int]:
        return [
            plain(item["label"], [r["lines"][item["key"]] for r in rows])
            for item in lines
            if item["section"] == section
        ]

    def total_of(indexes: list[int]) -> str:
        """This column's sum of the rows ``indexes`` (consecutive), or 0 for none."""
        if not indexes:
            return "0"
        return f"SUM({{c}}{{r[{indexes[0]}]}}:{{c}}{{r[{indexes[-1]}]}})"

    # The first month's opening balance is an input; later months start from the month before's
    # closing balance (their formulas are set below, once the closing row's place is known).
    opening = add(["月初残高", *(r["opening"] for r in rows), rows[0]["opening"]])
    receipts = keyed("operating_in")
    receipts_total = plain("経常収入 計", [r["operating_receipts"] for r in rows])
    payments = keyed("operating_out")
    payments_total = plain("経常支出 計", [r["operating_payments"] for r in rows])
    operating = plain("経常収支（差引：収入−支出）", [r["operating_balance"] for r in rows])
    investing_in, investing_out = keyed("investing_in"), keyed("investing_out")
    investing = plain(
        response["sections"]["investing"] + "（収入−支出）", [r["investing_balance"] for r in rows]
    )
    financing_in, financing_out = keyed("financing_in"), keyed("financing_out")
    financing = plain(
        response["sections"]["financing"] + "（収入−支出）", [r["financing_balance"] for r in rows]
    )
    adjustment = plain("実績の残高との差（調整）", [r["adjustment"] for r in rows])
    closing = add(["月末残高", *(r["closing"] for r in rows), response["closing_balance"]])
    status = add(["残高の状態", *(_flag_text(r) for r in rows), ""])
    month_cells = range(1, len(rows) + 1)
    formulas = {
        receipts_total: total_of(receipts),
        payments_total: total_of(payments),
        operating: f"{{c}}{{r[{receipts_total}]}}-{{c}}{{r[{payments_total}]}}",
        investing: f"{total_of(investing_in)}-{total_of(investing_out)}",
        financing: f"{total_of(financing_in)}-{total_of(financing_out)}",
        closing: (
            f"{{c}}{{r[{opening}]}}+{{c}}{{r[{operating}]}}+{{c}}{{r[{investing}]}}"
            f"+{{c}}{{r[{financing}]}}+{{c}}{{r[{adjustment}]}}"
        ),
    }
    for index, formula in formulas.items():
        for column in month_cells:
            body[index][column] = Computed(body[index][column], formula)
    # The opening of later months refers to the closing row, now that its index is known.
    for column in range(2, len(rows) + 1):
        body[opening][column] = Computed(body[opening][column], f"{{p}}{{r[{closing}]}}")
    body[opening][-1] = Computed(rows[0]["opening"], f"{{first}}{{r[{opening}]}}")
    body[closing][-1] = Computed(response["closing_balance"], f"{{last}}{{r[{closing}]}}")
    for column in month_cells:
        test = f"{{c}}{{r[{closing}]}}"
        body[status][column] = ComputedText(
            body[status][column],
            f'IF({test}<0,"{_flag_text({"below_zero": True, "below_safety": True})}",'
            f'IF({test}<{safety},"{_flag_text({"below_zero": False, "below_safety": True})}",""))',
        )
    for key, label in ACCRUAL_KEYS.items():
        plain(f"{label}（発生した月）", [r["accruals"][key] for r in rows])
    return body


def export_tables(response: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    rows = response["rows"]
    labels = [r["label"] + ("（実績）" if r["is_actual"] else "") for r in rows]
    tables: list[tuple[str, list[str], list[list[Any]]]] = [
        ("資金繰り表", ["項目（円）", *labels, "合計"], _main_sheet(response))
    ]
    actual_rows = []
    names = actual_labels()
    for row in rows:
        for key, plan in row.get("plan", {}).items():
            actual_rows.append(
                [row["label"], names.get(key, key), plan, row["actual"][key], row["variance"][key]]
            )
    if actual_rows:
        tables.append(("予定と実績", ["年月", "項目", "予定（円）", "実績（円）", "差異（円）"], actual_rows))
    scenario = response["scenario"]
    if scenario:
        label = _scenario_label(response)
        tables.append(
            (
                "売上高の増減シナリオ",
                ["年月", "月末残高（円）", f"{label}の月末残高（円）", f"{label}の残高の状態"],
                [
                    [row["label"], row["closing"], other["closing"], _flag_text(other)]
                    for row, other in zip(rows, scenario["rows"], strict=True)
                ],
            )
        )
    tables.append(
        (
            "借入金の残高",
            ["借入金", f"{rows[-1]['label']}末の残高（円）"],
            [[item["name"], item["balance"]] for item in response["loan_balances_end"]],
        )
    )
    return tables


if TYPE_CHECKING:  # mypy checks this module against what a tool page's view provides
    import calculators.forecast as _self
    from calculators.views import ToolView

    _view: ToolView = _self
