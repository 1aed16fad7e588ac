"""Riverside's events: the Tenants Union convenes, the library co-hosts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.engagement.models import Event
from roundtable.inputs.models import Input
from roundtable.inputs.services import input_link
from roundtable.stakeholders.models import Organisation
from tests.factories import AreaFactory, EventFactory, InputFactory, OrganisationFactory


@pytest.fixture
def eastbank(agency: Agency) -> Area:
    return AreaFactory.create(agency=agency, name="Eastbank", slug="eastbank")


@pytest.fixture
def tenants(agency: Agency) -> Organisation:
    return OrganisationFactory.create(agency=agency, name="Riverside Tenants Union")


@pytest.fixture
def library(agency: Agency) -> Organisation:
    return OrganisationFactory.create(agency=agency, name="Eastbank Library Friends")


@pytest.fixture
def town_hall(
    agency: Agency, tenants: Organisation, library: Organisation, eastbank: Area
) -> Event:
    event = EventFactory.create(
        agency=agency,
        title="Eastbank safety town hall",
        convener=tenants,
        area=eastbank,
        languages=["en", "es"],
        interpretation="ASL interpreter on request",
        childcare="Free childcare in the children's room",
        accessibility="Step-free entrance on Library Lane",
        transport="Bus 12 stops outside",
        capacity=3,
    )
    event.co_hosts.set([library])
    return event


@pytest.fixture
def linked_input(agency: Agency, town_hall: Event, casey) -> Input:
    """Someone who asked, in Spanish and with an email, for the meeting to happen."""
    item = InputFactory.create(
        agency=agency,
        text="Queremos una reunión sobre la seguridad en Eastbank.",
        language="es",
        is_anonymous=False,
        contact_email="vecina@example.org",
        reply_channel="email",
    )
    input_link(actor=casey, input=item, item=town_hall)
    return item


def in_days(days: float, hour: int = 18) -> dt.datetime:
    local = timezone.localtime() + dt.timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)
