"""Riverside's problem-solving teams, one per chosen priority, at three points of SARA.

- The River Road bus stops: all four stages, signed off by both co-leads at
  each move, with goals agreed before the response, actions (one overdue),
  monthly meetings and an assessment entered by hand, on the public site.
- Millbrook Road: in Analysis, its team without a critic of the agency (the
  composition check says so) and no goal yet (so it cannot move on).
- Old Town bars: in Scanning; the police co-lead has signed off the move to
  Analysis and the community co-lead's sign-off is awaited.

Everything goes through the problems services, by the person who would do it
(co-leads sign off, the team writes, the analyst enters counts), with `now=`
and dates where the services take them; the dates they stamp themselves are
moved back afterwards (past.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.demo.accounts import DEMO_USERNAMES, demo_users
from roundtable.demo.listening import Listening
from roundtable.demo.past import backdate, moment, notices_sent
from roundtable.demo.priorities import Chosen, Priorities
from roundtable.demo.problem_texts import (
    AGENDAS,
    BARS_AREAS,
    BARS_SECTORS,
    BARS_SIGN_OFF,
    BARS_STATEMENT,
    BARS_TEAM,
    BARS_TITLE,
    MINUTES,
    RACING_ANALYSIS,
    RACING_AREAS,
    RACING_HYPOTHESIS,
    RACING_SCANNING_DATA,
    RACING_SECTORS,
    RACING_STATEMENT,
    RACING_TEAM,
    RACING_TITLE,
    STOPS_ACTIONS,
    STOPS_ANALYSIS,
    STOPS_AREAS,
    STOPS_ASSESSMENT,
    STOPS_GOALS,
    STOPS_HYPOTHESES,
    STOPS_SCANNING_DATA,
    STOPS_SECTORS,
    STOPS_STATEMENT,
    STOPS_SUMMARY,
    STOPS_TEAM,
    STOPS_TITLE,
    STOPS_VENUE,
    Member,
)
from roundtable.engagement.services import event_minutes_save
from roundtable.inputs.models import Input, Moderation
from roundtable.inputs.services import inputs_linked_to
from roundtable.priorities.models import Candidate
from roundtable.problems.models import (
    Assessment,
    Problem,
    ResponseAction,
    Side,
    Stage,
)
from roundtable.problems.services import (
    problem_create,
    problem_inputs_link,
    problem_public_set,
    problem_update,
)
from roundtable.problems.services_meetings import meetings_schedule
from roundtable.problems.services_team import co_leads_set, member_add
from roundtable.problems.services_work import (
    action_create,
    action_update,
    assessment_create,
    goal_create,
    goal_result_record,
    hypothesis_create,
    hypothesis_update,
)
from roundtable.problems.stages import stage_sign_off
from roundtable.stakeholders.models import Organisation

# Days before today of the bus stops team's moves; it opens a few days after the
# decision. Its 12-week after period ends before the move to Assessment.
TO_ANALYSIS, TO_RESPONSE, TO_ASSESSMENT = -128, -105, -15
GOALS_DAY, ASSESSED_DAY = -120, -12
PERIOD = 84  # days before and after the response starts
RACING_TO_ANALYSIS = -60
BARS_OPENED, BARS_SIGNED = -28, -3
MEETING_WEEKDAY = 1  # teams meet on the second Tuesday of the month, 17:30


class Problems:
    def __init__(self, listening: Listening, chosen: Chosen) -> None:
        self.listening = listening
        self.today = listening.today
        self.agency = listening.agencies["riverside"]
        self.areas = listening.areas["riverside"]
        self.users = listening.users
        self.coordinator = listening.users["coordinator"]
        self.chosen = chosen
        self.opened_on = timezone.localdate(chosen.published_at)
        self.organisations = {o.name: o for o in Organisation.objects.filter(agency=self.agency)}

    # ------------------------------------------------------------ shared steps

    def _open(
        self,
        key: str,
        title: str,
        areas: tuple[str, str, str],
        sectors: Sequence[str],
        team: list[Member],
        opened_on: dt.date,
    ) -> Problem:
        """The coordinator opens the problem from a chosen priority and forms its team."""
        priority: Candidate = self.chosen.candidates[key]
        response, comparison, buffer = (self.areas[slug] for slug in areas)
        problem = problem_create(
            actor=self.coordinator,
            agency=self.agency,
            title=title,
            priority=priority,
            area=response,
            comparison_area=comparison,
            buffer_area=buffer,
            sectors=sectors,
        )
        for member in team:
            user = self.users[member.account] if member.account else None
            member_add(
                actor=self.coordinator,
                problem=problem,
                side=member.side,
                name=member.name,
                user=user,
                organisation=self.organisations[member.organisation]
                if member.organisation
                else None,
                role=member.role,
                lives_in_area=member.lives_in_area,
                joined_on=opened_on,
            )
        police, community = (
            next(self.users[m.account] for m in team if m.account and m.side == side)
            for side in (Side.POLICE, Side.COMMUNITY)
        )
        co_leads_set(
            actor=self.coordinator,
            problem=problem,
            police_co_lead=police,
            community_co_lead=community,
        )
        # created_at is stamped on insert; the stage bar reads Scanning's date from it.
        backdate([problem], moment(opened_on, 0, 11))
        return problem

    def _move(self, problem: Problem, first: User, second: User, day: int, note: str) -> None:
        """Both co-leads sign off, the second a day later; that completes the move,
        which tells the contributors of linked inputs (sent at the time)."""
        stage_sign_off(actor=first, problem=problem, note=note, now=moment(self.today, day - 1, 16))
        moved_at = moment(self.today, day, 9, 30)
        stage_sign_off(actor=second, problem=problem, now=moved_at)
        notices_sent(self.listening.agencies.values(), moved_at)

    # ------------------------------------------------------------ the bus stops

    def bus_stops(self) -> Problem:
        pst, partner, analyst = self.users["pst"], self.users["partner"], self.users["analyst"]
        problem = self._open(
            "drugs",
            STOPS_TITLE,
            STOPS_AREAS,
            STOPS_SECTORS,
            STOPS_TEAM,
            self.opened_on + dt.timedelta(days=4),
        )
        problem = problem_update(
            actor=pst, problem=problem, statement=STOPS_STATEMENT, scanning_data=STOPS_SCANNING_DATA
        )
        self._meetings(problem)
        self._move(problem, pst, partner, TO_ANALYSIS, "Statement and data agreed at the meeting.")
        problem = problem_update(actor=partner, problem=problem, **STOPS_ANALYSIS)
        hypotheses = [
            hypothesis_create(actor=pst, problem=problem, text=text)
            for text, _status, _evidence in STOPS_HYPOTHESES
        ]
        backdate(hypotheses, moment(self.today, TO_ANALYSIS + 3, 19))
        for hypothesis, (text, status, evidence) in zip(hypotheses, STOPS_HYPOTHESES, strict=True):
            hypothesis_update(
                actor=pst, hypothesis=hypothesis, text=text, status=status, evidence=evidence
            )
        response_on = self.today + dt.timedelta(days=TO_RESPONSE)
        goals = [
            goal_create(
                actor=partner,
                problem=problem,
                metric=metric,
                baseline=Decimal(baseline),
                target=Decimal(target),
                target_date=response_on + dt.timedelta(days=PERIOD - 1),
            )
            for metric, baseline, target, _result, _note in STOPS_GOALS
        ]
        # Agreed at the meeting before the response, as the service requires.
        backdate(goals, moment(self.today, GOALS_DAY, 19))
        self._move(problem, partner, pst, TO_RESPONSE, "Goals agreed; the response can start.")
        self._actions(problem, response_on)
        problem_public_set(
            actor=self.coordinator, problem=problem, public_summary=STOPS_SUMMARY, is_public=True
        )
        self._link_recent(problem, moment(self.today, TO_ASSESSMENT - 5, 10))
        self._move(problem, pst, partner, TO_ASSESSMENT, "The 12 weeks after are counted.")
        for goal, (_m, _b, _t, result, note) in zip(goals, STOPS_GOALS, strict=True):
            goal_result_record(actor=pst, goal=goal, result=Decimal(result), result_note=note)
        assessment = assessment_create(
            actor=analyst,
            problem=problem,
            before_start=response_on - dt.timedelta(days=PERIOD),
            before_end=response_on - dt.timedelta(days=1),
            after_start=response_on,
            after_end=response_on + dt.timedelta(days=PERIOD - 1),
            source=Assessment.Source.HAND,
            **STOPS_ASSESSMENT,
        )
        backdate([assessment], moment(self.today, ASSESSED_DAY, 15))
        return problem

    def _link_recent(self, problem: Problem, before: dt.datetime) -> None:
        """At a review of the ledger, the coordinator searches for the inputs about
        dealing in and around the response area that came in since the team formed,
        and links them, so that those contributors hear of the team's progress too."""
        places = [problem.area_id, problem.buffer_area_id]
        found = (
            Input.objects.filter(agency=self.agency, area__in=places, received_at__lt=before)
            .filter(Q(text__icontains="drug") | Q(text__icontains="drogas"))
            .exclude(moderation=Moderation.HIDDEN)
            .exclude(pk__in=inputs_linked_to(problem).values("pk"))
            .order_by("received_at")
        )
        codes = " ".join(item.receipt_code for item in found)
        if codes:
            problem_inputs_link(actor=self.coordinator, problem=problem, codes=codes)

    def _actions(self, problem: Problem, response_on: dt.date) -> None:
        pst, partner = self.users["pst"], self.users["partner"]
        created = []
        for description, owner_name, partner_name, due, done in STOPS_ACTIONS:
            action = action_create(
                actor=partner,
                problem=problem,
                description=description,
                owner_name=owner_name or pst.get_full_name(),
                owner=None if owner_name else pst,
                partner=self.organisations[partner_name] if partner_name else None,
                due_on=response_on + dt.timedelta(days=due),
            )
            created.append(action)
            # Open actions are under way (one is past its date: it shows as overdue).
            action_update(
                actor=pst,
                action=action,
                status=ResponseAction.Status.DONE if done else ResponseAction.Status.IN_PROGRESS,
                done_on=response_on + dt.timedelta(days=done) if done else None,
            )
        backdate(created, moment(response_on, 1, 18))

    def _meetings(self, problem: Problem) -> None:
        """The monthly meetings since the team formed and the next one, each with
        its agenda; those held have minutes (kept to the team: not published).

        Scheduled one month at a time on the second Tuesday, which a series on
        one day of the month (`monthly`) cannot express.
        """
        place, address = STOPS_VENUE
        month = self.opened_on.replace(day=1)
        held: Counter[str] = Counter()
        while True:
            month = (month + dt.timedelta(days=32)).replace(day=1)
            day = month + dt.timedelta(days=(MEETING_WEEKDAY - month.weekday()) % 7 + 7)
            days = (day - self.today).days
            stage = _stage_on(days)
            nth = min(held[stage], len(AGENDAS[stage]) - 1)
            held[stage] += 1
            meeting = meetings_schedule(
                actor=self.coordinator,
                problem=problem,
                first_starts_at=moment(day, 0, 17, 30),
                months=1,
                place_name=place,
                address=address,
                agenda=AGENDAS[stage][nth],
            )[0]
            if days >= 0:
                return
            event_minutes_save(
                actor=self.coordinator,
                event=meeting.event,
                minutes=MINUTES[stage][min(nth, len(MINUTES[stage]) - 1)],
                publish=False,
            )

    # ------------------------------------------------------------ the others

    def racing(self) -> Problem:
        command, partner = self.users["command"], self.users["partner"]
        problem = self._open(
            "speeding",
            RACING_TITLE,
            RACING_AREAS,
            RACING_SECTORS,
            RACING_TEAM,
            self.opened_on + dt.timedelta(days=7),
        )
        problem = problem_update(
            actor=partner,
            problem=problem,
            statement=RACING_STATEMENT,
            scanning_data=RACING_SCANNING_DATA,
        )
        self._move(problem, partner, command, RACING_TO_ANALYSIS, "Ready to study the racing.")
        problem = problem_update(actor=command, problem=problem, **RACING_ANALYSIS)
        hypothesis = hypothesis_create(actor=command, problem=problem, text=RACING_HYPOTHESIS)
        backdate([hypothesis], moment(self.today, RACING_TO_ANALYSIS + 6, 19))
        return problem

    def bars(self) -> Problem:
        pst = self.users["pst"]
        opened_on = self.today + dt.timedelta(days=BARS_OPENED)
        problem = self._open("bars", BARS_TITLE, BARS_AREAS, BARS_SECTORS, BARS_TEAM, opened_on)
        problem = problem_update(actor=pst, problem=problem, statement=BARS_STATEMENT)
        stage_sign_off(
            actor=pst, problem=problem, note=BARS_SIGN_OFF, now=moment(self.today, BARS_SIGNED, 16)
        )
        return problem


def _stage_on(days: int) -> str:
    """The bus stops problem's stage `days` after today."""
    if days < TO_ANALYSIS:
        return Stage.SCANNING
    if days < TO_RESPONSE:
        return Stage.ANALYSIS
    if days < TO_ASSESSMENT:
        return Stage.RESPONSE
    return Stage.ASSESSMENT


def priorities_and_problems(listening: Listening) -> None:
    """Riverside's cycle from listening to problem-solving, in the order it
    happened: the priorities, the two older teams, the inputs filed since, the
    newest team; and the university's survey, open now."""
    priorities = Priorities(listening)
    problems = Problems(listening, priorities.build())
    problems.bus_stops()
    problems.racing()
    priorities.file_new_inputs()
    problems.bars()
    priorities.campus()


def demo_co_leads() -> dict[str, list[Problem]]:
    """For `roundtable demo --logins`: the problems each demo sign-in co-leads."""
    users = demo_users()
    problems = (
        Problem.objects.filter(Q(police_co_lead__in=users) | Q(community_co_lead__in=users))
        .select_related("police_co_lead", "community_co_lead")
        .order_by("pk")
    )
    led: dict[str, list[Problem]] = {}
    for user in sorted(users, key=lambda u: DEMO_USERNAMES.index(u.username)):
        mine = [p for p in problems if user.pk in (p.police_co_lead_id, p.community_co_lead_id)]
        if mine:
            led[user.username] = mine
    return led
