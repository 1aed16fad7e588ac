"""The staff incident map: areas, hot spots, emerging hot spots, density and points.

The page is a filter form, a Leaflet map (static/incidents/incident-map.js reads
the layer addresses from data- attributes) and, as the way without JavaScript,
a table of the strongest hot-spot cells. Each layer is its own GeoJSON address.
The layers and the table are read (and cached) in `selectors_layers`.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from roundtable.accounts.access import INCIDENT_VIEWERS, agency_view
from roundtable.agencies.models import Agency
from roundtable.incidents import selectors_geo, selectors_report
from roundtable.incidents.forms import MapForm
from roundtable.incidents.labels import offence_filter_label
from roundtable.incidents.selectors_layers import (
    POINTS_CAP,
    density_layer,
    emerging_layer,
    hot_cells_table,
    hotspot_layer,
    points_layer,
)

STAFF_LAYERS = ("areas", "hotspots", "emerging", "density", "points")


def map_filter(
    request: HttpRequest, agency: Agency, *, public: bool
) -> tuple[MapForm, str, dt.date]:
    """The offence filter and start day: a year of data up to the latest incident by
    default, and always for the public (see MapForm)."""
    form = MapForm(request.GET or None, public=public)
    offence, since = "crimes", None
    if form.is_bound and form.is_valid():
        offence = form.cleaned_data["offence"]
        since = form.cleaned_data.get("since")  # the public form has none
    if since is None:
        since = selectors_report.default_as_of(agency, public=public) - dt.timedelta(days=364)
    return form, offence, since


@require_GET
@agency_view(INCIDENT_VIEWERS)
def incident_map(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Staff map with every layer, and the table of hot-spot cells without JavaScript."""
    form, offence, since = map_filter(request, agency, public=False)
    hot = hotspot_layer(agency, offence=offence, since=since, public=False)
    context = {
        "agency": agency,
        "form": form,
        "offence": offence,
        "offence_label": offence_filter_label(offence),
        "since": since,
        "cells": hot_cells_table(agency, hot, offence=offence, since=since, public=False),
        "points_cap": POINTS_CAP,
        "query": f"offence={offence}&since={since.isoformat()}",
        "kinds": selectors_geo.boundary_kinds(agency),
    }
    return render(request, "incidents/map.html", context)


@require_GET
@agency_view(INCIDENT_VIEWERS)
def map_layer(request: HttpRequest, agency: Agency, layer: str) -> JsonResponse:
    """One layer of the staff map as GeoJSON."""
    if layer not in STAFF_LAYERS:
        raise Http404
    _form, offence, since = map_filter(request, agency, public=False)
    if layer == "areas":
        data = selectors_geo.areas_geojson(agency)
    elif layer == "hotspots":
        data = hotspot_layer(agency, offence=offence, since=since, public=False)
    elif layer == "emerging":
        data = emerging_layer(agency, offence=offence, since=since)
    elif layer == "density":
        data = density_layer(agency, offence=offence, since=since, public=False)
    else:
        data = points_layer(agency, offence=offence, since=since)
    return JsonResponse(data)
