"""Rings that cross: each ring found from the hole it encloses, every area pixel given to the ring it lies on.

Thick rings that overlap close the lenses between them, and their crossings
crowd into junctions a width or two apart, which the skeleton merges into one
hub where no pair of branches reads as one line going through (``crossings``).
A person still sees each ring by the round hole it encloses. A hole of
the area as wide as its lines or more (``HOLE``) is fitted with a circle: the
one that most of its edge pixels lie on, taken from ``TRIES`` circles through
three of them (the edge of a ring's hole is mostly the ring's inner edge, the
rest the edges of the rings crossing it), refitted to the edge pixels on it.
Moved out by half a line width, the circle is a ring's centre line when it
runs on the area for ``COVERED`` of its round; a lens between two rings gives a
circle that leaves the area, or one of the two rings again, kept once. Each
ring is then refitted, ``REFITS`` times, to the area pixels within a line
width of it that lie nearer it than any other (the middle of its band, where
the width the area's outline gives was a guess). When two rings or more are
found and ``EXPLAINED`` of the area's pixels lie within a line width of one,
each pixel takes the ring whose centre line is nearest.
"""

import numpy as np
from scipy import ndimage

HOLE = 1.0  # a ring's hole has a radius of this many line widths or more
TRIES = 300  # circles through three edge pixels tried per hole (drawn by a seeded generator: fits are reproducible)
ON_EDGE = 1.5  # pixels: an edge pixel this near a circle lies on it
COVERED = 0.7  # a ring's centre line runs on the area for this share of its round
REFITS = 2  # each ring refitted this many times to the area pixels within a line width of it, nearer it than any other
EXPLAINED = 0.9  # the rings found hold this share of the area's pixels within a line width of their centre lines
_ROUND = np.linspace(0, 2 * np.pi, 360, endpoint=False)


def ring_labels(mask, width):
    """Ring of each mask pixel (1..k, 0 outside) when the mask (bool) is k >= 2 rings of lines ``width`` pixels wide
    crossing or touching; else None."""
    holes, n = ndimage.label(ndimage.binary_fill_holes(mask) & ~mask)
    if n < 2:
        return None
    wide = np.flatnonzero(np.bincount(holes.ravel())[1:] >= np.pi * (HOLE * width) ** 2) + 1
    if len(wide) < 2:
        return None
    rng = np.random.default_rng(0)
    fits = [_hole_circle(holes == hole, rng) for hole in wide]
    rings = _distinct_rings([(centre, radius + width / 2) for centre, radius in filter(None, fits)], mask, width)
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


def _hole_circle(hole, rng):
    """(centre, radius) of the circle most of a hole's edge pixels lie on, around the hole's centroid; None if no
    circle through three of them goes around it."""
    edge = np.argwhere(hole & ~ndimage.binary_erosion(hole)).astype(float)
    if len(edge) < 3:
        return None
    centres, radii = _through(edge[rng.integers(0, len(edge), (TRIES, 3))])
    around = np.hypot(*(np.argwhere(hole).mean(0) - centres).T) < radii  # NaN (three on a line): False
    if not around.any():
        return None
    centres, radii = centres[around], radii[around]
    on = np.count_nonzero(np.abs(np.hypot(*(edge[None] - centres[:, None]).transpose(2, 0, 1)) - radii[:, None]) <= ON_EDGE, axis=1)
    best = on.argmax()
    return _least_squares_circle(edge[np.abs(np.hypot(*(edge - centres[best]).T) - radii[best]) <= ON_EDGE])


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
    within a line width (centre and radius together) of one kept is the same ring."""
    kept = []
    for cover, centre, radius in sorted(((_cover(mask, c, r), c, r) for c, r in circles), key=lambda t: -t[0]):
        if cover >= COVERED and all(np.linalg.norm(centre - c) + abs(radius - r) >= width for c, r in kept):
            kept.append((centre, radius))
    return kept


def _cover(mask, centre, radius):
    """The share of a circle's round that runs on the mask."""
    points = np.rint(centre + radius * np.c_[np.sin(_ROUND), np.cos(_ROUND)]).astype(int)
    inside = (points >= 0).all(1) & (points < mask.shape).all(1)
    return np.count_nonzero(mask[points[inside, 0], points[inside, 1]]) / len(_ROUND)
