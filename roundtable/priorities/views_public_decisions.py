"""The public face of the advisory group's decisions.

Anyone may read these pages, without an account or JavaScript. They show the
chosen priorities, the rationale and dissent, and the vote as a tally with the
organisations members spoke for: never a member's name or other personal
data. Text typed by staff is shown redacted. How many inputs are behind a
priority is shown only from the small-cell minimum up (docs/disclosure.md);
the advisory group's own recorded vote is the public act of a public body and
is shown as cast.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from roundtable import disclosure
from roundtable.accounts.access import public_agency_view
from roundtable.agencies.models import Agency
from roundtable.inputs.redaction import redact
from roundtable.priorities.models import Decision
from roundtable.priorities.selectors import Heard, candidate_title, heard_by_candidate
from roundtable.priorities.selectors_decisions import (
    Tally,
    open_survey,
    public_decision,
    public_decisions,
    vote_tally,
)


@dataclass(frozen=True)
class PublicPriority:
    title: str
    description: str
    # How many inputs are behind it; None when fewer than the small-cell
    # threshold, which the page words as "fewer than N".
    inputs: int | None


@dataclass(frozen=True)
class PublicDecision:
    decision: Decision
    priorities: list[PublicPriority]
    rationale: str
    dissent: str
    tally: Tally


def _public(decisions: list[Decision]) -> list[PublicDecision]:
    language = get_language() or "en"
    small = disclosure.minimum_count()
    ids = [c.pk for d in decisions for c in d.chosen.all()]
    heard = heard_by_candidate(ids)
    result = []
    for decision in decisions:
        priorities = []
        for candidate in decision.chosen.all():
            total = heard.get(candidate.pk, Heard()).total
            priorities.append(
                PublicPriority(
                    title=redact(candidate_title(candidate, language)),
                    description=redact(candidate.description),
                    inputs=total if total >= small else None,
                )
            )
        result.append(
            PublicDecision(
                decision=decision,
                priorities=priorities,
                rationale=redact(decision.rationale),
                dissent=redact(decision.dissent),
                tally=vote_tally(decision.votes.all()),
            )
        )
    return result


def _survey_url(agency: Agency) -> str:
    """The open pairwise survey's page, or "" when none is open (or the
    survey pages are not there)."""
    survey = open_survey(agency=agency)
    if survey is None:
        return ""
    try:
        return reverse("priorities_public:vote", args=[agency.slug, survey.pk])
    except NoReverseMatch:
        return ""


@require_GET
@public_agency_view
def home(request: HttpRequest, agency: Agency) -> HttpResponse:
    """Anyone: the agency's published priorities, and the survey open now, if any."""
    context = {
        "agency": agency,
        "decisions": _public(list(public_decisions(agency=agency))),
        "survey_url": _survey_url(agency),
        "small_cell": disclosure.minimum_count(),
    }
    return render(request, "priorities/public/home.html", context)


@require_GET
@public_agency_view
def decision(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """Anyone: one published decision with its reasons, dissent and vote."""
    try:
        found = public_decision(agency=agency, pk=pk)
    except Decision.DoesNotExist:
        raise Http404 from None
    event_url = ""
    if found.event is not None and found.event.is_public:
        event_url = reverse("events_public:detail", args=[agency.slug, found.event.pk])
    context = {
        "agency": agency,
        "item": _public([found])[0],
        "event_url": event_url,
        "survey_url": _survey_url(agency),
        "small_cell": disclosure.minimum_count(),
    }
    return render(request, "priorities/public/decision.html", context)
