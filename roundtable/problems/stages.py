"""Moving a problem through Scanning, Analysis, Response and Assessment.

A move needs both co-leads: each signs off "move to <next stage>" for their
side, and when both have signed for the same move the problem moves. The move
is logged (StageMove), audited, and the people whose inputs are linked to the
problem are told, in public words.

Two co-leads signing at the same moment must not move the problem twice (or
not at all): the problem row is locked while a sign-off is checked and saved,
so the second signer sees the first one's sign-off, and a sign-off names the
stage it moves *from*, so a late signer cannot push the problem on again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.accounts.models import User
from roundtable.audit.services import audit_record
from roundtable.inputs.services import linked_item_changed
from roundtable.problems import rules
from roundtable.problems.models import STAGE_ORDER, Problem, Side, Stage, StageMove, StageSignOff


def next_stage(stage: Stage | str) -> Stage | None:
    """The stage after `stage` (None once closed)."""
    index = STAGE_ORDER.index(Stage(stage))
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def move_blockers(problem: Problem) -> list[str]:
    """Why the problem may not move on yet (empty when it may)."""
    blockers: list[str] = []
    if problem.stage == Stage.ANALYSIS and not problem.goals.exists():
        # Goals are agreed up front, so that the assessment measures against
        # what the team meant to achieve, not against what happened.
        blockers.append(
            _("Agree at least one goal (metric, baseline, target, date) before the response.")
        )
    return blockers


# What the people who spoke are told at each move: public words, no names.
_MOVE_NEWS: dict[Stage, Callable[[], str]] = {
    Stage.ANALYSIS: lambda: _(
        "The team is now studying the problem: where and when it happens, and why."
    ),
    Stage.RESPONSE: lambda: _(
        "The team has agreed its goals and is now putting its response into action."
    ),
    Stage.ASSESSMENT: lambda: _("The team is now checking whether its response worked."),
    Stage.CLOSED: lambda: _("The team has finished its work on this problem."),
}


def move_news(problem: Problem, to_stage: Stage) -> str:
    """The update for contributors, in the active language."""
    return _("News on “%(title)s”: %(news)s") % {
        "title": problem.title,
        "news": _MOVE_NEWS[to_stage](),
    }


@dataclass(frozen=True)
class SignOffResult:
    sign_off: StageSignOff
    move: StageMove | None  # set when this sign-off completed the move


@transaction.atomic
def stage_sign_off(
    *, actor: User, problem: Problem, note: str = "", now: dt.datetime | None = None
) -> SignOffResult:
    """`actor`, a co-lead, agrees that the problem moves to its next stage.

    Refused (PermissionDenied) for anyone but the two co-leads; refused
    (ValidationError) when this co-lead has already signed this move, when the
    problem is closed, or while something blocks the move (no goal before the
    response). `problem` is updated in place when the move happens.
    """
    now = now or timezone.now()
    locked = Problem.objects.select_for_update().select_related("agency").get(pk=problem.pk)
    side = rules.co_lead_side(actor, locked)
    if side is None:
        raise PermissionDenied(_("Only the two co-leads sign off a move."))
    from_stage = Stage(locked.stage)
    to_stage = next_stage(from_stage)
    if to_stage is None:
        raise ValidationError(_("This problem is closed: there is no next stage."))
    blockers = move_blockers(locked)
    if blockers:
        raise ValidationError(blockers)
    signed = StageSignOff.objects.filter(problem=locked, from_stage=from_stage, to_stage=to_stage)
    if signed.filter(side=side).exists():
        raise ValidationError(_("You have already signed off this move."))
    try:
        with transaction.atomic():
            sign_off = StageSignOff.objects.create(
                problem=locked,
                from_stage=from_stage,
                to_stage=to_stage,
                side=side,
                user=actor,
                note=note.strip(),
                signed_at=now,
            )
    except IntegrityError:
        raise ValidationError(_("You have already signed off this move.")) from None
    audit_record(
        actor=actor,
        agency=locked.agency,
        action="problems.stage.sign_off",
        instance=locked,
        after={"from": str(from_stage), "to": str(to_stage), "side": str(side)},
    )
    other = Side.COMMUNITY if side == Side.POLICE else Side.POLICE
    move = None
    if signed.filter(side=other).exists():
        move = _move(actor, locked, from_stage, to_stage, now)
    problem.stage = locked.stage
    problem.stage_changed_at = locked.stage_changed_at
    return SignOffResult(sign_off=sign_off, move=move)


def _move(
    actor: User, problem: Problem, from_stage: Stage, to_stage: Stage, now: dt.datetime
) -> StageMove:
    move = StageMove.objects.create(
        problem=problem, from_stage=from_stage, to_stage=to_stage, moved_at=now
    )
    problem.stage = to_stage
    problem.stage_changed_at = now
    problem.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit_record(
        actor=actor,
        agency=problem.agency,
        action="problems.stage.move",
        instance=problem,
        before={"stage": str(from_stage)},
        after={"stage": str(to_stage)},
    )
    linked_item_changed(item=problem, message=lambda: move_news(problem, to_stage), now=now)
    return move
