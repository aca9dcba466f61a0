from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.context import RequestContext
from intervals_server.kit import ids
from intervals_server.kit.errors import Conflict, NotFound, invalid
from intervals_server.kit.schemas import Data
from intervals_server.kit.timeutil import is_timezone
from intervals_server.models import Organization
from intervals_server.organizations import repository
from intervals_server.organizations.schemas import Organization as OrganizationSchema


def present(organization: Organization) -> OrganizationSchema:
    return OrganizationSchema(
        id=organization.id,
        name=organization.name,
        slug=organization.slug,
        roles=organization.roles,  # type: ignore[arg-type]
        plan=organization.plan,  # type: ignore[arg-type]
        timezone=organization.timezone,
    )


async def _own(ctx: RequestContext) -> Organization:
    organization = await repository.OrganizationRepository.of(ctx).get_own()
    if organization is None:
        raise NotFound("Organization not found")
    return organization


async def get_organization(ctx: RequestContext) -> Data[OrganizationSchema]:
    return Data(present(await _own(ctx)))


async def timezone_of(ctx: RequestContext) -> str:
    """The organization's zone: its events' when they name none."""
    return (await _own(ctx)).timezone


async def create_organization(
    session: AsyncSession,
    *,
    name: str,
    slug: str,
    plan: str = "local",
    timezone: str = "UTC",
    roles: Sequence[str] = ("organizer",),
) -> Organization:
    if not is_timezone(timezone):
        raise invalid("timezone", f"Unknown IANA time zone {timezone!r}")
    organization = Organization(
        id=ids.new_id(ids.ORGANIZATION),
        name=name,
        slug=slug,
        plan=plan,
        timezone=timezone,
        roles=list(roles),
    )
    session.add(organization)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"An organization with slug {slug!r} exists", reason="slug_taken") from exc
    return organization


async def find_organization(session: AsyncSession, reference: str) -> Organization:
    """The organization whose ID or slug is ``reference``, as an operator names it."""
    organization = await repository.get(session, reference) or await repository.get_by_slug(
        session, reference
    )
    if organization is None:
        raise NotFound(f"No organization with ID or slug {reference!r}")
    return organization


async def list_organizations(session: AsyncSession) -> Sequence[Organization]:
    return await repository.list_all(session)


async def update_organization(
    session: AsyncSession,
    organization: Organization,
    *,
    name: str | None = None,
    plan: str | None = None,
    timezone: str | None = None,
    roles: Sequence[str] | None = None,
) -> Organization:
    """Change the given fields; those left None stay as they are."""
    if timezone is not None and not is_timezone(timezone):
        raise invalid("timezone", f"Unknown IANA time zone {timezone!r}")
    if name is not None:
        organization.name = name
    if plan is not None:
        organization.plan = plan
    if timezone is not None:
        organization.timezone = timezone
    if roles is not None:
        organization.roles = list(roles)
    await session.flush()
    return organization
