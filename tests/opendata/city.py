"""Riverside's public data for the open data and dashboard tests, with small cells
planted where a careless file would give them away:

- incidents: 60 thefts in North, 3 burglaries in South (small), and sensitive
  offences in North that must never be counted;
- inputs: 12 about safety and 3 about technology (small), in North and South;
- a published COUNT measure by area: North 9, South 3 (small), overall 12; an
  internal measure (officer wellness) marked public by mistake, and an
  unpublished one, which must never appear;
- a published survey, and a survey whose results are not published;
- a published decision choosing a priority 2 inputs point to (small), and a
  draft decision;
- a public problem with a goal and an assessment, and a private problem;
- a public meeting and a private one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from roundtable.agencies.models import Agency, Area
from roundtable.inputs.models import Input, InputLink, Moderation, Topic
from roundtable.measures.models import Measure, Unit
from roundtable.priorities.models import Candidate, Decision
from roundtable.problems.models import Problem
from roundtable.surveys.models import Measure as SurveyMeasure
from roundtable.surveys.models import Question, Survey
from tests.factories import (
    AreaBoundaryFactory,
    AssessmentFactory,
    CandidateFactory,
    DecisionFactory,
    EventFactory,
    GoalFactory,
    InputFactory,
    MeasureFactory,
    MeasureValueFactory,
    ProblemFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)
from tests.incidents.helpers import AS_OF, incident

# The measure's figures are for this month; the window ends at the latest figure.
MONTH = dt.date(2026, 9, 1)
FORMULA = '=HYPERLINK("http://evil.example","click")'


@dataclass
class City:
    north: Area
    south: Area
    measure: Measure
    internal: Measure
    unpublished: Measure
    survey: Survey
    hidden_survey: Survey
    decision: Decision
    draft: Decision
    problem: Problem
    private_problem: Problem


def _areas(agency: Agency) -> tuple[Area, Area]:
    north = AreaBoundaryFactory.create(
        area__agency=agency,
        area__name="North District",
        area__slug="north",
        area__kind=Area.Kind.DISTRICT,
        corner=(-87.71, 41.89),
        size=0.03,
    ).area
    south = AreaBoundaryFactory.create(
        area__agency=agency,
        area__name="South District",
        area__slug="south",
        area__kind=Area.Kind.DISTRICT,
        corner=(-87.71, 41.79),
        size=0.03,
    ).area
    return north, south


def _incidents(agency: Agency, north: Area, south: Area) -> None:
    for i in range(60):
        incident(
            agency,
            AS_OF - dt.timedelta(days=i % 20),
            areas=(north,),
            latitude=41.900317 + (i % 6) * 0.000813,
            longitude=-87.700271 + (i // 6 % 6) * 0.000807,
            block="001XX N SECRET ST",
        )
    for i in range(3):
        incident(
            agency,
            AS_OF,
            "burglary",
            areas=(south,),
            latitude=41.801234 + i * 1.37e-4,
            longitude=-87.698713,
            block="002XX S QUIET AVE",
        )
    for i in range(6):
        incident(
            agency,
            AS_OF,
            "sexual_assault",
            areas=(north,),
            latitude=41.912347 + i * 1.37e-4,
            longitude=-87.691137,
            block="003XX W HIDDEN PL",
        )


def _inputs(agency: Agency, north: Area, south: Area) -> list[Input]:
    now = timezone.now()
    made: list[Input] = []
    for n in range(12):
        made.append(
            InputFactory.create(
                agency=agency,
                topic=Topic.SAFETY_CONCERN,
                area=north if n % 2 else south,
                received_at=now - dt.timedelta(days=20 + n),
                answered_at=now - dt.timedelta(days=10),
                public_answer="We fixed the lights on Oak Avenue.",
                moderation=Moderation.VISIBLE,
                text=FORMULA if n == 0 else f"The lights on Oak Avenue are out ({n}).",
            )
        )
    for n in range(3):
        made.append(
            InputFactory.create(
                agency=agency,
                topic=Topic.TECHNOLOGY,
                area=north,
                received_at=now - dt.timedelta(days=5 + n),
                text=f"Who reads the plate cameras' data? ({n})",
            )
        )
    return made


def _measures(agency: Agency, north: Area, south: Area) -> tuple[Measure, Measure, Measure]:
    measure = MeasureFactory.create(
        agency=agency, name="Volunteer hours logged", unit=Unit.COUNT, by_area=True, target=20
    )
    for area, value in ((None, 12), (north, 9), (south, 3)):
        MeasureValueFactory.create(
            measure=measure, period_start=MONTH, area=area, value=value, numerator=value
        )
    internal = MeasureFactory.create(
        agency=agency,
        catalogue_key="officer_wellness",
        goal="officer_wellbeing",
        indicator="officer_wellness",
        name="Officers reporting burnout",
        unit=Unit.PERCENT,
        is_public=True,
    )
    MeasureValueFactory.create(measure=internal, period_start=MONTH, value=41.0)
    unpublished = MeasureFactory.create(
        agency=agency, name="Overtime hours unpublished", is_public=False
    )
    MeasureValueFactory.create(measure=unpublished, period_start=MONTH, value=77.0)
    return measure, internal, unpublished


def _survey(agency: Agency, north: Area, *, title: str, publish: bool) -> Survey:
    survey = SurveyFactory.create(
        agency=agency,
        title={"en": title, "es": title},
        publish_results=publish,
        status=Survey.Status.CLOSED,
    )
    for position, (key, measure) in enumerate(
        [
            ("safety", SurveyMeasure.SAFETY),
            ("respect", SurveyMeasure.TRUST_RESPECT),
            ("listen", SurveyMeasure.TRUST_LISTEN),
        ]
    ):
        QuestionFactory.create(
            survey=survey, position=position, key=key, kind=Question.Kind.SCALE, measure=measure
        )
    moment = timezone.make_aware(dt.datetime(2025, 2, 10, 12))
    for n in range(40):
        ResponseFactory.create(
            survey=survey,
            submitted_at=moment,
            area=north,
            answers={"safety": 5 + n % 3, "respect": 6, "listen": 8},
        )
    return survey


def _priorities(agency: Agency, inputs: list[Input]) -> tuple[Decision, Decision]:
    candidate = CandidateFactory.create(
        agency=agency, title="Safer walks home from the station", status=Candidate.Status.CHOSEN
    )
    kind = ContentType.objects.get_for_model(Candidate)
    for item in inputs[:2]:
        InputLink.objects.create(input=item, content_type=kind, object_id=candidate.pk)
    decision = DecisionFactory.create(
        agency=agency,
        title="Priorities for 2026",
        status=Decision.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    decision.chosen.add(candidate)
    draft = DecisionFactory.create(agency=agency, title="Draft decision not yet public")
    return decision, draft


def _problems(agency: Agency, north: Area) -> tuple[Problem, Problem]:
    problem = ProblemFactory.create(
        agency=agency,
        title="Car break-ins at the station",
        public_summary="Better lighting and patrols at night.",
        is_public=True,
        area=north,
        place="Level 2 of the car park, by the broken camera",
    )
    GoalFactory.create(problem=problem)
    AssessmentFactory.create(problem=problem)
    private = ProblemFactory.create(agency=agency, title="Private problem kept internal")
    return problem, private


def build_city(agency: Agency) -> City:
    north, south = _areas(agency)
    _incidents(agency, north, south)
    inputs = _inputs(agency, north, south)
    measure, internal, unpublished = _measures(agency, north, south)
    survey = _survey(agency, north, title="Riverside safety survey", publish=True)
    hidden = _survey(agency, north, title="Survey whose results stay private", publish=False)
    decision, draft = _priorities(agency, inputs)
    problem, private = _problems(agency, north)
    EventFactory.create(agency=agency, title="Town hall on lighting", area=north)
    EventFactory.create(agency=agency, title="Private planning meeting", is_public=False)
    return City(
        north=north,
        south=south,
        measure=measure,
        internal=internal,
        unpublished=unpublished,
        survey=survey,
        hidden_survey=hidden,
        decision=decision,
        draft=draft,
        problem=problem,
        private_problem=private,
    )


# Text that must never leave the public files or pages.
NEVER_PUBLIC = [
    "Officers reporting burnout",
    "officer_wellness",
    "Overtime hours unpublished",
    "Survey whose results stay private",
    "Draft decision not yet public",
    "Private problem kept internal",
    "Private planning meeting",
    "SECRET ST",
    "QUIET AVE",
    "HIDDEN PL",
    "by the broken camera",
]
