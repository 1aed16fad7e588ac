"""The demo's year of meetings: who convened them, who came, what was promised.

Everything is written through the engagement services, so the audit log fills
as real use would fill it. The one date real use would have set at the time
(when minutes were published) is then moved back to just after the meeting
with a plain update, as the Community Map demo does for stance changes: the
service stamps "now", and the demo builds a whole year in one run. The inputs
heard over the year are in ledger.py.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import TypeVar

from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.demo import names
from roundtable.demo.meetings import CAMPUS_SERIES, CITY_SERIES, MINUTES, PROMISES, MeetingSeries
from roundtable.engagement.attendance import (
    attendance_record,
    attendance_record_sheet,
    registration_create,
)
from roundtable.engagement.models import ActionItem, Attendance, Event, EventFormat
from roundtable.engagement.services import (
    action_item_create,
    action_item_update,
    event_create,
    event_minutes_save,
    headcount_record,
)
from roundtable.stakeholders.models import Organisation

T = TypeVar("T")

YEAR = 365
JOIN_URL = "https://meet.example.org/riverside-{slug}"


@dataclass
class HeldMeeting:
    event: Event
    series: MeetingSeries


@dataclass
class Listening:
    """One run: call events() then inputs() inside the demo's transaction."""

    rng: random.Random
    today: dt.date
    agencies: dict[str, Agency]
    areas: dict[str, dict[str, Area]]
    users: dict[str, User]
    held: dict[str, list[HeldMeeting]] = field(default_factory=dict)

    def _organisation(self, agency: Agency, name: str) -> Organisation | None:
        return Organisation.objects.filter(agency=agency, name=name).first()

    # ------------------------------------------------------------ meetings

    def events(self) -> None:
        for slug, series_list, actor in (
            ("riverside", CITY_SERIES, self.users["coordinator"]),
            ("rsu", CAMPUS_SERIES, self.users["unicoordinator"]),
        ):
            self.held[slug] = []
            for series in series_list:
                for day in self._dates(series):
                    meeting = self._event(slug, series, day, actor)
                    if day < self.today:
                        self.held[slug].append(HeldMeeting(meeting, series))
                        self._held(meeting, series, actor, slug)
                    else:
                        self._registrations(meeting)

    def _dates(self, series: MeetingSeries) -> list[dt.date]:
        """Past meetings over the last year, every `every_days` (give or take a
        few days, always on one of the series' weekdays), then the upcoming ones."""
        days: list[dt.date] = []
        day = self.today - dt.timedelta(days=YEAR - self.rng.randrange(series.every_days))
        future = 0
        while future < series.upcoming:
            on = day + dt.timedelta(days=self.rng.randint(-3, 3))
            while on.weekday() not in series.weekdays:
                on += dt.timedelta(days=1)
            if on >= self.today:
                if on == self.today:
                    on += dt.timedelta(days=7)
                future += 1
            days.append(on)
            day += dt.timedelta(days=series.every_days)
        return days

    def _event(self, slug: str, series: MeetingSeries, day: dt.date, actor: User) -> Event:
        agency = self.agencies[slug]
        venue = series.venues[self.rng.randrange(len(series.venues))]
        hour, minute = series.hours[self.rng.randrange(len(series.hours))]
        starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        spanish_first = series.languages[0] == "es"
        online = series.format in (EventFormat.VIRTUAL, EventFormat.HYBRID)
        convener = self._organisation(agency, series.convener) if series.convener else None
        co_hosts = [
            org for name in series.co_hosts if (org := self._organisation(agency, name)) is not None
        ]
        return event_create(
            actor=actor,
            agency=agency,
            kind=series.kind,
            title=series.title_es if spanish_first else series.title,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=series.minutes_long),
            format=series.format,
            description=series.description,
            convener=convener,
            co_hosts=co_hosts,
            join_url=JOIN_URL.format(slug=series.kind.replace("_", "-")) if online else "",
            place_name=venue.name,
            address=venue.address,
            area=self.areas[slug].get(venue.area),
            languages=list(series.languages),
            interpretation=series.interpretation,
            accessibility=series.accessibility,
            childcare=series.childcare,
            transport=series.transport,
            is_public=series.is_public,
        )

    def _held(self, event: Event, series: MeetingSeries, actor: User, slug: str) -> None:
        rng = self.rng
        spanish = "es" in series.languages
        people = [
            person_name(rng, spanish=spanish and rng.random() < 0.7)
            for _ in range(rng.randint(6, 18))
        ]
        organisations = list(
            Organisation.objects.filter(agency=event.agency).values_list("name", flat=True)[:80]
        )
        sheet = "\n".join(
            f"{person}, {rng.choice(organisations)}" if rng.random() < 0.3 else person
            for person in people
        )
        attendance_record_sheet(actor=actor, event=event, text=sheet)
        for _ in range(rng.randint(0, 4)):
            attendance_record(
                actor=actor,
                event=event,
                source=Attendance.Source.VIRTUAL
                if series.format != EventFormat.IN_PERSON
                else Attendance.Source.WALK_IN,
                area=event.area,
            )
        headcount = len(people) + rng.randint(3, 25)
        headcount_record(actor=actor, event=event, headcount=headcount)
        if series.is_public:
            minutes = rng.choice(MINUTES).format(n=headcount)
            event_minutes_save(actor=actor, event=event, minutes=minutes, publish=True)
        for _ in range(rng.randint(0, 2)):
            self._promise(event, actor)
        Event.objects.filter(pk=event.pk).update(
            minutes_published_at=event.ends_at + dt.timedelta(days=2) if series.is_public else None
        )

    def _promise(self, event: Event, actor: User) -> None:
        text, owner_name = self.rng.choice(PROMISES)
        owner_organisation = self._organisation(event.agency, owner_name) if owner_name else None
        due_on = timezone.localdate(event.starts_at) + dt.timedelta(
            days=self.rng.choice((14, 30, 45))
        )
        item = action_item_create(
            actor=actor,
            event=event,
            description=text,
            owner_user=None if owner_organisation else actor,
            owner_organisation=owner_organisation,
            due_on=due_on,
        )
        # Most promises that came due were kept; some are late, a few dropped.
        if due_on < self.today and self.rng.random() < 0.75:
            status = (
                ActionItem.Status.DONE if self.rng.random() < 0.9 else ActionItem.Status.DROPPED
            )
            action_item_update(
                actor=actor,
                item=item,
                description=item.description,
                owner_user=item.owner_user,
                owner_organisation=item.owner_organisation,
                due_on=item.due_on,
                status=status,
                outcome="Done and reported back at the next meeting."
                if status == ActionItem.Status.DONE
                else "Dropped: the partner could not take it on this year.",
                done_on=due_on - dt.timedelta(days=self.rng.randint(0, 10))
                if status == ActionItem.Status.DONE
                else None,
            )

    def _registrations(self, event: Event) -> None:
        if not event.is_public:
            return
        for _ in range(self.rng.randint(2, 12)):
            spanish = "es" in event.languages and self.rng.random() < 0.6
            person = person_name(self.rng, spanish=spanish)
            leaves_email = self.rng.random() < 0.6
            registration_create(
                event=event,
                name=person if self.rng.random() < 0.8 else "",
                email=mailbox(person) if leaves_email else "",
                preferred_language="es" if spanish else "en",
            )


def person_name(rng: random.Random, *, spanish: bool) -> str:
    first = names.SPANISH_FIRST_NAMES if spanish else names.FIRST_NAMES
    last = names.SPANISH_LAST_NAMES if spanish else names.LAST_NAMES
    return f"{rng.choice(first)} {rng.choice(last)}"


def mailbox(person: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", person).encode("ascii", "ignore").decode()
    local = ".".join(w for w in ascii_name.lower().replace("'", "").split() if w)
    return f"{local}@example.org"
