"""数値計画チェック's page: the year grids and 実態修正 rows of the form, the result view (targets as
目安, what would have to change, charts with text alternatives, the yearly table, 計画・実績・差異),
the status line and the downloads' tables."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from calculators import plan
from calculators.forms import flatten, input_rows
from calculators.html import row_keys
from hooks.tools import _env, render_tool
from kaizen_core import run
from tests.conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]
CASES = {case["name"]: case for case in load_cases(ROOT / "tests" / "golden" / "plan.yaml")}
LATE = CASES[
    "ordinary profit turns positive only in year 4, and years without cash flow have no repayment years"
]


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    return run("plan", request)


def test_the_grids_have_a_column_per_year_and_names_that_count_from_one() -> None:
    form = plan.FORM
    values = flatten(form.default_request())
    assert form.columns(values, "years") == [0, 1, 2, 3, 4]
    assert form.columns(values, "actuals") == []  # no actual yet: the grid shows its buttons only
    assert form.columns({}, "years") == [0, 1, 2]  # the fewest plan years
    assert form.columns({"years[11].sales": "1"}, "years") == [0, 1, 2]  # beyond the bound: not a column
    assert form.adjustments(values) == [0, 1, 2]
    assert [key for key, _, _ in form.rows][:3] == ["sales", "cost_of_sales", "sga"]
    assert {key: kind for key, _, kind in form.rows}["extraordinary"] == "signed_yen"
    assert form.describe("years[2].sales") == ("計画3年目の売上高", "yen")
    assert form.describe("actuals[0].working_capital_change") == (
        "実績1年目の運転資金の増加額（減ったときはマイナス）",
        "signed_yen",
    )
    assert form.describe("base.adjustments[1].amount") == ("実態修正2の金額", "signed_yen")
    assert form.known("years[9].label")
    assert not form.known("years[10].label")  # the engine takes ten years at most
    assert not form.known("base.adjustments[50].label")


def test_the_page_renders_the_example_grid_and_rows_at_first_paint() -> None:
    html = render_tool("plan", as_of="2026-11-21")
    assert html.count('name="years[4].sales"') == 1
    assert 'value="1.7億"' in html
    assert 'name="actuals[0].sales"' not in html
    assert re.search(r'name="base\.adjustments\[2\]\.label"[^>]*value="役員借入金（資本とみなす）"', html)
    assert 'name="base.adjustments[__I__].label"' in html  # the row template the script clones
    assert '<template data-kz-template="adjustments">' in html
    assert 'name="actuals[__I__].sales"' in html  # the column template of each grid
    assert "data-kz-plan-wrap hidden" in html  # the empty actuals table waits for a column


def _columns(table: str) -> list[list[str]]:
    """The heading and the cells of each column of a grid's table, column by column."""
    head = re.search(r"<thead>(.*?)</thead>", table, re.S)
    assert head
    heads = re.findall(r'<th scope="col">.*?</th>', head.group(1))
    rows = [
        re.findall(r"<td .*?</td>", row) for row in re.findall(r"<tr data-kz-plan-row.*?</tr>", table, re.S)
    ]
    assert len(rows) == len(plan.FORM.grid_rows)
    return [[heads[index], *(row[index] for row in rows)] for index in range(len(heads))]


def _filled(text: str, index: int) -> str:
    return text.replace("__I__", str(index)).replace("__N__", str(index + 1))


def test_a_cloned_column_or_row_is_the_first_paints_of_its_index() -> None:
    """The script's template column and row, their tokens replaced, are what the build renders."""
    macros = _env.get_template("widgets/plan_macros.html").module
    form = plan.FORM
    for prefix in plan.GRIDS:
        painted = _columns(str(macros.grid_table(form, prefix, list(range(form.max_years)), {})))
        (template,) = _columns(str(macros.grid_table(form, prefix, ["__I__"], {})))
        assert len(painted) == form.max_years
        for index, column in enumerate(painted):
            assert [_filled(cell, index) for cell in template] == column
    row = str(macros.adjustment_row("__I__", {}))
    for index in (0, 1, 9):
        assert _filled(row, index) == str(macros.adjustment_row(index, {}))
    assert "修正2を削除" in _filled(row, 1)
    assert form.column_name("actuals", 3) == "実績4年目"
    assert form.column_name("years", "__I__") == "計画__N__年目"


def test_the_result_shows_the_targets_as_guides_and_what_would_have_to_change() -> None:
    request = LATE["request"]
    response = _answer(request)
    html = plan.render(response, request)
    assert "<strong>目安です。</strong>協議会と金融機関は" in html
    # 経常黒字化 misses the target: the view shows kaizen_core's reason with the amount to improve
    assert "この年の経常利益を1,000,000円より多く改善する必要があります" in html
    assert html.count("届いていない") >= 1
    # the years without cash flow have no 債務償還年数, and say why
    assert html.count("計算できない") >= 3
    assert "1年目：簡易キャッシュフロー（当期純利益＋減価償却費）が△2,000,000円で0円以下のため" in html
    # each target's parameter is named with the sources
    assert "経常黒字化（3年）・実質債務超過の解消（5年）・債務償還年数（10年）" in html
    assert plan.summary(response) == (
        "経常黒字化：届いていない、実質債務超過の解消：届いている、最終年度の債務償還年数：5.0年（目安10年以下）。"
    )


def test_the_charts_have_text_alternatives_with_every_figure() -> None:
    response = _answer({**plan.FORM.default_request(), "as_of": "2026-12-03"})
    charts = plan.charts(response)
    assert charts.count('role="img"') == 2
    desc = re.findall(r'<desc id="([^"]+)">([^<]*)</desc>', charts)
    assert [ident for ident, _ in desc] == ["kz-plan-assets-desc", "kz-plan-debt-desc"]
    assets, debt = desc[0][1], desc[1][1]
    assert "計画の初め △2,000,000円" in assets
    assert "2031年3月期 10,560,000円" in assets
    assert "マイナス（実質債務超過）の時点：計画の初め、2027年3月期。" in assets
    assert "2027年3月期 22.3年" in debt
    assert "2031年3月期 8.5年" in debt
    assert "点線は目安の10年。" in debt
    # the target line sits at 10 years on the axis: 0 years at y=196, 30 years at y=16, so 196 − 60
    assert 'y1="136.0" y2="136.0" stroke="#e65100"' in charts
    assert '<text x="58" y="140.0" font-size="11" text-anchor="end" fill="#424242">10年</text>' in charts


def test_a_year_without_cash_flow_is_marked_on_the_chart() -> None:
    response = _answer(LATE["request"])
    charts = plan.charts(response)
    assert charts.count(">計算不可<title>") == 3
    assert "1年目 計算できない、2年目 計算できない、3年目 計算できない、4年目 5.0年" in charts


def test_the_yearly_table_and_the_printed_chunks() -> None:
    request = copy.deepcopy(plan.FORM.default_request())
    request["years"] = [
        {**request["years"][min(index, 4)], "label": f"{2027 + index}年3月期"} for index in range(7)
    ]
    response = _answer(request)
    html = plan.render(response, request)
    captions = re.findall(r"<caption>([^<]+)</caption>", html)
    assert captions[:3] == [
        "年度ごとの数字（計画）",
        "年度ごとの数字（計画）：1〜5年目",
        "年度ごとの数字（計画）：6〜7年目",
    ]
    assert '<div class="kz-print-only" data-kz-key="plan-rows-paper">' in html
    # the printed inputs hold the base, not the years (their figures are in the tables)
    rows = input_rows("plan", plan._base_inputs(request))
    assert ("現預金", "1,200万（12,000,000円）") in rows
    assert not any("計画" in label for label, _ in rows)
    # five years or fewer: one table for screen and paper
    five = _answer(plan.FORM.default_request())
    assert 'kz-print-only" data-kz-key="plan-rows-paper' not in plan.render(five, plan.FORM.default_request())


def test_actuals_are_shown_beside_the_plan() -> None:
    request = copy.deepcopy(plan.FORM.default_request())
    request["actuals"] = [{**request["years"][0], "sales": "1.45億"}]
    response = _answer(request)
    html = plan.render(response, request)
    assert "2027年3月期（1年目）の計画・実績・差異" in html
    table = html[html.index("2027年3月期（1年目）の計画・実績・差異") :]
    first_row = re.search(r"<tr data-kz-key=\"売上高\">(.*?)</tr>", table)
    assert first_row is not None
    cells = re.findall(r">([△0-9,]+円)<", first_row.group(1))
    assert cells == ["150,000,000円", "145,000,000円", "△5,000,000円"]


def test_the_downloads_hold_the_figures_targets_and_comparison() -> None:
    request = copy.deepcopy(plan.FORM.default_request())
    request["actuals"] = [{**request["years"][0], "sales": "1.45億"}]
    tables = {title: (headers, rows) for title, headers, rows in plan.export_tables(_answer(request))}
    assert list(tables) == ["年度ごとの数字", "3つの目安", "実質純資産", "計画・実績・差異", "注意"]
    headers, rows = tables["年度ごとの数字"]
    assert headers[:3] == ["項目", "2027年3月期（円）", "2028年3月期（円）"]
    by_name = {row[0]: row[1:] for row in rows}
    assert by_name["経常利益"] == [500_000, 2_150_000, 3_300_000, 4_450_000, 5_600_000]
    assert by_name["債務償還年数（年）"] == ["22.3年", "14.6年", "14.1年", "10.4年", "8.5年"]
    _, targets = tables["3つの目安"]
    assert [row[2] for row in targets] == ["届いている", "届いている", "届いている"]
    assert targets[1][3] == "2028年3月期"
    _, assets = tables["実質純資産"]
    assert assets[-1] == ["実質純資産（計画の初め）", -2_000_000]
    _, compared = tables["計画・実績・差異"]
    assert compared[0] == ["2027年3月期", "売上高", 150_000_000, 145_000_000, -5_000_000]


def test_row_keys_of_the_yearly_table_are_its_item_names() -> None:
    html = plan.render(_answer(plan.FORM.default_request()), plan.FORM.default_request())
    table = html[html.index("<caption>年度ごとの数字（計画）</caption>") :]
    table = table[: table.index("</table>")]
    keys = re.findall(r'<tr data-kz-key="([^"]*)">', table)
    assert keys[:3] == ["売上高", "売上原価", "売上総利益"]
    assert keys[-1] == "債務償還年数"
    assert keys == row_keys(keys)  # no name repeats
