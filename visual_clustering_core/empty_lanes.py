"""Straight empty lanes between filled areas: cut from the cluster-area mask, so what a thin corridor parts stays apart.

Uniform groups parted by a thin straight corridor (squares of points a few
spacings apart) are separate groups to a person however sparse their points.
Sparse, the smoothing kernel (a few spacings wide) fills a corridor narrower
than it and the network draws its area across, so nothing downstream sees the
gap. A lane is a straight strip ``LONG`` times as long as it is wide (``WIDTHS``
pixels of a ``GRID`` a side, ``ANGLES`` orientations) that holds significantly
fewer points than the strips beside it put there: the two strips of twice its
width either side, the fewer of them, halved, is what it should hold; under
Poisson counts the chance of as few is below e^-K, K the log of the number of
strips tested plus ``MARGIN``. Each lane's middle (``CORE`` pixels wide) is cut
from the mask where it parts two pieces of it thicker than ``THICK`` of the
plot's side and holding K points or more: a gap beside a line, between the
arms of a star or across a ring is no cut (the density, the crossings and
the continuations read those).
"""

import cv2
import numpy as np
from scipy import ndimage
from scipy.special import pdtri

from .distances import edt
from .raster import pooled_counts, stretched

GRID = 256  # lanes are sought on the counts pooled to this side (at most)
WIDTHS = (4, 6, 8, 12)  # lane widths, pixels of GRID (1.6 to 4.7% of the plot); even, so a flank is two strips' sums
LONG = 8  # a lane's length in widths
ANGLES = 18  # orientations 10 degrees apart: a strip 5 degrees off a lane drifts 0.35 of its width at either end
CORE = 3  # the pixels of GRID cut along a lane's middle
FEW = 3  # a lane holds at most this many points
MARGIN = 3.0  # the significance: log of the number of strips tested, plus this
THICK = 1 / 16  # the pieces a lane parts are thicker than this share of the plot's side (a line is not)
SIGNIFICANCE = float(np.log(sum(ANGLES * GRID**2 / (LONG * width**2) for width in WIDTHS)) + MARGIN)  # K


# for each count 0..FEW, the least expected count at which holding that many or fewer has a Poisson chance of e^-K:
# a strip's test reads this table
_FEWEST_EXPECTED = pdtri(np.arange(FEW + 1), np.exp(-SIGNIFICANCE)).astype(np.float32)


def cut_empty_lanes(mask, counts, sigma):
    """The area mask with the middles of the empty lanes (``empty_lanes``) that part two thick pieces of it cut;
    ``counts`` the points per pixel of the same grid, ``sigma`` the density's kernel (pixels): one narrower than half
    the narrowest lane leaves a valley along each lane, and none is sought."""
    if sigma < WIDTHS[0] * max(mask.shape[0] / GRID, 1) / 2:
        return mask
    lanes = empty_lanes(counts) & mask
    if not lanes.any():
        return mask
    pieces, n = ndimage.label(mask & ~lanes)
    index = np.arange(n + 1)
    held = ndimage.sum_labels(counts, pieces, index)
    thickness = np.zeros(n + 1)  # each piece's deepest pixel's distance to its edge (ndimage.maximum sorts: slower)
    np.maximum.at(thickness, pieces.ravel(), edt(pieces > 0).ravel())
    thick = (held >= SIGNIFICANCE) & (thickness >= THICK * mask.shape[0])
    thick[0] = False
    pieces = np.where(thick[pieces], pieces, 0)
    segments, m = ndimage.label(lanes, structure=np.ones((3, 3)))
    parting = np.zeros(m + 1, bool)
    for i, box in enumerate(ndimage.find_objects(segments), 1):
        box = tuple(slice(max(s.start - 1, 0), s.stop + 1) for s in box)
        segment = segments[box] == i
        beside = ndimage.binary_dilation(segment, np.ones((3, 3), bool)) & ~segment
        parting[i] = len(np.unique(pieces[box][beside & (pieces[box] > 0)])) >= 2
    return mask & ~parting[segments]


def empty_lanes(counts):
    """The middles of the straight strips that hold significantly fewer points than the strips either side of them,
    on the grid of ``counts`` (bool)."""
    side = counts.shape[0]
    pooled = pooled_counts(counts, GRID) if side > GRID else counts
    pooled = pooled.astype(np.float32)
    found = np.zeros(pooled.shape, bool)
    for step in range(ANGLES):
        turn = cv2.getRotationMatrix2D(((pooled.shape[1] - 1) / 2, (pooled.shape[0] - 1) / 2), 180 * step / ANGLES, 1)
        turned = cv2.warpAffine(pooled, turn, pooled.shape[::-1], flags=cv2.INTER_LINEAR)
        middles = np.zeros(pooled.shape, np.uint8)
        for width in WIDTHS:
            lanes = _lanes(turned, width)
            if lanes.any():
                middles |= cv2.dilate(lanes.view(np.uint8), np.ones((CORE, LONG * width), np.uint8))
        if middles.any():
            back = cv2.warpAffine(middles, turn, pooled.shape[::-1], flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP)
            found |= back > 0
    return stretched(found[None], side)[0]


def _lanes(counts, width):
    """The centres of the horizontal strips ``width`` x ``LONG`` widths that hold significantly few points."""
    half = width // 2  # a flank, twice a strip's width, is the two strips half a width above and below its centre
    strips = _box(cv2.copyMakeBorder(counts, half, half, 0, 0, cv2.BORDER_CONSTANT, value=0), LONG * width, width)
    strip, flank = strips[half:-half], strips[: -2 * half] + strips[2 * half:]
    shift = width + half  # from a strip's centre to the centre of the flank beside it
    inner = strip[shift:-shift]  # the strips with a flank either side
    expected = np.minimum(flank[: -2 * shift], flank[2 * shift:]) / 2
    few = (inner < FEW + 0.5) & (expected >= _FEWEST_EXPECTED[0])
    lanes = np.zeros(counts.shape, bool)
    if few.any():
        lanes[shift:-shift][few] = expected[few] >= _FEWEST_EXPECTED[np.rint(inner[few]).astype(np.int64)]
    return lanes


def _box(image, length, width):
    """Sums of ``image`` over the horizontal boxes ``length`` x ``width`` centred on each pixel (zero beyond it)."""
    return cv2.boxFilter(image, -1, (int(length), int(width)), normalize=False, borderType=cv2.BORDER_CONSTANT)
