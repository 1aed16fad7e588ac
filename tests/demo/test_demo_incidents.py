"""The demo's geography, incident data, sentiment series and surveys.

Built once for the module, inside a transaction rolled back when the module
ends, as tests/demo/test_demo.py does; each test runs in a savepoint on top.
The demo goes through the importers a real agency uses, so these tests also
check that the designed patterns survive them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import cast

import pytest
import shapely
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from shapely.geometry import shape

from roundtable.accounts.models import Membership, Role
from roundtable.agencies.models import Agency, Area
from roundtable.analytics import compstat, hexgrid
from roundtable.audit.models import AuditEntry
from roundtable.compstat.models import MeetingPack
from roundtable.demo.accounts import demo_logins
from roundtable.demo.incidents import STOPS_BUFFER_CONTROL, rise_start
from roundtable.demo.measure_series import demo_months
from roundtable.demo.measure_texts import (
    HISTORY_FILE,
    MONTH_FILE,
    OWN_MEASURES,
    PARTNERS,
    PENDING_MEASURE,
    REJECTED_MEASURE,
    REJECTION_NOTE,
    STREET_LIGHTS,
    TRUST_BY_DISTRICT,
)
from roundtable.demo.measures import CAMPUS_MEASURES, UNCHOSEN
from roundtable.demo.problem_texts import STOPS_AREAS, STOPS_ASSESSMENT, STOPS_TITLE
from roundtable.demo.services import DemoSummary, demo_build
from roundtable.demo.survey_texts import TRUST_TITLE, WELLNESS_TITLE
from roundtable.demo.surveys import LEDGER_DAYS, POPULATION_NAME, survey_months
from roundtable.incidents import hotspots
from roundtable.incidents.models import (
    AreaBoundary,
    ImportRun,
    Incident,
    IncidentArea,
    SentimentScore,
)
from roundtable.incidents.selectors_counts import count_incidents
from roundtable.incidents.selectors_report import period_report
from roundtable.inputs.models import Input, InputChannel
from roundtable.measures import catalogue
from roundtable.measures.models import (
    DataSharer,
    Measure,
    MeasureValue,
    PartnerSubmission,
    Source,
    ValueSource,
)
from roundtable.measures.periods import add_months
from roundtable.measures.selectors import (
    goal_coverage,
    pack_series,
    public_area_series,
    public_series,
)
from roundtable.measures.texts import measure_definition, measure_name
from roundtable.problems.models import Assessment, Problem
from roundtable.surveys.models import (
    Audience,
    PopulationMargin,
    ReferencePopulation,
    Response,
    Survey,
)
from roundtable.surveys.selectors_representation import representativeness
from roundtable.surveys.selectors_results import survey_results

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_build()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def riverside(demo) -> Agency:
    return Agency.objects.get(slug="riverside")


@pytest.fixture
def rsu(demo) -> Agency:
    return Agency.objects.get(slug="rsu")


def _area(agency: Agency, slug: str) -> Area:
    return Area.objects.get(agency=agency, slug=slug)


# ------------------------------------------------------------------ geography


def test_every_city_and_campus_area_has_a_boundary_and_none_is_duplicated(demo, riverside, rsu):
    for agency, count in ((riverside, 19), (rsu, 3)):
        areas = Area.objects.filter(agency=agency)
        assert areas.count() == count  # imported by name onto the builder's areas
        assert not areas.filter(boundary__isnull=True).exists()
    assert demo.boundaries == 22


def test_beats_and_neighbourhoods_each_cover_the_city_and_overlap_each_other(riverside):
    def layer(kind: str) -> list[shapely.Geometry]:
        return [
            shape(b.geometry)
            for b in AreaBoundary.objects.filter(area__agency=riverside, area__kind=kind)
        ]

    city = shapely.union_all(layer(Area.Kind.DISTRICT))
    for kind in (Area.Kind.BEAT, Area.Kind.NEIGHBOURHOOD):
        pieces = layer(kind)
        # No gaps and no overlaps inside a layer (area in degrees², compared relatively).
        assert shapely.union_all(pieces).symmetric_difference(city).area < 1e-9
        assert abs(sum(p.area for p in pieces) - city.area) < 1e-9
    beat_22 = shape(_area(riverside, "beat-22").boundary.geometry)
    old_town = shape(_area(riverside, "old-town").boundary.geometry)
    assert 0 < beat_22.intersection(old_town).area < min(beat_22.area, old_town.area)


def test_campus_areas_lie_in_the_city_areas_they_overlap(riverside, rsu):
    for campus_slug, city_slug in (
        ("student-village", "university-hill"),
        ("medical-campus", "eastgate"),
    ):
        campus = shape(_area(rsu, campus_slug).boundary.geometry)
        city = shape(_area(riverside, city_slug).boundary.geometry)
        assert city.contains(campus)


# ------------------------------------------------------------------ the import


def test_the_export_imported_with_its_quirks_reported(riverside, rsu):
    run = ImportRun.objects.get(agency=riverside, kind=ImportRun.Kind.INCIDENTS)
    assert run.status == ImportRun.Status.DONE
    assert run.profile == "riverside_rms"
    assert 12_000 <= run.imported <= 20_000
    assert run.missing_coordinates > 0.01 * run.imported  # blank and 0/0 coordinates
    assert run.merged_offences > 0  # incidents with two offence rows
    assert run.error_total == 3  # the unreadable dates, skipped and listed
    assert {e["column"] for e in run.errors} == {"Occurred"}
    assert Incident.objects.filter(agency=riverside, location=Incident.Location.ZERO).exists()
    campus = ImportRun.objects.get(agency=rsu, kind=ImportRun.Kind.INCIDENTS)
    assert campus.status == ImportRun.Status.DONE and campus.imported > 100


def test_located_incidents_lie_in_a_beat_and_a_neighbourhood(riverside):
    located = Incident.objects.filter(agency=riverside, location=Incident.Location.OK)
    total = located.count()
    for kind in (Area.Kind.BEAT, Area.Kind.NEIGHBOURHOOD):
        inside = (
            IncidentArea.objects.filter(incident__in=located, area__kind=kind)
            .values("incident")
            .distinct()
            .count()
        )
        assert inside >= 0.98 * total


def test_the_offence_mix_is_a_mid_size_citys(riverside, rsu):
    offences = Counter(Incident.objects.filter(agency=riverside).values_list("offence", flat=True))
    assert offences.most_common(1)[0][0] == "theft"
    for code in ("burglary", "motor_vehicle_theft", "vandalism", "simple_assault", "robbery"):
        assert offences[code] > 100
    assert 0 < offences["homicide"] < 60
    sensitive = Incident.objects.filter(agency=riverside, sensitive=True).count()
    assert 0 < sensitive < 0.1 * sum(offences.values())
    assert offences["non_criminal"] > 0
    campus = Counter(Incident.objects.filter(agency=rsu).values_list("offence", flat=True))
    assert campus.most_common(1)[0][0] == "theft" and campus["simple_assault"] > 0


# ------------------------------------------------------------------ designed patterns


def test_violent_crime_is_significantly_up_in_the_south_district_only(riverside):
    report = period_report(agency=riverside, area=_area(riverside, "south"))
    as_of = report.as_of
    ytd = next(p for p in report.periods if p.key == "ytd")
    flags = {}
    for slug in ("north", "central", "south"):
        area = _area(riverside, slug)
        if ytd.days >= 120:
            # The CompStat report's own cell for violent crime, year to date.
            row = next(r for r in period_report(agency=riverside, area=area).rows
                       if r.key == "violent")  # fmt: skip
            cell = next(c for c in row.cells if c.period == "ytd")
            assert cell.change is not None
            flags[slug] = cell.change
        else:
            # Early in the year the year to date is too short to tell; the rise
            # runs at least RISE_DAYS, compared with the same days a year earlier.
            start = rise_start(as_of)
            prior_start, prior_end = start - dt.timedelta(days=364), as_of - dt.timedelta(days=364)
            current = count_incidents(
                riverside, offence="violent", area=area, start=start, end=as_of
            )
            prior = count_incidents(
                riverside, offence="violent", area=area, start=prior_start, end=prior_end
            )
            days = (as_of - start).days + 1
            flags[slug] = compstat.compare(current, prior, current_days=days, prior_days=days)
    assert flags["south"].significant and flags["south"].direction == "up"
    assert not all(flags[s].significant for s in ("north", "central"))


def test_old_town_holds_a_significant_hot_spot(riverside):
    old_town = shape(_area(riverside, "old-town").boundary.geometry)
    points = hotspots.points_for_agency(riverside)

    def hot_in_old_town(permutations: int) -> int:
        result = hotspots.hotspot_cells(
            points,
            resolution=settings.ROUNDTABLE_HOTSPOT_RESOLUTION,
            k=settings.ROUNDTABLE_HOTSPOT_K,
            permutations=permutations,
        )
        best = 0
        rings = hexgrid.cell_polygons(result.cells)
        for ring, z, level in zip(rings, result.z, result.bin, strict=True):
            if level > best and z > 0 and old_town.contains(shapely.Polygon(ring).centroid):
                best = int(level)
        return best

    # 999 permutations floor the pseudo p at 0.002, and the FDR correction over
    # ~1,300 cells needs ~50 cells at that floor to reach 95 %: the bar strip
    # shows at 90 % only. The page's setting (9,999) shows it at 95 % or more.
    assert hot_in_old_town(999) >= 1
    assert hot_in_old_town(settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS) >= 2


def test_harlow_park_car_break_ins_are_an_intensifying_hot_spot(riverside):
    harlow = shape(_area(riverside, "harlow-park").boundary.geometry)
    layer = hotspots.emerging_for_agency(
        riverside, offence="theft", bins="week", periods=26, resolution=9, k=1
    )
    categories = Counter(
        f["properties"]["category"]
        for f in layer["features"]
        if harlow.contains(shape(f["geometry"]).centroid)
    )
    assert categories["intensifying_hot"] + categories["new_hot"] >= 1


def test_the_bus_stops_team_has_a_counted_assessment_beside_the_hand_one(riverside):
    problem = Problem.objects.get(agency=riverside, title=STOPS_TITLE)
    hand = problem.assessments.get(source=Assessment.Source.HAND)
    counted = problem.assessments.get(source=Assessment.Source.INCIDENTS)
    assert (counted.before_start, counted.after_end) == (hand.before_start, hand.after_end)
    for field in (
        "target_before",
        "target_after",
        "control_before",
        "control_after",
        "buffer_before",
        "buffer_after",
        "buffer_control_before",
        "buffer_control_after",
    ):
        assert abs(getattr(counted, field) - cast(int, STOPS_ASSESSMENT[field])) <= 3, field
    # The counts are the incident data's: recount one of them.
    response = _area(riverside, STOPS_AREAS[0])
    assert counted.target_after == count_incidents(
        riverside, offence="drugs", area=response, start=counted.after_start, end=counted.after_end
    )
    assert _area(riverside, STOPS_BUFFER_CONTROL).name in counted.source_note


def test_sentiment_scores_for_every_district_with_trust_lower_in_the_south(riverside):
    scores = SentimentScore.objects.filter(agency=riverside)
    for slug in ("north", "central", "south"):
        assert scores.filter(area__slug=slug).count() == 24
    assert scores.filter(unit="city", area__isnull=True).count() == 24
    assert scores.values("source").distinct().count() == 1
    latest = scores.order_by("-period_start").first()
    assert latest is not None

    def trust(slug: str) -> float:
        row = scores.get(area__slug=slug, period_start=latest.period_start)
        assert row.trust is not None
        return row.trust

    assert trust("south") < min(trust("north"), trust("central"))


# ------------------------------------------------------------------ surveys


@pytest.fixture
def trust_survey(riverside) -> Survey:
    return Survey.objects.get(agency=riverside, title__en=TRUST_TITLE["en"])


def _trust_of(answers: dict[str, object]) -> float:
    return (cast(int, answers["trust_respect"]) + cast(int, answers["trust_listen"])) * 5.0


def test_the_census_margins_make_the_south_district_younger_and_more_hispanic(riverside):
    population = ReferencePopulation.objects.get(agency=riverside, name=POPULATION_NAME)
    margins = PopulationMargin.objects.filter(population=population)
    assert {m.area.slug for m in margins.select_related("area")} == {"north", "central", "south"}
    assert margins.filter(characteristic="race_ethnicity+age_band").exists()
    assert margins.filter(characteristic="tenure", universe="households").exists()

    def share(characteristic: str, category: str, slug: str) -> float:
        rows = margins.filter(characteristic=characteristic, area__slug=slug)
        return rows.get(category=category).count / sum(r.count for r in rows)

    assert share("age_band", "18_34", "south") > share("age_band", "18_34", "north") + 0.1
    assert share("race_ethnicity", "hispanic", "south") > 0.6
    assert share("tenure", "rent", "south") > share("tenure", "rent", "north")


def test_the_trust_survey_has_24_months_of_weighted_trust_and_safety(trust_survey):
    assert trust_survey.status == Survey.Status.OPEN and trust_survey.publish_results
    assert trust_survey.languages == ["en", "es"]
    results = survey_results(survey=trust_survey, grouping="month")
    assert [p.start for p in results.periods] == survey_months(timezone.localdate())
    for period in results.periods:
        assert period.weighting is not None and period.weighting.respondents is not None
        assert 90 <= period.weighting.respondents <= 200
        assert period.weighting.design_effect > 1.1  # the weights do real work
        for key in ("safety", "trust"):
            estimate = period.overall[key]
            assert estimate.shown and estimate.value is not None and estimate.moe is not None
            assert 40 < estimate.value < 80 and 0 < estimate.moe < 10


def test_weighting_lowers_trust_the_over_represented_homeowners_lifted(trust_survey):
    results = survey_results(survey=trust_survey, grouping="quarter")
    answers = list(trust_survey.responses.values_list("answers", flat=True))
    raw = sum(_trust_of(a) for a in answers) / len(answers)
    weighted = [p.overall["trust"].value for p in results.periods if p.overall["trust"].shown]
    assert raw - sum(cast(list[float], weighted)) / len(weighted) > 2


def test_thin_area_months_are_suppressed_while_quarters_show_every_district(trust_survey):
    monthly = survey_results(survey=trust_survey, grouping="month")
    cells = [estimates["trust"] for p in monthly.periods for _area, estimates in p.by_area]
    thin = [e for e in cells if e.reason == "thin"]
    assert thin and all(not e.shown and e.value is None for e in thin)
    assert any(e.shown for e in cells)
    quarterly = survey_results(survey=trust_survey, grouping="quarter")
    last = quarterly.periods[-2]  # the last whole quarter
    assert {area.slug for area, e in last.by_area if e["trust"].shown} == {
        "north",
        "central",
        "south",
    }


def test_representativeness_shows_the_gaps_and_names_the_south_district(trust_survey):
    report = representativeness(survey=trust_survey)
    assert report.score is not None and report.score < 0.5
    young_hispanic = "Hispanic or Latino residents aged 18 to 34 in South District"
    assert any(suggestion.startswith(young_hispanic) for suggestion in report.suggestions)
    south = next(
        t
        for t in report.tables
        if t.area is not None and t.area.slug == "south" and t.characteristics == ("age_band",)
    )
    young = next(g for g in south.groups if g.key == ("18_34",))
    assert young.relative is not None and young.relative < 0.6


def test_answers_in_both_languages_with_skipped_items_and_recent_free_text_in_the_ledger(
    riverside, trust_survey
):
    responses = trust_survey.responses.all()
    languages = Counter(responses.values_list("language", flat=True))
    assert 0.04 < languages["es"] / responses.count() < 0.2
    answers = list(responses.values_list("answers", flat=True))
    assert 0.07 < sum("top_issue" in a for a in answers) / len(answers) < 0.13
    assert sum("income_band" not in a for a in answers) > 0.1 * len(answers)
    assert responses.filter(channel=Response.Channel.IMPORT).count() > 3000
    assert responses.exclude(channel=Response.Channel.IMPORT).exists()  # the open link's newest
    inputs = Input.objects.filter(agency=riverside, channel=InputChannel.SURVEY)
    assert 10 <= inputs.count() <= 150
    oldest = inputs.order_by("received_at").first()
    assert oldest is not None
    assert oldest.received_at > timezone.now() - dt.timedelta(days=LEDGER_DAYS + 1)
    assert inputs.filter(language="es").exists()


def test_the_procedural_justice_survey_ran_last_spring_and_is_closed(riverside):
    survey = Survey.objects.get(agency=riverside, instrument="procedural_justice")
    assert survey.status == Survey.Status.CLOSED
    assert 200 <= survey.responses.count() <= 500
    years = set(survey.responses.values_list("period__year", flat=True))
    assert years == {timezone.localdate().year - 1}
    results = survey_results(survey=survey, grouping="quarter")
    assert any(p.overall["procedural_justice"].shown for p in results.periods)


def test_the_contact_survey_left_sensitive_and_unfinished_calls_out(riverside):
    survey = Survey.objects.get(agency=riverside, audience=Audience.CONTACT)
    sends = AuditEntry.objects.filter(action="surveys.invitations.contact", agency=riverside)
    assert sends.count() == 2
    excluded: Counter[str] = Counter()
    for entry in sends:
        assert entry.after is not None
        excluded.update(entry.after["excluded"])
    assert {"domestic_violence", "sexual_offence", "in_progress", "no_contact"} <= set(excluded)
    used = survey.invitations.filter(used=True)
    assert 10 <= used.count() < survey.invitations.count()
    assert survey.responses.filter(channel=Response.Channel.INVITATION).count() == used.count()


def test_no_internal_survey_is_public(client, riverside):
    internal = Survey.objects.filter(agency=riverside, audience=Audience.INTERNAL)
    assert internal.count() == 1
    wellness = internal.get()
    assert not wellness.publish_results and not wellness.text_to_inputs
    assert wellness.invitations.values("batch").distinct().count() == 3
    assert wellness.responses.count() >= 90
    with pytest.raises(PermissionDenied):
        survey_results(survey=wellness, public=True)
    listing = client.get(reverse("surveys_public:list", args=[riverside.slug]))
    assert listing.status_code == 200
    assert TRUST_TITLE["en"] in listing.content.decode()
    assert WELLNESS_TITLE["en"] not in listing.content.decode()
    page = client.get(reverse("surveys_public:results", args=[riverside.slug, wellness.pk]))
    assert page.status_code == 404


def test_the_public_results_page_shows_the_trust_survey(client, riverside, trust_survey):
    page = client.get(reverse("surveys_public:results", args=[riverside.slug, trust_survey.pk]))
    assert page.status_code == 200
    assert "South District" in page.content.decode()


# ------------------------------------------------------------------ measures


def _demo_months() -> list[dt.date]:
    return demo_months(timezone.localdate())


def test_every_goal_has_a_measure_and_the_catalogue_still_has_some_to_offer(riverside, rsu):
    coverage = goal_coverage(agency=riverside)
    assert {g.goal for g in coverage} == set(catalogue.GOALS)
    assert not [g.goal for g in coverage if g.warning]
    chosen = set(
        Measure.objects.filter(agency=riverside)
        .exclude(catalogue_key="")
        .values_list("catalogue_key", flat=True)
    )
    assert set(catalogue.MEASURES) - chosen == set(UNCHOSEN)
    # Most measures have a target.
    measures = Measure.objects.filter(agency=riverside)
    assert measures.filter(target__isnull=False).count() > 0.6 * measures.count()
    # The university's small set leaves goals without a measure: its page warns.
    assert [g.goal for g in goal_coverage(agency=rsu) if g.warning]
    assert Measure.objects.filter(agency=rsu).count() == len(CAMPUS_MEASURES)


def test_the_citys_own_measures_read_in_spanish(riverside):
    own = Measure.objects.filter(agency=riverside, catalogue_key="")
    assert {m.name for m in own} == {o.name for o in OWN_MEASURES}
    lights = own.get(name=STREET_LIGHTS.name)
    assert lights.target == 90 and lights.source == Source.IMPORTED
    with translation.override("es"):
        assert measure_name(lights) == STREET_LIGHTS.name_es
        assert measure_definition(lights) == STREET_LIGHTS.definition_es


def test_figures_come_from_files_partners_and_roundtables_own_data(riverside):
    months = _demo_months()
    values = MeasureValue.objects.filter(measure__agency=riverside)
    for source in (ValueSource.COMPUTED, ValueSource.IMPORTED, ValueSource.PARTNER):
        assert values.filter(source=source).count() > 100, source
    # Two years of monthly figures, ending last month, for an imported measure,
    # and the quarters that ended for a quarterly one.
    for key, count in (("complaints_per_1000", 24), ("clearance_rate", 8)):
        starts = list(
            values.filter(measure__catalogue_key=key, area__isnull=True)
            .order_by("period_start")
            .values_list("period_start", flat=True)
        )
        assert len(starts) == count, key
        assert starts[-1] <= months[-1]
    assert values.filter(measure__catalogue_key="violent_crime", period_start=months[0]).exists()
    # The analyst's two files went through the import.
    imports = AuditEntry.objects.filter(agency=riverside, action="measures.values.import")
    assert imports.exists()
    assert {v.provenance for v in values.filter(source=ValueSource.IMPORTED)} == {
        HISTORY_FILE.format(first=f"{months[0]:%Y-%m}", last=f"{months[-2]:%Y-%m}"),
        MONTH_FILE.format(month=f"{months[-1]:%Y-%m}"),
    }
    # Counts of people and events kept beside rates, so public pages can withhold small cells.
    rate = values.get(measure__catalogue_key="complaints_per_1000", period_start=months[-1])
    assert rate.numerator and rate.denominator and rate.denominator > 10_000


def test_each_partner_shares_through_its_own_representative(riverside):
    months = _demo_months()
    for text in PARTNERS:
        measure = Measure.objects.get(agency=riverside, catalogue_key=text.measure)
        assert measure.source == Source.PARTNER and measure.partner is not None
        assert measure.partner.name == text.organisation
        sharer = DataSharer.objects.get(organisation=measure.partner)
        assert sharer.user.username == text.username
        assert Membership.objects.filter(
            user=sharer.user, agency=riverside, role=Role.PARTNER
        ).exists()
        approved = measure.submissions.filter(status=PartnerSubmission.Status.APPROVED)
        assert approved.filter(method=PartnerSubmission.Method.CSV).count() == 1
        assert approved.filter(method=PartnerSubmission.Method.FORM).count() >= 10
        assert {s.provenance for s in approved} == {text.provenance}
        figures = MeasureValue.objects.filter(measure=measure, source=ValueSource.PARTNER)
        assert figures.exclude(submission__status=PartnerSubmission.Status.APPROVED).count() == 0
        assert figures.filter(period_start=months[0]).exists()
        for submission in approved:
            assert submission.reviewed_at is not None
            assert submission.submitted_at <= submission.reviewed_at <= timezone.now()
    logins = {row.username: row.represents for row in demo_logins()}
    assert {text.username: text.organisation for text in PARTNERS}.items() <= logins.items()


def test_the_approval_queue_has_last_months_figures_and_one_was_turned_down(riverside):
    months = _demo_months()
    pending = PartnerSubmission.objects.get(
        agency=riverside, status=PartnerSubmission.Status.PENDING
    )
    assert pending.measure.catalogue_key == PENDING_MEASURE
    assert {row["period"] for row in pending.rows} == {months[-1].isoformat()}
    assert {row["area"] for row in pending.rows} > {None}  # by district, and the city total
    assert not MeasureValue.objects.filter(
        measure=pending.measure, period_start=months[-1]
    ).exists()
    rejected = PartnerSubmission.objects.get(
        agency=riverside, status=PartnerSubmission.Status.REJECTED
    )
    assert rejected.measure.catalogue_key == REJECTED_MEASURE
    assert rejected.review_note == REJECTION_NOTE
    period = rejected.rows[0]["period"]
    figure = MeasureValue.objects.get(
        measure=rejected.measure, period_start=dt.date.fromisoformat(period), area=None
    )
    # The month was sent again, corrected, and approved.
    assert figure.submission is not None and figure.submission.submitted_at > rejected.submitted_at
    assert figure.value < rejected.rows[0]["value"] / 5


def test_public_series_never_hold_an_internal_measure(riverside):
    internal = {"officer_injuries", "officer_wellness"}
    assert (
        Measure.objects.filter(
            agency=riverside, catalogue_key__in=internal, is_public=False
        ).count()
        == 2
    )
    public = {s.public_id for s in public_series(agency=riverside)}
    assert public and not public & internal
    assert not {s.public_id for s in public_area_series(agency=riverside)} & internal
    staff = pack_series(agency=riverside, month=_demo_months()[-1], area=None)
    injuries = next(s for s in staff if s.public_id == "officer_injuries")
    assert injuries.latest is not None


def test_the_south_districts_story_shows_in_the_measures(riverside):
    months = _demo_months()
    # As the incident data has it: the rise runs to last month's end.
    rise_from = rise_start(add_months(months[-1], 1) - dt.timedelta(days=1)).replace(day=1)

    def figures(key: str, **filters: object) -> dict[dt.date, float]:
        rows = MeasureValue.objects.filter(
            measure__agency=riverside, measure__catalogue_key=key, **filters
        )
        return dict(rows.values_list("period_start", "value"))

    # Trust by district: the South lowest.
    trust = Measure.objects.get(agency=riverside, name=TRUST_BY_DISTRICT.name)
    by_district = {
        slug: [v.value for v in MeasureValue.objects.filter(measure=trust, area__slug=slug)]
        for slug in ("north", "central", "south")
    }
    means = {slug: sum(v) / len(v) for slug, v in by_district.items() if len(v) >= 4}
    assert set(means) == {"north", "central", "south"}
    assert means["south"] < min(means["north"], means["central"])
    # Violent crime counted per district, every month.
    violent = MeasureValue.objects.filter(
        measure__agency=riverside, measure__catalogue_key="violent_crime", area__slug="south"
    )
    assert violent.count() == len(months)
    # More assault visits at the hospital since the rise than a year before it.
    visits = figures("er_assault_visits", area__isnull=True)
    rise = [m for m in months if m >= rise_from]
    before = [add_months(m, -12) for m in rise if add_months(m, -12) in visits]
    assert len(before) >= 3
    mean_rise = sum(visits[m] for m in rise) / len(rise)
    assert mean_rise > sum(visits[m] for m in before) / len(before)
    # Code-enforcement complaints: the South District has the most.
    south = figures("code_complaints", area__slug="south")
    north = figures("code_complaints", area__slug="north")
    assert sum(south.values()) > 1.5 * sum(north.values())


def test_command_staff_issued_the_last_two_months_packs(riverside):
    months = _demo_months()
    packs = MeetingPack.objects.filter(agency=riverside)
    languages = [code for code, _name in settings.LANGUAGES]
    assert sorted(packs.values_list("month", "language")) == sorted(
        (m, lang) for m in months[-2:] for lang in languages
    )
    assert {p.issued_by.username for p in packs if p.issued_by} == {"command"}
    assert all(p.issued_at > timezone.now() - dt.timedelta(days=70) for p in packs)
    assert "Violent" in packs.get(month=months[-1], language="en").html


def test_the_summary_counts_measures_figures_and_packs(demo, riverside):
    assert demo.measures == Measure.objects.count()
    assert demo.measure_values == MeasureValue.objects.count() > 2000
    assert demo.partner_submissions == PartnerSubmission.objects.count()
    assert demo.meeting_packs == 2 * len(settings.LANGUAGES)


# ------------------------------------------------------------------ reset
