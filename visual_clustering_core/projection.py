"""Projection of high-dimensional embeddings to the 2-D points visual clustering needs."""

import numpy as np

PROJECTIONS = ("umap", "pca")


def project(X, method="umap", random_state=0, **kwargs):
    """X (n, d) projected to (n, 2) float32 with UMAP or PCA; 2-D input, or ``method="none"``, returns X as is.

    Extra keyword arguments go to ``umap.UMAP`` or ``sklearn.decomposition.PCA``.
    """
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"embeddings must be a non-empty (n, d) array; got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("embeddings hold NaN or inf; drop those rows first (the FiftyOne SDK leaves them out itself).")
    if X.shape[1] == 2 or method == "none":
        return X
    if method == "pca":
        from sklearn.decomposition import PCA

        if len(X) < 2:
            raise ValueError(f"PCA needs at least 2 points; got {len(X)}. Cluster a view with more samples.")
        return PCA(n_components=2, random_state=random_state, **kwargs).fit_transform(X).astype(np.float32)
    if method == "umap":
        if len(X) < 4:
            raise ValueError(f"UMAP needs at least 4 points; got {len(X)}. Cluster a view with more samples, or use PCA.")
        import umap

        params = dict(n_components=2, random_state=random_state, n_neighbors=min(15, len(X) - 1)) | kwargs
        return umap.UMAP(**params).fit_transform(X).astype(np.float32)
    raise ValueError(f"projection must be one of {PROJECTIONS} or 'none'; got {method!r}")
