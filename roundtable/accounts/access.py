"""Who may use what: the one place where agency views check roles.

Every agency-scoped view is wrapped in `agency_view(...)` naming the roles it
admits. The decorator resolves the agency from the URL, refuses everyone else
(403, or the sign-in page for anonymous visitors) and sends staff who have not
passed their TOTP check to it first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse

from roundtable.accounts.models import STAFF_ROLES, Role, User
from roundtable.agencies.models import Agency

# Named groups of roles, so views say "MAP_EDITORS" rather than listing roles.
MAP_VIEWERS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.ANALYST, Role.COMMAND})
MAP_EDITORS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR})
AUDIT_VIEWERS = frozenset({Role.ADMINISTRATOR})
AGENCY_MEMBERS = frozenset(Role)
# The response ledger and events: staff read them, coordinators run them.
LEDGER_VIEWERS = MAP_VIEWERS
LEDGER_EDITORS = MAP_EDITORS
EVENT_VIEWERS = MAP_VIEWERS
EVENT_EDITORS = MAP_EDITORS
# Priorities: staff read the shortlist and worksheet, coordinators run the
# ranking and record decisions, analysts fill the worksheet's figures too.
PRIORITY_VIEWERS = MAP_VIEWERS
PRIORITY_EDITORS = MAP_EDITORS
WORKSHEET_EDITORS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.ANALYST})
# Problems: staff see every team; coordinators open problems and form teams.
# Team members and partners pass this check too, and then see only the teams
# they belong to (problems.selectors.problems_visible_to).
PROBLEM_STAFF = MAP_VIEWERS
PROBLEM_MANAGERS = MAP_EDITORS
TEAM_PARTICIPANTS = MAP_VIEWERS | frozenset({Role.PST_MEMBER, Role.PARTNER})
# Marks a view under an agency's public address (/p/<agency>/) as open to anyone,
# signed in or not; the URL walk test accepts it as a declaration.
# Incident data: staff read reports and see points; analysts (and administrators)
# bring files in.
INCIDENT_VIEWERS = MAP_VIEWERS
INCIDENT_IMPORTERS = frozenset({Role.ADMINISTRATOR, Role.ANALYST})
# Opinion conversations: staff read every map; coordinators open and moderate
# them, and so may partners for the conversations they opened themselves
# (opinions.selectors.conversations_managed_by narrows it).
CONVERSATION_VIEWERS = MAP_VIEWERS | frozenset({Role.PARTNER})
CONVERSATION_MANAGERS = MAP_EDITORS | frozenset({Role.PARTNER})
# Surveys: staff read results; coordinators build and send surveys; analysts
# (and administrators, coordinators) bring in reference populations and export
# the answers.
SURVEY_VIEWERS = MAP_VIEWERS
SURVEY_EDITORS = MAP_EDITORS
SURVEY_ANALYSTS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.ANALYST})
# CompStat360 measures: staff read them; coordinators and analysts choose
# measures, import figures and approve what partners share; partners share
# figures for their own organisation (measures.DataSharer narrows it).
MEASURE_VIEWERS = MAP_VIEWERS
MEASURE_EDITORS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.ANALYST})
DATA_SHARERS = frozenset({Role.PARTNER}) | MEASURE_EDITORS
# The monthly meeting pack: staff read it; command staff and analysts issue it.
PACK_VIEWERS = MAP_VIEWERS
PACK_ISSUERS = frozenset({Role.ADMINISTRATOR, Role.COMMAND, Role.ANALYST})
PUBLIC = frozenset({"public"})

View = Callable[..., HttpResponseBase]


def roles_in(user: User, agency: Agency) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[Role]] = getattr(user, "_roundtable_roles", {})
    if agency.pk not in cache:
        cache[agency.pk] = frozenset(
            Role(r) for r in user.memberships.filter(agency=agency).values_list("role", flat=True)
        )
        user._roundtable_roles = cache  # type: ignore[attr-defined]
    return cache[agency.pk]


def needs_second_factor(user: User, agency: Agency | None = None) -> bool:
    """Staff (in any agency, or in `agency`) must have passed a TOTP check."""
    if not settings.ROUNDTABLE_STAFF_2FA or not user.is_authenticated:
        return False
    # OTPMiddleware adds is_verified; a user who has just signed in (in the same
    # request) has not been through the middleware yet, so is not verified.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    if user.is_superuser:
        return True
    if agency is not None:
        # The roles the access check already read (cached on the user): no query.
        return bool(roles_in(user, agency) & STAFF_ROLES)
    return user.memberships.filter(role__in=STAFF_ROLES).exists()


def two_factor_redirect(request: HttpRequest) -> HttpResponseRedirect:
    url = reverse("accounts:two_factor") + "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)


def agency_view(roles: Iterable[Role]) -> Callable[[View], View]:
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, agency_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            agency = get_object_or_404(Agency, slug=agency_slug)
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            assert isinstance(user, User)
            held = roles_in(user, agency)
            if not (held & allowed):
                raise PermissionDenied
            if needs_second_factor(user, agency):
                return two_factor_redirect(request)
            request.agency = agency  # type: ignore[attr-defined]
            request.agency_roles = held  # type: ignore[attr-defined]
            return view(request, agency, *args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


def public_agency_view(view: View) -> View:
    """Anyone may use this page of the agency's public face, without an account.

    Resolves the agency from the URL like `agency_view`, and declares the page
    public (`allowed_roles = PUBLIC`) so that no view is open by omission.
    """

    @wraps(view)
    def wrapper(
        request: HttpRequest, agency_slug: str, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        agency = get_object_or_404(Agency, slug=agency_slug)
        request.agency = agency  # type: ignore[attr-defined]
        return view(request, agency, *args, **kwargs)

    wrapper.allowed_roles = PUBLIC  # type: ignore[attr-defined]
    return wrapper


def acting_user(request: HttpRequest) -> User:
    """The signed-in person behind a request that an access check has admitted."""
    user = request.user
    assert isinstance(user, User), "acting_user() needs a view behind agency_view"
    return user


def holds_any(request: HttpRequest, roles: Iterable[Role]) -> bool:
    """Whether the person holds one of `roles` in the agency of this request."""
    held: frozenset[Role] = getattr(request, "agency_roles", frozenset())
    return bool(held & frozenset(roles))


def can_edit_map(request: HttpRequest) -> bool:
    held: frozenset[Role] = getattr(request, "agency_roles", frozenset())
    return bool(held & MAP_EDITORS)
