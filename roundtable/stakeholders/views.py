"""Community Map pages. Views map forms onto services and selectors, nothing more."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from roundtable.accounts.access import MAP_EDITORS, MAP_VIEWERS, agency_view, can_edit_map
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.stakeholders import selectors, services
from roundtable.stakeholders.forms import (
    ContactForm,
    InteractionForm,
    OrganisationFilterForm,
    OrganisationForm,
    ReferralForm,
    RenewalForm,
)
from roundtable.stakeholders.models import Contact, Organisation

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _organisation(agency: Agency, pk: int) -> Organisation:
    try:
        return selectors.organisation_detail(agency=agency, pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def _detail_url(organisation: Organisation) -> str:
    return reverse("stakeholders:detail", args=[organisation.agency.slug, organisation.pk])


def _form_page(
    request: HttpRequest,
    agency: Agency,
    organisation: Organisation,
    form: forms.BaseForm,
    title: str,
    *,
    status: int = 200,
) -> HttpResponse:
    """One of the organisation's small forms on a page of its own: the edit page,
    or the page that shows a form's errors after a POST from the detail page."""
    context = {
        "agency": agency,
        "organisation": organisation,
        "form": form,
        "title": title,
    }
    return render(request, "stakeholders/simple_form.html", context, status=status)


@require_GET
@vary_on_headers("HX-Request")
@agency_view(MAP_VIEWERS)
def organisation_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read the map (administrator, coordinator, analyst, command)."""
    form = OrganisationFilterForm(request.GET or None, agency=agency)
    filters = selectors.OrganisationFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.OrganisationFilter(
            q=data["q"],
            category=data["category"],
            sector=data["sector"],
            area=data["area"].pk if data["area"] else None,
            stance=data["stance"],
            kind=data["kind"],
        )
    page = Paginator(
        selectors.organisation_list(agency=agency, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "agency": agency,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_edit": can_edit_map(request),
    }
    # htmx asks for the table alone; its history restore needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    template = "stakeholders/_organisation_table.html" if partial else "stakeholders/list.html"
    return render(request, template, context)


@require_GET
@agency_view(MAP_VIEWERS)
def organisation_detail(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Agency staff who read the map."""
    organisation = _organisation(agency, pk)
    context = {
        "agency": agency,
        "organisation": organisation,
        "can_edit": can_edit_map(request),
        "contact_form": ContactForm(),
        "interaction_form": InteractionForm(organisation=organisation),
        "referral_form": ReferralForm(organisation=organisation),
    }
    return render(request, "stakeholders/detail.html", context)


def _save_organisation(
    request: HttpRequest, agency: Agency, form: OrganisationForm
) -> Organisation | None:
    data = form.cleaned_data
    fields = {
        "name": data["name"],
        "kind": data["kind"],
        "category": data["category"],
        "sectors": data["sectors"],
        "areas": list(data["areas"]),
        "stance": data["stance"],
        "stance_note": data["stance_note"],
        "description": data["description"],
        "website": data["website"],
        "email": data["email"],
        "phone": data["phone"],
        "external_id": data["external_id"],
    }
    try:
        if form.instance is None:
            return services.organisation_create(actor=_actor(request), agency=agency, **fields)
        return services.organisation_update(
            actor=_actor(request), organisation=form.instance, **fields
        )
    except ValidationError as error:
        add_service_error(form, error)
        return None


@require_http_methods(["GET", "POST"])
@agency_view(MAP_EDITORS)
def organisation_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Administrators and engagement coordinators."""
    form = OrganisationForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        organisation = _save_organisation(request, agency, form)
        if organisation is not None:
            messages.success(
                request, _("%(name)s is on the Community Map.") % {"name": organisation.name}
            )
            return HttpResponseRedirect(_detail_url(organisation))
    return render(request, "stakeholders/organisation_form.html", {"agency": agency, "form": form})


@require_http_methods(["GET", "POST"])
@agency_view(MAP_EDITORS)
def organisation_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    organisation = _organisation(agency, pk)
    form = OrganisationForm(request.POST or None, agency=agency, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = _save_organisation(request, agency, form)
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(_detail_url(saved))
    context = {"agency": agency, "form": form, "organisation": organisation}
    return render(request, "stakeholders/organisation_form.html", context)


@require_http_methods(["GET", "POST"])
@agency_view(MAP_EDITORS)
def organisation_delete(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators; asks for confirmation first."""
    organisation = _organisation(agency, pk)
    if request.method == "POST":
        name = organisation.name
        services.organisation_delete(actor=_actor(request), organisation=organisation)
        messages.success(
            request, _("%(name)s was removed from the Community Map.") % {"name": name}
        )
        return HttpResponseRedirect(reverse("stakeholders:list", args=[agency.slug]))
    return render(
        request,
        "stakeholders/organisation_delete.html",
        {"agency": agency, "organisation": organisation},
    )


@require_POST
@agency_view(MAP_EDITORS)
def contact_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    organisation = _organisation(agency, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        data.pop("is_active", None)
        services.contact_create(actor=_actor(request), organisation=organisation, **data)
        messages.success(request, _("Contact added."))
        return HttpResponseRedirect(_detail_url(organisation))
    return _form_page(request, agency, organisation, form, _("Add a contact"), status=400)


@require_http_methods(["GET", "POST"])
@agency_view(MAP_EDITORS)
def contact_edit(request: HttpRequest, agency: Agency, pk: int, contact_pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    organisation = _organisation(agency, pk)
    contact = get_object_or_404(Contact, pk=contact_pk, organisation=organisation)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        # The form validated a copy; the service is the one that writes.
        data = {name: form.cleaned_data[name] for name in ContactForm.Meta.fields}
        contact.refresh_from_db()
        services.contact_update(actor=_actor(request), contact=contact, **data)
        messages.success(request, _("Contact updated."))
        return HttpResponseRedirect(_detail_url(organisation))
    title = _("Edit contact %(name)s") % {"name": contact.name}
    return _form_page(request, agency, organisation, form, title)


@require_POST
@agency_view(MAP_EDITORS)
def interaction_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    organisation = _organisation(agency, pk)
    form = InteractionForm(request.POST, organisation=organisation)
    if form.is_valid():
        services.interaction_record(
            actor=_actor(request), organisation=organisation, **form.cleaned_data
        )
        messages.success(request, _("Interaction logged."))
        return HttpResponseRedirect(_detail_url(organisation))
    return _form_page(request, agency, organisation, form, _("Log an interaction"), status=400)


@require_POST
@agency_view(MAP_EDITORS)
def referral_add(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Administrators and engagement coordinators."""
    organisation = _organisation(agency, pk)
    form = ReferralForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            services.referral_create(
                actor=_actor(request), referrer=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Referral recorded."))
            return HttpResponseRedirect(_detail_url(organisation))
    return _form_page(request, agency, organisation, form, _("Record a referral"), status=400)


@require_GET
@agency_view(MAP_VIEWERS)
def renewals(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read the map."""
    form = RenewalForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_valid() else None
    renewal = selectors.renewal_list(agency=agency, stale_after_days=days)
    return render(
        request, "stakeholders/renewals.html", {"agency": agency, "form": form, "renewal": renewal}
    )


@require_GET
@agency_view(MAP_VIEWERS)
def coverage(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read the map."""
    rows_by = request.GET.get("rows", "sector")
    context = {"agency": agency, "coverage": selectors.coverage(agency=agency, rows_by=rows_by)}
    return render(request, "stakeholders/coverage.html", context)


@require_GET
@agency_view(MAP_VIEWERS)
def network(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read the map."""
    context = {"agency": agency, "network": selectors.referral_network(agency=agency)}
    return render(request, "stakeholders/network.html", context)


@require_GET
@agency_view(MAP_VIEWERS)
def worksheet(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Agency staff who read the map. Printable (the header and footer hide in print)."""
    context = {"agency": agency, "sections": selectors.worksheet(agency=agency)}
    return render(request, "stakeholders/worksheet.html", context)
