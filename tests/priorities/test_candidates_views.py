"""The shortlist and candidate pages, with who may and may not use each."""

import pytest
from django.urls import reverse

from roundtable.inputs.services import input_link
from roundtable.priorities.models import Candidate
from tests.factories import AreaFactory, CandidateFactory, InputFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _url(name, agency, *args):
    return reverse(name, args=[agency.slug, *args])


def test_staff_who_read_priorities_see_the_shortlist_and_a_candidate(
    agency, candidate, casey, ana, cleo, adam, client_for
):
    for person in (casey, ana, cleo, adam):
        client = client_for(person)
        assert client.get(_url("priorities:shortlist", agency)).status_code == 200
        assert client.get(_url("priorities:candidate", agency, candidate.pk)).status_code == 200


@pytest.mark.parametrize("page", ["priorities:shortlist", "priorities:candidate_create"])
def test_residents_partners_other_agencies_and_strangers_are_refused(
    page, agency, rosa, pat, uma, client, client_for
):
    url = _url(page, agency)
    for person in (rosa, pat, uma):
        assert client_for(person).get(url).status_code == 403, person
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_candidate_of_another_agency_is_not_found(agency, other_agency, ana, client_for):
    foreign = CandidateFactory.create(agency=other_agency)
    url = _url("priorities:candidate", agency, foreign.pk)
    assert client_for(ana).get(url).status_code == 404


def test_the_candidate_page_shows_who_was_heard_and_says_no_incident_data_exists(
    agency, casey, candidate, spoken, client_for
):
    for item in spoken:
        input_link(actor=casey, input=item, item=candidate)
    candidate.incident_note = "Analyst count: 14 injury crashes near schools in 2024 (state data)."
    candidate.save()
    page = client_for(casey).get(_url("priorities:candidate", agency, candidate.pk))
    body = page.content.decode()
    assert "No incident data is imported for this agency yet" in body
    assert "14 injury crashes" in body
    assert "Eastbank" in body
    assert "Los coches van muy rápido" in body
    # The sample is redacted and names no contributor.
    assert "Marisol" not in body and "marisol@example.org" not in body


def test_a_chosen_candidate_offers_to_open_a_problem(agency, casey, client_for):
    chosen = CandidateFactory.create(agency=agency, status=Candidate.Status.CHOSEN)
    body = client_for(casey).get(_url("priorities:candidate", agency, chosen.pk)).content.decode()
    expected = reverse("problems:create", args=[agency.slug]) + f"?priority={chosen.pk}"
    assert expected in body
    active = CandidateFactory.create(agency=agency)
    body = client_for(casey).get(_url("priorities:candidate", agency, active.pk)).content.decode()
    assert "Open a problem for this priority" not in body


def test_the_analyst_adds_and_edits_a_candidate(agency, ana, eastbank, client_for):
    client = client_for(ana)
    response = client.post(
        _url("priorities:candidate_create", agency),
        {
            "title": "Safer streets around schools",
            "title_es": "Calles más seguras cerca de las escuelas",
            "areas": [eastbank.pk],
            "offence_categories": ["violent"],
        },
    )
    candidate = Candidate.objects.get()
    assert response["Location"] == _url("priorities:candidate", agency, candidate.pk)
    assert candidate.title_translations == {"es": "Calles más seguras cerca de las escuelas"}
    response = client.post(
        _url("priorities:candidate_edit", agency, candidate.pk),
        {"title": "Safe routes to school", "title_es": "", "offence_categories": []},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.title == "Safe routes to school"
    assert candidate.title_translations == {}
    assert not candidate.areas.exists()


def test_an_area_of_another_agency_is_not_offered(agency, other_agency, ana, client_for):
    campus = AreaFactory.create(agency=other_agency, name="Main campus")
    response = client_for(ana).post(
        _url("priorities:candidate_create", agency), {"title": "Campus", "areas": [campus.pk]}
    )
    assert response.status_code == 200
    assert not Candidate.objects.exists()


def test_only_coordinators_and_administrators_reject_a_candidate(
    agency, candidate, casey, ana, client_for
):
    url = _url("priorities:candidate_status", agency, candidate.pk)
    assert client_for(ana).post(url, {"status": "rejected"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ACTIVE
    assert client_for(casey).post(url, {"status": "rejected"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.REJECTED


def test_command_staff_may_not_add_or_edit(agency, candidate, cleo, client_for):
    client = client_for(cleo)
    assert client.get(_url("priorities:candidate_create", agency)).status_code == 403
    assert client.get(_url("priorities:candidate_edit", agency, candidate.pk)).status_code == 403
    body = client.get(_url("priorities:candidate", agency, candidate.pk)).content.decode()
    assert "Fill in the worksheet" not in body and "Save status" not in body


def test_the_shortlist_tabs_and_query_count_are_bounded(
    agency, casey, client_for, django_assert_max_num_queries
):
    theme = ThemeFactory.create(agency=agency)
    areas = [AreaFactory.create(agency=agency) for _ in range(3)]
    for n in range(15):
        c = CandidateFactory.create(agency=agency, theme=theme)
        c.areas.set(areas[: n % 3 + 1])
        input_link(actor=casey, input=InputFactory.create(agency=agency), item=c)
    CandidateFactory.create(agency=agency, title="Old idea", status=Candidate.Status.REJECTED)
    client = client_for(casey)
    with django_assert_max_num_queries(10):
        page = client.get(_url("priorities:shortlist", agency))
    body = page.content.decode()
    assert "Old idea" not in body
    assert "Rejected (1)" in body
    assert (
        "Old idea"
        in client.get(_url("priorities:shortlist", agency) + "?tab=rejected").content.decode()
    )
