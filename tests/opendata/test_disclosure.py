"""Open data never discloses a small count: in no dataset, no format, and not by
subtracting the published parts from the published totals."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from roundtable.disclosure import check_published, minimum_count
from roundtable.incidents.selectors_public import sums
from roundtable.opendata.registry import datasets
from tests.opendata.attacker import recover
from tests.opendata.city import NEVER_PUBLIC
from tests.opendata.helpers import every_format

pytestmark = pytest.mark.django_db


def _small(value: float | None, kind: str = "count") -> bool:
    return value is not None and 0 < value < minimum_count(kind)


def test_the_attacker_recovers_a_cell_that_is_withheld_alone():
    """The attacker works: a total with one part hidden gives the part back."""
    values = {"all": 12, "north": 9, "south": None}
    assert recover(values, [("all", ["north", "south"])])["south"] == 3


def test_every_dataset_passes_the_disclosure_check(agency, city):
    for found in datasets():
        rows = found.rows(agency)
        for kind in ("count", "respondents"):
            check_published(rows, count_fields=found.count_fields(kind), kind=kind)


def test_no_count_field_holds_a_small_count_in_any_format(agency, city, client):
    for found in datasets():
        for fmt, rows in every_format(client, agency, found.key).items():
            for field in found.fields:
                if field.count:
                    small = [r["id"] for r in rows if _small(r[field.name], field.count)]
                    assert small == [], (found.key, fmt, field.name)


def _incident_values(rows):
    return {
        (r["area"] or "", r["offence"], r["period"], side): r[side]
        for r in rows
        for side in ("current", "prior")
    }


def _incident_relations(rows):
    # A CSV cell left empty reads as None: the whole jurisdiction's rows.
    areas = sorted({r["area"] for r in rows if r["area"]})
    keys = list(dict.fromkeys(r["offence"] for r in rows))
    periods = sorted({r["period"] for r in rows})
    relations = []
    for period in periods:
        for side in ("current", "prior"):
            for key in keys:
                # The whole jurisdiction is the sum of its areas (every test incident has one).
                relations.append((("", key, period, side), [(a, key, period, side) for a in areas]))
            for area in ["", *areas]:
                for total, parts in sums(keys):
                    relations.append(
                        ((area, total, period, side), [(area, p, period, side) for p in parts])
                    )
    return relations


def test_three_burglaries_in_one_area_stay_hidden_in_every_format(agency, city, client):
    for fmt, rows in every_format(client, agency, "incidents-by-area").items():
        burglary = next(r for r in rows if r["id"] == "south/burglary/28d")
        assert burglary["current"] is None, fmt
        values = _incident_values(rows)
        known = recover(values, _incident_relations(rows))
        recovered = {k: v for k, v in known.items() if values[k] is None and _small(v)}
        assert recovered == {}, fmt


def test_a_small_topic_of_inputs_cannot_be_worked_out_from_the_total(agency, city, client):
    for fmt, rows in every_format(client, agency, "ledger-figures").items():
        values = {r["id"]: r["received"] for r in rows}
        assert values["topic/technology"] is None, fmt
        relations = [
            ("all", [r["id"] for r in rows if r["breakdown"] == "topic"]),
            ("all", [r["id"] for r in rows if r["breakdown"] == "area"]),
        ]
        known = recover(values, relations)
        assert "topic/technology" not in known, fmt
        assert not [k for k, v in known.items() if values[k] is None and _small(v)], fmt


def test_a_small_area_of_a_count_measure_cannot_be_worked_out(agency, city, client):
    prefix = f"custom-{city.measure.pk}/2026-09/"
    for fmt, rows in every_format(client, agency, "measure-values").items():
        values = {r["id"]: r["value"] for r in rows if r["id"].startswith(prefix)}
        assert values[prefix + "south"] is None, fmt
        known = recover(values, [(prefix + "all", [prefix + "north", prefix + "south"])])
        assert prefix + "south" not in known, fmt
        withheld = next(r for r in rows if r["id"] == prefix + "south")
        assert withheld["suppressed"] is True


def test_a_priority_few_inputs_point_to_shows_no_count(agency, city, client):
    for fmt, rows in every_format(client, agency, "priorities").items():
        assert [r["inputs"] for r in rows] == [None], fmt


def test_hot_spots_give_bands_never_counts_under_the_minimum(agency, city, client):
    for fmt, rows in every_format(client, agency, "hotspots").items():
        assert rows, fmt
        for row in rows:
            assert row["incidents_at_least"] is None or row["incidents_at_least"] >= 5
            assert set(row) >= {"id", "bin", "incidents_at_least", "incidents_at_most"}
            assert "count" not in row and "z" not in row


def _everything(client, agency) -> str:
    texts = []
    for found in datasets():
        for fmt in found.formats:
            texts.append(client.get(reverse(f"opendata:{fmt}", args=[agency.slug, found.key])))
        texts.append(client.get(f"/api/v1/public/agencies/{agency.slug}/datasets/{found.key}"))
    texts.append(client.get(f"/api/v1/public/agencies/{agency.slug}/datasets"))
    texts.append(client.get(reverse("opendata:datapackage", args=[agency.slug])))
    return "\n".join(r.content.decode("utf-8") for r in texts)


def test_internal_measures_unpublished_surveys_and_private_items_never_appear(agency, city, client):
    everything = _everything(client, agency)
    leaked = [text for text in NEVER_PUBLIC if text in everything]
    assert leaked == []
    # …while what is public is there.
    assert "Volunteer hours logged" in everything
    assert "Riverside safety survey" in everything


def test_no_receipt_code_contact_or_sensitive_offence_is_published(agency, city, client):
    from roundtable.inputs.models import Input

    everything = _everything(client, agency)
    codes = list(Input.objects.values_list("receipt_code", flat=True))
    assert codes and not [c for c in codes if c in everything]
    rows = json.loads(
        client.get(reverse("opendata:json", args=[agency.slug, "incidents-by-area"])).content
    )["rows"]
    assert not [r for r in rows if "sexual" in r["offence"]]
