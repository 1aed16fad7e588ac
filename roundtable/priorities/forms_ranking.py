"""Forms of the community ranking: the survey, the public vote and suggestion,
moderation, and dots. Plain HTML forms; the public ones need no JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency, Area
from roundtable.core import honeypot
from roundtable.engagement.models import Event
from roundtable.priorities.models import Candidate, Comparison, PairwiseSurvey
from roundtable.priorities.selectors import candidate_title
from roundtable.priorities.services_ranking import SUGGESTION_MAX


def other_languages() -> list[tuple[str, str]]:
    """The languages a question may be translated into (all but the default)."""
    return [
        (code, str(name)) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]


class CandidateChoices(forms.ModelMultipleChoiceField[Candidate]):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Candidate)
        return candidate_title(obj)


class SurveyForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=300,
        help_text=_(
            "Asked above each pair, e.g. “Which should the police and partners work on first?”"
        ),
    )
    candidates = CandidateChoices(
        label=_("Candidates on the ballot"),
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the shortlist. Approved suggestions join the ballot too."),
    )
    accepts_suggestions = forms.BooleanField(
        label=_("Participants may suggest a priority (moderated)"), required=False, initial=True
    )
    asks_area = forms.BooleanField(
        label=_("Ask participants for their area (optional for them)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["candidates"]
        assert isinstance(field, CandidateChoices)
        field.queryset = Candidate.objects.filter(
            agency=agency, status=Candidate.Status.ACTIVE
        ).order_by("title", "pk")
        for code, name in other_languages():
            self.fields[f"question_{code}"] = forms.CharField(
                label=_("Question in %(language)s") % {"language": name},
                max_length=300,
                required=False,
            )
        # Keep the translations next to the question.
        order = ["question", *(f"question_{code}" for code, _n in other_languages())]
        self.order_fields(order)

    @classmethod
    def initial_for(cls, survey: PairwiseSurvey) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "question": survey.question,
            "candidates": list(survey.candidates.filter(status=Candidate.Status.ACTIVE)),
            "accepts_suggestions": survey.accepts_suggestions,
            "asks_area": survey.asks_area,
        }
        for code, _name in other_languages():
            initial[f"question_{code}"] = survey.question_translations.get(code, "")
        return initial

    def translations(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"question_{code}") or "" for code, _n in other_languages()
        }


class VoteForm(forms.Form):
    """The two candidates are two submit buttons named `choice`; "Can't decide" a third."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    choice = forms.ChoiceField(choices=Comparison.Outcome.choices)
    area = forms.ModelChoiceField(
        label=_("Your area (optional)"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Not sure, or rather not say"),
        help_text=_("Only used to show results by area; kept apart from anything about you."),
    )

    def __init__(self, *args: Any, survey: PairwiseSurvey, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = areas_of(survey.agency)
        if not survey.asks_area:
            del self.fields["area"]


def areas_of(agency: Agency) -> QuerySet[Area]:
    return Area.objects.filter(agency=agency).order_by("name", "pk")


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your suggestion"),
        max_length=SUGGESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": SUGGESTION_MAX}),
        help_text=_(
            "A public safety priority in a few words (up to 200 characters). It is "
            "read by staff before it joins the survey. Please leave out names and addresses."
        ),
    )
    website = honeypot.HoneypotField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @property
    def is_honeypot(self) -> bool:
        return honeypot.is_filled(self.data)

    def clean_text(self) -> str:
        text = " ".join(str(self.cleaned_data["text"]).split())
        if not text:
            raise forms.ValidationError(_("Please write your suggestion."))
        return text


class ApproveForm(forms.Form):
    title = forms.CharField(
        label=_("Title on the ballot"),
        max_length=200,
        required=False,
        help_text=_("Tidy the wording if needed; leave as is otherwise."),
    )


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why not (kept in the record)"), max_length=300)


class DotsForm(forms.Form):
    """One number per shortlisted candidate: the dots counted at one meeting."""

    event = forms.ModelChoiceField(
        label=_("Meeting (optional)"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Not a recorded event"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, agency: Agency, candidates: list[Candidate], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Event.objects.filter(agency=agency).order_by("-starts_at", "-pk")
        self.candidates = candidates
        for candidate in candidates:
            self.fields[f"dots_{candidate.pk}"] = forms.IntegerField(
                label=candidate_title(candidate), min_value=0, max_value=10000, required=False
            )

    def candidate_fields(self) -> list[forms.BoundField]:
        return [self[f"dots_{c.pk}"] for c in self.candidates]

    def dots(self) -> dict[Candidate, int]:
        return {c: self.cleaned_data.get(f"dots_{c.pk}") or 0 for c in self.candidates}
