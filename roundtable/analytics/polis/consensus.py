"""Consensus statements and group-informed consensus.

Sources: compdemocracy/polis math/src/polismath/math/repness.clj
(`consensus-stats`, `select-consensus-comments`) and conversation.clj
(`:group-aware-consensus`); Small et al. 2021 §3.4 ("group-informed
consensus").

Plain consensus looks at everyone: statements most people agree (or
disagree) with. Group-informed consensus asks that every opinion group
agree: the product over groups of each group's agreement (A+1)/(S+2), so
one group's rejection pulls it down however large the others are. That is
what a shared priority needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from roundtable.analytics.polis.stats import prop_test, z_sig_90

# repness.clj `select-consensus-comments`: `(take 5)` per direction.
MAX_CONSENSUS = 5


@dataclass(frozen=True)
class Consensus:
    statement: int
    direction: str  # "agree" | "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


def select_consensus(
    agree: NDArray[np.int64],
    disagree: NDArray[np.int64],
    seen: NDArray[np.int64],
    statements: NDArray[np.int64],
    excluded: NDArray[np.bool_],
) -> tuple[list[Consensus], list[Consensus]]:
    """repness.clj `select-consensus-comments` over per-statement counts of all participants.

    Keeps statements with p > 0.5 and a significant one-proportion test,
    sorted by p·test descending (statement order on ties), five per
    direction; mod-out statements (`excluded`) never qualify.
    """
    result: list[list[Consensus]] = []
    for direction, successes in (("agree", agree), ("disagree", disagree)):
        p = (1.0 + successes) / (2.0 + seen)
        test = prop_test(successes, seen)
        ok = (p > 0.5) & z_sig_90(test) & ~excluded
        candidates = np.flatnonzero(ok)
        order = candidates[np.argsort(-(p * test)[candidates], kind="stable")][:MAX_CONSENSUS]
        result.append(
            [
                Consensus(
                    statement=int(statements[j]),
                    direction=direction,
                    n_success=int(successes[j]),
                    n_trials=int(seen[j]),
                    p_success=float(p[j]),
                    p_test=float(test[j]),
                )
                for j in order
            ]
        )
    return result[0], result[1]


def group_informed_consensus(
    agree: NDArray[np.int64], seen: NDArray[np.int64]
) -> NDArray[np.float64]:
    """conversation.clj `:group-aware-consensus`: Π over groups of (A_g + 1)/(S_g + 2).

    Inputs are group × statement counts from the raw vote matrix (mod-out
    statements included, as in Polis). With no groups Polis produces no
    entries at all; callers return an empty mapping in that case.
    """
    return np.asarray(np.prod((agree + 1.0) / (seen + 2.0), axis=0))
