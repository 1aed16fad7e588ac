"""Staff pages of conversations: who may use each, the list, opening, editing,
the map page and its htmx fragment, open/close, recompute, participant links
and the export.

Casey (coordinator) opened the park conversation; Pat (partner) opens one of
their own and must never see Casey's.
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.opinions import services
from roundtable.opinions.models import Analysis, Conversation, Statement
from roundtable.opinions.services import conversation_create
from tests.factories import ConversationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# Every staff page: (URL name, method, takes a statement number, who runs it).
# "viewers": staff and the partner who opened it; "managers": coordinators,
# administrators and that partner; "importers": coordinators and administrators;
# "worksheet": administrators, coordinators and analysts.
PAGES = [
    ("detail", "get", False, "viewers"),
    ("map_fragment", "get", False, "viewers"),
    ("statements", "get", False, "viewers"),
    ("export", "get", False, "viewers"),
    ("edit", "get", False, "managers"),
    ("status", "post", False, "managers"),
    ("recompute", "post", False, "managers"),
    ("participant_link", "get", False, "managers"),
    ("moderate", "get", False, "managers"),
    ("statement_add", "get", False, "managers"),
    ("statement_moderate", "post", True, "managers"),
    ("statement_shortlist", "post", True, "worksheet"),
]


def page_url(name: str, conversation: Conversation, with_number: bool) -> str:
    args: list[object] = [conversation.agency.slug, conversation.pk]
    if with_number:
        args.append(0)
    return reverse(f"opinions:{name}", args=args)


def call(client: Client, method: str, url: str):
    return client.get(url) if method == "get" else client.post(url, {})


@pytest.mark.parametrize(("name", "method", "with_number", "who"), PAGES)
def test_every_conversation_page_refuses_who_it_must(
    name, method, with_number, who, park, rosa, uma, pat, ana, client_for
):
    url = page_url(name, park, with_number)
    anonymous = call(Client(), method, url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(
        reverse("accounts:login")
    )
    assert call(client_for(rosa), method, url).status_code == 403
    assert call(client_for(uma), method, url).status_code == 403
    # Casey's conversation does not exist for Pat; where partners have no role
    # at all (the worksheet), the role check refuses first.
    assert call(client_for(pat), method, url).status_code == (404 if who != "worksheet" else 403)
    if who == "managers":
        assert call(client_for(ana), method, url).status_code == 403
    if method == "post":
        assert client_for(ana if who != "managers" else pat).get(url).status_code == 405


@pytest.mark.parametrize(
    ("name", "who"), [("list", "viewers"), ("create", "managers"), ("import", "importers")]
)
def test_agency_pages_refuse_who_they_must(name, who, agency, rosa, uma, pat, ana, client_for):
    url = reverse(f"opinions:{name}", args=[agency.slug])
    assert Client().get(url).status_code == 302
    assert client_for(rosa).get(url).status_code == 403
    assert client_for(uma).get(url).status_code == 403
    assert client_for(pat).get(url).status_code == (403 if who == "importers" else 200)
    assert client_for(ana).get(url).status_code == (200 if who == "viewers" else 403)


def test_the_list_shows_counts_and_what_awaits_moderation(park, planted, casey, client_for):
    services.statement_submit(
        participant=planted.youth[0], text="A cafe in the park would bring people in."
    )
    page = client_for(casey).get(reverse("opinions:list", args=[park.agency.slug]))
    assert page.status_code == 200
    row = next(c for c in page.context["page"] if c.pk == park.pk)
    # 20 planted participants; 7 seeds + 1 submitted; 140 votes + the author's own.
    assert (row.participant_count, row.statement_count, row.vote_count) == (20, 8, 141)
    assert row.pending_count == 1
    assert "Harlow Park after dark" in page.content.decode()


def test_a_partner_lists_only_the_conversations_they_opened(park, pat, client_for):
    own = conversation_create(
        actor=pat, agency=park.agency, title="Youth club survey", question="What helps?"
    )
    page = client_for(pat).get(reverse("opinions:list", args=[park.agency.slug]))
    assert [c.pk for c in page.context["page"]] == [own.pk]
    assert "Harlow Park after dark" not in page.content.decode()
    assert (
        client_for(pat).get(reverse("opinions:detail", args=[park.agency.slug, own.pk])).status_code
        == 200
    )


def test_the_list_costs_the_same_queries_for_one_or_twenty_conversations(
    agency, casey, client_for, django_assert_max_num_queries
):
    client = client_for(casey)
    url = reverse("opinions:list", args=[agency.slug])
    ConversationFactory.create(agency=agency)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    ConversationFactory.create_batch(
        19, agency=agency, organisation=OrganisationFactory.create(agency=agency)
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert len(page.context["page"]) == 20


def test_a_coordinator_opens_a_conversation_with_seed_statements(agency, casey, client_for):
    partner = OrganisationFactory.create(agency=agency, name="Harlow Youth Club")
    response = client_for(casey).post(
        reverse("opinions:create", args=[agency.slug]),
        {
            "title": "Harlow Park after dark",
            "question": "What would make the park feel safe?",
            "description": "The park board meets in June.",
            "moderation": "permissive",
            "allow_statements": "on",
            "organisation": partner.pk,
            "seed_statements": (
                "Better lighting on the paths.\n\n  Youth workers in the evenings.  \n"
            ),
        },
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opinions:detail", args=[agency.slug, conversation.pk])
    assert conversation.moderation == "permissive" and conversation.organisation == partner
    assert conversation.allow_statements and not conversation.public_report
    assert conversation.created_by == casey
    seeds = list(conversation.statements.order_by("number").values_list("text", "is_seed"))
    assert seeds == [
        ("Better lighting on the paths.", True),
        ("Youth workers in the evenings.", True),
    ]


def test_opening_a_conversation_refuses_a_bad_form(agency, casey, other_agency, client_for):
    elsewhere = OrganisationFactory.create(agency=other_agency)
    response = client_for(casey).post(
        reverse("opinions:create", args=[agency.slug]),
        {
            "title": "",
            "question": "Why?",
            "moderation": "strict",
            "organisation": elsewhere.pk,
            "seed_statements": "x" * 281 + "\nok",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"title", "organisation", "seed_statements"}
    assert "longer than 280" in str(errors["seed_statements"])
    assert not Conversation.objects.exists()


def test_editing_changes_the_wording_and_is_audited(park, casey, client_for):
    url = reverse("opinions:edit", args=[park.agency.slug, park.pk])
    client = client_for(casey)
    form = client.get(url).context["form"]
    assert (
        form.initial["title"] == "Harlow Park after dark" and "seed_statements" not in form.fields
    )
    response = client.post(
        url,
        {
            "title": "Harlow Park, day and night",
            "question": park.question,
            "moderation": "strict",
            "public_report": "on",
        },
    )
    assert response.status_code == 302
    park.refresh_from_db()
    assert park.title == "Harlow Park, day and night" and not park.allow_statements
    assert AuditEntry.objects.filter(action__startswith="opinions.conversation").count() >= 2


def test_the_detail_page_shows_the_map_and_refreshes_it_with_htmx(park, planted, cleo, client_for):
    from roundtable.opinions.services_analysis import analysis_run

    analysis_run(conversation=park)
    client = client_for(cleo)
    page = client.get(reverse("opinions:detail", args=[park.agency.slug, park.pk]))
    body = page.content.decode()
    fragment = reverse("opinions:map_fragment", args=[park.agency.slug, park.pk])
    assert page.status_code == 200
    assert f'hx-get="{fragment}"' in body and 'hx-trigger="every 15s"' in body
    assert page.context["map"] is not None and "<svg" in body
    assert page.context["conversation"].vote_count == 140
    # Command staff read the map but run nothing.
    assert reverse("opinions:recompute", args=[park.agency.slug, park.pk]) not in body
    assert "Votes have arrived since" not in body

    # A vote after the map: the fragment says a new map is coming.
    services.vote_cast(
        participant=planted.youth[0], statement=park.statements.get(number=0), value=1
    )
    part = client.get(fragment, HTTP_HX_REQUEST="true")
    assert part.status_code == 200
    assert part.content.decode().lstrip().startswith('<div id="opinion-map"')
    assert "Votes have arrived since" in part.content.decode()
    assert "<html" not in part.content.decode()


def test_the_detail_page_before_any_vote_says_there_is_no_map_yet(park, casey, client_for):
    page = client_for(casey).get(reverse("opinions:detail", args=[park.agency.slug, park.pk]))
    assert page.context["map"] is None
    assert "No map yet" in page.content.decode()
    assert reverse("opinions:recompute", args=[park.agency.slug, park.pk]) in page.content.decode()


def test_closing_and_reopening(park, casey, client_for):
    url = reverse("opinions:status", args=[park.agency.slug, park.pk])
    client = client_for(casey)
    assert client.post(url, {"status": "closed"}).status_code == 302
    park.refresh_from_db()
    assert park.status == Conversation.Status.CLOSED
    client.post(url, {"status": "open"})
    park.refresh_from_db()
    assert park.status == Conversation.Status.OPEN
    response = client.post(url, {"status": "paused"}, follow=True)
    assert "Choose open or closed." in response.content.decode()


def test_a_partner_runs_their_own_conversation(agency, pat, client_for):
    own = conversation_create(actor=pat, agency=agency, title="Club night", question="What helps?")
    client = client_for(pat)
    client.post(reverse("opinions:status", args=[agency.slug, own.pk]), {"status": "closed"})
    own.refresh_from_db()
    assert own.status == Conversation.Status.CLOSED


def test_recompute_makes_the_map_now(park, planted, adam, client_for):
    response = client_for(adam).post(
        reverse("opinions:recompute", args=[park.agency.slug, park.pk]), follow=True
    )
    analysis = Analysis.objects.get(conversation=park)
    assert analysis.vote_count == 140 and analysis.participant_count == 20
    assert "Map recomputed: 20 participants, 140 votes" in response.content.decode()


def test_a_participant_link_is_signed_for_the_conversation(park, casey, client_for):
    url = reverse("opinions:participant_link", args=[park.agency.slug, park.pk])
    response = client_for(casey).post(url, {"external_id": " panel-0042 "})
    link = response.context["link"]
    parts = urlsplit(link)
    assert parts.path == reverse("opinions_public:vote", args=[park.agency.slug, park.pk])
    assert parts.scheme == "http" and parts.netloc == "testserver"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["xid"] == "panel-0042"
    assert services.external_id_from(conversation=park, **query) == "panel-0042"
    other = ConversationFactory.create(agency=park.agency)
    assert services.external_id_from(conversation=other, **query) is None
    # Making a link stores nothing.
    assert not park.participants.exists()
    assert client_for(casey).post(url, {"external_id": "  "}).status_code == 400


def test_the_export_is_a_polis_folder_in_a_zip(park, planted, ana, client_for):
    response = client_for(ana).get(reverse("opinions:export", args=[park.agency.slug, park.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f"riverside-conversation-{park.pk}-polis.zip" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = {name.rsplit("/", 1)[-1] for name in archive.namelist()}
        assert {"comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"} <= names
        comments = next(n for n in archive.namelist() if n.endswith("comments.csv"))
        text = archive.read(comments).decode()
    assert all(s.text in text for s in Statement.objects.filter(conversation=park))


def test_the_header_links_to_conversations_for_staff_and_partners(
    agency, casey, pat, rosa, client_for
):
    home = reverse("core:agency_home", args=[agency.slug])
    link = f'href="{reverse("opinions:list", args=[agency.slug])}"'
    assert link in client_for(casey).get(home).content.decode()
    assert link in client_for(pat).get(home).content.decode()
    assert link not in client_for(rosa).get(home).content.decode()


def test_a_partner_opens_a_conversation_without_seeing_the_community_map(
    agency, casey, pat, client_for
):
    OrganisationFactory.create(agency=agency, name="Harlow Youth Club")
    url = reverse("opinions:create", args=[agency.slug])
    client = client_for(pat)
    form = client.get(url).context["form"]
    assert "organisation" not in form.fields
    assert "Harlow Youth Club" not in client.get(url).content.decode()
    response = client.post(
        url, {"title": "Club night", "question": "What helps?", "moderation": "strict"}
    )
    own = Conversation.objects.get()
    assert response.status_code == 302
    assert own.created_by == pat and own.organisation is None
    # The partner's edit keeps the host the agency chose.
    host = OrganisationFactory.create(agency=agency)
    Conversation.objects.filter(pk=own.pk).update(organisation=host)
    edit = reverse("opinions:edit", args=[agency.slug, own.pk])
    client.post(edit, {"title": "Club nights", "question": "What helps?", "moderation": "strict"})
    own.refresh_from_db()
    assert own.title == "Club nights" and own.organisation == host


def test_only_organisations_not_individuals_can_host(agency, casey, client_for):
    club = OrganisationFactory.create(agency=agency, name="Harlow Youth Club")
    person = OrganisationFactory.create(agency=agency, name="J. Doe", kind="individual")
    form = client_for(casey).get(reverse("opinions:create", args=[agency.slug])).context["form"]
    choices = list(form.fields["organisation"].queryset)
    assert club in choices and person not in choices
