"""Opening a problem, its scanning and analysis, its public page, its inputs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.inputs.services import input_link, inputs_linked_to
from roundtable.priorities.models import Candidate
from roundtable.problems import services
from roundtable.problems.models import Problem
from tests.factories import AreaFactory, CandidateFactory, InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chosen(agency, casey):
    """A chosen priority that two people asked for."""
    candidate = CandidateFactory.create(
        agency=agency, title="Car break-ins near the station", status=Candidate.Status.CHOSEN
    )
    for text in ("My car was broken into at the station.", "Windows smashed again."):
        input_link(actor=casey, input=InputFactory.create(agency=agency, text=text), item=candidate)
    return candidate


def test_a_coordinator_opens_a_problem_and_it_is_audited(agency, casey, eastbank, westbank):
    problem = services.problem_create(
        actor=casey,
        agency=agency,
        title="  Car break-ins  ",
        area=eastbank,
        comparison_area=westbank,
        sectors=["health", "housing", "health"],
        statement="Break-ins at night.",
    )
    assert problem.title == "Car break-ins" and problem.stage == "scanning"
    assert problem.sectors == ["health", "housing"]
    entry = AuditEntry.objects.get(action="problems.create")
    assert entry.actor == casey and entry.object_id == str(problem.pk)
    assert entry.after is not None and entry.after["area"] == eastbank.pk


def test_opening_from_a_chosen_priority_links_its_inputs(agency, casey, chosen):
    problem = services.problem_create(actor=casey, agency=agency, title="x", priority=chosen)
    assert problem.priority == chosen
    assert set(inputs_linked_to(problem)) == set(inputs_linked_to(chosen))
    assert inputs_linked_to(problem).count() == 2


def test_only_a_chosen_priority_of_the_agency_can_have_a_team(agency, other_agency, casey):
    shortlisted = CandidateFactory.create(agency=agency)
    with pytest.raises(ValidationError) as error:
        services.problem_create(actor=casey, agency=agency, title="x", priority=shortlisted)
    assert "priority" in error.value.message_dict
    foreign = CandidateFactory.create(agency=other_agency, status=Candidate.Status.CHOSEN)
    with pytest.raises(ValidationError):
        services.problem_create(actor=casey, agency=agency, title="x", priority=foreign)
    assert not Problem.objects.exists()


@pytest.mark.parametrize("persona", ["ana", "cleo", "pat", "rosa", "uma"])
def test_only_coordinators_and_administrators_open_problems(persona, agency, request):
    with pytest.raises(PermissionDenied):
        services.problem_create(
            actor=request.getfixturevalue(persona), agency=agency, title="Car break-ins"
        )


def test_areas_must_be_the_agencys_and_distinct(agency, other_agency, casey, eastbank):
    foreign = AreaFactory.create(agency=other_agency)
    with pytest.raises(ValidationError) as error:
        services.problem_create(actor=casey, agency=agency, title="x", area=foreign)
    assert "area" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.problem_create(
            actor=casey, agency=agency, title="x", area=eastbank, comparison_area=eastbank
        )
    assert "comparison_area" in error.value.message_dict


def test_unknown_sectors_are_refused(agency, casey):
    with pytest.raises(ValidationError) as error:
        services.problem_create(actor=casey, agency=agency, title="x", sectors=["parks"])
    assert "sectors" in error.value.message_dict


def test_a_team_member_writes_the_analysis_and_it_is_audited(team, marta):
    services.problem_update(
        actor=marta, problem=team, place="Level 2 of the car park, unlit", offender="  "
    )
    team.refresh_from_db()
    assert team.place == "Level 2 of the car park, unlit"
    entry = AuditEntry.objects.get(action="problems.update")
    assert entry.actor == marta
    assert entry.after == {"place": "Level 2 of the car park, unlit"}


def test_someone_off_the_team_cannot_change_the_problem(team, pat, ana):
    for person in (pat, ana):
        with pytest.raises(PermissionDenied):
            services.problem_update(actor=person, problem=team, statement="Changed")


def test_a_member_who_left_can_no_longer_work_on_it(team, casey, marta, cleo):
    from roundtable.problems import services_team

    services_team.co_leads_set(
        actor=casey, problem=team, police_co_lead=cleo, community_co_lead=None
    )
    member = team.members.get(user=marta)
    services_team.member_update(actor=casey, member=member, left_on=member.joined_on)
    with pytest.raises(PermissionDenied):
        services.problem_update(actor=marta, problem=team, statement="Changed")


def test_problem_update_refuses_fields_it_does_not_own(team, casey):
    with pytest.raises(TypeError):
        services.problem_update(actor=casey, problem=team, stage="closed")


def test_the_team_drafts_the_summary_but_only_coordinators_publish(team, marta, casey):
    services.problem_public_set(actor=marta, problem=team, public_summary="We fix the lights.")
    with pytest.raises(PermissionDenied):
        services.problem_public_set(
            actor=marta, problem=team, public_summary="We fix the lights.", is_public=True
        )
    services.problem_public_set(
        actor=casey, problem=team, public_summary="We fix the lights.", is_public=True
    )
    team.refresh_from_db()
    assert team.is_public and team.public_summary == "We fix the lights."
    assert AuditEntry.objects.filter(action="problems.public").count() == 2


def test_a_problem_goes_public_only_with_a_summary(team, casey):
    with pytest.raises(ValidationError) as error:
        services.problem_public_set(actor=casey, problem=team, public_summary=" ", is_public=True)
    assert "public_summary" in error.value.message_dict


def test_staff_link_inputs_by_receipt_code(team, agency, casey):
    first = InputFactory.create(agency=agency)
    second = InputFactory.create(agency=agency)
    codes = f"{first.receipt_code[:5]}-{first.receipt_code[5:]}, {second.receipt_code.lower()}"
    assert services.problem_inputs_link(actor=casey, problem=team, codes=codes) == 2
    assert services.problem_inputs_link(actor=casey, problem=team, codes=codes) == 0
    assert set(inputs_linked_to(team)) == {first, second}
    assert AuditEntry.objects.filter(action="problems.inputs.link").count() == 1


def test_an_unknown_or_foreign_code_links_nothing(team, agency, other_agency, casey):
    mine = InputFactory.create(agency=agency)
    foreign = InputFactory.create(agency=other_agency)
    with pytest.raises(ValidationError) as error:
        services.problem_inputs_link(
            actor=casey, problem=team, codes=f"{mine.receipt_code} {foreign.receipt_code} nonsense"
        )
    assert "nonsense" in str(error.value)
    assert not inputs_linked_to(team).exists()


def test_team_members_without_a_staff_role_do_not_link_inputs(team, agency, marta):
    item = InputFactory.create(agency=agency)
    with pytest.raises(PermissionDenied):
        services.problem_inputs_link(actor=marta, problem=team, codes=item.receipt_code)
