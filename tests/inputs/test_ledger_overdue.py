"""What counts as overdue, on fixed dates."""

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.inputs import selectors
from roundtable.inputs.models import InputReferral, Status
from tests.factories import InputFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 15)


def _input(agency, status, ack, answer, **kwargs):
    return InputFactory.create(
        agency=agency, status=status, acknowledge_by=ack, answer_by=answer, **kwargs
    )


def _referral(item, back_by, returned=False):
    now = timezone.now()
    return InputReferral.objects.create(
        input=item,
        to_name="311",
        referred_at=now,
        expected_back_by=back_by,
        returned_at=now if returned else None,
    )


def test_overdue_means_not_acknowledged_answer_late_or_referral_not_back(agency):
    day = dt.timedelta(days=1)
    not_acked = _input(agency, Status.NEW, TODAY - day, TODAY + 20 * day)
    acked_on_time = _input(agency, Status.ACKNOWLEDGED, TODAY - day, TODAY + 20 * day)
    new_due_today = _input(agency, Status.NEW, TODAY, TODAY + 20 * day)
    answer_late = _input(agency, Status.IN_PROGRESS, TODAY - 30 * day, TODAY - 2 * day)
    answered_late = _input(agency, Status.ANSWERED, TODAY - 30 * day, TODAY - 2 * day)
    closed = _input(agency, Status.CLOSED, TODAY - 30 * day, TODAY - 2 * day)
    referral_late = _input(agency, Status.REFERRED, TODAY - 5 * day, TODAY + 20 * day)
    _referral(referral_late, TODAY - 3 * day)
    referral_back = _input(agency, Status.REFERRED, TODAY - 5 * day, TODAY + 20 * day)
    _referral(referral_back, TODAY - 3 * day, returned=True)
    referral_in_time = _input(agency, Status.REFERRED, TODAY - 5 * day, TODAY + 20 * day)
    _referral(referral_in_time, TODAY + 3 * day)

    items = selectors.overdue_list(agency=agency, today=TODAY)
    by_pk = {row.input.pk: row for row in items}
    assert set(by_pk) == {not_acked.pk, answer_late.pk, referral_late.pk}
    assert str(by_pk[not_acked.pk].reason) == "not acknowledged"
    assert str(by_pk[answer_late.pk].reason) == "answer late"
    assert str(by_pk[referral_late.pk].reason) == "referral not back"
    assert by_pk[referral_late.pk].due == TODAY - 3 * day
    # The longest late first.
    assert [row.input.pk for row in items] == [referral_late.pk, answer_late.pk, not_acked.pk]
    assert selectors.overdue_count(agency=agency, today=TODAY) == 3
    counts = selectors.status_counts(agency=agency, today=TODAY)
    assert counts["overdue"] == 3 and counts["referred"] == 3 and counts["total"] == 9
    flagged = selectors.ledger_list(
        agency=agency, filters=selectors.LedgerFilter(overdue=True), today=TODAY
    )
    assert {i.pk for i in flagged} == set(by_pk)
    assert all(getattr(i, "is_overdue") for i in flagged)  # noqa: B009 -- an annotation
    assert not any(
        getattr(i, "is_overdue")  # noqa: B009 -- an annotation
        for i in selectors.ledger_list(agency=agency, today=TODAY)
        if i.pk in {acked_on_time.pk, new_due_today.pk, answered_late.pk, closed.pk}
    )


def test_another_agencys_late_inputs_are_not_counted(agency, other_agency):
    InputFactory.create(agency=other_agency, answer_by=TODAY - dt.timedelta(days=9))
    assert selectors.overdue_list(agency=agency, today=TODAY) == []
