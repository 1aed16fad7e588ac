"""Assessment figures against their published values (see the module docstring for sources)."""

from __future__ import annotations

import json
import math

import pytest
from scipy import stats

from roundtable.analytics.displacement import (
    JSON_KEYS,
    NOTE_TEXTS,
    WDQ_READINGS,
    Counts,
    as_json,
    assess,
    e_test,
    sqrt_z,
    wdd,
)

# Wheeler & Ratcliffe (2018), Crime Science 7:11, the example pinned by ptools'
# tests/testthat/test-wdd.R as wdd(control=c(308,318), treated=c(207,110),
# disp_control=c(150,140), disp_treated=c(178,157)), in our roles:
PAPER = {
    "target": Counts(207, 110),
    "control": Counts(308, 318),
    "buffer": Counts(178, 157),
    "buffer_control": Counts(150, 140),
}


def codes(figures):
    return [n.code for n in figures.notes]


def test_the_published_wdd_example_gives_minus_118_with_se_root_1568_and_z_minus_2_98():
    figures = assess(**PAPER)

    assert figures.wdd == -118
    assert figures.wdd_se == pytest.approx(math.sqrt(1568))
    assert figures.wdd_z is not None
    assert round(figures.wdd_z, 2) == -2.98
    assert figures.wdd_p == pytest.approx(2 * stats.norm.sf(118 / math.sqrt(1568)))
    assert figures.notes == []


def test_the_published_95_percent_interval_runs_from_minus_196_to_minus_40():
    figures = assess(**PAPER)
    assert figures.wdd is not None and figures.wdd_se is not None
    half_width = stats.norm.ppf(0.975) * figures.wdd_se

    assert round(figures.wdd - half_width) == -196
    assert round(figures.wdd + half_width) == -40


def test_the_issue_text_read_literally_is_the_mirror_image_plus_118():
    # The issue writes "target 308→318, control 207→110, displacement 150→140,
    # control 178→157": ptools' positional order, control first. Read with
    # those labels the intervention area *rose* against a falling control.
    literal = assess(
        target=Counts(308, 318),
        control=Counts(207, 110),
        buffer=Counts(150, 140),
        buffer_control=Counts(178, 157),
    )

    assert literal.wdd == 118
    assert literal.wdd_se == pytest.approx(math.sqrt(1568))
    assert literal.wdd_z is not None
    assert round(literal.wdd_z, 2) == 2.98


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        # ptools test-wdd.R "Local -10": wdd(c(20,20), c(20,10))
        ({"target": Counts(20, 10), "control": Counts(20, 20)}, -10),
        # "Displacement -10": only the buffer fell
        (
            {
                "target": Counts(20, 20),
                "control": Counts(20, 20),
                "buffer": Counts(20, 10),
                "buffer_control": Counts(20, 20),
            },
            -10,
        ),
        # "Total -20": both fell
        (
            {
                "target": Counts(20, 10),
                "control": Counts(20, 20),
                "buffer": Counts(20, 10),
                "buffer_control": Counts(20, 20),
            },
            -20,
        ),
    ],
)
def test_wdd_adds_the_local_and_the_buffer_difference_in_differences(areas, expected):
    assert wdd(**areas).estimate == expected


def test_the_e_test_reproduces_ptools_and_the_paper_values():
    # ptools tests/testthat/test-etest.R: e_test(6, 2) = 0.1749 (0.1748748 unrounded),
    # e_test(0, 3) = 0.0884 within 0.0005; it is symmetric in its arguments.
    assert e_test(Counts(before=2, after=6)) == pytest.approx(0.1748748, abs=5e-8)
    assert e_test(Counts(before=6, after=2)) == pytest.approx(0.1748748, abs=5e-8)
    assert e_test(Counts(before=3, after=0)) == pytest.approx(0.0884, abs=5e-4)


def test_wheelers_robbery_example_gives_z_2_and_an_e_test_of_0_165():
    # andrewpwheeler.com 2018-04-29: 16 robberies before, 25 now.
    target = Counts(before=16, after=25)

    assert sqrt_z(target) == 2.0
    p = e_test(target)
    assert p is not None
    assert round(p, 3) == 0.165


def test_gross_and_net_effect_are_after_minus_before_so_negative_means_fewer():
    figures = assess(target=Counts(100, 60), control=Counts(200, 180))

    assert figures.gross_effect == -40
    assert figures.gross_percent == -40.0
    # Expected after = 100 × 180/200 = 90; 60 is 30 fewer than expected.
    assert figures.net_effect == pytest.approx(-30)


def test_net_effect_is_minus_the_response_term_of_guerettes_total_net_effect():
    ra, rb, ca, cb = 110, 207, 318, 308
    guerette_response_term = rb * (ca / cb) - ra

    figures = assess(target=Counts(rb, ra), control=Counts(cb, ca))

    assert figures.net_effect == pytest.approx(-guerette_response_term)


def test_wdq_follows_the_bowers_and_johnson_formula():
    # (Da/Ca − Db/Cb) / (Ra/Ca − Rb/Cb) for the published WDD counts.
    expected = (157 / 318 - 178 / 308) / (110 / 318 - 207 / 308)

    figures = assess(**PAPER)

    assert figures.wdq == pytest.approx(expected)
    assert figures.wdq == pytest.approx(0.2582, abs=1e-4)
    assert figures.wdq_reading == "diffusion"


def test_crime_moving_wholly_next_door_is_a_wdq_of_minus_one():
    # Target halves (100→50), buffer gains what it lost (100→150), control flat.
    figures = assess(target=Counts(100, 50), control=Counts(100, 100), buffer=Counts(100, 150))

    assert figures.wdq == -1.0
    assert figures.wdq_reading == "displacement"


@pytest.mark.parametrize(
    ("buffer", "reading"),
    [
        (Counts(100, 30), "diffusion_exceeds_effect"),  # buffer fell 70 > target's 50
        (Counts(100, 80), "diffusion"),
        (Counts(100, 100), "no_change_nearby"),
        (Counts(100, 120), "displacement"),
        (Counts(100, 170), "displacement_exceeds_effect"),
    ],
)
def test_every_wdq_reading_of_guerettes_appendix_c(buffer, reading):
    figures = assess(target=Counts(100, 50), control=Counts(100, 100), buffer=buffer)

    assert figures.wdq_reading == reading
    assert reading in WDQ_READINGS


def test_no_wdq_when_the_response_did_not_beat_the_comparison_area():
    figures = assess(target=Counts(100, 100), control=Counts(100, 80), buffer=Counts(50, 40))

    assert figures.wdq is None and figures.wdq_reading is None
    assert "wdq_no_success" in codes(figures)


@pytest.mark.parametrize(
    ("areas", "missing", "code"),
    [
        (
            {"target": Counts(0, 5), "control": Counts(10, 10)},
            "gross_percent",
            "zero_target_before",
        ),
        ({"target": Counts(5, 5)}, "net_effect", "no_control"),
        ({"target": Counts(5, 5), "control": Counts(0, 4)}, "net_effect", "zero_control_before"),
        ({"target": Counts(5, 3), "control": Counts(4, 4)}, "wdq", "wdq_no_buffer"),
        (
            {"target": Counts(5, 3), "control": Counts(4, 0), "buffer": Counts(3, 3)},
            "wdq",
            "wdq_zero_control",
        ),
        ({"target": Counts(5, 3)}, "wdd", "wdd_no_control"),
        ({"target": Counts(0, 0), "control": Counts(0, 0)}, "wdd_z", "wdd_all_zero"),
        ({"target": Counts(0, 0), "control": Counts(3, 3)}, "e_test_p", "no_target_counts"),
    ],
)
def test_what_cannot_be_computed_is_none_with_a_note_saying_why(areas, missing, code):
    figures = assess(**areas)

    assert getattr(figures, missing) is None
    assert code in codes(figures)
    assert {n.figure for n in figures.notes if n.code == code} == {NOTE_TEXTS[code][0]}


def test_all_zero_counts_never_give_inf_or_nan():
    zero = Counts(0, 0)
    figures = assess(target=zero, control=zero, buffer=zero, buffer_control=zero)

    for key in JSON_KEYS:
        value = getattr(figures, key)
        assert value is None or math.isfinite(value)
    assert figures.wdd == 0 and figures.wdd_se == 0 and figures.sqrt_z == 0


def test_a_buffer_without_its_comparison_area_is_left_out_of_the_wdd_with_a_note():
    figures = assess(target=Counts(20, 10), control=Counts(20, 20), buffer=Counts(20, 40))

    assert figures.wdd == -10
    assert "wdd_buffer_left_out" in codes(figures)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        Counts(before=-1, after=3)


def test_the_json_form_has_exactly_the_commands_keys_and_serialises():
    data = as_json(assess(target=Counts(5, 3)))

    assert list(data) == [*JSON_KEYS, "notes"]
    assert data["wdd"] is None
    notes = data["notes"]
    assert isinstance(notes, list)
    assert "No comparison area was given" in " ".join(notes)
    assert json.loads(json.dumps(data)) == data
