"""Staff pages of the measures: who may use each one, and what they do.

Casey (coordinator) and Ana (analyst) edit; Cleo (command staff) reads; Rosa
(resident), Pat (partner, on the staff pages), Uma (another agency's
coordinator) and anonymous visitors are refused.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from roundtable.measures.figures import Figure
from roundtable.measures.models import DataSharer, Measure, MeasureValue, PartnerSubmission
from roundtable.measures.services import data_sharer_grant, measure_choose
from roundtable.measures.services_partners import partner_submit
from tests.factories import AreaFactory, MeasureValueFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, casey, pat):
    school = OrganisationFactory.create(agency=agency, name="Riverside Unified School District")
    attendance = measure_choose(
        actor=casey, agency=agency, catalogue_key="school_attendance", partner=school
    )
    sharer = data_sharer_grant(actor=casey, agency=agency, organisation=school, user=pat)
    submission = partner_submit(
        actor=pat,
        measure=attendance,
        figures=[Figure(dt.date(2026, 9, 1), 93.5)],
        provenance="Attendance system extract",
    )
    value = MeasureValueFactory.create(
        measure=attendance, period_start=dt.date(2026, 8, 1), value=92.0
    )
    return {
        "measure": attendance,
        "sharer": sharer,
        "submission": submission,
        "value": value,
        "school": school,
    }


# (URL name, method, arguments, who may use it): "viewers" MEASURE_VIEWERS,
# "editors" MEASURE_EDITORS.
def pages(setup):
    m, s, v = setup["measure"].pk, setup["submission"].pk, setup["value"].pk
    return [
        ("home", "get", [], "viewers"),
        ("catalogue", "get", [], "viewers"),
        ("choose", "post", ["violent_crime"], "editors"),
        ("create", "get", [], "editors"),
        ("refresh", "post", [], "editors"),
        ("import", "get", [], "editors"),
        ("import_template", "get", [], "editors"),
        ("submissions", "get", [], "viewers"),
        ("submission", "get", [s], "viewers"),
        ("review", "post", [s], "editors"),
        ("sharers", "get", [], "viewers"),
        ("sharer_revoke", "post", [setup["sharer"].pk], "editors"),
        ("detail", "get", [m], "viewers"),
        ("edit", "get", [m], "editors"),
        ("drop", "post", [m], "editors"),
        ("value_add", "get", [m], "editors"),
        ("value_delete", "post", [m, v], "editors"),
    ]


def call(client: Client, method: str, url: str):
    return client.get(url) if method == "get" else client.post(url, {})


def test_every_staff_page_refuses_who_it_must(setup, agency, cleo, ana, rosa, pat, uma, client_for):
    for name, method, args, who in pages(setup):
        url = reverse(f"measures:{name}", args=[agency.slug, *args])
        anonymous = call(Client(), method, url)
        assert anonymous.status_code == 302, name
        assert anonymous["Location"].startswith(reverse("accounts:login"))
        for person in (rosa, pat, uma):
            assert call(client_for(person), method, url).status_code == 403, (name, person)
        cleo_status = call(client_for(cleo), method, url).status_code
        if who == "viewers":
            assert cleo_status == 200, name
        else:
            assert cleo_status == 403, name
    # An analyst may use the editors' pages (read-only ones shown here).
    for name, method, args, _who in pages(setup):
        if method == "get":
            url = reverse(f"measures:{name}", args=[agency.slug, *args])
            assert client_for(ana).get(url).status_code == 200, name


def test_another_agencys_measure_is_not_found(setup, other_agency, uma, client_for):
    url = reverse("measures:detail", args=[other_agency.slug, setup["measure"].pk])
    assert client_for(uma).get(url).status_code == 404


def test_home_groups_measures_and_warns_of_goals_without_one(setup, agency, casey, client_for):
    measure_choose(actor=casey, agency=agency, catalogue_key="violent_crime", target=30)
    response = client_for(casey).get(reverse("measures:home", args=[agency.slug]))
    page = response.content.decode()
    assert "Goals without a measure" in page
    assert "Officer safety, wellness and satisfaction" in page
    assert "Violent crimes recorded" in page and "School attendance" in page
    assert "1 partner submission waits for approval." in page


def test_home_takes_a_bounded_number_of_queries(
    setup, agency, casey, client_for, django_assert_max_num_queries
):
    client = client_for(casey)
    url = reverse("measures:home", args=[agency.slug])
    client.get(url)
    for key in ("violent_crime", "meetings_held", "unemployment", "trust_score", "clearance_rate"):
        measure = measure_choose(actor=casey, agency=agency, catalogue_key=key)
        for month in range(1, 11):
            MeasureValueFactory.create(
                measure=measure, period_start=dt.date(2026, month, 1), value=month
            )
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_choosing_from_the_catalogue(setup, agency, casey, client_for):
    client = client_for(casey)
    catalogue = client.get(reverse("measures:catalogue", args=[agency.slug])).content.decode()
    assert "Emergency-room visits for assault" in catalogue
    response = client.post(reverse("measures:choose", args=[agency.slug, "violent_crime"]))
    measure = Measure.objects.get(agency=agency, catalogue_key="violent_crime")
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:edit", args=[agency.slug, measure.pk])
    response = client.post(
        response["Location"],
        {"target": "30", "polarity": "lower", "by_area": "on", "is_public": "on"},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.target == 30


def test_adding_an_own_measure(agency, ana, client_for):
    client = client_for(ana)
    url = reverse("measures:create", args=[agency.slug])
    bad = client.post(url, {"indicator": "transparency", "name": ""})
    assert bad.status_code == 400
    response = client.post(
        url,
        {
            "indicator": "transparency",
            "name": "Body-camera footage released",
            "definition": "Requests for footage answered within 30 days.",
            "name_es": "Videos publicados",
            "unit": "percent",
            "polarity": "higher",
            "frequency": "quarterly",
            "source": "imported",
            "target": "90",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(agency=agency)
    assert measure.goal == "trust" and measure.translations == {"es": {"name": "Videos publicados"}}
    # Nothing said about people: it counts them (small figures withheld in public).
    assert measure.counts_people


def test_an_own_measure_may_count_no_people(agency, ana, client_for):
    client = client_for(ana)
    page = client.get(reverse("measures:create", args=[agency.slug])).content.decode()
    assert 'name="counts_no_people"' in page
    fields = {
        "indicator": "oversight",
        "name": "Youth advisory council meetings",
        "definition": "Meetings of the youth advisory council held in the quarter.",
        "unit": "count",
        "polarity": "higher",
        "frequency": "quarterly",
        "source": "imported",
        "is_public": "on",
        "counts_no_people": "on",
    }
    assert client.post(reverse("measures:create", args=[agency.slug]), fields).status_code == 302
    measure = Measure.objects.get(agency=agency)
    assert not measure.counts_people
    edit = reverse("measures:edit", args=[agency.slug, measure.pk])
    box = re.search(r'<input[^>]*name="counts_no_people"[^>]*>', client.get(edit).content.decode())
    assert box is not None and "checked" in box.group()
    del fields["counts_no_people"]
    assert client.post(edit, {**fields, "target": "4"}).status_code == 302
    measure.refresh_from_db()
    assert measure.counts_people and measure.target == 4


def test_a_catalogue_measure_takes_the_catalogues_word_on_people(setup, agency, casey, client_for):
    edit = reverse("measures:edit", args=[agency.slug, setup["measure"].pk])
    assert "counts_no_people" not in client_for(casey).get(edit).content.decode()


def test_the_detail_page_shows_figures_with_provenance(setup, agency, cleo, client_for):
    page = client_for(cleo).get(reverse("measures:detail", args=[agency.slug, setup["measure"].pk]))
    text = page.content.decode()
    assert "School attendance" in text
    assert "92.0 %" in text
    assert "Riverside Unified School District" in text
    assert 'role="img"' in text and "<table" in text


def test_entering_a_figure_with_a_decimal_comma(setup, agency, ana, client_for):
    url = reverse("measures:value_add", args=[agency.slug, setup["measure"].pk])
    client = client_for(ana)
    wrong = client.post(url, {"period": "2026-Q3", "value": "91"})
    assert wrong.status_code == 400
    assert "This measure is not quarterly." in wrong.content.decode()
    response = client.post(url, {"period": "2026-07", "value": "91,5", "provenance": "Email"})
    assert response.status_code == 302
    assert (
        MeasureValue.objects.get(measure=setup["measure"], period_start=dt.date(2026, 7, 1)).value
        == 91.5
    )


def test_import_page_lists_problems_and_imports_nothing(setup, agency, ana, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(ana)
    url = reverse("measures:import", args=[agency.slug])
    bad = SimpleUploadedFile("f.csv", b"measure,period,area,value\nschool_attendance,2026-13,,90\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "line 2, column period: There is no month 13." in response.content.decode()
    good = SimpleUploadedFile(
        "f.csv", b"measure,period,area,value\nschool_attendance,2026-06,,90\n"
    )
    assert client.post(url, {"file": good}).status_code == 302
    assert MeasureValue.objects.filter(period_start=dt.date(2026, 6, 1)).exists()
    template = client.get(reverse("measures:import_template", args=[agency.slug]))
    assert template.content.decode().splitlines()[:2] == [
        "measure,period,area,value,count,base",
        "school_attendance,2026-10,,,,",
    ]


def test_reviewing_a_submission(setup, agency, casey, client_for):
    client = client_for(casey)
    url = reverse("measures:review", args=[agency.slug, setup["submission"].pk])
    refused = client.post(url, {"decision": "reject", "note": ""})
    assert refused.status_code == 400
    assert client.post(url, {"decision": "approve"}).status_code == 302
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == PartnerSubmission.Status.APPROVED
    assert MeasureValue.objects.get(period_start=dt.date(2026, 9, 1)).value == 93.5


def test_the_submissions_list_is_bounded(
    setup, agency, pat, cleo, client_for, django_assert_max_num_queries
):
    for month in range(1, 8):
        partner_submit(
            actor=pat,
            measure=setup["measure"],
            figures=[Figure(dt.date(2026, month, 1), 90.0)],
            provenance="Extract",
        )
    client = client_for(cleo)
    url = reverse("measures:submissions", args=[agency.slug])
    client.get(url)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("Waiting for approval") == 8


def test_granting_a_data_sharer(setup, agency, casey, client_for):
    from roundtable.accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    nora = UserFactory.create(username="nora")
    MembershipFactory.create(user=nora, agency=agency, role=Role.PARTNER)
    client = client_for(casey)
    url = reverse("measures:sharers", args=[agency.slug])
    response = client.post(url, {"organisation": setup["school"].pk, "user": nora.pk})
    assert response.status_code == 302
    assert DataSharer.objects.filter(user=nora).exists()
    client.post(reverse("measures:sharer_revoke", args=[agency.slug, setup["sharer"].pk]))
    assert not DataSharer.objects.filter(pk=setup["sharer"].pk).exists()


def test_command_staff_cannot_grant(setup, agency, cleo, pat, client_for):
    url = reverse("measures:sharers", args=[agency.slug])
    response = client_for(cleo).post(url, {"organisation": setup["school"].pk, "user": pat.pk})
    assert response.status_code == 403


def test_area_choice_only_for_measures_kept_by_area(agency, casey, client_for):
    AreaFactory.create(agency=agency, name="North", slug="north")
    complaints = measure_choose(actor=casey, agency=agency, catalogue_key="code_complaints")
    page = client_for(casey).get(reverse("measures:value_add", args=[agency.slug, complaints.pk]))
    assert "North" in page.content.decode()


def test_pages_render_in_spanish(setup, agency, casey, client_for):
    casey.preferred_language = "es"
    casey.save(update_fields=["preferred_language"])
    client = client_for(casey)
    for name, args in (
        ("home", []),
        ("catalogue", []),
        ("detail", [setup["measure"].pk]),
        ("edit", [setup["measure"].pk]),
        ("submission", [setup["submission"].pk]),
    ):
        response = client.get(reverse(f"measures:{name}", args=[agency.slug, *args]))
        assert response.status_code == 200, name
        assert '<html lang="es">' in response.content.decode()
