"""Team meetings: a monthly series of engagement events plus each one's agenda.

The meetings are events of kind PST_MEETING made through the events module's
own `event_create`, so they show in Events (where staff keep the minutes)
and are audited there; they are off the public calendar, since a team's
meetings are working sessions. The team writes each meeting's agenda here.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.audit.services import audit_record, snapshot
from roundtable.engagement.models import EventFormat, EventKind
from roundtable.engagement.services import event_create
from roundtable.problems import rules
from roundtable.problems.models import Problem, ProblemMeeting

MAX_MONTHS = 24


def monthly(first: dt.datetime, count: int) -> list[dt.datetime]:
    """`count` local times a month apart from `first`, on the same day of the
    month (the month's last day when it is shorter), at the same wall-clock time
    across daylight-saving changes."""
    local = timezone.localtime(first).replace(tzinfo=None)
    times: list[dt.datetime] = []
    for step in range(count):
        index = local.month - 1 + step
        year, month = local.year + index // 12, index % 12 + 1
        day = min(local.day, calendar.monthrange(year, month)[1])
        times.append(timezone.make_aware(local.replace(year=year, month=month, day=day)))
    return times


@transaction.atomic
def meetings_schedule(
    *,
    actor: User,
    problem: Problem,
    first_starts_at: dt.datetime,
    months: int,
    duration: dt.timedelta = dt.timedelta(minutes=90),
    format: EventFormat | str = EventFormat.IN_PERSON,
    place_name: str = "",
    address: str = "",
    join_url: str = "",
    agenda: str = "",
) -> list[ProblemMeeting]:
    """Schedule the team's meetings once a month for `months` months; each
    starts with `agenda` (the team edits each one later)."""
    if not rules.may_work(actor, problem):
        raise PermissionDenied(_("Only the team and coordinators may do this."))
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError(
            {"months": _("Schedule between 1 and %(max)s meetings.") % {"max": MAX_MONTHS}}
        )
    if duration <= dt.timedelta(0):
        raise ValidationError({"duration": _("A meeting must last some time.")})
    title = _("Team meeting: %(title)s") % {"title": problem.title}
    meetings: list[ProblemMeeting] = []
    for starts_at in monthly(first_starts_at, months):
        event = event_create(
            actor=actor,
            agency=problem.agency,
            kind=EventKind.PST_MEETING,
            title=title[:200],
            starts_at=starts_at,
            ends_at=starts_at + duration,
            format=format,
            place_name=place_name,
            address=address,
            join_url=join_url,
            area=problem.area,
            is_public=False,
            registration_open=False,
        )
        meetings.append(ProblemMeeting.objects.create(problem=problem, event=event, agenda=agenda))
    audit_record(
        actor=actor,
        agency=problem.agency,
        action="problems.meeting.schedule",
        instance=problem,
        after={
            "events": [meeting.event_id for meeting in meetings],
            "first": meetings[0].event.starts_at.isoformat(),
        },
    )
    return meetings


@transaction.atomic
def meeting_agenda_save(*, actor: User, meeting: ProblemMeeting, agenda: str) -> ProblemMeeting:
    problem = meeting.problem
    if not rules.may_work(actor, problem):
        raise PermissionDenied(_("Only the team and coordinators may do this."))
    before = snapshot(meeting, ["agenda"])
    meeting.agenda = agenda.strip()
    meeting.save(update_fields=["agenda"])
    audit_record(
        actor=actor,
        agency=problem.agency,
        action="problems.meeting.agenda",
        instance=meeting,
        before=before,
        after=snapshot(meeting, ["agenda"]),
    )
    return meeting
