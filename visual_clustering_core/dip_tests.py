"""The tests a dip between two groups of basins must pass besides persistence and significance (``segmentation``).

Each reads the points around the two groups at another scale or along another
line than the isotropic kernel the merge works at: coarser for sparse groups
(``CoarseScales``), finer for compact ones (``FineScale``), along oriented
structure (``OrientedScale``), the area's neck (``Neck``), a corridor of few
points along the boundary (``Corridor``), and the profile of the points across
it (``Profile``).
"""

from functools import cached_property

import numpy as np
from scipy import ndimage

from .along_structure import LENGTH, WIDTH
from .distances import edt
from .raster import kernel_points

COARSE_SCALES = np.sqrt(2.0) ** np.arange(5)  # 1 to 4: multiples of sigma a sparse group's dip is tested at
FINE = 0.5  # a dip between compact groups is tested again at this fraction of sigma...
COMPACT = 8.0  # ...when each group's area is at most this many times its squared thickness (a disc: pi)
BOTH_SCALES = 2 / 3  # ...and is significant there alone, or at this fraction of the significance at both scales,
DEEP = 0.4  # ...or, where the fine dip is below this fraction of the lower peak, neither group is a speck
DEEP_SHARE = 0.1  # and the smaller holds at least this fraction of the larger's points,
DEEP_BOTH_SCALES = 1 / 2  # at this fraction at both scales,
DEEP_FINE = 0.8  # or, off oriented structure, at this fraction at the finer scale alone
FINEST = 2.0  # pixels: finer scales and bands read a dense plot's texture; only a dip below DEEP at sigma is read there
SPECK = 1 / 3  # a small area component near a larger group, holding fewer than this of a typical kernel's points, is a speck
NECK = 1 / 3  # a deep pass where the area is narrower than this fraction of the thinner group's thickness parts them,
SIDE = 2.0  # or of the lower group's, where it is this many times as thick as the other (a thin line met by its side)
CORRIDOR = (0.5, 0.25)  # the bands along a boundary tested for a corridor of few points: these many sigma either side
CURVE = 0.5  # the boundary a curved profile is read across is smoothed at this fraction of the smaller group's radius
PROFILE_POINTS = 20  # a profile whose peak's bin holds fewer points is no measure of a valley


def poisson_z(top, level, sigma):
    """By how many standard deviations the Poisson counts under a Gaussian kernel of ``sigma`` (density x 4 pi
    sigma^2) at the two densities differ."""
    return (top - level) * np.sqrt(4 * np.pi * sigma**2) / np.sqrt(top + level)


def significant(top, level, sigma, significance):
    """Whether the counts at the two densities differ by ``significance`` standard deviations (``poisson_z``)."""
    return poisson_z(top, level, sigma) >= significance


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
        return level < persistence * top and significant(top, level, COARSE_SCALES[k] * self.sigma, significance)


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
            self._boundary = meeting(inside_lower, inside_upper)
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
        z = poisson_z(top, level, FINE * self.sigma)
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
        return level < persistence * top and significant(top, level, scale, significance)


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
        """Whether two groups (lists of region ids, the lower first) of ``points`` (the two counts), each holding a
        typical kernel's (``typical``) at least, meet where the area is narrower than ``NECK`` of the thinner one's
        thickness: the widest place along their boundary is that far from the area's edge. Of the lower one's where it
        is ``SIDE`` times as thick as the upper, the group the merge would take in: a sparse disc the network's area
        joins to the dense thin ring round it, by a bridge as wide as the ring, meets the ring by its side; that is
        no narrowing of the ring, but is of the disc."""
        if min(points) < typical:
            return False
        box, _, _, edge = self.regions.boundary(lower, upper)
        own, other = self.thickness[lower].max(), self.thickness[upper].max()
        measure = own if own >= SIDE * other else min(own, other)
        return edge.any() and self.regions.depth[box][edge].max() < NECK * measure


def meeting(inside_a, inside_b):
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
    edge = meeting(side & inside, ~side & inside)
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
