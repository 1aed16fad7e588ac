"""Writes to themes and the tags that put inputs in them.

A theme exists once a person names it; machine suggestions reach the database
only through `suggestion_accept`, for the inputs a person ticked. Tagging an
input with a theme that already has candidates links the input to them
(`inputs.services.input_link`), so that the contributor hears what becomes of
the candidate. Candidates are `services_candidates`, decisions
`services_decisions`. Every write is audited.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.audit.services import audit_record, snapshot
from roundtable.inputs.models import Input, Moderation
from roundtable.inputs.services import input_link
from roundtable.priorities.models import Candidate, InputTheme, Theme

THEME_FIELDS = ["name", "description"]


def _clean_name(agency: Agency, name: str, *, exclude: Theme | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    taken = Theme.objects.filter(agency=agency, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError({"name": _("There is already a theme with this name.")})
    return name


@transaction.atomic
def theme_create(*, actor: User, agency: Agency, name: str, description: str = "") -> Theme:
    theme = Theme.objects.create(
        agency=agency,
        name=_clean_name(agency, name),
        description=description.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        agency=agency,
        action="priorities.theme.create",
        instance=theme,
        after=snapshot(theme, THEME_FIELDS),
    )
    return theme


@transaction.atomic
def theme_update(*, actor: User, theme: Theme, name: str, description: str) -> Theme:
    """Rename a theme or change its description."""
    before = snapshot(theme, THEME_FIELDS)
    theme.name = _clean_name(theme.agency, name, exclude=theme)
    theme.description = description.strip()
    theme.save(update_fields=["name", "description"])
    audit_record(
        actor=actor,
        agency=theme.agency,
        action="priorities.theme.update",
        instance=theme,
        before=before,
        after=snapshot(theme, THEME_FIELDS),
    )
    return theme


def _linkable_candidates(theme: Theme) -> list[Candidate]:
    # A rejected candidate is off the shortlist: nothing more will be said
    # about it, so new inputs are not tied to it.
    return list(theme.candidates.exclude(status=Candidate.Status.REJECTED).order_by("pk"))


@transaction.atomic
def theme_tag(
    *,
    actor: User,
    theme: Theme,
    inputs: Iterable[Input],
    from_suggestion: bool = False,
) -> list[InputTheme]:
    """Put `inputs` in `theme` (those already in it are left as they are) and
    link each new one to the theme's candidates. Returns the new tags."""
    items = list(inputs)
    if not items:
        raise ValidationError({"inputs": _("Choose at least one input.")})
    if any(item.agency_id != theme.agency_id for item in items):
        raise ValidationError({"inputs": _("This belongs to another agency.")})
    already = set(
        InputTheme.objects.filter(theme=theme, input__in=items).values_list("input_id", flat=True)
    )
    new = [item for item in items if item.pk not in already]
    tags = InputTheme.objects.bulk_create(
        [
            InputTheme(input=item, theme=theme, tagged_by=actor, from_suggestion=from_suggestion)
            for item in new
        ]
    )
    candidates = _linkable_candidates(theme)
    for item in new:
        for candidate in candidates:
            input_link(actor=actor, input=item, item=candidate)
    if new:
        audit_record(
            actor=actor,
            agency=theme.agency,
            action="priorities.theme.tag",
            instance=theme,
            after={
                "inputs": sorted(item.receipt_code for item in new),
                "from_suggestion": from_suggestion,
            },
        )
    return tags


@transaction.atomic
def theme_untag(*, actor: User, theme: Theme, input: Input) -> None:
    """Take `input` out of `theme`. Links to candidates stay: the contributor
    may already have been told about them, and the ledger removes links."""
    deleted, _rows = InputTheme.objects.filter(theme=theme, input=input).delete()
    if not deleted:
        raise ValidationError(_("This input is not in the theme."))
    audit_record(
        actor=actor,
        agency=theme.agency,
        action="priorities.theme.untag",
        instance=theme,
        before={"input": input.receipt_code},
    )


@transaction.atomic
def suggestion_accept(
    *,
    actor: User,
    agency: Agency,
    inputs: Iterable[Input],
    theme: Theme | None = None,
    name: str = "",
) -> Theme:
    """Confirm a suggested group: the ticked `inputs` go into `theme`, or into a
    new theme called `name`, marked as accepted from a suggestion.

    Inputs kept from public view are never suggested, so none may be accepted
    through a suggestion either (a person may still tag one by hand).
    """
    items = list(inputs)
    if not items:
        raise ValidationError({"inputs": _("Tick at least one input.")})
    if (theme is None) == (not name.strip()):
        raise ValidationError(_("Choose an existing theme or name a new one, not both."))
    if theme is not None and theme.agency_id != agency.pk:
        raise ValidationError({"theme": _("This belongs to another agency.")})
    if any(item.agency_id != agency.pk for item in items):
        raise ValidationError({"inputs": _("This belongs to another agency.")})
    if any(item.moderation == Moderation.HIDDEN for item in items):
        raise ValidationError(
            {"inputs": _("An input kept from view cannot come from a suggestion.")}
        )
    if theme is None:
        theme = theme_create(actor=actor, agency=agency, name=name)
    theme_tag(actor=actor, theme=theme, inputs=items, from_suggestion=True)
    return theme
