"""Input checks at the estimator's edge: clear errors that say what to do."""

import numpy as np

_PROJECT_HINT = (
    "project them to 2-D first, e.g. visual_clustering_core.project(X, method='umap') "
    "or sklearn.decomposition.PCA(n_components=2).fit_transform(X)"
)


def check_points(X):
    """X as an (n, 2) numeric array, without copying when it already is one."""
    if not isinstance(X, np.ndarray):
        X = np.asarray(X)
    if X.dtype.kind in "OUSV" or X.dtype.kind == "c":
        try:
            X = X.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"X must hold real numbers; got dtype {X.dtype}. Convert it with "
                "np.asarray(X, dtype=float) after removing non-numeric entries."
            ) from None
    if X.dtype.kind not in "biuf":
        raise TypeError(f"X must hold real numbers; got dtype {X.dtype}.")
    if X.ndim != 2:
        raise ValueError(
            f"X must be a 2-D array of shape (n_samples, 2); got {X.ndim}-D shape {X.shape}. "
            + ("For 1-D values use np.column_stack([x, np.zeros_like(x)])." if X.ndim == 1 else "")
        )
    if X.shape[0] == 0:
        raise ValueError("X is empty: visual clustering needs at least one point.")
    if X.shape[1] != 2:
        raise ValueError(
            f"Visual clustering works on 2-D points; X has {X.shape[1]} column(s). "
            + (f"To cluster {X.shape[1]}-D embeddings, {_PROJECT_HINT}." if X.shape[1] > 2 else "Pass two columns.")
        )
    return X
