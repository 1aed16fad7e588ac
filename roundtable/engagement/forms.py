"""Forms for events. Field checks live here; rules that need the database
(who belongs to which agency, capacity) are the services' and come back as
form errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.core.honeypot import HoneypotField
from roundtable.engagement.languages import MEETING_LANGUAGES
from roundtable.engagement.models import ActionItem, Attendance, EventFormat, EventKind
from roundtable.engagement.selectors import PAST, UPCOMING
from roundtable.stakeholders.models import Organisation

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Fields of EventForm the event services take as they are.
EVENT_FORM_FIELDS = [
    "kind",
    "title",
    "description",
    "convener",
    "co_hosts",
    "format",
    "join_url",
    "place_name",
    "address",
    "area",
    "starts_at",
    "ends_at",
    "languages",
    "interpretation",
    "accessibility",
    "childcare",
    "transport",
    "is_public",
    "registration_open",
    "capacity",
]


def _organisations(agency: Agency) -> Any:
    return Organisation.objects.filter(agency=agency).order_by("name", "pk")


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[(UPCOMING, _("Upcoming")), (PAST, _("Past"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices]
    )
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.none(), empty_label=_("All areas")
    )
    convener = forms.ModelChoiceField(
        label=_("Convened by"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Anyone"),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["convener"].queryset = _organisations(agency)  # type: ignore[attr-defined]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    convener = forms.ModelChoiceField(
        label=_("Convened by"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("The agency itself"),
        help_text=_("An organisation from the Community Map, when it convenes the meeting."),
    )
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("Co-hosts"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices)
    join_url = forms.URLField(
        label=_("Join link"), required=False, assume_scheme="https", max_length=200
    )
    place_name = forms.CharField(label=_("Place"), required=False, max_length=200)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.none(), empty_label=_("No area")
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_WIDGET)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=MEETING_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation = forms.CharField(
        label=_("Interpretation"),
        required=False,
        max_length=300,
        help_text=_("For example: Vietnamese and ASL interpreters on request."),
    )
    accessibility = forms.CharField(label=_("Accessibility"), required=False, widget=forms.Textarea)
    childcare = forms.CharField(label=_("Childcare"), required=False, max_length=300)
    transport = forms.CharField(label=_("Transport"), required=False, max_length=300)
    is_public = forms.BooleanField(label=_("On the public calendar"), required=False)
    registration_open = forms.BooleanField(label=_("Registration open"), required=False)
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, help_text=_("Leave empty for no limit.")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = _organisations(agency)  # type: ignore[attr-defined]
        self.fields["co_hosts"].queryset = _organisations(agency)  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The meeting cannot end before it starts."))
        return data


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is cancelled (shown to the public)"), required=False, max_length=300
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea)
    publish = forms.BooleanField(
        label=_("Publish on the public event page"),
        required=False,
        help_text=_("Names, emails, phone numbers and addresses are hidden from the public."),
    )


class HeadcountForm(forms.Form):
    headcount = forms.IntegerField(label=_("Headcount"), required=False, min_value=0)


class AttendanceForm(forms.Form):
    source = forms.ChoiceField(
        label=_("How they took part"),
        choices=[
            (Attendance.Source.WALK_IN, Attendance.Source.WALK_IN.label),
            (Attendance.Source.VIRTUAL, Attendance.Source.VIRTUAL.label),
        ],
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False, queryset=Organisation.objects.none()
    )
    area = forms.ModelChoiceField(
        label=_("Lives or works in"), required=False, queryset=Area.objects.none()
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(agency)  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]


class SheetForm(forms.Form):
    text = forms.CharField(
        label=_("Names from the sign-in sheet"),
        widget=forms.Textarea,
        help_text=_('One person a line, as "Name" or "Name, Organisation".'),
    )


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("What was promised"), widget=forms.Textarea)
    owner_user = forms.ModelChoiceField(
        label=_("Owner (agency staff)"), required=False, queryset=User.objects.none()
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner (organisation)"), required=False, queryset=Organisation.objects.none()
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__agency=agency).distinct().order_by("username")
        )
        self.fields["owner_organisation"].queryset = _organisations(agency)  # type: ignore[attr-defined]


class ActionItemUpdateForm(ActionItemForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE_WIDGET)


class RegistrationForm(forms.Form):
    """The public registration form: everything optional, contact only for reminders."""

    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=200)
    email = forms.EmailField(
        label=_("Email (optional, for a reminder)"), required=False, max_length=254
    )
    phone = forms.CharField(
        label=_("Mobile phone (optional, for a text reminder)"), required=False, max_length=40
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for the reminder"), choices=settings.LANGUAGES
    )
    needs = forms.CharField(
        label=_("Anything that would help you take part (optional)"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )
    website = HoneypotField()
