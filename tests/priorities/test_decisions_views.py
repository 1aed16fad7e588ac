"""Staff decision pages, with who may and may not use each."""

import pytest
from django.urls import reverse

from roundtable.inputs.models import PublicUpdate
from roundtable.inputs.services import input_link
from roundtable.priorities.models import AdvisoryVote, Candidate, Decision
from tests.factories import CandidateFactory, DecisionFactory, EventFactory, InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(agency, candidate):
    decision = DecisionFactory.create(agency=agency, title="Priorities for 2026")
    decision.chosen.set([candidate])
    return decision


def _url(name, agency, *args):
    return reverse(name, args=[agency.slug, *args])


def test_staff_who_read_priorities_see_decisions(agency, draft, casey, ana, cleo, adam, client_for):
    for person in (casey, ana, cleo, adam):
        client = client_for(person)
        assert client.get(_url("priorities:decisions", agency)).status_code == 200
        assert client.get(_url("priorities:decision", agency, draft.pk)).status_code == 200


def test_residents_partners_other_agencies_and_strangers_are_refused(
    agency, draft, rosa, pat, uma, client, client_for
):
    for url in (
        _url("priorities:decisions", agency),
        _url("priorities:decision", agency, draft.pk),
        _url("priorities:decision_create", agency),
    ):
        for person in (rosa, pat, uma):
            assert client_for(person).get(url).status_code == 403
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))


def test_a_decision_of_another_agency_is_not_found(agency, other_agency, casey, client_for):
    foreign = DecisionFactory.create(agency=other_agency)
    assert client_for(casey).get(_url("priorities:decision", agency, foreign.pk)).status_code == 404


def test_analysts_and_command_read_but_may_not_write_decisions(
    agency, draft, ana, cleo, candidate, client_for
):
    for person in (ana, cleo):
        client = client_for(person)
        body = client.get(_url("priorities:decision", agency, draft.pk)).content.decode()
        assert "Record a vote" not in body and "Publish" not in body
        assert client.get(_url("priorities:decision_create", agency)).status_code == 403
        vote = {"member_name": "Ana Ruiz", "vote": "for"}
        assert client.post(_url("priorities:vote_add", agency, draft.pk), vote).status_code == 403
        assert client.post(_url("priorities:decision_publish", agency, draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT and not AdvisoryVote.objects.exists()


def test_the_coordinator_drafts_records_votes_and_publishes(
    agency, casey, candidate, tenants, marisol_input, client_for
):
    lights = CandidateFactory.create(agency=agency, title="Street lighting")
    meeting = EventFactory.create(agency=agency, title="Advisory board, March")
    input_link(actor=casey, input=marisol_input, item=candidate)
    client = client_for(casey)
    response = client.post(
        _url("priorities:decision_create", agency),
        {
            "title": "Priorities for 2026",
            "decided_by": "Riverside Community Advisory Board",
            "decided_on": "2026-03-04",
            "event": meeting.pk,
            "chosen": [candidate.pk],
            "rationale": "Residents ranked it first.",
            "dissent": "",
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == _url("priorities:decision", agency, decision.pk)
    client.post(
        _url("priorities:vote_add", agency, decision.pk),
        {"member_name": "Tom Lee", "organisation": tenants.pk, "vote": "against"},
    )
    client.post(
        _url("priorities:vote_add", agency, decision.pk), {"member_name": "Ana Ruiz", "vote": "for"}
    )
    body = client.get(_url("priorities:decision", agency, decision.pk)).content.decode()
    assert "Tom Lee" in body and "Riverside Tenants Union" in body

    confirm = client.get(_url("priorities:decision_publish", agency, decision.pk)).content.decode()
    assert "Street lighting" in confirm  # will be marked not chosen
    assert "1 linked input" in confirm
    response = client.post(_url("priorities:decision_publish", agency, decision.pk))
    assert response.status_code == 302
    decision.refresh_from_db()
    lights.refresh_from_db()
    assert decision.status == Decision.Status.PUBLISHED
    assert lights.status == Candidate.Status.NOT_CHOSEN
    assert PublicUpdate.objects.filter(input=marisol_input).count() == 1

    # Final: no editing, no votes, the page offers neither.
    edit = client.get(_url("priorities:decision_edit", agency, decision.pk))
    assert edit.status_code == 302
    response = client.post(
        _url("priorities:vote_add", agency, decision.pk), {"member_name": "Late", "vote": "for"}
    )
    assert response.status_code == 400
    assert not AdvisoryVote.objects.filter(member_name="Late").exists()
    body = client.get(_url("priorities:decision", agency, decision.pk)).content.decode()
    assert "Record a vote" not in body


def test_publishing_without_a_choice_explains_why(agency, casey, client_for):
    empty = DecisionFactory.create(agency=agency)
    response = client_for(casey).post(_url("priorities:decision_publish", agency, empty.pk))
    assert response.status_code == 400
    assert "Choose at least one priority before publishing." in response.content.decode()


def test_a_vote_without_a_member_is_refused_on_the_page(agency, draft, casey, client_for):
    response = client_for(casey).post(
        _url("priorities:vote_add", agency, draft.pk), {"member_name": "", "vote": "for"}
    )
    assert response.status_code == 400
    assert not AdvisoryVote.objects.exists()


def test_the_decision_list_takes_a_bounded_number_of_queries(
    agency, casey, client_for, django_assert_max_num_queries
):
    for n in range(10):
        decision = DecisionFactory.create(agency=agency, title=f"Decision {n}")
        decision.chosen.set([CandidateFactory.create(agency=agency) for _ in range(2)])
        AdvisoryVote.objects.create(decision=decision, member_name="Ana", vote="for")
    client = client_for(casey)
    with django_assert_max_num_queries(8):
        response = client.get(_url("priorities:decisions", agency))
    assert response.status_code == 200


def test_the_publish_page_counts_who_will_be_told_in_bounded_queries(
    agency, casey, client_for, django_assert_max_num_queries
):
    chosen = CandidateFactory.create(agency=agency)
    decision = DecisionFactory.create(agency=agency)
    decision.chosen.set([chosen])
    shared = InputFactory.create(agency=agency)
    for candidate in [chosen, *CandidateFactory.create_batch(12, agency=agency)]:
        input_link(actor=casey, input=shared, item=candidate)
        input_link(actor=casey, input=InputFactory.create(agency=agency), item=candidate)
    client = client_for(casey)
    with django_assert_max_num_queries(10):
        response = client.get(_url("priorities:decision_publish", agency, decision.pk))
    assert response.status_code == 200
    # 13 inputs of their own and one shared: each person is counted once.
    assert "The people behind 14 linked inputs will be told" in response.content.decode()
