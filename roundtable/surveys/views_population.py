"""Reference populations: the census margins per area that survey results are
weighted to and compared with.

Staff who read surveys (SURVEY_VIEWERS) see the list and each population's
margins; analysts, coordinators and administrators (SURVEY_ANALYSTS) import
one from a CSV file (`services_population.population_import`). Areas of the
file that match none of the agency's are listed on the population's page,
not refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import (
    SURVEY_ANALYSTS,
    SURVEY_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.surveys import selectors_staff
from roundtable.surveys.forms import UPLOAD_MAX_MB, PopulationImportForm
from roundtable.surveys.models import ReferencePopulation
from roundtable.surveys.services_population import population_import as import_population
from roundtable.surveys.views import TEMPLATES


@require_GET
@agency_view(SURVEY_VIEWERS)
def population_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Staff: the agency's reference populations, newest first (the newest is
    what surveys are weighted to unless they name another)."""
    context = {
        "agency": agency,
        "populations": list(selectors_staff.populations_for(agency=agency)),
        "can_import": holds_any(request, SURVEY_ANALYSTS),
    }
    return render(request, TEMPLATES + "populations.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(SURVEY_ANALYSTS)
def population_import(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Analysts, coordinators and administrators: bring in census margins from
    a CSV file (a CMAP community-area profile, or the long layout)."""
    form = PopulationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            population = import_population(
                agency=agency,
                actor=acting_user(request),
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
                text=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The reference population is imported."))
            if population.unmatched_areas:
                messages.warning(
                    request,
                    _("Some areas of the file match none of the agency's: they are listed below."),
                )
            return HttpResponseRedirect(
                reverse("surveys:population", args=[agency.slug, population.pk])
            )
    status = 400 if form.is_bound else 200
    context = {"agency": agency, "form": form, "limit": UPLOAD_MAX_MB}
    return render(request, TEMPLATES + "population_import.html", context, status=status)


@require_GET
@agency_view(SURVEY_VIEWERS)
def population_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Staff: a population's margins per area, one table per characteristic,
    and the areas of its file that matched none of the agency's."""
    population = get_object_or_404(
        ReferencePopulation.objects.select_related("imported_by"), agency=agency, pk=pk
    )
    context = {
        "agency": agency,
        "population": population,
        "tables": selectors_staff.population_tables(population, request.LANGUAGE_CODE),
    }
    return render(request, TEMPLATES + "population.html", context)
