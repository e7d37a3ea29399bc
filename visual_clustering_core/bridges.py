"""Empty bridges in the cluster-area mask: cut, so the corridor a person sees between two groups is a gap.

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
it stays. Each part grows from a regional maximum of the thickness (a plateau
higher than all around it), so a bridge of even width, which rises into the
parts at its ends, is no part of its own.
"""

import numpy as np
from scipy import ndimage
from skimage.measure import block_reduce
from skimage.morphology import local_maxima
from skimage.segmentation import watershed

from .groups import find_root
from .raster import spread_labels
from .segmentation import passes_between

NECK = 0.5
EMPTY = 0.5
MIN_THICKNESS = 2.0  # pixels: thinner parts are specks of the area's edge
MIN_POINTS = 10
WINDOW = 2.0  # the neck's surroundings: within this many half-widths of the pass
MAX_SIDE = 512  # larger masks (resolution above 512) are analysed block-reduced to this side


def cut_bridges(mask, counts):
    """The area mask (R, R) bool with its empty necks cut: the pixels on one side of each cut line made background.

    A mask larger than ``MAX_SIDE`` is analysed block-reduced to that side, and
    every mask pixel takes the part of its nearest block."""
    step = -(-max(mask.shape) // MAX_SIDE)
    if step == 1:
        return mask & ~_cut_line(_parts(mask, counts))
    small = block_reduce(mask, (step, step), np.mean) >= 0.5
    parts = _parts(small, block_reduce(counts, (step, step), np.sum))
    return mask & ~_cut_line(spread_labels(parts, step, mask))


def _parts(mask, counts):
    """Part of each mask pixel (ids > 0, 0 outside): the area's thickness peaks merged across every pass but the empty
    necks."""
    depth = ndimage.distance_transform_edt(mask)
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
        thinner = min(thickness[ra], thickness[rb])
        if (
            width < NECK * thinner
            and thinner >= MIN_THICKNESS
            and min(points[ra], points[rb]) >= MIN_POINTS
            and _empty(mask, counts, pixel, width, min(points[ra] / area[ra], points[rb] / area[rb]))
        ):
            continue
        keep, gone = (ra, rb) if thickness[ra] >= thickness[rb] else (rb, ra)
        parent[gone] = keep
        thickness[keep], points[keep], area[keep] = max(thickness[ra], thickness[rb]), points[ra] + points[rb], area[ra] + area[rb]
    return np.array([find_root(parent, i) for i in range(n + 1)])[parts]


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
