"""The area mask's empty bridges and dumbbells' necks are cut; a narrow part of a line that holds its points is not."""

import sys
from pathlib import Path

import numpy as np
from scipy import ndimage
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.bridges import MIN_POINTS, cut_bridges

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import person_suite  # noqa: E402  (the person-separable benchmark's generators)

SIDE = 128
SIGMA = 6.0  # the squares' half-width, 20 pixels, is over BLOB of it


def _squares_and_bridge(bridge_width):
    """Two 40-pixel squares 14 pixels apart, joined by a horizontal bridge ``bridge_width`` pixels wide."""
    mask = np.zeros((SIDE, SIDE), bool)
    mask[40:80, 20:60] = True
    mask[40:80, 74:114] = True
    top = 60 - bridge_width // 2
    mask[top : top + bridge_width, 60:74] = True
    return mask


def _points(mask, density, seed=0):
    """Point counts: each pixel of ``mask`` holds a point with probability ``density``."""
    return (np.random.default_rng(seed).random(mask.shape) < density) & mask


def _components(mask):
    return ndimage.label(mask)[1]


def test_a_bridge_across_an_empty_corridor_is_cut():
    mask = _squares_and_bridge(6)
    squares = _squares_and_bridge(0)
    counts = _points(squares, 0.05).astype(np.int64)  # the corridor holds no point
    cut = cut_bridges(mask, counts, SIGMA)
    assert _components(mask) == 1 and _components(cut) == 2
    assert (cut <= mask).all() and (mask & ~cut).sum() <= 12, "only a line across the bridge is removed"
    left, right = ndimage.label(cut)[0][60, 30], ndimage.label(cut)[0][60, 100]
    assert left != right


def test_a_dumbbell_is_cut_even_where_its_neck_holds_points():
    """Two blobs of one density joined by a neck as dense as they are: two groups to a person, and no density valley
    tells them apart."""
    mask = _squares_and_bridge(6)
    counts = _points(mask, 0.05).astype(np.int64)
    assert _components(cut_bridges(mask, counts, SIGMA)) == 2


def test_a_neck_between_parts_no_thicker_than_the_kernel_holding_its_points_is_kept():
    """Parts under BLOB smoothing scales thick are lines the kernel drew that thick, not blobs."""
    mask = _squares_and_bridge(6)
    counts = _points(mask, 0.05).astype(np.int64)
    assert _components(cut_bridges(mask, counts, sigma=16.0)) == 1


def test_a_neck_between_blobs_of_different_density_holding_its_points_is_kept():
    """Where the densities differ, the density's own valley parts the two, not a cut along the neck."""
    mask = _squares_and_bridge(6)
    counts = (_points(mask, 0.05) | (_points(mask, 0.2, seed=1) & (np.indices(mask.shape)[1] >= 67))).astype(np.int64)
    assert _components(cut_bridges(mask, counts, SIGMA)) == 1


def test_a_wide_bridge_is_kept_even_when_empty():
    """Wider than half the squares' half-width: no neck, one area (the density decides there)."""
    mask = _squares_and_bridge(24)
    counts = _points(_squares_and_bridge(0), 0.05).astype(np.int64)
    assert _components(cut_bridges(mask, counts, SIGMA)) == 1


def test_a_ring_with_a_thin_spot_holding_its_points_stays_whole():
    rows, cols = np.indices((SIDE, SIDE))
    radius = np.hypot(rows - 64, cols - 64)
    angle = np.arctan2(rows - 64, cols - 64)
    width = np.where(np.abs(angle) < 0.3, 2.0, 8.0)  # pinched to a quarter on one side
    mask = np.abs(radius - 40) <= width
    counts = _points(mask, 0.2).astype(np.int64)
    assert _components(cut_bridges(mask, counts, SIGMA)) == 1


def test_parts_with_too_few_points_are_not_cut_off():
    mask = _squares_and_bridge(6)
    counts = np.zeros(mask.shape, np.int64)
    counts[60, 30] = MIN_POINTS - 1
    counts[60, 100] = 100
    assert _components(cut_bridges(mask, counts, SIGMA)) == 1


def test_an_empty_mask_and_a_single_blob_are_returned_as_they_are():
    empty = np.zeros((SIDE, SIDE), bool)
    assert not cut_bridges(empty, np.zeros((SIDE, SIDE)), SIGMA).any()
    blob = np.hypot(*(np.indices((SIDE, SIDE)) - 64)) < 30
    assert (cut_bridges(blob, blob.astype(np.int64), SIGMA) == blob).all()


def test_discs_joined_by_a_short_bridge_of_points_are_two_clusters():
    """Seven discs like the aggregation set's, two 0.3 apart joined by a row of 6 points: the row is as dense as the
    discs and the kernel spans the gap, so the pass stayed at 0.74-0.83 of the lower disc's peak and the two discs
    were one cluster on 5 of 7 draws (6 clusters for 7, AMI 0.935)."""
    generate = person_suite.SUITE["seven discs, two joined by a short row of points"]
    for seed in (100, 102):
        X, truth = generate(np.random.default_rng(seed))
        model = VisualClustering().fit(X)
        assert model.n_clusters_ == 7
        assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95
