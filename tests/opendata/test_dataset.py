"""A dataset checks its own rows before they leave: the dictionary's fields, unique
ids, and no small count in a field the dictionary declares a count."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable.disclosure import DisclosureError
from roundtable.opendata.dataset import INTEGER, STRING, Dataset, Field, text_id, unique_ids

FIELDS = (
    Field("id", STRING, "id"),
    Field("incidents", INTEGER, "incidents", count="count"),
    Field("answers", INTEGER, "answers", count="respondents"),
)


def dataset(rows):
    return Dataset(
        key="test",
        title="Test",
        description="Test",
        fields=FIELDS,
        build=lambda _agency: rows,
        updated=lambda _agency: dt.date(2026, 1, 1),
    )


def test_clean_rows_pass(db):
    rows = [
        {"id": "a", "incidents": 0, "answers": None},
        {"id": "b", "incidents": 5, "answers": 10},
    ]
    assert dataset(rows).rows(None) == rows


@pytest.mark.parametrize(
    "row",
    [{"id": "a", "incidents": 3, "answers": None}, {"id": "a", "incidents": None, "answers": 9}],
)
def test_a_small_count_that_slipped_through_a_selector_is_refused(db, row):
    with pytest.raises(DisclosureError):
        dataset([row]).rows(None)


def test_rows_must_match_the_dictionary_and_have_unique_ids(db):
    with pytest.raises(ValueError, match="differ from the dictionary"):
        dataset([{"id": "a", "incidents": 5, "answers": None, "secret": "x"}]).rows(None)
    with pytest.raises(ValueError, match="duplicate id"):
        dataset([{"id": "a", "incidents": 5, "answers": None}] * 2).rows(None)


def test_text_ids_depend_on_the_text_only_and_repeats_are_numbered():
    assert text_id("2026-01-02", "Lights out") == text_id("2026-01-02", "Lights out")
    assert text_id("2026-01-02", "Lights out") != text_id("2026-01-03", "Lights out")
    rows = unique_ids([{"id": "x"}, {"id": "y"}, {"id": "x"}])
    assert [r["id"] for r in rows] == ["x", "y", "x-2"]


def test_field_types_are_the_table_schema_s():
    with pytest.raises(ValueError, match="unknown field type"):
        Field("when", "timestamp", "")
