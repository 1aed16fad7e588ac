"""The load client of bench/dashboard_load.py and its arithmetic (no Django).

Client processes (spawned, separate from the server's) each run `drive`: one
thread per keep-alive connection, in a closed loop. `figures`, `percentile`
and `round_ratios` turn what they saw into requests per second, p50, p95 and
the ratios to the reference. The leading underscore keeps `python -m bench`
from taking this module for a bench.
"""

from __future__ import annotations

import http.client
import math
import multiprocessing.pool
import statistics
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

# How a kept-alive connection the server has closed fails the next request on it.
STALE = (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)
# Seconds a request may take: the dashboard assembled afresh by 16 connections at
# once on 2 busy CPUs takes tens of seconds.
TIMEOUT = 180


@dataclass(frozen=True)
class Target:
    """One URL measured: where, in which language, what its body must contain, how long."""

    name: str
    port: int
    path: str
    language: str
    markers: tuple[bytes, ...]
    warmup: float  # seconds before the measured window, connections starting spread over it
    seconds: float  # the measured window


@dataclass
class Sample:
    """What the clients saw of one target in one round."""

    latencies: list[float] = field(default_factory=list)  # seconds, measured requests only
    errors: Counter[str] = field(default_factory=Counter)  # over warm-up and measurement
    seconds: float = 0.0  # the measured window
    body_bytes: int = 0
    client_cpu: float = 0.0  # CPU seconds the client processes spent, all threads
    client_wall: float = 0.0  # seconds they ran (warm-up included), for the CPU share
    retried: int = 0  # requests sent again on a new connection (see _connection)

    def merge(self, other: Sample) -> None:
        self.latencies.extend(other.latencies)
        self.errors.update(other.errors)
        self.seconds = max(self.seconds, other.seconds)
        self.body_bytes = max(self.body_bytes, other.body_bytes)
        self.client_cpu += other.client_cpu
        self.client_wall = max(self.client_wall, other.client_wall)
        self.retried += other.retried


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int
    rps: float
    p50: float  # seconds
    p95: float
    client_cores: float = 0.0  # CPUs the load clients kept busy: near their count, they limit


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating linearly between closest ranks.

    Hyndman and Fan's definition 7, the default of NumPy's `percentile` and R's
    `quantile`: rank h = (n - 1) q / 100 in the sorted values, then
    x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def figures(sample: Sample) -> Figures:
    """Requests per second and latency percentiles of one sample."""
    count = len(sample.latencies)
    errors = sum(sample.errors.values())
    cores = sample.client_cpu / sample.client_wall if sample.client_wall > 0 else 0.0
    if not count:
        return Figures(0, errors, 0.0, math.nan, math.nan, cores)
    return Figures(
        requests=count,
        errors=errors,
        rps=count / sample.seconds if sample.seconds > 0 else math.nan,
        p50=percentile(sample.latencies, 50),
        p95=percentile(sample.latencies, 95),
        client_cores=cores,
    )


def round_ratios(minimal: Figures, target: Figures) -> tuple[float, float]:
    """(minimal req/s ÷ target req/s, target p95 ÷ minimal p95): both above 1 when slower."""
    rps_ratio = minimal.rps / target.rps if target.rps > 0 else math.inf
    p95_ratio = target.p95 / minimal.p95 if minimal.p95 > 0 else math.inf
    return rps_ratio, p95_ratio


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    """(median, lowest, highest) of per-round figures."""
    if not values:
        raise ValueError("spread of no values")
    return statistics.median(values), min(values), max(values)


def round_order(names: Sequence[str], round_number: int) -> list[str]:
    """A B C D in even rounds, D C B A in odd ones: each target is early and late alike."""
    return list(names) if round_number % 2 == 0 else list(reversed(names))


def describe_ratio(values: Sequence[float]) -> str:
    middle, low, high = spread(values)
    rounds = len(values)
    return f"{middle:.2f} (range {low:.2f}-{high:.2f} over {rounds} round{'s' * (rounds != 1)})"


# -- the load client (runs in the client processes) ---------------------------------


def stagger(connections: int, processes: int, warmup: float) -> list[list[float]]:
    """Each process's connections' start delays: spread evenly over the warm-up.

    Connections that all start at once stay in step on a page that takes longer
    than the warm-up (they share the CPUs and finish together), and a window
    then counts whole bursts; spread out, they reach the steady state that
    independent visitors make. Dealt round-robin, so every process starts early
    and late ones alike.
    """
    delays = [warmup * n / connections for n in range(connections)]
    return [part for part in (delays[p::processes] for p in range(processes)) if part]


def _open(target: Target) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", target.port, timeout=TIMEOUT)


def _get(
    connection: http.client.HTTPConnection, path: str, headers: dict[str, str]
) -> tuple[http.client.HTTPResponse, bytes]:
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response, response.read()


def _connection(
    target: Target,
    start: float,
    measure_from: float,
    stop_at: float,
    out: Sample,
    lock: threading.Lock,
) -> None:
    """One keep-alive connection in a closed loop; perf_counter times of this process.

    Requests answered inside [measure_from, stop_at] are measured; none is sent
    after stop_at, and the one under way then is awaited (unmeasured) so that
    the server is idle again before the next target.
    """
    headers = {
        "Accept-Language": target.language,
        "Accept-Encoding": "identity",
        "User-Agent": "roundtable-bench",
    }
    mine = Sample(seconds=stop_at - measure_from)
    time.sleep(max(0.0, start - time.perf_counter()))
    # Connected only now: an idle open connection would hold a server thread.
    connection = _open(target)
    reused = False  # the connection has answered a request already
    while (began := time.perf_counter()) < stop_at:
        try:
            try:
                response, body = _get(connection, target.path, headers)
            except STALE:
                if not reused:
                    raise
                # The server closed the kept-alive connection as the request went out
                # (gunicorn drops one idle for its keep-alive time, which a starved
                # worker can overrun). Browsers send the request again on a new
                # connection (RFC 9112, 9.3.1), and so does this; the time lost counts.
                mine.retried += 1
                connection.close()
                connection = _open(target)
                response, body = _get(connection, target.path, headers)
            ended = time.perf_counter()
        except (OSError, http.client.HTTPException) as error:
            mine.errors[type(error).__name__] += 1
            connection.close()
            connection, reused = _open(target), False
            continue
        if response.status != 200:
            mine.errors[f"HTTP {response.status}"] += 1
        elif not all(marker in body for marker in target.markers):
            mine.errors["200 without the page's markers"] += 1
        elif measure_from <= ended <= stop_at:
            mine.latencies.append(ended - began)
            mine.body_bytes = max(mine.body_bytes, len(body))
        reused = not response.will_close
        if response.will_close:
            connection.close()
            connection = _open(target)
    connection.close()
    with lock:
        out.merge(mine)


def drive(target: Target, delays: list[float], start_wall: float) -> Sample:
    """One thread per delay on `target`, each starting that long after wall time `start_wall`."""
    start = start_wall - (time.time() - time.perf_counter())
    measure_from = start + target.warmup
    out = Sample()
    lock = threading.Lock()
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    threads = [
        threading.Thread(
            target=_connection,
            args=(target, start + delay, measure_from, measure_from + target.seconds, out, lock),
            daemon=True,
        )
        for delay in delays
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.client_cpu = time.process_time() - cpu_before
    out.client_wall = time.perf_counter() - wall_before
    return out


def measure(
    pool: multiprocessing.pool.Pool, target: Target, *, connections: int, processes: int
) -> Sample:
    start_wall = time.time() + 0.5  # time for every process to open its connections
    parts = pool.starmap(
        drive,
        [(target, delays, start_wall) for delays in stagger(connections, processes, target.warmup)],
    )
    total = Sample()
    for part in parts:
        total.merge(part)
    return total
