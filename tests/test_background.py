"""Patches of a background scatter are no clusters, where a real one stands out of it; points amid the scatter
no denser than it are noise."""

import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.background import drop_background
from visual_clustering_core.synthetic import make_dataset
from visual_clustering_core.toy import toy_dataset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import person_suite  # noqa: E402  (the person-separable benchmark's generators)
import scenes  # noqa: E402  (the random scenes of parted shapes)


def _scatter(rng, shape, every):
    """Points at random, one in ``every`` pixels on average."""
    return (rng.random(shape) < 1 / every).astype(np.int64)


def _blob_and_patch():
    """A blob 25 times as dense as the scatter around it (id 1) and a patch of the scatter (id 2): the counts, the
    cluster map and the two masks."""
    rng = np.random.default_rng(0)
    counts = _scatter(rng, (128, 128), 8)
    rows, cols = np.ogrid[:128, :128]
    blob = (rows - 40) ** 2 + (cols - 40) ** 2 <= 12**2
    counts[blob] += rng.poisson(3, blob.sum())
    patch = (rows - 90) ** 2 + (cols - 90) ** 2 <= 10**2
    clusters = np.zeros((128, 128), np.int32)
    clusters[blob], clusters[patch] = 1, 2
    return counts, clusters, blob, patch


def test_a_patch_no_denser_than_the_scatter_around_it_is_dropped_and_a_dense_blob_kept():
    counts, clusters, blob, _ = _blob_and_patch()
    kept = drop_background(clusters, counts, sigma=2.0)
    assert (kept[blob] == 1).all(), "the blob stays"
    assert not (kept == 2).any(), "the patch of the scatter is background"


def test_copies_of_one_point_are_one_dot_of_the_scatter():
    """300 copies of one point (duplicate images share an embedding) in the patch: a person sees one dot."""
    counts, clusters, _, _ = _blob_and_patch()
    counts[90, 90] = 300
    assert not (drop_background(clusters, counts, sigma=2.0) == 2).any()


def test_a_scatter_alone_keeps_its_patches_as_no_cluster_stands_out():
    counts = _scatter(np.random.default_rng(1), (128, 128), 8)
    clusters = np.zeros((128, 128), np.int32)
    clusters[10:50, 10:50], clusters[70:110, 70:110] = 1, 2
    assert np.array_equal(drop_background(clusters, counts, sigma=2.0), clusters)


def test_blobs_in_noise_are_the_only_clusters():
    """Four blobs among 1,000 points of uniform noise: the area map marked two patches of the noise, of 13 and 55
    points, at 2.6 and 1.1 times the scatter's density around them."""
    X, truth = person_suite._blobs_with_noise(np.random.default_rng(201), 10_000, 0.1)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 4
    for k in range(4):
        assert (truth[model.labels_ == k] >= 0).mean() > 0.9, "each cluster is a blob's points"


def test_a_blob_in_a_scatter_is_labelled_as_the_bayes_rule_labels_it():
    """1,000 points of a Gaussian among 500 scattered over a square 20 sds wide, the scatter noise: a point is the
    blob's where the blob is denser than the scatter (AMI 0.803 with the noise as a class). The blob's grown area took
    in the scatter's points over it and its tail's beyond (0.775) until they were trimmed where the density is under
    twice the scatter's."""
    rng = np.random.default_rng(1)
    X = np.r_[rng.normal(0, 0.3, (1_000, 2)), rng.uniform(-3, 3, (500, 2))]
    truth = np.r_[np.zeros(1_000, int), np.full(500, -1)]
    blob = 1_000 * np.exp(-(X**2).sum(1) / (2 * 0.3**2)) / (2 * np.pi * 0.3**2)
    bayes = adjusted_mutual_info_score(truth, np.where(blob > 500 / 6**2, 0, -1))
    labels = VisualClustering().fit_predict(X)
    assert labels.max() == 0, "one cluster"
    assert adjusted_mutual_info_score(truth, labels) >= bayes - 0.02


def test_a_small_chance_clump_of_the_noise_is_no_cluster():
    """A clump of 19 points of the noise, 3.6 times as dense as the scatter around it: a fifth cluster until its
    density was taken two standard deviations of its points low (0.54 of it)."""
    X, _ = person_suite.load("blobs in 10% noise", 102)
    model = VisualClustering().fit(X)
    assert model.n_clusters_ == 4


def test_the_stragglers_of_heavy_tailed_blobs_are_no_scatter():
    """Six far stragglers outside every cluster are no background: trimmed against them, the blobs lost 22 of their
    tail points to noise (AMI 0.991 -> 0.975)."""
    X, truth = person_suite.load("heavy-tailed blobs")
    labels = VisualClustering().fit_predict(X)
    assert labels.max() == 2 and adjusted_mutual_info_score(truth, labels) >= 0.99


def _blob_in_scatter(n_blob, sd, n_scatter):
    """A Gaussian of ``n_blob`` points (``sd``), then ``n_scatter`` scattered over a square 20 sds wide, none within
    4 sds of its centre."""
    rng = np.random.default_rng(0)
    blob = rng.normal(0, sd, (n_blob, 2))
    scatter = rng.uniform(-10 * sd, 10 * sd, (3 * n_scatter, 2))
    return np.r_[blob, scatter[np.linalg.norm(scatter, axis=1) > 4 * sd][:n_scatter]]


def test_a_small_blob_whose_area_took_in_the_scatter_around_it_keeps_its_points_and_the_scatter_is_noise():
    """200 points of a Gaussian among 150 scattered over a square 20 sds wide: the area map marked the scatter as
    area, its faint bumps merged into the blob, and all 350 points were one cluster (AMI 0). The blob's core stands
    out of its own evenly spread, flat ring of points, which is the scatter's."""
    labels = VisualClustering().fit_predict(_blob_in_scatter(200, 0.4, 150))
    assert labels.max() == 0, "one cluster"
    assert (labels[:200] == 0).mean() >= 0.99, "the blob's points are the cluster's"
    assert (labels[200:] == -1).mean() >= 0.95, "the scatter's are noise"


def test_a_line_or_a_ring_beside_the_core_of_its_cluster_is_no_scatter():
    """A ring and lines are flat beyond any core, but their points lie along them, not over the plane: none is noise."""
    for name in ("one ring", "three parallel lines", "five lines from one point (1500)"):
        X, truth = person_suite.load(name)
        labels = VisualClustering().fit_predict(X)
        assert (labels >= 0).all(), name


def test_the_patches_of_a_scatter_the_area_map_marked_all_over_are_noise():
    """100 points of a Gaussian among 60 scattered over a square 20 sds wide: the area map marked the scatter all
    over, in four patches of 12-17 points, each a cluster (5 clusters, AMI 0.69): with no point outside them, each
    patch's surroundings are the others, as sparse as a scatter (about 1-3 neighbours in a kernel)."""
    labels = VisualClustering().fit_predict(_blob_in_scatter(100, 0.3, 60))
    assert labels.max() == 0, "one cluster"
    assert (labels[:100] == 0).all() and (labels[100:] == -1).mean() >= 0.9


def test_the_scatter_between_shapes_in_a_wide_plot_is_noise():
    """Eight shapes in 20% uniform noise, a plot 1.4 times as wide as high: with the empty bands above and below the
    points counted, the scatter read several times sparser than it is and the clusters kept its points (a quarter of
    them noise as drawn, a seventh stretched to 2.2:1); the shapes' own points stay in their clusters."""
    X, truth = person_suite.load("shapes in 20% noise, a wide plot (8k)")
    shapes = truth >= 0
    for stretch in (1.0, 1.6):
        labels = VisualClustering().fit_predict(X * [stretch, 1])
        assert (labels[~shapes] < 0).mean() >= 0.5, "most of the scatter is noise"
        assert (labels[shapes] < 0).mean() <= 0.01
        assert adjusted_mutual_info_score(truth[shapes], labels[shapes]) >= 0.95


def test_a_sparse_blob_beside_a_dense_one_is_no_patch_of_a_scatter():
    """Dense and sparse blobs touching, 200 points, turned 52 degrees: the sparse blob's group (38 points, sparse as a
    scatter at sigma 16) has a ring of 42 pixels beside the dense blob. Judged as unmeasured there, it was dropped as
    background (one cluster, 50 of its points noise)."""
    X, truth = person_suite.load("dense and sparse blob touching (200)")
    labels = VisualClustering().fit_predict(person_suite.turned(X, 52))
    assert labels.max() == 1 and (labels < 0).sum() <= 5


def test_a_few_stragglers_within_the_plot_are_no_scatter():
    """scikit-learn's anisotropic blobs leave 5 stragglers far from every cluster within the points' hull: measured on
    so few points, a "scatter" trimmed 5 tail points of the blobs to noise (AMI 0.985 -> 0.977)."""
    X, y = toy_dataset("aniso")
    labels = VisualClustering().fit_predict(X)
    assert labels.max() == 2 and adjusted_mutual_info_score(y, labels) >= 0.98


def test_two_far_points_of_a_gaussians_tail_make_no_scatter_of_its_outskirts():
    """Half of one Gaussian's 1,000 points, drawn again: two of them lie beyond 6 sigma of its core, where a thinning
    tail would put 0.06; read as a flat scatter, 83 of its outskirts were noise."""
    X, _ = person_suite.load("one Gaussian", 2)
    X = X[np.random.default_rng(0).permutation(len(X))[: len(X) // 2]]
    labels = VisualClustering().fit_predict(X)
    assert labels.max() == 0 and (labels < 0).sum() == 0


def _blob_in_halo(seed, halo_points):
    """300 points of a Gaussian blob inside a uniform disc ten times its standard deviation wide (the halo, a little
    off its centre, like the right part of the classic "compound" set): the points and which are the halo's."""
    rng = np.random.default_rng(seed)
    blob = rng.normal(0.0, 0.25, (300, 2))
    angle, radius = rng.uniform(0, 2 * np.pi, halo_points), 2.5 * np.sqrt(rng.uniform(0, 1, halo_points))
    halo = np.c_[0.3 + radius * np.cos(angle), radius * np.sin(angle)]
    return np.r_[blob, halo], np.r_[np.zeros(300, bool), np.ones(halo_points, bool)]


def test_a_dense_blob_in_a_sparse_halo_leaves_the_halo_one_group():
    """The density has no valley between the blob and the flat halo: the blob's cluster grew over the halo's points
    beside it and kept them, the rest of the halo a cluster of its own. Of these ten draws five came out so, the halo
    shared between labels; now nine give it one label (noise or its own cluster). The tenth (seed 1, 300 halo points)
    is two patches of the halo either side of ``SPARSE``, judged apart: one noise, one a cluster."""
    whole = 0
    for seed in range(5):
        for halo_points in (150, 300):
            X, halo = _blob_in_halo(seed, halo_points)
            labels = VisualClustering().fit_predict(X)
            blob_label = np.bincount(labels[~halo] + 1).argmax() - 1
            assert blob_label >= 0 and (labels[~halo] == blob_label).mean() >= 0.95
            shares = np.bincount(labels[halo] + 1) / halo.sum()
            assert shares[blob_label + 1] <= 0.2, "the blob's cluster keeps its own points, not the halo's"
            whole += shares.max() >= 0.8
    assert whole >= 9, f"the halo one label on {whole} of 10 draws"


def test_a_density_gradients_thin_end_is_no_scatter():
    """Two rectangles densest at the corners facing each other, rounded to 250 values across: one point lies 6 sigma
    beyond a core where 0.16 would if the band's density thinned 3 times. Read as a flat scatter by a normal
    approximation to that count, the sparse end's 43 points were noise."""
    X, truth = person_suite.load("rectangles with density gradients (1000)")
    step = np.ptp(X, axis=0).max() / 250
    labels = VisualClustering().fit_predict(np.round(X / step) * step)
    assert labels.max() == 1 and (labels < 0).sum() == 0
    assert adjusted_mutual_info_score(truth, labels) >= 0.99


def test_a_sparse_disc_a_dense_worm_runs_into_is_a_group_of_its_own():
    """The generator's held-out plot 18 (a uniform disc, a dense worm running into it, a sparse scatter around), 50,000
    of its points: the worm's cluster grew over the disc, and the disc, a flat scatter it took in with no cluster of
    its own beside it, was noise (86% of its points). Nothing goes on around it at its density: it is a group."""
    X, truth = make_dataset([0, 1, 18])
    rows = np.random.default_rng(0).permutation(len(X))[:50_000]
    labels, truth = VisualClustering().fit_predict(X[rows]), truth[rows]
    worm, disc = (np.bincount(labels[truth == k] + 1).argmax() - 1 for k in (0, 1))
    assert (labels[truth == 1] < 0).mean() <= 0.01
    assert disc >= 0 and disc != worm and (labels[truth == 1] == disc).mean() >= 0.8


@pytest.mark.parametrize("draw", [None, 100, 101, 102])
def test_tight_blobs_amid_a_wide_cloud_part_from_it_and_the_cloud_is_one_cluster(draw):
    """A blob's mode drained the cloud around it: the cloud was shared among the blobs' clusters and its own (suite
    draw 3 clusters, AMI 0.35; draw 101 2 clusters, 0.31). The cloud around each blob is read as lying aside of it (no
    halo of its own, centred on it, as a core in a halo has) and handed to the cloud's cluster: 0.72 and 0.70. On draw
    100 one blob lies near the cloud's middle (the scatter's centre 0.40 of its RMS radius off it, under ``ASIDE``) and
    the cloud stayed with it (0.42) until a core that stands out ``SPIKE`` times was read aside at ``ASIDE_SPIKE``: 0.76.
    Each blob is a cluster of its own, and the cloud one cluster, not shared among the blobs'."""
    X, truth = person_suite.load("two tight blobs in a wide cloud", draw)
    labels = VisualClustering().fit_predict(X)
    assert len(np.unique(labels[labels >= 0])) == 3
    blobs = [np.bincount(labels[(truth == part) & (labels >= 0)]).argmax() for part in (1, 2)]
    for part, label in zip((1, 2), blobs):
        assert (labels[truth == part] == label).mean() >= 0.95
    cloud = np.bincount(labels[(truth == 0) & (labels >= 0)])
    assert cloud.argmax() not in blobs and cloud.max() >= 0.9 * (truth == 0).sum()


@pytest.mark.parametrize("load, k, least", [
    (lambda: scenes.scene(1101)[:2], 3, 0.98),
    (lambda: person_suite.load("dense and sparse blob touching (3000)", 102), 2, 0.85),
])
def test_a_gaussians_own_peak_off_its_scatters_middle_keeps_its_scatter(load, k, least):
    """A Gaussian's peak stands 2.7 to 4.2 times over the density at its points off it; the scatter around an
    elongated one (a random scene's, beside an arc and a sparse ring) lies 0.31 of its RMS radius off the peak, a
    sparse one's that a dense one touches 0.46 off. Read aside at 0.3, as a tight blob's cloud is (``SPIKE``), each
    lost a group's worth: the elongated Gaussian's scatter a cluster of its own (AMI 0.99 -> 0.78), the sparse blob
    parted (0.87 -> 0.76)."""
    X, truth = load()
    labels = VisualClustering().fit_predict(X)
    assert len(np.unique(labels[labels >= 0])) == k
    assert adjusted_mutual_info_score(truth, labels) >= least


def test_clumps_too_few_for_clusters_are_no_scatter_around_a_cluster():
    """A quarter of a wide Gaussian's points and of its four tight satellites (7-8 points each, too few for a
    cluster): the satellites were the only points far from every cluster, read as a scatter the Gaussian lay amid,
    which trimmed 141 of its 499 points to noise (AMI 0.14). Now only the satellites are noise."""
    X, truth = person_suite.load("a wide Gaussian and four tight satellites")
    rows = np.sort(np.random.default_rng(0).permutation(len(X))[: len(X) // 4])
    labels = VisualClustering().fit_predict(X[rows])
    gaussian = truth[rows] == 0
    assert labels.max() == 0 and (labels[gaussian] == 0).mean() >= 0.99
