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

The changes are two expressions in Material's bundle, each found exactly once or the build stops (a
Material upgrade must look at this again). tests/browser/test_site.py checks that a content page
and tests/browser/test_speed.py check that a content page does not request the index until
search is used, that Japanese search still finds the domain's terms and that the query is marked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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


def on_files(files: Files, config: Any) -> Files:
    bundles = [file for file in files if BUNDLE.fullmatch(file.src_uri)]
    if len(bundles) != 1:
        raise MaterialChanged(f"{len(bundles)} Material bundles found, not one: check hooks/speed.py.")
    bundle = bundles[0]
    text = Path(bundle.abs_src_path or "").read_text(encoding="utf-8")
    files.remove(bundle)
    files.append(File.generated(config, bundle.src_uri, content=lazy_search(text)))
    return files
