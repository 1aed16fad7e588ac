"""Votes per second on an opinion conversation, while the map keeps updating: none lost?

`python -m load.opinion_votes` (or `make load-opinions`):

1. creates a fresh PostgreSQL database (`roundtable_load_opinions` by default),
   migrates it and opens one conversation with 40 seed statements through the
   conversation services;
2. starts gunicorn (the production WSGI server) and the database task worker
   beside it, with the analysis delay at 1 s, so the opinion map is recomputed
   in the background all through the run, as in production;
3. opens N participants as client threads, each with its own cookie jar and
   its own X-Forwarded-For address (N residents, not one script, for the rate
   limit), which vote through the public vote page exactly as a browser without
   JavaScript does: GET the page (the next statement, chosen by the Polis
   priority rule from the latest map), POST agree/disagree/pass with the CSRF
   token, read the redirect, again, until no statement is left;
4. meanwhile watches the stored map and counts its recomputes;
5. when the clients are done, waits for the worker to finish the last
   recompute, then prints votes accepted per second and checks that every
   accepted vote is stored exactly once and that the final map counts them all.

Exit status 0 only when no accepted vote is missing from the database or the map.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from load.public_inputs import (
    _free_port,
    _fresh_database,
    _redis_answers,
    _wait_for,
    start_gunicorn,
)

ROOT = Path(__file__).resolve().parent.parent
STATEMENTS = 40
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATEMENT_FIELD = re.compile(r'name="statement" value="(\d+)"')


@dataclass
class Client:
    accepted: list[int] = field(default_factory=list)  # statement numbers voted on
    statuses: Counter[int] = field(default_factory=Counter)
    error: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _prepare(database_url: str) -> tuple[str, int]:
    """Migrate, add the agency, a coordinator and the conversation; (slug, pk)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from roundtable.accounts.models import User
    from roundtable.agencies.models import Agency
    from roundtable.opinions.services import conversation_create

    agency = Agency.objects.create(name="Loadtown Police", slug="loadtown", kind="municipal")
    coordinator = User.objects.create_user(username="loadcoordinator")
    conversation = conversation_create(
        actor=coordinator,
        agency=agency,
        title="Loadtown after dark",
        question="What would make Loadtown's streets feel safe at night?",
        seed_statements=[
            f"Statement {n}: the council and the police should act on point {n}."
            for n in range(STATEMENTS)
        ],
    )
    return agency.slug, conversation.pk


def _participate(url: str, n: int, camp: int, barrier: threading.Barrier, out: Client) -> None:
    """One participant voting on every statement it is shown, until none is left."""
    rng = random.Random(n)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
    headers = {"X-Forwarded-For": address}
    barrier.wait()
    try:
        for _round in range(STATEMENTS + 5):
            page_request = urllib.request.Request(url, headers=headers)  # noqa: S310 -- our own server
            with opener.open(page_request, timeout=60) as page:
                html = page.read().decode()
            statement = STATEMENT_FIELD.search(html)
            token = CSRF_FIELD.search(html)
            if statement is None or token is None:
                return  # nothing left to vote on
            number = int(statement.group(1))
            # Two camps, opposite on even statements, in agreement on odd ones.
            agrees = (number % 2 == 1) or (number % 4 == 0) == (camp == 0)
            choice = "agree" if agrees else rng.choice(["disagree", "disagree", "pass"])
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token.group(1), "statement": number, "vote": choice}
            ).encode()
            request = urllib.request.Request(  # noqa: S310 -- our own local server
                url, data=body, method="POST", headers={**headers, "Referer": url}
            )
            try:
                with opener.open(request, timeout=60) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
                error.read()
            out.statuses[status] += 1
            if status in (302, 303):
                out.accepted.append(number)
            elif status != 200:
                out.error = f"POST answered {status}"
                return
    except OSError as error:
        out.error = f"{type(error).__name__}: {error}"


def _watch(conversation_pk: int, stop: threading.Event, seen: list[tuple[float, int]]) -> None:
    """Record each new map (time, votes it counts) while the clients vote."""
    from roundtable.opinions.models import Analysis

    last = None
    while not stop.is_set():
        row = (
            Analysis.objects.filter(conversation_id=conversation_pk)
            .values_list("computed_at", "vote_count")
            .first()
        )
        if row is not None and row[0] != last:
            last = row[0]
            seen.append((time.perf_counter(), row[1]))
        stop.wait(0.25)


def _settle(conversation_pk: int, stored: int, seconds: float = 60) -> int:
    """Wait for the worker to finish the map that counts every stored vote."""
    from roundtable.opinions.models import Analysis, Conversation

    deadline = time.monotonic() + seconds
    counted = 0
    while time.monotonic() < deadline:
        pending = Conversation.objects.values_list("analysis_requested_at", flat=True).get(
            pk=conversation_pk
        )
        counted = (
            Analysis.objects.filter(conversation_id=conversation_pk)
            .values_list("vote_count", flat=True)
            .first()
        ) or 0
        if pending is None and counted == stored:
            return counted
        time.sleep(0.5)
    return counted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per process")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="roundtable_load_opinions")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args(argv)

    database_url = args.postgres.rsplit("/", 1)[0] + "/" + args.database
    _fresh_database(args.postgres, args.database)
    slug, conversation_pk = _prepare(database_url)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ROUNDTABLE_BEHIND_PROXY": "1",
        "ROUNDTABLE_LOG_LEVEL": "WARNING",
        "ROUNDTABLE_ALLOWED_HOSTS": "127.0.0.1",
        "ROUNDTABLE_STATIC_ROOT": tempfile.mkdtemp(prefix="roundtable-load-static-"),
        "ROUNDTABLE_OPINION_ANALYSIS_DELAY": "1",
    }
    cache = "local memory, per process"
    if _redis_answers(args.redis):
        env["REDIS_URL"] = args.redis
        cache = f"Redis {args.redis}"
        # Fresh rate-limit counters: an earlier run's would still be counting.
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    server = start_gunicorn(port=port, workers=args.workers, threads=args.threads, env=env)
    roundtable = Path(sys.executable).with_name("roundtable")
    worker = subprocess.Popen(  # noqa: S603 -- fixed arguments
        [str(roundtable), "db_worker", "--no-reload", "--interval=0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/p/{slug}/conversations/{conversation_pk}/"
    clients = [Client() for _ in range(args.participants)]
    maps: list[tuple[float, int]] = []
    stop = threading.Event()
    try:
        _wait_for(f"{base}/healthz", server)
        barrier = threading.Barrier(args.participants)
        threads = [
            threading.Thread(
                target=_participate, args=(url, n, n % 2, barrier, clients[n]), daemon=True
            )
            for n in range(args.participants)
        ]
        watcher = threading.Thread(target=_watch, args=(conversation_pk, stop, maps), daemon=True)
        watcher.start()
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        from roundtable.opinions.models import Vote

        stored_pairs = list(
            Vote.objects.filter(conversation_id=conversation_pk).values_list(
                "participant__number", "statement__number"
            )
        )
        settle_started = time.perf_counter()
        counted = _settle(conversation_pk, len(stored_pairs))
        settled = time.perf_counter() - settle_started
        stop.set()
        watcher.join()
    finally:
        stop.set()
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=30)

    accepted = sum(len(c.accepted) for c in clients)
    statuses: Counter[int] = Counter()
    for client in clients:
        statuses.update(client.statuses)
    errors = [c.error for c in clients if c.error]
    duplicates = [c for c in clients if len(set(c.accepted)) != len(c.accepted)]
    during = [votes for moment, votes in maps if moment <= started + elapsed]
    print(f"server: gunicorn, {args.workers} processes x {args.threads} threads; cache: {cache}")
    print("worker: roundtable db_worker (database queue), analysis delay 1 s")
    print(f"participants voting at once:     {args.participants} ({STATEMENTS} statements)")
    print(f"votes accepted:                  {accepted} in {elapsed:.1f} s")
    print(f"votes accepted per second:       {accepted / elapsed:.0f}")
    print(f"POST answers:                    {dict(sorted(statuses.items()))}")
    print(f"votes stored:                    {len(stored_pairs)}")
    print(f"maps recomputed during the run:  {len(during)} (votes counted: {during[-3:]} …)")
    print(f"final map counts:                {counted} votes ({settled:.1f} s after the last)")
    if errors:
        print(f"client errors:                   {len(errors)} e.g. {errors[0]!r}")
    ok = (
        not errors
        and not duplicates
        and accepted == len(stored_pairs) == len(set(stored_pairs))
        and counted == len(stored_pairs)
        and len(during) >= 2
    )
    print(
        "RESULT:",
        "every accepted vote stored once and counted by the map"
        if ok
        else "VOTES LOST, DUPLICATED OR NOT MAPPED (or the map did not update)",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
