"""Getting a survey to people: the open link and its QR code, a printable page
for meetings, rotating the link, one-time links in batches, and invitations
after calls for service.

Coordinators and administrators (SURVEY_EDITORS) only. One-time links are
shown once: only their SHA-256 is stored, so the page that makes a batch is
the only place its links ever appear (it is not cached), and a lost batch is
replaced by making another. Contact details in an uploaded calls-for-service
file are used to send the invitations and never stored; the page reports only
how many were sent and how many were left out, by reason.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from roundtable.accounts.access import SURVEY_EDITORS, acting_user, agency_view
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.core.qr import qr_svg
from roundtable.stakeholders.tabular import CSV_CONTENT_TYPE
from roundtable.surveys import disclosure, selectors, services, services_invitations
from roundtable.surveys.forms import ContactsForm, InvitationsForm
from roundtable.surveys.models import Audience, Survey
from roundtable.surveys.texts import language_name, text_in
from roundtable.surveys.views import TEMPLATES, refusal, survey_nav, survey_of

# What the QR code's link adds, so answers through it count as the QR channel.
QR_QUERY = "?via=qr"


def distribution_url(survey: Survey) -> str:
    return reverse("surveys:distribution", args=[survey.agency.slug, survey.pk])


def open_link(request: HttpRequest, survey: Survey) -> str:
    """The open link as an absolute URL ("" while the survey has none)."""
    if not survey.public_token:
        return ""
    path = reverse("surveys_public:answer", args=[survey.agency.slug, survey.public_token])
    return request.build_absolute_uri(path)


def _context(
    request: HttpRequest,
    agency: Agency,
    survey: Survey,
    *,
    invitations_form: InvitationsForm | None = None,
    contacts_form: ContactsForm | None = None,
) -> dict[str, object]:
    link = open_link(request, survey)
    is_contact = survey.audience == Audience.CONTACT
    return {
        "agency": agency,
        "survey": survey,
        "link": link,
        "qr_link": link + QR_QUERY if link else "",
        "qr": qr_svg(link + QR_QUERY) if link else "",
        "batches": selectors.invitation_counts(survey=survey),
        "invitations_form": invitations_form or InvitationsForm(survey=survey),
        "contacts_form": (contacts_form or ContactsForm()) if is_contact else None,
        "min_count": disclosure.minimum(),
        "max_calls": services_invitations.MAX_CALLS,
        **survey_nav(request, survey),
    }


@require_GET
@agency_view(SURVEY_EDITORS)
def distribution(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: the open link, its QR code, one-time
    link batches and (contact surveys) invitations after calls for service."""
    survey = survey_of(agency, pk)
    return render(request, TEMPLATES + "distribution.html", _context(request, agency, survey))


@require_GET
@agency_view(SURVEY_EDITORS)
def print_page(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: a page to print for a meeting, with the
    QR code and the survey's title in each of its languages."""
    survey = survey_of(agency, pk)
    link = open_link(request, survey)
    context = {
        "agency": agency,
        "survey": survey,
        "link": link,
        "qr": qr_svg(link + QR_QUERY) if link else "",
        "titles": [
            (code, text_in(survey.title, code), text_in(survey.introduction, code))
            for code in survey.languages
        ],
    }
    return render(request, TEMPLATES + "print.html", context)


@require_POST
@agency_view(SURVEY_EDITORS)
def link_rotate(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: a new open link (and QR code); the old
    one stops working, e.g. after it was posted where it should not be."""
    survey = survey_of(agency, pk)
    try:
        services.open_link_rotate(survey=survey, actor=acting_user(request))
    except ValidationError as error:
        for line in refusal(error):
            messages.error(request, line)
    else:
        messages.success(
            request, _("The survey has a new open link; the old link and QR code no longer work.")
        )
    return HttpResponseRedirect(distribution_url(survey))


def reason_label(reason: str) -> str:
    try:
        return str(services_invitations.Exclusion(reason).label)
    except ValueError:
        return reason


def _links_csv(links: list[str], batch: str, language: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["link", "batch", "language"])
    for link in links:
        writer.writerow([link, batch, language])
    return out.getvalue()


@never_cache
@require_POST
@agency_view(SURVEY_EDITORS)
def invitations_create(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators: a batch of one-time links, each good for
    one response, shown on this page once or downloaded as CSV."""
    survey = survey_of(agency, pk)
    form = InvitationsForm(request.POST, survey=survey)
    if form.is_valid():
        data = form.cleaned_data
        try:
            tokens = services.invitations_create(
                survey=survey,
                actor=acting_user(request),
                count=data["count"],
                batch=data["batch"],
                language=data["language"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            links = [
                request.build_absolute_uri(
                    reverse("surveys_public:invitation", args=[agency.slug, token])
                )
                for token in tokens
            ]
            content = _links_csv(links, data["batch"], data["language"])
            filename = f"{agency.slug}-survey-{survey.pk}-links.csv"
            if request.POST.get("deliver") == "csv":
                response = HttpResponse(content, content_type=CSV_CONTENT_TYPE)
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
            context = {
                "agency": agency,
                "survey": survey,
                "links": links,
                "batch": data["batch"],
                "language": language_name(data["language"]),
                # The same file as a download from this page, with no second request
                # (the server could not answer one: it no longer knows the tokens).
                "csv_href": "data:text/csv;charset=utf-8," + quote(content),
                "filename": filename,
            }
            return render(request, TEMPLATES + "links.html", context)
    context = _context(request, agency, survey, invitations_form=form)
    return render(request, TEMPLATES + "distribution.html", context, status=400)


@never_cache
@require_POST
@agency_view(SURVEY_EDITORS)
def contacts_send(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Coordinators and administrators, for a contact-satisfaction survey:
    invite the people in a calls-for-service file (never after domestic
    violence, sexual assault or an incident still in progress). Reports counts
    only; the file's contact details are not kept."""
    survey = survey_of(agency, pk)
    if survey.audience != Audience.CONTACT:
        messages.error(request, _("Only surveys of people who had contact send invitations."))
        return HttpResponseRedirect(distribution_url(survey))
    form = ContactsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            contacts = services_invitations.contacts_from_csv(form.cleaned_data["file"])
            outcome = services_invitations.contact_invitations_send(
                survey=survey,
                actor=acting_user(request),
                contacts=contacts,
                batch=form.cleaned_data["batch"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            context = {
                "agency": agency,
                "survey": survey,
                "outcome": outcome,
                "excluded": [
                    (reason_label(reason), count)
                    for reason, count in sorted(outcome.excluded.items())
                ],
                "excluded_total": sum(outcome.excluded.values()),
            }
            return render(request, TEMPLATES + "contacts_sent.html", context)
    context = _context(request, agency, survey, contacts_form=form)
    return render(request, TEMPLATES + "distribution.html", context, status=400)
