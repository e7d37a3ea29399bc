"""From the network's probability maps to a label map of cluster areas.

Cluster areas are where the area probability passes the threshold. Connected
components of the predicted cores seed a watershed over the area probability,
which splits touching clusters along their weakest line; areas without a
substantial core become clusters of their own. Every area pixel gets a label (no watershed lines),
and pixels within ``grow`` pixels of an area take the nearest one's label.
"""

import numpy as np
from scipy import ndimage
from skimage.filters import threshold_otsu
from skimage.segmentation import watershed

from .groups import union_roots

MIN_SEED = 0.02
MIN_SEED_PIXELS = 8
MERGE_LEVEL = 0.8


def label_areas(area_prob, core_prob=None, threshold=0.5, seed_threshold=0.5, min_seed=MIN_SEED, merge_level=MERGE_LEVEL):
    """Label map (R, R) int32: 0 for background, 1..k for cluster areas.

    A connected area is split only between seeds (connected pixels with core
    probability >= ``seed_threshold``) of at least ``min_seed`` of its pixels and
    at least MIN_SEED_PIXELS; smaller specks of core do not split anything.
    Regions the watershed splits are merged again unless a valley of the area
    probability separates them (see ``merge_without_valley``).
    """
    mask = area_prob >= threshold
    components, n_components = ndimage.label(mask)
    if core_prob is None or n_components == 0:
        return components.astype(np.int32)
    seeds, n_seeds = ndimage.label((core_prob >= seed_threshold) & mask)
    if n_seeds:
        seed_sizes = np.bincount(seeds.ravel())
        component_sizes = np.bincount(components.ravel())
        home = ndimage.maximum(components, seeds, index=np.arange(n_seeds + 1)).astype(int)
        large = (seed_sizes >= MIN_SEED_PIXELS) & (seed_sizes >= min_seed * component_sizes[home])
        large[0] = False
        seeds = np.where(large[seeds], seeds, 0)
    seeded = np.zeros(n_components + 1, bool)
    seeded[components[seeds > 0]] = True
    unseeded = mask & ~seeded[components]
    markers = np.where(unseeded, components + n_seeds, seeds)
    labels = watershed(-area_prob, markers, mask=mask)
    labels = merge_without_valley(labels, area_prob, merge_level)
    _, labels = np.unique(labels, return_inverse=True)  # consecutive 0..k
    return labels.reshape(mask.shape).astype(np.int32)


def merge_without_valley(labels, area_prob, level):
    """Merge neighbouring regions whose shared boundary has a mean area probability >= ``level``.

    Touching clusters meet in a valley of the area probability (the network
    learnt a gap between them); fragments of one cluster, split by scattered
    core specks, meet where the probability stays high.
    """
    if level is None or level > 1:
        return labels
    a = np.concatenate([labels[:, :-1].ravel(), labels[:-1, :].ravel()])
    b = np.concatenate([labels[:, 1:].ravel(), labels[1:, :].ravel()])
    p = np.minimum(
        np.concatenate([area_prob[:, :-1].ravel(), area_prob[:-1, :].ravel()]),
        np.concatenate([area_prob[:, 1:].ravel(), area_prob[1:, :].ravel()]),
    )
    boundary = (a != b) & (a > 0) & (b > 0)
    if not boundary.any():
        return labels
    n = int(labels.max()) + 1
    key = np.minimum(a, b)[boundary].astype(np.int64) * n + np.maximum(a, b)[boundary]
    pairs, inverse = np.unique(key, return_inverse=True)
    mean = np.bincount(inverse, weights=p[boundary]) / np.bincount(inverse)
    merge = pairs[mean >= level]
    return union_roots(n, zip(merge // n, merge % n))[labels]


def grow_labels(labels, distance):
    """Give background pixels within ``distance`` pixels of an area that area's label."""
    if distance <= 0 or labels.max() == 0:
        return labels
    background = labels == 0
    depth, (rows, cols) = ndimage.distance_transform_edt(background, return_indices=True)
    grown = labels[rows, cols]
    return np.where(background & (depth > distance), 0, grown).astype(np.int32)


def threshold_areas(image, sigma=2.0):
    """The no-network baseline: blurred log-density, Otsu threshold, connected components."""
    blurred = ndimage.gaussian_filter(image[1], sigma)
    if blurred.max() <= 0:
        return np.zeros(blurred.shape, np.int32)
    mask = blurred > threshold_otsu(blurred)
    return ndimage.label(mask)[0].astype(np.int32)
