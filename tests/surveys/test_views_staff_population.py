"""Reference populations on the staff pages: the list, importing census
margins (areas that match none of the agency's are reported), and one
population's margins per area."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roundtable.surveys.models import PopulationMargin, ReferencePopulation
from tests.factories import PopulationMarginFactory, ReferencePopulationFactory
from tests.surveys.census import census_text, chicago_areas, chicago_population

pytestmark = pytest.mark.django_db


def upload(text: str, name: str = "profiles.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_ana_imports_the_cmap_profiles_and_sees_the_unmatched_areas(agency, ana, client_for):
    chicago_areas(agency)
    client = client_for(ana)
    response = client.post(
        reverse("surveys:population_import", args=[agency.slug]),
        {
            "file": upload(census_text()),
            "name": "ACS 2016–2020",
            "source": "CMAP Community Data Snapshots",
        },
        follow=True,
    )
    population = ReferencePopulation.objects.get(agency=agency)
    assert response.redirect_chain[-1][0].endswith(f"/surveys/populations/{population.pk}/")
    html = response.content.decode()
    # Four of the file's 77 community areas are the agency's; the rest are listed.
    assert "73 areas of the file match none" in html and "Rogers Park" in html
    tables = {table.characteristic: table for table in response.context["tables"]}
    assert {"age_band", "race_ethnicity", "income_band", "tenure", "area"} <= set(tables)
    assert tables["age_band"].category_labels == ["18 to 34", "35 to 49", "50 to 64", "65 or older"]
    assert {area.slug for area, _counts, _total in tables["age_band"].rows} == {
        "austin",
        "humboldt-park",
        "lincoln-park",
        "loop",
    }


def test_a_file_in_neither_layout_is_refused_on_the_form(agency, casey, client_for):
    response = client_for(casey).post(
        reverse("surveys:population_import", args=[agency.slug]),
        {"file": upload("a,b\n1,2\n"), "name": "Nothing"},
    )
    assert response.status_code == 400
    assert "neither a CMAP" in response.content.decode()
    assert not ReferencePopulation.objects.exists()


def test_only_csv_files_are_taken(agency, casey, client_for):
    response = client_for(casey).post(
        reverse("surveys:population_import", args=[agency.slug]),
        {"file": upload("x", name="profiles.xlsx"), "name": "Sheet"},
    )
    assert response.status_code == 400 and "file" in response.context["form"].errors


def test_staff_read_the_list_newest_first_with_its_counts(
    agency, cleo, client_for, django_assert_max_num_queries
):
    chicago_areas(agency)
    older = ReferencePopulationFactory.create(agency=agency, name="Census 2010")
    PopulationMarginFactory.create_batch(3, population=older)
    newer = chicago_population(agency)
    client = client_for(cleo)
    url = reverse("surveys:populations", args=[agency.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        page = client.get(url)
    assert [p.pk for p in page.context["populations"]] == [newer.pk, older.pk]
    assert page.context["populations"][0].area_count == 4
    assert page.context["populations"][1].margin_count == 3
    assert "Import census margins" not in page.content.decode()  # Cleo reads only
    for n in range(10):
        ReferencePopulationFactory.create(agency=agency, name=f"Extra {n}")
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert len(client.get(url).context["populations"]) == 12


def test_another_agencys_population_does_not_exist_here(agency, other_agency, uma, client_for):
    theirs = ReferencePopulationFactory.create(agency=agency)
    url = reverse("surveys:population", args=[other_agency.slug, theirs.pk])
    assert client_for(uma).get(url).status_code == 404
    own = reverse("surveys:population", args=[agency.slug, theirs.pk])
    assert client_for(uma).get(own).status_code == 403


def test_the_population_page_costs_one_query_for_its_margins(
    agency, cleo, client_for, django_assert_max_num_queries
):
    chicago_areas(agency)
    population = chicago_population(agency)
    assert PopulationMargin.objects.filter(population=population).count() > 50
    client = client_for(cleo)
    url = reverse("surveys:population", args=[agency.slug, population.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
