"""Writing themes: naming, tagging, untagging, accepting a suggestion."""

import pytest
from django.core.exceptions import ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import InputLink, Moderation
from roundtable.inputs.services import inputs_linked_to
from roundtable.priorities import selectors, services
from roundtable.priorities.models import Candidate, InputTheme, Theme
from tests.factories import CandidateFactory, InputFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_a_theme_is_created_with_a_tidy_name_and_audited(agency, ana):
    theme = services.theme_create(
        actor=ana, agency=agency, name="  Speeding   near schools ", description=" Fast cars. "
    )
    assert theme.name == "Speeding near schools"
    assert theme.description == "Fast cars."
    assert theme.created_by == ana
    entry = AuditEntry.objects.get(action="priorities.theme.create")
    assert entry.actor == ana and entry.object_id == str(theme.pk)


def test_two_themes_of_an_agency_cannot_share_a_name(agency, other_agency, ana, speeding):
    with pytest.raises(ValidationError) as caught:
        services.theme_create(actor=ana, agency=agency, name="speeding NEAR schools")
    assert "name" in caught.value.message_dict
    # Another agency may use the same words.
    ThemeFactory.create(agency=other_agency, name="Speeding near schools")
    assert Theme.objects.filter(name="Speeding near schools").count() == 2


def test_a_theme_is_renamed_but_not_onto_another(agency, ana, speeding):
    ThemeFactory.create(agency=agency, name="Graffiti")
    services.theme_update(actor=ana, theme=speeding, name="School speeding", description="")
    speeding.refresh_from_db()
    assert speeding.name == "School speeding"
    entry = AuditEntry.objects.get(action="priorities.theme.update")
    assert entry.before is not None and entry.before["name"] == "Speeding near schools"
    with pytest.raises(ValidationError):
        services.theme_update(actor=ana, theme=speeding, name="graffiti", description="")


def test_tagging_skips_inputs_already_in_the_theme(speeding, ana, marisol_input, anonymous_input):
    first = services.theme_tag(actor=ana, theme=speeding, inputs=[marisol_input])
    again = services.theme_tag(actor=ana, theme=speeding, inputs=[marisol_input, anonymous_input])
    assert len(first) == 1 and len(again) == 1
    assert InputTheme.objects.filter(theme=speeding).count() == 2
    assert not InputTheme.objects.filter(from_suggestion=True).exists()
    entries = AuditEntry.objects.filter(action="priorities.theme.tag").order_by("pk")
    assert [(e.after or {}).get("inputs") for e in entries] == [
        [marisol_input.receipt_code],
        [anonymous_input.receipt_code],
    ]


def test_tagging_links_the_input_to_the_themes_live_candidates(
    agency, speeding, ana, marisol_input
):
    live = CandidateFactory.create(agency=agency, theme=speeding)
    rejected = CandidateFactory.create(
        agency=agency, theme=speeding, status=Candidate.Status.REJECTED
    )
    services.theme_tag(actor=ana, theme=speeding, inputs=[marisol_input])
    assert list(inputs_linked_to(live)) == [marisol_input]
    assert not inputs_linked_to(rejected).exists()
    assert AuditEntry.objects.filter(action="input.link").count() == 1


def test_an_input_of_another_agency_cannot_be_tagged(other_agency, speeding, ana):
    foreign = InputFactory.create(agency=other_agency)
    with pytest.raises(ValidationError) as caught:
        services.theme_tag(actor=ana, theme=speeding, inputs=[foreign])
    assert "inputs" in caught.value.message_dict
    assert not InputTheme.objects.exists()


def test_untagging_keeps_links_already_made(agency, speeding, ana, marisol_input):
    candidate = CandidateFactory.create(agency=agency, theme=speeding)
    services.theme_tag(actor=ana, theme=speeding, inputs=[marisol_input])
    services.theme_untag(actor=ana, theme=speeding, input=marisol_input)
    assert not InputTheme.objects.exists()
    assert InputLink.objects.filter(input=marisol_input, object_id=candidate.pk).exists()
    assert AuditEntry.objects.filter(action="priorities.theme.untag").count() == 1
    with pytest.raises(ValidationError):
        services.theme_untag(actor=ana, theme=speeding, input=marisol_input)


def test_accepting_a_suggestion_makes_a_theme_of_the_ticked_inputs_only(
    agency, ana, marisol_input, anonymous_input, library_input
):
    theme = services.suggestion_accept(
        actor=ana, agency=agency, inputs=[marisol_input, anonymous_input], name="school, speed"
    )
    assert theme.name == "school, speed"
    tags = InputTheme.objects.filter(theme=theme)
    assert {t.input for t in tags} == {marisol_input, anonymous_input}
    assert all(t.from_suggestion and t.tagged_by == ana for t in tags)
    assert not InputTheme.objects.filter(input=library_input).exists()


def test_a_suggestion_may_go_into_an_existing_theme(agency, ana, speeding, marisol_input):
    theme = services.suggestion_accept(
        actor=ana, agency=agency, inputs=[marisol_input], theme=speeding
    )
    assert theme == speeding
    assert InputTheme.objects.get(input=marisol_input).from_suggestion


@pytest.mark.parametrize("which", ["both", "neither"])
def test_a_suggestion_needs_exactly_one_destination(agency, ana, speeding, marisol_input, which):
    kwargs = {"theme": speeding, "name": "New"} if which == "both" else {}
    with pytest.raises(ValidationError):
        services.suggestion_accept(actor=ana, agency=agency, inputs=[marisol_input], **kwargs)
    assert not InputTheme.objects.exists()


def test_an_input_kept_from_view_cannot_be_accepted_from_a_suggestion(agency, ana):
    hidden = InputFactory.create(agency=agency, moderation=Moderation.HIDDEN)
    with pytest.raises(ValidationError):
        services.suggestion_accept(actor=ana, agency=agency, inputs=[hidden], name="Abuse")
    assert not Theme.objects.exists()


def test_the_taggable_list_leaves_out_tagged_inputs_unless_asked(
    agency, ana, speeding, marisol_input, anonymous_input
):
    other = ThemeFactory.create(agency=agency, name="Schools")
    services.theme_tag(actor=ana, theme=other, inputs=[anonymous_input])
    assert list(selectors.taggable_inputs(agency=agency, theme=speeding)) == [marisol_input]
    both = selectors.taggable_inputs(agency=agency, theme=speeding, include_tagged=True)
    assert set(both) == {marisol_input, anonymous_input}
    services.theme_tag(actor=ana, theme=speeding, inputs=[marisol_input])
    assert not selectors.taggable_inputs(agency=agency, theme=speeding).exists()


def test_the_taggable_list_finds_text_or_a_receipt_code(agency, marisol_input, anonymous_input):
    assert list(selectors.taggable_inputs(agency=agency, q="escuela")) == [marisol_input]
    code = anonymous_input.receipt_code
    typed = f"{code[:5].lower()}-{code[5:]}"
    assert list(selectors.taggable_inputs(agency=agency, q=typed)) == [anonymous_input]
