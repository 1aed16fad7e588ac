"""Against real Polis exports: london.youth.policing and a bg2050-volunteers extract.

Both are CC BY 4.0 open data from The Computational Democracy Project; see
the READMEs next to the files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from roundtable.analytics.polis import VoteTable, analyze
from roundtable.analytics.polis.consensus import group_informed_consensus

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "polis"
LONDON = FIXTURES / "london.youth.policing"
BG2050 = Path(__file__).resolve().parent / "data" / "bg2050-gic"


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def london_votes():
    votes = sorted(read_csv(LONDON / "votes.csv"), key=lambda v: int(v["timestamp"]))
    table = VoteTable.from_votes(
        [int(v["voter-id"]) for v in votes],
        [int(v["comment-id"]) for v in votes],
        [int(v["vote"]) for v in votes],
    )
    moderated_out = [
        int(c["comment-id"]) for c in read_csv(LONDON / "comments.csv") if c["moderated"] == "-1"
    ]
    return table, moderated_out


@pytest.fixture(scope="module")
def london():
    table, moderated_out = london_votes()
    return (
        table,
        analyze(table, moderated_out=moderated_out),
        read_csv(LONDON / "participants-votes.csv"),
    )


def test_london_vote_counts_match_the_polis_export(london):
    table, _, exported = london
    row_of = {int(p): r for r, p in enumerate(table.participants)}
    for person in exported:
        row = row_of[int(person["participant"])]
        mine = table.values[table.rows == row]
        assert len(mine) == int(person["n-votes"])
        assert int((mine == 1).sum()) == int(person["n-agree"])
        assert int((mine == -1).sum()) == int(person["n-disagree"])


def test_london_clusters_everyone_polis_clustered(london):
    _, result, exported = london
    clustered = {int(p["participant"]) for p in exported if p["group-id"]}
    ours = {int(p) for p, g in zip(result.participants, result.group_of, strict=True) if g >= 0}
    assert len(clustered) == 24
    assert clustered <= ours
    assert 2 <= len(result.groups) <= 5


def test_london_groups_against_polis(london):
    # Measured: ARI −0.02 (Polis: 18/3/3 in 3 groups; ours 2 groups). Polis's
    # exported groups come from its incremental state (earlier clusters and a
    # smoothed k); a one-shot analysis of 24 people cannot recover that, and
    # red-dwarf gets 0.12 here. The bound only guards against a collapse.
    _, result, exported = london
    group_of = dict(zip(result.participants.tolist(), result.group_of.tolist(), strict=True))
    polis = [
        (int(p["group-id"]), group_of[int(p["participant"])]) for p in exported if p["group-id"]
    ]
    ari = adjusted_rand_score([a for a, _ in polis], [b for _, b in polis])
    assert ari > -0.1


def test_london_consensus_and_repness_leave_moderated_out_statements_alone(london):
    _, moderated_out = london_votes()
    _, result, _ = london
    assert moderated_out
    chosen = {c.statement for c in result.consensus_agree + result.consensus_disagree}
    chosen |= {r.statement for g in result.groups for r in g.repness}
    assert chosen
    assert not chosen & set(moderated_out)


def test_group_informed_consensus_matches_polis_on_bg2050():
    exported = read_csv(BG2050 / "participants-votes.csv")
    statements = [k for k in exported[0] if k not in ("participant", "group-id")]
    grouped = [p for p in exported if p["group-id"]]
    groups = sorted({int(p["group-id"]) for p in grouped})
    agree = np.zeros((len(groups), len(statements)), dtype=np.int64)
    seen = np.zeros_like(agree)
    for person in grouped:
        g = groups.index(int(person["group-id"]))
        for j, statement in enumerate(statements):
            if person[statement] != "":
                seen[g, j] += 1
                agree[g, j] += person[statement] == "1"
    ours = group_informed_consensus(agree, seen)
    expected = {
        c["comment-id"]: float(c["group-informed-consensus"])
        for c in read_csv(BG2050 / "comments.csv")
    }
    for j, statement in enumerate(statements):
        assert ours[j] == pytest.approx(expected[statement], rel=1e-12)
