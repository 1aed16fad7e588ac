"""An agency's public face for community input: say something, follow the answer,
see what was answered. Anyone may use these pages, with no account and no
JavaScript.

Privacy: nothing here logs the request or keeps its address or user agent;
the rate limit knows a client only by a keyed hash that expires (public_limits).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from roundtable.accounts.access import public_agency_view
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.inputs import public_limits, receipts, selectors_public
from roundtable.inputs.forms_public import ANONYMOUS, PublicInputForm, ReceiptLookupForm
from roundtable.inputs.models import InputChannel
from roundtable.inputs.services import input_create


def _calendar_url(agency: Agency) -> str | None:
    try:
        return reverse("events_public:calendar", args=[agency.slug])
    except NoReverseMatch:  # the events calendar is optional
        return None


def _thanks(agency: Agency, code: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("inputs_public:thanks", args=[agency.slug, code]))


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
        form.add_error(None, error)
        return None
    return item.receipt_code


@require_http_methods(["GET", "POST"])
@public_agency_view
def input_new(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone, signed in or not: say something to the agency."""
    limit = public_limits.submissions()
    if request.method != "POST":
        form = PublicInputForm(agency=agency)
        return render(request, "inputs/public/say.html", {"agency": agency, "form": form})
    form = PublicInputForm(request.POST, agency=agency)
    context = {"agency": agency, "form": form}
    if public_limits.is_limited(request, limit):
        # The form is shown again as typed, so nothing is lost while waiting.
        return _limited(request, "inputs/public/say.html", context, limit)
    if form.is_honeypot:
        # A bot: answer exactly as for a person, with a code that leads nowhere.
        public_limits.count(request, limit)
        return _thanks(agency, receipts.new_code())
    if form.is_valid():
        code = _store(request, agency, form)
        if code is not None:
            public_limits.count(request, limit)
            return _thanks(agency, code)
    return render(request, "inputs/public/say.html", context)


@require_GET
@public_agency_view
def input_thanks(request: HttpRequest, agency: Agency, code: str) -> HttpResponse:
    """Anyone: the receipt code just given and how to follow the answer.

    Shows only the code from the address (it reads nothing from the database),
    so it reveals nothing, and a bot caught by the honeypot sees the same page.
    """
    stored = receipts.normalise(code)
    if not stored:
        raise Http404
    context = {
        "agency": agency,
        "code": receipts.display(stored),
        "receipt_path": reverse("inputs_public:receipt", args=[agency.slug, stored]),
    }
    return render(request, "inputs/public/thanks.html", context)


@require_GET
@public_agency_view
def receipt_lookup(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: type a receipt code to follow its answer."""
    form = ReceiptLookupForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return HttpResponseRedirect(
            reverse("inputs_public:receipt", args=[agency.slug, form.cleaned_data["code"]])
        )
    return render(request, "inputs/public/receipt_lookup.html", {"agency": agency, "form": form})


@require_GET
@public_agency_view
def receipt_detail(request: HttpRequest, agency: Agency, code: str) -> HttpResponse:
    """Anyone holding the code: status, dates, public answer and updates, nothing else."""
    stored = receipts.normalise(code)
    if stored and stored != code:
        return HttpResponseRedirect(reverse("inputs_public:receipt", args=[agency.slug, stored]))
    form = ReceiptLookupForm(initial={"code": code})
    context: dict[str, Any] = {"agency": agency, "form": form}
    limit = public_limits.LOOKUPS
    if public_limits.is_limited(request, limit):
        return _limited(request, "inputs/public/receipt_lookup.html", context, limit)
    public_limits.count(request, limit)
    found = selectors_public.receipt(agency=agency, code=code)
    if found is None:
        context["not_found"] = True
        return render(request, "inputs/public/receipt_lookup.html", context, status=404)
    return render(request, "inputs/public/receipt.html", {"agency": agency, "receipt": found})


@require_GET
@public_agency_view
def answer_figures(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: "you said, we did" — share answered and days to answer, by topic and area."""
    context = {"agency": agency, "figures": selectors_public.answer_figures(agency=agency)}
    return render(request, "inputs/public/answers.html", context)
