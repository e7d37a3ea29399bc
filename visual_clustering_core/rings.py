"""Rings that cross: each ring found from the hole it encloses, every area pixel given to the ring it lies on.

Thick rings that overlap close the lenses between them, and their crossings
crowd into junctions a width or two apart, which the skeleton merges into one
hub where no pair of branches reads as one line going through (``crossings``).
A person still sees each ring by the round hole it encloses. A hole of
the area as wide as its lines or more (``HOLE``) is fitted with a circle: of
the ``CANDIDATES`` that most of its edge pixels lie on, taken from ``TRIES``
circles through three of them (the edge of a ring's hole is mostly the ring's
inner edge, the rest the edges of the rings crossing it) and refitted to the
edge pixels on them, the one that, moved out by half a line width, runs most
on the area. That circle is a ring's centre line when it runs on the area for
``COVERED`` of its round; a lens between two rings gives a circle that leaves
the area, one of the two rings again, kept once, or one that runs along the
rings kept for ``MADE_OF`` of its round, made of them. Each
ring is then refitted, ``REFITS`` times, to the area pixels within a line
width of it that lie nearer it than any other (the middle of its band, where
the width the area's outline gives was a guess). When two rings or more are
found and ``EXPLAINED`` of the area's pixels lie within a line width of one,
each pixel takes the ring whose centre line is nearest. Where no circles are
found but the wide holes share a stretched shape (``STRETCHED``: the rings of
a plot drawn stretched, ellipses alike), the area is read so on its drawing
unstretched by that shape, where they are round. (Ellipses fitted hole by hole
took the lenses between rings for rings.) Where the points of a sparse ring
thin out, its area breaks and its hole opens to the outside: there the holes
are read with the breaks closed (``BREAKS``), and the arcs a break cut off are
read with the rest of their ring (``crossings``).
"""

import numpy as np
from scipy import ndimage

from .distances import edt

STRETCHED = 1.2  # holes whose shared shape is this much longer one way are ellipses of a stretched plot
HOLE = 1.0  # a ring's hole has a radius of this many line widths or more
TRIES = 300  # circles through three edge pixels tried per hole (drawn by a seeded generator: fits are reproducible)
CANDIDATES = 5  # the circles most edge pixels lie on, of which the one running most on the area is the ring
ON_EDGE = 1.5  # pixels: an edge pixel this near a circle lies on it
COVERED = 0.7  # a ring's centre line runs on the area for this share of its round
MADE_OF = 0.5  # a circle whose round runs this much along rings kept is made of them (a lens between two): no ring
REFITS = 2  # each ring refitted this many times to the area pixels within a line width of it, nearer it than any other
BREAKS = (0.5, 1.0, 1.5)  # breaks in a ring's area up to twice these many line widths are closed, in turn, to read its hole
EXPLAINED = 0.9  # the rings found hold this share of the area's pixels within a line width of their centre lines
_ROUND = np.linspace(0, 2 * np.pi, 360, endpoint=False)


def ring_labels(mask, width, breaks=BREAKS):
    """Ring of each mask pixel (1..k, 0 outside) when the mask (bool) is k >= 2 rings of lines ``width`` pixels wide
    crossing or touching; else None. Where the mask's own holes read no rings, its holes closed over breaks of
    ``breaks`` line widths are read in turn (sparse rings' areas break where their points thin out, opening their
    holes)."""
    labels = _hole_labels(mask, width, mask)
    for radius in breaks:
        if labels is not None:
            break
        labels = _hole_labels(mask, width, closed(mask, radius * width))
    return labels


def closes_holes(mask, shut, width):
    """Whether ``shut``, the mask (bool) closed, has two holes or more as wide as its lines (``HOLE``), as rings'
    holes are, one of them at least no hole of the mask (open through a break)."""
    holes, wide = _wide_holes(shut, width)
    return len(wide) >= 2 and (np.isin(holes, wide) & ~ndimage.binary_fill_holes(mask)).any()


def _hole_labels(mask, width, outline):
    """``ring_labels`` read from the holes of ``outline`` (the mask, or the mask closed over breaks)."""
    holes, wide = _wide_holes(outline, width)
    if len(wide) < 2:
        return None
    labels = _circle_labels(mask, width, holes, wide)
    if labels is None and (stretch := _stretch(holes, wide)) is not None:
        return _unstretched_labels(mask, width, stretch)
    return labels


def closed(mask, radius):
    """The mask closed with a disc of ``radius`` pixels (breaks up to twice as wide bridged), by two distance
    transforms (a dilation, then an erosion), on the mask padded so that the image's edge does not erode it."""
    pad = int(np.ceil(radius)) + 1
    grown = edt(~np.pad(mask, pad)) <= radius
    return (edt(grown) > radius)[pad:-pad, pad:-pad]


def _wide_holes(mask, width):
    """The mask's holes labelled, and the ids of those as wide as its lines or more (``HOLE``)."""
    holes, _ = ndimage.label(ndimage.binary_fill_holes(mask) & ~mask)
    return holes, np.flatnonzero(np.bincount(holes.ravel())[1:] >= np.pi * (HOLE * width) ** 2) + 1


def _stretch(holes, wide):
    """The holes' shared shape (2 x 2, determinant 1: their second moments, each scaled to determinant 1, averaged by
    area) when it is stretched more than ``STRETCHED``: the rings of a plot drawn stretched are ellipses alike;
    else None."""
    shapes, areas = [], []
    for hole in wide:
        pixels = np.argwhere(holes == hole).astype(float)
        cov = np.cov(pixels.T)
        shapes.append(cov / np.sqrt(np.linalg.det(cov)))
        areas.append(len(pixels))
    shape = np.average(shapes, axis=0, weights=areas)
    shape /= np.sqrt(np.linalg.det(shape))
    eig = np.linalg.eigvalsh(shape)
    return shape if np.sqrt(eig[1] / eig[0]) > STRETCHED else None


def _unstretched_labels(mask, width, shape):
    """``ring_labels`` of a mask whose rings share the stretched ``shape``: read on the mask drawn unstretched (rings
    round; the unstretching keeps areas, so the lines keep about their ``width``), each mask pixel taking the ring of
    its place there (or of the nearest ring pixel)."""
    eig, vectors = np.linalg.eigh(shape)
    to_round = vectors @ np.diag(eig**-0.5) @ vectors.T  # round pixel = to_round @ pixel - lo
    corners = np.array([[0, 0], [0, mask.shape[1]], [mask.shape[0], 0], list(mask.shape)], float) @ to_round.T
    lo, hi = corners.min(0), corners.max(0)
    size = tuple(int(v) for v in np.ceil(hi - lo) + 1)
    back = np.linalg.inv(to_round)  # pixel = back @ round_pixel
    round_mask = ndimage.affine_transform(mask.astype(np.uint8), back, offset=back @ lo, output_shape=size, order=0) > 0
    labels = _circle_labels(round_mask, width, *_wide_holes(round_mask, width))
    if labels is None:
        return None
    _, nearest = ndimage.distance_transform_edt(labels == 0, return_indices=True)
    labels = labels[tuple(nearest)]
    at = np.rint(np.argwhere(mask) @ to_round.T - lo).astype(int)
    at = np.clip(at, 0, np.array(size) - 1)
    out = np.zeros(mask.shape, np.int32)
    out[mask] = labels[at[:, 0], at[:, 1]]
    return out


def _circle_labels(mask, width, holes, wide):
    """``ring_labels`` read as circles around the ``wide`` holes (None for fewer than two)."""
    rng = np.random.default_rng(0)
    candidates = [[(c, r + width / 2) for c, r in _hole_circles(holes == hole, rng)] for hole in wide]
    rings = _distinct_rings([max(found, key=lambda f: _cover(mask, *f)) for found in candidates if found], mask, width)
    if len(rings) < 2:
        return None
    pixels = np.argwhere(mask)
    for _ in range(REFITS):
        off = _off(pixels, rings)
        ring, on = off.argmin(1), off.min(1) <= width
        rings = [_least_squares_circle(pixels[on & (ring == k)]) if np.count_nonzero(on & (ring == k)) > 10 else fit
                 for k, fit in enumerate(rings)]
    off = _off(pixels, rings)
    if (off.min(1) <= width).mean() < EXPLAINED:
        return None
    out = np.zeros(mask.shape, np.int32)
    out[mask] = off.argmin(1) + 1
    return out


def _off(pixels, rings):
    """How far each pixel (m, 2) lies off each ring's centre line: (m, k)."""
    return np.abs(np.hypot(*(pixels[:, None] - [c for c, _ in rings]).transpose(2, 0, 1)) - [r for _, r in rings])


def _hole_circles(hole, rng):
    """(centre, radius) of the ``CANDIDATES`` circles that most of a hole's edge pixels lie on, around the hole's
    centroid, each refitted to its edge pixels (none if no circle through three of them goes around it)."""
    edge = np.argwhere(hole & ~ndimage.binary_erosion(hole)).astype(float)
    if len(edge) < 3:
        return []
    centres, radii = _through(edge[rng.integers(0, len(edge), (TRIES, 3))])
    around = np.hypot(*(np.argwhere(hole).mean(0) - centres).T) < radii  # NaN (three on a line): False
    if not around.any():
        return []
    on = _off(edge, list(zip(centres[around], radii[around]))) <= ON_EDGE
    best = np.argsort(-np.count_nonzero(on, axis=0), kind="stable")[:CANDIDATES]
    return [_least_squares_circle(edge[on[:, k]]) for k in best]


def _through(triples):
    """Centres (t, 2) and radii (t,) of the circles through each of t triples of points (t, 3, 2); NaN where the three
    lie on a line."""
    (a, b), (c, d), (e, f) = triples.transpose(1, 2, 0)
    det = 2 * (a * (d - f) + c * (f - b) + e * (b - d))
    squares = (triples**2).sum(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        centres = np.c_[(squares * np.c_[d - f, f - b, b - d]).sum(1), (squares * np.c_[e - c, a - e, c - a]).sum(1)] / det[:, None]
    return centres, np.hypot(*(triples[:, 0] - centres).T)


def _least_squares_circle(points):
    """(centre, radius) of the circle fitted to points (m, 2) by linear least squares (Kasa's fit)."""
    (d, e, f), *_ = np.linalg.lstsq(np.c_[points, np.ones(len(points))], -(points**2).sum(1), rcond=None)
    centre = -np.array([d, e]) / 2
    return centre, float(np.sqrt(max(centre @ centre - f, 0.0)))


def _distinct_rings(circles, mask, width):
    """The circles whose round runs on the mask for ``COVERED`` of it, best covered first, each kept once: a circle
    within a line width (centre and radius together) of one kept is the same ring, and one whose round runs within
    half a width of those kept for ``MADE_OF`` of it is made of them (a lens)."""
    kept = []
    for cover, centre, radius in sorted(((_cover(mask, c, r), c, r) for c, r in circles), key=lambda t: -t[0]):
        if (cover >= COVERED and all(np.linalg.norm(centre - c) + abs(radius - r) >= width for c, r in kept)
                and not (kept and _along(centre, radius, kept, width) >= MADE_OF)):
            kept.append((centre, radius))
    return kept


def _along(centre, radius, rings, width):
    """The share of a circle's round within half a line ``width`` of the centre lines of ``rings``."""
    return np.mean(_off(_round(centre, radius), rings).min(1) <= width / 2)


def _cover(mask, centre, radius):
    """The share of a circle's round that runs on the mask."""
    points = np.rint(_round(centre, radius)).astype(int)
    inside = (points >= 0).all(1) & (points < mask.shape).all(1)
    return np.count_nonzero(mask[points[inside, 0], points[inside, 1]]) / len(_ROUND)


def _round(centre, radius):
    """The points of a circle's round (360, 2), one a degree."""
    return centre + radius * np.c_[np.sin(_ROUND), np.cos(_ROUND)]
