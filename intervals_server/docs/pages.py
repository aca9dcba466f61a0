"""The docs pages as HTML: one layout with a nav, the reference page, the Markdown guides."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from importlib import resources

from markdown_it import MarkdownIt


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    source: str  # a file of this package

    @property
    def path(self) -> str:
        return f"/docs/{self.slug}"


REFERENCE_PATH = "/docs"
GUIDES: tuple[Guide, ...] = (
    Guide("compatibility", "Compatibility", "pages/compatibility.md"),
    Guide("authentication", "Authentication", "pages/authentication.md"),
    Guide("errors", "Errors", "pages/errors.md"),
    Guide("pagination", "Pagination", "pages/pagination.md"),
    Guide("rate-limits", "Rate limits", "pages/rate-limits.md"),
    Guide("idempotency", "Idempotency", "pages/idempotency.md"),
    Guide("changelog", "Changelog", "CHANGELOG.md"),
)
GUIDE_BY_SLUG = {guide.slug: guide for guide in GUIDES}

# Redoc injects its styles and runs its search in a blob: worker; nothing may leave the
# server (its bundle would fetch a logo from a CDN: img-src keeps it home).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' blob:; worker-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def read_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _nav(current: str) -> str:
    links = [(REFERENCE_PATH, "API reference")] + [(g.path, g.title) for g in GUIDES]
    current_mark = ' aria-current="page"'
    items = "".join(
        f'<a href="{path}"{current_mark if path == current else ""}>{html.escape(title)}</a>'
        for path, title in links
    )
    return f'<nav class="docs-nav"><span class="brand">Intervals API</span>{items}</nav>'


def _layout(title: str, current: str, body: str, scripts: tuple[str, ...] = ()) -> str:
    tags = "".join(f'<script src="/docs/static/{name}"></script>' for name in scripts)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · Intervals API</title>"
        '<link rel="stylesheet" href="/docs/static/docs.css"></head>'
        f"<body>{_nav(current)}{body}{tags}</body></html>"
    )


@cache
def reference_page() -> str:
    return _layout(
        "API reference",
        REFERENCE_PATH,
        '<div id="reference"></div>',
        scripts=("redoc.standalone.js", "reference.js"),
    )


@cache
def guide_page(slug: str) -> str:
    guide = GUIDE_BY_SLUG[slug]
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = markdown.render(read_text(guide.source))
    return _layout(guide.title, guide.path, f'<main class="guide">{body}</main>')
