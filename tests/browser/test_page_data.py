"""The page script keeps a request's shape as Python does (calculators/app.mjs flatten and unflatten
against calculators/forms.py's): a list index the form did not send stays as null, never compacted,
and a request read from a link, a file or storage becomes the same input names in both."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calculators.forms import flatten, form_for, unflatten
from kaizen_core import registry
from tests.browser.conftest import wait_ready
from tests.browser.test_tools import share_fragment
from tests.site_build import ROOT

CASES = [
    {"fees.plan": "22.5万", "programme": "vup"},
    {"loans[1].balance": "100万", "loans[1].name": "B銀行"},  # row 0 left empty
    {"loans[0].balance": "1", "loans[2].balance": "3", "start": "2026-04"},
    {"margins[1].method": "2", "margins[1].current.sales": "1億"},
    {"collection[0].months_after": "0", "collection[0].share": "30%", "collection[1].months_after": "1"},
    {"sales.seasonality[11]": "130%"},
]


def _page_script(page: Any, base_url: str, function: str, argument: Any) -> Any:
    """What app.mjs's exported ``function`` returns for ``argument``, run in a tool page."""
    page.goto(f"{base_url}/tools/subsidy/")
    page.wait_for_function("() => document.querySelector('script[src$=\"runtime/app.mjs\"]')")
    return page.evaluate(
        """async ([name, argument]) => {
          const src = document.querySelector('script[src$="runtime/app.mjs"]').src;
          return (await import(src))[name](argument);
        }""",
        [function, argument],
    )


@pytest.mark.parametrize("flat", CASES)
def test_the_page_script_builds_the_request_python_builds(
    page: Any, base_url: str, flat: dict[str, str]
) -> None:
    built = _page_script(page, base_url, "unflatten", flat)
    assert built == unflatten(flat)
    if any("[1]" in key or "[2]" in key for key in flat) and "[0]" not in "".join(flat):
        assert None in next(value for value in built.values() if isinstance(value, list))


NESTED = [
    *(form_for(tool).default_request() for tool in registry.page_names()),
    {"loans": [None, {"balance": "1", "schedule": {"2026-05": "50万"}}], "empty": {}, "none": []},
    {"a.b": {"c": [[1, [2]], {"d": None}]}, "flag": True, "count": 3},
]


@pytest.mark.parametrize("request_data", NESTED)
def test_the_page_script_flattens_a_request_as_python_does(
    page: Any, base_url: str, request_data: dict[str, Any]
) -> None:
    flat = _page_script(page, base_url, "flatten", request_data)
    assert list(flat.items()) == list(flatten(request_data).items())  # the same names in the same order


def test_a_linked_forecast_follows_pythons_reading_of_its_months_and_terms(page: Any, base_url: str) -> None:
    """The link's start is written in 令和 and its terms as rows: the table's months and the preset
    shown come from the worker (ForecastForm.layout), not from a reader in the page script."""
    request = json.loads((ROOT / "calculators" / "examples" / "forecast.json").read_text(encoding="utf-8"))
    request.update(
        start="令和9年1月",
        months="6か月",
        collection=[{"months_after": "1", "share": "100%"}],
        opening_receivables={},
        opening_payables={},
        payroll="120万",
        taxes=[],
        capex=[],
    )
    page.goto(f"{base_url}/tools/forecast/{share_fragment(request)}")
    wait_ready(page)
    page.wait_for_function(
        "() => document.querySelector('[data-kz-terms=collection] [data-kz-preset]').value === 'next'",
        timeout=15_000,
    )
    months = page.eval_on_selector_all(
        '[data-kz-grid="opening_receivables"] input', "inputs => inputs.map(input => input.name)"
    )
    assert months == [f"opening_receivables.2027-0{m}" for m in (1, 2, 3)]
    live = page.evaluate("globalThis.kaizenTool.request")
    assert live["collection"] == [{"months_after": "1", "share": "100%"}]
    assert json.loads(page.text_content("#kz-result"))["rows"][0]["month"] == "2027-01"


def test_a_link_that_names_the_programme_opens_the_advanced_settings(page: Any, base_url: str) -> None:
    request = json.loads((ROOT / "calculators" / "examples" / "eligibility.json").read_text(encoding="utf-8"))
    page.goto(f"{base_url}/tools/eligibility/")
    assert page.eval_on_selector("details.kz-advanced", "node => node.open") is False
    page.goto(f"{base_url}/tools/eligibility/{share_fragment({**request, 'programme': 'Vアップ'})}")
    page.wait_for_function("() => document.querySelector('details.kz-advanced').open", timeout=15_000)
    assert page.input_value('[name="programme"]') == "vup"


def test_a_link_answers_yes_and_no_as_kaizen_core_reads_them(page: Any, base_url: str) -> None:
    """「あり」 and 「○」 tick はい: the words are the form's data-kz-yes-no (kaizen_core's)."""
    request = json.loads((ROOT / "calculators" / "examples" / "eligibility.json").read_text(encoding="utf-8"))
    request.update(needs_financial_support="あり", adviser_is_lender="○")
    page.goto(f"{base_url}/tools/eligibility/{share_fragment(request)}")
    page.wait_for_function(
        "() => document.querySelector('[name=needs_financial_support][value=true]').checked", timeout=15_000
    )
    assert page.is_checked('[name="adviser_is_lender"][value="true"]')
    assert page.text_content("#kz-load-notice").strip() == ""
