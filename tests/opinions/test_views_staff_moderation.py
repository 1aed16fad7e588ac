"""Moderation, seed statements, the statement record and taking common ground
to the shortlist. (Who may not use these pages: test_views_staff.py.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.opinions import services
from roundtable.opinions.models import Conversation, Statement
from roundtable.priorities.models import Candidate

pytestmark = pytest.mark.django_db


def moderate_url(conversation: Conversation, number: int) -> str:
    return reverse(
        "opinions:statement_moderate", args=[conversation.agency.slug, conversation.pk, number]
    )


@pytest.fixture
def submitted(park, planted) -> Statement:
    """A participant's statement awaiting a moderator (the park is strict)."""
    return services.statement_submit(
        participant=planted.youth[0], text="A cafe in the park would bring people in."
    )


def test_the_queue_lists_statements_awaiting_moderation_first(park, submitted, casey, client_for):
    page = client_for(casey).get(reverse("opinions:moderate", args=[park.agency.slug, park.pk]))
    assert page.status_code == 200
    assert [s.number for s in page.context["queue"]] == [submitted.number]
    assert [s.number for s in page.context["moderated"]] == list(range(7))
    body = page.content.decode()
    assert body.index("A cafe in the park") < body.index("More officers on foot")
    assert f'hx-post="{moderate_url(park, submitted.number)}"' in body


def test_accepting_without_javascript_redirects_back_to_the_queue(
    park, submitted, casey, client_for
):
    response = client_for(casey).post(
        moderate_url(park, submitted.number), {"moderation": "accepted"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("opinions:moderate", args=[park.agency.slug, park.pk])
    submitted.refresh_from_db()
    assert submitted.moderation == Statement.Moderation.ACCEPTED
    assert submitted.moderated_by == casey and submitted.moderated_at is not None
    assert AuditEntry.objects.filter(action="opinions.statement.moderate").count() == 1


def test_with_htmx_the_answer_is_the_statements_new_row(park, submitted, casey, client_for):
    response = client_for(casey).post(
        moderate_url(park, submitted.number), {"moderation": "rejected"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="statement-{submitted.number}">')
    assert "Moderated out" in body and "<html" not in body
    submitted.refresh_from_db()
    assert submitted.moderation == Statement.Moderation.REJECTED


def test_moderated_out_statements_stay_listed_and_can_be_let_back_in(
    park, submitted, casey, client_for
):
    client = client_for(casey)
    client.post(moderate_url(park, submitted.number), {"moderation": "rejected"})
    queue = client.get(reverse("opinions:moderate", args=[park.agency.slug, park.pk]))
    assert submitted.number in [s.number for s in queue.context["moderated"]]
    record = client.get(reverse("opinions:statements", args=[park.agency.slug, park.pk]))
    assert "A cafe in the park" in record.content.decode()
    client.post(moderate_url(park, submitted.number), {"moderation": "accepted"})
    submitted.refresh_from_db()
    assert submitted.moderation == Statement.Moderation.ACCEPTED


def test_marking_meta_keeps_the_moderation(park, casey, client_for):
    client = client_for(casey)
    client.post(moderate_url(park, 6), {"is_meta": "1"})
    statement = park.statements.get(number=6)
    assert statement.is_meta and statement.moderation == Statement.Moderation.ACCEPTED
    client.post(moderate_url(park, 6), {"is_meta": "0"})
    statement.refresh_from_db()
    assert not statement.is_meta


def test_a_moderation_without_a_choice_is_refused(park, casey, client_for):
    client = client_for(casey)
    response = client.post(moderate_url(park, 3), {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Choose accept, reject or meta." in response.content.decode()
    followed = client.post(moderate_url(park, 3), {"moderation": "maybe"}, follow=True)
    assert followed.status_code == 200 and "message error" in followed.content.decode()
    assert not AuditEntry.objects.filter(action="opinions.statement.moderate").exists()


def test_an_unknown_statement_number_is_404(park, casey, client_for):
    assert (
        client_for(casey).post(moderate_url(park, 99), {"moderation": "accepted"}).status_code
        == 404
    )


def test_a_seed_statement_is_added_accepted(park, casey, client_for):
    url = reverse("opinions:statement_add", args=[park.agency.slug, park.pk])
    response = client_for(casey).post(
        url, {"text": "  Benches   near the playground. ", "language": "en"}
    )
    assert response.status_code == 302
    added = park.statements.get(number=7)
    assert added.text == "Benches near the playground."
    assert added.is_seed and added.moderation == Statement.Moderation.ACCEPTED
    again = client_for(casey).post(url, {"text": "Benches near the playground.", "language": "en"})
    assert again.status_code == 400 and again.context["form"].errors
    assert park.statements.count() == 8


def test_the_record_shows_every_statement_with_its_votes(park, planted, ana, client_for):
    page = client_for(ana).get(reverse("opinions:statements", args=[park.agency.slug, park.pk]))
    rows = {s.number: s for s in page.context["statements"]}
    assert len(rows) == 7
    # Statement 4 (lighting): both camps agree; 6 (close at dusk): both disagree.
    assert (rows[4].agree_count, rows[4].disagree_count) == (20, 0)
    assert (rows[6].agree_count, rows[6].disagree_count) == (0, 20)
    assert page.context["can_shortlist"] and not page.context["can_manage"]


def test_common_ground_goes_to_the_shortlist(park, planted, ana, client_for):
    url = reverse("opinions:statement_shortlist", args=[park.agency.slug, park.pk, 4])
    response = client_for(ana).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("priorities:worksheet", args=[park.agency.slug])
    candidate = Candidate.objects.get()
    assert candidate.title == "The paths need better lighting."
    assert candidate.source == Candidate.Source.CONVERSATION
    assert park.statements.get(number=4).candidate == candidate

    # Twice is refused with a message, and `next` brings them back.
    back = reverse("opinions:statements", args=[park.agency.slug, park.pk])
    again = client_for(ana).post(url, {"next": back}, follow=True)
    assert again.redirect_chain[-1][0] == back
    assert "already a candidate priority" in again.content.decode()
    assert Candidate.objects.count() == 1


def test_shortlisting_never_redirects_to_another_site(park, ana, client_for):
    url = reverse("opinions:statement_shortlist", args=[park.agency.slug, park.pk, 5])
    response = client_for(ana).post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("priorities:worksheet", args=[park.agency.slug])
