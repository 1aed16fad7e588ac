"""Staff pages of the CompStat360 measures, under /a/<agency>/measures/.

MEASURE_VIEWERS read every page; MEASURE_EDITORS (coordinators, analysts,
administrators) choose and add measures, change them, enter figures and
refresh the computed ones. Another agency's measure is a 404. The import page
is `views_io`, partner submissions and data sharers `views_partners`, the
partners' own pages `views_share`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roundtable.accounts.access import (
    MEASURE_EDITORS,
    MEASURE_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.measures import computed, selectors_staff, services, services_values
from roundtable.measures.charts import measure_chart
from roundtable.measures.forms import FigureForm, MeasureCreateForm, MeasureEditForm
from roundtable.measures.models import MeasureValue, Source
from roundtable.measures.selectors import goals_without_measures
from roundtable.measures.texts import (
    catalogue_entry,
    is_internal,
    measure_definition,
    measure_name,
)

TEMPLATES = "measures/staff/"
VALUES_PAGE = 50


def detail_url(agency: Agency, pk: int) -> str:
    return reverse("measures:detail", args=[agency.slug, pk])


def refusal(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


@require_GET
@agency_view(MEASURE_VIEWERS)
def home(request: HttpRequest, agency: Agency) -> HttpResponse:
    """The measures by dimension, goal and indicator, each with its latest figure
    against target and its trend, and a warning listing goals without a measure."""
    dimensions = selectors_staff.measures_home(agency=agency)
    missing = [g.coverage for d in dimensions for g in d.goals if g.coverage.warning]
    context = {
        "agency": agency,
        "dimensions": dimensions,
        "missing": missing,
        "pending": selectors_staff.pending_count(agency=agency),
        "can_edit": holds_any(request, MEASURE_EDITORS),
    }
    return render(request, TEMPLATES + "home.html", context)


@require_GET
@agency_view(MEASURE_VIEWERS)
def catalogue(request: HttpRequest, agency: Agency) -> HttpResponse:
    """The CompStat360 catalogue, goal by goal: each suggested measure with its
    definition, unit and source, and a button to choose it."""
    context = {
        "agency": agency,
        "goals": selectors_staff.catalogue_page(agency=agency),
        "missing": {g.goal for g in goals_without_measures(agency=agency)},
        "can_edit": holds_any(request, MEASURE_EDITORS),
    }
    return render(request, TEMPLATES + "catalogue.html", context)


@require_POST
@agency_view(MEASURE_EDITORS)
def choose(request: HttpRequest, agency: Agency, key: str) -> HttpResponse:
    try:
        measure = services.measure_choose(
            actor=acting_user(request), agency=agency, catalogue_key=key
        )
    except ValidationError as error:
        messages.error(request, refusal(error))
        return HttpResponseRedirect(reverse("measures:catalogue", args=[agency.slug]))
    messages.success(
        request,
        _("%(name)s is one of the agency's measures. Set its target here.")
        % {"name": measure_name(measure)},
    )
    return HttpResponseRedirect(reverse("measures:edit", args=[agency.slug, measure.pk]))


@require_http_methods(["GET", "POST"])
@agency_view(MEASURE_EDITORS)
def create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """The agency's own measure."""
    form = MeasureCreateForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(
                actor=acting_user(request), agency=agency, **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The measure is saved."))
            return HttpResponseRedirect(detail_url(agency, measure.pk))
    status = 400 if form.is_bound else 200
    return render(
        request, TEMPLATES + "create.html", {"agency": agency, "form": form}, status=status
    )


@require_GET
@agency_view(MEASURE_VIEWERS)
def detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """A measure: its definition and target, a chart with its table, every figure
    with its source and provenance."""
    measure = selectors_staff.measure_for(agency=agency, pk=pk)
    series = selectors_staff.staff_series(agency=agency, measures=[measure], months=25)[measure.pk]
    values = Paginator(selectors_staff.measure_values(measure=measure), VALUES_PAGE).get_page(
        request.GET.get("page")
    )
    can_edit = holds_any(request, MEASURE_EDITORS)
    context = {
        "agency": agency,
        "measure": measure,
        "name": measure_name(measure),
        "definition": measure_definition(measure),
        "entry": catalogue_entry(measure),
        "internal": is_internal(measure),
        "series": series,
        "chart": measure_chart(series),
        "page": values,
        "computation_label": computed.LABELS.get(measure.computation, ""),
        "can_edit": can_edit,
        "can_enter": can_edit and measure.source != Source.COMPUTED and measure.active,
    }
    return render(request, TEMPLATES + "detail.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(MEASURE_EDITORS)
def edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    measure = selectors_staff.measure_for(agency=agency, pk=pk)
    form = MeasureEditForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                actor=acting_user(request), measure=measure, **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The measure is saved."))
            return HttpResponseRedirect(detail_url(agency, measure.pk))
    context = {
        "agency": agency,
        "measure": measure,
        "name": measure_name(measure),
        "form": form,
    }
    return render(request, TEMPLATES + "edit.html", context, status=400 if form.is_bound else 200)


@require_POST
@agency_view(MEASURE_EDITORS)
def drop(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Take the measure out of use (its figures stay), or back into use."""
    measure = selectors_staff.measure_for(agency=agency, pk=pk)
    bring_back = request.POST.get("active") == "1"
    try:
        services.measure_update(actor=acting_user(request), measure=measure, active=bring_back)
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        if bring_back:
            messages.success(request, _("The measure is in use again."))
        else:
            messages.success(
                request,
                _("The measure is no longer in use. Its figures are kept."),
            )
    return HttpResponseRedirect(detail_url(agency, measure.pk))


@require_http_methods(["GET", "POST"])
@agency_view(MEASURE_EDITORS)
def value_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Enter one figure (replacing any of the same period and area)."""
    measure = selectors_staff.measure_for(agency=agency, pk=pk)
    form = FigureForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services_values.value_record(
                actor=acting_user(request), measure=measure, **form.value_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The figure is saved."))
            return HttpResponseRedirect(detail_url(agency, measure.pk))
    context = {"agency": agency, "measure": measure, "name": measure_name(measure), "form": form}
    return render(
        request, TEMPLATES + "value_form.html", context, status=400 if form.is_bound else 200
    )


@require_POST
@agency_view(MEASURE_EDITORS)
def value_delete(request: HttpRequest, agency: Agency, pk: int, value_pk: int) -> HttpResponse:
    measure = selectors_staff.measure_for(agency=agency, pk=pk)
    value = get_object_or_404(
        MeasureValue.objects.select_related("area"), measure=measure, pk=value_pk
    )
    try:
        services_values.value_delete(actor=acting_user(request), value=value)
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The figure is removed."))
    return HttpResponseRedirect(detail_url(agency, measure.pk))


@require_POST
@agency_view(MEASURE_EDITORS)
def refresh(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Recompute the computed measures now (the daily job does it too)."""
    report = services.measures_refresh(agency=agency, actor=acting_user(request))
    messages.success(
        request,
        _("Computed measures refreshed. Figures written: %(written)d; removed: %(removed)d.")
        % {"written": report.written, "removed": report.removed},
    )
    return HttpResponseRedirect(reverse("measures:home", args=[agency.slug]))
