"""Staff pages of incident data: the overview, the CompStat report (and its CSV),
and perception beside the data.

Every view admits INCIDENT_VIEWERS through `agency_view`; the import pages are
in `views_import`, the map in `views_map`, the public pages in `views_public`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from roundtable.accounts.access import (
    INCIDENT_IMPORTERS,
    INCIDENT_VIEWERS,
    agency_view,
    holds_any,
)
from roundtable.agencies.models import Agency, Area
from roundtable.incidents import charts, selectors, selectors_public, selectors_report
from roundtable.incidents.forms import PerceptionForm, ReportForm

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@require_GET
@agency_view(INCIDENT_VIEWERS)
def overview(request: HttpRequest, agency: Agency) -> HttpResponse:
    """How fresh the data is, the last imports, and the way to every incident page."""
    context = {
        "agency": agency,
        "freshness": selectors.freshness(agency=agency),
        "runs": selectors.import_runs(agency=agency, limit=selectors.RECENT_RUNS),
        "can_import": holds_any(request, INCIDENT_IMPORTERS),
    }
    return render(request, "incidents/overview.html", context)


def _report_inputs(
    request: HttpRequest, agency: Agency
) -> tuple[ReportForm, Area | None, dt.date, str]:
    form = ReportForm(request.GET or None, agency=agency)
    area: Area | None = None
    as_of: dt.date | None = None
    trend = "crimes"
    if form.is_bound and form.is_valid():
        area = form.cleaned_data["area"]
        as_of = form.cleaned_data["as_of"]
        trend = form.cleaned_data["trend"]
    return form, area, as_of or selectors_report.default_as_of(agency), trend


@require_GET
@agency_view(INCIDENT_VIEWERS)
def report(request: HttpRequest, agency: Agency) -> HttpResponse:
    """The CompStat period table for the agency or one area, and the weekly trend."""
    form, area, as_of, trend_offence = _report_inputs(request, agency)
    period_report = selectors_report.period_report(agency=agency, area=area, as_of=as_of)
    trend = selectors_report.weekly_trend(
        agency=agency, as_of=as_of, area=area, offence=trend_offence
    )
    context = {
        "agency": agency,
        "form": form,
        "report": period_report,
        "trend": trend,
        "trend_rows": list(zip(trend.week_ends, trend.current, trend.prior, strict=True)),
        "chart": charts.trend_chart(trend.week_ends, trend.current, trend.prior),
        "trend_label": dict(form.fields["trend"].choices).get(trend_offence, trend_offence),  # type: ignore[attr-defined]
        "query": request.GET.urlencode(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "incidents/report.html", context, status=status)


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer streaming."""

    def write(self, value: str) -> str:
        return value


def _spreadsheet_safe(value: str) -> str:
    # Spreadsheet programs run a cell starting with these as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_csv_lines(report: selectors_report.PeriodReport, area_name: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("area"),
            _("as of"),
            _("row"),
            _("period"),
            _("from"),
            _("to"),
            _("count"),
            _("a year earlier"),
            _("difference"),
            _("percent change"),
            _("p-value"),
            _("significant"),
            _("direction"),
        ]
    )
    by_key = {p.key: p for p in report.periods}
    for row in report.rows:
        for cell in row.cells:
            period = by_key[cell.period]
            change = cell.change
            assert change is not None
            yield writer.writerow(
                [
                    _spreadsheet_safe(area_name),
                    report.as_of.isoformat(),
                    row.key,
                    period.key,
                    period.start.isoformat(),
                    period.end.isoformat(),
                    cell.current,
                    cell.prior,
                    change.difference,
                    "" if change.percent is None else f"{change.percent:.1f}",
                    f"{change.p:.4f}",
                    "yes" if change.significant else "no",
                    change.direction,
                ]
            )


@require_GET
@agency_view(INCIDENT_VIEWERS)
def report_csv(request: HttpRequest, agency: Agency) -> StreamingHttpResponse:
    """The report's table as CSV: one line per row and period (the same figures)."""
    _form, area, as_of, _trend = _report_inputs(request, agency)
    period_report = selectors_report.period_report(agency=agency, area=area, as_of=as_of)
    area_name = area.name if area is not None else agency.name
    response = StreamingHttpResponse(
        report_csv_lines(period_report, area_name), content_type=CSV_CONTENT_TYPE
    )
    suffix = f"-{area.slug}" if area is not None else ""
    response["Content-Disposition"] = (
        f'attachment; filename="compstat-{agency.slug}{suffix}-{as_of.isoformat()}.csv"'
    )
    return response


@require_GET
@agency_view(INCIDENT_VIEWERS)
def perception(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Per area and month: incidents and rate beside survey safety, trust and inputs."""
    kinds = selectors.perception_kinds(agency)
    # Unasked, the coarsest kind of area (districts first): a city's 300 beats
    # times 12 months is a page nobody reads. "All" stays one choice away.
    kind = selectors_public.public_kind(agency)
    form = PerceptionForm(request.GET or None, kinds=kinds, initial={"kind": kind or ""})
    as_of = None
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"] or None
        as_of = form.cleaned_data["as_of"]
    as_of = as_of or selectors_report.default_as_of(agency)
    rows = selectors.perception_table(agency=agency, as_of=as_of, kind=kind)
    context = {
        "agency": agency,
        "form": form,
        "rows": rows,
        "as_of": as_of,
        "any_agency_wide": any(r.agency_wide_score for r in rows),
    }
    return render(request, "incidents/perception.html", context)
