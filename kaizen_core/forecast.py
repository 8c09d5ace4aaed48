"""Cash forecast (資金繰り表): the monthly 資金予定表 / 資金実績・計画表 a small business keeps.

Sales and purchases are booked in the month they happen and turned into cash by their terms
(e.g. 月末締め翌月末 → next month). Each split uses cumulative rounding, so the parts always add up
to the whole and no month is rounded up at another's expense. Amounts derived from rates (growth,
seasonality, share of sales, interest) are rounded down to the yen. Actuals entered for past
months replace the plan for those months and are shown against it (予定／実績／差異).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from kaizen_core.directory import PREFECTURE_EXAMPLES, Council, council_of
from kaizen_core.errors import ErrorCollector, InputError
from kaizen_core.numbers import (
    Month,
    format_percent,
    format_yen,
    json_repr,
    parse_month,
    parse_rate,
    parse_yen,
    shorten,
)
from kaizen_core.params import RuleSet
from kaizen_core.request import Reader

MIN_MONTHS, MAX_MONTHS = 6, 36
# A month's sales index above 10× the average is taken as a typing slip ("120" meant as 120%).
MAX_SEASONAL_FACTOR = Fraction(10)
MAX_NAME_CHARS = 100  # a loan's name, shown in the table and the chart

# (key, label, section); sections: operating_in, operating_out, investing_in, investing_out,
# financing_in, financing_out. The order is the order of the printed table.
LINES: tuple[tuple[str, str, str], ...] = (
    ("cash_sales", "現金売上", "operating_in"),
    ("collections", "売掛金の回収", "operating_in"),
    ("other_income", "その他の収入", "operating_in"),
    ("cash_purchases", "現金仕入", "operating_out"),
    ("payables_paid", "買掛金の支払", "operating_out"),
    ("outsourcing_paid", "外注費の支払", "operating_out"),
    ("payroll", "人件費", "operating_out"),
    ("rent", "家賃・地代", "operating_out"),
    ("other_fixed", "その他の経費", "operating_out"),
    ("social_insurance", "社会保険料", "operating_out"),
    ("taxes", "税金", "operating_out"),
    ("interest", "支払利息", "operating_out"),
    ("other_payments", "その他の支出", "operating_out"),
    ("asset_sales", "資産の売却など", "investing_in"),
    ("capex", "設備投資", "investing_out"),
    ("new_borrowing", "借入れ", "financing_in"),
    ("loan_repayment", "借入金の返済（元金）", "financing_out"),
    ("owner_drawings", "事業主の引出し（生活費など）", "financing_out"),
)
LINE_LABELS = {key: label for key, label, _ in LINES}
LINE_SECTION = {key: section for key, _, section in LINES}
SECTION_LABELS = {
    "operating": "経常収支",
    "investing": "設備等収支",
    "financing": "財務収支",
}
RECURRING = {
    "payroll": "人件費",
    "rent": "家賃・地代",
    "other_fixed": "その他の経費",
    "social_insurance": "社会保険料",
    "owner_drawings": "事業主の引出し",
}
SCHEDULED = {
    "taxes": ("taxes", "税金"),
    "capex": ("capex", "設備投資"),
    "asset_sales": ("asset_sales", "資産の売却など"),
    "other_income": ("other_income", "その他の収入"),
    "other_payments": ("other_payments", "その他の支出"),
}
LOAN_METHODS = {
    "equal_principal": "元金均等返済",
    "equal_payment": "元利均等返済",
    "bullet": "期日一括返済",
    "schedule": "返済予定表どおり",
}
ACCRUAL_KEYS = {"sales": "売上高", "purchases": "仕入高", "outsourcing": "外注費"}


def floor_yen(value: Fraction) -> int:
    return value.numerator // value.denominator


def floor_times(amount: int, rate: Fraction) -> int:
    """floor(amount × rate) in integer arithmetic: the same yen as :func:`floor_yen` of the product,
    without making a Fraction for it (the table does this for every month and term)."""
    return amount * rate.numerator // rate.denominator


def cumulative_terms(terms: list[tuple[int, Fraction]]) -> list[tuple[int, Fraction]]:
    """The running total of the shares, (months after, share so far): worked out once per table,
    since every month splits its amount by the same terms."""
    out = []
    cumulative = Fraction(0)
    for months_after, share in terms:
        cumulative += share
        out.append((months_after, cumulative))
    return out


def split_cumulative(amount: int, cumulative: list[tuple[int, Fraction]]) -> list[tuple[int, int]]:
    """Split ``amount`` with cumulative rounding (each part is floor(amount × running share) less
    what came before): the parts add up exactly."""
    parts = []
    paid = 0
    for months_after, share_so_far in cumulative:
        upto = floor_times(amount, share_so_far)
        parts.append((months_after, upto - paid))
        paid = upto
    return parts


@dataclass
class Loan:
    name: str
    balance: int
    annual_rate: Fraction
    method: str
    first_payment: Month
    drawdown: Month | None = None
    monthly_principal: int | None = None
    monthly_payment: int | None = None
    maturity: Month | None = None
    schedule: dict[Month, int] = field(default_factory=dict)


@dataclass
class Inputs:
    start: Month
    months: int
    opening_balance: int
    safety_balance: int
    sales_plan: dict[Month, int]
    sales_rule: str
    collection: list[tuple[int, Fraction]]
    opening_receivables: dict[Month, int]
    purchases: tuple[str, Any]
    purchase_terms: list[tuple[int, Fraction]]
    outsourcing: tuple[str, Any]
    outsourcing_terms: list[tuple[int, Fraction]]
    opening_payables: dict[Month, int]
    recurring: dict[str, dict[Month, int]]
    scheduled: dict[str, dict[Month, int]]
    loans: list[Loan]
    actuals: dict[Month, dict[str, int]]
    scenario_change: Fraction | None
    council: Council | None = None


def _months(start: Month, count: int) -> list[Month]:
    return [start.add(offset) for offset in range(count)]


def _read_month_map(
    reader: Reader, key: str, label: str, horizon: list[Month] | None, *, allow_negative: bool = False
) -> dict[Month, int]:
    """``{"YYYY-MM": yen}``; months outside the forecast are errors when ``horizon`` is given."""
    raw = reader.mapping(key, label)
    result: dict[Month, int] = {}
    for month_text, value in (raw or {}).items():
        field_path = reader.field(key) + f".{month_text}"
        try:
            month = parse_month(month_text, field_path, f"{label}の年月「{shorten(month_text)}」")
            amount = parse_yen(
                value, field_path, f"{label}（{month.label()}）", allow_negative=allow_negative
            )
        except InputError as error:
            reader.errors.extend(error)
            continue
        if horizon is not None and month not in horizon:
            reader.errors.add(
                field_path,
                f"{label}：{month.label()}は表の期間（{horizon[0].label()}〜{horizon[-1].label()}）の外です。",
            )
            continue
        if month in result:
            reader.errors.add(field_path, f"{label}：{month.label()}が2回入力されています。")
            continue
        result[month] = amount
    return result


def _read_terms(reader: Reader, key: str, label: str) -> list[tuple[int, Fraction]]:
    """Payment or collection terms: ``[{"months_after": 0, "share": "30%"}, ...]`` summing to 100%."""
    raw = reader.raw(key)
    if raw is None:
        return [(0, Fraction(1))]
    terms: list[tuple[int, Fraction]] = []
    seen: set[int] = set()
    before = len(reader.errors.errors)
    for path, entry in reader.items(key, label):
        entry.check_keys({"months_after", "share"})
        months_after = entry.count("months_after", "何か月後か（0＝その月）", required=True)
        share = entry.rate("share", "割合", required=True, maximum=Fraction(1))
        if months_after is not None and months_after > 12:
            reader.errors.add(f"{path}.months_after", f"{label}：12か月後までで指定してください。")
            continue
        if months_after is not None and months_after in seen:
            reader.errors.add(f"{path}.months_after", f"{label}：{months_after}か月後が2回指定されています。")
            continue
        if months_after is not None and share is not None:
            seen.add(months_after)
            terms.append((months_after, share))
    if len(reader.errors.errors) == before and isinstance(raw, list):
        total = sum((share for _, share in terms), Fraction(0))
        if total != 1:
            reader.errors.add(
                reader.field(key),
                f"{label}：割合の合計が{format_percent(total)}です。合計100%になるように入力してください。",
            )
    return sorted(terms)


def _read_amount_rule(reader: Reader, key: str, label: str, horizon: list[Month]) -> tuple[str, Any]:
    """Purchases or outsourcing: ``share_of_sales``, a fixed ``amount`` or ``monthly`` amounts."""
    child = reader.child(key, label)
    if child is None:
        return ("none", None)
    child.check_keys({"share_of_sales", "amount", "monthly", "payment"})
    given = [name for name in ("share_of_sales", "amount", "monthly") if child.has(name)]
    if len(given) > 1:
        reader.errors.add(
            reader.field(key),
            f"{label}：売上高に対する割合・毎月の金額・月別の金額のどれか1つで指定してください。",
        )
        return ("none", None)
    if given == ["share_of_sales"]:
        return ("share", child.rate("share_of_sales", f"{label}の売上高に対する割合", maximum=Fraction(10)))
    if given == ["amount"]:
        return ("amount", child.yen("amount", f"{label}（毎月）"))
    if given == ["monthly"]:
        return ("monthly", _read_month_map(child, "monthly", label, horizon))
    return ("none", None)


def _read_recurring(reader: Reader, key: str, label: str, horizon: list[Month]) -> dict[Month, int]:
    """A monthly amount (``300000``) or ``{"amount": 300000, "months": {"2026-07": 900000}}``."""
    raw = reader.raw(key)
    if raw is None or raw == "":
        return {}
    if isinstance(raw, dict):
        child = reader.child(key, label)
        assert child is not None
        child.check_keys({"amount", "months"})
        every = child.yen("amount", f"{label}（毎月）", default=0) or 0
        overrides = _read_month_map(child, "months", label, horizon)
        return {month: overrides.get(month, every) for month in horizon}
    monthly = reader.yen(key, f"{label}（毎月）")
    return dict.fromkeys(horizon, monthly) if monthly else {}


def _read_scheduled(reader: Reader, key: str, label: str, horizon: list[Month]) -> dict[Month, int]:
    """One-off amounts: ``[{"label": "法人税等", "month": "2026-05", "amount": 400000}]``."""
    result: dict[Month, int] = {}
    for path, entry in reader.items(key, label):
        entry.check_keys({"label", "month", "amount"})
        month = entry.month("month", f"{label}の年月", required=True)
        amount = entry.yen("amount", f"{label}の金額", required=True)
        if month is None or amount is None:
            continue
        if month not in horizon:
            reader.errors.add(f"{path}.month", f"{label}：{month.label()}は表の期間の外です。")
            continue
        result[month] = result.get(month, 0) + amount
    return result


def _read_loans(reader: Reader, start: Month, horizon: list[Month]) -> list[Loan]:
    loans = []
    for number, (path, entry) in enumerate(reader.items("loans", "借入金"), start=1):
        entry.check_keys(
            {"name", "balance", "annual_rate", "method", "monthly_principal", "monthly_payment"}
            | {"first_payment", "drawdown", "maturity", "schedule"}
        )
        name = entry.raw("name") or f"借入金{number}"
        if not isinstance(name, str):
            entry.errors.add(f"{path}.name", "借入金の名前：文字で入力してください。")
            name = "借入金"
        elif len(name) > MAX_NAME_CHARS:
            entry.errors.add(f"{path}.name", f"借入金の名前：{MAX_NAME_CHARS}文字以内で入力してください。")
            name = "借入金"
        method = entry.choice(
            "method",
            "返済方法",
            LOAN_METHODS,
            default="equal_principal",
            aliases={v: k for k, v in LOAN_METHODS.items()},
        )
        balance = entry.yen("balance", "借入残高（新規借入は借入額）", required=True)
        rate = entry.rate("annual_rate", "年利率", default=Fraction(0), maximum=Fraction(1, 5))
        drawdown = entry.month("drawdown", "借入れの年月（新規借入のとき）")
        first = entry.month("first_payment", "返済開始の年月")
        if drawdown is not None and drawdown not in horizon:
            entry.errors.add(f"{path}.drawdown", f"借入れの年月：{drawdown.label()}は表の期間の外です。")
        loan = Loan(
            name=name,
            balance=balance or 0,
            annual_rate=rate or Fraction(0),
            method=method or "equal_principal",
            first_payment=first or (drawdown.add(1) if drawdown else start),
            drawdown=drawdown,
        )
        if method == "equal_principal":
            loan.monthly_principal = entry.yen("monthly_principal", "毎月の元金返済額", required=True)
        elif method == "equal_payment":
            loan.monthly_payment = entry.yen("monthly_payment", "毎月の返済額（元金＋利息）", required=True)
            if loan.monthly_payment is not None and balance and rate:
                first_interest = floor_yen(balance * rate / 12)
                if loan.monthly_payment <= first_interest:
                    entry.errors.add(
                        f"{path}.monthly_payment",
                        f"毎月の返済額：利息{format_yen(first_interest)}以下では元金が減りません。",
                    )
        elif method == "bullet":
            loan.maturity = entry.month("maturity", "一括返済の年月", required=True)
        elif method == "schedule":
            loan.schedule = _read_month_map(entry, "schedule", "元金の返済予定", horizon)
            if not loan.schedule and not entry.errors.has(f"{path}.schedule"):
                entry.errors.add(f"{path}.schedule", "元金の返済予定：月ごとの元金返済額を入力してください。")
        loans.append(loan)
    return loans


def _read(request: Any) -> tuple[Inputs | None, Any, ErrorCollector]:
    errors = ErrorCollector()
    reader = Reader(request, errors)
    reader.check_keys(
        {"as_of", "start", "months", "opening_balance", "safety_balance", "sales", "collection"}
        | {
            "opening_receivables",
            "purchases",
            "outsourcing",
            "opening_payables",
            "loans",
            "actuals",
            "scenario",
        }
        | set(RECURRING)
        | set(SCHEDULED)
        | {"prefecture"}
    )
    as_of = reader.as_of()
    council = _read_council(reader)
    start = reader.month("start", "開始の年月", required=True)
    count = reader.count("months", "月数", required=True)
    if count is not None and not MIN_MONTHS <= count <= MAX_MONTHS:
        errors.add("months", f"月数：{MIN_MONTHS}〜{MAX_MONTHS}か月で入力してください（{count}）。")
        count = None
    opening = reader.yen("opening_balance", "月初の現金・預金残高", required=True, allow_negative=True)
    safety = reader.yen("safety_balance", "最低限残したい残高", default=0)
    if start is None or count is None:
        return None, as_of, errors
    horizon = _months(start, count)
    sales_plan, sales_rule = _read_sales(reader, horizon)
    collection = _read_terms(reader, "collection", "売上の回収条件")
    purchases = _read_amount_rule(reader, "purchases", "仕入", horizon)
    purchases_reader = reader.child("purchases", "仕入")
    purchase_terms = (
        _read_terms(purchases_reader, "payment", "仕入の支払条件") if purchases_reader else [(0, Fraction(1))]
    )
    outsourcing = _read_amount_rule(reader, "outsourcing", "外注費", horizon)
    outsourcing_reader = reader.child("outsourcing", "外注費")
    outsourcing_terms = (
        _read_terms(outsourcing_reader, "payment", "外注費の支払条件")
        if outsourcing_reader
        else [(0, Fraction(1))]
    )
    recurring = {key: _read_recurring(reader, key, label, horizon) for key, label in RECURRING.items()}
    scheduled: dict[str, dict[Month, int]] = {}
    for key, (line, label) in SCHEDULED.items():
        scheduled[line] = _read_scheduled(reader, key, label, horizon)
    loans = _read_loans(reader, start, horizon)
    actuals = _read_actuals(reader, horizon)
    scenario_change = None
    scenario = reader.child("scenario", "売上の増減シナリオ")
    if scenario is not None:
        scenario.check_keys({"sales_change"})
        scenario_change = scenario.rate(
            "sales_change", "売上高の増減率", required=True, allow_negative=True, maximum=Fraction(10)
        )
        if scenario_change is not None and scenario_change < -1:
            errors.add("scenario.sales_change", "売上高の増減率：−100%より小さくはできません。")
            scenario_change = None
    inputs = Inputs(
        start=start,
        months=count,
        opening_balance=opening or 0,
        safety_balance=safety or 0,
        sales_plan=sales_plan,
        sales_rule=sales_rule,
        collection=collection,
        opening_receivables=_read_month_map(
            reader, "opening_receivables", "前月までの売上の回収予定", horizon
        ),
        purchases=purchases,
        purchase_terms=purchase_terms,
        outsourcing=outsourcing,
        outsourcing_terms=outsourcing_terms,
        opening_payables=_read_month_map(
            reader, "opening_payables", "前月までの仕入・外注の支払予定", horizon
        ),
        recurring=recurring,
        scheduled=scheduled,
        loans=loans,
        actuals=actuals,
        scenario_change=scenario_change,
        council=council,
    )
    return inputs, as_of, errors


def _read_council(reader: Reader) -> Council | None:
    """The council of the optional ``prefecture`` (shown with the advice when a balance runs low)."""
    value = reader.raw("prefecture")
    if value in (None, ""):
        return None
    council = council_of(value)
    if council is None:
        reader.errors.add(
            "prefecture",
            f"都道府県：「{json_repr(value)}」は都道府県として読み取れません（例：{PREFECTURE_EXAMPLES}）。",
        )
    return council


def _read_sales(reader: Reader, horizon: list[Month]) -> tuple[dict[Month, int], str]:
    sales = reader.child("sales", "売上高", required=True)
    if sales is None:
        return {}, ""
    sales.check_keys({"monthly", "base", "growth_rate", "seasonality"})
    if sales.has("monthly"):
        if sales.has("base"):
            reader.errors.add(
                "sales",
                "売上高：月別の金額（monthly）か、基準の月額（base）のどちらか一方で指定してください。",
            )
            return {}, ""
        plan = _read_month_map(sales, "monthly", "売上高", horizon)
        missing = [m for m in horizon if m not in plan]
        if missing and not reader.errors.has("sales.monthly"):
            reader.errors.add(
                "sales.monthly",
                f"売上高：{missing[0].label()}など{len(missing)}か月分が未入力です（売上がない月は0と入力）。",
            )
        return plan, "月別に入力された売上高"
    base = sales.yen("base", "売上高（基準の月額）", required=True)
    growth = sales.rate(
        "growth_rate", "売上高の月次成長率", default=Fraction(0), allow_negative=True, maximum=Fraction(1)
    )
    if growth is not None and growth <= -1:
        reader.errors.add("sales.growth_rate", "売上高の月次成長率：−100%より大きい値にしてください。")
        growth = None
    factors = _read_seasonality(sales)
    if base is None or growth is None:
        return {}, ""
    plan = {}
    for offset, month in enumerate(horizon):
        plan[month] = floor_yen(base * (1 + growth) ** offset * factors[month.month])
    rule = f"基準の月額{format_yen(base)}"
    if growth:
        rule += f"から毎月{format_percent(growth)}の伸び"
    if any(f != 1 for f in factors.values()):
        rule += "、季節変動の指数を掛けたもの"
    return plan, rule


def _read_seasonality(sales: Reader) -> dict[int, Fraction]:
    raw = sales.raw("seasonality")
    factors = {month: Fraction(1) for month in range(1, 13)}
    if raw is None:
        return factors
    if isinstance(raw, list):
        if len(raw) != 12:
            sales.errors.add(
                "sales.seasonality", "季節変動：1月〜12月の12個の指数で指定してください（100%が平均）。"
            )
            return factors
        entries = {str(index + 1): value for index, value in enumerate(raw)}
    elif isinstance(raw, dict):
        entries = {str(key): value for key, value in raw.items()}
    else:
        sales.errors.add("sales.seasonality", "季節変動：月（1〜12）ごとの指数で指定してください。")
        return factors
    for key, value in entries.items():
        if key not in {str(m) for m in range(1, 13)}:
            sales.errors.add(
                f"sales.seasonality.{key}", f"季節変動：「{shorten(key)}」は月（1〜12）ではありません。"
            )
            continue
        field = f"sales.seasonality.{key}"
        try:
            factor = parse_rate(value, field, f"{key}月の季節指数")
        except InputError as error:
            sales.errors.extend(error)
            continue
        if factor > MAX_SEASONAL_FACTOR:
            sales.errors.add(
                field,
                f"{key}月の季節指数：「{json_repr(value)}」は大きすぎます（{format_percent(MAX_SEASONAL_FACTOR)}以下。120%なら「120%」と入力）。",
            )
            continue
        factors[int(key)] = factor
    return factors


def _read_actuals(reader: Reader, horizon: list[Month]) -> dict[Month, dict[str, int]]:
    raw = reader.mapping("actuals", "実績")
    result: dict[Month, dict[str, int]] = {}
    allowed = set(LINE_LABELS) | set(ACCRUAL_KEYS) | {"closing"}
    for month_text, values in (raw or {}).items():
        path = f"actuals.{month_text}"
        try:
            month = parse_month(month_text, path, f"実績の年月「{shorten(month_text)}」")
        except InputError as error:
            reader.errors.extend(error)
            continue
        if month not in horizon:
            reader.errors.add(path, f"実績：{month.label()}は表の期間の外です。")
            continue
        entry = Reader(values, reader.errors, path, f"{month.label()}の実績")
        entry.check_keys(allowed)
        labels = {**LINE_LABELS, **ACCRUAL_KEYS, "closing": "月末残高"}
        month_values = {}
        for key in entry.data:
            if key in allowed:
                amount = entry.yen(
                    key, f"{month.label()}の実績：{labels[key]}", allow_negative=key == "closing"
                )
                if amount is not None:
                    month_values[key] = amount
        result[month] = month_values
    return result


def _derived(rule: tuple[str, Any], sales: int, month: Month) -> int:
    kind, value = rule
    if kind == "share":
        return floor_times(sales, value) if value is not None else 0
    if kind == "amount":
        return int(value or 0)
    if kind == "monthly":
        return int(value.get(month, 0))
    return 0


def _project(inputs: Inputs, sales_factor: Fraction) -> dict[str, Any]:
    """One run of the table. ``sales_factor`` scales planned (not actual) sales for a scenario."""
    horizon = _months(inputs.start, inputs.months)
    lines = {month: {key: 0 for key, _, _ in LINES} for month in horizon}
    accruals: dict[Month, dict[str, int]] = {}
    planned_accruals: dict[Month, dict[str, int]] = {}
    receivables_end = 0
    payables_end = 0

    def schedule(month: Month, key: str, amount: int) -> bool:
        if month in lines:
            lines[month][key] += amount
            return True
        return False

    collection = cumulative_terms(inputs.collection)
    purchase_terms = cumulative_terms(inputs.purchase_terms)
    outsourcing_terms = cumulative_terms(inputs.outsourcing_terms)
    for month, amount in inputs.opening_receivables.items():
        schedule(month, "collections", amount)
    for month, amount in inputs.opening_payables.items():
        schedule(month, "payables_paid", amount)
    for month in horizon:
        actual = inputs.actuals.get(month, {})
        planned_sales = floor_times(inputs.sales_plan.get(month, 0), sales_factor)
        planned = {
            "sales": planned_sales,
            "purchases": _derived(inputs.purchases, planned_sales, month),
            "outsourcing": _derived(inputs.outsourcing, planned_sales, month),
        }
        sales = actual.get("sales", planned_sales)
        purchases = actual.get("purchases", _derived(inputs.purchases, sales, month))
        outsourcing = actual.get("outsourcing", _derived(inputs.outsourcing, sales, month))
        accruals[month] = {"sales": sales, "purchases": purchases, "outsourcing": outsourcing}
        planned_accruals[month] = planned
        for months_after, part in split_cumulative(sales, collection):
            if not schedule(
                month.add(months_after), "cash_sales" if months_after == 0 else "collections", part
            ):
                receivables_end += part
        for months_after, part in split_cumulative(purchases, purchase_terms):
            if not schedule(
                month.add(months_after), "cash_purchases" if months_after == 0 else "payables_paid", part
            ):
                payables_end += part
        for months_after, part in split_cumulative(outsourcing, outsourcing_terms):
            if not schedule(month.add(months_after), "outsourcing_paid", part):
                payables_end += part
        for key, amounts in inputs.recurring.items():
            lines[month][key] += amounts.get(month, 0)
        for key, amounts in inputs.scheduled.items():
            lines[month][key] += amounts.get(month, 0)
    loan_balances = _apply_loans(inputs.loans, lines, horizon)

    rows = []
    balance = inputs.opening_balance
    for month in horizon:
        plan = dict(lines[month])
        actual = inputs.actuals.get(month, {})
        values = {key: actual.get(key, plan[key]) for key in plan}
        opening = balance
        sums = dict.fromkeys(
            (
                "operating_in",
                "operating_out",
                "investing_in",
                "investing_out",
                "financing_in",
                "financing_out",
            ),
            0,
        )
        for key, amount in values.items():
            sums[LINE_SECTION[key]] += amount
        receipts = sums["operating_in"] + sums["investing_in"] + sums["financing_in"]
        payments = sums["operating_out"] + sums["investing_out"] + sums["financing_out"]
        computed = opening + receipts - payments
        closing = actual.get("closing", computed)
        row: dict[str, Any] = {
            "month": str(month),
            "label": month.label(),
            "opening": opening,
            "receipts": receipts,
            "payments": payments,
            "operating_receipts": sums["operating_in"],
            "operating_payments": sums["operating_out"],
            "operating_balance": sums["operating_in"] - sums["operating_out"],
            "investing_balance": sums["investing_in"] - sums["investing_out"],
            "financing_balance": sums["financing_in"] - sums["financing_out"],
            "adjustment": closing - computed,
            "closing": closing,
            "lines": values,
            "accruals": accruals[month],
            "is_actual": bool(actual),
            "below_zero": closing < 0,
            "below_safety": closing < inputs.safety_balance,
        }
        if actual:
            planned_lines = {key: plan[key] for key in actual if key in plan}
            planned_lines.update({key: planned_accruals[month][key] for key in actual if key in ACCRUAL_KEYS})
            if "closing" in actual:
                planned_lines["closing"] = computed
            actual_values = {**values, **accruals[month], "closing": closing}
            row["plan"] = planned_lines
            row["actual"] = {key: actual_values[key] for key in planned_lines}
            row["variance"] = {key: actual_values[key] - planned_lines[key] for key in planned_lines}
        rows.append(row)
        balance = closing
    lowest = min(rows, key=lambda r: (r["closing"], r["month"]))
    return {
        "rows": rows,
        "lowest": {"month": lowest["month"], "label": lowest["label"], "amount": lowest["closing"]},
        "shortfall_months": [r["month"] for r in rows if r["below_zero"]],
        "below_safety_months": [r["month"] for r in rows if r["below_safety"]],
        "receivables_end": receivables_end,
        "payables_end": payables_end,
        "loan_balances_end": loan_balances,
    }


def _apply_loans(
    loans: list[Loan], lines: dict[Month, dict[str, int]], horizon: list[Month]
) -> list[dict[str, Any]]:
    """Interest (balance × annual rate ÷ 12, rounded down) and principal for each loan and month."""
    balances = []
    for loan in loans:
        balance = 0 if loan.drawdown else loan.balance
        for month in horizon:
            if loan.drawdown == month:
                lines[month]["new_borrowing"] += loan.balance
                balance = loan.balance
                continue
            if balance <= 0:
                continue
            interest = floor_yen(balance * loan.annual_rate / 12)
            principal = 0
            if month >= loan.first_payment:
                if loan.method == "equal_principal":
                    principal = loan.monthly_principal or 0
                elif loan.method == "equal_payment":
                    principal = max((loan.monthly_payment or 0) - interest, 0)
                elif loan.method == "bullet":
                    principal = balance if month == loan.maturity else 0
                else:
                    principal = loan.schedule.get(month, 0)
            principal = min(principal, balance)
            lines[month]["interest"] += interest
            lines[month]["loan_repayment"] += principal
            balance -= principal
        balances.append({"name": loan.name, "balance": balance})
    return balances


def project(request: Any) -> dict[str, Any]:
    """The monthly cash table, its low points, and the ±N% sales scenario."""
    inputs, as_of, errors = _read(request)
    errors.raise_if_any()
    assert inputs is not None
    rules = RuleSet(as_of)
    documents = rules.value("common.cash_plan_documents")
    result = _project(inputs, Fraction(1))
    rows = result["rows"]
    totals = {key: sum(row["lines"][key] for row in rows) for key, _, _ in LINES}
    for name in (
        "receipts",
        "payments",
        "operating_balance",
        "investing_balance",
        "financing_balance",
        "adjustment",
    ):
        totals[name] = sum(row[name] for row in rows)
    final = rows[-1]["closing"]
    explanation = [
        f"{inputs.start.label()}から{inputs.months}か月の資金繰り表です（Vアップの「{documents['vup']}」、405事業の「{documents['p405']}」の下書きに使えます）。",
        f"売上高は{inputs.sales_rule}です。",
        "売上・仕入・外注費は発生した月に計上し、回収・支払の条件で各月の入出金に振り分けています（累計で端数を処理し、合計は元の金額と一致します）。",
        "割合から求めた金額（成長率・季節指数・売上高に対する仕入の割合・利息）は1円未満を切り捨てています。利息は残高×年利率÷12の月割りです（金融機関の日割り計算とは数円違うことがあります）。",
        f"月初残高{format_yen(inputs.opening_balance)}＋収入合計{format_yen(totals['receipts'])}−支出合計{format_yen(totals['payments'])}"
        + (f"＋実績残高との差額{format_yen(totals['adjustment'])}" if totals["adjustment"] else "")
        + f"＝期末残高{format_yen(final)}。",
        f"残高が最も少ないのは{result['lowest']['label']}の{format_yen(result['lowest']['amount'])}です。",
    ]
    if result["shortfall_months"]:
        explanation.append(
            f"残高がマイナスになる月：{'、'.join(_labels(result['shortfall_months']))}。資金の手当てが必要です。"
        )
    if inputs.safety_balance and result["below_safety_months"]:
        explanation.append(
            f"最低限残したい残高{format_yen(inputs.safety_balance)}を下回る月：{'、'.join(_labels(result['below_safety_months']))}。"
        )
    if result["receivables_end"] or result["payables_end"]:
        explanation.append(
            f"表の期間の後に回収される売掛金{format_yen(result['receivables_end'])}と支払う買掛金等{format_yen(result['payables_end'])}は、表には含めていません。"
        )
    if inputs.actuals:
        explanation.append(
            "実績を入力した月は実績の金額を使い、予定との差異を示しています。実績の売上高・仕入高はその後の回収・支払にも反映しています。"
        )
    scenario = None
    if inputs.scenario_change is not None:
        changed = _project(inputs, 1 + inputs.scenario_change)
        scenario = {
            "sales_change": f"{inputs.scenario_change.numerator}/{inputs.scenario_change.denominator}",
            "sales_change_percent": format_percent(inputs.scenario_change),
            "rows": [
                {
                    "month": row["month"],
                    "receipts": row["receipts"],
                    "payments": row["payments"],
                    "closing": row["closing"],
                    "below_zero": row["below_zero"],
                    "below_safety": row["below_safety"],
                }
                for row in changed["rows"]
            ],
            "lowest_balance": changed["lowest"],
            "shortfall_months": changed["shortfall_months"],
            "below_safety_months": changed["below_safety_months"],
            "closing_balance": changed["rows"][-1]["closing"],
        }
        explanation.append(
            f"売上高を{format_percent(inputs.scenario_change)}変えた場合（実績の月を除く）、最も少ない残高は"
            f"{changed['lowest']['label']}の{format_yen(changed['lowest']['amount'])}、期末残高は{format_yen(scenario['closing_balance'])}です。"
        )
    response: dict[str, Any] = {
        "tool": "forecast",
        "start": str(inputs.start),
        "months": inputs.months,
        "opening_balance": inputs.opening_balance,
        "safety_balance": inputs.safety_balance,
        "lines": [{"key": key, "label": label, "section": section} for key, label, section in LINES],
        "sections": SECTION_LABELS,
        "rows": rows,
        "totals": totals,
        "closing_balance": final,
        "lowest_balance": result["lowest"],
        "shortfall_months": result["shortfall_months"],
        "below_safety_months": result["below_safety_months"],
        "receivables_end": result["receivables_end"],
        "payables_end": result["payables_end"],
        "loan_balances_end": result["loan_balances_end"],
        "scenario": scenario,
        "council": inputs.council.as_dict() if inputs.council is not None else None,
        "explanation": explanation,
    }
    return rules.cite(response)


def _labels(months: list[str]) -> list[str]:
    return [Month(int(m[:4]), int(m[5:])).label() for m in months]
