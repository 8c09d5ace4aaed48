"""数値計画チェック's files in real Chromium: the CSV opens in Excel as UTF-8 (a BOM first), and the
saved file brings back the whole plan (years, 実態修正, actuals) after the form was emptied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.browser.conftest import computed_count, save_csv, upload, wait_ready, wait_recomputed
from tests.browser.test_tools import cli


def test_the_csv_has_a_bom_and_brings_the_plan_back(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(f"{base_url}/tools/plan/")
    wait_ready(page)
    example = page.evaluate("() => globalThis.kaizenTool.request")
    csv_path = tmp_path / "plan.csv"
    text = save_csv(page, csv_path)
    assert "years[2].sales" in text
    assert "債務償還年数" in text
    before = computed_count(page)
    page.click("[data-kz-action=empty]")
    wait_recomputed(page, before)
    assert page.input_value("[name='years[0].sales']") == ""
    upload(page, csv_path)
    request = page.evaluate("() => globalThis.kaizenTool.request")
    assert request["years"] == example["years"]
    assert request["base"] == example["base"]
    assert json.loads(page.text_content("#kz-result")) == cli("plan", request)
