"""Riverside's listening so far: four people spoke about speeding near the
Eastbank school, and a theme and a candidate came of it.

- Marisol, a resident, wrote in Spanish and left her email (Eastbank).
- Someone anonymous wrote in English (Eastbank).
- The Eastbank Library Friends (supporters) wrote from Westside.
- The Riverside Tenants Union (critics) wrote without an area.
"""

from __future__ import annotations

import pytest

from roundtable.agencies.models import Agency, Area
from roundtable.inputs.models import Input
from roundtable.priorities.models import Candidate, Theme
from roundtable.stakeholders.models import Organisation, Stance
from tests.factories import (
    AreaFactory,
    CandidateFactory,
    InputFactory,
    OrganisationFactory,
    ThemeFactory,
)


@pytest.fixture
def eastbank(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Eastbank", slug="eastbank")


@pytest.fixture
def westside(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Westside", slug="westside")


@pytest.fixture
def tenants(agency: Agency) -> Organisation:
    return OrganisationFactory.create(
        agency=agency, name="Riverside Tenants Union", stance=Stance.CRITIC
    )


@pytest.fixture
def library(agency: Agency) -> Organisation:
    return OrganisationFactory.create(
        agency=agency, name="Eastbank Library Friends", stance=Stance.SUPPORTER
    )


@pytest.fixture
def marisol_input(agency: Agency, eastbank: Area) -> Input:
    return InputFactory.create(
        agency=agency,
        text="Los coches van muy rápido frente a la escuela de Eastbank.",
        language="es",
        area=eastbank,
        is_anonymous=False,
        contact_name="Marisol Reyes",
        contact_email="marisol@example.org",
        reply_channel="email",
    )


@pytest.fixture
def anonymous_input(agency: Agency, eastbank: Area) -> Input:
    return InputFactory.create(
        agency=agency, text="Cars speed past the Eastbank school every morning.", area=eastbank
    )


@pytest.fixture
def library_input(agency: Agency, westside: Area, library: Organisation) -> Input:
    return InputFactory.create(
        agency=agency,
        text="Speeding on the way to the school worries our readers' families.",
        area=westside,
        organisation=library,
        is_anonymous=False,
        contact_name="Library desk",
    )


@pytest.fixture
def tenants_input(agency: Agency, tenants: Organisation) -> Input:
    return InputFactory.create(
        agency=agency,
        text="Traffic stops near the school target our tenants; fix the speeding differently.",
        organisation=tenants,
        is_anonymous=False,
        contact_name="Union office",
    )


@pytest.fixture
def spoken(
    marisol_input: Input, anonymous_input: Input, library_input: Input, tenants_input: Input
) -> list[Input]:
    return [marisol_input, anonymous_input, library_input, tenants_input]


@pytest.fixture
def speeding(agency: Agency) -> Theme:
    return ThemeFactory.create(
        agency=agency,
        name="Speeding near schools",
        description="Drivers going fast past schools at drop-off and pick-up.",
    )


@pytest.fixture
def candidate(agency: Agency) -> Candidate:
    return CandidateFactory.create(agency=agency, title="Safer streets around schools")
