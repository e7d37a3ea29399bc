"""Coordinates recorded to a coarse precision: clustered as the density they sample, not as their lattice's dots."""

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.lattice import lattice_steps, spread_offsets, spread_share

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import person_suite  # noqa: E402  (the person-separable benchmark's generators)

LEVELS = 60  # values a plot's width holds: a step of 4 pixels on the 256 grid


def _rounded(X, levels=LEVELS):
    step = np.ptp(X, axis=0).max() / levels
    return np.round(X / step) * step


def test_the_lattice_of_rounded_values_is_found_per_axis():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, 2))
    assert np.allclose(lattice_steps(np.round(X, 1)), 0.1)
    assert np.allclose(lattice_steps(np.c_[np.round(X[:, 0] * 4) / 4, X[:, 1]]), [0.25, 0])
    assert np.allclose(lattice_steps(load_iris().data[:, 2:]), 0.1)
    assert np.allclose(lattice_steps(np.round(X, 2).astype(np.float32)), 0.01, rtol=1e-3)


@pytest.mark.parametrize("values", ["continuous", "float32", "a few off the lattice", "one value"])
def test_values_on_no_lattice_give_none(values):
    rng = np.random.default_rng(1)
    X = {
        "continuous": rng.normal(size=(300, 2)),
        "float32": rng.normal(size=(100_000, 2)).astype(np.float32),
        "a few off the lattice": np.r_[np.round(rng.normal(size=(3000, 2)), 1), rng.normal(size=(3, 2))],
        "one value": np.ones((50, 2)),
    }[values]
    assert (lattice_steps(X) == 0).all()


def test_the_points_at_a_site_fill_its_cell_evenly_however_they_are_chunked():
    offsets = np.c_[spread_offsets(0, 400, 0), spread_offsets(0, 400, 1)]
    assert offsets.min() >= -0.5 and offsets.max() < 0.5
    per_quarter = np.histogram2d(*offsets.T, bins=2, range=[[-0.5, 0.5]] * 2)[0]
    assert per_quarter.min() >= 95, "400 offsets, about 100 in each quarter of the cell"
    assert np.array_equal(spread_offsets(150, 250, 1), spread_offsets(0, 400, 1)[150:])


def test_a_crowded_site_spreads_over_more_of_its_cell_than_a_lone_point():
    share = spread_share(np.array([0, 1, 4, 100]))
    assert share[0] == share[1] == 0.5 and share[2] == pytest.approx(2 / 3)
    assert np.all(np.diff(share) >= 0) and share[-1] < 1


@pytest.mark.parametrize(
    "name",
    ["sine string of 20 Gaussians", "Gaussians of different spread",
     "3x3 squares with thin gaps",
     "20 Gaussians (3000)", "15 overlapping Gaussians (5k)"],
)
def test_values_rounded_to_a_coarse_lattice_are_clustered_as_before_rounding(name):
    """Rounded to 60 values across (4 pixels a step), the plot is a pattern of dots, each holding all the points
    recorded there; counted at their dots, these collapsed into one cluster or lost groups (AMI 0 to 0.80)."""
    X, truth = person_suite.load(name)
    model = VisualClustering().fit(_rounded(X))
    assert model.n_clusters_ == len(np.unique(truth))
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.9


def test_points_with_the_same_coordinates_get_the_same_label_and_nothing_of_the_input_changes():
    X, _ = person_suite.load("20 Gaussians (3000)")
    X = _rounded(X)
    before = X.copy()
    model = VisualClustering().fit(X)
    assert np.array_equal(X, before)
    _, site, count = np.unique(X, axis=0, return_inverse=True, return_counts=True)
    site = site.ravel()
    first_label = np.full(len(count), -2)
    first_label[site[::-1]] = model.labels_[::-1]
    assert np.array_equal(first_label[site], model.labels_), "one label per recorded site"
    assert np.array_equal(model.predict(X), model.labels_)
    assert np.bincount(model.labels_[model.labels_ >= 0]).tolist() == model.cluster_sizes_.tolist()


def test_sparse_measurements_keep_the_gaps_between_their_values():
    """Iris's petals, measured to 0.1 cm: 150 points on about 100 sites, setosa's apart from the others by a gap
    of a few steps: two clusters, setosa one of them."""
    iris = load_iris()
    labels = VisualClustering().fit_predict(iris.data[:, 2:])
    assert adjusted_mutual_info_score(iris.target == 0, labels) == 1.0


def test_the_cells_of_the_outermost_values_of_a_few_values_stay_on_the_grid():
    """Integers 0 to 4 (a step of a fifth of the plot): spread over their cells, no point is pushed off the grid, so
    none is lost or taken for a far outlier."""
    rng = np.random.default_rng(0)
    X = np.r_[rng.integers(0, 2, (500, 2)), rng.integers(3, 5, (500, 2))].astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = VisualClustering().fit(X)
    assert model.transform_.cells[0] > 40
    assert model.n_clusters_ == 2 and (model.labels_ >= 0).all()
