"""The CompStat360 catalogue: three dimensions, their goals and indicators, and
the measures suggested for each.

After the CompStat360 framework (National Policing Institute and partners):
crime and public safety; community and government partners (shared
responsibility for outcomes, equitable and accessible practices, trust,
factors affecting the community); the organisation (officer safety, wellness
and satisfaction; complaints and use of force). An agency chooses at least one
measure per goal (`selectors.goals_without_measures`) and may add its own.

Each suggested measure says where its figures usually come from:
- COMPUTED, with the key of the computation in `computed.py` that derives it
  from Roundtable's own data (ledger, events, surveys, incidents, problems);
- IMPORTED, a file the agency's analysts bring (clearance rates, complaints);
- PARTNER, aggregates a partner organisation shares (school attendance,
  emergency-room assault visits, code-enforcement complaints).

Catalogue texts are translated like the rest of the interface; the agency's
own measures carry their texts in the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roundtable.measures.models import Frequency, Polarity, Source, Unit


@dataclass(frozen=True)
class Dimension:
    key: str
    name: Promise


@dataclass(frozen=True)
class Goal:
    key: str
    dimension: str
    name: Promise
    description: Promise


@dataclass(frozen=True)
class Indicator:
    key: str
    goal: str
    name: Promise


@dataclass(frozen=True)
class CatalogueMeasure:
    key: str
    indicator: str
    name: Promise
    definition: Promise
    unit: str
    polarity: str
    frequency: str
    source: str
    computation: str = ""  # computed.COMPUTATIONS key when source is COMPUTED
    by_area: bool = False
    # Never on the public dashboard or in open data (officer wellness).
    internal: bool = False
    # The figures count people or what people did or suffered, so public pages
    # withhold small ones (selectors_disclosure). False for counts of meetings,
    # inspections, goals and actions, which disclose nobody: "3 oversight
    # meetings" is published as it is.
    counts_people: bool = True

    @property
    def goal(self) -> str:
        return INDICATORS[self.indicator].goal

    # Labels for pages, in the reader's language.
    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label)

    @property
    def frequency_label(self) -> str:
        return str(Frequency(self.frequency).label)

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label)


CRIME = "crime"
COMMUNITY = "community"
ORGANISATION = "organisation"

DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension(CRIME, _("Crime and public safety")),
        Dimension(COMMUNITY, _("Community and government partners")),
        Dimension(ORGANISATION, _("The organisation")),
    )
}

GOALS: dict[str, Goal] = {
    g.key: g
    for g in (
        Goal(
            "crime_harm",
            CRIME,
            _("Reduce crime and harm"),
            _(
                "Fewer victims and less harm, crimes solved, and victimisation that goes unreported brought to light."
            ),
        ),
        Goal(
            "problem_solving",
            CRIME,
            _("Solve recurring problems together"),
            _("Problem-solving teams that reach their goals and show it in their assessments."),
        ),
        Goal(
            "shared_responsibility",
            COMMUNITY,
            _("Shared responsibility for outcomes"),
            _(
                "Residents and partners take part in public safety: they come to meetings, volunteer and report."
            ),
        ),
        Goal(
            "equitable_access",
            COMMUNITY,
            _("Equitable and accessible practices"),
            _(
                "Enforcement that does not fall unevenly, and services everyone can reach whatever their language or disability."
            ),
        ),
        Goal(
            "trust",
            COMMUNITY,
            _("Trust"),
            _("Accountability, oversight, satisfaction, inspections and transparency."),
        ),
        Goal(
            "community_factors",
            COMMUNITY,
            _("Factors affecting the community"),
            _(
                "Economic conditions, perceived safety and disorder, and public health, which shape safety beyond policing."
            ),
        ),
        Goal(
            "officer_wellbeing",
            ORGANISATION,
            _("Officer safety, wellness and satisfaction"),
            _("Officers who are safe, well and satisfied with their work."),
        ),
        Goal(
            "conduct",
            ORGANISATION,
            _("Conduct: complaints and use of force"),
            _("Fewer complaints and less force, each one reviewed."),
        ),
    )
}

INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator("crime_and_harm", "crime_harm", _("Crime and harm")),
        Indicator("clearance", "crime_harm", _("Clearance rates")),
        Indicator("unreported", "crime_harm", _("Unreported victimisation")),
        Indicator("team_progress", "problem_solving", _("Problem-solving progress")),
        Indicator("community_engagement", "shared_responsibility", _("Community engagement")),
        Indicator("volunteers", "shared_responsibility", _("Volunteers")),
        Indicator(
            "incidents_reported", "shared_responsibility", _("Incidents and concerns reported")
        ),
        Indicator(
            "enforcement_composition",
            "equitable_access",
            _("Demographic composition of enforcement"),
        ),
        Indicator("disability_access", "equitable_access", _("Disability access")),
        Indicator("language_access", "equitable_access", _("Language access")),
        Indicator("accountability", "trust", _("Accountability")),
        Indicator("oversight", "trust", _("Oversight boards")),
        Indicator("satisfaction", "trust", _("Satisfaction")),
        Indicator("inspections", "trust", _("Inspections")),
        Indicator("transparency", "trust", _("Transparency")),
        Indicator("economic_conditions", "community_factors", _("Economic conditions")),
        Indicator("perceived_safety", "community_factors", _("Perceived safety and disorder")),
        Indicator("public_health", "community_factors", _("Public health")),
        Indicator("officer_safety", "officer_wellbeing", _("Officer safety")),
        Indicator("officer_wellness", "officer_wellbeing", _("Officer wellness and satisfaction")),
        Indicator("complaints", "conduct", _("Complaints")),
        Indicator("use_of_force", "conduct", _("Use of force")),
    )
}

M, Q, Y = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL
UP, DOWN, NEITHER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.NEITHER
COMPUTED, IMPORTED, PARTNER = Source.COMPUTED, Source.IMPORTED, Source.PARTNER

MEASURES: dict[str, CatalogueMeasure] = {
    m.key: m
    for m in (
        # Crime and public safety
        CatalogueMeasure(
            "violent_crime",
            "crime_and_harm",
            _("Violent crimes recorded"),
            _(
                "Recorded incidents that occurred in the month whose most serious offence is a violent crime: homicide, robbery or aggravated assault. Rape and other sexual assaults are violent crimes too but, like every sensitive offence (sexual offences, domestic violence, offences against children), are left out of every public figure."
            ),
            Unit.COUNT,
            DOWN,
            M,
            COMPUTED,
            "incidents.violent",
            by_area=True,
        ),
        CatalogueMeasure(
            "property_crime",
            "crime_and_harm",
            _("Property crimes recorded"),
            _(
                "Recorded incidents that occurred in the month whose most serious offence is a property crime: burglary, theft, motor vehicle theft or arson. Robbery counts as a violent crime; fraud, vandalism and handling stolen property are not counted here."
            ),
            Unit.COUNT,
            DOWN,
            M,
            COMPUTED,
            "incidents.property_crime",
            by_area=True,
        ),
        CatalogueMeasure(
            "all_crime",
            "crime_and_harm",
            _("Crimes recorded"),
            _(
                "All recorded crime incidents in the month, sensitive offences left out as from every public figure."
            ),
            Unit.COUNT,
            DOWN,
            M,
            COMPUTED,
            "incidents.crimes",
            by_area=True,
        ),
        CatalogueMeasure(
            "clearance_rate",
            "clearance",
            _("Clearance rate, violent crime"),
            _(
                "Share of violent crimes cleared by arrest or exceptional means, from the records system."
            ),
            Unit.PERCENT,
            UP,
            Q,
            IMPORTED,
        ),
        CatalogueMeasure(
            "reporting_rate",
            "unreported",
            _("Victims who reported to police"),
            _("Share of survey respondents who were victims in the last year and reported it."),
            Unit.PERCENT,
            UP,
            Y,
            IMPORTED,
        ),
        CatalogueMeasure(
            "problems_goal_met",
            "team_progress",
            _("Problem-solving goals met"),
            _(
                "Share of problem-solving goals due in the period, with a result recorded, that reached their agreed target."
            ),
            Unit.PERCENT,
            UP,
            Q,
            COMPUTED,
            "problems.goals_met",
            counts_people=False,
        ),
        CatalogueMeasure(
            "overdue_actions",
            "team_progress",
            _("Overdue response actions"),
            _(
                "Response actions of active problem-solving teams past their due date at the end of the month."
            ),
            Unit.COUNT,
            DOWN,
            M,
            COMPUTED,
            "problems.overdue_actions",
            counts_people=False,
        ),
        # Community and government partners
        CatalogueMeasure(
            "meetings_held",
            "community_engagement",
            _("Community meetings held"),
            _("Public meetings and events held in the month."),
            Unit.COUNT,
            UP,
            M,
            COMPUTED,
            "events.held",
            by_area=True,
            counts_people=False,
        ),
        CatalogueMeasure(
            "meeting_attendance",
            "community_engagement",
            _("People at community meetings"),
            _("Attendance recorded at the month's meetings."),
            Unit.COUNT,
            UP,
            M,
            COMPUTED,
            "events.attendance",
        ),
        CatalogueMeasure(
            "volunteer_hours",
            "volunteers",
            _("Volunteer hours"),
            _(
                "Hours given by community volunteers (citizen patrols, academies, youth programmes)."
            ),
            Unit.HOURS,
            UP,
            M,
            PARTNER,
        ),
        CatalogueMeasure(
            "inputs_received",
            "incidents_reported",
            _("Concerns and ideas received"),
            _("Inputs received through every channel in the month."),
            Unit.COUNT,
            NEITHER,
            M,
            COMPUTED,
            "inputs.received",
            by_area=True,
        ),
        CatalogueMeasure(
            "stops_disparity",
            "enforcement_composition",
            _("Stop disparity ratio"),
            _(
                "Share of stops of the most-stopped group divided by its share of the population (1 is even)."
            ),
            Unit.OTHER,
            DOWN,
            Q,
            IMPORTED,
        ),
        CatalogueMeasure(
            "accessible_meetings",
            "disability_access",
            _("Meetings with step-free access"),
            _("Share of the month's meetings held at a venue with step-free access."),
            Unit.PERCENT,
            UP,
            M,
            IMPORTED,
            counts_people=False,
        ),
        CatalogueMeasure(
            "inputs_other_language",
            "language_access",
            _("Inputs in a language other than English"),
            _("Share of the month's inputs written in another language, each answered in it."),
            Unit.PERCENT,
            NEITHER,
            M,
            COMPUTED,
            "inputs.other_language",
        ),
        CatalogueMeasure(
            "answered_on_time",
            "accountability",
            _("Inputs answered on time"),
            _(
                "Share of inputs received in the month that had a public answer within the agency's answer deadline."
            ),
            Unit.PERCENT,
            UP,
            M,
            COMPUTED,
            "inputs.answered_on_time",
        ),
        CatalogueMeasure(
            "days_to_answer",
            "accountability",
            _("Median days to answer"),
            _("Median days from receipt to a public answer, inputs received in the month."),
            Unit.DAYS,
            DOWN,
            M,
            COMPUTED,
            "inputs.median_days_to_answer",
        ),
        CatalogueMeasure(
            "oversight_meetings",
            "oversight",
            _("Oversight board meetings"),
            _("Meetings of the civilian oversight board in the quarter."),
            Unit.COUNT,
            UP,
            Q,
            IMPORTED,
            counts_people=False,
        ),
        CatalogueMeasure(
            "trust_score",
            "satisfaction",
            _("Trust in police"),
            _(
                "Weighted survey score (0–100): police treat residents with respect and listen to their concerns."
            ),
            Unit.SCORE,
            UP,
            M,
            COMPUTED,
            "surveys.trust",
            by_area=True,
        ),
        CatalogueMeasure(
            "contact_satisfaction",
            "satisfaction",
            _("Satisfaction after contact"),
            _("Survey score (0–100) of people who had contact with the agency."),
            Unit.SCORE,
            UP,
            M,
            COMPUTED,
            "surveys.satisfaction",
        ),
        CatalogueMeasure(
            "inspections_done",
            "inspections",
            _("Inspections completed"),
            _("Internal inspections and audits completed in the quarter."),
            Unit.COUNT,
            UP,
            Q,
            IMPORTED,
            counts_people=False,
        ),
        CatalogueMeasure(
            "public_answers",
            "transparency",
            _("Public answers published"),
            _("Answers published in the response ledger in the month."),
            Unit.COUNT,
            UP,
            M,
            COMPUTED,
            "inputs.public_answers",
        ),
        CatalogueMeasure(
            "unemployment",
            "economic_conditions",
            _("Unemployment rate"),
            _("Share of the labour force out of work (labour statistics)."),
            Unit.PERCENT,
            DOWN,
            M,
            IMPORTED,
        ),
        CatalogueMeasure(
            "feeling_safe",
            "perceived_safety",
            _("Feeling safe"),
            _("Weighted survey score (0–100): feeling safe from crime in the neighbourhood."),
            Unit.SCORE,
            UP,
            M,
            COMPUTED,
            "surveys.safety",
            by_area=True,
        ),
        CatalogueMeasure(
            "code_complaints",
            "perceived_safety",
            _("Code-enforcement complaints"),
            _("Complaints of blight, dumping and unsafe buildings made to the city."),
            Unit.COUNT,
            DOWN,
            M,
            PARTNER,
            by_area=True,
        ),
        CatalogueMeasure(
            "er_assault_visits",
            "public_health",
            _("Emergency-room visits for assault"),
            _("Visits to the hospital's emergency department for assault injuries."),
            Unit.COUNT,
            DOWN,
            M,
            PARTNER,
        ),
        CatalogueMeasure(
            "school_attendance",
            "public_health",
            _("School attendance"),
            _("Average daily attendance in the district's schools."),
            Unit.PERCENT,
            UP,
            M,
            PARTNER,
        ),
        # The organisation
        CatalogueMeasure(
            "officer_injuries",
            "officer_safety",
            _("Officers injured on duty"),
            _("Officers injured on duty in the month."),
            Unit.COUNT,
            DOWN,
            M,
            IMPORTED,
            internal=True,
        ),
        CatalogueMeasure(
            "officer_wellness",
            "officer_wellness",
            _("Officer wellness"),
            _("Score (0–100) of the internal wellness pulse survey; never published."),
            Unit.SCORE,
            UP,
            Q,
            COMPUTED,
            "surveys.wellness",
            internal=True,
        ),
        CatalogueMeasure(
            "complaints_per_1000",
            "complaints",
            _("Complaints per 1,000 contacts"),
            _("Complaints about officers per 1,000 calls for service and stops."),
            Unit.PER_1000,
            DOWN,
            M,
            IMPORTED,
        ),
        CatalogueMeasure(
            "force_incidents",
            "use_of_force",
            _("Use-of-force incidents"),
            _("Incidents in which officers used reportable force."),
            Unit.COUNT,
            DOWN,
            M,
            IMPORTED,
        ),
    )
}


def measures_of_goal(goal: str) -> list[CatalogueMeasure]:
    return [m for m in MEASURES.values() if INDICATORS[m.indicator].goal == goal]


def goals_of_dimension(dimension: str) -> list[Goal]:
    return [g for g in GOALS.values() if g.dimension == dimension]
