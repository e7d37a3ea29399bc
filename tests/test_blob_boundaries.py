import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.blob_boundaries import refine_blob_boundaries
from visual_clustering_core.raster import smoothed_density

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import person_suite  # noqa: E402  (the person-separable benchmark's generators)

SIZE = 96
ROWS, COLS = np.indices((SIZE, SIZE))


def _counts(points):
    points = points.round().astype(int)
    points = points[((points >= 0) & (points < SIZE)).all(1)]
    return np.bincount(points[:, 0] * SIZE + points[:, 1], minlength=SIZE * SIZE).reshape(SIZE, SIZE)


def _log_gaussian(center, sd, n):
    return np.log(n) - 2 * np.log(sd) - ((ROWS - center[0]) ** 2 + (COLS - center[1]) ** 2) / (2 * sd**2)


def test_a_dense_and_a_sparse_blob_are_parted_where_their_fits_meet_not_at_the_valley():
    """Split at the density's valley, the sparse blob's near side goes to the dense one; refined, it comes back."""
    rng = np.random.default_rng(0)
    dense, sparse = ((48, 36), 4.0, 1500), ((48, 58), 9.0, 500)
    counts = _counts(np.concatenate([rng.normal(c, sd, (n, 2)) for c, sd, n in (dense, sparse)]))
    density = smoothed_density(counts, 3.0)
    valley = 36 + int(np.argmin(density[48, 36:58]))
    bayes = np.where(_log_gaussian(*sparse) > _log_gaussian(*dense), 2, 1)
    areas = np.where(counts > 0, np.where(COLS < valley, 1, 2), 0).astype(np.int32)
    refined = refine_blob_boundaries(areas, counts, density)

    def agreement(labels):
        inside = counts > 0
        return (counts[inside] * (labels[inside] == bayes[inside])).sum() / counts.sum()

    moved = refined != areas
    assert moved.any() and (areas[moved] == 1).all() and (refined[moved] == 2).all()
    assert agreement(refined) >= agreement(areas) + 0.01


def test_a_moon_touching_a_blob_keeps_its_boundary():
    """A crescent's points' mean lies off its points: no Gaussian describes it, so nothing moves."""
    radius = np.hypot(ROWS - 48, COLS - 48)
    crescent = (radius > 20) & (radius < 30) & (COLS < 48)
    blob = np.hypot(ROWS - 48, COLS - 30) < 12
    areas = np.where(crescent & ~blob, 1, np.where(blob, 2, 0)).astype(np.int32)
    counts = (areas > 0).astype(np.int64) * 3
    refined = refine_blob_boundaries(areas, counts, smoothed_density(counts, 3.0))
    assert np.array_equal(refined, areas)


def test_blobs_apart_keep_their_areas():
    counts = np.zeros((SIZE, SIZE), np.int64)
    areas = np.zeros((SIZE, SIZE), np.int32)
    for label, center in ((1, (30, 30)), (2, (70, 70))):
        disc = np.hypot(ROWS - center[0], COLS - center[1]) < 10
        areas[disc], counts[disc] = label, 2
    assert np.array_equal(refine_blob_boundaries(areas, counts, smoothed_density(counts, 3.0)), areas)


def test_a_sparse_blob_touching_a_dense_one_keeps_its_near_side():
    """150 dense points touching 50 sparse ones: fitted to its own area alone, the sparse blob's Gaussian lost the tail
    that reaches into the dense blob's, and the boundary stayed near the valley (AMI 0.73, 82% of the sparse points
    together); the two fitted as a mixture, each pixel's points shared as the fits explain them, 0.86 and 92%."""
    X, truth = person_suite.load("dense and sparse blob touching (200)")
    model = VisualClustering().fit(X)
    labels, sparse = model.labels_, model.labels_[truth == 1]
    assert model.n_clusters_ == 2
    assert np.mean(sparse == np.bincount(sparse[sparse >= 0]).argmax()) >= 0.9
    assert adjusted_mutual_info_score(truth, labels) >= 0.85


def test_touching_squares_of_equal_density_keep_their_boundary():
    """Uniform squares are no Gaussians: a fit's tails reach into its neighbours, so as a mixture they would move the
    boundaries off the gaps between equal squares (3 x 3 squares with thin gaps, turned: 1.00 -> 0.83); only blobs of
    different density are fitted as one."""
    X, truth = person_suite.load("3x3 squares with thin gaps")
    labels = VisualClustering().fit_predict(person_suite.turned(X, 30))
    assert adjusted_mutual_info_score(truth, labels) >= 0.99
