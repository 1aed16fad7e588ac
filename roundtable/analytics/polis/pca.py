"""Two principal components and the sparsity-aware projection.

Source: compdemocracy/polis math/src/polismath/math/pca.clj (`powerit-pca`,
`power-iteration`, `factor-matrix`, `sparsity-aware-project-ptpt`,
`pca-project-cmnts`) and conversation.clj (`:mat`, `:pca`, `:proj`,
`with-proj-and-extremtiy`); Small et al. 2021, "Polis: Scaling deliberation
by mapping high-dimensional opinion spaces", §3.2.

Polis fills every missing vote with its column's mean (`:mat`), centres the
columns, and finds two components by power iteration with deflation. After
imputation with the column mean, the centred matrix is exactly zero at every
missing cell: only the votes are non-zero. So the centred matrix is built
here as a sparse matrix of (vote − column mean), and its top two
eigenvectors of Xcᵀ·Xc are computed exactly (dense LAPACK `eigh` for
a handful of columns, ARPACK `eigsh` otherwise); that is the fixed point
power iteration converges to, without 100 passes over the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.linalg import LinearOperator, eigsh

from roundtable.analytics.polis.matrix import RatingMatrix

N_COMPONENTS = 2
# Up to this many columns the small Gram matrix goes to LAPACK; above it
# ARPACK works on the sparse matrix directly, which is also much faster
# than a full dense eigendecomposition of a few hundred columns.
_DENSE_COLUMNS = 24
# ARPACK's relative residual tolerance. Even when the top eigenvalues are
# within 1 % of each other (a synthetic 100k × 2k conversation with three
# planted camps) the eigenvectors agree with a 1e-10 solve to ~1e-5, far
# below anything that moves a participant between clusters, at 60 % of
# the matrix-vector products.
_ARPACK_TOLERANCE = 1e-6


@dataclass(frozen=True)
class PCA:
    center: NDArray[np.float64]  # per column
    components: NDArray[np.float64]  # 2 × columns, unit rows (or zero)


def centered_matrix(rm: RatingMatrix) -> sp.csr_matrix:
    """The imputed, centred matrix: vote − column mean at each kept vote, 0 everywhere else."""
    t = rm.table
    rows = t.rows[rm.kept]
    cols = t.cols[rm.kept]
    data = t.values[rm.kept].astype(np.float64) - rm.center[cols]
    return sp.csr_matrix((data, (rows, cols)), shape=(rm.n_rows, rm.n_cols))


def principal_components(xc: sp.csr_matrix, *, seed: int = 0) -> NDArray[np.float64]:
    """The top two eigenvectors of Xcᵀ·Xc, as rows, sign-normalised.

    Only min(2, rows, columns) components exist (pca.clj `data-dim`); a
    missing one, or one with eigenvalue 0 (nothing varies), is a zero vector,
    so it contributes nothing to the projection. Sign convention: each
    component's largest-magnitude entry is made positive (the first such
    entry on ties); Polis's sign depends on its random start vector.
    """
    n_rows, n_cols = xc.shape
    components = np.zeros((N_COMPONENTS, n_cols))
    n_comps = min(N_COMPONENTS, n_rows, n_cols)
    if n_comps == 0 or xc.nnz == 0:
        return components
    if n_cols <= _DENSE_COLUMNS:
        gram = (xc.T @ xc).toarray()
        eigenvalues, eigenvectors = np.linalg.eigh(gram)
        order = np.argsort(eigenvalues, kind="stable")[::-1][:n_comps]
        values = eigenvalues[order]
        vectors = eigenvectors[:, order].T
    else:
        xt = xc.T.tocsr()

        def matvec(v: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.asarray(xt @ (xc @ v.ravel()))

        operator = LinearOperator((n_cols, n_cols), matvec=matvec, dtype=np.float64)
        v0 = np.random.default_rng(seed).standard_normal(n_cols)
        eigenvalues, eigenvectors = eigsh(
            operator, k=n_comps, which="LA", v0=v0, tol=_ARPACK_TOLERANCE
        )
        order = np.argsort(eigenvalues, kind="stable")[::-1]
        values = eigenvalues[order]
        vectors = eigenvectors[:, order].T
    scale = max(float(values[0]), 0.0)
    for i in range(n_comps):
        # An eigenvalue at rounding level is a direction with no variance.
        if values[i] <= 1e-12 * max(scale, 1.0):
            continue
        vector = vectors[i] / np.linalg.norm(vectors[i])
        peak = int(np.argmax(np.abs(vector)))
        components[i] = -vector if vector[peak] < 0 else vector
    return components


def pca(rm: RatingMatrix, *, seed: int = 0) -> tuple[PCA, sp.csr_matrix]:
    xc = centered_matrix(rm)
    return PCA(center=rm.center, components=principal_components(xc, seed=seed)), xc


def project_participants(rm: RatingMatrix, model: PCA, xc: sp.csr_matrix) -> NDArray[np.float64]:
    """pca.clj `sparsity-aware-project-ptpt`, for every row at once.

    p = Σ over non-missing cells of (x − center)·pc, times √(n-cmts / max(n-votes, 1)),
    where n-votes counts the zeroed matrix's non-missing cells (votes plus
    every mod-out column). The scaling pushes people who voted on few
    statements out from the centre, where the imputed means would
    otherwise pull them.
    """
    raw = np.asarray(xc @ model.components.T)
    n_votes = rm.projection_counts()
    scale = np.sqrt(rm.n_cols / np.maximum(n_votes, 1))
    return np.asarray(raw * scale[:, None])


def project_statements(model: PCA) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """pca.clj `pca-project-cmnts` and conversation.clj `with-proj-and-extremtiy`.

    Each statement is projected as a participant who agreed with it and
    saw nothing else: ((agree − center_j)·pc_j)·√(n-cmts / 1). Its
    extremity is the length of that point. Returns (points n × 2,
    extremity n). (Polis codes agree as −1, which flips the point but not
    its length.)
    """
    n_cols = len(model.center)
    points = ((1.0 - model.center) * model.components).T * np.sqrt(n_cols)
    return np.asarray(points), np.asarray(np.linalg.norm(points, axis=1))
