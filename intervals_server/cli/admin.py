"""Commands that manage tenants and their keys, groups and courses."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from intervals_server.auth.scopes import ALL_SCOPES, Scope
from intervals_server.cli._app import courses, groups, keys, orgs
from intervals_server.cli._support import (
    JsonOption,
    KeyArgument,
    OrgOption,
    RateLimitOption,
    checked,
    find_org,
    print_payload,
    rate_limit_option,
    transaction,
)

if TYPE_CHECKING:
    from intervals_server.auth.service import IssuedKey
    from intervals_server.db import Store
    from intervals_server.models import ApiKey, Organization


def _organization_row(organization: Organization) -> dict[str, Any]:
    return {
        "organizationId": organization.id,
        "slug": organization.slug,
        "name": organization.name,
        "plan": organization.plan,
        "timezone": organization.timezone,
        "roles": organization.roles,
    }


@orgs.command("create")
def orgs_create(
    name: Annotated[str, typer.Option(help="Display name.")],
    slug: Annotated[str, typer.Option(help="Unique slug.")],
    plan: Annotated[str, typer.Option(help="free, local, elite or enterprise.")] = "local",
    timezone: Annotated[str, typer.Option(help="IANA time zone.")] = "UTC",
    role: Annotated[list[str] | None, typer.Option(help="organizer, sponsor, federation.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create an organization."""
    from intervals_server.kit.schemas import Name, Slug
    from intervals_server.organizations.schemas import Plan, Role
    from intervals_server.organizations.service import create_organization

    checked(name, Name, "--name")
    checked(slug, Slug, "--slug")
    checked(plan, Plan, "--plan")
    for each in role or []:
        checked(each, Role, "--role")
    organization = transaction(
        lambda store: create_organization(
            store.session,
            name=name,
            slug=slug,
            plan=plan,
            timezone=timezone,
            roles=role or ["organizer"],
        )
    )
    print_payload({"organizationId": organization.id, "slug": organization.slug}, as_json)


@orgs.command("list")
def orgs_list(as_json: JsonOption = False) -> None:
    """List the organizations, oldest first."""
    from intervals_server.organizations.service import list_organizations

    async def work(store: Store) -> list[dict[str, Any]]:
        return [_organization_row(each) for each in await list_organizations(store.session)]

    rows = transaction(work)
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        typer.echo(
            f"{row['organizationId']}  {row['slug']}  {row['name']}  {row['plan']}  "
            f"{row['timezone']}  {json.dumps(row['roles'])}"
        )


@orgs.command("update")
def orgs_update(
    org: Annotated[str, typer.Argument(help="The organization's ID or slug.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    plan: Annotated[str | None, typer.Option(help="free, local, elite or enterprise.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone.")] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(help="organizer, sponsor, federation; repeat for more (replaces them)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Change an organization's name, plan, time zone or roles."""
    from intervals_server.kit.schemas import Name
    from intervals_server.organizations.schemas import Plan, Role
    from intervals_server.organizations.service import update_organization

    if name is None and plan is None and timezone is None and not role:
        raise typer.BadParameter("nothing to change: give --name, --plan, --timezone or --role")
    if name is not None:
        checked(name, Name, "--name")
    if plan is not None:
        checked(plan, Plan, "--plan")
    for each in role or []:
        checked(each, Role, "--role")

    async def work(store: Store) -> dict[str, Any]:
        organization = await update_organization(
            store.session,
            await find_org(store.session, org),
            name=name,
            plan=plan,
            timezone=timezone,
            roles=role or None,
        )
        return _organization_row(organization)

    print_payload(transaction(work), as_json)


@keys.command("create")
def keys_create(
    org: OrgOption,
    scope: Annotated[
        list[Scope] | None, typer.Option(help="A scope to grant; repeat for more.")
    ] = None,
    all_scopes: Annotated[bool, typer.Option("--all-scopes", help="Grant every scope.")] = False,
    name: Annotated[str, typer.Option(help="What the key is for.")] = "API key",
    rate_limit: RateLimitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue an API key. Its secret is printed once and never stored."""
    from intervals_server.auth import service as keys_service
    from intervals_server.kit.rate_limit import format_rate

    scopes = list(ALL_SCOPES) if all_scopes else scope or []
    if not scopes:
        raise typer.BadParameter("give --scope at least once, or --all-scopes")
    limit = rate_limit_option(rate_limit) if rate_limit else None

    async def work(store: Store) -> IssuedKey:
        organization = await find_org(store.session, org)
        return await keys_service.issue_key(
            store.session, organization.id, name=name, scopes=scopes, rate_limit=limit
        )

    issued = transaction(work)
    print_payload(
        {
            "keyId": issued.key.id,
            "apiKey": issued.secret,
            "scopes": list(issued.key.scopes),
            "rateLimit": format_rate(limit) if limit else "plan",
        },
        as_json,
    )


@keys.command("update")
def keys_update(key: KeyArgument, rate_limit: RateLimitOption = None) -> None:
    """Change a key: its rate limit override."""
    from intervals_server.auth import service as keys_service
    from intervals_server.kit.rate_limit import format_rate

    if rate_limit is None:
        raise typer.BadParameter("nothing to change: give --rate-limit")
    limit = rate_limit_option(rate_limit)

    async def work(store: Store) -> str:
        found = await keys_service.find_key(store.session, key)
        await keys_service.set_rate_limit(store.session, found.id, limit)
        return found.id

    key_id = transaction(work)
    typer.echo(f"{key_id}: rate limit {format_rate(limit) if limit else 'of the plan'}")


def _key_row(key: ApiKey) -> dict[str, Any]:
    from intervals_server.kit.rate_limit import Window, format_rate

    return {
        "keyId": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "scopes": key.scopes,
        "rateLimit": format_rate(Window(key.rate_limit, key.rate_limit_period or 60))
        if key.rate_limit
        else "plan",
        "createdAt": key.created_at.isoformat(),
        "revokedAt": key.revoked_at.isoformat() if key.revoked_at else None,
    }


@keys.command("list")
def keys_list(org: OrgOption, as_json: JsonOption = False) -> None:
    """List an organization's keys (prefixes only; secrets are never stored)."""
    from intervals_server.auth import service as keys_service

    async def work(store: Store) -> list[dict[str, Any]]:
        organization = await find_org(store.session, org)
        return [
            _key_row(key) for key in await keys_service.list_keys(store.session, organization.id)
        ]

    rows = transaction(work)
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        state = f"revoked {row['revokedAt']}" if row["revokedAt"] else "active"
        typer.echo(
            f"{row['keyId']}  {row['prefix']}…  {row['name']}  {state}  {json.dumps(row['scopes'])}"
        )


@keys.command("revoke")
def keys_revoke(key: KeyArgument) -> None:
    """Revoke a key: requests with it are refused from now on. Revoking twice is fine."""
    from intervals_server.auth import service as keys_service

    async def work(store: Store) -> str:
        found = await keys_service.find_key(store.session, key)
        if found.revoked_at is None and await keys_service.revoke_key(store.session, found.id):
            return f"revoked {found.id}"
        return f"{found.id} was already revoked"

    typer.echo(transaction(work))


@groups.command("create")
def groups_create(
    org: OrgOption,
    name: Annotated[str, typer.Option(help="Display name.")],
    slug: Annotated[str, typer.Option(help="Slug, unique in the organization.")],
    status: Annotated[str, typer.Option(help="active, paused or archived.")] = "active",
    description: Annotated[str | None, typer.Option(help="Description.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create an event group."""
    from intervals_server.context import RequestContext
    from intervals_server.groups.schemas import GroupStatus
    from intervals_server.groups.service import create_group
    from intervals_server.kit.schemas import Name, Slug

    checked(name, Name, "--name")
    checked(slug, Slug, "--slug")
    checked(status, GroupStatus, "--status")

    async def work(store: Store) -> str:
        organization = await find_org(store.session, org)
        group = await create_group(
            RequestContext(organization.id, store),
            name=name,
            slug=slug,
            status=status,
            description=description,
        )
        return group.id

    print_payload({"groupId": transaction(work), "slug": slug}, as_json)


@courses.command("create")
def courses_create(
    org: OrgOption,
    name: Annotated[str, typer.Option(help="Display name.")],
    distance_meters: Annotated[float, typer.Option(help="Distance in meters.")],
    distance_standard: Annotated[str, typer.Option(help="5K, 10K, ..., Other.")] = "Other",
    distance_label: Annotated[str | None, typer.Option(help="Display label.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a course."""
    from intervals_server.context import RequestContext
    from intervals_server.courses.service import create_course
    from intervals_server.kit.schemas import Name
    from intervals_server.runs.schemas import DistanceStandard, Meters

    checked(name, Name, "--name")
    checked(distance_meters, Meters, "--distance-meters")
    checked(distance_standard, DistanceStandard, "--distance-standard")

    async def work(store: Store) -> str:
        organization = await find_org(store.session, org)
        course = await create_course(
            RequestContext(organization.id, store),
            name=name,
            distance_meters=distance_meters,
            distance_standard=distance_standard,
            distance_label=distance_label,
        )
        return course.id

    print_payload({"courseId": transaction(work)}, as_json)
