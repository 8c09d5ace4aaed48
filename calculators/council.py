"""One council's contact card, the same on the council pages and in the 利用対象チェック result.

The site build (hooks/kaizen_site.py, for 近畿の協議会 and 全国の協議会) and the eligibility view (in
the build and in the browser's worker) both call :func:`council_card`, so the card is written once,
in Python: the browser has no Jinja.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from calculators.html import as_of_text, esc
from kaizen_core.directory import tel_href
from kaizen_core.params import Reference


def source_names(ids: Iterable[str], references: Mapping[str, Reference]) -> str:
    """The sources' short names (or 公表元「題名」), joined with 、; unknown ids are left out."""
    names = []
    for ref in ids:
        reference = references.get(ref)
        if reference is not None:
            names.append(reference.short or f"{reference.publisher}「{reference.title}」")
    return "、".join(names)


def _phone(number: str) -> str:
    return f'<a class="kz-tel" href="{esc(tel_href(number))}">{esc(number)}</a>'


def council_card(
    council: Mapping[str, Any],
    references: Mapping[str, Reference],
    *,
    level: int,
    heading_id: str,
    article_id: str | None = None,
    list_link: str | None = None,
) -> str:
    """A council's card: name, telephone (and the national HQ's separate enquiry number), address,
    website, host, and the date and sources of the record.

    ``council`` is a record as :meth:`kaizen_core.directory.Council.as_dict` gives it. ``level`` is
    the heading's level and ``heading_id`` its id (also the card's accessible name); ``article_id``
    is the card's own anchor (``pref-26`` on the council pages) and ``list_link``, where given, a
    link to the card on the council pages."""
    phone = _phone(council["phone"])
    if council.get("enquiry_phone"):
        phone += f"（パンフレットの問い合わせ先：{_phone(council['enquiry_phone'])}）"
    postal = f"〒{council['postal_code']}" if council["postal_code"] else "〒未確認"
    facts = [("電話", phone), ("所在地", f"{esc(postal)} {esc(council['address'])}")]
    if council["url"]:
        shown = council["url"].replace("https://", "").replace("http://", "").strip("/")
        facts.append(("ウェブサイト", f'<a href="{esc(council["url"])}">{esc(shown)}</a>'))
    facts.append(("設置機関", esc(council["host"])))
    where = source_names(council.get("sources", []), references)
    facts.append(("情報の時点", esc(as_of_text(council["as_of"]) + (f"（出典：{where}）" if where else ""))))
    rows = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in facts)
    note = f'<p class="kz-council__note">{esc(council["notes"])}</p>' if council.get("notes") else ""
    link = f'<p><a href="{esc(list_link)}">協議会の一覧でこの協議会を見る</a></p>' if list_link else ""
    anchor = f' id="{esc(article_id)}"' if article_id else ""
    return (
        f'<article class="kz-council"{anchor} aria-labelledby="{esc(heading_id)}">'
        f'<h{level} id="{esc(heading_id)}" class="kz-council__name">{esc(council["name"])}</h{level}>'
        f'<dl class="kz-council__facts">{rows}</dl>{note}{link}</article>'
    )


def page_card(council: Mapping[str, Any], references: Mapping[str, Reference], level: int) -> str:
    """The card as the council pages show it: anchored by prefecture code (``pref-national`` for the
    national HQ), so the 都道府県 filter and other pages can link to it."""
    code = council["prefecture_code"] if council["kind"] == "prefectural" else "national"
    return council_card(
        council, references, level=level, heading_id=f"council-{council['id']}", article_id=f"pref-{code}"
    )
