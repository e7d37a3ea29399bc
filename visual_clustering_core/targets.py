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

from .distances import edt
from .groups import union_roots
from .raster import point_spacing

MERGE_OVERLAP = 0.3
LEVEL = 0.05
CORE_LEVEL = 0.3
FRAGMENT = 0.03
CORE_DEPTH = 0.4


def cluster_density(counts, rng):
    """One cluster's smoothed density and area, on the crop ``box`` = (r0, r1, c0, c1) that holds them.

    The counts are smoothed with a Gaussian as wide as the cluster's point
    spacing; the area is where that density is above LEVEL of its peak. Sparse
    clusters get a hull-like outline; dense ones stop where their density fades,
    instead of filling every pixel a stray point reached. Returns
    ``(box, density, area)``, or None for a cluster with no points on the grid.
    """
    rows, cols = np.nonzero(counts)
    if len(rows) == 0:
        return None
    sigma = float(np.clip(point_spacing(counts > 0, rng), 1.0, 10.0))
    pad = int(3 * sigma) + 2
    box = (max(rows.min() - pad, 0), min(rows.max() + pad + 1, counts.shape[0]),
           max(cols.min() - pad, 0), min(cols.max() + pad + 1, counts.shape[1]))
    crop = counts[box[0] : box[1], box[2] : box[3]].astype(np.float32)
    density = ndimage.gaussian_filter(crop, sigma, mode="constant")
    area = density >= LEVEL * density.max()
    holes, n_holes = ndimage.label(ndimage.binary_fill_holes(area) & ~area)
    if n_holes:
        hole_sizes = np.bincount(holes.ravel())
        area |= (hole_sizes <= 4 * np.pi * (2 * sigma) ** 2)[holes] & (holes > 0)
    parts, n_parts = ndimage.label(area)
    if n_parts > 1:
        mass = ndimage.sum_labels(crop, parts, index=np.arange(1, n_parts + 1))
        area = (mass >= FRAGMENT * mass.sum())[parts - 1] & (parts > 0)
    return box, density, area


def _intersection(a, b):
    r0, r1, c0, c1 = max(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), min(a[3], b[3])
    return (r0, r1, c0, c1) if r0 < r1 and c0 < c1 else None


def _crop(image, box, within):
    """The part of ``image`` (laid out on box ``within``) that lies on ``box``."""
    return image[box[0] - within[0] : box[1] - within[0], box[2] - within[2] : box[3] - within[2]]


def _merge_overlapping(boxes, cores):
    """Union-find over clusters whose cores overlap by >= MERGE_OVERLAP of the smaller core."""
    sizes = [core.sum() for core in cores]
    pairs = []
    for i in range(len(cores)):
        for j in range(i + 1, len(cores)):
            box = _intersection(boxes[i], boxes[j])
            if box is None:
                continue
            overlap = (_crop(cores[i], box, boxes[i]) & _crop(cores[j], box, boxes[j])).sum()
            if overlap and overlap >= MERGE_OVERLAP * min(sizes[i], sizes[j]):
                pairs.append((i, j))
    roots = union_roots(len(cores), pairs)
    return np.unique(roots, return_inverse=True)[1]


def instance_targets(pixels, labels, resolution, seed=0):
    """Instance map (0 = background, 1..m = cluster areas) and merged point labels.

    ``pixels`` are the points' flat pixel indices, ``labels`` their true clusters
    (-1 for noise). Returns ``(instances, merged_labels)`` where merged_labels maps
    each point to its (possibly merged) cluster, -1 kept for noise.
    """
    rng = np.random.default_rng(seed)
    keep = (labels >= 0) & (pixels >= 0)
    k = int(labels.max()) + 1 if keep.any() else 0
    instances = np.zeros((resolution, resolution), np.int32)
    if k == 0:
        return instances, np.full(len(labels), -1, np.int32)
    counts = np.bincount(labels[keep].astype(np.int64) * resolution**2 + pixels[keep], minlength=k * resolution**2)
    counts = counts.reshape(k, resolution, resolution)
    patches = [cluster_density(counts[i], rng) for i in range(k)]
    present = [i for i, p in enumerate(patches) if p is not None]
    boxes = [patches[i][0] for i in present]
    cores = [patches[i][1] >= CORE_LEVEL * patches[i][1].max() for i in present]
    groups = _merge_overlapping(boxes, cores)
    merged = np.full(k, -1)
    merged[present] = groups
    # Each pixel goes to the group with the highest density among those whose area covers it.
    best = np.zeros((resolution, resolution), np.float32)
    for g in range(groups.max() + 1):
        members = [patches[present[i]] for i in np.flatnonzero(groups == g)]
        box = (min(b[0] for b, _, _ in members), max(b[1] for b, _, _ in members),
               min(b[2] for b, _, _ in members), max(b[3] for b, _, _ in members))
        density = np.zeros((box[1] - box[0], box[3] - box[2]), np.float32)
        covered = np.zeros(density.shape, bool)
        for member_box, member_density, member_area in members:
            _crop(density, member_box, box)[...] += np.where(member_area, member_density, 0)
            _crop(covered, member_box, box)[...] |= member_area
        region = (slice(box[0], box[1]), slice(box[2], box[3]))
        wins = covered & (density > best[region])
        best[region][wins] = density[wins]
        instances[region][wins] = g + 1
    # A gap wherever two different areas meet.
    big = np.where(instances > 0, instances, np.iinfo(np.int32).max)
    lowest = ndimage.minimum_filter(big, size=3)
    highest = ndimage.maximum_filter(instances, size=3)
    instances[(instances > 0) & ((lowest != instances) | (highest != instances))] = 0
    merged_labels = np.where(labels >= 0, merged[np.maximum(labels, 0)], -1).astype(np.int32)
    return instances, merged_labels


def area_and_core(instances):
    """Binary targets (2, R, R) float32: cluster area, and cluster cores."""
    area = instances > 0
    depth = edt(area)
    n = int(instances.max())
    deepest = np.zeros(n + 1)
    if n:
        deepest[1:] = ndimage.maximum(depth, instances, index=np.arange(1, n + 1))
    core = area & (depth >= np.maximum(1.0, CORE_DEPTH * deepest[instances]))
    return np.stack([area, core]).astype(np.float32)
