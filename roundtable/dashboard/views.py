"""The public dashboard, under /p/<agency>/dashboard/: the page, and the same
content for framing in the agency's own site.

Anyone may read both, without an account or JavaScript: charts are inline SVG
with a table beside them, the map is SVG with a table under it.

The embeddable page may be framed only by the origins in
ROUNDTABLE_EMBED_ORIGINS: its Content-Security-Policy's frame-ancestors names
them (django-csp's `csp_replace`) and X-Frame-Options is dropped for it
(`xframe_options_exempt`), since that header cannot name an origin. With no
origin configured it keeps the site's policy (frame-ancestors 'none',
X-Frame-Options DENY) and cannot be framed at all. Its links open in the
top window, and its language comes from `?lang=` (a page in a frame may not
get the site's language cookie).

Both are compressed for clients that accept it (`gzip_page`): the page is long
and read on phones. It reflects nothing from the request, and Django masks the
CSRF token of the language form anew on every response, so compression gives
an attacker nothing to guess against (BREACH).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from roundtable.accounts.access import View, public_agency_view
from roundtable.agencies.models import Agency
from roundtable.dashboard import selectors

EMBED_HEIGHT = 1200


def embeddable(view: View) -> View:
    """Let the configured origins frame the page, read when the request comes (so
    a change of setting needs no restart of this module's decorators)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        origins = list(settings.ROUNDTABLE_EMBED_ORIGINS)
        if not origins:
            return view(request, *args, **kwargs)
        framed = xframe_options_exempt(csp_replace({"frame-ancestors": origins})(view))
        return framed(request, *args, **kwargs)

    return wrapper


def _context(request: HttpRequest, agency: Agency) -> dict[str, Any]:
    # The sections are rendered once per assembled dashboard too (the template's
    # cache tag, keyed by the dashboard's language and the moment it was built).
    return {
        "agency": agency,
        "board": selectors.dashboard(agency=agency),
        "cache_seconds": settings.ROUNDTABLE_DASHBOARD_CACHE_SECONDS,
    }


@require_GET
@gzip_page
@public_agency_view
def home(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the public dashboard, with the code to embed it."""
    embed_url = request.build_absolute_uri(reverse("dashboard:embed", args=[agency.slug]))
    context = {
        **_context(request, agency),
        "embed_url": embed_url,
        "embed_height": EMBED_HEIGHT,
        "embed_origins": settings.ROUNDTABLE_EMBED_ORIGINS,
    }
    return render(request, "dashboard/home.html", context)


@require_GET
@gzip_page
@public_agency_view
@embeddable
def embed(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the dashboard without the site's header, for the agency's own site."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = request.GET.get("lang", "")
    if language not in codes:
        language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        response = render(
            request, "dashboard/embed.html", {**_context(request, agency), "language": language}
        )
    # LocaleMiddleware would otherwise name the language of the request, not the page's.
    response["Content-Language"] = language
    return response
