"""Forms of the incident pages: the import upload and the GET pickers of the reports and maps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from roundtable.agencies.models import Agency, Area
from roundtable.incidents import offences, profiles
from roundtable.incidents.labels import offence_filter_choices

MAPPING_MAX_BYTES = 256 * 1024


def profile_choices() -> list[tuple[str, str]]:
    """ "Detect from the header", then the built-in layouts of the profile registry."""
    return [("auto", str(_("Detect from the header")))] + [
        (profile.name, profile.title) for profile in profiles.all_profiles()
    ]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Incident export (CSV)"),
        help_text=_("The file as your records system or open-data portal exported it."),
    )
    profile = forms.ChoiceField(
        label=_("Layout"),
        help_text=_("Leave on “Detect from the header” unless the detection picks the wrong one."),
    )
    mapping = forms.FileField(
        label=_("Mapping file (.toml, optional)"),
        required=False,
        help_text=_(
            "For a layout Roundtable does not know: which column holds what, the date "
            "format, the time zone and the offence codes."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "profile", profile_choices())
        self.fields["profile"].initial = "auto"

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a CSV file (ending in .csv)."))
        limit = settings.ROUNDTABLE_INCIDENT_UPLOAD_MAX_MB
        if upload.size is not None and upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Import it with the command line instead.")
                % {"limit": limit}
            )
        return upload

    def clean_mapping(self) -> str | None:
        upload: UploadedFile | None = self.cleaned_data.get("mapping")
        if not upload:
            return None
        if not (upload.name or "").lower().endswith(".toml"):
            raise forms.ValidationError(_("The mapping file must be a .toml file."))
        if upload.size is not None and upload.size > MAPPING_MAX_BYTES:
            raise forms.ValidationError(_("The mapping file is too large."))
        try:
            text: str = upload.read().decode("utf-8-sig")
            return text
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The mapping file must be UTF-8 text.")) from None


class AreaChoiceField(forms.ModelChoiceField[Area]):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ReportForm(forms.Form):
    """The report's GET picker: an area, the day to report up to, the trend's offence."""

    area = AreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The whole agency"),
    )
    as_of = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the latest day with incidents."),
    )
    trend = forms.ChoiceField(label=_("Weekly trend of"), required=False, initial="crimes")

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Area.objects.filter(agency=agency).order_by("kind", "name")
        _set_choices(self, "trend", offence_filter_choices())

    def clean_trend(self) -> str:
        return self.cleaned_data.get("trend") or "crimes"


class PerceptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Areas"), required=False)
    as_of = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "kind", [("", pgettext_lazy("areas", "All")), *kinds])


class MapForm(forms.Form):
    """The map's filter: which incidents, since when."""

    offence = forms.ChoiceField(label=_("Incidents"), required=False, initial="crimes")
    since = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the last 365 days of data."),
    )

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = offence_filter_choices()
        if public:
            # The public never sees a sensitive category, not even as an empty choice.
            sensitive = offences.SENSITIVE_CODES
            choices = [(k, v) for k, v in choices if k not in sensitive]
            # The public window is fixed (the last 365 days of data): with a
            # free start day, the counts of one cell since day D and since
            # D + 1 differ by that day's incidents there, a count under
            # ROUNDTABLE_SMALL_CELL recovered by subtraction.
            del self.fields["since"]
        _set_choices(self, "offence", choices)

    def clean_offence(self) -> str:
        return self.cleaned_data.get("offence") or "crimes"

    def clean_since(self) -> dt.date | None:
        since: dt.date | None = self.cleaned_data.get("since")
        return since


class PublicReportForm(forms.Form):
    area = AreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The whole city or campus"),
    )

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Area.objects.filter(pk__in=[a.pk for a in areas]).order_by("name")
