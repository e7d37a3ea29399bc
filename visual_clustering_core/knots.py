"""Blobs on lines: a dense blob that a line runs into or through, a cluster of its own, as a person sees it.

The density cannot part them: along the line it rises into the blob with no
dip, so the blob's mode drains the line and the two are one cluster (a dense
blob sitting on a thin ring). A person sees the blob by its width: the line
swells there to several times its own. So in a cluster's area shaped like a
line (``crossings.line_like``), the pixels deeper than ``RADIUS`` of the
line's widths (its median width along its skeleton) are the cores of its
swellings, none of the line itself; each core grown back by as much (the
area opened by a disc that the line cannot hold) is a knot, with the pieces of
the area beside it that lie off the line (over ``RADIUS`` widths from its
skeleton: the blob's ragged edge, which the disc could not reach). A knot is a
cluster of its own when its deepest pixel lies ``SIZE`` widths inside the
area, it holds at least ``DENSER`` times the points per pixel of the rest (a
patch of background noise the area took in is sparser), and the rest is a
line at least ``LONG`` widths long along its skeleton (an island's short
thick arm is no line).
"""

import numpy as np
from scipy import ndimage

from .crossings import EIGHT, MAX_SIDE, line_like, skeleton_of
from .distances import edt
from .raster import reduction_step, widened

RADIUS = 1.0
SIZE = 1.5
DENSER = 1.0
LONG = 10.0


def split_knots(areas, counts):
    """The cluster areas (0: background) with each knot on a line given an id of its own."""
    out = areas.copy()
    next_id = int(areas.max()) + 1
    for cluster, box in enumerate(ndimage.find_objects(areas), start=1):
        if box is None:
            continue
        box = widened(box)
        mask = areas[box] == cluster
        if not line_like(mask):
            continue
        skeleton, step = _skeleton(mask)
        if skeleton is None:
            continue
        width = 2.0 * step * float(np.median(edt(mask[::step, ::step])[skeleton]))
        depth = edt(mask)
        cores, n = ndimage.label(depth >= RADIUS * width, structure=EIGHT)
        for core in range(1, n + 1):
            inside = cores == core
            if depth[inside].max() < SIZE * width:
                continue
            knot = mask & (edt(~inside) <= RADIUS * width)
            rest = mask & ~knot
            if counts[box][knot].sum() / knot.sum() < DENSER * counts[box][rest].sum() / rest.sum():
                continue
            line, line_step = _skeleton(rest)
            if line is None or line.sum() * line_step < LONG * width:
                continue
            out[box][_with_its_fringe(knot, rest, line, line_step, width)] = next_id
            next_id += 1
    return out


def _with_its_fringe(knot, rest, line, step, width):
    """The ``knot`` with the pieces of the ``rest`` beside it that lie off the line (over ``RADIUS`` of its ``width``
    from its skeleton ``line``, subsampled by ``step``): the blob's ragged edge, which the disc opening the knot could
    not reach, is the blob's, not the line's."""
    on_line = np.zeros(rest.shape, bool)
    on_line[::step, ::step] = line
    off = rest & (edt(~on_line) > RADIUS * width)
    pieces, _ = ndimage.label(off, structure=EIGHT)
    beside = np.unique(pieces[ndimage.binary_dilation(knot, EIGHT) & off])
    return knot | np.isin(pieces, beside[beside > 0])


def _skeleton(mask):
    """The skeleton of the mask subsampled to ``MAX_SIDE`` (``crossings.skeleton_of``; None if too small), and the
    step."""
    step = reduction_step(mask.shape, MAX_SIDE)
    return skeleton_of(mask[::step, ::step])[0], step
