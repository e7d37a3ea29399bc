"""The methods visual clustering is compared with: k-means and HDBSCAN, with its label conventions."""

import numbers

import numpy as np

BASELINES = ("kmeans", "hdbscan")
MINIBATCH_ABOVE = 100_000


def check_baseline(method, n_clusters=8, min_cluster_size=5, min_samples=None):
    """Raise a ValueError saying what to do if the method or its params are not usable."""
    integer = numbers.Integral
    if method not in BASELINES:
        raise ValueError(f"method must be one of {BASELINES}; got {method!r}.")
    if method == "kmeans" and (not isinstance(n_clusters, integer) or n_clusters < 1):
        raise ValueError(f"n_clusters must be an integer >= 1; got {n_clusters!r}.")
    if method == "hdbscan" and (not isinstance(min_cluster_size, integer) or min_cluster_size < 2):
        raise ValueError(f"min_cluster_size must be an integer >= 2; got {min_cluster_size!r}.")
    if method == "hdbscan" and min_samples is not None and (not isinstance(min_samples, integer) or min_samples < 1):
        raise ValueError(f"min_samples must be an integer >= 1, or None (= min_cluster_size); got {min_samples!r}.")


def make_baseline(method, n_points, n_clusters=8, min_cluster_size=5, min_samples=None, random_state=0):
    """An unfitted estimator for ``method`` on ``n_points`` points, and the params to record in the run.

    k-means is scikit-learn's ``KMeans``, or ``MiniBatchKMeans`` above
    MINIBATCH_ABOVE points; HDBSCAN is the ``hdbscan`` package (Boruvka KD-tree).
    """
    check_baseline(method, n_clusters, min_cluster_size, min_samples)
    if method == "kmeans":
        if n_clusters > n_points:
            raise ValueError(f"n_clusters={n_clusters} is more than the {n_points} points to cluster; choose fewer.")
        from sklearn.cluster import KMeans, MiniBatchKMeans

        if n_points > MINIBATCH_ABOVE:
            estimator = MiniBatchKMeans(n_clusters, n_init=3, batch_size=4096, random_state=random_state)
        else:
            estimator = KMeans(n_clusters, n_init="auto", random_state=random_state)
        return estimator, {"n_clusters": int(n_clusters), "algorithm": type(estimator).__name__, "random_state": random_state}
    if n_points <= max(min_cluster_size, min_samples or 0):
        raise ValueError(
            f"HDBSCAN with min_cluster_size={min_cluster_size}, min_samples={min_samples} needs more than "
            f"{max(min_cluster_size, min_samples or 0)} points; got {n_points}. Lower them or cluster more samples."
        )
    import hdbscan

    estimator = hdbscan.HDBSCAN(min_cluster_size=int(min_cluster_size), min_samples=min_samples)
    return estimator, {"min_cluster_size": int(min_cluster_size), "min_samples": min_samples}


def rank_by_size(labels):
    """Labels renumbered 0..k-1 from the largest cluster to the smallest (visual clustering's order); -1 stays."""
    labels = np.asarray(labels)
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0, int)
    order = np.argsort(-sizes, kind="stable")
    lut = np.full(len(sizes) + 1, -1, np.int32)  # lut[-1] is the noise entry
    lut[order] = np.arange(len(order), dtype=np.int32)
    return lut[labels]
