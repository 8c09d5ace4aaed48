"""The build's page hooks: a tool shown on a page that does not declare it must stop the build."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hooks import kaizen_site


def test_a_tool_on_a_page_without_kz_tool_stops_the_build() -> None:
    # without `kz_tool` the page's head would lack the Python worker: the form could never compute
    for meta in ({}, {"kz_tool": "forecast"}):
        with pytest.raises(ValueError, match="front matter needs `kz_tool: subsidy`"):
            kaizen_site._require_tool_page(SimpleNamespace(meta=meta), "subsidy")
    kaizen_site._require_tool_page(SimpleNamespace(meta={"kz_tool": "subsidy"}), "subsidy")
