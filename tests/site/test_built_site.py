"""Static checks over the built HTML: pages, councils, links, no other host, parameter figures."""

from __future__ import annotations

import csv
import gzip
import hashlib
import html as html_module
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from kaizen_core import registry
from kaizen_core.directory import councils, kinki_councils, tel_href

ROOT = Path(__file__).resolve().parents[2]


class Links(HTMLParser):
    """Collects href/src of every tag and the ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and dict(attrs).get("rel") in ("canonical", "alternate"):
            return  # names the page's public address; browsers do not fetch it
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src", "srcset", "poster", "data", "action"):
                self.refs.append((tag, name, value))


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def nav_pages() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)

    def walk(items: Any) -> list[str]:
        found = []
        for item in items:
            if isinstance(item, str):
                found.append(item)
            else:
                for value in item.values():
                    found.extend(walk(value) if isinstance(value, list) else [value])
        return found

    return walk(config["nav"])


def built_path(site: Path, source: str) -> Path:
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / stem.removesuffix("index") / "index.html"
    return site / stem / "index.html"


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[Path, Links]:
    return {path: parse(path) for path in built_site.rglob("*.html")}


def test_every_nav_page_is_built_and_not_a_stub(built_site: Path) -> None:
    sources = nav_pages()
    assert len(sources) >= 24
    for source in sources:
        path = built_path(built_site, source)
        assert path.exists(), source
        text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
        assert "準備中" not in text, f"{source} is still a placeholder"


def test_no_request_to_another_host(pages: dict[Path, Links]) -> None:
    """Resources (scripts, styles, images, preloads, frames) all come from the site itself."""
    offenders = []
    for path, parsed in pages.items():
        for tag, attribute, value in parsed.refs:
            is_resource = attribute != "href" or tag == "link"
            if is_resource and re.match(r"^(https?:)?//", value):
                offenders.append(f"{path.name}: <{tag} {attribute}={value}>")
    assert offenders == []


def test_stylesheets_do_not_fetch_from_other_hosts(built_site: Path) -> None:
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", text), css
        assert not re.search(r"url\(\s*['\"]?https?://", text), css


def test_every_internal_link_resolves(built_site: Path, pages: dict[Path, Links]) -> None:
    broken = []
    for path, parsed in pages.items():
        for tag, attribute, value in parsed.refs:
            if attribute not in ("href", "src") or re.match(r"^([a-z]+:|//|#$)", value) or value.startswith("javascript"):
                continue
            parts = urlsplit(value)
            base = built_site if parts.path.startswith("/") else path.parent  # 404.html uses root paths
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)} → {value}")
                continue
            if parts.fragment and target.suffix == ".html" and not parts.fragment.startswith("q="):
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(built_site)} → {value} (no such anchor)")
    assert broken == []


def test_every_council_appears_with_phone_and_address(built_site: Path) -> None:
    html = (built_site / "kyogikai" / "zenkoku" / "index.html").read_text(encoding="utf-8")
    for council in councils():
        assert council.name in html
        assert f'href="{tel_href(council.phone)}"' in html, council.name
        assert council.address in html, council.name


def test_kinki_page_has_the_seven_councils_as_cards(built_site: Path) -> None:
    html = (built_site / "kyogikai" / "kinki" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="kz-council"') == 7
    for council in kinki_councils():
        assert f'<a class="kz-tel" href="{tel_href(council.phone)}">{council.phone}</a>' in html
        assert council.url in html
        assert council.host in html
    assert "06-6944-6481" in html
    osaka = html[html.index('id="pref-27"') :]
    start = osaka.index("<dt>所在地</dt>")
    address = osaka[start : osaka.index("</dd>", start)]
    assert "大阪市中央区本町橋2-8" in address
    assert "大阪府中央区" not in address


def test_council_data_files(built_site: Path) -> None:
    raw = (built_site / "data" / "councils.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 49
    assert rows[0][:4] == ["都道府県コード", "都道府県", "地域（経済産業局の管轄）", "協議会名"]
    document = json.loads((built_site / "data" / "councils.json").read_text(encoding="utf-8"))
    assert len(document["councils"]) == 48
    assert {c["prefecture_code"] for c in document["councils"] if c["kind"] == "prefectural"} == {f"{n:02d}" for n in range(1, 48)}


FIGURES = [
    # (page, parameter key, the text it must show)
    ("vup.md", "vup.expert.plan_cap", "15万円"),
    ("vup.md", "vup.expert.total_cap", "25万円"),
    ("vup.md", "vup.expert.guarantee_release_cap", "10万円"),
    ("vup.md", "common.subsidy_rate", "2/3"),
    ("405.md", "p405.standard.plan_cap", "200万円"),
    ("405.md", "p405.gl.total_cap", "700万円"),
    ("hikaku.md", "p405.standard.total_cap", "300万円"),
    ("index.md", "common.subsidy_rate", "2/3"),
    ("tools/subsidy.md", "common.subsidy_rate", "2/3"),
]


@pytest.mark.parametrize(("source", "key", "text"), FIGURES)
def test_parameter_figures_appear_where_expected(built_site: Path, source: str, key: str, text: str) -> None:
    html = built_path(built_site, source).read_text(encoding="utf-8")
    assert f'<span class="kz-param" data-param="{key}">{text}</span>' in html


def test_pages_list_the_sources_of_their_figures(built_site: Path) -> None:
    html = (built_site / "vup" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="kz-sources-heading"') :]
    assert "計画策定支援費用の補助上限" in section
    assert "2022年4月1日" in section
    assert "https://www.chusho.meti.go.jp/keiei/saisei/04.html" in section


def test_conflicting_sources_are_stated(built_site: Path) -> None:
    vup = (built_site / "vup" / "index.html").read_text(encoding="utf-8")
    assert "20万円" in vup
    sources = (built_site / "sources" / "index.html").read_text(encoding="utf-8")
    assert "農業組合法人" in sources


def worker_tag(html: str) -> re.Match[str]:
    """PyScript's worker tag on a tool page: group 1 its config (HTML-escaped JSON), 2 its source."""
    worker = re.search(r'<script type="py" worker name="kaizen" config="([^"]+)" src="([^"]+)">', html)
    assert worker is not None
    return worker


def test_tool_pages_start_python_early_and_content_pages_never_load_it(built_site: Path) -> None:
    tool = (built_site / "tools" / "subsidy" / "index.html").read_text(encoding="utf-8")
    head = tool[: tool.index("</head>")]
    assert '<meta name="kz-runtime"' in head
    for module in ("pyscript/core.js", "app.mjs"):
        assert f'<link rel="modulepreload" href="../../runtime/{module}">' in head
    worker = worker_tag(head)
    # the config is inline (no config file to wait for), with paths relative to the page
    config = json.loads(html_module.unescape(worker.group(1)))
    assert config["interpreter"] == "../../runtime/pyodide/kaizen-boot.mjs"  # Pyodide from the snapshot
    assert list(config["files"].values()) == ["./*"]
    assert re.fullmatch(r"[.][.]/[.][.]/runtime/kaizen-[0-9a-f]{12}[.]zip", next(iter(config["files"])))
    assert f'<link rel="preload" href="{worker.group(2)}" as="fetch" crossorigin>' in head
    # PyScript's page plugins are switched off before its module runs, first thing in the body
    body = tool[tool.index("<body") :]
    plugins = re.search(r"<py-config hidden>(.*?)</py-config>", body)
    assert plugins is not None
    assert "!error" in json.loads(plugins.group(1))["plugins"]
    assert body.index("</py-config>") < body.index('src="../../runtime/pyscript/core.js"') < body.index("md-header")
    # Material's bundle waits for Python's first result on tool pages; the marks it puts on
    # <html> are there from the start (JS-only parts show at once), and no style depends on the
    # focus-visible polyfill's marks, so setting them before the polyfill runs changes nothing seen
    assert re.search(r'<script type="text/plain" data-kz-later src="[^"]*bundle[.][0-9a-f]+[.]min[.]js">', body)
    # (written inline in overrides/main.html; the build moves it into a file for the CSP, still a
    # blocking script in the head, so it runs before the first paint)
    head_scripts = [
        (built_site / "tools" / "subsidy" / src).resolve().read_text(encoding="utf-8")
        for src in re.findall(r'<script src="([^"]*assets/inline/[0-9a-f]+[.]js)"></script>', head)
    ]
    assert any(
        re.search(
            r'document[.]documentElement[.]classList[.]replace[(]"no-js", "js"[)];'
            r'\s*document[.]documentElement[.]classList[.]add[(]"js-focus-visible"[)];',
            script,
        )
        for script in head_scripts
    )
    styles = [path.read_text(encoding="utf-8") for path in (built_site / "assets").rglob("*.css")]
    assert any(".md-header" in style for style in styles)
    assert not any("js-focus-visible" in style for style in styles)
    for content in ("index.html", "vup/index.html", "kyogikai/zenkoku/index.html"):
        html = (built_site / content).read_text(encoding="utf-8")
        assert "pyodide" not in html, content
        assert "kz-runtime" not in html, content
        assert "pyscript" not in html, content
        assert "app.mjs" not in html, content  # the tools' script only on tool pages
        # Material's bundle waits for the visitor there too (docs/assets/later.js)
        assert re.search(r'<script type="text/plain" data-kz-later src="[^"]*bundle[.][0-9a-f]+[.]min[.]js">', html)
        assert not re.search(r'<script src="[^"]*bundle[.][0-9a-f]+[.]min[.]js">', html), content
        # last, deferred like every script there: nothing holds the text back (hooks/csp.py); the
        # page's classic scripts in one file (hooks/speed.py), and Material's small ones come with
        # its bundle, so that a page asks for two scripts before its first paint
        assert re.search(r'<script defer src="[^"]*assets/page[.]js"></script>\s*</body>', html), content
        requested = re.findall(r"<script(?![^>]*data-kz-later)[^>]*\ssrc=\"([^\"]+)\"", html)
        assert [src.rsplit("/", 1)[-1] for src in requested] == ["site.js", "page.js"], content
        head = html[: html.index("</head>")]
        assert re.search(r'<script type="text/plain" data-kz-later src="[^"]*assets/inline/[0-9a-f]+[.]js">', head)
        # no request for the manifest or the icon while the page loads (hooks/speed.py)
        assert 'rel="manifest"' not in html, content
        assert re.search(r'<link rel="icon" href="data:image/svg[+]xml,[^"]+" type="image/svg[+]xml">', head)
        not_blocking = r"defer|async|type=\"(module|application/json|text/plain)\""
        assert not re.search(rf"<script(?![^>]*\b({not_blocking}))[^>]*>", head), content


def test_search_separator_splits_japanese(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["ja"]
    assert "\\u3040-\\u30ff" in index["config"]["separator"] or "\u3040-\u30ff" in index["config"]["separator"]


def test_the_package_zip_carries_checked_bytecode_for_the_shipped_pyodide(built_site: Path) -> None:
    """Each module has a checked-hash .pyc (PEP 552) made by Pyodide's own Python, and so has
    PyScript's package: the browser imports without compiling, and a stale .pyc is never used."""
    archive = next((built_site / "runtime").glob("kaizen-*.zip"))
    with zipfile.ZipFile(archive) as bundle:
        names = set(bundle.namelist())
        sources = [n for n in names if n.endswith(".py")]
        assert "kaizen_core/api.py" in sources
        for source in sources:
            folder, _, module = source.rpartition("/")
            cached = f"{folder}/__pycache__/{module[:-3]}.cpython-314.pyc".lstrip("/")
            assert cached in names, source
            flags = int.from_bytes(bundle.read(cached)[4:8], "little")
            assert flags == 0b11, cached  # hash-based and checked
        assert "pyscript/__pycache__/__init__.cpython-314.pyc" in names


def interpreter_of(built_site: Path, tool: str) -> str:
    page = (built_site / "tools" / tool / "index.html").read_text(encoding="utf-8")
    return str(json.loads(html_module.unescape(worker_tag(page).group(1)))["interpreter"])


def test_tool_pages_start_pyodide_from_the_builds_memory_snapshot(built_site: Path) -> None:
    """PyScript's interpreter is calculators/boot.mjs, which names this build's snapshot: Pyodide's
    memory after its start (gzip), with the worker's standard-library modules imported, kept
    offline with the rest of the runtime."""
    runtime = built_site / "runtime"
    manifest = json.loads((runtime / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["boot"] == "pyodide/kaizen-boot.mjs"
    assert re.fullmatch(r"pyodide/snapshot-[0-9a-f]{12}[.]bin", manifest["snapshot"])
    boot = (runtime / manifest["boot"]).read_text(encoding="utf-8")
    assert f'new URL("{manifest["snapshot"].removeprefix("pyodide/")}", import.meta.url)' in boot
    assert 'from "./pyodide.mjs"' in boot
    snapshot = (runtime / manifest["snapshot"]).read_bytes()
    assert snapshot[:2] == b"\x1f\x8b"
    memory = gzip.decompress(snapshot)
    assert memory[:4] == b"\x00snp"  # Pyodide's mark for its memory snapshots
    assert b"tomllib._parser" in memory and b"html.entities" in memory  # imported before the snapshot
    assert hashlib.sha256(snapshot).hexdigest()[:12] in manifest["snapshot"]
    for tool in registry.page_names():
        assert interpreter_of(built_site, tool) == "../../runtime/pyodide/kaizen-boot.mjs", tool
    # pandas (extension modules) is not checked in a restored Python: the batch page starts plainly
    assert interpreter_of(built_site, "batch") == "../../runtime/pyodide/pyodide.mjs"
    assert f'"runtime/{manifest["snapshot"]}"' in (built_site / "sw.js").read_text(encoding="utf-8")


def test_the_package_zip_holds_only_our_packages_and_pyscripts_bytecode(built_site: Path) -> None:
    """The standard-library modules the worker needs are in the memory snapshot, imported: a copy
    in the zip would only be unpacked for nothing."""
    archive = next((built_site / "runtime").glob("kaizen-*.zip"))
    with zipfile.ZipFile(archive) as bundle:
        tops = {name.split("/")[0] for name in bundle.namelist()}
    assert tops == {"kaizen_core", "calculators", "pyscript"}


def test_the_privacy_page_states_the_size_of_the_offline_runtime(built_site: Path) -> None:
    """Visitors are told how much the tools' offline copy takes: the files the service worker keeps
    for them (sw.js RUNTIME), to within a tenth."""
    worker = (built_site / "sw.js").read_text(encoding="utf-8")
    kept = json.loads(re.search(r"^const RUNTIME = (\[.*\]);$", worker, flags=re.MULTILINE)[1])
    total = sum((built_site / path).stat().st_size for path in kept)
    page = (built_site / "privacy" / "index.html").read_text(encoding="utf-8")
    stated = int(re.search(r"計算に使うプログラム（約(\d+)MB）", page)[1]) * 1_000_000
    assert abs(stated - total) <= total / 10, (stated, total)


def test_the_404_page_names_every_file_from_the_sites_root(built_site: Path) -> None:
    """GitHub Pages serves 404.html at any missing address (/a/b/c): a relative path in it would
    point below that address. Its moved scripts (hooks/csp.py) are named from the root like the rest."""
    html = (built_site / "404.html").read_text(encoding="utf-8")
    sources = re.findall(r'<(?:script|link)\b[^>]*\s(?:src|href)="([^"]+)"', html)
    moved = [src for src in sources if "/inline/" in src or src.startswith("assets/inline/")]
    assert moved, "404.html has no moved script: check hooks/csp.py"
    local = [src for src in sources if not re.match(r"^([a-z]+:|//|#)", src)]
    assert local and all(src.startswith("/") for src in local), local
