"""Every write to a problem itself goes through these functions: opening it
(from a chosen priority or not), its scanning and analysis fields, the inputs
that show it, and its public page.

The team (members, co-leads) is written in `services_team.py`, stage moves in
`stages.py`, and the team's work (hypotheses, actions, goals, assessments,
meetings) in `services_work.py` and `services_meetings.py`. Each function
checks who may act (`rules.py`), runs in a transaction and leaves an audit
entry with the values before and after.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roundtable.accounts.access import PROBLEM_MANAGERS, roles_in
from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.audit.services import audit_record, snapshot
from roundtable.inputs import receipts
from roundtable.inputs.models import Input
from roundtable.inputs.services import input_link, inputs_linked_to
from roundtable.priorities.models import Candidate
from roundtable.problems import rules
from roundtable.problems.models import Problem
from roundtable.stakeholders.models import Sector

SCANNING_FIELDS = [
    "title",
    "statement",
    "scanning_data",
    "area",
    "comparison_area",
    "buffer_area",
    "sectors",
]
ANALYSIS_FIELDS = [
    "place",
    "victim",
    "offender",
    "guardians",
    "managers",
    "handlers",
    "partner_data",
]
PUBLIC_FIELDS = ["public_summary", "is_public"]
PROBLEM_AUDIT_FIELDS = ["priority", "stage", *SCANNING_FIELDS, *ANALYSIS_FIELDS, *PUBLIC_FIELDS]
# Free-text fields, kept without surrounding blanks.
TEXT_FIELDS = {"title", "public_summary"} | (set(SCANNING_FIELDS) | set(ANALYSIS_FIELDS)) - {
    "area",
    "comparison_area",
    "buffer_area",
    "sectors",
}


def check_manager(actor: User, agency: Agency) -> None:
    if not roles_in(actor, agency) & PROBLEM_MANAGERS:
        raise PermissionDenied(_("Only coordinators and administrators may do this."))


def _check_areas(problem: Problem) -> None:
    errors: dict[str, str] = {}
    for name in ("area", "comparison_area", "buffer_area"):
        area: Area | None = getattr(problem, name)
        if area is not None and area.agency_id != problem.agency_id:
            errors[name] = _("The area must be one of this agency's areas.")
    if problem.area_id is not None:
        if problem.comparison_area_id == problem.area_id:
            errors["comparison_area"] = _("The comparison area must differ from the response area.")
        if problem.buffer_area_id == problem.area_id:
            errors["buffer_area"] = _("The buffer area must differ from the response area.")
    if errors:
        raise ValidationError(errors)


def _clean_sectors(sectors: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(sectors))
    unknown = set(chosen) - set(Sector.values)
    if unknown:
        raise ValidationError(
            {
                "sectors": _("Unknown government area: %(codes)s.")
                % {"codes": ", ".join(sorted(unknown))}
            }
        )
    return chosen


@transaction.atomic
def problem_create(
    *,
    actor: User,
    agency: Agency,
    title: str,
    priority: Candidate | None = None,
    area: Area | None = None,
    comparison_area: Area | None = None,
    buffer_area: Area | None = None,
    sectors: Iterable[str] = (),
    statement: str = "",
) -> Problem:
    """Open a problem for a team to work through SARA.

    Opened from a chosen priority, it takes over the inputs linked to that
    priority (each is linked to the problem too), so that the people who spoke
    hear of the team's progress.
    """
    check_manager(actor, agency)
    if priority is not None:
        if priority.agency_id != agency.pk:
            raise ValidationError({"priority": _("This belongs to another agency.")})
        if priority.status != Candidate.Status.CHOSEN:
            raise ValidationError(
                {"priority": _("Only a priority the advisory group chose can have a team.")}
            )
    problem = Problem(
        agency=agency,
        priority=priority,
        title=title.strip(),
        area=area,
        comparison_area=comparison_area,
        buffer_area=buffer_area,
        sectors=_clean_sectors(sectors),
        statement=statement.strip(),
        created_by=actor,
    )
    _check_areas(problem)
    problem.full_clean(exclude=["created_by", "priority"])
    problem.save()
    audit_record(
        actor=actor,
        agency=agency,
        action="problems.create",
        instance=problem,
        after=snapshot(problem, PROBLEM_AUDIT_FIELDS),
    )
    if priority is not None:
        for linked in inputs_linked_to(priority).order_by("pk"):
            input_link(actor=actor, input=linked, item=problem)
    return problem


@transaction.atomic
def problem_update(*, actor: User, problem: Problem, **fields: Any) -> Problem:
    """Change scanning or analysis fields (only those given): the team's work."""
    unknown = set(fields) - set(SCANNING_FIELDS) - set(ANALYSIS_FIELDS)
    if unknown:
        raise TypeError(f"problem_update cannot set {sorted(unknown)}")
    if not rules.may_work(actor, problem):
        raise PermissionDenied(_("Only the team and coordinators may change this problem."))
    before = snapshot(problem, PROBLEM_AUDIT_FIELDS)
    if "sectors" in fields:
        fields["sectors"] = _clean_sectors(fields["sectors"])
    for name, value in fields.items():
        setattr(problem, name, value.strip() if name in TEXT_FIELDS else value)
    _check_areas(problem)
    problem.full_clean(exclude=["created_by", "priority"])
    problem.save()
    audit_record(
        actor=actor,
        agency=problem.agency,
        action="problems.update",
        instance=problem,
        before=before,
        after=snapshot(problem, PROBLEM_AUDIT_FIELDS),
    )
    return problem


@transaction.atomic
def problem_public_set(
    *, actor: User, problem: Problem, public_summary: str, is_public: bool | None = None
) -> Problem:
    """The plain-language summary for the public page, and whether it is shown.

    The team may draft the summary; only coordinators and administrators put
    the problem on the public site or take it off (`is_public` None leaves it).
    """
    if not rules.may_work(actor, problem):
        raise PermissionDenied(_("Only the team and coordinators may change this problem."))
    if is_public is not None and is_public != problem.is_public:
        check_manager(actor, problem.agency)
    else:
        is_public = problem.is_public
    public_summary = public_summary.strip()
    if is_public and not public_summary:
        raise ValidationError(
            {"public_summary": _("Say in plain words what is being done before it goes public.")}
        )
    before = snapshot(problem, PUBLIC_FIELDS)
    problem.public_summary = public_summary
    problem.is_public = is_public
    problem.save(update_fields=["public_summary", "is_public", "updated_at"])
    audit_record(
        actor=actor,
        agency=problem.agency,
        action="problems.public",
        instance=problem,
        before=before,
        after=snapshot(problem, PUBLIC_FIELDS),
    )
    return problem


def _parse_codes(text: str) -> tuple[list[str], list[str]]:
    """(stored codes, pieces that cannot be codes) from what staff pasted."""
    pieces = [p for p in text.replace(",", "\n").replace(";", "\n").split() if p.strip()]
    codes: list[str] = []
    bad: list[str] = []
    for piece in pieces:
        code = receipts.normalise(piece)
        if code:
            codes.append(code)
        else:
            bad.append(piece)
    return list(dict.fromkeys(codes)), bad


@transaction.atomic
def problem_inputs_link(*, actor: User, problem: Problem, codes: str) -> int:
    """Link the agency's inputs with these receipt codes to the problem.

    Staff only (inputs carry contact details, which staff see in the ledger),
    and only those who may work on the problem. Returns how many inputs were
    newly linked; a code that is not one of the agency's inputs refuses all.
    """
    if not (rules.is_staff(actor, problem) and rules.may_work(actor, problem)):
        raise PermissionDenied(_("Only agency staff on the team or coordinators may link inputs."))
    found_codes, bad = _parse_codes(codes)
    found = {
        item.receipt_code: item
        for item in Input.objects.filter(agency=problem.agency, receipt_code__in=found_codes)
    }
    missing = bad + [receipts.display(code) for code in found_codes if code not in found]
    if missing:
        raise ValidationError(
            {
                "codes": _("No input of this agency has the receipt code %(codes)s.")
                % {"codes": ", ".join(missing)}
            }
        )
    if not found:
        raise ValidationError({"codes": _("Give at least one receipt code.")})
    already = set(inputs_linked_to(problem).values_list("pk", flat=True))
    new = [item for item in found.values() if item.pk not in already]
    for item in new:
        input_link(actor=actor, input=item, item=problem)
    if new:
        audit_record(
            actor=actor,
            agency=problem.agency,
            action="problems.inputs.link",
            instance=problem,
            after={"inputs": sorted(receipts.display(item.receipt_code) for item in new)},
        )
    return len(new)
