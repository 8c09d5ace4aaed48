"""業況悪化（5%）判定: the grid and margin widgets' markup, the result view, exports and CSV round trip."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from calculators import downturn
from calculators.export import csv_bytes, request_from_file
from calculators.forms import flatten, form_for, input_rows, parsed_values
from hooks.tools import _env, render_tool
from kaizen_core import run
from tests.conftest import load_cases
from tests.unit.html_page import Page, ancestor_paths, assert_accessible, error_containers
from tests.unit.test_bad_input import CASES as BAD_INPUT_CASES

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = {case["name"]: case for case in load_cases(ROOT / "tests" / "golden" / "downturn.yaml")}


def respond(request: dict[str, Any]) -> dict[str, Any]:
    return run("downturn", request)


def golden(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    request = GOLDEN[name]["request"]
    return request, respond(request)


@pytest.fixture(scope="module")
def page_html() -> str:
    return render_tool("downturn")


# --- the form ----------------------------------------------------------------------------------


def test_form_knows_the_grid_and_margin_inputs() -> None:
    form = form_for("downturn")
    assert form is downturn.FORM
    assert form.describe("sales.2022-03") == ("2022年3月の売上高", "yen")
    assert form.describe("sales.2025-12") == ("2025年12月の売上高", "yen")
    assert form.describe("margins[0].method") == ("利益率の比較1：方法（1＝①、2＝②、3＝③）", "text")
    assert form.describe("margins[2].comparison.gross_profit") == (
        "利益率の比較3：比較する期間の売上総利益（粗利益）",
        "signed_yen",
    )
    assert form.describe("margins[1].current.months") == ("利益率の比較2：最近の期間の対象の月数", "count")
    assert form.describe("margins[3].current.sales") is None
    assert form.describe("cause") == ("業況悪化の原因", "choice")
    assert dict(form.grid_rows) == {"covid": 5, "energy": 2, "ukraine": 2}
    assert form.max_rows == 5


def test_parsed_values_for_grid_and_margins() -> None:
    shown = parsed_values(
        "downturn",
        {
            "sales": {"2022-03": "150万", "2021-03": "1,234,000"},
            "margins": [
                {"method": "1", "current": {"sales": "1.2億", "operating_profit": "△50万", "months": "12"}}
            ],
        },
    )
    assert shown == {
        "sales.2022-03": "1,500,000円",
        "sales.2021-03": "1,234,000円",
        "margins[0].current.sales": "120,000,000円",
        "margins[0].current.operating_profit": "△500,000円",
        "margins[0].current.months": "12",
    }


@pytest.mark.parametrize(
    ("values", "years"),
    [
        ({"cause": "energy", "latest_month": "2025-09"}, [2024, 2025]),
        ({"cause": "ukraine", "latest_month": "2022年9月"}, [2021, 2022]),
        # the six-month average of March reaches into the previous year: one more row
        ({"cause": "energy", "latest_month": "2022-03"}, [2020, 2021, 2022]),
        ({"cause": "covid", "latest_month": "2022-09"}, [2018, 2019, 2020, 2021, 2022]),
        ({"cause": "covid", "latest_month": "2022-03"}, [2018, 2019, 2020, 2021, 2022]),
        # no latest month: the last month with sales; a year holding a value is never dropped
        ({"cause": "energy", "sales.2022-09": "1", "sales.2017-03": "2"}, [2017, 2021, 2022]),
        ({"cause": "コロナ", "latest_month": "2022-09"}, [2018, 2019, 2020, 2021, 2022]),
    ],
)
def test_grid_rows_follow_the_cause_and_the_latest_month(values: dict[str, Any], years: list[int]) -> None:
    rows = downturn.FORM.grid(values)
    assert [row["year"] for row in rows] == years
    assert [cell["month"] for cell in rows[0]["cells"]] == list(range(1, 13))
    assert rows[-1]["cells"][2]["key"] == f"{years[-1]}-03"


def _year_free(html: str, year: int) -> str:
    return html.replace(str(year), "__Y__")


def test_the_cloned_year_row_is_the_first_paints_row_of_its_year(page_html: str) -> None:
    """widgets/downturn.mjs clones <template data-kz-template="year-row"> for a year it adds: the
    same macro as the first paint's rows, the year written as "__Y__" in its names, ids and labels."""
    macros = _env.get_template("widgets/downturn_macros.html").module
    template = str(macros.year_row(downturn.FORM.template_row()))
    for year in (1999, 2024, 2025):
        (row,) = downturn.FORM.grid({"cause": "energy", "latest_month": f"{year}-12"})[-1:]
        assert row["year"] == year
        assert template.replace("__Y__", str(year)) == str(macros.year_row(row))
    assert 'aria-label="__Y__年3月の売上高"' in template
    assert '<th scope="row" class="kz-sticky">__Y__年</th>' in template
    assert "style=" not in template
    # the page holds the template inside the grid, and its first-paint rows are the macro's, with the figures
    start = page_html.index('<template data-kz-template="year-row">')
    assert page_html.index("data-kz-year-grid") < start
    assert page_html[start:].startswith(f'<template data-kz-template="year-row">{template}</template>')
    example = flatten(form_for("downturn").default_request())
    for row in downturn.FORM.grid(example):
        painted = str(macros.year_row(row))
        assert painted in page_html
        assert re.sub(r' value="[^"]*"', ' value=""', _year_free(painted, row["year"])) == template


def test_a_loaded_requests_sales_reach_back_as_far_as_kaizen_core_reads(page_html: str) -> None:
    """The page's vocabulary says how many years before a loaded request's last year with a figure
    a figure still gets a row (widgets/downturn.mjs drops the others and app.mjs names them): as far
    back as kaizen_core compares, the longest comparison (COVID, 4 years) of the 6-month average of a
    latest month early in the year, whose first months are in the year before."""
    form = downturn.FORM
    vocabulary = json.loads(form.vocabulary())
    assert vocabulary["reach_years"] == form.reach_years == 5
    embedded = re.search(
        r'<script type="application/json" id="kz-downturn-vocabulary">(.*?)</script>', page_html
    )
    assert embedded is not None
    assert json.loads(embedded.group(1))["reach_years"] == form.reach_years
    # the oldest month kaizen_core compares: with every month there, the average of 2022年1月 (its
    # six months begin in 2021年8月) against 4 years before
    sales = {f"{year}-{month:02d}": "100万" for year in range(2010, 2023) for month in range(1, 13)}
    response = respond({"cause": "covid", "latest_month": "2022-01", "sales": sales})
    compared = [
        month
        for test in response["tests"]
        if test["kind"] == "sales"
        for comparison in test["comparisons"]
        for month in comparison["period"].split("/")
    ]
    assert min(int(month[:4]) for month in compared) == 2022 - form.reach_years
    # a latest month from June on compares no year further back than the cause's
    response = respond({"cause": "covid", "latest_month": "2022-06", "sales": sales})
    periods = [c["period"] for t in response["tests"] if t["kind"] == "sales" for c in t["comparisons"]]
    assert min(int(p[:4]) for period in periods for p in period.split("/")) == 2022 - (form.max_rows - 1)


def test_margin_groups_take_their_index_from_the_request() -> None:
    groups = downturn.FORM.margin_groups(
        {"margins[0].method": "③", "margins[0].current.sales": "2000", "margins[1].method": 1}
    )
    assert [(g["method"], g["index"]) for g in groups] == [(1, 1), (2, None), (3, 0)]
    assert groups[2]["filled"]["current.sales"] == "2000"
    assert groups[0]["sides"] == (("current", "直近の決算"), ("comparison", "前期の決算"))


def test_rendered_grid_and_margins(page_html: str) -> None:
    page = Page(page_html)
    inputs = page.inputs()
    example = form_for("downturn").default_request()
    for key, value in example["sales"].items():
        assert inputs[f"sales.{key}"]["value"] == value
        year, month = key.split("-")
        assert inputs[f"sales.{key}"]["aria-label"] == f"{year}年{int(month)}月の売上高"
    # the rows of the first paint, and the row template's (the year "__Y__", cloned by the script)
    grid_names = [name for name in inputs if name.startswith("sales.") and "__Y__" not in name]
    assert len(grid_names) == 24  # 2024 and 2025 (energy, latest 2025-09)
    assert [name for name in inputs if "__Y__" in name] == [f"sales.__Y__-{m:02d}" for m in range(1, 13)]
    assert inputs["margins[0].method"]["value"] == "1"
    assert inputs["margins[0].current.sales"]["value"] == "1億1800万"
    assert inputs["margins[0].comparison.months"]["value"] == "12"
    # methods ② and ③ hold nothing: no request names, so they are never sent
    assert not [name for name in inputs if name.startswith(("margins[1]", "margins[2]"))]
    assert len([a for t, a, _ in page.elements if t == "fieldset" and "data-kz-method" in a]) == 3
    assert (
        len([a for t, a, _ in page.elements if t == "input" and a.get("data-kz-name") == "current.sales"])
        == 3
    )
    assert 'data-kz-grid-action="expand"' in page_html
    assert 'data-kz-grid-action="clear"' in page_html
    assert "表をクリア" in page_html
    # the rows come from Python's layout (widgets/downturn.mjs never reads a month itself)
    assert "data-kz-year-grid" in page_html
    form = page.find("form", id="kz-form")[0]
    layout = json.loads(form["data-kz-layout"])
    rows = [
        int(a["data-year"])
        for t, a, ancestors in page.elements
        if t == "tr" and "data-year" in a and not any("data-kz-template" in b for b in ancestors)
    ]
    assert layout["years"] == rows
    assert layout["all_years"][-len(rows) :] == rows
    assert len(layout["all_years"]) == layout["max"] == 5


def test_every_error_field_of_the_bad_input_table_has_a_container(page_html: str) -> None:
    containers = error_containers(Page(page_html))
    fields = [field for _, tool, _, expected in BAD_INPUT_CASES if tool == "downturn" for field in expected]
    assert "margins[0].method" in fields
    assert "sales.2022年3月" in fields
    for field in fields:
        holder = next((name for name in ancestor_paths(field) if name in containers), None)
        assert holder is not None, field
        assert containers[holder], f"{holder} has no .kz-error slot"
    assert containers["sales"]
    assert containers["margins"]
    assert containers["margins[0]"]


def test_error_slot_of_a_parent_comes_before_its_children(page_html: str) -> None:
    for parent, slot in (
        ("sales", "kz-f-sales-error"),
        ("margins", "kz-f-margins-error"),
        ("margins[0]", "kz-m1-error"),
    ):
        start = page_html.index(f'data-kz-field="{parent}"')
        first = re.search(r'class="kz-error" id="([^"]+)"', page_html[start:])
        assert first is not None
        assert first.group(1) == slot


# --- the result view ---------------------------------------------------------------------------


def test_default_example_renders_every_test_with_its_figures() -> None:
    request = form_for("downturn").default_request()
    response = respond(request)
    assert response["meets"] is True
    assert response["met_by"] == "sales_six_month_average"
    html = downturn.render(response, request)
    assert_accessible(html)
    assert html.startswith('<h2 id="kz-results-heading">結果：業況悪化（5%）の判定</h2>')
    assert '<span class="kz-verdict kz-ok"><span aria-hidden="true">○</span> 満たす</span>' in html
    assert "前年の同じ時期（2024年9月）" in html
    # latest month: 9,700,000 vs 10,000,000 = 3%
    assert "2025年9月の9,700,000円と比べた結果" in html
    assert "10,000,000円" in html
    assert ">3%<" in html
    # six-month average: 57,600,000 vs 61,500,000 = 6.34%
    assert "月平均9,600,000円（合計57,600,000円）" in html
    assert "61,500,000円" in html
    assert "10,250,000円" in html
    assert "6.34%" in html
    assert "判定に使った時期" in html
    assert "過去6か月（最近1か月を含む）の平均売上高（2024年4月〜2024年9月と比べて）" in html
    # margins: both margins, relative decline and points
    assert "27.15%" in html
    assert "25%" in html
    assert "7.93%" in html
    assert "-2.15ポイント" in html
    assert "ポイント差では満たさない" in html
    assert "118,000,000円" in html
    assert "12か月" in html
    # notes and the second-use periods
    assert "判定の読み方と確認できていない点" in html
    for note in response["notes"]:
        assert note in html
    assert "2022年4月1日〜2023年3月31日" in html
    assert "2022年4月1日〜2025年3月31日" in html
    assert "期間外" in html
    assert "確認できていない（協議会に確認）" in html
    assert "計算の根拠" in html
    assert "基準日と出典" in html
    assert 'href="../eligibility/"' in html
    rows = dict(input_rows("downturn", request))
    assert rows["2025年9月の売上高"] == "9,700,000（9,700,000円）"
    assert rows["利益率の比較1：最近の期間の売上高"] == "1億1800万（118,000,000円）"
    assert downturn.summary(response).startswith("業況悪化の要件：満たす。過去6か月")


def test_covid_golden_lists_every_comparison_year() -> None:
    request, response = golden("covid compares with any of the previous four years (4 years back passes)")
    html = downturn.render(response, request)
    assert_accessible(html)
    for year in (2021, 2020, 2019, 2018):
        assert f"{year}年3月" in html
    assert "前4年のいずれかの年の同じ時期" in html
    assert "10%" in html
    assert "判定していない" in html  # the six-month average has no data


def test_missing_comparison_and_zero_base() -> None:
    request, response = golden("covid latest month down exactly 5.00% passes (以上 is inclusive)")
    html = downturn.render(response, request)
    assert html.count("未入力") == 3
    assert ">5%<" in html
    request, response = golden("sales base of zero cannot be judged")
    html = downturn.render(response, request)
    assert "判定できない（要相談）" in html
    assert "減少率を計算できません" in html


def test_margin_base_below_zero_is_not_a_pass() -> None:
    request, response = golden("operating margin base below zero is 判定不可")
    html = downturn.render(response, request)
    assert_accessible(html)
    assert "計算できません（比べる前の利益率が0以下）" in html
    assert "-1%" in html
    assert "-5%" in html
    assert "-4ポイント" in html
    assert "△500,000円" in html
    assert downturn.summary(response) == "業況悪化の要件：判定できない（要相談）。"


def test_second_use_inside_the_period() -> None:
    request, response = golden("the second-use periods are reported against the date")
    html = downturn.render(response, request)
    assert "基準日（2022年10月1日）は" in html
    assert html.count("期間内") == 2


def test_method_two_not_applicable_shows_figures_and_reason() -> None:
    request, response = golden("method 2 compares the same months of the previous year")
    html = downturn.render(response, request)
    assert_accessible(html)
    assert "②は前年の同じ期間の試算表と比べます" in html
    assert "3か月" in html


def test_text_from_the_response_is_escaped() -> None:
    request = form_for("downturn").default_request()
    response = copy.deepcopy(respond(request))
    evil = "<img src=x onerror=alert(1)>"
    response["tests"][0]["reason"] = evil
    response["tests"][1]["comparisons"][0]["period_label"] = evil
    response["notes"] = [evil]
    response["cause_label"] = evil
    response["second_use"][0]["label"] = evil
    html = downturn.render(response, {"cause": evil})
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 5


# --- exports -----------------------------------------------------------------------------------


def test_export_tables_rows() -> None:
    request = form_for("downturn").default_request()
    tables = {title: rows for title, _, rows in downturn.export_tables(respond(request))}
    assert tables["判定"][0] == ["判定", "満たす"]
    assert tables["判定"][3] == ["最近の月", "2025年9月"]
    assert tables["売上高の比較"] == [
        ["最近1か月の売上高", "2025年9月", 9700000, "2024年9月", 10000000, "3%", "×"],
        [
            "過去6か月（最近1か月を含む）の平均売上高",
            "2025年4月〜2025年9月",
            57600000,
            "2024年4月〜2024年9月",
            61500000,
            "6.34%",
            "○",
        ],
    ]
    gross = tables["利益率の比較"][0]
    assert gross == [
        "①直近の決算と前期の決算：売上高総利益率",
        118000000,
        29500000,
        12,
        "25%",
        123000000,
        33400000,
        12,
        "27.15%",
        "7.93%",
        "-2.15ポイント",
        "満たす",
    ]
    assert [row[3] for row in tables["再度の利用ができた時期"]] == ["期間外", "確認できていない"]
    assert len(tables["注記"]) == 4


def _as_strings(request: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in flatten(request).items() if value not in (None, "")}


@pytest.mark.parametrize(
    "request_body",
    [
        pytest.param(None, id="default example"),
        pytest.param(
            GOLDEN["six-month average down exactly 5.00% while the latest month is flat"]["request"],
            id="six-month golden",
        ),
        pytest.param(
            GOLDEN["method 3 compares a 試算表 of two months with the latest 決算"]["request"],
            id="method 3 golden",
        ),
    ],
)
def test_csv_round_trip(request_body: dict[str, Any] | None) -> None:
    request = request_body or form_for("downturn").default_request()
    response = respond(request)
    data = csv_bytes("downturn", request, response)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["[売上高の比較]"] in rows
    back = request_from_file("downturn", "業況悪化の判定.csv", data)
    assert _as_strings(back) == _as_strings(request)
    assert run("downturn", back) == response


def test_all_golden_responses_render() -> None:
    for case in GOLDEN.values():
        response = respond(case["request"])
        html = downturn.render(response, case["request"])
        assert_accessible(html)
        assert downturn.summary(response)
        assert len(downturn.export_tables(response)) == 6
