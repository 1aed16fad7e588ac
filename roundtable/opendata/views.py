"""Open data, under /p/<agency>/data/: the catalogue, each dataset's dictionary
page, the files (CSV, JSON, GeoJSON), the dictionary as JSON and the
Frictionless Data Package descriptor.

Anyone may read these, without an account. Files carry the licence, are
cacheable by anyone for ROUNDTABLE_DASHBOARD_CACHE_SECONDS, answer a repeated
request with 304 when nothing changed (ETag), are compressed for clients that
accept it, and may be read by scripts on other sites (CORS): they hold nothing
that is not public.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.opendata import formats, selectors
from roundtable.opendata.dataset import Dataset
from roundtable.opendata.registry import dataset as find_dataset
from roundtable.opendata.selectors import MEDIA_TYPES


def _dataset(key: str, fmt: str | None = None) -> Dataset:
    try:
        found = find_dataset(key)
    except KeyError:
        raise Http404 from None
    if fmt is not None and fmt not in found.formats:
        raise Http404
    return found


def _site(request: HttpRequest) -> str:
    """The scheme and host of this site, to make full addresses in the descriptors."""
    return request.build_absolute_uri("/").rstrip("/")


def _file(
    request: HttpRequest, body: str, content_type: str, filename: str = ""
) -> HttpResponseBase:
    """A public, cacheable file; 304 when the client holds the same version."""
    etag = '"' + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32] + '"'
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=settings.ROUNDTABLE_DASHBOARD_CACHE_SECONDS)
    # Labels follow the reader's language, chosen by header or by cookie.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not None else response


def _licence() -> dict[str, str]:
    chosen = selectors.licence()
    return {"name": chosen.name, "url": chosen.url}


@require_GET
@public_agency_view
def catalogue(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: every public dataset, its formats, dictionary, licence and last update."""
    context = {
        "agency": agency,
        "entries": selectors.catalogue(agency=agency),
        "licence": selectors.licence(),
    }
    return render(request, "opendata/catalogue.html", context)


@require_GET
@public_agency_view
def dataset_page(request: HttpRequest, agency: Agency, key: str) -> HttpResponse:
    """Anyone: one dataset's data dictionary, with its downloads and API address."""
    found = _dataset(key)
    context = {
        "agency": agency,
        "dataset": found,
        "fields": selectors.field_dictionary(found),
        "downloads": selectors.downloads(dataset=found, agency=agency),
        "licence": selectors.licence(),
        "updated": found.updated(agency),
        "api_path": f"/api/v1/public/agencies/{agency.slug}/datasets/{found.key}",
    }
    return render(request, "opendata/dataset.html", context)


def _download(fmt: str) -> Callable[[HttpRequest, Agency, str], HttpResponseBase]:
    def view(request: HttpRequest, agency: Agency, key: str) -> HttpResponseBase:
        found = _dataset(key, fmt)
        rows = selectors.dataset_rows(dataset=found, agency=agency)
        if fmt == "csv":
            body = formats.to_csv(found, rows)
            content_type = "text/csv; charset=utf-8"
        elif fmt == "json":
            body = formats.to_json(found, rows, licence=_licence())
            content_type = "application/json"
        else:
            body = formats.to_geojson(found, rows, licence=_licence())
            content_type = MEDIA_TYPES["geojson"]
        return _file(request, body, content_type, f"{agency.slug}-{found.key}.{fmt}")

    view.__name__ = f"dataset_{fmt}"
    view.__doc__ = f"Anyone: a dataset as {fmt.upper()}, disclosure-checked."
    return require_GET(gzip_page(public_agency_view(view)))


dataset_csv = _download("csv")
dataset_json = _download("json")
dataset_geojson = _download("geojson")


@require_GET
@gzip_page
@public_agency_view
def dictionary_json(request: HttpRequest, agency: Agency) -> HttpResponseBase:
    """Anyone: the catalogue and every dataset's data dictionary as JSON."""
    body = json.dumps(
        selectors.dictionary(agency=agency, absolute=_site(request)), ensure_ascii=False
    )
    return _file(request, body, "application/json")


@require_GET
@gzip_page
@public_agency_view
def datapackage_json(request: HttpRequest, agency: Agency) -> HttpResponseBase:
    """Anyone: the Frictionless Data Package descriptor (datasets, schemas, licence)."""
    body = json.dumps(
        selectors.datapackage(agency=agency, absolute=_site(request)), ensure_ascii=False
    )
    return _file(request, body, "application/json")
