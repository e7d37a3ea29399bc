"""Line pieces that continue into each other: one line, as a person follows a sparse line across a thin stretch.

Points spread at random along a line thin out here and there: the network's
area leaves a gap there, or the density dips to a significant valley, and
the line falls into pieces (a sparse ring, a spiral arm, a line beside a
blob). A person follows the line across. Two clusters whose areas are line
pieces (``crossings.long_enough``; but a piece spanning fewer than ``ROUND``
of the widths its smoothed skeleton shows is a blob, whose ragged edge made
it look thin, where it fills over half its box or is over ``THICK``
smoothing scales wide: a heavy-tailed blob's spiky area fills less) are one
when an end of each, carried on along its tangent and curvature, heads for
the other's end within ``crossings.STRAIGHT``, the two curving on as one
curve (not an S-bend, as the inner ends of spiral arms facing each other
make); the two ends lie
within ``MAX_GAP`` of the wider piece's widths (or ``MAX_GAP_SIGMAS``
smoothing scales) of each other; no third cluster lies on the way from one
to the other; and the points between the ends (off both areas) fall short
of what the pieces' own points per length predict over the stretch off
them no more than a Poisson count does ``SIGNIFICANCE`` standard deviations
out (``_short``): the gap of a sparse line, a handful of points missing. A
piece's points per length are its points over its length: its skeleton's
and, past each of the skeleton's ends (smoothing pulls them in), its area's
reach beyond it along the end's tangent. Dense lines keep
their gaps (where hundreds of points are missing, the pieces are two), and
touching worms their ends. A stub, a cluster whose area is one piece too
short to be a line, at most ``STUB_WIDTH`` times as wide as the line heading
for it and no denser (``SAME``), joins that line on the same terms (the stub
has no heading of its own); it may take a line end on each side, as the
middle piece of a line cut twice, and the line end carried on through it
takes the next stub on its heading (turned, a sparse line falls into a row
of stubs). Two line ends that turn into each other by up to ``CORNER`` are
one line bent at a corner (a zigzag cut near its corner: the kernel
brightens a corner's inside, so the density dips beyond it) when they lie
within ``CORNER_GAP`` widths of each other and of the point where their
headings cross ahead of both (or up to ``BEHIND`` widths back from one:
an end whose skeleton bends into the corner lies a little past it; two
lines side by side, their ends parallel, make no corner), no third line
ends within ``ALONE`` widths (where three or more ends meet, lines cross
or radiate; the other end of a piece that is one simple line, short, is no
third),
the points around the corner are not ``_short`` of what the pieces' points
per length predict (a sparse zigzag's corner may hold a handful of points
fewer; the tails of two elongated blobs, hundreds fewer, do not run on),
the pieces hold within ``SAME`` times each other's points per length (one
line through its corner, not two lines meeting), and they continue as above
but for the S-bend test: fitted over the bend, a corner's ends turn by
chance. A stub spanning ``ELONGATED`` of its widths has an end where its
principal axis leaves it, which meets a line's end as wide (within
``STUB_WIDTH`` times) at a corner on those terms (a sparse zigzag's leg
too short to be a line); never straight on (two blobs the watershed parts
are stubs end to end) nor another stub's.
"""

import numpy as np
from scipy import ndimage
from scipy.special import ndtr, pdtr

from .crossings import (EIGHT, MAX_FILL, SIGNIFICANCE, STRAIGHT, area_width, branch_end, deviation, long_enough,
                        skeleton_of)
from .groups import find_root
from .raster import widened

MAX_GAP = 4.0  # widths between two skeleton ends: each lies up to 1.5 widths inside its area's tip (smoothed)
MAX_GAP_SIGMAS = 2.0
# ends turning more than this over half the gap, the same way along it, make an S-bend (a straight sparse line's
# fitted ends turn by up to 4 degrees by chance)
BENT = np.radians(6)
STUB_WIDTH = 1.5  # a stub is at most this many times as wide as the line heading into it
CORNER = np.radians(100)  # two line ends turning into each other by up to this much may meet at a corner...
CORNER_GAP = 2.0  # ...when within this many widths of each other (each end up to 1.5 widths inside its tip),
BEHIND = 0.5  # and their headings cross ahead of both, or this many widths behind one,
ALONE = 2.5  # no third line end lies within this many widths of their middle (more than CORNER_GAP reaches),
SAME = 1.5  # ...and the pieces' points per length are within this factor of each other
ROUND = 4.0  # a piece filling over half its box spanning fewer of its smoothed skeleton's widths is a blob, no line
THICK = 4.5  # ...or one wider than this many sigma (a thin line's smoothed area spans about 4: +-2 sd)
ELONGATED = 3.0  # a stub spanning this many of its widths along its principal axis has two ends there
_RARE = float(ndtr(-SIGNIFICANCE))  # a Poisson count's tail as rare as a normal's SIGNIFICANCE sd below its mean


def join_continued_lines(areas, counts, sigma, parted=None):
    """The cluster areas (0: background) with line pieces that continue into each other given one id; never two lines
    parted from one another (``parted``: the group of lines each id was parted from, 0 for none: lines split at their
    crossing, ``crossings.split_crossings``, whose ends there head into each other's line; lines side by side,
    ``side_by_side``)."""
    parted = np.zeros(int(areas.max()) + 1, np.int32) if parted is None else parted
    pieces = list(_pieces(areas))
    ends = _line_ends(pieces, counts, sigma)
    stubs = _stubs(pieces, ends, counts)
    n_lines = len(ends)
    ends += _stub_ends(stubs)  # they meet line ends at corners only
    line_ends = list(ends)  # those appended beyond them are line ends carried on through a stub, from its far side
    chains = [{end[0]} for end in ends]  # the clusters each end's line has come through
    candidates = []  # (turn, end, the other end or None for a stub, the other's cluster)
    tested = set()
    i = 0
    while i < len(ends):
        for j in range(len(ends)):
            if ends[j][0] in chains[i] or ends[i][0] in chains[j] or (min(i, j), max(i, j)) in tested:
                continue
            if parted[ends[i][0]] and parted[ends[i][0]] == parted[ends[j][0]]:
                continue
            tested.add((min(i, j), max(i, j)))
            stub_ends = [k for k in (i, j) if n_lines <= k < len(line_ends)]
            widths = ends[i][2], ends[j][2]
            if len(stub_ends) == 2 or (stub_ends and max(widths) > STUB_WIDTH * min(widths)):
                continue  # a stub's end meets a line's end as wide, within STUB_WIDTH times, or none
            turn = deviation(ends[i][1], ends[j][1])
            straight = turn <= STRAIGHT and not stub_ends
            corner = (not straight and max(i, j) < len(line_ends) and turn <= CORNER
                      and _corner(counts, *_at_corner(line_ends, n_lines, i, j)))
            if (straight or corner) and _continues(areas, counts, sigma, ends[i], ends[j], s_bends=straight):
                candidates.append((turn, i, j, ends[j][0]))
        for stub, pixels, *size in stubs if not n_lines <= i < len(line_ends) else ():
            if stub in chains[i] or not _stub_of(ends[i], pixels, *size):
                continue
            facing = _stub_end(ends[i][1][0], pixels)
            turn = deviation(ends[i][1], facing)
            if turn <= STRAIGHT and _continues(areas, counts, sigma, ends[i], (stub, facing, *ends[i][2:])):
                candidates.append((turn, i, None, stub))
                ends.append(_carried(ends[i], stub, pixels))
                chains.append(chains[i] | {stub})
        i += 1
    if not candidates:
        return areas
    parent = np.arange(int(areas.max()) + 1)
    used = set()
    for _, i, j, other in sorted(candidates, key=lambda c: c[:2]):  # each line end into one other, straightest first
        if i not in used and j not in used:
            used |= {i, j} - {None}  # a stub may take a line end on each side
            parent[find_root(parent, ends[i][0])] = find_root(parent, other)
    return np.array([find_root(parent, i) for i in range(len(parent))], np.int32)[areas]


def _pieces(areas):
    """(cluster, box, its pieces labelled in the box, their number) of each cluster, the box one pixel wider than its
    area."""
    for cluster, box in enumerate(ndimage.find_objects(areas), start=1):
        if box is not None:
            box = widened(box)
            yield (cluster, box, *ndimage.label(areas[box] == cluster, structure=EIGHT))


def _line_ends(pieces, counts, sigma):
    """(cluster, (end pixel, tangent, curvature), width, points per length) of each end of each cluster's connected
    pieces (``_pieces``) that are lines (no short piece, under ``ROUND`` widths, that fills over half its box or is
    over ``THICK`` sigma wide); a piece's length is its skeleton's and its area's reach past the skeleton's ends along
    their tangents."""
    ends = []
    for cluster, box, labelled, _ in pieces:
        for piece, inner in enumerate(ndimage.find_objects(labelled), start=1):
            inner = widened(inner)
            mask = labelled[inner] == piece
            if not long_enough(mask):
                continue
            skeleton, width = skeleton_of(mask)
            blob = mask.mean() > MAX_FILL or width > THICK * sigma
            if skeleton is None or (blob and np.hypot(*mask.shape) < ROUND * width):
                continue
            offset = np.array([box[0].start + inner[0].start, box[1].start + inner[1].start])
            neighbours = ndimage.convolve(skeleton.astype(np.int32), EIGHT.astype(np.int32), mode="constant")
            tips = skeleton & (neighbours == 2)  # the pixel and one neighbour
            branch = skeleton.astype(np.int32)
            found = [branch_end(branch, 1, tip, width) for tip in np.argwhere(tips)]
            area = np.argwhere(mask)
            beyond = sum(max(0.0, float(((area - end) @ tangent).max())) for end, tangent, _ in found)
            per_length = counts[box][inner][mask].sum() / (skeleton.sum() + beyond)
            for end, tangent, curvature in found:
                ends.append((cluster, (end + offset, tangent, curvature), width, per_length))
    return ends


def _stub_ends(stubs):
    """(cluster, (end, heading, curvature 0), width, points per length) of each end of each stub (``_stubs``) spanning
    ``ELONGATED`` of its widths or more: where its principal axis through its centre leaves it, heading out along it."""
    ends = []
    for cluster, pixels, width, points, length in stubs:
        if length < ELONGATED * width or len(pixels) < 3:
            continue
        centre, axis = pixels.mean(0), _principal_axis(pixels)
        along = (pixels - centre) @ axis
        for heading, reach in ((axis, along.max()), (-axis, -along.min())):
            ends.append((cluster, (centre + reach * heading, heading, 0.0), width, points / length))
    return ends


def _at_corner(line_ends, n_lines, i, j):
    """``_corner``'s ends and the indices of ends i and j among them: the lines' ends and, of the stubs' (those from
    ``n_lines`` on), i's and j's alone (a stub's end is no third end at another pair's corner)."""
    own = [k for k in (i, j) if k >= n_lines]
    pool = line_ends[:n_lines] + [line_ends[k] for k in own]
    return pool, *(k if k < n_lines else n_lines + own.index(k) for k in (i, j))


def _corner(counts, ends, i, j):
    """Whether line ends i and j (``_line_ends``) meet at a corner: within ``CORNER_GAP`` widths, heading into it (each
    end's tangent meets the other's ahead of both, within as many widths, or ``BEHIND`` widths back: the ends of two
    lines side by side head past each other), their pieces' points per length within ``SAME`` times each other's, no
    third end within ``ALONE`` widths of their middle (the other end of a cluster that is one simple line, two ends,
    is none), and the points within a width of it not ``_short`` of the pieces' points per length."""
    (_, (tip_a, heading_a, _), width_a, per_a), (_, (tip_b, heading_b, _), width_b, per_b) = ends[i], ends[j]
    width = max(width_a, width_b)
    if np.linalg.norm(tip_b - tip_a) > CORNER_GAP * width or max(per_a, per_b) > SAME * min(per_a, per_b):
        return False
    if not _meet_ahead(tip_a, heading_a, tip_b, heading_b, CORNER_GAP * width, BEHIND * width):
        return False
    middle = (tip_a + tip_b) / 2
    simple = [ends[k][0] for k in (i, j) if sum(end[0] == ends[k][0] for end in ends) == 2]
    tips = np.array([end[1][0] for k, end in enumerate(ends) if k in (i, j) or end[0] not in simple])
    if np.count_nonzero(np.hypot(*(tips - middle).T) <= ALONE * width) > 2:
        return False
    rows, cols = np.ogrid[: counts.shape[0], : counts.shape[1]]
    around = (rows - middle[0]) ** 2 + (cols - middle[1]) ** 2 <= width**2
    return not _short(counts[around].sum(), 2 * width * min(per_a, per_b))


def _meet_ahead(tip_a, heading_a, tip_b, heading_b, reach, behind):
    """Whether the lines from two tips along their (unit) headings cross ahead of both, within ``reach`` of each, or
    at most ``behind`` back from a tip (a skeleton end that bends into its corner lies a little past it)."""
    turn = np.c_[heading_a, -heading_b]
    if abs(np.linalg.det(turn)) < 1e-6:
        return False
    ahead = np.linalg.solve(turn, tip_b - tip_a)
    return bool(np.all((ahead > -behind) & (ahead <= reach)))


def _stubs(pieces, ends, counts):
    """(cluster, pixels, width, points, length) of each cluster whose area is one piece (``_pieces``) and no line
    (``ends``: the ``_line_ends``); its width is ``crossings.area_width``, as for a line, and its length its extent
    along its principal axis."""
    lines = {end[0] for end in ends}
    stubs = []
    for cluster, box, labelled, n in pieces:
        if n == 1 and cluster not in lines:
            mask = labelled > 0
            pixels = np.argwhere(mask) + [box[0].start, box[1].start]
            stubs.append((cluster, pixels, area_width(mask), counts[box][mask].sum(),
                          np.ptp(pixels @ _principal_axis(pixels)) + 1))
    return stubs


def _principal_axis(pixels):
    """The unit direction along which the pixels spread most (zero for fewer than three)."""
    return np.linalg.eigh(np.cov(pixels.T))[1][:, 1] if len(pixels) > 2 else np.zeros(2)


def _stub_of(end, pixels, width, points, length):
    """Whether a stub (``_stubs``) may be a piece of the line that ends at ``end``: at most ``STUB_WIDTH`` times as
    wide, and holding at most ``SAME`` times the points the line's points per length put over its extent along the
    line's heading or its own length, whichever is longer (a dense blob the line runs into is no piece of it; a
    curved piece of a ring runs on beyond its extent along the heading)."""
    _, (_, tangent, _), line_width, per_length = end
    extent = max(np.ptp(pixels @ tangent) + 1, length)
    return width <= STUB_WIDTH * line_width and points <= SAME * per_length * extent


def _stub_end(towards, pixels):
    """A stub's end facing a line's end at ``towards``: its pixel nearest it, heading straight for it (no curve)."""
    end = pixels[np.hypot(*(pixels - towards).T).argmin()]
    chord = towards - end
    return end, chord / (np.linalg.norm(chord) + 1e-12), 0.0


def _carried(end, stub, pixels):
    """A line end carried on through the stub it continues into: from the stub's pixel farthest along its heading,
    heading on the same way (a line cut into a row of stubs)."""
    _, (_, tangent, curvature), *rest = end
    return (stub, (pixels[(pixels @ tangent).argmax()], tangent, curvature), *rest)


def _continues(areas, counts, sigma, a, b, s_bends=True):
    """Whether two line ends (``_line_ends``) that head for each other are near, curve on as one curve (unless
    ``s_bends`` is False), have no third cluster between them, and hold about as many points between them as their
    pieces' points per length predict."""
    (cluster_a, end_a, width_a, per_a), (cluster_b, end_b, width_b, per_b) = a, b
    width = max(width_a, width_b)
    gap = float(np.linalg.norm(end_b[0] - end_a[0]))
    if gap > max(MAX_GAP * width, MAX_GAP_SIGMAS * sigma):
        return False
    turns = np.array([end_a[2], end_b[2]]) * gap / 2  # each end's turn over half the gap (tangents point into it)
    if s_bends and turns.prod() > 0 and np.abs(turns).min() > BENT:
        return False  # an S-bend: two curves facing each other (the inner ends of spiral arms), not one going on
    reach = int(np.ceil(width))
    low = np.maximum(np.minimum(end_a[0], end_b[0]).astype(int) - reach, 0)
    high = np.minimum(np.maximum(end_a[0], end_b[0]).astype(int) + reach + 1, areas.shape)
    crop = tuple(slice(lo, hi) for lo, hi in zip(low, high))
    # the chord between the ends, within half a width of it: no third cluster there, and its points
    along = np.linspace(0, 1, 2 * int(gap) + 2)[:, None] * (end_b[0] - end_a[0]) + end_a[0] - low
    on_chord = tuple(np.clip(np.rint(along).astype(int), 0, np.array(areas[crop].shape) - 1).T)
    chord = np.zeros(areas[crop].shape, bool)
    chord[on_chord] = True
    tube = ndimage.binary_dilation(chord, iterations=max(1, int(round(width / 2))))
    between = areas[crop][tube]
    if np.any((between != 0) & (between != cluster_a) & (between != cluster_b)):
        return False
    # the points off both areas, against the pieces' points per length over the chord's stretch off them: the
    # pieces' own points (a dense blob's, taken for a stub) never fill the gap
    off = areas[crop] == 0
    seen = counts[crop][tube & off].sum()
    expected = min(per_a, per_b) * gap * off[on_chord].mean()
    return not _short(seen, expected)


def _short(seen, expected):
    """Whether ``seen`` points fall short of the ``expected`` Poisson count significantly: as rarely as a normal count
    falls ``SIGNIFICANCE`` standard deviations below its mean (the exact tail: an empty stretch where 24 points were
    due is a gap, which the normal approximation, 4.9 standard deviations, would not call one)."""
    return expected > 0 and pdtr(seen, expected) <= _RARE
