"""The JSON API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Each capability adds its own router; access is checked per endpoint with
`agency_for`, the API twin of `roundtable.accounts.access.agency_view`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import django_auth

from roundtable.accounts.access import needs_second_factor, roles_in
from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency

api = NinjaAPI(
    title="Roundtable API",
    version="1",
    urls_namespace="api",
    description="Co-produced public safety: the Community Map and, as it grows, the rest.",
)


def agency_for(request: HttpRequest, slug: str, roles: Iterable[Role]) -> Agency:
    """The agency named `slug`, if the signed-in user holds one of `roles` there."""
    agency = Agency.objects.filter(slug=slug).first()
    user = request.user
    if agency is None:
        raise HttpError(404, "No such agency.")
    if not isinstance(user, User) or not (roles_in(user, agency) & frozenset(roles)):
        raise HttpError(403, "Your role in this agency does not include this.")
    if needs_second_factor(user, agency):
        raise HttpError(403, "Complete the two-step sign-in first.")
    return agency


def _register_routers() -> None:
    from roundtable.stakeholders.api import router as stakeholders_router

    api.add_router("/agencies/", stakeholders_router, auth=django_auth)


_register_routers()
