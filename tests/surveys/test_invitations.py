"""Satisfaction surveys after calls for service: who is never asked, how the
links go out, and that no caller's detail is kept anywhere."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend

from roundtable.audit.models import AuditEntry
from roundtable.inputs import sms
from roundtable.surveys import services_invitations
from roundtable.surveys.models import Invitation, Response, Survey
from roundtable.surveys.services import response_submit, survey_close, survey_create, survey_open
from roundtable.surveys.services_invitations import (
    ContactRecord,
    Exclusion,
    contact_invitations_send,
    contacts_from_csv,
    exclusion_of,
)
from roundtable.surveys.services_responses import token_hash

pytestmark = pytest.mark.django_db

BATCH = "Calls for service, 1–7 March"


@pytest.fixture
def survey(agency, casey) -> Survey:
    survey = survey_create(
        agency=agency,
        created_by=casey,
        title={"en": "How did we do?", "es": "¿Cómo lo hicimos?"},
        instruments=["contact_satisfaction"],
    )
    return survey_open(survey=survey, actor=casey)


def _call(reference="24-000101", call_type="THEFT", **fields) -> ContactRecord:
    fields.setdefault("in_progress", False)
    fields.setdefault("email", f"caller-{reference}@example.org")
    return ContactRecord(reference=reference, call_type=call_type, **fields)


def _send(survey, actor, contacts):
    return contact_invitations_send(survey=survey, actor=actor, contacts=contacts, batch=BATCH)


# --- Who is never asked ---


@pytest.mark.parametrize(
    ("category", "reason"),
    [
        ("domestic_violence", Exclusion.DOMESTIC_VIOLENCE),
        ("sexual_assault", Exclusion.SEXUAL_OFFENCE),
        ("sex_offence", Exclusion.SEXUAL_OFFENCE),
        ("child_abuse", Exclusion.SENSITIVE),
        ("human_trafficking", Exclusion.SENSITIVE),
        ("family_offence", Exclusion.SENSITIVE),
        ("prostitution", Exclusion.SENSITIVE),
        ("homicide", Exclusion.SENSITIVE),
        ("kidnapping", Exclusion.SENSITIVE),
    ],
)
def test_sensitive_categories_are_never_asked_whatever_the_call_type(category, reason):
    assert exclusion_of(_call(call_type="SUSPICIOUS PERSON", category=category)) == reason


@pytest.mark.parametrize(
    ("call_type", "reason"),
    [
        # Chicago (Primary Type / Description) and Boston offence descriptions
        ("BATTERY / DOMESTIC BATTERY SIMPLE", Exclusion.DOMESTIC_VIOLENCE),
        ("OTHER OFFENSE / VIOLATE ORDER OF PROTECTION", Exclusion.DOMESTIC_VIOLENCE),
        ("VIOL. OF RESTRAINING ORDER W NO ARREST", Exclusion.DOMESTIC_VIOLENCE),
        ("STALKING / SIMPLE", Exclusion.DOMESTIC_VIOLENCE),
        ("CRIM SEXUAL ASSAULT / NON-AGGRAVATED", Exclusion.SEXUAL_OFFENCE),
        ("SEX OFFENSE / CRIMINAL SEXUAL ABUSE", Exclusion.SEXUAL_OFFENCE),
        ("OFFENSE INVOLVING CHILDREN / AGG SEX ASSLT OF CHILD FAM MBR", Exclusion.SEXUAL_OFFENCE),
        ("PUBLIC INDECENCY / LICENSED PREMISE", Exclusion.SEXUAL_OFFENCE),
        ("HUMAN TRAFFICKING - INVOLUNTARY SERVITUDE", Exclusion.SENSITIVE),
        ("OFFENSE INVOLVING CHILDREN / CHILD ABUSE", Exclusion.SENSITIVE),
        ("Offenses Against Child / Family / CHILD ENDANGERMENT", Exclusion.SENSITIVE),
        # CAD call types
        ("DV IN PROGRESS", Exclusion.DOMESTIC_VIOLENCE),
        ("D/V - VERBAL", Exclusion.DOMESTIC_VIOLENCE),
        ("Family disturbance", Exclusion.DOMESTIC_VIOLENCE),
        ("273.5 PC", Exclusion.DOMESTIC_VIOLENCE),
        ("RAPE REPORT", Exclusion.SEXUAL_OFFENCE),
        ("Death investigation", Exclusion.SENSITIVE),
    ],
)
def test_sensitive_call_types_are_never_asked(call_type, reason):
    assert exclusion_of(_call(call_type=call_type)) == reason


@pytest.mark.parametrize(
    "call_type",
    [
        "THEFT / $500 AND UNDER",
        "Motor Vehicle Accident Response",
        "NOISE COMPLAINT",
        "ASSAULT SIMPLE - BATTERY",
        "BURGLARY / FORCIBLE ENTRY",
    ],
)
def test_ordinary_calls_are_asked(call_type):
    assert exclusion_of(_call(call_type=call_type)) is None


def test_incidents_in_progress_are_never_asked():
    assert exclusion_of(_call(in_progress=True)) == Exclusion.IN_PROGRESS


def test_each_exclusion_is_counted_and_the_rest_are_sent(survey, casey):
    contacts = [
        _call("1", "THEFT"),
        _call("2", "DOMESTIC BATTERY SIMPLE"),
        _call("3", "SUSPICIOUS PERSON", category="sexual_assault"),
        _call("4", "CHILD ABUSE"),
        _call("5", "BURGLARY", in_progress=True),
        _call("6", "NOISE", email="", phone=""),
        _call("7", "NOISE", email="not an address", phone="12"),
        _call("8", "THEFT", email="CALLER-1@example.org"),  # the first caller again
        _call("9", "NOISE", email="", phone="(312) 555-0142"),
    ]
    outcome = _send(survey, casey, contacts)
    assert outcome.sent == 2
    assert outcome.excluded == {
        "domestic_violence": 1,
        "sexual_offence": 1,
        "sensitive": 1,
        "in_progress": 1,
        "no_contact": 2,
        "duplicate": 1,
    }
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    assert Invitation.objects.filter(survey=survey, batch=BATCH).count() == 2


def test_one_sensitive_row_excludes_every_row_of_the_incident(survey, casey):
    contacts = [
        _call("24-7", "ASSAULT SIMPLE - BATTERY", email="victim@example.org"),
        _call("24-7", "VIOL. OF RESTRAINING ORDER W ARREST", email="victim@example.org"),
        _call("24-8", "THEFT", email="other@example.org"),
    ]
    outcome = _send(survey, casey, contacts)
    assert outcome.sent == 1 and outcome.excluded == {"domestic_violence": 2}
    assert mail.outbox[0].to == ["other@example.org"]


# --- Refusals ---


def test_only_an_open_after_contact_survey_sends_invitations(survey, agency, casey):
    public = survey_open(
        survey=survey_create(
            agency=agency,
            created_by=casey,
            title={"en": "T", "es": "T"},
            instruments=["trust_safety"],
        ),
        actor=casey,
    )
    with pytest.raises(ValidationError):
        _send(public, casey, [_call()])
    survey_close(survey=survey, actor=casey)
    with pytest.raises(ValidationError):
        _send(survey, casey, [_call()])
    with pytest.raises(ValidationError):
        contact_invitations_send(survey=survey, actor=casey, contacts=[_call()], batch=" ")
    assert not Invitation.objects.exists() and not mail.outbox


# --- Sending ---


def _link(body: str) -> str:
    match = re.search(r"https?://\S+/p/riverside/surveys/i/([\w-]+)/", body)
    assert match, body
    return match.group(1)


def test_the_caller_gets_a_one_time_link_in_their_language_that_works_once(survey, casey):
    outcome = _send(
        survey,
        casey,
        [
            _call("1", language="es"),
            _call("2", email="", phone="312-555-0199", language="es"),
            _call("3", language="fr"),
        ],
    )
    assert outcome.sent == 3
    by_address = {m.to[0]: m for m in mail.outbox}
    spanish = by_address["caller-1@example.org"]
    assert "¿Cómo lo hicimos?" in spanish.body  # the survey's Spanish title
    assert "How did we do?" in by_address["caller-3@example.org"].body  # French: the first language
    (text,) = sms.outbox
    assert text.to == "+13125550199"
    languages = dict(Invitation.objects.values_list("pk", "language"))
    assert sorted(languages.values()) == ["en", "es", "es"]
    token = _link(str(spanish.body))
    raw = {"satisfaction": ["9"]}
    response_submit(
        survey=survey,
        raw=raw,
        language="es",
        channel=Response.Channel.INVITATION,
        invitation_token=token,
    )
    with pytest.raises(ValidationError):
        response_submit(
            survey=survey,
            raw=raw,
            language="es",
            channel=Response.Channel.INVITATION,
            invitation_token=token,
        )


def test_no_contact_detail_or_reference_is_stored_anywhere(survey, casey):
    contacts = [
        _call("CAD-24-551234", "THEFT", email="maria.lopez@example.org", language="es"),
        _call("CAD-24-551235", "NOISE", email="", phone="+1 312 555 0177"),
        _call("CAD-24-551236", "DOMESTIC DISTURBANCE", email="hidden@example.org"),
    ]
    outcome = _send(survey, casey, contacts)
    assert outcome.sent == 2
    secrets_ = [
        "maria.lopez",
        "hidden@example",
        "5550177",
        "555 0177",
        "CAD-24-551234",
        "551235",
        "551236",
    ]
    scanned = []
    for model in apps.get_models():
        for row in model._default_manager.values_list():
            text = " ".join(str(value) for value in row)
            scanned.append(text)
            for secret in secrets_:
                assert secret not in text, (model._meta.label, secret)
    # The scan does read what was stored: the batch's name is there.
    assert any(BATCH in text for text in scanned)
    entry = AuditEntry.objects.get(action="surveys.invitations.contact")
    assert entry.actor == casey
    assert entry.after == {
        "batch": BATCH,
        "sent": 2,
        "excluded": {"domestic_violence": 1},
    }


def test_a_failed_message_leaves_no_link_behind(survey, casey, monkeypatch):
    def refuse(to, body):
        raise RuntimeError(f"provider refused {to}")

    monkeypatch.setattr(services_invitations, "send_sms", refuse)
    outcome = _send(survey, casey, [_call("1"), _call("2", email="", phone="312-555-0101")])
    assert outcome.sent == 1 and outcome.excluded == {"send_failed": 1}
    assert Invitation.objects.count() == 1


def test_a_message_that_cannot_be_written_counts_as_failed_and_leaves_no_link(
    survey, casey, monkeypatch
):
    real = services_invitations._message

    def broken(survey, item):
        if item.channel == "email":
            raise KeyError("a translation's placeholder")
        return real(survey, item)

    monkeypatch.setattr(services_invitations, "_message", broken)
    outcome = _send(survey, casey, [_call("1"), _call("2", email="", phone="312-555-0101")])
    assert outcome.sent == 1 and outcome.excluded == {"send_failed": 1}
    assert Invitation.objects.count() == 1


class BouncingBackend(EmailBackend):
    """The test outbox, refusing any address with "bounce" in it; counts its instances."""

    made = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        BouncingBackend.made += 1

    def send_messages(self, messages):
        if any("bounce" in address for m in messages for address in m.to):
            raise ConnectionError("mailbox unavailable")
        return super().send_messages(messages)


def test_emails_go_over_one_connection_and_a_bounce_is_counted(survey, casey, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BouncingBackend"
    BouncingBackend.made = 0
    contacts = [_call(str(n)) for n in range(5)] + [_call("9", email="bounce@example.org")]
    outcome = _send(survey, casey, contacts)
    assert BouncingBackend.made == 1
    assert outcome.sent == 5 and outcome.excluded == {"send_failed": 1}
    assert len(mail.outbox) == 5 and Invitation.objects.count() == 5


def test_the_links_are_not_made_in_the_order_of_the_file(survey, casey):
    """The agency keeps its file: links numbered in its row order would say
    which row (which caller) each used link went to."""
    contacts = [_call(f"24-{n:03d}") for n in range(40)]
    _send(survey, casey, contacts)
    pk_of = dict(Invitation.objects.values_list("token_hash", "pk"))
    by_address = {m.to[0]: pk_of[token_hash(_link(str(m.body)))] for m in mail.outbox}
    in_file_order = [by_address[c.email] for c in contacts]
    # 40! orders: the file's own comes back by chance about never.
    assert in_file_order != sorted(in_file_order)


def test_a_file_beyond_the_limit_is_refused_before_anything_is_sent(survey, casey, monkeypatch):
    monkeypatch.setattr(services_invitations, "MAX_CALLS", 3)
    with pytest.raises(ValidationError, match="The file has 4 calls; send at most 3"):
        _send(survey, casey, [_call(str(n)) for n in range(4)])
    assert not Invitation.objects.exists() and not mail.outbox
    assert _send(survey, casey, [_call(str(n)) for n in range(3)]).sent == 3


# --- Reading the export ---


CAD = (
    "\ufeffIncident Number,Call Type,Final Call Type,Status,Caller Email,Caller Phone,Language\r"
    "24-1,THEFT,THEFT,CLOSED,ana@example.org,,Spanish\r"
    "24-2,DISTURBANCE,DOMESTIC DISTURBANCE,Cleared,,312-555-0100,en\r"
    "24-3,BURGLARY,,Dispatched,b@example.org,,\r"
    "\r"
)


def test_a_cad_export_is_read_with_bom_cr_endings_and_its_own_column_names():
    first, second, third = contacts_from_csv(CAD)
    assert first == ContactRecord(
        reference="24-1",
        call_type="THEFT / THEFT",
        in_progress=False,
        email="ana@example.org",
        language="es",
    )
    assert second.call_type == "DISTURBANCE / DOMESTIC DISTURBANCE" and not second.in_progress
    assert second.phone == "312-555-0100" and second.language == "en"
    assert third.in_progress and third.language == ""
    assert exclusion_of(second) == Exclusion.DOMESTIC_VIOLENCE


def test_a_domestic_flag_and_an_in_progress_column_are_read():
    text = (
        "ID,Primary Type,Description,Domestic,in_progress,category,email\n"
        "1,BATTERY,SIMPLE,true,no,,a@example.org\n"
        "2,THEFT,OVER $500,false,yes,theft,b@example.org\n"
    )
    battery, theft = contacts_from_csv(text)
    assert battery.category == "domestic_violence" and not battery.in_progress
    assert theft.category == "theft" and theft.in_progress


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("call_type,email\nTHEFT,a@example.org\n", "status or in_progress"),
        ("call_type,status\nTHEFT,CLOSED\n", "no email or phone"),
        ("email,status\na@example.org,CLOSED\n", "call type"),
        ("call_type,in_progress,email\nTHEFT,maybe,a@example.org\n", "Row 2"),
        ("call_type,category,status,email\nTHEFT,piracy,CLOSED,a@example.org\n", "piracy"),
        ("call_type,status,email\nTHEFT,CLOSED,a@example.org,extra\n", "more cells"),
    ],
)
def test_a_file_that_cannot_be_read_safely_says_why(text, fragment):
    with pytest.raises(ValidationError) as caught:
        contacts_from_csv(text)
    assert fragment in caught.value.messages[0]


def test_cr_line_endings_and_a_line_break_inside_a_quoted_cell_are_read_as_written():
    text = (
        "\ufeffincident_number,call_type,status,email\r"
        '24-1,"THEFT\rFROM VEHICLE",CLOSED,a@example.org\r'
        "24-2,NOISE,CLOSED,b@example.org\r"
    )
    first, second = contacts_from_csv(text)
    assert first.call_type == "THEFT\rFROM VEHICLE" and first.email == "a@example.org"
    assert second.reference == "24-2"
