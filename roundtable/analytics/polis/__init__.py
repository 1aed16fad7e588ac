"""Polis opinion mapping, re-implemented from the published method.

Pure NumPy/SciPy, no Django. `analyze(VoteTable.from_votes(...))` runs the
whole pipeline; see docs/analytics/opinion-mapping.md for every step and
its source in compdemocracy/polis math/src/polismath/math/*.clj.
"""

from roundtable.analytics.polis.consensus import Consensus
from roundtable.analytics.polis.matrix import VoteTable
from roundtable.analytics.polis.pipeline import AnalysisResult, Group, analyze
from roundtable.analytics.polis.priority import priority_of_new_statement
from roundtable.analytics.polis.repness import Repness

__all__ = [
    "AnalysisResult",
    "Consensus",
    "Group",
    "Repness",
    "VoteTable",
    "analyze",
    "priority_of_new_statement",
]
