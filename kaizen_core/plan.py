"""数値計画チェック: does a business-improvement plan's profit and loss reach the usual targets?

Request: ``{"as_of", "base": {"cash", "borrowings", "net_assets", "adjustments": [{"label", "amount"}]},
"years": [{year}, …], "actuals": [{year}, …]}``. ``base`` is the last actual year; ``adjustments`` are
the 実態修正 to its net assets (signed). Each plan year (3 to 10) has ``label``, ``sales``,
``cost_of_sales``, ``sga`` (販管費, depreciation included), ``depreciation``, ``non_operating_income``,
``non_operating_expenses``, ``extraordinary`` (signed), ``tax``, ``repayment``, ``new_borrowing``,
``capex`` and optional ``working_capital_change`` (signed). ``actuals`` are the same fields for the
years already closed, from the first plan year on, matched by label and shown beside the plan.
An optional ``company_name`` is only for the page's printout (at most 100 characters).

Per year (all yen are ints):

- operating_profit = sales − cost_of_sales − sga; ordinary_profit = operating_profit +
  non_operating_income − non_operating_expenses; pretax_profit = ordinary_profit + extraordinary;
  net_income = pretax_profit − tax; cash_flow (簡易キャッシュフロー) = net_income + depreciation;
- borrowings_end = previous − repayment + new_borrowing (the first previous is base.borrowings);
- cash_end = previous + cash_flow − repayment + new_borrowing − capex − working_capital_change;
- real_net_assets_end = previous + net_income, starting from base.net_assets + Σ adjustments;
- debt_repayment_years (債務償還年数) = (borrowings_end − cash_end) ÷ cash_flow, an exact fraction
  returned as a measure (:mod:`kaizen_core.figures`): 0 when net debt ≤ 0 (nothing to repay, whatever
  the cash flow), null with the reason when net debt > 0 and cash_flow ≤ 0.

``criteria`` holds three targets from dated parameters (``plan.targets.*``), each
``{"met", "year", "target", …, "reason"}``; ``year`` is the plan year from which the target holds
to the end of the plan, ``met`` is null only when the plan is too short to tell. Years count from
the first plan year (1年目). The targets are 目安: the council and the banks judge each plan.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kaizen_core.errors import ErrorCollector
from kaizen_core.figures import check_unique_labels, decimal_text, measure, read_label
from kaizen_core.numbers import format_yen
from kaizen_core.params import RuleSet
from kaizen_core.request import Reader

MIN_YEARS, MAX_YEARS = 3, 10
MAX_ADJUSTMENTS = 50
MAX_COMPANY_NAME_CHARS = 100
# (key, label, may be negative, required)
YEAR_FIELDS = (
    ("sales", "売上高", False, True),
    ("cost_of_sales", "売上原価", False, True),
    ("sga", "販売費及び一般管理費（減価償却費を含む）", False, True),
    ("depreciation", "減価償却費", False, True),
    ("non_operating_income", "営業外収益", False, True),
    ("non_operating_expenses", "営業外費用（支払利息など）", False, True),
    ("extraordinary", "特別損益（利益はプラス、損失はマイナス）", True, True),
    ("tax", "法人税等", False, True),
    ("repayment", "借入金の返済額", False, True),
    ("new_borrowing", "新たな借入額", False, True),
    ("capex", "設備投資額", False, True),
    ("working_capital_change", "運転資金の増加額（減ったときはマイナス）", True, False),
)
# The rows' figures in table order, with their Japanese names (for the page and the comparison).
LINES = (
    ("sales", "売上高"),
    ("cost_of_sales", "売上原価"),
    ("gross_profit", "売上総利益"),
    ("sga", "販売費及び一般管理費"),
    ("operating_profit", "営業利益"),
    ("non_operating_income", "営業外収益"),
    ("non_operating_expenses", "営業外費用"),
    ("ordinary_profit", "経常利益"),
    ("extraordinary", "特別損益"),
    ("pretax_profit", "税引前当期純利益"),
    ("tax", "法人税等"),
    ("net_income", "当期純利益"),
    ("depreciation", "減価償却費"),
    ("cash_flow", "簡易キャッシュフロー（当期純利益＋減価償却費）"),
    ("repayment", "借入金の返済"),
    ("new_borrowing", "新たな借入"),
    ("capex", "設備投資"),
    ("working_capital_change", "運転資金の増加"),
    ("borrowings_end", "期末の借入金"),
    ("cash_end", "期末の現預金"),
    ("net_debt_end", "期末の実質借入金（借入金−現預金）"),
    ("real_net_assets_end", "期末の実質純資産"),
)
CRITERIA = (
    ("ordinary_profit_positive", "経常黒字化", "plan.targets.ordinary_profit_years"),
    ("real_net_assets_non_negative", "実質債務超過の解消", "plan.targets.real_net_assets_years"),
    ("debt_repayment_years", "債務償還年数", "plan.targets.debt_repayment_years"),
)


def _read_year(entry: Reader, name: str) -> dict[str, Any]:
    entry.check_keys({"label", *(key for key, _, _, _ in YEAR_FIELDS)})
    figures: dict[str, Any] = {}
    for key, what, signed, required in YEAR_FIELDS:
        figures[key] = entry.yen(
            key, f"{name}の{what}", required=required, allow_negative=signed, default=None if required else 0
        )
    return figures


def _read_years(reader: Reader, key: str, what: str, low: int, high: int) -> list[dict[str, Any]]:
    """The plan years or the actual years: a list of ``low``..``high`` objects with unique labels."""
    raw = reader.raw(key)
    if raw is None or raw == "":
        if low:
            reader.errors.add(key, f"{what}を{low}〜{high}年分入力してください。")
        return []
    if not isinstance(raw, list):
        reader.errors.add(key, f"{what}：一覧（配列）で、1年目から順に指定してください。")
        return []
    if not low <= len(raw) <= high:
        reader.errors.add(key, f"{what}：{low}〜{high}年分を入力してください（今は{len(raw)}年分）。")
        return []
    years = []
    labels: list[str | None] = []
    for index, (path, entry) in enumerate(reader.items(key, what)):
        label = read_label(entry, "label", f"{what}（{index + 1}件目）の年度の名前", "2027年3月期")
        labels.append(label)
        figures = _read_year(entry, label or f"{what}の{index + 1}件目")
        figures.update({"label": label, "path": path})
        years.append(figures)
    check_unique_labels(reader, key, labels, f"{what}の年度の名前")
    return years


def _check_year(errors: ErrorCollector, figures: dict[str, Any], name: str) -> None:
    depreciation, cost, sga = figures["depreciation"], figures["cost_of_sales"], figures["sga"]
    if None not in (depreciation, cost, sga) and depreciation > cost + sga:
        errors.add(
            f"{figures['path']}.depreciation",
            f"{name}の減価償却費{format_yen(depreciation)}が、売上原価と販管費の合計{format_yen(cost + sga)}を"
            "超えています。減価償却費は販管費（製造原価の分は売上原価）に含めたうえで、その内訳として入力してください。",
        )


def _check_borrowings(errors: ErrorCollector, opening: int | None, years: list[dict[str, Any]]) -> None:
    """A year cannot repay more than it owes: the balance never goes below zero."""
    balance = opening
    for figures in years:
        repayment, new_borrowing = figures["repayment"], figures["new_borrowing"]
        if balance is None or repayment is None or new_borrowing is None:
            return
        if balance - repayment + new_borrowing < 0:
            errors.add(
                f"{figures['path']}.repayment",
                f"{figures['label'] or 'この年'}の借入金の返済額{format_yen(repayment)}が、前年末の借入金"
                f"{format_yen(balance)}と新たな借入額{format_yen(new_borrowing)}の合計を超えています。",
            )
            return
        balance = balance - repayment + new_borrowing


def _read(request: Any) -> tuple[Any, dict[str, Any], ErrorCollector]:
    errors = ErrorCollector()
    reader = Reader(request, errors)
    reader.check_keys({"as_of", "company_name", "base", "years", "actuals"})
    as_of = reader.as_of()
    # The company name is only printed by the page above its tables; the figures never use it.
    name = reader.raw("company_name")
    if name not in (None, "") and (not isinstance(name, str) or len(name) > MAX_COMPANY_NAME_CHARS):
        errors.add("company_name", f"会社名：{MAX_COMPANY_NAME_CHARS}文字以内の文字で入力してください。")
    base: dict[str, Any] = {"adjustments": []}
    # A missing base (an empty form) names each of its figures, so each message lands beside its field.
    missing = reader.raw("base") is None
    child = (
        Reader({}, errors, "base", "計画の前の年（直近の決算）")
        if missing
        else reader.child("base", "計画の前の年（直近の決算）", required=True)
    )
    if child is not None:
        child.check_keys({"cash", "borrowings", "net_assets", "adjustments"})
        base["cash"] = child.yen("cash", "直近の決算の現預金", required=True)
        base["borrowings"] = child.yen("borrowings", "直近の決算の借入金", required=True)
        base["net_assets"] = child.yen("net_assets", "直近の決算の純資産", required=True, allow_negative=True)
        raw = child.raw("adjustments")
        if isinstance(raw, list) and len(raw) > MAX_ADJUSTMENTS:
            errors.add(
                "base.adjustments",
                f"実態修正：{MAX_ADJUSTMENTS}件までにしてください（今は{len(raw)}件）。似たものはまとめて入力できます。",
            )
        else:
            for index, (path, entry) in enumerate(child.items("adjustments", "実態修正")):
                entry.check_keys({"label", "amount"})
                label = read_label(entry, "label", f"実態修正（{index + 1}件目）の内容", "土地の含み損")
                amount = entry.yen(
                    "amount",
                    f"実態修正「{label or index + 1}」の金額（純資産を増やすものはプラス、減らすものはマイナス）",
                    required=True,
                    allow_negative=True,
                )
                base["adjustments"].append({"label": label, "amount": amount, "path": path})
    years = _read_years(reader, "years", "計画", MIN_YEARS, MAX_YEARS)
    actuals = _read_years(reader, "actuals", "実績", 0, MAX_YEARS)
    for figures in years + actuals:
        _check_year(errors, figures, figures["label"] or "この年")
    for entries in (years, actuals):
        _check_borrowings(errors, base.get("borrowings"), entries)
    plan_labels = [figures["label"] for figures in years]
    for index, actual in enumerate(actuals):
        label = actual["label"]
        if label is None or None in plan_labels or not years:
            continue
        if label not in plan_labels:
            errors.add(
                f"{actual['path']}.label",
                f"実績の年度「{label}」は計画にありません。計画の年度の名前（{'、'.join(plan_labels)}）に合わせてください。",
            )
        elif plan_labels.index(label) != index:
            errors.add(
                f"{actual['path']}.label",
                f"実績は計画の1年目から順に、終わった年の分を入力してください"
                f"（{index + 1}件目には「{plan_labels[index] if index < len(plan_labels) else '－'}」の実績を入れます）。",
            )
    return as_of, {"base": base, "years": years, "actuals": actuals}, errors


def _debt_years(net_debt: int, cash_flow: int) -> dict[str, Any]:
    if net_debt <= 0:
        return measure(
            Fraction(0),
            "0.0年",
            f"期末の現預金が借入金以上あり（実質借入金{format_yen(net_debt)}）、返すべき実質的な借入金はありません。",
        )
    if cash_flow <= 0:
        return measure(
            None,
            "",
            f"簡易キャッシュフロー（当期純利益＋減価償却費）が{format_yen(cash_flow)}で0円以下のため、"
            f"実質借入金{format_yen(net_debt)}を返す元手がなく、年数を計算できません。",
        )
    value = Fraction(net_debt, cash_flow)
    return measure(
        value,
        f"{decimal_text(value)}年",
        f"実質借入金{format_yen(net_debt)}（借入金−現預金） ÷ 簡易キャッシュフロー{format_yen(cash_flow)}",
    )


def _rows(base: dict[str, Any], years: list[dict[str, Any]]) -> list[dict[str, Any]]:
    borrowings: int = base["borrowings"]
    cash: int = base["cash"]
    net_assets: int = base["net_assets"] + sum(item["amount"] for item in base["adjustments"])
    rows = []
    for number, figures in enumerate(years, start=1):
        gross_profit = figures["sales"] - figures["cost_of_sales"]
        operating_profit = gross_profit - figures["sga"]
        ordinary_profit = (
            operating_profit + figures["non_operating_income"] - figures["non_operating_expenses"]
        )
        pretax_profit = ordinary_profit + figures["extraordinary"]
        net_income = pretax_profit - figures["tax"]
        cash_flow = net_income + figures["depreciation"]
        borrowings_end = borrowings - figures["repayment"] + figures["new_borrowing"]
        cash_end = (
            cash
            + cash_flow
            - figures["repayment"]
            + figures["new_borrowing"]
            - figures["capex"]
            - figures["working_capital_change"]
        )
        net_assets_end = net_assets + net_income
        net_debt = borrowings_end - cash_end
        rows.append(
            {
                "year": number,
                "label": figures["label"],
                **{key: figures[key] for key, _, _, _ in YEAR_FIELDS},
                "gross_profit": gross_profit,
                "operating_profit": operating_profit,
                "ordinary_profit": ordinary_profit,
                "pretax_profit": pretax_profit,
                "net_income": net_income,
                "cash_flow": cash_flow,
                "borrowings_start": borrowings,
                "borrowings_end": borrowings_end,
                "cash_start": cash,
                "cash_end": cash_end,
                "net_debt_end": net_debt,
                "real_net_assets_start": net_assets,
                "real_net_assets_end": net_assets_end,
                "debt_repayment_years": _debt_years(net_debt, cash_flow),
            }
        )
        borrowings, cash, net_assets = borrowings_end, cash_end, net_assets_end
    return rows


def _nth(number: int, label: str) -> str:
    """「3年目（2029年3月期）」; only 「3年目」 when the year is named just that (no 「3年目（3年目）」)."""
    return f"{number}年目" if label.strip() == f"{number}年目" else f"{number}年目（{label}）"


def _final(rows: list[dict[str, Any]]) -> str:
    """「最終年度（5年目、2031年3月期）」, or 「最終年度（5年目）」 when the year is named just that."""
    label = rows[-1]["label"]
    number = len(rows)
    return (
        f"最終年度（{number}年目）"
        if label.strip() == f"{number}年目"
        else f"最終年度（{number}年目、{label}）"
    )


def _holds_from(values: list[bool]) -> int | None:
    """The first index from which every value holds to the end; None when the last one fails."""
    start = None
    for index in range(len(values) - 1, -1, -1):
        if not values[index]:
            break
        start = index
    return start


def _ordinary_profit_criterion(rows: list[dict[str, Any]], target: int) -> dict[str, Any]:
    profits = [row["ordinary_profit"] for row in rows]
    start = _holds_from([profit > 0 for profit in profits])
    result: dict[str, Any] = {"year": rows[start]["label"] if start is not None else None, "shortfall": None}
    if start is not None and start + 1 <= target:
        when = "1年目から" if start == 0 else f"{_nth(start + 1, rows[start]['label'])}に黒字になり、"
        result.update(
            met=True,
            reason=f"経常利益は{when}最終年度まで黒字が続きます。目安の「{target}年以内に黒字化」に届いています。",
        )
        return result
    if start is None and len(rows) < target:
        result.update(
            met=None,
            reason=f"{_final(rows)}の経常利益が{format_yen(profits[-1])}で、"
            f"計画が{len(rows)}年分しかないため、目安の「{target}年以内に黒字化」に届くかは分かりません。"
            f"{target}年目までの計画を入力してください。",
        )
        return result
    later = rows[target - 1 :]
    worst = min(later, key=lambda row: row["ordinary_profit"])
    result["shortfall"] = -worst["ordinary_profit"]
    change = (
        f"{target}年目以降で最も低いのは{_nth(worst['year'], worst['label'])}の{format_yen(worst['ordinary_profit'])}です。"
        f"{target}年目から最終年度まで黒字を続けるには、この年の経常利益を{format_yen(result['shortfall'])}より多く改善する必要があります"
        "（売上の上積み、原価・経費の削減、支払利息の軽減など）。"
    )
    if start is None:
        result.update(
            met=False,
            reason=f"最終年度（{rows[-1]['label']}）の経常利益が{format_yen(profits[-1])}で、黒字が続く形になっていません。{change}",
        )
    else:
        result.update(
            met=False,
            reason=f"黒字が最終年度まで続くのは{_nth(start + 1, rows[start]['label'])}からで、目安の「{target}年以内」より遅れます。{change}",
        )
    return result


def _net_assets_criterion(rows: list[dict[str, Any]], start_value: int, target: int) -> dict[str, Any]:
    ends = [row["real_net_assets_end"] for row in rows]
    result: dict[str, Any] = {"year": None, "shortfall": None}
    if start_value >= 0 and all(value >= 0 for value in ends):
        result.update(
            met=True,
            reason=f"計画の初め（実質純資産{format_yen(start_value)}）から最終年度まで、実質債務超過になる年はありません。",
        )
        return result
    start = _holds_from([value >= 0 for value in ends])
    if start is not None:
        result["year"] = rows[start]["label"]
        if start + 1 <= target:
            result.update(
                met=True,
                reason=f"実質純資産は{_nth(start + 1, rows[start]['label'])}に0円以上になり、最終年度まで続きます"
                f"（最終年度{format_yen(ends[-1])}）。目安の「{target}年以内に解消」に届いています。",
            )
            return result
    if start is None and len(rows) < target:
        result.update(
            met=None,
            reason=f"{_final(rows)}でも実質純資産が{format_yen(ends[-1])}で、"
            f"まだ実質債務超過です。計画が{len(rows)}年分しかないため、目安の「{target}年以内」に届くかは分かりません。"
            f"{target}年目までの計画を入力してください。",
        )
        return result
    later = rows[target - 1 :]
    worst = min(later, key=lambda row: row["real_net_assets_end"])
    result["shortfall"] = -worst["real_net_assets_end"]
    change = (
        f"{target}年目以降で最も低いのは{_nth(worst['year'], worst['label'])}の{format_yen(worst['real_net_assets_end'])}です。"
        f"{target}年目までに解消するには、それまでの当期純利益の合計を{format_yen(result['shortfall'])}以上増やすか、"
        "資本の増強などで純資産を厚くする必要があります。"
    )
    if start is None:
        reason = f"最終年度（{rows[-1]['label']}）でも実質純資産が{format_yen(ends[-1])}で、実質債務超過が解消しません。"
    else:
        reason = f"実質債務超過の解消は{_nth(start + 1, rows[start]['label'])}で、目安の「{target}年以内」より遅れます。"
    result.update(met=False, reason=reason + change)
    return result


def _debt_criterion(rows: list[dict[str, Any]], target: int) -> dict[str, Any]:
    def within(row: dict[str, Any]) -> bool:
        exact = row["debt_repayment_years"]["exact"]
        return exact is not None and Fraction(exact) <= target

    last = rows[-1]
    start = _holds_from([within(row) for row in rows])
    result: dict[str, Any] = {"year": rows[start]["label"] if start is not None else None, "shortfall": None}
    shown = last["debt_repayment_years"]
    if start is not None:
        since = (
            ""
            if start == len(rows) - 1
            else f"（{_nth(start + 1, rows[start]['label'])}から続けて{target}年以下）"
        )
        result.update(
            met=True,
            reason=f"最終年度（{last['label']}）の債務償還年数は{shown['display']}で、目安の「{target}年以下」に届いています{since}。",
        )
        return result
    net_debt, cash_flow = last["net_debt_end"], last["cash_flow"]
    needed = -(-net_debt // target)  # the cash flow at which net debt ÷ cash flow is target or less
    result["shortfall"] = needed - cash_flow
    now = (
        f"{shown['display']}で、目安の「{target}年以下」を超えています"
        if shown["value"] is not None
        else f"計算できません（{shown['reason']}）"
    )
    result.update(
        met=False,
        reason=f"最終年度（{last['label']}）の債務償還年数は{now}。"
        f"実質借入金{format_yen(net_debt)}を{target}年で返すには、最終年度の簡易キャッシュフローが{format_yen(needed)}以上"
        f"（今より{format_yen(result['shortfall'])}多く）必要です。利益を増やすか、"
        f"実質借入金を{format_yen(net_debt - target * max(cash_flow, 0))}減らす必要があります。",
    )
    return result


def _compare(plan_rows: list[dict[str, Any]], actual_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    compared = []
    for plan, actual in zip(plan_rows, actual_rows, strict=False):
        compared.append(
            {
                "year": plan["year"],
                "label": plan["label"],
                "lines": [
                    {
                        "key": key,
                        "label": label,
                        "plan": plan[key],
                        "actual": actual[key],
                        "difference": actual[key] - plan[key],
                    }
                    for key, label in LINES
                ],
                "debt_repayment_years": {
                    "plan": plan["debt_repayment_years"],
                    "actual": actual["debt_repayment_years"],
                },
            }
        )
    return compared


def check(request: Any) -> dict[str, Any]:
    """Each plan year's profit, cash, debt and real net assets, and the three targets."""
    as_of, parsed, errors = _read(request)
    errors.raise_if_any()
    rules = RuleSet(as_of)
    base, years, actuals = parsed["base"], parsed["years"], parsed["actuals"]
    rows = _rows(base, years)
    adjustments_total = sum(item["amount"] for item in base["adjustments"])
    start_net_assets = base["net_assets"] + adjustments_total
    targets = {key: int(rules.value(parameter)) for key, _, parameter in CRITERIA}
    found = {
        "ordinary_profit_positive": _ordinary_profit_criterion(rows, targets["ordinary_profit_positive"]),
        "real_net_assets_non_negative": _net_assets_criterion(
            rows, start_net_assets, targets["real_net_assets_non_negative"]
        ),
        "debt_repayment_years": _debt_criterion(rows, targets["debt_repayment_years"]),
    }
    target_texts = {
        "ordinary_profit_positive": f"計画{targets['ordinary_profit_positive']}年目までに経常利益を黒字にし、その後も黒字を続ける",
        "real_net_assets_non_negative": f"計画{targets['real_net_assets_non_negative']}年目までに実質債務超過（実質純資産のマイナス）を解消し、その後も続ける",
        "debt_repayment_years": f"計画の最終年度の債務償還年数をおおむね{targets['debt_repayment_years']}年以下にする",
    }
    criteria = {
        key: {
            "label": label,
            "met": found[key]["met"],
            "year": found[key]["year"],
            "target": targets[key],
            "target_text": target_texts[key],
            "shortfall": found[key]["shortfall"],
            "reason": found[key]["reason"],
            "parameter": parameter,
        }
        for key, label, parameter in CRITERIA
    }
    actual_rows = _rows(base, actuals) if actuals else []
    warnings = [
        {
            "code": "cash_negative",
            "message": f"{_nth(row['year'], row['label'])}の期末の現預金が{format_yen(row['cash_end'])}でマイナスです。"
            "資金が足りなくなるため、借入や支払の時期を資金繰り表で確かめてください。",
        }
        for row in rows
        if row["cash_end"] < 0
    ]
    explanation = [
        f"計画は{rows[0]['label']}から{rows[-1]['label']}までの{len(rows)}年分です。"
        f"計画の前の年（直近の決算）の現預金{format_yen(base['cash'])}・借入金{format_yen(base['borrowings'])}から始めています。",
        f"実質純資産は、直近の決算の純資産{format_yen(base['net_assets'])}"
        + (
            "に実態修正（"
            + "、".join(f"{item['label']} {format_yen(item['amount'])}" for item in base["adjustments"])
            + f"）の合計{format_yen(adjustments_total)}を加えた{format_yen(start_net_assets)}"
            if base["adjustments"]
            else ""
        )
        + "から始め、毎年の当期純利益を加えています。",
        "営業利益＝売上高−売上原価−販管費、経常利益＝営業利益＋営業外収益−営業外費用、"
        "税引前当期純利益＝経常利益＋特別損益、当期純利益＝税引前当期純利益−法人税等です。",
        "簡易キャッシュフロー＝当期純利益＋減価償却費。期末の借入金＝前年の残高−返済＋新たな借入、"
        "期末の現預金＝前年の残高＋簡易キャッシュフロー−返済＋新たな借入−設備投資−運転資金の増加です。",
        "債務償還年数＝（期末の借入金−期末の現預金）÷簡易キャッシュフロー。実質借入金が0円以下なら0年、"
        "簡易キャッシュフローが0円以下なら計算できません。",
    ]
    marks = {True: "○", False: "×", None: "？"}
    for key, label, _ in CRITERIA:
        explanation.append(f"{marks[criteria[key]['met']]} {label}：{criteria[key]['reason']}")
    if actuals:
        explanation.append(
            f"実績を入力した{len(actuals)}年分（{'、'.join(a['label'] for a in actuals)}）は、計画・実績・差異（実績−計画）を並べています。"
            "3つの目安は計画の数字で確かめています。"
        )
    notes = [
        "3つの目安（経常黒字化・実質債務超過の解消・債務償還年数）は、中小企業活性化協議会が支援する再生計画の基準として"
        "中小企業庁が示し、金融機関も計画を見るときの物差しにしてきたものです（もとは2019年に廃止された金融検査マニュアルの考え方）。",
        "どれも目安です。協議会と金融機関は、業種や事情を踏まえて計画ごとに判断します。届かない目安があっても、"
        "理由と見通しを説明できれば認められることがあり、届いていても計画が認められるとは限りません。",
        "年数は、計画1年目（計画ができた後に最初に始まる事業年度）を1年目として数えています。",
    ]
    response: dict[str, Any] = {
        "tool": "plan",
        "lines": [{"key": key, "label": label} for key, label in LINES],
        "base": {
            "cash": base["cash"],
            "borrowings": base["borrowings"],
            "net_assets": base["net_assets"],
            "adjustments": [{"label": a["label"], "amount": a["amount"]} for a in base["adjustments"]],
            "adjustments_total": adjustments_total,
            "real_net_assets": start_net_assets,
        },
        "rows": rows,
        "criteria": criteria,
        "actuals": _compare(rows, actual_rows),
        "warnings": warnings,
        "notes": notes,
        "explanation": explanation,
    }
    return rules.cite(response)
