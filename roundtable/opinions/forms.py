"""Forms of the staff pages of conversations: opening and editing one, its
status, moderation, seed statements, participant links and the Polis import.

Field checks live here; rules that need the database (a closed conversation,
a statement already there) are the services' and come back as form errors.
The public pages' forms are `forms_public`.
"""

from __future__ import annotations

import zipfile
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from roundtable.agencies.models import Agency
from roundtable.opinions.models import Conversation, Statement
from roundtable.opinions.services import STATEMENT_MAX_LENGTH
from roundtable.stakeholders.models import Organisation

# A Polis export of a very large conversation runs to tens of megabytes; beyond
# this the command line (`roundtable opinions import`) is the way in.
IMPORT_MAX_MB = 100
# What the four CSVs may add up to once unpacked: CSV compresses about tenfold,
# and a "zip bomb" must not fill the disk.
IMPORT_MAX_UNPACKED_MB = 10 * IMPORT_MAX_MB
SEED_STATEMENTS_MAX = 100


class ConversationForm(forms.Form):
    """Opening a conversation (with seed statements) or editing one (without)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The one question every statement answers, in plain words."),
    )
    description = forms.CharField(
        label=_("Background"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the question is asked and what will be done with the answers."),
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=Conversation.Moderation.choices,
        initial=Conversation.Moderation.STRICT,
        widget=forms.RadioSelect,
    )
    allow_statements = forms.BooleanField(
        label=_("Participants may add statements"), required=False, initial=True
    )
    public_report = forms.BooleanField(
        label=_("Publish the report (the opinion map) on the public pages"),
        required=False,
        initial=True,
    )
    organisation = forms.ModelChoiceField(
        label=_("Hosted with"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— the agency alone —"),
        help_text=_("A partner organisation on the Community Map that runs it with you."),
    )
    seed_statements = forms.CharField(
        label=_("Seed statements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One statement a line. A few to start the conversation, from different "
            "points of view; participants add their own."
        ),
    )

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        with_seeds: bool = True,
        with_organisation: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_organisation:
            organisation = self.fields["organisation"]
            assert isinstance(organisation, forms.ModelChoiceField)
            organisation.queryset = Organisation.objects.filter(
                agency=agency, kind=Organisation.Kind.ORGANISATION
            ).order_by("name")
        else:
            # The Community Map is for agency staff: a partner is not shown
            # every organisation the agency works with.
            del self.fields["organisation"]
        if not with_seeds:
            del self.fields["seed_statements"]

    def clean_seed_statements(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("seed_statements", "").splitlines()]
        seeds = [line for line in lines if line]
        too_long = [i for i, line in enumerate(seeds, start=1) if len(line) > STATEMENT_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Statement %(number)s is longer than %(limit)s characters.")
                % {"number": too_long[0], "limit": STATEMENT_MAX_LENGTH}
            )
        if len(seeds) > SEED_STATEMENTS_MAX:
            raise forms.ValidationError(
                _("At most %(limit)s seed statements at once.") % {"limit": SEED_STATEMENTS_MAX}
            )
        if len({s.casefold() for s in seeds}) < len(seeds):
            raise forms.ValidationError(_("The same statement is there twice."))
        return seeds

    @staticmethod
    def initial_for(conversation: Conversation) -> dict[str, Any]:
        return {
            "title": conversation.title,
            "question": conversation.question,
            "description": conversation.description,
            "moderation": conversation.moderation,
            "allow_statements": conversation.allow_statements,
            "public_report": conversation.public_report,
            "organisation": conversation.organisation_id,
        }

    def service_fields(self, *, organisation: Organisation | None = None) -> dict[str, Any]:
        """The cleaned fields under the names the services take; `organisation`
        stands in when the form does not show that field."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "question",
                "description",
                "moderation",
                "allow_statements",
                "public_report",
            )
        }
        fields["organisation"] = (
            data["organisation"] if "organisation" in self.fields else organisation
        )
        if "seed_statements" in self.fields:
            fields["seed_statements"] = data["seed_statements"]
        return fields


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Conversation.Status.choices)


class ModerationForm(forms.Form):
    """Accept, reject, or mark a statement meta (or not)."""

    moderation = forms.ChoiceField(
        label=_("Moderation"), choices=Statement.Moderation.choices, required=False
    )
    # "" leaves the meta flag as it is; "1" and "0" set it.
    is_meta = forms.TypedChoiceField(
        label=_("Meta statement"),
        choices=[("", ""), ("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("moderation") and data.get("is_meta") is None:
            raise forms.ValidationError(_("Choose accept, reject or meta."))
        return data


class SeedStatementForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": STATEMENT_MAX_LENGTH}),
    )
    is_meta = forms.BooleanField(
        label=_("Meta statement (about the conversation itself; left out of the map)"),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")

    def clean_text(self) -> str:
        return " ".join(self.cleaned_data["text"].split())


class ParticipantLinkForm(forms.Form):
    external_id = forms.CharField(
        label=_("External id"),
        max_length=200,
        help_text=_(
            "The id the other system gives this person (a member number, a panel id). "
            "The link lets them take part as that id; anyone holding the link can."
        ),
    )

    def clean_external_id(self) -> str:
        value: str = self.cleaned_data["external_id"].strip()
        if not value:
            raise forms.ValidationError(_("Give an external id."))
        return value


class PolisImportForm(forms.Form):
    file = forms.FileField(
        label=_("Polis export (.zip)"),
        help_text=_(
            "A .zip of the export folder: comments.csv, votes.csv or "
            "participants-votes.csv, and summary.csv, at the top or in one folder."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the topic in the export's summary.csv."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".zip"):
            raise forms.ValidationError(_("Choose a .zip file."))
        if upload.size is not None and upload.size > IMPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Import it with the command line instead.")
                % {"limit": IMPORT_MAX_MB}
            )
        if not zipfile.is_zipfile(upload):
            raise forms.ValidationError(_("This is not a .zip file."))
        upload.seek(0)
        return upload
