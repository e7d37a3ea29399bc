import numpy as np
import pytest
from scipy import ndimage

from visual_clustering_core.distances import edt


@pytest.mark.parametrize("shape", [(8, 8), (17, 300), (256, 256), (333, 100), (1024, 1024)])
@pytest.mark.parametrize("share", [1e-5, 1e-3, 0.1, 0.9])
def test_distances_are_scipys_to_the_bit(shape, share):
    """Sparse seeds give distances of hundreds of pixels; dense ones, many ties."""
    seeds = np.random.default_rng(shape[0] + int(1e5 * share)).random(shape) < share
    seeds.flat[0] = True  # one background pixel at least
    mask = ~ndimage.binary_dilation(seeds, iterations=2)
    got = edt(mask)
    assert got.dtype == np.float64
    assert np.array_equal(got, ndimage.distance_transform_edt(mask))


def test_a_mask_without_background_reads_as_scipy_reads_it():
    mask = np.ones((5, 7), bool)
    assert np.array_equal(edt(mask), ndimage.distance_transform_edt(mask))


def test_a_view_of_a_larger_mask_is_read_where_it_lies():
    mask = np.random.default_rng(0).random((64, 64)) < 0.8
    view = mask[5:50:2, 3:60]
    assert np.array_equal(edt(view), ndimage.distance_transform_edt(view))
