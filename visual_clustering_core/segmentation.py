"""From the network's probability maps to a label map of cluster areas.

Cluster areas are where the area probability passes the threshold. Connected
components of the predicted cores seed a watershed over the area probability,
which splits touching clusters along their weakest line; areas without a core
become clusters of their own. Every area pixel gets a label (no watershed lines),
and pixels within ``grow`` pixels of an area take the nearest one's label.
"""

import numpy as np
from scipy import ndimage
from skimage.filters import threshold_otsu
from skimage.segmentation import watershed


def label_areas(area_prob, core_prob=None, threshold=0.5):
    """Label map (R, R) int32: 0 for background, 1..k for cluster areas."""
    mask = area_prob >= threshold
    components, n_components = ndimage.label(mask)
    if core_prob is None or n_components == 0:
        return components.astype(np.int32)
    seeds, n_seeds = ndimage.label((core_prob >= 0.5) & mask)
    seeded = np.zeros(n_components + 1, bool)
    seeded[components[seeds > 0]] = True
    unseeded = mask & ~seeded[components]
    markers = np.where(unseeded, components + n_seeds, seeds)
    labels = watershed(-area_prob, markers, mask=mask)
    _, labels = np.unique(labels, return_inverse=True)  # consecutive 0..k
    return labels.reshape(mask.shape).astype(np.int32)


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
