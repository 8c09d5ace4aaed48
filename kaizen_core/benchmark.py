"""財務の健康診断: the six financial indicators of ローカルベンチマーク (経済産業省) for 1–3 fiscal years.

Request: ``{"as_of", "periods": [{period}, …]}``, one to three fiscal years, oldest first. Each period
has ``label``, ``sales``, ``operating_profit``, ``depreciation``, ``employees``, ``borrowings``,
``cash``, ``receivables``, ``inventory``, ``payables``, ``net_assets`` and ``total_assets``; the first
may also have ``previous_sales``. Amounts use the Japanese number parser (``営業利益`` and ``純資産``
may be negative); ``employees`` is a count.

Each indicator is computed as an exact fraction and returned as a measure (see
:mod:`kaizen_core.figures`): ratios as fractions (0.052 for 5.2%), ``labour_productivity`` in yen per
person, ``ebitda_debt_ratio`` in times, ``working_capital_months`` in months. Where the formula has no
meaning the value is null with the reason: 売上高 0 (operating margin, working capital), previous
sales missing or 0 (growth), EBITDA ≤ 0, 従業員 0, 総資産 0. ``trend`` compares each indicator with
the previous period in the direction that counts as better for it (from the dated parameter
``benchmark.indicators``). METI's own sheet also scores each indicator against industry values that
are not public; this tool does not.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kaizen_core.errors import ErrorCollector
from kaizen_core.figures import (
    check_unique_labels,
    decimal_text,
    measure,
    percent_text,
    read_label,
    yen_text,
)
from kaizen_core.numbers import format_yen
from kaizen_core.params import ParameterDataError, RuleSet
from kaizen_core.request import Reader

MIN_PERIODS, MAX_PERIODS = 1, 3
MONTHS_PER_YEAR = 12
INDICATORS = (
    "sales_growth",
    "operating_margin",
    "labour_productivity",
    "ebitda_debt_ratio",
    "working_capital_months",
    "equity_ratio",
)
# (key, label, may be negative); employees is read as a count.
FIELDS = (
    ("sales", "売上高", False),
    ("operating_profit", "営業利益", True),
    ("depreciation", "減価償却費", False),
    ("employees", "従業員数", False),
    ("borrowings", "借入金（有利子負債）", False),
    ("cash", "現預金", False),
    ("receivables", "売上債権（売掛金・受取手形）", False),
    ("inventory", "棚卸資産（在庫）", False),
    ("payables", "買入債務（買掛金・支払手形）", False),
    ("net_assets", "純資産", True),
    ("total_assets", "総資産", False),
)
PREVIOUS_SALES_LABEL = "前期の売上高"
TRENDS = {"better": "改善", "worse": "悪化", "same": "横ばい"}
# What each indicator tells a lender, in our own words (shown with the results).
MEANINGS = {
    "sales_growth": "売上が前の期からどれだけ伸びたか。事業が伸びているか縮んでいるかを見ます。",
    "operating_margin": "売上のうち本業のもうけ（営業利益）として残る割合。本業で稼ぐ力を見ます。",
    "labour_productivity": "従業員1人あたりの営業利益。人手に見合った稼ぎがあるかを見ます。",
    "ebitda_debt_ratio": "手元資金を差し引いた借入金が、本業で生むお金（営業利益＋減価償却費）の何年分か。"
    "借入金を返す力を見ます。小さいほど返しやすく、マイナスは借入金より現預金が多いことを示します。",
    "working_capital_months": "売掛金と在庫から買掛金を引いた運転資金が、月商の何か月分か。"
    "小さいほどお金が早く回り、急に伸びたときは回収の遅れや在庫の積み上がりを疑います。",
    "equity_ratio": "総資産のうち返す必要のないお金（純資産）の割合。不況に耐える力を見ます。"
    "マイナスは債務超過です。",
}


def _read(request: Any) -> tuple[Any, list[dict[str, Any]], ErrorCollector]:
    errors = ErrorCollector()
    reader = Reader(request, errors)
    reader.check_keys({"as_of", "periods"})
    as_of = reader.as_of()
    periods: list[dict[str, Any]] = []
    raw = reader.raw("periods")
    if raw is None or raw == "":
        errors.add("periods", f"決算の数字を{MIN_PERIODS}〜{MAX_PERIODS}期分入力してください。")
        return as_of, periods, errors
    if not isinstance(raw, list):
        errors.add("periods", "決算期：一覧（配列）で、古い期から順に指定してください。")
        return as_of, periods, errors
    if not MIN_PERIODS <= len(raw) <= MAX_PERIODS:
        errors.add(
            "periods",
            f"決算期：{MIN_PERIODS}〜{MAX_PERIODS}期分を入力してください（今は{len(raw)}期分）。",
        )
        return as_of, periods, errors
    labels: list[str | None] = []
    for index, (path, entry) in enumerate(reader.items("periods", "決算期")):
        if raw[index] is None:  # an empty column between filled ones: one message, not twelve
            errors.add(
                path,
                f"{index + 1}期目の数字がありません。古い期から順に、空の列を挟まずに入力してください。",
            )
            labels.append(None)
            continue
        entry.check_keys({"label", *(key for key, _, _ in FIELDS), "previous_sales"})
        label = read_label(entry, "label", f"{index + 1}期目の決算期の名前")
        labels.append(label)
        name = label or f"{index + 1}期目"
        figures: dict[str, Any] = {"label": label}
        for key, what, signed in FIELDS:
            if key == "employees":
                figures[key] = entry.count(key, f"{name}の{what}", required=True)
            else:
                figures[key] = entry.yen(key, f"{name}の{what}", required=True, allow_negative=signed)
        figures["previous_sales"] = None
        if index == 0:
            figures["previous_sales"] = entry.yen("previous_sales", f"{name}の{PREVIOUS_SALES_LABEL}")
        elif entry.has("previous_sales"):
            errors.add(
                f"{path}.previous_sales",
                f"{PREVIOUS_SALES_LABEL}は最初の期（1期目）にだけ入力できます。"
                "2期目からは、一つ前の期の売上高と比べます。",
            )
        periods.append(figures)
    check_unique_labels(reader, "periods", labels, "決算期の名前")
    return as_of, periods, errors


def _indicator_table(rules: RuleSet) -> dict[str, dict[str, Any]]:
    table = rules.value("benchmark.indicators")
    keys = tuple(row.get("key") for row in table)
    if keys != INDICATORS:
        raise ParameterDataError(f"benchmark.indicators must list {INDICATORS}, got {keys}")
    for row in table:
        if row.get("better") not in ("higher", "lower"):
            raise ParameterDataError(f"benchmark.indicators: {row['key']} needs better = higher|lower")
        floor = row.get("same_at_or_below")
        if floor is not None and (isinstance(floor, bool) or not isinstance(floor, int)):
            raise ParameterDataError(
                f"benchmark.indicators: {row['key']} same_at_or_below must be an integer"
            )
    return {row["key"]: row for row in table}


def _sales_growth(sales: int, previous: int | None, previous_name: str) -> dict[str, Any]:
    if previous is None:
        return measure(
            None,
            "",
            "前期の売上高がないため計算できません（最初の期は「前期の売上高」を入力すると計算します）。",
        )
    if previous == 0:
        return measure(None, "", f"{previous_name}の売上高が0円のため、増加率を計算できません。")
    value = Fraction(sales, previous) - 1
    return measure(
        value,
        percent_text(value),
        f"売上高{format_yen(sales)} ÷ {previous_name}の売上高{format_yen(previous)} − 1",
    )


def _operating_margin(sales: int, profit: int) -> dict[str, Any]:
    if sales == 0:
        return measure(None, "", "売上高が0円のため、営業利益率を計算できません。")
    value = Fraction(profit, sales)
    return measure(value, percent_text(value), f"営業利益{format_yen(profit)} ÷ 売上高{format_yen(sales)}")


def _labour_productivity(profit: int, employees: int) -> dict[str, Any]:
    if employees == 0:
        return measure(None, "", "従業員数が0人のため、1人あたりの営業利益を計算できません。")
    value = Fraction(profit, employees)
    return measure(value, f"{yen_text(value)}／人", f"営業利益{format_yen(profit)} ÷ 従業員数{employees:,}人")


def _ebitda_debt_ratio(figures: dict[str, int]) -> dict[str, Any]:
    ebitda = figures["operating_profit"] + figures["depreciation"]
    net_debt = figures["borrowings"] - figures["cash"]
    if ebitda <= 0:
        return measure(
            None,
            "",
            f"EBITDA（営業利益{format_yen(figures['operating_profit'])}＋減価償却費"
            f"{format_yen(figures['depreciation'])}）が{format_yen(ebitda)}で0円以下のため、"
            "倍率に意味がありません（借入金を返す元手となる本業のお金が生まれていません）。",
        )
    value = Fraction(net_debt, ebitda)
    reason = (
        f"（借入金{format_yen(figures['borrowings'])} − 現預金{format_yen(figures['cash'])}）"
        f" ÷ （営業利益{format_yen(figures['operating_profit'])} ＋ 減価償却費{format_yen(figures['depreciation'])}）"
    )
    if net_debt <= 0:
        reason += "。現預金が借入金以上あり、実質的な借入金はありません。"
    return measure(value, f"{decimal_text(value)}倍", reason)


def _working_capital_months(figures: dict[str, int]) -> dict[str, Any]:
    sales = figures["sales"]
    if sales == 0:
        return measure(None, "", "売上高が0円のため、月商の何か月分かを計算できません。")
    working_capital = figures["receivables"] + figures["inventory"] - figures["payables"]
    value = Fraction(working_capital * MONTHS_PER_YEAR, sales)
    return measure(
        value,
        f"{decimal_text(value)}か月",
        f"（売上債権{format_yen(figures['receivables'])} ＋ 棚卸資産{format_yen(figures['inventory'])}"
        f" − 買入債務{format_yen(figures['payables'])}） ÷ （売上高{format_yen(sales)} ÷ {MONTHS_PER_YEAR}）",
    )


def _equity_ratio(net_assets: int, total_assets: int) -> dict[str, Any]:
    if total_assets == 0:
        return measure(None, "", "総資産が0円のため、自己資本比率を計算できません。")
    value = Fraction(net_assets, total_assets)
    reason = f"純資産{format_yen(net_assets)} ÷ 総資産{format_yen(total_assets)}"
    if net_assets < 0:
        reason += "。純資産がマイナス（債務超過）です。"
    return measure(value, percent_text(value), reason)


def _trend(previous: dict[str, Any] | None, current: dict[str, Any], row: dict[str, Any]) -> str | None:
    """Better, worse or same in the indicator's own direction; None when either value is missing.

    Where both values sit at or below the row's ``same_at_or_below`` (EBITDA有利子負債倍率 ≤ 0:
    実質無借金 in both years) the size says nothing about repaying power: a negative ratio moves
    towards 0 when profit grows as well as when cash shrinks. Such a pair is "same".
    """
    if previous is None or previous["exact"] is None or current["exact"] is None:
        return None
    before, after = Fraction(previous["exact"]), Fraction(current["exact"])
    floor = row.get("same_at_or_below")
    if after == before or (floor is not None and before <= floor and after <= floor):
        return "same"
    return "better" if (after > before) == (row["better"] == "higher") else "worse"


def _warnings(name: str, figures: dict[str, int]) -> list[dict[str, str]]:
    found = []
    if figures["net_assets"] > figures["total_assets"]:
        found.append(
            {
                "code": "net_assets_above_total_assets",
                "message": f"{name}：純資産{format_yen(figures['net_assets'])}が総資産"
                f"{format_yen(figures['total_assets'])}より大きくなっています。負債はマイナスにならないため、"
                "数字を確かめてください。",
            }
        )
    current = figures["cash"] + figures["receivables"] + figures["inventory"]
    if current > figures["total_assets"]:
        found.append(
            {
                "code": "assets_above_total_assets",
                "message": f"{name}：現預金・売上債権・棚卸資産の合計{format_yen(current)}が総資産"
                f"{format_yen(figures['total_assets'])}より大きくなっています。数字を確かめてください。",
            }
        )
    return found


def _indicators(
    figures: dict[str, Any],
    previous: dict[str, Any] | None,
    previous_result: dict[str, Any] | None,
    table: Any,
) -> dict[str, dict[str, Any]]:
    """One period's six indicators, each with its change from the period before."""
    if previous is None:
        growth = _sales_growth(figures["sales"], figures["previous_sales"], "前期")
    else:
        growth = _sales_growth(figures["sales"], previous["sales"], previous["label"])
    indicators = {
        "sales_growth": growth,
        "operating_margin": _operating_margin(figures["sales"], figures["operating_profit"]),
        "labour_productivity": _labour_productivity(figures["operating_profit"], figures["employees"]),
        "ebitda_debt_ratio": _ebitda_debt_ratio(figures),
        "working_capital_months": _working_capital_months(figures),
        "equity_ratio": _equity_ratio(figures["net_assets"], figures["total_assets"]),
    }
    for key, indicator in indicators.items():
        before = previous_result[key] if previous_result is not None else None
        change = _trend(before, indicator, table[key])
        indicator["trend"] = change
        indicator["trend_label"] = TRENDS[change] if change else None
        if change == "same" and before is not None and before["exact"] != indicator["exact"]:
            # only a same_at_or_below row (EBITDA有利子負債倍率 ≤ 0) is "same" with two values
            indicator["reason"] += (
                "前期も実質無借金（倍率0以下）のため、倍率の大小では比べず「横ばい」としています"
                "（マイナスの倍率は、営業利益が増えても0に近づくためです）。"
            )
    return indicators


def _figures(figures: dict[str, Any]) -> dict[str, int]:
    """The figures as read, so that a caller (the page's link to 数値計画チェック) need not parse again."""
    return {
        "borrowings": figures["borrowings"],
        "cash": figures["cash"],
        "net_assets": figures["net_assets"],
        "ebitda": figures["operating_profit"] + figures["depreciation"],
        "net_debt": figures["borrowings"] - figures["cash"],
        "working_capital": figures["receivables"] + figures["inventory"] - figures["payables"],
    }


def _explanation(results: list[dict[str, Any]], table: Any, trend: dict[str, str | None]) -> list[str]:
    """Each indicator over the periods, the reasons of those without a value, and what changed."""
    explanation = [
        f"{'、'.join(r['label'] for r in results)}の決算の数字から、ローカルベンチマーク（経済産業省）の"
        "6つの財務指標を計算しました。",
    ]
    for key in INDICATORS:
        row = table[key]
        shown = "、".join(f"{r['label']} {r[key]['display']}" for r in results)
        explanation.append(f"{row['label']}（{row['formula']}）：{shown}。")
    explanation.extend(
        f"{r['label']}の{table[key]['label']}：{r[key]['reason']}"
        for r in results
        for key in INDICATORS
        if r[key]["value"] is None
    )
    if len(results) > 1:
        changes = {
            name: [table[key]["label"] for key in INDICATORS if trend[key] == code]
            for code, name in TRENDS.items()
        }
        said = [f"{name}：{'、'.join(labels)}" for name, labels in changes.items() if labels]
        if said:
            explanation.append(
                f"{results[-2]['label']}と比べた{results[-1]['label']}の変化（{'、'.join(said)}）。"
                "EBITDA有利子負債倍率と営業運転資本回転期間は小さくなれば改善、ほかの指標は大きくなれば改善としています"
                "（EBITDA有利子負債倍率が両方の期で0以下、つまり実質無借金のときは横ばいとします）。"
            )
    return explanation


def diagnose(request: Any) -> dict[str, Any]:
    """The six indicators for each period, their trends, and what they mean."""
    as_of, periods, errors = _read(request)
    errors.raise_if_any()
    rules = RuleSet(as_of)
    table = _indicator_table(rules)
    results: list[dict[str, Any]] = []
    warnings: list[dict[str, str]] = []
    previous: dict[str, Any] | None = None
    for figures in periods:
        indicators = _indicators(figures, previous, results[-1] if results else None, table)
        results.append({"label": figures["label"], **indicators, "figures": _figures(figures)})
        warnings.extend(_warnings(figures["label"], figures))
        previous = figures
    trend = {key: results[-1][key]["trend"] for key in INDICATORS}
    explanation = _explanation(results, table, trend)
    notes = [
        "経済産業省のローカルベンチマークのシートは、各指標を業種ごとの基準値と比べて点数をつけます。"
        "その基準値は公表されていないため、このツールは点数をつけず、計算式どおりの値と前期との比較だけを示します。"
        "点数が必要なときは、経済産業省のページから公式のシート（Excel）を入手してください。",
        "値は正確な分数のまま比べ、表示だけを小数点以下1桁（労働生産性は1円単位）に四捨五入しています。",
        "借入金は有利子負債（短期・長期の借入金、社債など）、EBITDAは営業利益＋減価償却費で計算しています。",
    ]
    response: dict[str, Any] = {
        "tool": "benchmark",
        "periods": results,
        "indicators": [
            {
                "key": key,
                "label": table[key]["label"],
                "formula": table[key]["formula"],
                "unit": table[key]["unit"],
                "better": table[key]["better"],
                "meaning": MEANINGS[key],
            }
            for key in INDICATORS
        ],
        "trend": trend,
        "warnings": warnings,
        "notes": notes,
        "explanation": explanation,
    }
    return rules.cite(response)
