"""From the subsidy result to the 資金繰り表 and the calendar, in real Chromium: the hand-off link
opens the forecast with the support's payments as lines and a live result; the 期限 button saves
an ics file named the way the CSV and xlsx are (the tool's title and today's date in Japan)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.conftest import computed_count, wait_ready, wait_recomputed
from tests.browser.test_tools import cli

ROOT = Path(__file__).resolve().parents[2]


def test_the_subsidy_result_opens_the_forecast_with_its_payments(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    # a live change moves the link: 22.5万 → 18万 makes the self pay 60,000円
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "18万")
    wait_recomputed(page, before)
    link = page.locator("[data-kz-handoff=forecast]")
    assert link.count() == 1
    link.click()
    page.wait_for_url("**/tools/forecast/#q=*")
    wait_ready(page)
    assert page.is_hidden("#kz-load-notice"), page.text_content("#kz-load-notice")
    shown = json.loads(page.text_content("#kz-result"))
    assert shown["tool"] == "forecast"
    by_month = {row["month"]: row for row in shown["rows"]}
    assert shown["rows"][0]["month"] == "2026-07"
    assert by_month["2026-07"]["lines"]["other_payments"] == 60000
    assert by_month["2027-01"]["lines"]["other_payments"] == 25000
    assert by_month["2028-03"]["lines"]["other_payments"] == 25000
    assert shown["closing_balance"] == -110000
    # the lines are in the form, with their memos, and the answer is the CLI's for what the form holds
    assert page.input_value("[name='other_payments[0].amount']") == "60000"
    assert page.input_value("[name='other_payments[0].label']") == "計画策定支援の自己負担（認定支援機関へ）"
    assert "協議会が認定支援機関へ払う補助60,000円" in page.input_value("[name='other_income[0].label']")
    request = page.evaluate("() => globalThis.kaizenTool.request")
    assert shown == cli("forecast", request, check=True)
    # and it is live: a typed opening balance recomputes
    before = computed_count(page)
    page.fill("#kz-f-opening_balance", "100万")
    wait_recomputed(page, before)
    assert json.loads(page.text_content("#kz-result"))["closing_balance"] == 890000


def test_the_deadlines_download_as_a_calendar_file(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    assert page.locator(".kz-deadlines").inner_text().count("年") >= 3
    with page.expect_download() as download:
        page.click("[data-kz-file=ics]")
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    assert (
        download.value.suggested_filename
        == f"補助金額シミュレーター_{today.year}年{today.month}月{today.day}日.ics"
    )
    saved = tmp_path / "deadlines.ics"
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    text = data.decode("utf-8").replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20270410" in text
    assert text.count("BEGIN:VEVENT") == 3
    assert "保存しました" in page.text_content("#kz-action-status")
