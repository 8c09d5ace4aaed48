"""Built pages of issue 15: the 持ち物 from data, a natural 自己負担 example, the 一括判定 notice for
council staff, the Vアップ checklist's single boxes, and the 資金繰り表's print-only chunks."""

from __future__ import annotations

import re
from pathlib import Path

from kaizen_core.eligibility import documents_to_bring
from kaizen_core.params import RuleSet
from kaizen_core.request import today


def _text(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_the_council_page_lists_the_documents_from_data(built_site: Path) -> None:
    text = _text(built_site / "kyogikai" / "index.html")
    for row in documents_to_bring(RuleSet(today())):
        for column in ("item", "first", "note"):
            words = row[column].replace("3期分", " 3 期分").replace("6か月", " 6 か月")
            assert re.sub(r"\s+", " ", words) in text, row[column]
    assert "相談準備シート" in text


def test_the_comparison_example_reads_naturally(built_site: Path) -> None:
    text = _text(built_site / "hikaku" / "index.html")
    assert "500,001" not in text
    assert re.search(
        r"小規模で費用 ?150万円 ?（目安いっぱい。計画策定 ?75万円 ?・伴走支援 ?75万円 ?）なら ?50万円", text
    )


def test_the_vup_checklist_has_one_box_per_item(built_site: Path) -> None:
    html = (built_site / "vup" / "index.html").read_text(encoding="utf-8")
    items = re.findall(r'<li><label><input type="checkbox">', html)
    assert len(items) == 5
    assert 'class="kz-checklist" style=' not in html
    css = (built_site / "assets" / "site.css").read_text(encoding="utf-8")
    assert 'content: "☐' not in css


def test_the_batch_notice_speaks_to_council_staff() -> None:
    from hooks.tools import render_batch

    html = render_batch(available=False, directory_urls=True)
    notice = html[html.index('<div class="kz-warnings"') : html.index("</details>")]
    assert "このコピーには一括判定の機能が入っていません" in notice
    assert "1件ずつの判定はこのままで使えます" in notice
    assert "情報システムの担当" in notice
    # the commands are kept for whoever rebuilds the copy, behind 担当者向けの説明
    before_details = notice[: notice.index("<details")]
    assert "make" not in before_details
    assert "pandas" not in before_details
    assert "python -m kaizen_core" not in before_details


def test_the_forecast_page_has_the_printed_chunks(built_site: Path) -> None:
    html = (built_site / "tools" / "forecast" / "index.html").read_text(encoding="utf-8")
    # the first paint has the printed copy in full and no markers (a live answer sends it apart:
    # html.split_lazy, and app.mjs puts it into the same element)
    assert (
        '<section class="kz-print-only kz-fc-print" data-kz-key="print" data-kz-lazy="print">'
        '<div class="kz-fc-print-chunk"><h3>月ごとの資金繰り表</h3><table ' in html
    )
    assert "kz-lazy:" not in html
    assert '<section class="kz-no-print" aria-labelledby="kz-fc-table-heading">' in html
    css = (built_site / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@page kz-landscape" in css
    assert "html:has(.kz-forecast)" in css
