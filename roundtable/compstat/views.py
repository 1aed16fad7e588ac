"""The meeting pack's pages: the months, a month's pack (HTML and PDF), issuing
it, and two months side by side.

Staff who read the pack (PACK_VIEWERS) see every page; command staff, analysts
and administrators (PACK_ISSUERS) issue a month's pack. A month's address is
its permanent link: once issued it shows the stored pack, with the live
figures a click away (`?live=1`); before that it shows the live figures as a
draft. Months still to come are not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from roundtable.accounts.access import (
    PACK_ISSUERS,
    PACK_VIEWERS,
    acting_user,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency, Area
from roundtable.compstat import months, rendering, selectors, services
from roundtable.compstat.forms import AreaForm, IssueForm
from roundtable.compstat.models import MeetingPack


def _area(request: HttpRequest, agency: Agency) -> tuple[AreaForm, Area | None]:
    """The area of `?area=<slug>` (None: the whole jurisdiction); 404 if unknown."""
    form = AreaForm(request.GET if "area" in request.GET else None, agency=agency)
    if not form.is_bound:
        return form, None
    if not form.is_valid():
        raise Http404("No such area.")
    area: Area | None = form.cleaned_data["area"]
    return form, area


def _not_future(month: dt.date, today: dt.date) -> None:
    if months.is_future(month, today):
        raise Http404("That month has not begun.")


def _area_query(area: Area | None, *, live: bool = False) -> str:
    parts = ([f"area={area.slug}"] if area is not None else []) + (["live=1"] if live else [])
    return "?" + "&".join(parts) if parts else ""


def _month_label(month: dt.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


@require_GET
@agency_view(PACK_VIEWERS)
def index(request: HttpRequest, agency: Agency) -> HttpResponse:
    """The months with packs (issued ones marked), the current and previous month."""
    form = AreaForm(request.GET if "area" in request.GET else None, agency=agency)
    area: Area | None = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            area = form.cleaned_data["area"]
        else:
            status = 400
    today = timezone.localdate()
    rows = selectors.pack_months(agency=agency, area=area, today=today)
    context = {
        "agency": agency,
        "form": form,
        "area": area,
        "rows": [
            (row, months.key(months.shift(row.month, -1)), _month_label(row.month)) for row in rows
        ],
        "area_query": _area_query(area),
    }
    return render(request, "compstat/index.html", context, status=status)


def _pack_body(
    *, agency: Agency, month: dt.date, area: Area | None, live: bool, today: dt.date
) -> tuple[MeetingPack | None, SafeString]:
    """The issued pack and its stored body, or (None or the issued pack, the live body)."""
    issued = selectors.issued_pack(
        agency=agency, month=month, area=area, language=get_language() or "en"
    )
    if issued is not None and not live:
        return issued, rendering.stored_body(issued)
    body = rendering.render_body(selectors.pack(agency=agency, month=month, area=area, today=today))
    return issued, body


def _pack_context(
    request: HttpRequest, agency: Agency, month: dt.date
) -> tuple[dict[str, Any], Area | None]:
    today = timezone.localdate()
    _not_future(month, today)
    form, area = _area(request, agency)
    live = request.GET.get("live") == "1"
    issued, body = _pack_body(agency=agency, month=month, area=area, live=live, today=today)
    complete = months.has_ended(month, today)
    context = {
        "agency": agency,
        "form": form,
        "area": area,
        "month": month,
        "month_key": months.key(month),
        "month_label": _month_label(month),
        "as_of": months.as_of(month, today),
        "complete": complete,
        "issued": issued,
        "showing_issued": issued is not None and not live,
        "issued_language_differs": issued is not None
        and not live
        and issued.language != (get_language() or "en"),
        "body": body,
        "area_query": _area_query(area),
        "live_query": _area_query(area, live=True),
        "previous_key": months.key(months.shift(month, -1)),
        "can_issue": complete and issued is None and holds_any(request, PACK_ISSUERS),
    }
    return context, area


@require_GET
@agency_view(PACK_VIEWERS)
def pack_page(request: HttpRequest, agency: Agency, month: dt.date) -> HttpResponse:
    """A month's pack: the issued one, or the live figures as a draft."""
    context, _area_found = _pack_context(request, agency, month)
    return render(request, "compstat/pack.html", context)


@require_GET
@agency_view(PACK_VIEWERS)
def pack_pdf(request: HttpRequest, agency: Agency, month: dt.date) -> HttpResponse:
    """The same pack as a printable PDF (A4 and Letter both fit)."""
    context, area = _pack_context(request, agency, month)
    pdf = rendering.pdf_bytes(context)
    name = f"meeting-pack-{agency.slug}-{months.key(month)}"
    if area is not None:
        name += f"-{area.slug}"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@require_POST
@agency_view(PACK_ISSUERS)
def pack_issue(request: HttpRequest, agency: Agency, month: dt.date) -> HttpResponse:
    """Freeze the month's pack (every language), then back to its page."""
    _not_future(month, timezone.localdate())
    form = IssueForm(request.POST, agency=agency)
    if not form.is_valid():
        raise Http404("No such area.")
    area: Area | None = form.cleaned_data["area"]
    try:
        services.pack_issue(agency=agency, month=month, area=area, actor=acting_user(request))
    except services.MonthNotEnded:
        messages.error(request, _("A month's pack can be issued once the month has ended."))
    except services.AlreadyIssued:
        messages.error(request, _("This month's pack has been issued already; nothing changed."))
    else:
        messages.success(
            request,
            _("The pack of %(month)s is issued: this page now shows it as issued.")
            % {"month": _month_label(month)},
        )
    url = reverse("compstat:pack", args=[agency.slug, months.key(month)])
    return HttpResponseRedirect(url + _area_query(area))


@require_GET
@agency_view(PACK_VIEWERS)
def compare(request: HttpRequest, agency: Agency, month: dt.date, other: dt.date) -> HttpResponse:
    """Two months side by side: the period table and the measures, each as of its
    month's end (live figures)."""
    today = timezone.localdate()
    _not_future(month, today)
    _not_future(other, today)
    form, area = _area(request, agency)
    first, second = sorted((month, other))
    found = selectors.comparison(agency=agency, first=first, second=second, area=area, today=today)
    context = {
        "agency": agency,
        "form": form,
        "area": area,
        "comparison": found,
        "first_key": months.key(first),
        "second_key": months.key(second),
        "first_label": _month_label(first),
        "second_label": _month_label(second),
        "area_query": _area_query(area),
    }
    return render(request, "compstat/compare.html", context)
