"""From the demo's year of listening to Riverside's chosen priorities.

A coordinator runs the real theme suggestions over the inputs and confirms the
groups that fit a theme, ticking only the inputs about it that had arrived by
then (and tags a few more by hand: the same worry in the other language);
candidates come from the themes, one from staff and one from a participant;
the community ranks them (ranking.py); staff and the analyst fill in the
worksheet; the advisory board votes and publishes its decision, which tells
every linked input's contributor. Months later the coordinator tags the inputs
that came in since. Everything goes through the priorities services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.demo.listening import Listening
from roundtable.demo.past import backdate, moment, notices_sent
from roundtable.demo.priority_texts import (
    ADVISORY_VOTES,
    CHOSEN,
    DECIDED_BY,
    DECISION_TITLE,
    DISSENT,
    FROM_THEMES,
    PUBLIC,
    RATIONALE,
    STAFF,
    THEMES,
    CandidateSpec,
    ThemeSpec,
)
from roundtable.demo.ranking import Ranking, campus_survey
from roundtable.engagement.models import Event, EventKind
from roundtable.inputs.models import Moderation
from roundtable.priorities.models import Candidate, Decision, InputTheme, Theme
from roundtable.priorities.selectors import taggable_inputs, theme_suggestions
from roundtable.priorities.services import suggestion_accept, theme_create, theme_tag
from roundtable.priorities.services_candidates import (
    candidate_create,
    candidate_create_from_theme,
    candidate_update,
    worksheet_update,
)
from roundtable.priorities.services_decisions import (
    advisory_vote_record,
    decision_create,
    decision_publish,
)
from roundtable.stakeholders.models import Organisation

# The advisory board decides at its meeting nearest this day (before today),
# early enough for a team to take a problem through SARA since.
DECISION_NEAR = -165
# Days before the decision: themes, then candidates, then the survey (ranking.py).
THEMES_DAY, CANDIDATES_DAY = -47, -43
# Days before today: the coordinator files the inputs that came in since.
RETAG_DAY = -45
HAND_TAGGED = 4  # "a few": a coordinator's search, not a sweep


@dataclass(frozen=True)
class Chosen:
    """What the problems demo builds on: the decision and its candidates by key."""

    decision: Decision
    candidates: dict[str, Candidate]
    published_at: dt.datetime


class Priorities:
    def __init__(self, listening: Listening) -> None:
        self.rng = listening.rng
        self.today = listening.today
        self.agencies = listening.agencies
        self.agency: Agency = listening.agencies["riverside"]
        self.areas: dict[str, Area] = listening.areas["riverside"]
        self.coordinator: User = listening.users["coordinator"]
        self.analyst: User = listening.users["analyst"]
        self.campus_areas = listening.areas["rsu"]
        self.campus_coordinator = listening.users["unicoordinator"]
        self.themes: dict[str, Theme] = {}
        self.organisations = {o.name: o for o in Organisation.objects.filter(agency=self.agency)}

    def build(self) -> Chosen:
        event = self._decision_meeting()
        decided_at = event.starts_at if event else moment(self.today, DECISION_NEAR, 18)
        decided_on = timezone.localdate(decided_at)
        self._tag(self.themes, moment(decided_on, THEMES_DAY, 9))
        candidates = self._candidates(self.themes, moment(decided_on, CANDIDATES_DAY, 14))
        Ranking(self.rng, decided_on, self.agency, self.areas, self.coordinator, candidates).build()
        for key, candidate in candidates.items():
            self._worksheet(candidate, _spec(key))
        return self._decision(candidates, event, decided_at)

    def file_new_inputs(self) -> None:
        """Inputs keep arriving after the decision; the coordinator files them
        under the themes now and then, which links them to the candidates."""
        self._tag(self.themes, moment(self.today, RETAG_DAY, 9))

    def campus(self) -> None:
        areas, actor = self.campus_areas, self.campus_coordinator
        campus_survey(self.rng, self.today, self.agencies["rsu"], areas, actor)

    # ------------------------------------------------------------ themes

    def _tag(self, themes: dict[str, Theme], cutoff: dt.datetime) -> None:
        """One tagging session at `cutoff`: confirm the suggested groups that fit
        a theme, for the inputs received by then that are about it.

        The suggestions are computed over the inputs the demo holds today, so a
        group may hold inputs that had not arrived at `cutoff`: those are not
        ticked, as the coordinator could not have seen them.
        """
        last_tag = InputTheme.objects.aggregate(last=Max("pk"))["last"] or 0
        new_themes: list[Theme] = []
        ticked: set[int] = set()
        for group in theme_suggestions(agency=self.agency):
            terms = {term.lower() for term in group.terms}
            for spec in THEMES:
                if not terms & spec.proposed:
                    continue
                members = [
                    m.input
                    for m in group.members
                    if m.input.received_at < cutoff
                    and m.input.pk not in ticked
                    and any(word in m.text.lower() for word in spec.ticks)
                ]
                if not members:
                    continue
                ticked.update(item.pk for item in members)
                if spec.key not in themes:
                    themes[spec.key] = self._theme(spec)
                    new_themes.append(themes[spec.key])
                suggestion_accept(
                    actor=self.coordinator,
                    agency=self.agency,
                    inputs=members,
                    theme=themes[spec.key],
                )
        for spec in THEMES:
            if spec.key not in themes:
                # The grouping proposed nothing like it this time: the
                # coordinator names it and searches for its inputs instead.
                themes[spec.key] = self._theme(spec)
                new_themes.append(themes[spec.key])
                searches = spec.ticks
            else:
                searches = spec.by_hand
            for search in searches:
                self._tag_by_hand(themes[spec.key], search, cutoff)
        # Themes and tags are stamped on insert; they belong to the session's day.
        backdate(new_themes, cutoff)
        InputTheme.objects.filter(pk__gt=last_tag).update(created_at=cutoff)

    def _theme(self, spec: ThemeSpec) -> Theme:
        return theme_create(
            actor=self.coordinator,
            agency=self.agency,
            name=spec.name,
            description=spec.description,
        )

    def _tag_by_hand(self, theme: Theme, search: str, cutoff: dt.datetime) -> None:
        found = [
            item
            for item in taggable_inputs(agency=self.agency, theme=theme, q=search)
            if item.received_at < cutoff and item.moderation != Moderation.HIDDEN
        ][:HAND_TAGGED]
        if found:
            theme_tag(actor=self.coordinator, theme=theme, inputs=found)

    # ------------------------------------------------------------ candidates

    def _candidates(self, themes: dict[str, Theme], when: dt.datetime) -> dict[str, Candidate]:
        candidates: dict[str, Candidate] = {}
        for spec in FROM_THEMES:
            theme = themes[spec.key]
            candidate = candidate_create_from_theme(
                actor=self.coordinator, theme=theme, title=spec.title
            )
            candidates[spec.key] = candidate_update(
                actor=self.coordinator,
                candidate=candidate,
                title=spec.title,
                description=theme.description,
                title_translations={"es": spec.title_es},
                areas=list(candidate.areas.all()),
                offence_categories=spec.categories,
            )
        candidates[STAFF.key] = candidate_create(
            actor=self.coordinator,
            agency=self.agency,
            title=STAFF.title,
            description=STAFF.description,
            title_translations={"es": STAFF.title_es},
            areas=[self.areas[slug] for slug in STAFF.areas],
            offence_categories=STAFF.categories,
        )
        backdate(list(candidates.values()), when)
        return candidates

    def _worksheet(self, candidate: Candidate, spec: CandidateSpec) -> None:
        """The coordinator fills in the worksheet; the analyst adds the incident
        figures (no incident data is imported, so they are entered as a note)."""
        sheet = spec.worksheet
        partners = [self.organisations[name] for name in sheet.partners]
        for actor, incident_note in ((self.coordinator, ""), (self.analyst, sheet.incident_note)):
            worksheet_update(
                actor=actor,
                candidate=candidate,
                harm=sheet.harm,
                harm_note=sheet.harm_note,
                feasibility=sheet.feasibility,
                feasibility_note=sheet.feasibility_note,
                incident_note=incident_note,
                equity_affected=sheet.equity_affected,
                equity_heard=sheet.equity_heard,
                partners=partners,
            )

    # ------------------------------------------------------------ decision

    def _decision_meeting(self) -> Event | None:
        near = moment(self.today, DECISION_NEAR, 18)
        held = Event.objects.filter(
            agency=self.agency,
            kind=EventKind.ADVISORY_BOARD,
            starts_at__gte=near - dt.timedelta(days=21),
            starts_at__lte=near + dt.timedelta(days=21),
        )
        return min(held, key=lambda e: abs(e.starts_at - near), default=None)

    def _decision(
        self, candidates: dict[str, Candidate], event: Event | None, decided_at: dt.datetime
    ) -> Chosen:
        decision = decision_create(
            actor=self.coordinator,
            agency=self.agency,
            title=DECISION_TITLE,
            decided_by=DECIDED_BY,
            decided_on=timezone.localdate(decided_at),
            rationale=RATIONALE,
            dissent=DISSENT,
            event=event,
            chosen=[candidates[key] for key in CHOSEN],
        )
        for member, organisation, vote, note in ADVISORY_VOTES:
            advisory_vote_record(
                actor=self.coordinator,
                decision=decision,
                member_name=member,
                vote=vote,
                organisation=self.organisations[organisation],
                note=note,
            )
        published_at = decided_at + dt.timedelta(hours=16)
        decision = decision_publish(actor=self.coordinator, decision=decision, now=published_at)
        notices_sent(self.agencies.values(), published_at)
        backdate([decision], decided_at)
        for candidate in candidates.values():
            candidate.refresh_from_db()
        return Chosen(decision=decision, candidates=candidates, published_at=published_at)


def _spec(key: str) -> CandidateSpec:
    return next(spec for spec in [*FROM_THEMES, STAFF, PUBLIC] if spec.key == key)
