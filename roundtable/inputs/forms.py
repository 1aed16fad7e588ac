"""Staff forms of the response ledger. Validation lives here; views only map
`cleaned_data` onto services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.core.phones import NotAPhoneNumber, to_e164
from roundtable.engagement.models import Event
from roundtable.inputs.catalogue import INTERVIEW_GUIDE
from roundtable.inputs.models import (
    Input,
    InputChannel,
    Moderation,
    ReplyChannel,
    Status,
    Topic,
)
from roundtable.inputs.selectors import MINE, NOBODY, linkable_events
from roundtable.inputs.services_ledger import staff_of
from roundtable.stakeholders.models import Organisation

# Ways staff hear input that they then type in themselves.
STAFF_CHANNELS = [
    (c.value, c.label)
    for c in (
        InputChannel.PHONE,
        InputChannel.MEETING,
        InputChannel.FOCUS_GROUP,
        InputChannel.SCANNING_INTERVIEW,
        InputChannel.IN_PERSON,
    )
]


class _StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class LedgerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *InputChannel.choices]
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.none(), empty_label=_("All areas")
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        required=False,
        choices=[("", _("Any")), *Moderation.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            (MINE, _("Mine")),
            (NOBODY, _("Nobody yet")),
            *((str(u.pk), str(u)) for u in staff_of(agency)),
        ]


class AssignForm(forms.Form):
    owner = _StaffChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_of(agency)  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Why (needed when reopening; kept internal)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Public answer"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, input: Input, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = dict(settings.LANGUAGES).get(input.language, input.language)
        self.fields["answer"].help_text = _(
            "Write the answer in %(language)s: the language the person used. It is shown "
            "under the receipt code with email addresses, phone numbers and street "
            "addresses removed."
        ) % {"language": language}
        self.fields["answer"].initial = input.public_answer


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (never public)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to an organisation of the Community Map"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("(none: name a service below)"),
    )
    to_name = forms.CharField(
        label=_("Or name a service"),
        required=False,
        max_length=200,
        help_text=_("For example 311, the housing department, the school district."),
    )
    reference = forms.CharField(label=_("Their reference"), required=False, max_length=100)
    note = forms.CharField(
        label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("to_organisation") and not data.get("to_name", "").strip():
            raise forms.ValidationError(_("Choose an organisation or name a service."))
        return data


class ReferralReturnForm(forms.Form):
    outcome = forms.CharField(
        label=_("What they did (internal)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class LinkEventForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = linkable_events(agency=agency)  # type: ignore[attr-defined]


class ModerationForm(forms.Form):
    moderation = forms.ChoiceField(
        label=_("Public view"),
        choices=[
            (Moderation.VISIBLE.value, _("Release: show it (personal details redacted)")),
            (Moderation.HIDDEN.value, _("Keep it from public view")),
        ],
    )
    note = forms.CharField(
        label=_("Why (required to keep it from view)"), required=False, max_length=300
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("moderation") == Moderation.HIDDEN and not data.get("note", "").strip():
            self.add_error("note", _("Say why it is kept from public view."))
        return data


class RecordForm(forms.Form):
    """Input heard by staff: a call, a meeting, a focus group, an interview."""

    channel = forms.ChoiceField(label=_("How it was heard"), choices=STAFF_CHANNELS)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    text = forms.CharField(
        label=_("What was said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("May stay empty for a scanning interview whose answers are below."),
    )
    language = forms.ChoiceField(label=_("Language spoken"), choices=settings.LANGUAGES)
    event = forms.ModelChoiceField(
        label=_("Heard at (event)"), required=False, queryset=Event.objects.none()
    )
    organisation = forms.ModelChoiceField(
        label=_("Speaking for (Community Map)"),
        required=False,
        queryset=Organisation.objects.none(),
    )
    area = forms.ModelChoiceField(label=_("Area"), required=False, queryset=Area.objects.none())
    is_anonymous = forms.BooleanField(
        label=_("Anonymous: keep no name or contact details"), required=False, initial=True
    )
    contact_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("Email"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    reply_channel = forms.ChoiceField(
        label=_("Send news by"), required=False, choices=[("", "—"), *ReplyChannel.choices]
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = linkable_events(agency=agency)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name")
        self.fields["area"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]
        for key, question in INTERVIEW_GUIDE:
            self.fields[f"interview_{key}"] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )

    def interview_fields(self) -> list[forms.BoundField]:
        return [self[f"interview_{key}"] for key, _q in INTERVIEW_GUIDE]

    def main_fields(self) -> list[forms.BoundField]:
        return [f for f in self if not f.name.startswith("interview_")]

    def clean_contact_phone(self) -> str:
        """In E.164, so that text messages reach it."""
        try:
            return to_e164(self.cleaned_data["contact_phone"])
        except NotAPhoneNumber:
            raise forms.ValidationError(
                _("This is not a phone number we can send a text message to.")
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        interview = {
            key: data.get(f"interview_{key}", "").strip()
            for key, _q in INTERVIEW_GUIDE
            if data.get(f"interview_{key}", "").strip()
        }
        if interview and data.get("channel") != InputChannel.SCANNING_INTERVIEW:
            raise forms.ValidationError(
                _("The interview questions are for scanning interviews; choose that channel.")
            )
        if not data.get("text", "").strip() and not interview:
            self.add_error("text", _("Write what was said."))
        contact = [data.get(n) for n in ("contact_name", "contact_email", "contact_phone")]
        if data.get("is_anonymous") and (any(contact) or data.get("reply_channel")):
            raise forms.ValidationError(
                _("Untick “anonymous” to keep a name or contact details, or clear them.")
            )
        data["interview"] = interview
        return data


class TargetsForm(forms.Form):
    acknowledge_within_days = forms.IntegerField(
        label=_("Acknowledge within (days)"), min_value=1, max_value=365
    )
    answer_within_days = forms.IntegerField(
        label=_("Answer within (days)"), min_value=1, max_value=365
    )
    referral_back_within_days = forms.IntegerField(
        label=_("Referrals expected back within (days)"), min_value=1, max_value=365
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ack, answer = data.get("acknowledge_within_days"), data.get("answer_within_days")
        if ack and answer and ack > answer:
            self.add_error(
                "acknowledge_within_days", _("Acknowledge before the answer is due, not after.")
            )
        return data
