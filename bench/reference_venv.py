"""Meta's `balance` in a venv of its own, for the raking test and bench.

balance 0.23 pins numpy<2, scipy<1.14 and scikit-learn<1.4 on Python 3.11,
which the project's venv cannot hold (numpy 2, scipy 1.14+). So the reference
lives in `<repo>/.venv-reference/balance` (git-ignored), created on first use
with `pip install balance==0.23.0` and reused afterwards. Creation runs under
an exclusive file lock (`fcntl.flock`), so two pytest-xdist workers, or a test
and the bench, that arrive together build it once: the second waits, then
finds the stamp file and returns. A half-built venv (no stamp) is removed and
built again.

The two sides talk through files in a temporary folder: the inputs as an
`.npz`, a script run by the reference venv's python, its outputs as an `.npz`.

`balance_rake` is the one call the test and the bench need: balance's `rake`
on category codes and target shares, timed inside the reference process
around the `rake` call only.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VENVS = ROOT / ".venv-reference"
VENV = VENVS / "balance"
REQUIREMENT = "balance==0.23.0"
STAMP = VENV / ".installed"
INSTALL_TIMEOUT = 1800  # seconds; a clean machine downloads ~200 MB of wheels

# balance's `rake` (balance/weighting_methods/rake.py, 0.23.0) takes the
# sample and the target population as frames of the same columns, each with
# weights; it builds each variable's target margin as the target frame's
# weighted category totals (rescaled to the sample's total) and runs its IPF
# (`_run_ipf_numpy`) over the full cross-table of the variables' categories,
# in alphabetical order of the variables' names. To hand it exact shares we
# give it the target population whose variables are independent: one row per
# combination of categories, weighted by the product of their shares, so each
# variable's weighted margin is exactly its shares (its `target_margins`
# argument would round the shares to a synthetic frame of at most 10,000
# rows, off by up to 1e-4). `transformations=None`: its default lumps
# categories under 5 % together and would change the problem. Its IPF stops
# when max |current margin ÷ target margin − 1| ≤ `convergence_rate` or when
# that figure moved by ≤ `rate_tolerance` from the last iteration; the
# defaults (5e-4, 1e-8) stop far from the fixed point, so the comparison
# passes 1e-13 and 0 (stop only at 1e-13 or when nothing moves any more).
SCRIPT = r"""
import itertools, logging, sys, time, warnings
import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)
from balance.stats_and_plots.weights_stats import kish_deff_stats
from balance.weighting_methods.rake import rake

data = np.load(sys.argv[1])
codes = data["codes"]
names = [f"v{i}" for i in range(codes.shape[1])]  # alphabetical = our order
sample = pd.DataFrame({n: np.char.add("c", codes[:, i].astype(str)) for i, n in enumerate(names)})
sample_weights = pd.Series(np.ones(len(sample)))
shares = [data[f"target{i}"] for i in range(len(names))]
combos = list(itertools.product(*[range(s.size) for s in shares]))
target = pd.DataFrame([[f"c{c}" for c in combo] for combo in combos], columns=names)
target_weights = pd.Series(
    [float(np.prod([s[c] for s, c in zip(shares, combo)])) for combo in combos]
)
keep = (target_weights > 0).to_numpy()
target = target[keep].reset_index(drop=True)
target_weights = target_weights[keep].reset_index(drop=True)
kwargs = dict(
    variables=names,
    transformations=None,
    max_iteration=int(data["max_iteration"]),
    convergence_rate=float(data["convergence_rate"]),
    rate_tolerance=float(data["rate_tolerance"]),
    weight_trimming_mean_ratio=float(data["trim"]) if float(data["trim"]) > 0 else None,
)
best = float("inf")
for _ in range(int(data["runs"])):
    started = time.perf_counter()
    result = rake(sample, sample_weights, target, target_weights, **kwargs)
    best = min(best, time.perf_counter() - started)
iterations = result["model"]["iterations"]
kish = kish_deff_stats(result["weight"])
np.savez(
    sys.argv[2],
    weights=result["weight"].to_numpy(dtype=float),
    seconds=np.array(best),
    iterations=np.array(len(iterations)),
    converged=np.array(int(result["model"]["converged"])),
    design_effect=np.array(float(kish.deff)),
    effective_n=np.array(float(kish.ess)),
)
"""


def _build() -> None:
    if VENV.exists():
        shutil.rmtree(VENV)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
    python = VENV / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", REQUIREMENT],
        check=True,
        timeout=INSTALL_TIMEOUT,
    )
    STAMP.write_text(REQUIREMENT + "\n")


def reference_python() -> Path:
    """The reference venv's python, built first if needed (once, under a lock)."""
    if STAMP.is_file() and STAMP.read_text().strip() == REQUIREMENT:
        return VENV / "bin" / "python"
    VENVS.mkdir(parents=True, exist_ok=True)
    with (VENVS / "balance.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            # Another process may have built it while this one waited.
            if not (STAMP.is_file() and STAMP.read_text().strip() == REQUIREMENT):
                _build()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return VENV / "bin" / "python"


def run_reference(script: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Run `script` in the reference venv with `argv[1]` = inputs.npz, `argv[2]` = outputs.npz."""
    python = reference_python()
    with tempfile.TemporaryDirectory(prefix="roundtable-reference-") as folder:
        given, taken = Path(folder) / "in.npz", Path(folder) / "out.npz"
        np.savez(given, **inputs)  # type: ignore[arg-type]
        done = subprocess.run(
            [str(python), "-c", script, str(given), str(taken)],
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,
            cwd=folder,
        )
        if done.returncode != 0:
            raise RuntimeError(f"The reference script failed:\n{done.stderr[-4000:]}")
        with np.load(taken) as out:
            return {name: out[name] for name in out.files}


@dataclass(frozen=True)
class Reference:
    weights: np.ndarray  # mean 1
    seconds: float  # best of the runs, around balance's `rake` call only
    iterations: int
    converged: bool
    design_effect: float  # balance's kish_deff_stats of its weights
    effective_n: float


def balance_rake(
    codes: Sequence[np.ndarray],
    targets: Sequence[np.ndarray],
    *,
    convergence_rate: float = 1e-13,
    rate_tolerance: float = 0.0,
    max_iteration: int = 10_000,
    weight_trimming_mean_ratio: float | None = None,
    runs: int = 1,
) -> Reference:
    """balance's raking weights (normalised to mean 1) for codes without missing values.

    weight_trimming_mean_ratio: balance's own trimming, applied once after
    raking (weights above ratio × mean clipped, then rescaled) without
    raking again — not anesrake's rule; the bench times it for comparison.
    """
    inputs: dict[str, np.ndarray] = {
        "codes": np.column_stack([np.asarray(c, dtype=np.int64) for c in codes]),
        "runs": np.array(runs),
        "max_iteration": np.array(max_iteration),
        "convergence_rate": np.array(convergence_rate),
        "rate_tolerance": np.array(rate_tolerance),
        "trim": np.array(weight_trimming_mean_ratio or 0.0),
    }
    for i, shares in enumerate(targets):
        inputs[f"target{i}"] = np.asarray(shares, dtype=np.float64)
    out = run_reference(SCRIPT, inputs)
    weights = out["weights"]
    return Reference(
        weights=weights / weights.mean(),
        seconds=float(out["seconds"]),
        iterations=int(out["iterations"]),
        converged=bool(out["converged"]),
        design_effect=float(out["design_effect"]),
        effective_n=float(out["effective_n"]),
    )


if __name__ == "__main__":
    started = time.perf_counter()
    print(reference_python(), f"ready in {time.perf_counter() - started:.1f} s")
