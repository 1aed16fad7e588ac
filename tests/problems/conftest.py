"""Riverside's car break-ins team at the station car park.

- Cleo Command is the police co-lead (agency staff);
- Marta Mendoza, a resident of Eastbank on the team with her own account
  (a problem-solving team member), is the community co-lead;
- the Riverside Tenants Union (a critic) and the county health department
  (government, health) are on the team through their representatives;
- Pat Partner is a partner representative, but on no team.
"""

from __future__ import annotations

import pytest

from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency, Area
from roundtable.problems import services_team
from roundtable.problems.models import Problem, Side
from roundtable.stakeholders.models import Organisation, Sector, Stance
from tests.factories import (
    AreaFactory,
    MembershipFactory,
    OrganisationFactory,
    ProblemFactory,
    UserFactory,
)


@pytest.fixture
def eastbank(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Eastbank", slug="eastbank")


@pytest.fixture
def westbank(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Westbank", slug="westbank")


@pytest.fixture
def riverside_park(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Riverside Park", slug="riverside-park")


@pytest.fixture
def tenants(agency: Agency) -> Organisation:
    return OrganisationFactory.create(
        agency=agency, name="Riverside Tenants Union", stance=Stance.CRITIC
    )


@pytest.fixture
def health(agency: Agency) -> Organisation:
    return OrganisationFactory.create(
        agency=agency,
        name="County Health Department",
        category="government",
        sectors=[Sector.HEALTH],
    )


@pytest.fixture
def marta(agency: Agency) -> User:
    user = UserFactory.create(username="marta", first_name="Marta", last_name="Mendoza")
    MembershipFactory.create(user=user, agency=agency, role=Role.PST_MEMBER)
    return user


@pytest.fixture
def problem(agency: Agency, casey: User, eastbank: Area, westbank: Area) -> Problem:
    return ProblemFactory.create(
        agency=agency,
        title="Car break-ins at the station car park",
        area=eastbank,
        comparison_area=westbank,
        created_by=casey,
    )


@pytest.fixture
def team(
    problem: Problem,
    casey: User,
    cleo: User,
    marta: User,
    tenants: Organisation,
    health: Organisation,
) -> Problem:
    """The problem with its full team and both co-leads named."""
    services_team.member_add(
        actor=casey, problem=problem, side=Side.POLICE, name="Sgt Cleo Command", user=cleo
    )
    services_team.member_add(
        actor=casey,
        problem=problem,
        side=Side.COMMUNITY,
        name="Marta Mendoza",
        user=marta,
        organisation=tenants,
        lives_in_area=True,
    )
    services_team.member_add(
        actor=casey,
        problem=problem,
        side=Side.GOVERNMENT,
        name="Dr Gloria Hayes",
        organisation=health,
    )
    problem.sectors = [Sector.HEALTH]
    problem.save()
    return services_team.co_leads_set(
        actor=casey, problem=problem, police_co_lead=cleo, community_co_lead=marta
    )
