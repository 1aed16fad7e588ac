"""Riverside asks how Harlow Park can feel safe for everyone.

The conversation (`park`) opens with seven seed statements. `plant_votes`
fills it with two camps that disagree on policing the park but agree on
lighting and the toilets, and both reject closing the park at dusk:

| #   | statement                                  | camp "patrols" | camp "youth" |
| --- | ------------------------------------------ | -------------- | ------------ |
| 0   | More officers on foot in the park at night | agree          | disagree     |
| 1   | Stop-and-search in the park should end     | disagree       | agree        |
| 2   | Cameras at every park entrance             | agree          | disagree     |
| 3   | Youth workers in the park in the evenings  | disagree       | agree        |
| 4   | The paths need better lighting             | agree          | agree        |
| 5   | The toilets should stay open until 10 pm   | agree          | agree        |
| 6   | The park should close at dusk              | disagree       | disagree     |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db.models import Max
from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.opinions.models import AGREE, DISAGREE, Conversation, Participant, Statement, Vote
from roundtable.opinions.services import conversation_create

PARK_STATEMENTS = (
    "More officers on foot in the park at night.",
    "Stop-and-search in the park should end.",
    "Cameras at every park entrance.",
    "Youth workers in the park in the evenings.",
    "The paths need better lighting.",
    "The toilets should stay open until 10 pm.",
    "The park should close at dusk.",
)
PATROLS = (AGREE, DISAGREE, AGREE, DISAGREE, AGREE, AGREE, DISAGREE)
YOUTH = (DISAGREE, AGREE, DISAGREE, AGREE, AGREE, AGREE, DISAGREE)
# Statements both camps agree on, and the one both reject.
SHARED = (4, 5)
REJECTED_BY_ALL = 6


@dataclass(frozen=True)
class Camps:
    patrols: list[Participant]
    youth: list[Participant]


@pytest.fixture
def park(agency: Agency, casey: User) -> Conversation:
    return conversation_create(
        actor=casey,
        agency=agency,
        title="Harlow Park after dark",
        question="What would make Harlow Park feel safe for everyone, day and night?",
        seed_statements=PARK_STATEMENTS,
    )


def plant_votes(
    conversation: Conversation,
    n_per_camp: int = 10,
    *,
    start: dt.datetime | None = None,
) -> Camps:
    """Two camps of `n_per_camp` new participants voting on statements 0–6 as in
    the table above, one vote a second from `start` (default: an hour ago),
    written directly (no analysis is requested)."""
    statements = {
        s.number: s for s in Statement.objects.filter(conversation=conversation, number__lt=7)
    }
    assert len(statements) == 7, "plant_votes needs the park's seven statements"
    last = Participant.objects.filter(conversation=conversation).aggregate(n=Max("number"))["n"]
    first = 0 if last is None else last + 1
    people = Participant.objects.bulk_create(
        Participant(conversation=conversation, number=first + i, external_id=f"planted-{first + i}")
        for i in range(2 * n_per_camp)
    )
    moment = start or timezone.now() - dt.timedelta(hours=1)
    votes = []
    for i, person in enumerate(people):
        pattern = PATROLS if i < n_per_camp else YOUTH
        for number, value in enumerate(pattern):
            votes.append(
                Vote(
                    conversation=conversation,
                    participant=person,
                    statement=statements[number],
                    value=value,
                    created_at=moment,
                    updated_at=moment,
                )
            )
            moment += dt.timedelta(seconds=1)
    Vote.objects.bulk_create(votes)
    return Camps(patrols=people[:n_per_camp], youth=people[n_per_camp:])


@pytest.fixture
def planted(park: Conversation) -> Camps:
    return plant_votes(park)
