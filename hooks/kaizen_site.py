"""MkDocs hook: the site's pages take their figures and council lists from kaizen_core's data.

- Every page's Markdown is rendered as a Jinja2 template with the functions of
  :class:`macros.PageMacros` (``{{ yen("vup.expert.plan_cap") }}`` …) and a table of the figures'
  sources is appended. Unknown names or keys stop the build (StrictUndefined).
- ``{{ council_cards("kinki") }}`` and ``{{ council_directory() }}`` render the council data.
- The council list is also published as ``data/councils.json`` and ``data/councils.csv``.

The rules' reference date (基準日) is today in Japan, or ``KAIZEN_AS_OF`` (YYYY-MM-DD) for a
reproducible build. ``KAIZEN_DATA_DIR`` (a copy of ``kaizen_core/data``) makes the build's pages and
the tools' first results use that copy's parameters and references instead of the packaged ones; the
calculators in the browser still run on the packaged data. It exists for the test that changes a cap
and checks that every page figure follows (tests/site/test_page_figures.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import posixpath
import re
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markupsafe

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from csp import harden  # noqa: E402
from macros import REVERIFY_AFTER_DAYS, PageMacros, report_stale_values  # noqa: E402
from runtime import runtime_files  # noqa: E402
from tables import label_tables  # noqa: E402
from tools import batch_templates, render_batch, render_tool, script_json  # noqa: E402

from calculators.council import page_card  # noqa: E402
from kaizen_core.directory import by_region, councils  # noqa: E402
from kaizen_core.numbers import japanese_partial_date  # noqa: E402
from kaizen_core.params import ParameterStore, default_store, use_data_dir  # noqa: E402
from kaizen_core.request import today  # noqa: E402

TEMPLATES = Path(__file__).parent / "templates"
COUNCIL_CSV_COLUMNS = (
    ("prefecture_code", "都道府県コード"),
    ("prefecture", "都道府県"),
    ("region_label", "地域（経済産業局の管轄）"),
    ("name", "協議会名"),
    ("host", "設置機関"),
    ("postal_code", "郵便番号"),
    ("address", "所在地"),
    ("phone", "電話番号"),
    ("url", "ウェブサイト"),
    ("as_of", "情報の時点"),
    ("sources", "出典"),
    ("notes", "注記"),
)


class Site:
    """State shared by the hook functions for one build."""

    def __init__(self) -> None:
        data_dir = os.environ.get("KAIZEN_DATA_DIR")
        self.store: ParameterStore = use_data_dir(Path(data_dir)) if data_dir else default_store()
        override = os.environ.get("KAIZEN_AS_OF")
        self.as_of: date = date.fromisoformat(override) if override else today()
        loader = jinja2.FileSystemLoader(str(TEMPLATES))
        self.runtime: dict[str, Any] = {}
        self.html_env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
        # Page Markdown uses {#id} for heading anchors (attr_list), so Jinja comments get other marks.
        self.page_env = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            comment_start_string="<#--",
            comment_end_string="--#>",
            keep_trailing_newline=True,
        )

    # --- council rendering -------------------------------------------------------------------
    def _card(self, council: Any, level: int) -> markupsafe.Markup:
        """One council's card (calculators/council.py, the same card as the eligibility result's)."""
        return markupsafe.Markup(page_card(council.as_dict(), self.store.references, level))

    def council_cards(self, region: str) -> str:
        members = [c for c in councils() if c.region == region]
        if not members:
            raise ValueError(f"no councils in region {region!r}")
        cards = "".join(self._card(c, 2) for c in members)
        return f'<div class="kz-council-grid">{cards}</div>'

    def council_directory(self) -> str:
        template = self.html_env.get_template("council_directory.html")
        return template.render(regions=by_region(), card=self._card)


SITE: Site | None = None
# The build's version in its pages (the footer) until on_post_build knows it: the 基準日 and the
# start of the digest of everything the build wrote, so the same content has the same version.
VERSION_MARK = "kz-build-version-0000000"
# A copy whose 基準日 is older than this, by the visitor's date in Japan, says on every page that
# the rules may have changed since (docs/assets/site-age.js). Half a year: the programmes' amounts
# and conditions change with the fiscal year (April) and with the 補正予算 in the autumn, so a copy
# this old has probably missed one of them; a copy kept for a seminar season stays quiet.
STALE_AFTER_DAYS = 180


def on_config(config: Any) -> Any:
    global SITE
    SITE = Site()
    config.setdefault("extra", {})["kaizen_as_of"] = SITE.as_of.isoformat()
    config["extra"]["kz_build"] = {
        "version": VERSION_MARK,
        "as_of": SITE.as_of.isoformat(),
        "as_of_text": japanese_partial_date(SITE.as_of.isoformat()),
        "stale_after_days": STALE_AFTER_DAYS,
    }
    # Footer links that work with and without directory URLs (the offline build has none).
    suffix = "/" if config["use_directory_urls"] else ".html"
    config["extra"]["kz_links"] = {
        name: f"{name}{suffix}" for name in ("privacy", "accessibility", "sources", "en")
    }
    # Sources due for re-verification: said at build time, never a failure (hooks/macros.py).
    limit = int(config["extra"].get("kaizen_reverify_days", REVERIFY_AFTER_DAYS))
    report_stale_values(SITE.store, SITE.as_of, limit)
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    assert SITE is not None
    macros = PageMacros(SITE.store, SITE.as_of)
    names = {
        name: getattr(macros, name)
        for name in dir(macros)
        if not name.startswith("_") and name not in ("store", "used", "sources_section")
    }
    names.update(
        council_cards=SITE.council_cards,
        council_directory=SITE.council_directory,
        tool=lambda name: _tool(name, page),
        batch_tool=lambda: _batch_tool(page, config),
    )
    try:
        rendered = SITE.page_env.from_string(markdown).render(**names)
    except (jinja2.TemplateError, KeyError, ValueError) as error:
        raise RuntimeError(f"{page.file.src_path}: {error}") from error
    page.meta["kz_parameters"] = sorted(macros.used)
    return rendered + macros.sources_section()


def _tool(name: str, page: Any) -> str:
    """A tool page's form, default result and runtime facts (see calculators/templates/tool.html)."""
    assert SITE is not None
    _require_tool_page(page, name)
    return _runtime_script(render_tool(name, SITE.as_of.isoformat()))


def _batch_tool(page: Any, config: Any) -> str:
    assert SITE is not None
    _require_tool_page(page, "batch")
    available = SITE.runtime["manifest"]["batch"]["available"]
    return _runtime_script(render_batch(available, config["use_directory_urls"]))


def _require_tool_page(page: Any, name: str) -> None:
    """A tool needs ``kz_tool: <name>`` in its page's front matter: only then does the page's head
    carry the Python worker and its config (overrides/main.html), the one place they are written."""
    if page.meta.get("kz_tool") != name:
        raise ValueError(f"this page shows the tool {name!r}: its front matter needs `kz_tool: {name}`")


def _runtime_script(html: str) -> str:
    """Appends the runtime facts app.mjs needs: the wheels, widgets and batch status."""
    assert SITE is not None
    manifest = SITE.runtime["manifest"]
    info = {
        "wheels": [f"runtime/{path}" for path in manifest["wheels"]],
        "widgets": manifest["widgets"],
        "batch": manifest["batch"],
    }
    runtime_json = script_json(json.dumps(info, ensure_ascii=False))
    return html + f'\n<script type="application/json" id="kz-runtime">{runtime_json}</script>'


def _reproducible_xlsx(data: bytes, as_of: date) -> bytes:
    """The same workbook for the same content: openpyxl stamps the time of writing into the file
    (docProps/core.xml and the zip's entries), which would give every build a new version. Those
    times become the 基準日."""
    stamp = f"{as_of.isoformat()}T00:00:00Z".encode()
    written = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed = zipfile.ZipInfo(entry.filename, (as_of.year, as_of.month, as_of.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, content)
    return written.getvalue()


def _councils_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in COUNCIL_CSV_COLUMNS])
    for council in councils():
        record = council.as_dict()
        record["sources"] = " ".join(record["sources"])
        writer.writerow([record[key] for key, _ in COUNCIL_CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def on_files(files: Any, config: Any) -> Any:
    """Publish the council list as generated files, so pages can link to them."""
    from mkdocs.structure.files import File

    assert SITE is not None
    document = {
        "description": "中小企業活性化協議会（47都道府県）と中小企業活性化全国本部の連絡先",
        "generated_on": SITE.as_of.isoformat(),
        "sources": {
            ref: SITE.store.references[ref].as_dict() for ref in ("smrj_pamphlet_2022", "kinki_meti_2026_01")
        },
        "councils": [council.as_dict() for council in councils()],
    }
    json_text = json.dumps(document, ensure_ascii=False, indent=2)
    files.append(File.generated(config, "data/councils.json", content=json_text.encode("utf-8")))
    files.append(File.generated(config, "data/councils.csv", content=_councils_csv()))
    for name, content in batch_templates().items():
        if name.endswith(".xlsx"):
            content = _reproducible_xlsx(content, SITE.as_of)
        files.append(File.generated(config, name, content=content))
    generated, SITE.runtime = runtime_files(config)
    for item in generated:
        files.append(item)
    config["extra"]["kaizen_runtime"] = SITE.runtime
    return files


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Every page keeps the Content-Security-Policy: no inline script, the policy first (hooks/csp.py)."""
    page_dir = posixpath.dirname(page.file.dest_uri)
    tool = bool(page.meta.get("kz_tool")) and bool(config["extra"].get("kaizen_runtime"))
    return harden(label_tables(output), page_dir, Path(config["site_dir"]), tool=tool)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """The same for the theme's own pages (404.html, served at any depth: its moved scripts are
    named from the site's root path, like its style sheets; relative where there is no site URL)."""
    if not template_name.endswith(".html"):
        return output
    root = urlsplit(config["site_url"]).path or "/" if config.get("site_url") else None
    if root is not None and not root.endswith("/"):
        root += "/"
    return harden(output, posixpath.dirname(template_name), Path(config["site_dir"]), root=root)


LUNR_FOR_JAPANESE = ("tinyseg.js", "lunr.stemmer.support.min.js", "lunr.ja.min.js", "lunr.multi.min.js")


def _url_of(relative: str) -> str:
    """The address a browser asks for: directory URLs for index pages."""
    if relative == "index.html":
        return "./"
    if relative.endswith("/index.html"):
        return relative.removesuffix("index.html")
    return relative


def build_version(as_of: date, digest: str) -> str:
    """``2026.11.21-3f9a0c1``: the 基準日 and the start of the build's digest."""
    return f"{as_of:%Y.%m.%d}-{digest[:7]}"


def _write_version(site: Path, version: str) -> None:
    """The version into every page, in place of VERSION_MARK."""
    mark = VERSION_MARK.encode()
    for path in site.rglob("*.html"):
        data = path.read_bytes()
        if mark in data:
            path.write_bytes(data.replace(mark, version.encode()))


def on_post_build(config: Any) -> None:
    """The installed app: a web manifest, the build's version in every page and a service worker
    listing this build's files with their digests (calculators/sw.js)."""
    assert SITE is not None
    site = Path(config["site_dir"])
    _write_manifest(site, config)
    wanted: list[tuple[str, Path]] = []
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_dir() or relative.endswith((".gz", ".map")) or relative.startswith("bench"):
            continue
        if relative == "sw.js":
            continue
        if relative.startswith("assets/javascripts/lunr/") and not relative.endswith(LUNR_FOR_JAPANESE):
            continue  # search in other languages: never loaded by this Japanese site
        if relative.startswith("runtime/pyodide/") and relative.endswith(".whl"):
            continue  # pandas and numpy for the batch page: large, loaded only when it is used
        wanted.append((relative, path))
    digest = hashlib.sha256()
    for relative, path in wanted:
        digest.update(relative.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    version = build_version(SITE.as_of, digest.hexdigest())
    _write_version(site, version)
    precache: list[str] = []
    runtime: list[str] = []
    digests: dict[str, str] = {}
    for relative, path in wanted:
        url = relative if relative.startswith("runtime/") else _url_of(relative)
        (runtime if relative.startswith("runtime/") else precache).append(url)
        digests[url] = hashlib.sha256(path.read_bytes()).hexdigest()
    template = (ROOT / "calculators" / "sw.js").read_text(encoding="utf-8")
    worker = (
        template.replace("__VERSION__", version)
        .replace("__PRECACHE__", json.dumps(precache, ensure_ascii=False))
        .replace("__RUNTIME__", json.dumps(runtime, ensure_ascii=False))
        .replace("__DIGESTS__", json.dumps(digests, ensure_ascii=False, separators=(",", ":")))
    )
    (site / "sw.js").write_text(worker, encoding="utf-8")


def _write_manifest(site: Path, config: Any) -> None:
    manifest = {
        "name": config["site_name"],
        "short_name": "改善計画ナビ",
        "lang": "ja",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#283593",
        "description": config["site_description"],
        "icons": [{"src": "assets/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    (site / "manifest.webmanifest").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
