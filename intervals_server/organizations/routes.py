from __future__ import annotations

from intervals_server.auth.scopes import Scope
from intervals_server.http.routing import Context, Endpoint, endpoint
from intervals_server.kit.schemas import Data
from intervals_server.organizations import service
from intervals_server.organizations.schemas import Organization


@endpoint(
    Endpoint(
        "GET",
        "/organization",
        operation_id="getOrganization",
        summary="Your organization",
        description="Returns the organization the API key belongs to; useful to check credentials.",
        tag="Organization",
        scope=Scope.READ_SERIES,
        response=Data[Organization],
        examples={
            "data": {
                "_id": "k57abc123def456",
                "name": "North Shore Race Management",
                "slug": "north-shore-race-mgmt",
                "roles": ["organizer"],
                "plan": "local",
                "timezone": "America/Chicago",
            }
        },
    )
)
async def get_organization(ctx: Context) -> Data[Organization]:
    return await service.get_organization(ctx)


handlers = [get_organization]
