import numpy as np

from visual_clustering_core.blob_boundaries import refine_blob_boundaries
from visual_clustering_core.raster import smoothed_density

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
