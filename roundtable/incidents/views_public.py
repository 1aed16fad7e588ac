"""The public safety pages: the period report by area and the public map.

Anyone may read these, without an account or JavaScript. What they show is
aggregated to areas or hexagon cells, leaves sensitive incidents out and
withholds small counts (see `selectors_public` and docs/disclosure.md); no incident point, block or
sensitive category is ever sent, not even to the map script.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roundtable import disclosure
from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency, Area
from roundtable.incidents import selectors_geo, selectors_public
from roundtable.incidents.forms import PublicReportForm
from roundtable.incidents.labels import offence_filter_label
from roundtable.incidents.selectors_layers import density_layer, hot_cells_table, hotspot_layer
from roundtable.incidents.views_map import map_filter

PUBLIC_LAYERS = ("areas", "hotspots", "density")


@require_GET
@public_agency_view
def safety_report(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: 28 days and year to date against a year earlier, for the agency or an area."""
    report = selectors_public.public_report(agency=agency)
    areas = [unit.area for unit in report.units if unit.area is not None]
    form = PublicReportForm(request.GET or None, areas=areas)
    area = form.cleaned_data["area"] if form.is_bound and form.is_valid() else None
    context = {
        "agency": agency,
        "form": form,
        "report": report,
        "unit": report.unit(area),
        "area_units": report.units[1:],
        "kind_label": _kind_label(report.kind),
    }
    return render(request, "incidents/public/report.html", context)


def _kind_label(kind: str | None) -> str:
    return str(Area.Kind(kind).label) if kind else ""


@require_GET
@public_agency_view
def safety_map(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: areas, hot spots and density, with the hot spots as a table too."""
    form, offence, since = map_filter(request, agency, public=True)
    hot = hotspot_layer(agency, offence=offence, since=since, public=True)
    context = {
        "agency": agency,
        "form": form,
        "offence_label": offence_filter_label(offence),
        "since": since,
        "cells": hot_cells_table(agency, hot, offence=offence, since=since, public=True),
        "query": f"offence={offence}&since={since.isoformat()}",
        "small_cell": disclosure.minimum_count(),
    }
    return render(request, "incidents/public/map.html", context)


@require_GET
@public_agency_view
def safety_layer(request: HttpRequest, agency: Agency, layer: str) -> JsonResponse:
    """One layer of the public map as GeoJSON: never points, blocks or sensitive incidents."""
    if layer not in PUBLIC_LAYERS:
        raise Http404
    _form, offence, since = map_filter(request, agency, public=True)
    if layer == "areas":
        kind = selectors_public.public_kind(agency)
        data = selectors_geo.areas_geojson(agency, kinds=[kind] if kind else [])
    elif layer == "hotspots":
        data = hotspot_layer(agency, offence=offence, since=since, public=True)
    else:
        data = density_layer(agency, offence=offence, since=since, public=True)
    return JsonResponse(data)
