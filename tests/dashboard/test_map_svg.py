"""The dashboard's map: areas and the public grid's significant cells as SVG paths."""

from __future__ import annotations

from roundtable.dashboard.map_svg import MAX_CELLS, band_index, spot_map


def title(bin_, band):
    return f"{bin_}:{band}"


def square(lon, lat, size=0.01):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def test_bands_are_numbered_from_the_lowest():
    assert [band_index(b) for b in ([5, 9], [10, 24], [25, 49], [50, 99], [100, None])] == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert band_index(None) is None


def test_cells_are_shaded_by_band_and_hot_and_cold_ones_outlined_on_top():
    areas = collection({"properties": {"name": "North"}, "geometry": square(-87.7, 41.9, 0.1)})
    cells = collection(
        {"properties": {"bin": 3, "band": [25, 49]}, "geometry": square(-87.69, 41.91)},
        {"properties": {"bin": -2, "band": None}, "geometry": square(-87.65, 41.95)},
        {"properties": {"bin": 0, "band": [5, 9]}, "geometry": square(-87.62, 41.92)},
    )
    picture = spot_map(cells, areas, cell_title=title)
    assert picture is not None
    assert [s.title for s in picture.areas] == ["North"]
    assert [s.css for s in picture.cells] == [
        "rt-db-cell rt-db-band-0",
        "rt-db-cell rt-db-band-none rt-db-cold rt-db-cold-2",
        "rt-db-cell rt-db-band-2 rt-db-hot rt-db-hot-3",
    ]
    assert picture.cells[2].title == "3:[25, 49]"
    assert all(s.path.startswith("M") and s.path.endswith("Z") for s in picture.cells)


def test_a_large_grid_draws_the_significant_and_fullest_cells_only():
    features = [
        {"properties": {"bin": 0, "band": [5, 9]}, "geometry": square(-87.7 + i * 0.001, 41.9)}
        for i in range(MAX_CELLS + 50)
    ]
    features.append({"properties": {"bin": 1, "band": [5, 9]}, "geometry": square(-87.0, 41.9)})
    picture = spot_map(collection(*features), collection(), cell_title=title)
    assert picture is not None
    assert len(picture.cells) == MAX_CELLS
    assert "rt-db-hot" in picture.cells[-1].css


def test_the_picture_keeps_its_shape_and_fits_the_frame():
    areas = collection({"properties": {"name": "Wide"}, "geometry": square(-87.7, 41.9, 0.2)})
    picture = spot_map(collection(), areas, cell_title=title)
    assert picture is not None
    # A square in degrees is narrower than tall at 42° north: cos(42°) ≈ 0.74.
    assert picture.height > picture.width
    xs, ys = [], []
    for part in picture.areas[0].path.replace("M", "").replace("L", "").replace("Z", "").split():
        x, y = part.split(",")
        xs.append(float(x))
        ys.append(float(y))
    assert min(xs) >= 0 and max(xs) <= picture.width
    assert min(ys) >= 0 and max(ys) <= picture.height


def test_nothing_to_draw_gives_no_map():
    assert spot_map(collection(), collection(), cell_title=title) is None
    multi = {"type": "MultiPolygon", "coordinates": [square(-87.7, 41.9)["coordinates"]]}
    assert spot_map(
        collection(), collection({"properties": {}, "geometry": multi}), cell_title=title
    )
