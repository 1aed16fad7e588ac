"""`roundtable assess` on the command line: the published example, the table, the errors."""

from __future__ import annotations

import io
import json
import math

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from roundtable.problems.management.commands.assess import Command

PAPER = ["--target", "207", "110", "--control", "308", "318"]
PAPER_BUFFERS = ["--buffer", "178", "157", "--buffer-control", "150", "140"]


def assess(*args):
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_json_gives_the_published_wheeler_ratcliffe_example():
    data = json.loads(assess(*PAPER, *PAPER_BUFFERS, "--json"))

    assert list(data) == [
        "gross_effect",
        "net_effect",
        "wdq",
        "wdd",
        "wdd_se",
        "wdd_z",
        "e_test_p",
        "sqrt_z",
        "notes",
    ]
    assert data["wdd"] == -118
    assert data["wdd_se"] == pytest.approx(math.sqrt(1568))
    assert round(data["wdd_z"], 2) == -2.98
    assert data["gross_effect"] == -97
    assert data["sqrt_z"] == pytest.approx(2 * (math.sqrt(110) - math.sqrt(207)))
    assert data["notes"] == []


def test_json_says_null_and_why_when_a_figure_cannot_be_computed():
    data = json.loads(assess("--target", "0", "0", "--control", "0", "6", "--json"))

    assert data["net_effect"] is None
    assert data["wdq"] is None
    assert data["e_test_p"] is None
    assert data["wdd"] == -6
    assert any("comparison area had no incidents before" in n for n in data["notes"])
    assert any("nothing to test" in n for n in data["notes"])


def test_without_json_it_prints_a_readable_table():
    output = assess(*PAPER, *PAPER_BUFFERS)

    assert "Weighted displacement difference" in output
    assert "-118.0 (SE 39.6, z -2.98, p 0.0029)" in output
    assert "0.258 (diffusion)" in output
    assert "Negative effects mean fewer incidents." in output


def test_the_table_lists_the_notes():
    output = assess("--target", "5", "3", "--control", "4", "4")

    assert "Notes:" in output
    assert "No buffer area was given" in output


def test_negative_counts_are_a_clear_error():
    with pytest.raises(CommandError, match="--target: counts cannot be negative"):
        assess("--target", "-3", "4", "--control", "1", "1")


def test_a_buffer_needs_its_comparison_area():
    with pytest.raises(CommandError, match="--buffer and --buffer-control go together"):
        assess(*PAPER, "--buffer", "178", "157")
    with pytest.raises(CommandError, match="go together"):
        assess(*PAPER, "--buffer-control", "150", "140")


def test_a_count_that_is_not_a_number_is_an_error():
    with pytest.raises(CommandError, match="invalid int value"):
        assess("--target", "many", "4", "--control", "1", "1")


def test_help_says_the_e_test_assumes_periods_of_equal_length():
    assert "periods are of equal length" in Command.help
