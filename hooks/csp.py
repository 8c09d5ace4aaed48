"""The Content-Security-Policy of every page, and the pages made to keep it.

GitHub Pages cannot send headers, so the policy is a ``<meta http-equiv>`` tag, the first thing in
every page's ``<head>`` (a policy applies only to what follows it). ``launcher/serve.py`` reads the
same tag from the copy it serves and also sends it as a header.

No script may run from the page's text: ``script-src`` is ``'self'`` and Pyodide's
``'wasm-unsafe-eval'``, nothing else. Material for MkDocs writes a few small scripts inline (its
storage helpers, the colour palette, content tabs); :func:`externalise_scripts` moves each into a
file named by its content's hash, so a Material upgrade needs no change here. JSON data blocks
(``type="application/json"``) and PyScript's worker tag (``type="py"``) never execute and stay.

The exceptions, and why, are listed on the maintainers' page (docs/hoshu.md).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path


def _policy(*script_extra: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            # Pyodide compiles its WebAssembly: 'wasm-unsafe-eval' allows exactly that, not eval().
            " ".join(("script-src 'self' 'wasm-unsafe-eval'", *script_extra)),
            # Material and the tool pages set style attributes (positions, hidden bars, the charts'
            # SVG): styles cannot run code. Everything else is 'self'.
            "style-src 'self' 'unsafe-inline'",
            # Material's icons are data: SVGs in its CSS; downloads (CSV/xlsx) are blob: links.
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            # PyScript starts its worker from a blob: URL that imports its modules from this site.
            "worker-src 'self' blob:",
            "manifest-src 'self'",
            "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


# Content pages: no eval of any kind.
POLICY = _policy()
# Tool pages: PyScript builds its worker hooks with Function() from their source text (the way it
# hands JavaScript hooks to a worker, in its hooks.js and polyscript's worker template; no data of
# ours ever reaches them). The exception is written on the maintainers' page.
TOOL_POLICY = _policy("'unsafe-eval'")


def meta(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


INLINE_DIR = "assets/inline"

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
# An inline script ran where it stood without a request. Moved into a file, a classic script would
# stop the page's parsing for a round trip: in the head it waits for the style sheets first, and
# the body (with the text, Lighthouse's LCP) is not even read until then; Material's palette script
# sits in the header, before the content. So a moved script is deferred: it runs once the page is
# parsed, in document order, before DOMContentLoaded. Material's scripts need nothing earlier: its
# storage helpers define the globals its bundle uses, and the bundle is loaded by assets/later.js,
# itself deferred and after them (the palette, which this site does not let visitors change, and
# content tabs only set attributes). A script that must run before the first paint (a tool page's
# marks on <html>, overrides/main.html) says so with data-kz-blocking and stays where it is.
# Material's own scripts (the plain ones, merged into one file) are needed by nothing but its
# bundle, so they are not even requested with the page: like the bundle they are written as
# `type="text/plain" data-kz-later`, and assets/later.js loads them just before it, in document
# order. One request fewer while the style sheets load (the palette and content-tab scripts
# change nothing on this site: it has no palette switch and no content tabs).
_WAITS = re.compile(r"\b(defer|async)\b", re.I)
_BLOCKING = re.compile(r"\s+data-kz-blocking\b", re.I)
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)


def add_policy(html: str, policy: str = POLICY) -> str:
    """The page with the policy as the first element of its head, right after the charset."""
    head = html[: html.find("</head>")]
    if '<meta http-equiv="Content-Security-Policy"' in head:
        return html  # already there (a page's text may quote the tag: only the head counts)
    found = _CHARSET.search(html)
    if found is None:
        raise ValueError("a page without <meta charset>: the policy has nowhere to go first")
    return html[: found.end()] + meta(policy) + html[found.end() :]


def externalise_scripts(html: str, page_dir: str, root: str | None = None) -> tuple[str, dict[str, str]]:
    """Moves inline scripts into files (``assets/inline/<hash>.js``), returned as {path: text}.

    ``page_dir`` is the page's folder in the site ("" for the home page, "tools/subsidy"). A page
    served at any depth (404.html) names the files from the site's ``root`` path instead ("/" or
    "/kaizen-navi/"), as its other links do.
    The plain classic scripts (no attributes: Material's) go into one file, in document order,
    where the first one stood, loaded with Material's bundle by assets/later.js (see ``_WAITS``).
    One request instead of four on every page, and none before the first paint (each is a few
    hundred bytes; on a slow phone line each request costs more than its bytes, and Lighthouse
    counts every one that ended before the LCP).
    """
    files: dict[str, str] = {}
    deferred: list[str] = []
    placeholder = "<!--kz-deferred-scripts-->"

    def write(body: str) -> str:
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
        path = f"{INLINE_DIR}/{digest}.js"
        files[path] = body
        return root + path if root is not None else posixpath.relpath(path, page_dir or ".")

    def replace(match: re.Match[str]) -> str:
        attrs, body = match.group("attrs"), match.group("body")
        if re.search(r"\bsrc\s*=", attrs, re.I) or not body.strip():
            return match.group(0)
        typed = _TYPE.search(attrs)
        kind = typed.group(1).lower() if typed else ""
        if kind not in _EXECUTABLE_TYPES:
            return match.group(0)  # JSON data, PyScript's config and worker tags: never executed
        if not attrs.strip():
            deferred.append(body)
            return placeholder if len(deferred) == 1 else ""
        if kind == "" and not _WAITS.search(attrs):
            attrs = _BLOCKING.sub("", attrs) if _BLOCKING.search(attrs) else attrs + " defer"
        return f'<script{attrs} src="{write(body)}"></script>'

    html = _SCRIPT.sub(replace, html)
    if deferred:
        # each in its own block, as each was its own script: an error in one does not stop the next
        merged = "\n".join(
            f"try {{\n{body.strip()}\n}} catch (error) {{ console.error(error); }}" for body in deferred
        )
        html = html.replace(
            placeholder, f'<script type="text/plain" data-kz-later src="{write(merged)}"></script>', 1
        )
    return html, files


def inline_executables(html: str) -> list[str]:
    """The inline scripts of a page that a browser would run (for the tests: there must be none)."""
    found = []
    for match in _SCRIPT.finditer(html):
        attrs, body = match.group("attrs"), match.group("body")
        typed = _TYPE.search(attrs)
        kind = typed.group(1).lower() if typed else ""
        if body.strip() and kind in _EXECUTABLE_TYPES:
            found.append(body)
    return found


def inline_handlers(html: str) -> list[str]:
    """Event-handler attributes (onclick=…) in a page: the policy blocks them, so there must be none."""
    return re.findall(r"<[a-z][^>]*\s(on[a-z]+)\s*=", html, re.I)


def harden(html: str, page_dir: str, site_dir: Path, *, tool: bool = False, root: str | None = None) -> str:
    """The page as published: its inline scripts in files under ``site_dir``, the policy first."""
    html, files = externalise_scripts(html, page_dir, root)
    for path, text in files.items():
        target = site_dir / path
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return add_policy(html, TOOL_POLICY if tool else POLICY)
