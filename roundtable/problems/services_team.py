"""Forming a problem-solving team: members and the two co-leads.

Coordinators and administrators form the team. A member may be linked to an
organisation on the Community Map and to an account of the agency; an account
lets them sign in to the team's pages, so a person without a role that opens
those pages (a registered resident) is given the team-member role.

The police co-lead is agency staff or a police-side member; the community
co-lead a community-side member. Each signs off stage moves for their side.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.access import TEAM_PARTICIPANTS, roles_in
from roundtable.accounts.models import STAFF_ROLES, Role, User
from roundtable.accounts.services import membership_grant
from roundtable.audit.services import audit_record, snapshot
from roundtable.problems import rules
from roundtable.problems.models import Problem, Side, StageSignOff, TeamMember
from roundtable.problems.services import check_manager
from roundtable.stakeholders.models import Organisation

MEMBER_FIELDS = [
    "side",
    "name",
    "user",
    "organisation",
    "role",
    "lives_in_area",
    "joined_on",
    "left_on",
]


def _check_member(member: TeamMember) -> None:
    agency = member.problem.agency
    if member.organisation is not None and member.organisation.agency_id != agency.pk:
        raise ValidationError(
            {"organisation": _("The organisation must be on this agency's Community Map.")}
        )
    if member.user is not None and not member.user.memberships.filter(agency=agency).exists():
        raise ValidationError(
            {"user": _("The account must belong to someone with a role in this agency.")}
        )
    if member.left_on and member.joined_on and member.left_on < member.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    if member.user is not None:
        taken = TeamMember.objects.filter(problem=member.problem, user=member.user)
        if member.pk:
            taken = taken.exclude(pk=member.pk)
        if taken.exists():
            raise ValidationError({"user": _("This account is already on the team.")})


def _open_pages_for(actor: User, member: TeamMember) -> None:
    """Give a member's account the team-member role if no role of theirs opens
    the team's pages (a resident on the team must be able to sign in to it)."""
    user = member.user
    agency = member.problem.agency
    if user is not None and not roles_in(user, agency) & TEAM_PARTICIPANTS:
        membership_grant(actor=actor, user=user, agency=agency, role=Role.PST_MEMBER)
        # roles_in caches per user object; the next check must see the new role.
        user.__dict__.pop("_roundtable_roles", None)


def _save_member(member: TeamMember) -> None:
    _check_member(member)
    member.full_clean(exclude=["problem", "user", "organisation"])
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        # A concurrent request added the same account first.
        raise ValidationError({"user": _("This account is already on the team.")}) from None


@transaction.atomic
def member_add(
    *,
    actor: User,
    problem: Problem,
    side: Side | str,
    name: str = "",
    user: User | None = None,
    organisation: Organisation | None = None,
    role: str = "",
    lives_in_area: bool = False,
    joined_on: dt.date | None = None,
) -> TeamMember:
    check_manager(actor, problem.agency)
    name = name.strip() or (str(user) if user is not None else "")
    if not name:
        raise ValidationError({"name": _("Give the member's name, or choose their account.")})
    member = TeamMember(
        problem=problem,
        side=side,
        name=name,
        user=user,
        organisation=organisation,
        role=role.strip(),
        lives_in_area=lives_in_area,
        joined_on=joined_on or timezone.localdate(),
    )
    _save_member(member)
    _open_pages_for(actor, member)
    audit_record(
        actor=actor,
        agency=problem.agency,
        action="problems.member.add",
        instance=member,
        after={"problem": problem.pk, **snapshot(member, MEMBER_FIELDS)},
    )
    return member


@transaction.atomic
def member_update(*, actor: User, member: TeamMember, **fields: Any) -> TeamMember:
    """Change a member (only the fields given); `left_on` records that they left.

    A co-lead cannot leave, change account or move to a side that cannot lead:
    name another co-lead first.
    """
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"member_update cannot set {sorted(unknown)}")
    problem = member.problem
    check_manager(actor, problem.agency)
    before = snapshot(member, MEMBER_FIELDS)
    for name, value in fields.items():
        setattr(member, name, value.strip() if name in ("name", "role") else value)
    if not member.name:
        raise ValidationError({"name": _("Give the member's name.")})
    _save_member(member)
    problem.refresh_from_db(fields=["police_co_lead", "community_co_lead"])
    errors = _co_lead_errors(problem, problem.police_co_lead, problem.community_co_lead)
    if errors:
        raise ValidationError(_("This member is a co-lead: name another co-lead first."))
    _open_pages_for(actor, member)
    audit_record(
        actor=actor,
        agency=problem.agency,
        action="problems.member.update",
        instance=member,
        before=before,
        after=snapshot(member, MEMBER_FIELDS),
    )
    return member


def _on_side(problem: Problem, user: User, side: Side) -> bool:
    return TeamMember.objects.filter(
        rules.current_members_q(), problem=problem, user=user, side=side
    ).exists()


def _co_lead_errors(
    problem: Problem, police: User | None, community: User | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if police is not None:
        staff = bool(roles_in(police, problem.agency) & STAFF_ROLES)
        if not (staff or _on_side(problem, police, Side.POLICE)):
            errors["police_co_lead"] = _(
                "The police co-lead must be agency staff or a police member of the team."
            )
    if community is not None and not _on_side(problem, community, Side.COMMUNITY):
        errors["community_co_lead"] = _(
            "The community co-lead must be a community member of the team, with an account."
        )
    if police is not None and police == community:
        errors["community_co_lead"] = _("The two co-leads must be two different people.")
    return errors


@transaction.atomic
def co_leads_set(
    *, actor: User, problem: Problem, police_co_lead: User | None, community_co_lead: User | None
) -> Problem:
    """Name the co-leads. A new co-lead signs for their side afresh: a pending
    sign-off by the person they replace is withdrawn."""
    check_manager(actor, problem.agency)
    # Locked so that a sign-off cannot slip in between the check and the change.
    locked = Problem.objects.select_for_update().select_related("agency").get(pk=problem.pk)
    errors = _co_lead_errors(locked, police_co_lead, community_co_lead)
    if errors:
        raise ValidationError(errors)
    before = snapshot(problem, ["police_co_lead", "community_co_lead"])
    # Pending sign-offs are those of the stage the locked row is in, not the
    # one the caller's copy may still show.
    problem.stage = locked.stage
    withdrawn: list[str] = []
    for side, old, new in (
        (Side.POLICE, problem.police_co_lead_id, police_co_lead),
        (Side.COMMUNITY, problem.community_co_lead_id, community_co_lead),
    ):
        if old != (new.pk if new is not None else None):
            pending = StageSignOff.objects.filter(
                problem=problem, from_stage=problem.stage, side=side
            )
            if pending.exists():
                withdrawn.append(str(side))
                pending.delete()
    problem.police_co_lead = police_co_lead
    problem.community_co_lead = community_co_lead
    problem.save(update_fields=["police_co_lead", "community_co_lead", "updated_at"])
    after: dict[str, Any] = snapshot(problem, ["police_co_lead", "community_co_lead"])
    if withdrawn:
        after["sign_offs_withdrawn"] = withdrawn
    audit_record(
        actor=actor,
        agency=problem.agency,
        action="problems.co_leads",
        instance=problem,
        before=before,
        after=after,
    )
    return problem
