"""Recompute an opinion map from PostgreSQL at scale: how long, from stored votes to stored map?

`python -m load.opinion_recompute [--participants 100000] [--statements 2000] [--per 100]`

Creates a fresh database (`roundtable_opinion_scale` by default), one
conversation with the given participants and statements, and `per` votes per
participant written with COPY (three planted camps, so the map has groups to
find), then times `services_analysis.analysis_run`: the votes read from the
database, the maths, the result stored. Prints the times and the peak memory of
this process. The defaults are the issue's 100,000 × 2,000 × 10,000,000 votes;
writing them takes about three minutes before the timed part.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np

from load.public_inputs import _fresh_database


def _prepare(
    database_url: str, participants: int, statements: int
) -> tuple[int, list[int], list[int]]:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.utils import timezone

    from roundtable.agencies.models import Agency
    from roundtable.opinions.models import Conversation, Participant, Statement

    agency = Agency.objects.create(name="Scaletown Police", slug="scaletown", kind="municipal")
    conversation = Conversation.objects.create(
        agency=agency, title="Scaletown at scale", question="What should we do together?"
    )
    now = timezone.now()
    Statement.objects.bulk_create(
        (
            Statement(
                conversation=conversation,
                number=n,
                text=f"Statement {n}",
                moderation=Statement.Moderation.ACCEPTED,
                created_at=now,
            )
            for n in range(statements)
        ),
        batch_size=5000,
    )
    Participant.objects.bulk_create(
        (
            Participant(conversation=conversation, number=n, token_hash=f"{n:064x}")
            for n in range(participants)
        ),
        batch_size=5000,
    )

    def ids(model: type[Participant] | type[Statement]) -> list[int]:
        rows = model.objects.filter(conversation=conversation).order_by("number")
        return list(rows.values_list("pk", flat=True))

    return conversation.pk, ids(Participant), ids(Statement)


def _write_votes(
    conversation_pk: int, participant_ids: list[int], statement_ids: list[int], per: int
) -> int:
    """COPY `per` votes per participant: each of three camps leans its own way."""
    from django.db import connection
    from django.utils import timezone

    rng = np.random.default_rng(1)
    camps = rng.integers(0, 3, len(participant_ids))
    leaning = rng.choice([-1, 1], size=(3, len(statement_ids)))
    stamp = timezone.now().isoformat()
    columns = "conversation_id, participant_id, statement_id, value, created_at, updated_at"
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(f"COPY opinions_vote ({columns}) FROM STDIN") as copy:
            for row, participant in enumerate(participant_ids):
                chosen = rng.choice(len(statement_ids), per, replace=False)
                agrees = rng.random(per) < 0.75
                lean = leaning[camps[row], chosen]
                values = np.where(agrees, lean, -lean)
                copy.write(
                    "".join(
                        f"{conversation_pk}\t{participant}\t{statement_ids[c]}\t{v}\t{stamp}\t{stamp}\n"
                        for c, v in zip(chosen, values, strict=True)
                    )
                )
        # After the COPY has finished: the connection runs one statement at a time.
        cursor.execute("ANALYZE opinions_vote")
    return len(participant_ids) * per


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=2_000)
    parser.add_argument("--per", type=int, default=100, help="votes per participant")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="roundtable_opinion_scale")
    args = parser.parse_args(argv)

    _fresh_database(args.postgres, args.database)
    database_url = args.postgres.rsplit("/", 1)[0] + "/" + args.database
    pk, participant_ids, statement_ids = _prepare(database_url, args.participants, args.statements)
    started = time.perf_counter()
    votes = _write_votes(pk, participant_ids, statement_ids, args.per)
    written = time.perf_counter() - started

    from roundtable.opinions.models import Conversation
    from roundtable.opinions.services_analysis import analysis_run

    conversation = Conversation.objects.get(pk=pk)
    started = time.perf_counter()
    analysis = analysis_run(conversation=conversation)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"conversation:        {args.participants:,} participants × {args.statements:,} statements"
    )
    print(f"votes written (COPY): {votes:,} in {written:.1f} s (not timed below)")
    print(f"analysis_run:        {seconds:.1f} s from stored votes to stored map")
    print(f"  of which the maths: {analysis.seconds:.1f} s (analyze)")
    print(
        f"map:                 {analysis.group_count} groups, "
        f"{analysis.clustered_count:,} clustered"
    )
    print(f"peak memory:         {peak:,.0f} MB (this process, ru_maxrss)")
    return 0 if analysis.vote_count == votes else 1


if __name__ == "__main__":
    sys.exit(main())
