"""Tables that read on a phone: every data cell of a page's Markdown tables gets its column's name
(``data-label``), and the table the class ``kz-cards``. On a narrow screen docs/assets/site.css then
shows each row as a card (its first cell as the title, each other cell beside its column's name)
instead of a table wider than the screen. The tools' tables get the same from calculators.html.table.
"""

from __future__ import annotations

import html
import re

_TABLE = re.compile(r"<table>(?P<body>.*?)</table>", re.S)
_HEAD = re.compile(r"<thead>(?P<head>.*?)</thead>", re.S)
_HEADER_CELL = re.compile(r"<th[^>]*>(?P<text>.*?)</th>", re.S)
_ROW = re.compile(r"<tr[^>]*>.*?</tr>", re.S)
_DATA_CELL = re.compile(r"<td(?P<attrs>[^>]*)>")
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def label_tables(page: str) -> str:
    """The page with its plain (Markdown) tables labelled for the phone layout; others untouched."""

    def one(table: re.Match[str]) -> str:
        body = table.group("body")
        head = _HEAD.search(body)
        if head is None:
            return table.group(0)
        labels = [_text(match.group("text")) for match in _HEADER_CELL.finditer(head.group("head"))]
        rest = body[head.end() :]

        def row(match: re.Match[str]) -> str:
            column = -1

            def cell(found: re.Match[str]) -> str:
                nonlocal column
                column += 1
                if column == 0 or column >= len(labels) or not labels[column]:
                    return found.group(0)
                return f'<td{found.group("attrs")} data-label="{html.escape(labels[column])}">'

            return _DATA_CELL.sub(cell, match.group(0))

        return f'<table class="kz-cards">{body[: head.end()]}{_ROW.sub(row, rest)}</table>'

    return _TABLE.sub(one, page)
