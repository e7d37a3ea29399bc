"""Empty bridges and dumbbells' necks in the cluster-area mask: cut, so the corridor a person sees between two
groups is a gap.

Between sparse groups the network sometimes draws its area across the empty
corridor that separates them, as a bridge narrower than the groups. The
area's thickness (each pixel's distance to the area's edge) has a peak in
each part and a pass at each bridge. As the density's modes are merged in
``segmentation``, the parts merge from the widest pass down, unless the pass
is a neck, narrower than ``NECK`` times the thinner part's thickness (which is
at least ``MIN_THICKNESS`` pixels), between parts holding ``MIN_POINTS``
points each, *and* the neck is empty: the area within twice its half-width of
the pass holds fewer than ``EMPTY`` times the points the sparser part's
density would put there. A thin spot of a ring or a moon holds its points, so
it stays. Two blobs of one density joined by a neck are a dumbbell, two
groups to a person however many points the neck holds: there the density
has no valley to tell (a short bridge of points is as dense as the blobs,
and the kernel spans the neck), so the shape does. Each part must be a blob:
its area at most ``COMPACT`` times its squared thickness (a disc: pi; the arcs
of a ring or a moon are longer), thicker than ``BLOB`` smoothing scales (a
line is as thick as the kernel makes it), and within ``SAME_DENSITY`` of the
other's points per pixel (where the densities differ, the density's own
valley parts them, and a cut along the neck's thinnest line, off that
valley, leaves a sliver between). Each part grows from a regional maximum of
the thickness (a plateau higher than all around it), so a bridge of even
width, which rises into the parts at its ends, is no part of its own.
"""

import numpy as np
from scipy import ndimage
from skimage.measure import block_reduce
from skimage.morphology import local_maxima
from skimage.segmentation import watershed

from .distances import edt
from .groups import find_root
from .raster import reduction_step, spread_labels
from .segmentation import passes_between

NECK = 0.5
EMPTY = 0.5
MIN_THICKNESS = 2.0  # pixels: thinner parts are specks of the area's edge
MIN_POINTS = 10
WINDOW = 2.0  # the neck's surroundings: within this many half-widths of the pass
COMPACT = 8.0  # a dumbbell's parts are blobs: area at most this many times the squared thickness,
BLOB = 1.5  # thicker than this many smoothing scales,
SAME_DENSITY = 2.0  # and of points per pixel within this factor of each other
MAX_SIDE = 512  # larger masks (resolution above 512) are analysed block-reduced to this side


def cut_bridges(mask, counts, sigma):
    """The area mask (R, R) bool with its empty necks and dumbbells' necks cut: the pixels on one side of each cut line
    made background; ``sigma`` the density's smoothing scale (pixels).

    A mask larger than ``MAX_SIDE`` is analysed block-reduced to that side, and
    every mask pixel takes the part of its nearest block."""
    step = reduction_step(mask.shape, MAX_SIDE)
    if step == 1:
        return mask & ~_cut_line(_parts(mask, counts, sigma))
    small = block_reduce(mask, (step, step), np.mean) >= 0.5
    parts = _parts(small, block_reduce(counts, (step, step), np.sum), sigma / step)
    return mask & ~_cut_line(spread_labels(parts, step, mask))


def _parts(mask, counts, sigma):
    """Part of each mask pixel (ids > 0, 0 outside): the area's thickness peaks merged across every pass but the empty
    necks and the dumbbells'."""
    depth = edt(mask)
    tops = local_maxima(depth) & mask
    markers, n = ndimage.label(tops, structure=np.ones((3, 3)))
    parts = watershed(-depth, markers, mask=mask)
    if n < 2:
        return parts
    pairs, widths, where = passes_between(parts, depth)
    thickness = np.zeros(n + 1)
    thickness[markers[tops]] = depth[tops]  # a part's thickest pixels are its peak's
    points = np.bincount(parts.ravel(), weights=counts.ravel(), minlength=n + 1)
    area = np.bincount(parts.ravel(), minlength=n + 1).astype(np.float64)
    parent = np.arange(n + 1)
    for (a, b), width, pixel in sorted(zip(pairs.tolist(), widths, where), key=lambda p: -p[1]):
        ra, rb = find_root(parent, a), find_root(parent, b)
        if ra == rb:
            continue
        pair = [ra, rb]
        thinner = thickness[pair].min()
        if (
            width < NECK * thinner
            and thinner >= MIN_THICKNESS
            and points[pair].min() >= MIN_POINTS
            and (_dumbbell(points[pair], area[pair], thickness[pair], sigma)
                 or _empty(mask, counts, pixel, width, (points[pair] / area[pair]).min()))
        ):
            continue
        keep, gone = (ra, rb) if thickness[ra] >= thickness[rb] else (rb, ra)
        parent[gone] = keep
        thickness[keep], points[keep], area[keep] = thickness[pair].max(), points[pair].sum(), area[pair].sum()
    return np.array([find_root(parent, i) for i in range(n + 1)])[parts]


def _dumbbell(points, area, thickness, sigma):
    """Whether two parts (arrays of their points, areas and thicknesses) are blobs of one density (``COMPACT``,
    ``BLOB`` x ``sigma``, ``SAME_DENSITY``)."""
    density = points / area
    return ((area / thickness**2).max() <= COMPACT and thickness.min() >= BLOB * sigma
            and density.max() <= SAME_DENSITY * density.min())


def _empty(mask, counts, pixel, width, density):
    """Whether the area pixels within 2 x max(width, MIN_THICKNESS) of the pass hold fewer than EMPTY x ``density``
    points per pixel."""
    radius = WINDOW * max(width, MIN_THICKNESS)
    row, col = np.unravel_index(pixel, mask.shape)
    r = int(np.ceil(radius))
    box = np.s_[max(row - r, 0) : min(row + r + 1, mask.shape[0]), max(col - r, 0) : min(col + r + 1, mask.shape[1])]
    rows, cols = np.ogrid[box]
    window = mask[box] & ((rows - row) ** 2 + (cols - col) ** 2 <= radius**2)
    return counts[box][window].sum() < EMPTY * density * window.sum()


def _cut_line(groups):
    """Pixels (bool) whose right or lower neighbour is in another group (0 is no group): removing them leaves no two
    groups 4-connected."""
    line = np.zeros(groups.shape, bool)
    line[:, :-1] |= (groups[:, :-1] != groups[:, 1:]) & (groups[:, :-1] > 0) & (groups[:, 1:] > 0)
    line[:-1, :] |= (groups[:-1, :] != groups[1:, :]) & (groups[:-1, :] > 0) & (groups[1:, :] > 0)
    return line
