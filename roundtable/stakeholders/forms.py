from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.stakeholders.models import (
    Category,
    Contact,
    Interaction,
    Organisation,
    Sector,
    Stance,
)
from roundtable.stakeholders.services import CONTACT_FIELDS


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    sector = forms.ChoiceField(
        label=_("CS360 area"), required=False, choices=[("", _("All CS360 areas")), *Sector.choices]
    )
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.none(), empty_label=_("All areas")
    )
    stance = forms.ChoiceField(
        label=_("Stance"), required=False, choices=[("", _("All stances")), *Stance.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Organisations and individuals")), *Organisation.Kind.choices],
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    sectors = forms.MultipleChoiceField(
        label=_("CS360 areas served"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods and areas served"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stance = forms.ChoiceField(
        label=_("Stance toward the agency"),
        choices=Stance.choices,
        help_text=_("Critics are partners to recruit: they bring perspectives the agency lacks."),
    )
    stance_note = forms.CharField(label=_("Why this stance"), required=False, widget=forms.Textarea)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    external_id = forms.CharField(
        label=_("External id"),
        required=False,
        max_length=100,
        help_text=_("The id in your own spreadsheet or CRM, so re-imports match this record."),
    )

    def __init__(
        self, *args: Any, agency: Agency, instance: Organisation | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "category": instance.category,
                "sectors": [s.sector for s in instance.sectors.all()],
                "areas": list(instance.areas.all()),
                "stance": instance.stance,
                "stance_note": instance.stance_note,
                "description": instance.description,
                "website": instance.website,
                "email": instance.email,
                "phone": instance.phone,
                "external_id": instance.external_id or "",
            }
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.instance = instance
        self.fields["areas"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]

    def clean_external_id(self) -> str | None:
        value: str = self.cleaned_data["external_id"].strip()
        if not value:
            return None
        clash = Organisation.objects.filter(agency=self.agency, external_id=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another organisation already has this external id."))
        return value


class ContactForm(forms.ModelForm[Contact]):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS  # what contact_update writes
        widgets = {"term_ends_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "term_ends_on": _(
                "Student leaders and elected officers change: the renewal list warns 30 days ahead."
            ),
        }


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Interaction.Kind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    contact = forms.ModelChoiceField(
        label=_("With"), queryset=Contact.objects.none(), required=False
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = organisation.contacts.filter(is_active=True)  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    referred = forms.ModelChoiceField(
        label=_("Organisation they recommended"), queryset=Organisation.objects.none()
    )
    referred_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referred"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            agency_id=organisation.agency_id
        ).exclude(pk=organisation.pk)


class RenewalForm(forms.Form):
    days = forms.IntegerField(
        label=_("No contact for more than (days)"), min_value=1, max_value=3650, required=False
    )
