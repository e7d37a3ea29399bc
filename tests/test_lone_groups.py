import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.lone_groups import SIZE, lone_groups


def _map_with_strays(strays, size=200):
    """A grown label map holding one cluster (a filled square of points at rows and columns 20-60) and the stray
    points ``strays`` ((row, col) pairs) outside it; returns (grown, counts)."""
    grown, counts = np.zeros((size, size), np.int32), np.zeros((size, size), int)
    grown[20:61, 20:61] = 1
    counts[20:61:2, 20:61:2] = 1
    rows, cols = np.asarray(strays).T
    counts[rows, cols] += 1
    return grown, counts


def test_a_sparse_ring_far_from_every_cluster_is_a_cluster_of_its_own():
    angle = np.linspace(0, 2 * np.pi, 31, endpoint=False)
    ring = np.c_[140 + 30 * np.sin(angle), 140 + 30 * np.cos(angle)].round().astype(int)
    grown, counts = _map_with_strays(ring)
    out = lone_groups(grown, counts, 5)
    assert out.max() == 2 and (out[tuple(ring.T)] == 2).all()
    assert (out[grown == 1] == 1).all()


def test_stragglers_beside_a_cluster_and_a_scatter_around_it_stay_noise():
    """Points a step or two off the cluster's edge have it beside them; an even scatter all around it has its own
    points around each of its patches at their spacing, and the cluster a spacing away: no gap parts either."""
    beside = [(row, 62 + k % 3) for k, row in enumerate(range(20, 61, 2))]
    scatter = [(row, col) for row in range(3, 200, 9) for col in range(3, 200, 9)
               if not (12 < row < 69 and 12 < col < 69)]
    grown, counts = _map_with_strays(beside + scatter)
    assert (lone_groups(grown, counts, 5) == grown).all()


def test_two_sparse_groups_a_gap_parts_are_two_and_a_handful_of_points_is_none():
    left = [(row, col) for row in range(120, 160, 6) for col in range(100, 130, 6)]
    right = [(row, col) for row in range(120, 160, 6) for col in range(160, 190, 6)]
    few = [(185, 20 + 4 * k) for k in range(SIZE * 5 - 1)]
    grown, counts = _map_with_strays(left + right + few)
    out = lone_groups(grown, counts, 5)
    assert out.max() == 3
    assert len(np.unique(out[tuple(np.array(left).T)])) == 1 and len(np.unique(out[tuple(np.array(right).T)])) == 1
    assert (out[tuple(np.array(few).T)] == 0).all()


def test_a_ring_of_thirty_points_beside_a_dense_line_is_found():
    """The network marks no area on the ring: its 31 points were all noise before."""
    rng = np.random.default_rng(23)
    angle = rng.uniform(0, 2 * np.pi, 31)
    ring = np.c_[9.5 + 1.6 * np.cos(angle), 8.2 + 1.6 * np.sin(angle)] + rng.normal(0, 0.08, (31, 2))
    t = rng.uniform(0, 1, 443)
    line = np.c_[0.3 + 0.5 * t, 5.1 + 1.2 * t] + rng.normal(0, 0.02, (443, 2))
    X, y = np.r_[line, ring], np.repeat([0, 1], [443, 31])
    labels = VisualClustering().fit_predict(X)
    assert labels.max() == 1 and (labels >= 0).all()
    assert adjusted_mutual_info_score(y, labels) == 1.0


def test_a_small_cluster_the_area_map_marked_on_a_sparse_ring_joins_the_rings_lone_group():
    """The network marked 6 of the ring's 31 points: the rest lay beside that small cluster and stayed noise."""
    angle = np.linspace(0, 2 * np.pi, 31, endpoint=False)
    ring = np.c_[140 + 30 * np.sin(angle), 140 + 30 * np.cos(angle)].round().astype(int)
    grown, counts = _map_with_strays(ring)
    grown[tuple(ring[:6].T)] = 2
    out = lone_groups(grown, counts, 5)
    assert len(np.unique(out[tuple(ring.T)])) == 1 and out[tuple(ring[0])] == 3
    assert (out[grown == 1] == 1).all()


def _small_cluster_with_strays(step, spacing):
    """``_map_with_strays``'s cluster and, far from it, a second cluster (id 2: a square of points ``step`` pixels
    apart, rows and columns 134-145) amid strays ``spacing`` pixels apart out to 20 pixels from its centre."""
    rows, cols = np.mgrid[110:171:spacing, 110:171:spacing]
    around = np.c_[rows.ravel(), cols.ravel()]
    around = around[(np.hypot(*(around - 140).T) <= 20) & (np.abs(around - 140).max(1) > 8)]
    grown, counts = _map_with_strays(around)
    grown[132:149, 132:149] = 2
    counts[134:146:step, 134:146:step] += 1
    return grown, counts, around


def test_the_outskirts_of_a_sparse_group_whose_middle_alone_is_a_cluster_join_it():
    """A sparse disc whose middle alone the area map marked: a gap parts the whole disc from every other point."""
    grown, counts, around = _small_cluster_with_strays(step=2, spacing=2)
    out = lone_groups(grown, counts, 5)
    assert (out[tuple(around.T)] == 2).all()
    assert out.max() == 2 and (out[grown == 1] == 1).all()


def test_a_scatter_around_a_small_dense_cluster_stays_noise():
    """Alone in the plot with it, but spaced six times as widely as its points: no part of it."""
    grown, counts, around = _small_cluster_with_strays(step=1, spacing=6)
    out = lone_groups(grown, counts, 5)
    assert (out[tuple(around.T)] == 0).all()
