"""The demo's few hundred inputs from every channel, in every state of the ledger.

Written through the inputs services (`input_create` and the ledger services,
with `now=` set to when a coordinator would have acted), so the audit log and
the ledger fill as real use fills them. What people say comes from voices.py.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.demo.city import SPANISH_NEIGHBOURHOODS
from roundtable.demo.listening import YEAR, Listening, mailbox, person_name
from roundtable.demo.voices import ABUSIVE, ANSWERS, NOTES, REFERRALS, SAID, STREETS
from roundtable.engagement.models import Event
from roundtable.inputs.models import Input, InputChannel, Moderation, Notification, Status, Topic
from roundtable.inputs.services import input_create, input_link
from roundtable.inputs.services_ledger import (
    input_answer,
    input_assign,
    input_moderate,
    input_note_add,
    input_refer,
    input_set_status,
    referral_returned,
)
from roundtable.stakeholders.models import Organisation

T = TypeVar("T")

# How inputs arrive, by channel (weights), and whether people leave contact details.
CHANNELS = [
    (InputChannel.WEB, 34),
    (InputChannel.PHONE, 10),
    (InputChannel.MEETING, 14),
    (InputChannel.FOCUS_GROUP, 4),
    (InputChannel.SCANNING_INTERVIEW, 4),
    (InputChannel.SMS, 8),
    (InputChannel.EMAIL, 7),
    (InputChannel.THREE_ONE_ONE, 12),
    (InputChannel.SOCIAL_MEDIA, 5),
    (InputChannel.IN_PERSON, 2),
]
TOPIC_WEIGHTS = [
    (Topic.SAFETY_CONCERN, 40),
    (Topic.POLICY, 12),
    (Topic.INCIDENT, 8),
    (Topic.TECHNOLOGY, 10),
    (Topic.INTERACTIONS, 20),
    (Topic.OTHER, 10),
]
INPUTS = {"riverside": 320, "rsu": 70}
STAFF_CHANNELS = frozenset(
    {
        InputChannel.PHONE,
        InputChannel.MEETING,
        InputChannel.FOCUS_GROUP,
        InputChannel.SCANNING_INTERVIEW,
        InputChannel.IN_PERSON,
        InputChannel.THREE_ONE_ONE,
        InputChannel.SOCIAL_MEDIA,
    }
)


def _weighted(rng: random.Random, options: list[tuple[T, int]]) -> T:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


@dataclass(frozen=True)
class _Contact:
    anonymous: bool
    name: str = ""
    email: str = ""
    phone: str = ""


class ListeningInputs:
    """The few hundred inputs of the demo, in every state of the ledger."""

    def __init__(self, listening: Listening) -> None:
        self.l = listening
        self.rng = listening.rng

    def build(self) -> None:
        for slug, count in INPUTS.items():
            agency = self.l.agencies[slug]
            staff = (
                [self.l.users["coordinator"], self.l.users["admin"]]
                if slug == "riverside"
                else [self.l.users["unicoordinator"], self.l.users["admin"]]
            )
            places = [a for a in self.l.areas[slug].values() if a.slug in STREETS]
            organisations = list(Organisation.objects.filter(agency=agency))
            for n in range(count):
                self._one(agency, staff, places, organisations, n)
            for language, text in ABUSIVE:
                self._abusive(agency, staff[0], places, language, text)
        # The notices of the past were sent at the time; nothing is left to send.
        # Only the demo's own: other agencies on the same installation keep theirs.
        received = Input.objects.filter(pk=OuterRef("input_id")).values("received_at")
        Notification.objects.filter(input__agency__in=self.l.agencies.values()).update(
            state=Notification.State.SENT,
            sent_at=Subquery(received),
            created_at=Subquery(received),
        )

    def _one(
        self,
        agency: Agency,
        staff: list[User],
        places: list[Area],
        organisations: list[Organisation],
        n: int,
    ) -> None:
        rng = self.rng
        now = timezone.now()
        # Recent months are busier: the agency has been asking more.
        age_days = int(YEAR * (1 - rng.random() ** 0.8))
        received_at = now - dt.timedelta(
            days=age_days, hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
        )
        channel = _weighted(rng, CHANNELS)
        topic = _weighted(rng, TOPIC_WEIGHTS)
        area = rng.choice(places) if rng.random() < 0.85 else None
        spanish_area = area is not None and area.slug in SPANISH_NEIGHBOURHOODS
        language = "es" if rng.random() < (0.65 if spanish_area else 0.1) else "en"
        candidates = [t for lang, t in SAID[topic] if lang == language] or [
            t for _l, t in SAID[topic]
        ]
        street = rng.choice(STREETS[area.slug]) if area else "the main road"
        text = rng.choice(candidates).format(street=street)
        event = None
        if channel in (InputChannel.MEETING, InputChannel.FOCUS_GROUP):
            event = self._meeting_before(agency.slug, received_at)
            if event is None:
                channel = InputChannel.WEB
            elif event.area is not None and event.area.slug in STREETS:
                area = event.area
        organisation = (
            rng.choice(organisations) if channel == InputChannel.SCANNING_INTERVIEW else None
        )
        interview = {}
        if organisation is not None:
            interview = {
                "concerns": text,
                "relationship": rng.choice(RELATIONSHIPS),
                "data": rng.choice(DATA_HELD),
                "improve": rng.choice(IMPROVEMENTS),
            }
            text = ""
        contact = self._contact(channel, language)
        item = input_create(
            agency=agency,
            channel=channel,
            topic=topic,
            text=text,
            language=language,
            area=area,
            event=event,
            organisation=organisation,
            interview=interview,
            recorded_by=staff[0] if channel in STAFF_CHANNELS else None,
            external_id=f"{channel}-{agency.slug}-{n}" if channel in IMPORTED else None,
            received_at=received_at,
            is_anonymous=contact.anonymous,
            contact_name=contact.name,
            contact_email=contact.email,
            contact_phone=contact.phone,
        )
        if event is not None:
            input_link(actor=staff[0], input=item, item=event)
        self._ledger(item, staff, age_days, street)

    def _contact(self, channel: str, language: str) -> _Contact:
        rng = self.rng
        person = person_name(rng, spanish=language == "es")
        if channel == InputChannel.SMS:
            return _Contact(False, phone=f"+1555{rng.randint(1000000, 9999999)}")
        if channel == InputChannel.EMAIL or (
            channel in (InputChannel.WEB, InputChannel.PHONE) and rng.random() < 0.4
        ):
            return _Contact(False, name=person, email=mailbox(person))
        return _Contact(True)

    def _meeting_before(self, slug: str, when: dt.datetime) -> Event | None:
        held = [h.event for h in self.l.held.get(slug, []) if h.event.starts_at <= when]
        return max(held, key=lambda e: e.starts_at) if held else None

    def _ledger(self, item: Input, staff: list[User], age_days: int, street: str) -> None:
        """Move the input along as a coordinator would have, at the time they would have."""
        rng = self.rng
        owner = staff[0] if rng.random() < 0.75 else staff[1]
        received = item.received_at
        ack_target = item.agency.acknowledge_within_days
        answer_target = item.agency.answer_within_days
        if age_days < 1 or (age_days < ack_target + 3 and rng.random() < 0.5):
            return  # still new (some of these are late to be acknowledged)
        input_assign(actor=owner, input=item, owner=owner)
        ack_after = dt.timedelta(days=min(rng.choice((0, 1, 1, 2, 3, 5)), age_days), hours=2)
        input_set_status(
            actor=owner, input=item, status=Status.ACKNOWLEDGED, now=received + ack_after
        )
        if rng.random() < 0.2:
            input_note_add(actor=owner, input=item, text=rng.choice(NOTES))
        if age_days < 4:
            return
        work_at = received + ack_after + dt.timedelta(days=1)
        input_set_status(actor=owner, input=item, status=Status.IN_PROGRESS, now=work_at)
        topic = Topic(item.topic)
        if topic in REFERRALS and rng.random() < 0.25:
            target = rng.choice(REFERRALS[topic])
            organisation = Organisation.objects.filter(agency=item.agency, name=target).first()
            referral = input_refer(
                actor=owner,
                input=item,
                to_organisation=organisation,
                to_name=target,
                reference=f"SR-{rng.randint(100000, 999999)}",
                now=work_at + dt.timedelta(hours=3),
            )
            back_days = rng.randint(4, 25)
            if back_days >= age_days - 2 or rng.random() < 0.2:
                return  # still out (late ones show on the overdue list)
            referral_returned(
                actor=owner,
                referral=referral,
                outcome="Work order completed; they confirmed by email.",
                now=work_at + dt.timedelta(days=back_days),
            )
        # Answered within the target mostly; some late; some still open past it.
        answer_days = min(int(rng.gammavariate(2.0, 6.0)) + 2, age_days - 1)
        if answer_days >= age_days - 1 and age_days < answer_target:
            return
        if rng.random() < 0.08:
            return  # overdue: never answered
        answers = ANSWERS[topic][item.language]
        answer = rng.choice(answers).format(street=street)
        answered_at = received + dt.timedelta(days=answer_days, hours=rng.randint(1, 8))
        input_answer(actor=owner, input=item, answer=answer, now=answered_at)
        if age_days - answer_days > 20 and rng.random() < 0.5:
            input_set_status(
                actor=owner,
                input=item,
                status=Status.CLOSED,
                now=answered_at + dt.timedelta(days=14),
            )

    def _abusive(
        self, agency: Agency, coordinator: User, places: list[Area], language: str, text: str
    ) -> None:
        area = self.rng.choice(places)
        item = input_create(
            agency=agency,
            channel=InputChannel.WEB,
            topic=Topic.OTHER,
            text=text.format(street=STREETS[area.slug][0]),
            language=language,
            area=area,
            received_at=timezone.now() - dt.timedelta(days=self.rng.randint(1, 20)),
        )
        if language == "en":
            # One was read and kept from public view; the other waits in the queue.
            input_moderate(
                actor=coordinator,
                input=item,
                moderation=Moderation.HIDDEN,
                note="Abusive language; no request in it to answer.",
            )


IMPORTED = frozenset(
    {InputChannel.THREE_ONE_ONE, InputChannel.SOCIAL_MEDIA, InputChannel.SMS, InputChannel.EMAIL}
)
RELATIONSHIPS = [
    "Mixed: good with the beat officers, distrust after last year's incident.",
    "Better than five years ago, but young people still avoid officers.",
    "Hardly any relationship; people here do not call unless they must.",
]
DATA_HELD = [
    "We log every call to our hotline by neighbourhood and hour.",
    "Our outreach workers keep counts of encampments each week.",
    "We survey our members every spring about safety on the way to work.",
]
IMPROVEMENTS = [
    "Answer people who report things; tell them what happened.",
    "Hold meetings in Spanish and on weekends.",
    "Send outreach workers, not patrol cars, to mental health calls.",
]
