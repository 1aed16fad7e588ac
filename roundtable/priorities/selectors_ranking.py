"""Reads of the community ranking: the pairwise survey's scores (overall and by
area), the community rank the worksheet shows, and the dots of in-person meetings.

Scores come from a Bradley–Terry fit of the decided comparisons
(`roundtable.analytics.bradley_terry.score_items`): the estimated chance,
×100, that a candidate beats a randomly chosen other, with a bootstrap
interval. "Can't decide" votes are counted and shown but do not enter the fit:
they say nothing about which of the two is more important.

The bootstrap makes a fit slow enough to matter on every page view, so fits
are cached under the survey, the scope (all, or one area) and what the fit
depends on (the decided votes so far and the candidates scored). A new vote
changes the key; nothing needs to be invalidated.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import translation

from roundtable import disclosure
from roundtable.agencies.models import Agency, Area
from roundtable.analytics.bradley_terry import score_items
from roundtable.priorities.models import Candidate, Comparison, DotVote, PairwiseSurvey
from roundtable.priorities.selectors import candidate_title

# A fit stays in the cache this long; its key changes with every new vote anyway.
FIT_CACHE_SECONDS = 24 * 3600
# Candidates that never were (or are no longer) on the survey's ballot.
OFF_BALLOT = (Candidate.Status.PROPOSED, Candidate.Status.REJECTED)
RANKED_STATUSES = (PairwiseSurvey.Status.OPEN, PairwiseSurvey.Status.CLOSED)


@dataclass(frozen=True)
class CandidateRank:
    """A candidate's standing in the agency's latest pairwise survey (for the worksheet)."""

    score: float  # 0–100: chance ×100 of beating a randomly chosen other candidate
    low: float
    high: float
    rank: int  # 1 = highest score; ties share a rank
    comparisons: int  # decided comparisons the candidate took part in
    survey_id: int


@dataclass(frozen=True)
class ResultRow:
    candidate: Candidate
    title: str
    score: float | None  # None while no comparison has been decided
    low: float | None
    high: float | None
    rank: int | None
    wins: int
    losses: int
    cant_decide: int

    @property
    def comparisons(self) -> int:
        return self.wins + self.losses

    # Where the bar's interval and score mark go (0–100 across the bar).
    @property
    def spread(self) -> float:
        return max(0.0, (self.high or 0.0) - (self.low or 0.0))

    @property
    def mark_x(self) -> float:
        return min(99.0, max(0.0, (self.score or 0.0) - 0.5))


@dataclass(frozen=True)
class AreaResult:
    area: Area
    decided: int
    rows: list[ResultRow] | None  # None: fewer decided votes than the minimum


@dataclass(frozen=True)
class SurveyResults:
    survey: PairwiseSurvey
    rows: list[ResultRow]  # highest score first
    decided: int
    cant_decide: int
    areas: list[AreaResult]
    min_area_votes: int

    @property
    def votes(self) -> int:
        return self.decided + self.cant_decide


@dataclass(frozen=True)
class _Vote:
    left: int
    right: int
    outcome: str
    area: int | None

    @property
    def winner_loser(self) -> tuple[int, int] | None:
        if self.outcome == Comparison.Outcome.LEFT:
            return self.left, self.right
        if self.outcome == Comparison.Outcome.RIGHT:
            return self.right, self.left
        return None


def min_area_votes() -> int:
    """Decided votes an area needs before it gets results of its own
    (ROUNDTABLE_RANKING_MIN_AREA_VOTES; never below the small-cell threshold of
    `roundtable.disclosure`)."""
    return max(settings.ROUNDTABLE_RANKING_MIN_AREA_VOTES, disclosure.minimum_count())


def survey_question(survey: PairwiseSurvey, language: str | None = None) -> str:
    """The question in `language` (the active one by default), else as written."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    translated = survey.question_translations.get(language.split("-")[0], "")
    return str(translated).strip() or survey.question


def ranked_candidates(survey: PairwiseSurvey) -> list[Candidate]:
    """The candidates the results cover: those on the ballot, and any compared before
    leaving it."""
    compared = Comparison.objects.filter(survey=survey)
    return list(
        Candidate.objects.filter(
            (Q(pairwise_surveys=survey) & ~Q(status__in=OFF_BALLOT))
            | Q(pk__in=compared.values("left_id"))
            | Q(pk__in=compared.values("right_id"))
        )
        .distinct()
        .order_by("title", "pk")
    )


def ballot_ids(survey: PairwiseSurvey) -> list[int]:
    """The candidates a participant may be shown: on the survey and on the shortlist."""
    return list(
        survey.candidates.filter(status=Candidate.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def pair_counts(survey: PairwiseSurvey) -> dict[tuple[int, int], int]:
    """How often each pair (smaller pk first) has been shown and voted on, any outcome."""
    # Counted in the database: the vote page asks on every pair it shows, and a
    # survey's votes grow without bound while its ordered pairs do not.
    counts: Counter[tuple[int, int]] = Counter()
    rows = (
        Comparison.objects.filter(survey=survey)
        .values_list("left_id", "right_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for left, right, n in rows:
        counts[(min(left, right), max(left, right))] += n
    return dict(counts)


def _votes(survey: PairwiseSurvey) -> list[_Vote]:
    rows = Comparison.objects.filter(survey=survey).values_list(
        "left_id", "right_id", "outcome", "area_id"
    )
    return [_Vote(left, right, outcome, area) for left, right, outcome, area in rows]


def _fit(
    survey: PairwiseSurvey, scope: str, ids: Sequence[int], decided: Sequence[tuple[int, int]]
) -> dict[int, tuple[float, float, float]]:
    """Score, low and high by candidate pk, from the decided (winner, loser) pairs."""
    if len(ids) < 2 or not decided:
        return {}
    index = {pk: i for i, pk in enumerate(ids)}
    pairs = [(index[w], index[lo]) for w, lo in decided if w in index and lo in index]
    digest = hashlib.sha256(
        (",".join(map(str, ids)) + "|" + ",".join(f"{w}>{lo}" for w, lo in pairs)).encode()
    ).hexdigest()[:24]
    key = f"priorities:bt:{survey.pk}:{scope}:{len(pairs)}:{digest}"
    cached: dict[int, tuple[float, float, float]] | None = cache.get(key)
    if cached is not None:
        return cached
    scores = score_items(len(ids), [w for w, _ in pairs], [lo for _, lo in pairs])
    fitted = {ids[s.item]: (float(s.score), float(s.low), float(s.high)) for s in scores}
    cache.set(key, fitted, timeout=FIT_CACHE_SECONDS)
    return fitted


def _ranks(scores: dict[int, tuple[float, float, float]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank."""
    ordered = sorted(scores, key=lambda pk: -scores[pk][0])
    ranks: dict[int, int] = {}
    for position, pk in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        if previous is not None and scores[previous][0] == scores[pk][0]:
            ranks[pk] = ranks[previous]
        else:
            ranks[pk] = position
    return ranks


def _rows(
    survey: PairwiseSurvey, scope: str, candidates: list[Candidate], votes: Iterable[_Vote]
) -> tuple[list[ResultRow], int, int]:
    """Result rows (best first), decided votes, can't-decide votes."""
    wins: Counter[int] = Counter()
    losses: Counter[int] = Counter()
    unsure: Counter[int] = Counter()
    decided: list[tuple[int, int]] = []
    for vote in votes:
        pair = vote.winner_loser
        if pair is None:
            unsure[vote.left] += 1
            unsure[vote.right] += 1
            continue
        decided.append(pair)
        wins[pair[0]] += 1
        losses[pair[1]] += 1
    ids = [c.pk for c in candidates]
    scores = _fit(survey, scope, ids, decided)
    ranks = _ranks(scores)
    rows = [
        ResultRow(
            candidate=c,
            title=candidate_title(c),
            score=scores[c.pk][0] if c.pk in scores else None,
            low=scores[c.pk][1] if c.pk in scores else None,
            high=scores[c.pk][2] if c.pk in scores else None,
            rank=ranks.get(c.pk),
            wins=wins[c.pk],
            losses=losses[c.pk],
            cant_decide=unsure[c.pk],
        )
        for c in candidates
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.title.casefold()))
    cant_decide = sum(unsure.values()) // 2
    return rows, len(decided), cant_decide


def survey_results(*, survey: PairwiseSurvey, by_area: bool = True) -> SurveyResults:
    """Every candidate's score, interval and tallies, and the same per area for the
    areas with at least `min_area_votes()` decided votes."""
    candidates = ranked_candidates(survey)
    votes = _votes(survey)
    rows, decided, cant_decide = _rows(survey, "all", candidates, votes)
    minimum = min_area_votes()
    areas: list[AreaResult] = []
    if by_area and any(v.area is not None for v in votes):
        by_pk = {a.pk: a for a in Area.objects.filter(agency_id=survey.agency_id)}
        grouped: dict[int, list[_Vote]] = {}
        for vote in votes:
            if vote.area in by_pk:
                grouped.setdefault(vote.area, []).append(vote)
        for area_pk, area_votes in grouped.items():
            area_decided = sum(1 for v in area_votes if v.winner_loser is not None)
            area_rows = None
            if area_decided >= minimum:
                area_rows, _d, _c = _rows(survey, f"area-{area_pk}", candidates, area_votes)
            areas.append(AreaResult(by_pk[area_pk], area_decided, area_rows))
        areas.sort(key=lambda a: a.area.name.casefold())
    return SurveyResults(survey, rows, decided, cant_decide, areas, minimum)


def latest_survey(*, agency: Agency) -> PairwiseSurvey | None:
    """The agency's most recently opened survey that is open or closed (not a draft)."""
    return (
        PairwiseSurvey.objects.filter(agency=agency, status__in=RANKED_STATUSES)
        .order_by("-opened_at", "-pk")
        .first()
    )


def community_ranks(*, agency: Agency) -> dict[int, CandidateRank]:
    """Each candidate's rank in the agency's latest open or closed survey, by candidate
    pk; {} when there is no such survey or no vote in it has been decided yet."""
    survey = latest_survey(agency=agency)
    if survey is None:
        return {}
    rows, decided, _cant = _rows(survey, "all", ranked_candidates(survey), _votes(survey))
    if not decided:
        return {}
    return {
        row.candidate.pk: CandidateRank(
            score=row.score,
            low=row.low if row.low is not None else row.score,
            high=row.high if row.high is not None else row.score,
            rank=row.rank or 0,
            comparisons=row.comparisons,
            survey_id=survey.pk,
        )
        for row in rows
        if row.score is not None
    }


def dot_totals(*, agency: Agency) -> dict[int, int]:
    """Candidate pk → all dots placed on it at the agency's in-person meetings."""
    rows = (
        DotVote.objects.filter(candidate__agency=agency)
        .values("candidate_id")
        .annotate(total=Sum("dots"))
        .values_list("candidate_id", "total")
    )
    return {pk: int(total or 0) for pk, total in rows}


def surveys_for_staff(*, agency: Agency) -> QuerySet[PairwiseSurvey]:
    """The agency's surveys, newest first, with their counts (a fixed number of queries)."""

    def counted(qs: QuerySet[Comparison]) -> Coalesce:
        sub = qs.filter(survey=OuterRef("pk")).order_by().values("survey")
        return Coalesce(Subquery(sub.annotate(n=Count("pk")).values("n")[:1]), 0)

    decided = Comparison.objects.exclude(outcome=Comparison.Outcome.CANT_DECIDE)
    unsure = Comparison.objects.filter(outcome=Comparison.Outcome.CANT_DECIDE)
    return (
        PairwiseSurvey.objects.filter(agency=agency)
        .annotate(
            decided_count=counted(decided),
            cant_decide_count=counted(unsure),
            ballot_count=Count(
                "candidates", filter=Q(candidates__status=Candidate.Status.ACTIVE), distinct=True
            ),
            pending_count=Count(
                "candidates",
                filter=Q(candidates__status=Candidate.Status.PROPOSED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def staff_survey(*, agency: Agency, pk: int) -> PairwiseSurvey:
    """One of the agency's surveys. Raises PairwiseSurvey.DoesNotExist."""
    return PairwiseSurvey.objects.select_related("agency").get(agency=agency, pk=pk)


def public_survey(*, agency: Agency, pk: int) -> PairwiseSurvey:
    """An open or closed survey of the agency; a draft does not exist for the public.
    Raises PairwiseSurvey.DoesNotExist."""
    return PairwiseSurvey.objects.select_related("agency").get(
        agency=agency, pk=pk, status__in=RANKED_STATUSES
    )


def public_surveys(*, agency: Agency) -> QuerySet[PairwiseSurvey]:
    """Open surveys first, then closed ones, most recently opened first."""
    return PairwiseSurvey.objects.filter(agency=agency, status__in=RANKED_STATUSES).order_by(
        "-status", "-opened_at", "-pk"
    )


def ballot(*, survey: PairwiseSurvey, ids: Iterable[int]) -> dict[int, Candidate]:
    return {c.pk: c for c in survey.candidates.filter(pk__in=list(ids))}


def suggestions(*, agency: Agency, status: Candidate.Status | str) -> QuerySet[Candidate]:
    """Participants' suggestions in `status`, with the surveys they came from; pending
    ones oldest first (a queue), moderated ones latest first."""
    order = (
        ["created_at", "pk"] if status == Candidate.Status.PROPOSED else ["-moderated_at", "-pk"]
    )
    return (
        Candidate.objects.filter(agency=agency, source=Candidate.Source.PUBLIC, status=status)
        .select_related("moderated_by")
        .prefetch_related("pairwise_surveys")
        .order_by(*order)
    )


def dot_candidates(*, agency: Agency) -> list[Candidate]:
    """The shortlist, on which dots are placed."""
    return list(
        Candidate.objects.filter(agency=agency, status=Candidate.Status.ACTIVE).order_by(
            "title", "pk"
        )
    )


def dot_entries(*, agency: Agency) -> QuerySet[DotVote]:
    """Dots as entered, latest first."""
    return DotVote.objects.filter(candidate__agency=agency).select_related(
        "candidate", "event", "entered_by"
    )
