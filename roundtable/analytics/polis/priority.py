"""Which statement a participant should see next: Polis's comment priority.

Source: compdemocracy/polis math/src/polismath/math/conversation.clj,
`importance-metric`, `priority-metric` and the `:comment-priorities` node.
The server draws the next statement at random with these priorities as
weights, so statements that split opinion, that few people pass on and
that sit far out on the map are shown more often, and new statements
(few votes, S small) get a boost of up to ninefold that fades as
2^(−S/5) so they gather enough votes to be placed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

# conversation.clj `meta-priority`: meta statements (about the conversation
# itself) get a fixed priority of 7² so they come up early.
META_PRIORITY = 7.0


def importance(
    agree: ArrayLike, passes: ArrayLike, seen: ArrayLike, extremity: ArrayLike
) -> NDArray[np.float64]:
    """conversation.clj `importance-metric`: (1 − (P+1)/(S+2)) · (E+1) · (A+1)/(S+2)."""
    a = np.asarray(agree, dtype=np.float64)
    p = np.asarray(passes, dtype=np.float64)
    s = np.asarray(seen, dtype=np.float64)
    e = np.asarray(extremity, dtype=np.float64)
    return np.asarray((1.0 - (p + 1.0) / (s + 2.0)) * (e + 1.0) * ((a + 1.0) / (s + 2.0)))


def priority(
    agree: ArrayLike,
    passes: ArrayLike,
    seen: ArrayLike,
    extremity: ArrayLike,
    is_meta: ArrayLike = False,
) -> NDArray[np.float64]:
    """conversation.clj `priority-metric`: (importance · (1 + 8·2^(−S/5)))², or 7² for meta.

    The square "deepens the bias" (the Clojure's own comment) towards
    important statements when they are used as sampling weights.
    """
    s = np.asarray(seen, dtype=np.float64)
    boosted = importance(agree, passes, seen, extremity) * (1.0 + 8.0 * np.power(2.0, -s / 5.0))
    meta = np.asarray(is_meta, dtype=bool)
    return np.asarray(np.where(meta, META_PRIORITY, boosted) ** 2, dtype=np.float64)


def priority_of_new_statement() -> float:
    """The priority of a statement nobody has voted on yet (A = P = S = 0, E = 0).

    That is (½ · 1 · ½ · 9)² = 5.0625: Polis gives the same value through the
    `(or extremity 0)` default in `:comment-priorities`.
    """
    return float(priority(0, 0, 0, 0)[()])
