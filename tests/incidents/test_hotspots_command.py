"""`roundtable hotspots`: on a bare export file without a database, or on an agency."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.incidents.helpers import incident
from tests.incidents.test_hotspots import FIXTURES, chicago_file, clustered


def run(*args: str) -> str:
    out = StringIO()
    call_command("hotspots", *args, stdout=out)
    return out.getvalue()


# No `db` fixture: pytest-django makes any database access in these tests fail.
def test_a_file_needs_no_database(tmp_path):
    path = chicago_file(tmp_path, clustered(200))
    data = json.loads(run(str(path), "--json", "--resolution", "9", "--permutations", "99"))
    assert set(data) == {"resolution", "k", "cells", "seconds"}
    assert data["resolution"] == 9 and data["k"] == 1
    assert sum(c["count"] for c in data["cells"]) == 300
    assert {"h3", "count", "z", "p", "p_fdr", "bin"} == set(data["cells"][0])


def test_options_reach_the_statistics(tmp_path):
    path = chicago_file(tmp_path, clustered(100))
    data = json.loads(
        run(str(path), "--json", "--resolution", "8", "--k", "2", "--since", "2014-03-15")
    )
    assert (data["resolution"], data["k"]) == (8, 2)
    # Every row is on 14 March.
    assert data["cells"] == []
    fixture = json.loads(run(str(FIXTURES / "chicago.csv"), "--json", "--offence", "theft"))
    assert sum(c["count"] for c in fixture["cells"]) == 1


def test_the_same_seed_prints_the_same_cells(tmp_path):
    path = chicago_file(tmp_path, clustered(100))
    first = json.loads(run(str(path), "--json", "--seed", "4", "--permutations", "99"))
    again = json.loads(run(str(path), "--json", "--seed", "4", "--permutations", "99"))
    assert first["cells"] == again["cells"]


def test_without_json_a_short_table(tmp_path):
    path = chicago_file(tmp_path, clustered())
    out = run(str(path), "--permutations", "9999")
    assert "600 located incidents" in out
    assert "Hottest cells:" in out
    assert "p_fdr" in out


def test_a_bad_offence_filter_lists_the_valid_ones(tmp_path):
    path = chicago_file(tmp_path, clustered(10))
    with pytest.raises(CommandError, match=r"violent.*burglary"):
        run(str(path), "--offence", "jaywalking")


def test_bad_resolution_is_refused(tmp_path):
    path = chicago_file(tmp_path, clustered(10))
    with pytest.raises(CommandError, match="resolution"):
        run(str(path), "--resolution", "16")


def test_an_unknown_layout_is_a_command_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run(str(path))


@pytest.mark.django_db
def test_an_agency_uses_its_imported_incidents_sensitive_included(agency, other_agency):
    day = dt.date(2024, 3, 1)
    incident(agency, day, latitude=41.9, longitude=-87.7)
    incident(agency, day, "sexual_assault", latitude=41.9, longitude=-87.7)
    incident(other_agency, day, latitude=41.9, longitude=-87.7)
    data = json.loads(run("riverside", "--json", "--permutations", "9"))
    assert sum(c["count"] for c in data["cells"]) == 2


@pytest.mark.django_db
def test_an_unknown_agency_is_a_command_error(agency):
    with pytest.raises(CommandError, match="neither a file nor an agency"):
        run("nowhere")
