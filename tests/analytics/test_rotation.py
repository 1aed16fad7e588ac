"""The rotation check, on small hand-made years of meetings."""

import pytest

from roundtable.analytics.rotation import (
    AFTERNOON,
    EVENING,
    MORNING,
    Meeting,
    rotation,
    time_of_day,
)


def test_hours_fall_into_morning_afternoon_and_evening():
    assert [time_of_day(h) for h in (0, 11, 12, 16, 17, 23)] == [
        MORNING,
        MORNING,
        AFTERNOON,
        AFTERNOON,
        EVENING,
        EVENING,
    ]
    with pytest.raises(ValueError, match="hour out of range"):
        time_of_day(24)


def test_it_counts_each_dimension_and_names_what_is_missing():
    meetings = [
        Meeting(weekday=1, hour=18, area="eastbank", languages=("en", "es")),
        Meeting(weekday=1, hour=19, area="eastbank", languages=("en",)),
        Meeting(weekday=3, hour=10, area=None, languages=("en",)),
    ]
    result = rotation(meetings, areas=["eastbank", "westside"], languages=["en", "es", "vi"])
    assert result.meetings == 3
    assert dict(result.weekdays.counts) == {0: 0, 1: 2, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0}
    assert result.weekdays.missing == (0, 2, 4, 5, 6)
    assert dict(result.times.counts) == {MORNING: 1, AFTERNOON: 0, EVENING: 2}
    assert result.times.missing == (AFTERNOON,)
    assert dict(result.areas.counts) == {"eastbank": 2, "westside": 0}
    assert result.areas.missing == ("westside",)
    assert dict(result.languages.counts) == {"en": 3, "es": 1, "vi": 0}
    assert result.languages.missing == ("vi",)


def test_the_suggestion_fills_a_real_gap_in_every_dimension():
    meetings = [
        Meeting(weekday=0, hour=18, area="eastbank", languages=("en",)),
        Meeting(weekday=1, hour=9, area="westside", languages=("en", "es")),
    ]
    result = rotation(meetings, areas=["eastbank", "northgate", "westside"], languages=["en", "es"])
    suggestion = result.suggestion
    # Monday and Tuesday are used; the first weekday never used is Wednesday.
    assert suggestion.weekday == 2
    assert suggestion.weekday in result.weekdays.missing
    assert suggestion.time_of_day == AFTERNOON
    assert suggestion.area == "northgate"
    # Both languages are used; Spanish has fewer meetings.
    assert suggestion.language == "es"


def test_when_everything_is_covered_it_picks_the_least_covered():
    meetings = [
        Meeting(weekday=d, hour=h, area="a", languages=("en",))
        for d in range(7)
        for h in (9, 14, 19)
    ]
    meetings += [
        Meeting(weekday=d, hour=19, area="b", languages=("es",)) for d in range(7) if d != 4
    ]
    meetings += [Meeting(weekday=d, hour=9, area="b", languages=("es",)) for d in range(7)]
    result = rotation(meetings, areas=["a", "b"], languages=["en", "es"])
    assert result.weekdays.missing == () and result.times.missing == ()
    # Friday has one meeting fewer than every other weekday.
    assert result.suggestion.weekday == 4
    # Afternoons: 7, mornings 14, evenings 13.
    assert result.suggestion.time_of_day == AFTERNOON
    # Area a: 21 meetings, b: 13.
    assert result.suggestion.area == "b"
    assert result.suggestion.language == "es"


def test_ties_go_to_the_first_in_the_universes_order():
    result = rotation([], areas=["westside", "eastbank"], languages=["es", "en"])
    assert result.suggestion.weekday == 0
    assert result.suggestion.time_of_day == MORNING
    assert result.suggestion.area == "westside"
    assert result.suggestion.language == "es"


def test_values_outside_the_universe_are_counted_but_never_suggested():
    meetings = [Meeting(weekday=2, hour=12, area="old-beat", languages=("so",))]
    result = rotation(meetings, areas=["eastbank"], languages=["en"])
    assert dict(result.areas.counts) == {"eastbank": 0, "old-beat": 1}
    assert dict(result.languages.counts) == {"en": 0, "so": 1}
    assert result.suggestion.area == "eastbank"
    assert result.suggestion.language == "en"


def test_an_agency_without_areas_gets_no_area_suggestion():
    result = rotation([Meeting(weekday=0, hour=9)], areas=[], languages=[])
    assert result.suggestion.area is None and result.suggestion.language is None
    assert result.areas.counts == ()


def test_a_language_listed_twice_for_one_meeting_counts_once():
    result = rotation(
        [Meeting(weekday=0, hour=9, languages=("en", "en"))], areas=[], languages=["en"]
    )
    assert dict(result.languages.counts) == {"en": 1}


def test_a_weekday_out_of_range_is_refused():
    with pytest.raises(ValueError, match="weekday out of range"):
        rotation([Meeting(weekday=7, hour=9)], areas=[], languages=[])
