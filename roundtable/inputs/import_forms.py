"""Forms of the 311 and social-media import: the upload, the column mapping,
and one form per row of the file.

A row form's fields are Roundtable's fields (text, received_at …); the
importer maps each back to the file's own column name when it reports an
error, so a coordinator reads "line 7, column Created Date: …".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.agencies.models import Area
from roundtable.inputs.models import InputChannel, Topic
from roundtable.stakeholders.import_forms import ChoiceByNameField
from roundtable.stakeholders.tabular import FORMATS

# The channels a file can come from.
IMPORT_CHANNELS = (InputChannel.THREE_ONE_ONE, InputChannel.SOCIAL_MEDIA)

# Kept in the session between the upload and the import (compressed); a bigger
# export goes through the command line, which has no such limit.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# Formats seen in 311 and social-media exports, tried after ISO 8601 (which
# `fromisoformat` reads with or without a time, "T", fraction or offset).
DATETIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",  # Socrata: 03/05/2024 02:03:00 PM
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M",  # Boston's open data: 12/31/18 23:16
    "%m/%d/%Y",
    "%m/%d/%y",
    "%a %b %d %H:%M:%S %z %Y",  # Twitter/X: Wed Mar 06 18:22:05 +0000 2024
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S %Z",
    "%d %b %Y %H:%M",
    "%B %d, %Y %I:%M %p",  # Facebook: March 5, 2024 2:03 PM
    "%B %d, %Y",
)
# A received date this far ahead of now is a wrong column or a wrong format.
FUTURE_TOLERANCE = dt.timedelta(days=1)
_SIX_PLACES = Decimal("0.000001")


def parse_datetime_cell(text: str) -> dt.datetime | None:
    """An aware datetime from a cell, or None when no known format fits.

    Times without an offset are the agency's local time (settings.TIME_ZONE);
    a date alone is midnight local. Ten-digit numbers are Unix timestamps.
    """
    text = text.strip()
    if text.isdigit() and len(text) in (10, 13):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    value: dt.datetime | None = None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        for fmt in DATETIME_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt)  # made aware below
                break
            except ValueError:
                continue
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class DateTimeCellField(forms.CharField):
    default_error_messages = {
        "invalid": gettext_lazy(
            "“%(value)s” is not a date we can read; use e.g. 2024-03-05 14:03 "
            "or 03/05/2024 02:03:00 PM."
        ),
        "future": gettext_lazy("“%(value)s” is in the future."),
    }

    def clean(self, value: Any) -> dt.datetime | None:
        text: str = super().clean(value)
        if not text:
            return None
        parsed = parse_datetime_cell(text)
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text}
            )
        if parsed > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(
                self.error_messages["future"], code="future", params={"value": text}
            )
        return parsed


class CoordinateField(forms.CharField):
    """A decimal degree, rounded to the six places stored (about 10 cm)."""

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text: str = super().clean(value)
        if not text:
            return None
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a number.") % {"value": text}, code="invalid"
            ) from None
        if not number.is_finite() or abs(number) > self.limit:
            raise ValidationError(
                _("%(value)s is outside -%(limit)d to %(limit)d.")
                % {"value": text, "limit": self.limit},
                code="range",
            )
        return number.quantize(_SIX_PLACES)


class AreaCellField(forms.CharField):
    """One of the agency's areas, by short name or name in any case."""

    def __init__(self, **kwargs: Any) -> None:
        self.areas: Mapping[str, Area] = {}
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Area | None:
        text: str = super().clean(value)
        if not text:
            return None
        area = self.areas.get(text) or self.areas.get(text.casefold())
        if area is None:
            raise ValidationError(
                _("Unknown area “%(area)s”. Use the short name or name of one of its areas.")
                % {"area": text},
                code="unknown_area",
            )
        return area


class InputRowForm(forms.Form):
    """One row of the file, its cells already picked out by the mapping.

    There is deliberately no field for a name, handle, phone number or email:
    whatever the file holds about the person who wrote is never imported.
    """

    text = forms.CharField(max_length=20_000)
    received_at = DateTimeCellField(required=False)
    external_id = forms.CharField(max_length=200, required=False)
    topic = ChoiceByNameField(choices=Topic.choices, required=False)
    area = AreaCellField(required=False)
    latitude = CoordinateField(limit=90, required=False)
    longitude = CoordinateField(limit=180, required=False)
    language = ChoiceByNameField(choices=settings.LANGUAGES, required=False)

    def __init__(
        self, *args: Any, areas: Mapping[str, Area], received_required: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, AreaCellField)
        area_field.areas = areas
        self.fields["received_at"].required = received_required
        self.fields["text"].error_messages["required"] = _("The text is empty.")
        self.fields["received_at"].error_messages["required"] = _("The date is empty.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        both_read = "latitude" not in self.errors and "longitude" not in self.errors
        if both_read and (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, _("Give both latitude and longitude, or neither."))
        return data


class UploadForm(forms.Form):
    """Step 1: where the file comes from, and the file."""

    channel = forms.ChoiceField(
        label=gettext_lazy("The file is an export of"),
        choices=[(c.value, c.label) for c in IMPORT_CHANNELS],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy(
            "A .csv (UTF-8) or .xlsx file whose first row names the columns, at most 5 MB."
        ),
        validators=[FileExtensionValidator(list(FORMATS))],
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _(
                    "The file is larger than %(size)d MB; split it, or ask an analyst "
                    "to import it with the command line."
                )
                % {"size": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


class MappingForm(forms.Form):
    """Step 2: which column of the file holds each of Roundtable's fields."""

    default_topic = forms.ChoiceField(
        label=gettext_lazy("Topic when the file gives none"),
        choices=Topic.choices,
        initial=Topic.OTHER,
    )
    default_language = forms.ChoiceField(
        label=gettext_lazy("Language when the file gives none"),
        choices=settings.LANGUAGES,
        initial="en",
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import the valid rows even if some rows have problems"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        fields: list[tuple[str, str, bool]],
        columns: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        """`fields`: (name, label, required) of Roundtable's fields;
        `columns`: (normalised name, label as in the file) of the file's columns."""
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *columns]
        self.column_names = [name for name, _label, _required in fields]
        for name, label, required in fields:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label, choices=choices, required=required
            )
        # The mapping comes first on the page.
        self.order_fields([f"map_{name}" for name in self.column_names])

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"map_{name}"] for name in self.column_names]

    def option_fields(self) -> list[forms.BoundField]:
        return [self["default_topic"], self["default_language"]]

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"map_{name}"]
            for name in self.column_names
            if self.cleaned_data.get(f"map_{name}")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for name in self.column_names:
            column = data.get(f"map_{name}")
            if not column:
                continue
            if column in used:
                self.add_error(
                    f"map_{name}",
                    _("This column is already used for “%(field)s”.")
                    % {"field": self.fields[f"map_{used[column]}"].label},
                )
            else:
                used[column] = name
        return data
