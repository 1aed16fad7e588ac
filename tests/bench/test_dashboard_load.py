"""bench/dashboard_load.py: what it checks in a page, where its cache goes, its URL."""

from __future__ import annotations

import pytest
from django.test import Client

from bench import dashboard_load
from bench.__main__ import bench_names


def test_make_bench_runs_the_dashboard_bench_and_not_its_settings_or_urls():
    names = bench_names()
    assert "dashboard_load" in names
    assert not {name for name in names if "load_settings" in name or "load_urls" in name}


@pytest.mark.urls("bench._load_urls")
def test_the_minimal_view_answers_through_the_middleware(db):
    from bench._load_urls import MINIMAL_BODY

    response = Client().get("/bench/minimal/")
    assert response.status_code == 200
    assert response.content == MINIMAL_BODY
    assert dashboard_load.MINIMAL_MARKERS == (MINIMAL_BODY,)
    # The full stack ran: the CSP middleware set its header.
    assert "Content-Security-Policy" in response.headers


def test_the_server_without_cache_gets_the_next_redis_database():
    assert dashboard_load.next_redis_database("redis://127.0.0.1:6379/6") == (
        "redis://127.0.0.1:6379/7"
    )
    with pytest.raises(ValueError, match="database number"):
        dashboard_load.next_redis_database("redis://127.0.0.1:6379")


def test_the_dashboard_must_show_every_section_in_the_language_asked_for():
    markers = dashboard_load._page_markers(dashboard_load.DASHBOARD_PATH, "es")
    assert b'<section id="measures"' in markers
    assert b'<section id="map"' in markers
    assert b'<html lang="es"' in markers
    assert b"</html>" in markers
