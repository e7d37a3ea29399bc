"""Thin lines side by side, closer than the kernel, are parted along the empty lane between them; a band without a
lane, a sparse band's chance gaps and clusters the lines do not explain are left as they are."""

import numpy as np
import pytest
from scipy import ndimage

from visual_clustering_core.side_by_side import split_side_by_side

SIGMA = 2.9  # the kernel the estimator picks for two lines of 800 points across a 256-pixel plot


def _counts(rows, cols, size=256):
    counts = np.zeros((size, size), np.int64)
    np.add.at(counts, (np.clip(np.rint(rows).astype(int), 0, size - 1), np.clip(np.rint(cols).astype(int), 0, size - 1)), 1)
    return counts


def _lines(rng, offsets=(124.0, 131.0), n=800, spread=1.0):
    """Horizontal lines of ``n`` points each, ``spread`` pixels across, at the given rows: counts, and each line's
    pixels."""
    each = [_counts(rng.normal(r, spread, n), rng.uniform(8, 248, n)) for r in offsets]
    return sum(each), [line > 0 for line in each]


def _band(counts):
    """One cluster's area: the occupied pixels closed into a band, as the network draws it."""
    return ndimage.binary_closing(ndimage.binary_dilation(counts > 0, iterations=2), iterations=3).astype(np.int32)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_close_lines_in_one_cluster_are_parted(seed):
    counts, (upper, lower) = _lines(np.random.default_rng(seed))
    areas = _band(counts)
    out, parted = split_side_by_side(areas, counts, SIGMA, np.zeros(2, np.int32))
    ids = np.unique(out[out > 0])
    assert len(ids) == 2
    top, bottom = (np.bincount(out[mask & (out > 0)]).argmax() for mask in (upper, lower))
    assert top != bottom
    assert parted[top] and parted[top] == parted[bottom]  # never joined again as one line continuing the other


def test_pieces_of_the_lines_in_two_clusters_join_along_each_line():
    """The density cut the band across into a left and a right cluster, each holding both lines: the lines' left and
    right pieces go together."""
    counts, (upper, lower) = _lines(np.random.default_rng(3))
    areas = _band(counts)
    areas[:, 150:] *= 2
    out, _ = split_side_by_side(areas, counts, SIGMA, np.zeros(3, np.int32))
    assert len(np.unique(out[out > 0])) == 2
    for line in (upper, lower):
        assert len(np.unique(out[line & (out > 0)])) == 1


def test_one_thick_line_and_a_uniform_band_stay_whole():
    rng = np.random.default_rng(4)
    for counts in (_lines(rng, offsets=(128.0,), n=3000, spread=4.0)[0],
                   _counts(rng.uniform(118, 138, 3000), rng.uniform(8, 248, 3000))):
        areas = _band(counts)
        out, _ = split_side_by_side(areas, counts, SIGMA, np.zeros(2, np.int32))
        assert (out == areas).all()


def test_a_sparse_band_keeps_its_chance_gaps():
    """150 points in a band 30 pixels wide: the paths between its points are no lane (the kernel on either side holds
    a few points)."""
    rng = np.random.default_rng(5)
    counts = _counts(rng.uniform(113, 143, 150), rng.uniform(8, 248, 150))
    areas = ndimage.binary_closing(ndimage.binary_dilation(counts > 0, iterations=8), iterations=4).astype(np.int32)
    out, _ = split_side_by_side(areas, counts, 14.0, np.zeros(2, np.int32))
    assert (out == areas).all()


def test_lines_already_apart_are_left_alone():
    counts, (upper, lower) = _lines(np.random.default_rng(6))
    areas = _band(counts)
    middle = 127  # between the lines (rows 124 and 131)
    areas[middle + 1:] *= 2
    out, parted = split_side_by_side(areas, counts, SIGMA, np.zeros(3, np.int32))
    assert (out == areas).all() and not parted.any()
