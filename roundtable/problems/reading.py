"""An assessment's figures in plain words, able to say "it didn't work".

`analytics.displacement.assess` computes the figures; this module only words
them, in the active language. The verdict rests on the weighted displacement
difference's z when there is a comparison area (Wheeler & Ratcliffe 2018: a
|z| under 1.96 is no change we can tell from chance), otherwise on the
Poisson E-test of the response area's own counts (p under 0.05). Both tests
compare periods of equal length: when the before and after periods differ by
more than PERIOD_TOLERANCE there is no verdict. When the WDD includes the
buffer's term, the verdict speaks of the change in and around the response
area. Displacement or diffusion of benefits is read from the WDQ's reading
code. Notes from the analytics module are translated by their code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.analytics.displacement import Counts, Figures

Z_CRITICAL = 1.96  # two-sided, 5 %
P_CRITICAL = 0.05

FELL, ROSE, NO_CLEAR_CHANGE, CANNOT_TELL = "fell", "rose", "no_clear_change", "cannot_tell"
# Periods whose lengths differ by more than this share are flagged: the tests
# of change compare counts over periods of equal length.
PERIOD_TOLERANCE = 0.05

DISPLACEMENT: dict[str, Promise] = {
    "diffusion_exceeds_effect": gettext_lazy(
        "In the buffer area around it, crime fell even more than in the response area: "
        "the benefits spread (diffusion of benefits)."
    ),
    "diffusion": gettext_lazy(
        "Crime fell in the buffer area around it too: "
        "the benefits spread beyond the response area (diffusion of benefits)."
    ),
    "no_change_nearby": gettext_lazy(
        "Crime in the buffer area around it changed no more than in the comparison area: "
        "no sign that it moved there."
    ),
    "displacement": gettext_lazy(
        "Some crime seems to have moved to the buffer area around it (displacement), "
        "but less than the response area gained."
    ),
    "displacement_exceeds_effect": gettext_lazy(
        "More crime seems to have moved to the buffer area around it than the response area "
        "gained (displacement): overall, things got worse."
    ),
}

NOTES: dict[str, Promise] = {
    "zero_target_before": gettext_lazy(
        "The response area had no incidents before, so a percentage change cannot be computed."
    ),
    "no_control": gettext_lazy(
        "No comparison area was given, so the change cannot be set against a trend."
    ),
    "zero_control_before": gettext_lazy(
        "The comparison area had no incidents before, so its trend cannot be computed."
    ),
    "wdq_no_control": gettext_lazy("The displacement quotient needs a comparison area."),
    "wdq_no_buffer": gettext_lazy("No buffer area was given, so displacement cannot be measured."),
    "wdq_zero_control": gettext_lazy(
        "The comparison area had no incidents before or after, "
        "so the displacement quotient cannot be computed."
    ),
    "wdq_no_success": gettext_lazy(
        "The response area did not improve relative to the comparison area, "
        "so the displacement quotient has no meaning."
    ),
    "wdd_no_control": gettext_lazy("The weighted displacement difference needs a comparison area."),
    "wdd_buffer_left_out": gettext_lazy(
        "A buffer area was given without its own comparison area; "
        "the weighted displacement difference leaves the buffer out."
    ),
    "wdd_buffer_control_unused": gettext_lazy(
        "A comparison area for the buffer was given without a buffer; it was not used."
    ),
    "wdd_all_zero": gettext_lazy("Every area had no incidents, so there is no variation to test."),
    "no_target_counts": gettext_lazy(
        "The response area had no incidents before or after, so there is nothing to test."
    ),
}


@dataclass(frozen=True)
class Reading:
    verdict: str  # FELL, ROSE, NO_CLEAR_CHANGE or CANNOT_TELL
    headline: str
    change: str
    comparison: str = ""
    displacement: str = ""
    notes: list[str] = field(default_factory=list)


def _number(value: float, places: int = 0) -> str:
    return formats.number_format(round(value, places), decimal_pos=places, use_l10n=True)


def _verdict(figures: Figures) -> str:
    if figures.wdd_z is not None:
        if abs(figures.wdd_z) < Z_CRITICAL:
            return NO_CLEAR_CHANGE
        return FELL if figures.wdd_z < 0 else ROSE
    if figures.e_test_p is not None:
        if figures.e_test_p >= P_CRITICAL:
            return NO_CLEAR_CHANGE
        return FELL if (figures.gross_effect or 0) < 0 else ROSE
    return CANNOT_TELL


def _headline(verdict: str, against_comparison: bool, with_buffer: bool = False) -> str:
    if verdict == FELL:
        if against_comparison and with_buffer:
            return _(
                "It worked: crime fell in and around the response area by more than chance "
                "would explain, taking the comparison areas into account."
            )
        if against_comparison:
            return _(
                "It worked: crime fell in the response area by more than chance would explain, "
                "taking the comparison area into account."
            )
        return _(
            "Crime fell in the response area by more than chance would explain; "
            "with no comparison area, we cannot say how much of that the response did."
        )
    if verdict == ROSE:
        if against_comparison and with_buffer:
            return _(
                "It didn't work: crime went up in and around the response area, "
                "compared with the comparison areas."
            )
        if against_comparison:
            return _(
                "It didn't work: crime went up in the response area, "
                "compared with the comparison area."
            )
        return _("It didn't work: crime went up in the response area.")
    if verdict == NO_CLEAR_CHANGE:
        return _(
            "No change we can distinguish from chance: we cannot say that the response worked."
        )
    return _("These counts cannot tell whether anything changed.")


def _change(target: Counts, figures: Figures) -> str:
    counts = {"before": _number(target.before), "after": _number(target.after)}
    if figures.gross_percent is None or target.before == target.after:
        return _("In the response area, incidents went from %(before)s to %(after)s.") % counts
    words = {**counts, "percent": _number(abs(figures.gross_percent))}
    if target.after < target.before:
        return (
            _(
                "In the response area, incidents went from %(before)s to %(after)s "
                "(down %(percent)s%%)."
            )
            % words
        )
    return (
        _("In the response area, incidents went from %(before)s to %(after)s (up %(percent)s%%).")
        % words
    )


def _comparison(figures: Figures) -> str:
    net = figures.net_effect
    if net is None:
        return ""
    if round(net) == 0:
        return _("That is about what the comparison area's trend would predict.")
    if net < 0:
        return _(
            "That is about %(count)s fewer than expected had the area followed "
            "the comparison area's trend."
        ) % {"count": _number(-net)}
    return _(
        "That is about %(count)s more than expected had the area followed "
        "the comparison area's trend."
    ) % {"count": _number(net)}


def _period_note(before_days: int | None, after_days: int | None) -> str:
    if not before_days or not after_days:
        return ""
    if abs(before_days - after_days) <= PERIOD_TOLERANCE * max(before_days, after_days):
        return ""
    return _(
        "The before and after periods differ in length (%(before)s and %(after)s days), "
        "while the test of change assumes they are equal: read it with care."
    ) % {"before": before_days, "after": after_days}


def period_days(start: dt.date, end: dt.date) -> int:
    """Days in a period, both ends included."""
    return (end - start).days + 1


def reading(
    figures: Figures,
    *,
    target: Counts,
    before_days: int | None = None,
    after_days: int | None = None,
) -> Reading:
    """The figures in words, in the active language."""
    verdict = _verdict(figures)
    notes = [str(NOTES.get(n.code, n.text)) for n in figures.notes]
    period_note = _period_note(before_days, after_days)
    if period_note:
        notes.append(period_note)
    headline = _headline(
        verdict,
        against_comparison=figures.wdd_z is not None,
        with_buffer=figures.wdd_with_buffer,
    )
    if period_note and verdict != CANNOT_TELL:
        # The WDD and the E-test compare counts over periods of equal length:
        # over unequal ones they would call a change in length a change in
        # crime, so no verdict is given (the public page shows no notes).
        verdict = CANNOT_TELL
        headline = _(
            "The before and after periods differ in length, so these counts cannot tell "
            "whether the response worked."
        )
    displacement = DISPLACEMENT.get(figures.wdq_reading or "")
    return Reading(
        verdict=verdict,
        headline=headline,
        change=_change(target, figures),
        comparison=_comparison(figures),
        displacement=str(displacement) if displacement is not None else "",
        notes=notes,
    )
