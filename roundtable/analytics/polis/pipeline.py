"""The whole Polis analysis of one conversation: `analyze(votes) -> AnalysisResult`.

The order is conversation.clj's `small-conv-update-graph`: rating matrix →
in-conv → PCA and projection → base clusters → group clusters (best
silhouette) → group votes → repness, consensus, group-informed consensus,
comment priorities. docs/analytics/opinion-mapping.md walks through every
step with its source and lists where a one-shot analysis must differ from
Polis's incremental server.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from roundtable.analytics.polis.clusters import group_clusters
from roundtable.analytics.polis.consensus import (
    Consensus,
    group_informed_consensus,
    select_consensus,
)
from roundtable.analytics.polis.matrix import VoteTable, rating_matrix
from roundtable.analytics.polis.pca import pca, project_participants, project_statements
from roundtable.analytics.polis.priority import priority
from roundtable.analytics.polis.repness import Repness, repness_stats, select_representative


@dataclass(frozen=True)
class Group:
    group: int  # 0..k-1
    participants: NDArray[np.int64]  # participant numbers
    repness: list[Repness]  # Polis's selection: at most 5, agrees first
    agree: NDArray[np.int64]  # per statement column
    disagree: NDArray[np.int64]
    seen: NDArray[np.int64]


@dataclass(frozen=True)
class AnalysisResult:
    participants: NDArray[np.int64]  # all who voted, in row order
    statements: NDArray[np.int64]  # statement columns, ascending
    x: NDArray[np.float64]  # projection of every participant
    y: NDArray[np.float64]
    group_of: NDArray[np.int64]  # group per participant, -1 = not clustered
    in_conv: NDArray[np.bool_]
    groups: list[Group]
    consensus_agree: list[Consensus]
    consensus_disagree: list[Consensus]
    group_informed_consensus: dict[int, float]  # statement -> value (empty without groups)
    priorities: dict[int, float]  # statement -> Polis priority
    extremity: dict[int, float]  # statement -> extremity
    statement_x: NDArray[np.float64]  # projection of "agreed with this statement only"
    statement_y: NDArray[np.float64]
    silhouettes: dict[int, float]  # k -> silhouette of the group clustering with k groups
    seconds: float  # analysis time, votes loaded -> result

    def as_json(self) -> dict[str, Any]:
        """The `roundtable opinions analyze --json` object (plain JSON types only)."""
        participants = [
            {
                "participant": int(p),
                "group": None if g < 0 else int(g),
                "x": float(x),
                "y": float(y),
            }
            for p, g, x, y in zip(self.participants, self.group_of, self.x, self.y, strict=True)
        ]
        groups = [
            {
                "group": g.group,
                "size": len(g.participants),
                "repness": [
                    {
                        "statement": r.statement,
                        "direction": r.direction,
                        "n_success": r.n_success,
                        "n_trials": r.n_trials,
                        "p_success": r.p_success,
                        "p_test": r.p_test,
                        "repness": r.repness,
                        "repness_test": r.repness_test,
                        "best_agree": r.best_agree,
                    }
                    for r in g.repness
                ],
            }
            for g in self.groups
        ]
        statements = [
            {
                "statement": int(s),
                "priority": self.priorities[int(s)],
                "extremity": self.extremity[int(s)],
                "x": float(self.statement_x[j]),
                "y": float(self.statement_y[j]),
                "groups": {
                    str(g.group): {
                        "agree": int(g.agree[j]),
                        "disagree": int(g.disagree[j]),
                        "seen": int(g.seen[j]),
                    }
                    for g in self.groups
                },
            }
            for j, s in enumerate(self.statements)
        ]
        return {
            "participants": participants,
            "groups": groups,
            "consensus": {
                "agree": [c.statement for c in self.consensus_agree],
                "disagree": [c.statement for c in self.consensus_disagree],
            },
            "group_informed_consensus": {
                str(s): v for s, v in self.group_informed_consensus.items()
            },
            "statements": statements,
            "silhouettes": {str(k): v for k, v in self.silhouettes.items()},
            "in_conv": int(self.in_conv.sum()),
            "seconds": self.seconds,
        }


def group_counts(
    votes: VoteTable, row_group: NDArray[np.int64], n_groups: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """conversation.clj `:votes-base`/`group-votes`: A, D, S per group × statement, raw matrix."""
    n_cols = len(votes.statements)
    group = row_group[votes.rows]
    counted = group >= 0
    # One pass: cell (group, statement) × 3 vote codes (disagree, pass, agree).
    keys = (group[counted] * n_cols + votes.cols[counted]) * 3 + (votes.values[counted] + 1)
    counts = np.bincount(keys, minlength=n_groups * n_cols * 3).reshape(n_groups, n_cols, 3)
    counts = counts.astype(np.int64)
    return counts[:, :, 2], counts[:, :, 0], counts.sum(axis=2)


def analyze(
    votes: VoteTable,
    *,
    moderated_out: Iterable[int] = (),
    meta: Iterable[int] = (),
    seed: int = 0,
    base_k: int = 100,
    max_k: int = 5,
) -> AnalysisResult:
    """Run the Polis pipeline once over the current votes.

    `moderated_out` and `meta` are statement numbers; both are zeroed out
    of the maths (Polis's mod-out), meta statements also get the fixed
    meta priority. `seed` feeds the only random choice, the eigen-solver's
    start vector (used for conversations with many statements), so equal
    input and seed give an identical result.
    """
    started = time.perf_counter()
    meta_numbers = [int(m) for m in meta]
    rm = rating_matrix(votes, moderated_out=moderated_out, meta=meta_numbers)
    n_rows = rm.n_rows

    model, xc = pca(rm, seed=seed)
    proj = project_participants(rm, model, xc)
    statement_points, extremity = project_statements(model)

    in_conv_rows = np.flatnonzero(rm.in_conv)
    clustering = group_clusters(proj[in_conv_rows], base_k=base_k, max_k_limit=max_k)
    group_of = np.full(n_rows, -1, dtype=np.int64)
    silhouettes: dict[int, float] = {}
    n_groups = 0
    if clustering is not None:
        # A participant's group is the group of their base cluster.
        group_of[in_conv_rows] = clustering.groups.labels[clustering.base.labels]
        silhouettes = clustering.silhouettes
        n_groups = len(clustering.groups.ids)

    agree, disagree, seen = group_counts(votes, group_of, n_groups)

    # Repness (over the groups' members) and consensus (over everyone) use
    # the zeroed matrix; on the columns they may select (not mod-out) it
    # equals the raw one.
    excluded = rm.mod_out
    representative = select_representative(
        repness_stats(agree, disagree, seen), votes.statements, excluded
    )
    everyone = np.zeros(n_rows, dtype=np.int64)
    all_agree, all_disagree, all_seen = (c[0] for c in group_counts(votes, everyone, 1))
    consensus_agree, consensus_disagree = select_consensus(
        all_agree, all_disagree, all_seen, votes.statements, excluded
    )

    gic: dict[int, float] = {}
    if n_groups:
        gic_values = group_informed_consensus(agree, seen)
        gic = {int(s): float(v) for s, v in zip(votes.statements, gic_values, strict=True)}

    # conversation.clj `:comment-priorities`: A, D, S summed over groups.
    a_total, d_total, s_total = agree.sum(axis=0), disagree.sum(axis=0), seen.sum(axis=0)
    priorities = priority(a_total, s_total - (a_total + d_total), s_total, extremity, rm.meta)

    groups = [
        Group(
            group=g,
            participants=votes.participants[group_of == g],
            repness=representative[g],
            agree=agree[g],
            disagree=disagree[g],
            seen=seen[g],
        )
        for g in range(n_groups)
    ]
    numbers = [int(s) for s in votes.statements]
    return AnalysisResult(
        participants=votes.participants,
        statements=votes.statements,
        x=proj[:, 0] if n_rows else np.zeros(0),
        y=proj[:, 1] if n_rows else np.zeros(0),
        group_of=group_of,
        in_conv=rm.in_conv,
        groups=groups,
        consensus_agree=consensus_agree,
        consensus_disagree=consensus_disagree,
        group_informed_consensus=gic,
        priorities={s: float(p) for s, p in zip(numbers, priorities, strict=True)},
        extremity={s: float(e) for s, e in zip(numbers, extremity, strict=True)},
        statement_x=statement_points[:, 0].copy(),
        statement_y=statement_points[:, 1].copy(),
        silhouettes=silhouettes,
        seconds=time.perf_counter() - started,
    )
