"""Invariants that must hold for every input, checked with hypothesis."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kaizen_core import run
from kaizen_core.errors import InputError
from kaizen_core.numbers import MAX_YEN, format_man, format_yen, parse_yen

FEE = st.integers(min_value=0, max_value=20_000_000)
SIZE = st.integers(min_value=0, max_value=3_000_000_000)
PROGRAMME_ITEMS = {
    ("vup", "expert"): ("plan", "monitoring_interim", "monitoring_final", "guarantee_release"),
    ("vup", "bank"): ("plan", "monitoring_final"),
    ("405", "expert"): ("plan", "monitoring", "guarantee_release"),
    ("405-gl", "expert"): ("dd", "plan", "monitoring"),
}
ITEM_CAPS = {
    ("vup", "expert"): {
        "plan": 150_000,
        "monitoring_interim": 50_000,
        "monitoring_final": 50_000,
        "guarantee_release": 100_000,
    },
    ("vup", "bank"): {"plan": 150_000, "monitoring_final": 0},
    ("405", "expert"): {"plan": 2_000_000, "monitoring": 1_000_000, "guarantee_release": 100_000},
    ("405-gl", "expert"): {"dd": 3_000_000, "plan": 3_000_000, "monitoring": 1_000_000},
}
GROUP_CAPS = {("vup", "expert"): 250_000, ("405-gl", "expert"): 7_000_000}
TIER_CAPS = {"small": 1_000_000, "medium": 2_000_000, "large": 3_000_000}


@st.composite
def subsidy_requests(draw: st.DrawFn) -> dict[str, Any]:
    programme, route = draw(st.sampled_from(sorted(PROGRAMME_ITEMS)))
    fees = {item: draw(FEE) for item in PROGRAMME_ITEMS[(programme, route)]}
    request: dict[str, Any] = {"programme": programme, "route": route, "as_of": "2026-11-21", "fees": fees}
    if programme == "405":
        request["company"] = {"sales": draw(SIZE), "borrowings": draw(SIZE)}
    return request


@settings(max_examples=300, deadline=None)
@given(subsidy_requests())
def test_subsidy_never_exceeds_caps_or_two_thirds(request: dict[str, Any]) -> None:
    response = run("subsidy", request)
    key = (request["programme"], request["route"])
    group = 0
    for item in response["items"]:
        assert item["subsidy"] + item["self_pay"] == item["fee"]
        assert item["subsidy"] * 3 <= item["fee"] * 2
        assert item["subsidy"] <= ITEM_CAPS[key][item["item"]]
        if item["item"] != "guarantee_release":
            group += item["subsidy"]
    if key in GROUP_CAPS:
        assert group <= GROUP_CAPS[key]
    if response["size_tier"]:
        assert group <= TIER_CAPS[response["size_tier"]["tier"]]
    assert response["subsidy_total"] + response["self_pay_total"] == response["fee_total"]


@settings(max_examples=300, deadline=None)
@given(subsidy_requests())
def test_the_payment_schedule_adds_up(request: dict[str, Any]) -> None:
    response = run("subsidy", request)
    payments = response["payments"]
    assert sum(p["business_pays"] for p in payments) == response["self_pay_total"]
    never_released = payments[-1]["held_after"]
    assert sum(p["council_pays"] for p in payments) + never_released == response["subsidy_total"]


@settings(max_examples=300, deadline=None)
@given(subsidy_requests(), st.data())
def test_subsidy_never_falls_when_a_fee_rises(request: dict[str, Any], data: st.DataObject) -> None:
    item = data.draw(st.sampled_from(sorted(request["fees"])))
    raised = {
        **request,
        "fees": {**request["fees"], item: request["fees"][item] + data.draw(st.integers(1, 5_000_000))},
    }
    before = run("subsidy", request)
    after = run("subsidy", raised)
    assert after["subsidy_total"] >= before["subsidy_total"]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=-3, max_value=3))
def test_downturn_sales_flip_exactly_at_five_percent(scale: int, offset: int) -> None:
    before = 20 * scale
    after = 19 * scale + offset  # offset <= 0: at least 5% down; offset > 0: less than 5%
    response = run(
        "downturn", {"cause": "energy", "as_of": "2026-11-21", "sales": {"2022-03": after, "2021-03": before}}
    )
    assert response["tests"][0]["result"] is (offset <= 0)
    assert response["meets"] is (offset <= 0)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.integers(min_value=-(10**9), max_value=10**9),
)
def test_margin_result_matches_the_relative_reading(
    sales_now: int, sales_before: int, profit_now: int, profit_before: int
) -> None:
    margin = {
        "method": 1,
        "current": {"sales": sales_now, "gross_profit": profit_now, "months": 12},
        "comparison": {"sales": sales_before, "gross_profit": profit_before, "months": 12},
    }
    test = run("downturn", {"cause": "covid", "as_of": "2026-11-21", "margins": [margin]})["tests"][2]
    before, after = Fraction(profit_before, sales_before), Fraction(profit_now, sales_now)
    if before <= 0:
        assert test["result"] is None
    else:
        assert test["result"] is ((before - after) / before >= Fraction(1, 20))


MONTHS = st.integers(min_value=6, max_value=36)
AMOUNT = st.integers(min_value=0, max_value=50_000_000)


@st.composite
def forecast_requests(draw: st.DrawFn) -> dict[str, Any]:
    months = draw(MONTHS)
    cash = draw(st.integers(0, 100))
    later = draw(st.integers(0, 100 - cash))
    terms = [
        {"months_after": 0, "share": f"{cash}%"},
        {"months_after": 1, "share": f"{later}%"},
        {"months_after": 2, "share": f"{100 - cash - later}%"},
    ]
    request: dict[str, Any] = {
        "as_of": "2026-11-21",
        "start": "2026-04",
        "months": months,
        "opening_balance": draw(st.integers(-(10**8), 10**8)),
        "sales": {"base": draw(AMOUNT), "growth_rate": f"{draw(st.integers(-5, 5))}%"},
        "collection": terms,
        "purchases": {
            "share_of_sales": f"{draw(st.integers(0, 90))}%",
            "payment": [{"months_after": draw(st.integers(0, 3)), "share": 1}],
        },
        "payroll": draw(AMOUNT),
        "rent": draw(st.integers(0, 1_000_000)),
        "loans": [
            {
                "balance": draw(AMOUNT),
                "annual_rate": f"{draw(st.integers(0, 15))}/1000",
                "monthly_principal": draw(st.integers(0, 2_000_000)),
            }
        ],
        "scenario": {"sales_change": f"{draw(st.integers(-50, 50))}%"},
    }
    return request


@settings(max_examples=150, deadline=None)
@given(forecast_requests())
def test_forecast_chain_and_totals_reconcile(request: dict[str, Any]) -> None:
    response = run("forecast", request)
    rows = response["rows"]
    assert len(rows) == request["months"]
    assert rows[0]["opening"] == request["opening_balance"]
    for row, following in itertools.pairwise(rows):
        assert row["closing"] == following["opening"]
    for row in rows:
        assert row["closing"] == row["opening"] + row["receipts"] - row["payments"] + row["adjustment"]
        assert (
            row["receipts"] - row["payments"]
            == row["operating_balance"] + row["investing_balance"] + row["financing_balance"]
        )
    totals = response["totals"]
    assert request["opening_balance"] + totals["receipts"] - totals["payments"] == response["closing_balance"]
    sales = sum(row["accruals"]["sales"] for row in rows)
    assert totals["cash_sales"] + totals["collections"] + response["receivables_end"] == sales
    purchases = sum(row["accruals"]["purchases"] for row in rows)
    assert totals["cash_purchases"] + totals["payables_paid"] + response["payables_end"] == purchases
    assert response["lowest_balance"]["amount"] == min(row["closing"] for row in rows)
    assert response["shortfall_months"] == [row["month"] for row in rows if row["closing"] < 0]


@given(
    st.one_of(
        st.integers(min_value=-MAX_YEN, max_value=MAX_YEN),
        st.integers(-(10**6), 10**6).map(lambda n: n * 10**6),
    )
)
def test_formatted_yen_parse_back(amount: int) -> None:
    assert parse_yen(format_yen(amount), "x", "金額", allow_negative=True) == amount
    assert parse_yen(format_man(amount), "x", "金額", allow_negative=True) == amount


@given(st.integers(min_value=MAX_YEN + 1, max_value=10**40), st.booleans())
def test_amounts_above_the_bound_are_refused_however_written(amount: int, negative: bool) -> None:
    signed = -amount if negative else amount
    for written in {format_yen(signed), format_man(signed), signed}:
        try:
            parse_yen(written, "fees.plan", "計画策定支援費用", allow_negative=True)
        except InputError as error:
            (problem,) = error.errors
            assert problem.field == "fees.plan"
            assert problem.message.startswith("計画策定支援費用：")
            assert "1兆円" in problem.message or "長すぎます" in problem.message
        else:
            raise AssertionError(f"{written!r} was accepted above the bound")
