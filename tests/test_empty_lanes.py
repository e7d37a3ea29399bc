import sys
from pathlib import Path

import numpy as np
from scipy import ndimage
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.empty_lanes import cut_empty_lanes, empty_lanes
from visual_clustering_core.raster import GridTransform, pixel_counts

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import person_suite  # noqa: E402  (the person-separable benchmark's generators)


def _counts(X, resolution=256):
    transform = GridTransform.from_bounds(X.min(0), X.max(0), resolution)
    return pixel_counts(transform.pixel_indices(X), resolution)


def test_squares_a_thin_corridor_parts_stay_apart_when_their_points_are_sparse():
    """The suite's 3x3 uniform squares with thin gaps at half their points, as drawn and turned: the kernel fills the
    corridors (3.5 spacings wide) and the network draws its area across them; the lanes keep the nine squares."""
    for seed, degrees in ((0, 0), (1, 0), (2, 0), (0, 17), (0, 45)):
        X, truth = person_suite.load("3x3 squares with thin gaps", seed)
        rows = np.random.default_rng(100 + seed).permutation(len(X))[: len(X) // 2]
        model = VisualClustering().fit(person_suite.turned(X[rows], degrees))
        assert model.n_clusters_ == 9, (seed, degrees)
        assert adjusted_mutual_info_score(truth[rows], model.labels_) >= 0.95, (seed, degrees)


def test_sparse_squares_a_wide_corridor_parts_mostly_stay_apart_with_half_their_points():
    """The suite's 3x3 sparse squares at half their points (75 a square), eight draws: the corridor (about 3.5
    nearest-neighbour distances wide) misses fewer points than a lane 8 pixels wide must to be significant among all
    the strips tested, and the squares were 1-5 clusters (mean AMI 0.42, one draw 0.0); a lane 12 pixels wide misses
    twice as many: 5-9 clusters, mean AMI 0.92 (where a corridor holds a stray point or two, squares stay joined)."""
    scores = []
    for seed in range(8):
        X, truth = person_suite.load("3x3 sparse squares (1350)", seed)
        rows = np.random.default_rng(100 + seed).permutation(len(X))[: len(X) // 2]
        scores.append(adjusted_mutual_info_score(truth[rows], VisualClustering().fit_predict(X[rows])))
    assert np.mean(scores) >= 0.9
    assert min(scores) >= 0.75


def test_no_lane_in_a_uniform_scatter():
    """Chance holes in a uniform scatter are no lane: nothing is cut from its area."""
    for n in (2_000, 20_000):
        counts = _counts(np.random.default_rng(n).uniform(0, 1, (n, 2)))
        assert not empty_lanes(counts).any(), n


def test_a_gap_beside_lines_cuts_nothing():
    """Between the arms of a star, and between parallel lines, the empty strips lie between lines, not filled areas:
    an area hugging the lines (4 pixels around their points) is left whole."""
    for name in ("five lines from one point (1500)", "three parallel lines"):
        X, _ = person_suite.load(name)
        counts = _counts(X)
        mask = ndimage.binary_dilation(counts > 0, iterations=4)
        assert empty_lanes(counts).any(), name
        assert (cut_empty_lanes(mask, counts, sigma=8.0) == mask).all(), name


def test_a_dense_plot_is_left_to_the_density():
    """A kernel narrower than half the narrowest lane leaves a valley along every lane: the mask comes back as is."""
    X, _ = person_suite.load("3x3 squares with thin gaps", 0)
    counts = _counts(X)
    mask = np.ones(counts.shape, bool)
    assert cut_empty_lanes(mask, counts, sigma=1.0) is mask
    assert not (cut_empty_lanes(mask, counts, sigma=8.0)).all()
