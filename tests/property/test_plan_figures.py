"""Invariants of 財務の健康診断 (benchmark) and 数値計画チェック (plan), checked with hypothesis."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kaizen_core import run
from kaizen_core.benchmark import INDICATORS

AMOUNT = st.integers(min_value=0, max_value=5_000_000_000)
SIGNED = st.integers(min_value=-2_000_000_000, max_value=2_000_000_000)
SMALL = st.integers(min_value=0, max_value=300_000_000)


@st.composite
def benchmark_requests(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=3))
    periods = []
    for index in range(count):
        period = {
            "label": f"{2023 + index}年3月期",
            "sales": draw(st.one_of(st.just(0), AMOUNT)),
            "operating_profit": draw(SIGNED),
            "depreciation": draw(SMALL),
            "employees": draw(st.integers(min_value=0, max_value=2_000)),
            "borrowings": draw(AMOUNT),
            "cash": draw(AMOUNT),
            "receivables": draw(SMALL),
            "inventory": draw(SMALL),
            "payables": draw(SMALL),
            "net_assets": draw(SIGNED),
            "total_assets": draw(st.one_of(st.just(0), AMOUNT)),
        }
        if index == 0 and draw(st.booleans()):
            period["previous_sales"] = draw(st.one_of(st.just(0), AMOUNT))
        periods.append(period)
    return {"as_of": "2026-12-03", "periods": periods}


def _exact(indicator: dict[str, Any]) -> Fraction | None:
    return None if indicator["exact"] is None else Fraction(indicator["exact"])


@settings(max_examples=200, deadline=None)
@given(benchmark_requests())
def test_benchmark_values_are_the_exact_formulas(request: dict[str, Any]) -> None:
    response = run("benchmark", request)
    assert [p["label"] for p in response["periods"]] == [p["label"] for p in request["periods"]]
    for figures, result in zip(request["periods"], response["periods"], strict=True):
        for key in INDICATORS:
            indicator = result[key]
            exact = _exact(indicator)
            if exact is None:
                assert indicator["value"] is None
                assert indicator["display"] == "－"
                assert indicator["reason"]
            else:
                # the JSON number is the exact fraction (an int when whole, else the nearest float)
                assert indicator["value"] == (exact.numerator if exact.denominator == 1 else float(exact))
        equity = _exact(result["equity_ratio"])
        if figures["total_assets"] == 0:
            assert equity is None
        else:
            assert equity is not None
            assert equity * figures["total_assets"] == figures["net_assets"]
        margin = _exact(result["operating_margin"])
        assert (margin is None) == (figures["sales"] == 0)
        if margin is not None:
            assert margin * figures["sales"] == figures["operating_profit"]
        ebitda = figures["operating_profit"] + figures["depreciation"]
        ratio = _exact(result["ebitda_debt_ratio"])
        assert (ratio is None) == (ebitda <= 0)
        if ratio is not None:
            assert ratio * ebitda == figures["borrowings"] - figures["cash"]
        productivity = _exact(result["labour_productivity"])
        assert (productivity is None) == (figures["employees"] == 0)
        if productivity is not None:
            assert productivity * figures["employees"] == figures["operating_profit"]
        months = _exact(result["working_capital_months"])
        if months is not None:
            working_capital = figures["receivables"] + figures["inventory"] - figures["payables"]
            assert months * figures["sales"] == 12 * working_capital


@settings(max_examples=200, deadline=None)
@given(benchmark_requests())
def test_benchmark_trends_follow_the_better_direction(request: dict[str, Any]) -> None:
    """Each trend follows the direction the response gives for its indicator; a debt ratio that is 0
    or below in both years (net cash, 実質無借金 both times) is "same" however it moved."""
    response = run("benchmark", request)
    periods = response["periods"]
    sign = {item["key"]: 1 if item["better"] == "higher" else -1 for item in response["indicators"]}
    assert sign["ebitda_debt_ratio"] == -1
    for key in INDICATORS:
        assert periods[0][key]["trend"] is None
        for before, after in itertools.pairwise(periods):
            old, new = _exact(before[key]), _exact(after[key])
            trend = after[key]["trend"]
            if old is None or new is None:
                assert trend is None
            elif old == new or (key == "ebitda_debt_ratio" and old <= 0 and new <= 0):
                assert trend == "same"
                if key == "ebitda_debt_ratio" and old != new:
                    assert before["figures"]["net_debt"] <= 0
                    assert after["figures"]["net_debt"] <= 0
            else:
                assert trend == ("better" if (new - old) * sign[key] > 0 else "worse")
        assert response["trend"][key] == periods[-1][key]["trend"]


@st.composite
def plan_requests(draw: st.DrawFn) -> dict[str, Any]:
    base = {
        "cash": draw(st.integers(min_value=0, max_value=500_000_000)),
        "borrowings": draw(st.integers(min_value=0, max_value=2_000_000_000)),
        "net_assets": draw(st.integers(min_value=-1_000_000_000, max_value=1_000_000_000)),
        "adjustments": [
            {"label": f"修正{n}", "amount": draw(st.integers(min_value=-300_000_000, max_value=300_000_000))}
            for n in range(draw(st.integers(min_value=0, max_value=3)))
        ],
    }
    balance = base["borrowings"]
    years = []
    for number in range(1, draw(st.integers(min_value=3, max_value=10)) + 1):
        cost_of_sales = draw(SMALL)
        sga = draw(SMALL)
        new_borrowing = draw(st.one_of(st.just(0), SMALL))
        repayment = draw(st.integers(min_value=0, max_value=balance + new_borrowing))
        balance += new_borrowing - repayment
        year = {
            "label": f"計画{number}年目",
            "sales": draw(st.integers(min_value=0, max_value=800_000_000)),
            "cost_of_sales": cost_of_sales,
            "sga": sga,
            "depreciation": draw(st.integers(min_value=0, max_value=cost_of_sales + sga)),
            "non_operating_income": draw(st.integers(min_value=0, max_value=20_000_000)),
            "non_operating_expenses": draw(st.integers(min_value=0, max_value=50_000_000)),
            "extraordinary": draw(st.integers(min_value=-50_000_000, max_value=50_000_000)),
            "tax": draw(st.integers(min_value=0, max_value=30_000_000)),
            "repayment": repayment,
            "new_borrowing": new_borrowing,
            "capex": draw(st.integers(min_value=0, max_value=50_000_000)),
        }
        if draw(st.booleans()):
            year["working_capital_change"] = draw(st.integers(min_value=-30_000_000, max_value=30_000_000))
        years.append(year)
    request: dict[str, Any] = {"as_of": "2026-12-03", "base": base, "years": years}
    closed = draw(st.integers(min_value=0, max_value=len(years)))
    if closed:
        request["actuals"] = [
            {**year, "sales": draw(st.integers(min_value=0, max_value=800_000_000))}
            for year in years[:closed]
        ]
    return request


def _holds_from(values: list[bool]) -> int | None:
    """The test's own oracle (written apart from kaizen_core.plan): the first index from which every
    value holds to the end, or None."""
    return next((index for index in range(len(values)) if all(values[index:])), None)


@settings(max_examples=200, deadline=None)
@given(plan_requests())
def test_each_year_opens_where_the_last_closed_and_the_balances_reconcile(request: dict[str, Any]) -> None:
    response = run("plan", request)
    base, years, rows = request["base"], request["years"], response["rows"]
    start = base["net_assets"] + sum(item["amount"] for item in base["adjustments"])
    assert response["base"]["real_net_assets"] == start
    assert rows[0]["borrowings_start"] == base["borrowings"]
    assert rows[0]["cash_start"] == base["cash"]
    assert rows[0]["real_net_assets_start"] == start
    for before, after in itertools.pairwise(rows):
        assert after["borrowings_start"] == before["borrowings_end"]
        assert after["cash_start"] == before["cash_end"]
        assert after["real_net_assets_start"] == before["real_net_assets_end"]
    for done in range(1, len(rows) + 1):
        so_far, row = years[:done], rows[done - 1]
        repaid = sum(year["repayment"] for year in so_far)
        borrowed = sum(year["new_borrowing"] for year in so_far)
        assert row["borrowings_end"] == base["borrowings"] - repaid + borrowed
        assert row["borrowings_end"] >= 0
        assert row["cash_end"] == (
            base["cash"]
            + sum(r["cash_flow"] for r in rows[:done])
            - repaid
            + borrowed
            - sum(year["capex"] for year in so_far)
            - sum(year.get("working_capital_change", 0) for year in so_far)
        )
        assert row["real_net_assets_end"] == start + sum(r["net_income"] for r in rows[:done])
    for year, row in zip(years, rows, strict=True):
        assert row["operating_profit"] == year["sales"] - year["cost_of_sales"] - year["sga"]
        assert row["net_income"] == (
            row["operating_profit"]
            + year["non_operating_income"]
            - year["non_operating_expenses"]
            + year["extraordinary"]
            - year["tax"]
        )
        assert row["cash_flow"] == row["net_income"] + year["depreciation"]
        assert row["net_debt_end"] == row["borrowings_end"] - row["cash_end"]
        measure = row["debt_repayment_years"]
        if row["net_debt_end"] <= 0:
            assert measure["exact"] == "0/1"
        elif row["cash_flow"] <= 0:
            assert measure["value"] is None
            assert measure["reason"]
        else:
            assert Fraction(measure["exact"]) * row["cash_flow"] == row["net_debt_end"]


@settings(max_examples=200, deadline=None)
@given(plan_requests())
def test_the_criteria_follow_their_definitions(request: dict[str, Any]) -> None:
    response = run("plan", request)
    rows, criteria = response["rows"], response["criteria"]
    labels = [row["label"] for row in rows]
    profit = criteria["ordinary_profit_positive"]
    start = _holds_from([row["ordinary_profit"] > 0 for row in rows])
    assert profit["met"] == (start is not None and start + 1 <= 3)
    assert profit["year"] == (labels[start] if start is not None else None)
    assert (profit["shortfall"] is None) == profit["met"]
    net_assets = criteria["real_net_assets_non_negative"]
    ends = [row["real_net_assets_end"] for row in rows]
    if response["base"]["real_net_assets"] >= 0 and min(ends) >= 0:
        assert net_assets["met"] is True
        assert net_assets["year"] is None
    else:
        start = _holds_from([end >= 0 for end in ends])
        if start is None and len(rows) < 5:
            assert net_assets["met"] is None
        else:
            assert net_assets["met"] == (start is not None and start + 1 <= 5)
            assert net_assets["year"] == (labels[start] if start is not None else None)
    debt = criteria["debt_repayment_years"]
    last = rows[-1]["debt_repayment_years"]["exact"]
    assert debt["met"] == (last is not None and Fraction(last) <= 10)
    if debt["met"] is False:
        # the extra cash flow asked for brings the last year to the target exactly or just under
        cash_flow = rows[-1]["cash_flow"] + debt["shortfall"]
        assert cash_flow > 0
        assert Fraction(rows[-1]["net_debt_end"], cash_flow) <= 10
        assert cash_flow == 1 or Fraction(rows[-1]["net_debt_end"], cash_flow - 1) > 10


@settings(max_examples=100, deadline=None)
@given(plan_requests())
def test_actuals_sit_beside_the_plan_with_differences(request: dict[str, Any]) -> None:
    response = run("plan", request)
    actuals = request.get("actuals", [])
    assert [entry["label"] for entry in response["actuals"]] == [a["label"] for a in actuals]
    for entry, plan_row in zip(response["actuals"], response["rows"], strict=False):
        for line in entry["lines"]:
            assert line["plan"] == plan_row[line["key"]]
            assert line["difference"] == line["actual"] - line["plan"]
