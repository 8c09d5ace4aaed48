"""HTML pieces shared by the four tools' result views.

The same functions render the default example into the page at build time (CPython) and every
live result in the browser's worker (Pyodide), so the first paint and the live view look alike.
Standard library only; every text is escaped here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from kaizen_core.directory import tel_href
from kaizen_core.numbers import format_yen, japanese_partial_date

DISCLAIMER = (
    "この結果は、公表資料をもとにした目安です。実際の対象・補助額・時期は、中小企業活性化協議会の確認と"
    "認定支援機関との契約によって決まります。"
)


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def yen(amount: int | None) -> str:
    if amount is None:
        return "－"
    css = "kz-num kz-neg" if amount < 0 else "kz-num"
    return f'<span class="{css}">{esc(format_yen(amount))}</span>'


def headline(items: Sequence[tuple[str, str]], summary_id: str = "kz-summary") -> str:
    """The big figures; ``items`` are (label, HTML value)."""
    cells = "".join(
        f'<div class="kz-headline__item"><dt>{esc(label)}</dt><dd>{value}</dd></div>'
        for label, value in items
    )
    return f'<dl class="kz-headline" id="{esc(summary_id)}">{cells}</dl>'


def table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    row_headers: bool = True,
    css: str = "",
    footer: Sequence[str] | None = None,
) -> str:
    """A data table with a caption, column headers and (by default) the first cell as row header.

    Cells are HTML (callers escape text with :func:`esc`); numeric columns are right-aligned.
    """
    numeric_cols = set(numeric)
    labels = [esc(header) for header in headers]

    def cell(index: int, content: str, tag: str = "td") -> str:
        # data-label: on a phone each row is shown as a card, each cell with its column's name
        label = f' data-label="{labels[index]}"' if index < len(labels) and index > 0 else ""
        if index == 0 and row_headers and tag == "td":
            tag = 'th scope="row"'
        align = ' class="kz-r"' if index in numeric_cols else ""
        closing = tag.split()[0]
        return f"<{tag}{align}{label}>{content}</{closing}>"

    right = ' class="kz-r"'
    head = "".join(
        f'<th scope="col"{right if i in numeric_cols else ""}>{esc(h)}</th>' for i, h in enumerate(headers)
    )
    lines = [list(row) for row in rows]
    keys = row_keys([row[0] if row else "" for row in lines])
    body = "".join(
        f'<tr data-kz-key="{key}">' + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>"
        for key, row in zip(keys, lines, strict=True)
    )
    foot = ""
    if footer is not None:
        foot = "<tfoot><tr>" + "".join(cell(i, c) for i, c in enumerate(footer)) + "</tr></tfoot>"
    return (
        f'<div class="kz-table-wrap" data-kz-key="table:{esc(caption)}" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f'<table class="kz-table kz-cards {esc(css)}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>{foot}</table></div>"
    )


_TAG = re.compile(r"<[^>]*>")


def row_keys(first_cells: Sequence[str]) -> list[str]:
    """The ``data-kz-key`` of each table row: its first cell's text (the row's label; cells are
    HTML already escaped), numbered from the second time a label repeats (``label#2``). app.mjs
    matches the rows of a new answer to the shown ones by these keys, not by position."""
    seen: dict[str, int] = {}
    keys = []
    for content in first_cells:
        text = _TAG.sub("", content).strip()
        seen[text] = seen.get(text, 0) + 1
        keys.append(text if seen[text] == 1 else f"{text}#{seen[text]}")
    return keys


def warnings(messages: Sequence[str]) -> str:
    if not messages:
        return ""
    items = "".join(f"<li>{esc(m)}</li>" for m in messages)
    return (
        '<div class="kz-warnings" role="note" aria-labelledby="kz-warnings-heading">'
        f'<h3 id="kz-warnings-heading">注意</h3><ul>{items}</ul></div>'
    )


def explanation(response: dict[str, Any]) -> str:
    items = "".join(f"<li>{esc(line)}</li>" for line in response.get("explanation", []))
    return (
        '<section class="kz-explanation" aria-labelledby="kz-why-heading">'
        f'<h3 id="kz-why-heading">計算の根拠（なぜこの数字か）</h3><ol>{items}</ol></section>'
    )


def council_contact(council: dict[str, Any]) -> str:
    """A council's name with its telephone number (a tel: link), website and hours where known."""
    phone = council["phone"]
    parts = [
        f'<strong>{esc(council["name"])}</strong>　電話 <a class="kz-tel" href="{esc(tel_href(phone))}">{esc(phone)}</a>'
    ]
    if council.get("hours"):
        parts.append(f"（受付：{esc(council['hours'])}）")
    if council.get("url"):
        parts.append(f'　<a href="{esc(council["url"])}">協議会のウェブサイト</a>')
    return "".join(parts)


def sources(response: dict[str, Any], intro: str = "", disclaimer: str = DISCLAIMER) -> str:
    """基準日, the rule set's date and the public sources, then the disclaimer.

    ``intro`` (HTML) says first what the figures rest on, where that is not the sources listed;
    ``disclaimer`` (text) is the tool's own when the subsidy wording (対象・補助額・時期) does not fit it."""
    rule_set = response.get("rule_set", {})
    refs = []
    for reference in response.get("references", []):
        title = reference_title(reference)
        if reference.get("url"):
            refs.append(f'<li><a href="{esc(reference["url"])}">{esc(title)}</a></li>')
        else:
            refs.append(f"<li>{esc(title)}</li>")
    effective = japanese_partial_date(rule_set["effective"]) if rule_set.get("effective") else "－"
    return (
        '<section class="kz-sources-box" aria-labelledby="kz-src-heading">'
        '<h3 id="kz-src-heading">基準日と出典</h3>'
        f"{intro}<p>基準日：{esc(japanese_partial_date(response.get('as_of', '')))}（この日に有効なルール。使ったルールの適用開始日：{esc(effective)}）</p>"
        f"<ul>{''.join(refs)}</ul>"
        f'<p class="kz-disclaimer">{esc(disclaimer)}</p></section>'
    )


def inputs_summary(rows: Sequence[tuple[str, str]]) -> str:
    """The inputs as a table, shown on the printed page (forms print poorly)."""
    if not rows:
        return ""
    body = "".join(
        f'<tr><th scope="row">{esc(label)}</th><td>{esc(value)}</td></tr>' for label, value in rows
    )
    return (
        '<section class="kz-inputs-summary kz-print-only" aria-labelledby="kz-inputs-heading">'
        '<h3 id="kz-inputs-heading">入力した内容</h3>'
        f'<table class="kz-table"><caption>入力した内容</caption><tbody>{body}</tbody></table></section>'
    )


def verdict(value: bool | None, yes: str, no: str, unknown: str, *, style: str = "kz-verdict") -> str:
    """A yes / no / cannot-decide mark whose meaning never depends on colour alone.

    ``style`` is the outer class: the boxed badge by default, ``kz-nowrap`` for a mark inside a table.
    """
    css, mark, text = {
        True: ("kz-ok", "○", yes),
        False: ("kz-ng", "×", no),
        None: ("kz-unknown", "？", unknown),
    }[value]
    return f'<span class="{style} {css}"><span aria-hidden="true">{mark}</span> {esc(text)}</span>'


def parameter(response: dict[str, Any], key: str) -> Any:
    """A parameter value the response was computed with (e.g. the subsidy rate "2/3")."""
    for item in response.get("rule_set", {}).get("parameters", []):
        if item["key"] == key:
            return item["value"]
    raise KeyError(key)


def share_link(request: dict[str, Any]) -> str:
    """The ``#q=`` part of a link that opens a tool filled with ``request``, as app.mjs writes its
    share links (the request's JSON as URL-safe base64 without padding): a link from one tool's
    result to another works offline and can be passed on."""
    text = json.dumps(request, ensure_ascii=False, separators=(",", ":"))
    return "#q=" + base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


# A part of a result that the screen does not show (the printed copy of the 資金繰り表's table).
# The worker sends it apart from the visible result, and app.mjs puts it into its element (the one
# with ``data-kz-lazy`` = its key) just after the visible result is painted, or at once when the
# page is printed: typing then waits only for what the eye sees. The markers are HTML comments,
# which no typed text can forge (every text is escaped: ``<`` never reaches the HTML as is).
_LAZY_OPENING = "<!--kz-lazy:"
_LAZY_CLOSING = "<!--/kz-lazy-->"


def lazy_section(key: str, css: str, inner: str) -> str:
    """A ``<section>`` (keyed ``key``) whose content ``inner`` may arrive after the visible result."""
    return (
        f'<section class="{css}" data-kz-key="{key}" data-kz-lazy="{key}">'
        f"{_LAZY_OPENING}{key}-->{inner}{_LAZY_CLOSING}</section>"
    )


def split_lazy(html: str) -> tuple[str, dict[str, str]]:
    """``html`` without the content of its lazy sections (left empty), and that content by key."""
    parts: dict[str, str] = {}
    kept: list[str] = []
    done = 0
    while (start := html.find(_LAZY_OPENING, done)) >= 0:  # str.find: 20x faster than a regex here
        key_end = html.index("-->", start)
        end = html.index(_LAZY_CLOSING, key_end)
        parts[html[start + len(_LAZY_OPENING) : key_end]] = html[key_end + 3 : end]
        kept.append(html[done:start])
        done = end + len(_LAZY_CLOSING)
    kept.append(html[done:])
    return "".join(kept), parts


def whole(html: str) -> str:
    """``html`` with its lazy parts in place and their markers gone: the first paint (a live answer
    puts the same content into the same element, so the page looks alike either way)."""
    return re.sub(r"<!--kz-lazy:[a-z-]+-->", "", html.replace(_LAZY_CLOSING, ""))


def response_digest(text: str, html: str) -> str:
    """Identifies what a page shows for an answer, so a page that already shows it need not receive it again.

    Both parts count: two requests can get the same JSON answer while the result HTML differs, as
    it also lists the inputs as typed (業種 建設業 or 製造業 under the same size limits).
    """
    # surrogatepass: a digest must not fail on text that JavaScript can hold but UTF-8 cannot
    return hashlib.sha256(f"{text}\0{html}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


def reference_title(reference: dict[str, Any]) -> str:
    """A source as the result views and exports cite it: 公表元「題名」（2026年1月）."""
    return (
        f"{reference['publisher']}「{reference['title']}」（{japanese_partial_date(str(reference['date']))}）"
    )


def as_of_text(text: str) -> str:
    """A council entry's 情報の時点 (``2026-01`` → 2026年1月時点), the same on cards and in answers."""
    return japanese_partial_date(text) + "時点"
