import numpy as np

from visual_clustering_core.segmentation import grow_labels, label_areas, threshold_areas


def _disc(shape, center, radius):
    rows, cols = np.ogrid[: shape[0], : shape[1]]
    return (rows - center[0]) ** 2 + (cols - center[1]) ** 2 <= radius**2


def test_touching_areas_are_split_by_their_cores_without_lines():
    shape = (64, 64)
    area = (_disc(shape, (32, 20), 12) | _disc(shape, (32, 42), 12)).astype(np.float32)
    core = (_disc(shape, (32, 20), 5) | _disc(shape, (32, 42), 5)).astype(np.float32)
    labels = label_areas(area, core)
    assert labels.max() == 2
    assert labels[32, 20] != labels[32, 42]
    assert np.all(labels[area > 0.5] > 0), "every area pixel is labelled: no watershed lines"
    assert np.all(labels[area <= 0.5] == 0)


def test_an_area_without_a_core_is_a_cluster_of_its_own():
    shape = (64, 64)
    area = (_disc(shape, (16, 16), 6) | _disc(shape, (48, 48), 6)).astype(np.float32)
    core = _disc(shape, (16, 16), 2).astype(np.float32)
    assert label_areas(area, core).max() == 2


def test_connected_components_without_cores():
    shape = (32, 32)
    area = (_disc(shape, (8, 8), 4) | _disc(shape, (24, 24), 4)).astype(np.float32)
    assert label_areas(area, None).max() == 2
    assert label_areas(np.zeros(shape, np.float32), np.zeros(shape, np.float32)).max() == 0


def test_grow_gives_nearby_pixels_the_nearest_label():
    labels = np.zeros((20, 20), np.int32)
    labels[5, 5] = 1
    labels[5, 15] = 2
    grown = grow_labels(labels, 2)
    assert grown[5, 7] == 1 and grown[5, 13] == 2
    assert grown[5, 10] == 0 and grown[15, 15] == 0
    assert np.array_equal(grow_labels(labels, 0), labels)


def test_threshold_baseline_finds_dense_blobs():
    image = np.zeros((2, 64, 64), np.float32)
    image[1][_disc((64, 64), (16, 16), 6)] = 1.0
    image[1][_disc((64, 64), (48, 40), 6)] = 0.8
    image[0] = image[1] > 0
    assert threshold_areas(image).max() == 2
    assert threshold_areas(np.zeros((2, 16, 16), np.float32)).max() == 0


def test_fragments_without_a_density_valley_merge_but_touching_clusters_stay_apart():
    shape = (64, 64)
    ring = _disc(shape, (32, 32), 20) & ~_disc(shape, (32, 32), 12)
    core = np.zeros(shape, np.float32)
    core[10:16, 30:35] = 1  # two specks of core on one ring of even density
    core[48:54, 30:35] = 1
    assert label_areas(ring.astype(np.float32), core).max() == 2, "without a density, no merging"
    assert label_areas(ring.astype(np.float32), core, ring.astype(np.float32)).max() == 1
    # Two discs whose density dips where they touch: still two clusters.
    area = (_disc(shape, (32, 18), 13) | _disc(shape, (32, 44), 13)).astype(np.float32)
    discs_core = (_disc(shape, (32, 18), 5) | _disc(shape, (32, 44), 5)).astype(np.float32)
    density = np.exp(-np.minimum((np.arange(64) - 18) ** 2, (np.arange(64) - 44) ** 2) / 50.0)[None, :] * area
    assert label_areas(area, discs_core, density).max() == 2
    # A dense cluster lying on a sparse one stands out above the pass: still two.
    assert label_areas(area, discs_core, np.where(np.arange(64) < 31, 1.0, 0.2)[None, :] * area).max() == 2


def test_reach_keeps_a_large_clusters_outskirts():
    labels = np.zeros((64, 64), np.int32)
    labels[_disc((64, 64), (32, 32), 12)] = 1
    labels[2, 2] = 2
    grown = grow_labels(labels, 2, reach=0.5)
    assert grown[32, 49] == 1, "5 pixels out, within half the radius (12)"
    assert grown[32, 52] == 0
    assert grown[2, 5] == 0, "a one-pixel area reaches only grow"
    assert grow_labels(labels, 0, reach=0).max() == 2


def test_an_area_covering_the_whole_image_keeps_every_cluster():
    area = np.ones((32, 32), np.float32)
    core = np.zeros((32, 32), np.float32)
    core[2:8, 2:8] = 1
    core[20:30, 20:30] = 1
    labels = label_areas(area, core)
    assert set(np.unique(labels)) == {1, 2}, "no cluster is renumbered into the background"
