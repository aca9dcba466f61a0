"""The docs pages: served without a key, linked from one nav, and self-contained."""

from __future__ import annotations

import re

import pytest

from intervals_server.docs.pages import GUIDES
from intervals_server.http.versions import VERSIONS
from tests.conftest import Client

PAGES = ["/docs", *(guide.path for guide in GUIDES)]


@pytest.mark.parametrize("path", PAGES)
async def test_page_is_html_served_without_a_key(client: Client, path: str) -> None:
    response = await client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_links_every_page_in_its_nav(client: Client, path: str) -> None:
    nav = (await client.get(path)).text.split("<nav", 1)[1].split("</nav>", 1)[0]

    assert set(re.findall(r'href="([^"]+)"', nav)) == set(PAGES)


@pytest.mark.parametrize("path", PAGES)
async def test_page_loads_nothing_from_another_host(client: Client, path: str) -> None:
    page = (await client.get(path)).text

    assert not re.findall(r'src="(?!/)', page)
    assert not re.findall(r'<link[^>]+href="(?!/)', page)


@pytest.mark.parametrize("path", PAGES)
async def test_page_forbids_loading_from_other_hosts(client: Client, path: str) -> None:
    policy = (await client.get(path)).headers["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "img-src 'self' data:" in policy


async def test_reference_page_renders_the_served_openapi_document_with_the_bundled_renderer(
    client: Client,
) -> None:
    page = (await client.get("/docs")).text
    script = await client.get("/docs/static/reference.js")
    renderer = await client.get("/docs/static/redoc.standalone.js")

    assert '<script src="/docs/static/redoc.standalone.js">' in page
    assert '"/openapi.json"' in script.text
    assert renderer.status_code == 200
    assert renderer.headers["content-type"].startswith("text/javascript")
    assert len(renderer.content) > 100_000


@pytest.mark.parametrize(
    ("slug", "heading"),
    [
        ("compatibility", "Where the reference's pages disagree"),
        ("authentication", "Scopes"),
        ("errors", "What to retry"),
        ("pagination", "hasMore"),
        ("rate-limits", "RateLimit-Remaining"),
        ("idempotency", "idempotency_key_in_use"),
    ],
)
async def test_guide_is_markdown_rendered_to_html(client: Client, slug: str, heading: str) -> None:
    page = (await client.get(f"/docs/{slug}")).text

    assert "<h1>" in page and heading in page
    assert "<table>" in page or "<pre>" in page


async def test_changelog_lists_the_first_version(client: Client) -> None:
    page = (await client.get("/docs/changelog")).text

    assert "<h2>2026-03-01</h2>" in page


async def test_changelog_lists_every_version_the_server_accepts(client: Client) -> None:
    page = (await client.get("/docs/changelog")).text

    assert all(f"<h2>{version}</h2>" in page for version in VERSIONS)


@pytest.mark.parametrize(
    "path", ["/docs/nope", "/docs/static/nope.js", "/docs/static/..%2Fpages.py"]
)
async def test_unknown_docs_path_is_a_404(client: Client, path: str) -> None:
    response = await client.get(path)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


async def test_errors_guide_lists_the_http_servers_own_rejections(client: Client) -> None:
    page = (await client.get("/docs/errors")).text
    section = page.split("Refused before the API sees the request", 1)[1]

    for status in ("414", "431", "400"):
        assert status in section
    assert "no <code>Request-Id</code>" in section
