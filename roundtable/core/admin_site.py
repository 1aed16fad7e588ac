"""The Django admin, behind the same door as the rest of Roundtable.

The stock admin has its own password-only login with no rate limit. Here the
admin requires a verified second factor (django-otp's OTPAdminSite) and sends
anyone not yet signed in to Roundtable's own sign-in page, which rate-limits and
continues to the TOTP step.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class RoundtableAdminSite(OTPAdminSite):  # type: ignore[misc]  # django-otp is untyped
    site_header = "Roundtable administration"
    site_title = "Roundtable"

    def login(self, request: HttpRequest, extra_context: object = None) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated:
            target = reverse("accounts:two_factor")
        else:
            target = reverse("accounts:login")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}")
