"""The 資金繰り表 page: its result view, form containers, exports and file round trip."""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from calculators import forecast, forecast_chart, forecast_form, forecast_table
from calculators.export import csv_bytes, request_from_file
from calculators.forms import flatten
from kaizen_core import run
from kaizen_core.errors import InputError
from kaizen_core.numbers import format_yen
from tests.conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = {case["name"]: case for case in load_cases(ROOT / "tests" / "golden" / "forecast.yaml")}
DEFAULT = forecast.FORM.default_request()


def golden(name_start: str) -> tuple[dict[str, Any], dict[str, Any]]:
    case = next(case for name, case in GOLDEN.items() if name.startswith(name_start))
    return case["request"], run("forecast", case["request"])


class Page(HTMLParser):
    """Headings, table structure, text and data-kz-field containers of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.th_without_scope = 0
        self.tables = 0
        self.captions = 0
        self.text: list[str] = []
        self.fields: set[str] = set()
        self.template_depth = 0
        self.names: list[str] = []
        self.template_names: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "template":
            self.template_depth += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)
        if tag == "th" and not found.get("scope"):
            self.th_without_scope += 1
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if "data-kz-field" in found and not self.template_depth:
            self.fields.add(str(found["data-kz-field"]))
        if tag in ("input", "select") and found.get("name"):
            (self.template_names if self.template_depth else self.names).append(str(found["name"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.template_depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def default_response() -> dict[str, Any]:
    return run("forecast", DEFAULT)


def render_page() -> str:
    """The tool page as the build renders it (the form and the example's result)."""
    sys.path.insert(0, str(ROOT / "hooks"))
    from tools import render_tool

    html: str = render_tool("forecast", as_of="2026-11-21")
    return html


@pytest.fixture(scope="module")
def built_form() -> Page:
    html = render_page()
    return parse(html[: html.index('<section class="kz-results"')])


# --- the result view ------------------------------------------------------------------------------


def test_default_example_shows_the_key_figures(default_response: dict[str, Any]) -> None:
    html = forecast.render(default_response, DEFAULT)
    # The default example: 2026-04 for 12 months, ending at 3,281,441円, lowest in 2026-09.
    assert default_response["closing_balance"] == 3_281_441
    assert default_response["lowest_balance"] == {"month": "2026-09", "label": "2026年9月", "amount": 911_413}
    assert html.startswith(
        '<div class="kz-forecast"><h2 id="kz-results-heading">結果：2026年4月から12か月の資金繰り</h2>'
    )
    assert "3,281,441円" in html
    assert "911,413円" in html
    # below the safety level (1,500,000円) in 2026年9月〜12月, never below zero; -10% goes negative
    assert "最低限の残高（1,500,000円）を下回る月" in html
    assert "2026年9月〜12月" in html
    assert "○</span> ありません" in html
    assert "売上高が-10%の場合の最も少ない残高" in html
    assert "△1,323,451円" in html
    # every line of the table, grouped by section
    for label in ("月初残高", "現金売上", "売掛金の回収", "買掛金の支払", "人件費", "支払利息", "設備投資"):
        assert f'<th scope="row">{label}</th>' in html
    for section in ("経常収支", "設備等収支", "財務収支"):
        assert f'<th scope="rowgroup">{section}</th>' in html
    # 2026-07: payroll with the bonus month
    assert "2,200,000" in html
    assert html.count("<h2") == 1


def test_result_structure_is_accessible(default_response: dict[str, Any]) -> None:
    page = parse(forecast.render(default_response, DEFAULT))
    assert page.headings[0] == "h2"
    assert set(page.headings[1:]) == {"h3"}
    assert page.th_without_scope == 0
    assert page.tables == 4  # the monthly table (screen and paper), the loans, the printed inputs
    assert page.captions == page.tables
    wraps = [attrs for tag, attrs in page.tags if "kz-table-wrap" in (attrs.get("class") or "")]
    assert len(wraps) >= 3
    assert all(w.get("tabindex") == "0" and w.get("aria-label") for w in wraps)
    svg = next(attrs for tag, attrs in page.tags if tag == "svg" and attrs.get("role") == "img")
    assert svg["aria-labelledby"] == "kz-fc-chart-title kz-fc-chart-desc"


def test_chart_marks_safety_shortfall_and_scenario() -> None:
    _, response = golden("shortfall below zero")
    svg = forecast_chart.chart(response)
    assert 'role="img"' in svg
    assert "<title id=" in svg
    assert "<desc id=" in svg
    # four months below zero, each labelled 不足 in the chart (not by colour alone)
    assert response["shortfall_months"] == ["2026-06", "2026-07", "2026-08", "2026-09"]
    assert svg.count(">不足</text>") == 4
    assert "2026年6月〜9月" in svg
    assert 'stroke-dasharray="7 4"' in svg  # the safety level
    assert "最低限残したい残高（150,000円）" in svg  # in the legend, not on the line over the bars
    assert "最低限の残高 15万" not in svg
    _request, response = golden("sales down 10% scenario")
    svg = forecast_chart.chart(response)
    assert "<polyline" in svg
    assert "売上高が-10%の場合の月末残高" in svg
    assert "最も少ないのは2026年4月の1,050,000円" in svg


def test_months_with_actuals_show_plan_actual_and_variance() -> None:
    request, response = golden("actuals replace the plan")
    html = forecast_table.monthly_table(response)  # the screen's table (the page also has a printed copy)
    assert html.count('<th scope="colgroup" colspan="3">') == 2
    assert html.count('<th scope="col" class="kz-r">予定</th>') == 2
    assert forecast.render(response, request).count('<th scope="colgroup" colspan="3">') == 4
    # 2026-04 cash sales: plan 500,000, actual 450,000, variance △50,000
    assert '<td class="kz-r kz-fc-plan kz-num">500,000</td>' in html
    assert '<td class="kz-r kz-fc-actual kz-num">450,000</td>' in html
    assert '<td class="kz-r kz-fc-diff kz-num kz-neg">△50,000</td>' in html
    # 2026-05 closing from the bank: plan 1,150,000, actual 1,140,000, adjustment row shown
    assert "実績の残高との差（調整）" in html
    assert '<td class="kz-r kz-fc-plan kz-num">1,150,000</td>' in html


def test_negative_numbers_have_a_visible_mark() -> None:
    request, response = golden("bonus month and a tax payment")
    html = forecast.render(response, request)
    assert '<td class="kz-r kz-num kz-neg">△800,000</td>' in html  # the table's 月末残高 of 2026年9月
    assert "▲</span>不足" in html
    assert "2026年7月〜9月に残高がマイナスになる見込みです" in html


def test_text_is_escaped() -> None:
    request = {
        "start": "2026-04",
        "months": 6,
        "opening_balance": "100万",
        "sales": {"base": "50万"},
        "loans": [
            {"name": "<script>alert(1)</script>&銀行", "balance": "100万", "monthly_principal": "10万"}
        ],
        "taxes": [{"label": '<img src=x onerror="1">', "month": "2026-05", "amount": 1}],
    }
    html = forecast.render(run("forecast", request), request)
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;銀行" in html
    assert "&lt;img src=x onerror=&quot;1&quot;&gt;" in html


def test_the_printed_copy_comes_apart_from_the_visible_result() -> None:
    """The worker sends the printed table apart (app.mjs puts it in after the visible result is
    painted); put back, it is exactly what the page renders; a typed marker cannot split it."""
    from calculators.worker import compute

    forged = "<!--kz-lazy:print-->偽<!--/kz-lazy-->"
    request = {
        "start": "2026-04",
        "months": 24,
        "opening_balance": "100万",
        "sales": {"base": "50万"},
        "taxes": [{"label": forged, "month": "2026-05", "amount": "1万"}],
    }
    reply = json.loads(compute("forecast", json.dumps(request, ensure_ascii=False)))
    assert reply["status"] == 0
    assert list(reply["lazy"]) == ["print"]
    printed = reply["lazy"]["print"]
    assert printed.count("<table ") == 2  # 24 months: two chunks of 12
    assert printed.startswith('<div class="kz-fc-print-chunk"><h3>月ごとの資金繰り表</h3>')
    placeholder = (
        '<section class="kz-print-only kz-fc-print" data-kz-key="print" data-kz-lazy="print"></section>'
    )
    assert reply["html"].count(placeholder) == 1
    assert "kz-fc-print-table" not in reply["html"]
    whole = forecast.render(run("forecast", request), request)
    rejoined = reply["html"].replace(placeholder, placeholder.replace("></section>", f">{printed}</section>"))
    assert rejoined == whole.replace("<!--kz-lazy:print-->", "").replace("<!--/kz-lazy-->", "")
    # the typed marker is escaped text (in the inputs listed under the result), not a part
    assert "&lt;!--kz-lazy:print--&gt;偽&lt;!--/kz-lazy--&gt;" in reply["html"]
    assert "偽" not in printed
    # a tool without such a part sends none
    from calculators.forms import form_for

    subsidy = json.loads(
        compute("subsidy", json.dumps(form_for("subsidy").default_request(), ensure_ascii=False))
    )
    assert subsidy["status"] == 0
    assert subsidy["lazy"] == {}


def test_summary_line(default_response: dict[str, Any]) -> None:
    assert forecast.summary(default_response) == (
        "期末残高3,281,441円、最も少ない残高は2026年9月末の911,413円。残高がマイナスになる月はありません。"
    )
    _, response = golden("shortfall below zero")
    assert forecast.summary(response).endswith("残高がマイナスになる月：2026年6月〜9月。")


def test_month_ranges() -> None:
    assert forecast_table.month_ranges(["2026-09", "2026-10", "2026-12"]) == "2026年9月〜10月、2026年12月"
    assert forecast_table.month_ranges(["2026-11", "2026-12", "2027-01"]) == "2026年11月〜2027年1月"
    assert forecast_table.month_ranges([]) == ""


def test_render_of_36_months_with_several_loans_is_fast() -> None:
    request = {
        **DEFAULT,
        "months": 36,
        "loans": [
            *DEFAULT["loans"],
            {
                "name": "C",
                "balance": "1500万",
                "annual_rate": "1.8%",
                "method": "equal_payment",
                "monthly_payment": "30万",
            },
            {"name": "D", "balance": "500万", "annual_rate": "2%", "method": "bullet", "maturity": "2028-03"},
            {
                "name": "E",
                "balance": "1000万",
                "method": "equal_principal",
                "monthly_principal": "20万",
                "drawdown": "2026-09",
            },
        ],
        "actuals": {"2026-04": {"cash_sales": "90万", "closing": "320万"}, "2026-05": {"sales": "480万"}},
    }
    response = run("forecast", request)
    times = []
    for _ in range(7):
        began = time.perf_counter()
        html = forecast.render(response, request)
        times.append(time.perf_counter() - began)
    assert statistics.median(times) < 0.05
    # each month once on screen and once in the printed chunks (a month with actuals takes 3 columns:
    # 4 + 3 + 3 + 3 = 12 columns print as 2026年4月〜5月 plus 6 more months, then 12 and 12 and 4)
    months = re.findall(r'<th scope="col(?:group)?"[^>]*>(20\d\d年\d{1,2}月)', html)
    assert len(months) == 72
    assert html.count('scope="colgroup"') == 4
    assert "2029年3月" in html
    assert forecast_table.print_chunks(response["rows"]) == [(0, 8), (8, 20), (20, 32), (32, 36)]


# --- the form -----------------------------------------------------------------------------------------


def _containers_for(field: str) -> list[str]:
    """The container paths app.mjs tries for an error field: the field, then each ancestor path."""
    candidates = [field]
    parts = re.split(r"\.|(?=\[)", field)
    while len(parts) > 1:
        parts.pop()
        candidates.append(".".join(parts).replace(".[", "["))
    return candidates


def _bad_input_fields() -> list[str]:
    from tests.unit.test_bad_input import CASES

    fields = []
    for _, tool, body, _ in CASES:
        if tool != "forecast":
            continue
        with pytest.raises(InputError) as caught:
            run(tool, body)
        fields.extend(error.field for error in caught.value.errors)
    return fields


def test_every_error_field_has_a_container(built_form: Page) -> None:
    fields = _bad_input_fields()
    assert {"start", "months", "opening_balance", "collection[0].share", "loans[0].monthly_payment"} <= set(
        fields
    )
    for field in fields:
        assert any(c in built_form.fields for c in _containers_for(field)), field
    # the lists' own containers exist even with no rows
    assert {
        "sales",
        "sales.seasonality",
        "collection",
        "purchases",
        "outsourcing",
        "loans",
        "actuals",
    } <= built_form.fields
    assert {
        "taxes",
        "capex",
        "asset_sales",
        "other_income",
        "other_payments",
        "opening_receivables",
    } <= built_form.fields


def test_every_input_name_is_known_to_the_form(built_form: Page) -> None:
    tokens = {"__I__": "1", "__M__": "2026-05", "__P__": "sales.monthly", "__K__": "rent"}
    names = list(built_form.names)
    for name in built_form.template_names:
        for token, value in tokens.items():
            name = name.replace(token, value)
        names.append(name)
    assert "loans[1].monthly_payment" in names
    assert "payroll.months.2026-05" in names
    unknown = [name for name in names if forecast.FORM.describe(name) is None]
    assert unknown == []


def test_form_shows_the_default_example(built_form: Page) -> None:
    # the payroll with bonus months is sent as {"amount": …, "months": …}
    assert "payroll.amount" in built_form.names
    assert "payroll" not in built_form.names
    assert "rent" in built_form.names
    assert "payroll.months.2026-07" in built_form.names
    # the preset rows of the collection and payment terms are hidden inputs
    assert built_form.names.count("collection[0].share") == 1
    assert "purchases.payment[0].months_after" in built_form.names
    assert [n for n in built_form.names if n.startswith("loans[")][:2] == [
        "loans[0].name",
        "loans[0].balance",
    ]


# What 「一部は現金」's box shows when the rows are another preset's: the default share.
DEFAULT_CASH = forecast_form.DEFAULT_CASH_SHARE


@pytest.mark.parametrize(
    ("values", "preset", "cash"),
    [
        ({}, "cash", DEFAULT_CASH),
        ({"collection[0].months_after": 1, "collection[0].share": 1}, "next", DEFAULT_CASH),
        ({"collection[0].months_after": "2", "collection[0].share": "100%"}, "next2", DEFAULT_CASH),
        ({"collection[0].months_after": "0", "collection[0].share": "１００％"}, "cash", DEFAULT_CASH),
        (
            {
                "collection[0].months_after": 0,
                "collection[0].share": "30%",
                "collection[1].months_after": 1,
                "collection[1].share": "70%",
            },
            "mixed",
            "30%",
        ),
        ({"collection[0].months_after": 3, "collection[0].share": "100%"}, "custom", DEFAULT_CASH),
        # two rows that are not a share and its rest are the custom rows they are
        (
            {
                "collection[0].months_after": 0,
                "collection[0].share": "30%",
                "collection[1].months_after": 1,
                "collection[1].share": "60%",
            },
            "custom",
            DEFAULT_CASH,
        ),
    ],
)
def test_terms_presets(values: dict[str, Any], preset: str, cash: str) -> None:
    state = forecast.FORM.terms_state(values, "collection")
    assert (state["preset"], state["cash"]) == (preset, cash)


def test_show_if_conditions_have_no_empty_alternative() -> None:
    """app.mjs reads "||" as "or" between whole conditions: a rule must not contain it by accident."""
    for item in forecast_form.loan_fields("0").values():
        assert "||" not in item.show_if
    assert forecast_form.loan_fields("2")["maturity"].show_if == "loans[2].method=bullet|期日一括返済"
    assert (
        forecast_form.loan_fields("0")["monthly_principal"].show_if
        == "loans[0].method=equal_principal|元金均等返済|"
    )


def test_labels_count_rows_from_one() -> None:
    assert forecast.FORM.describe("loans[0].balance") == (
        "借入金1：いまの借入残高（これから借りる場合は借りる額）",
        "yen",
    )
    assert forecast.FORM.describe("taxes[2].amount") == ("税金3：金額", "yen")
    assert forecast.FORM.describe("actuals.2026-04.closing") == ("実績（2026-04）：月末残高", "signed_yen")
    assert forecast.FORM.describe("purchases.payment[1].share") == ("仕入の支払条件2：割合", "rate")


# --- exports --------------------------------------------------------------------------------------------


def test_export_tables(default_response: dict[str, Any]) -> None:
    tables = {title: (headers, rows) for title, headers, rows in forecast.export_tables(default_response)}
    headers, rows = tables["資金繰り表"]
    assert headers[:3] == ["項目（円）", "2026年4月", "2026年5月"]
    assert headers[-1] == "合計"
    by_label = {row[0]: row[1:] for row in rows}
    assert by_label["月初残高"][:2] == [3_000_000, 3_040_000]
    assert by_label["月末残高"][-1] == 3_281_441
    assert by_label["月末残高"][:12] == [r["closing"] for r in default_response["rows"]]
    assert by_label["人件費"][3] == 2_200_000
    assert by_label["残高の状態"][5] == "注意（最低限の残高未満）"
    assert all(isinstance(v, int) for v in by_label["現金売上"])
    _, scenario = tables["売上高の増減シナリオ"]
    assert scenario[-1] == ["2027年3月", 3_281_441, -240_405, "不足（マイナス）"]
    _, loans = tables["借入金の残高"]
    assert loans == [["A銀行", 19_200_000], ["日本政策金融公庫", 6_352_194]]
    assert "予定と実績" not in tables


def test_export_tables_with_actuals() -> None:
    _, response = golden("actuals replace the plan")
    tables = {title: rows for title, _, rows in forecast.export_tables(response)}
    assert tables["予定と実績"] == [
        ["2026年4月", "現金売上", 500_000, 450_000, -50_000],
        ["2026年5月", "月末残高", 1_150_000, 1_140_000, -10_000],
    ]


@pytest.mark.parametrize("source", ["default", "actuals replace the plan", "capital spending"])
def test_csv_round_trip(source: str) -> None:
    request = DEFAULT if source == "default" else golden(source)[0]
    response = run("forecast", request)
    data = csv_bytes("forecast", request, response)
    assert data.startswith(b"\xef\xbb\xbf")
    back = request_from_file("forecast", "資金繰り表.csv", data)
    expected = {k: str(v) for k, v in flatten(request).items()}
    if source == "default":
        # a number typed with a sign is exported as a number (-10% → -0.1), not as 'text
        assert expected["scenario.sales_change"] == "-10%"
        expected["scenario.sales_change"] = "-0.1"
    assert flatten(back) == expected
    assert run("forecast", back)["closing_balance"] == response["closing_balance"]


def test_input_summary_names_the_loan_method(default_response: dict[str, Any]) -> None:
    html = forecast.render(default_response, DEFAULT)
    assert "借入金1：返済方法</th><td>元金均等返済</td>" in html
    assert "人件費（2026-07）</th><td>220万（2,200,000円）</td>" in html
    assert format_yen(3_000_000) in html


def test_default_example_is_a_valid_request() -> None:
    example = json.loads((ROOT / "calculators/examples/forecast.json").read_text(encoding="utf-8"))
    assert example == DEFAULT
    assert run("forecast", example)["months"] == 12


# --- what the widget applies comes from Python (widgets/forecast.mjs holds no copy of a rule) ---------

# The widget's code without its comments (which name the texts and rules they point to).
WIDGET = re.sub(
    r"(?m)^[ \t]*//[^\n]*$|/\*.*?\*/",
    "",
    (ROOT / "calculators" / "widgets" / "forecast.mjs").read_text(encoding="utf-8"),
    flags=re.S,
)


def _widget_html(template: str, request: dict[str, Any]) -> str:
    """One widget template of the form rendered for ``request`` (the build's environment)."""
    sys.path.insert(0, str(ROOT / "hooks"))
    from tools import _env

    return _env.get_template(f"widgets/{template}").render(form=forecast.FORM, values=flatten(request))


def _page_json(html: str, pattern: str) -> Any:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return json.loads(unescape(found.group(1)))


@pytest.mark.parametrize(
    ("cash", "rest"),
    [
        ("30%", "70%"),
        ("３０％", "70%"),
        ("0.25", "75%"),
        ("33.333%", "66.667%"),
        ("3割", "70%"),
        ("1/3", "2/3"),
        ("100%", "0%"),
        ("150%", None),
        ("半分", None),
        ("", None),
    ],
)
def test_the_rest_of_a_mixed_term_is_pythons(cash: str, rest: str | None) -> None:
    """「一部は現金」: the box is the first row's share; Python writes the rest so that kaizen_core reads
    exactly 100% (the widget had its own reader of the share, 「0.25」 as 0.25%)."""
    assert forecast.FORM.mixed_rows(cash) == [["0", None], ["1", rest]]
    if rest is not None:
        request = {
            **DEFAULT,
            "collection": [{"months_after": 0, "share": cash}, {"months_after": 1, "share": rest}],
        }
        run("forecast", request)  # kaizen_core reads the two shares as exactly 100%
        assert forecast.FORM.terms_state(flatten(request), "collection")["preset"] == "mixed"
    # a rest already written another way that reads the same is kept as written
    assert forecast.FORM.mixed_rows("30%", "0.7") == [["0", None], ["1", "0.7"]]
    assert forecast.FORM.mixed_rows("30%", "60%") == [["0", None], ["1", "70%"]]


def test_the_preset_rows_and_the_default_share_are_page_data(built_form: Page) -> None:
    rows = forecast.FORM.preset_rows()
    assert (
        rows["mixed"]
        == forecast.FORM.mixed_rows(forecast_form.DEFAULT_CASH_SHARE)
        == [["0", None], ["1", "70%"]]
    )
    assert rows["custom"] == [["0", "100%"]]
    assert rows["next"] == [["1", "100%"]]
    html = render_page()
    for found in re.findall(r'data-kz-preset-rows="([^"]+)"', html):
        assert json.loads(unescape(found)) == json.loads(json.dumps(rows))
    # the box of 「一部は現金」 is the first share's input; another preset's box holds the default
    boxes = {tag["name"]: tag for _, tag in built_form.tags if "data-kz-cash" in tag}
    assert boxes["collection[0].share"]["value"] == "20%"  # the example's 20% / 80%
    assert boxes["purchases.payment[0].share"]["value"] == forecast_form.DEFAULT_CASH_SHARE
    hidden = [tag["name"] for _, tag in built_form.tags if tag.get("type") == "hidden"]
    assert "collection[0].share" not in hidden
    assert {"collection[0].months_after", "collection[1].months_after", "collection[1].share"} <= set(hidden)
    layout = _page_json(html, r'data-kz-layout="([^"]+)"')
    mixed = layout["terms"]["collection"]
    assert (mixed["preset"], mixed["cash"]) == ("mixed", "20%")
    assert mixed["mixed"] == {"cash": "20%", "rows": [["0", None], ["1", "80%"]]}
    # every list of terms is in the layout, also one the request does not name
    assert set(layout["terms"]) == set(forecast_form.TERM_PREFIXES)
    assert layout["terms"]["outsourcing.payment"]["preset"] == "cash"
    assert "30%" not in WIDGET  # no default share and no reader of shares in the script
    assert "100%" not in WIDGET


def test_the_layout_labels_every_month_the_widget_shows() -> None:
    """Months come with their labels (ForecastForm.month_label, kaizen_core's Month.label): those of
    the table and every other month the request names, also a value kaizen_core cannot read."""
    request = {
        **DEFAULT,
        "start": "令和9年1月",
        "months": "6か月",
        "payroll": {"amount": "120万", "months": {"2027-07": "220万"}},
        "taxes": [{"month": "2030-01", "amount": "1万"}, {"month": "来年", "amount": "1万"}],
    }
    layout = forecast.FORM.layout(flatten(request))
    assert layout["months"] == [f"2027-0{m}" for m in range(1, 7)]
    labels = layout["labels"]
    assert [labels[key] for key in layout["months"]] == [f"2027年{m}月" for m in range(1, 7)]
    assert labels["2027-07"] == "2027年7月"
    assert labels["2030-01"] == "2030年1月"
    assert labels["来年"] == "来年"
    assert labels["2026-04"] == "2026年4月"  # opening_receivables.2026-04 of the example
    page_layout = _page_json(render_page(), r'data-kz-layout="([^"]+)"')
    assert page_layout["labels"] == dict(forecast.FORM.horizon(flatten(DEFAULT)))
    assert "年${" not in WIDGET  # the script formats no month
    assert "月`" not in WIDGET


def test_the_modes_a_loaded_request_chooses_are_page_data() -> None:
    """The page's vocabulary lists each mode with the part of the request that chooses it, in the
    order ForecastForm.amount_mode tries them; the widget applies it to a loaded request."""
    html = render_page()
    vocabulary = _page_json(
        html, r'<script type="application/json" id="kz-forecast-vocabulary">(.*?)</script>'
    )
    assert vocabulary == json.loads(forecast.FORM.vocabulary())
    assert vocabulary["modes"]["purchases"] == [
        ["none", None],
        ["share", "purchases.share_of_sales"],
        ["amount", "purchases.amount"],
        ["monthly", "purchases.monthly"],
    ]
    assert vocabulary["modes"]["sales"] == [["base", None], ["monthly", "sales.monthly"]]

    def chosen(key: str, values: dict[str, Any]) -> str:
        """The widget's reading of the vocabulary (widgets/forecast.mjs prepareModes)."""
        choices = vocabulary["modes"][key]
        has = [
            mode
            for mode, path in choices
            if path and any(k == path or k.startswith((path + ".", path + "[")) for k in values)
        ]
        return has[0] if has else next(mode for mode, path in choices if path is None)

    for request in (
        DEFAULT,
        {
            "sales": {"monthly": {"2026-04": 1}},
            "purchases": {"amount": 1},
            "outsourcing": {"monthly": {"2026-04": 1}},
        },
        {"purchases": {"amount": 1, "share_of_sales": "1%"}, "outsourcing": {"payment": [{"share": 1}]}},
        {},
    ):
        values = flatten(request)
        for key in ("sales", "purchases", "outsourcing"):
            assert chosen(key, values) == forecast.FORM.amount_mode(values, key), (key, request)
    # the selects' options are the same list
    for key in ("sales", "purchases", "outsourcing"):
        options = re.findall(
            r"<option value=\"([a-z]+)\"", html.split(f'data-kz-mode="{key}"')[1].split("</select>")[0]
        )
        assert options == [mode for mode, _ in vocabulary["modes"][key]]
    assert "share_of_sales" not in WIDGET


def test_ids_come_from_the_build(built_form: Page) -> None:
    """A grid's id is ForecastForm.dom of its prefix and its cloned cells' ids are the real cells'
    Field.dom_id; a row's id prefixes its inputs' ids (the widget renumbers from the template)."""
    html = render_page()
    grids = {tag["data-kz-grid"]: tag["id"] for _, tag in built_form.tags if "data-kz-grid" in tag}
    assert grids["sales.monthly"] == "kz-f-sales-monthly"
    assert grids["loans[0].schedule"] == "kz-f-loans-0--schedule"
    template = html.split('<template data-kz-template="month-cell">')[1].split("</template>")[0]
    for prefix, grid_id in grids.items():
        cell = forecast.FORM.month_cell(prefix, "2026-04", "2026年4月")
        made = template.replace("__D__", grid_id).replace("__P__", prefix).replace("__M__", "2026-04")
        assert f'id="{cell.dom_id}"' in made, prefix
        assert f'name="{cell.name}"' in made
    rows = [tag for _, tag in built_form.tags if "data-kz-row" in tag]
    assert rows
    for row in rows:
        assert row["id"] == forecast.FORM.dom(row["data-kz-field"])
    loan = html.split('<template data-kz-template="loans">')[1].split("</template>")[0]
    assert '<li class="kz-fc-row" id="kz-f-loans-__I__-" data-kz-row data-kz-field="loans[__I__]">' in loan
    assert 'id="kz-f-loans-__I__--name"' in loan
    assert re.search(r"[\"'`]kz-f-", WIDGET) is None  # no id made in the script
    assert "replace(/[^0-9A-Za-z" not in WIDGET


def test_option_texts_are_the_builds() -> None:
    """「（表の期間外）」, 「（選んでください）」 and the 実績 count's texts are the templates': the first
    paint and the options the widget clones say the same (a month outside the table by its label)."""
    request = {**DEFAULT, "months": 6, "taxes": [{"label": "x", "month": "2026-11", "amount": "1万"}]}
    scheduled = _widget_html("forecast_scheduled.html", request)
    assert '<option value="2026-11" selected>2026年11月（表の期間外）</option>' in scheduled
    html = render_page()
    assert (
        '<template data-kz-template="month-outside"><option>__L__（表の期間外）</option></template>' in html
    )
    assert (
        '<template data-kz-template="actual-count"><option value="__N__">__N__か月（__L__まで）</option></template>'
        in html
    )
    actuals = _widget_html("forecast_actuals.html", {**DEFAULT, "actuals": {"2026-05": {"closing": "300万"}}})
    assert '<option value="2" selected>2か月（2026年5月まで）</option>' in actuals
    assert '<option value="0">0（実績を入れない）</option>' in actuals
    for text in ("表の期間外", "選んでください", "実績を入れない", "か月（"):
        assert text not in WIDGET, text


def test_the_months_a_loaded_request_may_span_are_page_data() -> None:
    """Before Python has read a loaded request, the widget lays out the months its keys name (what a
    month key may be: the form's data-kz-key-tokens), at most the vocabulary's max_months, the same
    limit ForecastForm.horizon lays out."""
    vocabulary = json.loads(forecast.FORM.vocabulary())
    assert vocabulary["max_months"] == forecast_form.MAX_LAID_OUT_MONTHS
    assert (
        len(forecast.FORM.horizon({"start": "2026-04", "months": "240"})) == forecast_form.MAX_LAID_OUT_MONTHS
    )
    tokens = _page_json(render_page(), r'data-kz-key-tokens="([^"]+)"')
    assert re.fullmatch(tokens["__M__"], "2026-04")
    assert not re.fullmatch(tokens["__M__"], "2026-13")
    assert "kzKeyTokens" in WIDGET
    assert "120" not in WIDGET
    assert "(?:19|20|21)" not in WIDGET


def test_the_row_lists_are_read_from_the_page(built_form: Page) -> None:
    """Every row list of the page has its row template under the same name (the widget reads the
    lists from the DOM: data-kz-list, not a list of names of its own)."""
    html = render_page()
    lists = [tag["data-kz-list"] for _, tag in built_form.tags if "data-kz-list" in tag]
    assert {"taxes", "capex", "asset_sales", "other_income", "other_payments", "loans", "collection"} <= set(
        lists
    )
    for name in lists:
        assert f'<template data-kz-template="{name}">' in html, name
    for name in forecast_form.SCHEDULED_TEXT:
        assert f'"{name}"' not in WIDGET, name
