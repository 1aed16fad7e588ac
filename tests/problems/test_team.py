"""Forming the team: members, accounts, co-leads; and the composition check."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.accounts.models import Membership, Role
from roundtable.audit.models import AuditEntry
from roundtable.problems import composition, services_team, stages
from roundtable.problems.models import Problem, Side, StageSignOff
from roundtable.stakeholders.models import Sector, Stance
from tests.factories import GoalFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_is_added_and_audited(problem, casey, tenants):
    member = services_team.member_add(
        actor=casey, problem=problem, side=Side.COMMUNITY, name=" Lina ", organisation=tenants
    )
    assert member.name == "Lina" and member.joined_on is not None
    entry = AuditEntry.objects.get(action="problems.member.add")
    assert entry.actor == casey
    assert entry.after is not None and entry.after["organisation"] == tenants.pk


def test_a_member_named_by_account_takes_its_name(problem, casey, marta):
    member = services_team.member_add(actor=casey, problem=problem, side="community", user=marta)
    assert member.name == "Marta Mendoza"


def test_a_resident_on_the_team_is_given_the_team_member_role(problem, casey, rosa):
    services_team.member_add(actor=casey, problem=problem, side="community", user=rosa)
    assert Membership.objects.filter(
        user=rosa, agency=problem.agency, role=Role.PST_MEMBER
    ).exists()
    assert AuditEntry.objects.filter(action="membership.grant").count() == 1


def test_a_staff_member_is_given_no_extra_role(problem, casey, cleo):
    services_team.member_add(actor=casey, problem=problem, side="police", user=cleo)
    assert list(cleo.memberships.values_list("role", flat=True)) == [Role.COMMAND]


def test_an_account_or_organisation_of_another_agency_is_refused(problem, casey, uma, other_agency):
    with pytest.raises(ValidationError) as error:
        services_team.member_add(actor=casey, problem=problem, side="community", user=uma)
    assert "user" in error.value.message_dict
    foreign = OrganisationFactory.create(agency=other_agency)
    with pytest.raises(ValidationError) as error:
        services_team.member_add(
            actor=casey, problem=problem, side="community", name="X", organisation=foreign
        )
    assert "organisation" in error.value.message_dict


def test_an_account_joins_a_team_once(problem, casey, marta):
    services_team.member_add(actor=casey, problem=problem, side="community", user=marta)
    with pytest.raises(ValidationError) as error:
        services_team.member_add(actor=casey, problem=problem, side="government", user=marta)
    assert "user" in error.value.message_dict


def test_a_member_needs_a_name_or_an_account(problem, casey):
    with pytest.raises(ValidationError):
        services_team.member_add(actor=casey, problem=problem, side="community", name="  ")


@pytest.mark.parametrize("persona", ["ana", "cleo", "marta", "pat"])
def test_only_coordinators_form_the_team(persona, problem, request):
    with pytest.raises(PermissionDenied):
        services_team.member_add(
            actor=request.getfixturevalue(persona), problem=problem, side="police", name="X"
        )


def test_the_co_leads_are_named_and_audited(team, cleo, marta):
    assert team.police_co_lead == cleo and team.community_co_lead == marta
    entry = AuditEntry.objects.get(action="problems.co_leads")
    assert entry.after == {"police_co_lead": cleo.pk, "community_co_lead": marta.pk}


def test_agency_staff_may_lead_for_the_police_without_being_members(problem, casey, ana):
    services_team.co_leads_set(
        actor=casey, problem=problem, police_co_lead=ana, community_co_lead=None
    )
    assert problem.police_co_lead == ana


def test_a_police_member_without_a_staff_role_may_lead_for_the_police(problem, casey, agency):
    officer = UserFactory.create(username="officer")
    MembershipFactory.create(user=officer, agency=agency, role=Role.PST_MEMBER)
    with pytest.raises(ValidationError) as error:
        services_team.co_leads_set(
            actor=casey, problem=problem, police_co_lead=officer, community_co_lead=None
        )
    assert "police_co_lead" in error.value.message_dict
    services_team.member_add(actor=casey, problem=problem, side="police", user=officer)
    services_team.co_leads_set(
        actor=casey, problem=problem, police_co_lead=officer, community_co_lead=None
    )


def test_the_community_co_lead_must_be_a_community_member(problem, casey, marta, pat, cleo):
    with pytest.raises(ValidationError) as error:
        services_team.co_leads_set(
            actor=casey, problem=problem, police_co_lead=None, community_co_lead=marta
        )
    assert "community_co_lead" in error.value.message_dict
    services_team.member_add(actor=casey, problem=problem, side="government", user=pat)
    with pytest.raises(ValidationError):
        services_team.co_leads_set(
            actor=casey, problem=problem, police_co_lead=None, community_co_lead=pat
        )
    services_team.member_add(actor=casey, problem=problem, side="police", user=cleo)
    with pytest.raises(ValidationError):
        services_team.co_leads_set(
            actor=casey, problem=problem, police_co_lead=None, community_co_lead=cleo
        )


def test_one_person_cannot_be_both_co_leads(problem, casey, cleo):
    services_team.member_add(actor=casey, problem=problem, side="community", user=cleo)
    with pytest.raises(ValidationError):
        services_team.co_leads_set(
            actor=casey, problem=problem, police_co_lead=cleo, community_co_lead=cleo
        )


def test_a_co_lead_cannot_leave_before_another_is_named(team, casey, marta):
    member = team.members.get(user=marta)
    with pytest.raises(ValidationError):
        services_team.member_update(actor=casey, member=member, left_on=member.joined_on)
    member.refresh_from_db()
    assert member.left_on is None


def test_a_member_who_leaves_is_audited(team, casey):
    member = team.members.get(name="Dr Gloria Hayes")
    services_team.member_update(actor=casey, member=member, left_on=member.joined_on)
    entry = AuditEntry.objects.get(action="problems.member.update")
    assert entry.after == {"left_on": member.joined_on.isoformat()}


def test_a_new_co_lead_signs_afresh(team, casey, marta, agency):
    stages.stage_sign_off(actor=marta, problem=team)
    other = UserFactory.create(username="dolores")
    MembershipFactory.create(user=other, agency=agency, role=Role.PST_MEMBER)
    services_team.member_add(actor=casey, problem=team, side="community", user=other)
    services_team.co_leads_set(
        actor=casey, problem=team, police_co_lead=team.police_co_lead, community_co_lead=other
    )
    assert not StageSignOff.objects.filter(problem=team).exists()
    entry = AuditEntry.objects.filter(action="problems.co_leads").order_by("pk").last()
    assert entry is not None and entry.after is not None
    assert entry.after["sign_offs_withdrawn"] == ["community"]


# --- Composition check ---


def _codes(problem):
    return [w.code for w in composition.composition_warnings(problem)]


def test_a_well_formed_team_has_no_warning(team):
    assert _codes(team) == []


def test_it_warns_without_a_community_member_of_the_area(team, marta):
    team.members.filter(user=marta).update(lives_in_area=False)
    assert _codes(team) == [composition.NO_LOCAL_RESIDENT]


def test_a_police_member_living_in_the_area_does_not_count_as_a_resident(team, cleo, marta):
    team.members.filter(user=marta).update(lives_in_area=False)
    team.members.filter(user=cleo).update(lives_in_area=True)
    assert composition.NO_LOCAL_RESIDENT in _codes(team)


def test_it_warns_without_a_critic(team, tenants):
    tenants.stance = Stance.SUPPORTER
    tenants.save()
    assert _codes(team) == [composition.NO_CRITIC]


def test_it_warns_for_each_sector_no_government_member_covers(team, casey):
    team.sectors = [Sector.HEALTH, Sector.HOUSING, Sector.PUBLIC_WORKS_TRAFFIC]
    team.save()
    warnings = composition.composition_warnings(team)
    assert [(w.code, w.sector) for w in warnings] == [
        (composition.SECTOR_MISSING, Sector.HOUSING),
        (composition.SECTOR_MISSING, Sector.PUBLIC_WORKS_TRAFFIC),
    ]
    assert "Housing" in warnings[0].text


def test_a_sector_is_covered_only_by_a_government_member(team, casey, agency):
    housing = OrganisationFactory.create(agency=agency, sectors=[Sector.HOUSING])
    services_team.member_add(
        actor=casey, problem=team, side="community", name="Tenant", organisation=housing
    )
    team.sectors = [Sector.HOUSING]
    team.save()
    assert _codes(team) == [composition.SECTOR_MISSING]


def test_members_who_left_do_not_count(team, casey):
    health_member = team.members.get(name="Dr Gloria Hayes")
    services_team.member_update(actor=casey, member=health_member, left_on=health_member.joined_on)
    assert _codes(team) == [composition.SECTOR_MISSING]


def test_an_empty_team_gets_every_warning(problem):
    problem.sectors = [Sector.HEALTH]
    problem.save()
    assert _codes(problem) == [
        composition.NO_LOCAL_RESIDENT,
        composition.NO_CRITIC,
        composition.SECTOR_MISSING,
    ]


def test_a_stale_copy_still_withdraws_the_pending_sign_off(team, casey, cleo, marta, agency):
    # The coordinator's page was loaded in Scanning; the problem has since moved
    # to Analysis and Marta signed the next move. Replacing her withdraws that.
    stale = Problem.objects.select_related("agency").get(pk=team.pk)
    GoalFactory.create(problem=team)
    stages.stage_sign_off(actor=cleo, problem=team)
    stages.stage_sign_off(actor=marta, problem=team)
    stages.stage_sign_off(actor=marta, problem=team)
    assert StageSignOff.objects.filter(problem=team, from_stage="analysis").exists()
    other = UserFactory.create(username="dolores")
    MembershipFactory.create(user=other, agency=agency, role=Role.PST_MEMBER)
    services_team.member_add(actor=casey, problem=stale, side="community", user=other)
    services_team.co_leads_set(
        actor=casey, problem=stale, police_co_lead=cleo, community_co_lead=other
    )
    assert not StageSignOff.objects.filter(problem=team, from_stage="analysis").exists()
