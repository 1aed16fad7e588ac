"""`roundtable opinions analyze|import|export|recompute`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from roundtable.opinions.models import Analysis, Conversation, Vote
from roundtable.opinions.polis_folder import read_polis_folder

ROOT = Path(__file__).resolve().parents[2]
LONDON = ROOT / "tests" / "fixtures" / "polis" / "london.youth.policing"


def run(*args: str) -> str:
    out = StringIO()
    call_command("opinions", *args, stdout=out)
    return out.getvalue()


def latest_of(path: Path) -> set[tuple[int, int, int]]:
    folder = read_polis_folder(path)
    keep = folder.latest_votes()
    return set(zip(folder.participants[keep].tolist(), folder.statements[keep].tolist(),
                   folder.values[keep].tolist(), strict=True))  # fmt: skip


# No django_db mark: pytest-django refuses any database access in these tests.
def test_analyze_prints_the_issues_json_shape() -> None:
    data = json.loads(run("analyze", str(LONDON), "--json"))
    assert {"participants", "groups", "consensus", "group_informed_consensus",
            "seconds"} <= set(data)  # fmt: skip
    people = data["participants"]
    assert len(people) == 26
    assert {p["participant"] for p in people} == set(range(1, 27))
    assert all(set(p) == {"participant", "group", "x", "y"} for p in people)
    assert all(isinstance(p["x"], float) and isinstance(p["y"], float) for p in people)
    grouped = [p["group"] for p in people if p["group"] is not None]
    assert len(data["groups"]) >= 2
    assert sorted(g["group"] for g in data["groups"]) == list(range(len(data["groups"])))
    assert sum(g["size"] for g in data["groups"]) == len(grouped)
    for group in data["groups"]:
        assert group["size"] == grouped.count(group["group"])
        assert 0 < len(group["repness"]) <= 5
        for rep in group["repness"]:
            assert rep["direction"] in ("agree", "disagree")
            assert {"statement", "n_success", "n_trials", "p_success", "p_test", "repness",
                    "repness_test", "best_agree"} <= set(rep)  # fmt: skip
            assert rep["statement"] not in (0, 2, 3)  # moderated out: never representative
    assert set(data["consensus"]) == {"agree", "disagree"}
    assert all(isinstance(n, int) for n in data["consensus"]["agree"])
    assert set(data["group_informed_consensus"]) <= {str(n) for n in range(39)}
    assert all(0 < v <= 1 for v in data["group_informed_consensus"].values())
    assert isinstance(data["seconds"], float) and data["seconds"] >= 0


def test_analyze_is_deterministic_for_a_seed() -> None:
    first = json.loads(run("analyze", str(LONDON), "--json", "--seed", "3"))
    second = json.loads(run("analyze", str(LONDON), "--json", "--seed", "3"))
    first.pop("seconds")
    second.pop("seconds")
    assert first == second


def test_analyze_summary_names_groups_and_statements() -> None:
    output = run("analyze", str(LONDON))
    assert output.startswith("26 participants, 25 in the map, ")
    assert "Group A (" in output and "Group B (" in output
    assert "Consensus, agree:" in output
    data = json.loads(run("analyze", str(LONDON), "--json"))
    top = data["groups"][0]["repness"][0]["statement"]
    text = next(c.text for c in read_polis_folder(LONDON).comments if c.number == top)
    assert f"#{top} {text[:40]}" in output
    assert output.rstrip().endswith(" s.")


def test_analyze_reports_a_bad_folder(tmp_path: Path) -> None:
    for name in ("comments.csv", "summary.csv"):
        (tmp_path / name).write_bytes((LONDON / name).read_bytes())
    (tmp_path / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n1,1,1,yes\n")
    with pytest.raises(CommandError, match=r"votes\.csv, line 2: vote must be"):
        run("analyze", str(tmp_path))
    with pytest.raises(CommandError, match="no such folder"):
        run("analyze", str(tmp_path / "missing"))


def test_analyze_runs_on_a_fresh_checkout_before_migrate(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
           "ROUNDTABLE_VAR_DIR": str(tmp_path / "var")}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, "-m", "roundtable", "opinions", "analyze", str(LONDON), "--json"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["participants"]) == 26
    if database.exists():
        tables = sqlite3.connect(database).execute("select name from sqlite_master").fetchall()
        assert tables == []


@pytest.mark.django_db(transaction=True)
def test_import_stores_and_maps_the_folder(agency, casey) -> None:
    report = json.loads(run("import", str(LONDON), "--user", "casey", "--json"))
    conversation = Conversation.objects.get()
    assert report["conversation"] == conversation.pk
    assert conversation.agency == agency and conversation.created_by == casey
    assert (report["statements"], report["participants"], report["votes"]) == (39, 27, 638)
    assert report["vote_rows"] == 640
    # Outside a transaction the analysis has run by the time the command reports.
    analysis = Analysis.objects.get(conversation=conversation)
    assert report["groups"] == analysis.group_count >= 2
    assert report["clustered"] == analysis.clustered_count > 0
    assert analysis.vote_count == 638


@pytest.mark.django_db
def test_import_summary_and_title(agency) -> None:
    output = run("import", str(LONDON), "--agency", "riverside", "--title", "Youth scrutiny")
    conversation = Conversation.objects.get()
    assert conversation.title == "Youth scrutiny"
    assert output.startswith(
        f"Imported conversation {conversation.pk} (Youth scrutiny): "
        "39 statements, 27 participants, 638 votes (640 rows read"
    )


@pytest.mark.django_db
def test_import_refuses_strangers_and_bad_folders(agency, other_agency, uma, tmp_path) -> None:
    with pytest.raises(CommandError, match="--agency"):
        run("import", str(LONDON))
    with pytest.raises(CommandError, match="No agency"):
        run("import", str(LONDON), "--agency", "atlantis")
    with pytest.raises(CommandError, match="not a member"):
        run("import", str(LONDON), "--agency", "riverside", "--user", "uma")
    with pytest.raises(CommandError, match=r"comments\.csv: missing"):
        run("import", str(tmp_path), "--agency", "riverside")
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_export_writes_a_folder_that_reads_back_to_the_same_votes(agency, tmp_path) -> None:
    run("import", str(LONDON), "--agency", "riverside")
    conversation = Conversation.objects.get()
    run("recompute", str(conversation.pk))
    target = tmp_path / "out"
    output = run("export", str(conversation.pk), str(target))
    assert "comments.csv, votes.csv, participants-votes.csv, summary.csv" in output
    assert latest_of(target) == latest_of(LONDON)
    groups = read_polis_folder(target).exported_groups
    stored = {p["participant"]: p["group"] for p in conversation.analysis.result["participants"]}
    assert {p: groups[p] for p in stored} == stored
    with pytest.raises(CommandError, match="already holds"):
        run("export", str(conversation.pk), str(target))
    with pytest.raises(CommandError, match="No conversation with id 999999"):
        run("export", "999999", str(tmp_path / "other"))


@pytest.mark.django_db
def test_recompute_redraws_the_map(planted, park) -> None:
    assert not Analysis.objects.filter(conversation=park).exists()
    output = run("recompute", str(park.pk))
    analysis = Analysis.objects.get(conversation=park)
    assert analysis.vote_count == Vote.objects.filter(conversation=park).count() == 140
    assert output.startswith(
        f"Conversation {park.pk}: 140 votes, 20 participants, {analysis.clustered_count} "
        f"grouped into {analysis.group_count} groups; "
    )
    with pytest.raises(CommandError, match="No conversation"):
        run("recompute", "999999")
