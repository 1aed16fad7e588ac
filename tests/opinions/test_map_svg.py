"""The opinion map drawn as inline SVG: markers, groups, accessibility, privacy, the cap."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from roundtable.opinions import map_svg
from roundtable.opinions.selectors_map import MapGroup, MapPoint


@dataclass
class Map:
    points: list[MapPoint]
    groups: list[MapGroup] = field(default_factory=list)


LABELS = "AB"


def group(label: str, size: int, size_text: str | None = None) -> MapGroup:
    return MapGroup(
        group=LABELS.index(label),
        label=label,
        size=size,
        size_text=size_text or str(size),
        statements=[],
    )


def point(x: float, y: float, label: str | None, participant: int | None = None) -> MapPoint:
    number = None if label is None else LABELS.index(label)
    return MapPoint(x=x, y=y, group=number, participant=participant)


def two_groups(public: bool = True) -> Map:
    n = None if public else 0
    return Map(
        points=[
            point(-2.0, 1.0, "A", n if n is None else 10),
            point(-1.0, 1.0, "A", n if n is None else 11),
            point(2.0, -1.0, "B", n if n is None else 12),
            point(0.0, 0.0, None, n if n is None else 13),
        ],
        groups=[group("A", 2), group("B", 1, "fewer than 5")],
    )


def _layer(svg: str, css_class: str) -> str:
    found = re.search(rf'<g class="{css_class}[^"]*"[^>]*>(.*?)</g>', svg)
    assert found is not None, f"no layer {css_class}"
    return found.group(1)


def test_every_participant_is_a_marker_shaped_and_coloured_by_group():
    svg = str(map_svg.render_map(two_groups(), public=True))
    group_a, group_b = _layer(svg, "rt-om-group rt-om-g0"), _layer(svg, "rt-om-group rt-om-g1")
    # Group A: circles; group B: squares, so colour is not the only cue.
    assert group_a.count("<circle") == 2 and "<rect" not in group_a
    assert group_b.count("<rect") == 1 and "<circle" not in group_b
    assert f'fill="{map_svg.PALETTE[0]}"' in svg and f'fill="{map_svg.PALETTE[1]}"' in svg
    # The participant not yet in a group: a grey ring.
    unclustered = re.search(r'<g class="rt-om-unclustered" fill="none" stroke="([^"]+)"', svg)
    assert unclustered is not None and unclustered.group(1) == map_svg.UNCLUSTERED
    assert _layer(svg, "rt-om-unclustered").count("<circle") == 1


def test_the_view_box_fits_the_points_with_a_margin_and_keeps_proportions():
    svg = str(map_svg.render_map(two_groups(), public=True))
    # x spans 4, y spans 2: the longer side becomes SPAN units, both axes alike.
    width = map_svg.SPAN + 2 * map_svg.MARGIN
    height = map_svg.SPAN / 2 + 2 * map_svg.MARGIN
    assert f'viewBox="0 0 {width} {height}"' in svg
    # The left-most point sits on the left margin, the top-most (y = 1) on the top one.
    assert f'cx="{map_svg.MARGIN}" cy="{map_svg.MARGIN}"' in svg


def test_group_letters_sit_at_the_centre_of_their_members():
    svg = str(map_svg.render_map(two_groups(), public=True))
    labels = {
        text: (float(x), float(y))
        for x, y, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>(\w+)</text>', svg)
    }
    scale = map_svg.SPAN / 4
    # A's members are at x = -2 and -1 (centre -1.5); y = 1 is the top.
    # Each letter is lifted a little above the centre, so it does not hide the markers,
    # but never off the top edge.
    lift = map_svg.LABEL_LIFT
    assert labels["A"] == (map_svg.MARGIN + 0.5 * scale, map_svg.LABEL_TOP)
    assert labels["B"] == (map_svg.MARGIN + 4 * scale, map_svg.MARGIN + 2 * scale - lift)


def test_the_picture_has_a_name_a_description_and_a_table_in_words():
    html = str(map_svg.render_map(two_groups(), public=True, dom_id="m1"))
    assert 'role="img" aria-labelledby="m1-title m1-desc"' in html
    assert '<title id="m1-title">Opinion map</title>' in html
    desc = re.search(r'<desc id="m1-desc">(.*?)</desc>', html)
    assert desc is not None
    assert "4 participants" in desc.group(1)
    assert "group A: 2, top left" in desc.group(1)
    assert "group B: fewer than 5, bottom right" in desc.group(1)
    table = re.search(r"<details[^>]*>(.*?)</details>", html, re.S)
    assert table is not None
    rows = re.findall(r'<tr><th scope="row">(\w+)</th><td>([^<]+)</td><td>([^<]+)</td></tr>', html)
    assert rows == [("A", "2", "top left"), ("B", "fewer than 5", "bottom right")]
    # The legend says which shape is which group, and what a grey ring means.
    assert "Group A" in html and "Not in a group yet" in html


def test_the_public_map_carries_no_participant_numbers_and_the_staff_map_does():
    public = str(map_svg.render_map(two_groups(public=True), public=True))
    assert not re.search(r"Participant \d", public)
    assert public.count("<title") == 1  # the picture's own title, none per marker
    staff_map = two_groups(public=False)
    # Even points that carry numbers show none when drawn for the public.
    assert not re.search(r"Participant \d", str(map_svg.render_map(staff_map, public=True)))
    staff = str(map_svg.render_map(staff_map, public=False))
    assert "<title>Participant 12</title>" in staff
    assert staff.count("<title>Participant") == 4


def test_large_maps_draw_a_fixed_sample_and_say_so():
    points = [point(i % 97, i % 89, "A" if i % 2 else "B") for i in range(4000)]
    big = Map(points=points, groups=[group("A", 2000), group("B", 2000)])
    html = str(map_svg.render_map(big, public=True))
    svg = html.split("</svg>", 1)[0]  # the map, before the legend's swatches
    layers = _layer(svg, "rt-om-group rt-om-g0") + _layer(svg, "rt-om-group rt-om-g1")
    assert layers.count("<circle") + layers.count("<rect") == map_svg.MAX_POINTS
    assert "3,000 of the 4,000 participants are drawn" in html
    # The same sample each time, so the refreshed map does not jump about.
    assert str(map_svg.render_map(big, public=True)) == html
    # The letters still count everyone: both groups are labelled.
    assert re.findall(r'class="rt-om-label"[^>]*>(\w)</text>', html) == ["A", "B"]


def test_a_small_map_is_drawn_whole_without_a_note():
    html = str(map_svg.render_map(two_groups(), public=True))
    assert "are drawn" not in html


def test_an_empty_map_or_a_single_point_still_renders():
    empty = str(map_svg.render_map(Map(points=[]), public=True))
    assert "0 participants" in empty and "No opinion groups yet" in empty
    single = str(map_svg.render_map(Map(points=[point(3.0, 3.0, None)]), public=True))
    size = 2 * map_svg.MARGIN
    assert f'viewBox="0 0 {size} {size}"' in single
    assert f'cx="{map_svg.MARGIN}" cy="{map_svg.MARGIN}"' in single


def test_sample_indices_keep_order_and_cap():
    assert map_svg.sample_indices(5, cap=10) == [0, 1, 2, 3, 4]
    chosen = map_svg.sample_indices(100, cap=10, seed=3)
    assert len(chosen) == 10 and chosen == sorted(set(chosen))
    assert chosen == map_svg.sample_indices(100, cap=10, seed=3)


def test_position_words_cover_the_three_by_three_grid():
    assert map_svg.position_words(0.1, 0.1) == "top left"
    assert map_svg.position_words(0.5, 0.5) == "centre"
    assert map_svg.position_words(0.9, 0.5) == "centre right"
    assert map_svg.position_words(0.5, 0.95) == "bottom centre"
