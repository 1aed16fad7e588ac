"""Team meetings: a monthly series of events in the events module, each with an agenda."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.engagement.models import Event, EventKind
from roundtable.problems import services_meetings

pytestmark = pytest.mark.django_db


def _local(*args):
    return timezone.make_aware(dt.datetime(*args))


def test_monthly_keeps_the_day_and_the_wall_clock_time():
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    with timezone.override(chicago):
        times = services_meetings.monthly(_local(2026, 1, 31, 18, 30), 4)
        local = [timezone.localtime(t) for t in times]
    assert [(t.month, t.day, t.hour, t.minute) for t in local] == [
        (1, 31, 18, 30),
        (2, 28, 18, 30),
        (3, 31, 18, 30),  # after the change to daylight saving time
        (4, 30, 18, 30),
    ]


def test_monthly_runs_over_the_year_end():
    times = services_meetings.monthly(_local(2026, 11, 15, 9, 0), 3)
    assert [timezone.localtime(t).date() for t in times] == [
        dt.date(2026, 11, 15),
        dt.date(2026, 12, 15),
        dt.date(2027, 1, 15),
    ]


def test_a_team_member_schedules_private_team_meetings(team, marta):
    meetings = services_meetings.meetings_schedule(
        actor=marta,
        problem=team,
        first_starts_at=_local(2026, 4, 7, 18, 0),
        months=3,
        place_name="Eastbank Library, room 2",
        agenda="1. Lights on level 2",
    )
    assert len(meetings) == 3
    events = Event.objects.filter(problem_meeting__problem=team).order_by("starts_at")
    assert [e.kind for e in events] == [EventKind.PST_MEETING] * 3
    assert not any(e.is_public or e.registration_open for e in events)
    assert all(e.ends_at - e.starts_at == dt.timedelta(minutes=90) for e in events)
    assert events[0].area == team.area
    assert "Car break-ins at the station car park" in events[0].title
    assert meetings[1].agenda == "1. Lights on level 2"
    assert AuditEntry.objects.filter(action="event.create").count() == 3
    assert AuditEntry.objects.filter(action="problems.meeting.schedule").count() == 1


def test_the_events_rules_apply(team, marta):
    with pytest.raises(ValidationError) as error:
        services_meetings.meetings_schedule(
            actor=marta, problem=team, first_starts_at=_local(2026, 4, 7, 18, 0), months=2
        )
    assert "place_name" in error.value.message_dict
    assert not Event.objects.exists()


def test_a_sensible_number_of_months(team, marta):
    for months in (0, services_meetings.MAX_MONTHS + 1):
        with pytest.raises(ValidationError):
            services_meetings.meetings_schedule(
                actor=marta,
                problem=team,
                first_starts_at=_local(2026, 4, 7, 18, 0),
                months=months,
                place_name="Library",
            )


def test_only_the_team_schedules_and_writes_agendas(team, marta, pat):
    with pytest.raises(PermissionDenied):
        services_meetings.meetings_schedule(
            actor=pat,
            problem=team,
            first_starts_at=_local(2026, 4, 7, 18, 0),
            months=1,
            place_name="Library",
        )
    meeting = services_meetings.meetings_schedule(
        actor=marta,
        problem=team,
        first_starts_at=_local(2026, 4, 7, 18, 0),
        months=1,
        place_name="Library",
    )[0]
    with pytest.raises(PermissionDenied):
        services_meetings.meeting_agenda_save(actor=pat, meeting=meeting, agenda="x")
    services_meetings.meeting_agenda_save(actor=marta, meeting=meeting, agenda=" 1. Lights ")
    meeting.refresh_from_db()
    assert meeting.agenda == "1. Lights"
    entry = AuditEntry.objects.get(action="problems.meeting.agenda")
    assert entry.actor == marta and entry.after == {"agenda": "1. Lights"}
