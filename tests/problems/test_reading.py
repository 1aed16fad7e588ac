"""The assessment in plain words, case by case — including "it didn't work"."""

from typing import Any

import pytest

from roundtable.analytics.displacement import (
    NOTE_TEXTS,
    WDQ_READINGS,
    Counts,
    Figures,
    Note,
    assess,
)
from roundtable.problems import reading as r


def _read(target, control=None, buffer=None, buffer_control=None, **days):
    figures = assess(target=target, control=control, buffer=buffer, buffer_control=buffer_control)
    return r.reading(figures, target=target, **days)


def _figures(**overrides):
    values: dict[str, Any] = dict.fromkeys(
        (
            "gross_effect",
            "gross_percent",
            "net_effect",
            "wdq",
            "wdq_reading",
            "wdd",
            "wdd_se",
            "wdd_z",
            "wdd_p",
            "e_test_p",
            "sqrt_z",
        )
    )
    values.update(overrides)
    return Figures(**values)


def test_the_published_example_reads_as_it_worked():
    reading = _read(Counts(207, 110), Counts(308, 318), Counts(178, 157), Counts(150, 140))
    assert reading.verdict == r.FELL
    assert reading.headline.startswith("It worked")
    assert reading.change == "In the response area, incidents went from 207 to 110 (down 47%)."
    assert reading.comparison == (
        "That is about 104 fewer than expected had the area followed the comparison area's trend."
    )


def test_an_increase_against_the_comparison_area_says_it_did_not_work():
    reading = _read(Counts(100, 160), Counts(100, 100))
    assert reading.verdict == r.ROSE
    assert reading.headline == (
        "It didn't work: crime went up in the response area, compared with the comparison area."
    )
    assert reading.change.endswith("(up 60%).")
    assert "more than expected" in reading.comparison


def test_a_small_fall_is_no_change_we_can_tell_from_chance():
    reading = _read(Counts(100, 90), Counts(100, 100))  # WDD z ≈ −0.51
    assert reading.verdict == r.NO_CLEAR_CHANGE
    assert reading.headline.startswith("No change we can distinguish from chance")


def test_the_z_threshold_is_one_point_nine_six():
    just_inside = _figures(wdd_z=-1.95, gross_effect=-10.0)
    just_outside = _figures(wdd_z=-1.96, gross_effect=-10.0)
    assert r.reading(just_inside, target=Counts(50, 40)).verdict == r.NO_CLEAR_CHANGE
    assert r.reading(just_outside, target=Counts(50, 40)).verdict == r.FELL


def test_without_a_comparison_area_the_e_test_decides_and_says_so():
    reading = _read(Counts(50, 20))
    assert reading.verdict == r.FELL
    assert "with no comparison area" in reading.headline
    assert reading.comparison == ""
    assert "No comparison area was given, so the change cannot be set against a trend." in (
        reading.notes
    )


def test_without_a_comparison_area_a_rise_did_not_work():
    reading = _read(Counts(20, 50))
    assert reading.verdict == r.ROSE
    assert reading.headline == "It didn't work: crime went up in the response area."


def test_without_a_comparison_area_a_small_change_is_chance():
    assert _read(Counts(10, 8)).verdict == r.NO_CLEAR_CHANGE


def test_zero_counts_cannot_tell_and_do_not_crash():
    reading = _read(Counts(0, 0))
    assert reading.verdict == r.CANNOT_TELL
    assert reading.headline == "These counts cannot tell whether anything changed."
    assert reading.change == "In the response area, incidents went from 0 to 0."
    assert (
        "The response area had no incidents before or after, so there is nothing to test."
        in reading.notes
    )


def test_no_incidents_before_gives_no_percentage():
    reading = _read(Counts(0, 5))
    assert reading.change == "In the response area, incidents went from 0 to 5."
    assert any("percentage change cannot be computed" in note for note in reading.notes)


def test_a_net_effect_of_nothing_is_what_the_trend_predicts():
    reading = _read(Counts(100, 110), Counts(200, 220))
    assert reading.comparison == "That is about what the comparison area's trend would predict."


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("diffusion_exceeds_effect", "fell even more"),
        ("diffusion", "diffusion of benefits"),
        ("no_change_nearby", "no sign that it moved"),
        ("displacement", "less than the response area gained"),
        ("displacement_exceeds_effect", "things got worse"),
    ],
)
def test_each_displacement_reading_has_its_words(code, words):
    reading = r.reading(_figures(wdq_reading=code, wdd_z=-3.0), target=Counts(100, 50))
    assert words in reading.displacement


def test_every_displacement_code_and_note_of_the_analytics_is_worded():
    assert set(r.DISPLACEMENT) == set(WDQ_READINGS)
    assert set(r.NOTES) == set(NOTE_TEXTS)


def test_no_buffer_means_no_displacement_reading():
    reading = _read(Counts(207, 110), Counts(308, 318))
    assert reading.displacement == ""
    assert "No buffer area was given, so displacement cannot be measured." in reading.notes


def test_the_published_example_reads_its_buffer():
    # WDQ = (157/318 − 178/308) / (110/318 − 207/308) ≈ 0.26: diffusion of benefits.
    reading = _read(Counts(207, 110), Counts(308, 318), Counts(178, 157), Counts(150, 140))
    assert "diffusion of benefits" in reading.displacement


def test_an_unknown_note_falls_back_to_its_english_text():
    figures = _figures(notes=[Note(code="new_code", figure="wdd", text="Something new.")])
    assert r.reading(figures, target=Counts(1, 1)).notes == ["Something new."]


def test_periods_of_different_length_are_flagged():
    reading = _read(Counts(50, 20), before_days=90, after_days=60)
    assert any("differ in length (90 and 60 days)" in note for note in reading.notes)
    half_years = _read(Counts(50, 20), before_days=181, after_days=184)
    assert not any("differ in length" in note for note in half_years.notes)


def test_a_rise_only_in_the_buffer_is_not_called_a_rise_in_the_response_area():
    # The response area and its comparison did not change at all; the buffer
    # rose. The WDD (z = 3.3) counts the buffer too, so the words must say
    # "in and around", not that crime went up in the response area.
    reading = _read(Counts(100, 100), Counts(100, 100), Counts(100, 200), Counts(100, 100))
    assert reading.verdict == r.ROSE
    assert reading.headline == (
        "It didn't work: crime went up in and around the response area, "
        "compared with the comparison areas."
    )
    assert reading.change == "In the response area, incidents went from 100 to 100."


def test_the_published_example_worked_in_and_around_the_response_area():
    reading = _read(Counts(207, 110), Counts(308, 318), Counts(178, 157), Counts(150, 140))
    assert reading.headline.startswith("It worked: crime fell in and around the response area")
    without_buffer = _read(Counts(207, 110), Counts(308, 318))
    assert without_buffer.headline.startswith("It worked: crime fell in the response area")


def test_periods_of_different_length_give_no_verdict():
    # A year before against a month after: far fewer incidents after, but the
    # tests assume equal periods, so nothing may be claimed either way.
    for target, control in ((Counts(120, 12), Counts(100, 9)), (Counts(120, 12), None)):
        reading = _read(target, control, before_days=365, after_days=31)
        assert reading.verdict == r.CANNOT_TELL
        assert reading.headline == (
            "The before and after periods differ in length, so these counts cannot tell "
            "whether the response worked."
        )
        assert any("differ in length (365 and 31 days)" in note for note in reading.notes)
