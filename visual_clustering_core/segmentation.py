"""From the density image and the cluster-area mask to a label map of clusters.

Which pixels are cluster area is the mask's call (the network's, or the
no-network threshold's). Which cluster an area pixel belongs to is the point
density's call, the way a person splits a plot:

1. every mode of the smoothed density seeds a basin (a watershed of the
   density over every pixel a point reaches);
2. neighbouring basins merge from the highest pass down (persistence), unless
   the pass is a valley deep relative to the *lower* of the two peaks
   (``PERSISTENCE``) *and* the dip is too deep to be noise for the number of
   points under the smoothing kernel (``SIGNIFICANCE``, in standard deviations
   of their Poisson count). A visible gap is a pass of zero, so separate groups stay apart
   whatever their size; a bump of a few points is noise and merges. Along a
   line thinner than the smoothing kernel the smoothed density counts points
   per length, which dips wherever the line turns steeper while the plot looks
   the same: there only a valley below ``RIDGE_PERSISTENCE`` of the lower peak
   splits;
3. area pixels take their basin's cluster, and a cluster shaped like bands
   that cross is split into its bands (``crossings``); points near an area, in the same
   basin, join it (``grow`` pixels, or ``reach`` times the cluster's radius).
   Pixels no point reaches are never labelled.
"""

import numpy as np
from scipy import ndimage
from skimage.filters import threshold_otsu
from skimage.segmentation import watershed

from .crossings import split_crossings

PERSISTENCE = 0.7
TOP = 0.7
SIGNIFICANCE = 3.0
RIDGE_PERSISTENCE = 0.5
RIDGE_WIDTH = 2.0  # a pass is on a thin line when the density's profile across it is narrower than this many sigma...
RIDGE_FLATNESS = 0.3  # ...and curves along it less than this fraction of across it
REACHED = 1e-3  # a pixel is reached by the points when their density there is this fraction of one point's peak


def density_basins(density, sigma):
    """Basins of the density's modes (R, R) int32, 0 where no point reaches; and the number of basins."""
    reached = density >= REACHED / (2 * np.pi * sigma**2)
    modes = (density >= ndimage.maximum_filter(density, size=3)) & reached
    markers, n = ndimage.label(modes, structure=np.ones((3, 3)))
    if n == 0:
        return np.zeros(density.shape, np.int32), 0
    return watershed(-density, markers, mask=reached).astype(np.int32), n


def _passes(labels, density):
    """For each pair of 4-neighbouring labels > 0: the pair (a < b), its pass (the highest density where they meet)
    and the flat index of the pass's pixel."""
    pixel = np.arange(labels.size).reshape(labels.shape)
    a = np.concatenate([labels[:, :-1].ravel(), labels[:-1, :].ravel()])
    b = np.concatenate([labels[:, 1:].ravel(), labels[1:, :].ravel()])
    boundary = (a != b) & (a > 0) & (b > 0)
    if not boundary.any():
        return np.zeros((0, 2), np.int64), np.zeros(0), np.zeros(0, np.int64)
    d = np.minimum(
        np.concatenate([density[:, :-1].ravel(), density[:-1, :].ravel()]),
        np.concatenate([density[:, 1:].ravel(), density[1:, :].ravel()]),
    )[boundary]
    n = int(labels.max()) + 1
    key = np.minimum(a, b)[boundary].astype(np.int64) * n + np.maximum(a, b)[boundary]
    pairs, inverse = np.unique(key, return_inverse=True)
    order = np.lexsort((d, inverse))
    highest = order[np.r_[np.flatnonzero(np.diff(inverse[order])), len(order) - 1]]
    where = np.concatenate([pixel[:, :-1].ravel(), pixel[:-1, :].ravel()])[boundary][highest]
    return np.c_[pairs // n, pairs % n], d[highest], where


def on_ridge(density, where, sigma):
    """Whether each pixel (flat index) lies on a line thinner than the smoothing kernel: the density's profile
    across it is narrower than ``RIDGE_WIDTH`` sigma (a Gaussian profile of width s has curvature -density / s^2)
    and bends along it less than ``RIDGE_FLATNESS`` times across it (a pass between two blobs bends as much)."""
    d_row, d_col = np.gradient(density.astype(np.float64))
    h_rr, h_rc = np.gradient(d_row)
    h_cr, h_cc = np.gradient(d_col)
    rr, cc, rc = h_rr.ravel()[where], h_cc.ravel()[where], (h_rc.ravel()[where] + h_cr.ravel()[where]) / 2
    spread = np.sqrt(((rr - cc) / 2) ** 2 + rc**2)
    across, along = (rr + cc) / 2 - spread, (rr + cc) / 2 + spread
    narrow = density.ravel()[where] < -across * (RIDGE_WIDTH * sigma) ** 2
    return narrow & (along < -RIDGE_FLATNESS * across)


def merge_basins(basins, n, density, sigma, persistence=PERSISTENCE, significance=SIGNIFICANCE):
    """Cluster id of each basin (array of n + 1, index 0 unused): basins merged by persistence and significance.

    Pairs are visited from the highest pass down, so each decision sees the
    two groups as they stand at the pass's level. A group's height is the
    mean peak of its top basins (those within ``TOP`` of its highest peak,
    weighted by their points), so the noisy beads along a ridge do not make
    it look taller than it is. Two groups stay apart when the pass is below
    ``persistence`` times the lower height and the dip is significant: the
    Poisson counts under the smoothing kernel (density x 4 pi sigma^2) at
    that height and at the pass differ by ``significance`` standard deviations.
    A pass on a thin line (``on_ridge``) must be below ``RIDGE_PERSISTENCE``
    times the lower height instead.
    """
    pairs, passes, where = _passes(basins, density)
    parent = np.arange(n + 1)
    if n == 0 or len(pairs) == 0:
        return parent
    depth = np.where(on_ridge(density, where, sigma), min(RIDGE_PERSISTENCE, persistence), persistence)
    index = np.arange(1, n + 1)
    peak = np.r_[0.0, ndimage.maximum(density, basins, index)]
    mass = np.r_[0.0, ndimage.sum_labels(density, basins, index)]
    members = [[i] for i in range(n + 1)]
    height = peak.copy()
    kernel = 4 * np.pi * sigma**2

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = np.argsort(-passes, kind="stable")
    for (a, b), level, deep in zip(pairs[order], passes[order], depth[order]):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        lower, upper = (ra, rb) if height[ra] <= height[rb] else (rb, ra)
        top = height[lower]
        if level < deep * top and (top - level) * np.sqrt(kernel) >= significance * np.sqrt(top + level):
            continue
        parent[lower] = upper
        members[upper] += members[lower]
        height[upper] = _top_height(peak[members[upper]], mass[members[upper]])
    return np.array([find(i) for i in range(n + 1)])


def _top_height(peaks, masses):
    """Mean of the peaks within TOP of the highest, weighted by their basins' points."""
    top = peaks >= TOP * peaks.max()
    return float(np.average(peaks[top], weights=masses[top] + 1e-12))


def gap_regions(basins, mask, density, sigma):
    """The basins' area pixels cut where the area mask has a gap: one id per (basin, area component), 0 elsewhere.

    Two regions on either side of a gap are never neighbours, so no pass, and
    no merge, joins what a visible gap separates. A component that holds no
    mode of the density, or is smaller than one smoothed point (the kernel's
    area, 2 pi sigma^2) and within 2 sigma of a larger group, is a speck of
    that group's outskirts, not a group: its pixels go with their basin's
    mode, or are no area if that mode is in no group.
    """
    components, n = ndimage.label(mask & (basins > 0))
    if n == 0:
        return np.zeros(basins.shape, np.int32), 0
    m = int(basins.max())
    peaks = ndimage.maximum_position(density, basins, np.arange(1, m + 1))
    home = np.r_[0, [components[p] for p in peaks]]
    group = np.zeros(n + 1, bool)
    group[home] = True
    group[0] = False
    small = np.bincount(components.ravel(), minlength=n + 1) < 2 * np.pi * sigma**2
    if (group & ~small).any():
        distance = ndimage.distance_transform_edt(~(group & ~small)[components])
        near = np.r_[True, ndimage.minimum(distance, components, np.arange(1, n + 1)) <= 2 * sigma]
        group &= ~(small & near)
    home = np.where(group[home], home, 0)
    speck = (components > 0) & ~group[components]
    components[speck] = home[basins[speck]]
    inside = components > 0
    basin, component = basins[inside].astype(np.int64), components[inside]
    unique, ids = np.unique(basin * (n + 1) + component, return_inverse=True)
    regions = np.zeros(basins.shape, np.int32)
    regions[inside] = ids.ravel() + 1
    return regions, len(unique)


def split_by_density(density, sigma, mask, persistence=PERSISTENCE, significance=SIGNIFICANCE):
    """The density's basins, their area regions (``gap_regions``) and the cluster of each region (``merge_basins``)."""
    basins, _ = density_basins(density, sigma)
    regions, n = gap_regions(basins, mask, density, sigma)
    return basins, regions, merge_basins(regions, n, density, sigma, persistence, significance)


def label_map(basins, regions, clusters, counts, grow, reach, min_cluster_size):
    """The label map points read (0..k-1 from the largest cluster, -1 for none) and the clusters' sizes.

    Area pixels take their region's cluster; a cluster shaped like crossing
    bands is split into its bands (``split_crossings``); clusters of fewer than
    ``min_cluster_size`` points are dropped, so their points may join a near
    cluster; then the clusters grow (``grow_labels``) and are ranked by size.
    """
    areas = _drop_small(split_crossings(cluster_areas(regions, clusters)), counts, min_cluster_size)
    return _rank_clusters(grow_labels(areas, grow, reach, basins), counts)


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


def _rank_clusters(areas, counts):
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


def grow_labels(labels, distance, reach=0.0, basins=None):
    """Give background pixels near an area that area's label.

    A pixel joins its nearest area when it lies within ``distance`` pixels of
    it, or within ``reach`` times the area's radius (the radius of a disc of
    the same size), so the sparse outskirts of a large cluster stay with it.
    With ``basins``, a pixel joins only a cluster with area in its own basin
    (any cluster if its basin holds no area), and pixels in no basin (no point
    near) stay 0.
    """
    if labels.max() == 0 or (distance <= 0 and reach <= 0):
        return labels
    background = labels == 0
    depth, (rows, cols) = ndimage.distance_transform_edt(background, return_indices=True)
    grown = labels[rows, cols]
    radius = np.maximum(distance, reach * np.sqrt(np.bincount(labels.ravel()) / np.pi))
    keep = ~background | (depth <= radius[grown])
    if basins is not None:
        keep &= ~background | _holds(basins, labels, grown)
    return np.where(keep, grown, 0).astype(np.int32)


def _holds(basins, labels, candidate):
    """Whether each pixel's basin holds area of its candidate label, or holds no area at all."""
    n = int(labels.max()) + 1
    held = np.unique(basins[labels > 0].astype(np.int64) * n + labels[labels > 0])
    holds_area = np.zeros(int(basins.max()) + 1, bool)
    holds_area[held // n] = True
    own = np.isin(basins.astype(np.int64) * n + candidate, held)
    return (basins > 0) & (own | ~holds_area[basins])


def threshold_mask(image, sigma=2.0):
    """The no-network area mask: blurred log-density above its Otsu threshold."""
    blurred = ndimage.gaussian_filter(image[1], sigma)
    if blurred.max() <= 0:
        return np.zeros(blurred.shape, bool)
    return blurred > threshold_otsu(blurred)
