"""Candidate priorities: writing them, and the inputs behind them."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import Moderation
from roundtable.inputs.services import input_link, inputs_linked_to
from roundtable.priorities import selectors, services
from roundtable.priorities.models import Candidate
from roundtable.priorities.selectors import candidate_title
from roundtable.priorities.services_candidates import (
    candidate_create,
    candidate_create_from_theme,
    candidate_set_status,
    candidate_update,
)
from tests.factories import AreaFactory, CandidateFactory, InputFactory

pytestmark = pytest.mark.django_db


def test_a_candidate_by_hand_is_on_the_shortlist_and_audited(agency, ana, eastbank):
    candidate = candidate_create(
        actor=ana,
        agency=agency,
        title=" Safer  streets around schools ",
        title_translations={"es": "Calles más seguras cerca de las escuelas"},
        areas=[eastbank],
        offence_categories=["violent", "against_persons", "violent"],
    )
    assert candidate.title == "Safer streets around schools"
    assert candidate.status == Candidate.Status.ACTIVE
    assert candidate.source == Candidate.Source.STAFF
    assert candidate.offence_categories == ["violent", "against_persons"]
    assert list(candidate.areas.all()) == [eastbank]
    entry = AuditEntry.objects.get(action="priorities.candidate.create")
    assert entry.after is not None and entry.after["areas"] == ["Eastbank"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "  "},
        {"offence_categories": ["parking"]},
        {"title_translations": {"fr": "Rues plus sûres"}},
    ],
)
def test_a_candidate_needs_a_title_known_categories_and_languages(agency, ana, overrides):
    fields = {"actor": ana, "agency": agency, "title": "Safer streets", **overrides}
    with pytest.raises(ValidationError):
        candidate_create(**fields)
    assert not Candidate.objects.exists()


def test_areas_must_be_the_agencys_own(agency, other_agency, ana):
    campus = AreaFactory.create(agency=other_agency, name="Main campus")
    with pytest.raises(ValidationError) as caught:
        candidate_create(actor=ana, agency=agency, title="Campus safety", areas=[campus])
    assert "areas" in caught.value.message_dict


def test_a_candidate_from_a_theme_takes_its_areas_and_links_its_inputs(
    ana, speeding, spoken, eastbank, westside
):
    services.theme_tag(actor=ana, theme=speeding, inputs=spoken)
    candidate = candidate_create_from_theme(actor=ana, theme=speeding)
    assert candidate.title == "Speeding near schools"
    assert candidate.description == speeding.description
    assert candidate.source == Candidate.Source.THEME and candidate.theme == speeding
    assert set(candidate.areas.all()) == {eastbank, westside}
    assert set(inputs_linked_to(candidate)) == set(spoken)
    # Tagging another input afterwards links it too.
    late = InputFactory.create(agency=speeding.agency, text="Speeders again at the school.")
    services.theme_tag(actor=ana, theme=speeding, inputs=[late])
    assert late in inputs_linked_to(candidate)


def test_an_empty_theme_makes_no_candidate(ana, speeding):
    with pytest.raises(ValidationError):
        candidate_create_from_theme(actor=ana, theme=speeding)
    assert not Candidate.objects.exists()


def test_an_edit_is_audited_with_what_changed(ana, candidate, eastbank):
    candidate_update(
        actor=ana,
        candidate=candidate,
        title="Safer streets around schools",
        description="Drop-off and pick-up times.",
        title_translations={"es": " Calles seguras "},
        areas=[eastbank],
        offence_categories=[],
    )
    candidate.refresh_from_db()
    assert candidate.title_translations == {"es": "Calles seguras"}
    entry = AuditEntry.objects.get(action="priorities.candidate.update")
    assert entry.after is not None
    assert set(entry.after) == {"description", "title_translations", "areas"}


def test_staff_keep_or_reject_but_never_choose(casey, candidate):
    candidate_set_status(actor=casey, candidate=candidate, status=Candidate.Status.REJECTED)
    assert candidate.status == Candidate.Status.REJECTED
    candidate_set_status(actor=casey, candidate=candidate, status=Candidate.Status.ACTIVE)
    with pytest.raises(ValidationError):
        candidate_set_status(actor=casey, candidate=candidate, status=Candidate.Status.CHOSEN)
    candidate.status = Candidate.Status.CHOSEN
    with pytest.raises(ValidationError):
        candidate_set_status(actor=casey, candidate=candidate, status=Candidate.Status.REJECTED)
    assert AuditEntry.objects.filter(action="priorities.candidate.status").count() == 2


def test_the_title_follows_the_language_and_falls_back(candidate):
    candidate.title_translations = {"es": "Calles más seguras"}
    assert candidate_title(candidate, "es") == "Calles más seguras"
    assert candidate_title(candidate, "es-mx") == "Calles más seguras"
    assert candidate_title(candidate, "en") == "Safer streets around schools"
    with translation.override("es"):
        assert candidate_title(candidate) == "Calles más seguras"
    candidate.title_translations = {"es": "  "}
    assert candidate_title(candidate, "es") == "Safer streets around schools"


def test_who_was_heard_counts_residents_partners_critics_and_anonymous(casey, candidate, spoken):
    for item in spoken:
        input_link(actor=casey, input=item, item=candidate)
    heard = selectors.heard_by_candidate([candidate.pk])[candidate.pk]
    assert (heard.total, heard.residents, heard.partners, heard.critics, heard.anonymous) == (
        4,
        2,
        1,
        1,
        1,
    )


def test_counts_are_per_candidate_and_in_one_query(
    casey, agency, candidate, spoken, django_assert_num_queries
):
    other = CandidateFactory.create(agency=agency)
    input_link(actor=casey, input=spoken[0], item=candidate)
    input_link(actor=casey, input=spoken[0], item=other)
    input_link(actor=casey, input=spoken[2], item=other)
    with django_assert_num_queries(1):
        heard = selectors.heard_by_candidate([candidate.pk, other.pk])
    assert heard[candidate.pk].total == 1 and heard[other.pk].total == 2
    areas = selectors.areas_by_candidate([candidate.pk, other.pk])
    assert areas[other.pk] == [("Eastbank", 1), ("Westside", 1)]


def test_the_evidence_counts_every_input_but_samples_only_visible_ones_redacted(
    casey, agency, candidate, spoken
):
    for item in spoken:
        input_link(actor=casey, input=item, item=candidate)
    hidden = InputFactory.create(
        agency=agency, text="Abusive words here.", moderation=Moderation.HIDDEN
    )
    with_phone = InputFactory.create(agency=agency, text="Call me at 212-736-5000 about it.")
    for item in (hidden, with_phone):
        input_link(actor=casey, input=item, item=candidate)
    evidence = selectors.candidate_evidence(candidate=candidate)
    assert evidence.heard.total == 6
    assert evidence.areas == [("No area", 3), ("Eastbank", 2), ("Westside", 1)]
    texts = [text for _item, text in evidence.sample]
    assert len(texts) == 5
    assert "Abusive words here." not in texts
    assert "Call me at [phone] about it." in texts
