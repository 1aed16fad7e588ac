"""Personal API tokens: any signed-in person, for their own tokens only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from roundtable.accounts import services
from roundtable.accounts.access import MAP_VIEWERS, needs_second_factor, two_factor_redirect
from roundtable.accounts.models import API_TOKEN_DAYS, ApiToken, Membership, User
from roundtable.core.ratelimit import hit, is_limited

# Tokens one person may make in an hour: plenty for real use, a brake on a loop.
CREATE_LIMIT = 20
CREATE_WINDOW_SECONDS = 60 * 60


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What is it for?"),
        max_length=100,
        help_text=gettext_lazy("For example “weekly coverage report”. Only you see it."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        coerce=int,
        initial=API_TOKEN_DAYS,
        choices=[
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (180, gettext_lazy("180 days")),
            (365, gettext_lazy("365 days")),
        ],
    )


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _example_url(request: HttpRequest, user: User) -> str:
    """The organisations of an agency where the person may read the map, as a full URL."""
    membership = (
        Membership.objects.filter(user=user, role__in=MAP_VIEWERS).select_related("agency").first()
    )
    slug = membership.agency.slug if membership else "<slug>"
    return request.build_absolute_uri(reverse("api:api-root")) + f"agencies/{slug}/organisations"


@never_cache  # the response that shows a new token must not be kept by any cache
@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Signed-in users (staff after the TOTP step): their tokens, and making one."""
    user = _signed_in_user(request)
    if needs_second_factor(user):
        return two_factor_redirect(request)
    form = ApiTokenForm(request.POST or None)
    new_token = ""
    status = 200
    if request.method == "POST":
        limit_key = str(user.pk)
        if is_limited("api-token-create", limit_key, limit=CREATE_LIMIT):
            form.add_error(None, _("You have made many tokens in the last hour. Try again later."))
            status = 429
        elif form.is_valid():
            hit("api-token-create", limit_key, window_seconds=CREATE_WINDOW_SECONDS)
            is_verified = getattr(user, "is_verified", None)
            _token, new_token = services.api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                second_factor=bool(is_verified and is_verified()),
            )
            # Shown on this response only (no redirect: it would have to be stored
            # somewhere to reach the next page).
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=user),
        "new_token": new_token,
        "example_url": _example_url(request, user) if new_token else "",
        "now": timezone.now(),
    }
    return render(request, "accounts/api_tokens.html", context, status=status)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Signed-in users (staff after the TOTP step), for their own tokens only."""
    user = _signed_in_user(request)
    if needs_second_factor(user):
        return two_factor_redirect(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.api_token_revoke(actor=user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return HttpResponseRedirect(reverse("accounts:api_tokens"))
