"""Outreach suggestions: the biggest participation gaps as sentences.

From the tables of `selectors_representation`: a group that answered at under
GAP of its table's overall rate gets a sentence naming it and the ratio in
words ("Hispanic or Latino residents aged 18 to 34 in Austin are a third as
likely to have answered as residents of Austin overall"); a group with fewer
than the minimum count of respondents gets one that says so without the
count. Groups under MIN_POPULATION_SHARE of their table's population, and
groups of which fewer than the minimum count would be expected, get none. At
most MAX_SUGGESTIONS, most missing answers (expected − received) first.

Groups are named by a noun (race or ethnicity, else gender, else
"residents") and qualifiers for the other characteristics, each a whole
translatable phrase, so a translator can reorder them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from roundtable.surveys.models import Characteristic

if TYPE_CHECKING:
    from roundtable.surveys.selectors_representation import GroupRow, Table

MAX_SUGGESTIONS = 8
MIN_POPULATION_SHARE = 0.02  # groups smaller than this share of their table get no suggestion
GAP = 0.8  # a group answering at under 80 % of its table's rate is a gap worth a suggestion
Key = tuple[str, ...]


def suggestions(tables: Sequence[Table]) -> list[str]:
    """The sentences for the biggest gaps, most missing answers first."""
    found: list[tuple[float, str]] = []
    for table in tables:
        area = table.area.name if table.area is not None else None
        for group in table.groups:
            sentence = suggestion(table, group, area)
            if sentence:
                found.append((group.expected - (group.respondents or 0), sentence))
    found.sort(key=lambda item: -item[0])
    return [sentence for _missing, sentence in found[:MAX_SUGGESTIONS]]


def suggestion(table: Table, group: GroupRow, area: str | None) -> str:
    """A sentence about a group that answered much less than its table, or ""."""
    if group.population_share < MIN_POPULATION_SHARE:
        return ""
    if group.expected < settings.ROUNDTABLE_SURVEY_MIN_COUNT:
        return ""
    who = group_phrase(table.characteristics, group.key, group.label)
    if group.respondents is None:
        values = {
            "minimum": settings.ROUNDTABLE_SURVEY_MIN_COUNT,
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
    if group.relative is None or group.relative >= GAP:
        return ""
    ratio = ratio_words(group.relative)
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
    "hispanic": _lazy("Hispanic or Latino residents"),
    "black": _lazy("Black or African American residents"),
    "white": _lazy("White residents"),
    "asian": _lazy("Asian residents"),
    "other": _lazy("residents of another race or of several races"),
}
GENDER_NOUNS = {
    "woman": _lazy("women"),
    "man": _lazy("men"),
    "nonbinary": _lazy("non-binary residents"),
    "self_described": _lazy("residents who describe their gender another way"),
}
QUALIFIERS: dict[str, dict[str, Promise]] = {
    Characteristic.AGE_BAND: {
        "18_34": _lazy("aged 18 to 34"),
        "35_49": _lazy("aged 35 to 49"),
        "50_64": _lazy("aged 50 to 64"),
        "65_plus": _lazy("aged 65 or older"),
    },
    Characteristic.GENDER: {
        "woman": _lazy("who are women"),
        "man": _lazy("who are men"),
        "nonbinary": _lazy("who are non-binary"),
        "self_described": _lazy("who describe their gender another way"),
    },
    Characteristic.INCOME_BAND: {
        "lt_25k": _lazy("with a household income under $25,000"),
        "25_50k": _lazy("with a household income of $25,000 to $49,999"),
        "50_75k": _lazy("with a household income of $50,000 to $74,999"),
        "75_100k": _lazy("with a household income of $75,000 to $99,999"),
        "100_150k": _lazy("with a household income of $100,000 to $149,999"),
        "gt_150k": _lazy("with a household income of $150,000 or more"),
    },
    Characteristic.TENURE: {
        "own": _lazy("who own their home"),
        "rent": _lazy("who rent their home"),
        "other": _lazy("with another housing arrangement"),
    },
}
RATIOS = (
    (1 / 2, 0.05, _lazy("half")),
    (1 / 3, 0.04, _lazy("a third")),
    (1 / 4, 0.03, _lazy("a quarter")),
)


def group_phrase(characteristics: Sequence[str], key: Key, label: str) -> str:
    """ "Hispanic or Latino residents aged 18 to 34", "residents who rent their home" …"""
    values = dict(zip(characteristics, key, strict=True))
    if Characteristic.AREA in values:
        return _("residents of %(area)s") % {"area": label}
    fallback = _("residents in the group %(group)s") % {"group": label}
    noun: Promise | None = _lazy("residents")
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
