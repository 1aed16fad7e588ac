"""Forms of the public conversation pages: a vote and a statement of one's own.

Plain HTML forms that work without JavaScript. The vote form carries the number
of the statement shown, so a double submit or a page left open while the
conversation moved on votes on that statement or on none, never on another.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roundtable.core import honeypot
from roundtable.opinions.models import Vote
from roundtable.opinions.services import STATEMENT_MAX_LENGTH

# The buttons' values, as words in the page, and the vote each records.
VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


class VoteForm(forms.Form):
    """Agree, Disagree and Pass are three submit buttons named `vote`."""

    statement = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    vote = forms.ChoiceField(
        choices=[("agree", _("Agree")), ("disagree", _("Disagree")), ("pass", _("Pass / unsure"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No ids: htmx matches elements by id when it swaps the next statement in,
        # and "settling" the hidden field writes a style attribute the CSP refuses.
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)

    @property
    def value(self) -> int:
        return int(VOTE_VALUES[self.cleaned_data["vote"]])


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": STATEMENT_MAX_LENGTH}),
    )
    website = honeypot.HoneypotField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Said in words, so the limit is known without a script counting keystrokes
        # (translated here, per request, with the number filled in).
        self.fields["text"].help_text = gettext(
            "One idea in a sentence or two that others can agree or disagree with, up to "
            "%(max)s characters. Please leave out names and addresses."
        ) % {"max": STATEMENT_MAX_LENGTH}

    @property
    def is_honeypot(self) -> bool:
        return honeypot.is_filled(self.data)

    def clean_text(self) -> str:
        text = " ".join(str(self.cleaned_data["text"]).split())
        if not text:
            raise forms.ValidationError(_("Please write your statement."))
        return text
