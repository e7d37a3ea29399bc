"""From the density image and the cluster-area mask to the clusters' regions.

Which pixels are cluster area is the mask's call (the network's, or the
no-network threshold's). Which cluster an area pixel belongs to is the point
density's call, the way a person splits a plot:

1. every mode of the smoothed density seeds a basin (a watershed of the
   density over every pixel a point reaches); where most points lie on lines
   (sparse stripes, spiral arms), the density is smoothed along them
   (``along_structure``), as the isotropic kernel blurs neighbouring lines into one;
2. neighbouring basins merge from the highest pass down (persistence), unless
   the pass is a valley deep relative to the *lower* of the two peaks
   (``PERSISTENCE``) *and* the dip is too deep to be noise for the number of
   points under the smoothing kernel (``SIGNIFICANCE``, in standard deviations
   of their Poisson count). A visible gap is a pass of zero, so separate groups stay apart
   whatever their size; a bump of a few points is noise and merges. Sparse
   points keep apart where their gap is wider than twice the longest step
   inside either group (``point_gaps``): the kernel bridges the facing ends
   of evenly spaced chains. Nor do two round blobs of different density that
   two Gaussians explain better than one (``blob_pairs``): a sparse blob's
   few points make no significant dip beside a dense one. A dip
   between two groups too sparse for the kernel (chosen for the dense ones)
   is tested again at the coarser scale that holds as many points
   (``CoarseScales``); a dip between two compact groups smaller than the
   kernel, at half the scale (``FineScale``); a deep dip stays apart where
   the area narrows to a thin neck (``Neck``: two blobs joined by a bridge of
   points), or on the points along the whole boundary between the two groups
   (``Corridor``: a narrow channel between evenly spread groups); a dip seen
   only at half the scale or along the boundary counts where the profile of
   the points across the boundary dips too (``Profile``: a uniform shape's
   noise bumps dip so by chance); a merge on
   oriented structure (stripes, arms) is first tested along it (``OrientedScale``). Along a
   line thinner than the smoothing kernel the smoothed density counts points
   per length, which dips wherever the line turns steeper while the plot looks
   the same: there only a valley below ``RIDGE_PERSISTENCE`` of the lower peak
   splits.

The label map is then drawn from the merged regions (``labelling``).
"""

import numpy as np
from scipy import ndimage
from skimage.filters import threshold_otsu
from skimage.segmentation import watershed

from .along_structure import AlongStructure
from .blob_pairs import BlobPairs
from .dip_tests import (
    COARSE_SCALES,
    DEEP,
    DEEP_SHARE,
    FINE,
    FINEST,
    SPECK,
    CoarseScales,
    Corridor,
    FineScale,
    Neck,
    OrientedScale,
    Profile,
    Regions,
    poisson_z,
)
from .distances import edt
from .groups import find_root
from .point_gaps import PointGaps
from .raster import kernel_points, smoothed_density

PERSISTENCE = 0.7
TOP = 0.7
SIGNIFICANCE = 3.0
SPARSE_FINE = 0.8  # a group sparser than the typical point's kernel is tested finer for a dip this significant at sigma
THIN_GAP = 2.0  # compact groups holding this many typical kernels' points each are tested finer with no dip at sigma;
SMALL = 1.0  # holding this many, only for a deep dip (DEEP_FINE)
RIDGE_PERSISTENCE = 0.5
RIDGE_WIDTH = 2.0  # a pass is on a thin line when the density's profile across it is narrower than this many sigma...
RIDGE_FLATNESS = 0.3  # ...and curves along it less than this fraction of across it
FIRM = 0.9  # two groups kept apart where their dip holds this fraction of the significance stay apart below
REACHED = 1e-3  # a pixel is reached by the points when their density there is this fraction of one point's peak


def density_basins(density, sigma):
    """Basins of the density's modes (R, R) int32, 0 where no point reaches; and the number of basins."""
    reached = density >= REACHED / (2 * np.pi * sigma**2)
    modes = (density >= ndimage.maximum_filter(density, size=3)) & reached
    markers, n = ndimage.label(modes, structure=np.ones((3, 3)))
    if n == 0:
        return np.zeros(density.shape, np.int32), 0
    return watershed(-density, markers, mask=reached).astype(np.int32), n


def passes_between(labels, values):
    """For each pair of neighbouring labels > 0: the pair (a < b), its pass (the highest of ``values`` where they
    meet, a pixel pair counting its lower value) and the flat index of the pass's pixel (the pair's lower).

    Neighbours are 4-neighbours, and diagonal ones whose 2 x 2 block holds only
    the two labels (a staircase in their boundary): a ridge one pixel thin that
    runs diagonally crosses it between diagonal pixels, and its 4-neighbouring
    pairs each count a pixel off the ridge (about 0.78 of it at sigma 1 px)."""
    pixel = np.arange(labels.size).reshape(labels.shape)
    ends = []  # per neighbour direction, (label, value, pixel) of each end of its boundary pairs
    for (s, t), others in _NEIGHBOURS:
        meet = (labels[s] != labels[t]) & (labels[s] > 0) & (labels[t] > 0)
        for other in others:
            meet &= (labels[other] == labels[s]) | (labels[other] == labels[t])
        ends.append([(labels[side][meet], values[side][meet], pixel[side][meet]) for side in (s, t)])
    (a, va, pa), (b, vb, pb) = ([np.concatenate(part) for part in zip(*(e[k] for e in ends))] for k in (0, 1))
    if len(a) == 0:
        return np.zeros((0, 2), np.int64), np.zeros(0), np.zeros(0, np.int64)
    d = np.minimum(va, vb)
    n = int(labels.max()) + 1
    key = np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)
    pairs, inverse = np.unique(key, return_inverse=True)
    order = np.lexsort((d, inverse))
    highest = order[np.r_[np.flatnonzero(np.diff(inverse[order])), len(order) - 1]]
    where = np.where(va <= vb, pa, pb)[highest]
    return np.c_[pairs // n, pairs % n], d[highest], where


_ALL, _BUT_LAST, _BUT_FIRST = slice(None), slice(None, -1), slice(1, None)
# ((a pixel, its neighbour), the other pixels of their 2 x 2 block), each as slices of the image
_NEIGHBOURS = (
    (((_ALL, _BUT_LAST), (_ALL, _BUT_FIRST)), ()),
    (((_BUT_LAST, _ALL), (_BUT_FIRST, _ALL)), ()),
    (((_BUT_LAST, _BUT_LAST), (_BUT_FIRST, _BUT_FIRST)), ((_BUT_LAST, _BUT_FIRST), (_BUT_FIRST, _BUT_LAST))),
    (((_BUT_LAST, _BUT_FIRST), (_BUT_FIRST, _BUT_LAST)), ((_BUT_LAST, _BUT_LAST), (_BUT_FIRST, _BUT_FIRST))),
)


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


def merge_basins(basins, n, density, sigma, counts, persistence=PERSISTENCE, significance=SIGNIFICANCE, scales=None,
                 along=None):
    """Cluster id of each basin (array of n + 1, index 0 unused): basins merged by persistence and significance.

    Pairs are visited from the highest pass down, so each decision sees the
    two groups as they stand at the pass's level. A group's height is the
    mean peak of its top basins (those within ``TOP`` of its highest peak,
    weighted by their points), so the noisy beads along a ridge do not make
    it look taller than it is. Two groups stay apart when the pass is below
    ``persistence`` times the lower height and the dip is significant: the
    Poisson counts under the smoothing kernel (density x 4 pi sigma^2) at
    that height and at the pass differ by ``significance`` standard deviations.
    A dip that is not significant under the sigma kernel is tested again at
    the scale its two ends need to hold as many points as the typical point's
    kernel does (``CoarseScales``): smoothed for the dense groups, a sparse group
    is otherwise judged on a handful of points however many it holds; the dip
    must still be below ``persistence`` of the peak at that scale. Smoothed
    over about 50 points, small compact groups blur into each other: a dip
    between two compact groups, the lower as dense as the typical point's
    kernel needs (a sparser group is tested at its own coarser scale: at half
    of sigma its points are specks with empty pixels between them, and any path
    between two of its noise bumps dips), is tested again at ``FINE`` x sigma on the
    ``counts`` (``FineScale``): significant there, or at ``BOTH_SCALES`` of the
    significance at both scales (a dip seen twice is no noise); a dip below
    ``DEEP`` of the lower peak at the finer scale, between groups that each hold
    more than a speck's points and the smaller ``DEEP_SHARE`` of the larger's,
    needs ``DEEP_BOTH_SCALES`` of it at both, or ``DEEP_FINE`` of it at the
    finer scale alone off oriented structure (groups of a few dozen points are
    split where a person sees their gap; a large group's fringe, whose many
    bumps would pass so weak a test by chance, is not, nor is a stripe at a
    chance gap). Where the finer scale is under ``FINEST`` pixels (a dense plot,
    whose kernel holds its 50 points in a few pixels), it reads the points'
    texture: the islands of a UMAP or t-SNE plot clump at every scale and dip
    to half their peak where a person sees one island, so a dip at sigma is
    tested finer there (at ``FINE`` x sigma, or along the boundary by
    ``Corridor``, whose bands are as thin) only when it is below ``DEEP`` of the
    lower peak (two islands a gap of a few points parts). A gap thinner than
    the kernel (squares of uniform points a few pixels apart) leaves no dip at
    sigma: two compact groups each holding ``THIN_GAP`` typical kernels'
    points, the smaller ``DEEP_SHARE`` of the larger's, whose pass is on no
    ridge, are tested at the finer scale whatever the pass at sigma; groups
    holding ``SMALL`` kernels' points (blobs no larger than the kernel, which
    blurs them into one) are, for a deep dip only. A
    pass below ``persistence`` whose dip is not significant for one kernel's
    points keeps two groups apart where the area there is narrower than
    ``NECK`` of the thinner group's thickness, or the lower's where a thin
    line meets it by its side (``Neck``); so does a band along their whole
    boundary that holds fewer than ``RIDGE_PERSISTENCE`` of the points the
    lower group's spread would put there, significantly
    (``Corridor``), tested wherever the pass is below ``persistence`` (on a
    thin line too: stretched, the arms of a spiral run closer than their
    steps) and between compact groups with no dip at sigma (a channel
    narrower than the kernel).
    A dip seen only finer or along the boundary must also show in the profile
    of the points across the boundary (``Profile``): a uniform shape's noise
    bumps dip so by chance, while its profile has no valley.
    On oriented structure (stripes, arms), a merge
    is first refused when the counts smoothed along the structure dip below
    ``RIDGE_PERSISTENCE`` of the lower top between the two groups
    (``OrientedScale``). A pass on a thin line (``on_ridge``) must be below
    ``RIDGE_PERSISTENCE`` times the lower height instead. Where the kernel spans
    several point spacings (``AlongStructure.usable``), groups whose points a gap
    parts, wider than ``point_gaps.WIDER`` times the longest step inside either,
    never merge (``PointGaps``); nor do two blobs of different density that two Gaussians explain better than
    one (``BlobPairs``: a sparse blob beside a dense one). ``scales``: the
    ``CoarseScales`` of ``density``, and ``along``: the ``AlongStructure`` of ``counts``, if already made.
    Two groups kept apart at a pass whose dip holds ``FIRM`` of the significance
    stay apart at their lower passes, where the valley is deeper: the tests that
    read the shape around one pass (``Profile``) would otherwise join them at
    whichever pass they misread (a disc in a curved bowl, turned); a weaker dip
    may still be overturned there (a uniform shape's chance dip at one pass).
    """
    pairs, passes, where = passes_between(basins, density)
    parent = np.arange(n + 1)
    if n == 0 or len(pairs) == 0:
        return parent
    ridge = on_ridge(density, where, sigma)
    depth = np.where(ridge, min(RIDGE_PERSISTENCE, persistence), persistence)
    index = np.arange(1, n + 1)
    top_pixel = np.r_[0, _top_pixels(density, basins, index)]
    peak = np.r_[0.0, density.ravel()[top_pixel[1:]]]
    mass = np.r_[0.0, ndimage.sum_labels(density, basins, index)]
    held = np.bincount(basins.ravel(), weights=counts.ravel(), minlength=n + 1)  # each group's points
    members = [[i] for i in range(n + 1)]
    highest = np.arange(n + 1)  # each group's basin with the highest peak
    height = peak.copy()
    scales = scales or CoarseScales(density, sigma)
    regions = Regions(basins)
    along = along or AlongStructure(counts, sigma)
    fine = FineScale(counts, sigma, regions, along)
    oriented = OrientedScale(counts, sigma, regions, along)
    gaps = PointGaps(basins, counts, n) if along.usable else None
    blobs = BlobPairs(basins, counts, n)
    corridor = Corridor(counts, sigma, regions)
    profile = Profile(counts, sigma, regions)
    neck = Neck(regions)
    textured = FINE * sigma < FINEST  # the finer scale would read the points' texture

    firm = set()  # (lower, upper, their basins): pairs of groups, as they stand, decided at a higher pass
    order = np.argsort(-passes, kind="stable")
    for (a, b), level, deep, thin, pixel in zip(pairs[order], passes[order], depth[order], ridge[order], where[order]):
        ra, rb = find_root(parent, a), find_root(parent, b)
        if ra == rb:
            continue
        lower, upper = (ra, rb) if height[ra] <= height[rb] else (rb, ra)
        top = height[lower]
        evidence = poisson_z(top, level, sigma)
        pair = (lower, upper, len(members[lower]) + len(members[upper]))
        if pair in firm:
            continue
        if evidence >= FIRM * significance:
            firm.add(pair)
        if oriented.dip(members[lower], members[upper], min(RIDGE_PERSISTENCE, persistence), significance):
            continue
        below = level < deep * top
        points = (held[lower], held[upper])
        seen = below and (evidence >= significance or scales.dip(top_pixel[highest[lower]], pixel, deep, significance))
        small = not thin and min(points) >= max(SMALL * scales.typical, DEEP_SHARE * max(points))
        finer = below or (small and min(points) >= THIN_GAP * scales.typical)
        resolved = kernel_points(top, sigma) >= scales.typical or evidence >= SPARSE_FINE * significance
        if seen:
            continue
        if below and neck.narrow(members[lower], members[upper], points, scales.typical):
            continue
        texture = below and textured and level >= DEEP * top  # only a deep dip is read finer on a dense plot
        dip = not texture and (
            ((finer or small) and resolved
             and fine.dip(members[lower], members[upper], top_pixel[highest[lower]], top_pixel[highest[upper]], deep,
                          significance, evidence, points, scales.typical, deep_only=not finer))
            or ((finer or level < persistence * top)
                and corridor.empty(members[lower], members[upper], min(RIDGE_PERSISTENCE, deep), significance,
                                   scales.typical)))
        near = top_pixel[a if ra == lower else b]  # the peak of the lower group's basin at the pass
        if dip and profile.valley(members[lower], members[upper], near, pixel, persistence):
            continue
        if gaps is not None and gaps.apart(lower, upper):
            continue
        if blobs.apart(lower, upper, (peak[highest[lower]], peak[highest[upper]]), density,
                       lambda pixel: find_root(parent, basins.flat[pixel])):
            continue
        if gaps is not None:
            gaps.join(lower, upper)
        blobs.join(lower, upper)
        parent[lower] = upper
        members[upper] += members[lower]
        held[upper] += held[lower]
        if peak[highest[lower]] > peak[highest[upper]]:
            highest[upper] = highest[lower]
        height[upper] = _top_height(peak[members[upper]], mass[members[upper]])
    return np.array([find_root(parent, i) for i in range(n + 1)])


def _top_pixels(values, labels, index):
    """Flat index of the highest pixel of each label in ``index`` (the first in flat order on a tie), without sorting
    the image (``ndimage.maximum_position`` sorts it)."""
    inside = np.flatnonzero(labels.ravel() > 0)
    label, value = labels.ravel()[inside], values.ravel()[inside]
    highest = np.full(int(labels.max()) + 1, -np.inf, value.dtype)  # numpy's ufunc.at is ~70x slower casting
    np.maximum.at(highest, label, value)
    hit = value == highest[label]
    hit_label, first = np.unique(label[hit], return_index=True)
    top = np.zeros(len(highest), np.int64)
    top[hit_label] = inside[hit][first]
    return top[np.asarray(index)]


def _top_height(peaks, masses):
    """Mean of the peaks within TOP of the highest, weighted by their basins' points."""
    top = peaks >= TOP * peaks.max()
    return float(np.average(peaks[top], weights=masses[top] + 1e-12))


def gap_regions(basins, mask, density, sigma, counts, scales):
    """The basins' area pixels cut where the area mask has a gap: one id per (basin, area component), 0 elsewhere.

    Two regions on either side of a gap are never neighbours, so no pass, and
    no merge, joins what a visible gap separates. A component that holds no
    mode of the density is no group; nor is a small one near a larger group:
    smaller than one smoothed point (its bounding box's diagonal under the
    kernel's diameter, 2 sqrt(2) sigma: a piece of a thin line is longer) or
    holding fewer than ``SPECK`` of the points a typical point's kernel holds,
    and within 2 of its own test scales (``scales``, the density's
    ``CoarseScales``: sparse points are judged at their own spacing) of that group. Such a speck is the outskirts'
    fringe, as the network cuts a dense cluster's sparse tails at a fine
    resolution: its pixels go with their basin's mode, or are no area if that
    mode is in no group.
    """
    components, n = ndimage.label(mask & (basins > 0))
    if n == 0:
        return np.zeros(basins.shape, np.int32), 0
    m = int(basins.max())
    home = np.r_[0, components.ravel()[_top_pixels(density, basins, np.arange(1, m + 1))]]
    group = np.zeros(n + 1, bool)
    group[home] = True
    group[0] = False
    if group.sum() > 1:
        points = np.bincount(components.ravel(), weights=counts.ravel(), minlength=n + 1)
        extent = np.r_[0.0, [np.hypot(*(s.stop - s.start for s in box)) for box in ndimage.find_objects(components)]]
        small = (extent < 2 * np.sqrt(2) * sigma) | (points < SPECK * scales.typical)
        if (group & ~small).any() and (group & small).any():
            distance = edt(~(group & ~small)[components])
            index = np.arange(1, n + 1)
            own = COARSE_SCALES[scales.scale_at(_top_pixels(density, components, index))]
            near = np.r_[True, ndimage.minimum(distance, components, index) <= 2 * sigma * own]
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


def splitting_density(counts, sigma):
    """The density the splits read, and the counts' ``AlongStructure``: ``counts`` smoothed at ``sigma``; or, where
    most points lie on lines (sparse stripes, spiral arms: ``AlongStructure.lines``), smoothed along them, as the
    round kernel's modes straddle neighbouring lines."""
    along = AlongStructure(counts, sigma)
    return (along.per_kernel if along.lines else smoothed_density(counts, sigma)), along


def split_by_density(density, sigma, mask, counts, persistence=PERSISTENCE, significance=SIGNIFICANCE, along=None):
    """The density's basins, their area regions (``gap_regions``) and the cluster of each region (``merge_basins``);
    ``density`` is ``counts`` smoothed at ``sigma`` (``splitting_density``), ``along`` the counts'
    ``AlongStructure`` if already made."""
    basins, _ = density_basins(density, sigma)
    scales = CoarseScales(density, sigma)
    regions, n = gap_regions(basins, mask, density, sigma, counts, scales)
    return basins, regions, merge_basins(regions, n, density, sigma, counts, persistence, significance, scales, along)


def threshold_mask(image, sigma=2.0):
    """The no-network area mask: blurred log-density above its Otsu threshold."""
    blurred = ndimage.gaussian_filter(image[1], sigma)
    if blurred.max() <= 0:
        return np.zeros(blurred.shape, bool)
    return blurred > threshold_otsu(blurred)
