"""The site published under a project path, as GitHub Pages publishes a project site
(https://<owner>.github.io/kaizen-navi/): built with that ``SITE_URL`` (mkdocs.yml reads it from the
environment), served only under ``/kaizen-navi/`` (any other path is a 404), every page of the sitemap
and the 404 page load with no failed request, and every tool reaches a live result."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from kaizen_core import registry
from tests.browser.conftest import wait_ready
from tests.site_build import build_site, free_port, serve

PREFIX = "/kaizen-navi/"


class ProjectSite:
    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.port = port
        self.site_url = f"http://127.0.0.1:{port}{PREFIX}"


@pytest.fixture(scope="module")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> ProjectSite:
    port = free_port()  # the sitemap holds absolute addresses: serve where the build says
    site_url = f"http://127.0.0.1:{port}{PREFIX}"
    directory = build_site(tmp_path_factory.mktemp("project-path"), env={"SITE_URL": site_url})
    return ProjectSite(directory, port)


@pytest.fixture(scope="module")
def project_url(project_site: ProjectSite) -> Iterator[str]:
    with serve(project_site.directory, prefix=PREFIX, port=project_site.port) as url:
        yield url


def sitemap(site: ProjectSite) -> list[str]:
    text = (site.directory / "sitemap.xml").read_text(encoding="utf-8")
    return re.findall(r"<loc>([^<]+)</loc>", text)


def test_the_sitemap_and_canonical_links_use_site_url(project_site: ProjectSite) -> None:
    pages = sitemap(project_site)
    assert len(pages) > 20
    assert all(page.startswith(project_site.site_url) for page in pages), pages
    home = (project_site.directory / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{project_site.site_url}">' in home
    assert "127.0.0.1:8000" not in home  # the local default is not left anywhere


class Failed(list[str]):
    """Responses with status >= 400 (any frame or worker of the context)."""


@pytest.fixture
def failed(context: Any) -> Failed:
    found = Failed()
    context.on(
        "response",
        lambda response: (
            found.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return found


def test_every_page_loads_with_no_failed_request(
    page: Any, project_site: ProjectSite, project_url: str, failed: Failed
) -> None:
    depths: set[int] = set()
    for address in sitemap(project_site):
        # relative links differ by a page's depth: at the first page of each depth, wait until
        # the network is idle, so that what loads late (search index, service worker) is checked too
        depth = urlsplit(address).path.count("/")
        response = page.goto(address, wait_until="load" if depth in depths else "networkidle")
        depths.add(depth)
        assert response is not None
        assert response.status == 200, address
        assert urlsplit(page.url).path.startswith(PREFIX), page.url
    assert failed == []


def test_the_404_page_finds_its_theme_under_the_project_path(
    page: Any, project_url: str, failed: Failed
) -> None:
    """GitHub Pages answers a missing address with the site's 404.html, whatever the depth: its
    links are absolute, made from site_url's path."""
    response = page.goto(f"{project_url}/404.html", wait_until="networkidle")
    assert response is not None
    assert response.status == 200
    assert failed == []
    assert page.eval_on_selector(".md-header", "node => getComputedStyle(node).position") in (
        "sticky",
        "fixed",
    )


def test_outside_the_project_path_nothing_is_served(page: Any, project_url: str) -> None:
    """The server really serves only under the prefix, so that the checks above mean something."""
    root = project_url.removesuffix(PREFIX.rstrip("/"))
    response = page.goto(f"{root}/index.html")
    assert response is not None
    assert response.status == 404


@pytest.mark.parametrize("tool", registry.page_names())
def test_every_tool_reaches_a_live_result_under_the_project_path(
    page: Any, project_url: str, failed: Failed, tool: str
) -> None:
    page.goto(f"{project_url}/tools/{tool}/")
    wait_ready(page)
    assert page.text_content("#kz-result"), tool
    assert failed == []


def test_the_service_worker_takes_the_project_path_as_its_scope(page: Any, project_url: str) -> None:
    page.goto(f"{project_url}/")
    scope = page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)")
    assert scope == f"{project_url}/"
