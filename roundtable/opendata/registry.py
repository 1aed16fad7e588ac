"""Every public dataset, in catalogue order: the one list the download pages, the
data package, the public API and the dashboard read.

A dataset's `key` is part of its addresses (/p/<agency>/data/<key>.csv,
/api/v1/public/agencies/<agency>/datasets/<key>) and never changes; see
`dataset.Dataset` for what a dataset holds and how its rows are checked.
"""

from __future__ import annotations

from roundtable.opendata.dataset import Dataset
from roundtable.opendata.datasets_community import ANSWERS, LEDGER, MEETINGS
from roundtable.opendata.datasets_measures import MEASURE_VALUES, MEASURES
from roundtable.opendata.datasets_priorities import (
    DECISIONS,
    PRIORITIES,
    PROBLEM_ASSESSMENTS,
    PROBLEM_GOALS,
    PROBLEMS,
)
from roundtable.opendata.datasets_safety import AREAS, HOTSPOTS, INCIDENTS
from roundtable.opendata.datasets_surveys import SURVEY_RESULTS

_DATASETS: tuple[Dataset, ...] = (
    MEASURES,
    MEASURE_VALUES,
    INCIDENTS,
    HOTSPOTS,
    LEDGER,
    ANSWERS,
    PRIORITIES,
    DECISIONS,
    PROBLEMS,
    PROBLEM_GOALS,
    PROBLEM_ASSESSMENTS,
    SURVEY_RESULTS,
    MEETINGS,
    AREAS,
)
_BY_KEY = {d.key: d for d in _DATASETS}
assert len(_BY_KEY) == len(_DATASETS), "dataset keys must be unique"


def datasets() -> list[Dataset]:
    """Every public dataset, in catalogue order."""
    return list(_DATASETS)


def dataset(key: str) -> Dataset:
    """The dataset with this key; KeyError if there is none."""
    return _BY_KEY[key]
