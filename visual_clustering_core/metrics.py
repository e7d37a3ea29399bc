"""Scores of a clustering against ground truth, and agreement between clusterings.

Noise (label -1) counts as one more cluster in the information-theoretic and
pair-counting scores (as scikit-learn computes them), so calling points noise is
not free; it never counts as a match for a class in purity or the F-score.
"""

import numpy as np
from sklearn import metrics
from sklearn.metrics.cluster import contingency_matrix


def _table(truth, labels):
    """Contingency counts (classes x clusters) without the noise column, and the class sizes."""
    classes, truth_idx = np.unique(truth, return_inverse=True)
    clusters, label_idx = np.unique(labels, return_inverse=True)
    table = contingency_matrix(truth_idx, label_idx).astype(np.float64)[:, clusters >= 0]
    return table, np.bincount(truth_idx).astype(np.float64)


def purity(truth, labels):
    """Fraction of points whose cluster's majority class is their own class (noise points count as misses)."""
    table, class_sizes = _table(truth, labels)
    return float(table.max(axis=0).sum() / class_sizes.sum()) if table.size else 0.0


def f_score(truth, labels):
    """Best-match F1 of each true class over the clusters, weighted by class size (noise matches nothing)."""
    table, class_sizes = _table(truth, labels)
    if not table.size:
        return 0.0
    cluster_sizes = table.sum(axis=0)
    precision = table / np.maximum(cluster_sizes, 1)
    recall = table / class_sizes[:, None]
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros_like(table), where=table > 0)
    return float((class_sizes * f1.max(axis=1)).sum() / class_sizes.sum())


def summary(labels):
    """Number of clusters and fraction of noise of one labelling."""
    labels = np.asarray(labels)
    return {"n_clusters": int(len(np.unique(labels[labels >= 0]))), "noise_fraction": float(np.mean(labels < 0))}


def scores(truth, labels):
    """Every score of ``labels`` against ``truth``: AMI, ARI, NMI, homogeneity, completeness, purity, F."""
    homogeneity, completeness, _ = metrics.homogeneity_completeness_v_measure(truth, labels)
    return {
        "ami": float(metrics.adjusted_mutual_info_score(truth, labels)),
        "ari": float(metrics.adjusted_rand_score(truth, labels)),
        "nmi": float(metrics.normalized_mutual_info_score(truth, labels)),
        "homogeneity": float(homogeneity),
        "completeness": float(completeness),
        "purity": purity(truth, labels),
        "f_score": f_score(truth, labels),
    }


def agreement(labelings):
    """Pairwise adjusted mutual information between labellings of the same points (1 on the diagonal)."""
    n = len(labelings)
    matrix = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i, j] = matrix[j, i] = metrics.adjusted_mutual_info_score(labelings[i], labelings[j])
    return matrix


def cluster_purity(truth, labels):
    """Per cluster (largest first, noise last): size, majority class, and the fraction of its points in that class."""
    truth, labels = np.asarray(truth), np.asarray(labels)
    rows = []
    for cluster in sorted(np.unique(labels), key=lambda c: (c < 0, c)):
        members = truth[labels == cluster]
        classes, counts = np.unique(members, return_counts=True)
        best = int(np.argmax(counts))
        rows.append({
            "cluster": int(cluster),
            "size": int(len(members)),
            "majority": classes[best].item(),
            "purity": float(counts[best] / len(members)),
        })
    return rows
