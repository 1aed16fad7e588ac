"""The JSON API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Each capability adds its own router; access is checked per endpoint with
`agency_for`, the API twin of `roundtable.accounts.access.agency_view`.

Two ways in: the browser session (with its CSRF check), or a personal API token
sent as `Authorization: Bearer rt_…` (made on /accounts/api-tokens/).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, django_auth

from roundtable.accounts.access import needs_second_factor, roles_in
from roundtable.accounts.models import API_TOKEN_PREFIX, ApiToken, Role, User, api_token_hash
from roundtable.accounts.services import api_token_touch
from roundtable.agencies.models import Agency

api = NinjaAPI(
    title="Roundtable API",
    version="1",
    urls_namespace="api",
    description=(
        "Co-produced public safety: the Community Map and, as it grows, the rest.\n\n"
        "**Authentication.** In the browser, the signed-in session is used (staff must "
        "have passed the two-step sign-in). From scripts, make a personal token on the "
        "*API tokens* page (`/accounts/api-tokens/`) and send it in a header: "
        '`curl -H "Authorization: Bearer rt_…" https://…/api/v1/agencies/<slug>/organisations`. '
        "A token acts as its owner, with the owner's roles; it expires (90 days by "
        "default) and can be revoked on the same page. A missing, wrong, expired or "
        "revoked token is answered with 401; a role that does not allow the request, 403."
    ),
)


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer rt_…`, a personal token from the API tokens page.

    The token is found by its SHA-256 (see `api_token_hash`), so comparing it takes
    no time that depends on the token. On success the request's user becomes the
    token's owner and `request.api_token` records how they got in (see agency_for).
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = None
        if token.startswith(API_TOKEN_PREFIX):
            found = (
                ApiToken.objects.select_related("user")
                .filter(key_hash=api_token_hash(token))
                .first()
            )
        now = timezone.now()
        if found is None or not found.is_usable(now) or not found.user.is_active:
            # A request that presents a token is answered about that token; it does
            # not fall back to a session cookie it may also carry.
            raise AuthenticationError
        api_token_touch(token=found, now=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


token_auth = ApiTokenAuth()


def agency_for(request: HttpRequest, slug: str, roles: Iterable[Role]) -> Agency:
    """The agency named `slug`, if the signed-in user holds one of `roles` there."""
    agency = Agency.objects.filter(slug=slug).first()
    user = request.user
    if agency is None:
        raise HttpError(404, "No such agency.")
    if not isinstance(user, User) or not (roles_in(user, agency) & frozenset(roles)):
        raise HttpError(403, "Your role in this agency does not include this.")
    # A token request carries no session, so no verified OTP device. The token
    # stands in for the second factor when it was made in a session that had
    # passed the TOTP step (staff cannot open the tokens page without it). A token
    # made before its owner became staff did not, and is refused like a session
    # without the step.
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None and not token.second_factor and needs_second_factor(user, agency):
        raise HttpError(403, "This token was made without the two-step sign-in; make a new one.")
    if token is None and needs_second_factor(user, agency):
        raise HttpError(403, "Complete the two-step sign-in first.")
    return agency


def _register_routers() -> None:
    from roundtable.inputs.api import router as inputs_router
    from roundtable.inputs.api_public import router as public_inputs_router
    from roundtable.measures.api import router as measures_router
    from roundtable.opendata.api import router as open_data_router
    from roundtable.opinions.api import public_router as public_opinions_router
    from roundtable.opinions.api import router as opinions_router
    from roundtable.stakeholders.api import router as stakeholders_router
    from roundtable.surveys.api import router as surveys_router

    # The token is tried first: ninja's session auth checks CSRF before it looks
    # for a session, so a script's POST (no cookie, no CSRF token) would be refused
    # with 403 before the token were read. A bearer header is never sent by a
    # browser on its own, so a token request needs no CSRF check; a request
    # without one falls through to the session and its CSRF check.
    api.add_router("/agencies/", stakeholders_router, auth=[token_auth, django_auth])
    api.add_router("/agencies/", inputs_router, auth=[token_auth, django_auth])
    api.add_router("/agencies/", opinions_router, auth=[token_auth, django_auth])
    api.add_router("/agencies/", surveys_router, auth=[token_auth, django_auth])
    api.add_router("/agencies/", measures_router, auth=[token_auth, django_auth])
    # Anyone may say something and follow it by its receipt code: no sign-in, no
    # session (so no CSRF token to fetch first); rate-limited by keyed hash.
    api.add_router("/inputs", public_inputs_router, auth=None)
    # Other systems vote for the people they know, with signed participant links.
    api.add_router("/public/", public_opinions_router, auth=None)
    # Open data: the public datasets and their dictionary, for anyone.
    api.add_router("/public/agencies/", open_data_router, auth=None)


_register_routers()
