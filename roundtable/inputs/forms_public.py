"""The public input form and the receipt lookup: plain HTML, no JavaScript needed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.core import honeypot
from roundtable.core.phones import NotAPhoneNumber, to_e164
from roundtable.inputs import receipts
from roundtable.inputs.models import ReplyChannel, Topic

ANONYMOUS = "yes"
WITH_CONTACT = "no"
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone", "reply_channel")
TEXT_MAX = 5000


class PublicInputForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What is it about?"), choices=Topic.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What would you like to tell us?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Once answered, what you write here may be shown in public next to our "
            "answer, without your name or contact details; emails, phone numbers and "
            "street addresses in it are removed first. Please leave out names of "
            "other people."
        ),
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Not sure, or rather not say"),
    )
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_(
            "A map point in decimal degrees, such as 41.8781 and -87.6298. "
            "Most map apps show it when you press and hold a place."
        ),
    )
    anonymous = forms.ChoiceField(
        label=_("Do you want an answer sent to you?"),
        choices=[
            (
                ANONYMOUS,
                _("Anonymously: keep nothing about me; I will follow with my receipt code"),
            ),
            (WITH_CONTACT, _("With my contact details: send me the answer")),
        ],
        initial=ANONYMOUS,
        widget=forms.RadioSelect,
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Email"), required=False)
    contact_phone = forms.CharField(label=_("Mobile phone"), max_length=40, required=False)
    reply_channel = forms.ChoiceField(
        label=_("Send news by"),
        choices=[("", _("Whichever I gave")), *ReplyChannel.choices],
        required=False,
    )
    language = forms.ChoiceField(label=_("Answer me in"), choices=settings.LANGUAGES)
    website = honeypot.HoneypotField()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["language"].initial = translation.get_language() or settings.LANGUAGE_CODE

    @property
    def is_honeypot(self) -> bool:
        return honeypot.is_filled(self.data)

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write something."))
        return text

    def clean_contact_phone(self) -> str:
        try:
            return to_e164(self.cleaned_data["contact_phone"])
        except NotAPhoneNumber:
            raise forms.ValidationError(
                _("This does not look like a phone number; include the country code if abroad.")
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        is_anonymous = data.get("anonymous") == ANONYMOUS
        given = [name for name in CONTACT_FIELDS if data.get(name)]
        if is_anonymous and given:
            for name in given:
                self.add_error(
                    name,
                    _("Leave this empty to stay anonymous, or choose “With my contact details”."),
                )
            # What was typed stays on the page: the person decides what to keep.
        elif data.get("anonymous") == WITH_CONTACT:
            email, phone = data.get("contact_email"), data.get("contact_phone")
            channel = data.get("reply_channel")
            if not email and not phone and "contact_email" not in self.errors:
                self.add_error(
                    "contact_email",
                    _("Give an email address or a mobile number, or choose to stay anonymous."),
                )
            elif channel == ReplyChannel.EMAIL and not email:
                self.add_error("contact_email", _("Give an email address to be told by email."))
            elif channel == ReplyChannel.SMS and not phone:
                self.add_error("contact_phone", _("Give a mobile number to be told by text."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error(
                "longitude", _("A map point needs both latitude and longitude, or neither.")
            )
        return data


class ReceiptLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("Ten letters and digits, such as 7K3MQ-9XD2F. Dashes and spaces are optional."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = receipts.normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _("This is not a receipt code: it has ten letters and digits.")
            )
        return code
