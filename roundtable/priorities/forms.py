"""Forms for themes, candidates and the worksheet. Field checks live here;
rules that need the database (which agency owns what, names already taken)
are the services' and come back as form errors. Decisions: `forms_decisions`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.inputs.models import Input, Moderation
from roundtable.inputs.receipts import normalise
from roundtable.priorities.categories import OFFENCE_CATEGORIES
from roundtable.priorities.models import Candidate, Harm, Theme
from roundtable.priorities.services_candidates import TRANSLATION_LANGUAGES
from roundtable.stakeholders.models import Organisation

LANGUAGE_NAMES = dict(settings.LANGUAGES)


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the inputs in this theme have in common, in a sentence or two."),
    )


class TaggableFilterForm(forms.Form):
    q = forms.CharField(label=_("Search inputs"), required=False, max_length=200)
    include_tagged = forms.BooleanField(
        label=_("Include inputs already in another theme"), required=False
    )


class TagForm(forms.Form):
    """Inputs ticked on a theme's page."""

    inputs = forms.ModelMultipleChoiceField(
        label=_("Inputs"), queryset=Input.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inputs"].queryset = Input.objects.filter(agency=agency)  # type: ignore[attr-defined]


class TagByCodeForm(forms.Form):
    """Tag one input, found by its receipt code, with one or more themes."""

    receipt_code = forms.CharField(
        label=_("Receipt code"),
        max_length=20,
        help_text=_("The code on the input's page in the response ledger, such as 7K3MQ-9XD2F."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["themes"].queryset = Theme.objects.filter(agency=agency)  # type: ignore[attr-defined]

    def clean_receipt_code(self) -> Input:
        code = normalise(self.cleaned_data["receipt_code"])
        found = (
            Input.objects.filter(agency=self.agency, receipt_code=code).first() if code else None
        )
        if found is None:
            raise forms.ValidationError(_("No input of this agency has that receipt code."))
        return found


class SuggestionAcceptForm(forms.Form):
    """A suggested group as staff confirm it: the inputs they ticked, and the
    theme (existing, or a new name) they go into."""

    inputs = forms.ModelMultipleChoiceField(
        label=_("Inputs"),
        queryset=Input.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one input.")},
    )
    theme = forms.ModelChoiceField(
        label=_("Add to an existing theme"),
        required=False,
        queryset=Theme.objects.none(),
        empty_label=_("— a new theme —"),
    )
    name = forms.CharField(label=_("or name a new theme"), required=False, max_length=120)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inputs"].queryset = Input.objects.filter(agency=agency).exclude(  # type: ignore[attr-defined]
            moderation=Moderation.HIDDEN
        )
        self.fields["theme"].queryset = Theme.objects.filter(agency=agency)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The page prefills the name with the proposed one: choosing an
        # existing theme wins over it.
        if data.get("theme"):
            data["name"] = ""
        elif not (data.get("name") or "").strip():
            raise forms.ValidationError(_("Choose an existing theme or name a new one."))
        return data


class CandidateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        required=False,
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    offence_categories = forms.MultipleChoiceField(
        label=_("Offence categories"),
        required=False,
        choices=OFFENCE_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which incident figures belong on the worksheet once incident data exists."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(agency=agency)  # type: ignore[attr-defined]
        for code in sorted(TRANSLATION_LANGUAGES):
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": LANGUAGE_NAMES[code]},
                required=False,
                max_length=200,
            )

    @staticmethod
    def initial_for(candidate: Candidate) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": candidate.title,
            "description": candidate.description,
            "areas": list(candidate.areas.all()),
            "offence_categories": candidate.offence_categories,
        }
        for code, text in (candidate.title_translations or {}).items():
            initial[f"title_{code}"] = text
        return initial

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "title_translations": {
                code: data.get(f"title_{code}", "") for code in sorted(TRANSLATION_LANGUAGES)
            },
            "areas": list(data["areas"]),
            "offence_categories": data["offence_categories"],
        }


class FromThemeForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the candidate"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the theme's name."),
    )


class CandidateStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Candidate.Status.ACTIVE, _("On the shortlist")),
            (Candidate.Status.REJECTED, _("Not accepted for the shortlist")),
        ],
    )


def _score_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[("", _("Not assessed yet")), *Harm.choices],
        coerce=int,
        empty_value=None,
    )


class WorksheetForm(forms.Form):
    harm = _score_field(_("Harm"))
    harm_note = forms.CharField(
        label=_("Why this harm"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    feasibility = _score_field(_("Feasibility"))
    feasibility_note = forms.CharField(
        label=_("Why this feasibility"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    incident_note = forms.CharField(
        label=_("Incident figures (entered)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "No incident data is imported yet: enter the figures you have and say where they "
            "come from and for which period."
        ),
    )
    equity_affected = forms.CharField(
        label=_("Who is affected"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    equity_heard = forms.CharField(
        label=_("Who was heard, and who was not"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners able to help"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations from the Community Map."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name", "pk")

    @staticmethod
    def initial_for(candidate: Candidate) -> dict[str, Any]:
        fields = ["harm", "harm_note", "feasibility", "feasibility_note", "incident_note"]
        initial = {name: getattr(candidate, name) for name in fields}
        initial["equity_affected"] = candidate.equity_affected
        initial["equity_heard"] = candidate.equity_heard
        initial["partners"] = list(candidate.partners.all())
        return initial
