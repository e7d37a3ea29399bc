"""The area mask's empty bridges are cut; a narrow part that holds its points is not."""

import numpy as np
from scipy import ndimage

from visual_clustering_core.bridges import MIN_POINTS, cut_bridges

SIDE = 128


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
    cut = cut_bridges(mask, counts)
    assert _components(mask) == 1 and _components(cut) == 2
    assert (cut <= mask).all() and (mask & ~cut).sum() <= 12, "only a line across the bridge is removed"
    left, right = ndimage.label(cut)[0][60, 30], ndimage.label(cut)[0][60, 100]
    assert left != right


def test_a_narrow_part_that_holds_its_points_is_kept():
    """A dumbbell whose neck is as dense as its ends: a person sees one shape."""
    mask = _squares_and_bridge(6)
    counts = _points(mask, 0.05).astype(np.int64)
    assert _components(cut_bridges(mask, counts)) == 1


def test_a_wide_bridge_is_kept_even_when_empty():
    """Wider than half the squares' half-width: no neck, one area (the density decides there)."""
    mask = _squares_and_bridge(24)
    counts = _points(_squares_and_bridge(0), 0.05).astype(np.int64)
    assert _components(cut_bridges(mask, counts)) == 1


def test_a_ring_with_a_thin_spot_holding_its_points_stays_whole():
    rows, cols = np.indices((SIDE, SIDE))
    radius = np.hypot(rows - 64, cols - 64)
    angle = np.arctan2(rows - 64, cols - 64)
    width = np.where(np.abs(angle) < 0.3, 2.0, 8.0)  # pinched to a quarter on one side
    mask = np.abs(radius - 40) <= width
    counts = _points(mask, 0.2).astype(np.int64)
    assert _components(cut_bridges(mask, counts)) == 1


def test_parts_with_too_few_points_are_not_cut_off():
    mask = _squares_and_bridge(6)
    counts = np.zeros(mask.shape, np.int64)
    counts[60, 30] = MIN_POINTS - 1
    counts[60, 100] = 100
    assert _components(cut_bridges(mask, counts)) == 1


def test_an_empty_mask_and_a_single_blob_are_returned_as_they_are():
    empty = np.zeros((SIDE, SIDE), bool)
    assert not cut_bridges(empty, np.zeros((SIDE, SIDE))).any()
    blob = np.hypot(*(np.indices((SIDE, SIDE)) - 64)) < 30
    assert (cut_bridges(blob, blob.astype(np.int64)) == blob).all()
