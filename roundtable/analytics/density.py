"""Kernel density surface of incident points, for a map layer.

Pure NumPy/SciPy, no Django.

Kernel: the quartic (biweight) kernel of Silverman (1986), *Density
Estimation for Statistics and Data Analysis*, eq. 4.5, which ArcGIS's Kernel
Density tool uses ("How Kernel Density works"):

    K(d) = 3 / (π h²) · (1 − d²/h²)²   for d < h, else 0,
    density(x) = sum over incidents of K(|x − x_i|),

with h the bandwidth (search radius). With h in kilometres the density is
incidents per square kilometre, and it integrates to the number of incidents.

Computation: points are projected to a local metric plane (equirectangular
about the points' mean latitude, R = 6,371,008.8 m, the IUGG mean Earth
radius; the error is far below a cell at city scale), counted into square
cells of `cell_m` metres, and the counts convolved with the kernel sampled at
cell-centre offsets by FFT (`scipy.signal.fftconvolve`) — the "binned" kernel
estimate (Silverman 1986, §3.5), exact up to moving each point to its cell
centre. `support` is the same convolution with a disc of radius h: how many
incidents lie within the bandwidth of each cell, which the public layer
uses to drop thinly supported squares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
import shapely.geometry
from scipy import signal

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class DensityGrid:
    density: F64  # rows (south → north) × columns (west → east), per km²
    support: F64  # incidents within the bandwidth of each cell
    lat0: float  # projection origin
    lon0: float
    x0: float  # west edge of column 0, metres east of the origin
    y0: float  # south edge of row 0, metres north of the origin
    cell_m: float
    bandwidth_m: float
    points: int


def _project(lat: F64, lon: F64, lat0: float, lon0: float) -> tuple[F64, F64]:
    x = EARTH_RADIUS_M * math.cos(math.radians(lat0)) * np.radians(lon - lon0)
    y = EARTH_RADIUS_M * np.radians(lat - lat0)
    return x, y


def _unproject(x: F64, y: F64, lat0: float, lon0: float) -> tuple[F64, F64]:
    lat = lat0 + np.degrees(y / EARTH_RADIUS_M)
    lon = lon0 + np.degrees(x / (EARTH_RADIUS_M * math.cos(math.radians(lat0))))
    return lat, lon


def kernel_density(
    lat: npt.ArrayLike, lon: npt.ArrayLike, *, bandwidth_m: float, cell_m: float
) -> DensityGrid:
    """Quartic kernel density (incidents per km²) on a square grid of `cell_m` metres."""
    if bandwidth_m <= 0 or cell_m <= 0:
        raise ValueError("bandwidth and cell size must be positive")
    lat_a = np.asarray(lat, dtype=np.float64).ravel()
    lon_a = np.asarray(lon, dtype=np.float64).ravel()
    if lat_a.size == 0:
        empty = np.zeros((0, 0))
        return DensityGrid(empty, empty, 0.0, 0.0, 0.0, 0.0, cell_m, bandwidth_m, 0)
    lat0, lon0 = float(lat_a.mean()), float(lon_a.mean())
    x, y = _project(lat_a, lon_a, lat0, lon0)
    reach = math.ceil(bandwidth_m / cell_m)
    # Pad by the kernel's reach so that the surface around edge points is whole.
    x0 = math.floor(x.min() / cell_m) * cell_m - reach * cell_m
    y0 = math.floor(y.min() / cell_m) * cell_m - reach * cell_m
    cols = int((x.max() - x0) // cell_m) + 1 + reach
    rows = int((y.max() - y0) // cell_m) + 1 + reach
    col = np.minimum(((x - x0) // cell_m).astype(np.int64), cols - 1)
    row = np.minimum(((y - y0) // cell_m).astype(np.int64), rows - 1)
    counts = np.zeros((rows, cols))
    np.add.at(counts, (row, col), 1.0)

    offsets = np.arange(-reach, reach + 1) * cell_m
    dx, dy = np.meshgrid(offsets, offsets)
    d2 = (dx**2 + dy**2) / bandwidth_m**2
    h_km = bandwidth_m / 1000.0
    kernel = np.where(d2 < 1, 3.0 / (math.pi * h_km**2) * (1 - d2) ** 2, 0.0)
    disc = (d2 <= 1).astype(np.float64)
    density = signal.fftconvolve(counts, kernel, mode="same")
    support = signal.fftconvolve(counts, disc, mode="same")
    # FFT round-off leaves tiny non-zeros where nothing is.
    density[density < 1e-9] = 0.0
    support = np.rint(support)
    return DensityGrid(density, support, lat0, lon0, x0, y0, cell_m, bandwidth_m, int(lat_a.size))


def _runs(mask: npt.NDArray[np.bool_]) -> tuple[I64, I64, I64]:
    """Horizontal runs of True in each row: (row, first column, last column + 1)."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    start_r, start_c = np.nonzero(edges == 1)
    _end_r, end_c = np.nonzero(edges == -1)
    # np.nonzero walks row by row, left to right: starts and ends pair up in order.
    return start_r.astype(np.int64), start_c.astype(np.int64), end_c.astype(np.int64)


def density_geojson(grid: DensityGrid, *, min_support: int = 0, classes: int = 5) -> dict[str, Any]:
    """The surface as one (multi)polygon per density class, GeoJSON.

    Squares with density > 0 (and at least `min_support` incidents within the
    bandwidth) get a class 1..classes by quantiles of their values. Sending
    every square would be megabytes for a city, so squares of one class are
    merged: first into runs along each row, then into one outline per class
    (shapely's coverage union: the runs tile without overlapping). Each
    feature carries its class and the range of values it holds (incidents per
    km², 3 significant figures).
    """
    keep = (grid.density > 0) & (grid.support >= max(min_support, 1))
    values = grid.density[keep]
    features: list[dict[str, Any]] = []
    if values.size:
        breaks = np.quantile(values, np.linspace(0, 1, classes + 1)[1:-1])
        klass = np.zeros(grid.density.shape, dtype=np.int64)
        klass[keep] = np.searchsorted(breaks, values, side="right") + 1
        for level in range(1, classes + 1):
            mask = klass == level
            if not mask.any():
                continue
            rows, first, last = _runs(mask)
            # Edges by one formula from whole cell numbers, so that neighbouring
            # runs share their edges exactly and the union leaves no slivers.
            west = grid.x0 + first.astype(np.float64) * grid.cell_m
            east = grid.x0 + last.astype(np.float64) * grid.cell_m
            south = grid.y0 + rows.astype(np.float64) * grid.cell_m
            north = grid.y0 + (rows + 1).astype(np.float64) * grid.cell_m
            lat_s, lon_w = _unproject(west, south, grid.lat0, grid.lon0)
            lat_n, lon_e = _unproject(east, north, grid.lat0, grid.lon0)
            boxes = shapely.box(lon_w, lat_s, lon_e, lat_n)
            outline = shapely.set_precision(shapely.coverage_union_all(boxes), 1e-6)
            in_class = grid.density[mask]
            features.append(
                {
                    "type": "Feature",
                    "geometry": shapely.geometry.mapping(outline),
                    "properties": {
                        "class": level,
                        "low": float(f"{in_class.min():.3g}"),
                        "high": float(f"{in_class.max():.3g}"),
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "bandwidth_m": grid.bandwidth_m,
            "cell_m": grid.cell_m,
            "unit": "incidents per km²",
            "min_support": min_support,
        },
    }
