"""The ledger's pages have a bounded number of queries, however many inputs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from roundtable.inputs.models import InputNote, InputReferral, Moderation, Status
from tests.factories import AreaFactory, InputFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_ledger(agency, casey, ana):
    areas = AreaFactory.create_batch(3, agency=agency)
    statuses = list(Status)
    past = timezone.localdate() - dt.timedelta(days=40)
    items = []
    for i in range(36):
        item = InputFactory.create(
            agency=agency,
            area=areas[i % 3],
            owner=(casey, ana, None)[i % 3],
            status=statuses[i % len(statuses)],
            moderation=Moderation.HELD if i % 5 == 0 else Moderation.VISIBLE,
            acknowledge_by=past,
            answer_by=past,
        )
        InputNote.objects.create(input=item, author=casey, text=f"note {i}")
        InputReferral.objects.create(
            input=item, to_name="311", referred_at=timezone.now(), expected_back_by=past
        )
        items.append(item)
    return items


@pytest.mark.parametrize("page", ["inputs:ledger", "inputs:overdue", "inputs:moderation"])
def test_ledger_pages_are_query_bounded(
    page, agency, casey, busy_ledger, client_for, django_assert_max_num_queries
):
    client = client_for(casey)
    with django_assert_max_num_queries(16):
        response = client.get(reverse(page, args=[agency.slug]))
    assert response.status_code == 200


def test_the_detail_page_is_query_bounded(
    agency, casey, busy_ledger, client_for, django_assert_max_num_queries
):
    client = client_for(casey)
    with django_assert_max_num_queries(24):
        response = client.get(reverse("inputs:detail", args=[agency.slug, busy_ledger[0].pk]))
    assert response.status_code == 200
