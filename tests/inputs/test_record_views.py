"""Staff record input they heard: a call, a meeting, a focus group, a scanning interview."""

import pytest
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.inputs.models import Input, InputChannel
from tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_interview_guide_and_staff_channels(agency, casey, client_for):
    html = client_for(casey).get(reverse("inputs:record", args=[agency.slug])).content.decode()
    assert "What data does your organisation hold that could help?" in html
    assert 'value="scanning_interview"' in html and 'value="web"' not in html


def test_a_phone_call_is_recorded_with_its_recorder_and_audited(agency, casey, client_for):
    area = AreaFactory.create(agency=agency)
    response = client_for(casey).post(
        reverse("inputs:record", args=[agency.slug]),
        {
            "channel": "phone",
            "topic": "safety_concern",
            "text": "Cars race on Elm at night.",
            "language": "en",
            "area": area.pk,
            "is_anonymous": "on",
        },
    )
    item = Input.objects.get()
    assert response["Location"] == reverse("inputs:detail", args=[agency.slug, item.pk])
    assert item.recorded_by == casey and item.channel == InputChannel.PHONE
    assert item.area == area and item.is_anonymous
    assert AuditEntry.objects.filter(action="input.record", object_id=str(item.pk)).exists()


def test_a_scanning_interview_keeps_its_answers_and_may_have_no_text(agency, casey, client_for):
    org = OrganisationFactory.create(agency=agency, name="Eastgate Tenants Union")
    client_for(casey).post(
        reverse("inputs:record", args=[agency.slug]),
        {
            "channel": "scanning_interview",
            "topic": "other",
            "text": "",
            "language": "es",
            "organisation": org.pk,
            "interview_concerns": "Robos de paquetes.",
            "interview_improve": "Más patrullas a pie.",
            "is_anonymous": "",
            "contact_name": "Marta",
            "contact_email": "marta@example.org",
        },
    )
    item = Input.objects.get()
    assert item.interview == {"concerns": "Robos de paquetes.", "improve": "Más patrullas a pie."}
    assert item.organisation == org and item.contact_email == "marta@example.org"
    assert item.reply_channel == "email" and not item.is_anonymous


def test_anonymous_with_contact_details_or_nothing_said_is_refused(agency, casey, client_for):
    c = client_for(casey)
    url = reverse("inputs:record", args=[agency.slug])
    base = {"channel": "meeting", "topic": "policy", "language": "en", "is_anonymous": "on"}
    assert c.post(url, {**base, "text": ""}).status_code == 400
    response = c.post(url, {**base, "text": "Hi", "contact_email": "a@example.org"})
    assert response.status_code == 400
    assert c.post(url, {**base, "text": "x", "interview_data": "y"}).status_code == 400
    assert not Input.objects.exists()


def test_analysts_and_outsiders_cannot_record(agency, ana, uma, client, client_for):
    url = reverse("inputs:record", args=[agency.slug])
    data = {"channel": "phone", "topic": "other", "text": "x", "language": "en"}
    for person in (ana, uma):
        assert client_for(person).post(url, data).status_code == 403
    assert client.post(url, data).status_code == 302
    assert not Input.objects.exists()


def test_a_phone_number_is_kept_in_e164_so_text_messages_reach_it(agency, casey, client_for):
    url = reverse("inputs:record", args=[agency.slug])
    data = {
        "channel": "phone",
        "topic": "other",
        "text": "Call me back.",
        "language": "en",
        "contact_name": "Joe",
        "reply_channel": "sms",
    }
    c = client_for(casey)
    response = c.post(url, {**data, "contact_phone": "call me maybe"})
    assert response.status_code == 400
    assert response.context["form"].errors["contact_phone"]
    assert not Input.objects.exists()
    c.post(url, {**data, "contact_phone": "312.555.0198"})
    assert Input.objects.get().contact_phone == "+13125550198"
