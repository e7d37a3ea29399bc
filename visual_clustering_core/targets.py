"""Training targets: the cluster areas a person would draw around labelled points.

Each cluster's area is a level set of its own density, smoothed at the scale of
its point spacing: like an alpha shape it follows moons and rings instead of
filling them as a convex hull would, and unlike occupancy it does not grow with
the number of points. Small holes are filled and stray fragments dropped.
Clusters whose dense cores overlap by 30% or more of the smaller core are merged
(the paper's rule, applied to cores so that chains of touching blobs do not
merge); elsewhere each pixel goes to the cluster with the highest density, and a
gap is kept between neighbours so they stay apart. The core of each final area
(its pixels at least 40% of the area's maximum depth from the edge) is the
second target: it seeds the watershed that splits touching clusters.
"""

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

MERGE_OVERLAP = 0.3
LEVEL = 0.05
CORE_LEVEL = 0.3
FRAGMENT = 0.03
CORE_DEPTH = 0.4


def _spacing(rows, cols, rng):
    """Median distance, in pixels, from an occupied pixel to its nearest occupied neighbour."""
    if len(rows) < 2:
        return 1.0
    points = np.c_[rows, cols]
    query = points if len(points) <= 2000 else points[rng.choice(len(points), 2000, replace=False)]
    distances, _ = cKDTree(points).query(query, k=2)
    return float(np.median(distances[:, 1]))


def cluster_density(counts, rng):
    """One cluster's smoothed density and its area (the level set a person would draw around it).

    The counts are smoothed with a Gaussian as wide as the cluster's point
    spacing; the area is where that density is above LEVEL of its peak. Sparse
    clusters get a hull-like outline; dense ones stop where their density fades,
    instead of filling every pixel a stray point reached.
    """
    density = np.zeros(counts.shape, np.float32)
    rows, cols = np.nonzero(counts)
    if len(rows) == 0:
        return density, density > 0
    sigma = float(np.clip(_spacing(rows, cols, rng), 1.0, 10.0))
    pad = int(3 * sigma) + 2
    r0, r1 = max(rows.min() - pad, 0), min(rows.max() + pad + 1, counts.shape[0])
    c0, c1 = max(cols.min() - pad, 0), min(cols.max() + pad + 1, counts.shape[1])
    crop = counts[r0:r1, c0:c1].astype(np.float32)
    smooth = ndimage.gaussian_filter(crop, sigma, mode="constant")
    area = smooth >= LEVEL * smooth.max()
    holes, n_holes = ndimage.label(ndimage.binary_fill_holes(area) & ~area)
    if n_holes:
        hole_sizes = np.bincount(holes.ravel())
        area |= (hole_sizes <= 4 * np.pi * (2 * sigma) ** 2)[holes] & (holes > 0)
    parts, n_parts = ndimage.label(area)
    if n_parts > 1:
        mass = ndimage.sum_labels(crop, parts, index=np.arange(1, n_parts + 1))
        area = np.isin(parts, 1 + np.flatnonzero(mass >= FRAGMENT * mass.sum()))
    density[r0:r1, c0:c1] = smooth
    full_area = np.zeros(counts.shape, bool)
    full_area[r0:r1, c0:c1] = area
    return density, full_area


def _merge_overlapping(cores):
    """Union-find over clusters whose cores overlap by >= MERGE_OVERLAP of the smaller core."""
    k = len(cores)
    parent = np.arange(k)

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    flat = cores.reshape(k, -1).astype(np.float32)
    sizes = flat.sum(axis=1)
    overlap = flat @ flat.T
    for i, j in zip(*np.nonzero(np.triu(overlap, 1))):
        if overlap[i, j] >= MERGE_OVERLAP * min(sizes[i], sizes[j]):
            parent[find(i)] = find(j)
    roots = np.array([find(i) for i in range(k)])
    return np.unique(roots, return_inverse=True)[1]


def instance_targets(pixels, labels, resolution, seed=0):
    """Instance map (0 = background, 1..m = cluster areas) and merged point labels.

    ``pixels`` are the points' flat pixel indices, ``labels`` their true clusters
    (-1 for noise). Returns ``(instances, merged_labels)`` where merged_labels maps
    each point to its (possibly merged) cluster, -1 kept for noise.
    """
    rng = np.random.default_rng(seed)
    keep = labels >= 0
    k = int(labels.max()) + 1 if keep.any() else 0
    if k == 0:
        return np.zeros((resolution, resolution), np.int32), labels.copy()
    counts = np.bincount(labels[keep].astype(np.int64) * resolution**2 + pixels[keep], minlength=k * resolution**2)
    counts = counts.reshape(k, resolution, resolution)
    densities, areas = zip(*(cluster_density(counts[i], rng) for i in range(k)))
    densities, areas = np.stack(densities), np.stack(areas)
    peaks = densities.reshape(k, -1).max(axis=1)[:, None, None]
    merged = _merge_overlapping(densities >= CORE_LEVEL * peaks)
    m = merged.max() + 1
    group_density = np.zeros((m, resolution, resolution), np.float32)
    np.add.at(group_density, merged, np.where(areas, densities, 0))
    covered = areas.any(axis=0)
    instances = np.where(covered, group_density.argmax(axis=0) + 1, 0).astype(np.int32)
    # A one-pixel gap wherever two different areas meet.
    big = np.where(instances > 0, instances, np.iinfo(np.int32).max)
    lowest = ndimage.minimum_filter(big, size=3)
    highest = ndimage.maximum_filter(instances, size=3)
    instances[(instances > 0) & ((lowest != instances) | (highest != instances))] = 0
    merged_labels = np.where(keep, merged[np.maximum(labels, 0)], -1).astype(np.int32)
    return instances, merged_labels


def area_and_core(instances):
    """Binary targets (2, R, R) float32: cluster area, and cluster cores."""
    area = instances > 0
    depth = ndimage.distance_transform_edt(area)
    n = int(instances.max())
    deepest = np.zeros(n + 1)
    if n:
        deepest[1:] = ndimage.maximum(depth, instances, index=np.arange(1, n + 1))
    core = area & (depth >= np.maximum(1.0, CORE_DEPTH * deepest[instances]))
    return np.stack([area, core]).astype(np.float32)
