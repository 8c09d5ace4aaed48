"""The build's page hooks: a tool shown on a page that does not declare it must stop the build."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from calculators.forms import shows
from hooks import kaizen_site


def test_a_tool_on_a_page_without_kz_tool_stops_the_build() -> None:
    # without `kz_tool` the page's head would lack the Python worker: the form could never compute
    for meta in ({}, {"kz_tool": "forecast"}):
        with pytest.raises(ValueError, match="front matter needs `kz_tool: subsidy`"):
            kaizen_site._require_tool_page(SimpleNamespace(meta=meta), "subsidy")
    kaizen_site._require_tool_page(SimpleNamespace(meta={"kz_tool": "subsidy"}), "subsidy")


@pytest.mark.parametrize(
    ("rule", "values", "expected"),
    [
        ("programme=vup", {"programme": "vup"}, True),
        ("programme=vup", {"programme": "405"}, False),
        ("programme=405|405-gl", {"programme": "405-gl"}, True),
        ("programme=vup&route=bank", {"programme": "vup", "route": "expert"}, False),
        ("programme=vup&route=bank", {"programme": "vup", "route": "bank"}, True),
        ("adviser_is_lender=true||programme=vup&route=bank", {"adviser_is_lender": True}, True),
        ("adviser_is_lender=true||programme=vup&route=bank", {"adviser_is_lender": False}, False),
        ("loans[0].method=equal_principal|", {}, True),  # an empty select counts as the empty value
        ("loans[0].method=equal_principal|", {"loans[0].method": None}, True),
        ("loans[0].method=schedule|返済予定表どおり", {"loans[0].method": "返済予定表どおり"}, True),
    ],
)
def test_shows_reads_a_show_if_rule_as_the_page_script_does(
    rule: str, values: dict[str, object], expected: bool
) -> None:
    """The HTML hides what app.mjs applyShowIf would hide, so the first paint does not jump
    (the browser test compares both on each tool page)."""
    assert shows(rule, values) is expected
