"""Line pieces that continue into each other across a thin stretch are one line; pieces that do not, stay apart."""

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage
from skimage.draw import circle_perimeter, disk, line
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.continuation import join_continued_lines

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import person_suite  # noqa: E402  (the person-separable benchmark's generators)
import scenes  # noqa: E402  (the random scenes of parted shapes)


def _ring_in_two(size=128, radius=45, gap=6):
    """A thin ring's area cut into two pieces by two short gaps (left and right): ids 1 (top) and 2 (bottom)."""
    ring = np.zeros((size, size), bool)
    ring[circle_perimeter(size // 2, size // 2, radius)] = True
    ring = ndimage.binary_dilation(ring, iterations=2)
    ring[size // 2 - gap // 2 : size // 2 + gap // 2 + 1] = False  # the two gaps, where the ring crosses the middle row
    rows = np.arange(size)[:, None].repeat(size, 1)
    return np.where(ring, np.where(rows < size // 2, 1, 2), 0).astype(np.int32)


def _sparse_points(areas):
    """A point on every third pixel of the ring's centre line, where it has area: a few points missing in a gap."""
    counts = np.zeros(areas.shape, np.int64)
    rows, cols = circle_perimeter(64, 64, 45)
    order = np.argsort(np.arctan2(rows - 64, cols - 64))
    rows, cols = rows[order][::3], cols[order][::3]
    counts[rows, cols] = areas[rows, cols] > 0
    return counts


def test_a_sparse_ring_broken_in_two_is_one_line():
    areas = _ring_in_two()
    joined = join_continued_lines(areas, _sparse_points(areas), sigma=10.0)
    assert len(np.unique(joined[joined > 0])) == 1
    assert (joined[areas == 0] == 0).all()


def test_dense_pieces_keep_their_gap():
    areas = _ring_in_two()
    counts = (areas > 0) * 50  # hundreds of points missing in each gap: the pieces are two
    joined = join_continued_lines(areas, counts, sigma=10.0)
    assert joined[19, 64] == 1 and joined[109, 64] == 2


def test_a_third_cluster_in_the_gap_keeps_the_pieces_apart():
    """The blobs are three times as wide as the ring: no stubs of it (one as wide as the ring would be)."""
    areas = _ring_in_two()
    for centre in [(64, 19), (64, 109)]:  # a blob in each gap
        areas[disk(centre, 8, shape=areas.shape)] = 3
    joined = join_continued_lines(areas, _sparse_points(areas), sigma=10.0)
    assert len(np.unique(joined[joined > 0])) == 3


def test_pieces_meeting_at_a_right_angle_or_side_by_side_stay_apart():
    areas = np.zeros((128, 128), np.int32)
    areas[ndimage.binary_dilation(_line((64, 10), (64, 58)), iterations=2)] = 1
    areas[ndimage.binary_dilation(_line((70, 64), (118, 64)), iterations=2)] = 2  # heads down, across the first's end
    areas[ndimage.binary_dilation(_line((20, 70), (20, 118)), iterations=2)] = 3
    areas[ndimage.binary_dilation(_line((28, 70), (28, 118)), iterations=2)] = 4  # parallel to 3
    counts = np.zeros(areas.shape, np.int64)
    counts[::3, ::3] = areas[::3, ::3] > 0  # sparse
    assert np.array_equal(join_continued_lines(areas, counts, sigma=10.0), areas)


def test_a_stub_a_line_heads_for_joins_it_and_one_off_its_heading_stays_apart():
    """A stub: a piece of the line cut off where its points thin out, too short to be a line itself."""
    areas = np.zeros((128, 128), np.int32)
    areas[ndimage.binary_dilation(_line((64, 10), (64, 70)), iterations=2)] = 1
    areas[ndimage.binary_dilation(_line((64, 78), (64, 86)), iterations=2)] = 2  # on the line's heading
    areas[ndimage.binary_dilation(_line((30, 80), (30, 88)), iterations=2)] = 3  # off it
    sparse = np.zeros(areas.shape, np.int64)
    sparse[::3, ::3] = areas[::3, ::3] > 0
    joined = join_continued_lines(areas, sparse, sigma=10.0)
    assert joined[64, 80] == joined[64, 40] != joined[30, 84]
    dense = (areas > 0) * 50  # hundreds of points missing in the gap: the stub is its own cluster
    assert np.array_equal(join_continued_lines(areas, dense, sigma=10.0), areas)


def test_a_line_cut_into_a_row_of_stubs_is_one_line():
    """A line end carried on through the stub it joins takes the next one (the last two were left apart before)."""
    areas = np.zeros((128, 128), np.int32)
    areas[ndimage.binary_dilation(_line((64, 10), (64, 60)), iterations=2)] = 1
    for cluster, start in enumerate([66, 82, 98], start=2):  # three stubs in a row on the line's heading
        areas[ndimage.binary_dilation(_line((64, start), (64, start + 10)), iterations=2)] = cluster
    sparse = np.zeros(areas.shape, np.int64)
    sparse[::3, ::3] = areas[::3, ::3] > 0
    assert len(np.unique(join_continued_lines(areas, sparse, sigma=10.0))) == 2  # the background and the line


def test_a_sparse_line_beside_a_blob_is_one_cluster_with_none_of_its_points_left_out():
    """The network's area leaves parts of a line of 100 points out where its points thin out by chance."""
    for seed in range(8):
        X, truth = person_suite._line_and_blob(np.random.default_rng(seed), 250)
        labels = VisualClustering().fit_predict(X)
        assert len(np.unique(labels[labels >= 0])) == 2, seed
        assert np.count_nonzero(labels[truth == 0] < 0) <= 2, seed
        assert adjusted_mutual_info_score(truth, labels) >= 0.95, seed


def test_a_sparse_smiley_face_is_its_four_parts():
    """500 points: the network's area leaves gaps in the thin face outline, where its points thin out by chance."""
    found, scores = [], []
    for seed in range(6):
        X, truth = person_suite._smiley(np.random.default_rng(seed), 500)
        labels = VisualClustering().fit_predict(X)
        found.append(len(np.unique(labels[labels >= 0])))
        scores.append(adjusted_mutual_info_score(truth, labels))
    assert found.count(4) >= 4 and np.mean(scores) >= 0.95, (found, np.round(scores, 2))


def _line(start, stop, size=128):
    mask = np.zeros((size, size), bool)
    mask[line(*start, *stop)] = True
    return mask


def test_two_curves_facing_each_other_in_an_s_bend_stay_apart():
    """The inner ends of two spiral arms face each other across the middle, each curving its own way: an S-bend,
    not one curve going on (a ring broken in two, whose ends curve on as one circle, is one line: above)."""
    t = np.linspace(np.pi / 2, 2 * np.pi, 300)
    first = np.c_[80 + 30 * np.sin(t), 50 + 30 * np.cos(t)]  # 3/4 of a circle, ending at (80, 80) heading down
    second = (180, 160) - first  # turned half a turn about (90, 80): it ends at (100, 80), facing the first's end
    areas = np.zeros((160, 160), np.int32)
    for label, points in ((1, first), (2, second)):
        curve = np.zeros(areas.shape, bool)
        curve[tuple(np.rint(points).astype(int).T)] = True
        areas[ndimage.binary_dilation(curve, iterations=2)] = label
    counts = np.zeros(areas.shape, np.int64)
    counts[::3, ::3] = areas[::3, ::3] > 0
    assert np.array_equal(join_continued_lines(areas, counts, sigma=20.0), areas)  # sigma: the gap is near enough


def test_a_dense_blob_a_line_heads_for_fills_no_gap_with_its_own_points():
    """No point lies between a band's end and a dense blob it heads for: the blob's points by its edge were counted
    as the gap's (blobs in 10% noise: a sparse blob's area, taken for a line, joined a dense blob 15 units away).
    A dense blob is no piece of a sparse line, gap or none; a blob as sparse as the band, across a gap its points
    fill, is."""
    areas = np.zeros((128, 128), np.int32)
    areas[60:70, 10:75] = 1
    areas[disk((65, 98), 10, shape=areas.shape)] = 2
    counts = np.zeros(areas.shape, np.int64)
    counts[60:70:2, 10:75] = 1
    counts[areas == 2] = 20
    assert np.array_equal(join_continued_lines(areas, counts, sigma=3.0), areas)
    counts[60:70:2, 75:88] = 1  # the band goes on to the blob, its points off both areas
    assert np.array_equal(join_continued_lines(areas, counts, sigma=3.0), areas)
    counts[areas == 2] = 0
    counts[60:70:2, 88:110] = areas[60:70:2, 88:110] == 2  # the blob as sparse as the band
    assert len(np.unique(join_continued_lines(areas, counts, sigma=3.0))) == 2


def test_blobs_in_noise_stay_apart_however_their_areas_are_shaped():
    X, truth = person_suite._blobs_with_noise(np.random.default_rng(203), 3_000, 0.1)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 4
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.85


@pytest.mark.parametrize("degrees", [0, 17, 45])
def test_a_zigzag_cut_near_a_corner_is_one_line_however_it_is_turned(degrees):
    """The kernel brightens a corner's inside, so the density dips past it: a zigzag fell into two pieces that turn
    into each other at the corner (4 clusters for 3, AMI 0.906, at each angle)."""
    X, truth = person_suite.load("three zigzags")
    model = VisualClustering().fit(person_suite.turned(X, degrees))
    assert model.n_clusters_ == 3
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95


def test_an_empty_gap_parts_a_sparse_line_where_a_thinned_one_is_crossed():
    """A line of a point per pixel cut 30 pixels: with every third point left in the gap (8 where 22 were due) it is
    one line; with none (where 22 were due: the normal approximation, 4.6 standard deviations, called it chance),
    two."""
    areas = np.zeros((128, 128), np.int32)
    areas[ndimage.binary_dilation(_line((64, 10), (64, 60)), iterations=2)] = 1
    areas[ndimage.binary_dilation(_line((64, 90), (64, 120)), iterations=2)] = 2
    counts = np.zeros(areas.shape, np.int64)
    counts[64, 10:61] = counts[64, 90:121] = 1
    assert np.array_equal(join_continued_lines(areas, counts, sigma=20.0), areas)
    counts[64, 61:90:3] = 1
    assert len(np.unique(join_continued_lines(areas, counts, sigma=20.0))) == 2


@pytest.mark.parametrize("zigzag", [0, 2])
def test_a_sparse_zigzag_broken_at_a_corner_is_one_line(zigzag):
    """The suite's sparse zigzags: the top one has a handful of points missing at its first corner, its legs'
    skeleton ends 1.9 widths apart with 5 points around them where 19 were due (split 93/39 before); the bottom one
    broke where its first leg's piece, short, has a skeleton a third of its length: read over the skeleton alone, its
    points per length were twice its neighbour's, two lines meeting (split 97/35)."""
    X, truth = person_suite.load("three sparse zigzags (400)")
    labels = VisualClustering().fit_predict(X)
    held = np.bincount(labels[truth == zigzag])
    assert held.max() == (truth == zigzag).sum()
    assert np.all(truth[labels == held.argmax()] == zigzag)


@pytest.mark.parametrize("draw", [None, 101])
def test_a_sparse_zigzags_leg_too_short_to_be_a_line_meets_the_next_at_its_corner(draw):
    """The middle sparse zigzag's first leg is a piece too short to be a line, a stub, which joined only a line heading
    straight for it: its corner with the next leg parted them (4 clusters, AMI 0.93; draw 101 5 clusters, 0.85). A stub
    spanning 3 of its widths has ends along its principal axis, which meet a line's end as wide at a corner."""
    X, truth = person_suite.load("three sparse zigzags (400)", draw)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 3
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95


@pytest.mark.parametrize("name, degrees", [("two spirals", 45), ("a sparse square outline (200)", 0)])
def test_a_curved_or_bent_stub_is_measured_along_itself(name, degrees):
    """A stub's points are weighed against the line's points per length over its extent along the line's heading or
    its own length, whichever is longer: a spiral's inner piece, curving away from the heading, held 1.7 times what
    its 37 pixels along it allow (3 clusters, AMI 0.90); a sparse square's side, a stub 64 pixels long, spans 24
    pixels along the heading of the side that ends at its corner (2 clusters for 1)."""
    X, truth = person_suite.load(name)
    model = VisualClustering().fit(person_suite.turned(X, degrees))
    assert model.n_clusters_ == len(np.unique(truth))
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95


def test_a_sparse_zigzag_whose_leg_bends_into_its_corner_is_one_line():
    """The sparse zigzags drawn with seed 102: the top one's leg skeleton bends into its last corner, so its end lies
    1.3 px past the point where the two legs' headings cross (split 105/27 while that point had to lie ahead)."""
    X, truth = person_suite.load("three sparse zigzags (400)", 102)
    labels = VisualClustering().fit_predict(X)
    held = np.bincount(labels[truth == 2])
    assert held.max() == (truth == 2).sum()
    assert np.all(truth[labels == held.argmax()] == 2)


def test_the_tails_of_two_elongated_blobs_make_no_corner():
    """Two elongated blobs whose tails turn into each other 1.5 widths apart: 125 points around the tails where 355
    were due, hundreds short, so the blobs stay apart (4 clusters for 5, AMI 0.905, when any gap made a corner)."""
    X, truth = person_suite.load("anisotropic blobs", 102)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == len(np.unique(truth))
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95


@pytest.mark.parametrize("degrees", [8, 17, 67])
def test_a_sparse_line_beside_a_blob_is_one_line_however_it_is_turned(degrees):
    """Turned, the network's area cuts the line into pieces too short to be lines: a row of stubs, one wider than
    six squared widths of the narrowest line (3 clusters for 2, AMI 0.86, at each of these angles before)."""
    X, truth = person_suite.load("sparse line beside a blob (250)")
    model = VisualClustering().fit(person_suite.turned(X, degrees))
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95


def test_two_arcs_of_different_density_whose_ends_meet_stay_apart():
    """Development scene 84: two arcs' ends meet a width apart, turning into each other like a corner's, but one
    holds twice the points per length of the other: two lines (joined as a corner without that test, AMI 0.94)."""
    X, truth, _ = scenes.scene(84)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == len(np.unique(truth))
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.99


def test_two_sparse_arcs_side_by_side_whose_ends_come_close_stay_apart():
    """Two parabolic arcs 1.2 apart, 150 points each: where they rise steeply their ends come within a width of
    each other, side by side, the chord between them square to both; read as a corner, they were one cluster."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, (2, 150))
    X = np.c_[x.ravel(), 0.5 * x.ravel() ** 2 + np.repeat([0.0, 1.2], 150) + rng.normal(0, 0.15, 300)]
    truth = np.repeat([0, 1], 150)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.9


def test_a_blob_with_a_ragged_edge_is_no_line_for_a_sparse_blob_to_continue():
    """A dense blob touching a sparse one, turned 30 degrees: the dense blob's area came out ragged, its edge so long
    that, measured by it, it was as thin as a line, and the sparse blob beside it a stub on its way (one cluster;
    measured by its smoothed skeleton, it is a third as wide as its box's diagonal: no line)."""
    X, truth = person_suite.load("dense and sparse blob touching (3000)")
    model = VisualClustering().fit(person_suite.turned(X, 30))
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.8


def test_a_spiral_arm_whose_area_broke_near_its_end_is_one_line():
    """The spiral around a blob: its sparse outer arm's area breaks 2 pixels wide near its end, but smoothed, each
    piece's skeleton stops 1.5 widths short of its area's tip, so the ends lay 3.2 widths apart, beyond the 3 they
    were allowed (the arm's last 81 points a cluster of their own; now none)."""
    X, truth = person_suite.load("a spiral around a blob")
    labels = VisualClustering().fit_predict(X)
    outer = (truth == 0) & (np.hypot(*X.T) > 2.5)  # the arm's outer turn, its radius 2.5 to 3.8
    assert (labels[outer] == np.bincount(labels[outer][labels[outer] >= 0]).argmax()).mean() >= 0.98


@pytest.mark.parametrize("seed", [1, 2])
def test_a_heavy_tailed_blob_is_no_line_for_another_to_continue(seed):
    """Two Student-t splashes (3 degrees of freedom) with a deep valley between: a splash's area, spiky with its
    stragglers, filled under half its box, so it passed for a line 15 sigma wide and the other splash a stub on its
    way (one cluster, AMI 0). A short piece over 4.5 sigma wide is a blob. The true densities score 0.85-0.88."""
    X, truth = person_suite._splashes(np.random.default_rng(seed))
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.8
