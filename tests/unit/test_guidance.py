"""Issue 15's guidance and paper: the 資金繰り表's advice when cash runs low and its printed chunks,
the fee levels where the caps bind (kaizen_core.subsidy.fee_guide), the 相談準備シート with the
持ち物 from data, and how to find an adviser."""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from typing import Any

import pytest

from calculators import eligibility, forecast, forecast_table, subsidy
from calculators.forms import form_for
from kaizen_core.api import run
from kaizen_core.eligibility import documents_to_bring
from kaizen_core.errors import InputError
from kaizen_core.params import RuleSet
from kaizen_core.subsidy import fee_guide
from tests.unit.html_page import assert_accessible

DAY = date(2026, 12, 3)


def _forecast(**changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    request = {**form_for("forecast").default_request(), **changes}
    return request, run("forecast", request)


# --- the 資金繰り表 -------------------------------------------------------------------------------


def test_below_the_safety_level_the_advice_names_the_months_the_bank_and_vup() -> None:
    _, response = _forecast()
    html = forecast.next_steps(response)
    assert "最低限残したい残高（1,500,000円）を下回る月：<strong>2026年9月〜12月</strong>" in html
    assert "売上高が-10%の場合に残高がマイナスになる月：<strong>2026年9月〜2027年3月</strong>" in html
    assert "メインバンクに早めに相談する" in html
    assert "遅くとも2026年9月より前に" in html
    # no prefecture: the council lists, and the form's new field
    assert 'href="../../kyogikai/kinki/"' in html
    assert 'href="../../kyogikai/zenkoku/"' in html
    assert "早期経営改善計画策定支援（Vアップ）</a>が合います" in html
    assert html.index('href="../../vup/"') < html.index('href="../../405/"')


def test_below_zero_with_a_prefecture_gives_the_councils_number_and_405_first() -> None:
    request, response = _forecast(opening_balance="50万", prefecture="27")
    assert response["shortfall_months"]
    assert response["council"]["name"] == "大阪府中小企業活性化協議会"
    html = forecast.next_steps(response)
    assert "残高がマイナスになる月：<strong>" in html
    assert '電話 <a class="kz-tel" href="tel:0669446481">06-6944-6481</a>' in html
    assert html.index('href="../../405/"') < html.index('href="../../vup/"')
    assert "返済を待ってもらう・返済額を減らすなど" in html
    page = forecast.render(response, request)
    assert page.index("資金が足りなくなりそうなときにすること") < page.index("月末残高のグラフ")


def test_no_advice_when_the_balance_stays_healthy() -> None:
    request = form_for("forecast").default_request()
    del request["scenario"]
    request["safety_balance"] = ""
    response = run("forecast", request)
    assert response["below_safety_months"] == []
    assert forecast.next_steps(response) == ""


def test_an_unknown_prefecture_is_a_japanese_error() -> None:
    with pytest.raises(InputError) as caught:
        run("forecast", {**form_for("forecast").default_request(), "prefecture": "火星"})
    assert caught.value.errors[0].field == "prefecture"
    assert "都道府県として読み取れません（例：京都府／京都／26）" in caught.value.errors[0].message


def test_the_forecast_cites_what_its_figures_rest_on() -> None:
    request, response = _forecast()
    assert {r["id"] for r in response["references"]} == {"smrj_pamphlet_2022", "chusho_405_tebiki"}
    html = forecast.render(response, request)
    assert "この表の金額は、すべて入力した数字から計算しています" in html
    assert "全国の中小企業活性化協議会一覧" not in html
    assert "沖縄" not in html
    assert "基準日：" in html
    assert re.search(r"基準日：\d{4}年\d{1,2}月\d{1,2}日", html)


@pytest.mark.parametrize(("months", "chunks"), [(12, 1), (24, 2), (36, 3)])
def test_the_printed_table_repeats_the_labels_on_each_chunk(months: int, chunks: int) -> None:
    _, response = _forecast(months=months)
    html = forecast_table.print_tables(response)
    assert html.startswith(
        '<section class="kz-print-only kz-fc-print" data-kz-key="print" data-kz-lazy="print"><!--kz-lazy:print-->'
    )
    tables = re.findall(r"<table .*?</table>", html)
    assert len(tables) == chunks
    for index, table_html in enumerate(tables):
        assert table_html.count('<th scope="row">月初残高</th>') == 1
        assert table_html.count('<th scope="row">月末残高</th>') == 1
        heads = re.findall(r'<th scope="col" class="kz-r">(\d{4}年\d{1,2}月)</th>', table_html)
        assert len(heads) == 12
        assert ("合計</th>" in table_html) == (index == chunks - 1)
    # the 合計 column of 月初残高 is the first month's, whatever the chunk
    last = tables[-1]
    assert '<td class="kz-r kz-fc-total kz-num">3,000,000</td>' in last
    # the screen table is not printed
    page = forecast_table.monthly_table(response)
    assert page.startswith('<section class="kz-no-print"')


# --- fee levels where the caps bind ---------------------------------------------------------------


def test_fee_guide_of_vup() -> None:
    guide = fee_guide(RuleSet(DAY), "vup", "expert")
    assert [(i["item"], i["cap"], i["binding_fee"]) for i in guide["items"]] == [
        ("plan", 150_000, 225_000),
        ("monitoring_interim", 50_000, 75_000),
        ("monitoring_final", 50_000, 75_000),
        ("guarantee_release", 100_000, 150_000),
    ]
    assert (guide["fees_at_caps"], guide["subsidy_at_caps"], guide["self_pay_at_caps"]) == (
        375_000,
        250_000,
        125_000,
    )
    assert guide["tiers"] == []


def test_fee_guide_of_405_has_the_tiers() -> None:
    guide = fee_guide(RuleSet(DAY), "405", "expert")
    assert [
        (t["label"], t["fee_guide"], t["subsidy_cap"], t["self_pay_at_guide"]) for t in guide["tiers"]
    ] == [
        ("小規模", 1_500_000, 1_000_000, 500_000),
        ("中規模", 3_000_000, 2_000_000, 1_000_000),
        ("中堅", 4_500_000, 3_000_000, 1_500_000),
    ]
    assert (guide["fees_at_caps"], guide["subsidy_at_caps"]) == (4_500_000, 3_000_000)
    gl = fee_guide(RuleSet(DAY), "405-gl", "expert")
    assert (gl["fees_at_caps"], gl["subsidy_at_caps"], gl["self_pay_at_caps"]) == (
        10_500_000,
        7_000_000,
        3_500_000,
    )


def test_the_subsidy_tool_shows_the_guide_and_can_start_from_it() -> None:
    request = {
        "programme": "405",
        "company": {"sales": "8000万", "borrowings": "6000万"},
        "fees": {"plan": "1"},
    }
    response = run("subsidy", request)
    assert response["fee_guide"]["fees_at_caps"] == 4_500_000
    html = subsidy.render(response, request)
    assert_accessible(html)
    assert "見積りがまだないとき：費用の目安" in html
    assert "405事業（通常枠）の規模ごとの費用の目安" in html
    link = re.search(r'href="#q=([A-Za-z0-9_-]+)"', html)
    assert link is not None
    data = link.group(1)
    started = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    assert started == {
        "programme": "405",
        "route": "expert",
        "fees": {"plan": 3_000_000, "monitoring": 1_500_000},
        "company": {"sales": "8000万", "borrowings": "6000万"},
    }
    # the started request answers at the caps: 300万 of subsidy for a 中堅… here 小規模's 100万
    assert run("subsidy", started)["subsidy_total"] == 1_000_000


# --- the 相談準備シート ---------------------------------------------------------------------------


def test_documents_come_from_data_with_their_counts() -> None:
    rows = documents_to_bring(RuleSet(DAY))
    assert rows[0]["item"] == "決算書と申告書（直近3期分）"
    assert rows[-1]["application"] == "必要（原本。取得から6か月以内）"
    assert len(rows) == 5
    response = run("eligibility", form_for("eligibility").default_request())
    assert response["documents"] == documents_to_bring(RuleSet(date.fromisoformat(response["as_of"])))


def test_the_sheet_has_everything_for_the_council() -> None:
    request = {
        **form_for("eligibility").default_request(),
        "company_name": "株式会社みやこ精工",
        "as_of": "2026-12-03",
    }
    response = run("eligibility", request)
    html = eligibility.consultation_sheet(response, request)
    assert html.startswith('<section class="kz-print-only kz-sheet"')
    assert "<td>株式会社みやこ精工</td>" in html
    assert "京都府中小企業活性化協議会" in html
    assert 'href="tel:0753537331">075-353-7331</a>' in html
    assert "合いそうな事業：早期経営改善計画策定支援（Vアップ支援事業）" in html
    assert "経営改善計画策定支援（405事業）通常枠：対象外です" in html
    # the estimate at the fees where the caps bind, computed by kaizen_core
    assert (
        '<td class="kz-r">37万5,000円</td><td class="kz-r">25万円</td><td class="kz-r">12万5,000円</td>'
        in html
    )
    assert "☐</span> 決算書と申告書（直近3期分）" in html
    assert "基準日2026年12月3日" in html
    # a typed 基準日 is the rules' date, not the sheet's: the sheet is dated today (Japan)
    assert re.search(r"<span data-kz-print-date>\d{4}年\d{1,2}月\d{1,2}日</span>", html)
    full = eligibility.render(response, request)
    assert_accessible(full)
    assert full.endswith("</section>")
    assert full.index("相談準備シート") > full.index("基準日と出典")


def test_the_company_name_is_escaped_and_not_used_by_the_rules() -> None:
    request = form_for("eligibility").default_request()
    named = {**request, "company_name": "<b>A&B</b>"}
    without, with_name = run("eligibility", request), run("eligibility", named)
    assert without == with_name
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in eligibility.consultation_sheet(with_name, named)
    with pytest.raises(InputError) as caught:
        run("eligibility", {**request, "company_name": "あ" * 101})
    assert caught.value.errors[0].field == "company_name"


def test_without_a_prefecture_the_sheet_points_to_the_list() -> None:
    request = {"needs_financial_support": "true"}
    response = run("eligibility", request)
    html = eligibility.consultation_sheet(response, request)
    assert "本社のある都道府県の中小企業活性化協議会" in html
    assert "＿＿＿＿" in html  # a line to write the name by hand
    # 405 recommended: its size tiers' fee guides
    assert "（小規模）</th>" in html


def test_finding_an_adviser_links_the_official_pages_and_the_councils_site() -> None:
    request = {**form_for("eligibility").default_request()}
    response = run("eligibility", request)
    html = eligibility.render(response, request)
    assert "計画づくりを頼む専門家を探す" in html
    assert 'href="https://www.chusho.meti.go.jp/keiei/saisei/04.html"' in html
    assert 'href="https://www.chusho.meti.go.jp/keiei/saisei/05.html"' in html
    assert 'href="https://www.kyoto-kasseikyo.go.jp/">ウェブサイト</a>' in html
