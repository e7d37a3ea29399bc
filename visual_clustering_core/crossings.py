"""Bands that cross: a cluster's area shaped like crossing lines split into its lines.

The density cannot split two bands that cross (an X): they touch, and the
crossing is their densest place. A person follows each band through the
crossing, and so does this step. The area's skeleton (of the area smoothed
at half its width, so ragged edges grow no spurs) is cut at its junctions into
branches. At a junction where the branches at least ``MIN_LENGTH`` widths long
pair up, four or more of them, each leaving within ``STRAIGHT`` of the
opposite of its partner, every pair is one line going through; at any other
junction all its branches are one shape. A cluster made of two or more lines
is split, each area pixel taking the line of its nearest skeleton pixel.
"""

import numpy as np
from scipy import ndimage
from skimage.draw import line as draw_line
from skimage.morphology import skeletonize

from .groups import find_root
from .raster import spread_labels

STRAIGHT = np.cos(np.radians(30))  # a pair goes straight through when its directions are within 30 degrees of opposite
MIN_LENGTH = 1.5  # branches shorter than this many widths are spurs, which give no direction
DIRECTION_SPAN = 2.0  # a branch's direction: from the junction to its pixels within this many widths
MIN_SKELETON = 10  # pixels: smaller areas are no lines
MAX_FILL = 0.5  # crossing bands fill less than this share of their bounding box; blobs fill more, and are skipped
MAX_SIDE = 512  # larger areas (resolution above 512) are analysed subsampled to this side, so the step stays cheap
EIGHT = np.ones((3, 3), bool)


def split_crossings(areas):
    """The label map of cluster areas (0: background) with each area made of crossing lines split into its lines."""
    out = areas.copy()
    next_id = int(areas.max()) + 1
    for cluster, box in enumerate(ndimage.find_objects(areas), start=1):
        if box is None:
            continue
        box = tuple(slice(max(s.start - 1, 0), s.stop + 1) for s in box)
        mask = areas[box] == cluster
        if mask.mean() > MAX_FILL:
            continue
        lines = _subsampled_lines(mask)
        if lines is None:
            continue
        crop = out[box]
        crop[mask] = np.where(lines[mask] == 1, cluster, lines[mask] - 2 + next_id)
        next_id += int(lines.max()) - 1
    return out


def line_labels(mask):
    """Line of each mask pixel (1..k, 0 outside) when the mask is k >= 2 lines crossing; else None."""
    skeleton, width = _skeleton(mask)
    if skeleton is None:
        return None
    junctions = skeleton & (ndimage.convolve(skeleton.astype(np.int32), EIGHT.astype(np.int32), mode="constant") >= 4)
    if not junctions.any():
        return None
    hubs, n_hubs = ndimage.label(ndimage.distance_transform_edt(~junctions) <= width, structure=EIGHT)
    branches, n_branches = ndimage.label(skeleton & (hubs == 0), structure=EIGHT)
    if n_branches < 4:
        return None
    long = np.bincount(branches.ravel(), minlength=n_branches + 1) >= MIN_LENGTH * width
    long[0] = False
    touching = ndimage.grey_dilation(branches, footprint=EIGHT)
    meets = (hubs > 0) & (touching > 0)
    parent = np.arange(n_branches + 1)

    bridges = []
    for hub in range(1, n_hubs + 1):
        at_hub = hubs == hub
        incident = np.unique(touching[meets & at_hub])
        centre = np.array(ndimage.center_of_mass(at_hub))
        ends = {b: _end(branches, b, centre, width) for b in incident if long[b]}
        pairs = _straight_pairs({b: direction for b, (_, direction) in ends.items()})
        for a, b in pairs:
            parent[find_root(parent, a)] = find_root(parent, b)
            bridges.append((a, ends[a][0], ends[b][0]))
        if not pairs:
            for b in incident[1:]:
                parent[find_root(parent, b)] = find_root(parent, incident[0])
    if not bridges:
        return None
    for branch, start, stop in bridges:  # each line goes on straight through its crossing
        branches[draw_line(*start, *stop)] = branch
    line = np.array([find_root(parent, i) for i in range(n_branches + 1)])
    lines = np.unique(line[np.flatnonzero(long)])
    if len(lines) < 2:
        return None
    number = np.zeros(n_branches + 1, np.int32)
    number[lines] = np.arange(1, len(lines) + 1)
    seeds = number[line[branches]] * (branches > 0)
    _, (rows, cols) = ndimage.distance_transform_edt(seeds == 0, return_indices=True)
    return np.where(mask, seeds[rows, cols], 0)


def _subsampled_lines(mask):
    """``line_labels`` of a mask of any size: found on the mask subsampled to ``MAX_SIDE``, then every mask pixel
    takes the line of the nearest subsampled one."""
    step = -(-max(mask.shape) // MAX_SIDE)
    if step == 1:
        return line_labels(mask)
    lines = line_labels(mask[::step, ::step])
    return None if lines is None else spread_labels(lines, step, mask)


def _skeleton(mask):
    """The skeleton of the mask smoothed at half its width, and that width; (None, 0) for a mask too small."""
    rough = skeletonize(mask).sum()
    if rough < MIN_SKELETON:
        return None, 0.0
    smooth = ndimage.gaussian_filter(mask.astype(np.float32), mask.sum() / rough / 2) > 0.5
    skeleton = skeletonize(smooth)
    if skeleton.sum() < MIN_SKELETON:
        return None, 0.0
    return skeleton, smooth.sum() / skeleton.sum()


def _end(branches, branch, centre, width):
    """Where a branch leaves a junction (its pixel nearest the junction's centre) and its unit direction from there."""
    pixels = np.argwhere(branches == branch)
    distance = np.hypot(*(pixels - centre).T)
    near = pixels[distance <= distance.min() + DIRECTION_SPAN * width]
    direction = near.mean(0) - centre
    return pixels[distance.argmin()], direction / (np.linalg.norm(direction) + 1e-12)


def _straight_pairs(directions):
    """Pairs of branches going straight through a junction, most opposite first; [] unless all of 4+ branches pair."""
    if len(directions) < 4 or len(directions) % 2:
        return []
    keys = list(directions)
    candidates = sorted((float(directions[a] @ directions[b]), a, b) for i, a in enumerate(keys) for b in keys[i + 1 :])
    left, pairs = set(keys), []
    for cosine, a, b in candidates:
        if cosine > -STRAIGHT:
            break
        if a in left and b in left:
            pairs.append((a, b))
            left -= {a, b}
    return pairs if not left else []
