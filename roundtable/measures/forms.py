"""Forms of the measures pages: the agency's own measure, editing one, a figure,
a file of figures, a review note and a data sharer.

Validation of a figure itself is `figures.figure_problems`, called by the
services; the forms read what was typed (a period for the measure's frequency,
numbers written with a decimal comma) and map it onto the service's arguments.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.accounts.models import Role, User
from roundtable.agencies.models import Agency, Area
from roundtable.measures import catalogue, computed
from roundtable.measures.figures import Figure, parse_number, parse_whole
from roundtable.measures.models import Frequency, Measure, Polarity, Source, Unit
from roundtable.measures.periods import PeriodError, example, parse_period
from roundtable.measures.texts import is_internal
from roundtable.stakeholders.models import Organisation

OTHER_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "en"]


def _organisations(agency: Agency) -> QuerySet[Organisation]:
    return Organisation.objects.filter(agency=agency).order_by("name")


def _areas(agency: Agency) -> QuerySet[Area]:
    return Area.objects.filter(agency=agency).order_by("name")


class NumberField(forms.CharField):
    """A figure as people type it: 12, 12.5 or 12,5."""

    def clean(self, value: Any) -> float | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_number(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class WholeField(forms.CharField):
    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        try:
            return parse_whole(text or "")
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


def _indicator_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            str(goal.name),
            [(i.key, str(i.name)) for i in catalogue.INDICATORS.values() if i.goal == goal.key],
        )
        for goal in catalogue.GOALS.values()
    ]


def _translation_fields(form: forms.Form, measure: Measure | None = None) -> None:
    for code, name in OTHER_LANGUAGES:
        texts = (measure.translations or {}).get(code, {}) if measure else {}
        form.fields[f"name_{code}"] = forms.CharField(
            label=_("Name in %(language)s") % {"language": name},
            max_length=200,
            required=False,
            initial=texts.get("name", ""),
        )
        form.fields[f"definition_{code}"] = forms.CharField(
            label=_("Definition in %(language)s") % {"language": name},
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            initial=texts.get("definition", ""),
        )


def _counts_no_people() -> forms.BooleanField:
    # Unticked (the cautious choice) unless someone says so: a form sent without
    # it keeps small figures withheld.
    return forms.BooleanField(
        label=gettext_lazy("The figures count no people: meetings, inspections or the like"),
        required=False,
        help_text=gettext_lazy(
            "Public pages withhold small figures that could point to someone. Tick this only "
            "when every figure counts things such as meetings held or inspections done, never "
            "people or what people did or suffered; its small figures are then published."
        ),
    )


def _translations(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        code: {
            "name": data.get(f"name_{code}", "") or "",
            "definition": data.get(f"definition_{code}", "") or "",
        }
        for code, _name in OTHER_LANGUAGES
    }


class MeasureCreateForm(forms.Form):
    """The agency's own measure, under a catalogue goal and indicator."""

    indicator = forms.ChoiceField(label=gettext_lazy("Goal and indicator"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    definition = forms.CharField(
        label=gettext_lazy("Definition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Precisely what is counted, from which data, and how."),
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=Unit.choices)
    polarity = forms.ChoiceField(
        label=gettext_lazy("Which way is better"), choices=Polarity.choices
    )
    frequency = forms.ChoiceField(label=gettext_lazy("How often"), choices=Frequency.choices)
    source = forms.ChoiceField(label=gettext_lazy("Where the figures come from"))
    computation = forms.ChoiceField(
        label=gettext_lazy("Computed as"),
        required=False,
        help_text=gettext_lazy("Only when Roundtable computes the figures from its own data."),
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=gettext_lazy("The organisation that shares the figures, when a partner does."),
    )
    target = NumberField(label=gettext_lazy("Target"), required=False)
    by_area = forms.BooleanField(label=gettext_lazy("Keep figures per area too"), required=False)
    counts_no_people = _counts_no_people()
    is_public = forms.BooleanField(
        label=gettext_lazy("Publish on the dashboard and in open data"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = _indicator_choices()  # type: ignore[attr-defined]
        self.fields["source"].choices = Source.choices  # type: ignore[attr-defined]
        self.fields["computation"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (key, f"{label} ({key})") for key, label in computed.LABELS.items()
        ]
        self.fields["partner"].queryset = _organisations(agency)  # type: ignore[attr-defined]
        _translation_fields(self)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        indicator = catalogue.INDICATORS[data["indicator"]]
        return {
            "goal": indicator.goal,
            "indicator": indicator.key,
            "name": data["name"],
            "definition": data["definition"],
            "unit": data["unit"],
            "polarity": data["polarity"],
            "frequency": data["frequency"],
            "source": data["source"],
            "computation": data["computation"] if data["source"] == Source.COMPUTED else "",
            "partner": data["partner"],
            "target": data["target"],
            "by_area": data["by_area"],
            "counts_people": not data["counts_no_people"],
            "is_public": data["is_public"],
            "translations": _translations(data),
        }


class MeasureEditForm(forms.Form):
    """What may change once a measure has figures."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    definition = forms.CharField(
        label=gettext_lazy("Definition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    target = NumberField(label=gettext_lazy("Target"), required=False)
    polarity = forms.ChoiceField(
        label=gettext_lazy("Which way is better"), choices=Polarity.choices
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    by_area = forms.BooleanField(label=gettext_lazy("Keep figures per area too"), required=False)
    counts_no_people = _counts_no_people()
    is_public = forms.BooleanField(
        label=gettext_lazy("Publish on the dashboard and in open data"), required=False
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": measure.name,
                "definition": measure.definition,
                "target": measure.target,
                "polarity": measure.polarity,
                "partner": measure.partner_id,
                "by_area": measure.by_area,
                "counts_no_people": not measure.counts_people,
                "is_public": measure.is_public,
            },
        )
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["partner"].queryset = _organisations(measure.agency)  # type: ignore[attr-defined]
        if measure.catalogue_key:
            for name in ("name", "definition"):
                self.fields[name].help_text = _("Leave blank to use the catalogue's text.")
        if measure.catalogue_key or measure.source == Source.COMPUTED:
            # The catalogue, or the computation, says whether the figures count people.
            del self.fields["counts_no_people"]
        if is_internal(measure):
            # Internal measures are never published: no box to tick.
            del self.fields["is_public"]
        _translation_fields(self, measure)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.measure.catalogue_key:
            for name in ("name", "definition"):
                if name in data and not data[name]:
                    self.add_error(name, _("An own measure needs this."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            "name": data["name"],
            "definition": data["definition"],
            "target": data["target"],
            "polarity": data["polarity"],
            "partner": data["partner"],
            "by_area": data["by_area"],
            "translations": _translations(data),
        }
        if "is_public" in data:
            fields["is_public"] = data["is_public"]
        if "counts_no_people" in data:
            fields["counts_people"] = not data["counts_no_people"]
        return fields


class FigureForm(forms.Form):
    """One figure of one measure: by staff, or by a partner (with provenance)."""

    period = forms.CharField(label=gettext_lazy("Period"), max_length=10)
    area = forms.ModelChoiceField(
        label=gettext_lazy("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole jurisdiction"),
    )
    value = NumberField(label=gettext_lazy("Value"))
    count = WholeField(
        label=gettext_lazy("Count"),
        required=False,
        help_text=gettext_lazy(
            "For a rate or share: how many people or events it counts. Lets public pages "
            "withhold small numbers."
        ),
    )
    base = WholeField(
        label=gettext_lazy("Base"),
        required=False,
        help_text=gettext_lazy("For a rate or share: out of how many."),
    )
    provenance = forms.CharField(
        label=gettext_lazy("Where the figure comes from"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, measure: Measure, partner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["period"].help_text = _("For example %(example)s.") % {
            "example": example(measure.frequency)
        }
        if measure.by_area:
            self.fields["area"].queryset = _areas(measure.agency)  # type: ignore[attr-defined]
        else:
            del self.fields["area"]
        if partner:
            self.fields["provenance"].required = True
            self.fields["provenance"].help_text = _(
                "Which system or report the figures come from, and how they were counted."
            )

    def clean_period(self) -> Any:
        try:
            return parse_period(self.cleaned_data["period"], self.measure.frequency)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None

    def figure(self) -> Figure:
        data = self.cleaned_data
        value = data["value"]
        assert value is not None
        return Figure(
            period_start=data["period"],
            value=value,
            area=data.get("area"),
            numerator=data["count"],
            denominator=data["base"],
        )

    def value_fields(self) -> dict[str, Any]:
        figure = self.figure()
        return {
            "period_start": figure.period_start,
            "value": figure.value,
            "area": figure.area,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "provenance": self.cleaned_data["provenance"],
        }


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=gettext_lazy("File"),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
        help_text=gettext_lazy("A .csv or .xlsx file."),
    )


def _checked_upload(upload: UploadedFile) -> UploadedFile:
    """Refuse a file over ROUNDTABLE_MEASURE_UPLOAD_MAX_MB before anything reads it."""
    limit = settings.ROUNDTABLE_MEASURE_UPLOAD_MAX_MB
    if upload.size is not None and upload.size > limit * 1024 * 1024:
        raise forms.ValidationError(
            _("The file is larger than %(limit)s MB; split it.") % {"limit": limit}
        )
    return upload


class FiguresFileForm(forms.Form):
    file = _file_field()

    def clean_file(self) -> UploadedFile:
        return _checked_upload(self.cleaned_data["file"])


class PartnerFileForm(forms.Form):
    file = _file_field()

    def clean_file(self) -> UploadedFile:
        return _checked_upload(self.cleaned_data["file"])

    provenance = forms.CharField(
        label=gettext_lazy("Where the figures come from"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Which system or report the figures come from, and how they were counted."
        ),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("Needed to reject: the partner reads it."),
    )


class SharerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )
    user = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=User.objects.none(),
        help_text=gettext_lazy("People with the partner representative role in this agency."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(agency)  # type: ignore[attr-defined]
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__agency=agency, memberships__role=Role.PARTNER)
            .distinct()
            .order_by("username")
        )
