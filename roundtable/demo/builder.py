"""Builds the fictional demo jurisdiction: Riverside and its state university.

Two agencies share ground (the university's Student Village lies inside the
city's University Hill), each with a Community Map of supporters and critics,
contacts whose terms run out, who-referred-whom, and 18 months of contact
history, so that every Community Map page has something true to show.

All writes to the map go through the stakeholder and account services, so
the audit log fills the way real use would fill it. The output depends only
on the seed and on today's date: dates are relative to today.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.demo import names
from roundtable.demo.accounts import ACCOUNTS, accounts_create
from roundtable.demo.campus import CAMPUS_AREAS, OVERLAPS, UNIVERSITY, UNIVERSITY_HUBS
from roundtable.demo.city import (
    CITY,
    CITY_DISTRICTS,
    CITY_HUBS,
    NEIGHBOURHOOD_GROUPS,
    SPANISH_NEIGHBOURHOODS,
)
from roundtable.demo.geography import boundaries_build
from roundtable.demo.incidents import child_seed, counted_assessment, incidents_build
from roundtable.demo.ledger import ListeningInputs
from roundtable.demo.listening import Listening
from roundtable.demo.measures import measures_build
from roundtable.demo.opinions import conversations_build
from roundtable.demo.organisations import OrgSpec
from roundtable.demo.problems import priorities_and_problems
from roundtable.demo.sentiment import sentiment_build
from roundtable.demo.surveys import surveys_build
from roundtable.stakeholders.models import (
    Category,
    Channel,
    Contact,
    Organisation,
    Stance,
    StanceChange,
)
from roundtable.stakeholders.services import (
    contact_create,
    interaction_record,
    organisation_create,
    organisation_update,
    referral_create,
)

HISTORY_DAYS = 545  # about 18 months of contact history
AGENCIES = {
    "riverside": ("Riverside Police Department", Agency.Kind.MUNICIPAL),
    "rsu": ("Riverside State University Police Department", Agency.Kind.UNIVERSITY),
}
# Where the demo's maps open (the point picker of the public form).
MAP_CENTRES = {
    "riverside": (Decimal("33.953350"), Decimal("-117.396156"), 13),
    "rsu": (Decimal("33.973600"), Decimal("-117.328100"), 15),
}
# Referrals per agency, hubs included.
REFERRALS = {"riverside": 44, "rsu": 16}
# Contacts whose term ends within the warning window, and ended but still active.
TERMS_ENDING = {"riverside": (5, 2), "rsu": (3, 1)}


@dataclass
class _Planned:
    """An organisation on its way into the map, with its contact-history plan."""

    spec: OrgSpec
    organisation: Organisation
    added_on: dt.date
    profile: str  # "never", "stale" or "active"
    contacts: list[Contact]


@dataclass
class _ContactPlan:
    name: str
    role: str
    email: str
    phone: str
    language: str
    channel: Channel
    term_ends_on: dt.date | None


class Builder:
    """One run of the demo: call build() inside a transaction."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.agencies: dict[str, Agency] = {}
        self.areas: dict[str, dict[str, Area]] = {}
        self.users: dict[str, User] = {}
        self.organisations: list[Organisation] = []
        self.used_names: set[str] = set()
        self.stance_dates: list[tuple[int, dt.date]] = []

    def build(self) -> None:
        for slug, (name, kind) in AGENCIES.items():
            latitude, longitude, zoom = MAP_CENTRES[slug]
            self.agencies[slug] = Agency.objects.create(
                name=name,
                slug=slug,
                kind=kind,
                map_latitude=latitude,
                map_longitude=longitude,
                map_zoom=zoom,
            )
        self._areas()
        self.users = accounts_create(self.agencies)
        boundaries_build(self.agencies, self.users)
        for slug, specs, actor, hubs in (
            ("riverside", self._city_specs(), self.users["coordinator"], CITY_HUBS),
            ("rsu", UNIVERSITY, self.users["unicoordinator"], UNIVERSITY_HUBS),
        ):
            planned = [self._organisation(slug, spec, actor, hubs) for spec in specs]
            self._contacts(slug, planned, actor)
            self._interactions(planned, actor)
            self._referrals(slug, planned, hubs, actor)
        self._partner_contact()
        self._backdate_stances()
        listening = Listening(self.rng, self.today, self.agencies, self.areas, self.users)
        listening.events()
        ListeningInputs(listening).build()
        self._incident_data()
        priorities_and_problems(listening)
        counted_assessment(
            agency=self.agencies["riverside"], today=self.today, actor=self.users["analyst"]
        )
        conversations_build(
            rng=random.Random(child_seed(self.rng, "opinions")),
            agency=self.agencies["riverside"],
            coordinator=self.users["coordinator"],
            resident=self.users.get("resident"),
        )
        surveys_build(
            rng=self.rng, today=self.today, agency=self.agencies["riverside"], users=self.users
        )
        measures_build(rng=self.rng, today=self.today, agencies=self.agencies, users=self.users)

    def _incident_data(self) -> None:
        """The records-system exports and the sentiment series, imported as a real agency's."""
        incidents_build(rng=self.rng, today=self.today, agencies=self.agencies, users=self.users)
        sentiment_build(
            rng=self.rng,
            today=self.today,
            agency=self.agencies["riverside"],
            actor=self.users["analyst"],
        )

    # ------------------------------------------------------------ areas

    def _areas(self) -> None:
        city = self.agencies["riverside"]
        areas: dict[str, Area] = {}
        for district, district_slug, beats, neighbourhoods in CITY_DISTRICTS:
            parent = Area.objects.create(
                agency=city, name=district, slug=district_slug, kind=Area.Kind.DISTRICT
            )
            areas[district_slug] = parent
            for name in neighbourhoods:
                areas[slugify(name)] = Area.objects.create(
                    agency=city,
                    name=name,
                    slug=slugify(name),
                    kind=Area.Kind.NEIGHBOURHOOD,
                    parent=parent,
                )
            for name in beats:
                areas[slugify(name)] = Area.objects.create(
                    agency=city, name=name, slug=slugify(name), kind=Area.Kind.BEAT, parent=parent
                )
        campus: dict[str, Area] = {}
        for name in CAMPUS_AREAS:
            campus[slugify(name)] = Area.objects.create(
                agency=self.agencies["rsu"], name=name, slug=slugify(name), kind=Area.Kind.CAMPUS
            )
        for campus_slug, city_slug in OVERLAPS.items():
            campus[campus_slug].overlaps.add(areas[city_slug])
        self.areas = {"riverside": areas, "rsu": campus}

    # ------------------------------------------------------------ organisations

    def _city_specs(self) -> list[OrgSpec]:
        stances = [Stance.SUPPORTER, Stance.NEUTRAL, Stance.CRITIC, Stance.UNKNOWN]
        specs = list(CITY)
        for template in NEIGHBOURHOOD_GROUPS:
            for area_slug in template.neighbourhoods:
                area_name = self._area_name(area_slug)
                specs.append(
                    OrgSpec(
                        template.pattern.format(area_name),
                        template.category,
                        template.sectors,
                        self.rng.choices(stances, weights=template.weights)[0],
                        areas=(area_slug,),
                        spanish=area_slug in SPANISH_NEIGHBOURHOODS,
                    )
                )
        return specs

    def _area_name(self, slug: str) -> str:
        for _district, _slug, _beats, neighbourhoods in CITY_DISTRICTS:
            for name in neighbourhoods:
                if slugify(name) == slug:
                    return name
        raise KeyError(slug)

    def _organisation(
        self, slug: str, spec: OrgSpec, actor: User, hubs: dict[str, int]
    ) -> _Planned:
        rng = self.rng
        steps = [*spec.history, spec.stance]
        if spec.history or spec.name in hubs:
            profile = "active"
        elif spec.stance == Stance.UNKNOWN:
            profile = rng.choices(["never", "stale", "active"], weights=[55, 25, 20])[0]
        else:
            profile = rng.choices(["never", "stale", "active"], weights=[4, 16, 80])[0]
        earliest = {"never": 20, "stale": 300, "active": 120}[profile]
        added_on = self.today - dt.timedelta(days=rng.randint(earliest, HISTORY_DAYS))
        domain = slugify(spec.name)[:40].strip("-") + ".example"
        kind = Organisation.Kind.INDIVIDUAL if spec.person_role else Organisation.Kind.ORGANISATION
        description = spec.person_role or rng.choice(names.DESCRIPTIONS[spec.category])
        website = "" if spec.person_role else f"https://{domain}"
        email = "" if spec.person_role else f"info@{domain}"
        phone = self._phone()
        areas = [self.areas[slug][a] for a in spec.areas]
        organisation = organisation_create(
            actor=actor,
            agency=self.agencies[slug],
            name=spec.name,
            category=spec.category,
            sectors=spec.sectors,
            areas=areas,
            kind=kind,
            stance=steps[0],
            stance_note=self._stance_note(spec, steps[0], profile, final=len(steps) == 1),
            description=description,
            website=website,
            email=email,
            phone=phone,
        )
        for i, stance in enumerate(steps[1:], start=2):
            organisation = organisation_update(
                actor=actor,
                organisation=organisation,
                name=spec.name,
                category=spec.category,
                sectors=spec.sectors,
                areas=areas,
                kind=kind,
                stance=stance,
                stance_note=self._stance_note(spec, stance, profile, final=i == len(steps)),
                description=description,
                website=website,
                email=email,
                phone=phone,
                external_id=None,
            )
        # Spread the stance history between joining the map and a fortnight ago.
        span = max((self.today - added_on).days - 14, len(steps))
        offsets = sorted(rng.sample(range(1, span), len(steps) - 1)) if len(steps) > 1 else []
        dates = [added_on] + [added_on + dt.timedelta(days=d) for d in offsets]
        changes = StanceChange.objects.filter(organisation=organisation).order_by("id")
        self.stance_dates += [(c.pk, d) for c, d in zip(changes, dates, strict=True)]
        self.organisations.append(organisation)
        return _Planned(spec, organisation, added_on, profile, [])

    def _stance_note(self, spec: OrgSpec, stance: Stance, profile: str, *, final: bool) -> str:
        if final and spec.note:
            return spec.note
        if final:
            never = profile == "never" and stance == Stance.UNKNOWN
            return self.rng.choice(names.NOT_CONTACTED_NOTES if never else names.NOTES[stance])
        return self.rng.choice(names.HISTORY_NOTES[stance])

    def _phone(self) -> str:
        return f"(555) 555-0{self.rng.randint(100, 199)}"

    def _backdate_stances(self) -> None:
        # changed_at is set on insert; the demo's history is older than today.
        changes = []
        for pk, day in self.stance_dates:
            moment = dt.datetime.combine(
                day, dt.time(self.rng.randint(9, 17), self.rng.choice([0, 15, 30, 45]))
            )
            changes.append(StanceChange(pk=pk, changed_at=timezone.make_aware(moment)))
        StanceChange.objects.bulk_update(changes, ["changed_at"], batch_size=500)

    # ------------------------------------------------------------ contacts

    def _contacts(self, slug: str, planned: list[_Planned], actor: User) -> None:
        rng = self.rng
        rows: list[tuple[_Planned, _ContactPlan]] = []
        represented = {account.represents for account in ACCOUNTS}
        for plan in planned:
            spec = plan.spec
            spanish_share = 0.75 if spec.spanish else 0.15
            count = 1 if spec.person_role else rng.choice([1, 1, 1, 2, 2, 3])
            if spec.name in represented:
                count = min(count, 2)  # the partner account's person comes on top
            for i in range(count):
                spanish = rng.random() < spanish_share
                name = spec.name if spec.person_role else self._person_name(spanish)
                role = spec.person_role or self._role(spec, i)
                domain = "mail" if spec.person_role else slugify(spec.name)[:40].strip("-")
                contact = _ContactPlan(
                    name=name,
                    role=role,
                    email=f"{_mailbox(name)}@{domain}.example",
                    phone=self._phone(),
                    language="es" if spanish else "en",
                    channel=self._channel(spanish),
                    term_ends_on=self._term_end(spec, role),
                )
                rows.append((plan, contact))
        # Some terms end within the warning window, a few have ended already
        # while the contact is still marked active: the renewal list's two cases.
        elected = [c for _plan, c in rows if c.role in names.ELECTED_ROLES]
        ending, ended = TERMS_ENDING[slug]
        for n, contact in enumerate(rng.sample(elected, ending + ended)):
            days = rng.randint(3, 28) if n < ending else -rng.randint(5, 60)
            contact.term_ends_on = self.today + dt.timedelta(days=days)
        for plan, c in rows:
            plan.contacts.append(
                contact_create(
                    actor=actor,
                    organisation=plan.organisation,
                    name=c.name,
                    role=c.role,
                    email=c.email,
                    phone=c.phone,
                    preferred_language=c.language,
                    preferred_channel=c.channel,
                    term_ends_on=c.term_ends_on,
                )
            )

    def _person_name(self, spanish: bool) -> str:
        first = names.SPANISH_FIRST_NAMES if spanish else names.FIRST_NAMES
        last = names.SPANISH_LAST_NAMES if spanish else names.LAST_NAMES
        while True:
            name = f"{self.rng.choice(first)} {self.rng.choice(last)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _role(self, spec: OrgSpec, index: int) -> str:
        roles = names.ROLES[spec.category]
        if index == 0 and spec.category == Category.FAITH:
            for word, title in names.FAITH_LEADERS:
                if word in spec.name:
                    return title
        return roles[index % len(roles)]

    def _channel(self, spanish: bool) -> Channel:
        weights = [25, 35, 20, 15, 5] if spanish else [50, 22, 8, 15, 5]
        choices = [Channel.EMAIL, Channel.PHONE, Channel.SMS, Channel.IN_PERSON, Channel.POST]
        return self.rng.choices(choices, weights=weights)[0]

    def _term_end(self, spec: OrgSpec, role: str) -> dt.date | None:
        if role not in names.ELECTED_ROLES:
            return None
        if spec.category == Category.CAMPUS_GROUP:
            # Student officers serve until the end of the academic year.
            end = dt.date(self.today.year, 5, 31)
            return end if end >= self.today else end.replace(year=end.year + 1)
        if self.rng.random() < 0.5:
            return None
        for year in (self.today.year, self.today.year + 1):
            for end in (dt.date(year, 6, 30), dt.date(year, 12, 31)):
                if end > self.today + dt.timedelta(days=45):
                    return end
        return None

    def _partner_contact(self) -> None:
        # The demo partner account speaks for this organisation; make it a contact too.
        for spec in ACCOUNTS:
            if not spec.represents:
                continue
            organisation = next(o for o in self.organisations if o.name == spec.represents)
            contact_create(
                actor=self.users["coordinator"],
                organisation=organisation,
                name=f"{spec.first_name} {spec.last_name}",
                role=spec.title,
                email=spec.email,
                preferred_language=spec.language,
            )

    # ------------------------------------------------------------ history

    def _interactions(self, planned: list[_Planned], actor: User) -> None:
        rng = self.rng
        kinds = list(names.INTERACTION_PHRASES)
        for plan in planned:
            if plan.profile == "never":
                continue
            first = (plan.added_on - self.today).days
            if plan.profile == "stale":
                days = [rng.randint(first, -185) for _ in range(rng.randint(1, 3))]
            else:
                days = [rng.randint(first, -1) for _ in range(rng.randint(1, 6))]
                days.append(rng.randint(max(first, -150), -1))
            for day in sorted(days):
                kind = rng.choices(kinds, weights=[35, 25, 30, 10])[0]
                phrase = rng.choice(names.INTERACTION_PHRASES[kind])
                contact = (
                    rng.choice(plan.contacts) if plan.contacts and rng.random() < 0.85 else None
                )
                interaction_record(
                    actor=actor,
                    organisation=plan.organisation,
                    kind=kind,
                    occurred_on=self.today + dt.timedelta(days=day),
                    summary=phrase.format(topic=rng.choice(names.TOPICS)),
                    contact=contact,
                )

    def _referrals(
        self, slug: str, planned: list[_Planned], hubs: dict[str, int], actor: User
    ) -> None:
        rng = self.rng
        by_name = {plan.spec.name: plan for plan in planned}
        pairs: set[tuple[int, int]] = set()

        def refer(referrer: _Planned, referred: _Planned) -> None:
            key = (referrer.organisation.pk, referred.organisation.pk)
            if referrer is referred or key in pairs or key[::-1] in pairs:
                return
            pairs.add(key)
            referral_create(
                actor=actor,
                referrer=referrer.organisation,
                referred=referred.organisation,
                note=rng.choice(names.REFERRAL_NOTES),
                referred_on=self.today - dt.timedelta(days=rng.randint(7, HISTORY_DAYS)),
            )

        # Hubs point mostly to organisations working in the same CS360 areas.
        for hub_name, count in hubs.items():
            hub = by_name[hub_name]
            near = [
                p for p in planned if p is not hub and set(p.spec.sectors) & set(hub.spec.sectors)
            ]
            for referred in rng.sample(near, min(count, len(near))):
                refer(hub, referred)
        referrers = [p for p in planned if p.profile != "never" and p.spec.stance != Stance.UNKNOWN]
        while len(pairs) < REFERRALS[slug]:
            refer(rng.choice(referrers), rng.choice(planned))


def _mailbox(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in ascii_name.lower().replace("'", "").replace(".", " ").split() if w]
    return ".".join(words[-2:]) if len(words) > 1 else words[0]
