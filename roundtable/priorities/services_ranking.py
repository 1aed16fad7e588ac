"""Writes of the community ranking: pairwise surveys, public votes and
suggestions, their moderation, and dots from in-person meetings.

Staff writes are audited. A public vote or suggestion has no actor and is not
audited; it stores nothing about who made it — no account, no address, no user
agent — only what the participant chose to give (an area, the language).

A participant's suggestion joins the survey it was made in straight away, as a
PROPOSED candidate: the ballot only ever shows ACTIVE ones (`selectors_ranking.
ballot_ids`), so it waits there unseen until a moderator approves it (ACTIVE:
on the ballot and the shortlist) or rejects it (REJECTED, with a note). A
rejected suggestion keeps its link and its text: the record shows what was
moderated out and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.engagement.models import Event
from roundtable.priorities import pairs
from roundtable.priorities.models import Candidate, Comparison, DotVote, PairwiseSurvey

SURVEY_FIELDS = [
    "question",
    "question_translations",
    "candidates",
    "status",
    "accepts_suggestions",
    "asks_area",
    "opened_at",
    "closed_at",
]
MODERATION_FIELDS = ["title", "status", "moderation_note"]
SUGGESTION_MAX = 200
MIN_BALLOT = 2

# Codes on the ValidationError of a refused vote, so the page can say why.
VOTE_CLOSED = "closed"
VOTE_FORGED = "forged"
VOTE_USED = "used"


def _clean_translations(translations: Mapping[str, str]) -> dict[str, str]:
    return {code: " ".join(text.split()) for code, text in translations.items() if text.strip()}


def _check_ballot(agency: Agency, candidates: Iterable[Candidate]) -> list[Candidate]:
    chosen = list(candidates)
    if any(c.agency_id != agency.pk for c in chosen):
        raise ValidationError({"candidates": _("Candidates must be this agency's.")})
    if any(c.status != Candidate.Status.ACTIVE for c in chosen):
        raise ValidationError({"candidates": _("Only candidates on the shortlist can be ranked.")})
    return chosen


@transaction.atomic
def survey_create(
    *,
    actor: User,
    agency: Agency,
    question: str,
    question_translations: Mapping[str, str],
    candidates: Iterable[Candidate],
    accepts_suggestions: bool = True,
    asks_area: bool = True,
) -> PairwiseSurvey:
    """A draft survey; it takes votes once opened."""
    ballot = _check_ballot(agency, candidates)
    survey = PairwiseSurvey(
        agency=agency,
        question=" ".join(question.split()),
        question_translations=_clean_translations(question_translations),
        accepts_suggestions=accepts_suggestions,
        asks_area=asks_area,
        created_by=actor,
    )
    survey.full_clean(exclude=["created_by", "candidates"])
    survey.save()
    survey.candidates.set(ballot)
    audit_record(
        actor=actor,
        agency=agency,
        action="priorities.survey.create",
        instance=survey,
        after=snapshot(survey, SURVEY_FIELDS),
    )
    return survey


@transaction.atomic
def survey_update(
    *,
    actor: User,
    survey: PairwiseSurvey,
    question: str,
    question_translations: Mapping[str, str],
    candidates: Iterable[Candidate],
    accepts_suggestions: bool,
    asks_area: bool,
) -> PairwiseSurvey:
    """Change a draft or open survey. `candidates` is the ballot from the shortlist;
    suggestions on the survey (pending or rejected) and candidates that have left
    the shortlist since keep their place in the record."""
    if survey.status == PairwiseSurvey.Status.CLOSED:
        raise ValidationError(_("A closed survey can no longer be changed."))
    ballot = _check_ballot(survey.agency, candidates)
    before = snapshot(survey, SURVEY_FIELDS)
    survey.question = " ".join(question.split())
    survey.question_translations = _clean_translations(question_translations)
    survey.accepts_suggestions = accepts_suggestions
    survey.asks_area = asks_area
    survey.full_clean(exclude=["created_by", "candidates"])
    survey.save()
    kept = list(survey.candidates.exclude(status=Candidate.Status.ACTIVE))
    survey.candidates.set([*ballot, *kept])
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="priorities.survey.update",
        instance=survey,
        before=before,
        after=snapshot(survey, SURVEY_FIELDS),
    )
    return survey


@transaction.atomic
def survey_open(*, actor: User, survey: PairwiseSurvey) -> PairwiseSurvey:
    """Open a draft (or reopen a closed) survey to the public."""
    if survey.status == PairwiseSurvey.Status.OPEN:
        raise ValidationError(_("The survey is already open."))
    if survey.candidates.filter(status=Candidate.Status.ACTIVE).count() < MIN_BALLOT:
        raise ValidationError(_("A survey needs at least two candidates on its ballot."))
    before = snapshot(survey, SURVEY_FIELDS)
    survey.status = PairwiseSurvey.Status.OPEN
    survey.opened_at = survey.opened_at or timezone.now()
    survey.closed_at = None
    survey.save(update_fields=["status", "opened_at", "closed_at"])
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="priorities.survey.open",
        instance=survey,
        before=before,
        after=snapshot(survey, SURVEY_FIELDS),
    )
    return survey


@transaction.atomic
def survey_close(*, actor: User, survey: PairwiseSurvey) -> PairwiseSurvey:
    """Stop taking votes; the results stay public."""
    if survey.status != PairwiseSurvey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    before = snapshot(survey, SURVEY_FIELDS)
    survey.status = PairwiseSurvey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        agency=survey.agency,
        action="priorities.survey.close",
        instance=survey,
        before=before,
        after=snapshot(survey, SURVEY_FIELDS),
    )
    return survey


@transaction.atomic
def vote_cast(
    *,
    survey: PairwiseSurvey,
    token: str,
    outcome: Comparison.Outcome | str,
    area: Area | None = None,
    language: str = "en",
) -> Comparison:
    """Store one public vote on the pair its ticket names.

    The ticket is claimed before anything is stored (see `pairs`): a refused
    vote has still used its ticket, so a replay can never slip through.
    Raises ValidationError with code VOTE_CLOSED, VOTE_FORGED or VOTE_USED.
    """
    if survey.status != PairwiseSurvey.Status.OPEN:
        raise ValidationError(_("This survey is closed."), code=VOTE_CLOSED)
    ticket = pairs.read_pair_token(token, survey_id=survey.pk)
    if ticket is None:
        raise ValidationError(_("This pair is out of date or not genuine."), code=VOTE_FORGED)
    if not pairs.claim_token(token):
        raise ValidationError(_("This vote was already counted."), code=VOTE_USED)
    on_ballot = set(
        survey.candidates.filter(
            status=Candidate.Status.ACTIVE, pk__in=[ticket.left_id, ticket.right_id]
        ).values_list("pk", flat=True)
    )
    if on_ballot != {ticket.left_id, ticket.right_id}:
        raise ValidationError(_("This pair is no longer on the ballot."), code=VOTE_FORGED)
    if outcome not in Comparison.Outcome.values:
        raise ValidationError(_("Choose one of the two, or “Can't decide”."))
    if area is not None and area.agency_id != survey.agency_id:
        raise ValidationError({"area": _("Choose one of this agency's areas.")})
    return Comparison.objects.create(
        survey=survey,
        left_id=ticket.left_id,
        right_id=ticket.right_id,
        outcome=outcome,
        area=area,
        language=language,
    )


@transaction.atomic
def suggestion_submit(*, survey: PairwiseSurvey, text: str, language: str) -> Candidate:
    """A participant's own priority, waiting for moderation (not audited: no actor)."""
    if survey.status != PairwiseSurvey.Status.OPEN or not survey.accepts_suggestions:
        raise ValidationError(_("This survey is not taking suggestions."))
    title = " ".join(text.split())
    if not title:
        raise ValidationError({"text": _("Please write your suggestion.")})
    if len(title) > SUGGESTION_MAX:
        raise ValidationError({"text": _("Please keep it under 200 characters.")})
    candidate = Candidate.objects.create(
        agency=survey.agency,
        title=title,
        language=language,
        status=Candidate.Status.PROPOSED,
        source=Candidate.Source.PUBLIC,
    )
    survey.candidates.add(candidate)
    return candidate


def _check_pending(candidate: Candidate) -> None:
    if candidate.status != Candidate.Status.PROPOSED:
        raise ValidationError(_("This suggestion has already been moderated."))


@transaction.atomic
def suggestion_approve(*, actor: User, candidate: Candidate, title: str = "") -> Candidate:
    """Put a suggestion on the shortlist and on the ballot of the survey it came from.

    `title` lets the moderator tidy the wording (spelling, a name left in).
    """
    _check_pending(candidate)
    before = snapshot(candidate, MODERATION_FIELDS)
    candidate.title = " ".join(title.split()) or candidate.title
    candidate.status = Candidate.Status.ACTIVE
    candidate.moderated_by = actor
    candidate.moderated_at = timezone.now()
    candidate.save(update_fields=["title", "status", "moderated_by", "moderated_at", "updated_at"])
    audit_record(
        actor=actor,
        agency=candidate.agency,
        action="priorities.suggestion.approve",
        instance=candidate,
        before=before,
        after=snapshot(candidate, MODERATION_FIELDS),
    )
    return candidate


@transaction.atomic
def suggestion_reject(*, actor: User, candidate: Candidate, note: str) -> Candidate:
    """Keep a suggestion off the ballot, saying why; it stays in the record."""
    _check_pending(candidate)
    note = " ".join(note.split())
    if not note:
        raise ValidationError({"note": _("Say why, for the record.")})
    before = snapshot(candidate, MODERATION_FIELDS)
    candidate.status = Candidate.Status.REJECTED
    candidate.moderation_note = note[:300]
    candidate.moderated_by = actor
    candidate.moderated_at = timezone.now()
    candidate.save(
        update_fields=[
            "status",
            "moderation_note",
            "moderated_by",
            "moderated_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        agency=candidate.agency,
        action="priorities.suggestion.reject",
        instance=candidate,
        before=before,
        after=snapshot(candidate, MODERATION_FIELDS),
    )
    return candidate


@transaction.atomic
def dot_votes_record(
    *,
    actor: User,
    agency: Agency,
    dots: Mapping[Candidate, int],
    event: Event | None = None,
    note: str = "",
) -> list[DotVote]:
    """The dots counted at one meeting, one entry per candidate that got any."""
    if event is not None and event.agency_id != agency.pk:
        raise ValidationError({"event": _("The meeting must be this agency's.")})
    if any(c.agency_id != agency.pk for c in dots):
        raise ValidationError(_("Candidates must be this agency's."))
    if any(n < 0 for n in dots.values()):
        raise ValidationError(_("Dots cannot be negative."))
    placed = {c: n for c, n in dots.items() if n > 0}
    if not placed:
        raise ValidationError(_("Enter the dots of at least one candidate."))
    created = []
    for candidate, number in sorted(placed.items(), key=lambda item: item[0].pk):
        vote = DotVote.objects.create(
            candidate=candidate, event=event, dots=number, note=note.strip(), entered_by=actor
        )
        audit_record(
            actor=actor,
            agency=agency,
            action="priorities.dots.record",
            instance=vote,
            after=snapshot(vote, ["candidate", "event", "dots", "note"]),
        )
        created.append(vote)
    return created


@transaction.atomic
def dot_vote_delete(*, actor: User, vote: DotVote) -> None:
    """Take back an entry made in error; the audit log keeps what it said."""
    agency = vote.candidate.agency
    before = snapshot(vote, ["candidate", "event", "dots", "note"])
    audit_record(
        actor=actor, agency=agency, action="priorities.dots.delete", instance=vote, before=before
    )
    vote.delete()
