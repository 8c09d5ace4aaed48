"""The downturn test (業況悪化の判定): sales or margins down 5% or more.

From 2022-04-01 a past user could use the programmes again when COVID-19, the situation in
Ukraine, or higher crude oil, raw material or energy costs had worsened its results. The same
tests are used elsewhere (e.g. 日本政策金融公庫's loans), so the tool is useful on its own.
All ratios are exact fractions; 5.00% passes ("以上" is inclusive).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kaizen_core.errors import ErrorCollector, InputError
from kaizen_core.numbers import Month, format_date, format_percent, parse_month, parse_yen, shorten
from kaizen_core.params import RuleSet
from kaizen_core.request import Reader

CAUSES = {
    "covid": "新型コロナウイルス感染症",
    "energy": "原油価格上昇をはじめとした原材料・エネルギーコスト増",
    "ukraine": "ウクライナ情勢の変化",
}
CAUSE_ALIASES = {
    "コロナ": "covid",
    "新型コロナ": "covid",
    "原油価格": "energy",
    "原油価格の高騰": "energy",
    "原材料": "energy",
    "エネルギー": "energy",
    "原材料・エネルギーコスト増": "energy",
    "ウクライナ": "ukraine",
    "ウクライナ情勢": "ukraine",
}
METHODS = {
    1: "①直近の決算と前期の決算",
    2: "②最近の試算表と前年同期の試算表",
    3: "③最近の試算表と直近の決算",
}
# How a margin entry's method may be written: 1, "1" or its circled mark ① (the mark leads its name).
METHOD_WORDS = {**{str(m): m for m in METHODS}, **{name[0]: m for m, name in METHODS.items()}}
MARGINS = {"gross": ("gross_profit", "売上高総利益率"), "operating": ("operating_profit", "売上高営業利益率")}
FIGURE_LABELS = {
    "sales": "売上高",
    "gross_profit": "売上総利益（粗利益）",
    "operating_profit": "営業利益",
    "months": "対象の月数",
}
STATUS_RESULT = {"met": True, "not_met": False, "undetermined": None, "not_applicable": None}


def _ratio_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _decline(before: Fraction, after: Fraction) -> Fraction:
    return (before - after) / before


def _read(request: Any) -> tuple[dict[str, Any], ErrorCollector]:
    errors = ErrorCollector()
    reader = Reader(request, errors)
    reader.check_keys({"cause", "as_of", "sales", "latest_month", "margins"})
    cause = reader.choice("cause", "業況悪化の原因", CAUSES, required=True, aliases=CAUSE_ALIASES)
    as_of = reader.as_of()
    sales: dict[Month, int] = {}
    raw_sales = reader.mapping("sales", "月別の売上高")
    for key, value in (raw_sales or {}).items():
        field = f"sales.{key}"
        try:
            month = parse_month(key, field, f"売上高の年月「{shorten(key)}」")
            amount = parse_yen(value, field, f"{month.label()}の売上高")
        except InputError as error:
            errors.extend(error)
            continue
        if month in sales:
            errors.add(field, f"{month.label()}の売上高が2回入力されています。")
            continue
        sales[month] = amount
    latest = reader.month("latest_month", "最近の月（判定する最新の月）")
    if latest is None and sales and not errors.has("latest_month"):
        latest = max(sales)
    if latest is not None and sales and latest not in sales:
        errors.add("latest_month", f"最近の月：{latest.label()}の売上高が入力されていません。")
    margins = []
    for path, entry in reader.items("margins", "利益率の比較"):
        entry.check_keys({"method", "current", "comparison"})
        method_raw = entry.raw("method")
        method = method_raw if isinstance(method_raw, int) and not isinstance(method_raw, bool) else None
        if isinstance(method_raw, str):
            method = METHOD_WORDS.get(method_raw.strip())
        if method not in METHODS:
            errors.add(
                f"{path}.method",
                "比較の方法：1（①決算どうし）・2（②試算表と前年同期）・3（③試算表と直近の決算）のどれかです。",
            )
            method = None
        periods = {}
        for side, side_label in (("current", "最近の期間"), ("comparison", "比較する期間")):
            figures = entry.child(side, side_label, required=True)
            if figures is None:
                continue
            figures.check_keys(set(FIGURE_LABELS))
            values = {
                "sales": figures.yen("sales", f"{side_label}の売上高", required=True),
                "gross_profit": figures.yen("gross_profit", f"{side_label}の売上総利益", allow_negative=True),
                "operating_profit": figures.yen(
                    "operating_profit", f"{side_label}の営業利益", allow_negative=True
                ),
                "months": figures.count("months", f"{side_label}の月数", required=True),
            }
            months = values["months"]
            if months is not None and not 1 <= months <= 12:
                errors.add(
                    f"{path}.{side}.months", f"{side_label}の月数：1〜12か月で入力してください（{months}）。"
                )
            periods[side] = values
        if len(periods) == 2:
            for figure, margin_label in MARGINS.values():
                # a figure typed but unreadable has its own message; do not also call it missing
                has = [
                    periods[side][figure] is not None or errors.has(f"{path}.{side}.{figure}")
                    for side in ("current", "comparison")
                ]
                if has[0] != has[1]:
                    side = "comparison" if has[0] else "current"
                    errors.add(
                        f"{path}.{side}.{figure}",
                        f"{margin_label}を比べるには、両方の期間の{FIGURE_LABELS[figure]}が必要です。",
                    )
            if all(
                periods[side][f] is None for side in periods for f in ("gross_profit", "operating_profit")
            ):
                errors.add(
                    f"{path}.current.gross_profit",
                    "売上総利益か営業利益のどちらかを、両方の期間について入力してください。",
                )
        margins.append({"path": path, "method": method, **periods})
    if not sales and not margins and not errors.errors:
        errors.add("sales", "月別の売上高か、利益率を比べる決算・試算表の数字のどちらかを入力してください。")
    return {"cause": cause, "as_of": as_of, "sales": sales, "latest": latest, "margins": margins}, errors


def _comparison_months(latest: Month, years: int) -> list[Month]:
    return [latest.add(-12 * k) for k in range(1, years + 1)]


def _sales_latest_test(
    sales: dict[Month, int], latest: Month | None, years: int, threshold: Fraction
) -> dict[str, Any]:
    test: dict[str, Any] = {"id": "sales_latest_month", "label": "最近1か月の売上高", "kind": "sales"}
    if latest is None or latest not in sales:
        return {
            **test,
            "status": "not_applicable",
            "comparisons": [],
            "reason": "売上高の入力がないため判定していません。",
        }
    current = sales[latest]
    test["current"] = {"period": str(latest), "period_label": latest.label(), "value": current}
    return _compare_sales(
        test, current, [(month, [month]) for month in _comparison_months(latest, years)], sales, threshold
    )


def _sales_average_test(
    sales: dict[Month, int], latest: Month | None, years: int, span: int, threshold: Fraction
) -> dict[str, Any]:
    test: dict[str, Any] = {
        "id": "sales_six_month_average",
        "label": f"過去{span}か月（最近1か月を含む）の平均売上高",
        "kind": "sales",
    }
    if latest is None or latest not in sales:
        return {
            **test,
            "status": "not_applicable",
            "comparisons": [],
            "reason": "売上高の入力がないため判定していません。",
        }
    window = [latest.add(-offset) for offset in range(span - 1, -1, -1)]
    missing = [m for m in window if m not in sales]
    if missing:
        return {
            **test,
            "status": "not_applicable",
            "comparisons": [],
            "reason": f"{window[0].label()}〜{latest.label()}の{span}か月分が揃っていません（{missing[0].label()}など）。",
        }
    total = sum(sales[m] for m in window)
    test["current"] = {
        "period": f"{window[0]}/{latest}",
        "period_label": f"{window[0].label()}〜{latest.label()}",
        "value": total,
        "average": _ratio_text(Fraction(total, span)),
        "average_yen": total // span,
    }
    candidates = []
    for k in range(1, years + 1):
        months = [m.add(-12 * k) for m in window]
        candidates.append((months[-1], months))
    return _compare_sales(test, total, candidates, sales, threshold, span=span)


def _compare_sales(
    test: dict[str, Any],
    current: int,
    candidates: list[tuple[Month, list[Month]]],
    sales: dict[Month, int],
    threshold: Fraction,
    span: int = 1,
) -> dict[str, Any]:
    comparisons: list[dict[str, Any]] = []
    for anchor, months in candidates:
        label = months[0].label() if span == 1 else f"{months[0].label()}〜{months[-1].label()}"
        if any(m not in sales for m in months):
            comparisons.append(
                {
                    "period": str(anchor),
                    "period_label": label,
                    "value": None,
                    "meets": None,
                    "reason": "比較する月の売上高が入力されていません。",
                }
            )
            continue
        before = sum(sales[m] for m in months)
        entry: dict[str, Any] = {
            "period": str(anchor) if span == 1 else f"{months[0]}/{months[-1]}",
            "period_label": label,
            "value": before,
        }
        if span > 1:
            entry["average_yen"] = before // span
        if before <= 0:
            entry.update(
                {"meets": None, "reason": "比較する時期の売上高が0円のため、減少率を計算できません。"}
            )
        else:
            decline = _decline(Fraction(before), Fraction(current))
            entry.update(
                {
                    "decline": _ratio_text(decline),
                    "decline_percent": format_percent(decline),
                    "meets": decline >= threshold,
                }
            )
        comparisons.append(entry)
    test["comparisons"] = comparisons
    compared = [c for c in comparisons if c["value"] is not None]
    if not compared:
        test.update(
            {
                "status": "not_applicable",
                "reason": "比較する時期の売上高が入力されていないため判定していません。",
            }
        )
        return test
    met = [c for c in compared if c["meets"] is True]
    if met:
        best = max(met, key=lambda c: Fraction(c["decline"]))
        test.update(
            {
                "status": "met",
                "comparison_used": best["period"],
                "reason": f"{best['period_label']}と比べて{best['decline_percent']}減少しており、{format_percent(threshold)}以上です。",
            }
        )
    elif any(c["meets"] is None for c in compared):
        test.update(
            {
                "status": "undetermined",
                "reason": "比較する時期の売上高が0円で、減少率を計算できない時期があります（要相談）。",
            }
        )
    else:
        best = max(compared, key=lambda c: Fraction(c["decline"]))
        test.update(
            {
                "status": "not_met",
                "comparison_used": best["period"],
                "reason": f"減少が最も大きい{best['period_label']}との比較でも{best['decline_percent']}で、{format_percent(threshold)}に届きません。",
            }
        )
    return test


def _margin_tests(entry: dict[str, Any], threshold: Fraction, min_months: int) -> list[dict[str, Any]]:
    method = entry["method"]
    current, comparison = entry["current"], entry["comparison"]
    tests = []
    for margin_key, (figure, margin_label) in MARGINS.items():
        if current[figure] is None:
            continue
        test: dict[str, Any] = {
            "id": f"margin_{method}_{margin_key}",
            "label": f"{METHODS[method]}：{margin_label}",
            "kind": "margin",
            "method": method,
            "margin": margin_key,
            "current": {"sales": current["sales"], "profit": current[figure], "months": current["months"]},
            "comparison": {
                "sales": comparison["sales"],
                "profit": comparison[figure],
                "months": comparison["months"],
            },
        }
        applicable, why = _method_applies(method, current["months"], comparison["months"], min_months)
        if not applicable:
            tests.append({**test, "status": "not_applicable", "reason": why})
            continue
        if current["sales"] <= 0 or comparison["sales"] <= 0:
            tests.append(
                {
                    **test,
                    "status": "undetermined",
                    "reason": "売上高が0円の期間があり、利益率を計算できません（要相談）。",
                }
            )
            continue
        after = Fraction(current[figure], current["sales"])
        before = Fraction(comparison[figure], comparison["sales"])
        points = (after - before) * 100
        test.update(
            {
                "current_margin": _ratio_text(after),
                "current_margin_percent": format_percent(after),
                "comparison_margin": _ratio_text(before),
                "comparison_margin_percent": format_percent(before),
                "point_change": _ratio_text(points),
                "point_change_text": f"{'+' if points > 0 else ''}{format_percent(points / 100)[:-1]}ポイント",
                "meets_points": -points >= threshold * 100,
            }
        )
        if before <= 0:
            test.update(
                {
                    "status": "undetermined",
                    "decline": None,
                    "meets_relative": None,
                    "reason": f"比較する期間の{margin_label}が{format_percent(before)}（0以下）のため、減少率に意味がありません。判定不可（要相談）です。",
                }
            )
        else:
            decline = _decline(before, after)
            meets = decline >= threshold
            test.update(
                {
                    "decline": _ratio_text(decline),
                    "decline_percent": format_percent(decline),
                    "meets_relative": meets,
                    "status": "met" if meets else "not_met",
                    "reason": f"{margin_label}は{format_percent(before)}から{format_percent(after)}へ、"
                    f"減少率{format_percent(decline)}（{test['point_change_text']}）。"
                    + (
                        f"{format_percent(threshold)}以上の減少です。"
                        if meets
                        else f"{format_percent(threshold)}に届きません。"
                    )
                    + (
                        "ポイント差で読むと要件に届かないため、協議会に確認してください。"
                        if meets and not test["meets_points"]
                        else ""
                    ),
                }
            )
        tests.append(test)
    return tests


def _method_applies(
    method: int, current_months: int, comparison_months: int, min_months: int
) -> tuple[bool, str]:
    if method == 2:
        if current_months < min_months:
            return False, f"②の比較には{min_months}か月以上の試算表が必要です（入力は{current_months}か月）。"
        if comparison_months != current_months:
            return (
                False,
                f"②は前年の同じ期間の試算表と比べます（最近{current_months}か月に対し比較が{comparison_months}か月）。",
            )
    if method == 3 and current_months < min_months:
        return False, f"③の比較には{min_months}か月以上の試算表が必要です（入力は{current_months}か月）。"
    return True, ""


def judge(request: Any) -> dict[str, Any]:
    """Every sales and margin test with its figures, and whether any one is met."""
    parsed, errors = _read(request)
    errors.raise_if_any()
    rules = RuleSet(parsed["as_of"])
    cause: str = parsed["cause"]
    threshold = rules.rate("downturn.threshold")
    years = rules.value("downturn.comparison_years")[cause]
    span = rules.value("downturn.sales_average_months")
    min_months = rules.value("downturn.min_trial_balance_months")
    reading = rules.value("downturn.margin_reading")
    latest: Month | None = parsed["latest"]
    sales = parsed["sales"]
    tests = [
        _sales_latest_test(sales, latest, years, threshold),
        _sales_average_test(sales, latest, years, span, threshold),
    ]
    for entry in parsed["margins"]:
        tests.extend(_margin_tests(entry, threshold, min_months))
    for test in tests:
        test["result"] = STATUS_RESULT[test["status"]]
    statuses = [test["status"] for test in tests]
    meets = True if "met" in statuses else (None if "undetermined" in statuses else False)
    if all(status == "not_applicable" for status in statuses):
        meets = None
    period_text = "前4年のいずれかの年の同じ時期" if years > 1 else "前年の同じ時期"
    if years not in (1, 4):
        period_text = f"前{years}年のいずれかの年の同じ時期"
    comparison = {
        "cause": cause,
        "cause_label": CAUSES[cause],
        "years": years,
        "label": period_text,
        "months": [str(m) for m in _comparison_months(latest, years)] if latest else [],
    }
    explanation = [
        f"原因「{CAUSES[cause]}」の比較対象は{period_text}です（基準日{format_date(rules.as_of)}の規則）。",
        f"売上高は最近1か月又は過去{span}か月の平均、利益率は売上高総利益率又は売上高営業利益率が、"
        f"{format_percent(threshold)}以上減っていれば要件を満たします（どれか1つで足ります）。",
    ]
    for test in tests:
        mark = {"met": "○", "not_met": "×", "undetermined": "？", "not_applicable": "－"}[test["status"]]
        explanation.append(f"{mark} {test['label']}：{test['reason']}")
    verdict = {
        True: "要件を満たします",
        False: "要件を満たしません",
        None: "この数字だけでは判断できません（協議会に相談）",
    }[meets]
    explanation.append(f"判定：{verdict}。")
    notes = [
        "利益率の「5%以上減少」は公式の定義が見当たらないため、相対的な減少率（(前−後)÷前）で判定し、ポイント差も並べています。結果は目安として協議会に確認してください。",
        "比較する前の利益率が0以下のときは、減少率に意味がないため「判定不可（要相談）」としています。",
        "新型コロナの「前4年」の幅を利益率の比較（①②③）にも使えるかは資料から読み取れないため、利益率は①②③の文言どおりに比べています。",
    ]
    second_use = []
    for programme, key in (("vup", "downturn.second_use.vup"), ("405", "downturn.second_use.p405")):
        window = rules.value(key)
        inside = window["start"] <= rules.as_of <= window["end"]
        applies: bool | None = inside
        if not inside and rules.as_of > window["end"] and window["status"] == "unconfirmed_after_end":
            applies = None
        second_use.append(
            {
                "programme": programme,
                "label": rules.label(key),
                "start": window["start"].isoformat(),
                "end": window["end"].isoformat(),
                "status": window["status"],
                "applies_on_as_of": applies,
            }
        )
    notes.append(
        "この要件で過去の利用者が再度利用できたのは、早期経営改善計画策定支援では2022年度中（2022年4月1日〜2023年3月31日）の申請に限り1回、"
        "405事業では2022年4月1日〜2025年3月31日に有効だった規程で確認できます。405事業でその後も続いているかは確認できていません。"
        "同じ基準は日本政策金融公庫の貸付などでも使われるため、目安としての判定は今も役立ちます。"
    )
    warnings = []
    as_of_month = Month(rules.as_of.year, rules.as_of.month)
    if latest is not None and latest > as_of_month:
        warnings.append(
            {
                "code": "latest_month_after_as_of",
                "message": f"最近の月（{latest.label()}）は、基準日（{rules.as_of.year}年{rules.as_of.month}月"
                f"{rules.as_of.day}日）より後の月です。年月の打ち間違いがないか確かめてください。"
                "この判定は、入力された売上高をそのまま比べた結果です。",
            }
        )
    used = next((t for t in tests if t["status"] == "met"), None)
    response: dict[str, Any] = {
        "tool": "downturn",
        "cause": cause,
        "cause_label": CAUSES[cause],
        "meets": meets,
        "margin_reading": reading,
        "latest_month": str(latest) if latest else None,
        "comparison_period": comparison,
        "met_by": used["id"] if used else None,
        "tests": tests,
        "second_use": second_use,
        "warnings": warnings,
        "notes": notes,
        "explanation": explanation,
    }
    return rules.cite(response)
