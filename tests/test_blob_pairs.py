"""Two blobs of different density are told apart by their Gaussian fits; one blob's pieces are not."""

import numpy as np
import pytest

from visual_clustering_core.blob_pairs import BlobPairs
from visual_clustering_core.raster import smoothed_density


def _counts(points, shape=(64, 96)):
    counts = np.zeros(shape, np.float32)
    rows, cols = np.clip(np.rint(points).astype(int), 0, np.array(shape) - 1).T
    np.add.at(counts, (rows, cols), 1)
    return counts


def _blob(rng, n, centre, sd):
    return rng.normal(centre, sd, (n, 2))


def _test(regions, counts, a=1, b=2):
    """BlobPairs.apart of regions a and b (each its own group), with the density's peaks read per region."""
    density = smoothed_density(counts, 2.0)
    pairs = BlobPairs(regions, counts, int(regions.max()))
    peaks = tuple(float(density[regions == g].max()) for g in (a, b))
    return pairs.apart(a, b, peaks, density, lambda pixel: int(regions.flat[pixel]))


def _split_at(shape, column):
    regions = np.ones(shape, np.int32)
    regions[:, column:] = 2
    return regions


@pytest.mark.parametrize("sparse", [100, 40])
def test_a_sparse_blob_beside_a_dense_one_is_two_blobs(sparse):
    rng = np.random.default_rng(0)
    counts = _counts(np.r_[_blob(rng, 300, (32, 30), 3.0), _blob(rng, sparse, (32, 52), 5.0)])
    assert _test(_split_at(counts.shape, 42), counts)


def test_one_blob_cut_in_two_is_one():
    """Its two halves have the same density, and one Gaussian explains them as well."""
    rng = np.random.default_rng(0)
    counts = _counts(_blob(rng, 400, (32, 48), 6.0))
    assert not _test(_split_at(counts.shape, 48), counts)


def test_a_dense_blob_and_its_own_sparse_fringe_are_one():
    """The fringe is not twice as sparse as the blob's peak, and one Gaussian explains both better than two."""
    rng = np.random.default_rng(0)
    counts = _counts(_blob(rng, 400, (32, 40), 5.0))
    assert not _test(_split_at(counts.shape, 45), counts)


def test_a_few_sparse_points_beside_a_dense_blob_are_too_few():
    """Fewer than a tenth of the dense blob's points: as many as a bump of its fringe holds."""
    rng = np.random.default_rng(0)
    counts = _counts(np.r_[_blob(rng, 300, (32, 30), 3.0), _blob(rng, 20, (32, 52), 5.0)])
    assert not _test(_split_at(counts.shape, 42), counts)


def test_a_merged_group_is_fitted_with_all_its_points():
    rng = np.random.default_rng(0)
    counts = _counts(np.r_[_blob(rng, 300, (32, 30), 3.0), _blob(rng, 100, (32, 52), 5.0)])
    regions = _split_at(counts.shape, 42)
    regions[:, 70:] = 3
    pairs = BlobPairs(regions, counts, 3)
    pairs.join(3, 2)
    whole = BlobPairs(np.where(regions == 3, 2, regions), counts, 3)
    assert np.allclose(pairs.moments[2], whole.moments[2])
    assert np.isclose(pairs.moments[:3, 0].sum(), counts.sum())


def test_two_points_are_no_blob_however_well_two_gaussians_fit_them():
    """The beads of a sparse ring (two points beside nine): a Gaussian fitted to two points is all but flat, so two
    fits "explained" them better than one and kept a 40-point ring in five pieces."""
    counts = np.zeros((64, 96), np.float32)
    counts[32, 40], counts[33, 41] = 1, 1
    counts[30:36:2, 50:56:2] = 1
    assert counts.sum() == 11
    assert not _test(_split_at(counts.shape, 46), counts)
