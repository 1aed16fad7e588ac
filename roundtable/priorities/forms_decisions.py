"""Forms for the advisory group's decisions and votes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from roundtable.agencies.models import Agency
from roundtable.engagement.models import Event
from roundtable.priorities.models import AdvisoryVote, Candidate, Decision
from roundtable.priorities.selectors_decisions import decision_events, shortlist_for_decision
from roundtable.stakeholders.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DECISION_FORM_FIELDS = [
    "title",
    "decided_by",
    "decided_on",
    "event",
    "chosen",
    "rationale",
    "dissent",
]


class EventChoiceField(forms.ModelChoiceField[Event]):
    def label_from_instance(self, obj: Event) -> str:
        return f"{obj.title} ({obj.starts_at:%Y-%m-%d})"


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        help_text=_("The advisory group, by its public name."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)
    event = EventChoiceField(
        label=_("Meeting"),
        required=False,
        queryset=Event.objects.none(),
        empty_label=_("Not at a recorded meeting"),
    )
    chosen = forms.ModelMultipleChoiceField(
        label=_("Chosen priorities"),
        required=False,
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every other candidate on the shortlist is marked not chosen on publishing."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea,
        help_text=_("Published with the decision: why these priorities."),
    )
    dissent = forms.CharField(
        label=_("Dissent"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Published too: who disagreed, in substance, and why (no names needed)."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = decision_events(agency=agency)  # type: ignore[attr-defined]
        self.fields["chosen"].queryset = shortlist_for_decision(agency=agency)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(decision: Decision) -> dict[str, Any]:
        initial = {
            name: getattr(decision, name) for name in DECISION_FORM_FIELDS if name != "chosen"
        }
        initial["chosen"] = list(decision.chosen.all())
        return initial


class AdvisoryVoteForm(forms.Form):
    member_name = forms.CharField(
        label=_("Member"),
        max_length=200,
        help_text=_("Kept for the record; the public page shows only the tally and organisations."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("None (speaks for themselves)"),
    )
    vote = forms.ChoiceField(
        label=pgettext_lazy("how a member voted", "Vote"),
        choices=AdvisoryVote.Vote.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name", "pk")
