"""Clusters that are patches of a background scatter: hardly denser than the points around them and the groups.

Where uniform noise lies around real groups, the area map marks some of its
patches, and each would be a cluster a person never sees: its points are
hardly denser than the scatter. A grown cluster stands out when the density
its points sit in (each point's own share left out, taken ``SURE`` Poisson
standard deviations of its points low: the area map picked the patch for
its points, and a small one is the densest of many) is at least ``STANDOUT``
times that of the points outside every cluster in the ring ``RING`` sigma
around it. One that does not is background, its points noise, when it does
not stand out either from the scatter around the clusters that do (the
median of their rings' densities): a cluster's own outskirts, which the area
missed, lie around it alone, a background scatter around the real groups
too. A scatter alone (no structure) is the one group a person sees.
"""

import numpy as np
from scipy import ndimage

from .raster import unstacked

STANDOUT = 3.0  # a cluster stands out when its points sit in at least this many times the scatter's density
RING = (2.0, 6.0)  # the scatter around a cluster: points outside every cluster this many sigma from it
SURE = 2.0  # a cluster's density is taken this many Poisson standard deviations of its points low


def drop_background(clusters, counts, sigma):
    """The grown label map (0: none, ids > 0) with the patches of a background scatter turned into 0; ``counts`` the
    points per pixel (copies of a point counted as one dot: ``raster.unstacked``), ``sigma`` the density's kernel."""
    counts = unstacked(counts)  # a stack of copies of a point is one dot, as a person sees it
    outside = np.where(clusters == 0, counts, 0)
    if clusters.max() < 2 or not outside.any():
        return clusters
    typical, around = _typical_density(clusters, counts, sigma), _scatter_around(clusters, outside, sigma)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = typical / around
        standing = ratio >= STANDOUT
        if not standing.any():
            return clusters
        background = (ratio < STANDOUT) & (typical < STANDOUT * np.median(around[standing]))
    return np.where(background[clusters], 0, clusters).astype(clusters.dtype)


def _scatter_around(clusters, outside, sigma):
    """The density (points per pixel) of the points outside every cluster (``outside``) in each id's ring; 0 where
    none lies near it."""
    pad = int(np.ceil(RING[1] * sigma)) + 1
    scatter = np.zeros(int(clusters.max()) + 1)
    for i, box in enumerate(ndimage.find_objects(clusters), 1):
        if box is None:
            continue
        crop = tuple(slice(max(s.start - pad, 0), s.stop + pad) for s in box)
        if not outside[crop].any():
            continue
        distance = ndimage.distance_transform_edt(clusters[crop] != i)
        ring = (distance > RING[0] * sigma) & (distance <= RING[1] * sigma) & (clusters[crop] == 0)
        scatter[i] = outside[crop][ring].sum() / max(np.count_nonzero(ring), 1)
    return scatter


def _typical_density(clusters, counts, sigma):
    """The mean density at each id's points (points per pixel, the counts smoothed at ``sigma``), each point's own
    share left out, taken ``SURE`` standard deviations of its points low; nan for ids with no point (the background,
    0, included)."""
    counts = counts.astype(np.float64)
    at_points = (ndimage.gaussian_filter(counts, sigma, mode="constant") - _kernel_peak(sigma)) * counts
    n = int(clusters.max()) + 1
    points = np.bincount(clusters.ravel(), weights=counts.ravel(), minlength=n)
    typical = np.bincount(clusters.ravel(), weights=at_points.ravel(), minlength=n) / np.where(points > 0, points, np.nan)
    typical[0] = np.nan
    return typical * np.maximum(1 - SURE / np.sqrt(np.maximum(points, 1)), 0)


def _kernel_peak(sigma):
    """The weight a point gives its own pixel under scipy's Gaussian filter of ``sigma``."""
    impulse = np.zeros((2 * int(4 * sigma + 0.5) + 1,) * 2)
    impulse[impulse.shape[0] // 2, impulse.shape[1] // 2] = 1.0
    return ndimage.gaussian_filter(impulse, sigma, mode="constant").max()
