"""The public rate limits count a use before the action, so bursts cannot slip through."""

from __future__ import annotations

import threading

from django.test import RequestFactory

from roundtable.inputs import public_limits
from roundtable.inputs.public_limits import Limit


def test_a_burst_of_parallel_requests_passes_no_more_than_the_limit():
    limit = Limit("test-burst", 5, 600)
    requests = [RequestFactory().post("/", REMOTE_ADDR="203.0.113.9") for _ in range(20)]
    start = threading.Barrier(len(requests))
    refused: list[bool] = []

    def send(request) -> None:
        start.wait()
        refused.append(public_limits.exceeded(request, limit))

    threads = [threading.Thread(target=send, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused.count(False) == 5 and refused.count(True) == 15


def test_each_scope_and_each_client_has_its_own_count():
    one = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    other = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
    inputs = Limit("test-inputs", 1, 600)
    assert not public_limits.exceeded(one, inputs)
    assert public_limits.exceeded(one, inputs)
    assert not public_limits.exceeded(other, inputs)
    assert not public_limits.exceeded(one, Limit("test-registrations", 1, 600))


def test_registrations_are_counted_apart_from_inputs(settings):
    settings.ROUNDTABLE_PUBLIC_INPUT_LIMIT = 7
    settings.ROUNDTABLE_PUBLIC_INPUT_WINDOW = 900
    inputs, registrations = public_limits.submissions(), public_limits.registrations()
    assert inputs.scope != registrations.scope
    assert (registrations.limit, registrations.window_seconds, registrations.window_minutes) == (
        7,
        900,
        15,
    )
