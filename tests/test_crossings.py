"""Crossing bands are split into their bands; shapes that do not cross stay whole."""

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage
from skimage.draw import circle_perimeter, disk, line
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.crossings import line_labels, long_enough, skeleton_of, split_crossings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import person_suite  # noqa: E402  (the person-separable benchmark's generators)


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


def _meeting(ends, centre=(64, 64)):
    mask = np.zeros((128, 128), bool)
    for end in ends:
        _band(mask, centre, end)
    return _thick(mask, width=5)


def _line_at(lines, end, centre=(64, 64)):
    """The line of the pixel nine tenths of the way from the centre to an arm's end."""
    return lines[tuple(np.round(np.add(centre, 0.9 * np.subtract(end, centre))).astype(int))]


def test_two_bands_crossing_at_a_narrow_slant_are_two_lines():
    """At 30 degrees the bands run as one for 3.7 widths: the skeleton forks at either end of that stretch, each fork
    a Y, and the two forks are one crossing (no junction of four branches was found before)."""
    mask = np.zeros((128, 256), bool)
    _band(mask, (30, 10), (98, 245))
    _band(mask, (98, 10), (30, 245))
    lines = line_labels(_thick(mask))
    assert lines is not None and lines.max() == 2
    assert lines[32, 17] == lines[96, 238] != lines[96, 17] == lines[32, 238]


def test_a_t_is_its_bar_and_its_stem():
    lines = line_labels(_meeting([(64, 10), (64, 117), (117, 64)]))
    assert lines is not None and lines.max() == 2
    assert lines[64, 15] == lines[64, 112] != lines[112, 64]


def test_three_lines_meeting_at_a_point_are_three_lines():
    ends = [(10, 64), (100, 22), (100, 106)]  # a Y: no two go straight through
    lines = line_labels(_meeting(ends))
    assert lines is not None and lines.max() == 3
    assert len({_line_at(lines, end) for end in ends}) == 3


def test_a_plus_and_a_diagonal_meeting_are_the_plus_two_lines_and_the_diagonal():
    ends = [(64, 10), (64, 117), (10, 64), (117, 64), (14, 14)]
    lines = line_labels(_meeting(ends))
    assert lines is not None and lines.max() == 3
    assert [_line_at(lines, end) for end in ends].count(_line_at(lines, ends[0])) == 2


def test_lines_fanning_out_of_a_short_trunk_are_each_a_line_and_the_trunk_goes_with_the_one_it_heads_into():
    trunk, fan = (64, 44), [(10, 117), (50, 117), (78, 117), (118, 117)]  # the trunk shorter than the lines leaving it
    lines = line_labels(_meeting([trunk, *fan]))
    assert lines is not None and lines.max() == 4
    assert len({_line_at(lines, end) for end in fan}) == 4 and _line_at(lines, trunk) in {_line_at(lines, fan[1]),
                                                                                            _line_at(lines, fan[2])}


def test_four_arms_of_which_only_two_go_straight_through_are_that_line_and_two_lines():
    lines = line_labels(_meeting([(64, 10), (64, 117), (18, 90), (12, 55)]))  # a line, and two arms leaving it on one side
    assert lines is not None and lines.max() == 3
    assert lines[64, 15] == lines[64, 112]


def test_the_rays_of_a_five_pointed_star_are_each_a_line():
    """Neighbouring rays meet at 72 degrees: no two go straight through, though every other ray turns by only 36."""
    angles = np.radians(15 + 72 * np.arange(5))
    ends = [tuple(np.round(64 + 54 * np.array([np.sin(a), np.cos(a)])).astype(int)) for a in angles]
    lines = line_labels(_meeting(ends))
    assert lines is not None and lines.max() == 5
    assert len({_line_at(lines, end) for end in ends}) == 5


def test_short_arms_meeting_are_one_shape():
    """Arms under ``RAY`` widths long (a blob's stubby limbs) are no lines meeting: the shape stays whole."""
    assert line_labels(_meeting([(34, 64), (82, 40), (82, 88)])) is None


def test_a_ring_and_a_blob_are_no_crossings():
    ring = np.zeros((128, 128), bool)
    ring[disk((64, 64), 50)] = True
    ring[disk((64, 64), 43)] = False
    blob = np.zeros((128, 128), bool)
    blob[disk((64, 64), 30)] = True
    assert line_labels(ring) is None and line_labels(blob) is None


def _rings(size, centres, radius, width=7):
    """A mask of thick ring outlines."""
    mask = np.zeros(size, bool)
    for centre in centres:
        mask[circle_perimeter(*centre, radius, shape=size)] = True
    return _thick(mask, width)


def _ring_pixels(shape, centre, radius, away_from, margin):
    """Outline pixels of a ring farther than ``margin`` from every point in ``away_from`` (the crossings)."""
    rows, cols = circle_perimeter(*centre, radius, shape=shape)
    far = np.all([np.hypot(rows - r, cols - c) > margin for r, c in away_from], axis=0)
    return rows[far], cols[far]


def _crossings_of(centres, radius):
    """Where two rings of equal radius cross."""
    points = []
    for i, a in enumerate(np.asarray(centres, float)):
        for b in np.asarray(centres, float)[i + 1 :]:
            half = np.linalg.norm(b - a) / 2
            if 0 < half < radius:
                along, across = (b - a) / (2 * half), np.array([a[1] - b[1], b[0] - a[0]]) / (2 * half)
                height = np.sqrt(radius**2 - half**2)
                points += [a + along * half + across * height, a + along * half - across * height]
    return points


def test_two_interlocking_rings_are_two_lines():
    centres = [(80, 70), (80, 130)]
    mask = _rings((160, 200), centres, 45)
    lines = line_labels(mask)
    assert lines is not None and lines.max() == 2
    for centre, ring in zip(centres, (0, 1)):
        labels = lines[_ring_pixels(mask.shape, centre, 45, _crossings_of(centres, 45), 12)]
        assert len(np.unique(labels)) == 1, f"ring {ring} is in lines {np.unique(labels)}"
    assert lines[80, 25] != lines[80, 175]


def test_a_ring_passing_where_two_rings_touch_keeps_its_own_curve():
    """Three rings meet in one junction: the two lower ones touching, the upper one's bottom passing between them.

    A line going through the junction off its centre, or a ring's curve carried on across to its neighbour's
    (straighter, there, than its own), made two or three of them one line."""
    centres = [(70, 60), (70, 160), (120, 110)]  # the upper ring's bottom at (70, 110), where the lower two touch
    mask = _rings((200, 220), centres, 50, width=9)
    lines = line_labels(mask)
    assert lines is not None and lines.max() == 3
    crossings = _crossings_of(centres, 50) + [(70, 110)]
    rings = [np.unique(lines[_ring_pixels(mask.shape, c, 50, crossings, 16)]) for c in centres]
    assert all(len(labels) == 1 for labels in rings), rings
    assert len({int(labels[0]) for labels in rings}) == 3


def test_crossing_bands_cut_by_the_density_are_still_split_into_their_bands():
    """The crossing is the bands' densest place, so the density may give it a cluster of its own (or join pieces of
    different bands): a connected area made of crossing lines becomes its lines, whatever clusters it held."""
    mask = _x()
    areas = np.where(mask, 1, 0).astype(np.int32)
    areas[disk((64, 64), 12)] = 2
    areas[~mask] = 0
    areas[:, 100:][mask[:, 100:]] = 3
    split, _ = split_crossings(areas, (areas > 0).astype(np.float32))
    assert len(np.unique(split[mask])) == 2 and (split[~mask] == 0).all()
    assert split[15, 15] == split[112, 112] != split[15, 112] == split[112, 15]


def test_split_crossings_gives_each_band_its_own_cluster_and_leaves_the_others():
    areas = np.zeros((128, 256), np.int32)
    areas[:, :128][_x()] = 1
    areas[disk((64, 190), 30)] = 2
    split, _ = split_crossings(areas, (areas > 0).astype(np.float32))
    assert len(np.unique(split)) == 4 and (split[areas == 2] == 2).all() and (split[areas == 0] == 0).all()
    assert split[15, 15] == split[112, 112] != split[15, 112] == split[112, 15]
    assert 2 not in (split[15, 15], split[15, 112])


def test_a_large_area_is_analysed_subsampled_and_labelled_whole():
    mask = _x(size=1200, width=41)
    split, _ = split_crossings(mask.astype(np.int32), mask.astype(np.float32))
    assert len(np.unique(split)) == 3
    assert (split[mask] > 0).all() and (split[~mask] == 0).all()
    assert split[30, 30] == split[1170, 1170] != split[30, 1170] == split[1170, 30]


def test_blobs_touching_are_not_worth_a_skeleton_and_lines_are():
    discs = np.zeros((128, 128), bool)
    discs[disk((40, 40), 25)] = discs[disk((85, 85), 25)] = True
    assert not long_enough(discs[14:111, 14:111]) and long_enough(_x())  # as split_crossings crops them, to their box


def _crossing_bands(seed, degrees, spread, n=1600, length=6.0):
    """Two bands of points crossing at ``degrees``, and each point's band and the band its nearest (the best any
    labelling can do: near the crossing, the bands' points mingle)."""
    rng = np.random.default_rng(seed)
    angles = np.radians([degrees / 2, -degrees / 2]) + 0.3
    along = rng.uniform(-length / 2, length / 2, n)
    truth = np.repeat([0, 1], n // 2)
    directions = np.c_[np.cos(angles), np.sin(angles)][truth]
    X = along[:, None] * directions + rng.normal(0, spread, (n, 2))
    across = np.abs(X @ np.c_[-np.sin(angles), np.cos(angles)].T)
    return X, truth, across.argmin(1)


@pytest.mark.parametrize("seed, degrees, spread",
                         [(0, 30, 0.05), (1, 30, 0.1), (0, 45, 0.05), (1, 45, 0.1), (1, 60, 0.15), (0, 90, 0.2)])
def test_points_of_two_bands_crossing_at_a_slant_are_two_clusters(seed, degrees, spread):
    """At a slant, each band's pieces beyond the crossing head into the other band's: they were joined again as one
    line continued (one cluster at 45 degrees); specks the area map cut off beside a band made a third cluster."""
    X, truth, nearest_band = _crossing_bands(seed, degrees, spread)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= adjusted_mutual_info_score(truth, nearest_band) - 0.05


def _broken_x(points_in_break):
    """An X whose area breaks for 8 pixels beside the crossing, one arm cut off as an area of its own; its points
    spread evenly, 0.05 per area pixel, and ``points_in_break`` of them in the break."""
    mask = _x()
    areas = mask.astype(np.int32)
    areas[86:94, 86:94] = 0
    areas[94:, 94:][mask[94:, 94:]] = 2
    counts = np.where(mask, 0.05, 0.0).astype(np.float32)
    counts[86:94, 86:94] = 0
    counts[90, 90] = points_in_break
    return areas, counts


def test_a_sparse_line_s_pieces_that_its_area_broke_apart_are_read_with_its_crossing():
    """A break holding about the points a sparse line holds over it is a chance gap: the pieces are one X."""
    areas, counts = _broken_x(points_in_break=2)
    split, _ = split_crossings(areas, counts)
    assert len(np.unique(split[areas > 0])) == 2
    assert split[15, 15] == split[112, 112] != split[15, 112] == split[112, 15]


def test_pieces_a_dense_gap_parts_are_not_read_as_one_crossing():
    """Where the area is dense, an empty break is a gap a person sees: the cut-off piece stays a cluster of its own."""
    areas, counts = _broken_x(points_in_break=0)
    split, _ = split_crossings(areas, counts * 20)
    assert len(np.unique(split[areas == 2])) == 1 and split[112, 112] not in (split[15, 15], split[15, 112])


def test_a_thin_neck_of_a_ragged_line_stays_in_its_skeleton():
    """Smoothed at half its mean width, a line's 3-pixel neck between two wide stretches vanished, so the skeleton
    fell into two pieces; the rough skeleton across the neck is kept."""
    mask = np.zeros((60, 200), bool)
    mask[20:40, 5:95] = True
    mask[29:32, 95:105] = True
    mask[20:40, 105:195] = True
    skeleton, width = skeleton_of(mask)
    assert ndimage.label(skeleton, structure=np.ones((3, 3)))[1] == 1 and width > 10


def test_a_disc_between_two_arcs_is_no_piece_of_a_broken_ring():
    """Cassini's two bananas and a disc (drawn with seed 2): a closing over 1.5 widths joined the arcs' tips and the
    disc into an eye with a bar across, read as two rings, left and right, that cut all three shapes in half (2
    clusters, AMI 0.006). The empty gaps around the disc hold none of the points a break of a ring would."""
    X, truth = person_suite._cassini(np.random.default_rng(2))
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 3
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.99
