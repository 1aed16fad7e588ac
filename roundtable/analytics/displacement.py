"""Did the response work? Pre/post counts in the response area and around it.

Pure Python and SciPy, no Django. The caller hands over counts of incidents
before and after the response in up to four areas:

- **target** (R): the response area, where the team acted;
- **control** (C): a comparison area like the target, untouched by the response;
- **buffer** (D): the area around the target, where crime could move to
  (displacement) or fall too (diffusion of benefits);
- **buffer_control** (E): a comparison area for the buffer (used by the WDD only).

Every figure here is a *change*: after minus before, so a **negative number
means fewer incidents**. (The POP Center guide writes the gross and net effect
the other way round, before minus after; we keep one direction everywhere.)

Figures and their published sources
-----------------------------------
gross_effect  = Ra − Rb, and gross_percent = 100 (Ra − Rb) / Rb.
net_effect    = Ra − Rb · Ca/Cb: the target's count after, minus what it would
                have been had it followed the comparison area's trend. Negative
                = fewer incidents than expected. It is the response-area term of
                Guerette's Total Net Effect with the sign turned round (Guerette,
                *Analyzing Crime Displacement and Diffusion*, POP Center Tool
                Guide 10, 2009, Appendix B: TNE = [Rb(Ca/Cb) − Ra] + [Db(Ca/Cb) − Da]).
wdq           = (Da/Ca − Db/Cb) / (Ra/Ca − Rb/Cb), the weighted displacement
                quotient of Bowers & Johnson (2003), "Measuring the geographical
                displacement and diffusion of benefit effects of crime prevention
                activity", J. Quantitative Criminology 19(3):275–301, as given in
                Guerette (2009) Appendix B. The denominator is the *success
                measure*; the quotient is only read when it is negative (the
                target improved relative to the comparison area), as Bowers &
                Johnson insist. Readings follow Guerette (2009) Appendix C, see
                `WDQ_READINGS`.
wdd           = [(Ra − Rb) − (Ca − Cb)] + [(Da − Db) − (Ea − Eb)], the weighted
                displacement difference of Wheeler & Ratcliffe (2018), "A simple
                weighted displacement difference test to evaluate place based
                crime interventions", Crime Science 7:11. Its variance under the
                Poisson assumption is the sum of all eight counts; wdd_se is its
                square root, wdd_z = wdd / wdd_se and wdd_p the two-sided normal
                p-value. Published example (pinned in the tests): target
                207→110, control 308→318, buffer 178→157, buffer control
                150→140 give −118, SE √1568, z −2.98.
e_test_p      = the two-sided Poisson E-test of Krishnamoorthy & Thomson (2004),
                `scipy.stats.poisson_means_test(Ra, 1, Rb, 1)`: is the target's
                rate after different from before, over periods of equal length?
sqrt_z        = 2(√Ra − √Rb), Wheeler's quick Poisson z (andrewpwheeler.com,
                2018-04-29, "Testing changes in short run crime patterns"). He
                reads it against a *historical average*; when the before count is
                itself a single period, its spread is about √2 larger, so read it
                against ±2.8 rather than ±2, or prefer the E-test.

Anything that cannot be computed (a missing area, a zero where a division
needs a count) is None, with a `Note` saying why; never inf, nan or a crash.
Ratios are worked out in exact fractions so that "no change" is exactly zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from scipy import stats


@dataclass(frozen=True)
class Counts:
    before: int
    after: int

    def __post_init__(self) -> None:
        if self.before < 0 or self.after < 0:
            raise ValueError("counts cannot be negative")

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Note:
    """Why a figure is missing. `code` is stable; the web app translates by it."""

    code: str
    figure: str
    text: str


@dataclass(frozen=True)
class Figures:
    gross_effect: float | None
    gross_percent: float | None
    net_effect: float | None
    wdq: float | None
    wdq_reading: str | None
    wdd: float | None
    wdd_se: float | None
    wdd_z: float | None
    wdd_p: float | None
    e_test_p: float | None
    sqrt_z: float | None
    notes: list[Note] = field(default_factory=list)
    # Whether the WDD includes the buffer's term: then it measures the change
    # in and around the response area together, not in the response area alone.
    wdd_with_buffer: bool = False


# Stable codes for the WDQ, read as Guerette (2009) Appendix C reads it, and
# only when the success measure is negative (the target did better than its
# comparison area). Order: first matching band wins.
WDQ_READINGS: dict[str, str] = {
    "diffusion_exceeds_effect": "WDQ > 1: the buffer improved even more than the target did.",
    "diffusion": "0 < WDQ ≤ 1: the buffer improved too (diffusion of benefits).",
    "no_change_nearby": "WDQ = 0: the buffer changed no more than its comparison area.",
    "displacement": "−1 ≤ WDQ < 0: some crime moved to the buffer, "
    "but less than the target gained.",
    "displacement_exceeds_effect": "WDQ < −1: more crime moved to the buffer "
    "than the target gained.",
}

# Every note the module can give, by code: (figure, plain English).
NOTE_TEXTS: dict[str, tuple[str, str]] = {
    "zero_target_before": (
        "gross_percent",
        "The response area had no incidents before, so a percentage change cannot be computed.",
    ),
    "no_control": (
        "net_effect",
        "No comparison area was given, so the change cannot be set against a trend.",
    ),
    "zero_control_before": (
        "net_effect",
        "The comparison area had no incidents before, so its trend cannot be computed.",
    ),
    "wdq_no_control": (
        "wdq",
        "The displacement quotient needs a comparison area.",
    ),
    "wdq_no_buffer": (
        "wdq",
        "No buffer area was given, so displacement cannot be measured.",
    ),
    "wdq_zero_control": (
        "wdq",
        "The comparison area had no incidents before or after, "
        "so the displacement quotient cannot be computed.",
    ),
    "wdq_no_success": (
        "wdq",
        "The response area did not improve relative to the comparison area, "
        "so the displacement quotient has no meaning.",
    ),
    "wdd_no_control": (
        "wdd",
        "The weighted displacement difference needs a comparison area.",
    ),
    "wdd_buffer_left_out": (
        "wdd",
        "A buffer area was given without its own comparison area; "
        "the weighted displacement difference leaves the buffer out.",
    ),
    "wdd_buffer_control_unused": (
        "wdd",
        "A comparison area for the buffer was given without a buffer; it was not used.",
    ),
    "wdd_all_zero": (
        "wdd_z",
        "Every area had no incidents, so there is no variation to test.",
    ),
    "no_target_counts": (
        "e_test_p",
        "The response area had no incidents before or after, so there is nothing to test.",
    ),
}


def note(code: str) -> Note:
    figure, text = NOTE_TEXTS[code]
    return Note(code=code, figure=figure, text=text)


def gross(target: Counts) -> tuple[float, float | None]:
    """(Ra − Rb, that change as a percentage of Rb or None when Rb = 0)."""
    percent = None if target.before == 0 else 100.0 * target.change / target.before
    return float(target.change), percent


def net_effect(target: Counts, control: Counts) -> float | None:
    """Ra − Rb·Ca/Cb (Guerette 2009, TNE response term, sign turned); None when Cb = 0."""
    if control.before == 0:
        return None
    expected = Fraction(target.before * control.after, control.before)
    return float(target.after - expected)


def wdq_parts(target: Counts, control: Counts, buffer: Counts) -> tuple[Fraction, Fraction]:
    """(buffer displacement measure, success measure): Da/Ca − Db/Cb and Ra/Ca − Rb/Cb.

    Both need Ca > 0 and Cb > 0; the caller checks.
    """
    success = Fraction(target.after, control.after) - Fraction(target.before, control.before)
    moved = Fraction(buffer.after, control.after) - Fraction(buffer.before, control.before)
    return moved, success


def wdq_reading(quotient: Fraction) -> str:
    """The stable reading code of a WDQ whose success measure is negative."""
    if quotient > 1:
        return "diffusion_exceeds_effect"
    if quotient > 0:
        return "diffusion"
    if quotient == 0:
        return "no_change_nearby"
    if quotient >= -1:
        return "displacement"
    return "displacement_exceeds_effect"


@dataclass(frozen=True)
class Wdd:
    estimate: float
    se: float
    z: float | None
    p: float | None


def wdd(
    target: Counts,
    control: Counts,
    buffer: Counts | None = None,
    buffer_control: Counts | None = None,
) -> Wdd:
    """Wheeler & Ratcliffe (2018): local difference-in-differences plus the
    buffer's, with the Poisson variance (sum of the counts). The buffer term
    is included only when both buffer and buffer_control are given."""
    areas = [target, control]
    estimate = target.change - control.change
    if buffer is not None and buffer_control is not None:
        areas += [buffer, buffer_control]
        estimate += buffer.change - buffer_control.change
    variance = sum(a.before + a.after for a in areas)
    se = math.sqrt(variance)
    if variance == 0:
        return Wdd(estimate=float(estimate), se=0.0, z=None, p=None)
    z = estimate / se
    return Wdd(estimate=float(estimate), se=se, z=z, p=float(2 * stats.norm.sf(abs(z))))


def e_test(target: Counts) -> float | None:
    """Two-sided E-test p-value for after vs before over equal periods; None if both are 0.

    scipy's argument order (k1, n1, k2, n2) = (after, 1, before, 1); the test is
    symmetric, ptools' e_test(6, 2) = 0.1748748 is reproduced either way round.
    """
    if target.before == 0 and target.after == 0:
        return None
    result = stats.poisson_means_test(target.after, 1, target.before, 1)
    return float(result.pvalue)


def sqrt_z(target: Counts) -> float:
    """2(√after − √before), Wheeler's quick Poisson z."""
    return 2.0 * (math.sqrt(target.after) - math.sqrt(target.before))


def assess(
    *,
    target: Counts,
    control: Counts | None = None,
    buffer: Counts | None = None,
    buffer_control: Counts | None = None,
) -> Figures:
    """Every figure the counts allow, with a Note for each one they do not."""
    notes: list[Note] = []
    gross_effect, gross_percent = gross(target)
    if gross_percent is None:
        notes.append(note("zero_target_before"))

    net: float | None = None
    if control is None:
        notes.append(note("no_control"))
    else:
        net = net_effect(target, control)
        if net is None:
            notes.append(note("zero_control_before"))

    quotient: float | None = None
    reading: str | None = None
    if control is None:
        notes.append(note("wdq_no_control"))
    elif buffer is None:
        notes.append(note("wdq_no_buffer"))
    elif control.before == 0 or control.after == 0:
        notes.append(note("wdq_zero_control"))
    else:
        moved, success = wdq_parts(target, control, buffer)
        if success >= 0:
            notes.append(note("wdq_no_success"))
        else:
            exact = moved / success
            quotient, reading = float(exact), wdq_reading(exact)

    difference: Wdd | None = None
    if control is None:
        notes.append(note("wdd_no_control"))
    else:
        if buffer is not None and buffer_control is None:
            notes.append(note("wdd_buffer_left_out"))
        if buffer is None and buffer_control is not None:
            notes.append(note("wdd_buffer_control_unused"))
        difference = wdd(target, control, buffer, buffer_control)
        if difference.z is None:
            notes.append(note("wdd_all_zero"))

    e_test_p = e_test(target)
    if e_test_p is None:
        notes.append(note("no_target_counts"))

    return Figures(
        gross_effect=gross_effect,
        gross_percent=gross_percent,
        net_effect=net,
        wdq=quotient,
        wdq_reading=reading,
        wdd=None if difference is None else difference.estimate,
        wdd_se=None if difference is None else difference.se,
        wdd_z=None if difference is None else difference.z,
        wdd_p=None if difference is None else difference.p,
        e_test_p=e_test_p,
        sqrt_z=sqrt_z(target),
        notes=notes,
        wdd_with_buffer=difference is not None
        and buffer is not None
        and buffer_control is not None,
    )


JSON_KEYS = (
    "gross_effect",
    "net_effect",
    "wdq",
    "wdd",
    "wdd_se",
    "wdd_z",
    "e_test_p",
    "sqrt_z",
)


def as_json(figures: Figures) -> dict[str, object]:
    """The figures `roundtable assess --json` prints: JSON_KEYS plus `notes`
    (their plain-English texts), None where a figure cannot be computed."""
    result: dict[str, object] = {key: getattr(figures, key) for key in JSON_KEYS}
    result["notes"] = [n.text for n in figures.notes]
    return result
