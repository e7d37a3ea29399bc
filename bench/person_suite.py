"""A person-separable benchmark: 2-D datasets whose truth is what a person splits at a glance.

Every dataset is drawn by seeded code from named parts (blobs, rings, arcs,
bands, filled shapes, background noise). The truth is not "which generator
drew the point" but what a person looking at the plot separates:

* two parts are separate when a **visible gap** lies between them: the gap is
  wider than a few times the spacing of the points inside them; or when a
  **clear density valley** separates them: along the segment joining their
  modes the density drops below half of the *lower* mode;
* parts that meet without a gap or such a valley are one group (the written
  rule is applied to every Gaussian mixture below, analytically, through
  ``_valley_groups``; shapes are placed with gaps by construction);
* uniform background noise is no group (label -1) and is not scored;
* things no density rule captures, and a person still sees at once, are
  kept as they are drawn: two bands crossing (an X) and interlocking rings
  are each two and five groups, continuing through the crossings, and lines
  meeting at a point (a star) are each a group.

The suite covers the classes of real benchmarks that collapsed an earlier
engine (grids and strings of touching Gaussians, small sparse sets, crossing
bands, interlocking rings, shapes touching at a corner, overlapping Gaussians
of different spread, parabolic arcs, thin touching worms, many overlapping
Gaussians), the kinds of the small classic benchmarks (sparse spirals,
stripes and outlines (a smiley face, zigzags), small blobs and squares with empty corridors between them, many
touching Gaussians, groups of unequal density, density gradients) and the
classes that worked (rings, spirals, zigzags, unequal blobs, background noise,
one cluster, no structure), from 100 to 1,000,000 points. ``load(name)`` returns ``(X, y)``; ``NAMES`` lists them in order.
"""

import numpy as np

VALLEY = 0.5  # a clear valley drops below this fraction of the lower mode


def _rng(name):
    return np.random.default_rng([ord(c) for c in name])


def _gauss(rng, n, center, sd):
    sd = np.broadcast_to(np.asarray(sd, float), (2,))
    return rng.normal(size=(n, 2)) * sd + center


def _mixture_density(points, centers, sds, weights):
    """Density of an isotropic Gaussian mixture at ``points`` (m, 2)."""
    d2 = ((points[:, None, :] - centers[None]) ** 2).sum(-1)
    return (weights / (2 * np.pi * sds**2) * np.exp(-d2 / (2 * sds**2))).sum(1)


def _valley_groups(centers, sds, weights):
    """Group id of each Gaussian: neighbours whose density never dips below VALLEY x the lower mode are one group."""
    centers, sds, weights = np.asarray(centers, float), np.asarray(sds, float), np.asarray(weights, float)
    k = len(centers)
    parent = list(range(k))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    peaks = _mixture_density(centers, centers, sds, weights)
    t = np.linspace(0, 1, 41)[:, None]
    for i in range(k):
        for j in range(i + 1, k):
            if np.linalg.norm(centers[i] - centers[j]) > 4 * (sds[i] + sds[j]):
                continue  # far apart: an empty gap
            line = centers[i] + t * (centers[j] - centers[i])
            if _mixture_density(line, centers, sds, weights).min() >= VALLEY * min(peaks[i], peaks[j]):
                parent[find(i)] = find(j)
    roots = [find(i) for i in range(k)]
    return np.unique(roots, return_inverse=True)[1]


def _gaussians(rng, n, centers, sds, sizes=None):
    """Points of a Gaussian mixture and their truth under the valley rule."""
    centers = np.asarray(centers, float)
    k = len(centers)
    sds = np.broadcast_to(np.asarray(sds, float), (k,))
    sizes = np.full(k, n // k) if sizes is None else np.asarray(sizes)
    groups = _valley_groups(centers, sds, sizes / sizes.sum())
    X = np.concatenate([_gauss(rng, m, c, s) for m, c, s in zip(sizes, centers, sds)])
    y = np.repeat(groups, sizes)
    return X, y


def _arc(rng, n, center=(0, 0), radius=1.0, start=0.0, span=2 * np.pi, width=0.05):
    angle = start + rng.uniform(0, span, n)
    r = radius + rng.normal(scale=width, size=n)
    return np.c_[r * np.cos(angle), r * np.sin(angle)] + center


def _outline(rng, n, axes, noise, angles=(0, 2 * np.pi)):
    """Points at angles uniform over ``angles`` on an ellipse of semi-axes ``axes`` around the origin, each moved by
    Gaussian noise of ``noise`` in both coordinates."""
    angle = rng.uniform(*angles, n)
    return np.c_[axes[0] * np.cos(angle), axes[1] * np.sin(angle)] + rng.normal(0, noise, (n, 2))


def _band(rng, n, a, b, width):
    a, b = np.asarray(a, float), np.asarray(b, float)
    t = rng.uniform(0, 1, n)[:, None]
    direction = (b - a) / np.linalg.norm(b - a)
    normal = np.array([-direction[1], direction[0]])
    return a + t * (b - a) + rng.normal(scale=width, size=(n, 1)) * normal


def _polygon_fill(rng, n, vertices):
    """Uniform points inside a convex polygon (rejection sampling in its bounding box)."""
    vertices = np.asarray(vertices, float)
    lo, hi = vertices.min(0), vertices.max(0)
    out = []
    while sum(len(o) for o in out) < n:
        p = rng.uniform(lo, hi, (2 * n, 2))
        inside = np.ones(len(p), bool)
        for a, b in zip(vertices, np.roll(vertices, -1, axis=0)):
            inside &= (b[0] - a[0]) * (p[:, 1] - a[1]) - (b[1] - a[1]) * (p[:, 0] - a[0]) >= 0
        out.append(p[inside])
    return np.concatenate(out)[:n]


def _parts(*parts):
    """Concatenate (X, label) parts; a label of -1 marks background noise."""
    X = np.concatenate([np.asarray(p, float) for p, _ in parts])
    y = np.concatenate([np.full(len(p), label) for p, label in parts])
    return X, y


def _with_noise(rng, X, y, fraction):
    lo, hi = X.min(0), X.max(0)
    pad = 0.1 * (hi - lo)
    m = int(len(X) * fraction)
    return np.r_[X, rng.uniform(lo - pad, hi + pad, (m, 2))], np.r_[y, np.full(m, -1)]


def _grid(rng, side, n, sd):
    centers = np.stack(np.meshgrid(np.arange(side), np.arange(side)), -1).reshape(-1, 2).astype(float)
    return _gaussians(rng, n, centers, sd)


def _sine_string(rng, k, n, sd_fraction):
    """k Gaussians at equal steps along three periods of a sine wave; sd a fraction of the step."""
    x = np.linspace(0, 10, 4001)
    curve = np.c_[x, 1.9 * np.sin(2 * np.pi * 3 * x / 10)]
    arc = np.r_[0, np.cumsum(np.linalg.norm(np.diff(curve, axis=0), axis=1))]
    step = arc[-1] / (k - 1)
    centers = np.array([curve[np.searchsorted(arc, i * step).clip(0, len(x) - 1)] for i in range(k)])
    return _gaussians(rng, n, centers, sd_fraction * step)


def _worms(rng, k, n):
    """k thin sinuous worms in rows, neighbours close but with a visible gap."""
    parts = []
    per = n // k
    cols = int(np.ceil(np.sqrt(k)))
    for i in range(k):
        row, col = divmod(i, cols)
        x = rng.uniform(0, 1, per)
        phase = rng.uniform(0, 2 * np.pi)
        y = 0.12 * np.sin(2 * np.pi * x * 1.5 + phase) + rng.normal(scale=0.012, size=per)
        parts.append((np.c_[x + 1.15 * col, y + 0.42 * row], i))
    return _parts(*parts)


def _ring_and_blobs(rng, n):
    m = n // 4
    return _parts((_arc(rng, 2 * m, radius=3.0, width=0.15), 0),
                  (_gauss(rng, m, (-1.0, 0), 0.35), 1), (_gauss(rng, n - 3 * m, (1.0, 0), 0.35), 2))


def _olympic(rng, n):
    centers = [(0, 0), (2.2, 0), (4.4, 0), (1.1, -1.0), (3.3, -1.0)]
    per = n // 5
    return _parts(*[(_arc(rng, per, c, radius=1.0, width=0.04), i) for i, c in enumerate(centers)])


def _cross(rng, n, degrees=90):
    """Two bands 6 x sqrt(8) long crossing at their middles at ``degrees``."""
    half, turn = n // 2, np.radians(degrees) / 2
    end = np.sqrt(18) * np.array([np.cos(turn), np.sin(turn)])
    flipped = end * [1, -1]
    return _parts((_band(rng, half, -end, end, 0.12), 0), (_band(rng, n - half, -flipped, flipped, 0.12), 1))


def _diamonds(rng, n):
    left = [(0, 0), (1, -1), (2, 0), (1, 1)]
    right = [(2, 0), (3, -1), (4, 0), (3, 1)]
    half = n // 2
    return _parts((_polygon_fill(rng, half, left), 0), (_polygon_fill(rng, n - half, right), 1))


def _parabolas(rng, n):
    half = n // 2
    x1, x2 = rng.uniform(-2, 2, half), rng.uniform(-2, 2, n - half)
    a = np.c_[x1, 0.5 * x1**2 + rng.normal(scale=0.08, size=half)]
    b = np.c_[x2, 0.5 * x2**2 + 1.2 + rng.normal(scale=0.08, size=n - half)]
    return _parts((a, 0), (b, 1))


def _zigzag(rng, n, k=3):
    parts = []
    for i in range(k):
        pts = np.array([(0, 0), (1, 1), (2, 0), (3, 1), (4, 0)], float) + [0, 1.6 * i]
        per = n // (k * 4)
        parts.append((np.concatenate([_band(rng, per, a, b, 0.05) for a, b in zip(pts[:-1], pts[1:])]), i))
    return _parts(*parts)


def _spirals(rng, n, arms, noise=0.18, even=False):
    """Arms of 1.5 turns, their points uniform along each arm's length: at random, or evenly spaced (``even``)."""
    parts = []
    per = n // arms
    for i in range(arms):
        t = np.sqrt(np.linspace(0.05, 1, per) if even else rng.uniform(0.05, 1, per)) * 3 * np.pi
        angle = t + 2 * np.pi * i / arms
        xy = np.c_[t * np.cos(angle), t * np.sin(angle)] + rng.normal(scale=noise, size=(per, 2))
        parts.append((xy, i))
    return _parts(*parts)


def _angle_step_spirals(rng, n, arms=3, start=1.5, turns=1.75, noise=0.05):
    """Arms (radius = angle) from radius ``start`` through ``turns`` turns, turned at random, their points at equal
    steps of angle, as spirals are usually drawn: dense near the middle, sparser outward."""
    per, phase = n // arms, rng.uniform(0, 2 * np.pi)
    t = start + np.linspace(0, 1, per) * turns * 2 * np.pi
    parts = []
    for i in range(arms):
        angle = t + phase + 2 * np.pi * i / arms
        parts.append((np.c_[t * np.cos(angle), t * np.sin(angle)] + rng.normal(scale=noise, size=(per, 2)), i))
    return _parts(*parts)


def _unequal_blobs(rng, n):
    sizes = (np.array([0.8, 0.1, 0.05, 0.03, 0.02]) * n).astype(int)
    centers = [(0, 0), (6, 1), (-5, 4), (2, -6), (-4, -5)]
    sds = [1.5, 0.5, 0.4, 0.3, 0.25]
    return _parts(*[(_gauss(rng, m, c, s), i) for i, (m, c, s) in enumerate(zip(sizes, centers, sds))])


def _scattered_blobs(rng, k, n, min_gap=6.0):
    centers = []
    while len(centers) < k:
        c = rng.uniform(0, 12 * np.sqrt(k), 2)
        if all(np.linalg.norm(c - d) > min_gap for d in centers):
            centers.append(c)
    sizes = np.maximum((rng.dirichlet(np.full(k, 2.0)) * n).astype(int), 20)
    return _parts(*[(_gauss(rng, m, c, rng.uniform(0.5, 1.0)), i) for i, (m, c) in enumerate(zip(sizes, centers))])


def _smiley(rng, n):
    m = n // 8
    return _parts((_arc(rng, 4 * m, radius=3.0, width=0.08), 0), (_gauss(rng, m, (-1.0, 1.0), 0.2), 1),
                  (_gauss(rng, m, (1.0, 1.0), 0.2), 2),
                  (_arc(rng, n - 6 * m, (0, 0.3), radius=1.6, start=1.2 * np.pi, span=0.6 * np.pi, width=0.06), 3))


def _target(rng, n):
    half = n // 2
    return _parts((_gauss(rng, half, (0, 0), 0.4), 0), (_arc(rng, n - half, radius=2.5, width=0.12), 1))


def _squares(rng, n, gap=0.08):
    per = n // 9
    return _parts(*[(rng.uniform(0, 1, (per, 2)) + [(1 + gap) * (i % 3), (1 + gap) * (i // 3)], i) for i in range(9)])


def _lines(rng, n):
    per = n // 3
    return _parts(*[(_band(rng, per, (0, 0.35 * i), (4, 0.35 * i), 0.03), i) for i in range(3)])


def _moons(rng, n, noise):
    from sklearn.datasets import make_moons

    return make_moons(n, noise=noise, random_state=int(rng.integers(1 << 31)))


def _circles(rng, n, noise):
    from sklearn.datasets import make_circles

    return make_circles(n, factor=0.5, noise=noise, random_state=int(rng.integers(1 << 31)))


def _blobs_with_noise(rng, n, fraction):
    X, y = _scattered_blobs(rng, 4, int(n * (1 - fraction)), min_gap=7)
    return _with_noise(rng, X, y, fraction / (1 - fraction))


def _uniform(rng, n):
    return rng.uniform(0, 1, (n, 2)), np.zeros(n, int)


def _disc_and_ring(rng, n):
    m = n // 3
    return _parts((_filled_ellipse(rng, 2 * m, (0, 0), (1.5, 1.5)), 0), (_arc(rng, n - 2 * m, radius=2.6, width=0.1), 1))


def _nested_arcs(rng, n):
    per = n // 3
    return _parts(*[(_arc(rng, per, radius=1 + 0.6 * i, start=0.2, span=0.8 * np.pi, width=0.06), i) for i in range(3)])


def _banana_and_blob(rng, n):
    m = 2 * n // 3
    return _parts((_arc(rng, m, radius=2.0, start=np.pi * 1.1, span=0.8 * np.pi, width=0.15), 0),
                  (_gauss(rng, n - m, (0, -0.6), 0.3), 1))


FOUR_RING_CENTRES = ((0, 0), (1.6, 0), (0, 1.6), (1.6, 1.6))  # rings of radius 1 in a 2 x 2


def _four_rings(rng, n, width):
    """Four rings of radius 1 around ``FOUR_RING_CENTRES``: each crosses its two neighbours twice, four of the eight
    crossings crowding the middle; thick rings (``width`` 0.06) close the lenses between neighbours."""
    return _parts(*[(_arc(rng, n // 4, c, 1.0, width=width), i) for i, c in enumerate(FOUR_RING_CENTRES)])


def _line_and_blob(rng, n):
    """A thin line of 2/5 of the points beside a round blob: the line's points thin out here and there by chance."""
    m = 2 * n // 5
    return _parts((_band(rng, m, (0, 0), (0, 6), 0.05), 0), (_gauss(rng, n - m, (3, 3), 0.6), 1))


def _star(rng, n, rays=5):
    """Thin straight lines leaving one point in evenly spread directions, like trajectories from one start."""
    angles = 0.3 + 2 * np.pi * np.arange(rays) / rays
    return _parts(*[(_band(rng, n // rays, 0.15 * np.array([np.cos(a), np.sin(a)]), 4 * np.array([np.cos(a), np.sin(a)]),
                           0.06), i) for i, a in enumerate(angles)])


def _heavy_tailed(rng, n):
    per = n // 3
    return _parts(*[(rng.standard_t(4, size=(per, 2)) * 0.5 + c, i) for i, c in enumerate([(0, 0), (8, 0), (4, 7)])])


def _anisotropic(rng, n, k=5):
    parts = []
    per = n // k
    for i in range(k):
        angle = rng.uniform(0, np.pi)
        rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        parts.append((rng.normal(size=(per, 2)) * [1.5, 0.2] @ rot.T + [6 * (i % 3), 6 * (i // 3)], i))
    return _parts(*parts)


def _chain(rng, n, k=6):
    return _gaussians(rng, n, np.c_[np.arange(k) * 1.0, np.zeros(k)], 0.25)


def _unequal_touching(rng, n):
    """A dense blob touching a sparse one: a clear valley under the rule."""
    sizes = np.array([int(0.75 * n), n - int(0.75 * n)])
    return _gaussians(rng, n, [(0, 0), (1.6, 0)], [0.35, 0.45], sizes)


def _different_spread(rng, n):
    sizes = np.array([n // 3, n - n // 3])
    return _gaussians(rng, n, [(0, 0), (3.5, 0)], [0.4, 1.0], sizes)


def _overlapping_many(rng, k, n):
    centers = []
    while len(centers) < k:
        c = rng.uniform(0, 9, 2)
        if all(np.linalg.norm(c - d) > 1.6 for d in centers):
            centers.append(c)
    return _gaussians(rng, n, centers, 0.3)


def _loose_groups(rng, n, centers, sd):
    per = n // len(centers)
    return _parts(*[(_gauss(rng, per, c, sd), i) for i, c in enumerate(centers)])


def _stripes(rng, n, k=4):
    """Parallel slanted stripes, Gaussian across (sd 0.12), 4.8 sd apart: a valley to a tenth between them."""
    return _parts(*[(_band(rng, n // k, (0, 0.6 * i), (5, 0.6 * i + 1.5), 0.12), i) for i in range(k)])


def _ring_of_small_blobs(rng, n):
    """Nine small blobs (one at the centre, eight on a ring around it) and six far out, 5 sd apart or more."""
    inner = [(0.0, 0.0)] + [(np.cos(t), np.sin(t)) for t in np.linspace(0, 2 * np.pi, 8, endpoint=False)]
    outer = [(3 * np.cos(t), 3 * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 6, endpoint=False)]
    per = n // 15
    return _parts(*[(_gauss(rng, per, c, 0.15), i) for i, c in enumerate(inner + outer)])


def _windows(rng, n, side=3, gap=0.2):
    """Uniform unit squares on a grid, ``gap`` apart: an empty corridor about five point spacings wide."""
    per = n // side**2
    corners = [(i * (1 + gap), j * (1 + gap)) for i in range(side) for j in range(side)]
    return _parts(*[(_polygon_fill(rng, per, np.array([(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)])), i)
                    for i, (x, y) in enumerate(corners)])


def _blob_in_bowl(rng, step=0.5, channel=0.9):
    """A round blob sitting in a bowl, like the classic flame set: points evenly spread (a jittered grid, turned off
    the axes), an empty channel ``channel`` wide (under two point spacings) between the two."""
    turn = np.array([[np.cos(0.35), np.sin(0.35)], [-np.sin(0.35), np.cos(0.35)]])
    grid = np.mgrid[-11:11:step, -11:11:step].reshape(2, -1).T @ turn
    points = grid + rng.uniform(-0.2, 0.2, grid.shape)
    radius = np.hypot(*points.T)
    bowl = (radius > 3.0 + channel) & (radius < 7.0) & (points[:, 1] < 1.0)
    return _parts((points[radius < 3.0], 0), (points[bowl], 1))


def _bridged_blobs(rng):
    """Two uniform ovals, like the classic aggregation set's, joined by a bridge of 6 points across the 0.7 between
    them (a thin line, each point going with the nearer oval), and a third oval apart."""
    bridge = _band(rng, 6, np.array([1.9, 0.2]), np.array([2.8, 0.3]), 0.03)
    near = bridge[:, 0] > 2.35
    return _parts((_filled_ellipse(rng, 170, (0, 0), (2.0, 1.5)), 0), (bridge[~near], 0), (bridge[near], 1),
                  (_filled_ellipse(rng, 100, (4.3, 0.3), (1.6, 1.2)), 1),
                  (_filled_ellipse(rng, 270, (2.0, 4.5), (2.2, 1.8)), 2))


def _discs_and_short_bridge(rng):
    """Seven uniform discs of 30-270 points (the aggregation set's sizes), two of them 0.3 apart joined by a row of 6
    points (each going with the nearer disc): the row is as dense as the discs and the kernel spans the gap."""
    discs = [(170, (0, 0), 1.2), (100, (2.4, 0.2), 0.9), (35, (5, 3), 0.5), (130, (0, 3.5), 1.0), (30, (3, 4), 0.45),
             (120, (6, 0), 1.1), (270, (4, -3.5), 1.6)]
    row = np.c_[np.linspace(1.2, 1.55, 6), np.linspace(0.05, 0.1, 6)]
    near = row[:, 0] > 1.35
    return _parts(*[(_filled_ellipse(rng, n, c, (r, r)), i) for i, (n, c, r) in enumerate(discs)],
                  (row[~near], 0), (row[near], 1))


def _dense_and_sparse_blobs(rng):
    """Three dense blobs of 2,000 points and five sparse ones of 100, all with gaps between them."""
    dense = [(_gauss(rng, 2000, c, 0.3), i) for i, c in enumerate([(0, 0), (2, 0), (1, 1.8)])]
    sparse = [(_gauss(rng, 100, c, 0.4), 3 + i) for i, c in enumerate([(8, 0), (10, 0), (9, 2), (8, 4), (10, 4)])]
    return _parts(*dense, *sparse)


def _unequal_moons(rng):
    """A dense lower moon of 276 points under a sparse upper one of 97, a gap between them."""
    return _parts((_arc(rng, 276, (0, 0), 1.0, np.pi, np.pi, 0.12), 0),
                  (_arc(rng, 97, (1.0, -0.25), 1.0, 0.0, np.pi, 0.12), 1))


def _bars_and_blob(rng):
    """Two uniform bars forming an L with a gap of half a bar at the corner, and a Gaussian blob of double their density."""
    return _parts((_polygon_fill(rng, 100, np.array([(0, 0), (4, 0), (4, 1), (0, 1)])), 0),
                  (_polygon_fill(rng, 100, np.array([(0, 1.5), (1, 1.5), (1, 5), (0, 5)])), 1),
                  (_gauss(rng, 200, (3, 3.5), 0.45), 2))


def _density_gradients(rng, n):
    """Two rectangles side by side, each densest at the corner facing the other, a thin gap between them."""
    def rectangle(m, flip):
        u = rng.uniform(size=(8 * m, 2))
        u = u[rng.uniform(size=len(u)) < (1 - 0.8 * u[:, 0]) * (1 - 0.8 * u[:, 1])][:m]
        return (-u if flip else u) * (2.0, 1.0) + (-0.05 if flip else 0.05)
    return _parts((rectangle(n // 2, False), 0), (rectangle(n - n // 2, True), 1))


def _filled_ellipse(rng, n, center, axes, turn=0.0):
    radius, angle = np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0, 2 * np.pi, n)
    xy = np.c_[axes[0] * radius * np.cos(angle), axes[1] * radius * np.sin(angle)]
    return xy @ np.array([[np.cos(turn), np.sin(turn)], [-np.sin(turn), np.cos(turn)]]) + center


def _shapes_in_noise(rng, fraction):
    """Filled ellipses, an arc around a disc, a ring, a bar and a wavy line across the top, parted by gaps, in a wide
    plot (14 x 10) with uniform noise over it (the kind of the CHAMELEON benchmarks)."""
    wave = rng.uniform(0, 14, 500)
    X, y = _parts(
        (_filled_ellipse(rng, 900, (2, 7), (1.3, 0.7), 0.3), 0),
        (_arc(rng, 1_000, (6, 6), 1.8, 0.2, 2.6, 0.1), 1),
        (_filled_ellipse(rng, 700, (6, 5.8), (0.7, 0.7)), 2),
        (_arc(rng, 1_000, (10, 4), 1.2, width=0.08), 3),
        (_filled_ellipse(rng, 1_200, (3, 2.5), (1.6, 1.0), -0.4), 4),
        (_band(rng, 700, (0.5, 0.5), (6, 0.5), 0.15), 5),
        (_filled_ellipse(rng, 600, (13, 7), (0.8, 1.5)), 6),
        (np.c_[wave, 9.3 + 0.4 * np.sin(1.5 * wave)] + rng.normal(0, 0.06, (500, 2)), 7),
    )
    return _with_noise(rng, X, y, fraction)


def _line_across_ring(rng):
    """A straight line through a ring, crossing it twice and running on a little past it on both sides."""
    ring = _outline(rng, 800, (2, 2), 0.05)
    return _parts((ring, 0), (np.c_[rng.uniform(-3, 3, 600), rng.normal(0, 0.05, 600)], 1))


def _line_over_ellipse(rng):
    """A line running along an ellipse's top, a gap of five times either's spread between them."""
    ellipse = _outline(rng, 800, (2, 1), 0.05)
    return _parts((ellipse, 0), (np.c_[rng.uniform(-3, 3, 500), rng.normal(1.25, 0.05, 500)], 1))


def _blob_on_ring(rng):
    """A dense round blob sitting on a thin ring, the ring running through it."""
    return _parts((_arc(rng, 600, radius=2.0, width=0.06), 0), (_gauss(rng, 300, (2, 0), 0.25), 1))


def _spiral_and_blob(rng):
    """A spiral of two turns whose inner end starts at a round blob in its middle."""
    t = rng.uniform(1, 4 * np.pi, 800)
    spiral = 0.3 * np.c_[t * np.cos(t), t * np.sin(t)] + rng.normal(0, 0.08, (800, 2))
    return _parts((spiral, 0), (_gauss(rng, 150, (0, 0), 0.15), 1))


def _tight_blobs_in_cloud(rng):
    """Two tight blobs inside a wide Gaussian cloud, as near-duplicates sit inside a class's spread."""
    return _parts((_gauss(rng, 3000, (0, 0), 2.0), 0), (_gauss(rng, 300, (1, 1), 0.1), 1),
                  (_gauss(rng, 300, (-2, -1), 0.1), 2))


def _blob_in_u(rng):
    """A round blob resting in a thick U-shaped band, a narrow gap between them."""
    band = _outline(rng, 500, (2, 2), 0.25, (1.1 * np.pi, 1.9 * np.pi))
    return _parts((band, 0), (_gauss(rng, 250, (0, -0.4), 0.45), 1))


def _sine_waves(rng):
    """Two parallel sine waves 0.7 apart, their spread 0.06."""
    x = rng.uniform(0, 10, (2, 1000))
    return _parts(*[(np.c_[x[i], np.sin(x[i]) + 0.7 * i + rng.normal(0, 0.06, 1000)], i) for i in range(2)])


def _cored_blobs(rng):
    """Three blobs, each a tight core inside a wide halo of as many points: one group each."""
    return _parts(*[(np.r_[_gauss(rng, 400, c, 0.2), _gauss(rng, 400, c, 1.0)], i)
                    for i, c in enumerate([(0, 0), (6, 1), (2, 6)])])


def _sparse_x(rng):
    """Two sparse lines of 100 points crossing at right angles."""
    return _parts((_band(rng, 100, (-2, -2), (2, 2), 0.05), 0), (_band(rng, 100, (-2, 2), (2, -2), 0.05), 1))


def _sine_across_line(rng):
    """A sine wave crossing a straight line four times, the two running on a little past the last crossing."""
    x = rng.uniform(0, 10, (2, 1000))
    return _parts((np.c_[x[0], 1.5 * np.sin(x[0]) + rng.normal(0, 0.05, 1000)], 0),
                  (np.c_[x[1], rng.normal(0, 0.05, 1000)], 1))


def _close_lines(rng):
    """Two long parallel lines whose gap is seven times their spread, much narrower than they are long."""
    return _parts((_band(rng, 800, (0, 0), (10, 0), 0.04), 0), (_band(rng, 800, (0, 0.3), (10, 0.3), 0.04), 1))


def _close_arcs(rng):
    """Two concentric half circles of 1,500 points, 0.06 apart (radius 1), each 0.008 across: two arcs."""
    return _parts(*[(_arc(rng, 1500, radius=1.0 + 0.06 * i, span=np.pi, width=0.008), i) for i in range(2)])


def _three_close_lines(rng):
    """Three long parallel lines of 800 points, 0.3 apart (length 10), each 0.04 across."""
    return _parts(*[(_band(rng, 800, (0, 0.3 * i), (10, 0.3 * i), 0.04), i) for i in range(3)])


def _close_sine_waves(rng):
    """Two sine waves of 1,000 points, one 0.25 above the other (0.18 apart where they are steepest), 0.03 across."""
    x = rng.uniform(0, 10, (2, 1000))
    return _parts(*[(np.c_[x[i], np.sin(x[i]) + 0.25 * i + rng.normal(0, 0.03, 1000)], i) for i in range(2)])


def _square_sides(rng, per_side, centre, half, width):
    """The outline of a square of half-side ``half``, ``per_side`` points on each side."""
    corners = np.asarray(centre, float) + half * np.array([(-1, -1), (1, -1), (1, 1), (-1, 1)], float)
    return np.concatenate([_band(rng, per_side, corners[i], corners[(i + 1) % 4], width) for i in range(4)])


def _square_outline(rng):
    """The outline of a square drawn by 200 points, 50 a side: one shape."""
    return _parts((_square_sides(rng, 50, (1.5, 1.5), 1.5, 0.04), 0))


def _nested_squares(rng):
    """Three concentric square outlines of 500 points each, half-sides 0.5, 1 and 1.5: the outer ones sparser."""
    return _parts(*[(_square_sides(rng, 125, (0, 0), half, 0.03), i) for i, half in enumerate((0.5, 1.0, 1.5))])


def _combs(rng, teeth=4):
    """Two combs of 1,000 points facing each other, their teeth interleaved 0.5 apart, 0.6 short of the other's
    spine."""
    parts = []
    for comb, (spine, tips, shift) in enumerate(((0.0, 2.4, 0.0), (3.0, 0.6, 0.5))):
        xs = shift + np.arange(teeth)
        segments = [((xs[0], spine), (xs[-1], spine))] + [((x, spine), (x, tips)) for x in xs]
        parts.append((np.concatenate([_band(rng, 200, a, b, 0.04) for a, b in segments]), comb))
    return _parts(*parts)


def _wavy_trajectories(rng, k=4, per=500):
    """``k`` wavy paths side by side, 1.2 apart, each a sine of amplitude 0.3 at its own frequency and phase."""
    parts = []
    for i in range(k):
        t = rng.uniform(0, 1, per)
        wave = 0.3 * np.sin(2 * np.pi * (t * (1 + 0.5 * i) + rng.uniform()))
        parts.append((np.c_[4 * t, 1.2 * i + wave] + rng.normal(scale=0.04, size=(per, 2)), i))
    return _parts(*parts)


def _closed_chain(rng, k=8, per=300):
    """``k`` Gaussians of sd 0.28 around a circle of radius 2, each 5.5 sd from its neighbours."""
    angles = 2 * np.pi * np.arange(k) / k
    return _parts(*[(_gauss(rng, per, (2 * np.cos(a), 2 * np.sin(a)), 0.28), i) for i, a in enumerate(angles)])


def _interlocked_cs(rng):
    """A C of radius 1 open to the right and a small C of radius 0.45 open to the left inside its mouth."""
    return _parts((_arc(rng, 1_066, (0, 0), 1.0, 0.7, 2 * np.pi - 1.4, width=0.05), 0),
                  (_arc(rng, 533, (0.95, 0), 0.45, np.pi + 1.0, 2 * np.pi - 2.0, width=0.05), 1))


def _ring_round_sparse_disc(rng):
    """A thin ring of 1,600 points around a disc of 400 uniform points, 0.4 between them."""
    radius = 1.1 * np.sqrt(rng.uniform(0, 1, 400))
    angle = rng.uniform(0, 2 * np.pi, 400)
    return _parts((_arc(rng, 1_600, radius=1.5, width=0.05), 0), (np.c_[radius * np.cos(angle), radius * np.sin(angle)], 1))


def _unequal_lines(rng):
    """Three parallel lines 0.4 apart holding 1,080, 540 and 180 points."""
    return _parts(*[(_band(rng, size, (0, 0.4 * i), (4, 0.4 * i), 0.03), i) for i, size in enumerate((1_080, 540, 180))])


def _cassini(rng):
    """Two banana arcs of 400 points above and below a disc of 200, gaps between (mlbench's cassini)."""
    return _parts((_arc(rng, 400, (0, -2.0), 3.5, np.pi / 4, np.pi / 2, 0.15), 0),
                  (_arc(rng, 400, (0, 2.0), 3.5, 5 * np.pi / 4, np.pi / 2, 0.15), 1),
                  (_filled_ellipse(rng, 200, (0, 0), (0.5, 0.5)), 2))


def _four_shapes(rng):
    """A Gaussian, a filled triangle, a filled square and a sine band, 250 points each (mlbench's shapes)."""
    t = rng.uniform(0, 1, 250)
    wave = np.c_[4 + 3 * t, -2 + 0.4 * np.sin(3 * np.pi * t)] + rng.normal(0, 0.06, (250, 2))
    return _parts((_gauss(rng, 250, (0, 0), 0.35), 0),
                  (_polygon_fill(rng, 250, [(3, -0.8), (5.5, -0.8), (4.25, 1.2)]), 1),
                  (_polygon_fill(rng, 250, [(-1, -3), (1, -3), (1, -1.2), (-1, -1.2)]), 2), (wave, 3))


def _corner_brackets(rng):
    """Four L-shaped brackets of 300 points at the corners of a square, opening inwards."""
    return _parts(*[(np.r_[_band(rng, 150, (3 * sx, 3 * sy), (sx, 3 * sy), 0.12),
                           _band(rng, 150, (3 * sx, 3 * sy), (3 * sx, sy), 0.12)], i)
                    for i, (sx, sy) in enumerate(((1, 1), (-1, 1), (-1, -1), (1, -1)))])


def _crescent_and_disc(rng):
    """A disc of 500 points and a crescent of 600 hugging its left side, a gap between."""
    angle, radius = rng.uniform(np.pi / 2, 3 * np.pi / 2, 600), rng.uniform(1.6, 2.4, 600)
    return _parts((np.c_[radius * np.cos(angle), radius * np.sin(angle)], 0),
                  (_filled_ellipse(rng, 500, (0.3, 0), (1.2, 1.2)), 1))


def _labyrinth(rng):
    """Six uniform bands of 500 points laid out as a maze, corridors 0.3 wide between them."""
    bands = [[(0, 0), (6, 0), (6, 0.6), (0, 0.6)], [(0, 0.9), (0.6, 0.9), (0.6, 6), (0, 6)],
             [(0.9, 5.4), (6, 5.4), (6, 6), (0.9, 6)], [(6.3, 0), (6.9, 0), (6.9, 6), (6.3, 6)],
             [(0.9, 0.9), (5.1, 0.9), (5.1, 1.5), (0.9, 1.5)], [(5.4, 0.9), (6.0, 0.9), (6.0, 5.1), (5.4, 5.1)]]
    return _parts(*[(_polygon_fill(rng, 500, band), i) for i, band in enumerate(bands)])


def _satellites(rng):
    """A wide Gaussian of 2,000 points and four tight groups of 30 around it, gaps between."""
    turns = np.radians([20, 110, 200, 290])
    return _parts((_gauss(rng, 2000, (0, 0), 1.0), 0),
                  *[(_gauss(rng, 30, 5 * np.array([np.cos(a), np.sin(a)]), 0.15), i + 1) for i, a in enumerate(turns)])


def _target_with_clumps(rng):
    """A blob of 400 points in a ring of 600, and a clump of 15 points at each corner (FCPS's target)."""
    corners = ((3.5, 3.5), (-3.5, 3.5), (-3.5, -3.5), (3.5, -3.5))
    return _parts((_gauss(rng, 400, (0, 0), 0.3), 0), (_arc(rng, 600, (0, 0), 2.0, width=0.12), 1),
                  *[(_gauss(rng, 15, c, 0.12), i + 2) for i, c in enumerate(corners)])


def _splashes(rng):
    """Two heavy-tailed blobs (Student's t, 3 degrees of freedom) of 600 and 300 points, a valley between."""
    return _parts((rng.standard_t(3, (600, 2)) * 0.35, 0), (rng.standard_t(3, (300, 2)) * 0.25 + (2.2, 0.4), 1))


def _separated_gaussians(rng, k, n, extent, min_distance, sd):
    """k equal Gaussians at random centres at least ``min_distance`` apart; truth under the valley rule."""
    centers = []
    while len(centers) < k:
        c = rng.uniform(0, extent, 2)
        if all(np.linalg.norm(c - d) > min_distance for d in centers):
            centers.append(c)
    return _gaussians(rng, n, centers, sd)


SUITE = {
    # classes that collapsed
    "grid 10x10 touching Gaussians": lambda r: _grid(r, 10, 100_000, 0.24),
    "grid 5x5 touching Gaussians": lambda r: _grid(r, 5, 2_500, 0.24),
    "sine string of 100 Gaussians": lambda r: _sine_string(r, 100, 100_000, 0.28),
    "sine string of 20 Gaussians": lambda r: _sine_string(r, 20, 4_000, 0.12),
    "ring around two blobs (300)": lambda r: _ring_and_blobs(r, 300),
    "dense and sparse blob touching (200)": lambda r: _unequal_touching(r, 200),
    "dense and sparse blob touching (3000)": lambda r: _unequal_touching(r, 3_000),
    "three loose groups (120)": lambda r: _loose_groups(r, 120, [(0, 0), (4, 0), (2, 3.5)], 0.6),
    "four loose groups (400)": lambda r: _loose_groups(r, 400, [(0, 0), (5, 0), (0, 5), (5, 5)], 0.9),
    "two sparse groups (100)": lambda r: _loose_groups(r, 100, [(0, 0), (4, 1)], 0.7),
    "crossing bands (X)": lambda r: _cross(r, 3_000),
    "bands crossing at a narrow slant (30 degrees)": lambda r: _cross(r, 3_000, 30),
    "five interlocking rings": lambda r: _olympic(r, 5_000),
    "diamonds touching at a corner": lambda r: _diamonds(r, 2_000),
    "Gaussians of different spread": lambda r: _different_spread(r, 3_000),
    "two parabolic arcs": lambda r: _parabolas(r, 1_500),
    "35 thin worms (100k)": lambda r: _worms(r, 35, 100_000),
    "15 overlapping Gaussians (5k)": lambda r: _overlapping_many(r, 15, 5_000),
    "chain of 6 touching Gaussians": lambda r: _chain(r, 6_000),
    # classes of small classic benchmarks (sparse sets with visible gaps, many touching Gaussians, unequal densities)
    "three sparse spirals (312)": lambda r: _spirals(r, 312, 3),
    "three evenly spaced spirals (312)": lambda r: _spirals(r, 312, 3, noise=0.05, even=True),
    "four parallel stripes (1200)": lambda r: _stripes(r, 1_200),
    "15 small blobs, nine in a ring (600)": lambda r: _ring_of_small_blobs(r, 600),
    "3x3 sparse squares (1350)": lambda r: _windows(r, 1_350),
    "31 touching Gaussians (3100)": lambda r: _separated_gaussians(r, 31, 3_100, 25, 3.2, 0.75),
    "20 Gaussians (3000)": lambda r: _separated_gaussians(r, 20, 3_000, 20, 2.5, 0.55),
    "3 dense and 5 sparse blobs (6500)": _dense_and_sparse_blobs,
    "two moons of unequal density (373)": _unequal_moons,
    "two bars and a blob (400)": _bars_and_blob,
    "rectangles with density gradients (1000)": lambda r: _density_gradients(r, 1_000),
    "blob in a bowl, a narrow channel between": _blob_in_bowl,
    "two ovals joined by a bridge of points": _bridged_blobs,
    "seven discs, two joined by a short row of points": _discs_and_short_bridge,
    "sparse smiley face (500)": lambda r: _smiley(r, 500),
    "three sparse zigzags (400)": lambda r: _zigzag(r, 400),
    "four overlapping rings (1000)": lambda r: _four_rings(r, 1_000, 0.03),
    "four overlapping thick rings (4000)": lambda r: _four_rings(r, 4_000, 0.06),
    "five lines from one point (1500)": lambda r: _star(r, 1_500),
    # a line or a blob on or inside another shape
    "a line across a ring": _line_across_ring,
    "a line along an ellipse's top": _line_over_ellipse,
    "a dense blob on a thin ring": _blob_on_ring,
    "a spiral around a blob": _spiral_and_blob,
    "two tight blobs in a wide cloud": _tight_blobs_in_cloud,
    "a blob resting in a U band": _blob_in_u,
    "two parallel sine waves": _sine_waves,
    "three blobs, each a core in a halo": _cored_blobs,
    "a sparse X (200)": _sparse_x,
    "a sine crossing a straight line": _sine_across_line,
    "two close parallel lines": _close_lines,
    "a sparse square outline (200)": _square_outline,
    "two close concentric arcs": _close_arcs,
    "three close parallel lines": _three_close_lines,
    "two close sine waves": _close_sine_waves,
    # drawn on 5 December, after the engine was tuned: spirals as usually drawn, thinning outward
    "three spirals at equal angle steps (312)": lambda r: _angle_step_spirals(r, 312),
    # drawn on 5 December (a second time), after the engine was tuned: outlines, combs, paths, a closed chain
    "three nested square outlines": _nested_squares,
    "two interleaved combs": _combs,
    "four wavy paths side by side": _wavy_trajectories,
    "a closed chain of 8 Gaussians": _closed_chain,
    "a small C in a large C's mouth": _interlocked_cs,
    "a ring round a sparse disc": _ring_round_sparse_disc,
    "three lines of unequal density": _unequal_lines,
    # drawn on 5 December (a third time), after the engine was tuned: classic shapes (mlbench, FCPS), heavy tails
    "cassini: two bananas and a disc": _cassini,
    "four shapes: Gaussian, triangle, square, wave": _four_shapes,
    "four corner brackets": _corner_brackets,
    "a crescent hugging a disc": _crescent_and_disc,
    "a labyrinth of six bands": _labyrinth,
    "a wide Gaussian and four tight satellites": _satellites,
    "target with four corner clumps": _target_with_clumps,
    "two heavy-tailed splashes": _splashes,
    # classes that worked
    "two moons (500)": lambda r: _moons(r, 500, 0.06),
    "two moons (100k)": lambda r: _moons(r, 100_000, 0.06),
    "two circles (1M)": lambda r: _circles(r, 1_000_000, 0.04),
    "three separate rings": lambda r: _parts(*[(_arc(r, 1000, c, 1.0, width=0.06), i)
                                                      for i, c in enumerate([(0, 0), (2.6, 0), (1.3, 2.3)])]),
    "target: blob in a ring": lambda r: _target(r, 2_000),
    "disc in a ring": lambda r: _disc_and_ring(r, 3_000),
    "two spirals": lambda r: _spirals(r, 2_000, 2),
    "three spirals (30k)": lambda r: _spirals(r, 30_000, 3),
    "three zigzags": lambda r: _zigzag(r, 3_000),
    "three parallel lines": lambda r: _lines(r, 3_000),
    "three nested arcs": lambda r: _nested_arcs(r, 3_000),
    "banana and blob": lambda r: _banana_and_blob(r, 1_500),
    "sparse line beside a blob (250)": lambda r: _line_and_blob(r, 250),
    "smiley face": lambda r: _smiley(r, 4_000),
    "unequal blobs (20k)": lambda r: _unequal_blobs(r, 20_000),
    "50 scattered blobs (20k)": lambda r: _scattered_blobs(r, 50, 20_000),
    "8 scattered blobs (1M)": lambda r: _scattered_blobs(r, 8, 1_000_000),
    "10 blobs (300k)": lambda r: _scattered_blobs(r, 10, 300_000),
    "anisotropic blobs": lambda r: _anisotropic(r, 5_000),
    "heavy-tailed blobs": lambda r: _heavy_tailed(r, 3_000),
    "3x3 squares with thin gaps": lambda r: _squares(r, 9_000),
    "blobs in 10% noise": lambda r: _blobs_with_noise(r, 10_000, 0.1),
    "blobs in 30% noise": lambda r: _blobs_with_noise(r, 10_000, 0.3),
    "shapes in 20% noise, a wide plot (8k)": lambda r: _shapes_in_noise(r, 0.2),
    "one Gaussian": lambda r: _loose_groups(r, 1_000, [(0, 0)], 1.0),
    "one ring": lambda r: _parts((_arc(r, 2_000, width=0.05), 0)),
    "one Gaussian (1M)": lambda r: _loose_groups(r, 1_000_000, [(0, 0)], 1.0),
    "no structure (uniform)": lambda r: _uniform(r, 2_000),
    "no structure (uniform, 100k)": lambda r: _uniform(r, 100_000),
}
NAMES = tuple(SUITE)


def load(name, draw=None):
    """Points (n, 2) float64 and truth (n,) int: groups 0..k-1, -1 for background noise; the suite's own draw of
    ``name``, or another drawn with seed ``draw``."""
    X, y = SUITE[name](_rng(name) if draw is None else np.random.default_rng(draw))
    return np.asarray(X, float), np.asarray(y, int)


def turned(X, degrees):
    """X rotated by ``degrees`` about the origin: the same plot as a person sees it, turned."""
    turn = np.deg2rad(degrees)
    return X @ np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]).T


def with_far_outliers(X, seed=0):
    """X and 0.5% more points 2.8 to 4 plot widths from its middle, in random directions (X's rows come first)."""
    rng = np.random.default_rng(seed)
    k = max(1, len(X) // 200)
    turns, radii = rng.uniform(0, 2 * np.pi, k), 4 * np.ptp(X, axis=0).max() * rng.uniform(0.7, 1, (k, 1))
    return np.r_[X, X.mean(0) + radii * np.c_[np.cos(turns), np.sin(turns)]]
