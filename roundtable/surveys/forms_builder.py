"""Forms of the survey builder: a question (added or edited) with its texts
per language and its condition, a question's options, and moving it.

A condition looks back: only questions asked before this one, never a free
text, and only answers that question can have. Rules that need more (an
answered survey's questions) are the services'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from roundtable.surveys.forms import (
    add_text_fields,
    areas_of,
    merged,
    set_queryset,
    texts_from,
    texts_initial,
)
from roundtable.surveys.models import Characteristic, Measure, Question, Survey
from roundtable.surveys.texts import Texts, language_codes, text_in


def condition_values(question: Question) -> list[str]:
    """The answers a condition on `question` may name (as stored, as strings)."""
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return [option.value for option in question.options.all()]
    if question.kind == Question.Kind.SCALE:
        return [str(v) for v in range(11)]
    if question.kind == Question.Kind.AGREE:
        return [str(v) for v in range(1, 6)]
    if question.kind == Question.Kind.AREA:
        return list(areas_of(question.survey.agency).values_list("slug", flat=True))
    return []


class QuestionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An earlier question, shown by its key and its text in the page's language."""

    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Question)
        return f"{obj.key}: {text_in(obj.text, translation.get_language() or 'en')}"


class QuestionForm(forms.Form):
    """Adding a question (with its kind and key) or editing one."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        required=False,
        help_text=_(
            "A short name for results, exports and conditions (letters, digits, _). "
            "Empty: made from the question."
        ),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    measure = forms.ChoiceField(
        label=pgettext_lazy("what a survey question measures", "Measures"),
        choices=Measure.choices,
        required=False,
        help_text=_("What the trust and safety scores are built from."),
    )
    characteristic = forms.ChoiceField(
        label=_("Describes the respondent's"),
        choices=Characteristic.choices,
        required=False,
        help_text=_("Demographic questions: what results are weighted and compared on."),
    )
    show_if = QuestionChoiceField(
        label=_("Show only if the answer to"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("— always shown —"),
    )
    show_if_values = forms.CharField(
        label=_("is one of"),
        max_length=400,
        required=False,
        help_text=_(
            "Answer values separated by commas: option values, 0–10 for a scale, "
            "1–5 for agree–disagree (1 strongly disagree … 5 strongly agree), area keys."
        ),
    )

    TEXTS = (
        ("text", _("Question"), 2),
        ("help", _("Help text"), 0),
        ("low_label", _("Label at 0 (0–10 scales)"), 0),
        ("high_label", _("Label at 10 (0–10 scales)"), 0),
    )

    def __init__(
        self, *args: Any, survey: Survey, question: Question | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.question = question
        self.languages = list(survey.languages) or language_codes()
        order = ["kind", "key"]
        for name, label, rows in self.TEXTS:
            add_text_fields(self, name, label, self.languages, rows=rows)
            order += [f"{name}_{code}" for code in self.languages]
        self.order_fields(order)
        # A condition looks back: only questions asked before this one, and
        # never a free-text answer (there is nothing to match it against).
        earlier = Question.objects.filter(survey=survey).exclude(kind=Question.Kind.TEXT)
        if question is not None:
            del self.fields["kind"], self.fields["key"]
            earlier = earlier.filter(position__lt=question.position)
            if question.kind != Question.Kind.SCALE:
                for code in self.languages:
                    del self.fields[f"low_label_{code}"], self.fields[f"high_label_{code}"]
        set_queryset(self, "show_if", earlier.order_by("position", "pk"))

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        languages = list(question.survey.languages) or language_codes()
        initial: dict[str, Any] = {
            "required": question.required,
            "measure": question.measure,
            "characteristic": question.characteristic,
            "show_if": question.show_if_id,
            "show_if_values": ", ".join(question.show_if_values),
        }
        for name, _label, _rows in cls.TEXTS:
            initial.update(texts_initial(name, getattr(question, name), languages))
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not texts_from(data, "text", self.languages):
            self.add_error(
                f"text_{self.languages[0]}", _("Write the question in at least one language.")
            )
        values = [v.strip() for v in (data.get("show_if_values") or "").split(",") if v.strip()]
        condition: Question | None = data.get("show_if")
        if condition is None and values:
            self.add_error("show_if", _("Choose the question whose answer decides."))
        if condition is not None:
            allowed = condition_values(condition)
            unknown = [v for v in values if v not in allowed]
            if not values:
                self.add_error("show_if_values", _("Name at least one answer."))
            elif unknown:
                self.add_error(
                    "show_if_values",
                    _("%(key)s has no answer %(values)s; it has: %(allowed)s.")
                    % {
                        "key": condition.key,
                        "values": ", ".join(unknown),
                        "allowed": ", ".join(allowed) or "—",
                    },
                )
        data["show_if_values"] = values
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        old = self.question
        fields: dict[str, Any] = {}
        for name, _label, _rows in self.TEXTS:
            if f"{name}_{self.languages[0]}" not in self.fields:
                continue
            new = texts_from(data, name, self.languages)
            fields[name] = merged(getattr(old, name) if old else None, new, self.languages)
        fields.update(
            {
                "required": data["required"],
                "measure": data["measure"] or "",
                "characteristic": data["characteristic"] or "",
                "show_if": data["show_if"],
                "show_if_values": data["show_if_values"],
            }
        )
        if old is None:
            fields["kind"] = data["kind"]
            fields["key"] = data["key"] or ""
        return fields


class OptionForm(forms.Form):
    """One choice: its stored value and its label in each language."""

    value = forms.SlugField(label=_("Value"), max_length=40, required=False)

    def __init__(self, *args: Any, languages: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_text_fields(self, "label", _("Label"), languages, max_length=300)
        self.languages = list(languages)

    def label_fields(self) -> list[Any]:
        return [self[f"label_{code}"] for code in self.languages]


class BaseOptionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows left blank are ignored; a row with a label needs a value, and
    values are unique within the question."""

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._removed(form):
                continue
            value = form.cleaned_data.get("value") or ""
            labels = texts_from(form.cleaned_data, "label", form.languages)
            if labels and not value:
                form.add_error("value", _("Give this option a value."))
            if value in seen:
                form.add_error(
                    "value", _("Two options have the value %(value)s.") % {"value": value}
                )
            if value:
                seen.add(value)

    def _removed(self, form: forms.Form) -> bool:
        return bool(getattr(form, "cleaned_data", {}).get("DELETE"))

    def options(self, old_labels: Mapping[str, Texts]) -> list[tuple[str, Texts]]:
        """The options in page order, as `options_set` takes them."""
        rows = []
        for form in self.forms:
            if self._removed(form) or not form.cleaned_data.get("value"):
                continue
            value = form.cleaned_data["value"]
            labels = texts_from(form.cleaned_data, "label", form.languages)
            rows.append((value, merged(old_labels.get(value), labels, form.languages)))
        return rows


OptionFormSet = forms.formset_factory(
    OptionForm, formset=BaseOptionFormSet, extra=3, can_delete=True, max_num=100
)


class MoveForm(forms.Form):
    direction = forms.TypedChoiceField(choices=[("-1", "up"), ("1", "down")], coerce=int)
