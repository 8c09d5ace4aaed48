"""Content pages that load like plain documents: the search index only when search is used.

Material for MkDocs (9.8.1) fetches ``search/search_index.json`` (about 660 KB, 100 KB gzip'd) as
soon as a page served over http(s) has loaded, and its search worker builds the index from it at
once: half of what a content page downloads, and main-thread and CPU time, for a search most
visitors never open. Its bundle already waits for the search dialog to open when the site is
opened from files (file://): it starts the worker's setup from
``merge(of(location.protocol !== "file:"), watchToggle("search"))``. This hook makes the first
part false for every page, so over http(s) too the index is fetched and built when the search
dialog first opens: focusing or clicking the search field, or the search keys (``/``, ``s``, ``f``),
which open the dialog. Material queues the query typed meanwhile and answers it when the worker
is ready (its ``combineLatest`` of the worker's ready message and the query), so nothing typed is
lost. Its ``search.highlight`` feature also asked for the index at every page load (to mark a
query on the page a result leads to); it is now mounted only on pages opened with that query.

Before the first paint a content page asks for its two style sheets and two scripts, nothing
else: on a slow phone line every request made while the style sheets load takes a share of the
line (Lighthouse's simulated LCP counted the text 150 ms later for each one that ended before it
was painted). So this hook also publishes the two small classic scripts every page runs,
docs/assets/site-age.js and docs/assets/later.js, joined as ``assets/page.js`` (one request; the
pages name only that, overrides/main.html), and writes the site's icon (docs/assets/icon.svg) into
each page as a ``data:`` URL instead of Material's favicon.png, which the browser fetched at the
page's load, often before its first paint. The web app manifest is linked by later.js once the
page has been painted (see there), and Material's own small scripts are loaded with its bundle
(hooks/csp.py).

The changes are two expressions in Material's bundle, each found exactly once or the build stops (a
Material upgrade must look at this again). tests/browser/test_site.py checks that a content page
and tests/browser/test_speed.py check that a content page does not request the index until
search is used, that Japanese search still finds the domain's terms and that the query is marked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.structure.files import File, Files

BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js")
# (Material's name in its sources: what it is in the minified bundle, what this hook makes of it)
CHANGES = (
    # setupSearchWorker: `merge(of(location.protocol !== "file:"), watchToggle("search"))`
    ('L($(location.protocol!=="file:"),Je("search"))', 'L($(!1),Je("search"))'),
    # search.highlight (marking the query on the page a result leads to, from its `?h=`) asks for
    # the index at every page load; without instant navigation a page's address is fixed, so it is
    # mounted only on a page opened with `h`
    (
        'me("content").map(e=>V("search.highlight")?Ai(',
        'me("content").map(e=>V("search.highlight")&&we().searchParams.has("h")?Ai(',
    ),
)


class MaterialChanged(RuntimeError):
    """Material's bundle no longer holds the expression this hook changes."""


def lazy_search(bundle: str) -> str:
    """The bundle with the search index loaded when the search dialog first opens."""
    for eager, lazy in CHANGES:
        found = bundle.count(eager)
        if found != 1:
            raise MaterialChanged(
                f"Material's bundle holds {eager!r} {found} times, not once: hooks/speed.py must "
                "be checked against this Material version (the search index would otherwise load "
                "at every page load, or not at all)."
            )
        bundle = bundle.replace(eager, lazy)
    return bundle


# the page's classic scripts, in the order they ran as separate files (site-age.js in the footer,
# later.js last in the body); both run once the page is parsed, before its first paint
PAGE_SCRIPTS = ("assets/site-age.js", "assets/later.js")
PAGE_SCRIPT = "assets/page.js"
ICON = "assets/icon.svg"
# Material's favicon link (base.html), the same at every depth but for its relative path
FAVICON = re.compile(r'<link rel="icon" href="[^"]*assets/images/favicon\.png">')


def page_script(sources: dict[str, str]) -> str:
    """assets/page.js: the page's classic scripts joined, each in its own function as written."""
    parts = [
        f"// {name} (docs/{name}; joined by hooks/speed.py)\n{sources[name].strip()}\n"
        for name in PAGE_SCRIPTS
    ]
    return "\n".join(parts)


def icon_link(svg: str) -> str:
    """The site's icon as a ``<link rel="icon">`` with a ``data:`` URL (the CSP allows data: images)."""
    text = re.sub(r"\s+", " ", svg).replace("> <", "><").strip().replace('"', "'")
    text = re.sub(r" (role|aria-label)='[^']*'", "", text)  # for a document, not for a browser tab
    url = "data:image/svg+xml," + quote(text, safe=" =:/'")
    return f'<link rel="icon" href="{url}" type="image/svg+xml">'


def inline_icon(html: str, link: str) -> str:
    found = len(FAVICON.findall(html))
    if found != 1:
        raise MaterialChanged(f"{found} favicon links in a page, not one: check hooks/speed.py.")
    return FAVICON.sub(link, html)


_ICON_LINK: dict[str, str] = {}


def _icon(config: Any) -> str:
    if "link" not in _ICON_LINK:
        _ICON_LINK["link"] = icon_link((Path(config["docs_dir"]) / ICON).read_text(encoding="utf-8"))
    return _ICON_LINK["link"]


def on_post_page(output: str, page: Any, config: Any) -> str:
    return inline_icon(output, _icon(config))


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """The theme's own pages (404.html)."""
    return inline_icon(output, _icon(config)) if template_name.endswith(".html") else output


def on_files(files: Files, config: Any) -> Files:
    _ICON_LINK.clear()  # `mkdocs serve` rebuilds: read the icon again
    sources = {name: Path(config["docs_dir"], name).read_text(encoding="utf-8") for name in PAGE_SCRIPTS}
    files.append(File.generated(config, PAGE_SCRIPT, content=page_script(sources)))
    bundles = [file for file in files if BUNDLE.fullmatch(file.src_uri)]
    if len(bundles) != 1:
        raise MaterialChanged(f"{len(bundles)} Material bundles found, not one: check hooks/speed.py.")
    bundle = bundles[0]
    text = Path(bundle.abs_src_path or "").read_text(encoding="utf-8")
    files.remove(bundle)
    files.append(File.generated(config, bundle.src_uri, content=lazy_search(text)))
    return files
