from __future__ import annotations

from intervals.auth.scopes import Scope
from intervals.kit.schemas import Data
from intervals.organizations import service
from intervals.organizations.schemas import Organization
from intervals.routing import Context, Endpoint, endpoint


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
    return await service.get_organization(ctx.session, ctx.organization_id)


handlers = [get_organization]
