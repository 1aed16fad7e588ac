"""The advisory group's decision: drafting, votes, publishing and telling
the people who spoke."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import Notification, PublicUpdate
from roundtable.inputs.services import input_link
from roundtable.priorities.models import AdvisoryVote, Candidate, Decision
from roundtable.priorities.selectors_decisions import vote_tally
from roundtable.priorities.services_decisions import (
    advisory_vote_record,
    advisory_vote_remove,
    decision_create,
    decision_publish,
    decision_update,
)
from tests.factories import CandidateFactory, DecisionFactory, EventFactory, InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lights(agency):
    return CandidateFactory.create(agency=agency, title="Street lighting")


@pytest.fixture
def draft(agency, casey, candidate, lights):
    candidate.title_translations = {"es": "Calles más seguras cerca de las escuelas"}
    candidate.save()
    return decision_create(
        actor=casey,
        agency=agency,
        title="Priorities for 2026",
        decided_by="Riverside Community Advisory Board",
        decided_on=dt.date(2026, 3, 4),
        rationale="Ranked first by residents; partners ready to help.",
        dissent="Two members wanted break-ins first.",
        chosen=[candidate],
    )


def test_a_draft_is_created_and_audited(draft, casey, candidate):
    assert draft.status == Decision.Status.DRAFT
    assert list(draft.chosen.all()) == [candidate]
    entry = AuditEntry.objects.get(action="priorities.decision.create")
    assert entry.actor == casey
    assert entry.after is not None and entry.after["chosen"] == [candidate.title]


def test_a_draft_needs_a_title_a_group_and_a_rationale(agency, casey):
    with pytest.raises(ValidationError) as caught:
        decision_create(
            actor=casey,
            agency=agency,
            title=" ",
            decided_by="",
            decided_on=dt.date(2026, 3, 4),
            rationale="  ",
        )
    assert set(caught.value.message_dict) == {"title", "decided_by", "rationale"}


def test_only_the_agencys_shortlisted_candidates_and_meetings_may_be_chosen(
    agency, other_agency, casey
):
    base = {
        "actor": casey,
        "agency": agency,
        "title": "Priorities",
        "decided_by": "Board",
        "decided_on": dt.date(2026, 3, 4),
        "rationale": "Because.",
    }
    for chosen, event, field in (
        ([CandidateFactory.create(agency=other_agency)], None, "chosen"),
        (
            [CandidateFactory.create(agency=agency, status=Candidate.Status.REJECTED)],
            None,
            "chosen",
        ),
        ([], EventFactory.create(agency=other_agency), "event"),
    ):
        with pytest.raises(ValidationError) as caught:
            decision_create(**base, chosen=chosen, event=event)
        assert field in caught.value.message_dict


def test_votes_are_recorded_corrected_and_tallied(draft, casey, tenants, library):
    advisory_vote_record(actor=casey, decision=draft, member_name="Ana Ruiz", vote="for")
    advisory_vote_record(
        actor=casey, decision=draft, member_name="Tom Lee", vote="against", organisation=tenants
    )
    advisory_vote_record(
        actor=casey, decision=draft, member_name="tom  lee", vote="abstain", organisation=tenants
    )
    advisory_vote_record(
        actor=casey, decision=draft, member_name="Joy Park", vote="for", organisation=library
    )
    assert AdvisoryVote.objects.filter(decision=draft).count() == 3
    tally = vote_tally(draft.votes.select_related("organisation"))
    assert (tally.count("for"), tally.count("against"), tally.count("abstain")) == (2, 0, 1)
    assert tally.lines[0].organisations == ["Eastbank Library Friends"]
    assert tally.total == 3
    assert AuditEntry.objects.filter(action="priorities.decision.vote").count() == 4
    advisory_vote_remove(actor=casey, vote=AdvisoryVote.objects.get(member_name="Ana Ruiz"))
    assert AuditEntry.objects.filter(action="priorities.decision.vote_remove").count() == 1


def test_a_vote_needs_a_member_and_a_known_vote(draft, casey):
    with pytest.raises(ValidationError):
        advisory_vote_record(actor=casey, decision=draft, member_name=" ", vote="for")
    with pytest.raises(ValidationError):
        advisory_vote_record(actor=casey, decision=draft, member_name="Ana", vote="maybe")


def test_publishing_marks_chosen_and_not_chosen_and_is_final(
    agency, draft, casey, candidate, lights
):
    proposed = CandidateFactory.create(agency=agency, status=Candidate.Status.PROPOSED)
    rejected = CandidateFactory.create(agency=agency, status=Candidate.Status.REJECTED)
    decision_publish(actor=casey, decision=draft)
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHED
    assert draft.published_at is not None and draft.published_by == casey
    statuses = dict(Candidate.objects.values_list("pk", "status"))
    assert statuses[candidate.pk] == Candidate.Status.CHOSEN
    assert statuses[lights.pk] == Candidate.Status.NOT_CHOSEN
    # Suggestions awaiting moderation and rejected candidates were never on the shortlist.
    assert statuses[proposed.pk] == Candidate.Status.PROPOSED
    assert statuses[rejected.pk] == Candidate.Status.REJECTED
    assert AuditEntry.objects.filter(action="priorities.decision.publish").count() == 1
    assert AuditEntry.objects.filter(action="priorities.candidate.status").count() == 2
    with pytest.raises(ValidationError):
        decision_publish(actor=casey, decision=draft)
    with pytest.raises(ValidationError):
        advisory_vote_record(actor=casey, decision=draft, member_name="Late", vote="for")
    with pytest.raises(ValidationError):
        decision_update(
            actor=casey,
            decision=draft,
            title="Changed",
            decided_by="Board",
            decided_on=dt.date(2026, 3, 4),
            rationale="Changed.",
            dissent="",
            event=None,
            chosen=[candidate],
        )


def test_a_decision_choosing_nothing_cannot_be_published(agency, casey):
    empty = DecisionFactory.create(agency=agency)
    with pytest.raises(ValidationError):
        decision_publish(actor=casey, decision=empty)
    empty.refresh_from_db()
    assert empty.status == Decision.Status.DRAFT


def test_a_candidate_rejected_since_the_draft_blocks_publishing(draft, casey, candidate):
    Candidate.objects.filter(pk=candidate.pk).update(status=Candidate.Status.REJECTED)
    with pytest.raises(ValidationError):
        decision_publish(actor=casey, decision=draft)
    assert Decision.objects.get().status == Decision.Status.DRAFT


def test_publishing_tells_every_linked_contributor_in_their_language(
    agency,
    draft,
    casey,
    candidate,
    lights,
    marisol_input,
    anonymous_input,
    django_capture_on_commit_callbacks,
):
    input_link(actor=casey, input=marisol_input, item=candidate)
    input_link(actor=casey, input=anonymous_input, item=candidate)
    lights_fan = InputFactory.create(
        agency=agency,
        text="Fix the lights please.",
        is_anonymous=False,
        contact_email="lights@example.org",
        reply_channel="email",
    )
    input_link(actor=casey, input=lights_fan, item=lights)
    with django_capture_on_commit_callbacks(execute=True):
        decision_publish(actor=casey, decision=draft)
    public_page = reverse("priorities_public:decision", args=[agency.slug, draft.pk])

    chosen_news = PublicUpdate.objects.get(input=marisol_input).text
    assert "Calles más seguras cerca de las escuelas" in chosen_news
    assert "Riverside Community Advisory Board" in chosen_news
    assert public_page in chosen_news
    # The anonymous contributor reads it under their receipt code; no message is sent.
    assert "Safer streets around schools" in PublicUpdate.objects.get(input=anonymous_input).text
    assert not Notification.objects.filter(input=anonymous_input).exists()

    not_chosen_news = PublicUpdate.objects.get(input=lights_fan).text
    assert "Street lighting" in not_chosen_news and "not chosen" in not_chosen_news

    notice = Notification.objects.get(input=marisol_input)
    assert notice.language == "es"
    assert "Calles más seguras" in notice.body
    assert sorted(m.to[0] for m in mail.outbox) == ["lights@example.org", "marisol@example.org"]
