"""Forms of the staff survey pages: a new survey, its settings, one-time
links, contact uploads, reference populations and the results pickers
(questions and their options: `forms_builder`).

Every text a respondent reads is entered once per language, in fields named
`<text>_<language>` (`title_en`, `title_es`); `texts_from` gathers them back
into the `{"en": …, "es": …}` the models store. Rules that need the database
beyond this form's own choices (an open survey's questions, instrument and
audience combinations) are the services', and come back as form errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.surveys.instruments import INSTRUMENTS, instrument_choices
from roundtable.surveys.models import (
    Audience,
    Characteristic,
    ReferencePopulation,
    Survey,
)
from roundtable.surveys.texts import Texts, language_codes, language_name

# One-time links per batch: a city-wide panel, not a mailing list of everyone.
INVITATIONS_MAX = 5000
# Census profiles and calls-for-service extracts are a few megabytes at most.
UPLOAD_MAX_MB = 20
TITLE_MAX = 300
TEXT_MAX = 2000

DEFAULT_INSTRUMENTS = ["trust_safety"]


def add_text_fields(
    form: forms.BaseForm,
    name: str,
    label: Any,
    languages: Iterable[str],
    *,
    max_length: int = TEXT_MAX,
    rows: int = 0,
    help_text: Any = "",
) -> None:
    """One optional field per language for the text `name` ("Title (Spanish)")."""
    for code in languages:
        widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
        form.fields[f"{name}_{code}"] = forms.CharField(
            label=format_lazy("{} ({})", label, language_name(code)),
            max_length=max_length,
            required=False,
            widget=widget,
            help_text=help_text,
        )


def texts_from(data: Mapping[str, Any], name: str, languages: Iterable[str]) -> Texts:
    """The texts of `name` entered in `languages`, empty ones left out."""
    texts: Texts = {}
    for code in languages:
        value = str(data.get(f"{name}_{code}") or "").strip()
        if value:
            texts[code] = value
    return texts


def texts_initial(
    name: str, texts: Mapping[str, str] | None, languages: Iterable[str]
) -> dict[str, str]:
    return {f"{name}_{code}": (texts or {}).get(code, "") for code in languages}


def merged(old: Mapping[str, str] | None, new: Texts, languages: Iterable[str]) -> Texts:
    """`old` with the languages edited on the page replaced by `new`: a text in a
    language the survey no longer offers is kept, not lost by an edit."""
    kept = {code: text for code, text in (old or {}).items() if code not in set(languages)}
    return {**kept, **new}


def set_choices(form: forms.BaseForm, name: str, choices: Sequence[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = list(choices)


def set_queryset(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def areas_of(agency: Agency) -> Any:
    return Area.objects.filter(agency=agency).order_by("name", "pk")


class LanguagesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Languages offered"),
            choices=settings.LANGUAGES,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Respondents choose among these; every text must exist in each."),
            **kwargs,
        )


class SurveyCreateForm(forms.Form):
    """A new survey: its title in each language, whom it asks, and the
    instruments whose questions it starts from."""

    languages = LanguagesField()
    audience = forms.ChoiceField(
        label=_("Who answers"),
        # Empty: what the instruments are for (the wellness pulse is internal,
        # satisfaction after contact goes to callers, the rest to the public).
        choices=[("", _("As the instruments suggest")), *Audience.choices],
        initial="",
        required=False,
        widget=forms.RadioSelect,
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("— the whole jurisdiction —"),
        help_text=_("A survey of one area counts every response for it."),
    )
    instruments = forms.MultipleChoiceField(
        label=_("Start from the built-in instruments"),
        choices=instrument_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Their questions are copied into the survey; edit them as you like."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_text_fields(self, "title", _("Title"), language_codes(), max_length=TITLE_MAX)
        self.order_fields([f"title_{code}" for code in language_codes()])
        self.fields["languages"].initial = language_codes()
        self.fields["instruments"].initial = DEFAULT_INSTRUMENTS
        set_queryset(self, "area", areas_of(agency))

    def instrument_rows(self) -> list[tuple[Any, Any]]:
        """Each instrument's checkbox with the sentence saying what it asks."""
        rows = []
        for box in self["instruments"]:
            instrument = INSTRUMENTS.get(str(box.data["value"]))
            rows.append((box, instrument.description if instrument else ""))
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        languages = data.get("languages") or []
        title = texts_from(data, "title", language_codes())
        missing = [code for code in languages if code not in title]
        if not title:
            raise forms.ValidationError(_("Give the survey a title."))
        for code in missing:
            self.add_error(
                f"title_{code}",
                _("The survey is offered in %(language)s: give its title in it.")
                % {"language": language_name(code)},
            )
        data["title"] = title
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "instruments": list(data["instruments"]),
            "audience": data["audience"] or None,
            "languages": list(data["languages"]),
            "area": data["area"],
        }


class SurveyEditForm(forms.Form):
    """A survey's texts, languages, audience and how its results are weighted."""

    languages = LanguagesField()
    audience = forms.ChoiceField(
        label=_("Who answers"), choices=Audience.choices, widget=forms.RadioSelect
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("— the whole jurisdiction —"),
    )
    text_to_inputs = forms.BooleanField(
        label=_("Free-text answers go to the input ledger (public and contact surveys)"),
        required=False,
    )
    publish_results = forms.BooleanField(
        label=_("Publish the weighted results on the public pages (never internal surveys)"),
        required=False,
    )
    population = forms.ModelChoiceField(
        label=_("Reference population"),
        queryset=ReferencePopulation.objects.none(),
        required=False,
        empty_label=_("— the agency's newest —"),
        help_text=_("The census margins the results are weighted to."),
    )
    weighting_variables = forms.MultipleChoiceField(
        label=_("Weight on"),
        choices=[(value, label) for value, label in Characteristic.choices if value],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every characteristic both the survey and the population have."),
    )
    weight_cap = forms.FloatField(
        label=_("Trim weights above (× the mean weight)"),
        min_value=1.0,
        max_value=50.0,
        help_text=_("Large weights make estimates unstable; 5 is usual."),
    )

    TEXTS = (
        ("title", _("Title"), TITLE_MAX, 0),
        ("introduction", _("Introduction"), TEXT_MAX, 3),
        ("thanks", _("Thank-you message"), TEXT_MAX, 2),
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        order = []
        for name, label, max_length, rows in self.TEXTS:
            add_text_fields(self, name, label, language_codes(), max_length=max_length, rows=rows)
            order += [f"{name}_{code}" for code in language_codes()]
        self.order_fields(order)
        set_queryset(self, "area", areas_of(survey.agency))
        set_queryset(
            self,
            "population",
            ReferencePopulation.objects.filter(agency=survey.agency).order_by("-imported_at"),
        )

    @classmethod
    def initial_for(cls, survey: Survey) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "languages": list(survey.languages),
            "audience": survey.audience,
            "area": survey.area_id,
            "text_to_inputs": survey.text_to_inputs,
            "publish_results": survey.publish_results,
            "population": survey.population_id,
            "weighting_variables": list(survey.weighting_variables),
            "weight_cap": survey.weight_cap,
        }
        for name, _label, _max, _rows in cls.TEXTS:
            initial.update(texts_initial(name, getattr(survey, name), language_codes()))
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not texts_from(data, "title", language_codes()):
            raise forms.ValidationError(_("Give the survey a title."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {
            name: texts_from(data, name, language_codes()) for name, *_rest in self.TEXTS
        }
        fields.update(
            {
                "languages": list(data["languages"]),
                "audience": data["audience"],
                "area": data["area"],
                "text_to_inputs": data["text_to_inputs"],
                "publish_results": data["publish_results"],
                "population": data["population"],
                "weighting_variables": list(data["weighting_variables"]),
                "weight_cap": data["weight_cap"],
            }
        )
        return fields


class PreviewForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = list(survey.languages) or language_codes()
        set_choices(self, "language", [(code, language_name(code)) for code in codes])
        self.fields["language"].initial = codes[0]


class InvitationsForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many links"), min_value=1, max_value=INVITATIONS_MAX, initial=100
    )
    batch = forms.CharField(
        label=_("Batch name"),
        max_length=200,
        help_text=_("To tell batches apart later, e.g. “Residents' panel, wave 3”."),
    )
    language = forms.ChoiceField(label=_("Language the link opens in"))

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = list(survey.languages) or language_codes()
        set_choices(self, "language", [(code, language_name(code)) for code in codes])


def _upload_text(upload: UploadedFile) -> str:
    """The uploaded CSV as text: UTF-8 (with or without a byte-order mark), else
    Windows-1252, which spreadsheet programs still write."""
    if not (upload.name or "").lower().endswith((".csv", ".txt")):
        raise forms.ValidationError(_("Choose a CSV file (ending in .csv)."))
    if upload.size is not None and upload.size > UPLOAD_MAX_MB * 1024 * 1024:
        raise forms.ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": UPLOAD_MAX_MB}
        )
    raw: bytes = upload.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


class ContactsForm(forms.Form):
    file = forms.FileField(
        label=_("Calls for service (CSV)"),
        help_text=_(
            "One row per call with the caller's phone or email, its language and the "
            "incident type. Contact details are used to send the links and never stored."
        ),
    )
    batch = forms.CharField(
        label=_("Batch name"),
        max_length=200,
        help_text=_("e.g. “Calls for service, 1–7 March”."),
    )

    def clean_file(self) -> str:
        return _upload_text(self.cleaned_data["file"])


class PopulationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Census margins (CSV)"),
        help_text=_(
            "A community-area profile (one row per area, columns such as A20_34 and HISP), "
            "or the long layout area,characteristic,category,count[,universe]."
        ),
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("e.g. “ACS 2018–2022, community areas”.")
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def clean_file(self) -> str:
        return _upload_text(self.cleaned_data["file"])


class ResultsForm(forms.Form):
    """The results page's pickers (GET): months or quarters, and which period
    the per-area table shows."""

    grouping = forms.ChoiceField(
        label=_("Periods"),
        choices=[("quarter", _("Quarters")), ("month", _("Months"))],
        required=False,
    )
    period = forms.DateField(label=_("Areas in the period starting"), required=False)

    def grouping_value(self) -> str:
        if self.is_valid() and self.cleaned_data.get("grouping"):
            return str(self.cleaned_data["grouping"])
        return "quarter"
