"""Page figures come from kaizen_core: change a cap in a copy of the data and every figure follows.

The site is built a second time with ``KAIZEN_DATA_DIR`` pointing at a copy of ``kaizen_core/data``
in which ``vup.expert.plan_cap`` is 18万円 instead of 15万円. The worked examples on the pages are
then checked against figures worked out by hand below, so a page that still computed the old way
(or computed in Jinja without the total cap's order of filling) would fail.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from tests.site_build import build_site

ROOT = Path(__file__).resolve().parents[2]
PLAN_CAP_LABEL = "計画策定支援費用の補助上限（認定支援機関による支援）"


def page_lines(site: Path, page: str) -> list[str]:
    """The visible text of a page's article, one block (paragraph, list item, table row) a line;
    table cells are separated by ``|``."""
    text = (site / page / "index.html").read_text(encoding="utf-8")
    found = re.search(r"<article.*?</article>", text, re.DOTALL)
    assert found is not None, page
    text = re.sub(r"<script.*?</script>", "", found.group(0), flags=re.DOTALL)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"<(p|li|tr|h\d|div|table|section|ol|ul)\b", r"\n<\1", text)
    text = re.sub(r"<t[dh]\b", "\x1f<td", text)
    lines = []
    for line in html.unescape(re.sub(r"<[^>]+>", "", text)).splitlines():
        cells = [cell.strip() for cell in line.split("\x1f")]
        if cells[0] == "":
            cells = cells[1:]
        joined = " | ".join(cells).strip()
        if joined:
            lines.append(joined)
    return lines


def row(lines: list[str], first_cell: str) -> str:
    found = [line for line in lines if line.startswith(first_cell + " |")]
    assert len(found) == 1, (first_cell, found)
    return found[0]


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(ROOT / "kaizen_core" / "data", data)
    vup = data / "parameters" / "vup.toml"
    text = vup.read_text(encoding="utf-8")
    marker = "[[vup.expert.plan_cap.values]]\neffective = 2022-04-01\nvalue = 150_000\n"
    assert marker in text  # the test's starting point; if the data moved on, update the figures below
    vup.write_text(text.replace(marker, marker.replace("150_000", "180_000")), encoding="utf-8")
    return build_site(tmp_path_factory.mktemp("changed-site"), env={"KAIZEN_DATA_DIR": str(data)})


def test_vup_page_follows_the_changed_cap(changed_site: Path) -> None:
    lines = page_lines(changed_site, "vup")
    # the fee at which each cap binds: 18万 ÷ 2/3 = 27万; the total's fee is the three items' sum
    assert row(lines, "計画策定支援 | 18万円") == "計画策定支援 | 18万円 | 27万円 | 必須"
    assert row(lines, "合計 | 25万円") == "合計 | 25万円 | 42万円 |"
    assert row(lines, "すべて使った場合") == "すべて使った場合 | 35万円 | 57万円 |"
    # the worked example at those fees: 180,000 + 50,000 leaves 20,000 of the 25万 total for the
    # 決算期 item (the total cap is filled in the order the work happens)
    assert row(lines, "計画策定支援 | 270,000円") == "計画策定支援 | 270,000円 | 180,000円 | 90,000円"
    assert row(lines, "伴走支援（期中） | 75,000円") == "伴走支援（期中） | 75,000円 | 50,000円 | 25,000円"
    assert (
        row(lines, "伴走支援（決算期） | 75,000円") == "伴走支援（決算期） | 75,000円 | 20,000円 | 55,000円"
    )
    assert row(lines, "合計 | 420,000円") == "合計 | 420,000円 | 250,000円 | 170,000円"
    assert (
        "計画策定支援の補助180,000円のうち、計画の支払申請で専門家に払われるのは90,000円で、"
        "残りの90,000円は最初の伴走支援の支払申請の後に払われます（2回に分けて支払われます）。"
    ) in lines
    text = "\n".join(lines)
    for old in ("225,000円", "22万5,000円", "37万5,000円", "375,000円", "52万5,000円"):
        assert old not in text, old


def test_comparison_page_follows_the_changed_cap(changed_site: Path) -> None:
    lines = page_lines(changed_site, "hikaku")
    cost = row(lines, "自己負担の例")
    assert cost.startswith("自己負担の例 | 費用42万円（上限に届く額）なら17万円 |"), cost
    assert "合計25万円（計画策定18万円、" in row(lines, "補助の上限（内訳）")


def test_every_page_citing_the_cap_changes(built_site: Path, changed_site: Path) -> None:
    """A page that lists the plan cap among its figures' sources shows something else after the
    change; a page that does not cite it shows exactly the same text."""
    citing = []
    for path in sorted(built_site.rglob("index.html")):
        page = path.parent.relative_to(built_site).as_posix()
        if page.startswith(("tools", "runtime", "assets")):
            continue
        before, after = page_lines(built_site, page), page_lines(changed_site, page)
        cited = 'data-param="vup.expert.plan_cap"' in path.read_text(encoding="utf-8")
        if cited or any(line.startswith(PLAN_CAP_LABEL + " |") for line in before):
            citing.append(page)
            changed = [line for line in after if line not in before and PLAN_CAP_LABEL not in line]
            assert changed, f"{page} cites the plan cap but shows no other figure after the change"
        else:
            assert before == after, page
    assert {"vup", "hikaku", "faq", "sources"} <= set(citing), citing
