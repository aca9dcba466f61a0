from __future__ import annotations

from intervals_server.auth.scopes import Scope
from intervals_server.events.schemas import Event
from intervals_server.events.service import list_group_events
from intervals_server.groups import service
from intervals_server.groups.errors import GroupNotFound
from intervals_server.groups.schemas import Group, GroupListQuery
from intervals_server.http.routing import Context, Endpoint, endpoint
from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.schemas import Data, Page

_GROUP = {
    "_id": "g14abc789def012",
    "organizationId": "k57abc123def456",
    "name": "Friday Night Lights",
    "slug": "friday-night-lights",
    "description": "Our weekly Friday evening track workouts.",
    "status": "active",
}


@endpoint(
    Endpoint(
        "GET",
        "/groups",
        operation_id="listGroups",
        summary="All groups",
        description="Event groups of your organization, in the order they were created.",
        tag="Groups",
        scope=Scope.READ_GROUPS,
        query=GroupListQuery,
        response=Page[Group],
        errors=(422,),
        examples={"data": [_GROUP], "hasMore": False},
    )
)
async def list_groups(ctx: Context, query: GroupListQuery) -> Page[Group]:
    return await service.list_groups(ctx, query)


@endpoint(
    Endpoint(
        "GET",
        "/groups/{slug:str}",
        operation_id="getGroup",
        summary="Retrieve a group",
        description="One event group, by its slug.",
        tag="Groups",
        scope=Scope.READ_GROUPS,
        response=Data[Group],
        errors=(404,),
        not_found=GroupNotFound.default_message,
        examples={"data": _GROUP},
    )
)
async def get_group(ctx: Context, slug: str) -> Data[Group]:
    return await service.get_group(ctx, slug)


@endpoint(
    Endpoint(
        "GET",
        "/groups/{slug:str}/events",
        operation_id="listGroupEvents",
        summary="Events in a group",
        description="The group's events, ordered by date and start time.",
        tag="Groups",
        scope=Scope.READ_EVENTS,
        query=PageQuery,
        response=Page[Event],
        errors=(404, 422),
        not_found=GroupNotFound.default_message,
    )
)
async def list_events_in_group(ctx: Context, slug: str, query: PageQuery) -> Page[Event]:
    return await list_group_events(ctx, slug, query)


handlers = [list_groups, get_group, list_events_in_group]
