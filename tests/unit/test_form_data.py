"""The data the tool pages' JavaScript applies, as Python writes it at build time.

app.mjs and the widgets hold no rules: show-if conditions, the payment-term presets, the month
layouts of the grids and the other facts they need come from calculators/forms.py and the view
modules. These tests read that data from the functions and from the rendered pages."""

from __future__ import annotations

import json
import re

import pytest

from calculators.forms import parse_show_if, show_if_data, shows
from hooks.tools import render_tool
from tests.unit.html_page import Page

TOOLS = ("subsidy", "eligibility", "downturn", "forecast")


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
    assert bool(marked) is (tool != "downturn"), tool  # the 業況悪化 form has no conditional part
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
