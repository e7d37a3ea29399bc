"""Synthetic 2-D datasets of what a person sees as clusters, with their true labels.

Each dataset mixes shapes (isotropic, anisotropic and varied-spread blobs, filled
discs and rectangles, rings, moons and arcs, spirals, lines and curves), 1 to about
150 clusters of very uneven sizes, 100 to 10 million points, and sometimes uniform
background noise (label -1). Everything is drawn from one seeded generator, so
``make_dataset(seed)`` is reproducible.
"""

import numpy as np

MAX_CLUSTERS = 150


def _gaussian(rng, m):
    return rng.normal(size=(m, 2)) * 0.5


def _anisotropic(rng, m):
    ratio = rng.uniform(2, 10)
    return rng.normal(size=(m, 2)) * [0.6, 0.6 / ratio]


def _heavy_tailed(rng, m):
    return rng.standard_t(df=rng.uniform(3, 8), size=(m, 2)) * 0.35


def _disc(rng, m):
    radius = np.sqrt(rng.uniform(size=m))
    angle = rng.uniform(0, 2 * np.pi, m)
    return np.c_[radius * np.cos(angle), radius * np.sin(angle)]


def _rectangle(rng, m):
    return rng.uniform(-1, 1, (m, 2)) * [1, rng.uniform(0.2, 1)]


def _arc(rng, m, span=None, width=None):
    span = span if span is not None else rng.uniform(0.5, 1.6) * np.pi
    width = width if width is not None else rng.uniform(0.03, 0.15)
    angle = rng.uniform(0, span, m)
    radius = 1 + rng.normal(scale=width, size=m)
    return np.c_[radius * np.cos(angle), radius * np.sin(angle)]


def _ring(rng, m):
    return _arc(rng, m, span=2 * np.pi)


def _spiral(rng, m):
    turns = rng.uniform(0.8, 2.2)
    t = np.sqrt(rng.uniform(0.02, 1, m)) * turns * 2 * np.pi
    radius = t / (turns * 2 * np.pi)
    xy = np.c_[radius * np.cos(t), radius * np.sin(t)]
    return xy + rng.normal(scale=rng.uniform(0.01, 0.04), size=(m, 2))


def _line(rng, m):
    return np.c_[rng.uniform(-1, 1, m), rng.normal(scale=rng.uniform(0.01, 0.08), size=m)]


def _curve(rng, m):
    x = rng.uniform(-1, 1, m)
    y = rng.uniform(0.1, 0.4) * np.sin(rng.uniform(2, 7) * x + rng.uniform(0, 2 * np.pi))
    return np.c_[x, y + rng.normal(scale=rng.uniform(0.01, 0.06), size=m)]


SHAPES = {
    "gaussian": (_gaussian, 4),
    "anisotropic": (_anisotropic, 3),
    "heavy_tailed": (_heavy_tailed, 1),
    "disc": (_disc, 1),
    "rectangle": (_rectangle, 1),
    "arc": (_arc, 1.5),
    "ring": (_ring, 1),
    "spiral": (_spiral, 0.7),
    "line": (_line, 1),
    "curve": (_curve, 1),
}
_NAMES = list(SHAPES)
_WEIGHTS = np.array([w for _, w in SHAPES.values()]) / sum(w for _, w in SHAPES.values())


def _rotate(xy, angle):
    c, s = np.cos(angle), np.sin(angle)
    return xy @ np.array([[c, s], [-s, c]])


def _n_clusters(rng):
    u = rng.uniform()
    if u < 0.55:
        return int(rng.integers(1, 9))
    if u < 0.85:
        return int(np.exp(rng.uniform(np.log(9), np.log(40))))
    return int(np.exp(rng.uniform(np.log(40), np.log(MAX_CLUSTERS + 1))))


def _n_points(rng):
    if rng.uniform() < 0.02:
        return int(rng.uniform(3e6, 1e7))
    return int(np.exp(rng.uniform(np.log(100), np.log(2e6))))


def _sizes(rng, n, k):
    """Very uneven cluster sizes summing to n, at least 8 points each."""
    weights = rng.dirichlet(np.full(k, np.exp(rng.uniform(np.log(0.3), np.log(5)))))
    sizes = np.maximum((weights * n).astype(int), 8)
    return sizes


def _template(rng, n):
    """Pairs a person knows from scikit-learn's toy datasets: two moons, or two concentric rings."""
    noise = rng.uniform(0.02, 0.15)
    half = n // 2
    if rng.uniform() < 0.5:
        a = _arc(rng, half, span=np.pi, width=noise)
        b = _arc(rng, n - half, span=np.pi, width=noise) * [1, -1] + [1, 0.5]
    else:
        factor = rng.uniform(0.3, 0.7)
        a = _arc(rng, half, span=2 * np.pi, width=noise)
        b = _arc(rng, n - half, span=2 * np.pi, width=noise / factor) * factor
    return [a, b]


def make_dataset(seed, n_points=None, n_clusters=None):
    """A random dataset: points (n, 2) float32 and labels (n,) int32, -1 for background noise."""
    rng = np.random.default_rng(seed)
    n = n_points or _n_points(rng)
    noise_fraction = 0.0 if rng.uniform() < 0.4 else rng.uniform(0, 0.12)
    n_signal = max(int(n * (1 - noise_fraction)), 1)

    if n_clusters is None and rng.uniform() < 0.2:
        parts = _template(rng, n_signal)
        parts = [_rotate(p, rng.uniform(0, 2 * np.pi)) for p in parts]
    else:
        k = n_clusters or _n_clusters(rng)
        k = max(1, min(k, n_signal // 8 or 1))
        sizes = _sizes(rng, n_signal, k)
        scale = 0.45 / np.sqrt(k)
        centers = rng.uniform(0.1, 0.9, (k, 2))
        if rng.uniform() < 0.5 and k > 1:  # jittered grid: many clusters that just touch or not
            side = int(np.ceil(np.sqrt(k)))
            cells = rng.permutation(side * side)[:k]
            centers = (np.c_[cells % side, cells // side] + 0.5 + rng.uniform(-0.25, 0.25, (k, 2))) / side
        shared_shape = rng.uniform() < 0.2  # scikit-learn's "aniso": one shape for all
        names = rng.choice(_NAMES, size=k, p=_WEIGHTS)
        if shared_shape:
            names[:] = names[0]
        angles = np.full(k, rng.uniform(0, 2 * np.pi)) if shared_shape else rng.uniform(0, 2 * np.pi, k)
        parts = []
        for name, size, center, angle in zip(names, sizes, centers, angles):
            generator = SHAPES[name][0]
            local_scale = scale * np.exp(rng.normal(0, 0.45))
            xy = generator(rng, int(size))
            parts.append(_rotate(xy, angle) * local_scale + center)

    labels = np.concatenate([np.full(len(p), i, dtype=np.int32) for i, p in enumerate(parts)])
    X = np.concatenate(parts)
    n_noise = int(len(X) * noise_fraction / max(1 - noise_fraction, 1e-9))
    if n_noise:
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.05 * (hi - lo).max()
        X = np.concatenate([X, rng.uniform(lo - pad, hi + pad, (n_noise, 2))])
        labels = np.concatenate([labels, np.full(n_noise, -1, dtype=np.int32)])
    stretch = np.exp(rng.normal(0, 0.3, 2))  # a projection's axes rarely have equal spread
    return (X * stretch).astype(np.float32), labels
