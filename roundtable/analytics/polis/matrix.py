"""The vote matrix: who voted what, the moderated-out columns and who takes part.

Polis keeps a dense participants × statements matrix of votes with nil for
"not voted" (compdemocracy/polis math/src/polismath/math/named_matrix.clj,
conversation.clj `base-conv-update-graph`). A conversation of 100,000
participants and 2,000 statements has at most a few per cent of the cells
filled, so here the matrix is kept as its non-missing cells only (row,
column, value), in row-major order. Every later step is written so that a
missing cell costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

# conversation.clj `:in-conv`: a participant counts once they have voted on
# min(7, number of statements) statements; below 15 such participants the
# most active voters are added until there are 15.
MIN_VOTES = 7
GREEDY_PARTICIPANTS = 15


@dataclass(frozen=True)
class VoteTable:
    """Votes as sparse cells: rows are participants in order of their first vote.

    values: 1 agree, −1 disagree, 0 pass (Polis stores agree as −1 inside its
    maths; the exports and this module use 1 = agree throughout).
    """

    participants: NDArray[np.int64]  # participant number of each row
    statements: NDArray[np.int64]  # statement number of each column, ascending
    rows: NDArray[np.int32]  # row of each vote
    cols: NDArray[np.int32]  # column of each vote
    values: NDArray[np.int8]  # the vote
    # Per row: entered the conversation at some point while the votes came
    # in (see `_ever_in_conversation`); None when built without a history.
    qualified: NDArray[np.bool_] | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    @classmethod
    def from_votes(
        cls, participants: ArrayLike, statements: ArrayLike, values: ArrayLike
    ) -> VoteTable:
        """Build the table from votes given in time order.

        A later vote on the same (participant, statement) replaces the earlier,
        as `nm/update-nmat` overwrites the cell. Rows are ordered by each
        participant's first vote, as Polis's matrix grows a row the first time
        it sees a participant; columns by statement number (Polis orders them
        by first vote too, which only matters for ties in the repness
        selection; see docs/analytics/opinion-mapping.md).
        """
        pids = np.asarray(participants, dtype=np.int64).ravel()
        tids = np.asarray(statements, dtype=np.int64).ravel()
        vals = np.asarray(values, dtype=np.int64).ravel()
        if not len(pids) == len(tids) == len(vals):
            raise ValueError("participants, statements and values must have the same length")
        if len(vals) and (int(vals.min()) < -1 or int(vals.max()) > 1):
            raise ValueError("votes must be 1 (agree), -1 (disagree) or 0 (pass)")
        if len(vals) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(
                empty,
                empty.copy(),
                np.zeros(0, dtype=np.int32),
                np.zeros(0, dtype=np.int32),
                np.zeros(0, dtype=np.int8),
            )
        numbers, first_seen, row_of_vote = _first_seen_index(pids)
        order = np.argsort(first_seen, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        row_numbers = numbers[order]
        rows = rank[row_of_vote].astype(np.int64)
        statement_numbers, statement_first_seen, cols = _first_seen_index(tids)
        n_rows, n_cols, n_votes = len(row_numbers), len(statement_numbers), len(vals)
        cells = rows * n_cols + cols
        if n_rows * n_cols < np.iinfo(np.int64).max // n_votes:
            # Cell then time in one int64 key: all keys differ, so a plain
            # (SIMD) sort orders each cell's votes by time, and the last of
            # each run of equal cells is the vote that stands.
            keys = np.sort(cells * n_votes + np.arange(n_votes))
            sorted_cells, sorted_index = keys // n_votes, keys % n_votes
        else:
            by_cell = np.argsort(cells, kind="stable")
            sorted_cells, sorted_index = cells[by_cell], by_cell
        last = np.ones(n_votes, dtype=bool)
        last[:-1] = sorted_cells[1:] != sorted_cells[:-1]
        kept_cells = sorted_cells[last]
        first = np.ones(n_votes, dtype=bool)
        first[1:] = last[:-1]
        new_cell = np.zeros(n_votes, dtype=bool)
        new_cell[sorted_index[first]] = True
        qualified = _ever_in_conversation(
            rows, new_cell, statement_first_seen, first_seen[order], n_rows
        )
        return cls(
            participants=row_numbers.astype(np.int64),
            statements=statement_numbers.astype(np.int64),
            rows=(kept_cells // n_cols).astype(np.int32),
            cols=(kept_cells % n_cols).astype(np.int32),
            values=vals[sorted_index[last]].astype(np.int8),
            qualified=qualified,
        )


def _ever_in_conversation(
    rows: NDArray[np.int64],
    new_cell: NDArray[np.bool_],
    statement_first_seen: NDArray[np.int64],
    row_first_seen: NDArray[np.int64],
    n_rows: int,
) -> NDArray[np.bool_]:
    """Who Polis would have let into the conversation as the votes arrived.

    conversation.clj `:in-conv` is persisted: "Once a ptpt is in, they will
    remain in." A participant who had min(7, n-cmts) votes when there were
    few statements, or who was among the first 15 (the greedy top-up while
    fewer than 15 are in), stays clustered even if a later recount would
    not admit them. Polis re-evaluates at every update; here every vote is
    an update (the vote order is all a one-shot analysis knows). A vote is
    "new" when it is the first on its cell: re-votes do not add to the
    count, as in the matrix.
    """
    n = len(rows)
    new_column = np.zeros(n, dtype=np.int64)
    new_column[statement_first_seen] = 1
    threshold = np.minimum(MIN_VOTES, np.cumsum(new_column))
    if n_rows < np.iinfo(np.int64).max // max(n, 1):
        by_row = np.sort(rows * n + np.arange(n))
        row_sorted, index_sorted = by_row // n, by_row % n
    else:
        index_sorted = np.argsort(rows, kind="stable")
        row_sorted = rows[index_sorted]
    counted = new_cell[index_sorted].astype(np.int64)
    running = np.cumsum(counted)
    starts = np.flatnonzero(np.r_[True, row_sorted[1:] != row_sorted[:-1]])
    before = running[starts] - counted[starts]
    running -= np.repeat(before, np.diff(np.r_[starts, n]))
    ok = running >= threshold[index_sorted]
    entered = np.full(n_rows, n, dtype=np.int64)
    np.minimum.at(entered, row_sorted[ok], index_sorted[ok])
    qualified = entered < n
    # The greedy top-up: while fewer than 15 are in, each newcomer is added
    # at their first vote. The count of those in only grows, so the first
    # newcomer who finds 15 already in ends it.
    entered_sorted = np.sort(entered)
    greedy: list[int] = []
    for row in range(n_rows):
        when = row_first_seen[row]
        if entered[row] <= when:
            continue
        n_in = int(np.searchsorted(entered_sorted, when, side="right"))
        n_in += sum(1 for g in greedy if entered[g] > when)
        if n_in >= GREEDY_PARTICIPANTS:
            break
        greedy.append(row)
    qualified[greedy] = True
    return qualified


def _first_seen_index(
    ids: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.intp]]:
    """Distinct ids (sorted), each one's first position, and each element's index into them."""
    low = int(ids.min())
    high = int(ids.max())
    if low >= 0 and high < 4 * len(ids) + 1_000_000:
        # Small non-negative numbers (the usual case): a lookup table is O(n).
        present = np.zeros(high + 1, dtype=bool)
        present[ids] = True
        numbers = np.flatnonzero(present).astype(np.int64)
        lookup = np.cumsum(present) - 1
        inverse = lookup[ids].astype(np.intp)
        first = np.full(len(numbers), len(ids), dtype=np.int64)
        np.minimum.at(first, inverse, np.arange(len(ids), dtype=np.int64))
        return numbers, first, inverse
    numbers, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    return numbers.astype(np.int64), first.astype(np.int64), inverse.astype(np.intp)


@dataclass(frozen=True)
class RatingMatrix:
    """Everything the later steps need from the vote table, computed once.

    `mod_out` columns are zeroed for every participant, as
    `nm/zero-out-columns` does: votes on them stop counting, and since even
    missing cells become 0 they count as "voted" in the projection's
    scaling. The raw counts (`vote_counts`) decide who is in the
    conversation; the zeroed matrix feeds the PCA, repness and consensus.
    """

    table: VoteTable
    mod_out: NDArray[np.bool_]  # per column: moderated out or meta
    meta: NDArray[np.bool_]  # per column: meta statement
    vote_counts: NDArray[np.int64]  # per row: votes in the raw matrix
    in_conv: NDArray[np.bool_]  # per row
    center: NDArray[np.float64]  # per column: mean of the zeroed matrix's non-missing cells
    kept: NDArray[np.bool_]  # per vote: not in a mod-out column

    @property
    def n_rows(self) -> int:
        return len(self.table.participants)

    @property
    def n_cols(self) -> int:
        return len(self.table.statements)

    @property
    def n_mod_out(self) -> int:
        return int(self.mod_out.sum())

    def projection_counts(self) -> NDArray[np.int64]:
        """Per row, the zeroed matrix's non-missing cells: kept votes plus every mod-out column."""
        kept_rows = self.table.rows[self.kept]
        return np.bincount(kept_rows, minlength=self.n_rows).astype(np.int64) + self.n_mod_out


def rating_matrix(
    table: VoteTable, *, moderated_out: Iterable[int] = (), meta: Iterable[int] = ()
) -> RatingMatrix:
    """Zero the mod-out columns, count votes, decide in-conv and compute column means.

    `mod-out` is moderated-out ∪ meta (conversation.clj `mod-update`);
    meta statements are also remembered for their fixed priority.
    """
    meta_set = np.fromiter((int(m) for m in meta), dtype=np.int64)
    out_set = np.fromiter((int(m) for m in moderated_out), dtype=np.int64)
    meta_cols = np.isin(table.statements, meta_set)
    mod_out = meta_cols | np.isin(table.statements, out_set)
    n_rows, n_cols = table.shape
    vote_counts = np.bincount(table.rows, minlength=n_rows).astype(np.int64)
    kept = ~mod_out[table.cols]
    kept_cols = table.cols[kept]
    sums = np.bincount(kept_cols, weights=table.values[kept], minlength=n_cols)
    counts = np.bincount(kept_cols, minlength=n_cols)
    # A mod-out column is all zeros, so its mean is 0; every other column has
    # at least one vote (columns exist only for statements with votes).
    center = np.divide(sums, counts, out=np.zeros(n_cols), where=counts > 0)
    return RatingMatrix(
        table=table,
        mod_out=mod_out,
        meta=meta_cols,
        vote_counts=vote_counts,
        in_conv=in_conversation(vote_counts, n_cols, already=table.qualified),
        center=center,
        kept=kept,
    )


def in_conversation(
    vote_counts: NDArray[np.int64],
    n_statements: int,
    *,
    already: NDArray[np.bool_] | None = None,
) -> NDArray[np.bool_]:
    """conversation.clj `:in-conv`: who is clustered.

    Those `already` in (Polis's persisted set), plus everyone with at
    least min(7, n-cmts) votes; if that makes fewer than 15, the remaining
    participants with the most votes are added (count descending; equal
    counts in row order, where Polis's order is that of a Clojure hash
    map) until there are 15 or nobody is left.
    """
    chosen = vote_counts >= min(MIN_VOTES, n_statements)
    if already is not None:
        chosen |= already
    missing = GREEDY_PARTICIPANTS - int(chosen.sum())
    if missing > 0:
        rest = np.flatnonzero(~chosen)
        by_count = rest[np.argsort(-vote_counts[rest], kind="stable")]
        chosen[by_count[:missing]] = True
    return np.asarray(chosen)
