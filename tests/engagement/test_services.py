"""Writing events: validation, SEQUENCE, audit, and telling the people who spoke."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.engagement import selectors, services
from roundtable.engagement.models import ActionItem, Event
from roundtable.inputs.models import PublicUpdate
from tests.engagement.conftest import in_days
from tests.factories import (
    ActionItemFactory,
    AreaFactory,
    EventFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _create(casey, agency, **overrides):
    fields = {
        "actor": casey,
        "agency": agency,
        "kind": "beat_meeting",
        "title": "Beat 4 meeting",
        "starts_at": in_days(10),
        "ends_at": in_days(10) + dt.timedelta(hours=2),
        "place_name": "Westside Community Centre",
    }
    fields.update(overrides)
    return services.event_create(**fields)


def test_an_event_is_created_with_its_hosts_and_audited(agency, casey, tenants, library, eastbank):
    event = _create(
        casey,
        agency,
        convener=tenants,
        co_hosts=[library],
        area=eastbank,
        languages=["es", "en", "es"],
    )
    assert event.convener == tenants
    assert list(event.co_hosts.all()) == [library]
    assert event.languages == ["es", "en"]
    assert event.sequence == 0
    entry = AuditEntry.objects.get(action="event.create")
    assert entry.actor == casey and entry.object_id == str(event.pk)
    assert entry.after is not None
    assert entry.after["co_hosts"] == ["Eastbank Library Friends"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"format": "virtual", "place_name": ""}, "join_url"),
        (
            {"format": "hybrid", "join_url": "https://meet.example.org/x", "place_name": ""},
            "place_name",
        ),
        ({"place_name": "", "address": ""}, "place_name"),
        ({"languages": ["en", "klingon"]}, "languages"),
    ],
)
def test_an_event_must_be_reachable_and_in_known_languages(agency, casey, overrides, field):
    with pytest.raises(ValidationError) as caught:
        _create(casey, agency, **overrides)
    assert field in caught.value.message_dict
    assert not Event.objects.exists()


def test_a_virtual_meeting_needs_no_place(agency, casey):
    event = _create(
        casey, agency, format="virtual", place_name="", join_url="https://meet.example.org/b4"
    )
    assert event.join_url == "https://meet.example.org/b4"


def test_an_event_cannot_end_before_it_starts(agency, casey):
    with pytest.raises(ValidationError) as caught:
        _create(casey, agency, ends_at=in_days(10) - dt.timedelta(hours=1))
    assert "ends_at" in caught.value.message_dict


def test_hosts_and_area_must_belong_to_the_agency(agency, other_agency, casey, tenants):
    campus_group = OrganisationFactory.create(agency=other_agency, name="Campus Safety Club")
    campus = AreaFactory.create(agency=other_agency, name="Main campus")
    for overrides, field in (
        ({"convener": campus_group}, "convener"),
        ({"co_hosts": [tenants, campus_group]}, "co_hosts"),
        ({"area": campus}, "area"),
    ):
        with pytest.raises(ValidationError) as caught:
            _create(casey, agency, **overrides)
        assert field in caught.value.message_dict


def test_changing_time_or_place_raises_the_sequence_but_a_new_title_does_not(town_hall, casey):
    services.event_update(actor=casey, event=town_hall, title="Eastbank town hall")
    town_hall.refresh_from_db()
    assert town_hall.sequence == 0
    # The same instant written in another time zone is no change.
    same = town_hall.starts_at.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    services.event_update(actor=casey, event=town_hall, starts_at=same)
    assert town_hall.sequence == 0
    services.event_update(
        actor=casey,
        event=town_hall,
        starts_at=town_hall.starts_at + dt.timedelta(days=1),
        ends_at=town_hall.ends_at + dt.timedelta(days=1),
    )
    services.event_update(actor=casey, event=town_hall, place_name="Eastbank High School gym")
    town_hall.refresh_from_db()
    assert town_hall.sequence == 2
    assert AuditEntry.objects.filter(action="event.update").count() == 4


def test_co_hosts_are_kept_when_not_given(town_hall, casey, library):
    services.event_update(actor=casey, event=town_hall, description="Bring your questions.")
    assert list(town_hall.co_hosts.all()) == [library]


def test_the_audit_sees_new_co_hosts_even_on_a_prefetched_event(town_hall, casey, tenants, library):
    event = selectors.event_detail(agency=town_hall.agency, pk=town_hall.pk)
    services.event_update(actor=casey, event=event, convener=None, co_hosts=[tenants])
    entry = AuditEntry.objects.get(action="event.update")
    assert entry.before is not None and entry.after is not None
    assert entry.before["co_hosts"] == ["Eastbank Library Friends"]
    assert entry.after["co_hosts"] == ["Riverside Tenants Union"]


def test_update_refuses_to_cancel_by_the_back_door(town_hall, casey):
    with pytest.raises(TypeError):
        services.event_update(actor=casey, event=town_hall, status="cancelled")


def test_moving_the_meeting_tells_the_people_whose_input_is_linked_in_their_language(
    town_hall, linked_input, casey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            actor=casey,
            event=town_hall,
            starts_at=town_hall.starts_at + dt.timedelta(days=2),
            ends_at=town_hall.ends_at + dt.timedelta(days=2),
        )
    update = PublicUpdate.objects.get(input=linked_input)
    assert "Eastbank safety town hall" in update.text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vecina@example.org"]
    assert "Eastbank safety town hall" in mail.outbox[0].body


def test_cancelling_says_why_raises_the_sequence_and_tells_contributors(
    town_hall, linked_input, casey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=casey, event=town_hall, note="The library is flooded.")
    town_hall.refresh_from_db()
    assert town_hall.status == Event.Status.CANCELLED
    assert town_hall.cancellation_note == "The library is flooded."
    assert town_hall.sequence == 1
    assert not town_hall.registration_open
    assert "The library is flooded." in PublicUpdate.objects.get(input=linked_input).text
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="event.cancel", object_id=str(town_hall.pk)).exists()
    with pytest.raises(ValidationError):
        services.event_cancel(actor=casey, event=town_hall)


def test_minutes_are_drafted_then_published_once(town_hall, linked_input, casey):
    services.event_minutes_save(actor=casey, event=town_hall, minutes="Draft notes.", publish=False)
    assert town_hall.minutes_published_at is None
    assert not PublicUpdate.objects.exists()
    services.event_minutes_save(
        actor=casey, event=town_hall, minutes="Forty residents came.", publish=True
    )
    first = town_hall.minutes_published_at
    assert first is not None
    services.event_minutes_save(
        actor=casey, event=town_hall, minutes="Forty-two residents came.", publish=True
    )
    assert town_hall.minutes_published_at == first
    # Told once, when first published; a correction is not news.
    assert PublicUpdate.objects.filter(input=linked_input).count() == 1
    assert AuditEntry.objects.filter(action="event.minutes").count() == 3


def test_empty_minutes_cannot_be_published(town_hall, casey):
    with pytest.raises(ValidationError):
        services.event_minutes_save(actor=casey, event=town_hall, minutes="  ", publish=True)


def test_headcount_is_recorded_and_never_negative(town_hall, casey):
    services.headcount_record(actor=casey, event=town_hall, headcount=42)
    town_hall.refresh_from_db()
    assert town_hall.headcount == 42
    with pytest.raises(ValidationError):
        services.headcount_record(actor=casey, event=town_hall, headcount=-1)


def test_an_action_item_has_owners_of_the_same_agency(town_hall, casey, tenants, uma, other_agency):
    item = services.action_item_create(
        actor=casey,
        event=town_hall,
        description="Ask public works to fix the lights on Oak Avenue.",
        owner_user=casey,
        owner_organisation=tenants,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    assert item.status == ActionItem.Status.OPEN
    with pytest.raises(ValidationError):
        services.action_item_create(actor=casey, event=town_hall, description="x", owner_user=uma)
    stranger = OrganisationFactory.create(agency=other_agency)
    with pytest.raises(ValidationError):
        services.action_item_create(
            actor=casey, event=town_hall, description="x", owner_organisation=stranger
        )
    with pytest.raises(ValidationError):
        services.action_item_create(
            actor=casey, event=town_hall, description="x", owner_user=UserFactory.create()
        )


def test_a_promise_kept_is_dated_and_relayed(town_hall, linked_input, casey):
    item = ActionItemFactory.create(event=town_hall)
    services.action_item_update(
        actor=casey,
        item=item,
        description=item.description,
        owner_user=casey,
        owner_organisation=None,
        due_on=None,
        status=ActionItem.Status.DONE,
        outcome="Six lights replaced.",
    )
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    text = PublicUpdate.objects.get(input=linked_input).text
    assert "Six lights replaced." in text
    # Reopened: no longer dated done; no second message.
    services.action_item_update(
        actor=casey,
        item=item,
        description=item.description,
        owner_user=casey,
        owner_organisation=None,
        due_on=None,
        status=ActionItem.Status.OPEN,
    )
    item.refresh_from_db()
    assert item.done_on is None
    assert PublicUpdate.objects.filter(input=linked_input).count() == 1
    assert AuditEntry.objects.filter(action="action_item.update").count() == 2


def test_changes_to_an_event_without_linked_inputs_tell_nobody(agency, casey):
    event = EventFactory.create(agency=agency)
    services.event_cancel(actor=casey, event=event)
    assert not PublicUpdate.objects.exists()
    assert mail.outbox == []
