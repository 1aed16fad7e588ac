"""One run of the suppression rule over a table (analytics/suppression.py says
what the rule is and why): the a-priori bounds, the relation-by-relation
fixpoint (step 2) and the exact audit of linked relations (step 3)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

import numpy as np
from scipy import sparse

from roundtable.analytics.suppression_lp import ReaderProgram, cheapest_change

K = TypeVar("K", bound=Hashable)

INF = math.inf


def order_key(key: Hashable) -> str:
    """The text a key is ordered by when counts tie: ("35_49",) and "35_49" alike,
    so that the same counts hide the same group in two tables keyed differently."""
    if isinstance(key, tuple):
        return "+".join(str(part) for part in key)
    return str(key)


class Table(Generic[K]):
    """One run of the rule: the values, relations, a-priori bounds and hidden set."""

    def __init__(
        self,
        values: Mapping[K, int],
        relations: Sequence[tuple[K, Sequence[K]]],
        *,
        minimum: int,
        labelled: bool,
        hide_zeros: bool,
        fixed: Collection[K],
        forced: Collection[K],
        unpublished: Collection[K],
    ) -> None:
        if minimum < 1:
            raise ValueError("minimum must be at least 1")
        self.values = {k: int(v) for k, v in values.items()}
        if any(v < 0 for v in self.values.values()):
            raise ValueError("counts cannot be negative")
        self.minimum = minimum
        self.labelled = labelled
        self.hide_zeros = hide_zeros
        self.fixed = frozenset(fixed)
        self.forced = frozenset(k for k in forced if k in self.values)
        self.unpublished = frozenset(k for k in unpublished if k in self.values)
        self.relations: list[tuple[K, tuple[K, ...]]] = []
        for total, parts in relations:
            cells = [total, *parts]
            missing = [c for c in cells if c not in self.values]
            if missing:
                raise KeyError(f"relation names cells without a value: {missing!r}")
            # The difference between the total and its parts, known to the reader.
            self.relations.append((total, tuple(parts)))
        self.offset = [
            self.values[t] - sum(self.values[p] for p in parts) for t, parts in self.relations
        ]
        self.by_cell: dict[K, list[int]] = {}
        for index, (total, parts) in enumerate(self.relations):
            for cell in (total, *parts):
                self.by_cell.setdefault(cell, []).append(index)
        self.sensitive = frozenset(k for k, v in self.values.items() if self._is_sensitive(v))
        primary = {k for k, v in self.values.items() if self._is_primary(v)}
        self.hidden: set[K] = (primary | self.forced | self.unpublished) - self.fixed
        self.primary = frozenset(primary - self.unpublished)
        self.unprotected: set[K] = set(self.sensitive & self.fixed)
        # Every relation as a row of a sparse matrix (total −1, parts +1), for
        # the covers' linear programs.
        self.all_cells = list(self.values)
        self.cell_index = {c: i for i, c in enumerate(self.all_cells)}
        entries: list[tuple[int, int, float]] = []
        for r, (total, parts) in enumerate(self.relations):
            for p in parts:
                entries.append((r, self.cell_index[p], 1.0))
            entries.append((r, self.cell_index[total], -1.0))
        rows, columns, data = zip(*entries, strict=True) if entries else ((), (), ())
        self.matrix = sparse.coo_matrix(
            (data, (rows, columns)), shape=(len(self.relations), len(self.all_cells))
        ).tocsr()

    # --- the attacker's a-priori bounds

    def _is_sensitive(self, value: int) -> bool:
        return 0 < value < self.minimum

    def _is_primary(self, value: int) -> bool:
        return value < self.minimum and (value > 0 or self.hide_zeros)

    def floor(self, key: K) -> int:
        """The a-priori lower bound of a hidden cell."""
        value = self.values[key]
        if key in self.unpublished:
            return 0
        if self.labelled and value >= self.minimum:
            return self.minimum
        # An empty cell is hidden only when the page hides empty cells (or was
        # told to hide this one): then the reader cannot rule out zero.
        return 0 if self.hide_zeros or value == 0 else 1

    def ceiling(self, key: K) -> float:
        """The a-priori upper bound of a hidden cell."""
        if self.labelled and key not in self.unpublished and self.values[key] < self.minimum:
            return self.minimum - 1
        return INF

    def low(self, key: K) -> float:
        return self.floor(key) if key in self.hidden else self.values[key]

    def high(self, key: K) -> float:
        return self.ceiling(key) if key in self.hidden else self.values[key]

    def protects(self, key: K) -> bool:
        """Whether a hidden cell's value must be kept within its whole small range."""
        return key in self.sensitive and key not in self.unpublished

    # --- one relation alone (exact for that relation, by interval arithmetic)

    def relation_safe(self, index: int) -> bool:
        total, parts = self.relations[index]
        offset = self.offset[index]
        hidden_parts = [p for p in parts if p in self.hidden]
        cells = [total, *parts] if total in self.hidden else parts
        for cell in cells:
            if cell not in self.hidden or not self.protects(cell):
                continue
            if cell == total:
                low = offset + sum(self.low(p) for p in parts)
                high = offset + sum(self.high(p) for p in parts)
            else:
                others = [p for p in parts if p != cell]
                # part = total − offset − the other parts
                low = self.low(total) - offset - sum(self.high(p) for p in others)
                high = self.high(total) - offset - sum(self.low(p) for p in others)
            low = max(low, self.floor(cell))
            high = min(high, self.ceiling(cell))
            if high - low < self.width(cell):
                return False
        if total not in self.hidden and any(self.protects(p) for p in hidden_parts):
            union = sum(self.values[p] for p in hidden_parts)
            if 0 < union < self.minimum:
                return False
        everything = [total, *parts]
        if any(c in self.hidden and c in self.forced for c in everything):
            nonempty = sum(1 for c in everything if c in self.hidden and self.values[c] > 0)
            if nonempty == 1:
                return False
        return True

    def cover(self, index: int) -> K | None:
        """The cell to hide next in a relation that fails: its smallest shown
        non-empty part, else its total; None when nothing is left to hide."""
        total, parts = self.relations[index]
        candidates = sorted(
            (p for p in parts if self._hideable(p)),
            key=lambda p: (self.values[p], order_key(p)),
        )
        if candidates:
            return candidates[0]
        return total if self._hideable(total) else None

    def _hideable(self, key: K) -> bool:
        return key not in self.hidden and key not in self.fixed and self.values[key] > 0

    def settle(self, touched: Iterable[K] | None = None) -> None:
        """Step 2: hide covers until every relation (or every relation of the
        `touched` cells, and whatever they reopen) passes on its own."""
        if touched is None:
            queue = deque(range(len(self.relations)))
        else:
            queue = deque(sorted({i for c in touched for i in self.by_cell.get(c, [])}))
        queued = set(queue)
        while queue:
            index = queue.popleft()
            queued.discard(index)
            while not self.relation_safe(index):
                cell = self.cover(index)
                if cell is None:
                    self._unprotectable(index)
                    break
                self.hidden.add(cell)
                for other in self.by_cell.get(cell, []):
                    if other != index and other not in queued:
                        queue.append(other)
                        queued.add(other)

    def _unprotectable(self, index: int) -> None:
        total, parts = self.relations[index]
        self.unprotected.update(c for c in (total, *parts) if c in self.hidden and self.protects(c))

    # --- step 3: the exact audit of linked relations

    def components(self) -> list[tuple[list[K], list[int]]]:
        """Groups of hidden cells linked through relations, with those relations,
        keeping only groups where some hidden cell sits in two such relations
        (elsewhere step 2's check, one relation at a time, is already exact)."""
        active = [
            i
            for i, (t, ps) in enumerate(self.relations)
            if t in self.hidden or any(p in self.hidden for p in ps)
        ]
        parent: dict[K, K] = {}

        def find(x: K) -> K:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for index in active:
            total, parts = self.relations[index]
            cells = [c for c in (total, *parts) if c in self.hidden]
            for cell in cells[1:]:
                parent[find(cell)] = find(cells[0])
            if cells:
                find(cells[0])
        groups: dict[K, tuple[list[K], list[int]]] = {}
        for cell in sorted(parent, key=order_key):
            groups.setdefault(find(cell), ([], []))[0].append(cell)
        for index in active:
            total, parts = self.relations[index]
            first = next(c for c in (total, *parts) if c in self.hidden)
            groups[find(first)][1].append(index)
        linked = []
        for cells, indices in groups.values():
            if not any(self.protects(c) for c in cells):
                continue
            uses: dict[K, int] = {}
            for index in indices:
                total, parts = self.relations[index]
                for c in (total, *parts):
                    if c in self.hidden:
                        uses[c] = uses.get(c, 0) + 1
            if any(n > 1 for n in uses.values()):
                linked.append((cells, indices))
        return linked

    def width(self, key: K) -> int:
        """How wide the reader's interval for a protected cell must be: as wide as
        the small range itself (from its a-priori lower bound to minimum − 1)."""
        return self.minimum - 1 - self.floor(key)

    def exposed(self, cells: list[K], indices: list[int]) -> list[K]:
        """The protected cells of a linked group whose feasible interval, over all
        its relations at once, is narrower than `width`."""
        position = {c: i for i, c in enumerate(cells)}
        rows = np.zeros((len(indices), len(cells)))
        rhs = np.zeros(len(indices))
        for r, index in enumerate(indices):
            total, parts = self.relations[index]
            constant = 0.0
            for p in parts:
                if p in self.hidden:
                    rows[r, position[p]] += 1.0
                    constant += self.values[p]
            if total in self.hidden:
                rows[r, position[total]] -= 1.0
                constant -= self.values[total]
            rhs[r] = constant
        lower = np.array([self.floor(c) for c in cells], dtype=float)
        upper = np.array([self.ceiling(c) for c in cells], dtype=float)
        problem = ReaderProgram(rows, rhs, lower, upper)
        targets = [c for c in cells if self.protects(c)]
        spans = problem.spans(
            [position[c] for c in targets],
            [float(self.values[c]) for c in targets],
            [float(self.width(c)) for c in targets],
        )
        return [c for c, wide in zip(targets, spans, strict=True) if not wide]

    def covers(self, cell: K) -> list[K] | None:
        """The shown cells to hide so that an exposed cell gets its whole width:
        those the cheapest change moving it by its width touches
        (`suppression_lp.cheapest_change`). None when no change can."""
        cells = self.all_cells
        at = self.cell_index[cell]
        value = self.values[cell]
        up = max(0.0, min(float(self.width(cell)), self.ceiling(cell) - value))
        down = float(self.width(cell)) - up
        rise = np.zeros(len(cells))  # how far each cell may go up
        fall = np.zeros(len(cells))  # and down
        cost = np.zeros(len(cells))  # what changing it costs: shown cells their value
        for i, c in enumerate(cells):
            if c in self.hidden or self._hideable(c):
                rise[i] = self.ceiling(c) - self.values[c]
                fall[i] = self.values[c] - self.floor(c)
            if c not in self.hidden and self._hideable(c):
                cost[i] = 1.0 + self.values[c]
        chosen: set[K] = set()
        for amount, upward in ((up, True), (down, False)):
            if amount <= 0:
                continue
            moved = cheapest_change(self.matrix, rise, fall, cost, at, amount, upward=upward)
            if moved is None:
                return None
            chosen.update(c for i, c in enumerate(cells) if moved[i] and c not in self.hidden)
        return sorted(chosen, key=order_key)

    def audit(self) -> None:
        """Step 3: check linked groups exactly, hide covers where needed, repeat."""
        checked: dict[frozenset[K], list[K]] = {}
        while True:
            exposed: list[K] = []
            for cells, indices in self.components():
                key = frozenset(cells)
                if key not in checked:
                    checked[key] = self.exposed(cells, indices)
                exposed.extend(checked[key])
            added: list[K] = []
            # Exposed, yet the linear relaxation finds room without hiding more
            # (a gap between it and the integer program, or room made by an
            # earlier cover of this round): settled next round, or never.
            undecided: list[K] = []
            for cell in sorted(exposed, key=order_key):
                if cell in self.unprotected:
                    continue
                extra = self.covers(cell)
                if extra is None:
                    self.unprotected.add(cell)
                elif extra:
                    self.hidden.update(extra)
                    added.extend(extra)
                else:
                    undecided.append(cell)
            if not added:
                self.unprotected.update(undecided)
                return
            self.settle(added)
