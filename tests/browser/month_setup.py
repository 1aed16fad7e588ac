"""What the issue 8 browser tests share: Riverside's last month, built with the
factories and services (the demo would take too long).

- three districts with boundaries (North, South, East) and their census margins;
- measures chosen from the CompStat360 catalogue with thirteen months of figures
  up to last month: volunteer hours (the volunteer corps', rising but below its
  target), school attendance (the school district's, whose figure for last
  month its representative has still to share), oversight board meetings
  (quarterly, small counts of meetings, not people: published) and officers injured on
  duty (internal: never on a public page);
- the Harlow trust and safety survey, its results published, answered last month
  by enough people for weighted scores with margins of error;
- thefts clustered in the North over last month's last three weeks (hot spots,
  and the CompStat period table against a handful a year earlier), burglaries in
  the South;
- inputs received last month: safety concerns answered, technology questions
  waiting past their answer date;
- a published decision choosing a priority six inputs point to;
- a public problem-solving team in the North with a goal and an action overdue
  since the tenth of last month;
- a public town hall next week, in English and Spanish.

Everything is dated from today, so the pack of last month is complete and the
meeting is ahead of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.compstat import months
from roundtable.engagement.models import Event
from roundtable.inputs.models import Input, InputLink, Moderation, Topic
from roundtable.measures import services as measure_services
from roundtable.measures.models import Measure, ValueSource
from roundtable.priorities.models import Candidate, Decision
from roundtable.problems.models import Goal, Problem, ResponseAction
from roundtable.stakeholders.models import Category, Organisation
from roundtable.surveys.models import Survey
from tests.browser.survey_setup import ANSWERS, census, harlow_survey
from tests.factories import (
    AreaBoundaryFactory,
    CandidateFactory,
    DecisionFactory,
    EventFactory,
    GoalFactory,
    InputFactory,
    MeasureValueFactory,
    OrganisationFactory,
    ProblemFactory,
    ResponseActionFactory,
    ResponseFactory,
)
from tests.incidents.helpers import incident

TODAY = timezone.localdate()
MONTH = months.shift(months.first_day(TODAY), -1)  # last month: complete
MONTH_KEY = months.key(MONTH)
MONTH_END = months.last_day(MONTH)
MID = MONTH.replace(day=15)

# The English names the pages show.
INTERNAL = "Officers injured on duty"
SCHOOL_DISTRICT = "Riverside Unified School District"
PROBLEM = "Car break-ins at the station"
OVERDUE_ACTION = "Ask the car park's owner to repair the lighting on level 2."
DECISION = "Priorities for the year"
PRIORITY = "Safer walks home from the station"
MEETING = "Town hall on lighting"
# Thefts in the North over last month's last 20 days: a tight cluster and a wider
# spread, so that Gi* finds hot spots at the public's resolution.
CLUSTER = 120
WIDE = 72
A_YEAR_EARLIER = 4
BURGLARIES = 6


@dataclass
class Month:
    areas: dict[str, Area]
    survey: Survey
    volunteer_hours: Measure
    school_attendance: Measure
    internal: Measure
    school_district: Organisation
    problem: Problem


def moment(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _backdate(model: type[Model], pk: int, when: dt.datetime) -> None:
    """Set an auto_now_add `created_at` (factories cannot)."""
    model._default_manager.filter(pk=pk).update(created_at=when)


def _areas(agency: Agency) -> dict[str, Area]:
    """North, South and East, named as the census margins name them."""
    corners = {"north": (-87.71, 41.89), "south": (-87.71, 41.79), "east": (-87.65, 41.89)}
    return {
        slug: AreaBoundaryFactory.create(
            area__agency=agency,
            area__name=slug.capitalize(),
            area__slug=slug,
            area__kind=Area.Kind.DISTRICT,
            corner=corner,
            size=0.03,
        ).area
        for slug, corner in corners.items()
    }


def _monthly(measure: Measure, last: float, step: float, *, until: dt.date = MONTH) -> None:
    """Thirteen monthly figures ending at `until`, `step` less each month back."""
    for back in range(13):
        value = last - step * back
        MeasureValueFactory.create(
            measure=measure,
            period_start=months.shift(until, -back),
            value=value,
            numerator=None if measure.unit == "percent" else int(value),
            source=ValueSource.IMPORTED,
        )


def _measures(agency: Agency, casey: User) -> tuple[Measure, Measure, Measure, Organisation]:
    school_district = OrganisationFactory.create(
        agency=agency, name=SCHOOL_DISTRICT, category=Category.GOVERNMENT
    )
    volunteers = OrganisationFactory.create(agency=agency, name="Riverside Volunteer Corps")

    def choose(key: str, **extra: Any) -> Measure:
        return measure_services.measure_choose(
            actor=casey, agency=agency, catalogue_key=key, **extra
        )

    volunteer_hours = choose("volunteer_hours", target=400, partner=volunteers)
    _monthly(volunteer_hours, 380, 10)  # rising, still below its target
    # The district's figures stop the month before: Pat shares last month's.
    school_attendance = choose("school_attendance", target=92, partner=school_district)
    _monthly(school_attendance, 93.4, 0.1, until=months.shift(MONTH, -1))
    oversight = choose("oversight_meetings", target=3)
    quarter = MONTH.replace(month=(MONTH.month - 1) // 3 * 3 + 1)
    for back, value in enumerate((3, 2, 2, 1)):
        MeasureValueFactory.create(
            measure=oversight,
            period_start=months.shift(quarter, -3 * back),
            value=value,
            numerator=None,
        )
    internal = choose("officer_injuries", target=2)
    _monthly(internal, 7, 0)
    return volunteer_hours, school_attendance, internal, school_district


def _survey(agency: Agency, casey: User, areas: dict[str, Area]) -> Survey:
    """The Harlow survey (results published), answered in the middle of last month."""
    census(agency, casey)
    survey = harlow_survey(agency, casey, publish_results=True)
    n = 0
    for slug, ages in ANSWERS.items():
        for age_band, count in ages.items():
            for _ in range(count):
                n += 1
                ResponseFactory.create(
                    survey=survey,
                    area=areas[slug],
                    language="en" if n % 3 else "es",
                    submitted_at=moment(MID, 9 + n % 8),
                    answers={
                        "safety": 3 + n % 7,
                        "trust_respect": 2 + n % 8,
                        "trust_listen": 5,
                        "age_band": age_band,
                        "area": slug,
                    },
                )
    return survey


def _incidents(agency: Agency, areas: dict[str, Area]) -> None:
    north, south = areas["north"], areas["south"]
    for i in range(CLUSTER):
        incident(
            agency,
            MONTH_END - dt.timedelta(days=i % 20),
            areas=(north,),
            latitude=41.900317 + (i % 6) * 0.000813,
            longitude=-87.700271 + (i // 6 % 6) * 0.000807,
            block="001XX N SECRET ST",
        )
    for i in range(WIDE):
        incident(
            agency,
            MONTH_END - dt.timedelta(days=i % 20),
            areas=(north,),
            latitude=41.8955 + (i % 6) * 0.004,
            longitude=-87.705 + (i // 6 % 6) * 0.004,
            block="001XX N SECRET ST",
        )
    for i in range(A_YEAR_EARLIER):
        incident(
            agency,
            MONTH_END - dt.timedelta(days=364 + i),
            areas=(north,),
            latitude=41.905123 + i * 0.0005,
            longitude=-87.695345,
            block="001XX N SECRET ST",
        )
    for i in range(BURGLARIES):
        incident(
            agency,
            MID + dt.timedelta(days=i),
            "burglary",
            areas=(south,),
            latitude=41.801234 + i * 1.37e-4,
            longitude=-87.698713,
            block="002XX S QUIET AVE",
        )


def _inputs(agency: Agency, areas: dict[str, Area]) -> list[Input]:
    """Twelve safety concerns answered within days; six technology questions
    received early last month and not answered (past their answer date)."""
    made: list[Input] = []
    for n in range(12):
        received = moment(MONTH + dt.timedelta(days=1 + n))
        made.append(
            InputFactory.create(
                agency=agency,
                topic=Topic.SAFETY_CONCERN,
                area=areas["north"] if n % 2 else areas["south"],
                received_at=received,
                answer_by=(received + dt.timedelta(days=30)).date(),  # due next month
                answered_at=received + dt.timedelta(days=3),
                public_answer="We asked public works to fix the lights on Oak Avenue.",
                moderation=Moderation.VISIBLE,
                text=f"The lights on Oak Avenue are out ({n}).",
            )
        )
    for n in range(6):
        received = moment(MONTH + dt.timedelta(days=n))
        made.append(
            InputFactory.create(
                agency=agency,
                topic=Topic.TECHNOLOGY,
                area=areas["north"],
                received_at=received,
                answer_by=(received + dt.timedelta(days=10)).date(),
                text=f"Who reads the plate cameras' data? ({n})",
            )
        )
    return made


def _decision(agency: Agency, inputs: list[Input]) -> None:
    candidate = CandidateFactory.create(
        agency=agency, title=PRIORITY, status=Candidate.Status.CHOSEN
    )
    kind = ContentType.objects.get_for_model(Candidate)
    for item in inputs[:6]:
        InputLink.objects.create(input=item, content_type=kind, object_id=candidate.pk)
    decision = DecisionFactory.create(
        agency=agency,
        title=DECISION,
        status=Decision.Status.PUBLISHED,
        published_at=moment(MID),
        decided_on=MID,
    )
    decision.chosen.add(candidate)


def _problem(agency: Agency, areas: dict[str, Area]) -> Problem:
    """Opened at the start of last month, with a goal and an action due mid-month, not done."""
    problem = ProblemFactory.create(
        agency=agency,
        title=PROBLEM,
        public_summary="Better lighting and patrols at night.",
        is_public=True,
        area=areas["north"],
    )
    _backdate(Problem, problem.pk, moment(MONTH))
    goal = GoalFactory.create(problem=problem)
    _backdate(Goal, goal.pk, moment(MONTH))
    action = ResponseActionFactory.create(
        problem=problem, description=OVERDUE_ACTION, due_on=MID - dt.timedelta(days=5)
    )
    _backdate(ResponseAction, action.pk, moment(MONTH + dt.timedelta(days=1)))
    problem.refresh_from_db()
    return problem


def riverside_month(agency: Agency, casey: User) -> Month:
    """Everything above, for `agency` (casey: its coordinator, who chooses the
    measures and builds the survey)."""
    areas = _areas(agency)
    volunteer_hours, school_attendance, internal, school_district = _measures(agency, casey)
    survey = _survey(agency, casey, areas)
    _incidents(agency, areas)
    inputs = _inputs(agency, areas)
    _decision(agency, inputs)
    problem = _problem(agency, areas)
    EventFactory.create(
        agency=agency,
        title=MEETING,
        area=areas["north"],
        starts_at=moment(TODAY + dt.timedelta(days=7), 18),
        ends_at=moment(TODAY + dt.timedelta(days=7), 20),
        languages=["en", "es"],
        status=Event.Status.SCHEDULED,
    )
    return Month(
        areas=areas,
        survey=survey,
        volunteer_hours=volunteer_hours,
        school_attendance=school_attendance,
        internal=internal,
        school_district=school_district,
        problem=problem,
    )


def data_sharer(agency: Agency, organisation: Organisation, casey: User, pat: User) -> User:
    """Pat, the partner persona, allowed by Casey to share `organisation`'s figures."""
    measure_services.data_sharer_grant(
        actor=casey, agency=agency, organisation=organisation, user=pat
    )
    return pat


def month_label(language: str = "en") -> str:
    """Last month as the pages name it ("October 2026")."""
    with translation.override(language):
        return date_format(MONTH, "YEAR_MONTH_FORMAT")


def dashboard_url(agency: Agency) -> str:
    return reverse("dashboard:home", args=[agency.slug])


def embed_url(agency: Agency) -> str:
    return reverse("dashboard:embed", args=[agency.slug])


def catalogue_url(agency: Agency) -> str:
    return reverse("opendata:catalogue", args=[agency.slug])


def pack_url(agency: Agency, month_key: str = MONTH_KEY) -> str:
    return reverse("compstat:pack", args=[agency.slug, month_key])
