"""The opinion map drawn on the server as inline SVG: no script, no tiles.

Each participant is a marker at their place in the analysis's two-dimensional
projection; people who vote alike sit close together. Groups differ by colour
*and* by marker shape (circle, square, triangle, diamond, cross), so colour is
never the only cue; the colours are Okabe and Ito's palette for colour-blind
readers (Okabe & Ito, "Color Universal Design", 2008), each marker outlined in
near-black so that even the lightest keeps a 3:1 contrast on white (WCAG 1.4.11).
Participants the analysis did not cluster (too few votes yet) are small grey
rings. A letter at each group's centre names it as the report does ("A", "B", …).

The picture carries `role="img"` with a title and a description, and a table
below it (inside `<details>`) says the same in words: each group, its size and
where it sits. Nothing is drawn with a `style` attribute: the site's Content
Security Policy admits styles from our own files only, and SVG presentation
attributes (`fill`, `stroke`) are not styles.

Large conversations: at most MAX_POINTS markers are drawn, a random sample with
a fixed seed (so the picture does not flicker between refreshes), and the page
says so. The group letters sit at the centres of *all* the group's members.

Public mode draws positions only; staff mode adds each participant's number as
a tooltip, for finding someone from the analysis's table.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.formats import number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Drawn markers at most; beyond it a fixed-seed random sample is drawn.
MAX_POINTS = 3000
SAMPLE_SEED = 0
# The longer side of the drawing, in SVG units, and the margin around it.
SPAN = 600.0
MARGIN = 28.0
# Group letters sit this far above their group's centre, so they do not hide
# the markers of a tight group (never above the top edge).
LABEL_LIFT = 18.0
LABEL_TOP = 14.0

# Okabe-Ito colours, in an order where neighbours differ most.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
SHAPES = ("circle", "square", "triangle", "diamond", "cross", "triangle-down")
OUTLINE = "#1a1a1a"
UNCLUSTERED = "#767676"  # 4.5:1 on white


class MapPoint(Protocol):
    """A participant's place; `group` is its group's number, None when not clustered."""

    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def group(self) -> int | None: ...


class MapGroup(Protocol):
    @property
    def group(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def size_text(self) -> str: ...


class OpinionMapLike(Protocol):
    @property
    def points(self) -> Sequence[MapPoint]: ...
    @property
    def groups(self) -> Sequence[MapGroup]: ...


@dataclass(frozen=True)
class Frame:
    """How data coordinates become drawing coordinates (y grows upwards in data)."""

    min_x: float
    max_y: float
    scale: float
    width: float
    height: float

    def place(self, x: float, y: float) -> tuple[float, float]:
        return (
            round(MARGIN + (x - self.min_x) * self.scale, 1),
            round(MARGIN + (self.max_y - y) * self.scale, 1),
        )


def frame_for(xs: Sequence[float], ys: Sequence[float]) -> Frame:
    """A frame fitting the points' extent, the longer side SPAN units, plus a margin.

    Both axes share one scale, so distances on the map keep their meaning. A
    single point (or a line of them) gets a unit extent rather than a zero one.
    """
    if not xs:
        return Frame(min_x=0.0, max_y=0.0, scale=1.0, width=2 * MARGIN, height=2 * MARGIN)
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = max_x - min_x, max_y - min_y
    longest = max(span_x, span_y)
    scale = SPAN / longest if longest > 0 else 1.0
    return Frame(
        min_x=min_x,
        max_y=max_y,
        scale=scale,
        width=round(span_x * scale + 2 * MARGIN, 1),
        height=round(span_y * scale + 2 * MARGIN, 1),
    )


def sample_indices(count: int, cap: int = MAX_POINTS, seed: int = SAMPLE_SEED) -> list[int]:
    """All indices when `count` fits under `cap`; else `cap` of them, chosen at random
    with a fixed seed and kept in their original order (the same picture each time)."""
    if count <= cap:
        return list(range(count))
    return sorted(random.Random(seed).sample(range(count), cap))


def marker_radius(drawn: int) -> float:
    """Smaller markers when many are drawn, so the groups stay legible."""
    if drawn <= 300:
        return 5.0
    if drawn <= 1500:
        return 3.5
    return 2.5


def _marker(shape: str, x: float, y: float, r: float) -> str:
    """One marker centred at (x, y): an SVG element without styling attributes."""
    if shape == "circle":
        return f'<circle cx="{x}" cy="{y}" r="{r}"'
    if shape == "square":
        s = round(r * 0.9, 2)
        return f'<rect x="{round(x - s, 1)}" y="{round(y - s, 1)}" width="{2 * s}" height="{2 * s}"'
    if shape in ("triangle", "triangle-down"):
        d = 1 if shape == "triangle" else -1
        top, base = round(y - d * r * 1.15, 1), round(y + d * r * 0.85, 1)
        left, right = round(x - r * 1.1, 1), round(x + r * 1.1, 1)
        return f'<polygon points="{x},{top} {right},{base} {left},{base}"'
    if shape == "diamond":
        k = round(r * 1.25, 2)
        return (
            f'<polygon points="{x},{round(y - k, 1)} {round(x + k, 1)},{y} '
            f'{x},{round(y + k, 1)} {round(x - k, 1)},{y}"'
        )
    # A cross (plus sign) as one polygon, arms a third of its width.
    a, b = round(r * 1.2, 2), round(r * 0.4, 2)
    pts = [(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a), (-b, b)]
    pts += [(-a, b), (-a, -b), (-b, -b)]
    return (
        '<polygon points="' + " ".join(f"{round(x + u, 1)},{round(y + v, 1)}" for u, v in pts) + '"'
    )


def _count(n: int) -> str:
    """A count in the reader's language (1,234 or 1.234)."""
    return number_format(n, force_grouping=True)


def style_of(group: int) -> tuple[str, str]:
    """(colour, shape) of a group's markers (group 0 is "A")."""
    return PALETTE[group % len(PALETTE)], SHAPES[group % len(SHAPES)]


def position_words(fx: float, fy: float) -> str:
    """Where a point sits, from its place within the drawing (0..1 across, 0..1 down)."""
    col = 0 if fx < 1 / 3 else 2 if fx > 2 / 3 else 1
    row = 0 if fy < 1 / 3 else 2 if fy > 2 / 3 else 1
    words = (
        (_("top left"), _("top centre"), _("top right")),
        (_("centre left"), _("centre"), _("centre right")),
        (_("bottom left"), _("bottom centre"), _("bottom right")),
    )
    return words[row][col]


@dataclass(frozen=True)
class GroupMark:
    group: int
    label: str
    size_text: str
    x: float
    y: float
    where: str


def _centroids(
    points: Sequence[MapPoint], groups: Iterable[MapGroup], frame: Frame
) -> list[GroupMark]:
    sums: dict[int, list[float]] = {}
    for point in points:
        if point.group is not None:
            acc = sums.setdefault(point.group, [0.0, 0.0, 0.0])
            acc[0] += point.x
            acc[1] += point.y
            acc[2] += 1
    marks = []
    for group in groups:
        total = sums.get(group.group)
        if total is None:
            continue
        x, y = frame.place(total[0] / total[2], total[1] / total[2])
        where = position_words(x / frame.width, y / frame.height)
        marks.append(GroupMark(group.group, group.label, group.size_text, x, y, where))
    return marks


def label_y(centre_y: float) -> float:
    return round(max(LABEL_TOP, centre_y - LABEL_LIFT), 1)


def _participant_number(point: MapPoint) -> int | None:
    """Staff points may carry the participant's number; public ones never do."""
    number = getattr(point, "participant", None)
    return number if isinstance(number, int) else None


def _points_markup(
    points: Sequence[MapPoint],
    chosen: Sequence[int],
    frame: Frame,
    shape: str,
    radius: float,
    public: bool,
) -> str:
    tag = {"circle": "circle", "square": "rect"}.get(shape, "polygon")
    out = []
    for index in chosen:
        point = points[index]
        x, y = frame.place(point.x, point.y)
        number = None if public else _participant_number(point)
        if number is None:
            out.append(_marker(shape, x, y, radius) + "/>")
        else:
            label = escape(_("Participant %(number)s") % {"number": number})
            out.append(f"{_marker(shape, x, y, radius)}><title>{label}</title></{tag}>")
    return "".join(out)


def _layers(
    points: Sequence[MapPoint],
    chosen: Sequence[int],
    groups: Sequence[MapGroup],
    frame: Frame,
    public: bool,
) -> str:
    """The unclustered rings first (underneath), then one `<g>` per group."""
    radius = marker_radius(len(chosen))
    out = []
    rest = [i for i in chosen if points[i].group is None]
    if rest:
        out.append(
            f'<g class="rt-om-unclustered" fill="none" stroke="{UNCLUSTERED}" stroke-width="1">'
            + _points_markup(points, rest, frame, "circle", round(radius * 0.8, 2), public)
            + "</g>"
        )
    for group in groups:
        colour, shape = style_of(group.group)
        mine = [i for i in chosen if points[i].group == group.group]
        out.append(
            f'<g class="rt-om-group rt-om-g{group.group}" fill="{colour}" stroke="{OUTLINE}" '
            'stroke-width="0.75">'
            + _points_markup(points, mine, frame, shape, radius, public)
            + "</g>"
        )
    return "".join(out)


def _describe(total: int, drawn: int, marks: Sequence[GroupMark]) -> str:
    text = ngettext(
        "%(count)s participant, each a marker; people who vote alike sit close together.",
        "%(count)s participants, each a marker; people who vote alike sit close together.",
        total,
    ) % {"count": _count(total)}
    if marks:
        listed = "; ".join(
            _("group %(label)s: %(size)s, %(where)s")
            % {"label": m.label, "size": m.size_text, "where": m.where}
            for m in marks
        )
        text += " " + _("Opinion groups (%(listed)s).") % {"listed": listed}
    else:
        text += " " + _("No opinion groups yet.")
    if drawn < total:
        text += " " + _("%(drawn)s of them are drawn, chosen at random.") % {"drawn": _count(drawn)}
    return text


def _legend(marks: Sequence[GroupMark], unclustered: bool) -> SafeString:
    """Which colour and shape is which group, with a small copy of the marker."""
    items = []
    for mark in marks:
        colour, shape = style_of(mark.group)
        swatch = format_html(
            '<svg class="rt-om-swatch" viewBox="0 0 16 16" width="16" height="16" '
            'aria-hidden="true" focusable="false"><g fill="{}" stroke="{}" stroke-width="0.75">'
            "{}/></g></svg>",
            colour,
            OUTLINE,
            mark_safe(_marker(shape, 8.0, 8.0, 5.0)),  # noqa: S308 - numbers only
        )
        items.append(
            format_html("<li>{} {}</li>", swatch, _("Group %(label)s") % {"label": mark.label})
        )
    if unclustered:
        swatch = format_html(
            '<svg class="rt-om-swatch" viewBox="0 0 16 16" width="16" height="16" '
            'aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="4" fill="none" '
            'stroke="{}" stroke-width="1"/></svg>',
            UNCLUSTERED,
        )
        items.append(format_html("<li>{} {}</li>", swatch, _("Not in a group yet (too few votes)")))
    if not items:
        return mark_safe("")
    return format_html(
        '<ul class="rt-om-legend">{}</ul>',
        mark_safe("".join(str(i) for i in items)),  # noqa: S308
    )


def _table(marks: Sequence[GroupMark]) -> SafeString:
    """The map in words: each group, its size and where it sits."""
    if not marks:
        return mark_safe("")
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
        ((m.label, m.size_text, m.where) for m in marks),
    )
    return format_html(
        '<details class="rt-om-table"><summary>{}</summary><div class="table-wrap">'
        "<table><caption>{}</caption><thead><tr>"
        '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        "</tr></thead><tbody>{}</tbody></table></div></details>",
        _("The map as a table"),
        _("Opinion groups on the map"),
        _("Group"),
        _("Participants"),
        _("Where it sits on the map"),
        rows,
    )


def render_map(
    opinion_map: OpinionMapLike, *, public: bool, dom_id: str = "rt-opinion-map"
) -> SafeString:
    """The map as a `<figure>`: the SVG, its legend, a note when sampled, and the
    table alternative. `dom_id` prefixes the ids the SVG's accessible name points
    at, should a page ever show two maps."""
    points = list(opinion_map.points)
    groups = list(opinion_map.groups)
    frame = frame_for([p.x for p in points], [p.y for p in points])
    chosen = sample_indices(len(points))
    marks = _centroids(points, groups, frame)
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="rt-om-label" text-anchor="middle" '
        'dominant-baseline="central" font-size="22" font-weight="700" fill="#1a1a1a" '
        'stroke="#ffffff" stroke-width="4" paint-order="stroke">{}</text>',
        ((m.x, label_y(m.y), m.label) for m in marks),
    )
    svg = format_html(
        '<svg class="rt-om-svg" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{i}-title {i}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{i}-title">{title}</title><desc id="{i}-desc">{desc}</desc>'
        '<rect x="0.5" y="0.5" width="{w1}" height="{h1}" fill="#ffffff" stroke="#d0d7de"/>'
        "{layers}{labels}</svg>",
        w=frame.width,
        h=frame.height,
        w1=round(frame.width - 1, 1),
        h1=round(frame.height - 1, 1),
        i=dom_id,
        title=_("Opinion map"),
        desc=_describe(len(points), len(chosen), marks),
        # Built from rounded numbers, fixed colours and escaped text only.
        layers=mark_safe(_layers(points, chosen, groups, frame, public)),  # noqa: S308
        labels=labels,
    )
    note = mark_safe("")
    if len(chosen) < len(points):
        note = format_html(
            '<p class="rt-om-note muted">{}</p>',
            _(
                "To keep the page light, %(drawn)s of the %(total)s participants are drawn, "
                "chosen at random; the group letters and sizes count everyone."
            )
            % {"drawn": _count(len(chosen)), "total": _count(len(points))},
        )
    unclustered = any(p.group is None for p in points)
    return format_html(
        '<figure class="rt-om">{}{}{}{}</figure>',
        svg,
        _legend(marks, unclustered),
        note,
        _table(marks),
    )
