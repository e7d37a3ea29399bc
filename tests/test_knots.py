"""A dense blob that a line runs through is a cluster of its own; a line's own width, a sparse patch the area took in
and an island's short thick arm are not."""

import numpy as np
from scipy import ndimage
from skimage.draw import circle_perimeter, disk

from visual_clustering_core.knots import split_knots


def _ring_with_disc(disc_radius=16, disc_points=3, size=160):
    """One cluster's area: a ring 7 pixels wide (1 point a pixel) with a disc on it (``disc_points`` a pixel)."""
    ring = np.zeros((size, size), bool)
    ring[circle_perimeter(size // 2, size // 2, 60)] = True
    ring = ndimage.binary_dilation(ring, iterations=3)
    disc = np.zeros_like(ring)
    disc[disk((size // 2, size // 2 + 60), disc_radius, shape=ring.shape)] = True
    counts = np.where(disc, disc_points, ring.astype(int))
    return (ring | disc).astype(np.int32), counts, disc


def test_a_dense_disc_on_a_ring_is_a_knot_of_its_own():
    areas, counts, disc = _ring_with_disc()
    out = split_knots(areas, counts)
    assert len(np.unique(out[out > 0])) == 2
    knot = out == out[disc].max()
    assert (knot & disc).sum() >= 0.8 * disc.sum() and not (knot & (areas > 0) & ~disc).sum() > 0.2 * disc.sum()
    assert (out[(areas > 0) & ~knot] == 1).all()  # the ring keeps its id


def test_a_ring_alone_and_a_small_swelling_stay_whole():
    areas, counts, _ = _ring_with_disc(disc_radius=0)
    assert (split_knots(areas, counts) == areas).all()
    areas, counts, _ = _ring_with_disc(disc_radius=7)  # twice the line's width across: no knot
    assert (split_knots(areas, counts) == areas).all()


def test_a_sparse_patch_on_a_line_is_no_knot():
    """Background noise the area took in beside a line: wide, but sparser than the line."""
    areas, counts, disc = _ring_with_disc()
    counts[disc] = (np.indices(disc.shape).sum(0) % 3 == 0)[disc]  # a point on every third pixel
    assert (split_knots(areas, counts) == areas).all()


def test_an_islands_short_thick_arm_stays_with_it():
    """A blob with an arm a few of its widths long is an island, not a line with a knot on it."""
    areas = np.zeros((120, 140), np.int32)
    areas[disk((60, 30), 18)] = 1
    areas[57:64, 30:108] = 1  # 7 wide, 60 beyond the blob
    counts = areas * np.where(np.indices(areas.shape)[1] < 48, 3, 1)
    assert (split_knots(areas, counts) == areas).all()


def test_a_straight_line_through_a_dense_disc_keeps_both_halves_as_one_line():
    areas = np.zeros((100, 400), np.int32)
    areas[47:54, 20:380] = 1  # 7 wide
    disc = np.zeros(areas.shape, bool)
    disc[disk((50, 200), 16)] = True
    areas[disc] = 1
    out = split_knots(areas, areas * np.where(disc, 3, 1))
    assert len(np.unique(out[out > 0])) == 2
    assert out[50, 25] == out[50, 375] == 1 and out[50, 200] == 2
