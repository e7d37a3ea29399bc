"""From the network's probability maps to a label map of cluster areas.

Cluster areas are where the area probability passes the threshold. Connected
components of the predicted cores seed a watershed over the area probability,
which splits touching clusters along their weakest line; areas without a
substantial core become clusters of their own. Regions the watershed split are
merged again where the point density shows no valley between them. Every area
pixel gets a label (no watershed lines), and pixels near an area (within ``grow``
pixels, or ``reach`` times its radius) take the nearest one's label.
"""

import numpy as np
from scipy import ndimage
from skimage.filters import threshold_otsu
from skimage.segmentation import watershed

from .groups import union_roots

SEED_THRESHOLD = 0.6
MIN_SEED_PIXELS = 16
VALLEY = 0.4


def label_areas(
    area_prob, core_prob=None, density=None, threshold=0.5,
    seed_threshold=SEED_THRESHOLD, min_seed_pixels=MIN_SEED_PIXELS, valley=VALLEY,
):
    """Label map (R, R) int32: 0 for background, 1..k for cluster areas.

    A connected area is split only between seeds: connected pixels with core
    probability >= ``seed_threshold``, at least ``min_seed_pixels`` of them.
    With a ``density`` image, regions the watershed split are merged again
    unless a valley of the density separates them (see ``merge_without_valley``).
    """
    mask = area_prob >= threshold
    components, n_components = ndimage.label(mask)
    if core_prob is None or n_components == 0:
        return components.astype(np.int32)
    seeds, n_seeds = ndimage.label((core_prob >= seed_threshold) & mask)
    large = np.bincount(seeds.ravel()) >= min_seed_pixels
    large[0] = False
    seeds = np.where(large[seeds], seeds, 0)
    seeded = np.zeros(n_components + 1, bool)
    seeded[components[seeds > 0]] = True
    unseeded = mask & ~seeded[components]
    markers = np.where(unseeded, components + n_seeds, seeds)
    labels = watershed(-area_prob, markers, mask=mask)
    if density is not None:
        labels = merge_without_valley(labels, density, valley)
    return _consecutive(labels)


def _consecutive(labels):
    """Labels renumbered 1..k in order, background 0 kept (even where no pixel is background)."""
    present = np.bincount(labels.ravel()) > 0
    present[0] = False
    return np.cumsum(present).astype(np.int32)[labels]


def merge_without_valley(labels, density, valley):
    """Merge neighbouring regions that meet at ``valley`` or more of the denser one's typical density.

    Where two regions meet, their pass is the highest density along the shared
    boundary; a region's typical density is its root-mean-square density.
    Fragments of one cluster, split by scattered core specks, meet at about
    their own density; distinct clusters meet in a valley, and a dense cluster
    lying on a sparse one stands out above the pass.
    """
    a = np.concatenate([labels[:, :-1].ravel(), labels[:-1, :].ravel()])
    b = np.concatenate([labels[:, 1:].ravel(), labels[1:, :].ravel()])
    boundary = (a != b) & (a > 0) & (b > 0)
    if not boundary.any():
        return labels
    d = np.minimum(
        np.concatenate([density[:, :-1].ravel(), density[:-1, :].ravel()]),
        np.concatenate([density[:, 1:].ravel(), density[1:, :].ravel()]),
    )[boundary]
    n = int(labels.max()) + 1
    key = np.minimum(a, b)[boundary].astype(np.int64) * n + np.maximum(a, b)[boundary]
    pairs, inverse = np.unique(key, return_inverse=True)
    passes = np.zeros(len(pairs))
    np.maximum.at(passes, inverse, d)
    pixels = np.maximum(np.bincount(labels.ravel(), minlength=n), 1)
    typical = np.sqrt(np.bincount(labels.ravel(), weights=density.ravel().astype(np.float64) ** 2, minlength=n) / pixels)
    merge = pairs[passes >= valley * np.maximum(typical[pairs // n], typical[pairs % n])]
    return union_roots(n, zip(merge // n, merge % n))[labels]


def grow_labels(labels, distance, reach=0.0):
    """Give background pixels near an area that area's label.

    A pixel joins its nearest area when it lies within ``distance`` pixels of
    it, or within ``reach`` times the area's radius (the radius of a disc of
    the same size): the sparse outskirts of a large cluster stay with it.
    """
    if labels.max() == 0 or (distance <= 0 and reach <= 0):
        return labels
    background = labels == 0
    depth, (rows, cols) = ndimage.distance_transform_edt(background, return_indices=True)
    grown = labels[rows, cols]
    radius = np.maximum(distance, reach * np.sqrt(np.bincount(labels.ravel()) / np.pi))
    return np.where(background & (depth > radius[grown]), 0, grown).astype(np.int32)


def threshold_areas(image, sigma=2.0):
    """The no-network baseline: blurred log-density, Otsu threshold, connected components."""
    blurred = ndimage.gaussian_filter(image[1], sigma)
    if blurred.max() <= 0:
        return np.zeros(blurred.shape, np.int32)
    mask = blurred > threshold_otsu(blurred)
    return ndimage.label(mask)[0].astype(np.int32)
