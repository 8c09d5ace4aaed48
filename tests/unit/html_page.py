"""An HTML fragment read into elements, headings and text, and the accessibility checks that the
tool pages' form and result markup must pass (shared by the tools' unit tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class Page(HTMLParser):
    """Elements with their attributes, ancestors, headings and tables of an HTML fragment."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "col", "wbr", "source"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.elements: list[tuple[str, dict[str, str], tuple[dict[str, str], ...]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.unbalanced: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        self.elements.append((tag, attributes, tuple(a for _, a in self.stack)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.unbalanced.append(tag)
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def inputs(self) -> dict[str, dict[str, str]]:
        return {attrs["name"]: attrs for tag, attrs, _ in self.elements if tag == "input" and "name" in attrs}

    def find(self, tag: str | None = None, **wanted: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs, _ in self.elements
            if (tag is None or name == tag)
            and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]


def assert_accessible(html: str) -> Page:
    page = Page(html)
    assert page.unbalanced == []
    assert page.stack == []
    assert page.headings[0] == 2
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings
    # every table, the printed input summary included, has a caption
    tables = [attrs for tag, attrs, _ in page.elements if tag == "table"]
    captions = [attrs for tag, attrs, _ in page.elements if tag == "caption"]
    assert len(captions) == len(tables)
    for tag, attrs, ancestors in page.elements:
        if tag == "th" and any("kz-table" in a.get("class", "") for a in ancestors):
            assert attrs.get("scope") in ("col", "row")
    return page


def error_containers(page: Page) -> dict[str, bool]:
    """data-kz-field path → whether an error slot is inside that container."""
    found: dict[str, bool] = {}
    for index, (_, attrs, _) in enumerate(page.elements):
        path = attrs.get("data-kz-field")
        if path is None:
            continue
        found[path] = any(
            "kz-error" in inner.get("class", "").split() and attrs in ancestors
            for _, inner, ancestors in page.elements[index + 1 :]
        )
    return found


def ancestor_paths(path: str) -> list[str]:
    """``a.b[0].c`` → itself and each enclosing path, as the page looks for an error's container."""
    parts = re.split(r"\.|(?=\[)", path)
    names = [path]
    while len(parts) > 1:
        parts.pop()
        names.append(".".join(parts).replace(".[", "["))
    return names
