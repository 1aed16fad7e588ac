"""Representative statements: what sets each opinion group apart.

Source: compdemocracy/polis math/src/polismath/math/repness.clj
(`comment-stats`, `add-comparitive-stats`, `conv-repness`,
`finalize-cmt-stats`, `passes-by-test?`, `beats-best-by-test?`,
`beats-best-agr?`, `repness-metric`, `select-rep-comments`); Small et al.
2021 §3.4.

For group g and statement j, over g's members: na agrees, nd disagrees,
ns votes of any kind (pass included). pa = (1+na)/(2+ns) is the group's
agreement with a pseudo-count; ra = pa / ((1+na')/(2+ns')) compares it with
all other groups pooled (the primes); pat and rat are the one- and
two-proportion tests (stats.py). A statement is representative when both
tests pass at 90 % for agree, or both for disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from roundtable.analytics.polis.stats import prop_test, two_prop_test, z_sig_90

# repness.clj `select-rep-comments`: `(take 5)`.
MAX_REPRESENTATIVE = 5


@dataclass(frozen=True)
class Repness:
    statement: int
    direction: str  # "agree" | "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool


@dataclass(frozen=True)
class RepnessStats:
    """The repness.clj statistics for every group (rows) × statement (columns)."""

    na: NDArray[np.int64]
    nd: NDArray[np.int64]
    ns: NDArray[np.int64]
    pa: NDArray[np.float64]
    pd: NDArray[np.float64]
    pat: NDArray[np.float64]
    pdt: NDArray[np.float64]
    ra: NDArray[np.float64]
    rd: NDArray[np.float64]
    rat: NDArray[np.float64]
    rdt: NDArray[np.float64]


def repness_stats(
    agree: NDArray[np.int64], disagree: NDArray[np.int64], seen: NDArray[np.int64]
) -> RepnessStats:
    """`comment-stats` and `add-comparitive-stats` for all groups and statements at once.

    The inputs are group × statement counts; "the rest" of group g is the
    sum over the other groups.
    """
    na, nd, ns = (np.asarray(x, dtype=np.int64) for x in (agree, disagree, seen))
    na_rest = na.sum(axis=0)[None, :] - na
    nd_rest = nd.sum(axis=0)[None, :] - nd
    ns_rest = ns.sum(axis=0)[None, :] - ns
    pa = (1.0 + na) / (2.0 + ns)
    pd = (1.0 + nd) / (2.0 + ns)
    return RepnessStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((1.0 + na_rest) / (2.0 + ns_rest)),
        rd=pd / ((1.0 + nd_rest) / (2.0 + ns_rest)),
        rat=two_prop_test(na, na_rest, ns, ns_rest),
        rdt=two_prop_test(nd, nd_rest, ns, ns_rest),
    )


def finalize(stats: RepnessStats, g: int, j: int, statement: int, *, best_agree: bool) -> Repness:
    """repness.clj `finalize-cmt-stats`: agree if rat > rdt, else disagree."""
    if stats.rat[g, j] > stats.rdt[g, j]:
        values = (stats.na, stats.pa, stats.pat, stats.ra, stats.rat, "agree")
    else:
        values = (stats.nd, stats.pd, stats.pdt, stats.rd, stats.rdt, "disagree")
    n_success, p_success, p_test, rep, rep_test, direction = values
    return Repness(
        statement=int(statement),
        direction=direction,
        n_success=int(n_success[g, j]),
        n_trials=int(stats.ns[g, j]),
        p_success=float(p_success[g, j]),
        p_test=float(p_test[g, j]),
        repness=float(rep[g, j]),
        repness_test=float(rep_test[g, j]),
        best_agree=best_agree,
    )


def repness_metric(r: Repness) -> float:
    """repness.clj `repness-metric`: repness × repness-test × p-success × p-test."""
    return r.repness * r.repness_test * r.p_success * r.p_test


def _beats_best_agree(stats: RepnessStats, g: int, j: int, best: int | None) -> bool:
    """repness.clj `beats-best-agr?`, a cond of four cases in order."""
    na, nd = stats.na[g, j], stats.nd[g, j]
    ra, rat, pa, pat = stats.ra[g, j], stats.rat[g, j], stats.pa[g, j], stats.pat[g, j]
    if na == 0 and nd == 0:
        return False
    if best is not None and stats.ra[g, best] > 1.0:
        current = stats.ra[g, best] * stats.rat[g, best] * stats.pa[g, best] * stats.pat[g, best]
        return bool(ra * rat * pa * pat > current)
    if best is not None:
        return bool(pa * pat > stats.pa[g, best] * stats.pat[g, best])
    return bool(pat > 1.2816 or (ra > 1.0 and pa > 0.5))


def select_representative(
    stats: RepnessStats, statements: NDArray[np.int64], excluded: NDArray[np.bool_]
) -> list[list[Repness]]:
    """repness.clj `select-rep-comments`, per group, mod-out statements removed.

    Statements are visited in column order. `sufficient` = those passing
    both tests (agree or disagree). The best by test (max(rat, rdt), kept
    as a 32-bit float as `finalize-cmt-stats` does) is tracked only while
    nothing is sufficient; the best agree by `beats-best-agr?` always. The
    answer: the best agree first, then the sufficient by descending
    repness metric, five at most, agrees before disagrees; or, if nothing
    is sufficient, the best agree or else the best by test alone.
    """
    n_groups = stats.na.shape[0]
    passes = (z_sig_90(stats.rat) & z_sig_90(stats.pat)) | (
        z_sig_90(stats.rdt) & z_sig_90(stats.pdt)
    )
    best_z = np.maximum(stats.rat, stats.rdt)
    candidates = np.flatnonzero(~excluded)
    selected: list[list[Repness]] = []
    for g in range(n_groups):
        sufficient: list[int] = []
        best: int | None = None
        best_test: float | None = None
        best_agree: int | None = None
        for j in candidates:
            if passes[g, j]:
                sufficient.append(int(j))
            if not sufficient and (best_test is None or best_z[g, j] > best_test):
                best = int(j)
                best_test = float(np.float32(best_z[g, j]))
            if _beats_best_agree(stats, g, int(j), best_agree):
                best_agree = int(j)
        head = (
            [finalize(stats, g, best_agree, statements[best_agree], best_agree=True)]
            if best_agree is not None
            else []
        )
        if not sufficient:
            if head:
                selected.append(head)
            elif best is not None:
                selected.append([finalize(stats, g, best, statements[best], best_agree=False)])
            else:
                selected.append([])
            continue
        rest = [
            finalize(stats, g, j, statements[j], best_agree=False)
            for j in sufficient
            if j != best_agree
        ]
        rest.sort(key=lambda r: -repness_metric(r))
        chosen = (head + rest)[:MAX_REPRESENTATIVE]
        selected.append(
            [r for r in chosen if r.direction == "agree"]
            + [r for r in chosen if r.direction == "disagree"]
        )
    return selected
