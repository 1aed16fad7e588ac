"""Reads of the advisory group's decisions, for staff and for the public."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from roundtable.agencies.models import Agency
from roundtable.engagement.models import Event
from roundtable.priorities.models import AdvisoryVote, Candidate, Decision, PairwiseSurvey
from roundtable.stakeholders.models import Organisation


@dataclass(frozen=True)
class TallyLine:
    vote: str
    label: str
    count: int
    organisations: list[str]


@dataclass(frozen=True)
class Tally:
    """How the advisory group voted: counts, and the organisations on each side.

    Members are named only to staff; the public sees the counts and the
    organisations members spoke for, never a member's name. An "organisation"
    on the Community Map may be a private individual (Kind.INDIVIDUAL): that is
    a person's name, so it is left out of the tally (staff see it on the vote
    itself).
    """

    lines: list[TallyLine]

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)

    def count(self, vote: str) -> int:
        return next(line.count for line in self.lines if line.vote == vote)


def vote_tally(votes: Iterable[AdvisoryVote]) -> Tally:
    counts: dict[str, int] = dict.fromkeys(AdvisoryVote.Vote.values, 0)
    organisations: dict[str, set[str]] = {value: set() for value in AdvisoryVote.Vote.values}
    for vote in votes:
        counts[vote.vote] += 1
        organisation = vote.organisation
        if organisation is not None and organisation.kind == Organisation.Kind.ORGANISATION:
            organisations[vote.vote].add(organisation.name)
    return Tally(
        lines=[
            TallyLine(
                vote=value,
                label=str(label),
                count=counts[value],
                organisations=sorted(organisations[value]),
            )
            for value, label in AdvisoryVote.Vote.choices
        ]
    )


def decision_list(*, agency: Agency) -> QuerySet[Decision]:
    """Every decision of the agency, drafts included, latest first."""
    return (
        Decision.objects.filter(agency=agency)
        .select_related("event")
        .prefetch_related(Prefetch("chosen", queryset=Candidate.objects.order_by("title", "pk")))
        .annotate(vote_count=Count("votes", distinct=True))
        .order_by("-decided_on", "-pk")
    )


def decision_detail(*, agency: Agency, pk: int) -> Decision:
    """Raises Decision.DoesNotExist for a decision of another agency."""
    return (
        Decision.objects.select_related("agency", "event", "published_by", "created_by")
        .prefetch_related(
            Prefetch("chosen", queryset=Candidate.objects.order_by("title", "pk")),
            Prefetch("votes", queryset=AdvisoryVote.objects.select_related("organisation")),
        )
        .get(agency=agency, pk=pk)
    )


def decision_events(*, agency: Agency) -> QuerySet[Event]:
    """Meetings a decision may have been taken at, latest first."""
    return Event.objects.filter(agency=agency).order_by("-starts_at", "-pk")


def shortlist_for_decision(*, agency: Agency) -> QuerySet[Candidate]:
    return Candidate.objects.filter(agency=agency, status=Candidate.Status.ACTIVE).order_by(
        "title", "pk"
    )


def public_decisions(*, agency: Agency) -> QuerySet[Decision]:
    """Published decisions, latest first, with their chosen priorities and votes."""
    return (
        Decision.objects.filter(agency=agency, status=Decision.Status.PUBLISHED)
        .select_related("event")
        .prefetch_related(
            Prefetch("chosen", queryset=Candidate.objects.order_by("title", "pk")),
            Prefetch("votes", queryset=AdvisoryVote.objects.select_related("organisation")),
        )
        .order_by("-decided_on", "-published_at", "-pk")
    )


def public_decision(*, agency: Agency, pk: int) -> Decision:
    """A published decision. Raises Decision.DoesNotExist for a draft."""
    return public_decisions(agency=agency).get(pk=pk)


def open_survey(*, agency: Agency) -> PairwiseSurvey | None:
    """The most recently opened pairwise survey still taking votes, if any."""
    return (
        PairwiseSurvey.objects.filter(agency=agency, status=PairwiseSurvey.Status.OPEN)
        .order_by("-opened_at", "-pk")
        .first()
    )
