"""The two significance tests Polis uses, vectorised over NumPy arrays.

Source: compdemocracy/polis math/src/polismath/math/stats.clj (`prop-test`,
`two-prop-test`, `z-sig-90?`). Both add one to every count (a pseudo-count,
so that a statement seen by nobody is not infinitely significant), and both
are one-sided: a large positive value means "more than half agree" or "this
group agrees more than the rest".
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

# stats.clj z-sig-90?: the one-sided 90 % critical value of the normal distribution.
Z_90 = 1.2816


def prop_test(successes: ArrayLike, trials: ArrayLike) -> NDArray[np.float64]:
    """One-proportion z-test against 1/2, with a pseudo-count of one.

    stats.clj `prop-test`: with s = successes + 1 and n = trials + 1,
    z = 2·√n·(s/n − 1/2).
    """
    s = np.asarray(successes, dtype=np.float64) + 1.0
    n = np.asarray(trials, dtype=np.float64) + 1.0
    return np.asarray(2.0 * np.sqrt(n) * (s / n - 0.5), dtype=np.float64)


def two_prop_test(
    successes_in: ArrayLike,
    successes_out: ArrayLike,
    trials_in: ArrayLike,
    trials_out: ArrayLike,
) -> NDArray[np.float64]:
    """Two-proportion z-test (pooled variance), one added to all four counts.

    stats.clj `two-prop-test`: p1 = s1/n1, p2 = s2/n2, p̂ = (s1+s2)/(n1+n2),
    z = (p1 − p2) / √(p̂(1 − p̂)(1/n1 + 1/n2)); z = 0 when p̂ = 1 (the
    Clojure's own guard: every vote a success leaves no variance).
    """
    s1 = np.asarray(successes_in, dtype=np.float64) + 1.0
    s2 = np.asarray(successes_out, dtype=np.float64) + 1.0
    n1 = np.asarray(trials_in, dtype=np.float64) + 1.0
    n2 = np.asarray(trials_out, dtype=np.float64) + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    degenerate = pooled == 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / np.sqrt(np.where(degenerate, 1.0, variance))
    return np.asarray(np.where(degenerate, 0.0, z), dtype=np.float64)


def z_sig_90(z: ArrayLike) -> NDArray[np.bool_]:
    """stats.clj `z-sig-90?`: significant at 90 % (one-sided), z > 1.2816."""
    return np.asarray(np.asarray(z, dtype=np.float64) > Z_90)
