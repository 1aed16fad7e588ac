"""H3 hexagon grids for hot-spot statistics: cells, padding, k-ring contiguity.

Pure NumPy/SciPy and h3 (Uber's hierarchical hexagonal grid, h3geo.org), no
Django. A cell is an H3 index held as an unsigned 64-bit integer (h3's int
API); `h3_string` gives the usual hexadecimal id for output.

The grid of a hot-spot run (issue 5, "Hot spots") is every cell holding an
incident plus its k-ring neighbours with a count of 0. The weights are binary
k-ring contiguity *including the cell itself* (the Gi* convention, Ord &
Getis 1995): w_ij = 1 when grid_distance(i, j) <= k and both cells are in the
grid, else 0. Cells on the outer edge of the padding therefore have fewer
neighbours; that is the definition, not a defect.

Speed: h3 has no batch call for disks, so `build_grid` makes one
`grid_disk` call per grid cell (7-25 µs each on the bench machine: 4.8 s for
192,000 cells in `python -m bench gistar`, far more than Gi* itself) and does
everything else — deduplication, lookup of neighbours inside the grid, the
sparse matrix — as whole-array NumPy operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import h3.api.basic_int as h3int
import numpy as np
import numpy.typing as npt
from scipy import sparse

U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Grid:
    """Cells (sorted, unique), their counts and the binary k-ring weights."""

    cells: U64
    counts: F64
    weights: sparse.csr_matrix
    k: int


def cells_for_points(lat: npt.ArrayLike, lon: npt.ArrayLike, resolution: int) -> U64:
    """The H3 cell (as uint64) of each point; one h3 call per point."""
    lat_list = np.asarray(lat, dtype=np.float64).tolist()
    lon_list = np.asarray(lon, dtype=np.float64).tolist()
    if len(lat_list) != len(lon_list):
        raise ValueError("lat and lon differ in length")
    to_cell = h3int.latlng_to_cell
    return np.fromiter(
        (to_cell(a, b, resolution) for a, b in zip(lat_list, lon_list, strict=True)),
        dtype=np.uint64,
        count=len(lat_list),
    )


def _disks(cells: U64, k: int) -> tuple[U64, npt.NDArray[np.int64]]:
    """Every cell's k-ring, flattened, and the index of the cell each entry came from."""
    disks = [h3int.grid_disk(c, k) for c in cells.tolist()]
    lengths = np.fromiter(map(len, disks), dtype=np.int64, count=len(disks))
    flat = np.fromiter(chain.from_iterable(disks), dtype=np.uint64, count=int(lengths.sum()))
    origin = np.repeat(np.arange(len(disks), dtype=np.int64), lengths)
    return flat, origin


def build_grid(cells: npt.ArrayLike, k: int) -> Grid:
    """The grid around incident cells: counts per cell and binary k-ring weights.

    `cells` holds one H3 cell per incident (repeats are the counts). The result
    has every occupied cell and every cell within k of one (count 0), sorted
    by index; weights[i, j] = 1 when cell j is within k steps of cell i,
    including i itself.
    """
    if k < 0:
        raise ValueError("k must be 0 or more")
    occupied, counts_occupied = np.unique(np.asarray(cells, dtype=np.uint64), return_counts=True)
    if occupied.size == 0:
        empty = sparse.csr_matrix((0, 0), dtype=np.float64)
        return Grid(np.empty(0, np.uint64), np.empty(0, np.float64), empty, k)

    flat_occ, origin_occ = _disks(occupied, k)
    grid_cells = np.unique(np.concatenate([occupied, flat_occ]))
    padding = np.setdiff1d(grid_cells, occupied, assume_unique=True)
    flat_pad, origin_pad = _disks(padding, k)

    # Rows: each disk's centre; columns: its members that are in the grid.
    rows = np.concatenate(
        [
            np.searchsorted(grid_cells, occupied)[origin_occ],
            np.searchsorted(grid_cells, padding)[origin_pad],
        ]
    )
    members = np.concatenate([flat_occ, flat_pad])
    cols = np.searchsorted(grid_cells, members)
    cols_clipped = np.minimum(cols, grid_cells.size - 1)
    inside = grid_cells[cols_clipped] == members
    n = grid_cells.size
    weights = sparse.csr_matrix(
        (np.ones(int(inside.sum()), dtype=np.float64), (rows[inside], cols[inside])),
        shape=(n, n),
    )
    weights.sum_duplicates()
    weights.sort_indices()

    counts = np.zeros(n, dtype=np.float64)
    counts[np.searchsorted(grid_cells, occupied)] = counts_occupied
    return Grid(grid_cells, counts, weights, k)


def h3_string(cell: int) -> str:
    """The usual hexadecimal H3 id ("89...ff") of a cell held as an integer."""
    return str(h3int.int_to_str(int(cell)))


def cell_polygons(cells: npt.ArrayLike) -> list[list[tuple[float, float]]]:
    """Each cell's outline as a closed (lon, lat) ring, the GeoJSON order."""
    rings: list[list[tuple[float, float]]] = []
    for cell in np.asarray(cells, dtype=np.uint64).tolist():
        ring = [(float(lng), float(lat)) for lat, lng in h3int.cell_to_boundary(cell)]
        ring.append(ring[0])
        rings.append(ring)
    return rings
