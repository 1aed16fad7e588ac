"""The public dashboard: open to anyone, every section with a stable id, English
and Spanish, tables beside every chart, small counts never shown (also when
served from the cache), a bounded number of queries, and an embeddable twin
that only the configured origins may frame."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from roundtable.dashboard import selectors
from tests.factories import EventFactory, ProblemFactory
from tests.opendata.city import NEVER_PUBLIC

pytestmark = pytest.mark.django_db

SECTIONS = ["measures", "surveys", "ledger", "priorities", "problems", "meetings", "map"]


def home(agency):
    return reverse("dashboard:home", args=[agency.slug])


def embed(agency):
    return reverse("dashboard:embed", args=[agency.slug])


def test_anyone_opens_the_dashboard_with_every_section(agency, city, client):
    response = client.get(home(agency))
    body = response.content.decode()
    assert response.status_code == 200
    for section in SECTIONS:
        assert f'<section id="{section}"' in body
        assert f'aria-labelledby="{section}-heading"' in body
    assert '<h1 id="dashboard-heading">' in body
    assert "Volunteer hours logged" in body
    assert "Riverside safety survey" in body and "± " in body
    assert "Safer walks home from the station" in body
    assert "Car break-ins at the station" in body
    assert "Town hall on lighting" in body


def test_signed_in_people_of_any_agency_see_the_same_public_page(
    agency, city, client, client_for, rosa, pat, uma, casey
):
    for person in (rosa, pat, uma, casey):
        response = client_for(person).get(home(agency))
        assert response.status_code == 200
        # The public page shows staff nothing more: no internal measure, no draft.
        body = response.content.decode()
        assert not [text for text in NEVER_PUBLIC if text in body]


def test_an_unknown_agency_has_no_dashboard(client, db):
    assert client.get(reverse("dashboard:home", args=["nowhere"])).status_code == 404
    assert client.get(reverse("dashboard:embed", args=["nowhere"])).status_code == 404


def test_nothing_private_or_internal_is_shown(agency, city, client):
    for url in (home(agency), embed(agency)):
        body = client.get(url).content.decode()
        assert [text for text in NEVER_PUBLIC if text in body] == []


def _cells(body: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body)]


def test_small_counts_are_not_shown_and_still_not_when_served_from_the_cache(agency, city, client):
    cache.clear()
    first = client.get(home(agency)).content.decode()
    assert cache.get(selectors.cache_key(agency, "en")) is not None
    second = client.get(home(agency)).content.decode()
    for body in (first, second):
        # 3 inputs about technology, 3 in South's count measure, 2 behind the priority.
        board = body.split('id="ledger"')[1].split("</section>")[0]
        assert "Not shown: too few inputs" in board
        assert "fewer than 5 inputs" in body
        figures = [c for c in _cells(body) if c.isdigit()]
        assert not [c for c in figures if 0 < int(c) < 5]
    cached = cache.get(selectors.cache_key(agency, "en"))
    technology = next(r for r in cached.ledger.by_topic if r["key"] == "technology")
    assert technology["received"] is None and technology["suppressed"]


def test_the_cached_dashboard_is_the_one_assembled_through_the_datasets(agency, city, client):
    cache.clear()
    client.get(home(agency))
    cached = cache.get(selectors.cache_key(agency, "en"))
    fresh = selectors.assemble(agency=agency)
    assert cached.ledger == fresh.ledger
    assert cached.decisions == fresh.decisions
    assert [c.latest for g in cached.measures for c in g.cards] == [
        c.latest for g in fresh.measures for c in g.cards
    ]


@override_settings(ROUNDTABLE_DASHBOARD_CACHE_SECONDS=300)
def test_the_cache_is_per_language(agency, city, client):
    cache.clear()
    client.get(home(agency))
    client.get(home(agency), HTTP_ACCEPT_LANGUAGE="es")
    assert cache.get(selectors.cache_key(agency, "en")).language == "en"
    assert cache.get(selectors.cache_key(agency, "es")).language == "es"


def test_charts_have_tables_and_the_map_has_a_table_without_javascript(agency, city, client):
    body = client.get(home(agency)).content.decode()
    measures = body.split('id="measures"')[1].split("</section>")[0]
    assert '<svg viewBox="0 0 640 240" role="img"' in measures
    assert "<details" in measures and "<table>" in measures
    surveys = body.split('id="surveys"')[1].split("</section>")[0]
    assert "<svg" in surveys and "<table>" in surveys
    hot = body.split('id="map"')[1].split("</section>")[0]
    assert "<svg" in hot and "<table>" in hot
    assert 'class="rt-db-area"' in hot
    # No script of the dashboard's own: the page is whole without JavaScript.
    assert body.count("<script") == 1  # the site's htmx, from base.html


def test_the_dashboard_speaks_spanish_by_header_or_by_cookie(agency, city, client):
    for kwargs in ({"HTTP_ACCEPT_LANGUAGE": "es"}, {}):
        if not kwargs:
            client.cookies["roundtable_language"] = "es"
        response = client.get(home(agency), **kwargs)
        body = response.content.decode()
        assert response["Content-Language"] == "es"
        assert '<html lang="es">' in body
        assert "Próximas reuniones" in body  # meetings
        assert "Lo que dijo y lo que hicimos" in body  # you said, we did
        assert "Prioridades que elegimos juntos" in body  # priorities
        assert "Puntos calientes y fríos" in body  # the map


def test_the_page_offers_the_code_to_embed_it(agency, city, client):
    body = client.get(home(agency)).content.decode()
    assert "&lt;iframe src=&quot;http://testserver/p/riverside/dashboard/embed/&quot;" in body or (
        '&lt;iframe src="http://testserver/p/riverside/dashboard/embed/"' in body
    )
    assert 'title="Public safety dashboard · Riverside Police Department"' in body


def test_the_agency_page_links_to_the_dashboard_and_open_data(agency, client):
    body = client.get(reverse("inputs_public:agency", args=[agency.slug])).content.decode()
    assert home(agency) in body
    assert reverse("opendata:catalogue", args=[agency.slug]) in body


def test_the_number_of_queries_does_not_grow_with_the_content(
    agency, city, client, django_assert_max_num_queries
):
    cache.clear()
    with django_assert_max_num_queries(45) as counted:
        client.get(home(agency))
    before = len(counted.captured_queries)
    for n in range(8):
        ProblemFactory.create(agency=agency, title=f"Another problem {n}", is_public=True)
        EventFactory.create(agency=agency, title=f"Another meeting {n}")
    cache.clear()
    with django_assert_max_num_queries(before) as counted:
        client.get(home(agency))
    # From the cache: only the request's own reads (the agency).
    with django_assert_max_num_queries(3):
        client.get(home(agency))


# --- The embeddable page ---


def test_the_embed_has_no_site_header_and_opens_links_in_the_top_window(agency, city, client):
    response = client.get(embed(agency))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' not in body and "<form" not in body
    assert '<base target="_top">' in body
    assert '<a href="#measures" target="_self">' in body
    for section in SECTIONS:
        assert f'<section id="{section}"' in body
    assert "<script" not in body


def test_without_configured_origins_the_embed_cannot_be_framed(agency, city, client):
    with override_settings(ROUNDTABLE_EMBED_ORIGINS=[]):
        response = client.get(embed(agency))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_configured_origins_may_frame_the_embed_and_nothing_else(agency, city, client):
    origins = ["https://police.example.gov", "https://city.example.gov"]
    with override_settings(ROUNDTABLE_EMBED_ORIGINS=origins):
        framed = client.get(embed(agency))
        page = client.get(home(agency))
    policy = framed["Content-Security-Policy"]
    assert "frame-ancestors https://police.example.gov https://city.example.gov" in policy
    assert "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
    assert "X-Frame-Options" not in framed
    assert "script-src 'self'" in policy  # the rest of the policy stays
    # The page itself, and every other page, still may not be framed.
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_embed_takes_its_language_from_its_address(agency, city, client):
    response = client.get(embed(agency) + "?lang=es")
    body = response.content.decode()
    assert response["Content-Language"] == "es" and '<html lang="es">' in body
    assert "Próximas reuniones" in body
    assert '<a href="?lang=en" target="_self"' in body
    english = client.get(embed(agency) + "?lang=xx").content.decode()
    assert "Upcoming meetings" in english


def _hot_layer(lat: float, lon: float, bin_: int) -> dict[str, Any]:
    import h3

    cell = h3.latlng_to_cell(lat, lon, 8)
    ring = [[round(x, 6), round(y, 6)] for y, x in h3.cell_to_boundary(cell)]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                "properties": {"h3": cell, "count": None, "bin": bin_, "band": [25, 49]},
            }
        ],
    }


def test_the_map_draws_the_public_hot_spots_and_lists_them(agency, city, client, monkeypatch):
    layer = _hot_layer(41.905, -87.695, 3)
    monkeypatch.setattr(selectors, "public_hotspots", lambda _agency: layer)
    cache.clear()
    body = client.get(home(agency)).content.decode()
    hot = body.split('id="map"')[1].split("</section>")[0]
    assert 'class="rt-db-cell rt-db-band-2 rt-db-hot rt-db-hot-3"' in hot
    assert "<title>Hot spot, 99 % confidence; incidents: 25 to 49</title>" in hot
    bands = hot.split('id="map-bands"')[1].split("</table>")[0]
    assert '<th scope="row">25 to 49</th><td>North District</td>' in bands
    spots = hot.split("Hexagon cells with a significant cluster")[1]
    assert "North District" in spots and "25 to 49" in spots
    assert layer["features"][0]["properties"]["h3"] not in hot  # no cell index on the page


def test_the_page_is_compressed_for_clients_that_accept_it(agency, city, client):
    import gzip

    response = client.get(home(agency), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b'<section id="measures"' in gzip.decompress(response.content)
