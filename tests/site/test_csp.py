"""Every built page carries the Content-Security-Policy first and gives it nothing to block: no inline
script, no event-handler attribute. Content pages allow no eval of any kind; tool pages allow only
the one exception PyScript needs (hooks/csp.py, docs/hoshu.md)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))

from csp import (  # noqa: E402
    POLICY,
    TOOL_POLICY,
    add_policy,
    externalise_scripts,
    inline_executables,
    inline_handlers,
)

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_the_policies_are_as_strict_as_the_runtime_allows() -> None:
    content, tool = directives(POLICY), directives(TOOL_POLICY)
    assert content["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert tool["script-src"] == ["'self'", "'wasm-unsafe-eval'", "'unsafe-eval'"]
    for policy in (content, tool):
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["connect-src"] == ["'self'"]
        assert policy["frame-src"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["script-src"]
        # no other host anywhere: only keywords and the schemes a page makes itself
        for values in policy.values():
            for value in values:
                assert value.startswith("'") or value in ("data:", "blob:"), value
    # the tool policy differs from the content policy in that one keyword only
    assert {k: v for k, v in tool.items() if k != "script-src"} == {
        k: v for k, v in content.items() if k != "script-src"
    }


def test_inline_scripts_move_to_files_and_data_blocks_stay() -> None:
    page = (
        '<html><head><meta charset="utf-8"><script>var a=1;</script></head><body>'
        '<script type="application/json" id="data">{"a": 1}</script>'
        '<script type="py" worker src="w.py"></script>'
        '<script type="module">import "./x.js";</script>'
        '<script src="b.js"></script></body></html>'
    )
    hardened, files = externalise_scripts(page, "tools/subsidy")
    assert inline_executables(hardened) == []
    assert len(files) == 2
    assert 'import "./x.js";' in files.values()
    assert any("var a=1;" in text for text in files.values())
    assert '<script type="application/json" id="data">{"a": 1}</script>' in hardened
    assert '<script type="py" worker src="w.py"></script>' in hardened
    for path in files:
        assert f'src="../../{path}"' in hardened
    published = add_policy(hardened)
    assert published.index("Content-Security-Policy") < published.index("<script")


def test_a_moved_script_waits_for_the_parse_unless_it_must_run_before_the_first_paint() -> None:
    """A classic script moved into a file would block the page for a round trip (in the head, until
    the style sheets are in; Material's palette script sits before the text): it is deferred, unless
    it says data-kz-blocking. Modules and async scripts are left as written."""
    page = (
        '<html><head><meta charset="utf-8"><script>var scope=1;</script>'
        "<script data-kz-blocking>var marks=0;</script></head><body>"
        "<header><script>var palette=2;</script></header><p>text</p>"
        '<script async>var early=3;</script><script type="module">var m=4;</script></body></html>'
    )
    hardened, files = externalise_scripts(page, "")
    by_body = {text: path for path, text in files.items()}
    assert f'<script src="{by_body["var marks=0;"]}"></script>' in hardened
    assert f'<script async src="{by_body["var early=3;"]}"></script>' in hardened
    assert f'<script type="module" src="{by_body["var m=4;"]}"></script>' in hardened
    # the plain ones (Material's): one file where the first stood, in their order, each on its own,
    # not run by the browser but loaded with Material's bundle by assets/later.js
    (merged,) = [text for text in files.values() if "scope" in text]
    assert merged.index("var scope=1;") < merged.index("var palette=2;")
    assert merged.count("try {") == 2
    tag = f'<script type="text/plain" data-kz-later src="{by_body[merged]}"></script>'
    assert hardened.index(tag) < hardened.index("<body>")
    assert "var palette" not in hardened
    assert len(files) == 4


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.site
@pytest.mark.parametrize("which", ["built_site", "offline_site"])
def test_every_page_keeps_the_policy(which: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(which)
    pages = html_files(site)
    assert len(pages) > 20
    tool_pages = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(site).as_posix()
        found = META.search(html)
        assert found, f"{where}: no policy"
        head = html[: html.index("</head>")]
        # first in the head after the charset: a policy covers only what follows it
        assert head.index(found.group(0)) < min(
            (head.index(tag) for tag in ("<script", "<link", "<style") if tag in head), default=len(head)
        ), where
        assert inline_executables(html) == [], where
        assert inline_handlers(html) == [], where
        is_tool = 'type="py" worker' in html
        tool_pages += is_tool
        assert found.group(1) == (TOOL_POLICY if is_tool else POLICY), where
    assert tool_pages >= 5  # the four tools and the batch page


@pytest.mark.site
def test_externalised_scripts_exist(built_site: Path) -> None:
    for page in html_files(built_site):
        html = page.read_text(encoding="utf-8")
        for src in re.findall(r'<script[^>]*\ssrc="([^"]*assets/inline/[^"]+)"', html):
            # 404.html names them from the site's root (served at any depth)
            base = built_site if src.startswith("/") else page.parent
            assert (base / src.lstrip("/")).resolve().is_file(), (page, src)
