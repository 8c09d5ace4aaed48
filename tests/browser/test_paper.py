"""Issue 15 on paper: the printed 資金繰り表 is not cut off (A4 landscape, months in page-wide chunks
with the row labels repeated), the 相談準備シート fits one A4 page and carries the typed company
name, and the subsidy tool can start from the fees at which the caps bind."""

from __future__ import annotations

import re
from typing import Any

import pytest

from calculators.forms import form_for
from tests.browser.conftest import computed_count, wait_ready, wait_recomputed
from tests.browser.test_tools import share_fragment

MM = 96 / 25.4  # CSS pixels per millimetre
# A4 landscape less the margins of @page kz-landscape (12 mm each side), and A4 portrait less the
# site's @page margins (14 mm each side; 15 mm top, 16 mm bottom).
LANDSCAPE_WIDTH = (297 - 2 * 12) * MM
PORTRAIT_WIDTH = (210 - 2 * 14) * MM
PORTRAIT_HEIGHT = (297 - 15 - 16) * MM

TABLE_GEOMETRY = """() => [...document.querySelectorAll('.kz-fc-print-table')].map((table) => ({
  right: table.getBoundingClientRect().right,
  width: table.getBoundingClientRect().width,
  scroll: table.scrollWidth,
  labels: [...table.querySelectorAll('tbody th[scope=row]')].filter((th) => th.textContent === '月末残高').length,
  months: [...table.querySelectorAll('thead th')].filter((th) => /\\d{4}年\\d{1,2}月/.test(th.textContent)).length,
  total: [...table.querySelectorAll('thead th')].some((th) => th.textContent === '合計'),
  clipped: [...table.querySelectorAll('td, th')].filter((cell) => cell.scrollWidth > cell.clientWidth + 1).length,
}))"""


def _media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    found = re.findall(rb"/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in found]


@pytest.mark.parametrize(("months", "chunks"), [(12, 1), (24, 2), (36, 3)])
def test_the_printed_forecast_is_landscape_and_nothing_is_clipped(
    page: Any, base_url: str, months: int, chunks: int
) -> None:
    request = {**form_for("forecast").default_request(), "months": months}
    page.goto(f"{base_url}/tools/forecast/{share_fragment(request)}")
    wait_ready(page)
    page.wait_for_function(f"document.querySelectorAll('.kz-fc-print-table').length === {chunks}")
    page.set_viewport_size({"width": int(LANDSCAPE_WIDTH), "height": 700})
    page.emulate_media(media="print")
    assert page.locator(".kz-fc-print").is_visible()
    assert not page.locator(".kz-fc-table-wrap").is_visible()  # the scrolling table is screen-only
    tables = page.evaluate(TABLE_GEOMETRY)
    assert len(tables) == chunks
    for index, table in enumerate(tables):
        assert table["right"] <= LANDSCAPE_WIDTH + 1, table
        assert table["scroll"] <= table["width"] + 1, table
        assert table["clipped"] == 0, table
        assert table["labels"] == 1  # the row labels are on every chunk
        assert table["months"] == 12
        assert table["total"] == (index == chunks - 1)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = _media_boxes(pdf)
    assert boxes
    assert all(width > height for width, height in boxes), boxes  # every page landscape
    page.emulate_media(media="screen")
    assert page.locator(".kz-fc-table-wrap").is_visible()
    assert not page.locator(".kz-fc-print").is_visible()


# Resolves once the screen's table shows `figure`: whether the printed copy had it then, and after
# the page is told it is about to be printed.
PRINTED_WHEN_SHOWN = """(figure) => ({shown: new Promise((resolve) => {
  const screen = document.querySelector('.kz-fc-table-wrap');
  const printed = () => document.querySelector('.kz-fc-print').textContent.includes(figure);
  const observer = new MutationObserver(() => {
    if (!screen.textContent.includes(figure)) return;
    observer.disconnect();
    const before = printed();
    window.dispatchEvent(new Event('beforeprint'));
    resolve({before, after: printed()});
  });
  observer.observe(screen, {subtree: true, childList: true, characterData: true});
})})"""


def test_the_printed_copy_follows_the_answer_and_is_complete_when_printing(page: Any, base_url: str) -> None:
    """The printed table comes after the visible one (app.mjs showLazyLater), and is put in at once
    when the page is printed before that (beforeprint); once counted as computed it is current."""
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    before = computed_count(page)
    shown = page.evaluate_handle(PRINTED_WHEN_SHOWN, "3,123,457")
    page.fill('[name="opening_balance"]', "3123457")
    result = shown.evaluate("watch => watch.shown")
    assert result == {"before": False, "after": True}
    wait_recomputed(page, before)
    page.fill('[name="opening_balance"]', "3,123,458円")
    wait_recomputed(page, before + 1)
    assert "3,123,458" in page.text_content(".kz-fc-print")  # put in after the paint, unprinted
    assert "3,123,457" not in page.text_content(".kz-fc-print")


def test_the_consultation_sheet_is_one_a4_page_with_the_typed_name(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/eligibility/")
    wait_ready(page)
    assert not page.locator(".kz-sheet").is_visible()  # paper only
    before = computed_count(page)
    page.fill("#kz-f-company_name", "株式会社みやこ精工")
    page.press("#kz-f-company_name", "Tab")
    wait_recomputed(page, before)
    page.set_viewport_size({"width": int(PORTRAIT_WIDTH), "height": 1000})
    page.emulate_media(media="print")
    sheet = page.locator(".kz-sheet")
    assert sheet.is_visible()
    text = sheet.text_content() or ""
    assert "株式会社みやこ精工" in text
    assert "京都府中小企業活性化協議会" in text
    assert "075-353-7331" in text
    assert "決算書と申告書（直近3期分）" in text
    assert re.search(r"作成日\s*\d{4}年\d{1,2}月\d{1,2}日", text)
    box = sheet.bounding_box()
    assert box is not None
    assert box["height"] <= PORTRAIT_HEIGHT, box
    assert box["width"] <= PORTRAIT_WIDTH + 1, box
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")


def test_the_subsidy_tool_starts_from_the_fees_where_the_caps_bind(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    guide = page.locator(".kz-fee-guide")
    assert "上限に届く費用の合計は375,000円" in (guide.text_content() or "")
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "10万")
    page.press("#kz-f-fees-plan", "Tab")
    wait_recomputed(page, before)
    before = computed_count(page)
    page.click("text=この金額を入力して計算する")
    wait_recomputed(page, before)
    assert page.input_value("#kz-f-fees-plan") == "225000"
    assert page.input_value("#kz-f-fees-monitoring_final") == "75000"
    assert "250,000円" in (page.text_content("#kz-summary") or "")
