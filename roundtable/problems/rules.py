"""Who may do what to a problem: the one place the team's rules are read.

Views check these before calling a service, and the services check them again,
so that a command, a task or a future API gets the same answer as the page.

- Agency staff (PROBLEM_STAFF) see every problem of the agency; anyone else
  sees only the problems whose team they are on, with their own account.
- Coordinators and administrators (PROBLEM_MANAGERS) open problems, form the
  team, name the co-leads and put a problem on the public site.
- The team's work (scanning, analysis, hypotheses, response actions, goals,
  assessments, meeting agendas) is for the team's members with an account,
  and for the managers who support them; analysts may enter assessments too.
- Only the two co-leads sign off a move to the next stage.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from roundtable.accounts.access import PROBLEM_MANAGERS, PROBLEM_STAFF, roles_in
from roundtable.accounts.models import Role, User
from roundtable.problems.models import Problem, Side, TeamMember

ASSESSMENT_EDITORS = PROBLEM_MANAGERS | frozenset({Role.ANALYST})


def current_members_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """Members who have not left (a leaving date still ahead counts as present)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": today})


def is_staff(user: User, problem: Problem) -> bool:
    return bool(roles_in(user, problem.agency) & PROBLEM_STAFF)


def is_manager(user: User, problem: Problem) -> bool:
    return bool(roles_in(user, problem.agency) & PROBLEM_MANAGERS)


def membership(user: User, problem: Problem) -> TeamMember | None:
    """The person's current place on the team, if they have one."""
    if not user.is_authenticated:
        return None
    return (
        TeamMember.objects.filter(current_members_q(), problem=problem, user=user)
        .order_by("pk")
        .first()
    )


def is_member(user: User, problem: Problem) -> bool:
    return membership(user, problem) is not None


def may_see(user: User, problem: Problem) -> bool:
    return is_staff(user, problem) or is_member(user, problem)


def may_work(user: User, problem: Problem) -> bool:
    return is_manager(user, problem) or is_member(user, problem)


def may_assess(user: User, problem: Problem) -> bool:
    return bool(roles_in(user, problem.agency) & ASSESSMENT_EDITORS) or is_member(user, problem)


def co_lead_side(user: User, problem: Problem) -> Side | None:
    """Which co-lead `user` is on this problem (None if neither)."""
    if problem.police_co_lead_id is not None and problem.police_co_lead_id == user.pk:
        return Side.POLICE
    if problem.community_co_lead_id is not None and problem.community_co_lead_id == user.pk:
        return Side.COMMUNITY
    return None
