"""Forms of the Community Map import: one row of the file, and the upload.

`OrganisationRowForm` has one field per column, so a form error is a
(column, reason) pair. Choices are accepted as their stored value or their
English label in any case ("faith", "Faith community"); several sectors or
areas go in one cell separated by semicolons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.agencies.models import Agency, Area
from roundtable.stakeholders.import_index import ContactValues, ImportRow
from roundtable.stakeholders.models import Category, Channel, Organisation, Sector, Stance
from roundtable.stakeholders.tabular import FORMATS, LIST_SEPARATOR

Choices = Iterable[tuple[str, Any]]

# Stored value or English label, case-folded, to the stored value; one table
# per set of choices, built on first use (labels are lazy translations).
_LOOKUPS: dict[tuple[str, ...], dict[str, str]] = {}


class ChoiceByNameField(forms.CharField):
    """A choice written as its stored value or its English label, in any case.
    Blank gives "" (the caller's default)."""

    default_error_messages = {
        "invalid_choice": gettext_lazy("“%(value)s” is not one of: %(choices)s."),
    }

    def __init__(self, *, choices: Choices, **kwargs: Any) -> None:
        self.choices = list(choices)
        self.values = tuple(str(value) for value, _label in self.choices)
        super().__init__(**kwargs)

    def lookup(self) -> dict[str, str]:
        table = _LOOKUPS.get(self.values)
        if table is None:
            table = {}
            with translation.override("en"):
                for value, label in self.choices:
                    table[str(label).casefold()] = str(value)
                    table[str(value).casefold()] = str(value)
            _LOOKUPS[self.values] = table
        return table

    def resolve(self, text: str) -> str:
        value = self.lookup().get(text.casefold())
        if value is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text, "choices": ", ".join(self.values)},
            )
        return value

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        return self.resolve(text) if text else ""


class ChoiceListField(ChoiceByNameField):
    """Several choices in one cell, separated by semicolons."""

    def clean(self, value: Any) -> tuple[str, ...]:  # type: ignore[override]
        text: str = forms.CharField.clean(self, value)
        items = [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
        return tuple(dict.fromkeys(self.resolve(item) for item in items))


class AreaListField(forms.CharField):
    """The agency's areas by slug or name, separated by semicolons. The first
    one counts: it tells organisations of the same name apart."""

    def __init__(self, **kwargs: Any) -> None:
        self.areas: Mapping[str, Area] = {}
        super().__init__(**kwargs)

    def clean(self, value: Any) -> tuple[int, ...]:
        text: str = super().clean(value)
        found: dict[int, None] = {}
        unknown = []
        for item in (item.strip() for item in text.split(LIST_SEPARATOR)):
            if not item:
                continue
            area = self.areas.get(item) or self.areas.get(item.casefold())
            if area is None:
                unknown.append(item)
            else:
                found[area.pk] = None
        if unknown:
            raise ValidationError(
                _("Unknown area: %(areas)s. Use the short name or name of one of its areas.")
                % {"areas": ", ".join(unknown)},
                code="unknown_area",
            )
        return tuple(found)


def area_lookup(agency: Agency) -> dict[str, Area]:
    """Exact slug first, then name or slug in any case."""
    areas = list(Area.objects.filter(agency=agency))
    lookup: dict[str, Area] = {}
    for area in areas:
        lookup.setdefault(area.slug.casefold(), area)
    for area in areas:
        lookup[area.name.casefold()] = area
    for area in areas:
        lookup[area.slug] = area
    return lookup


class OrganisationRowForm(forms.Form):
    """One row of the file. Field names are the column names, so an error on a
    field is an error in that column."""

    external_id = forms.CharField(max_length=100, required=False)
    name = forms.CharField(max_length=200)
    kind = ChoiceByNameField(choices=Organisation.Kind.choices, required=False)
    category = ChoiceByNameField(choices=Category.choices)
    sectors = ChoiceListField(choices=Sector.choices, required=False)
    areas = AreaListField(required=False)
    stance = ChoiceByNameField(choices=Stance.choices, required=False)
    stance_note = forms.CharField(required=False)
    description = forms.CharField(required=False)
    website = forms.URLField(max_length=200, required=False, assume_scheme="https")
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    contact_name = forms.CharField(max_length=200, required=False)
    contact_role = forms.CharField(max_length=200, required=False)
    contact_email = forms.EmailField(required=False)
    contact_phone = forms.CharField(max_length=40, required=False)
    contact_language = ChoiceByNameField(choices=settings.LANGUAGES, required=False)
    contact_channel = ChoiceByNameField(choices=Channel.choices, required=False)
    contact_term_ends = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")},
    )
    # Checked against the whole file in validate_table.
    referred_by = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, areas: Mapping[str, Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["areas"]
        assert isinstance(area_field, AreaListField)
        area_field.areas = areas

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contact_given = any(
            data.get(name)
            for name in ("contact_role", "contact_email", "contact_phone", "contact_term_ends")
        )
        if contact_given and not data.get("contact_name") and "contact_name" not in self.errors:
            self.add_error(
                "contact_name", _("Give the contact's name when other contact columns are filled.")
            )
        return data

    def import_row(self, line: int) -> ImportRow:
        data = self.cleaned_data
        contact = None
        if data["contact_name"]:
            contact = ContactValues(
                name=data["contact_name"],
                role=data["contact_role"],
                email=data["contact_email"],
                phone=data["contact_phone"],
                language=data["contact_language"],
                channel=data["contact_channel"],
                term_ends_on=data["contact_term_ends"],
            )
        return ImportRow(
            line=line,
            external_id=data["external_id"],
            name=data["name"],
            kind=data["kind"],
            category=data["category"],
            sectors=data["sectors"],
            area_ids=data["areas"],
            stance=data["stance"],
            stance_note=data["stance_note"],
            description=data["description"],
            website=data["website"],
            email=data["email"],
            phone=data["phone"],
            contact=contact,
        )


MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportFileForm(forms.Form):
    """The upload on the import page."""

    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy("A .csv (UTF-8) or .xlsx file whose first row names the columns."),
        validators=[FileExtensionValidator(list(FORMATS))],
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Skip invalid rows and import the others"), required=False
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload
