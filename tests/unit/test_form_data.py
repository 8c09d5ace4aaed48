"""The data the tool pages' JavaScript applies, as Python writes it at build time.

app.mjs and the widgets hold no rules: show-if conditions, the payment-term presets, the month
layouts of the grids and the other facts they need come from calculators/forms.py and the view
modules. These tests read that data from the functions and from the rendered pages."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from calculators.forms import (
    KEY_TOKENS,
    Field,
    Section,
    ToolForm,
    form_for,
    parse_show_if,
    show_if_data,
    shows,
)
from calculators.html import row_keys, table
from calculators.worker import compute
from hooks.tools import render_tool
from kaizen_core import registry
from kaizen_core.request import FALSE_WORDS, TRUE_WORDS
from tests.unit.html_page import Page

TOOLS = registry.page_names()


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("programme=vup", [[("programme", ["vup"])]]),
        ("programme=405|405-gl", [[("programme", ["405", "405-gl"])]]),
        (
            "adviser_is_lender=true||programme=vup&route=bank",
            [[("adviser_is_lender", ["true"])], [("programme", ["vup"]), ("route", ["bank"])]],
        ),
        ("loans[0].method=equal_principal|", [[("loans[0].method", ["equal_principal", ""])]]),
        # only the first "=" splits a condition (the old page script split on every one)
        ("note=a=b|c", [[("note", ["a=b", "c"])]]),
    ],
)
def test_a_show_if_rule_is_parsed_once_into_data(rule: str, expected: object) -> None:
    assert parse_show_if(rule) == expected
    written = [[[path, accepted] for path, accepted in alternative] for alternative in parse_show_if(rule)]
    assert json.loads(show_if_data(rule)) == written


def test_a_value_holding_an_equals_sign_is_compared_whole() -> None:
    assert shows("note=a=b", {"note": "a=b"}) is True
    assert shows("note=a=b", {"note": "a"}) is False


@pytest.mark.parametrize("rule", ["", "programme", "=vup", "a=x&b"])
def test_a_malformed_show_if_rule_fails_the_build(rule: str) -> None:
    with pytest.raises(ValueError, match="show-if"):
        parse_show_if(rule)


@pytest.mark.parametrize("tool", TOOLS)
def test_every_show_if_on_a_page_is_json_data(tool: str) -> None:
    html = render_tool(tool, as_of="2026-11-21")
    page = Page(html)
    marked = [attrs for _, attrs, _ in page.elements if "data-kz-show-if" in attrs]
    # a form with conditional parts (fields or widget templates with a rule) carries them as data
    if tool in {"subsidy", "eligibility", "forecast"}:
        assert marked, tool
    for attrs in marked:
        rule = json.loads(attrs["data-kz-show-if"])
        assert isinstance(rule, list)
        assert rule
        for alternative in rule:
            for path, accepted in alternative:
                assert re.fullmatch(r"[A-Za-z0-9_.\[\]-]+", path), path
                assert isinstance(accepted, list)
                assert all(isinstance(value, str) for value in accepted)
    # the old "a=x|y" syntax is nowhere in the page
    assert not re.search(r'data-kz-show-if="[^\["]', html)


def test_table_rows_and_the_table_carry_keys_for_the_page_script() -> None:
    """app.mjs matches a new answer's rows to the shown ones by data-kz-key, not by position."""
    html = table(
        "内訳", ["項目", "金額"], [["計画策定費用", "100"], ["<b>合計</b>", "1"], ["計画策定費用", "2"]]
    )
    assert re.findall(r'<tr data-kz-key="([^"]*)">', html) == ["計画策定費用", "合計", "計画策定費用#2"]
    assert 'data-kz-key="table:内訳"' in html
    assert row_keys(["A &amp; B", "A &amp; B", "A &amp; B"]) == ["A &amp; B", "A &amp; B#2", "A &amp; B#3"]


@pytest.mark.parametrize("tool", TOOLS)
def test_every_section_of_a_result_has_a_key(tool: str) -> None:
    """Each top-level block of a result can be matched by key (data-kz-key, id or aria-labelledby)."""
    html = render_tool(tool, as_of="2026-11-21")
    body = html[html.index('id="kz-results"') :]
    body = body[body.index(">") + 1 : body.index('<div class="kz-actions')]
    depth = 0
    blocks = []
    for match in re.finditer(r"<(/?)([a-z0-9]+)([^>]*)>", body):
        closing, tag, attrs = match.groups()
        if tag in {"br", "img", "input", "hr", "col", "wbr", "source"} or attrs.endswith("/"):
            continue
        if closing:
            depth -= 1
            continue
        blocks.append((depth, attrs))
        depth += 1
    # a result wrapped in one block (資金繰り表, 財務の健康診断) is judged by the blocks inside it
    top = [attrs for level, attrs in blocks if level == 0]
    blocks = [(level, attrs) for level, attrs in blocks if level == (1 if len(top) == 1 else 0)]
    assert len(blocks) > 5, tool
    for _, attrs in blocks:
        assert re.search(r'\b(data-kz-key|id|aria-labelledby)="[^"]+"', attrs), (tool, attrs)


def test_the_worker_returns_the_layout_python_reads_from_the_request() -> None:
    """The widgets never read a month: 最近の月 and 開始の年月 in 令和, 月数 in words, the years of the
    業況悪化 grid and the 資金繰り表's months come back with the answer (also an answer with errors)."""
    downturn = json.loads(compute("downturn", json.dumps({"cause": "covid", "latest_month": "令和4年9月"})))
    assert downturn["layout"]["years"] == [2018, 2019, 2020, 2021, 2022]  # COVID reaches back to 2018
    assert downturn["layout"]["all_years"] == [2018, 2019, 2020, 2021, 2022]
    assert downturn["layout"]["max"] == 5
    request = {
        "start": "令和9年1月",
        "months": "3か月",
        "collection": [{"months_after": "1", "share": "１００％"}],
    }
    forecast = json.loads(compute("forecast", json.dumps(request, ensure_ascii=False)))
    assert forecast["status"] != 0  # no opening balance: errors, and still the layout
    assert forecast["layout"]["months"] == ["2027-01", "2027-02", "2027-03"]
    assert forecast["layout"]["terms"]["collection"]["preset"] == "next"
    unreadable = json.loads(compute("forecast", json.dumps({"start": "去年", "months": "3"})))
    assert unreadable["layout"]["months"] is None
    assert json.loads(compute("subsidy", json.dumps({"programme": "vup"})))["layout"] == {}


def test_the_preset_rows_and_the_method_words_are_page_data() -> None:
    forecast = render_tool("forecast", as_of="2026-11-21")
    rows = re.findall(r'data-kz-preset-rows="([^"]+)"', forecast)
    assert rows
    assert {json.loads(unescape(text))["next2"][0][0] for text in rows} == {"2"}
    downturn = render_tool("downturn", as_of="2026-11-21")
    vocabulary = json.loads(downturn.split('id="kz-downturn-vocabulary">')[1].split("</script>")[0])
    assert vocabulary["method"]["②"] == "2"
    assert vocabulary["method"]["3"] == "3"
    eligibility = render_tool("eligibility", as_of="2026-11-21")
    opened = re.search(r'<details class="kz-advanced" data-kz-open-when-given="([^"]+)"', eligibility)
    assert opened
    assert json.loads(unescape(opened.group(1))) == ["programme", "route", "as_of"]


def test_the_key_tokens_are_the_patterns_known_uses_and_page_data() -> None:
    """app.mjs checks a loaded request's keys with the form's data-kz-key-tokens: the very patterns
    ToolForm.known accepts (a row index below 100, a month kaizen_core reads)."""
    form = form_for("forecast")
    assert form.known("loans[99].balance")
    assert not form.known("loans[100].balance")
    assert not form.known("loans[01].balance")
    assert form.known("sales.monthly.2200-12")
    assert not form.known("sales.monthly.2201-01")
    html = render_tool("forecast", as_of="2026-11-21")
    tokens = json.loads(unescape(re.search(r'data-kz-key-tokens="([^"]+)"', html).group(1)))  # type: ignore[union-attr]
    assert tokens == KEY_TOKENS
    assert re.fullmatch(tokens["__I__"], "99")
    assert not re.fullmatch(tokens["__I__"], "100")
    assert re.fullmatch(tokens["__M__"], "2026-04")
    assert not re.fullmatch(tokens["__M__"], "2026-13")
    assert re.fullmatch(tokens["__Y__"], "2024")
    assert not re.fullmatch(tokens["__Y__"], "__Y__")


def test_the_yes_and_no_words_are_kaizen_cores() -> None:
    html = render_tool("eligibility", as_of="2026-11-21")
    words = json.loads(unescape(re.search(r'data-kz-yes-no="([^"]+)"', html).group(1)))  # type: ignore[union-attr]
    assert set(words["true"]) == TRUE_WORDS
    assert set(words["false"]) == FALSE_WORDS
    assert "あり" in words["true"]


@pytest.mark.parametrize("tool", TOOLS)
def test_a_form_with_a_wide_grid_is_marked_for_the_layout(tool: str) -> None:
    """A form with a year grid wider than the column beside the result (Section.wide) puts its page's
    tool block in kz-tool--wide (site.css puts the form above the result); the others do not."""
    wide = form_for(tool).wide
    page = Page(render_tool(tool, as_of="2026-11-21"))
    classes = [attrs.get("class", "") for _, attrs, _ in page.elements if attrs.get("id") == "kz-tool"]
    assert len(classes) == 1
    assert ("kz-tool--wide" in classes[0].split()) is wide
    assert "kz-tool" in classes[0].split()


def test_a_form_is_wide_when_one_of_its_sections_is() -> None:
    narrow = Section("期間", (Field("months", "月数", "count"),))
    grid = Section("年度ごとの数字", (Field("sales", "売上高", "yen"),), wide=True)
    assert ToolForm("t", "小さなツール", (narrow,)).wide is False
    assert ToolForm("t", "小さなツール", (narrow, grid)).wide is True
    # the year-grid tools use it: without any wide form the layout's wide path would go untested
    assert any(form_for(tool).wide for tool in TOOLS)
    assert not all(form_for(tool).wide for tool in TOOLS)


@pytest.mark.parametrize("tool", TOOLS)
def test_the_first_live_answer_matches_the_built_page(tool: str) -> None:
    """The build and the worker write the result the same way (compact JSON and the same HTML), so
    the first answer after start comes back "unchanged" and the page keeps the DOM it was built
    with (no second render of the example on every visit)."""
    from kaizen_core.request import today

    html = render_tool(tool, as_of=today().isoformat())
    digest = re.search(r'id="kz-result" data-kz-digest="([0-9a-f]+)"', html)
    assert digest is not None
    reply = json.loads(
        compute(tool, json.dumps(form_for(tool).default_request(), ensure_ascii=False), digest.group(1))
    )
    assert reply["status"] == 0
    assert reply.get("unchanged") is True, tool


def test_the_worker_gives_the_forecasts_month_labels_and_the_rest_of_a_cash_share() -> None:
    """With every answer, the 資金繰り表's layout labels its months (widgets/forecast.mjs formats
    none) and gives the rows 「一部は現金」 writes for the share in its box (the widget computes no
    rest): 45% in cash → 55% the month after, whatever the request's second row says so far."""
    request = {
        "start": "令和9年1月",
        "months": "3か月",
        "collection": [{"months_after": 0, "share": "45%"}, {"months_after": 1, "share": "70%"}],
    }
    layout = json.loads(compute("forecast", json.dumps(request, ensure_ascii=False)))["layout"]
    assert layout["months"] == ["2027-01", "2027-02", "2027-03"]
    assert [layout["labels"][month] for month in layout["months"]] == ["2027年1月", "2027年2月", "2027年3月"]
    terms = layout["terms"]["collection"]
    assert terms["mixed"] == {"cash": "45%", "rows": [["0", None], ["1", "55%"]]}
    assert terms["preset"] == "custom"  # 45% and 70% are not a share and its rest
    assert set(layout["terms"]) == {"collection", "purchases.payment", "outsourcing.payment"}
