"""Lines side by side: thin lines running alongside each other closer than the smoothing kernel, parted along the
empty lane between them, as a person sees them.

The kernel (chosen to hold about 50 points) blurs two thin lines a few
pixels apart into one band: the density has no valley across it, the
network draws one area, and the lines are one cluster (two close parallel
lines; a line along an ellipse's top). A person sees the lane of empty
paper between them. So each connected piece of the cluster areas long
enough to hold lines (``crossings.long_enough``; cuts up to ``CLOSING``
pixels wide bridged) is read again on its counts smoothed along the local
orientation, ``LENGTH`` sigma long and ``ACROSS`` pixels wide
(``along_structure``), a kernel that leaves the lane empty. Its modes'
basins merge from the highest pass down, but two groups stay apart where
they meet along ``SIDE`` of the piece's widths or more, the mean density on
that boundary is below ``LANE`` of the lower group's height, each holds
``MIN_POINTS`` points or more, and the lower group's ridge holds ``DENSE``
points or more per pixel across within a kernel's length (a sparse band's
chance valleys are no lane; with so many points, a lane at ``LANE`` of them
is over 2 standard deviations of a Poisson count below them for each pixel
across and kernel along it). Both
must be lines, spanning ``LINE`` of their widths (a chain of touching blobs
is no line). The lines part a cluster that a lane between two of them runs
through for ``SIDE`` widths (or half its extent: a short piece of the lines
at their end); each piece goes to the cluster lying on its line beside it,
or to one new cluster per line. Where a cluster neither holds such a lane
nor lies on one line (rings that cross, each running along another), the
lines do not explain the clusters, and nothing changes.
"""

import numpy as np
from scipy import ndimage

from .along_structure import LENGTH, AlongStructure
from .crossings import EIGHT, area_width, long_enough
from .dip_tests import meeting
from .groups import find_root
from .raster import nearest_area, widened
from .segmentation import density_basins, passes_between

CLOSING = 2
ACROSS = 0.7  # pixels: the kernel across a line (sd); two lines 4 px apart keep a lane under it
SIDE = 3.0
LANE = 0.25
MIN_POINTS = 30
DENSE = 12.0
LINE = 10.0  # the groups a lane parts are lines: each spans this many of its widths (chains of blobs: 7)
HOME = 0.9  # a cluster the lines leave whole lies on one line: this share of its points or more


def split_side_by_side(areas, counts, sigma, parted):
    """The cluster areas (0: background) with the clusters that lines side by side run through parted between the
    lines, and ``parted`` (the group of lines each id was parted from, 0 for none: ``crossings.split_crossings``)
    extended so that the lines of each such group share one."""
    out = areas.copy()
    parted = list(parted) + [0] * (int(areas.max()) + 1 - len(parted))
    closed = ndimage.binary_closing(areas > 0, EIGHT, iterations=CLOSING) | (areas > 0)
    pieces, _ = ndimage.label(closed, structure=EIGHT)
    for piece, box in enumerate(ndimage.find_objects(pieces), start=1):
        box = widened(box)
        mask = pieces[box] == piece
        if not long_enough(mask):
            continue
        width = area_width(mask)
        found = _lines(mask, np.where(mask, counts[box], 0), sigma, width)
        if found is None:
            continue
        lines, apart = found
        near = np.where(mask, nearest_area(areas[box])[1], 0)  # the pixels a closing added take their neighbours'
        sides = _part(out[box], near, lines, apart, counts[box], width, int(out.max()) + 1)
        if sides:
            parted += [0] * (int(out.max()) + 1 - len(parted))
            mark = next((parted[i] for i in sides if parted[i]), max(parted) + 1)
            for i in sides:
                parted[i] = mark
    return out, np.array(parted, np.int32)


def _lines(mask, counts, sigma, width):
    """The lines side by side in a connected area (``mask``, ``counts`` in it): each pixel's line (0 outside) and the
    pairs of lines a lane parts; None where no lane parts two lines."""
    density = AlongStructure(counts, sigma, across=ACROSS).density
    basins, n = density_basins(np.where(mask, density, 0), sigma)
    basins = np.where(mask, basins, 0)
    if n < 2:
        return None
    parent, apart, points = _merge(basins, n, density, counts, sigma, width)
    roots = np.array([find_root(parent, i) for i in range(n + 1)])
    lines = roots[basins]
    kept = (roots == np.arange(n + 1)) & (points >= MIN_POINTS)
    kept[0] = False
    apart = {(roots[a], roots[b]) for a, b in apart if roots[a] != roots[b] and kept[roots[a]] and kept[roots[b]]}
    if not apart:
        return None
    lines = np.where(mask, nearest_area(np.where(kept[lines], lines, 0))[1], 0)
    apart = {pair for pair in apart if all(_is_line(lines == i) for i in pair)}
    return (lines, apart) if apart else None


def _is_line(mask):
    """Whether a group's pixels are a line: its box spans ``LINE`` of its widths (``crossings.area_width``)."""
    box = mask[ndimage.find_objects(mask.astype(np.int8))[0]]
    return np.hypot(*box.shape) >= LINE * area_width(box)


def _merge(basins, n, density, counts, sigma, width):
    """Basins merged from the highest pass down but where a lane parts two groups: each basin's root, the pairs of
    basins a lane kept apart, and each root's points."""
    pairs, passes, _ = passes_between(basins, density)
    index = np.arange(1, n + 1)
    peak = np.r_[0.0, ndimage.maximum(density, basins, index)]
    held = np.r_[0.0, ndimage.sum_labels(counts, basins, index)]
    points, height = held.copy(), peak.copy()
    members = [[i] for i in range(n + 1)]
    boundary = _boundaries(basins, density)  # per root, per neighbouring root: [pixel pairs, their density summed]
    parent = np.arange(n + 1)
    apart = []
    reach = 2 * np.pi * LENGTH * sigma  # x density: a ridge's points per pixel across within a kernel's length
    for a, b in pairs[np.argsort(-passes, kind="stable")]:
        ra, rb = find_root(parent, a), find_root(parent, b)
        if ra == rb:
            continue
        length, summed = boundary[ra].get(rb, (0, 0.0))
        top = min(height[ra], height[rb])
        if (length >= SIDE * width and min(points[ra], points[rb]) >= MIN_POINTS
                and summed / length < LANE * top and top * reach >= DENSE):
            apart.append((a, b))
            continue
        parent[ra] = rb
        members[rb] += members[ra]
        points[rb] += points[ra]
        height[rb] = np.average(peak[members[rb]], weights=held[members[rb]] + 1e-12)
        neighbours, boundary[ra] = boundary[ra], {}
        for other, (pairs_there, summed_there) in neighbours.items():
            if other == rb:
                continue
            count, total = boundary[rb].get(other, (0, 0.0))
            boundary[rb][other] = boundary[other][rb] = (count + pairs_there, total + summed_there)
            del boundary[other][ra]
        boundary[rb].pop(ra, None)
    return parent, apart, points


def _boundaries(basins, density):
    """For each basin, each 4-neighbouring basin: the pixel pairs where they meet (about the boundary's length) and
    the lower density of each pair, summed."""
    n = int(basins.max()) + 1
    boundary = [dict() for _ in range(n)]
    for axis in (0, 1):
        head = [slice(None)] * 2
        tail = [slice(None)] * 2
        head[axis], tail[axis] = slice(None, -1), slice(1, None)
        a, b = basins[tuple(head)], basins[tuple(tail)]
        meet = (a != b) & (a > 0) & (b > 0)
        low = np.minimum(density[tuple(head)][meet], density[tuple(tail)][meet])
        key = np.minimum(a[meet], b[meet]).astype(np.int64) * n + np.maximum(a[meet], b[meet])
        keys, inverse = np.unique(key, return_inverse=True)
        counts, sums = np.bincount(inverse), np.bincount(inverse, weights=low)
        for k, c, s in zip(keys, counts, sums):
            i, j = int(k // n), int(k % n)
            count, total = boundary[i].get(j, (0, 0.0))
            boundary[i][j] = boundary[j][i] = (count + int(c), total + float(s))
    return boundary


def _part(areas, near, lines, apart, counts, width, next_id):
    """Part the clusters of a connected area that a lane between two lines runs through for ``SIDE`` widths, in
    place (``areas``: the label map's crop; ``near``: each pixel of the area's nearest cluster; ``lines``: each
    pixel's line): each piece goes to the cluster that lies on its line and touches it most, or to a new id per line
    (from ``next_id`` on). The ids the lines' pieces took; none where nothing was parted, or where a cluster neither
    holds a lane nor lies on one line."""
    here = [int(c) for c in np.unique(near) if c]
    held = {c for c in here if any(_lane_runs_through(near == c, lines, g, h, width) for g, h in apart)}
    if not held:
        return []
    ids = [int(i) for i in np.unique(lines) if i > 0]
    side = int(lines.max()) + 1  # each cluster's points on each line, a row a cluster
    on = np.bincount((near * side + lines).ravel(), counts.ravel(), (int(near.max()) + 1) * side).reshape(-1, side)[:, ids]
    home = {}
    for c in set(here) - held:
        if on[c].max() < HOME * on[c].sum():
            return []
        home[c] = ids[int(on[c].argmax())]
    clusters = np.where(areas > 0, near, 0)
    pieces = np.isin(clusters, list(held))
    taken = []
    for i in ids:
        piece = pieces & (lines == i)
        if not piece.any():
            continue
        beside = np.where(np.isin(clusters, [c for c in home if home[c] == i]), clusters, 0)
        touching = beside[ndimage.binary_dilation(piece, EIGHT) & (beside > 0)]
        if len(touching):
            values, number = np.unique(touching, return_counts=True)
            to = int(values[number.argmax()])
        else:
            to, next_id = next_id, next_id + 1
        areas[piece] = to
        taken.append(to)
    return taken


def _lane_runs_through(cluster, lines, g, h, width):
    """Whether the lane between lines g and h runs through the cluster (a mask) for ``SIDE`` widths or more, or for
    half its extent (a short piece of the lines)."""
    rows, cols = np.nonzero(cluster)
    extent = max(np.ptp(rows), np.ptp(cols)) + 1
    return meeting(cluster & (lines == g), cluster & (lines == h)).sum() / 2 >= min(SIDE * width, extent / 2)
