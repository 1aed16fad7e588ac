"""1,000 concurrent public submissions: are all stored, each under its own receipt code?

`python -m load.public_inputs` (or `make load`):

1. creates a fresh PostgreSQL database (`roundtable_load` by default), migrates
   it and adds one agency;
2. starts gunicorn (the production WSGI server) on it: several processes with
   several threads each, the cache on Redis when it answers (as in production,
   where rate-limit counters must be shared), behind-proxy mode on;
3. opens N client threads that wait at a barrier and then all POST
   `/api/v1/inputs` at once, each as a different person (its own
   X-Forwarded-For address, so the per-person rate limit lets each through
   once, as it would for N residents);
4. prints submitted vs accepted vs stored, and checks that the receipt codes
   handed out are exactly the codes stored, all distinct.

Exit status 0 only when every submission was accepted and stored exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ["safety_concern", "policy", "incident", "technology", "interactions", "other"]
TEXTS = [
    "Cars speed on Alder Street every evening after school.",
    "The underpass by the station has no working lights.",
    "¿Por qué patrullan tanto la plaza los domingos?",
    "I want to know how long body camera footage is kept.",
    "Officers were kind when they came about my neighbour's dog.",
    "Nos preocupa la venta de drogas detrás del mercado.",
]


@dataclass
class Outcome:
    status: int
    code: str = ""
    error: str = ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_answers(url: str) -> bool:
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _fresh_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _prepare(database_url: str) -> int:
    """Migrate and add the agency; its primary key."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from roundtable.agencies.models import Agency, Area

    agency = Agency.objects.create(name="Loadtown Police", slug="loadtown", kind="municipal")
    for n in range(5):
        Area.objects.create(agency=agency, name=f"Ward {n}", slug=f"ward-{n}", kind="district")
    return agency.pk


def start_gunicorn(
    *, port: int, workers: int, threads: int, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """gunicorn, the production WSGI server, on 127.0.0.1:port with `env`."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(  # noqa: S603 -- fixed arguments
        [
            str(gunicorn),
            "roundtable.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--backlog=4096",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )


def _wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered; see its output above.")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 -- our own local server
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"No answer from {url} after {seconds} s.")


def _submit(base: str, n: int, barrier: threading.Barrier, out: list[Outcome]) -> None:
    rng = random.Random(n)
    body: dict[str, object] = {
        "agency": "loadtown",
        "topic": rng.choice(TOPICS),
        "text": f"{rng.choice(TEXTS)} (#{n})",
        "language": "es" if n % 3 == 0 else "en",
        "area": f"ward-{n % 5}",
    }
    if n % 5 == 0:  # one in five leaves an email, so a notice is queued too
        body.update(anonymous=False, contact_email=f"resident{n}@example.org")
    request = urllib.request.Request(  # noqa: S310 -- our own local server
        f"{base}/api/v1/inputs",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            # A different person each: 10.(n / 65536).(n / 256).(n % 256)
            "X-Forwarded-For": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}",
        },
    )
    barrier.wait()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            out[n] = Outcome(response.status, json.load(response).get("receipt_code", ""))
    except urllib.error.HTTPError as error:
        out[n] = Outcome(error.code, error=error.read()[:200].decode(errors="replace"))
    except OSError as error:
        out[n] = Outcome(0, error=f"{type(error).__name__}: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=16, help="threads per process")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="roundtable_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args(argv)

    database_url = args.postgres.rsplit("/", 1)[0] + "/" + args.database
    _fresh_database(args.postgres, args.database)
    agency_pk = _prepare(database_url)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ROUNDTABLE_BEHIND_PROXY": "1",
        "ROUNDTABLE_LOG_LEVEL": "WARNING",
        "ROUNDTABLE_ALLOWED_HOSTS": "127.0.0.1",
        # Static files are not served in this run; an empty folder keeps whitenoise quiet.
        "ROUNDTABLE_STATIC_ROOT": tempfile.mkdtemp(prefix="roundtable-load-static-"),
    }
    cache = "local memory, per process"
    if _redis_answers(args.redis):
        env["REDIS_URL"] = args.redis
        cache = f"Redis {args.redis}"
    server = start_gunicorn(port=port, workers=args.workers, threads=args.threads, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", server)
        total = args.submissions
        outcomes: list[Outcome] = [Outcome(-1)] * total
        barrier = threading.Barrier(total)
        threads = [
            threading.Thread(target=_submit, args=(base, n, barrier, outcomes), daemon=True)
            for n in range(total)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    from roundtable.inputs.models import Input, Notification
    from roundtable.inputs.receipts import normalise

    stored_codes = list(
        Input.objects.filter(agency_id=agency_pk).values_list("receipt_code", flat=True)
    )
    returned = [normalise(o.code) for o in outcomes if o.status == 201]
    statuses = Counter(o.status for o in outcomes)
    missing = set(returned) - set(stored_codes)
    unanswered = set(stored_codes) - set(returned)
    print(f"server: gunicorn, {args.workers} processes x {args.threads} threads; cache: {cache}")
    print(f"submitted concurrently:  {total} (in {elapsed:.1f} s)")
    print(f"answered 201 Created:    {statuses.get(201, 0)}")
    for status, count in sorted(statuses.items()):
        if status != 201:
            example = next(o.error for o in outcomes if o.status == status)
            print(f"answered {status}:            {count}  e.g. {example!r}")
    print(f"stored in the database:  {len(stored_codes)}")
    print(f"distinct receipt codes:  {len(set(stored_codes))}")
    print(f"codes handed out but not stored: {len(missing)}")
    print(f"stored but no code handed out:   {len(unanswered)}")
    print(f"notices queued for contributors with an email: {Notification.objects.count()}")
    ok = (
        statuses.get(201, 0) == total
        and len(stored_codes) == total
        and len(set(stored_codes)) == total
        and not missing
        and not unanswered
    )
    print("RESULT:", "all stored, all codes unique" if ok else "LOST OR DUPLICATED SUBMISSIONS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
