"""Opinion maps of real Polis conversations: our analyze against red-dwarf, same votes, same run.

For each folder in /work/shared/data/polis (skipped with a note when the data
is absent), the folder is read once (`polis_folder.read_polis_folder`, not
timed). Then, from the loaded votes to the finished result:

- ours: `VoteTable.from_votes` (keeps the latest vote per pair) + `analyze`
  (seed 0), best and median of RUNS_OURS runs;
- red-dwarf 0.4 (`reddwarf.implementations.polis.run_pipeline`, the Python port
  of the Polis maths): its Polis defaults (PCA reducer, k-means clusterer,
  min_user_vote_threshold 7, max_group_count 5, pick_max 5, confidence 0.9),
  with the moderated-out and meta comment ids and random_state 0; best and
  median of RUNS_REDDWARF runs. Its input is its own format, a list of vote
  dicts (participant_id, statement_id, vote, modified), built beforehand from
  the latest vote per pair (its pivot refuses duplicate pairs), so
  deduplication is timed for us and not for it.

Both run with BLAS/OpenMP limited to one thread (threadpoolctl): on a shared
two-core machine, spinning BLAS threads made red-dwarf's times swing tenfold
from run to run, which says nothing about either implementation.

Agreement with Polis: the adjusted Rand index (sklearn's) between each one's
groups and the `group-id` column Polis exported in participants-votes.csv,
over the participants Polis clustered (a non-blank group-id). A participant
Polis clustered whom an implementation did not cluster (or never saw) gets
the label −1 there, so leaving people out costs.

bg2050-volunteers exports Polis's own group-informed consensus per comment: the
max and mean |ours − exported| (a) with our groups (analyze's result) and
(b) with Polis's exported groups fed into the same formula
(`consensus.group_informed_consensus` over group × statement agree and seen
counts of the latest votes; `analyze` takes no groups, so the bench counts).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from bench import timed
from roundtable.analytics.polis import AnalysisResult, VoteTable, analyze
from roundtable.analytics.polis.consensus import group_informed_consensus
from roundtable.analytics.polis.pipeline import group_counts
from roundtable.opinions.polis_folder import PolisFolder, meta, moderated_out, read_polis_folder

DATA = Path("/work/shared/data/polis")
CONVERSATIONS = (
    "london.youth.policing",
    "15-per-hour-seattle",
    "brexit-consensus",
    "canadian-electoral-reform",
    "bg2050-volunteers",
    "scoop-hivemind.biodiversity",
)
RUNS_OURS = 7
RUNS_REDDWARF = 3
SEED = 0


def ari_against_polis(folder: PolisFolder, groups: dict[int, int]) -> float:
    """ARI over the participants Polis clustered; not clustered by the other side = −1."""
    from sklearn.metrics import adjusted_rand_score

    clustered = sorted(p for p, g in folder.exported_groups.items() if g is not None)
    polis = [folder.exported_groups[p] for p in clustered]
    other = [groups.get(p, -1) for p in clustered]
    return float(adjusted_rand_score(polis, other))


def our_groups(result: AnalysisResult) -> dict[int, int]:
    return {
        int(p): int(g) for p, g in zip(result.participants, result.group_of, strict=True) if g >= 0
    }


def reddwarf_votes(folder: PolisFolder) -> list[dict[str, int]]:
    keep = folder.latest_votes()
    return [
        {"participant_id": p, "statement_id": s, "vote": v, "modified": t}
        for p, s, v, t in zip(
            folder.participants[keep].tolist(),
            folder.statements[keep].tolist(),
            folder.values[keep].tolist(),
            folder.timestamps[keep].tolist(),
            strict=True,
        )
    ]


def reddwarf_groups(result: Any) -> dict[int, int]:
    labels = result.participants_df["cluster_id"].dropna()  # not clustered: <NA>
    return {int(p): int(g) for p, g in labels.items()}


def gic_with_exported_groups(folder: PolisFolder, table: VoteTable) -> dict[int, float]:
    """Group-informed consensus over Polis's own groups (latest votes)."""
    ids = sorted({g for g in folder.exported_groups.values() if g is not None})
    index = {g: i for i, g in enumerate(ids)}
    labels = [folder.exported_groups.get(int(p)) for p in table.participants]
    row_group = np.asarray([-1 if g is None else index[g] for g in labels], dtype=np.int64)
    agree, _disagree, seen = group_counts(table, row_group, len(ids))
    values = group_informed_consensus(agree, seen)
    return {int(s): float(v) for s, v in zip(table.statements, values, strict=True)}


def gic_gap(folder: PolisFolder, ours: dict[int, float]) -> str:
    exported = {
        c.number: c.group_informed_consensus
        for c in folder.comments
        if c.group_informed_consensus is not None
    }
    # A comment nobody voted on has no column in our table: (0+1)/(0+2) per group.
    groups = len({g for g in folder.exported_groups.values() if g is not None})
    gaps = np.asarray([abs(ours.get(n, 0.5**groups) - v) for n, v in exported.items()])
    return f"max {gaps.max():.2e}, mean {gaps.mean():.2e} over {gaps.size} comments"


def run() -> dict[str, str]:
    warnings.filterwarnings("ignore")
    from reddwarf.implementations.polis import run_pipeline

    results: dict[str, str] = {}
    ours_total = reddwarf_total = 0.0
    for name in CONVERSATIONS:
        path = DATA / name
        if not path.is_dir():
            results[name] = f"skipped: {path} is absent"
            continue
        folder = read_polis_folder(path)
        out, excluded = moderated_out(folder), meta(folder)

        def ours(folder: PolisFolder = folder, out: list[int] = out,
                 excluded: list[int] = excluded) -> AnalysisResult:  # fmt: skip
            table = VoteTable.from_votes(folder.participants, folder.statements, folder.values)
            return analyze(table, moderated_out=out, meta=excluded, seed=SEED)

        with threadpool_limits(limits=1):
            result, best, median = timed(ours, RUNS_OURS)
        votes = reddwarf_votes(folder)

        def theirs(votes: list[dict[str, int]] = votes, out: list[int] = out,
                   excluded: list[int] = excluded) -> Any:  # fmt: skip
            return run_pipeline(votes=votes, mod_out_statement_ids=out,
                                meta_statement_ids=excluded, random_state=SEED)  # fmt: skip

        with threadpool_limits(limits=1):
            red, red_best, red_median = timed(theirs, RUNS_REDDWARF)
        ours_total += best
        reddwarf_total += red_best
        polis_groups = {g for g in folder.exported_groups.values() if g is not None}
        ours_groups, red_groups = our_groups(result), reddwarf_groups(red)
        results[f"{name}: data"] = (
            f"{len(set(folder.participants.tolist()))} voters, {len(folder.comments)} comments "
            f"({len(out)} moderated out, {len(excluded)} meta), {folder.latest_votes().size} "
            f"votes; Polis: {len(polis_groups)} groups over "
            f"{sum(g is not None for g in folder.exported_groups.values())} participants"
        )
        results[f"{name}: ours"] = (
            f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms; "
            f"{len(result.groups)} groups over {len(ours_groups)} participants"
        )
        results[f"{name}: red-dwarf"] = (
            f"best {red_best * 1000:.1f} ms, median {red_median * 1000:.1f} ms; "
            f"{len(set(red_groups.values()))} groups over {len(red_groups)} participants"
        )
        results[f"{name}: speed-up"] = f"{red_best / best:.1f}x (best against best)"
        results[f"{name}: ARI vs Polis group-id"] = (
            f"ours {ari_against_polis(folder, ours_groups):.3f}, "
            f"red-dwarf {ari_against_polis(folder, red_groups):.3f}"
        )
        if any(c.group_informed_consensus is not None for c in folder.comments):
            table = VoteTable.from_votes(folder.participants, folder.statements, folder.values)
            results[f"{name}: |GIC − exported|, our groups"] = gic_gap(
                folder, result.group_informed_consensus
            )
            results[f"{name}: |GIC − exported|, Polis's groups"] = gic_gap(
                folder, gic_with_exported_groups(folder, table)
            )
    if ours_total:
        results["all conversations (best runs)"] = (
            f"ours {ours_total * 1000:.0f} ms, red-dwarf {reddwarf_total * 1000:.0f} ms, "
            f"{reddwarf_total / ours_total:.1f}x"
        )
    return results
