"""An agency's public face for community input: say something, follow the answer,
see what was answered. Anyone may use these pages, with no account and no
JavaScript.

Privacy: nothing here logs the request or keeps its address or user agent;
the rate limit knows a client only by a keyed hash that expires (public_limits).
A receipt code never appears in an address we serve to the person who holds
it: access logs keep addresses and IPs, and the two together would tie an
anonymous input to a person. So the thanks page is the answer to the form's
POST itself, and the lookup form is a POST too. Only the links we send by
email or text message, to people who gave those details, carry the code
(`receipt_detail`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import public_agency_view
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.core.form_errors import add_service_error
from roundtable.inputs import public_limits, receipts, selectors_public
from roundtable.inputs.forms_public import ANONYMOUS, PublicInputForm, ReceiptLookupForm
from roundtable.inputs.models import InputChannel
from roundtable.inputs.services import input_create

LOOKUP_TEMPLATE = "inputs/public/receipt_lookup.html"


def _calendar_url(agency: Agency) -> str | None:
    try:
        return reverse("events_public:calendar", args=[agency.slug])
    except NoReverseMatch:  # the events calendar is optional
        return None


def _private(response: HttpResponse) -> HttpResponse:
    """Keep a page that shows a receipt code out of every cache."""
    add_never_cache_headers(response)
    return response


def _thanks(request: HttpRequest, agency: Agency, code: str) -> HttpResponse:
    context = {
        "agency": agency,
        "code": receipts.display(code),
        "lookup_form": ReceiptLookupForm(initial={"code": receipts.display(code)}),
    }
    return _private(render(request, "inputs/public/thanks.html", context))


def _limited(
    request: HttpRequest, template: str, context: dict[str, Any], limit: public_limits.Limit
) -> HttpResponse:
    context = {**context, "limited_minutes": limit.window_minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(limit.window_seconds)
    return response


@require_GET
@public_agency_view
def agency_public(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the agency's public page (say something, meetings, follow an answer,
    "you said, we did")."""
    context = {
        "agency": agency,
        "answers": selectors_public.recent_answers(agency=agency),
        "figures": selectors_public.answer_figures(agency=agency),
        "lookup_form": ReceiptLookupForm(),
        "calendar_url": _calendar_url(agency),
    }
    return render(request, "inputs/public/agency.html", context)


def _store(request: HttpRequest, agency: Agency, form: PublicInputForm) -> str | None:
    """The new input's receipt code, or None with the service's refusal on the form."""
    data = form.cleaned_data
    is_anonymous = data["anonymous"] == ANONYMOUS
    user = request.user
    try:
        item = input_create(
            agency=agency,
            channel=InputChannel.WEB,
            topic=data["topic"],
            text=data["text"],
            language=data["language"],
            area=data["area"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            is_anonymous=is_anonymous,
            contact_name="" if is_anonymous else data["contact_name"],
            contact_email="" if is_anonymous else data["contact_email"],
            contact_phone="" if is_anonymous else data["contact_phone"],
            reply_channel="" if is_anonymous else data["reply_channel"],
            submitted_by=user if isinstance(user, User) and not is_anonymous else None,
        )
    except ValidationError as error:
        add_service_error(form, error)
        return None
    return item.receipt_code


@require_http_methods(["GET", "POST"])
@public_agency_view
def input_new(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone, signed in or not: say something to the agency.

    Success answers with the thanks page itself, never a redirect to an address
    holding the receipt code (see the module docstring).
    """
    if request.method != "POST":
        form = PublicInputForm(agency=agency)
        return render(request, "inputs/public/say.html", {"agency": agency, "form": form})
    form = PublicInputForm(request.POST, agency=agency)
    context = {"agency": agency, "form": form}
    # A bot in the honeypot is counted and answered exactly as a person would be.
    if not form.is_honeypot and not form.is_valid():
        return render(request, "inputs/public/say.html", context)
    limit = public_limits.submissions()
    if public_limits.exceeded(request, limit):
        # The form is shown again as typed, so nothing is lost while waiting.
        return _limited(request, "inputs/public/say.html", context, limit)
    if form.is_honeypot:
        return _thanks(request, agency, receipts.new_code())  # a code that leads nowhere
    code = _store(request, agency, form)
    if code is None:
        return render(request, "inputs/public/say.html", context)
    return _thanks(request, agency, code)


def _receipt_page(
    request: HttpRequest, agency: Agency, code: str, form: ReceiptLookupForm
) -> HttpResponse:
    """The receipt of `code`, or the lookup form saying it is unknown (404)."""
    context: dict[str, Any] = {"agency": agency, "form": form}
    limit = public_limits.LOOKUPS
    if public_limits.exceeded(request, limit):
        return _limited(request, LOOKUP_TEMPLATE, context, limit)
    found = selectors_public.receipt(agency=agency, code=code)
    if found is None:
        return render(request, LOOKUP_TEMPLATE, {**context, "not_found": True}, status=404)
    return _private(
        render(request, "inputs/public/receipt.html", {"agency": agency, "receipt": found})
    )


@require_http_methods(["GET", "POST"])
@public_agency_view
def receipt_lookup(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: type a receipt code to follow its answer.

    The code is sent by POST and the receipt is the answer to it, so the code
    never appears in an address (see the module docstring).
    """
    if request.method != "POST":
        return render(request, LOOKUP_TEMPLATE, {"agency": agency, "form": ReceiptLookupForm()})
    form = ReceiptLookupForm(request.POST)
    if not form.is_valid():
        return render(request, LOOKUP_TEMPLATE, {"agency": agency, "form": form})
    return _receipt_page(request, agency, form.cleaned_data["code"], form)


@require_GET
@public_agency_view
def receipt_detail(request: HttpRequest, agency: Agency, code: str) -> HttpResponse:
    """Anyone holding the code: status, dates, public answer and updates, nothing else.

    The address of the links sent by email or text message to contributors who
    gave those details (they are not anonymous); pages never link here.
    """
    stored = receipts.normalise(code)
    if stored and stored != code:
        return HttpResponseRedirect(reverse("inputs_public:receipt", args=[agency.slug, stored]))
    return _receipt_page(request, agency, code, ReceiptLookupForm(initial={"code": code}))


@require_GET
@public_agency_view
def answer_figures(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: "you said, we did" — share answered and days to answer, by topic and area."""
    context = {"agency": agency, "figures": selectors_public.answer_figures(agency=agency)}
    return render(request, "inputs/public/answers.html", context)
