"""The disclosure layer's own rules: thresholds, counts, the last check before
output, generalised locations and excluded categories."""

from __future__ import annotations

import h3
import pytest

from roundtable.analytics import suppression
from roundtable.disclosure import (
    DisclosureError,
    check_published,
    generalise_point,
    is_sensitive_offence,
    is_small,
    minimum_count,
    protect_counts,
    public_cell,
    public_count,
    public_resolution,
)

# Two houses on one street of Riverside, a few metres apart, and one across town.
HOUSE = (41.881832, -87.623177)
NEIGHBOUR = (41.881901, -87.623052)
ACROSS_TOWN = (41.793712, -87.589621)


def test_the_thresholds_come_from_settings(settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    settings.ROUNDTABLE_SURVEY_MIN_COUNT = 10
    assert minimum_count() == 5 and minimum_count("count") == 5
    assert minimum_count("respondents") == 10
    with pytest.raises(ValueError, match="unknown kind"):
        minimum_count("people")


@pytest.mark.parametrize(
    ("value", "shown"), [(None, None), (0, 0), (1, None), (4, None), (5, 5), (130, 130)]
)
def test_a_public_count_withholds_one_to_four_and_keeps_zero(settings, value, shown):
    settings.ROUNDTABLE_SMALL_CELL = 5
    assert public_count(value) == shown
    assert is_small(value) is (shown is None and value is not None)


def test_respondent_counts_use_their_own_minimum(settings):
    settings.ROUNDTABLE_SURVEY_MIN_COUNT = 10
    assert public_count(9, kind="respondents") is None
    assert public_count(10, kind="respondents") == 10


def test_protect_counts_hides_the_small_cell_and_its_cover(settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    values = {"city": 100, "north": 2, "south": 40, "east": 58}
    assert protect_counts(values, [("city", ["north", "south", "east"])]) == {"north", "south"}
    # With no relation only the small cell goes; respondents use their own minimum.
    assert protect_counts({"a": 4, "b": 7}) == {"a"}
    assert protect_counts({"a": 4, "b": 7}, kind="respondents") == {"a", "b"}


def test_check_published_refuses_a_small_count(settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    rows = [{"id": "a", "count": 12}, {"id": "b", "count": 3}]
    with pytest.raises(DisclosureError, match=r"row 1: count = 3"):
        check_published(rows, count_fields=["count"])


def test_check_published_lets_withheld_empty_and_large_counts_through(settings):
    settings.ROUNDTABLE_SMALL_CELL = 5
    rows: list[dict[str, object]] = [
        {"id": "a", "count": None},
        {"id": "b", "count": 0},
        {"id": "c", "count": 5},
        {"id": "d"},  # the field is not in this row
        {"id": "e", "count": 3, "other": 2},  # only the named fields are counts
    ]
    with pytest.raises(DisclosureError):
        check_published(rows, count_fields=["count"])
    check_published(rows[:4], count_fields=["count"])
    check_published([{"respondents": 12}], count_fields=["respondents"], kind="respondents")
    with pytest.raises(DisclosureError):
        check_published([{"respondents": 9}], count_fields=["respondents"], kind="respondents")


def test_check_published_refuses_what_is_not_a_count():
    with pytest.raises(DisclosureError, match="not a count"):
        check_published([{"count": "3"}], count_fields=["count"])


def test_a_generalised_point_is_its_public_cells_centre(settings):
    settings.ROUNDTABLE_HOTSPOT_PUBLIC_RESOLUTION = 8
    centre = generalise_point(*HOUSE)
    assert centre != HOUSE
    assert public_resolution() == 8
    assert public_cell(*centre) == public_cell(*HOUSE)
    assert h3.latlng_to_cell(*centre, 8) == h3.latlng_to_cell(*HOUSE, 8)
    assert centre == pytest.approx(h3.cell_to_latlng(h3.latlng_to_cell(*HOUSE, 8)))


def test_two_houses_in_one_cell_are_the_same_public_place(settings):
    settings.ROUNDTABLE_HOTSPOT_PUBLIC_RESOLUTION = 8
    assert public_cell(*HOUSE) == public_cell(*NEIGHBOUR)
    assert generalise_point(*HOUSE) == generalise_point(*NEIGHBOUR)
    assert generalise_point(*ACROSS_TOWN) != generalise_point(*HOUSE)


def test_a_coarser_public_grid_generalises_further(settings):
    settings.ROUNDTABLE_HOTSPOT_PUBLIC_RESOLUTION = 6
    coarse = generalise_point(*HOUSE)
    assert h3.get_resolution(public_cell(*HOUSE)) == 6
    assert coarse == pytest.approx(h3.cell_to_latlng(h3.latlng_to_cell(*HOUSE, 6)))


def test_sensitive_offences_are_excluded_and_unknown_codes_too():
    assert is_sensitive_offence("sexual_assault")
    assert is_sensitive_offence("domestic_violence")
    assert is_sensitive_offence("child_abuse")
    assert not is_sensitive_offence("burglary")
    assert is_sensitive_offence("not-a-code")


def test_a_decision_is_worked_out_once_then_read_from_the_cache(settings, monkeypatch):
    settings.ROUNDTABLE_SMALL_CELL = 5
    calls = []
    real = suppression.protect

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(suppression, "protect", counting)
    values = {"city": 100, "north": 2, "south": 40, "east": 58}
    relations = [("city", ["north", "south", "east"])]
    first = protect_counts(values, relations)
    # The same figures under other keys of the same text: the same decision, from the cache.
    again = protect_counts(dict(values), relations)
    assert first == again == {"north", "south"} and len(calls) == 1
    protect_counts({**values, "east": 59, "city": 101}, relations)
    assert len(calls) == 2  # a figure changed: worked out again
