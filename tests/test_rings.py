"""Rings that cross or touch are found by the holes they enclose; areas that are no rings are left to the lines."""

import numpy as np
from scipy import ndimage
from skimage.draw import circle_perimeter, disk, rectangle

from visual_clustering_core.crossings import area_width, line_labels, split_crossings
from visual_clustering_core.rings import ring_labels


def _rings(shape, centres, radius, width):
    mask = np.zeros(shape, bool)
    for centre in centres:
        mask[circle_perimeter(*centre, radius, shape=shape)] = True
    return ndimage.binary_dilation(mask, iterations=width // 2)


def _far_from_crossings(shape, centre, radius, others, margin):
    """Centre-line pixels of one ring farther than ``margin`` from every other ring's centre line."""
    rows, cols = circle_perimeter(*centre, radius, shape=shape)
    off = [np.abs(np.hypot(rows - r, cols - c) - radius) for r, c in others]
    far = np.all([o > margin for o in off], axis=0)
    return rows[far], cols[far]


def test_four_thick_rings_in_a_2_by_2_are_four_rings():
    """Thick enough to close the lenses between neighbours: the skeleton merges every crossing into one hub, and read
    as lines the area was one shape (``line_labels`` gave None)."""
    centres = [(80, 80), (80, 160), (160, 80), (160, 160)]
    mask = _rings((240, 240), centres, 50, width=15)
    assert line_labels(mask) is None
    rings = ring_labels(mask, area_width(mask))
    assert rings is not None and rings.max() == 4
    labels = [np.unique(rings[_far_from_crossings(mask.shape, c, 50, [o for o in centres if o != c], 12)])
              for c in centres]
    assert all(len(found) == 1 for found in labels), labels
    assert len({int(found[0]) for found in labels}) == 4


def test_thick_rings_of_a_stretched_plot_are_found_as_the_ellipses_they_are():
    """A plot stretched 1.6 times its width draws rings as ellipses, which no circle fits: read on the area drawn
    unstretched, by the shape their holes share, they are round again (one cluster of lines before)."""
    centres = [(80, 80), (80, 160), (160, 80), (160, 160)]
    round_mask = _rings((240, 240), centres, 50, width=15)
    mask = ndimage.zoom(round_mask, (1.0, 1.6), order=0)
    rings = ring_labels(mask, area_width(mask))
    assert rings is not None and rings.max() == 4
    labels = [np.unique(rings[rows, np.rint(cols * 1.6).astype(int)])
              for rows, cols in (_far_from_crossings(round_mask.shape, c, 50, [o for o in centres if o != c], 12)
                                 for c in centres)]
    assert all(len(found) == 1 for found in labels), labels
    assert len({int(found[0]) for found in labels}) == 4


def test_two_thin_rings_crossing_are_two_rings_and_their_lens_no_third():
    centres = [(60, 60), (60, 130)]
    mask = _rings((120, 190), centres, 45, width=5)
    rings = ring_labels(mask, area_width(mask))
    assert rings is not None and rings.max() == 2
    assert rings[60, 15] != rings[60, 175]


def test_one_ring_a_ring_around_a_blob_and_separate_rings_are_no_crossing_rings():
    one = _rings((120, 120), [(60, 60)], 45, width=7)
    around = one.copy()
    around[disk((60, 60), 15)] = True
    apart = _rings((120, 240), [(60, 60), (60, 180)], 45, width=7)
    for mask in (one, around):
        assert ring_labels(mask, area_width(mask)) is None
    components, n = ndimage.label(apart)
    assert n == 2 and all(ring_labels(components == k, 7.0) is None for k in (1, 2))


def test_a_bar_with_two_long_slots_is_no_rings():
    """Two holes as wide as the bar's sides, but long and straight: no circle most of their edge lies on runs round
    the area."""
    bar = np.zeros((80, 220), bool)
    bar[rectangle((10, 10), (69, 209))] = True
    for top in (22, 48):
        bar[rectangle((top, 25), (top + 9, 194))] = False
    assert ring_labels(bar, area_width(bar)) is None


def test_rings_whose_area_breaks_are_read_across_the_breaks():
    """Gaps cut in four thin rings open every hole to the outside, and two cut one ring's outer arc off as an area of
    its own: closed over the breaks, the holes are read, and the arc is one ring with the rest of it."""
    centres = [(70, 70), (70, 140), (140, 70), (140, 140)]
    mask = _rings((210, 210), centres, 45, width=7)
    for row, col in [(70, 25), (25, 70), (70, 185), (185, 70), (140, 185)]:
        mask[row - 4 : row + 5, col - 4 : col + 5] = False  # 9-pixel gaps, the lines 7 wide
    assert ring_labels(mask, area_width(mask), breaks=()) is None
    areas, n = ndimage.label(mask)
    assert n == 2
    split, crossing = split_crossings(areas, mask.astype(np.float32))
    assert len(np.unique(split[mask])) == 4 and crossing.max() == 1
    for centre in centres:
        on = _far_from_crossings(mask.shape, centre, 45, [c for c in centres if c != centre], 10)
        found = np.unique(split[on][mask[on]])
        assert len(found) == 1, (centre, found)

