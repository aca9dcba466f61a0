"""``/docs``: the reference, the guides and the renderer's assets, served from the package.

No key needed and nothing fetched from elsewhere: the renderer (Redoc, vendored from npm
by ``scripts/vendor_docs_assets.sh``) is a file of this package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler

from intervals_server.docs.pages import (
    CONTENT_SECURITY_POLICY,
    GUIDE_BY_SLUG,
    REFERENCE_PATH,
    guide_page,
    reference_page,
)
from intervals_server.kit.errors import NotFound

_HTML = "text/html"
_ASSET_TYPES = {
    "redoc.standalone.js": "text/javascript",
    "reference.js": "text/javascript",
    "docs.css": "text/css",
}
_PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


def _page(text: str) -> Response[bytes]:
    return Response(content=text.encode(), media_type=_HTML, headers=_PAGE_HEADERS)


@cache
def _asset(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


@get(REFERENCE_PATH, include_in_schema=False)
async def reference() -> Response[bytes]:
    return _page(reference_page())


@get(f"{REFERENCE_PATH}/{{slug:str}}", include_in_schema=False)
async def guide(request: Request[Any, Any, Any]) -> Response[bytes]:
    slug = request.path_params["slug"]
    if slug not in GUIDE_BY_SLUG:
        raise NotFound("Page not found")
    return _page(guide_page(slug))


@get(f"{REFERENCE_PATH}/static/{{name:str}}", include_in_schema=False)
async def asset(request: Request[Any, Any, Any]) -> Response[bytes]:
    name = request.path_params["name"]
    media_type = _ASSET_TYPES.get(name)
    if media_type is None:
        raise NotFound("File not found")
    return Response(
        content=_asset(name),
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


handlers: list[HTTPRouteHandler] = [reference, guide, asset]
