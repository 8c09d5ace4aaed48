"""Every page says which version it is and as of when; an old copy says its rules may have changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from hooks.kaizen_site import STALE_AFTER_DAYS
from tests.browser.test_site import axe_violations
from tests.site_build import SITE_AS_OF

AS_OF = date.fromisoformat(SITE_AS_OF)
JAPAN = timedelta(hours=9)
# the first moment (in Japan) at which the copy is more than the limit behind
TOO_OLD = datetime.combine(AS_OF + timedelta(days=STALE_AFTER_DAYS + 1), time(), tzinfo=UTC) - JAPAN


def at(page: Any, moment: datetime) -> None:
    page.clock.set_fixed_time(moment)


def notice_of(page: Any) -> Any:
    return page.locator(".kz-age-notice")


def test_the_footer_names_the_version_and_the_reference_date(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/vup/")
    footer = page.locator(".kz-build")
    assert footer.is_visible()
    text = " ".join(footer.text_content().split())
    assert text.startswith(f"版 {AS_OF:%Y.%m.%d}-")
    assert text.endswith(f"・基準日 {AS_OF.year}年{AS_OF.month}月{AS_OF.day}日")


@pytest.mark.parametrize(
    ("moment", "old"),
    [
        (TOO_OLD - timedelta(seconds=1), False),  # the limit's last day, 23:59:59 in Japan
        (TOO_OLD, True),  # the next day in Japan (still the day before in UTC)
        (datetime.combine(AS_OF, time(), tzinfo=UTC), False),
    ],
)
def test_an_old_copy_says_its_rules_may_have_changed(
    page: Any, base_url: str, moment: datetime, old: bool
) -> None:
    at(page, moment)
    page.goto(f"{base_url}/")
    page.wait_for_load_state("load")
    notice = notice_of(page)
    if not old:
        assert notice.count() == 0
        return
    assert notice.is_visible()
    text = notice.text_content()
    assert f"基準日（{AS_OF.year}年{AS_OF.month}月{AS_OF.day}日）" in text
    assert f"{STALE_AFTER_DAYS + 1}日" in text
    assert "制度が変わっている可能性があります" in text
    assert notice.get_attribute("role") == "note"
    # below the page's heading, and it leads to the sources
    heading = page.locator("article h1").bounding_box()
    assert notice.bounding_box()["y"] > heading["y"]
    assert axe_violations(page) == []
    notice.get_by_role("link", name="出典と更新履歴").click()
    page.wait_for_url(f"{base_url}/sources/")
    assert notice_of(page).is_visible()


def test_a_copy_opened_from_a_file_says_so_too(page: Any, offline_site: Path) -> None:
    """The offline bundle on an office PC is the copy most likely to grow old."""
    at(page, TOO_OLD + timedelta(days=400))
    page.goto((offline_site / "index.html").as_uri())
    notice = notice_of(page)
    assert notice.is_visible()
    assert "制度が変わっている可能性があります" in notice.text_content()
    link = notice.get_by_role("link", name="出典と更新履歴")
    assert link.get_attribute("href") == "sources.html"
    at(page, datetime.combine(AS_OF + timedelta(days=30), time(), tzinfo=UTC))
    page.goto((offline_site / "vup.html").as_uri())
    assert notice_of(page).count() == 0
    assert page.locator(".kz-build").is_visible()
