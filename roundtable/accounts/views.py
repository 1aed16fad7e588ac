"""Sign-in with a second factor for staff, sign-out, password reset, language."""

from __future__ import annotations

import base64
import unicodedata
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from roundtable.accounts import services
from roundtable.accounts.access import needs_second_factor
from roundtable.accounts.forms import InvitablePasswordResetForm, LanguageForm, TokenForm
from roundtable.accounts.models import User
from roundtable.core.qr import qr_svg
from roundtable.core.ratelimit import client_identity, hit, is_limited


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


# Failed sign-ins allowed per username and per client in a window, before a pause.
SIGN_IN_LIMIT = 10
SIGN_IN_WINDOW_SECONDS = 15 * 60


class LoginView(auth_views.LoginView):
    """Public. Staff continue to the TOTP step before any agency page opens.

    Failed attempts are counted per username and per client (keyed hashes in
    the cache, no address stored); past the limit the form refuses for a while.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def _identities(self) -> list[tuple[str, str]]:
        # The form normalises usernames with NFKC; so does the key, or "ｒosa" would
        # be a fresh bucket for "rosa".
        username = unicodedata.normalize("NFKC", self.request.POST.get("username", ""))
        username = username.strip().casefold()
        return [("signin-user", username), ("signin-client", client_identity(self.request))]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any(is_limited(s, i, limit=SIGN_IN_LIMIT) for s, i in self._identities()):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # A language chosen on this device before signing in is the person's latest
        # explicit choice (the cookie is only set by the switcher): keep it.
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = self.request.user
        assert isinstance(user, User)
        if chosen in dict(settings.LANGUAGES) and chosen != user.preferred_language:
            services.user_set_language(user=user, language=chosen)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        for scope, identity in self._identities():
            hit(scope, identity, window_seconds=SIGN_IN_WINDOW_SECONDS)
        return super().form_invalid(form)

    def get_success_url(self) -> str:
        target = super().get_success_url()
        user = self.request.user
        assert isinstance(user, User)
        if needs_second_factor(user):
            return reverse("accounts:two_factor") + "?" + urlencode({"next": target})
        return target


@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Signed-in users. Confirms an authenticator, enrolling one first if needed."""
    user = request.user
    assert isinstance(user, User)
    next_url = _safe_next(request, reverse("core:home"))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        # The same secret until it is confirmed: a reload or a language switch must
        # not invalidate a QR code the person has already scanned.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = services.totp_device_start(user=user)
    assert device is not None
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device = services.totp_device_confirm(device=device)
        otp_login(request, device)
        return HttpResponseRedirect(next_url)
    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        context["qr"] = qr_svg(device.config_url)
        context["base32"] = _base32(device.bin_key)
    return render(request, "accounts/two_factor.html", context)


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Public. Remembers the choice in a cookie, and on the account when signed in."""
    form = LanguageForm(request.POST)
    next_url = _safe_next(request, reverse("core:home"))
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        assert isinstance(request.user, User)
        services.user_set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
    )
    with translation.override(language):
        messages.success(request, _("Language changed."))
    return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=InvitablePasswordResetForm,
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
logout = auth_views.LogoutView.as_view()
