"""Showing a measure's figures: in its unit, in the reader's number format."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from roundtable.measures.charts import sparkline_chart
from roundtable.measures.models import Polarity, Unit
from roundtable.measures.periods import period_label
from roundtable.measures.selectors import MeasureSeries
from roundtable.surveys.charts import ScoreChart

register = template.Library()

DECIMALS = {Unit.COUNT: 0, Unit.SCORE: 0, Unit.PERCENT: 1}


@register.filter
def figure(value: object, unit: str) -> str:
    """12, 93.5 %, 3.4 … ("—" for no figure)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    decimals = DECIMALS.get(Unit(unit) if unit in Unit.values else Unit.OTHER, 2)
    rounded = round(value, decimals)
    if unit not in DECIMALS:
        # Up to two decimals, as many as the figure needs (3.4, not 3.40).
        decimals = next(d for d in (0, 1, 2) if round(value, d) == rounded)
    text = number_format(rounded, decimal_pos=decimals, use_l10n=True)
    if unit == Unit.PERCENT:
        return _("%(number)s %%") % {"number": text}
    return text


@register.filter
def period(start: object, frequency: str) -> str:
    """The period in words: October 2026, Q4 2026, 2026."""
    if not isinstance(start, dt.date):
        return ""
    return period_label(start, frequency)


@register.filter
def direction(polarity: str) -> str:
    """A short word for which way is better."""
    if polarity == Polarity.HIGHER_IS_BETTER:
        return _("higher is better")
    if polarity == Polarity.LOWER_IS_BETTER:
        return _("lower is better")
    return _("context, no direction")


@register.simple_tag
def change(latest: object, earlier: object) -> str:
    """The difference between two points' values, signed ("" when either is missing)."""
    a = getattr(latest, "value", None)
    b = getattr(earlier, "value", None)
    if a is None or b is None:
        return ""
    difference = a - b
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    return sign + number_format(abs(round(difference, 1)), decimal_pos=None, use_l10n=True)


@register.filter
def sparkline(series: MeasureSeries) -> ScoreChart | None:
    """The series' line alone, for a small trend beside its figures."""
    return sparkline_chart(series)
