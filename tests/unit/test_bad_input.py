"""Malformed requests: each is refused with the exact field named and a Japanese message."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kaizen_core import run
from kaizen_core.errors import InputError

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
BASE_FORECAST = {"start": "2026-04", "months": 12, "opening_balance": 0, "sales": {"base": 100}}

CASES: list[tuple[str, str, Any, list[str]]] = [
    # subsidy
    ("subsidy: request is not an object", "subsidy", [1, 2], ["request", "programme", "fees"]),
    ("subsidy: unknown programme", "subsidy", {"programme": "x", "fees": {"plan": 1}}, ["programme"]),
    ("subsidy: programme missing", "subsidy", {"fees": {"plan": 1}}, ["programme"]),
    ("subsidy: fees missing", "subsidy", {"programme": "vup"}, ["fees"]),
    ("subsidy: fees not an object", "subsidy", {"programme": "vup", "fees": [1]}, ["fees", "fees"]),
    ("subsidy: negative fee", "subsidy", {"programme": "vup", "fees": {"plan": -1}}, ["fees.plan"]),
    (
        "subsidy: negative fee written △",
        "subsidy",
        {"programme": "vup", "fees": {"plan": "△5万"}},
        ["fees.plan"],
    ),
    ("subsidy: garbage fee", "subsidy", {"programme": "vup", "fees": {"plan": "たくさん"}}, ["fees.plan"]),
    ("subsidy: fee with sen", "subsidy", {"programme": "vup", "fees": {"plan": 1000.5}}, ["fees.plan"]),
    ("subsidy: fee as boolean", "subsidy", {"programme": "vup", "fees": {"plan": True}}, ["fees.plan"]),
    (
        "subsidy: unknown fee item",
        "subsidy",
        {"programme": "vup", "fees": {"consulting": 1}},
        ["fees.consulting"],
    ),
    ("subsidy: unknown top-level key", "subsidy", {"programme": "vup", "fee": {"plan": 1}}, ["fee", "fees"]),
    (
        "subsidy: unknown route",
        "subsidy",
        {"programme": "vup", "route": "post", "fees": {"plan": 1}},
        ["route"],
    ),
    (
        "subsidy: impossible date",
        "subsidy",
        {"programme": "vup", "as_of": "2026-02-30", "fees": {"plan": 1}},
        ["as_of"],
    ),
    (
        "subsidy: 405 sales missing",
        "subsidy",
        {"programme": "405", "fees": {"plan": 1}, "company": {"borrowings": 1}},
        ["company.sales"],
    ),
    (
        "subsidy: 405 sales garbage",
        "subsidy",
        {"programme": "405", "fees": {"plan": 1}, "company": {"sales": "1億ぐらい", "borrowings": 1}},
        ["company.sales"],
    ),
    (
        "subsidy: several errors at once",
        "subsidy",
        {"programme": "405", "fees": {"plan": "x", "monitoring": "y"}, "company": {}},
        ["fees.plan", "fees.monitoring", "company.sales", "company.borrowings"],
    ),
    # eligibility
    ("eligibility: unknown entity type", "eligibility", {"entity_type": "株式会社ではない"}, ["entity_type"]),
    ("eligibility: employees negative", "eligibility", {"employees": -3}, ["employees"]),
    ("eligibility: employees fractional", "eligibility", {"employees": "2.5人"}, ["employees"]),
    ("eligibility: capital garbage", "eligibility", {"capital": "1千万円くらい"}, ["capital"]),
    (
        "eligibility: yes/no garbage",
        "eligibility",
        {"needs_financial_support": "たぶん"},
        ["needs_financial_support"],
    ),
    ("eligibility: unknown industry", "eligibility", {"industry": "宇宙業"}, ["industry"]),
    ("eligibility: prior_use not an object", "eligibility", {"prior_use": "はい"}, ["prior_use"]),
    ("eligibility: unknown prior_use key", "eligibility", {"prior_use": {"vupp": True}}, ["prior_use.vupp"]),
    (
        "eligibility: bad bank lending",
        "eligibility",
        {"route": "bank", "bank": {"total_lending": "四千万くらい"}},
        ["bank.total_lending"],
    ),
    ("eligibility: unknown prefecture", "eligibility", {"prefecture": "火星"}, ["prefecture"]),
    ("eligibility: bank route for 405", "eligibility", {"programme": "405", "route": "bank"}, ["route"]),
    # downturn
    ("downturn: cause missing", "downturn", {"sales": {"2022-03": 1}}, ["cause"]),
    ("downturn: unknown cause", "downturn", {"cause": "地震", "sales": {"2022-03": 1}}, ["cause"]),
    (
        "downturn: impossible month key",
        "downturn",
        {"cause": "covid", "sales": {"2022-13": 1}},
        ["sales.2022-13"],
    ),
    ("downturn: negative sales", "downturn", {"cause": "covid", "sales": {"2022-03": -1}}, ["sales.2022-03"]),
    (
        "downturn: month entered twice",
        "downturn",
        {"cause": "covid", "sales": {"2022-03": 1, "2022年3月": 2}},
        ["sales.2022年3月"],
    ),
    (
        "downturn: latest month without sales",
        "downturn",
        {"cause": "covid", "sales": {"2022-03": 1}, "latest_month": "2022-04"},
        ["latest_month"],
    ),
    ("downturn: nothing to judge", "downturn", {"cause": "covid"}, ["sales"]),
    (
        "downturn: bad margin method",
        "downturn",
        {
            "cause": "covid",
            "margins": [
                {
                    "method": 4,
                    "current": {"sales": 1, "gross_profit": 1, "months": 12},
                    "comparison": {"sales": 1, "gross_profit": 1, "months": 12},
                }
            ],
        },
        ["margins[0].method"],
    ),
    (
        "downturn: margin months 13",
        "downturn",
        {
            "cause": "covid",
            "margins": [
                {
                    "method": 1,
                    "current": {"sales": 1, "gross_profit": 1, "months": 13},
                    "comparison": {"sales": 1, "gross_profit": 1, "months": 12},
                }
            ],
        },
        ["margins[0].current.months"],
    ),
    (
        "downturn: margin profit on one side only",
        "downturn",
        {
            "cause": "covid",
            "margins": [
                {
                    "method": 1,
                    "current": {"sales": 1, "gross_profit": 1, "months": 12},
                    "comparison": {"sales": 1, "months": 12},
                }
            ],
        },
        ["margins[0].comparison.gross_profit"],
    ),
    (
        "downturn: margin without any profit",
        "downturn",
        {
            "cause": "covid",
            "margins": [
                {"method": 1, "current": {"sales": 1, "months": 12}, "comparison": {"sales": 1, "months": 12}}
            ],
        },
        ["margins[0].current.gross_profit"],
    ),
    ("downturn: margins not a list", "downturn", {"cause": "covid", "margins": {"method": 1}}, ["margins"]),
    # forecast
    (
        "forecast: start missing",
        "forecast",
        {"months": 12, "opening_balance": 0, "sales": {"base": 1}},
        ["start"],
    ),
    ("forecast: impossible start month", "forecast", {**BASE_FORECAST, "start": "2026-13"}, ["start"]),
    ("forecast: too few months", "forecast", {**BASE_FORECAST, "months": 5}, ["months"]),
    ("forecast: too many months", "forecast", {**BASE_FORECAST, "months": 37}, ["months"]),
    (
        "forecast: opening balance garbage",
        "forecast",
        {**BASE_FORECAST, "opening_balance": "少し"},
        ["opening_balance"],
    ),
    (
        "forecast: sales missing",
        "forecast",
        {"start": "2026-04", "months": 12, "opening_balance": 0},
        ["sales"],
    ),
    (
        "forecast: monthly sales incomplete",
        "forecast",
        {**BASE_FORECAST, "sales": {"monthly": {"2026-04": 1}}},
        ["sales.monthly"],
    ),
    (
        "forecast: sales month outside the table",
        "forecast",
        {**BASE_FORECAST, "sales": {"monthly": {"2030-01": 1}}},
        ["sales.monthly.2030-01", "sales.monthly"],
    ),
    (
        "forecast: both sales forms",
        "forecast",
        {**BASE_FORECAST, "sales": {"monthly": {}, "base": 1}},
        ["sales"],
    ),
    (
        "forecast: collection shares not 100%",
        "forecast",
        {
            **BASE_FORECAST,
            "collection": [{"months_after": 0, "share": "30%"}, {"months_after": 1, "share": "60%"}],
        },
        ["collection"],
    ),
    (
        "forecast: collection share over 100%",
        "forecast",
        {**BASE_FORECAST, "collection": [{"months_after": 0, "share": 30}]},
        ["collection[0].share"],
    ),
    (
        "forecast: collection month repeated",
        "forecast",
        {
            **BASE_FORECAST,
            "collection": [{"months_after": 1, "share": "50%"}, {"months_after": 1, "share": "50%"}],
        },
        ["collection[1].months_after"],
    ),
    (
        "forecast: purchase share garbage",
        "forecast",
        {**BASE_FORECAST, "purchases": {"share_of_sales": "半分くらい"}},
        ["purchases.share_of_sales"],
    ),
    (
        "forecast: loan without balance",
        "forecast",
        {**BASE_FORECAST, "loans": [{"monthly_principal": 1}]},
        ["loans[0].balance"],
    ),
    (
        "forecast: loan rate absurd",
        "forecast",
        {**BASE_FORECAST, "loans": [{"balance": 1, "annual_rate": "150%", "monthly_principal": 1}]},
        ["loans[0].annual_rate"],
    ),
    (
        "forecast: equal payment below interest",
        "forecast",
        {
            **BASE_FORECAST,
            "loans": [
                {
                    "balance": "1億",
                    "annual_rate": "12%",
                    "method": "equal_payment",
                    "monthly_payment": "100万",
                }
            ],
        },
        ["loans[0].monthly_payment"],
    ),
    (
        "forecast: tax month impossible",
        "forecast",
        {**BASE_FORECAST, "taxes": [{"month": "2026-02-31", "amount": 1}]},
        ["taxes[0].month"],
    ),
    (
        "forecast: actuals outside the table",
        "forecast",
        {**BASE_FORECAST, "actuals": {"2025-01": {"cash_sales": 1}}},
        ["actuals.2025-01"],
    ),
    (
        "forecast: actuals unknown line",
        "forecast",
        {**BASE_FORECAST, "actuals": {"2026-04": {"magic": 1}}},
        ["actuals.2026-04.magic"],
    ),
    (
        "forecast: scenario below -100%",
        "forecast",
        {**BASE_FORECAST, "scenario": {"sales_change": "-150%"}},
        ["scenario.sales_change"],
    ),
    (
        "forecast: growth garbage",
        "forecast",
        {**BASE_FORECAST, "sales": {"base": 1, "growth_rate": "上向き"}},
        ["sales.growth_rate"],
    ),
    (
        "forecast: seasonality wrong length",
        "forecast",
        {**BASE_FORECAST, "sales": {"base": 1, "seasonality": [1, 1]}},
        ["sales.seasonality"],
    ),
]


@pytest.mark.parametrize(("name", "tool", "request_body", "fields"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_names_the_field(name: str, tool: str, request_body: Any, fields: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        run(tool, request_body)
    assert [error.field for error in caught.value.errors] == fields
    for error in caught.value.errors:
        assert JAPANESE.search(error.message), error.message
        assert "Traceback" not in error.message


def test_unknown_tool() -> None:
    with pytest.raises(InputError) as caught:
        run("magic", {})
    assert caught.value.errors[0].field == "tool"
