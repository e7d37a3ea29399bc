import numpy as np
import pytest
from scipy.spatial import cKDTree

from visual_clustering_core.raster import (
    GridTransform,
    density_image,
    finite_bounds,
    occupied_hull,
    pixel_counts,
    point_spacing,
    pooled_counts,
    stretched,
)


def _pixels(X, resolution=256, keep_aspect=True):
    lo, hi, _ = finite_bounds(X)
    return GridTransform.from_bounds(lo, hi, resolution, keep_aspect).pixel_indices(X)


def test_aspect_ratio_is_kept():
    X = np.array([[0.0, 0.0], [10.0, 1.0]])
    rows, cols = np.divmod(_pixels(X), 256)
    assert cols[1] - cols[0] > 200
    assert rows[1] - rows[0] < 30  # 1/10 of the width, not stretched to fill the grid


def test_stretching_is_available():
    X = np.array([[0.0, 0.0], [10.0, 1.0]])
    rows, cols = np.divmod(_pixels(X, keep_aspect=False), 256)
    assert rows[1] - rows[0] == cols[1] - cols[0]


def test_extreme_points_land_inside_the_grid():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    pixels = _pixels(X, 64)
    assert pixels.min() >= 0 and pixels.max() < 64 * 64


def test_constant_column_and_identical_points_are_centred():
    for X in (np.c_[np.arange(10.0), np.full(10, 3.0)], np.full((10, 2), 7.0)):
        rows, cols = np.divmod(_pixels(X), 256)
        assert np.all(rows == 128)
        assert np.all((cols >= 0) & (cols < 256))


def test_huge_offsets_keep_their_resolution():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 2))
    assert np.array_equal(_pixels(X + 1e9), _pixels(X))


def test_non_finite_rows_are_off_the_grid():
    X = np.array([[0.0, 0.0], [np.nan, 1.0], [1.0, np.inf], [1.0, 1.0]])
    lo, hi, finite = finite_bounds(X)
    assert finite.tolist() == [True, False, False, True]
    assert lo.tolist() == [0, 0] and hi.tolist() == [1, 1]
    pixels = GridTransform.from_bounds(lo, hi, 32).pixel_indices(X)
    assert pixels[1] == -1 and pixels[2] == -1 and pixels[0] >= 0 and pixels[3] >= 0


def test_bounds_and_pixels_of_many_rows_with_a_bad_row_far_in():
    X = np.random.default_rng(2).normal(size=(100_000, 2))
    X[70_000] = [np.nan, 50.0]  # in a later block of the bounds' pass; its 50 must not count
    lo, hi, finite = finite_bounds(X)
    good = np.delete(X, 70_000, axis=0)
    assert np.array_equal(lo, good.min(0)) and np.array_equal(hi, good.max(0)) and not finite[70_000]
    transform = GridTransform.from_bounds(lo, hi, 64)
    pixels = transform.pixel_indices(X)
    assert pixels[70_000] == -1 and (np.delete(pixels, 70_000) >= 0).all()
    outside = np.array([[lo[0] - 1e-3 * (hi[0] - lo[0]) - 10, 0.0], [0.0, hi[1] + 10], [0.0, 0.0]])
    assert transform.pixel_indices(outside).tolist()[:2] == [-1, -1] and transform.pixel_indices(outside)[2] >= 0


@pytest.mark.parametrize("density", [0.002, 0.05, 0.6])
def test_point_spacing_is_the_median_nearest_neighbour_distance(density):
    occupied = np.random.default_rng(3).random((256, 256)) < density
    points = np.argwhere(occupied)
    query = points[np.random.default_rng(0).choice(len(points), 2000, replace=False)] if len(points) > 2000 else points
    assert point_spacing(occupied) == np.median(cKDTree(points).query(query, k=2)[0][:, 1])


def test_counts_and_density_image():
    pixels = np.array([0, 0, 0, 5, -1], dtype=np.int32)
    counts = pixel_counts(pixels, 4)
    assert counts.sum() == 4 and counts.flat[0] == 3 and counts.flat[5] == 1
    image = density_image(counts)
    assert image.shape == (2, 4, 4) and image.dtype == np.float32
    assert image[0].sum() == 2 and image[1].max() == 1.0 and 0 < image[1].flat[5] < 1


def test_pixel_indices_do_not_modify_the_input():
    X = np.random.default_rng(1).normal(size=(100, 2))
    before = X.copy()
    _pixels(X)
    assert np.array_equal(X, before)


@pytest.mark.parametrize("side", [512, 400, 256])
def test_counts_pooled_to_the_networks_grid_and_its_output_stretched_back_line_up(side):
    rng = np.random.default_rng(0)
    counts = rng.poisson(0.3, (side, side))
    coarse = pooled_counts(counts, 256)
    assert coarse.shape == (256, 256) and coarse.sum() == counts.sum()
    back = stretched(coarse[None].astype(float), side)[0]
    assert back.shape == (side, side)
    row, col = 7 * side // 256, 200 * side // 256  # a fine pixel reads the coarse pixel it was summed into
    assert back[row, col] == coarse[7, 200]


def test_the_occupied_hull_is_the_convex_hull_of_the_occupied_pixels():
    from skimage.morphology import convex_hull_image

    rng = np.random.default_rng(0)
    for _ in range(50):
        occupied = np.zeros((40, 56), bool)
        occupied[rng.integers(0, 40, 12), rng.integers(0, 56, 12)] = True
        hull = occupied_hull(occupied)
        assert hull[occupied].all()
        assert (hull != convex_hull_image(occupied, offset_coordinates=False)).sum() <= 2  # pixel centres on an edge
    line = np.zeros((20, 20), bool)
    line[5, 3:15] = True
    assert np.array_equal(occupied_hull(line), line), "points on one line: the line"
    assert not occupied_hull(np.zeros((8, 8), bool)).any()
