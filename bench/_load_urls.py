"""Roundtable's URLs plus `/bench/minimal/`, the reference the dashboard is measured against."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

MINIMAL_BODY = b"roundtable-bench-minimal"


def minimal(request: HttpRequest) -> HttpResponse:
    """The least a Django page can do: a few bytes, through the full middleware stack."""
    return HttpResponse(MINIMAL_BODY, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("", include("roundtable.urls")),
]
