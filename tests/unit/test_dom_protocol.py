"""The DOM protocol is written down in one place: every data-kz-* attribute that the tool pages'
templates, views and scripts use is listed in 保守の手引き (docs/hoshu.md, 計算ツールのページの決まり),
and the section lists none that nothing uses any more (dead ones such as data-kz-short)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTE = re.compile(r"data-kz-[a-z]+(?:-[a-z]+)*")
DATASET = re.compile(r"dataset\.kz([A-Z][A-Za-z]*)")  # element.dataset.kzLastMs → data-kz-last-ms


def _attributes(text: str) -> set[str]:
    found = set(ATTRIBUTE.findall(text))
    for name in DATASET.findall(text):
        found.add("data-kz-" + re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower())
    return found


def _used() -> set[str]:
    found: set[str] = set()
    for folder, patterns in (("calculators", ("*.py", "*.html", "*.mjs")), ("hooks", ("*.py",))):
        for pattern in patterns:
            for path in (ROOT / folder).rglob(pattern):
                found |= _attributes(path.read_text(encoding="utf-8"))
    return found


def _documented() -> set[str]:
    text = (ROOT / "docs" / "hoshu.md").read_text(encoding="utf-8")
    section = text[text.index("## 計算ツールのページの決まり") :]
    following = section.find("\n## ", 3)
    return _attributes(section if following < 0 else section[:following])


def test_every_attribute_the_tool_pages_use_is_documented() -> None:
    assert _used() - _documented() == set()


def test_the_documented_attributes_are_all_in_use() -> None:
    assets = {
        match
        for path in [*(ROOT / "docs" / "assets").glob("*.js"), *(ROOT / "overrides").rglob("*.html")]
        for match in _attributes(path.read_text(encoding="utf-8"))
    }
    assert _documented() - _used() - assets == set()
    assert "data-kz-short" not in _used() | assets
    assert "data-kz-show-any" not in _used() | assets
