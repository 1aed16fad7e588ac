"""`roundtable surveys weight RESPONSES.csv --targets TARGETS.csv --out WEIGHTS.csv`."""

from __future__ import annotations

import csv
import json
import math
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "surveys"
RESPONSES = FIXTURES / "responses.csv"
TARGETS = FIXTURES / "targets.csv"
KEYS = ["respondents", "iterations", "converged", "design_effect", "effective_n",
        "max_margin_error", "seconds"]  # fmt: skip


def weigh(*args: str, responses: Path = RESPONSES, targets: Path = TARGETS) -> dict[str, Any]:
    out = StringIO()
    call_command("surveys", "weight", str(responses), "--targets", str(targets), *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    data: dict[str, Any] = json.loads(lines[0])
    return data


def read_weights(path: Path) -> tuple[list[str], np.ndarray]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "weight"]
    return [r[0] for r in rows[1:]], np.array([float(r[1]) for r in rows[1:]])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# No django_db mark: pytest-django refuses any database access in these tests.
def test_weight_writes_weights_of_mean_one_that_meet_the_targets(tmp_path: Path) -> None:
    out = tmp_path / "weights.csv"
    data = weigh("--out", str(out))
    assert list(data) == KEYS
    respondents = read_csv(RESPONSES)
    ids, weights = read_weights(out)
    assert ids == [r["id"] for r in respondents]
    assert data["respondents"] == len(ids) == 40
    assert data["converged"] is True
    assert isinstance(data["iterations"], int) and data["iterations"] >= 1
    assert weights.mean() == pytest.approx(1.0)
    n_eff = weights.sum() ** 2 / (weights**2).sum()
    assert data["effective_n"] == pytest.approx(n_eff)
    assert data["design_effect"] == pytest.approx(40 / n_eff)
    assert data["max_margin_error"] == pytest.approx(1.96 * math.sqrt(0.25 / n_eff))
    assert isinstance(data["seconds"], float) and data["seconds"] >= 0
    # Every variable's weighted shares, among those who answered it, are the targets.
    for target in read_csv(TARGETS):
        variable, category = target["variable"], target["category"]
        answered = np.array([r[variable] != "" for r in respondents])
        inside = np.array([r[variable] == category for r in respondents])
        share = weights[inside].sum() / weights[answered].sum()
        assert share == pytest.approx(float(target["share"]), abs=1e-9), (variable, category)


def test_blank_cells_are_missing_answers(tmp_path: Path) -> None:
    respondents = read_csv(RESPONSES)
    blanks = [r["id"] for r in respondents if "" in r.values()]
    assert len(blanks) == 3  # the fixture has two blank genders and a blank tenure
    out = tmp_path / "weights.csv"
    assert weigh("--out", str(out))["converged"]
    ids, weights = read_weights(out)
    assert all(weights[ids.index(b)] > 0 for b in blanks)


def test_a_bom_and_cr_line_endings_change_nothing(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    weigh("--out", str(plain))
    for name, ending in (("cr", "\r"), ("crlf", "\r\n")):
        responses, targets = tmp_path / f"responses-{name}.csv", tmp_path / f"targets-{name}.csv"
        for source, copy in ((RESPONSES, responses), (TARGETS, targets)):
            text = source.read_text(encoding="utf-8").replace("\n", ending)
            copy.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        out = tmp_path / f"weights-{name}.csv"
        weigh("--out", str(out), responses=responses, targets=targets)
        assert out.read_text() == plain.read_text()


def test_a_cap_keeps_every_weight_under_it(tmp_path: Path) -> None:
    out = tmp_path / "weights.csv"
    uncapped = tmp_path / "uncapped.csv"
    weigh("--out", str(uncapped))
    assert read_weights(uncapped)[1].max() > 2.5
    data = weigh("--out", str(out), "--cap", "2.5", "--max-iterations", "5000")
    assert data["converged"] is True
    assert read_weights(out)[1].max() <= 2.5 + 1e-9


def test_no_convergence_prints_the_line_but_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "weights.csv"
    printed = StringIO()
    with pytest.raises(CommandError, match=r"did not converge in 30 iterations.*was not written"):
        call_command(
            "surveys", "weight", str(RESPONSES), "--targets", str(TARGETS), "--out", str(out),
            "--cap", "1.2", "--max-iterations", "30", stdout=printed,
        )  # fmt: skip
    data = json.loads(printed.getvalue())
    assert list(data) == KEYS
    assert data["converged"] is False
    assert data["iterations"] == 30
    assert not out.exists()


def test_no_convergence_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    out = tmp_path / "weights.csv"
    done = subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, "-m", "roundtable", "surveys", "weight", str(RESPONSES), "--targets",
         str(TARGETS), "--out", str(out), "--cap", "1.2", "--max-iterations", "30"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert json.loads(done.stdout)["converged"] is False
    assert "did not converge" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_help_says_what_happens_when_raking_fails() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "roundtable", "surveys", "weight", "--help"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "WEIGHTS.csv is NOT written" in text
    assert "1.96*sqrt(0.25/effective_n)" in text


def test_weight_runs_on_a_fresh_checkout_before_migrate(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
           "ROUNDTABLE_VAR_DIR": str(tmp_path / "var")}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = tmp_path / "weights.csv"
    done = subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, "-m", "roundtable", "surveys", "weight", str(RESPONSES), "--targets",
         str(TARGETS), "--out", str(out)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["respondents"] == 40
    assert out.is_file()
    if database.exists():
        tables = sqlite3.connect(database).execute("select name from sqlite_master").fetchall()
        assert tables == []


GOOD_RESPONSES = "id,age,tenure\n1,young,own\n2,old,rent\n3,old,own\n4,young,rent\n"
GOOD_TARGETS = (
    "variable,category,share\nage,young,0.5\nage,old,0.5\ntenure,own,0.4\ntenure,rent,0.6\n"
)


@pytest.mark.parametrize(
    ("responses", "targets", "message"),
    [
        (GOOD_RESPONSES.replace("3,old,own", "3,middle,own"), GOOD_TARGETS,
         r"responses\.csv, line 4: age = 'middle' is not a category in targets\.csv "
         r"\(its categories: young, old\)"),
        ("id,age,tenure,income\n1,young,own,lo\n2,old,rent,hi\n", GOOD_TARGETS,
         "has the column income but targets.csv has no targets for it"),
        (GOOD_RESPONSES, GOOD_TARGETS + "gender,woman,1\n",
         "has targets for gender but responses.csv has no such column"),
        (GOOD_RESPONSES, GOOD_TARGETS.replace("tenure,rent,0.6", "tenure,rent,0.5"),
         "the shares of tenure sum to 0.9, not 1"),
        (GOOD_RESPONSES, GOOD_TARGETS.replace("tenure,rent,0.6", "tenure,rent,0.5")
         + "tenure,other,0.1\n",
         "Empty cell: no respondent in responses.csv has tenure = other, whose target share "
         "is 0.1"),
        (GOOD_RESPONSES.replace("4,young", "2,young"), GOOD_TARGETS,
         r"the id '2' appears on lines 3, 5"),
        (GOOD_RESPONSES.replace("id,", "respondent,"), GOOD_TARGETS,
         "has no id column"),
        (GOOD_RESPONSES, GOOD_TARGETS.replace("0.4", "40%"),
         r"line 4: the share of tenure = own is '40%', not a number"),
        (GOOD_RESPONSES, GOOD_TARGETS.replace("share", "percent"),
         "needs the columns variable,category,share"),
        (GOOD_RESPONSES, GOOD_TARGETS + "age,young,0\n", "age = young is listed twice"),
        (GOOD_RESPONSES.replace("4,young,rent", "4,young"), GOOD_TARGETS,
         "line 5: 2 fields where the header has 3"),
        ("id,age,tenure\n", GOOD_TARGETS, "has a header but no respondents"),
        (GOOD_RESPONSES, GOOD_TARGETS.replace("age,old,0.5", "age,old,0.5\nage,middle,0"),
         None),  # a zero share nobody is in: fine
    ],
)  # fmt: skip
def test_file_problems_are_clear_errors(tmp_path: Path, responses: str, targets: str,
                                        message: str | None) -> None:  # fmt: skip
    responses_path, targets_path = tmp_path / "responses.csv", tmp_path / "targets.csv"
    responses_path.write_text(responses, encoding="utf-8")
    targets_path.write_text(targets, encoding="utf-8")
    out = tmp_path / "weights.csv"
    if message is None:
        assert weigh("--out", str(out), responses=responses_path, targets=targets_path)["converged"]
        return
    with pytest.raises(CommandError, match=message):
        weigh("--out", str(out), responses=responses_path, targets=targets_path)
    assert not out.exists()


def test_a_zero_share_with_respondents_is_refused(tmp_path: Path) -> None:
    responses_path, targets_path = tmp_path / "responses.csv", tmp_path / "targets.csv"
    responses_path.write_text(GOOD_RESPONSES + "5,middle,own\n", encoding="utf-8")
    targets_path.write_text(GOOD_TARGETS + "age,middle,0\n", encoding="utf-8")
    with pytest.raises(CommandError, match="age = middle: 1 respondents but a target share of 0"):
        weigh("--out", str(tmp_path / "w.csv"), responses=responses_path, targets=targets_path)


def test_missing_files_and_bad_options(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        weigh("--out", str(tmp_path / "w.csv"), responses=tmp_path / "nothing.csv")
    with pytest.raises(CommandError, match="must be greater than 1"):
        weigh("--out", str(tmp_path / "w.csv"), "--cap", "1")
    with pytest.raises(CommandError, match="not a number"):
        weigh("--out", str(tmp_path / "w.csv"), "--tolerance", "tight")
    with pytest.raises(CommandError, match="must be at least 1"):
        weigh("--out", str(tmp_path / "w.csv"), "--max-iterations", "0")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,age\n1,jóven\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        weigh("--out", str(tmp_path / "w.csv"), responses=latin)


def test_out_naming_an_input_file_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_bytes(RESPONSES.read_bytes())
    with pytest.raises(CommandError, match="is the responses file itself"):
        weigh("--out", str(responses), responses=responses)
    assert responses.read_bytes() == RESPONSES.read_bytes()


def test_a_failed_write_leaves_the_earlier_weights_file_whole(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "weights.csv"
    weigh("--out", str(out))
    before = out.read_bytes()

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("roundtable.surveys.weight_files.os.replace", full_disk)
    with pytest.raises(CommandError, match="No space left on device"):
        weigh("--out", str(out))
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weights.csv"]
