"""Factories for the test personas. Prefer these to fixtures with fixed rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from roundtable.accounts.models import Membership, Role, User
from roundtable.agencies.models import Agency, Area
from roundtable.compstat.models import MeetingPack
from roundtable.engagement.models import ActionItem, Event, Registration
from roundtable.incidents.models import (
    AreaBoundary,
    ImportRun,
    Incident,
    IncidentOffence,
    SentimentScore,
)
from roundtable.inputs import receipts
from roundtable.inputs.models import Input, InputChannel, Topic
from roundtable.measures.models import (
    DataSharer,
    Measure,
    MeasureValue,
    PartnerSubmission,
    Polarity,
    Source,
    Unit,
    ValueSource,
)
from roundtable.measures.models import Frequency as MeasureFrequency
from roundtable.opinions.models import Conversation, Participant, Statement, Vote
from roundtable.priorities.models import Candidate, Decision, PairwiseSurvey, Theme
from roundtable.problems.models import Assessment, Goal, Problem, ResponseAction, Side, TeamMember
from roundtable.stakeholders.models import (
    Category,
    Contact,
    Interaction,
    Organisation,
    OrganisationSector,
    Referral,
    Sector,
    Stance,
)
from roundtable.surveys.models import (
    Invitation,
    Option,
    PopulationMargin,
    Question,
    ReferencePopulation,
    Response,
    Survey,
)

PASSWORD = "correct horse battery staple"


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test City Police Department {n}")
    slug = factory.Sequence(lambda n: f"tcpd-{n}")
    kind = Agency.Kind.MUNICIPAL


class AreaFactory(factory.django.DjangoModelFactory[Area]):
    class Meta:
        model = Area

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    slug = factory.Sequence(lambda n: f"neighbourhood-{n}")
    kind = Area.Kind.NEIGHBOURHOOD


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: Any, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.COORDINATOR


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    category = Category.COMMUNITY_GROUP
    stance = Stance.UNKNOWN

    @factory.post_generation
    def sectors(obj: Any, create, extracted, **kwargs):
        if create and extracted:
            for sector in extracted:
                OrganisationSector.objects.create(organisation=obj, sector=Sector(sector))

    @factory.post_generation
    def areas(obj: Any, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class InteractionFactory(factory.django.DjangoModelFactory[Interaction]):
    class Meta:
        model = Interaction

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Interaction.Kind.MEETING
    occurred_on = factory.Faker("date_this_year")
    summary = "Met to talk about the spring listening sessions."


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    referrer = factory.SubFactory(OrganisationFactory)
    referred = factory.SubFactory(
        OrganisationFactory, agency=factory.SelfAttribute("..referrer.agency")
    )
    agency = factory.SelfAttribute("referrer.agency")


def verified_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


class InputFactory(factory.django.DjangoModelFactory[Input]):
    """An input as the ledger holds it, without going through input_create (no
    notice queued). Due dates follow the agency's targets from `received_at`."""

    class Meta:
        model = Input

    agency = factory.SubFactory(AgencyFactory)
    receipt_code = factory.LazyFunction(receipts.new_code)
    channel = InputChannel.WEB
    topic = Topic.SAFETY_CONCERN
    text = factory.Sequence(lambda n: f"The streetlight on block {n} has been out for weeks.")
    received_at = factory.LazyFunction(timezone.now)
    acknowledge_by = factory.LazyAttribute(
        lambda o: (
            timezone.localdate(o.received_at) + dt.timedelta(days=o.agency.acknowledge_within_days)
        )
    )
    answer_by = factory.LazyAttribute(
        lambda o: timezone.localdate(o.received_at) + dt.timedelta(days=o.agency.answer_within_days)
    )


# --- Engagement events (tests/engagement) ---


class EventFactory(factory.django.DjangoModelFactory[Event]):
    """A public town hall in person, a week from now, 18:30 to 20:00."""

    class Meta:
        model = Event

    agency = factory.SubFactory(AgencyFactory)
    kind = "town_hall"
    title = factory.Sequence(lambda n: f"Town hall {n}")
    format = "in_person"
    place_name = "Eastbank Library"
    address = "10 Library Lane"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(
            hour=23, minute=30, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=90))
    languages = factory.LazyFunction(lambda: ["en"])


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Neighbour {n}")


class ActionItemFactory(factory.django.DjangoModelFactory[ActionItem]):
    class Meta:
        model = ActionItem

    event = factory.SubFactory(EventFactory)
    description = "Ask public works about the broken streetlights on Oak Avenue."


# --- Priorities (tests/priorities) ---


class ThemeFactory(factory.django.DjangoModelFactory[Theme]):
    class Meta:
        model = Theme

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class CandidateFactory(factory.django.DjangoModelFactory[Candidate]):
    """A candidate on the shortlist."""

    class Meta:
        model = Candidate

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"Candidate priority {n}")
    status = Candidate.Status.ACTIVE


class PairwiseSurveyFactory(factory.django.DjangoModelFactory[PairwiseSurvey]):
    """An open survey; pass candidates=[…] to put them on it."""

    class Meta:
        model = PairwiseSurvey
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    question = "Which should be a public safety priority this year?"
    status = PairwiseSurvey.Status.OPEN
    opened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def candidates(obj: Any, create, extracted, **kwargs):
        if create and extracted:
            obj.candidates.set(extracted)


class DecisionFactory(factory.django.DjangoModelFactory[Decision]):
    """A draft decision of the advisory board."""

    class Meta:
        model = Decision

    agency = factory.SubFactory(AgencyFactory)
    title = "Priorities for the coming year"
    decided_by = "Community advisory board"
    decided_on = factory.LazyFunction(timezone.localdate)
    rationale = "The community ranked these highest and partners can help with each."


# --- Problems (tests/problems) ---


class ProblemFactory(factory.django.DjangoModelFactory[Problem]):
    """A problem in scanning, without a team."""

    class Meta:
        model = Problem

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"Problem {n}")
    statement = "Car break-ins around the station car park, mostly at night."


class TeamMemberFactory(factory.django.DjangoModelFactory[TeamMember]):
    class Meta:
        model = TeamMember

    problem = factory.SubFactory(ProblemFactory)
    side = Side.COMMUNITY
    name = factory.Sequence(lambda n: f"Team member {n}")


class GoalFactory(factory.django.DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    problem = factory.SubFactory(ProblemFactory)
    metric = "Thefts from vehicles reported per month in the response area"
    baseline = 20
    target = 12
    target_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=180))


class ResponseActionFactory(factory.django.DjangoModelFactory[ResponseAction]):
    class Meta:
        model = ResponseAction

    problem = factory.SubFactory(ProblemFactory)
    description = "Ask the car park's owner to repair the lighting on level 2."
    owner_name = "Station car park manager"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class AssessmentFactory(factory.django.DjangoModelFactory[Assessment]):
    """The published WDD example (Wheeler & Ratcliffe 2018) as a problem's counts."""

    class Meta:
        model = Assessment

    problem = factory.SubFactory(ProblemFactory)
    label = "Thefts from vehicles"
    before_start = dt.date(2025, 1, 1)
    before_end = dt.date(2025, 6, 30)
    after_start = dt.date(2025, 7, 1)
    after_end = dt.date(2025, 12, 31)
    target_before = 207
    target_after = 110
    control_before = 308
    control_after = 318
    buffer_before = 178
    buffer_after = 157
    buffer_control_before = 150
    buffer_control_after = 140


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    """A GeoJSON polygon: the square of `size` degrees with its south-west corner here."""
    ring = [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


class AreaBoundaryFactory(factory.django.DjangoModelFactory[AreaBoundary]):
    """A square boundary; pass `corner=(lon, lat)` and `size` to place it."""

    class Meta:
        model = AreaBoundary

    class Params:
        corner = (-87.70, 41.90)
        size = 0.01

    area = factory.SubFactory(AreaFactory)
    geometry = factory.LazyAttribute(lambda o: square(o.corner[0], o.corner[1], o.size))
    min_longitude = factory.LazyAttribute(lambda o: o.corner[0])
    min_latitude = factory.LazyAttribute(lambda o: o.corner[1])
    max_longitude = factory.LazyAttribute(lambda o: o.corner[0] + o.size)
    max_latitude = factory.LazyAttribute(lambda o: o.corner[1] + o.size)
    square_km = 1.0
    source = "test boundaries"


class ImportRunFactory(factory.django.DjangoModelFactory[ImportRun]):
    class Meta:
        model = ImportRun

    agency = factory.SubFactory(AgencyFactory)
    kind = ImportRun.Kind.INCIDENTS
    status = ImportRun.Status.DONE
    profile = "chicago"
    file_name = factory.Sequence(lambda n: f"export-{n}.csv")


class IncidentFactory(factory.django.DjangoModelFactory[Incident]):
    """A located theft yesterday; set `offence` and the derived fields together."""

    class Meta:
        model = Incident

    agency = factory.SubFactory(AgencyFactory)
    source_id = factory.Sequence(lambda n: f"HX{n:06d}")
    profile = "chicago"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    occurred_on = factory.LazyAttribute(lambda o: timezone.localdate(o.occurred_at))
    offence = "theft"
    against = "property"
    crime_group = "property"
    sensitive = False
    block = "055XX S ADA ST"
    latitude = 41.905
    longitude = -87.695
    location = Incident.Location.OK


class IncidentOffenceFactory(factory.django.DjangoModelFactory[IncidentOffence]):
    class Meta:
        model = IncidentOffence

    incident = factory.SubFactory(IncidentFactory)
    code = "0820"
    description = "THEFT $500 AND UNDER"
    category = "theft"


class SentimentScoreFactory(factory.django.DjangoModelFactory[SentimentScore]):
    class Meta:
        model = SentimentScore

    agency = factory.SubFactory(AgencyFactory)
    unit = factory.Sequence(lambda n: f"district {n}")
    period_start = dt.date(2021, 4, 1)
    period_end = dt.date(2021, 4, 30)
    safety = 56.7
    trust = 60.9
    source = "Chicago Police Sentiment Scores"


class ConversationFactory(factory.django.DjangoModelFactory[Conversation]):
    class Meta:
        model = Conversation

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(
        lambda n: f"How should the department and residents share the park? {n}"
    )
    question = "What would make Harlow Park feel safe for everyone, day and night?"
    moderation = Conversation.Moderation.STRICT
    status = Conversation.Status.OPEN


class ParticipantFactory(factory.django.DjangoModelFactory[Participant]):
    class Meta:
        model = Participant

    conversation = factory.SubFactory(ConversationFactory)
    number = factory.Sequence(lambda n: n)


class StatementFactory(factory.django.DjangoModelFactory[Statement]):
    class Meta:
        model = Statement

    conversation = factory.SubFactory(ConversationFactory)
    number = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Officers on foot in the park after dark would help ({n}).")
    is_seed = True
    moderation = Statement.Moderation.ACCEPTED
    created_at = factory.LazyFunction(timezone.now)


class VoteFactory(factory.django.DjangoModelFactory[Vote]):
    class Meta:
        model = Vote

    participant = factory.SubFactory(ParticipantFactory)
    conversation = factory.LazyAttribute(lambda v: v.participant.conversation)
    statement = factory.SubFactory(
        StatementFactory, conversation=factory.SelfAttribute("..conversation")
    )
    value = Vote.Value.AGREE
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyAttribute(lambda v: v.created_at)


class SurveyFactory(factory.django.DjangoModelFactory[Survey]):
    class Meta:
        model = Survey

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(
        lambda n: {"en": f"Neighbourhood safety and trust {n}", "es": f"Seguridad y confianza {n}"}
    )
    languages = factory.LazyFunction(lambda: ["en", "es"])
    status = Survey.Status.OPEN
    public_token = factory.Sequence(lambda n: f"open-link-token-{n:06d}")


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"q{n}")
    kind = Question.Kind.SCALE
    text = factory.LazyFunction(
        lambda: {
            "en": "How safe do you feel from crime in your neighbourhood?",
            "es": "¿Qué tan seguro se siente frente al delito en su vecindario?",
        }
    )


class OptionFactory(factory.django.DjangoModelFactory[Option]):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.SINGLE)
    position = factory.Sequence(lambda n: n)
    value = factory.Sequence(lambda n: f"option-{n}")
    label = factory.LazyAttribute(lambda o: {"en": o.value, "es": o.value})


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    batch = "Residents' panel, wave 1"


class ResponseFactory(factory.django.DjangoModelFactory[Response]):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    period = factory.LazyAttribute(lambda r: timezone.localdate(r.submitted_at).replace(day=1))
    channel = Response.Channel.LINK
    answers = factory.LazyFunction(dict)


class ReferencePopulationFactory(factory.django.DjangoModelFactory[ReferencePopulation]):
    class Meta:
        model = ReferencePopulation

    agency = factory.SubFactory(AgencyFactory)
    name = "American Community Survey 2016–2020"
    source = "U.S. Census Bureau, ACS 5-year estimates"


class PopulationMarginFactory(factory.django.DjangoModelFactory[PopulationMargin]):
    class Meta:
        model = PopulationMargin

    population = factory.SubFactory(ReferencePopulationFactory)
    area = factory.SubFactory(AreaFactory, agency=factory.SelfAttribute("..population.agency"))
    characteristic = "age_band"
    category = "18_34"
    count = 1000.0


class MeasureFactory(factory.django.DjangoModelFactory[Measure]):
    """An agency's own measure by default; pass catalogue_key (and its goal,
    indicator …) for one chosen from the catalogue."""

    class Meta:
        model = Measure

    agency = factory.SubFactory(AgencyFactory)
    goal = "trust"
    indicator = "transparency"
    name = factory.Sequence(lambda n: f"Measure {n}")
    definition = "What it counts, and how."
    unit = Unit.COUNT
    polarity = Polarity.HIGHER_IS_BETTER
    frequency = MeasureFrequency.MONTHLY
    source = Source.IMPORTED


class MeasureValueFactory(factory.django.DjangoModelFactory[MeasureValue]):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(MeasureFactory)
    period_start = dt.date(2026, 10, 1)
    value = 12.0
    source = ValueSource.IMPORTED


class DataSharerFactory(factory.django.DjangoModelFactory[DataSharer]):
    class Meta:
        model = DataSharer

    organisation = factory.SubFactory(OrganisationFactory)
    agency = factory.SelfAttribute("organisation.agency")
    user = factory.SubFactory(UserFactory)


class PartnerSubmissionFactory(factory.django.DjangoModelFactory[PartnerSubmission]):
    class Meta:
        model = PartnerSubmission

    measure = factory.SubFactory(MeasureFactory, source=Source.PARTNER)
    agency = factory.SelfAttribute("measure.agency")
    organisation = factory.SubFactory(
        OrganisationFactory, agency=factory.SelfAttribute("..measure.agency")
    )
    method = PartnerSubmission.Method.FORM
    provenance = "Attendance system extract, all district schools"
    rows = factory.LazyFunction(
        lambda: [
            {
                "period": "2026-10-01",
                "area": None,
                "value": 93.5,
                "numerator": None,
                "denominator": None,
            }
        ]
    )


class MeetingPackFactory(factory.django.DjangoModelFactory[MeetingPack]):
    class Meta:
        model = MeetingPack

    agency = factory.SubFactory(AgencyFactory)
    month = dt.date(2026, 10, 1)
    language = "en"
    html = "<section><h2>Measures</h2></section>"
    issued_at = factory.LazyFunction(timezone.now)
