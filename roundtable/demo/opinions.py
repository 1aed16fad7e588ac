"""The demo's opinion conversations, built through the conversation services.

Riverside's coordinator opens "Safety in Harlow Park and the South District"
with seed statements; 264 participants from three camps (opinion_texts.py)
join over three weeks, most anonymously, some through the city's 311 app
(external ids) and the demo resident signed in. Participants write statements
that the coordinator accepts or moderates out (two stay in the record,
moderated out; one still waits), everyone votes through `vote_cast`, and the
map is computed by the same analysis the background task runs. The common
ground it finds is taken to the priority shortlist, so the worksheet shows it.

A smaller conversation from last year, closed with its report public, gives
the list some history. Votes are backdated afterwards (like the stance
history), as a conversation that ran for three weeks would have them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from roundtable.accounts.models import User
from roundtable.agencies.models import Agency
from roundtable.demo.opinion_texts import (
    ARLINGTON_CAMPS,
    ARLINGTON_LINES,
    ARLINGTON_QUESTION,
    ARLINGTON_TITLE,
    CAMP_SIZES,
    CAMPS,
    SOUTH_BACKGROUND,
    SOUTH_LINES,
    SOUTH_QUESTION,
    SOUTH_TITLE,
    Line,
)
from roundtable.opinions.models import Conversation, Participant, Statement, Vote
from roundtable.opinions.services import (
    conversation_create,
    conversation_set_status,
    new_participant_token,
    participant_for,
    statement_add_seed,
    statement_moderate,
    statement_submit,
    statement_to_candidate,
    vote_cast,
)
from roundtable.opinions.services_analysis import analysis_run
from roundtable.stakeholders.models import Organisation

RUN_DAYS = 21
# How many participants come through the city's 311 app (external ids).
EXTERNAL_SHARE = 0.15
# Statements taken to the priority shortlist: the common ground.
SHORTLISTED = (
    "The broken street lights in Harlow Park should be fixed before anything else is tried.",
    "Landlords of problem properties should be held responsible, not only the people arrested.",
)


def _vote_value(rng: random.Random, odds: tuple[float, float]) -> int:
    draw = rng.random()
    if draw < odds[0]:
        return Vote.Value.AGREE
    if draw < odds[0] + odds[1]:
        return Vote.Value.DISAGREE
    return Vote.Value.PASS


def _join(
    rng: random.Random, conversation: Conversation, index: int, resident: User | None
) -> Participant:
    if index == 0 and resident is not None:
        participant = participant_for(conversation=conversation, user=resident)
    elif rng.random() < EXTERNAL_SHARE:
        participant = participant_for(
            conversation=conversation, external_id=f"riverside-311-{rng.getrandbits(40):010x}"
        )
    else:
        participant = participant_for(conversation=conversation, token=new_participant_token())
    assert participant is not None
    return participant


def _south_district(
    rng: random.Random, agency: Agency, coordinator: User, resident: User | None
) -> Conversation:
    host = (
        Organisation.objects.filter(agency=agency, name__icontains="South").order_by("pk").first()
    )
    seeds = [line for line in SOUTH_LINES if line.kind == "seed"]
    conversation = conversation_create(
        actor=coordinator,
        agency=agency,
        title=SOUTH_TITLE,
        question=SOUTH_QUESTION,
        description=SOUTH_BACKGROUND,
        moderation=Conversation.Moderation.STRICT,
        organisation=host,
        seed_statements=[line.text for line in seeds],
    )
    conversation.analysis_seed = rng.randrange(1_000_000)
    conversation.save(update_fields=["analysis_seed"])
    lines: dict[int, Line] = {}
    for statement in conversation.statements.all():
        lines[statement.pk] = next(line for line in seeds if line.text == statement.text)
    for line in SOUTH_LINES:
        if line.kind == "meta":
            meta = statement_add_seed(
                actor=coordinator, conversation=conversation, text=line.text, is_meta=True
            )
            lines[meta.pk] = line

    camps = [camp for camp in CAMPS for _ in range(CAMP_SIZES[camp])]
    rng.shuffle(camps)
    authored = [line for line in SOUTH_LINES if line.kind in ("participant", "rejected", "pending")]
    # Authors are among the first third to arrive, each writing one statement.
    arrivals = iter(range(len(camps) // 3))
    authors: dict[int, Line] = {}
    for line in authored:
        for index in arrivals:
            if camps[index] == line.author_camp:
                authors[index] = line
                break
    for index, camp in enumerate(camps):
        participant = _join(rng, conversation, index, resident)
        written = authors.get(index)
        if written is not None:
            statement = statement_submit(
                participant=participant, text=written.text, language=written.language
            )
            lines[statement.pk] = written
            if written.kind != "pending":
                statement_moderate(
                    actor=coordinator,
                    statement=statement,
                    moderation=(
                        Statement.Moderation.REJECTED
                        if written.kind == "rejected"
                        else Statement.Moderation.ACCEPTED
                    ),
                )
        _votes(rng, conversation, participant, camp, lines)

    _backdate(rng, conversation)
    analysis_run(conversation=conversation)
    for statement in conversation.statements.filter(text__in=SHORTLISTED):
        statement_to_candidate(actor=coordinator, statement=statement)
    return conversation


def _votes(
    rng: random.Random,
    conversation: Conversation,
    participant: Participant,
    camp: str,
    lines: dict[int, Line],
) -> None:
    """Vote on a share of the statements open now, in a random order (some stop
    early, as people do)."""
    open_now = list(
        Statement.objects.filter(
            conversation=conversation, moderation=Statement.Moderation.ACCEPTED
        ).exclude(votes__participant=participant)
    )
    rng.shuffle(open_now)
    camp_index = CAMPS.index(camp)
    count = min(len(open_now), max(4, int(rng.triangular(4, len(open_now) + 1, len(open_now)))))
    for statement in open_now[:count]:
        value = _vote_value(rng, lines[statement.pk].odds[camp_index])
        vote_cast(participant=participant, statement=statement, value=value)


def _backdate(
    rng: random.Random, conversation: Conversation, *, days: int = RUN_DAYS, ended_days_ago: int = 0
) -> None:
    """Spread participants' arrivals (and so their votes) over the run's days."""
    end = timezone.now() - dt.timedelta(days=ended_days_ago)
    participants = list(conversation.participants.order_by("number"))
    for position, participant in enumerate(participants):
        arrived = end - dt.timedelta(days=days) * (1 - position / max(len(participants), 1))
        arrived += dt.timedelta(minutes=rng.randrange(0, 90))
        arrived = min(arrived, end)
        Vote.objects.filter(participant=participant).update(created_at=arrived, updated_at=arrived)
        Statement.objects.filter(author=participant).update(created_at=arrived)


def _arlington(rng: random.Random, agency: Agency, coordinator: User) -> Conversation:
    conversation = conversation_create(
        actor=coordinator,
        agency=agency,
        title=ARLINGTON_TITLE,
        question=ARLINGTON_QUESTION,
        moderation=Conversation.Moderation.PERMISSIVE,
        allow_statements=False,
        seed_statements=[text for text, _drivers, _parents in ARLINGTON_LINES],
    )
    odds = {text: (drivers, parents) for text, drivers, parents in ARLINGTON_LINES}
    statements: Sequence[Statement] = list(conversation.statements.all())
    camps = [camp for camp, size in ARLINGTON_CAMPS.items() for _ in range(size)]
    rng.shuffle(camps)
    for camp in camps:
        participant = participant_for(conversation=conversation, token=new_participant_token())
        assert participant is not None
        for statement in rng.sample(list(statements), k=rng.randint(5, len(statements))):
            chances = odds[statement.text][0 if camp == "drivers" else 1]
            vote_cast(participant=participant, statement=statement, value=_vote_value(rng, chances))
    _backdate(rng, conversation, days=30, ended_days_ago=330)
    analysis_run(conversation=conversation)
    conversation_set_status(
        actor=coordinator, conversation=conversation, status=Conversation.Status.CLOSED
    )
    return conversation


def conversations_build(
    *, rng: random.Random, agency: Agency, coordinator: User, resident: User | None
) -> list[Conversation]:
    """Riverside's two conversations: last year's, closed, and the current one."""
    return [
        _arlington(rng, agency, coordinator),
        _south_district(rng, agency, coordinator, resident),
    ]
