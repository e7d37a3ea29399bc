import numpy as np
import pytest
from sklearn import metrics as skm

from visual_clustering_core import metrics
from visual_clustering_core.baselines import check_baseline, make_baseline, rank_by_size

TRUTH = np.array(["a"] * 6 + ["b"] * 4 + ["c"] * 2)
LABELS = np.array([0, 0, 0, 0, 1, -1, 1, 1, 1, 1, 2, 0])


def test_scores_match_scikit_learn():
    got = metrics.scores(TRUTH, LABELS)
    assert got["ami"] == pytest.approx(skm.adjusted_mutual_info_score(TRUTH, LABELS))
    assert got["ari"] == pytest.approx(skm.adjusted_rand_score(TRUTH, LABELS))
    assert got["nmi"] == pytest.approx(skm.normalized_mutual_info_score(TRUTH, LABELS))
    assert got["homogeneity"] == pytest.approx(skm.homogeneity_score(TRUTH, LABELS))
    assert got["completeness"] == pytest.approx(skm.completeness_score(TRUTH, LABELS))


def test_purity_and_f_score_by_hand():
    # Cluster 0 = {a,a,a,a,c}: 4 right; cluster 1 = {a,b,b,b,b}: 4 right; cluster 2 = {c}: 1; the noise point misses.
    assert metrics.purity(TRUTH, LABELS) == pytest.approx(9 / 12)
    # Best F1: a with cluster 0 (P 4/5, R 4/6), b with cluster 1 (P 4/5, R 1), c with cluster 2 (P 1, R 1/2).
    f1 = lambda p, r: 2 * p * r / (p + r)
    expected = (6 * f1(4 / 5, 4 / 6) + 4 * f1(4 / 5, 1) + 2 * f1(1, 1 / 2)) / 12
    assert metrics.f_score(TRUTH, LABELS) == pytest.approx(expected)


def test_a_perfect_labelling_scores_one_whatever_the_names():
    truth = np.repeat([7, 3, 5], 10)
    labels = np.repeat([2, 0, 1], 10)
    assert all(v == pytest.approx(1.0) for v in metrics.scores(truth, labels).values())


def test_all_noise_matches_nothing():
    truth = np.repeat([0, 1], 5)
    labels = np.full(10, -1)
    assert metrics.purity(truth, labels) == 0 and metrics.f_score(truth, labels) == 0
    assert metrics.summary(labels) == {"n_clusters": 0, "noise_fraction": 1.0}


def test_agreement_is_symmetric_with_a_unit_diagonal():
    other = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2])
    matrix = metrics.agreement([LABELS, other, LABELS])
    assert np.allclose(np.diag(matrix), 1) and np.allclose(matrix, matrix.T)
    assert matrix[0, 2] == pytest.approx(1.0)
    assert matrix[0, 1] == pytest.approx(skm.adjusted_mutual_info_score(LABELS, other))


def test_cluster_purity_rows():
    rows = metrics.cluster_purity(TRUTH, LABELS)
    assert [r["cluster"] for r in rows] == [0, 1, 2, -1]
    assert rows[0] == {"cluster": 0, "size": 5, "majority": "a", "purity": 0.8}
    assert rows[-1]["size"] == 1


def test_rank_by_size_numbers_clusters_largest_first_and_keeps_noise():
    assert rank_by_size(np.array([2, 2, 0, -1, 2, 1, 1])).tolist() == [0, 0, 2, -1, 0, 1, 1]


def test_baselines_label_like_visual_clustering():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(size=(300, 2)), rng.normal(size=(100, 2)) + 10, [[50, 50]]]
    kmeans, params = make_baseline("kmeans", len(X), n_clusters=2)
    assert params["algorithm"] == "KMeans"
    assert np.bincount(rank_by_size(kmeans.fit_predict(X)))[0] >= 300
    hdbscan, _ = make_baseline("hdbscan", len(X), min_cluster_size=15)
    labels = rank_by_size(hdbscan.fit_predict(X))
    assert labels[-1] == -1 and set(labels[:-1]) <= {-1, 0, 1}
    assert make_baseline("kmeans", 200_000, n_clusters=3)[1]["algorithm"] == "MiniBatchKMeans"


@pytest.mark.parametrize(
    "method, kwargs, message",
    [
        ("dbscan", {}, "method must be one of"),
        ("kmeans", {"n_clusters": 0}, "n_clusters must be an integer >= 1"),
        ("hdbscan", {"min_cluster_size": 1}, "min_cluster_size must be an integer >= 2"),
        ("hdbscan", {"min_samples": 0}, "min_samples must be an integer >= 1"),
    ],
)
def test_bad_baseline_params_say_what_to_do(method, kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_baseline(method, **kwargs)


def test_more_clusters_than_points_is_refused():
    with pytest.raises(ValueError, match="more than the 3 points"):
        make_baseline("kmeans", 3, n_clusters=4)
