"""Reads behind the staff pages: the builder's rows with their missing
translations (the rule is `completeness.missing_codes`, the one the survey's
opening checks), reference populations and their margins, and the responses
export.

Each function runs a fixed number of queries, whatever the survey's size.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from roundtable.agencies.models import Agency, Area
from roundtable.surveys.categories import category_label
from roundtable.surveys.completeness import missing_codes
from roundtable.surveys.models import (
    Audience,
    Characteristic,
    Option,
    PopulationMargin,
    Question,
    ReferencePopulation,
    Response,
    Survey,
)

# Texts a question may leave empty altogether; once given in one language they
# are needed in every language the survey offers.
OPTIONAL_TEXTS = ("help", "low_label", "high_label")


def questions_for_builder(survey: Survey) -> QuerySet[Question]:
    """The survey's questions in order, with their options and condition: two queries."""
    return (
        Question.objects.filter(survey=survey)
        .select_related("show_if")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "pk")))
        .order_by("position", "pk")
    )


@dataclass(frozen=True)
class OptionRow:
    option: Option
    labels: list[tuple[str, str]]  # (language, label) in the survey's languages


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    number: int
    texts: list[tuple[str, str]]  # (language, question text)
    # Languages in which a text of the question or of one of its options is missing.
    missing: list[str]
    options: list[OptionRow]
    is_first: bool
    is_last: bool

    @property
    def has_options(self) -> bool:
        return self.question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)


def _missing(question: Question, languages: list[str]) -> list[str]:
    gaps = set(missing_codes(question.text, languages, required=True))
    for name in OPTIONAL_TEXTS:
        gaps.update(missing_codes(getattr(question, name), languages, required=False))
    for option in question.options.all():
        gaps.update(missing_codes(option.label, languages, required=True))
    return [code for code in languages if code in gaps]


def builder_rows(*, survey: Survey) -> list[QuestionRow]:
    languages = list(survey.languages)
    questions = list(questions_for_builder(survey))
    return [
        QuestionRow(
            question=question,
            number=i,
            texts=[(code, question.text.get(code, "")) for code in languages],
            missing=_missing(question, languages),
            options=[
                OptionRow(option, [(code, option.label.get(code, "")) for code in languages])
                for option in question.options.all()
            ],
            is_first=i == 1,
            is_last=i == len(questions),
        )
        for i, question in enumerate(questions, start=1)
    ]


def populations_for(*, agency: Agency) -> QuerySet[ReferencePopulation]:
    """The agency's reference populations, newest first, with how many areas and
    margins each has: one query."""
    return (
        ReferencePopulation.objects.filter(agency=agency)
        .select_related("imported_by")
        .annotate(
            area_count=Count("margins__area", distinct=True),
            margin_count=Count("margins"),
        )
        .order_by("-imported_at", "-pk")
    )


@dataclass
class MarginTable:
    """One characteristic's counts: a row per area, a column per category."""

    characteristic: str
    label: str
    universe: str
    categories: list[str]
    category_labels: list[str] = field(default_factory=list)
    rows: list[tuple[Area, list[float | None], float]] = field(default_factory=list)

    @property
    def universe_label(self) -> str:
        try:
            return str(PopulationMargin.Universe(self.universe).label)
        except ValueError:
            return self.universe


def _characteristic_label(characteristic: str) -> str:
    parts = characteristic.split("+")
    labels = [
        str(Characteristic(part).label) if part in Characteristic.values else part for part in parts
    ]
    return " × ".join(labels)


def _category_label(characteristic: str, category: str, language: str) -> str:
    pairs = zip(characteristic.split("+"), category.split("+"), strict=False)
    return " × ".join(category_label(c, v, language) for c, v in pairs)


def population_tables(population: ReferencePopulation, language: str) -> list[MarginTable]:
    """The population's margins as one table per characteristic (categories
    labelled in `language`): one query."""
    margins = (
        PopulationMargin.objects.filter(population=population)
        .select_related("area")
        .order_by("characteristic", "area__name", "area__pk", "category")
    )
    cells: dict[str, dict[Area, dict[str, float]]] = defaultdict(dict)
    universes: dict[str, str] = {}
    categories: dict[str, list[str]] = defaultdict(list)
    for margin in margins:
        cells[margin.characteristic].setdefault(margin.area, {})[margin.category] = margin.count
        universes.setdefault(margin.characteristic, margin.universe)
        if margin.category not in categories[margin.characteristic]:
            categories[margin.characteristic].append(margin.category)
    tables = []
    for characteristic in sorted(cells, key=lambda c: (c != "area", "+" in c, c)):
        table = MarginTable(
            characteristic=characteristic,
            label=_characteristic_label(characteristic),
            universe=universes[characteristic],
            categories=categories[characteristic],
            category_labels=[
                _category_label(characteristic, category, language)
                for category in categories[characteristic]
            ],
        )
        for area, counts in cells[characteristic].items():
            values = [counts.get(category) for category in table.categories]
            table.rows.append((area, values, sum(v for v in values if v is not None)))
        tables.append(table)
    return tables


# --- The responses export ---


@dataclass(frozen=True)
class ExportTable:
    columns: list[str]
    rows: Iterator[list[str]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def responses_export(*, survey: Survey) -> ExportTable:
    """One row per response: month, area, language, channel and the answers by
    question key; nothing that identifies a person (no day or time, no id).

    For analysts, through `services.responses_export_record`, which audits
    each export and refuses an internal survey's (ValueError here: its answers
    are shown only as aggregates). Rows are shuffled within each month, so
    that the order of the file cannot be matched against who answered when.
    """
    if survey.audience == Audience.INTERNAL:
        raise ValueError("an internal survey's responses are never exported row by row")
    keys = list(
        Question.objects.filter(survey=survey)
        .order_by("position", "pk")
        .values_list("key", flat=True)
    )
    columns = ["period", "area", "language", "channel", *keys]
    responses = (
        Response.objects.filter(survey=survey)
        .order_by("period")
        .values_list("period", "area__slug", "language", "channel", "answers")
    )

    def rows() -> Iterator[list[str]]:
        shuffle = random.SystemRandom().shuffle
        for period, group in groupby(responses.iterator(chunk_size=2000), key=lambda r: r[0]):
            month = list(group)
            shuffle(month)
            for _period, area, language, channel, answers in month:
                row = [period.isoformat(), area or "", language, channel]
                row += [_cell((answers or {}).get(key)) for key in keys]
                yield row

    return ExportTable(columns=columns, rows=rows())
