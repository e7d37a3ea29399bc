"""Crossing bands are split into their bands; shapes that do not cross stay whole."""

import numpy as np
import pytest
from scipy import ndimage
from skimage.draw import disk, line

from visual_clustering_core.crossings import line_labels, split_crossings


def _band(mask, start, stop):
    mask[line(*start, *stop)] = True
    return mask


def _thick(mask, width=7):
    return ndimage.binary_dilation(mask, iterations=width // 2)


def _x(size=128, width=7):
    mask = np.zeros((size, size), bool)
    _band(mask, (10, 10), (size - 11, size - 11))
    _band(mask, (10, size - 11), (size - 11, 10))
    return _thick(mask, width)


def test_two_crossing_bands_are_two_lines():
    mask = _x()
    lines = line_labels(mask)
    assert lines is not None and lines.max() == 2
    # each band's far ends, on both sides of the crossing, are one line
    assert lines[15, 15] == lines[112, 112] != lines[15, 112] == lines[112, 15]
    assert (lines[mask] > 0).all() and (lines[~mask] == 0).all()


@pytest.mark.parametrize("arms", [[(10, 64), (64, 117), (117, 64)], [(10, 64), (64, 117), (117, 30)]], ids=["T", "Y"])
def test_three_arms_meeting_are_one_shape(arms):
    mask = np.zeros((128, 128), bool)
    for end in arms:
        _band(mask, (64, 64), end)
    assert line_labels(_thick(mask)) is None


def test_four_arms_of_which_only_two_go_straight_through_are_one_shape():
    mask = np.zeros((128, 128), bool)
    for end in [(64, 10), (64, 117), (18, 90), (12, 55)]:  # a line, and two arms leaving it on one side
        _band(mask, (64, 64), end)
    assert line_labels(_thick(mask)) is None


def test_a_ring_and_a_blob_are_no_crossings():
    ring = np.zeros((128, 128), bool)
    ring[disk((64, 64), 50)] = True
    ring[disk((64, 64), 43)] = False
    blob = np.zeros((128, 128), bool)
    blob[disk((64, 64), 30)] = True
    assert line_labels(ring) is None and line_labels(blob) is None


def test_split_crossings_gives_the_second_band_a_new_cluster_and_leaves_the_others():
    areas = np.zeros((128, 256), np.int32)
    areas[:, :128][_x()] = 1
    areas[disk((64, 190), 30)] = 2
    split = split_crossings(areas)
    assert set(np.unique(split)) == {0, 1, 2, 3}
    assert (split[areas == 2] == 2).all() and (split[areas == 0] == 0).all()
    assert {split[15, 15], split[15, 112]} == {1, 3}


def test_a_large_area_is_analysed_subsampled_and_labelled_whole():
    mask = _x(size=1200, width=41)
    split = split_crossings(mask.astype(np.int32))
    assert set(np.unique(split)) == {0, 1, 2}
    assert (split[mask] > 0).all() and (split[~mask] == 0).all()
    assert split[30, 30] == split[1170, 1170] != split[30, 1170] == split[1170, 30]
