"""The load client of the dashboard bench and its arithmetic (bench/_load_client.py).

No timing is asserted: the client is driven against a tiny local server only to
check what it counts.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from bench import _load_client
from bench._load_client import (
    Figures,
    Sample,
    Target,
    describe_ratio,
    figures,
    percentile,
    round_order,
    round_ratios,
    spread,
)


@pytest.mark.parametrize("q", [0, 5, 25, 50, 90, 95, 99, 100])
def test_percentile_matches_numpy_linear_definition(q):
    rng = random.Random(8)
    values = [rng.expovariate(50) for _ in range(1001)]
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_interpolates_between_closest_ranks():
    # rank (4 - 1) * 0.95 = 2.85: 30 + 0.85 * (40 - 30)
    assert percentile([40, 10, 30, 20], 95) == pytest.approx(38.5)
    assert percentile([40, 10, 30, 20], 50) == pytest.approx(25)
    assert percentile([7.0], 95) == 7.0


def test_percentile_refuses_no_values_and_out_of_range():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 95)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 101)


def test_figures_count_requests_per_second_of_the_measured_window():
    sample = Sample(latencies=[0.01] * 90 + [0.1] * 10, seconds=2.0)
    sample.errors["HTTP 500"] += 0
    result = figures(sample)
    assert result.requests == 100
    assert result.rps == pytest.approx(50)
    assert result.p50 == pytest.approx(0.01)
    assert result.p95 == pytest.approx(0.1)
    assert result.errors == 0


def test_figures_of_a_sample_with_only_errors_report_them():
    sample = Sample(errors=Counter({"HTTP 500": 3, "ConnectionResetError": 1}))
    result = figures(sample)
    assert result.requests == 0
    assert result.errors == 4
    assert math.isnan(result.p95)


def test_samples_from_several_client_processes_merge():
    first = Sample(latencies=[0.1, 0.2], errors=Counter({"HTTP 502": 1}), seconds=4.9)
    first.merge(Sample(latencies=[0.3], errors=Counter({"HTTP 502": 2}), seconds=5.1))
    assert first.latencies == [0.1, 0.2, 0.3]
    assert first.errors == Counter({"HTTP 502": 3})
    assert first.seconds == 5.1


def test_ratios_are_above_one_when_the_target_is_slower():
    minimal = Figures(requests=1000, errors=0, rps=1000.0, p50=0.005, p95=0.01)
    dashboard = Figures(requests=250, errors=0, rps=250.0, p50=0.02, p95=0.05)
    assert round_ratios(minimal, dashboard) == pytest.approx((4.0, 5.0))


def test_a_target_that_answered_nothing_has_an_infinite_ratio():
    minimal = Figures(requests=1000, errors=0, rps=1000.0, p50=0.005, p95=0.01)
    dead = Figures(requests=0, errors=10, rps=0.0, p50=math.nan, p95=math.nan)
    assert round_ratios(minimal, dead)[0] == math.inf


def test_spread_is_the_median_and_the_range_over_rounds():
    assert spread([3.0, 1.0, 2.0, 10.0]) == (2.5, 1.0, 10.0)
    assert describe_ratio([3.0, 1.0, 2.0]) == "2.00 (range 1.00-3.00 over 3 rounds)"
    assert describe_ratio([1.5]) == "1.50 (range 1.50-1.50 over 1 round)"


def test_rounds_alternate_the_order_of_the_targets():
    names = ["minimal", "dashboard", "dashboard es", "dashboard no cache"]
    assert round_order(names, 0) == names
    assert round_order(names, 1) == list(reversed(names))
    assert round_order(names, 2) == names


def test_connections_start_spread_over_the_warm_up_and_the_processes():
    delays = _load_client.stagger(4, 2, 2.0)
    assert delays == [[0.0, 1.0], [0.5, 1.5]]
    assert sorted(d for part in _load_client.stagger(17, 3, 1.0) for d in part) == [
        pytest.approx(n / 17) for n in range(17)
    ]
    # More processes than connections: no process is left without work.
    assert _load_client.stagger(1, 2, 1.0) == [[0.0]]


class _Pages(BaseHTTPRequestHandler):
    """/good answers the marker, /plain a 200 without it, anything else a 500;
    /dropping answers the marker, then closes the connection without saying so,
    as a server dropping an idle kept-alive connection does."""

    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread workers

    def do_GET(self):
        status, body = {
            "/good": (200, b"<p>the-marker</p>"),
            "/dropping": (200, b"<p>the-marker</p>"),
            "/plain": (200, b"<p>a page</p>"),
        }.get(self.path, (500, b"oops"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.path == "/dropping":
            self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def pages():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _drive(port, path):
    target = Target("t", port, path, "en", (b"the-marker",), warmup=0.05, seconds=0.2)
    return _load_client.drive(target, [0.0, 0.02], time.time())


def test_the_client_measures_answers_that_carry_the_markers(pages):
    sample = _drive(pages, "/good")
    assert sample.latencies
    assert not sample.errors
    assert sample.seconds == pytest.approx(0.2)
    assert sample.body_bytes == len(b"<p>the-marker</p>")


def test_the_client_counts_a_fast_error_page_as_an_error_not_as_speed(pages):
    failing = _drive(pages, "/broken")
    assert not failing.latencies
    assert failing.errors["HTTP 500"] > 0
    unmarked = _drive(pages, "/plain")
    assert not unmarked.latencies
    assert unmarked.errors["200 without the page's markers"] > 0


def test_a_kept_alive_connection_the_server_dropped_is_retried_not_an_error(pages):
    sample = _drive(pages, "/dropping")
    assert sample.latencies
    assert not sample.errors
    assert sample.retried > 0
