"""From the merged regions to the label map the points read.

Area pixels take their region's cluster, a connected area shaped like lines
that cross is split into its lines (``crossings``), line pieces that
continue into each other across a stretch where their points thin out by
chance are one line (``continuation``), and a blob a line runs into or
through is a cluster of its own (``knots``); points near an area, in the same
basin, join it (``grow`` pixels, or ``reach`` times the cluster's radius),
and scattered points left over join the nearest area (``strays``); the
points left whose group a visible gap parts from every other point are a
cluster of their own (``lone_groups``). Pixels no point reaches are never
labelled.
"""

import numpy as np
from scipy.spatial import cKDTree

from .background import drop_background
from .blob_boundaries import refine_blob_boundaries
from .continuation import join_continued_lines
from .crossings import split_crossings
from .knots import split_knots
from .lone_groups import lone_groups
from .raster import nearest_area
from .side_by_side import split_side_by_side


def label_map(basins, areas, counts, grow, reach, min_cluster_size, strays, sigma, whole=True, seen=None):
    """The label map points read (0..k-1 from the largest cluster, -1 for none) and the clusters' sizes.

    Cluster areas (``final_areas``) of fewer than ``min_cluster_size`` points
    are dropped, so their points may join a near cluster; then the clusters
    grow (``grow_labels``), the stray points left join them (``join_strays``),
    groups of the rest a visible gap parts from every other point are clusters
    of their own (``lone_groups``: sparse groups the area map missed; of the
    dots ``seen``, the counts the areas were drawn from, copies of a point one
    dot and points a ``denoise`` filtered out none),
    patches of a background scatter are dropped, and points amid it where the
    areas hold their clusters ``whole`` (``drop_background``; ``sigma`` the
    density's kernel), and the clusters are ranked by size.
    """
    areas = _drop_small(areas, counts, min_cluster_size)
    nearest = nearest_area(areas)
    grown = join_strays(grow_labels(areas, grow, reach, basins, nearest), counts, strays, nearest)
    grown = lone_groups(grown, counts if seen is None else seen, min_cluster_size)
    return rank_clusters(drop_background(grown, counts, sigma, whole), counts)


def final_areas(regions, clusters, counts, density, sigma):
    """Area pixels labelled by their region's cluster, the boundaries between touching blobs moved to where their
    Gaussian fits meet (``refine_blob_boundaries``), a connected area shaped like crossing lines split into its
    lines (``split_crossings``), clusters holding lines side by side parted between them (``split_side_by_side``),
    line pieces that continue into each other across a thin stretch joined
    (``join_continued_lines``; ``density`` is the counts smoothed at ``sigma``), and blobs on a line parted from it
    (``split_knots``)."""
    areas, parted = split_crossings(refine_blob_boundaries(cluster_areas(regions, clusters), counts, density), counts)
    areas, parted = split_side_by_side(areas, counts, sigma, parted)
    return split_knots(join_continued_lines(areas, counts, sigma, parted), counts)


def _area_sizes(areas, counts):
    """Points in each area (index 0, the background, counts as 0)."""
    sizes = np.bincount(areas.ravel(), weights=counts.ravel()).astype(np.int64)
    sizes[0] = 0
    return sizes


def _drop_small(areas, counts, min_cluster_size):
    """Areas holding fewer than ``min_cluster_size`` points turned into background."""
    small = _area_sizes(areas, counts) < min_cluster_size
    small[0] = False
    return np.where(small[areas], 0, areas)


def rank_clusters(areas, counts):
    """Label map with the areas holding points renumbered 0..k-1 by decreasing size, the rest -1; and the sizes."""
    sizes = _area_sizes(areas, counts)
    order = np.argsort(-sizes, kind="stable")
    order = order[sizes[order] > 0]
    lut = np.full(len(sizes), -1, dtype=np.int32)
    lut[order] = np.arange(len(order), dtype=np.int32)
    return lut[areas], sizes[order]


def cluster_areas(regions, clusters):
    """Label map (R, R) int32: 0 for background, else the cluster id of the area pixel's region."""
    return np.where(regions > 0, clusters[regions], 0).astype(np.int32)


def grow_labels(labels, distance, reach=0.0, basins=None, nearest=None):
    """Give background pixels near an area that area's label.

    A pixel joins its nearest area when it lies within ``distance`` pixels of
    it, or within ``reach`` times the area's radius (the radius of a disc of
    the same size), so the sparse outskirts of a large cluster stay with it.
    With ``basins``, a pixel joins only a cluster with area in its own basin
    (any cluster if its basin holds no area), and pixels in no basin (no point
    near) stay 0. ``nearest``: ``nearest_area(labels)``, if already made.
    """
    if labels.max() == 0 or (distance <= 0 and reach <= 0):
        return labels
    background = labels == 0
    depth, grown = nearest_area(labels) if nearest is None else nearest
    radius = np.maximum(distance, reach * np.sqrt(np.bincount(labels.ravel()) / np.pi))
    keep = ~background | (depth <= radius[grown])
    if basins is not None:
        keep &= ~background | _holds(basins, labels, grown)
    return np.where(keep, grown, 0).astype(np.int32)


def join_strays(grown, counts, factor, nearest):
    """Occupied pixels outside every grown cluster join the nearest area (``nearest_area`` of the areas) when it lies
    within ``factor`` times the median distance from such a stray pixel to the next: the scattered stragglers of a
    heavy-tailed cluster join it, while stray points lying close together (background noise, a small far group)
    stay noise."""
    stray = (grown == 0) & (counts > 0)
    if factor <= 0 or np.count_nonzero(stray) < 2 or nearest[1].max() == 0:
        return grown
    where = np.argwhere(stray)
    spacing = np.median(cKDTree(where).query(where, k=2)[0][:, 1])
    depth, area = nearest
    return np.where(stray & (depth <= factor * spacing), area, grown).astype(np.int32)


def _holds(basins, labels, candidate):
    """Whether each pixel's basin holds area of its candidate label, or holds no area at all."""
    n = int(labels.max()) + 1
    held = np.unique(basins[labels > 0].astype(np.int64) * n + labels[labels > 0])
    holds_area = np.zeros(int(basins.max()) + 1, bool)
    holds_area[held // n] = True
    own = np.isin(basins.astype(np.int64) * n + candidate, held)
    return (basins > 0) & (own | ~holds_area[basins])
