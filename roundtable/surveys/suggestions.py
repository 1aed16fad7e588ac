"""Outreach suggestions: the biggest participation gaps as sentences.

From the tables of `selectors_representation`, the groups that answered at
most GAP of their table's overall rate, named in a sentence with the ratio in
words ("Hispanic or Latino residents aged 18 to 34 in South District are a
third as likely to have answered as residents of South District overall"). A
group with fewer than the minimum count of respondents gets a sentence that
says so without the count, when even that many would be a gap (at least
(minimum − 1) ÷ GAP expected). The figures are the tables' as shown (rounded
counts, rates from them), so a sentence tells no more than its table; a group
withheld to protect a smaller one has no figure and gets no sentence (saying
how far it falls short would give its count back). Left out: groups under
MIN_POPULATION_SHARE of their table's population, groups of which fewer than
the minimum count would be expected, and pairs whose population is estimated
(as if the two
characteristics were independent: age and tenure are not, and a guessed
population makes a gap out of nothing).

Which gaps, in which order: outreach happens somewhere, so the groups of an
area (single characteristics and pairs, against the area's own rate) come
before jurisdiction-wide ones, each by missing answers (expected at the
table's rate − received). A group is not listed beside another that says the
same thing:

- a more specific group that accounts for MOST of a broader group's missing
  answers replaces it ("young Hispanic residents in South District" for
  "young residents in South District"); a jurisdiction-wide group is left out
  when listed groups of the areas (at most one per area, since they may
  overlap) account for MOST of its missing answers;
- a more specific group of the same area that answered at about the broader
  group's rate (SAME or more of it) and accounts for less than MOST of its
  missing answers is only a part of the broader gap, and is left out.

At most MAX_SUGGESTIONS.

Groups are named by a noun (race or ethnicity, else gender, else
"residents") and qualifiers for the other characteristics, each a whole
translatable phrase, so a translator can reorder them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.surveys.disclosure import FEW
from roundtable.surveys.disclosure import minimum as disclosure_minimum
from roundtable.surveys.models import Characteristic

if TYPE_CHECKING:
    from roundtable.surveys.selectors_representation import GroupRow, Table

MAX_SUGGESTIONS = 8
MIN_POPULATION_SHARE = 0.02  # groups smaller than this share of their table get no suggestion
GAP = 0.6  # a group answering at most 60 % of its table's rate is a gap worth a suggestion
MOST = 2 / 3  # a group with this share of another's missing answers explains that one's gap
SAME = 0.8  # a subgroup answering at 80 % or more of its group's rate adds nothing to it
Key = tuple[str, ...]
AREA = "area"


@dataclass(frozen=True)
class Gap:
    """A group that answered too little, where it sits among the others and its sentence."""

    constraints: frozenset[tuple[str, str]]  # (characteristic, category); the area as ("area", id)
    local: bool  # compared with its own area's rate (not the whole jurisdiction's)
    missing: float  # answers expected at the table's rate − received (at most min − 1, if hidden)
    relative: float  # rate ÷ the table's (an upper bound when the count is hidden)
    sentence: str

    @property
    def area(self) -> str | None:
        return next((value for name, value in self.constraints if name == AREA), None)

    def within(self, other: Gap) -> bool:
        """A strict part of `other`: every condition of `other` and more."""
        return self.constraints > other.constraints


def suggestions(tables: Sequence[Table]) -> list[str]:
    """The sentences for the biggest gaps, local ones first, most missing answers first."""
    gaps = [gap for table in tables for group in table.groups if (gap := _gap(table, group))]
    gaps.sort(key=lambda g: (not g.local, -g.missing))
    chosen: list[Gap] = []
    for gap in gaps:
        if _said(gap, chosen):
            continue
        kept = [other for other in chosen if not _replaces(gap, other)]
        if len(kept) < MAX_SUGGESTIONS:
            chosen = [*kept, gap]
    chosen.sort(key=lambda g: (not g.local, -g.missing))
    return [gap.sentence for gap in chosen]


def _part_of(specific: Gap, broad: Gap) -> bool:
    """`specific` answered at about `broad`'s rate and is a small part of its gap: `broad` says it.

    Only within one area, where both relative rates are against the same overall rate."""
    return (
        specific.local
        and broad.local
        and specific.within(broad)
        and specific.relative >= SAME * broad.relative
        and specific.missing < MOST * broad.missing
    )


def _explained(broad: Gap, listed: Sequence[Gap]) -> bool:
    """Most of `broad`'s missing answers are those of more specific listed groups (the largest
    per area: groups of one area may overlap, those of different areas do not)."""
    largest: dict[str | None, float] = {}
    for gap in listed:
        if gap.within(broad):
            largest[gap.area] = max(largest.get(gap.area, 0.0), gap.missing)
    return bool(largest) and sum(largest.values()) >= MOST * broad.missing


def _said(gap: Gap, chosen: Sequence[Gap]) -> bool:
    return _explained(gap, chosen) or any(_part_of(gap, other) for other in chosen)


def _replaces(gap: Gap, other: Gap) -> bool:
    """Whether listing `gap` makes the listed `other` redundant."""
    return _part_of(other, gap) or (other.local == gap.local and _explained(other, [gap]))


def _gap(table: Table, group: GroupRow) -> Gap | None:
    """The group as a gap worth a sentence, or None."""
    if table.estimated or group.population_share < MIN_POPULATION_SHARE:
        return None
    minimum = disclosure_minimum()
    if group.expected < minimum:
        return None
    if group.respondents is None and group.hidden != FEW:
        return None  # withheld: nothing may be said of it
    if group.respondents is None:
        # At most minimum − 1 answered: a gap only if even that many would be one.
        received, relative = float(minimum - 1), (minimum - 1) / group.expected
    elif group.relative is None:
        return None
    else:
        received, relative = float(group.respondents), group.relative
    if relative > GAP:
        return None
    area = table.area.name if table.area is not None else None
    constraints = set(zip(table.characteristics, group.key, strict=True))
    if table.area is not None:
        constraints.add((AREA, str(table.area.pk)))
    return Gap(
        constraints=frozenset(constraints),
        local=table.area is not None,
        missing=group.expected - received,
        relative=relative,
        sentence=suggestion(table, group, area),
    )


def suggestion(table: Table, group: GroupRow, area: str | None) -> str:
    """The sentence about a group that answered much less than its table."""
    who = group_phrase(table.characteristics, group.key, group.label)
    if group.respondents is None:
        values = {
            "minimum": disclosure_minimum(),
            "group": who,
            "expected": round(group.expected),
            "area": area or "",
        }
        if area:
            return capitalised(
                _(
                    "Fewer than %(minimum)s %(group)s in %(area)s have answered, where about "
                    "%(expected)s would have at the rate of residents of %(area)s overall."
                )
                % values
            )
        return capitalised(
            _(
                "Fewer than %(minimum)s %(group)s have answered, where about %(expected)s would "
                "have at the rate of residents overall."
            )
            % values
        )
    ratio = ratio_words(group.relative or 0.0)
    if area:
        text = _(
            "%(group)s in %(area)s are %(ratio)s as likely to have answered as residents "
            "of %(area)s overall."
        ) % {"group": who, "area": area, "ratio": ratio}
    else:
        text = _("%(group)s are %(ratio)s as likely to have answered as residents overall.") % {
            "group": who,
            "ratio": ratio,
        }
    return capitalised(text)


RACE_NOUNS = {
    "hispanic": gettext_lazy("Hispanic or Latino residents"),
    "black": gettext_lazy("Black or African American residents"),
    "white": gettext_lazy("White residents"),
    "asian": gettext_lazy("Asian residents"),
    "other": gettext_lazy("residents of another race or of several races"),
}
GENDER_NOUNS = {
    "woman": gettext_lazy("women"),
    "man": gettext_lazy("men"),
    "nonbinary": gettext_lazy("non-binary residents"),
    "self_described": gettext_lazy("residents who describe their gender another way"),
}
QUALIFIERS: dict[str, dict[str, Promise]] = {
    Characteristic.AGE_BAND: {
        "18_34": gettext_lazy("aged 18 to 34"),
        "35_49": gettext_lazy("aged 35 to 49"),
        "50_64": gettext_lazy("aged 50 to 64"),
        "65_plus": gettext_lazy("aged 65 or older"),
    },
    Characteristic.GENDER: {
        "woman": gettext_lazy("who are women"),
        "man": gettext_lazy("who are men"),
        "nonbinary": gettext_lazy("who are non-binary"),
        "self_described": gettext_lazy("who describe their gender another way"),
    },
    Characteristic.INCOME_BAND: {
        "lt_25k": gettext_lazy("with a household income under $25,000"),
        "25_50k": gettext_lazy("with a household income of $25,000 to $49,999"),
        "50_75k": gettext_lazy("with a household income of $50,000 to $74,999"),
        "75_100k": gettext_lazy("with a household income of $75,000 to $99,999"),
        "100_150k": gettext_lazy("with a household income of $100,000 to $149,999"),
        "gt_150k": gettext_lazy("with a household income of $150,000 or more"),
    },
    Characteristic.TENURE: {
        "own": gettext_lazy("who own their home"),
        "rent": gettext_lazy("who rent their home"),
        "other": gettext_lazy("with another housing arrangement"),
    },
}
RATIOS = (
    (1 / 2, 0.05, gettext_lazy("half")),
    (1 / 3, 0.04, gettext_lazy("a third")),
    (1 / 4, 0.03, gettext_lazy("a quarter")),
)


def group_phrase(characteristics: Sequence[str], key: Key, label: str) -> str:
    """ "Hispanic or Latino residents aged 18 to 34", "residents who rent their home" …"""
    values = dict(zip(characteristics, key, strict=True))
    if Characteristic.AREA in values:
        return _("residents of %(area)s") % {"area": label}
    fallback = _("residents in the group %(group)s") % {"group": label}
    noun: Promise | None = gettext_lazy("residents")
    if Characteristic.RACE_ETHNICITY in values:
        noun = RACE_NOUNS.get(values.pop(Characteristic.RACE_ETHNICITY))
    elif Characteristic.GENDER in values:
        noun = GENDER_NOUNS.get(values.pop(Characteristic.GENDER))
    qualifiers = [QUALIFIERS.get(c, {}).get(v) for c, v in values.items()]
    if noun is None or any(q is None for q in qualifiers):
        return fallback
    return " ".join(str(part) for part in [noun, *qualifiers])


def ratio_words(relative: float) -> str:
    """ "half", "a third", "a quarter" when the ratio is near one of them, else "40%"."""
    for value, tolerance, words in RATIOS:
        if abs(relative - value) <= tolerance:
            return str(words)
    return _("%(percent)s%%") % {"percent": round(relative * 100)}


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
