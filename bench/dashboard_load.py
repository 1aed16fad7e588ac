"""The public dashboard under concurrent load on PostgreSQL, next to a minimal Django view.

`python -m bench dashboard_load` (the defaults), or with flags
`python -m bench.dashboard_load --seconds 5 --connections 16 --rounds 3 [--keep-database]`;
docs/bench-dashboard.md explains the figures. It:

1. builds a fresh PostgreSQL database (`roundtable_bench_dashboard`), migrated,
   with the demo jurisdiction from `roundtable demo` (Riverside);
2. starts two gunicorn servers on it, as production serves the site (gthread
   workers, 2 x CPUs + 1 processes, DEBUG off, the cache on Redis when it
   answers, local memory otherwise): one as configured, the dashboard's cache
   on; one with ROUNDTABLE_DASHBOARD_CACHE_SECONDS=0, assembling the dashboard
   from the database on every request. Both run bench/_load_settings.py, the
   real settings plus `/bench/minimal/` (bench/_load_urls.py): a few bytes
   through the full middleware stack, the reference;
3. loads them from client processes of its own (bench/_load_client.py): N
   keep-alive connections in a closed loop, each sending its next request when
   the last is answered, starting spread over a warm-up, then a fixed measured
   window per target; every latency is kept;
4. in rounds whose order alternates (A B C D, D C B A, ...) so that drift on a
   shared machine touches every target: the minimal view, the dashboard in
   English (cache warm, as served), in Spanish (Accept-Language: es), and with
   the cache off.

Every response must be 200 with the page's own markers in its body (the
dashboard's heading and section ids, a measure's card, `lang="es"` for
Spanish, the closing </html>), so a fast error page cannot pass as speed;
anything else is an error, and errors must be 0 (exit status 1 otherwise).

Figures are ratios to the minimal view measured in the same round, since speed
on a shared 2-core machine is noisy: minimal req/s / target req/s, and target
p95 / minimal p95; the median over the rounds and their range. Absolute req/s
and latencies are printed for scale only. Only the HTML is requested: static
files are whitenoise's (or a CDN's), and browsers cache them.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from bench._load_client import (
    Figures,
    Target,
    describe_ratio,
    figures,
    measure,
    round_order,
    round_ratios,
)
from load.public_inputs import (
    _free_port,
    _fresh_database,
    _redis_answers,
    _wait_for,
    start_gunicorn,
)

ROOT = Path(__file__).resolve().parent.parent
AGENCY = "riverside"
MINIMAL_PATH = "/bench/minimal/"
DASHBOARD_PATH = f"/p/{AGENCY}/dashboard/"
MINIMAL_MARKERS = (b"roundtable-bench-minimal",)
# The dashboard's heading and sections (roundtable/dashboard/templates/dashboard/),
# a measure's card and the page's end: a page missing any of them is an error
# page or a broken one, not a fast dashboard.
DASHBOARD_MARKERS = (
    b'id="dashboard-heading"',
    *(
        f'<section id="{section}"'.encode()
        for section in (
            "measures",
            "surveys",
            "ledger",
            "priorities",
            "problems",
            "meetings",
            "map",
            "open-data",
        )
    ),
    b'class="rt-db-card"',
    b"</html>",
)
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "roundtable_bench_dashboard"
# Database numbers of its own (load/ uses 3, `make lint` names 0): this one for
# the server as configured, the next for the one with the dashboard cache off.
# They must differ: both use the same cache key, and with its timeout at 0 the
# second server deletes the entry the first one serves from.
REDIS = "redis://127.0.0.1:6379/6"
# The second server: the dashboard assembled from the database on every request
# (Django caches nothing for a timeout of 0).
NO_CACHE = {"ROUNDTABLE_DASHBOARD_CACHE_SECONDS": "0"}


# -- the servers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    seconds: float = 5.0
    warmup: float = 1.0
    # The dashboard assembled on every request takes seconds of CPU: a window of
    # 5 s would hold a handful of answers, so it gets longer ones.
    uncached_seconds: float = 15.0
    uncached_warmup: float = 5.0
    connections: int = 16
    rounds: int = 3
    processes: int = 2
    workers: int = 2 * (os.cpu_count() or 1) + 1
    threads: int = 4
    keep_database: bool = False
    reuse_database: bool = False
    postgres: str = POSTGRES
    database: str = DATABASE
    redis: str = REDIS
    path: str = DASHBOARD_PATH


def next_redis_database(url: str) -> str:
    """The same Redis server, the next database number: redis://h:p/6 -> redis://h:p/7."""
    base, _, number = url.rpartition("/")
    if not number.isdigit() or "//" not in base:
        raise ValueError(f"{url} does not end in a database number")
    return f"{base}/{int(number) + 1}"


def _server_env(database_url: str, static_root: str, var_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        # Whatever an earlier bench of `make bench` pointed these at, this one runs
        # on its own PostgreSQL database with the bench settings.
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench._load_settings",
        "ROUNDTABLE_ENV": "development",
        "ROUNDTABLE_DEBUG": "0",
        "ROUNDTABLE_BEHIND_PROXY": "1",
        "ROUNDTABLE_LOG_LEVEL": "WARNING",
        "ROUNDTABLE_ALLOWED_HOSTS": "127.0.0.1",
        "ROUNDTABLE_VAR_DIR": var_dir,
        # Static files are not requested in this run; an empty folder keeps whitenoise quiet.
        "ROUNDTABLE_STATIC_ROOT": static_root,
    }
    env.pop("REDIS_URL", None)
    return env


def _roundtable(command: list[str], env: dict[str, str]) -> float:
    """Run `roundtable COMMAND` in its own process; its seconds."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("roundtable")), *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RuntimeError(f"roundtable {' '.join(command)} failed:\n{tail}")
    return time.perf_counter() - started


def _database_exists(admin_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def _drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _check_once(target: Target) -> int:
    """One request before the load: a clear message now rather than a run of errors."""
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=120)
    try:
        connection.request("GET", target.path, headers={"Accept-Language": target.language})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"{target.name}: {target.path} answered {response.status}")
    missing = [m.decode() for m in target.markers if m not in body]
    if missing:
        raise RuntimeError(f"{target.name}: {target.path} lacks {', '.join(missing)}")
    return len(body)


def _page_markers(path: str, language: str) -> tuple[bytes, ...]:
    """What the page must contain; another --path only needs a whole page."""
    page = DASHBOARD_MARKERS if path == DASHBOARD_PATH else (b'id="main"', b"</html>")
    return (*page, f'<html lang="{language}"'.encode())


def bench(options: Options) -> dict[str, str]:
    """Build, serve, load and report; the figures as labelled strings."""
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        return {"skipped": "gunicorn is not installed (pip install -e '.[dev]')"}
    try:
        import psycopg

        with psycopg.connect(options.postgres, connect_timeout=3):
            pass
    except Exception as error:  # any failure to connect means: skip
        reason = (str(error).splitlines() or [type(error).__name__])[0]
        return {"skipped": f"PostgreSQL does not answer at {options.postgres}: {reason}"}

    database_url = options.postgres.rsplit("/", 1)[0] + "/" + options.database
    scratch = tempfile.mkdtemp(prefix="roundtable-bench-dashboard-")
    static_root = os.path.join(scratch, "static")
    os.makedirs(static_root)
    env = _server_env(database_url, static_root, scratch)
    cache = "local memory, per process"
    uncached_redis = next_redis_database(options.redis)
    if _redis_answers(options.redis):
        import redis

        for url in (options.redis, uncached_redis):
            redis.Redis.from_url(url).flushdb()  # no page cached by an earlier run
        env["REDIS_URL"] = options.redis
        cache = f"Redis {options.redis} (cache off: {uncached_redis})"

    results: dict[str, str] = {}
    reused = options.reuse_database and _database_exists(options.postgres, options.database)
    if not reused:
        _fresh_database(options.postgres, options.database)
    try:
        # The commands run on Roundtable's own settings; only the servers need the bench URL.
        command_env = {**env, "DJANGO_SETTINGS_MODULE": "roundtable.settings"}
        migrate_seconds = _roundtable(["migrate", "--no-input", "-v", "0"], command_env)
        demo_seconds = _roundtable(["demo", "--if-empty"], command_env)
        results["database"] = (
            f"PostgreSQL {options.database}"
            + (", reused" if reused else ", fresh")
            + f"; migrate {migrate_seconds:.0f} s, demo {demo_seconds:.0f} s"
        )
        uncached_env = {**env, **NO_CACHE}
        if "REDIS_URL" in env:
            uncached_env["REDIS_URL"] = uncached_redis
        results.update(_serve_and_load(options, env, uncached_env, cache))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if not options.keep_database:
            _drop_database(options.postgres, options.database)
    return results


def _serve_and_load(
    options: Options, env: dict[str, str], uncached_env: dict[str, str], cache: str
) -> dict[str, str]:
    """Start the two servers, check each target once, load them; stop the servers."""
    servers: list[subprocess.Popen[bytes]] = []
    try:
        cached_port, uncached_port = _free_port(), _free_port()
        for port, server_env in ((cached_port, env), (uncached_port, uncached_env)):
            servers.append(
                start_gunicorn(
                    port=port, workers=options.workers, threads=options.threads, env=server_env
                )
            )
        started = time.perf_counter()
        for port, server in zip((cached_port, uncached_port), servers, strict=True):
            try:
                # Ten workers importing Django on a busy 2-core machine can take a minute.
                _wait_for(f"http://127.0.0.1:{port}{MINIMAL_PATH}", server, seconds=180)
            except SystemExit as stop:  # load/'s helper ends a script; here it fails a bench
                raise RuntimeError(str(stop)) from None
        ready = time.perf_counter() - started
        path = options.path
        fast = {"warmup": options.warmup, "seconds": options.seconds}
        slow = {"warmup": options.uncached_warmup, "seconds": options.uncached_seconds}
        targets = [
            Target("minimal", cached_port, MINIMAL_PATH, "en", MINIMAL_MARKERS, **fast),
            Target("dashboard", cached_port, path, "en", _page_markers(path, "en"), **fast),
            Target("dashboard es", cached_port, path, "es", _page_markers(path, "es"), **fast),
            Target(
                "dashboard no cache", uncached_port, path, "en", _page_markers(path, "en"), **slow
            ),
        ]
        for target in targets:
            _check_once(target)
        return {"servers ready in": f"{ready:.1f} s", **_load(targets, options, cache)}
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                # gunicorn lets workers finish for up to 30 s (its graceful timeout).
                server.wait(timeout=45)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _load(targets: list[Target], options: Options, cache: str) -> dict[str, str]:
    by_name = {t.name: t for t in targets}
    rounds: dict[str, list[Figures]] = {t.name: [] for t in targets}
    errors: Counter[str] = Counter()
    retried: Counter[str] = Counter()
    sizes: dict[str, int] = {}
    context = multiprocessing.get_context("spawn")
    with context.Pool(options.processes) as pool:
        # Once through every target first: gunicorn's workers import the views and
        # fill the dashboard's cache on their first requests, which no round should time.
        for target in targets:
            warm = replace(target, seconds=0)
            sample = measure(
                pool, warm, connections=options.connections, processes=options.processes
            )
            errors.update({f"{target.name}: {kind}": n for kind, n in sample.errors.items()})
            retried[target.name] += sample.retried
        for number in range(options.rounds):
            for name in round_order(list(by_name), number):
                sample = measure(
                    pool,
                    by_name[name],
                    connections=options.connections,
                    processes=options.processes,
                )
                rounds[name].append(figures(sample))
                errors.update({f"{name}: {kind}": n for kind, n in sample.errors.items()})
                retried[name] += sample.retried
                sizes[name] = sample.body_bytes

    cpus = os.cpu_count() or 1
    out = {
        "server": (
            f"gunicorn, {options.workers} processes x {options.threads} threads (gthread), "
            f"{cpus} CPUs shared with the clients; DEBUG off, ROUNDTABLE_ENV=development; "
            f"cache: {cache}"
        ),
        "load": (
            f"{options.connections} keep-alive connections from {options.processes} client "
            f"processes, closed loop; per target {options.warmup:g} s warm-up + "
            f"{options.seconds:g} s measured (no cache: {options.uncached_warmup:g} s + "
            f"{options.uncached_seconds:g} s), {options.rounds} "
            f"round{'s' * (options.rounds != 1)} in alternating order"
        ),
    }
    minimal = rounds["minimal"]
    for target in targets:
        runs = rounds[target.name]
        rps = statistics.median(f.rps for f in runs)
        p50 = statistics.median(f.p50 for f in runs) * 1000
        p95 = statistics.median(f.p95 for f in runs) * 1000
        cores = statistics.median(f.client_cores for f in runs)
        requests = sum(f.requests for f in runs)
        out[f"{target.name} {target.path}"] = (
            f"{_rate(rps)} req/s, p50 {p50:,.1f} ms, p95 {p95:,.1f} ms; clients used "
            f"{cores:.2f} CPU ({requests:,} requests of {_size(sizes.get(target.name, 0))}; "
            "medians of rounds)"
        )
    for target in targets[1:]:
        pairs = [round_ratios(m, t) for m, t in zip(minimal, rounds[target.name], strict=True)]
        out[f"minimal req/s / {target.name} req/s"] = describe_ratio([p[0] for p in pairs])
        out[f"{target.name} p95 / minimal p95"] = describe_ratio([p[1] for p in pairs])
    total = sum(errors.values())
    out["errors"] = (
        "0"
        if not total
        else f"{total} -- FAILED: " + "; ".join(f"{k} x{n}" for k, n in errors.most_common())
    )
    # Not errors: a browser does the same (RFC 9112, 9.3.1); shown so that it is seen.
    out["retried"] = (
        ", ".join(f"{name} {n}" for name, n in retried.items() if n) or "none"
    ) + " (kept-alive connections the server closed; sent again on a new one)"
    return out


def _rate(rps: float) -> str:
    return f"{rps:,.0f}" if rps >= 100 else f"{rps:.1f}" if rps >= 10 else f"{rps:.2f}"


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KiB"


def run() -> dict[str, str]:
    """`python -m bench`: the defaults, or ROUNDTABLE_BENCH_SECONDS / _ROUNDS / _CONNECTIONS."""
    defaults = Options()
    return bench(
        Options(
            seconds=float(os.environ.get("ROUNDTABLE_BENCH_SECONDS", defaults.seconds)),
            rounds=int(os.environ.get("ROUNDTABLE_BENCH_ROUNDS", defaults.rounds)),
            connections=int(os.environ.get("ROUNDTABLE_BENCH_CONNECTIONS", defaults.connections)),
        )
    )


def main(argv: list[str] | None = None) -> int:
    defaults = Options()
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=defaults.seconds, help="measured window per target"
    )
    parser.add_argument(
        "--warmup", type=float, default=defaults.warmup, help="unmeasured, before each window"
    )
    parser.add_argument(
        "--uncached-seconds",
        type=float,
        default=defaults.uncached_seconds,
        help="measured, for the dashboard with its cache off",
    )
    parser.add_argument(
        "--uncached-warmup",
        type=float,
        default=defaults.uncached_warmup,
        help="for the dashboard with its cache off",
    )
    parser.add_argument(
        "--connections", type=int, default=defaults.connections, help="concurrent, keep-alive"
    )
    parser.add_argument("--rounds", type=int, default=defaults.rounds)
    parser.add_argument(
        "--processes", type=int, default=defaults.processes, help="client processes"
    )
    parser.add_argument("--workers", type=int, default=defaults.workers, help="gunicorn's")
    parser.add_argument("--threads", type=int, default=defaults.threads, help="per worker")
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="use the database of a run with --keep-database, if there is one, "
        "instead of building the demo again",
    )
    parser.add_argument(
        "--postgres", default=defaults.postgres, help="a database to connect to as admin"
    )
    parser.add_argument("--database", default=defaults.database)
    parser.add_argument(
        "--redis",
        default=defaults.redis,
        help="the cache of the server as configured; the next database number is the other's",
    )
    parser.add_argument(
        "--path", default=defaults.path, help="the page measured against the minimal view"
    )
    args = parser.parse_args(argv)
    options = Options(**vars(args))
    print(f"== dashboard_load: {parser.description}")
    started = time.perf_counter()
    results = bench(options)
    width = max((len(label) for label in results), default=0)
    for label, value in results.items():
        print(f"  {label:<{width}}  {value}")
    print(f"  ({time.perf_counter() - started:.1f} s in all)")
    return 1 if results.get("errors", "0") != "0" else 0


if __name__ == "__main__":
    sys.exit(main())
