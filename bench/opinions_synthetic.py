"""Opinion map at scale: 100,000 participants × 2,000 statements, 10,000,000 votes, on 2 threads.

A synthetic conversation with planted opinion groups, so the clustering has
real structure to find: five groups (40/25/15/12/8 % of participants); each
statement has a shared mean opinion and a per-group shift, and each vote is a
pass with probability 0.15, otherwise agree with probability
sigmoid(mean + 2·shift) and disagree otherwise. Every participant votes on
20–180 distinct statements (uniformly at random; 100 on average, exactly 10
million votes in all), in a random time order.

The data is generated in one child process and saved as .npy files; a second
child (OMP/OPENBLAS/MKL threads limited to 2) loads them and runs one full
recompute, `VoteTable.from_votes` + `analyze`, exactly what the web app's
analysis task does after loading the votes. Its peak memory is that child's
`ru_maxrss` (loaded arrays included), so generation does not count. Figures
only: no thresholds. The recovered groups are compared with the planted ones by
the adjusted Rand index (a sanity check that the map found the structure).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PARTICIPANTS = 100_000
STATEMENTS = 2_000
VOTES = 10_000_000
SHARES = (0.40, 0.25, 0.15, 0.12, 0.08)
PASS = 0.15
CHUNK = 5_000
THREADS = "2"


def generate(folder: Path, seed: int = 0) -> None:
    """Write participants.npy, statements.npy, values.npy (time order) and groups.npy."""
    rng = np.random.default_rng(seed)
    groups = rng.choice(len(SHARES), size=PARTICIPANTS, p=SHARES)
    counts = rng.integers(20, 181, size=PARTICIPANTS)
    # Nudge random participants by one vote until the total is exactly VOTES.
    while (gap := VOTES - int(counts.sum())) != 0:
        pick = rng.choice(PARTICIPANTS, size=min(abs(gap), PARTICIPANTS), replace=False)
        counts[pick] = np.clip(counts[pick] + np.sign(gap), 20, 180)
    mean = rng.normal(0.0, 1.0, STATEMENTS)
    shift = rng.normal(0.0, 1.0, (len(SHARES), STATEMENTS))
    p_agree = 1.0 / (1.0 + np.exp(-(mean + 2.0 * shift)))
    participants = np.repeat(np.arange(PARTICIPANTS, dtype=np.int32), counts)
    statements = np.empty(VOTES, dtype=np.int32)
    at = 0
    for start in range(0, PARTICIPANTS, CHUNK):
        block = counts[start : start + CHUNK]
        # Distinct statements per participant: the first n of a random ranking.
        ranks = np.argsort(rng.random((block.size, STATEMENTS), dtype=np.float32), axis=1)
        keep = np.arange(STATEMENTS)[None, :] < block[:, None]
        chosen = ranks[keep].astype(np.int32)
        statements[at : at + chosen.size] = chosen
        at += chosen.size
    u = rng.random(VOTES, dtype=np.float32)
    agree = rng.random(VOTES, dtype=np.float32) < p_agree[groups[participants], statements]
    values = np.where(u < PASS, 0, np.where(agree, 1, -1)).astype(np.int8)
    order = rng.permutation(VOTES)
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "participants.npy", participants[order])
    np.save(folder / "statements.npy", statements[order])
    np.save(folder / "values.npy", values[order])
    np.save(folder / "groups.npy", groups)


def analyse(folder: Path) -> dict[str, float | int]:
    """One full recompute of the saved conversation; figures for the parent."""
    from sklearn.metrics import adjusted_rand_score

    from roundtable.analytics.polis import VoteTable, analyze

    participants = np.load(folder / "participants.npy")
    statements = np.load(folder / "statements.npy")
    values = np.load(folder / "values.npy")
    planted = np.load(folder / "groups.npy")
    loaded_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    table = VoteTable.from_votes(participants, statements, values)
    result = analyze(table, seed=0)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    clustered = result.group_of >= 0
    ari = adjusted_rand_score(planted[result.participants[clustered]], result.group_of[clustered])
    return {
        "seconds": seconds,
        "analysis_seconds": result.seconds,
        "peak_mb": peak_kb / 1024,
        "loaded_mb": loaded_kb / 1024,
        "participants": int(result.participants.size),
        "in_conv": int(result.in_conv.sum()),
        "groups": len(result.groups),
        "clustered": int(clustered.sum()),
        "ari": float(ari),
    }


def _child(*args: str) -> str:
    env = {**os.environ, "OMP_NUM_THREADS": THREADS, "OPENBLAS_NUM_THREADS": THREADS,
           "MKL_NUM_THREADS": THREADS}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "bench.opinions_synthetic", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def run() -> dict[str, str]:
    results: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="opinions-synthetic-") as tmp:
        started = time.perf_counter()
        _child("generate", tmp)
        results["data generation (excluded)"] = f"{time.perf_counter() - started:.1f} s"
        figures = json.loads(_child("analyse", tmp).strip().splitlines()[-1])
    results["conversation"] = (
        f"{figures['participants']:,} participants × {STATEMENTS:,} statements, {VOTES:,} votes, "
        f"{len(SHARES)} planted groups"
    )
    results["threads"] = f"OMP/OPENBLAS/MKL_NUM_THREADS={THREADS} ({os.cpu_count()} CPUs here)"
    results["full recompute"] = (
        f"{figures['seconds']:.1f} s (VoteTable.from_votes + analyze; analyze's own "
        f"seconds {figures['analysis_seconds']:.1f} s)"
    )
    results["peak memory (child ru_maxrss)"] = (
        f"{figures['peak_mb']:,.0f} MB (of which {figures['loaded_mb']:,.0f} MB after loading "
        f"the vote arrays)"
    )
    results["map"] = (
        f"{figures['in_conv']:,} in the map, {figures['clustered']:,} grouped into "
        f"{figures['groups']} groups; ARI against the planted groups {figures['ari']:.3f}"
    )
    return results


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(Path(sys.argv[2]))
    elif sys.argv[1] == "analyse":
        print(json.dumps(analyse(Path(sys.argv[2]))))
