"""Writes to candidate priorities and their worksheet.

Staff add candidates by hand or from a theme; a candidate from a theme is
linked to the theme's inputs (`inputs.services.input_link`), which is how the
people who spoke are told later what became of it. Staff keep a candidate on
the shortlist or reject it; CHOSEN and NOT_CHOSEN are set only by publishing a
decision, and public suggestions are moderated with the ranking. Every write
is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.inputs.models import Input
from roundtable.inputs.services import input_link
from roundtable.priorities.categories import OFFENCE_CATEGORY_KEYS
from roundtable.priorities.models import Candidate, Harm, Theme
from roundtable.stakeholders.models import Organisation

CANDIDATE_FIELDS = [
    "title",
    "description",
    "title_translations",
    "areas",
    "offence_categories",
    "theme",
    "status",
]
WORKSHEET_FIELDS = [
    "harm",
    "harm_note",
    "feasibility",
    "feasibility_note",
    "incident_note",
    "equity_affected",
    "equity_heard",
    "partners",
]
# What staff may set by hand: on the shortlist, or off it.
STAFF_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.REJECTED)
# Other languages a title may be given in (the title itself is in the default).
TRANSLATION_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES) - {
    settings.LANGUAGE_CODE.split("-")[0]
}


def _check_agency(agency: Agency, **things: Iterable[Area | Organisation]) -> None:
    for name, items in things.items():
        if any(item.agency_id != agency.pk for item in items):
            raise ValidationError({name: _("This belongs to another agency.")})


def _clean_translations(translations: Mapping[str, str] | None) -> dict[str, str]:
    cleaned = {}
    for code, text in (translations or {}).items():
        if code not in TRANSLATION_LANGUAGES:
            raise ValidationError(_("Unknown language: %(codes)s.") % {"codes": code})
        if text.strip():
            cleaned[code] = " ".join(text.split())[:200]
    return cleaned


def _clean_categories(categories: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(categories))
    if set(chosen) - OFFENCE_CATEGORY_KEYS:
        raise ValidationError({"offence_categories": _("Unknown offence category.")})
    return chosen


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the candidate a title.")})
    return title


def _audit(
    actor: User, candidate: Candidate, action: str, before: dict[str, object] | None
) -> None:
    fields = WORKSHEET_FIELDS if action == "priorities.worksheet.update" else CANDIDATE_FIELDS
    audit_record(
        actor=actor,
        agency=candidate.agency,
        action=action,
        instance=candidate,
        before=before,
        after=snapshot(candidate, fields),
    )


@transaction.atomic
def candidate_create(
    *,
    actor: User,
    agency: Agency,
    title: str,
    description: str = "",
    title_translations: Mapping[str, str] | None = None,
    areas: Iterable[Area] = (),
    offence_categories: Iterable[str] = (),
) -> Candidate:
    """A candidate added by staff, on the shortlist at once."""
    area_list = list(areas)
    _check_agency(agency, areas=area_list)
    candidate = Candidate.objects.create(
        agency=agency,
        title=_clean_title(title),
        description=description.strip(),
        title_translations=_clean_translations(title_translations),
        offence_categories=_clean_categories(offence_categories),
        status=Candidate.Status.ACTIVE,
        source=Candidate.Source.STAFF,
        created_by=actor,
    )
    candidate.areas.set(area_list)
    _audit(actor, candidate, "priorities.candidate.create", None)
    return candidate


@transaction.atomic
def candidate_create_from_theme(*, actor: User, theme: Theme, title: str = "") -> Candidate:
    """A candidate from a theme across inputs: titled after it (unless `title`
    is given), with its description, the areas its inputs came from, and every
    input in it linked to the candidate."""
    inputs = list(Input.objects.filter(theme_tags__theme=theme).select_related("agency"))
    if not inputs:
        raise ValidationError(_("This theme has no inputs yet: tag some first."))
    areas = Area.objects.filter(inputs__in=inputs).distinct()
    candidate = Candidate.objects.create(
        agency=theme.agency,
        title=_clean_title(title or theme.name),
        description=theme.description,
        theme=theme,
        status=Candidate.Status.ACTIVE,
        source=Candidate.Source.THEME,
        created_by=actor,
    )
    candidate.areas.set(areas)
    for item in inputs:
        input_link(actor=actor, input=item, item=candidate)
    _audit(actor, candidate, "priorities.candidate.create", None)
    return candidate


@transaction.atomic
def candidate_update(
    *,
    actor: User,
    candidate: Candidate,
    title: str,
    description: str,
    title_translations: Mapping[str, str] | None,
    areas: Iterable[Area],
    offence_categories: Iterable[str],
) -> Candidate:
    """Change what a candidate says: its title (and translations), description,
    areas and offence categories."""
    area_list = list(areas)
    _check_agency(candidate.agency, areas=area_list)
    before = snapshot(candidate, CANDIDATE_FIELDS)
    candidate.title = _clean_title(title)
    candidate.description = description.strip()
    candidate.title_translations = _clean_translations(title_translations)
    candidate.offence_categories = _clean_categories(offence_categories)
    candidate.save(
        update_fields=[
            "title",
            "description",
            "title_translations",
            "offence_categories",
            "updated_at",
        ]
    )
    candidate.areas.set(area_list)
    _audit(actor, candidate, "priorities.candidate.update", before)
    return candidate


@transaction.atomic
def candidate_set_status(*, actor: User, candidate: Candidate, status: str) -> Candidate:
    """Keep a candidate on the shortlist or take it off. A candidate a published
    decision has chosen or not is the decision's, and a public suggestion
    awaiting moderation is the ranking's to accept."""
    if status not in STAFF_STATUSES:
        raise ValidationError({"status": _("Staff may only keep a candidate or reject it.")})
    if candidate.status not in STAFF_STATUSES:
        raise ValidationError(
            _("This candidate is %(status)s; its status is no longer set here.")
            % {"status": candidate.get_status_display()}
        )
    before = snapshot(candidate, CANDIDATE_FIELDS)
    candidate.status = status
    candidate.save(update_fields=["status", "updated_at"])
    _audit(actor, candidate, "priorities.candidate.status", before)
    return candidate


@transaction.atomic
def worksheet_update(
    *,
    actor: User,
    candidate: Candidate,
    harm: Harm | int | None,
    harm_note: str = "",
    feasibility: Harm | int | None,
    feasibility_note: str = "",
    incident_note: str = "",
    equity_affected: str = "",
    equity_heard: str = "",
    partners: Iterable[Organisation] = (),
) -> Candidate:
    """Fill in a candidate's worksheet: harm and feasibility (1–5, with why),
    incident figures as entered, equity notes and partners able to help."""
    partner_list = list(partners)
    _check_agency(candidate.agency, partners=partner_list)
    for name, value in (("harm", harm), ("feasibility", feasibility)):
        if value is not None and value not in Harm.values:
            raise ValidationError({name: _("Choose a value from 1 to 5.")})
    before = snapshot(candidate, WORKSHEET_FIELDS)
    candidate.harm = harm
    candidate.harm_note = harm_note.strip()
    candidate.feasibility = feasibility
    candidate.feasibility_note = feasibility_note.strip()
    candidate.incident_note = incident_note.strip()
    candidate.equity_affected = equity_affected.strip()
    candidate.equity_heard = equity_heard.strip()
    candidate.save(update_fields=[*[f for f in WORKSHEET_FIELDS if f != "partners"], "updated_at"])
    candidate.partners.set(partner_list)
    _audit(actor, candidate, "priorities.worksheet.update", before)
    return candidate
