"""Random scenes of shapes a visible gap parts: a held-out check that the suite's rules are no fit to its generators.

Each scene places 2 to 8 shapes (a Gaussian, a uniform disc or rectangle,
an arc, a line, a ring: random size, aspect, rotation and 30 to 2,000
points, the count log-uniform) in a 10 x 10 square, each shape's points at
least ``GAP`` times the larger median nearest-neighbour spacing of the two
shapes from every other shape's. So a person parts every shape from the
others at a glance: the truth is the shape. Nothing in the engine was looked
at on these scenes before they were drawn (session 22 drew them to find
what the suite missed).
"""

import numpy as np
from scipy.spatial import cKDTree

GAP = 4.0  # shapes are at least this many times the larger of their median nearest-neighbour spacings apart
KINDS = ("gauss", "disc", "rect", "arc", "line", "ring")


def scene(seed):
    """Points (n, 2) float64, their shape (n,) int and the shapes' kinds."""
    rng = np.random.default_rng(seed)
    parts, kinds = [], []
    for _ in range(rng.integers(2, 9)):
        for _attempt in range(200):
            n = int(np.exp(rng.uniform(np.log(30), np.log(2000))))
            kind = KINDS[rng.integers(len(KINDS))]
            points = _shape(rng, kind, n, rng.uniform(1, 4)) + rng.uniform(0, 10, 2)
            if all(cKDTree(other).query(points)[0].min() >= GAP * max(_spacing(points), _spacing(other))
                   for other in parts):
                parts.append(points)
                kinds.append(kind)
                break
    return np.concatenate(parts), np.repeat(np.arange(len(parts)), [len(p) for p in parts]), kinds


def _shape(rng, kind, n, size):
    """``n`` points of a shape about ``size`` across, centred on the origin and turned at random."""
    if kind == "gauss":
        points = rng.normal(size=(n, 2)) * [1, rng.uniform(0.25, 1)] * size / 3
    elif kind == "disc":
        angle, radius = rng.uniform(0, 2 * np.pi, n), np.sqrt(rng.uniform(0, 1, n))
        points = np.c_[np.cos(angle), np.sin(angle) * rng.uniform(0.4, 1)] * radius[:, None] * size / 2
    elif kind == "rect":
        points = rng.uniform(-0.5, 0.5, (n, 2)) * [1, rng.uniform(0.2, 1)] * size
    elif kind == "line":
        points = np.c_[rng.uniform(-0.5, 0.5, n) * size, rng.normal(0, size * rng.uniform(0.01, 0.04), n)]
    else:  # an arc, or a whole ring
        span = rng.uniform(0.5, 1.5) * np.pi if kind == "arc" else 2 * np.pi
        width = rng.uniform(0.03, 0.1) if kind == "arc" else rng.uniform(0.03, 0.08)
        angle = rng.uniform(0, span, n)
        points = np.c_[np.cos(angle), np.sin(angle)] * (size / 2 * (1 + rng.normal(0, width, n)))[:, None]
    turn = rng.uniform(0, np.pi)
    return points @ np.array([[np.cos(turn), np.sin(turn)], [-np.sin(turn), np.cos(turn)]])


def _spacing(points):
    return np.median(cKDTree(points).query(points, k=2)[0][:, 1])
