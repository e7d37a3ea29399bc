import numpy as np
import pytest
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core.dip_tests import CoarseScales, Corridor, Neck, Regions
from visual_clustering_core.labelling import cluster_areas, grow_labels, join_strays, nearest_area
from visual_clustering_core.raster import density_scale, smoothed_density
from visual_clustering_core.segmentation import (
    density_basins,
    merge_basins,
    passes_between,
    split_by_density,
    threshold_mask,
)


def _disc(shape, center, radius):
    rows, cols = np.ogrid[: shape[0], : shape[1]]
    return (rows - center[0]) ** 2 + (cols - center[1]) ** 2 <= radius**2


def _clusters(counts):
    """Number of clusters the density's modes give after merging, and the merged basins."""
    sigma = density_scale(counts)
    density = smoothed_density(counts, sigma)
    basins, n = density_basins(density, sigma)
    clusters = merge_basins(basins, n, density, sigma, counts)
    return len(np.unique(clusters[1:])), basins, clusters


def _counts_of(points, size=96):
    """Point counts of (row, col) points rounded to a size x size grid, points off it dropped."""
    points = points.round().astype(int)
    points = points[((points >= 0) & (points < size)).all(1)]
    return np.bincount(points[:, 0] * size + points[:, 1], minlength=size * size).reshape(size, size)


def _gaussian_counts(centers, n_each, sd, seed=0):
    rng = np.random.default_rng(seed)
    return _counts_of(np.concatenate([rng.normal(c, sd, (n_each, 2)) for c in centers]))


def test_a_visible_gap_separates_groups_whatever_their_size():
    counts = _gaussian_counts([(30, 20), (30, 70)], 40, 5.0)
    assert _clusters(counts)[0] == 2


def test_touching_blobs_with_a_deep_valley_stay_apart():
    counts = _gaussian_counts([(48, 36), (48, 60)], 3000, 4.0)
    assert _clusters(counts)[0] == 2


def test_one_blob_is_one_cluster_however_noisy_its_modes():
    counts = _gaussian_counts([(48, 48)], 400, 12.0)
    assert _clusters(counts)[0] == 1


def test_a_bump_of_a_few_points_is_noise():
    counts = _gaussian_counts([(48, 48)], 2000, 10.0)
    counts[48, 80] += 3  # three points on the blob's edge
    assert _clusters(counts)[0] == 1


def test_an_even_ring_is_one_cluster():
    rng = np.random.default_rng(1)
    angle = rng.uniform(0, 2 * np.pi, 3000)
    radius = 30 + rng.normal(0, 1.5, 3000)
    rows, cols = (48 + radius * np.sin(angle)).astype(int), (48 + radius * np.cos(angle)).astype(int)
    counts = np.bincount(rows * 96 + cols, minlength=96 * 96).reshape(96, 96)
    assert _clusters(counts)[0] == 1


def _dense_and_sparse_counts(seed=3):
    rng = np.random.default_rng(seed)
    return _counts_of(np.concatenate([rng.normal((48, 34), 5.5, (2000, 2)), rng.normal((48, 60), 8, (700, 2))]))


def test_a_sparse_group_is_tested_at_a_scale_holding_as_many_points():
    counts = _dense_and_sparse_counts()
    sigma = density_scale(counts)
    scale = CoarseScales(smoothed_density(counts, sigma), sigma).scale
    assert scale[48 * 96 + 34] == 0 and scale[48 * 96 + 60] > 0


def test_a_sparse_blob_touching_a_dense_one_stays_apart():
    """Under the dense blob's kernel the sparse one's valley is not significant; at its own test scale it is."""
    assert _clusters(_dense_and_sparse_counts())[0] == 2


def _line_counts(x, y, shape=(96, 96)):
    return np.bincount(y.astype(int) * shape[1] + x.astype(int), minlength=shape[0] * shape[1]).reshape(shape)


@pytest.mark.parametrize("amplitude", [8, 10])
@pytest.mark.parametrize("seed", range(6))
def test_a_thin_sinuous_line_is_one_cluster(seed, amplitude):
    """Smoothed wider than the line, the density counts points per length, which dips where the line is steep
    (to about 0.7 at a slope of 0.94, 0.65 at 1.18; steeper lines may still split). Where it runs diagonally, its
    passes are read between diagonal pixels (amplitude 10 split on 4 of the 6 draws before)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(8, 88, 3000)
    y = 48 + amplitude * np.sin(2 * np.pi * 1.5 * (x - 8) / 80 + rng.uniform(0, 2 * np.pi)) + rng.normal(0, 0.4, 3000)
    assert _clusters(_line_counts(x, y))[0] == 1


def test_a_pass_is_read_across_a_diagonal_step_but_not_across_a_third_labels_corner():
    """A ridge one pixel thin running diagonally crosses its basins' staircase boundary between diagonal pixels;
    where two labels touch only at the corner of a third, the way from one to the other runs through the third."""
    labels = np.array([[1, 1, 0], [2, 2, 1], [0, 2, 2]])
    values = np.array([[9.0, 5.0, 0.0], [4.0, 8.0, 5.0], [0.0, 5.0, 9.0]])  # the ridge is the diagonal
    pairs, passes, where = passes_between(labels, values)
    assert pairs.tolist() == [[1, 2]] and passes.tolist() == [8.0] and where.tolist() == [4]  # 5 across the 4-pairs
    corner = np.array([[1, 3], [3, 2]])
    pairs, passes, _ = passes_between(corner, np.full((2, 2), 9.0))
    assert pairs.tolist() == [[1, 3], [2, 3]]


@pytest.mark.parametrize("seed", range(3))
def test_a_thin_line_thinned_to_a_fifth_is_two_clusters(seed):
    rng = np.random.default_rng(seed)
    x = np.r_[rng.uniform(8, 42, 1500), rng.uniform(42, 54, 100), rng.uniform(54, 88, 1500)]
    y = 48 + rng.normal(0, 0.4, len(x))
    assert _clusters(_line_counts(x, y))[0] == 2


def test_pixels_no_point_reaches_belong_to_no_basin():
    counts = np.zeros((64, 64), int)
    counts[10, 10] = 5
    sigma = 1.0
    basins, n = density_basins(smoothed_density(counts, sigma), sigma)
    assert n == 1 and basins[10, 10] == 1 and basins[50, 50] == 0
    assert density_basins(np.zeros((8, 8), np.float32), 1.0)[1] == 0


def test_area_pixels_take_their_regions_cluster():
    regions = np.array([[1, 0, 2, 2], [1, 1, 0, 2]])
    areas = cluster_areas(regions, np.array([0, 5, 7]))
    assert areas.tolist() == [[5, 0, 7, 7], [5, 5, 0, 7]]


def test_a_gap_in_the_area_separates_groups_the_density_would_join():
    density = np.zeros((40, 80), np.float32)
    density[10:30, 5:75] = 1.0
    density[20, 20] = density[20, 60] = 1.1  # two modes on one flat plateau
    sigma = 1.0
    basins, n = density_basins(density, sigma)
    mask = density > 0
    mask[:, 39:42] = False  # a gap the area mask sees
    basins_, regions, clusters = split_by_density(density, sigma, mask, density)
    left, right = clusters[regions[20, 10]], clusters[regions[20, 70]]
    assert left != right, "the gap separates them"
    merged = merge_basins(basins, n, density, sigma, density)
    assert merged[basins[20, 10]] == merged[basins[20, 70]]


def test_a_speck_of_area_stays_with_its_basins_group():
    density = np.zeros((40, 40), np.float32)
    density[_disc((40, 40), (20, 20), 12)] = 1.0
    density[20, 20] = 2.0
    density[20, 31] = 1.2  # a noise mode in the outskirts
    mask = _disc((40, 40), (20, 20), 9)
    mask[20, 31] = True  # a one-pixel speck of area around it, near the group
    sigma = 2.0
    basins, regions, clusters = split_by_density(density, sigma, mask, density)
    assert len(np.unique(clusters[regions[regions > 0]])) == 1


def test_grow_gives_nearby_pixels_the_nearest_label():
    labels = np.zeros((20, 20), np.int32)
    labels[5, 5] = 1
    labels[5, 15] = 2
    grown = grow_labels(labels, 2)
    assert grown[5, 7] == 1 and grown[5, 13] == 2
    assert grown[5, 10] == 0 and grown[15, 15] == 0
    assert np.array_equal(grow_labels(labels, 0), labels)


def test_reach_keeps_a_large_clusters_outskirts():
    labels = np.zeros((64, 64), np.int32)
    labels[_disc((64, 64), (32, 32), 12)] = 1
    labels[2, 2] = 2
    grown = grow_labels(labels, 2, reach=0.5)
    assert grown[32, 49] == 1, "5 pixels out, within half the radius (12)"
    assert grown[32, 52] == 0
    assert grown[2, 5] == 0, "a one-pixel area reaches only grow"
    assert grow_labels(labels, 0, reach=0).max() == 2


def test_growing_stays_in_the_pixels_basin_and_off_empty_space():
    labels = np.zeros((32, 40), np.int32)
    labels[10:20, 5:10] = 1
    labels[10:20, 18:20] = 2
    basins = np.zeros((32, 40), np.int32)
    basins[:, :12] = 1  # cluster 1's basin
    basins[:, 12:20] = 2  # cluster 2's basin
    basins[:, 20:28] = 3  # a basin holding no area
    grown = grow_labels(labels, 8, reach=2.0, basins=basins)
    assert grown[15, 11] == 1, "near, in the same basin"
    assert grown[15, 13] == 0, "nearest to cluster 1, but in another cluster's basin"
    assert grown[15, 22] == 2, "a basin without area joins the nearest cluster"
    assert grown[15, 30] == 0 and grown[15, 35] == 0, "no point reaches there"


def test_scattered_strays_join_the_nearest_area_and_close_set_ones_stay_noise():
    areas = np.zeros((64, 64), np.int32)
    areas[_disc((64, 64), (20, 20), 8)] = 1
    areas[_disc((64, 64), (20, 50), 6)] = 2
    counts = (areas > 0).astype(np.int64)
    counts[[40, 5, 20], [10, 35, 61]] = 1  # stragglers 5 to 15 pixels from an area, farther from each other
    joined = join_strays(areas, counts, 3.0, nearest_area(areas))
    assert joined[40, 10] == 1 and joined[5, 35] == 1 and joined[20, 61] == 2, "each joins the nearest area"
    counts[54:63:2, 30:63:2] = 1  # background noise: stray points 2 pixels apart
    joined = join_strays(areas, counts, 3.0, nearest_area(areas))
    assert (joined[54:63, 30:63] == 0).all(), "background noise stays noise"
    assert joined[40, 10] == 0 and joined[5, 35] == 0, "among it, stragglers farther than 3 x its spacing do too"
    assert np.array_equal(join_strays(areas, counts, 0.0, nearest_area(areas)), areas)


def test_a_splashs_spray_joins_it_and_background_noise_stays_noise():
    from visual_clustering_core import VisualClustering

    rng = np.random.default_rng(0)

    def splash(center):  # a Gaussian core and a radial spray thinning out to some 10 core widths
        angle, radius = rng.uniform(0, 2 * np.pi, 60), 0.3 + rng.exponential(0.6, 60)
        return np.r_[rng.normal(size=(140, 2)) * 0.3, np.c_[radius * np.cos(angle), radius * np.sin(angle)]] + center

    splashes = np.r_[splash((0, 0)), splash((5, 0))]
    labels = VisualClustering().fit_predict(splashes)
    assert (labels == -1).mean() <= 0.01 and adjusted_mutual_info_score(np.repeat([0, 1], 200), labels) >= 0.9
    assert (VisualClustering(strays=0).fit_predict(splashes) == -1).mean() >= 0.05, "without strays: spray is noise"
    blobs = np.r_[rng.normal(size=(1000, 2)) * 0.3, rng.normal(size=(1000, 2)) * 0.3 + 8]
    noise = rng.uniform(-4, 12, size=(100, 2))
    labels = VisualClustering().fit_predict(np.r_[blobs, noise])[2000:]
    far = np.minimum(np.hypot(*noise.T), np.hypot(*(noise - 8).T)) > 3
    assert (labels[far] == -1).mean() >= 0.9, "background noise far from the blobs stays noise"


def test_threshold_mask_finds_dense_blobs():
    image = np.zeros((2, 64, 64), np.float32)
    image[1][_disc((64, 64), (16, 16), 6)] = 1.0
    image[1][_disc((64, 64), (48, 40), 6)] = 0.8
    image[0] = image[1] > 0
    mask = threshold_mask(image)
    assert mask[16, 16] and mask[48, 40] and not mask[32, 60]
    assert not threshold_mask(np.zeros((2, 16, 16), np.float32)).any()


def _clusters_in_area(counts, sigma):
    """Clusters ``split_by_density`` finds at ``sigma`` in the area where the density is above 5% of its peak."""
    density = smoothed_density(counts, sigma)
    _, regions, clusters = split_by_density(density, sigma, density >= 0.05 * density.max(), counts)
    return len(np.unique(clusters[regions[regions > 0]]))


def test_compact_groups_blurred_by_a_wide_kernel_are_split_at_the_finer_scale():
    """40 tight points each, 16 pixels apart: at sigma 5 the dip is not significant; at half of it, it is."""
    for seed in range(6):
        counts = _gaussian_counts([(48, 40), (48, 56)], 40, 2.0, seed=seed)
        assert _clusters_in_area(counts, 5.0) == 2, f"seed {seed}"


def test_a_line_is_not_split_into_its_beads_at_the_finer_scale():
    """A line is no compact group: the finer scale, which would cut it at its Poisson gaps, is not used."""
    for seed in range(8):
        rng = np.random.default_rng(seed)
        counts = _counts_of(np.c_[48 + rng.normal(0, 1.0, 200), rng.uniform(10, 86, 200)])
        assert _clusters_in_area(counts, 4.0) == 1, f"seed {seed}"


def test_sparse_blobs_rings_and_lines_are_not_split_by_the_oriented_test():
    """Smoothed at 8 pixels (the oriented kernel is then 16 long and 2.7 wide): a blob, a ring and a line stay one."""
    for seed in range(4):
        rng = np.random.default_rng(seed)
        angle, t = rng.uniform(0, 2 * np.pi, 600), rng.uniform(10, 118, 600)
        shapes = {
            "blob": rng.normal(64, 12, (600, 2)),
            "ring": np.c_[64 + 40 * np.cos(angle), 64 + 40 * np.sin(angle)] + rng.normal(0, 2, (600, 2)),
            "line": np.c_[t, 64 + 0.3 * (t - 64)] + rng.normal(0, 2, (600, 2)),
        }
        for name, points in shapes.items():
            assert _clusters_in_area(_counts_of(points, 128), 8.0) == 1, f"{name}, seed {seed}"


def _halves(channel, rows=40):
    """Regions 1 and 2, the two halves of a rows x 60 image; counts: a point every 3 pixels each way, none in the
    ``channel`` columns in the middle."""
    regions = np.zeros((rows, 60), np.int32)
    regions[:, :30], regions[:, 30:] = 1, 2
    counts = np.zeros((rows, 60), int)
    counts[::3, ::3] = 1
    counts[:, 30 - channel // 2 : 30 + channel // 2] = 0
    return regions, counts


def test_an_empty_channel_along_the_whole_boundary_parts_evenly_spread_groups():
    """At sigma 6 the band is the 3 pixels either side of the boundary: empty, it holds 0 of about 40 points."""
    regions, counts = _halves(channel=10)
    assert Corridor(counts, 6.0, Regions(regions)).empty([1], [2], 0.5, 3.0, typical=10)
    regions, counts = _halves(channel=0)
    assert not Corridor(counts, 6.0, Regions(regions)).empty([1], [2], 0.5, 3.0, typical=20)


def test_a_channel_narrower_than_half_the_kernel_is_found_by_the_narrower_band():
    """At sigma 12 the wider band (6 pixels either side) holds the points beside a 6-pixel channel, half of what it
    would hold without one; the narrower band (3 pixels either side) holds none."""
    regions, counts = _halves(channel=6)
    assert Corridor(counts, 12.0, Regions(regions)).empty([1], [2], 0.5, 3.0, typical=10)
    regions, counts = _halves(channel=0)
    assert not Corridor(counts, 12.0, Regions(regions)).empty([1], [2], 0.5, 3.0, typical=10)


def test_a_channel_too_short_to_hold_half_a_kernels_points_is_left_to_the_pass():
    """12 rows: the band would hold about 8 points, under half of a typical kernel's 30, not under half of 10."""
    regions, counts = _halves(channel=10, rows=12)
    assert not Corridor(counts, 6.0, Regions(regions)).empty([1], [2], 0.5, 3.0, typical=30)
    assert Corridor(counts, 6.0, Regions(regions)).empty([1], [2], 0.5, 3.0, typical=10)


def test_two_discs_joined_by_a_thin_bridge_meet_at_a_narrow_neck():
    """Discs of radius 12 (thickness 12) joined by a bridge 3 pixels wide: the neck's depth is 2, under a quarter."""
    for width, narrow in ((15, False), (3, True)):
        area = _disc((40, 80), (20, 18), 12) | _disc((40, 80), (20, 62), 12)
        area[20 - width // 2 : 20 + width // 2 + 1, 18:62] = True
        regions = np.where(area, np.where(np.arange(80) < 40, 1, 2), 0).astype(np.int32)
        neck = Neck(Regions(regions))
        assert neck.narrow([1], [2], points=(300, 300), typical=50) == narrow, f"width {width}"
    assert not neck.narrow([1], [2], points=(300, 30), typical=50)  # a speck off a blob is no blob


def test_a_thick_group_meets_a_thin_one_by_its_side_at_a_neck_as_wide_as_the_thin_one():
    """A disc of radius 30 (the lower group) joined to a band 9 pixels wide by a bridge as wide: no neck for the band,
    one for the disc, which is the group the merge would take in; a disc of radius 20 in the band's place, not half
    as thick as the other, is judged as the thinner: a bridge twice as wide is no neck for it."""
    area = _disc((100, 150), (50, 40), 30)
    area[10:91, 100:109] = True
    area[46:55, 70:100] = True
    regions = np.where(area, np.where(np.arange(150) < 85, 1, 2), 0).astype(np.int32)
    neck = Neck(Regions(regions))
    assert neck.narrow([1], [2], points=(300, 300), typical=50)
    assert not neck.narrow([2], [1], points=(300, 300), typical=50)
    area = _disc((100, 150), (50, 40), 30) | _disc((100, 150), (50, 118), 20)
    area[42:59, 70:100] = True  # 17 pixels wide: narrower than a third of 30, not of 20
    regions = np.where(area, np.where(np.arange(150) < 85, 1, 2), 0).astype(np.int32)
    assert not Neck(Regions(regions)).narrow([1], [2], points=(300, 300), typical=50)
