"""Forms for the team's work: hypotheses, actions, goals, assessments, meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.engagement.models import EventFormat
from roundtable.incidents.labels import offence_filter_choices
from roundtable.problems.forms import DATE_WIDGET, TEXT, agency_users, team_and_staff_users
from roundtable.problems.models import Hypothesis, Problem, ResponseAction
from roundtable.problems.services_meetings import MAX_MONTHS
from roundtable.stakeholders.models import Organisation

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class HypothesisForm(forms.Form):
    text = forms.CharField(label=_("Hypothesis"), widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(
        label=_("Status"), choices=Hypothesis.Status.choices, initial=Hypothesis.Status.OPEN
    )
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What will be done"), widget=TEXT)
    owner_name = forms.CharField(
        label=_("Owner"),
        max_length=200,
        required=False,
        help_text=_("Who answers for it; leave empty to use the account or partner below."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner's account"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("None"),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("None"),
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ResponseAction.Status.choices,
        initial=ResponseAction.Status.PLANNED,
    )
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("When done; today if left empty."),
    )

    def __init__(
        self, *args: Any, agency: Agency, problem: Problem | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Team members need not be agency staff: given the problem, the choice
        # is its team and the agency's staff, not every registered resident.
        # An action keeps its owner after they leave the team.
        current = self.initial.get("owner")
        owners = (
            agency_users(agency)
            if problem is None
            else team_and_staff_users(problem, also=current if isinstance(current, User) else None)
        )
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["partner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name", "pk")


class GoalForm(forms.Form):
    metric = forms.CharField(
        label=_("Metric"),
        max_length=300,
        help_text=_("What is counted, for example thefts from vehicles reported per month."),
    )
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=12, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    target_date = forms.DateField(label=pgettext_lazy("deadline", "By"), widget=DATE_WIDGET)


class GoalResultForm(forms.Form):
    result = forms.DecimalField(
        label=_("Result"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty if not known yet."),
    )
    result_note = forms.CharField(
        label=_("About the result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _count(label: Any, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, required=required)


class AssessmentForm(forms.Form):
    label = forms.CharField(
        label=_("What was counted"),
        max_length=200,
        help_text=_("For example: thefts from vehicles reported to the police."),
    )
    before_start = forms.DateField(label=_("Before: from"), widget=DATE_WIDGET)
    before_end = forms.DateField(label=_("Before: to"), widget=DATE_WIDGET)
    after_start = forms.DateField(label=_("After: from"), widget=DATE_WIDGET)
    after_end = forms.DateField(label=_("After: to"), widget=DATE_WIDGET)
    target_before = _count(_("Response area, before"), required=True)
    target_after = _count(_("Response area, after"), required=True)
    control_before = _count(_("Comparison area, before"))
    control_after = _count(_("Comparison area, after"))
    buffer_before = _count(_("Buffer area, before"))
    buffer_after = _count(_("Buffer area, after"))
    buffer_control_before = _count(_("Buffer's comparison area, before"))
    buffer_control_after = _count(_("Buffer's comparison area, after"))
    source_note = forms.CharField(
        label=_("Where the counts come from"),
        max_length=300,
        required=False,
        help_text=_("For example: the transit police's records, shared in March."),
    )
    conclusion = forms.CharField(label=_("The team's conclusion"), required=False, widget=TEXT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end in (("before_start", "before_end"), ("after_start", "after_end")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("A period cannot end before it starts."))
        return data


class MeetingsForm(forms.Form):
    first_starts_at = forms.DateTimeField(
        label=_("First meeting starts at"), widget=DATETIME_WIDGET
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=15, max_value=600, initial=90
    )
    months = forms.IntegerField(
        label=_("How many months"),
        min_value=1,
        max_value=MAX_MONTHS,
        initial=6,
        help_text=_("One meeting a month, on the same day of the month."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices)
    place_name = forms.CharField(label=_("Place"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    join_url = forms.URLField(
        label=_("Join link"), required=False, assume_scheme="https", max_length=200
    )
    agenda = forms.CharField(
        label=_("Standing agenda"),
        required=False,
        widget=TEXT,
        help_text=_("Each meeting starts with it; edit each one later."),
    )

    @staticmethod
    def duration_of(data: dict[str, Any]) -> dt.timedelta:
        return dt.timedelta(minutes=data["duration_minutes"])


class AgendaForm(forms.Form):
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea)


class IncidentAssessmentForm(forms.Form):
    """Counts from the imported incidents: the team picks what, when and where."""

    label = forms.CharField(
        label=_("What was counted"),
        max_length=200,
        help_text=_("For example: burglaries in the Eastgate response area."),
    )
    offence = forms.ChoiceField(label=_("Which incidents"))
    before_start = forms.DateField(label=_("Before: from"), widget=DATE_WIDGET)
    before_end = forms.DateField(label=_("Before: to"), widget=DATE_WIDGET)
    after_start = forms.DateField(label=_("After: from"), widget=DATE_WIDGET)
    after_end = forms.DateField(label=_("After: to"), widget=DATE_WIDGET)
    target_area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("Response area"))
    control_area = forms.ModelChoiceField(
        queryset=Area.objects.none(), label=_("Comparison area"), required=False
    )
    buffer_area = forms.ModelChoiceField(
        queryset=Area.objects.none(), label=_("Buffer area"), required=False
    )
    buffer_control_area = forms.ModelChoiceField(
        queryset=Area.objects.none(), label=_("Buffer's comparison area"), required=False
    )
    conclusion = forms.CharField(label=_("The team's conclusion"), required=False, widget=TEXT)

    def __init__(self, data: Any = None, *, agency: Agency, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["offence"].choices = offence_filter_choices()  # type: ignore[attr-defined]
        # Only areas with a boundary have incidents assigned to them.
        areas = Area.objects.filter(agency=agency, boundary__isnull=False).order_by("kind", "name")
        for name in ("target_area", "control_area", "buffer_area", "buffer_control_area"):
            self.fields[name].queryset = areas  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end in (("before_start", "before_end"), ("after_start", "after_end")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("A period cannot end before it starts."))
        if data.get("buffer_control_area") and not data.get("buffer_area"):
            self.add_error("buffer_control_area", _("Choose the buffer area first."))
        return data
