"""The public report: the opinion map in public mode, explained in plain words."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from roundtable.opinions import selectors_map, services
from roundtable.opinions.models import Conversation
from roundtable.opinions.services_analysis import analysis_run
from tests.opinions.conftest import PARK_STATEMENTS, SHARED, plant_votes

pytestmark = pytest.mark.django_db


def _url(name: str, conversation: Conversation) -> str:
    return reverse(f"opinions_public:{name}", args=[conversation.agency.slug, conversation.pk])


@pytest.fixture
def mapped(park, planted):
    analysis_run(conversation=park)
    return park


def test_before_the_first_map_the_report_says_it_will_come(park, client):
    response = client.get(_url("report", park))
    body = response.content.decode()
    assert response.status_code == 200
    assert "No map yet" in body
    assert "How to read this map" in body and "Common ground across the groups" in body
    # The live part asks for itself again every 30 seconds.
    assert f'hx-get="{_url("report_map", park)}" hx-trigger="every 30s"' in body
    assert _url("vote", park) in body  # open: a way to take part


def test_the_report_shows_the_map_the_groups_and_the_common_ground(mapped, client):
    body = client.get(_url("report", mapped)).content.decode()
    assert '<svg class="rt-om-svg"' in body and 'role="img"' in body
    assert "20 participants and 140 votes; 20 in an opinion group." in body
    assert "Group A" in body and "Group B" in body
    assert "(10 participants)" in body
    shared = re.search(r'<table class="rt-om-shared">(.*?)</table>', body, re.S)
    assert shared is not None
    for number in SHARED:
        assert PARK_STATEMENTS[number] in shared.group(1)
    # What sets each group apart: the share of the group against everyone else.
    assert re.search(r"100 % of group [AB] agree, against 0 % of everyone else", body)


def test_the_public_report_names_no_participant_and_no_statement_number(mapped, client):
    body = client.get(_url("report", mapped)).content.decode()
    assert not re.search(r"Participant \d", body)
    assert '<span class="muted">#' not in body


def test_small_groups_are_not_counted_exactly_in_public(park, client):
    plant_votes(park, 3)
    analysis_run(conversation=park)
    body = client.get(_url("report", park)).content.decode()
    assert "(fewer than 5 participants)" in body
    assert "(3 participants)" not in body
    # Nor by counting markers, subtracting counts or reading percentages: the
    # members are drawn as not yet grouped and the figures are withheld.
    assert "6 participants and 42 votes; 0 in an opinion group." in body
    for layer in re.findall(r'<g class="rt-om-group rt-om-g\d"[^>]*>(.*?)</g>', body, re.S):
        assert not re.search(r"<(?:circle|rect|polygon)\b", layer)
    unclustered = re.search(r'<g class="rt-om-unclustered"[^>]*>(.*?)</g>', body, re.S)
    assert unclustered is not None
    assert len(re.findall(r"<(?:circle|rect|polygon)\b", unclustered.group(1))) == 6
    assert "figures withheld: the group is too small" in body
    assert not re.search(r"\d+ % of group [AB]", body)
    assert not re.search(r"\d+ % of everyone", body)


def test_a_small_group_beside_a_large_one_is_withheld_alone(mapped):
    """A map whose group B has shrunk to three: group A keeps its figures, but
    not against "everyone else", which would then be group B alone."""
    analysis = mapped.analysis
    result = analysis.result
    in_b = [p for p in result["participants"] if p["group"] == 1]
    for point in in_b[3:]:
        point["group"] = None
    result["groups"][1]["size"] = 3
    analysis.clustered_count = 13
    analysis.save()
    public = selectors_map.opinion_map(conversation=mapped, public=True)
    assert public is not None
    large, small = public.groups
    assert (large.size_text, small.size_text) == ("10", "fewer than 5")
    assert small.withheld and not large.withheld
    assert all(s.group_percent is None for s in small.statements)
    assert all(s.group_percent is not None and s.others_percent is None for s in large.statements)
    assert public.clustered_count == 10
    assert sum(p.group is not None for p in public.points) == 10
    assert public.shared
    for row in public.shared:
        assert row.groups[0].percent is not None
        assert (row.groups[1].percent, row.groups[1].voted) == (None, 0)
    staff = selectors_map.opinion_map(conversation=mapped, public=False)
    assert staff is not None and staff.clustered_count == 13
    assert not any(g.withheld for g in staff.groups)


def test_the_staff_view_of_the_partial_shows_numbers(mapped):
    staff_map = selectors_map.opinion_map(conversation=mapped, public=False)
    html = render_to_string(
        "opinions/partials/opinion_map.html", {"map": staff_map, "public": False}
    )
    assert re.search(r"<title>Participant \d+</title>", html)
    assert f'<span class="muted">#{SHARED[0]}</span>' in html
    assert "(10 participants)" in html


def test_the_map_fragment_alone_for_the_refresh(mapped, client):
    response = client.get(_url("report_map", mapped), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="rt-op-live"') and "<html" not in body
    assert 'hx-trigger="every 30s"' in body  # it keeps refreshing itself
    assert '<svg class="rt-om-svg"' in body
    assert "no-cache" in response["Cache-Control"]


def test_the_report_says_when_votes_have_arrived_since(mapped, client):
    participant = services.participant_for(conversation=mapped, external_id="late")
    assert participant is not None
    statement = mapped.statements.get(number=0)
    services.vote_cast(participant=participant, statement=statement, value=1)
    body = client.get(_url("report_map", mapped)).content.decode()
    assert "Votes have arrived since" in body


def test_an_unpublished_report_is_not_found(mapped, client):
    mapped.public_report = False
    mapped.save()
    assert client.get(_url("report", mapped)).status_code == 404
    assert client.get(_url("report_map", mapped)).status_code == 404
    assert _url("report", mapped) not in client.get(_url("vote", mapped)).content.decode()


def test_a_closed_conversation_keeps_its_final_map(mapped, client):
    mapped.status = Conversation.Status.CLOSED
    mapped.save()
    body = client.get(_url("report", mapped)).content.decode()
    assert "this is its final map" in body
    assert f'href="{_url("vote", mapped)}"' not in body


def test_another_agencys_address_does_not_show_the_report(other_agency, mapped, client):
    url = reverse("opinions_public:report", args=[other_agency.slug, mapped.pk])
    assert client.get(url).status_code == 404


def test_the_report_follows_the_language_switcher(settings, mapped, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    body = client.get(_url("report", mapped)).content.decode()
    assert '<html lang="es">' in body
    assert "Saltar al contenido principal" in body
