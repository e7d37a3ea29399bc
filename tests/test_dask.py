"""Points in a dask array, on a real two-process LocalCluster: the same labels as numpy, lazily, never gathered."""

import warnings

import dask.array as da
import distributed
import numpy as np
import pytest
from sklearn.datasets import make_blobs

from visual_clustering_core import VisualClustering


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture(scope="module")
def points():
    X, _ = make_blobs(n_samples=30_000, centers=[[0, 0], [8, 0], [0, 8], [9, 9]], random_state=0)
    X[[5, 500]] = np.nan  # rows a user's data may hold
    return X.astype(np.float32)


@pytest.mark.parametrize("chunks", [1_000, 7_777, 30_000])
def test_the_labels_are_those_of_the_numpy_path(client, points, chunks):
    with pytest.warns(UserWarning, match="2 of 30000 rows"):
        expected = VisualClustering().fit(points)
    with pytest.warns(UserWarning, match="2 of 30000 rows"):
        model = VisualClustering().fit(da.from_array(points, chunks=(chunks, 2)))
    assert np.array_equal(model.label_map_, expected.label_map_) and model.n_clusters_ == 4
    assert np.array_equal(model.labels_.compute(), expected.labels_)
    assert np.array_equal(model.predict(da.from_array(points[:100], chunks=30)).compute(), expected.labels_[:100])


def test_far_outliers_are_noise_as_on_the_numpy_path(client, points):
    X = np.r_[points, np.float32([[1e5, 1e5], [-1e7, 0]])]
    with pytest.warns(UserWarning, match="2 of 30002 points lie far"):
        expected = VisualClustering().fit(X)
    with pytest.warns(UserWarning, match="2 of 30002 points lie far"):
        model = VisualClustering().fit(da.from_array(X, chunks=(7_777, 2)))
    assert np.array_equal(model.labels_.compute(), expected.labels_) and model.n_clusters_ == 4
    assert (expected.labels_[-2:] == -1).all()


def test_labels_are_lazy_and_the_points_stay_on_the_workers(client, points):
    X = client.persist(da.from_array(points, chunks=(5_000, 2)))
    model = VisualClustering().fit(X)
    assert isinstance(model.labels_, da.Array), "nothing is computed before it is asked for"
    labels = model.fit_predict(X)
    assert isinstance(labels, da.Array) and labels.shape == (30_000,) and labels.dtype == np.int32
    assert np.bincount(labels[labels >= 0].compute()).tolist() == model.cluster_sizes_.tolist()


def test_bad_dask_inputs_say_what_to_do(client):
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        VisualClustering().fit(da.zeros((100, 3), chunks=50))
    with pytest.raises(TypeError, match="real numbers"):
        VisualClustering().fit(da.from_array(np.array([["a", "b"]] * 4), chunks=2))
    with pytest.raises(ValueError, match="empty"):
        VisualClustering().fit(da.zeros((0, 2), chunks=1))


def test_values_on_a_coarse_lattice_are_spread_as_on_the_numpy_path(client, points):
    """Each point's offset within its lattice cell follows its row number, not its chunk."""
    step = np.ptp(points[np.isfinite(points).all(1)], axis=0).max() / 60
    X = np.round(points / step) * step
    with pytest.warns(UserWarning, match="2 of 30000 rows"):
        expected = VisualClustering().fit(X)
    with pytest.warns(UserWarning, match="2 of 30000 rows"):
        model = VisualClustering().fit(da.from_array(X, chunks=(7_777, 2)))
    assert expected.transform_.spreads and expected.n_clusters_ == 4
    assert np.array_equal(model.label_map_, expected.label_map_)
    assert np.array_equal(model.labels_.compute(), expected.labels_)
