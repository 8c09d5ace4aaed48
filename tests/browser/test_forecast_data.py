"""The 資金繰り表's widget applies what Python gives it (calculators/forecast_form.py), in Chromium:
the rows of 「一部は現金」 for the share in its box, the labels of the months, the mode a loaded
request's keys choose, and the ids of rows cloned from the build's templates."""

from __future__ import annotations

import json
from typing import Any

from tests.browser.conftest import computed_count, wait_ready, wait_recomputed
from tests.browser.test_tools import cli, share_fragment
from tests.site_build import ROOT

EXAMPLE = json.loads((ROOT / "calculators" / "examples" / "forecast.json").read_text(encoding="utf-8"))
TERMS = "[data-kz-terms='purchases.payment']"


def _hidden(page: Any) -> list[list[str]]:
    return list(
        page.eval_on_selector_all(
            f"{TERMS} [data-kz-terms-hidden] input",
            "inputs => inputs.map(input => [input.name, input.value])",
        )
    )


def _texts(page: Any, selector: str) -> list[str]:
    return [
        text.strip() for text in page.eval_on_selector_all(selector, "nodes => nodes.map(n => n.textContent)")
    ]


def test_a_mixed_term_round_trips_through_a_link_and_autosave(page: Any, base_url: str) -> None:
    """30% in cash and 70% the month after: the link shows 「一部は現金」 with 30% in its box; a share
    typed there gets its rest from Python (45% → 55%), which is saved and comes back the same."""
    request = {
        **EXAMPLE,
        "purchases": {
            "share_of_sales": "40%",
            "payment": [{"months_after": 0, "share": "30%"}, {"months_after": 1, "share": "70%"}],
        },
    }
    page.goto(f"{base_url}/tools/forecast/{share_fragment(request)}")
    wait_ready(page)
    page.wait_for_function(
        f"() => document.querySelector(\"{TERMS} [data-kz-preset]\").value === 'mixed'", timeout=15_000
    )
    assert page.input_value(f"{TERMS} [data-kz-cash]") == "30%"
    assert page.is_visible(f"{TERMS} [data-kz-cash]")
    assert _hidden(page) == [
        ["purchases.payment[0].months_after", "0"],
        ["purchases.payment[1].months_after", "1"],
        ["purchases.payment[1].share", "70%"],
    ]
    assert json.loads(page.text_content("#kz-result")) == cli("forecast", request)

    before = computed_count(page)
    page.fill(f"{TERMS} [data-kz-cash]", "45%")
    wait_recomputed(page, before)
    page.wait_for_function("() => !window.kaizenTool.busy")
    assert page.get_attribute("#kz-status", "data-state") == "ready", page.text_content("#kz-status")
    live = page.evaluate("globalThis.kaizenTool.request")
    assert live["purchases"]["payment"] == [
        {"share": "45%", "months_after": "0"},
        {"months_after": "1", "share": "55%"},
    ]
    assert json.loads(page.text_content("#kz-result")) == cli("forecast", live)

    # the autosaved form (no link this time) comes back as 「一部は現金」 with 45%
    page.goto("about:blank")
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    page.wait_for_function(
        f"() => document.querySelector(\"{TERMS} [data-kz-preset]\").value === 'mixed'", timeout=15_000
    )
    page.wait_for_function("() => !window.kaizenTool.busy")
    assert page.input_value(f"{TERMS} [data-kz-cash]") == "45%"
    assert _hidden(page)[-1] == ["purchases.payment[1].share", "55%"]
    restored = page.evaluate("globalThis.kaizenTool.request")
    assert restored["purchases"]["payment"] == live["purchases"]["payment"]


def test_months_a_link_names_get_pythons_labels(page: Any, base_url: str) -> None:
    """A link's months are laid out from its keys before Python has read it; their labels are the
    worker's (2027-02 → 2027年2月), also where the months stay the same once it has."""
    months = [f"2027-0{m}" for m in range(1, 7)]
    request = {
        **EXAMPLE,
        "start": "2027-01",
        "months": 6,
        "sales": {"monthly": dict.fromkeys(months, "500万")},
        "opening_receivables": {},
        "opening_payables": {},
        "payroll": "120万",
        "taxes": [{"label": "法人税等", "month": "2027-03", "amount": "60万"}],
        "capex": [],
        "actuals": {"2027-02": {"closing": "300万"}},
    }
    page.goto(f"{base_url}/tools/forecast/{share_fragment(request)}")
    wait_ready(page)
    page.wait_for_function("() => !window.kaizenTool.busy")
    labels = [f"2027年{m}月" for m in range(1, 7)]
    assert _texts(page, "[data-kz-grid='sales.monthly'] label") == labels
    assert _texts(page, "select[name='taxes[0].month'] option")[1:] == labels
    assert page.input_value("select[name='taxes[0].month']") == "2027-03"
    assert _texts(page, "[data-kz-actual-count] option")[1:3] == [
        "1か月（2027年1月まで）",
        "2か月（2027年2月まで）",
    ]
    assert page.input_value("[data-kz-actual-count]") == "2"
    assert _texts(page, "[data-kz-actual-month] legend") == ["2027年1月の実績", "2027年2月の実績"]
    assert page.input_value("[name='actuals.2027-02.closing']") == "300万"
    assert json.loads(page.text_content("#kz-result")) == cli("forecast", request)


def test_a_linked_request_gets_the_modes_and_the_texts_python_renders(page: Any, base_url: str) -> None:
    """Purchases as an amount and outsourcing by month choose those modes (the page's vocabulary);
    a tax month outside a six-month table is named as the build names it; a line of 実績 outside
    the usual ones keeps its input."""
    request = {
        **EXAMPLE,
        "months": 6,
        "purchases": {"amount": "100万", "payment": [{"months_after": 1, "share": "100%"}]},
        "outsourcing": {"monthly": {"2026-05": "10万"}},
        "actuals": {"2026-05": {"closing": "300万", "rent": "20万"}},
    }
    page.goto(f"{base_url}/tools/forecast/{share_fragment(request)}")
    wait_ready(page)
    page.wait_for_function("() => !window.kaizenTool.busy")
    assert page.input_value("[data-kz-mode=purchases]") == "amount"
    assert page.is_visible("[name='purchases.amount']")
    assert page.input_value("[data-kz-mode=outsourcing]") == "monthly"
    assert page.input_value("[name='outsourcing.monthly.2026-05']") == "10万"
    # 2026-11 has no November in 2026年4月〜9月: it stays, named as the build's template names it
    select = "select[name='taxes[1].month']"
    assert page.input_value(select) == "2026-11"
    assert (
        page.eval_on_selector(select, "s => s.selectedOptions[0].textContent") == "2026年11月（表の期間外）"
    )
    assert page.input_value("[name='actuals.2026-05.rent']") == "20万"
    assert json.loads(page.text_content("#kz-result")) == cli("forecast", request)


def test_rows_take_their_names_and_ids_from_the_templates(page: Any, base_url: str) -> None:
    """Removing the first loan renumbers the second from the loans' template (ids included), and a
    month of a different payroll moved to another month takes the template's names for it."""
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    before = computed_count(page)
    page.click("#kz-f-loans-0- [data-kz-remove]")
    wait_recomputed(page, before)
    rows = page.locator("[data-kz-list=loans] > [data-kz-row]")
    assert rows.count() == 1
    assert rows.first.get_attribute("id") == "kz-f-loans-0-"
    assert rows.first.get_attribute("data-kz-field") == "loans[0]"
    assert page.input_value("#kz-f-loans-0--name") == "日本政策金融公庫"
    assert page.get_attribute("label[for='kz-f-loans-0--name']", "for") == "kz-f-loans-0--name"
    assert page.get_attribute("#kz-f-loans-0--name", "name") == "loans[0].name"
    before = computed_count(page)
    page.select_option("[name='loans[0].method']", "schedule")
    wait_recomputed(page, before)
    cells = page.eval_on_selector_all(
        "#kz-f-loans-0--schedule input", "inputs => inputs.map(i => [i.id, i.name])"
    )
    assert cells[0] == ["kz-f-loans-0--schedule-2026-04", "loans[0].schedule.2026-04"]
    assert len(cells) == 12
    before = computed_count(page)
    page.fill("#kz-f-loans-0--schedule-2026-05", "50万")
    wait_recomputed(page, before)
    page.wait_for_function("() => globalThis.kaizenTool.request.loans.length === 1")
    assert page.evaluate("globalThis.kaizenTool.request")["loans"][0]["schedule"] == {"2026-05": "50万"}

    row = "[data-kz-keyed-row][data-kz-field='payroll.months.2026-07']"
    before = computed_count(page)
    page.select_option(f"{row} select", "2026-08")
    wait_recomputed(page, before)
    moved = "[data-kz-keyed-row][data-kz-field='payroll.months.2026-08']"
    assert page.get_attribute(f"{moved} input", "id") == "kz-f-payroll-months-2026-08"
    assert page.get_attribute(f"{moved} input", "name") == "payroll.months.2026-08"
    assert page.get_attribute(f"{moved} select", "id") == "kz-f-payroll-months-2026-08-month"
    assert page.get_attribute(f"{moved} [data-kz-remove-month]", "aria-label") == "2026年8月の人件費を削除"
    page.wait_for_function("() => '2026-08' in (globalThis.kaizenTool.request.payroll.months ?? {})")
    assert page.evaluate("globalThis.kaizenTool.request")["payroll"]["months"] == {
        "2026-08": "220万",
        "2026-12": "220万",
    }
