"""From the density image and the cluster-area mask to a label map of clusters.

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
   splits;
3. area pixels take their basin's cluster, a connected area shaped like
   lines that cross is split into its lines (``crossings``), and line pieces
   that continue into each other across a stretch where their points thin out
   by chance are one line (``continuation``); points near an area, in the same
   basin, join it (``grow`` pixels, or ``reach`` times the cluster's radius),
   and scattered points left over join the nearest area (``strays``);
   the points left whose group a visible gap parts from every other point
   are a cluster of their own (``lone_groups``). Pixels no point reaches are
   never labelled.
"""

from functools import cached_property

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree
from skimage.filters import threshold_otsu
from skimage.segmentation import watershed

from .along_structure import LENGTH, WIDTH, AlongStructure
from .background import drop_background
from .blob_boundaries import refine_blob_boundaries
from .blob_pairs import BlobPairs
from .continuation import join_continued_lines
from .crossings import split_crossings
from .distances import edt
from .groups import find_root
from .lone_groups import lone_groups
from .point_gaps import PointGaps
from .raster import kernel_points, smoothed_density

PERSISTENCE = 0.7
TOP = 0.7
SIGNIFICANCE = 3.0
COARSE_SCALES = np.sqrt(2.0) ** np.arange(5)  # 1 to 4: multiples of sigma a sparse group's dip is tested at
FINE = 0.5  # a dip between compact groups is tested again at this fraction of sigma...
COMPACT = 8.0  # ...when each group's area is at most this many times its squared thickness (a disc: pi)
BOTH_SCALES = 2 / 3  # ...and is significant there alone, or at this fraction of the significance at both scales,
DEEP = 0.4  # ...or, where the fine dip is below this fraction of the lower peak, neither group is a speck
DEEP_SHARE = 0.1  # and the smaller holds at least this fraction of the larger's points,
DEEP_BOTH_SCALES = 1 / 2  # at this fraction at both scales,
DEEP_FINE = 0.8  # or, off oriented structure, at this fraction at the finer scale alone
SPARSE_FINE = 0.8  # a group sparser than the typical point's kernel is tested finer for a dip this significant at sigma
THIN_GAP = 2.0  # compact groups holding this many typical kernels' points each are tested finer with no dip at sigma;
SMALL = 1.0  # holding this many, only for a deep dip (DEEP_FINE)
RIDGE_PERSISTENCE = 0.5
RIDGE_WIDTH = 2.0  # a pass is on a thin line when the density's profile across it is narrower than this many sigma...
RIDGE_FLATNESS = 0.3  # ...and curves along it less than this fraction of across it
SPECK = 1 / 3  # a small area component near a larger group, holding fewer than this of a typical kernel's points, is a speck
NECK = 1 / 3  # a deep pass where the area is narrower than this fraction of the thinner group's thickness parts them
CORRIDOR = (0.5, 0.25)  # the bands along a boundary tested for a corridor of few points: these many sigma either side
CURVE = 0.5  # the boundary a curved profile is read across is smoothed at this fraction of the smaller group's radius
PROFILE_POINTS = 20  # a profile whose peak's bin holds fewer points is no measure of a valley
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
    chance gap). A gap thinner than the kernel (squares of uniform points a few
    pixels apart) leaves no dip at sigma: two compact groups each holding
    ``THIN_GAP`` typical kernels' points, the smaller ``DEEP_SHARE`` of the
    larger's, whose pass is on no ridge, are tested at the finer scale whatever
    the pass at sigma; groups holding ``SMALL`` kernels' points (blobs no larger
    than the kernel, which blurs them into one) are, for a deep dip only. A
    pass below ``persistence`` whose dip is not significant for one kernel's
    points keeps two groups apart where the area there is narrower than
    ``NECK`` of the thinner group's thickness (``Neck``); so does a band
    along their whole boundary that holds fewer than ``RIDGE_PERSISTENCE`` of
    the points the lower group's spread would put there, significantly
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

    firm = set()  # (lower, upper, their basins): pairs of groups, as they stand, decided at a higher pass
    order = np.argsort(-passes, kind="stable")
    for (a, b), level, deep, thin, pixel in zip(pairs[order], passes[order], depth[order], ridge[order], where[order]):
        ra, rb = find_root(parent, a), find_root(parent, b)
        if ra == rb:
            continue
        lower, upper = (ra, rb) if height[ra] <= height[rb] else (rb, ra)
        top = height[lower]
        evidence = _z(top, level, sigma)
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
        dip = ((finer or small) and resolved
               and fine.dip(members[lower], members[upper], top_pixel[highest[lower]], top_pixel[highest[upper]], deep,
                            significance, evidence, points, scales.typical, deep_only=not finer))
        dip = dip or ((finer or level < persistence * top)
                      and corridor.empty(members[lower], members[upper], min(RIDGE_PERSISTENCE, deep), significance,
                                         scales.typical))
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


def _z(top, level, sigma):
    """By how many standard deviations the Poisson counts under a Gaussian kernel of ``sigma`` (density x 4 pi
    sigma^2) at the two densities differ."""
    return (top - level) * np.sqrt(4 * np.pi * sigma**2) / np.sqrt(top + level)


def _significant(top, level, sigma, significance):
    """Whether the counts at the two densities differ by ``significance`` standard deviations (``_z``)."""
    return _z(top, level, sigma) >= significance


class CoarseScales:
    """The density at coarser scales (``COARSE_SCALES`` x sigma), made on first use, for testing sparse groups' dips.

    A pixel's test scale is the smallest at which its kernel holds as many
    points as the typical point's sigma kernel (the points-weighted median
    count): 1 where the points are dense, up to 4 where they are sparse. A line
    holds many points along its length, so it keeps scale 1.
    """

    def __init__(self, density, sigma):
        self.density, self.sigma = density, sigma

    @cached_property
    def maps(self):
        """The density smoothed at each of ``COARSE_SCALES`` x sigma, a flattened row a scale."""
        d = self.density.astype(np.float64)
        extra = [ndimage.gaussian_filter(d, self.sigma * np.sqrt(s**2 - 1), mode="constant") for s in COARSE_SCALES[1:]]
        return np.stack([d] + extra).reshape(len(COARSE_SCALES), -1)

    @cached_property
    def typical(self):
        """The number of points the typical point's sigma kernel holds (the points-weighted median)."""
        occupied = self.density > 0
        return _weighted_median(kernel_points(self.density[occupied], self.sigma), self.density[occupied])

    @cached_property
    def scale(self):
        """Each pixel's test scale (an index into ``COARSE_SCALES``), flattened."""
        return self._first_enough(self.maps)

    def scale_at(self, pixels):
        """The test scale of a few pixels (flat indices), as ``scale`` gives it, without smoothing the whole image."""
        d = self.density.astype(np.float64)
        rows, cols = np.unravel_index(pixels, d.shape)
        sds = self.sigma * np.sqrt(COARSE_SCALES[1:] ** 2 - 1)
        radii = (4 * sds + 0.5).astype(int)  # scipy's Gaussian kernel: truncated at 4 sd, normalised
        padded = np.pad(d, radii[-1])
        values = [d.ravel()[pixels]]
        for sd, r in zip(sds, radii):
            weights = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sd**2))
            weights /= weights.sum()
            o = radii[-1] - r  # the window's offset in the image padded for the widest kernel
            values.append([weights @ padded[i + o : i + o + 2 * r + 1, j + o : j + o + 2 * r + 1] @ weights
                           for i, j in zip(rows, cols)])
        return self._first_enough(np.array(values, np.float64).reshape(len(COARSE_SCALES), -1))

    def _first_enough(self, maps):
        """The index of the first scale whose kernel holds the typical count (the last if none does), per column."""
        enough = maps * (4 * np.pi * (COARSE_SCALES[:, None] * self.sigma) ** 2) >= self.typical
        return np.where(enough.any(0), enough.argmax(0), len(COARSE_SCALES) - 1)

    def dip(self, peak_pixel, pass_pixel, persistence, significance):
        """Whether the dip from a peak to a pass (flat pixel indices), both too sparse for sigma, is deep and
        significant at the coarser of their test scales."""
        if min(self.scale[peak_pixel], self.scale[pass_pixel]) == 0:
            return False
        k = max(self.scale[peak_pixel], self.scale[pass_pixel])
        top, level = self.maps[k, peak_pixel], self.maps[k, pass_pixel]
        return level < persistence * top and _significant(top, level, COARSE_SCALES[k] * self.sigma, significance)


class Regions:
    """The area regions (ids 1..r) as the tests of a pair of groups read them, each made once on first use: the
    regions' boxes, each pixel's distance to the area's edge; and the crop holding a pair and the pixels where its
    groups meet, kept for the last pair asked for (the tests of one merge decision all ask for the same pair)."""

    def __init__(self, labels):
        self.labels = labels
        self._pair, self._crop, self._boundary = None, None, None

    @cached_property
    def boxes(self):
        return ndimage.find_objects(self.labels)

    @cached_property
    def depth(self):
        """Each pixel's distance to the edge of the regions' area."""
        return edt(self.labels > 0)

    def crop(self, lower, upper):
        """The box holding two groups (lists of region ids) and each group's pixels in it."""
        pair = (tuple(lower), tuple(upper))
        if pair != self._pair:
            boxes = [self.boxes[i - 1] for i in lower + upper if self.boxes[i - 1] is not None]
            box = tuple(slice(min(b[k].start for b in boxes), max(b[k].stop for b in boxes)) for k in range(2))
            labels = self.labels[box]
            self._pair, self._crop, self._boundary = pair, (box, np.isin(labels, lower), np.isin(labels, upper)), None
        return self._crop

    def boundary(self, lower, upper):
        """The crop (``crop``) and, in it, the pixels of either group that are 4-neighbours of a pixel of the other."""
        box, inside_lower, inside_upper = self.crop(lower, upper)
        if self._boundary is None:
            self._boundary = _meeting(inside_lower, inside_upper)
        return box, inside_lower, inside_upper, self._boundary


class _PairTest:
    """What the tests of a pair of groups on the counts share: the counts, the smoothing scale and the ``Regions``."""

    def __init__(self, counts, sigma, regions):
        self.counts, self.sigma, self.regions = counts, sigma, regions


class FineScale(_PairTest):
    """The counts smoothed at ``FINE`` x sigma, made on first use, for testing the dips between compact groups.

    The kernel is chosen to hold about 50 points, so groups of a few dozen
    tight points blur into each other however clear the gaps between them. A
    group is compact when its regions' area is at most ``COMPACT`` times the
    square of its thickness (its deepest pixel's distance to the area's edge):
    a blob, not a stretch of a line, whose beads this finer scale would split.
    ``along`` (an ``AlongStructure``) tells where two groups lie on a stripe or
    an arm, where a deep dip at this scale is a chance gap along it.
    """

    def __init__(self, counts, sigma, regions, along):
        super().__init__(counts, sigma, regions)
        self.along = along

    @cached_property
    def density(self):
        return ndimage.gaussian_filter(self.counts.astype(np.float64), FINE * self.sigma, mode="constant")

    def dip(self, lower, upper, lower_peak, upper_peak, persistence, significance, evidence, points, typical,
            deep_only=False):
        """Whether two compact groups (lists of region ids) dip, at the finer scale, from their peaks' pixels (flat
        indices) to the highest path between them below ``persistence`` of the lower, by ``significance``; or by
        ``BOTH_SCALES`` of it when the dip at sigma was as significant (``evidence``, in standard deviations), or by
        ``DEEP_BOTH_SCALES`` (or by ``DEEP_FINE`` of it at the finer scale alone, off oriented structure) when the
        dip is below ``DEEP`` and each group's points (``points``, the two counts) are at least ``SPECK`` of a
        typical kernel's (``typical``) and ``DEEP_SHARE`` of the other's. ``deep_only``: only that last test."""
        box, inside_lower, inside_upper = self.regions.crop(lower, upper)
        depth = self.regions.depth[box]
        for inside in (inside_lower, inside_upper):
            if inside.sum() > COMPACT * depth[inside].max() ** 2:
                return False
        density = self.density[box]
        ends = [tuple(np.subtract(np.unravel_index(p, self.regions.labels.shape), (box[0].start, box[1].start)))
                for p in (lower_peak, upper_peak)]
        top = min(density[e] for e in ends)
        level = _highest_path(density, inside_lower | inside_upper, *ends, top)
        if level >= persistence * top:
            return False
        z = _z(top, level, FINE * self.sigma)
        fewer, more = sorted(points)
        deep = level < DEEP * top and fewer >= max(SPECK * typical, DEEP_SHARE * more)
        if deep and z >= DEEP_FINE * significance and not self.along.oriented(box, inside_lower | inside_upper):
            return True
        if deep_only:
            return False
        return z >= significance or min(z, evidence) >= (DEEP_BOTH_SCALES if deep else BOTH_SCALES) * significance


class OrientedScale(_PairTest):
    """Tests of stripes and arms on the counts smoothed along the structure (``along``, an ``AlongStructure``)."""

    def __init__(self, counts, sigma, regions, along):
        super().__init__(counts, sigma, regions)
        self.along = along

    def dip(self, lower, upper, persistence, significance):
        """Whether two groups (lists of region ids) on coherent structure dip, along it, from each group's highest
        pixel to the highest path between them below ``persistence`` of the lower, by ``significance``."""
        if not self.along.usable:  # before cropping: dense plots never are
            return False
        box, inside_lower, inside_upper = self.regions.crop(lower, upper)
        inside = inside_lower | inside_upper
        if not self.along.oriented(box, inside):
            return False
        density = self.along.density[box]
        ends = [np.unravel_index(np.argmax(np.where(part, density, -1.0)), density.shape) for part in (inside_lower, inside_upper)]
        top = min(density[e] for e in ends)
        level = _highest_path(density, inside, *ends, top)
        scale = np.sqrt(LENGTH * WIDTH) * self.sigma  # the kernel's area is 4 pi scale^2
        return level < persistence * top and _significant(top, level, scale, significance)


class Neck:
    """The test of the area's width where two groups meet (on ``Regions``): two blobs joined by a thin bridge of
    points."""

    def __init__(self, regions):
        self.regions = regions

    @cached_property
    def thickness(self):
        """Each region's deepest pixel's distance to the area's edge."""
        labels = self.regions.labels
        return ndimage.maximum(self.regions.depth, labels, np.arange(int(labels.max()) + 1))

    def narrow(self, lower, upper, points, typical):
        """Whether two groups (lists of region ids) of ``points`` (the two counts), each holding a typical kernel's
        (``typical``) at least, meet where the area is narrower than ``NECK`` of the thinner one's thickness: the
        widest place along their boundary is that far from the area's edge."""
        if min(points) < typical:
            return False
        box, _, _, edge = self.regions.boundary(lower, upper)
        thinner = min(self.thickness[lower].max(), self.thickness[upper].max())
        return edge.any() and self.regions.depth[box][edge].max() < NECK * thinner


def _meeting(inside_a, inside_b):
    """The pixels of two masks that are 4-neighbours of a pixel of the other."""
    edge = np.zeros(inside_a.shape, bool)
    for axis in (0, 1):
        meet = np.diff(inside_a.astype(np.int8), axis=axis) * np.diff(inside_b.astype(np.int8), axis=axis) < 0
        front = [slice(None)] * 2
        front[axis] = slice(None, -1)
        edge[tuple(front)] |= meet
        front[axis] = slice(1, None)
        edge[tuple(front)] |= meet
    return edge


class Corridor(_PairTest):
    """The test of the band along the whole boundary between two groups, on the counts.

    The pass is one kernel's points, smoothed across a channel narrower than
    the kernel, so its dip is shallow and too few to be significant; the band
    along the whole boundary counts the channel's points themselves, all along
    it, and a channel of few points is a gap a person sees (evenly spread
    points on either side of a narrow channel).
    """

    def empty(self, lower, upper, persistence, significance, typical):
        """Whether the points within one of the ``CORRIDOR`` widths (x sigma) of the boundary between two groups
        (lists of region ids), per pixel, are below ``persistence`` of the lower group's points per pixel elsewhere, by
        ``significance`` standard deviations of the band's share of the two counts (binomial, under an even spread);
        the band must be expected to hold half a typical kernel's points (``typical``) at least, as a few points are
        no measure. The narrower band finds a channel narrower than the wider one, whose edges would fill it."""
        box, inside_lower, inside_upper, edge = self.regions.boundary(lower, upper)
        if not edge.any():
            return False
        distance = edt(~edge)
        counts, inside = self.counts[box], inside_lower | inside_upper
        for width in CORRIDOR:
            band = (distance <= width * self.sigma) & inside
            rest = inside_lower & ~band
            if not rest.any():
                continue
            seen, elsewhere = counts[band].sum(), counts[rest].sum()
            share = band.sum() / (band.sum() + rest.sum())  # of the points, under an even spread
            expected = (seen + elsewhere) * share
            if (expected >= typical / 2 and seen < persistence * expected
                    and expected - seen >= significance * np.sqrt(expected * (1 - share))):
                return True
        return False


class Profile(_PairTest):
    """The profile of two groups' points across their boundary: the counts in a band along the line from the lower
    group's peak through the pass, summed across it.

    Tested finer or along their boundary, a uniform shape's noise bumps dip by
    chance between some pair of them, as the watershed draws every boundary
    along the emptiest path. A valley a person sees between two groups also
    shows in the profile of the points across it, which sums the whole band
    and is read at the peaks and at the pass (not at its highest and lowest
    bins, where noise would show a valley anywhere); a uniform convex shape's
    profile has none at all.
    """

    def valley(self, lower, upper, peak, pixel, persistence):
        """Whether the profile of two groups (lists of region ids) along the line from ``peak`` (flat index: the peak
        of the lower group's basin at the pass) through the pass's pixel (flat index) on to the peak's mirror image
        beyond the pass is, at the pass, below ``persistence`` of its lower value at the peak and at the image
        (within a standard deviation of its Poisson count), in bins a third of the way between them (and one sigma)
        long; the band is as wide as the smaller group's area's diameter. Where the line leaves the two groups' area,
        the image is not in the upper group, or a bin at its ends holds fewer than ``PROFILE_POINTS``, the profile
        tells nothing: a valley. Where the straight band reads none, the profile across the boundary itself may
        (``_curved_valley``): the band also sums the banks of a channel that curves around the lower group."""
        box, inside_lower, inside_upper = self.regions.crop(lower, upper)
        corner = (box[0].start, box[1].start)
        start, at_pass = (np.subtract(np.unravel_index(p, self.regions.labels.shape), corner) for p in (peak, pixel))
        inside = inside_lower | inside_upper
        axis = at_pass - start
        length = np.hypot(*axis)
        image = at_pass + axis
        if length == 0 or not _on_line(inside, start, image).all() or not _on_line(inside_upper, image, image)[0]:
            return True
        along, across = axis / length, np.array([-axis[1], axis[0]]) / length
        counts = self.counts[box]
        rows, cols = np.nonzero(inside & (counts > 0))
        offset = np.c_[rows, cols] - start
        radius = np.sqrt(min(inside_lower.sum(), inside_upper.sum()) / np.pi)  # the smaller group's
        band = np.abs(offset @ across) <= radius
        at, weight = offset[band] @ along, counts[rows, cols][band]
        half = max(self.sigma, 2 * length / 3) / 2
        top = min(weight[np.abs(at - t) <= half].sum() for t in (0.0, 2 * length))
        level = weight[np.abs(at - length) <= half].sum()
        if top < PROFILE_POINTS:
            return True
        if level < persistence * top + np.sqrt(level):  # within a standard deviation of a valley
            return True
        return _curved_valley(counts, self.sigma, inside_lower, inside_upper, at_pass, length, half, radius,
                              persistence)


def _curved_valley(counts, sigma, inside_lower, inside_upper, at_pass, length, half, radius, persistence):
    """Whether the profile of two groups (masks, with ``counts``) across their boundary dips at the pass below
    ``persistence`` of its lower end (within a standard deviation): the points per pixel at 0 and at ``length``
    either side of the boundary, in bins ``half`` wide, where the nearest boundary pixel is within ``radius`` (the
    smaller group's) of the pass (``at_pass``). The boundary is that of the two masks smoothed at ``CURVE`` of that
    radius (sigma at least), so that it cannot wind between the points of a uniform shape's chance gap; a channel
    that curves around a blob is smooth at that scale and stays empty all along it."""
    inside = inside_lower | inside_upper
    smooth = max(sigma, CURVE * radius)
    side = (ndimage.gaussian_filter(inside_lower.astype(np.float64), smooth)
            > ndimage.gaussian_filter(inside_upper.astype(np.float64), smooth))
    edge = _meeting(side & inside, ~side & inside)
    if not edge.any():
        return False
    distance, (rows, cols) = ndimage.distance_transform_edt(~edge, return_indices=True)
    across = np.where(side, -distance, distance)
    near = inside & (np.hypot(rows - at_pass[0], cols - at_pass[1]) <= radius)
    bins = [near & (np.abs(across - t) <= half) for t in (-length, 0.0, length)]
    held, pixels = [counts[b].sum() for b in bins], [b.sum() for b in bins]
    if min(held[0], held[2]) < PROFILE_POINTS or min(pixels) == 0:
        return False
    top = min(held[0] / pixels[0], held[2] / pixels[2])
    return held[1] / pixels[1] < persistence * top + np.sqrt(held[1]) / pixels[1]


def _on_line(inside, start, end):
    """``inside`` (bool) at the pixels of the straight line from ``start`` to ``end``; False off the image."""
    line = np.rint(start + np.linspace(0, 1, int(np.ceil(np.hypot(*(end - start)))) + 2)[:, None] * (end - start))
    line = line.astype(np.int64)
    on = ((line >= 0) & (line < inside.shape)).all(1)
    hit = np.zeros(len(line), bool)
    hit[on] = inside[line[on, 0], line[on, 1]]
    return hit


def _highest_path(values, inside, start, end, top, steps=12):
    """The highest level (to ``top`` / 2^steps) at which ``start`` and ``end`` are joined by pixels of ``inside`` at
    or above it: the pass of the best path between them; ``top`` (no dip) when ``inside`` does not join them at all,
    as where the two groups meet only outside the crop's pixels."""

    def joined(level):
        parts, _ = ndimage.label(inside & (values >= level))
        return parts[start] > 0 and parts[start] == parts[end]

    if not joined(-np.inf):
        return top
    low, high = 0.0, top
    for _ in range(steps):
        middle = (low + high) / 2
        low, high = (middle, high) if joined(middle) else (low, middle)
    return low


def _weighted_median(values, weights):
    """The value below which half the weight lies."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return values[order][np.searchsorted(cumulative, cumulative[-1] / 2)]


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
    lines (``split_crossings``), and line pieces that continue into each other across a thin stretch joined
    (``join_continued_lines``; ``density`` is the counts smoothed at ``sigma``)."""
    areas, crossing = split_crossings(refine_blob_boundaries(cluster_areas(regions, clusters), counts, density))
    return join_continued_lines(areas, counts, sigma, crossing)


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


def nearest_area(labels):
    """Each pixel's distance to the nearest labelled pixel, and that pixel's label."""
    depth, (rows, cols) = ndimage.distance_transform_edt(labels == 0, return_indices=True)
    return depth, labels[rows, cols]


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


def threshold_mask(image, sigma=2.0):
    """The no-network area mask: blurred log-density above its Otsu threshold."""
    blurred = ndimage.gaussian_filter(image[1], sigma)
    if blurred.max() <= 0:
        return np.zeros(blurred.shape, bool)
    return blurred > threshold_otsu(blurred)
