"""Choosing, adding, changing and dropping measures; who may share partner figures.

Casey (coordinator) chooses measures from the catalogue; Ana (analyst) adds the
agency's own; Cleo (command staff) reads but may not write.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.accounts.models import Role
from roundtable.audit.models import AuditEntry
from roundtable.measures import catalogue
from roundtable.measures.models import DataSharer, Measure, Source, Unit
from roundtable.measures.services import (
    data_sharer_grant,
    data_sharer_revoke,
    measure_choose,
    measure_create,
    measure_drop,
    measure_update,
)
from roundtable.measures.texts import counts_people, measure_definition, measure_name, public_id
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_choosing_a_catalogue_measure_takes_its_settings(agency, casey):
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="violent_crime", target=40)
    entry = catalogue.MEASURES["violent_crime"]
    assert measure.goal == "crime_harm"
    assert measure.indicator == "crime_and_harm"
    assert (measure.unit, measure.polarity, measure.frequency) == (
        entry.unit,
        entry.polarity,
        entry.frequency,
    )
    assert measure.source == Source.COMPUTED
    assert measure.computation == "incidents.violent"
    assert measure.by_area and measure.is_public and measure.active
    assert measure.target == 40
    assert public_id(measure) == "violent_crime"
    assert measure_name(measure) == "Violent crimes recorded"
    assert AuditEntry.objects.filter(action="measures.measure.choose", actor=casey).count() == 1


def test_violent_and_property_crime_are_the_ucr_groups(agency, casey):
    """Violent crime is the violent group (homicide, robbery, aggravated assault;
    rape too, but sensitive offences never reach a public figure), not every
    crime against persons; property crime the property group, not every crime
    against property. The definitions say so."""
    violent = catalogue.MEASURES["violent_crime"]
    property_crime = catalogue.MEASURES["property_crime"]
    assert violent.computation == "incidents.violent"
    assert property_crime.computation == "incidents.property_crime"
    for word in ("homicide", "robbery", "aggravated assault", "sexual"):
        assert word in str(violent.definition)
    for word in ("burglary", "theft", "motor vehicle theft", "arson"):
        assert word in str(property_crime.definition)
    chosen = measure_choose(actor=casey, agency=agency, catalogue_key="property_crime")
    assert chosen.computation == "incidents.property_crime"


def test_whether_a_measure_counts_people(agency, casey, ana):
    """The catalogue says it for its measures (meetings and inspections count
    no people); the agency says it for its own, cautious unless told."""
    meetings = measure_choose(actor=casey, agency=agency, catalogue_key="oversight_meetings")
    complaints = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    assert not counts_people(meetings) and not meetings.counts_people
    assert counts_people(complaints)
    with pytest.raises(ValidationError) as refused:
        measure_update(actor=casey, measure=complaints, counts_people=False)
    assert "counts_people" in refused.value.message_dict
    fields = {
        "actor": ana,
        "agency": agency,
        "goal": "trust",
        "indicator": "transparency",
        "definition": "What it counts.",
        "unit": Unit.COUNT,
        "polarity": "higher",
        "frequency": "quarterly",
        "source": Source.IMPORTED,
    }
    cautious = measure_create(name="Records requests", **fields)
    assert counts_people(cautious)
    briefings = measure_create(name="Public briefings", counts_people=False, **fields)
    assert not counts_people(briefings)
    measure_update(actor=ana, measure=briefings, counts_people=True)
    briefings.refresh_from_db()
    assert counts_people(briefings)
    entry = AuditEntry.objects.filter(action="measures.measure.update").first()
    assert entry is not None and entry.after == {"counts_people": True}


def test_choosing_again_brings_a_dropped_measure_back(agency, casey):
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="meetings_held")
    measure_drop(actor=casey, measure=measure)
    measure.refresh_from_db()
    assert not measure.active
    again = measure_choose(actor=casey, agency=agency, catalogue_key="meetings_held")
    assert again.pk == measure.pk and again.active
    assert Measure.objects.filter(agency=agency).count() == 1


def test_an_internal_measure_is_never_public(agency, casey):
    wellness = measure_choose(actor=casey, agency=agency, catalogue_key="officer_wellness")
    assert not wellness.is_public
    with pytest.raises(ValidationError) as refused:
        measure_choose(actor=casey, agency=agency, catalogue_key="officer_injuries", is_public=True)
    assert "is_public" in refused.value.message_dict
    with pytest.raises(ValidationError):
        measure_update(actor=casey, measure=wellness, is_public=True)
    wellness.refresh_from_db()
    assert not wellness.is_public


def test_an_unknown_catalogue_key_is_refused(agency, casey):
    with pytest.raises(ValidationError):
        measure_choose(actor=casey, agency=agency, catalogue_key="not_a_measure")


def test_command_staff_and_other_agencies_may_not_write(agency, cleo, uma, rosa):
    for person in (cleo, uma, rosa):
        with pytest.raises(PermissionDenied):
            measure_choose(actor=person, agency=agency, catalogue_key="violent_crime")
    assert not Measure.objects.exists()


def test_the_agency_adds_its_own_measure_with_translations(agency, ana):
    measure = measure_create(
        actor=ana,
        agency=agency,
        goal="trust",
        indicator="transparency",
        name="Body-camera footage released",
        definition="Requests for footage answered within 30 days.",
        translations={"es": {"name": "Videos de cámaras corporales publicados", "definition": ""}},
        unit=Unit.PERCENT,
        polarity="higher",
        frequency="quarterly",
        source=Source.IMPORTED,
        target=90,
    )
    assert public_id(measure) == f"custom-{measure.pk}"
    assert measure.translations == {"es": {"name": "Videos de cámaras corporales publicados"}}
    from django.utils import translation

    with translation.override("es"):
        assert measure_name(measure) == "Videos de cámaras corporales publicados"
        # No Spanish definition: the agency's own text.
        assert measure_definition(measure) == "Requests for footage answered within 30 days."
    assert measure_name(measure) == "Body-camera footage released"


def test_an_own_measure_needs_a_matching_goal_and_indicator(agency, ana):
    with pytest.raises(ValidationError) as refused:
        measure_create(
            actor=ana,
            agency=agency,
            goal="trust",
            indicator="use_of_force",
            name="X",
            definition="Y",
            unit=Unit.COUNT,
            polarity="lower",
            frequency="monthly",
            source=Source.IMPORTED,
        )
    assert "indicator" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        measure_create(
            actor=ana,
            agency=agency,
            goal="trust",
            indicator="transparency",
            name="",
            definition="",
            unit="furlongs",
            polarity="lower",
            frequency="monthly",
            source=Source.COMPUTED,
        )
    assert {"name", "definition", "unit"} <= set(refused.value.message_dict)


def test_update_keeps_what_it_is_not_given(agency, casey):
    partner = OrganisationFactory.create(agency=agency, name="Riverside Unified School District")
    measure = measure_choose(actor=casey, agency=agency, catalogue_key="school_attendance")
    measure_update(actor=casey, measure=measure, target=95.0, partner=partner)
    measure.refresh_from_db()
    assert measure.target == 95.0 and measure.partner == partner and measure.is_public
    measure_update(actor=casey, measure=measure, target=None)
    measure.refresh_from_db()
    assert measure.target is None and measure.partner == partner
    entry = AuditEntry.objects.filter(action="measures.measure.update").first()
    assert (
        entry is not None and entry.before == {"target": 95.0} and entry.after == {"target": None}
    )


def test_a_partner_must_be_on_the_agencys_map(agency, other_agency, casey):
    theirs = OrganisationFactory.create(agency=other_agency)
    with pytest.raises(ValidationError):
        measure_choose(
            actor=casey, agency=agency, catalogue_key="school_attendance", partner=theirs
        )


def test_granting_and_revoking_a_data_sharer(agency, casey, pat, rosa):
    school = OrganisationFactory.create(agency=agency)
    sharer = data_sharer_grant(actor=casey, agency=agency, organisation=school, user=pat)
    assert data_sharer_grant(actor=casey, agency=agency, organisation=school, user=pat) == sharer
    assert DataSharer.objects.count() == 1
    # A resident is not a partner representative.
    with pytest.raises(ValidationError):
        data_sharer_grant(actor=casey, agency=agency, organisation=school, user=rosa)
    data_sharer_revoke(actor=casey, sharer=sharer)
    assert not DataSharer.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="measures.sharer").count() == 2


def test_a_sharer_of_another_agency_is_refused(agency, other_agency, casey):
    school = OrganisationFactory.create(agency=other_agency)
    outsider = UserFactory.create(username="otto")
    MembershipFactory.create(user=outsider, agency=agency, role=Role.PARTNER)
    with pytest.raises(ValidationError):
        data_sharer_grant(actor=casey, agency=agency, organisation=school, user=outsider)
