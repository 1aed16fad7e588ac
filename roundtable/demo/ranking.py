"""The community's ranking in the demo: a closed pairwise survey with several
hundred votes, a participant's suggestion approved and another rejected, dots
at an in-person meeting, and the university's survey still open.

Votes go through the public service (`vote_cast`) with a genuine ticket for a
pair chosen as the vote page chooses it (`pairs.choose_pair`), so they pass
the same checks a participant's vote passes. Who prefers what is simulated
from a Bradley–Terry model: each candidate has a strength, shifted in the
areas where it matters most, and a participant picks the left one with
probability 1 / (1 + exp(−(left − right))), or can't decide, more often when
the two are close.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency, Area
from roundtable.demo.city import SPANISH_NEIGHBOURHOODS
from roundtable.demo.past import backdate, moment
from roundtable.demo.priority_texts import (
    CAMPUS_CANDIDATES,
    CAMPUS_QUESTION,
    CAMPUS_QUESTION_ES,
    DOTS_NOTE,
    PUBLIC,
    PUBLIC_TEXT,
    QUESTION,
    QUESTION_ES,
    REJECTED_NOTE,
    REJECTED_TEXT,
)
from roundtable.engagement.models import Event, EventKind
from roundtable.priorities import pairs
from roundtable.priorities.models import Candidate, Comparison, PairwiseSurvey
from roundtable.priorities.services_candidates import candidate_create, candidate_update
from roundtable.priorities.services_ranking import (
    dot_votes_record,
    suggestion_approve,
    suggestion_reject,
    suggestion_submit,
    survey_close,
    survey_create,
    survey_open,
    vote_cast,
)

# Days before the advisory board's decision: the survey runs for a month and
# closes shortly before the meeting; a suggestion comes in during its second week.
SURVEY_OPENS, SURVEY_CLOSES = -35, -5
SUGGESTED_DAY, MODERATED_DAY = -26, -24
VOTES = 760
CAMPUS_OPENS, CAMPUS_VOTES = -12, 26
# Where voters say they live (None: they did not say). Three neighbourhoods give
# enough votes for results of their own; the rest stay under the threshold.
AREA_WEIGHTS: list[tuple[str | None, int]] = [
    ("southbank", 24),
    ("millbrook", 21),
    ("old-town", 19),
    ("linden-grove", 2),
    ("eastgate", 2),
    ("cedar-heights", 2),
    ("harlow-park", 2),
    ("university-hill", 2),
    ("fairview", 2),
    (None, 24),
]
# Latent strengths (log-odds scale) by candidate key, and where they shift.
STRENGTH = {
    "drugs": 1.1,
    "speeding": 0.8,
    "bars": 0.6,
    "lights": 0.2,
    "youth": 0.3,
    "breakins": 0.1,
    "abandoned": -0.1,
}
AREA_SHIFT = {
    "southbank": {"drugs": 1.0, "lights": 0.2, "bars": -0.5, "speeding": -0.3},
    "millbrook": {"speeding": 0.8, "breakins": 0.3, "drugs": -0.4},
    "old-town": {"bars": 1.6, "breakins": 0.3, "drugs": -0.4, "speeding": -0.4},
}
DOTS_PER_PERSON = 3


@dataclass
class Ranking:
    rng: random.Random
    decided_on: dt.date  # the survey's days count from the decision's
    agency: Agency
    areas: dict[str, Area]
    coordinator: User
    candidates: dict[str, Candidate]  # by key; the approved suggestion is added

    def build(self) -> PairwiseSurvey:
        survey = survey_create(
            actor=self.coordinator,
            agency=self.agency,
            question=QUESTION,
            question_translations={"es": QUESTION_ES},
            candidates=list(self.candidates.values()),
        )
        survey_open(actor=self.coordinator, survey=survey)
        opens = moment(self.decided_on, SURVEY_OPENS, 9)
        closes = moment(self.decided_on, SURVEY_CLOSES, 23, 59)
        moderated = moment(self.decided_on, MODERATED_DAY, 11)
        span = (closes - opens).total_seconds()
        # Most votes come in the first days, after the launch and the newsletter.
        times = sorted(
            opens + dt.timedelta(seconds=span * self.rng.random() ** 1.6) for _ in range(VOTES)
        )
        keys = {c.pk: key for key, c in self.candidates.items()}
        counts: Counter[tuple[int, int]] = Counter()
        stamps: list[Comparison] = []
        suggested = False
        for when in times:
            if not suggested and when >= moderated:
                self._suggestions(survey)
                keys = {c.pk: key for key, c in self.candidates.items()}
                suggested = True
            stamps.append(self._vote(survey, keys, counts, when))
        if not suggested:
            self._suggestions(survey)
        # created_at is stamped on insert; each vote belongs to its day of the survey.
        Comparison.objects.bulk_update(stamps, ["created_at"], batch_size=500)
        survey_close(actor=self.coordinator, survey=survey)
        PairwiseSurvey.objects.filter(pk=survey.pk).update(
            created_at=opens - dt.timedelta(days=3), opened_at=opens, closed_at=closes
        )
        self._dots()
        return survey

    def _vote(
        self,
        survey: PairwiseSurvey,
        keys: dict[int, str],
        counts: Counter[tuple[int, int]],
        when: dt.datetime,
    ) -> Comparison:
        rng = self.rng
        pair = pairs.choose_pair(sorted(keys), counts, rng=rng)
        assert pair is not None  # the ballot always has several candidates
        left, right = pair
        slug = rng.choices([s for s, _w in AREA_WEIGHTS], [w for _s, w in AREA_WEIGHTS])[0]
        spanish = rng.random() < (0.6 if slug in SPANISH_NEIGHBOURHOODS else 0.08)
        comparison = vote_cast(
            survey=survey,
            token=pairs.pair_token(survey_id=survey.pk, left_id=left, right_id=right),
            outcome=self._outcome(keys[left], keys[right], slug),
            area=self.areas[slug] if slug else None,
            language="es" if spanish else "en",
        )
        counts[pairs.pair_key(left, right)] += 1
        comparison.created_at = when
        return comparison

    def _outcome(self, left: str, right: str, slug: str | None) -> Comparison.Outcome:
        shift = AREA_SHIFT.get(slug or "", {})
        difference = (STRENGTH[left] + shift.get(left, 0.0)) - (
            STRENGTH[right] + shift.get(right, 0.0)
        )
        if self.rng.random() < 0.03 + 0.1 * math.exp(-abs(difference)):
            return Comparison.Outcome.CANT_DECIDE
        if self.rng.random() < 1 / (1 + math.exp(-difference)):
            return Comparison.Outcome.LEFT
        return Comparison.Outcome.RIGHT

    def _suggestions(self, survey: PairwiseSurvey) -> None:
        """Two participants suggest their own; a moderator approves one (tidying
        its title) and rejects the other, saying why."""
        kept = suggestion_submit(survey=survey, text=PUBLIC_TEXT, language="en")
        refused = suggestion_submit(survey=survey, text=REJECTED_TEXT, language="en")
        kept = suggestion_approve(actor=self.coordinator, candidate=kept, title=PUBLIC.title)
        kept = candidate_update(
            actor=self.coordinator,
            candidate=kept,
            title=PUBLIC.title,
            description=PUBLIC_TEXT,
            title_translations={"es": PUBLIC.title_es},
            areas=[self.areas[slug] for slug in PUBLIC.areas],
            offence_categories=PUBLIC.categories,
        )
        suggestion_reject(actor=self.coordinator, candidate=refused, note=REJECTED_NOTE)
        # Submitted and moderated on their own days, not at the demo's build time.
        suggested = moment(self.decided_on, SUGGESTED_DAY, 20, 15)
        moderated = moment(self.decided_on, MODERATED_DAY, 11)
        Candidate.objects.filter(pk__in=[kept.pk, refused.pk]).update(
            created_at=suggested, moderated_at=moderated
        )
        self.candidates[PUBLIC.key] = kept

    def _dots(self) -> None:
        """Dots at the in-person meeting held while the survey ran: the town hall
        if there was one, else the advisory board's meeting."""
        held = Event.objects.filter(
            agency=self.agency,
            starts_at__gte=moment(self.decided_on, SURVEY_OPENS, 0),
            starts_at__lte=moment(self.decided_on, SURVEY_CLOSES, 23, 59),
        ).order_by("starts_at", "pk")
        event = (
            held.filter(kind=EventKind.TOWN_HALL).first()
            or held.filter(kind=EventKind.ADVISORY_BOARD).first()
        )
        people = self.rng.randint(28, 40)
        weights = [math.exp(STRENGTH[key]) for key in self.candidates]
        placed = Counter(
            self.rng.choices(list(self.candidates), weights, k=people * DOTS_PER_PERSON)
        )
        votes = dot_votes_record(
            actor=self.coordinator,
            agency=self.agency,
            dots={self.candidates[key]: n for key, n in placed.items()},
            event=event,
            note=DOTS_NOTE,
        )
        when = event.ends_at if event else moment(self.decided_on, SURVEY_CLOSES)
        backdate(votes, when + dt.timedelta(hours=14), field="entered_at")


def campus_survey(
    rng: random.Random, today: dt.date, agency: Agency, areas: dict[str, Area], actor: User
) -> PairwiseSurvey:
    """The university's smaller ballot, open now with its first few votes, so the
    public vote page has something live."""
    candidates = [
        candidate_create(
            actor=actor,
            agency=agency,
            title=title,
            title_translations={"es": title_es},
            areas=[areas[slug] for slug in slugs],
        )
        for title, title_es, slugs in CAMPUS_CANDIDATES
    ]
    survey = survey_create(
        actor=actor,
        agency=agency,
        question=CAMPUS_QUESTION,
        question_translations={"es": CAMPUS_QUESTION_ES},
        candidates=candidates,
    )
    survey_open(actor=actor, survey=survey)
    opens = moment(today, CAMPUS_OPENS, 12)
    Candidate.objects.filter(pk__in=[c.pk for c in candidates]).update(
        created_at=opens - dt.timedelta(days=6)
    )
    ids = [c.pk for c in candidates]
    counts: Counter[tuple[int, int]] = Counter()
    stamps = []
    for _ in range(CAMPUS_VOTES):
        pair = pairs.choose_pair(ids, counts, rng=rng)
        assert pair is not None
        area = rng.choice([*areas.values(), None])
        comparison = vote_cast(
            survey=survey,
            token=pairs.pair_token(survey_id=survey.pk, left_id=pair[0], right_id=pair[1]),
            outcome=rng.choices(list(Comparison.Outcome), [45, 45, 10])[0],
            area=area,
        )
        counts[pairs.pair_key(*pair)] += 1
        # Over the days it has been open, never later than yesterday.
        comparison.created_at = opens + dt.timedelta(hours=rng.randint(1, -CAMPUS_OPENS * 24 - 18))
        stamps.append(comparison)
    Comparison.objects.bulk_update(stamps, ["created_at"])
    PairwiseSurvey.objects.filter(pk=survey.pk).update(
        created_at=opens - dt.timedelta(days=2), opened_at=opens
    )
    return survey
