"""利用対象チェック: the question flow (form), the result view, the exports and the CSV round trip."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from calculators import eligibility
from calculators.export import csv_bytes, request_from_file
from calculators.forms import flatten, form_for, input_rows, parsed_values, show_if_data
from hooks.tools import render_tool
from kaizen_core import run
from tests.conftest import load_cases
from tests.unit.html_page import Page, ancestor_paths, assert_accessible, error_containers
from tests.unit.test_bad_input import CASES as BAD_INPUT_CASES

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = {case["name"]: case for case in load_cases(ROOT / "tests" / "golden" / "eligibility.yaml")}
AS_OF = "2026-11-21"


def respond(request: dict[str, Any]) -> dict[str, Any]:
    return run("eligibility", request)


def golden(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    request = GOLDEN[name]["request"]
    return request, respond(request)


# --- the form ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_html() -> str:
    return render_tool("eligibility")


def test_form_is_the_eligibility_form() -> None:
    form = form_for("eligibility")
    assert form is eligibility.FORM
    names = [f.name for f in form.fields()]
    for name in (
        "prefecture",
        "entity_type",
        "industry",
        "capital",
        "employees",
        "use_cabinet_order",
        "needs_financial_support",
        "gl_workout",
        "adviser_is_lender",
        "has_borrowings",
        "downturn_meets",
        "prior_use.vup",
        "prior_use.405",
        "prior_use.council_revitalization",
        "prior_use.plan_in_progress",
        "bank.zero_zero_at_bank",
        "bank.is_main_bank",
        "bank.total_lending",
        "bank.zero_zero_guaranteed_balance",
        "programme",
        "route",
        "as_of",
    ):
        assert names.count(name) == 1, name
    prefectures = dict(form.widget_field("programme").options)
    assert prefectures["405-gl"] == "経営改善計画策定支援（405事業）中小版GL枠"
    codes = dict(next(f for f in form.fields() if f.name == "prefecture").options)
    assert len(codes) == 47
    assert codes["01"] == "北海道"
    assert codes["26"] == "京都府"
    assert codes["47"] == "沖縄県"


def test_questions_that_do_not_apply_are_skipped() -> None:
    fields = {f.name: f for f in form_for("eligibility").fields()}
    industry = fields["industry"].show_if
    assert industry.startswith("entity_type=|")
    assert "medical_corporation" not in industry
    assert "kabushiki_kaisha" in industry
    capital = fields["capital"].show_if
    assert "sole_proprietor" not in capital
    assert "medical_corporation" not in capital
    assert "godo_kaisha" in capital
    assert fields["employees"].show_if == ""
    cabinet = fields["use_cabinet_order"].show_if
    assert cabinet.split("&")[0] == "industry=rubber_products|software_it|inn"
    assert fields["gl_workout"].show_if == "needs_financial_support=true"
    assert fields["route"].show_if == "programme=vup"


def test_rendered_form_has_each_input_once_and_the_flow_markers(page_html: str) -> None:
    page = Page(page_html)
    singles = [
        attrs["name"] for tag, attrs, _ in page.elements if tag in ("input", "select") and "name" in attrs
    ]
    radios = {attrs["name"] for tag, attrs, _ in page.elements if attrs.get("type") == "radio"}
    for name in set(singles) - radios:
        assert singles.count(name) == 1, name
    for name in radios:
        assert singles.count(name) == 3, name  # はい・いいえ・わからない
    downturn = page.find(
        "div",
        data_kz_show_if=show_if_data(
            "prior_use.vup=true||prior_use.405=true||prior_use.council_revitalization=true||prior_use.plan_in_progress=true"
        ),
    )
    assert len(downturn) == 1
    assert "hidden" in downturn[0]
    bank = page.find(
        "fieldset", data_kz_show_if=show_if_data("adviser_is_lender=true||programme=vup&route=bank")
    )
    assert len(bank) == 1
    assert "hidden" in bank[0]
    assert len(page.find("details")) == 1
    assert 'href="../downturn/"' in page_html
    # the default example is answered in the form: 京都府 and 株式会社 are selected
    assert re.search(r'<option value="26" selected>京都府</option>', page_html)
    assert re.search(r'<option value="kabushiki_kaisha" selected>株式会社</option>', page_html)


def test_every_error_field_of_the_bad_input_table_has_a_container(page_html: str) -> None:
    containers = error_containers(Page(page_html))
    fields = [
        field for _, tool, _, expected in BAD_INPUT_CASES if tool == "eligibility" for field in expected
    ]
    assert "prior_use.vupp" in fields
    assert "bank.total_lending" in fields
    for field in fields:
        holder = next((name for name in ancestor_paths(field) if name in containers), None)
        assert holder is not None, field
        assert containers[holder], f"{holder} has no .kz-error slot"
    assert containers["prior_use"]
    assert containers["bank"]


def test_error_slot_of_a_parent_comes_before_its_children(page_html: str) -> None:
    """app.mjs writes into the first .kz-error inside the container: the parent's own slot."""
    for parent, slot in (("prior_use", "kz-f-prior_use-error"), ("bank", "kz-f-bank-error")):
        start = page_html.index(f'data-kz-field="{parent}"')
        first = re.search(r'class="kz-error" id="([^"]+)"', page_html[start:])
        assert first is not None
        assert first.group(1) == slot


def test_vocabulary_turns_japanese_names_into_form_codes(page_html: str) -> None:
    import json

    match = re.search(
        r'<script type="application/json" id="kz-eligibility-vocabulary">(.*?)</script>', page_html
    )
    assert match is not None
    words = json.loads(match.group(1))
    assert words["entity_type"]["有限会社"] == "tokurei_yugen_kaisha"
    assert words["entity_type"]["株式会社"] == "kabushiki_kaisha"
    assert words["industry"]["飲食店"] == "retail"
    assert words["prefecture"]["京都"] == "26"
    assert words["prefecture"]["5"] == "05"
    assert words["prefecture"]["北海道"] == "01"
    assert words["programme"]["Vアップ"] == "vup"
    assert "はい" in words["true"]
    assert "いいえ" in words["false"]


# --- the result view ---------------------------------------------------------------------------


def test_default_example_renders_answer_council_and_next_steps() -> None:
    request = form_for("eligibility").default_request()
    response = respond(request)
    assert response["programme"] == "vup"
    assert response["eligible"] is True
    html = eligibility.render(response, request)
    page = assert_accessible(html)
    assert html.startswith('<h2 id="kz-results-heading">')
    assert "合いそうな事業" in html
    assert "対象になります" in html
    assert "対象外です" in html
    assert "判断できません" in html
    assert html.count('class="kz-programme"') == 3
    assert "京都府中小企業活性化協議会" in html
    assert 'href="tel:0753537331"' in html
    assert "075-353-7331" in html
    assert 'href="https://www.kyoto-kasseikyo.go.jp/"' in html
    assert "京都商工会議所" in html
    assert "2026年1月時点" in html
    assert 'href="../../kyogikai/kinki/#pref-26"' in html
    assert 'href="../../vup/"' in html
    assert 'href="../../405/"' in html
    assert 'href="../subsidy/"' in html
    assert "協議会に確認すること" in html
    assert "次にすること" in html
    assert "計算の根拠" in html
    assert "基準日と出典" in html
    # the printed input summary shows the answers in words
    assert "入力した内容" in html
    summary_rows = dict(input_rows("eligibility", request))
    assert summary_rows["都道府県（本社・主な事業所のある所）"] == "京都府"
    assert summary_rows["事業者の形態"] == "株式会社"
    assert summary_rows["資本金の額（出資の総額）"] == "1000万（10,000,000円）"
    assert summary_rows["金融支援（返済条件の変更・借換え・新規融資など）が必要ですか"] == "いいえ"
    assert "○" in page.text
    assert "×" in "".join(page.text)
    assert eligibility.summary(response).startswith("合いそうな事業は早期経営改善計画策定支援")


def test_without_a_prefecture_the_council_lists_are_linked() -> None:
    request, response = golden("base manufacturer fits vup")
    assert response["council"] is None
    html = eligibility.render(response, request)
    assert_accessible(html)
    assert 'href="../../kyogikai/kinki/"' in html
    assert 'href="../../kyogikai/zenkoku/"' in html
    assert "tel:" not in html
    assert "いただいた回答では、特に確かめる点は見つかりませんでした" in html


def test_unknown_need_for_financial_support_goes_to_the_council() -> None:
    request, response = golden("need for 金融支援 unknown sends the business to the council")
    html = eligibility.render(response, request)
    assert_accessible(html)
    assert "中小企業活性化協議会に相談" in html
    assert "判定（" not in html
    assert "その事業の判定" not in html
    for ask in response["ask_council"]:
        assert ask in html
    assert eligibility.summary(response) == "中小企業活性化協議会に相談。"


def test_bank_route_golden_shows_its_checks_and_a_chosen_tag() -> None:
    request, response = golden("bank route all conditions met")
    html = eligibility.render(response, request)
    assert_accessible(html)
    assert "民間金融機関による支援の要件（ゼロゼロ融資・メインバンク・借入総額）" in html
    assert html.count("この事業で判定") == 1
    assert html.count('class="kz-programme"') == 4


def test_council_by_jis_code_and_not_eligible_verdict() -> None:
    request, response = golden("council by JIS code")
    html = eligibility.render(response, request)
    assert "大阪府中小企業活性化協議会" in html
    assert 'href="tel:0669446481"' in html
    request, response = golden("entity 社会福祉法人")
    html = eligibility.render(response, request)
    assert "社会福祉法人は対象外の法人形態です。" in html
    assert '<span class="kz-verdict kz-ng">' in html


def test_text_from_the_response_is_escaped() -> None:
    request = form_for("eligibility").default_request()
    response = copy.deepcopy(respond(request))
    evil = '<script>alert("x")</script>'
    response["recommendation"]["label"] = evil
    response["programmes"][0]["checks"][0]["reason"] = evil
    response["ask_council"] = [evil]
    response["council"]["name"] = evil
    response["council"]["url"] = 'javascript:alert(1)" onmouseover="x'
    html = eligibility.render(response, {"employees": evil})
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") >= 5
    assert 'onmouseover="x' not in html


# --- exports -----------------------------------------------------------------------------------


def test_export_tables_rows() -> None:
    request = form_for("eligibility").default_request()
    tables = {title: (headers, rows) for title, headers, rows in eligibility.export_tables(respond(request))}
    headers, rows = tables["事業ごとの判定"]
    assert headers == ["事業", "判定"]
    assert rows == [
        [
            "早期経営改善計画策定支援（Vアップ支援事業）（認定支援機関（士業等専門家など）による支援）",
            "対象になります",
        ],
        ["経営改善計画策定支援（405事業）通常枠", "対象外です"],
        ["経営改善計画策定支援（405事業）中小版GL枠", "判断できません"],
    ]
    _, checks = tables["判定の理由"]
    assert checks[0][1:3] == ["事業者の形態", "○"]
    assert ["経営改善計画策定支援（405事業）通常枠", "金融支援が必要か", "×"] in [row[:3] for row in checks]
    _, council = tables["相談先の協議会"]
    assert council == [
        [
            "京都府中小企業活性化協議会",
            "075-353-7331",
            "600-8009",
            "京都市下京区四条通室町東入函谷鉾町78 京都経済センター6階",
            "https://www.kyoto-kasseikyo.go.jp/",
            "京都商工会議所",
            "2026-01",
        ]
    ]
    _, asks = tables["協議会に確認すること"]
    assert asks == []


def _as_strings(request: dict[str, Any]) -> dict[str, Any]:
    return {
        key: ("true" if value is True else "false" if value is False else str(value))
        for key, value in flatten(request).items()
        if value not in (None, "")
    }


@pytest.mark.parametrize(
    "request_body",
    [
        pytest.param(None, id="default example"),
        pytest.param(GOLDEN["bank route all conditions met"]["request"], id="bank route golden"),
        pytest.param(GOLDEN["council chosen by prefecture"]["request"], id="council golden"),
    ],
)
def test_csv_round_trip(request_body: dict[str, Any] | None) -> None:
    request = request_body or form_for("eligibility").default_request()
    response = respond(request)
    data = csv_bytes("eligibility", request, response)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["[事業ごとの判定]"] in rows
    back = request_from_file("eligibility", "利用対象チェック.csv", data)
    assert _as_strings(back) == _as_strings(request)
    assert run("eligibility", back) == response


def test_parsed_values_for_the_money_fields() -> None:
    shown = parsed_values(
        "eligibility", {"capital": "1000万", "bank": {"total_lending": "4千万"}, "employees": "２０"}
    )
    assert shown == {"capital": "10,000,000円", "bank.total_lending": "40,000,000円", "employees": "20"}


def test_all_golden_responses_render() -> None:
    for case in GOLDEN.values():
        response = respond(case["request"])
        html = eligibility.render(response, case["request"])
        assert_accessible(html)
        assert eligibility.summary(response)
        assert len(eligibility.export_tables(response)) >= 4


# --- the worker's reply ------------------------------------------------------------------------


def test_same_answer_for_other_inputs_still_sends_the_new_html() -> None:
    """The page keeps its DOM only when it shows exactly this reply: the same JSON answer with other
    inputs (業種 建設業 instead of 製造業, both over the same limits) must still replace the inputs shown."""
    from calculators.worker import compute

    manufacturing, construction = (
        json.dumps(GOLDEN[name]["request"], ensure_ascii=False)
        for name in ("size manufacturing both over", "size construction both over")
    )
    first = json.loads(compute("eligibility", manufacturing))
    second = json.loads(compute("eligibility", construction, first["digest"]))
    assert second["text"] == first["text"]  # kaizen_core's answer is the same...
    assert "unchanged" not in second  # ...but the page must show the new inputs
    assert "<td>建設業</td>" in second["html"]
    assert "<td>製造業</td>" in first["html"]
    again = json.loads(compute("eligibility", construction, second["digest"]))
    assert again["unchanged"] is True
    assert "html" not in again
    assert "text" not in again
