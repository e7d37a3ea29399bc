import numpy as np
from sklearn.datasets import make_blobs, make_moons

from visual_clustering_core.raster import GridTransform, finite_bounds
from visual_clustering_core.targets import area_and_core, instance_targets


def _targets(X, y):
    lo, hi, _ = finite_bounds(X)
    pixels = GridTransform.from_bounds(lo, hi, 256).pixel_indices(X)
    return instance_targets(pixels, y, 256)


def test_separated_blobs_get_one_area_each():
    X, y = make_blobs(n_samples=3000, centers=[[0, 0], [10, 0], [0, 10]], random_state=0)
    instances, merged = _targets(X, y)
    assert instances.max() == 3
    assert len(np.unique(merged)) == 3


def test_moons_areas_follow_the_shape_and_stay_apart():
    X, y = make_moons(n_samples=4000, noise=0.05, random_state=0)
    instances, merged = _targets(X, y)
    assert instances.max() == 2
    # A convex hull of a moon would cover the other moon's tip; the area must not.
    assert (instances > 0).mean() < 0.35


def test_heavily_overlapping_clusters_merge():
    X, y = make_blobs(n_samples=4000, centers=[[0, 0], [0.3, 0], [10, 10]], random_state=0)
    instances, merged = _targets(X, y)
    assert instances.max() == 2
    assert merged[y == 0][0] == merged[y == 1][0] != merged[y == 2][0]


def test_a_million_points_do_not_fill_their_hull():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(size=(500_000, 2)), rng.normal(size=(500_000, 2)) + [6, 0]]
    y = np.repeat([0, 1], 500_000)
    instances, _ = _targets(X, y)
    assert instances.max() == 2  # occupancy would join them through their tails


def test_noise_keeps_its_label():
    X = np.r_[np.random.default_rng(0).normal(size=(500, 2)), [[50, 50]]]
    y = np.r_[np.zeros(500, int), [-1]]
    _, merged = _targets(X, y)
    assert merged[-1] == -1 and np.all(merged[:-1] == 0)


def test_cores_lie_inside_areas():
    X, y = make_blobs(n_samples=2000, centers=[[0, 0], [4, 0]], random_state=1)
    target = area_and_core(_targets(X, y)[0])
    area, core = target.astype(bool)
    assert core.any() and not (core & ~area).any()
    assert core.sum() < area.sum()
