"""Lines that cross or meet: an area shaped like crossing lines (an X, interlocking rings, a star) split into its lines.

The density cannot split lines that cross: they touch, and each crossing is
their densest place, so the density cuts them there instead. A person follows
each line through its crossings, and so does this step. The skeleton of a
connected area thin enough to be lines (``MAX_FILL``, ``MIN_EXTENT``), made
of the area smoothed at half its width so ragged edges grow no spurs, is cut
at its junctions into branches; a short branch between two junctions is part
of one crossing (a longer one between two forks whose lines go on through
it: lines crossing at a narrow slant). At a junction where the branches at
least ``MIN_LENGTH`` widths long pair up, four or more of them, each carried on along its own
tangent and curvature heading for its partner's end within ``STRAIGHT``, every
pair is one line going through (not two straight lines at an angle, ``KINK``:
rays of a star); where ``CROWDED`` or more meet (crossings close
together), the pairs that go through, two at least. Where they do not, but three or more of them
are each a line ``RAY`` widths long, or three meet, two going straight through, of which one is a line, and the
third a line (a T whose bar ends short of ``RAY`` on one side: a line crossing a ring where the ring's area
breaks beside the crossing), lines meet at a point (a T, a star,
trajectories fanning out from one start): the pairs that go straight through
are one line each (a T's bar, a fan's short trunk and the line it heads
into), every other branch is a line of its own. At any other junction (a
spur, a blob's short arms) all its branches are one shape, unless two of its long
branches go on through crossings elsewhere as two lines (a sine and a line that
cross and run on past their last crossing as one short spur): those stay apart,
and each other long branch goes with the one it continues best; each of those lines runs on past the junction along
its heading (``CURVE_SPAN`` widths of the area at most), so the short ends past their last crossing take the line
they continue, not the nearer skeleton's. A branch that
leaves a junction and comes back to it is cut at its middle into two. An
area of two or more rings that cross or touch is split by the holes they
enclose first (``rings``: thick rings crowd their crossings into one hub);
the pieces of a sparse ring whose area broke apart are read with it (but
not a blob an empty break joins to them: a disc amid two arcs), and so
are the pieces of sparse lines whose area broke apart (often at their
crossing, where the network sees a blob) when a closing over ``BROKEN`` of
their widths joins them and each break holds about as many points as their
area's points per pixel predict (``SIGNIFICANCE``; blobs and dense lines
apart keep their gaps). A
connected area made of two or more lines becomes its lines,
whatever clusters the density made in it; each area pixel takes the line of
its nearest skeleton pixel, the lines drawn on through their crossings along
their curves.
"""

from itertools import combinations

import numpy as np
from scipy import ndimage
from skimage.graph import MCP_Geometric
from skimage.morphology import skeletonize

from .distances import edt
from .groups import find_root
from .raster import reduction_step, spread_labels, widened
from .rings import BREAKS, closed, closes_holes, ring_labels

STRAIGHT = np.radians(30)  # a pair goes on through when each heads for the other within 30 degrees
KINK = np.radians(20)  # ...but not two straight lines whose tangents turn by more than this between them
CURVE_SPAN = 4.0  # a branch's tangent and curvature at an end: from its pixels within this many widths
MIN_LENGTH = 1.5  # branches shorter than this many widths are spurs, which give no direction
FORK_SPAN = 4.0  # two forks up to this many widths apart may be one crossing at a narrow slant (30 degrees: 3.7)
RAY = 6.0  # branches at least this many widths long are lines: three or more meeting at a point stay apart
CROWDED = 6  # a junction of this many branches or more holds several crossings: the pairs that go through split it
MIN_EXTENT = 6.0  # an area whose bounding box spans fewer of its widths holds no crossing worth the skeleton
MIN_SKELETON = 10  # pixels: smaller areas are no lines
MAX_FILL = 0.5  # crossing bands fill less than this share of their bounding box; blobs fill more, and are skipped
MAX_SIDE = 512  # larger areas (resolution above 512) are analysed subsampled to this side, so the step stays cheap
BROKEN = 1.0  # breaks up to twice this many widths in the area of crossing lines are closed to read their lines...
SIGNIFICANCE = 5.0  # ...unless a break falls short of its area's points per pixel by this many standard deviations
EIGHT = np.ones((3, 3), bool)


def split_crossings(areas, counts):
    """The label map of cluster areas (0: background) with each connected area made of crossing lines split into its
    lines, whatever clusters the density made in it (a crossing is its lines' densest place, so the density cuts
    them there); and the crossing each id of it comes from (1, 2, ... for the lines of one area; 0 for the rest).
    ``counts``: the points per pixel."""
    out = areas.copy()
    first_line = next_id = int(areas.max()) + 1
    crossing, split = [0] * next_id, []
    for mask, box, lines in _line_areas(ndimage.label(areas > 0)[0], counts):
        split.append(np.unique(areas[box][mask]))
        out[box][mask] = lines[mask] - 1 + next_id
        next_id += int(lines.max())
        crossing += [len(split)] * int(lines.max())
    if split:
        out = _orphans_to_lines(out, np.unique(np.concatenate(split)), first_line)
    return out, np.array(crossing, np.int32)


def _line_areas(components, counts):
    """(mask, box, lines) of each area made of two or more lines crossing or meeting (``ring_labels``, else
    ``line_labels``): the pieces of rings the area map broke apart, read together (``_broken_rings``), then those of
    lines (``_broken_lines``), and each other connected area that may be lines (``line_like``)."""
    boxes = [widened(box) for box in ndimage.find_objects(components)]
    masks = [components[box] == c for c, box in enumerate(boxes, start=1)]
    lines_like = np.array([False] + [line_like(mask) for mask in masks])
    if not lines_like.any():
        return []
    found, done, holed = _broken_rings(components, lines_like, counts)
    broken, read = _broken_lines(components, lines_like, counts, done | holed)
    found += broken
    done |= read
    for component in np.flatnonzero(lines_like):
        if component in done:
            continue
        box, mask = boxes[component - 1], masks[component - 1]
        lines = ring_labels(mask, area_width(mask), BREAKS if component in holed else ())
        if lines is None:
            lines = _subsampled_lines(mask)
        if lines is not None:
            found.append((mask, box, lines))
    return found


def _broken_rings(components, lines_like, counts):
    """The pieces of rings the area map broke apart: area components that a closing over ``rings.BREAKS`` of the
    lines' width (of the components ``lines_like``, by id) joins into a shape with lines among them and two wide
    holes or more, one of them at least closed by it, and no blob among them cut off (``_blob_cut_off``: an empty
    gap between a disc and the arcs around it is no break of a ring). Returns the (mask, box, ring labels) of each
    such group of two or more components read as rings, the ids of their components, and the ids of every component
    in such a shape (to be read with its breaks closed)."""
    found, done, holed = [], set(), set()
    for box, shut, members, width in _closed_groups(components, lines_like, BREAKS[-1]):
        mask = np.isin(components[box], members)
        joined = np.where(mask, components[box], 0)
        if not closes_holes(mask, shut, width) or _blob_cut_off(shut & ~mask, joined, counts[box], lines_like):
            continue
        holed.update(members.tolist())
        if len(members) > 1 and (lines := ring_labels(mask, area_width(mask))) is not None:
            found.append((mask, box, lines))
            done.update(members.tolist())
    return found, done, holed


def _broken_lines(components, lines_like, counts, skip):
    """The pieces of sparse lines the area map broke apart: two or more area components (none of the ids ``skip``)
    that a closing over ``BROKEN`` of the lines' width joins, each break between them holding about as many points
    as their area's points per pixel predict (``_breaks_hold_points``), read as lines on the closed shape. Returns
    the (mask, box, lines) of each such group made of two lines or more, and the ids of their components."""
    found, done = [], set()
    for box, shut, members, _ in _closed_groups(components, lines_like, BROKEN):
        if len(members) < 2 or skip & set(members.tolist()):
            continue
        mask = np.isin(components[box], members)
        if not _breaks_hold_points(shut & ~mask, mask, counts[box]) or (lines := _subsampled_lines(shut)) is None:
            continue
        numbers, lines[mask] = np.unique(lines[mask], return_inverse=True)
        if len(numbers) >= 2:
            found.append((mask, box, np.where(mask, lines + 1, 0)))
            done.update(members.tolist())
    return found, done


def _closed_groups(components, lines_like, breaks):
    """(box, closed mask in it, component ids, the lines' width) of each group of area components that a closing over
    ``breaks`` of the lines' width (of the components ``lines_like``, by id) joins, with lines among them."""
    width = area_width(lines_like[components])
    area = components > 0
    shut = closed(area, breaks * width)
    groups, _ = ndimage.label(shut)
    for group, box in enumerate(ndimage.find_objects(groups), start=1):
        box = widened(box)
        inside = groups[box] == group
        members = np.unique(components[box][inside & area[box]])
        if lines_like[members].any():
            yield box, shut[box] & inside, members, width


def _breaks_hold_points(breaks, mask, counts):
    """Whether each break (a connected stretch of ``breaks``) holds about as many points (``counts``) as the mask's
    points per pixel predict (none is ``_short_breaks``)."""
    return len(_short_breaks(breaks, mask, counts)[1]) == 0


def _blob_cut_off(breaks, joined, counts, lines_like):
    """Whether a break short of points (``_short_breaks``) joins a blob (a component not ``lines_like``, by id) to
    another of the components ``joined`` labels: a dense ring's empty break is read across, an empty gap around a
    disc is not."""
    mask = joined > 0
    gaps, short = _short_breaks(breaks, mask, counts)
    for gap in short:
        touching = np.unique(joined[ndimage.binary_dilation(gaps == gap, EIGHT) & mask])
        if len(touching) > 1 and not lines_like[touching].all():
            return True
    return False


def _short_breaks(breaks, mask, counts):
    """The breaks (connected stretches of ``breaks``, labelled) and the labels of those holding fewer points
    (``counts``) than the mask's points per pixel predict by ``SIGNIFICANCE`` standard deviations of a Poisson
    count or more."""
    gaps, n = ndimage.label(breaks)
    expected = counts[mask].sum() / mask.sum() * np.bincount(gaps.ravel(), minlength=n + 1)[1:]
    seen = np.bincount(gaps.ravel(), counts.ravel(), minlength=n + 1)[1:]
    return gaps, np.flatnonzero(expected - seen > SIGNIFICANCE * np.sqrt(expected)) + 1


def line_like(mask):
    """Whether a connected area (its mask in its box) may be lines: it fills at most ``MAX_FILL`` of its box and is
    ``long_enough``."""
    return mask.mean() <= MAX_FILL and long_enough(mask)


def _orphans_to_lines(areas, split, first_line):
    """The areas with the pieces that clusters split into lines (ids ``split``) held apart from the lines' area (specks
    the area map cut off beside a band) given the nearest line's id (ids from ``first_line`` on)."""
    orphans = np.isin(areas, split)
    if not orphans.any():
        return areas
    _, (rows, cols) = ndimage.distance_transform_edt(areas < first_line, return_indices=True)
    return np.where(orphans, areas[rows, cols], areas)


def long_enough(mask):
    """Whether the mask's bounding box spans ``MIN_EXTENT`` of its widths (``area_width``): lines crossing do, blobs
    touching do not, and their skeleton is not worth making."""
    return np.hypot(*mask.shape) >= MIN_EXTENT * area_width(mask)


def area_width(mask):
    """The width of a (non-empty) mask as a line's: twice its area over its perimeter (its edge pixels)."""
    return 2 * np.count_nonzero(mask) / np.count_nonzero(mask & ~ndimage.binary_erosion(mask))


def line_labels(mask):
    """Line of each mask pixel (1..k, 0 outside) when the mask is k >= 2 lines crossing or meeting; else None."""
    skeleton, width = skeleton_of(mask)
    if skeleton is None:
        return None
    junctions = skeleton & (ndimage.convolve(skeleton.astype(np.int32), EIGHT.astype(np.int32), mode="constant") >= 4)
    if not junctions.any():
        return None
    hubs, branches, n_hubs, n_branches = _hubs_and_branches(skeleton, junctions, width)
    if n_branches < 3:
        return None
    length, long = _lengths(branches, n_branches, width)
    slants = _slant_links(hubs, branches, length, long, width)
    slanted = []
    if slants.any():
        links = slants[branches]
        hubs, branches, n_hubs, n_branches = _split_at((hubs > 0) | links, skeleton)
        length, long = _lengths(branches, n_branches, width)
        slanted = np.unique(hubs[links])
    branches, n_branches = _split_loops(hubs, branches, n_branches)
    length, long = _lengths(branches, n_branches, width)
    touching = ndimage.grey_dilation(branches, footprint=EIGHT)
    meets = (hubs > 0) & (touching > 0)
    parent = np.arange(n_branches + 1)

    bridges, meeting, unpaired, onward = [], False, [], []
    for hub in range(1, n_hubs + 1):
        at_hub = hubs == hub
        incident = np.unique(touching[meets & at_hub])
        centre = np.array(ndimage.center_of_mass(at_hub))
        ends = {b: branch_end(branches, b, centre, width) for b in incident if long[b]}
        pairs = _straight_pairs(ends, kinks=hub not in slanted)
        rays = False
        if not pairs:
            through = _through_pairs(ends, {b: _heading(branches, b, ends[b][0], centre, width) for b in ends})
            rays = _lines_meet(ends, length >= RAY * width, through)
            if rays:
                pairs, meeting = through, True
        for a, b in pairs:
            parent[find_root(parent, a)] = find_root(parent, b)
            bridges.append((a, ends[a], ends[b]))
        if not pairs and not rays:
            unpaired.append((incident, ends))
    through = {find_root(parent, branch) for branch, _, _ in bridges}
    for incident, ends in unpaired:  # a spur, a blob's short arms: one shape, but never two lines crossing elsewhere
        lines_here = [b for b in ends if find_root(parent, b) in through]
        if len({find_root(parent, b) for b in lines_here}) >= 2:
            for b in set(ends) - set(lines_here):  # a long spur goes with the line it continues best
                best = min(lines_here, key=lambda line_end: deviation(ends[b], ends[line_end]))
                parent[find_root(parent, b)] = find_root(parent, best)
            onward += [(b, ends[b]) for b in lines_here]
            continue
        for b in incident[1:]:
            parent[find_root(parent, b)] = find_root(parent, incident[0])
    if not bridges and not meeting:
        return None
    for branch, a, b in bridges:  # each line goes on through its crossing, along its own course
        branches[_course(a, b, branches.shape)] = branch
    for branch, end in onward:  # lines through elsewhere run on past this junction along their heading
        branches[_onward(end, mask, CURVE_SPAN * width)] = branch
    line = np.array([find_root(parent, i) for i in range(n_branches + 1)])
    lines = np.unique(line[np.flatnonzero(long)])
    if len(lines) < 2:
        return None
    number = np.zeros(n_branches + 1, np.int32)
    number[lines] = np.arange(1, len(lines) + 1)
    seeds = number[line[branches]] * (branches > 0)
    _, (rows, cols) = ndimage.distance_transform_edt(seeds == 0, return_indices=True)
    return np.where(mask, seeds[rows, cols], 0)


def _split_loops(hubs, branches, n_branches):
    """The branches with each one that leaves a hub and comes back to it (a sine and a line that start together and
    then cross: the first hump and the first stretch are one branch between the hub and itself) cut at its middle
    into two, each with one end at the hub, as ``branch_end`` reads a branch by its one end nearest the hub; and
    their number."""
    beside = ndimage.grey_dilation(hubs, footprint=EIGHT)
    out = branches.copy()
    for branch, box in enumerate(ndimage.find_objects(branches), start=1):
        if box is None:
            continue
        box = widened(box)
        mine = branches[box] == branch
        contact = np.where(mine, beside[box], 0)
        for hub in np.unique(contact[contact > 0]):
            ends, n = ndimage.label(contact == hub, structure=EIGHT)
            if n < 2:
                continue
            along, _ = MCP_Geometric(np.where(mine, 1.0, np.inf)).find_costs(np.argwhere(ends == 1))
            reached = mine & np.isfinite(along)
            n_branches += 1
            out[box][reached & (along > along[reached].max() / 2)] = n_branches
            break
    return out, n_branches


def _lines_meet(ends, line, through):
    """Whether the long branches at a junction (``ends``, by branch) are lines meeting at a point: three or more of
    them lines (``line``: at least ``RAY`` widths long, by branch); or three branches, two going straight through
    (``through``: their ``_through_pairs``), one of them a line, and the third a line: a T, such as a line that
    crosses a ring where the ring's area breaks beside the crossing, or that ends a little past it."""
    if sum(line[b] for b in ends) >= 3:
        return True
    if len(ends) != 3 or len(through) != 1:
        return False
    return all(line[b] for b in ends if b not in through[0]) and any(line[b] for b in through[0])


def _hubs_and_branches(skeleton, junctions, width):
    """The junctions' hubs (the pixels within a width of a junction) and the skeleton's branches between them, each
    labelled, and their numbers.

    A short branch (under ``MIN_LENGTH`` widths) joining two hubs is part of one crossing, not a line: where two
    lines cross at a slant, or two rings touch, the skeleton forks twice, a short stretch apart."""
    hub = edt(~junctions) <= width
    hubs, branches, n_hubs, n_branches = _split_at(hub, skeleton)
    _, branch_of = _meetings(hubs, branches)
    linking = np.bincount(branch_of, minlength=n_branches + 1) >= 2
    linking &= np.bincount(branches.ravel(), minlength=n_branches + 1) < MIN_LENGTH * width
    linking[0] = False
    if linking.any():
        return _split_at(hub | linking[branches], skeleton)
    return hubs, branches, n_hubs, n_branches


def _lengths(branches, n_branches, width):
    """Each branch's length (pixels; index 0 the rest) and whether it is at least ``MIN_LENGTH`` widths long."""
    length = np.bincount(branches.ravel(), minlength=n_branches + 1)
    long = length >= MIN_LENGTH * width
    long[0] = False
    return length, long


def _split_at(hub, skeleton):
    """The hub pixels' connected hubs and the skeleton's branches off them, each labelled, and their numbers."""
    hubs, n_hubs = ndimage.label(hub, structure=EIGHT)
    branches, n_branches = ndimage.label(skeleton & ~hub, structure=EIGHT)
    return hubs, branches, n_hubs, n_branches


def _meetings(hubs, branches):
    """Each (hub, branch) pair that touch: their hub ids and branch ids."""
    touching = ndimage.grey_dilation(branches, footprint=EIGHT)
    at = (hubs > 0) & (touching > 0)
    n = int(hubs.max()) + 1
    meetings = np.unique(touching[at].astype(np.int64) * n + hubs[at])
    return meetings % n, meetings // n


def _slant_links(hubs, branches, length, long, width):
    """Branches (a mask over their ids) that join two forks into one crossing of two lines at a narrow slant.

    The narrower the slant, the longer the stretch where two crossing lines
    run as one, and the skeleton forks at either end of it, farther apart than
    a short branch (``MIN_LENGTH`` widths). A branch under ``FORK_SPAN`` widths
    joining two forks, each of three branches, is one crossing with them when
    the forks' four other branches are long and pair up through it
    (``_straight_pairs``), two lines going on."""
    hub_of, branch_of = _meetings(hubs, branches)
    degree = np.bincount(hub_of, minlength=int(hubs.max()) + 1)
    links = np.zeros(len(length), bool)
    for branch in np.flatnonzero((np.bincount(branch_of, minlength=len(length)) == 2) & (length < FORK_SPAN * width)):
        forks = hub_of[branch_of == branch]
        if (degree[forks] != 3).any():
            continue
        others = np.setdiff1d(branch_of[np.isin(hub_of, forks)], [branch])
        if len(others) != 4 or not long[others].all():
            continue
        joined = np.isin(hubs, forks) | (branches == branch)
        centre = np.array(ndimage.center_of_mass(joined))
        ends = {b: branch_end(branches, b, centre, width) for b in others}
        links[branch] = len(_straight_pairs(ends, kinks=False)) == 2
    return links


def _subsampled_lines(mask):
    """``line_labels`` of a mask of any size: found on the mask subsampled to ``MAX_SIDE``, then every mask pixel
    takes the line of the nearest subsampled one."""
    step = reduction_step(mask.shape, MAX_SIDE)
    if step == 1:
        return line_labels(mask)
    lines = line_labels(mask[::step, ::step])
    return None if lines is None else spread_labels(lines, step, mask)


def skeleton_of(mask):
    """The skeleton of the mask smoothed at half its width (its thin necks, which smoothing breaks, kept:
    ``_necks``), and that width; (None, 0) for a mask too small."""
    rough = skeletonize(mask)
    if rough.sum() < MIN_SKELETON:
        return None, 0.0
    smooth = ndimage.gaussian_filter(mask.astype(np.float32), mask.sum() / rough.sum() / 2, mode="constant") > 0.5
    skeleton = skeletonize(smooth | _necks(rough & ~smooth, smooth))
    if skeleton.sum() < MIN_SKELETON:
        return None, 0.0
    return skeleton, smooth.sum() / skeleton.sum()


def _necks(stretches, smooth):
    """The stretches of the rough skeleton off the smoothed mask that join two of its parts: thin necks of a ragged
    sparse line, which smoothing breaks (its spurs touch one part)."""
    parts, n_parts = ndimage.label(smooth, structure=EIGHT)
    if n_parts < 2:
        return np.zeros_like(smooth)
    pieces, n_pieces = ndimage.label(stretches, structure=EIGHT)
    piece_of, _ = _meetings(pieces, parts)
    joining = np.bincount(piece_of, minlength=n_pieces + 1) >= 2
    joining[0] = False
    return joining[pieces]


def branch_end(branches, branch, centre, width):
    """Where a branch leaves a junction (its pixel nearest the junction's centre), its unit tangent there pointing
    into the junction, and its signed curvature (positive turning left): a parabola fitted to its pixels within
    ``CURVE_SPAN`` widths of that end, in the frame of their principal axis."""
    pixels = np.argwhere(branches == branch)
    end = pixels[np.hypot(*(pixels - centre).T).argmin()]
    near = pixels[np.hypot(*(pixels - end).T) <= CURVE_SPAN * width].astype(float)
    mean = near.mean(0)
    axis = np.linalg.eigh(np.cov((near - mean).T))[1][:, 1] if len(near) > 2 else end - mean
    axis = axis / (np.linalg.norm(axis) + 1e-12)
    if axis @ (end - mean) < 0:
        axis = -axis  # u grows towards the junction
    normal = np.array([-axis[1], axis[0]])
    u, v = (near - mean) @ axis, (near - mean) @ normal
    c, b, _ = np.polyfit(u, v, 2) if len(near) > 3 else (0.0, 0.0, 0.0)
    slope = b + 2 * c * ((end - mean) @ axis)
    tangent = axis + slope * normal
    return end, tangent / np.linalg.norm(tangent), 2 * c / (1 + slope**2) ** 1.5


def _straight_pairs(ends, kinks=True):
    """Pairs of branches going on through a junction, smoothest first; [] unless all of 4+ branches pair, or, where
    ``CROWDED`` or more meet (several crossings in one junction), two pairs at least.

    A pair goes on through when each branch, carried on along its own tangent and curvature, heads for the other's
    end within ``STRAIGHT``: read pair by pair, so a line passing off the junction's centre (three lines meeting in
    one junction) still goes through, and two circles that touch keep their own curves. Where crossings crowd into
    one junction (four rings in a 2 x 2 cross four times in the middle), some lines bend on their way through it
    and pair with none; the pairs that do go through still tell the lines apart. Two straight lines meeting at an
    angle (``kinked``: rays of a star) do not go through; ``kinks=False`` where the ends are far apart, a crossing at
    a narrow slant, over which their curvature, read near each end, cannot tell their course."""
    if len(ends) < 4:
        return []
    pairs = _best_pairs((turn, a, b) for a, b in combinations(ends, 2)
                        if (turn := deviation(ends[a], ends[b])) <= STRAIGHT and not (kinks and kinked(ends[a], ends[b])))
    if 2 * len(pairs) == len(ends) or (len(ends) >= CROWDED and len(pairs) >= 2):
        return pairs
    return []


def _heading(branches, branch, end, centre, width):
    """Unit vector from a junction's centre to the mean of a branch's pixels within ``RAY`` widths of its end: where
    the line goes, which the tangent at its end, bent where several lines crowd into one junction, does not tell."""
    pixels = np.argwhere(branches == branch)
    away = pixels[np.hypot(*(pixels - end).T) <= RAY * width].mean(0) - centre
    return away / (np.linalg.norm(away) + 1e-12)


def _through_pairs(ends, headings):
    """Pairs of lines meeting at a point that go straight through it (a T's bar), most opposite first: their
    headings opposite within ``STRAIGHT`` and their ends' curves heading for each other within it; the others pair
    with none."""
    return _best_pairs((cosine, a, b) for a, b in combinations(ends, 2)
                       if (cosine := headings[a] @ headings[b]) <= -np.cos(STRAIGHT) and deviation(ends[a], ends[b]) <= STRAIGHT
                       and not kinked(ends[a], ends[b]))


def _best_pairs(candidates):
    """Pairs taken from (score, a, b) candidates, lowest score first, each branch in one pair at most."""
    taken, pairs = set(), []
    for _, a, b in sorted(candidates):
        if a not in taken and b not in taken:
            pairs.append((a, b))
            taken |= {a, b}
    return pairs


def _course(a, b, shape):
    """Pixels of the curve joining two paired ends: the quadratic Bezier whose control point is where their tangents
    meet (the chord when they meet behind either end or beyond it)."""
    (start, ta, _), (stop, tb, _) = a, b
    chord = np.linalg.norm(stop - start)
    matrix = np.c_[ta, -tb]
    control = (start + stop) / 2
    if abs(np.linalg.det(matrix)) > 1e-3:
        s, u = np.linalg.solve(matrix, stop - start)
        if 0 < s < chord and 0 < u < chord:
            control = start + s * ta
    t = np.linspace(0, 1, 2 * int(chord) + 2)[:, None]
    curve = (1 - t) ** 2 * start + 2 * t * (1 - t) * control + t**2 * stop
    rows, cols = np.clip(np.rint(curve).astype(int), 0, np.array(shape) - 1).T
    return rows, cols


def _onward(end, mask, length):
    """Pixels of the straight run from a branch's ``end`` (its point and tangent into the junction) on along its
    tangent, ``length`` at most, until it leaves the ``mask``."""
    start, tangent, _ = end
    rows, cols = np.rint(start + np.arange(0, length, 0.5)[:, None] * tangent).astype(int).T
    on_grid = (rows >= 0) & (cols >= 0) & (rows < mask.shape[0]) & (cols < mask.shape[1])
    inside = np.zeros(len(rows), bool)
    inside[on_grid] = mask[rows[on_grid], cols[on_grid]]
    run = np.cumprod(inside).astype(bool)
    return rows[run], cols[run]


def deviation(a, b):
    """The larger angle between where each end's curve heads (its tangent turned by curvature x half the chord: the
    tangent-chord angle of a circle) and the chord to the other end."""
    chord = b[0] - a[0]
    length = np.linalg.norm(chord) + 1e-12
    worst = 0.0
    for (_, tangent, curvature), towards in ((a, chord), (b, -chord)):
        turn = np.arctan2(tangent[0] * towards[1] - tangent[1] * towards[0], tangent @ towards)
        worst = max(worst, abs(turn - curvature * length / 2))
    return worst


def kinked(a, b):
    """Whether two ends (``branch_end``) are straight lines meeting at an angle: their curvature turns them by under
    half ``KINK`` over the chord between them, and their tangents by more than ``KINK``. Rays of a five-pointed star
    meet at 36 degrees, which ``deviation``, measured against the chord, halves; curved lines (rings crossing) are
    left to ``deviation``, their tangents too uncertain near a crossing to read a kink from."""
    (start, ta, ka), (stop, tb, kb) = a, b
    bend = abs(ka - kb) / 2 * np.linalg.norm(stop - start)
    return bend < KINK / 2 and abs(np.arctan2(ta[1] * tb[0] - ta[0] * tb[1], -(ta @ tb))) > KINK
