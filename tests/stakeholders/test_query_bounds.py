"""Every Community Map page has a bounded number of queries, however large the map."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AreaFactory,
    ContactFactory,
    InteractionFactory,
    OrganisationFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_map(agency):
    """30 organisations, each with sectors, areas, contacts, interactions, referrals."""
    areas = AreaFactory.create_batch(4, agency=agency)
    today = timezone.localdate()
    organisations = []
    for i in range(30):
        org = OrganisationFactory.create(
            agency=agency,
            sectors=["health", "housing", "justice_crime"][: i % 3 + 1],
            areas=areas[: i % 4 + 1],
        )
        contact = ContactFactory.create(organisation=org, term_ends_on=today + dt.timedelta(days=i))
        InteractionFactory.create(
            organisation=org, contact=contact, occurred_on=today - dt.timedelta(days=30 * i)
        )
        organisations.append(org)
    for a, b in itertools.pairwise(organisations):
        ReferralFactory.create(referrer=a, referred=b)
    return organisations


@pytest.mark.parametrize(
    ("page", "bound"),
    [
        ("stakeholders:renewals", 10),
        ("stakeholders:coverage", 12),
        ("stakeholders:network", 10),
        ("stakeholders:worksheet", 10),
        ("core:agency_home", 10),
        ("members:list", 10),
    ],
)
def test_each_page_has_a_bounded_number_of_queries(
    page, bound, agency, adam, busy_map, client_for, django_assert_max_num_queries
):
    client = client_for(adam)
    url = reverse(page, args=[agency.slug])
    client.get(url)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_the_detail_page_does_not_grow_with_its_relations(
    agency, adam, busy_map, client_for, django_assert_max_num_queries
):
    hub = busy_map[0]
    for other in busy_map[2:12]:
        ReferralFactory.create(referrer=hub, referred=other)
        ContactFactory.create(organisation=hub)
        InteractionFactory.create(organisation=hub)
    client = client_for(adam)
    url = reverse("stakeholders:detail", args=[agency.slug, hub.pk])
    client.get(url)
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200
