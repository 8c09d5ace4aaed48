"""Share links, saved forms and uploads are hostile: they never run script, freeze a tool, or leave an
old result looking current, and what the form cannot show is named in a Japanese notice."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from kaizen_core import registry
from tests.browser.conftest import computed_count, wait_ready, wait_recomputed

TOOLS = registry.page_names()
STORAGE = "kaizen-navi:v1:"
XSS_KEY = "<img src=x onerror=alert(1)>"
# Set by any of the payloads below if it ever ran.
PWNED = "window.__kzPwned === true"
PAYLOAD = '<img src=x onerror="window.__kzPwned=true"><script>window.__kzPwned=true</script>'


def link(request: Any) -> str:
    text = json.dumps(request, ensure_ascii=False)
    return "#q=" + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def raw_link(text: str) -> str:
    return "#q=" + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def notice(page: Any) -> str:
    page.wait_for_selector("#kz-load-notice:not([hidden])", state="attached", timeout=15_000)
    return str(page.text_content("#kz-load-notice"))


def injected(page: Any) -> list[str]:
    """Elements or attributes that only an injection could have made."""
    return list(
        page.evaluate(
            """() => {
            const found = [];
            if (window.__kzPwned) found.push("payload ran");
            for (const node of document.querySelectorAll('img[src="x"], #kz-tool script:not([type="application/json"])')) {
              found.push(node.outerHTML.slice(0, 80));
            }
            for (const node of document.querySelectorAll("#kz-tool *")) {
              for (const name of node.getAttributeNames()) if (name.startsWith("on")) found.push(`${node.tagName} ${name}`);
            }
            return found;
        }"""
        )
    )


@pytest.fixture
def dialogs(page: Any) -> list[str]:
    seen: list[str] = []

    def on_dialog(dialog: Any) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


# --- the reported hole and its whole class -------------------------------------------------------

FORECAST_KEYED = [
    {"sales": {"monthly": {XSS_KEY: 1}}},
    {"opening_receivables": {XSS_KEY: 1}},
    {"payroll": {"amount": "30万", "months": {XSS_KEY: "40万"}}},
    {"loans": [{"balance": "100万", "schedule": {XSS_KEY: 1}}]},
    {"actuals": {XSS_KEY: {"sales": 1}}},
    {"actuals": {"2026-04": {XSS_KEY: 1}}},
]


@pytest.mark.parametrize("extra", FORECAST_KEYED, ids=lambda extra: next(iter(extra)))
def test_forecast_share_link_keys_never_become_html(
    page: Any, base_url: str, dialogs: list[str], extra: dict[str, Any]
) -> None:
    request = {"start": "2026-04", "months": 12, **extra}
    page.goto(f"{base_url}/tools/forecast/{link(request)}")
    wait_ready(page)
    text = notice(page)
    assert "このリンクの一部の項目は、この画面では扱えません" in text
    assert "<img" in text  # named as typed, as text
    assert dialogs == []
    assert injected(page) == []
    # the rest of the link reached Python: an answer, or messages beside the fields
    assert page.locator("#kz-status").get_attribute("data-state") in ("ready", "error")


def test_saved_form_with_a_hostile_key_is_named_and_harmless(
    page: Any, base_url: str, dialogs: list[str]
) -> None:
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    saved = {"start": "2026-04", "months": 12, "sales": {"monthly": {XSS_KEY: 1}}}
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)", [STORAGE + "forecast", json.dumps(saved)]
    )
    page.reload()
    wait_ready(page)
    assert "この端末に保存していた入力の一部の項目は、この画面では扱えません" in notice(page)
    assert dialogs == []
    assert injected(page) == []


def test_uploaded_csv_with_a_hostile_key_is_refused(
    page: Any, base_url: str, dialogs: list[str], tmp_path: Path
) -> None:
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    sheet = tmp_path / "資金繰り表.csv"
    sheet.write_text(
        f"経営改善計画策定支援ナビ,資金繰り表\n\n[入力]\nキー,項目,値\nstart,開始の年月,2026-04\n"
        f"months,月数,12\nsales.monthly.{XSS_KEY},売上,1\n",
        encoding="utf-8-sig",
    )
    page.set_input_files("[data-kz-action=upload]", str(sheet))
    page.wait_for_function(
        "() => { const t = document.querySelector('#kz-action-status').textContent; return t && !t.endsWith('…'); }",
        timeout=20_000,
    )
    assert "扱えません" in str(page.text_content("#kz-action-status"))
    assert dialogs == []
    assert injected(page) == []


@pytest.mark.parametrize("tool", TOOLS)
def test_html_in_every_value_stays_text(page: Any, base_url: str, dialogs: list[str], tool: str) -> None:
    """Every value of the tool's example replaced by markup: shown and reported as text only."""
    page.goto(f"{base_url}/tools/{tool}/")
    wait_ready(page)
    example = json.loads(page.text_content("#kz-default"))

    def poison(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: poison(item) for key, item in value.items()}
        if isinstance(value, list):
            return [poison(item) for item in value]
        return PAYLOAD

    before = computed_count(page)
    page.evaluate("fragment => { location.hash = fragment; }", link(poison(example)))
    wait_recomputed(page, before)
    assert page.locator("#kz-status").get_attribute("data-state") in ("ready", "error")
    assert dialogs == []
    assert injected(page) == []


# --- links and storage that cannot be read --------------------------------------------------------

BROKEN_LINKS = {
    "not base64": "#q=%%%%",
    "cut base64": "#q=eyJzdGFydCI6IjIw" + "A",
    "not json": raw_link("{start: 2026-04"),
    "not an object": raw_link("[1, 2, 3]"),
    "a string": raw_link('"hello"'),
    "deep": raw_link("[" * 5000 + "]" * 5000),
    "deep object": raw_link('{"a":' * 5000 + "1" + "}" * 5000),
    "huge": raw_link(json.dumps({"description": "x" * 1_000_000})),
}


@pytest.mark.parametrize("name", list(BROKEN_LINKS))
def test_unreadable_links_say_so_and_the_tool_starts(page: Any, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/tools/forecast/{BROKEN_LINKS[name]}")
    wait_ready(page)
    assert "共有リンク" in notice(page) or "このリンク" in notice(page)
    assert page.locator("#kz-status").get_attribute("data-state") == "ready"


def test_a_deeply_nested_saved_form_is_cleared_and_said(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    deep = '{"fees":' * 5000 + "1" + "}" * 5000
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORAGE + "subsidy", deep])
    page.reload()
    wait_ready(page)
    assert "この端末に保存していた入力は読み取れなかった" in notice(page)
    # the broken copy is gone; what is kept now is the example on screen
    kept = page.evaluate("key => localStorage.getItem(key)", STORAGE + "subsidy")
    assert kept is None or json.loads(kept)["fees"]["plan"] == "22.5万"
    page.reload()
    wait_ready(page)
    assert page.is_hidden("#kz-load-notice")


def test_the_clear_buttons_work_before_python_starts(page: Any, base_url: str) -> None:
    """入力例に戻す and 入力欄を空にする need no Python: a saved form that broke the tool can always go."""
    page.route("**/runtime/pyscript/core.js", lambda route: route.abort())
    page.goto(f"{base_url}/tools/subsidy/")
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [STORAGE + "subsidy", json.dumps({"fees": {"plan": "18万"}})],
    )
    page.reload()
    page.wait_for_selector("#kz-tool[data-kz-mounted]", state="attached")
    assert page.input_value("#kz-f-fees-plan") == "18万"
    page.click("[data-kz-action=empty]")
    assert page.input_value("#kz-f-fees-plan") == ""
    assert page.evaluate("key => localStorage.getItem(key)", STORAGE + "subsidy") is None
    page.click("[data-kz-action=example]")
    assert page.input_value("#kz-f-fees-plan") == "22.5万"


def test_do_not_keep_switch_stops_autosave(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    page.check("[data-kz-action=autosave]")
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "18万")
    wait_recomputed(page, before)
    assert page.evaluate("key => localStorage.getItem(key)", STORAGE + "subsidy") is None
    page.reload()
    wait_ready(page)
    assert page.input_value("#kz-f-fees-plan") == "22.5万"
    assert page.is_checked("[data-kz-action=autosave]")
    page.uncheck("[data-kz-action=autosave]")
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "19万")
    wait_recomputed(page, before)
    page.reload()
    wait_ready(page)
    assert page.input_value("#kz-f-fees-plan") == "19万"


# --- months however they are typed -----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["令和4年9月", "R4.9", "2022年9月", "２０２２－０９"])
def test_downturn_grid_follows_the_latest_month_however_written(page: Any, base_url: str, typed: str) -> None:
    page.goto(f"{base_url}/tools/downturn/")
    wait_ready(page)
    page.select_option("#kz-f-cause", "covid")
    page.fill("#kz-f-latest_month", typed)
    page.press("#kz-f-latest_month", "Tab")
    # the rows are the worker's reading of 最近の月 (DownturnForm.layout), after its answer
    page.wait_for_function(
        "() => document.querySelector('[data-kz-grid-body] tr')?.dataset.year <= '2019'", timeout=15_000
    )
    years = page.eval_on_selector_all(
        "[data-kz-grid-body] tr", "rows => rows.map(row => Number(row.dataset.year))"
    )
    # the rows reach back from 2022 as the COVID comparison needs (rows with typed values stay too)
    assert {2019, 2020, 2021, 2022} <= set(years)


def test_a_company_name_never_goes_into_a_share_link(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/eligibility/")
    wait_ready(page)
    before = computed_count(page)
    page.fill("#kz-f-company_name", "株式会社テスト製作所")
    wait_recomputed(page, before)
    page.click("[data-kz-action=share]")
    shared = page.input_value("#kz-share-url")
    request = json.loads(base64.urlsafe_b64decode(shared.split("#q=")[1] + "==").decode())
    assert "company_name" not in request
    assert request.get("prefecture")  # the rest of the form is in it
