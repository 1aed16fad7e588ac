"""The public safety priority worksheet: filling it in, the table, who may use it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.incidents.models import IncidentArea
from roundtable.inputs.services import input_link
from roundtable.priorities.models import Candidate, Comparison, DotVote
from roundtable.priorities.selectors_worksheet import incident_window, worksheet_rows
from roundtable.priorities.services_candidates import worksheet_update
from tests.factories import (
    AreaFactory,
    CandidateFactory,
    IncidentFactory,
    InputFactory,
    OrganisationFactory,
    PairwiseSurveyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(agency):
    """Three candidates: lights beat the others in the survey, break-ins get the dots."""
    lights = CandidateFactory.create(agency=agency, title="Street lighting")
    schools = CandidateFactory.create(agency=agency, title="Safer streets around schools")
    breakins = CandidateFactory.create(agency=agency, title="Car break-ins")
    survey = PairwiseSurveyFactory.create(agency=agency, candidates=[lights, schools, breakins])
    for _ in range(6):
        Comparison.objects.create(survey=survey, left=lights, right=schools, outcome="left")
        Comparison.objects.create(survey=survey, left=breakins, right=lights, outcome="right")
        Comparison.objects.create(survey=survey, left=schools, right=breakins, outcome="left")
    Comparison.objects.create(survey=survey, left=breakins, right=schools, outcome="left")
    DotVote.objects.create(candidate=breakins, dots=12)
    DotVote.objects.create(candidate=breakins, dots=3)
    DotVote.objects.create(candidate=lights, dots=4)
    return lights, schools, breakins


def test_the_worksheet_is_filled_in_and_audited(agency, ana, candidate, library):
    worksheet_update(
        actor=ana,
        candidate=candidate,
        harm=4,
        harm_note="Two children hurt last year.",
        feasibility=3,
        incident_note="14 injury crashes within 300 m of schools, 2024 (state DOT).",
        equity_affected="Children walking to Eastbank Elementary.",
        equity_heard="Parents heard; no young people yet.",
        partners=[library],
    )
    candidate.refresh_from_db()
    assert candidate.harm == 4 and candidate.feasibility == 3
    assert list(candidate.partners.all()) == [library]
    entry = AuditEntry.objects.get(action="priorities.worksheet.update")
    assert entry.after is not None
    assert entry.after["partners"] == ["Eastbank Library Friends"]
    assert "harm_note" in entry.after


def test_scores_are_one_to_five_and_partners_the_agencys_own(agency, other_agency, ana, candidate):
    with pytest.raises(ValidationError):
        worksheet_update(actor=ana, candidate=candidate, harm=9, feasibility=None)
    campus_group = OrganisationFactory.create(agency=other_agency)
    with pytest.raises(ValidationError) as caught:
        worksheet_update(
            actor=ana, candidate=candidate, harm=None, feasibility=None, partners=[campus_group]
        )
    assert "partners" in caught.value.message_dict


def test_rows_carry_rank_dots_and_who_was_heard_and_sort(agency, casey, three, spoken):
    lights, schools, breakins = three
    for item in spoken:
        input_link(actor=casey, input=item, item=schools)
    CandidateFactory.create(agency=agency, title="Rejected idea", status=Candidate.Status.REJECTED)
    rows = worksheet_rows(agency=agency)
    assert [r.candidate for r in rows] == [lights, schools, breakins]
    first = rows[0].rank
    assert first is not None and first.rank == 1 and first.low <= first.score <= first.high
    assert [r.dots for r in rows] == [4, 0, 15]
    assert rows[1].heard.critics == 1 and rows[1].heard.total == 4
    assert worksheet_rows(agency=agency, sort="dots")[0].candidate == breakins
    assert worksheet_rows(agency=agency, sort="volume")[0].candidate == schools
    assert [r.candidate.title for r in worksheet_rows(agency=agency, sort="title")] == [
        "Car break-ins",
        "Safer streets around schools",
        "Street lighting",
    ]


def test_candidates_without_a_survey_are_listed_unranked(agency, candidate):
    rows = worksheet_rows(agency=agency)
    assert [r.candidate for r in rows] == [candidate]
    assert rows[0].rank is None and rows[0].dots == 0


def test_staff_who_read_priorities_see_the_worksheet(
    agency, three, casey, ana, cleo, adam, client_for
):
    for person in (casey, ana, cleo, adam):
        page = client_for(person).get(reverse("priorities:worksheet", args=[agency.slug]))
        assert page.status_code == 200
        assert "Street lighting" in page.content.decode()


def test_residents_partners_other_agencies_and_strangers_are_refused(
    agency, candidate, rosa, pat, uma, client, client_for
):
    for name, args in (
        ("priorities:worksheet", [agency.slug]),
        ("priorities:worksheet_edit", [agency.slug, candidate.pk]),
    ):
        url = reverse(name, args=args)
        for person in (rosa, pat, uma):
            assert client_for(person).get(url).status_code == 403
        assert client.get(url).status_code == 302


def test_the_worksheet_says_no_incident_data_is_imported(agency, candidate, cleo, client_for):
    candidate.incident_note = "Entered: 14 injury crashes."
    candidate.save()
    body = client_for(cleo).get(reverse("priorities:worksheet", args=[agency.slug]))
    text = body.content.decode()
    assert "No incident data is imported for this agency yet" in text
    assert "Entered: 14 injury crashes." in text


def test_the_analyst_fills_in_a_candidates_worksheet(agency, candidate, library, ana, client_for):
    url = reverse("priorities:worksheet_edit", args=[agency.slug, candidate.pk])
    client = client_for(ana)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "harm": "4",
            "feasibility": "",
            "equity_heard": "Parents, not young people.",
            "partners": [library.pk],
        },
    )
    assert response["Location"] == reverse("priorities:worksheet", args=[agency.slug])
    candidate.refresh_from_db()
    assert candidate.harm == 4 and candidate.feasibility is None
    assert candidate.equity_heard == "Parents, not young people."


def test_command_staff_read_but_may_not_edit_the_worksheet(agency, candidate, cleo, client_for):
    client = client_for(cleo)
    url = reverse("priorities:worksheet_edit", args=[agency.slug, candidate.pk])
    assert client.post(url, {"harm": "5"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.harm is None


def test_the_worksheet_takes_a_bounded_number_of_queries(
    agency, casey, three, park_map, client_for, django_assert_max_num_queries
):
    from roundtable.opinions.services import statement_to_candidate

    # Candidates made from statements: their figures cost the same however many.
    for statement in park_map.statements.filter(number__in=[0, 4, 5]):
        statement_to_candidate(actor=casey, statement=statement)
    areas = [AreaFactory.create(agency=agency) for _ in range(3)]
    partners = [OrganisationFactory.create(agency=agency) for _ in range(3)]
    for n in range(12):
        c = CandidateFactory.create(agency=agency, harm=n % 5 + 1)
        c.areas.set(areas)
        c.partners.set(partners[: n % 3])
        item = InputFactory.create(agency=agency, area=areas[n % 3])
        input_link(actor=casey, input=item, item=c)
        # With incident data the worksheet adds two queries, whatever the candidates.
        incident = IncidentFactory.create(agency=agency)
        IncidentArea.objects.create(incident=incident, area=areas[n % 3])
    client = client_for(casey)
    for sort in ("rank", "harm"):
        # Common ground adds four: the statements behind candidates and their
        # conversations' maps, the agency's maps and their best statements.
        with django_assert_max_num_queries(20):
            response = client.get(
                reverse("priorities:worksheet", args=[agency.slug]), {"sort": sort}
            )
        assert response.status_code == 200


def _incidents(agency, area, day, count, **fields):
    for _ in range(count):
        item = IncidentFactory.create(agency=agency, occurred_on=day, **fields)
        IncidentArea.objects.create(incident=item, area=area)


def test_with_incident_data_each_candidate_gets_its_count_and_a_tested_change(
    agency, casey, cleo, client_for
):
    """Break-ins in Eastgate rose from 10 to 40 (clearly more than chance); street
    robberies, counted everywhere, went from 4 to 6 (noise)."""
    eastgate = AreaFactory.create(agency=agency, name="Eastgate")
    beat = AreaFactory.create(agency=agency, name="Beat 22")
    latest = dt.date(2026, 10, 31)
    year_ago = latest - dt.timedelta(days=400)
    burglary = {"offence": "burglary", "against": "property", "crime_group": "property"}
    robbery = {"offence": "robbery", "against": "property", "crime_group": "violent"}
    _incidents(agency, eastgate, latest, 40, **burglary)
    _incidents(agency, eastgate, year_ago, 10, **burglary)
    _incidents(agency, beat, latest, 6, **robbery)
    _incidents(agency, beat, year_ago, 4, **robbery)
    # The same incidents lie in the beat too: counted once, not once per area.
    for item in IncidentArea.objects.filter(area=eastgate):
        IncidentArea.objects.create(incident_id=item.incident_id, area=beat)
    breakins = CandidateFactory.create(
        agency=agency, title="Break-ins", offence_categories=["property"]
    )
    breakins.areas.set([eastgate, beat])
    robberies = CandidateFactory.create(
        agency=agency, title="Street robbery", offence_categories=["violent"]
    )
    rows = {
        r.candidate.title: r.incidents
        for r in worksheet_rows(agency=agency, window=incident_window(agency))
    }
    rise, robbed = rows["Break-ins"], rows["Street robbery"]
    assert rise is not None and robbed is not None
    assert (rise.current, rise.prior, rise.direction, rise.size) == (40, 10, "up", 300)
    assert (robbed.current, robbed.prior, robbed.direction) == (6, 4, "flat")
    body = (
        client_for(cleo).get(reverse("priorities:worksheet", args=[agency.slug])).content.decode()
    )
    assert "No incident data is imported" not in body
    assert "up 300 %, more than chance" in body and "no significant change" in body
    detail = client_for(cleo).get(reverse("priorities:candidate", args=[agency.slug, robberies.pk]))
    assert "no significant change" in detail.content.decode()


# --- Common ground from opinion conversations ---


@pytest.fixture
def park_map(agency, casey):
    """Harlow Park after dark, with two camps' votes and its opinion map."""
    from roundtable.opinions.services import conversation_create
    from roundtable.opinions.services_analysis import analysis_run
    from tests.opinions.conftest import PARK_STATEMENTS, plant_votes

    park = conversation_create(
        actor=casey,
        agency=agency,
        title="Harlow Park after dark",
        question="What would make Harlow Park feel safe for everyone?",
        seed_statements=PARK_STATEMENTS,
    )
    plant_votes(park)
    analysis_run(conversation=park)
    return park


def test_the_worksheet_lists_common_ground_with_a_button_for_those_who_fill_it(
    agency, park_map, casey, cleo, client_for
):
    url = reverse("priorities:worksheet", args=[agency.slug])
    shortlist = reverse("opinions:statement_shortlist", args=[agency.slug, park_map.pk, 4])
    body = client_for(casey).get(url).content.decode()
    assert "Common ground from conversations" in body
    assert "The paths need better lighting." in body and "Harlow Park after dark" in body
    assert f'action="{shortlist}"' in body and "Add to shortlist" in body
    assert "group A: 100 % of 10 voters" in body
    # Command staff read the common ground but do not add to the shortlist.
    read_only = client_for(cleo).get(url).content.decode()
    assert "The paths need better lighting." in read_only
    assert "Add to shortlist" not in read_only
    assert client_for(cleo).post(shortlist).status_code == 403
    assert not Candidate.objects.exists()


def test_a_statement_added_from_the_worksheet_shows_how_the_groups_voted(
    agency, park_map, casey, client_for
):
    url = reverse("priorities:worksheet", args=[agency.slug])
    client = client_for(casey)
    shortlist = reverse("opinions:statement_shortlist", args=[agency.slug, park_map.pk, 4])
    response = client.post(shortlist, {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    candidate = Candidate.objects.get(source=Candidate.Source.CONVERSATION)
    (row,) = worksheet_rows(agency=agency)
    assert row.candidate == candidate
    (ground,) = row.common_ground
    assert ground.conversation_id == park_map.pk and ground.number == 4
    assert ground.consensus > 0.8
    assert [(g.label, g.percent) for g in ground.groups] == [("A", 100.0), ("B", 100.0)]
    body = client.get(url).content.decode()
    assert "Common ground in “Harlow Park after dark”: group-informed consensus 0.84" in body
    assert "group A 100 % agree, group B 100 % agree" in body
    # In the section below, the statement now links to its candidate instead.
    assert f'action="{shortlist}"' not in body
    assert reverse("priorities:candidate", args=[agency.slug, candidate.pk]) in body


def test_candidates_not_from_conversations_carry_no_common_ground(agency, candidate, park_map):
    (row,) = worksheet_rows(agency=agency)
    assert row.common_ground == []


def test_without_conversations_the_worksheet_says_there_is_no_map_yet(
    agency, candidate, casey, client_for
):
    body = client_for(casey).get(reverse("priorities:worksheet", args=[agency.slug]))
    assert "No conversation has an opinion map yet." in body.content.decode()
