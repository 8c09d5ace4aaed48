"""財務の健康診断's page: the input table, the result view (table, chart, reasons, meanings, the
official sheet), the link to 数値計画チェック, the status line and the downloads' tables."""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from calculators import benchmark
from calculators.forms import flatten, form_for
from kaizen_core import registry, run
from tests.conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]
CASES = {case["name"]: case for case in load_cases(ROOT / "tests" / "golden" / "benchmark.yaml")}
THREE = CASES["three periods with trends in the direction that counts as better"]["request"]


def _decoded(link: str) -> dict[str, Any]:
    fragment = link.split("#q=", 1)[1]
    document: dict[str, Any] = json.loads(base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)))
    return document


def test_the_input_table_has_a_row_per_figure_and_a_column_per_year() -> None:
    form = benchmark.FORM
    rows = form.grid_rows()
    assert [row["key"] for row in rows][:4] == ["label", "previous_sales", "sales", "operating_profit"]
    assert len(rows) == 13
    assert all(len(row["cells"]) == 3 for row in rows)
    previous = next(row for row in rows if row["key"] == "previous_sales")
    assert previous["cells"][0].name == "periods[0].previous_sales"
    assert previous["cells"][1:] == [None, None]  # asked for the first year only
    assert form.describe("periods[2].sales") == ("3期目の売上高", "yen")
    assert form.describe("periods[1].operating_profit") == ("2期目の営業利益", "signed_yen")
    assert form.describe("periods[0].employees") == ("1期目の従業員数", "count")
    assert form.describe("periods[0].net_assets") == ("1期目の純資産", "signed_yen")
    assert form.describe("periods[1].previous_sales") is None
    assert form.describe("periods[3].sales") is None
    # every key of every golden request (what the share-link test types in) has an input
    for case in CASES.values():
        for key in flatten(case["request"]):
            assert form.known(key), (case["name"], key)


def test_the_example_result_shows_the_indicators_trends_and_chart() -> None:
    request = form_for("benchmark").default_request()
    response = run("benchmark", {**request, "as_of": "2026-12-03"})
    html = benchmark.render(response, request)
    # the table: each value with its change told in words (not colour alone)
    for shown in ("△20.0%", "23.1%", "250,000円／人", "12.0倍", "1.8か月"):
        assert shown in html
    # 2024年3月期: all six better; 2025年3月期: two better, three worse, one the same
    assert html.count('<span aria-hidden="true">↑</span> 前期より改善') == 8
    assert html.count('<span aria-hidden="true">↓</span> 前期より悪化') == 3
    assert html.count('<span aria-hidden="true">→</span> 前期より横ばい') == 1
    # one chart panel per indicator, each with its title and a description that gives the values
    assert html.count('role="img"') == 6
    assert '<title id="kz-bm-chart-3-title">EBITDA有利子負債倍率の推移</title>' in html
    desc = re.search(r'<desc id="kz-bm-chart-5-desc">([^<]*)</desc>', html)
    assert desc is not None
    assert "2023年3月期 16.0%、2024年3月期 23.1%、2025年3月期 30.0%。最新の期は前期より改善。" in desc.group(
        1
    )
    # the reasons, the meaning for a bank, and the official sheet's industry scoring that this tool lacks
    assert (
        "（借入金30,000,000円 − 現預金10,000,000円） ÷ （営業利益4,000,000円 ＋ 減価償却費1,000,000円）"
        in html
    )
    assert "それぞれの指標で、金融機関は何を見るか" in html
    assert "このツールは業種の平均とは比べず、点数もつけません" in html
    assert (
        'href="https://www.meti.go.jp/policy/economy/keiei_innovation/sangyokinyu/locaben/sheet.html"' in html
    )
    assert "基準日：2026年12月3日" in html


def test_a_value_without_meaning_says_why() -> None:
    case = CASES["EBITDA of 0 or below leaves the debt ratio empty"]
    response = run("benchmark", case["request"])
    html = benchmark.render(response, case["request"])
    assert "－（計算できません）" in html
    reason = next(p for p in response["periods"] if p["ebitda_debt_ratio"]["value"] is None)[
        "ebitda_debt_ratio"
    ]["reason"]
    assert reason.startswith("EBITDA（営業利益")
    assert json.dumps(reason, ensure_ascii=False)[1:-1] in json.dumps(html, ensure_ascii=False)
    assert "計算できません" in html.split("<svg", 4)[4]  # the EBITDA panel says so in the chart too


def test_the_link_carries_the_latest_year_into_the_plan_as_its_base() -> None:
    response = run("benchmark", THREE)
    html = benchmark.render(response, THREE)
    link = re.search(r'data-kz-handoff="plan" href="([^"]+)"', html)
    assert link is not None
    assert link.group(1).startswith("../plan/#q=")
    assert _decoded(link.group(1)) == {
        "base": {"cash": "10000000", "borrowings": "30000000", "net_assets": "15000000"}
    }
    # a negative net assets (債務超過) goes over as it was read
    case = copy.deepcopy(CASES["no employees leaves labour productivity empty"]["request"])
    figures = run("benchmark", case)["periods"][-1]["figures"]
    assert benchmark.plan_request(run("benchmark", case))["base"]["net_assets"] == str(figures["net_assets"])
    assert figures["net_assets"] == -2_000_000


def test_the_plan_accepts_the_base_it_is_given() -> None:
    """The base fills the plan's request as its own base would: with plan years it computes, and
    its starting real net assets are the benchmark's 純資産."""
    plan_case = load_cases(ROOT / "tests" / "golden" / "plan.yaml")[0]["request"]
    base = benchmark.plan_request(run("benchmark", THREE))["base"]
    answer = run("plan", {**plan_case, "base": base})
    assert "errors" not in answer, answer
    first = answer["rows"][0]
    assert first["borrowings_end"] == 30_000_000 - 4_000_000  # the plan year repays 400万
    if registry.tool("plan").has_page:  # the plan page's form must hold every key of the link
        form = form_for("plan")
        for key in flatten(benchmark.plan_request(run("benchmark", THREE))):
            assert form.known(key), key


def test_the_status_line_and_the_download_tables() -> None:
    response = run("benchmark", THREE)
    assert benchmark.summary(response) == (
        "2025年3月期：売上高増加率0.0%、営業利益率4.0%、労働生産性500,000円／人、EBITDA有利子負債倍率4.0倍、"
        "営業運転資本回転期間1.7か月、自己資本比率30.0%。"
    )
    tables = {title: (headers, rows) for title, headers, rows in benchmark.export_tables(response)}
    headers, rows = tables["6つの財務指標"]
    assert headers == ["指標", "2023年3月期", "2024年3月期", "2025年3月期"]
    assert rows[0] == ["売上高増加率", "△20.0%", "25.0%", "0.0%"]
    assert rows[5] == ["自己資本比率", "16.0%", "23.1%", "30.0%"]
    _, details = tables["計算の内訳"]
    assert len(details) == 18
    assert details[11] == [
        "2024年3月期",
        "自己資本比率",
        "23.1%",
        "3/13",
        "改善",
        "純資産12,000,000円 ÷ 総資産52,000,000円",
    ]


@pytest.mark.parametrize("count", [1, 2])
def test_fewer_years_give_fewer_columns(count: int) -> None:
    request = {**THREE, "periods": THREE["periods"][:count]}
    response = run("benchmark", request)
    html = benchmark.render(response, request)
    assert html.count('role="img"') == 6
    headers = benchmark.export_tables(response)[0][1]
    assert len(headers) == count + 1
    if count == 1:
        assert "前期からの変化" not in html
