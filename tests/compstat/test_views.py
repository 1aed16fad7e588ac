"""The meeting pack's pages: command staff open a month's pack in both languages,
its PDF, the months, issuing (which freezes the page) and two months side by
side; and who may not."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse

from roundtable.audit.models import AuditEntry
from roundtable.compstat import months
from roundtable.compstat.models import MeetingPack
from tests.compstat.helpers import MID, MONTH, TODAY, many
from tests.factories import AreaFactory, MeasureFactory, MeasureValueFactory, MeetingPackFactory

pytestmark = pytest.mark.django_db

KEY = months.key(MONTH)
MONTH_LABEL = MONTH.strftime("%B %Y")  # English, as the pages write it


def pack_url(agency, key=KEY, name="compstat:pack"):
    return reverse(name, args=[agency.slug, key])


def issue_url(agency, key=KEY):
    return reverse("compstat:issue", args=[agency.slug, key])


# --- Reading a month's pack ---


def test_command_staff_open_the_months_pack(agency, cleo, client_for):
    many(agency, MID, 3, "burglary")
    response = client_for(cleo).get(pack_url(agency))
    assert response.status_code == 200
    body = response.content.decode()
    assert MONTH_LABEL in body
    for section in ("period-table", "measures", "surveys", "problems", "ledger", "meetings"):
        assert f'id="{section}"' in body
    assert "Draft: figures may still change." in body
    assert 'id="pack-issue-form"' in body  # command staff issue packs


def test_the_pack_opens_in_spanish(agency, cleo, client_for):
    many(agency, MID, 3, "burglary")
    cleo.preferred_language = "es"  # a signed-in person's own language rules
    cleo.save()
    body = client_for(cleo).get(pack_url(agency)).content.decode()
    assert '<html lang="es">' in body
    assert "Un año antes" in body  # the period table's columns, translated


def test_an_areas_pack_and_an_unknown_area(agency, cleo, client_for):
    AreaFactory.create(agency=agency, name="North District", slug="north")
    client = client_for(cleo)
    response = client.get(pack_url(agency) + "?area=north")
    assert response.status_code == 200 and "North District" in response.content.decode()
    assert client.get(pack_url(agency) + "?area=nowhere").status_code == 404


def test_months_to_come_and_impossible_months_are_not_found(agency, cleo, client_for):
    client = client_for(cleo)
    next_month = months.key(months.shift(months.first_day(TODAY), 1))
    assert client.get(pack_url(agency, next_month)).status_code == 404
    assert client.get(f"/a/{agency.slug}/compstat/2026-13/").status_code == 404
    # The month under way is a draft.
    running = client.get(pack_url(agency, months.key(TODAY)))
    assert running.status_code == 200
    assert "The month is not over yet." in running.content.decode()


# --- The PDF ---


def test_the_pdf_is_a_pdf_with_the_agency_and_the_month(agency, cleo, client_for):
    measure = MeasureFactory.create(agency=agency, name="Oversight meetings held", target=4)
    MeasureValueFactory.create(measure=measure, period_start=MONTH, value=2)
    many(agency, MID, 2, "robbery")
    response = client_for(cleo).get(pack_url(agency, name="compstat:pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"meeting-pack-{agency.slug}-{KEY}.pdf" in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    # Words as they run, whatever the lines they wrap on.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert agency.name in text
    assert MONTH_LABEL in text
    assert "Oversight meetings held" in text
    assert "1 / " in text  # page numbers


# --- Issuing ---


def test_issuing_freezes_the_pack_in_every_language(agency, cleo, client_for):
    many(agency, MID, 3, "burglary")
    client = client_for(cleo)
    response = client.post(issue_url(agency))
    assert response.status_code == 302 and response["Location"] == pack_url(agency)

    packs = MeetingPack.objects.filter(agency=agency, month=MONTH, area=None)
    assert sorted(p.language for p in packs) == ["en", "es"]
    assert all(p.issued_by == cleo for p in packs)
    assert AuditEntry.objects.filter(action="compstat.pack.issue", actor=cleo).count() == 1

    issued = client.get(pack_url(agency)).content.decode()
    assert "Issued on" in issued and "Draft" not in issued
    assert 'id="pack-issue-form"' not in issued

    # Late data about the month change the live figures, not the issued pack.
    many(agency, MID, 40, "burglary")
    again = client.get(pack_url(agency)).content.decode()
    assert _section(again) == _section(issued)
    live = client.get(pack_url(agency) + "?live=1").content.decode()
    assert "Live figures, computed now" in live
    assert _section(live) != _section(issued)
    assert ">43<" in _section(live) and ">43<" not in _section(issued)


def _section(body: str) -> str:
    start = body.index('id="period-table"')
    return body[start : body.index('id="measures"')]


def test_the_spanish_issued_pack_is_the_spanish_one(agency, cleo, client_for):
    client = client_for(cleo)
    client.post(issue_url(agency))
    MeetingPack.objects.filter(language="es").update(html="<p>el paquete en español</p>")
    cleo.preferred_language = "es"
    cleo.save()
    assert "el paquete en español" in client.get(pack_url(agency)).content.decode()


def test_an_issued_pack_is_not_issued_twice(agency, cleo, ana, client_for):
    client_for(cleo).post(issue_url(agency))
    response = client_for(ana).post(issue_url(agency), follow=True)
    assert "has been issued already" in response.content.decode()
    assert MeetingPack.objects.filter(agency=agency).count() == 2
    assert MeetingPack.objects.filter(issued_by=ana).count() == 0


def test_the_month_under_way_cannot_be_issued(agency, cleo, client_for):
    response = client_for(cleo).post(issue_url(agency, months.key(TODAY)), follow=True)
    assert "once the month has ended" in response.content.decode()
    assert not MeetingPack.objects.exists()


def test_an_areas_pack_is_issued_on_its_own(agency, cleo, client_for):
    AreaFactory.create(agency=agency, name="North District", slug="north")
    response = client_for(cleo).post(issue_url(agency), {"area": "north"})
    assert response["Location"] == pack_url(agency) + "?area=north"
    assert set(MeetingPack.objects.values_list("area__slug", flat=True)) == {"north"}


def test_the_issued_pdf_is_the_issued_pack(agency, cleo, client_for):
    client = client_for(cleo)
    client.post(issue_url(agency))
    MeetingPack.objects.filter(language="en").update(html="<p>Frozen figures 1234</p>")
    response = client.get(pack_url(agency, name="compstat:pdf"))
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Frozen figures 1234" in text and "Issued on" in text


# --- The months and the comparison ---


def test_the_index_lists_the_current_previous_and_issued_months(agency, cleo, client_for):
    old = months.shift(MONTH, -10)
    MeetingPackFactory.create(agency=agency, month=old, issued_by=cleo)
    body = client_for(cleo).get(reverse("compstat:index", args=[agency.slug])).content.decode()
    assert pack_url(agency, months.key(TODAY)) in body
    assert pack_url(agency, months.key(months.shift(months.first_day(TODAY), -1))) in body
    assert pack_url(agency, months.key(old)) in body
    assert "issued" in body and 'name="area"' in body


def test_two_months_side_by_side(agency, cleo, client_for):
    earlier = months.shift(MONTH, -1)
    measure = MeasureFactory.create(agency=agency, name="Volunteer hours", target=100)
    MeasureValueFactory.create(measure=measure, period_start=earlier, value=80)
    MeasureValueFactory.create(measure=measure, period_start=MONTH, value=110)
    many(agency, MID, 4, "robbery")
    url = reverse("compstat:compare", args=[agency.slug, months.key(earlier), KEY])
    response = client_for(cleo).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="compare-period-table"' in body and 'id="compare-measures"' in body
    assert "Volunteer hours" in body and "+30" in body
    assert MONTH_LABEL in body and earlier.strftime("%B %Y") in body


# --- Who may not ---


@pytest.mark.parametrize("persona", ["rosa", "pat", "uma"])
def test_others_are_refused_every_page(agency, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    for name in ("compstat:pack", "compstat:pdf"):
        assert client.get(pack_url(agency, name=name)).status_code == 403
    assert client.get(reverse("compstat:index", args=[agency.slug])).status_code == 403
    assert client.post(issue_url(agency)).status_code == 403
    assert not MeetingPack.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(agency, client):
    for url in (reverse("compstat:index", args=[agency.slug]), pack_url(agency)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert client.post(issue_url(agency)).status_code == 302
    assert not MeetingPack.objects.exists()


def test_a_coordinator_reads_but_does_not_issue(agency, casey, client_for):
    client = client_for(casey)
    body = client.get(pack_url(agency)).content.decode()
    assert 'id="pack-issue-form"' not in body
    assert client.post(issue_url(agency)).status_code == 403
    assert not MeetingPack.objects.exists()


def test_the_agency_home_links_to_the_packs_for_staff_only(agency, cleo, rosa, client_for):
    home = reverse("core:agency_home", args=[agency.slug])
    index = reverse("compstat:index", args=[agency.slug])
    assert index in client_for(cleo).get(home).content.decode()
    assert index not in client_for(rosa).get(home).content.decode()


def test_a_month_before_any_data_is_an_empty_pack(agency, cleo, client_for):
    response = client_for(cleo).get(pack_url(agency, months.key(dt.date(2001, 1, 1))))
    assert response.status_code == 200
    assert "No problem-solving team was at work." in response.content.decode()
