"""Boundaries between touching blobs: where their Gaussian fits meet, not along the density's valley.

Where a dense blob touches a sparse one, the density's valley between them
lies inside the sparse blob's reach: split there, the sparse blob's near side
goes to the dense one. A person draws that boundary where the blobs' shapes
meet. So, for each pair of touching cluster areas that are both blobs (the
density at their points' mean is at least ``BLOB`` of their peak: not a moon,
a ring or a band, whose mean lies off their points), each area pixel goes to
the cluster whose Gaussian fit (points' count, mean and covariance) explains it
best, refitted ``STEPS`` times. Fitted to its own area, a sparse blob's Gaussian
misses the tail that reaches into the dense blob's area, and the boundary stays
near the valley; so blobs of different density (``DENSER``) are first fitted as
a mixture, each pixel's points shared among the fits as they explain it (soft
EM). Blobs of one density are not: uniform squares are no Gaussians, and as a
mixture their fits' tails would pull the boundaries off the gaps between them.
A pixel only moves into a touching cluster, and only in a piece that touches
it, so no cluster takes pixels beyond another.
"""

import numpy as np
from scipy import ndimage

from .raster import widened

BLOB = 0.5  # an area is a blob when the density at its points' mean is at least this fraction of its peak
FILLS = 0.5  # ...and it holds at least this share of the pixels within one standard deviation of its Gaussian fit
STEPS = 2  # boundaries moved, and the fits refitted, this many times
DENSER = 2.0  # blobs whose Gaussian fits' peaks differ this many times are of different density...
MIXTURE_STEPS = 50  # ...their fits refitted as a mixture this many times at most,
SETTLED = 0.05  # ...or until no mean moves this many pixels
_NEIGHBOURS = ((0, 1), (1, 0), (1, 1), (1, -1))  # half the 8-neighbourhood: each pixel pair is seen once


def refine_blob_boundaries(areas, counts, density):
    """The label map of cluster areas (0: background, any ids) with the boundaries between touching blobs moved to
    where their Gaussian fits meet; ``counts`` the points per pixel, ``density`` the counts smoothed."""
    pairs = _touching_pairs(areas)
    if len(pairs) == 0:
        return areas
    pixels = _AreaPixels(areas, counts)
    fits = pixels.fits(pixels.labels)
    pairs = pairs[_blobs(fits, pixels, areas, density)[pairs].all(1)]
    if len(pairs) == 0:
        return areas
    unequal = pairs[_unequal(fits, pairs)]
    in_mixture = np.zeros(pixels.n_ids, bool)
    in_mixture[unequal.ravel()] = True
    mixed = _mixture_fits(fits, pixels, in_mixture, *_candidates(pixels, unequal)) if len(unequal) else fits
    at, other = _candidates(pixels, pairs)
    labels = pixels.labels
    for step in range(STEPS):
        refitted = mixed if step == 0 else _replaced(pixels.fits(labels), mixed, in_mixture)
        labels = _move_boundaries(labels, refitted, pixels, at, other)
    out = areas.copy()
    out.ravel()[pixels.flat] = labels
    return _keep_touching_pieces(areas, out)


class _AreaPixels:
    """The area pixels (flat indices), their rows, columns, labels and points, and each label's pixels."""

    def __init__(self, areas, counts):
        self.flat = np.flatnonzero(areas)
        self.rows, self.cols = (v.astype(np.float64) for v in np.unravel_index(self.flat, areas.shape))
        self.labels = areas.ravel()[self.flat]
        self.points = counts.ravel()[self.flat].astype(np.float64)
        self.n_ids = int(areas.max()) + 1
        order = np.argsort(self.labels, kind="stable")
        starts = np.searchsorted(self.labels[order], np.arange(self.n_ids + 1))
        self.of = [order[starts[i] : starts[i + 1]] for i in range(self.n_ids)]

    def fits(self, labels):
        """Each label's points (count) and their mean and covariance, in pixel coordinates."""
        return gaussian_fits(point_moments(labels, self.rows, self.cols, self.points, self.n_ids))


def point_moments(labels, rows, cols, points, n_ids):
    """Each label's points and their sums of r, c, r^2, r c and c^2, one row a label: (n_ids, 6)."""
    return np.stack([np.bincount(labels, weights=points * f, minlength=n_ids)
                     for f in (1.0, rows, cols, rows * rows, rows * cols, cols * cols)], axis=1)


def gaussian_fits(moments):
    """Points, means (k, 2) and covariances (k, 2, 2) of rows of ``point_moments``; a pixel's own spread (1/12) is
    added, so a one-pixel line stays fittable."""
    n, sr, sc, srr, src, scc = np.atleast_2d(moments).T
    safe = np.maximum(n, 1.0)
    mean_r, mean_c = sr / safe, sc / safe
    var_r, var_c = srr / safe - mean_r**2 + 1 / 12, scc / safe - mean_c**2 + 1 / 12
    cov = src / safe - mean_r * mean_c
    return n, np.c_[mean_r, mean_c], np.stack([np.c_[var_r, cov], np.c_[cov, var_c]], axis=1)


def _touching_pairs(areas):
    """The pairs (a, b), a < b, of areas with 8-neighbouring pixels, as an (m, 2) array."""
    found = []
    rows, cols = areas.shape
    for dr, dc in _NEIGHBOURS:
        a = areas[: rows - dr, max(-dc, 0) : cols - max(dc, 0)]
        b = areas[dr:, max(dc, 0) : cols - max(-dc, 0)]
        differ = (a != b) & (a > 0) & (b > 0)
        found.append(np.sort(np.c_[a[differ], b[differ]], axis=1))
    return np.unique(np.concatenate(found), axis=0)


def _blobs(fits, pixels, areas, density):
    """Whether each area is a blob: its points' mean (``fits``) falls inside it, where the density is ``BLOB`` of
    its peak, and it holds ``FILLS`` of the pixels within one standard deviation of its fit (the fit of a spiral
    arm or a band wrapped around others covers their ground)."""
    n, mean, cov = fits
    r, c = (np.clip(np.round(mean[:, k]).astype(int), 0, areas.shape[k] - 1) for k in range(2))
    peak = np.zeros(pixels.n_ids, density.dtype)  # numpy's ufunc.at is ~70x slower casting
    np.maximum.at(peak, pixels.labels, density.ravel()[pixels.flat])
    peak = peak.astype(np.float64)
    ids = np.arange(pixels.n_ids)
    blob = (n > 0) & (ids > 0) & (areas[r, c] == ids) & (density[r, c] >= BLOB * peak)
    for i in np.flatnonzero(blob):
        blob[i] = _share_of_core(areas, i, mean[i], cov[i]) >= FILLS
    return blob


def _share_of_core(areas, label, mean, cov):
    """The share of the pixels within one standard deviation of a Gaussian fit (``mean``, ``cov``) labelled ``label``."""
    reach = np.sqrt(np.diag(cov))
    low = np.maximum(np.floor(mean - reach).astype(int), 0)
    high = np.minimum(np.ceil(mean + reach).astype(int) + 1, areas.shape)
    rows, cols = np.mgrid[low[0] : high[0], low[1] : high[1]]
    offset = np.stack([rows - mean[0], cols - mean[1]], axis=-1)
    core = np.einsum("...i,ij,...j->...", offset, np.linalg.inv(cov), offset) <= 1
    return (areas[low[0] : high[0], low[1] : high[1]][core] == label).mean() if core.any() else 0.0


def _log_fit_terms(fits):
    """Each fit's log(count x Gaussian density) as a quadratic in pixel coordinates: the coefficients of
    (1, r, c, r^2, r c, c^2), one row a fit."""
    n, mean, cov = fits
    det = cov[:, 0, 0] * cov[:, 1, 1] - cov[:, 0, 1] ** 2
    a, b, d = cov[:, 1, 1] / det, -cov[:, 0, 1] / det, cov[:, 0, 0] / det  # the inverse covariance [[a, b], [b, d]]
    mr, mc = mean[:, 0], mean[:, 1]
    with np.errstate(divide="ignore"):
        constant = np.log(n) - 0.5 * np.log(det) - 0.5 * (a * mr**2 + 2 * b * mr * mc + d * mc**2)
    return np.c_[constant, a * mr + b * mc, b * mr + d * mc, -0.5 * a, -b, -0.5 * d]


def _log_fit(terms, labels, rows, cols):
    """log(count x Gaussian density) of each pixel's fit (``terms`` rows, indexed by ``labels``) at its coordinates."""
    t = terms[labels]
    return t[:, 0] + rows * (t[:, 1] + t[:, 3] * rows + t[:, 4] * cols) + cols * (t[:, 2] + t[:, 5] * cols)


def _unequal(fits, pairs):
    """Whether the two blobs of each pair differ in density: the peak of one's Gaussian fit ``DENSER`` times the
    other's or more."""
    n, _, cov = fits
    with np.errstate(divide="ignore", invalid="ignore"):
        peak = n / np.sqrt(cov[:, 0, 0] * cov[:, 1, 1] - cov[:, 0, 1] ** 2)
    high, low = np.maximum(peak[pairs[:, 0]], peak[pairs[:, 1]]), np.minimum(peak[pairs[:, 0]], peak[pairs[:, 1]])
    return high >= DENSER * low


def _replaced(fits, other_fits, ids):
    """``fits`` with those of the ``ids`` (a bool per id) taken from ``other_fits``."""
    return tuple(np.where(ids.reshape((-1,) + (1,) * (f.ndim - 1)), o, f) for f, o in zip(fits, other_fits))


def _mixture_fits(fits, pixels, ids, at, other):
    """The ``fits`` of the ``ids`` (a bool per id: the areas of the pairs whose candidates ``at``, ``other`` are, from
    ``_candidates``) refitted as a mixture (soft EM): each pixel's points shared among its own area's fit and those of
    the other areas its pairs offer, as they explain it, until no mean moves ``SETTLED`` of a pixel
    (``MIXTURE_STEPS`` at most); so a sparse blob's fit keeps the tail that reaches into the dense one's area."""
    held = pixels.points[at] > 0
    at, other = at[held], other[held]
    own, slot = np.unique(at, return_inverse=True)  # the pixels holding points, and each candidate's among them
    labels, points, rows, cols = pixels.labels[own], pixels.points[own], pixels.rows[own], pixels.cols[own]
    # each pixel once for its own area's fit, and once for each fit offered to it
    all_labels, all_rows, all_cols = np.r_[labels, other], np.r_[rows, rows[slot]], np.r_[cols, cols[slot]]
    pixel = np.r_[np.arange(len(own)), slot]
    for _ in range(MIXTURE_STEPS):
        with np.errstate(invalid="ignore"):
            fit = _log_fit(_log_fit_terms(fits), all_labels, all_rows, all_cols)
        top = np.full(len(own), -np.inf)
        np.maximum.at(top, pixel, fit)
        share = np.exp(fit - top[pixel])
        share *= points[pixel] / np.bincount(pixel, weights=share)[pixel]
        moments = point_moments(all_labels, all_rows, all_cols, share, pixels.n_ids)
        refitted = _replaced(fits, gaussian_fits(moments), ids)
        settled = np.abs(refitted[1] - fits[1]).max() < SETTLED
        fits = refitted
        if settled:
            break
    return fits


def _candidates(pixels, pairs):
    """Every (pixel, other label) a pair offers: the pixels of each pair's two areas, as first labelled, each with
    the pair's other area."""
    at, other = [], []
    for a, b in pairs:
        at += [pixels.of[a], pixels.of[b]]
        other += [np.full(len(pixels.of[a]), b), np.full(len(pixels.of[b]), a)]
    return np.concatenate(at), np.concatenate(other)


def _move_boundaries(labels, fits, pixels, at, other):
    """One step: each pixel goes to the fit (``fits`` of ``labels``) that explains it best, of its own and those
    of the other areas its pairs offer (``at``, ``other``: ``_candidates``)."""
    terms = _log_fit_terms(fits)
    rows, cols = pixels.rows[at], pixels.cols[at]
    gain = _log_fit(terms, other, rows, cols) - _log_fit(terms, labels[at], rows, cols)
    better = gain > 0
    at, other, gain = at[better], other[better], gain[better]
    best = np.zeros(len(labels))
    np.maximum.at(best, at, gain)
    won = gain == best[at]  # on a tie, the later candidate
    moved = labels.copy()
    moved[at[won]] = other[won]
    return moved


def _keep_touching_pieces(before, after):
    """``after``, except that a connected piece of moved pixels not touching its new cluster in ``before`` stays."""
    changed = after != before
    if not changed.any():
        return after
    box = widened(ndimage.find_objects(changed.astype(np.int8))[0])
    crop_before, crop_after, crop_changed = before[box], after[box], changed[box]
    pieces, m = ndimage.label(crop_changed, structure=np.ones((3, 3), bool))
    padded = np.pad(crop_before, 1, constant_values=-1)
    touches = np.zeros(crop_before.shape, bool)
    rows, cols = crop_before.shape
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            touches |= padded[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols] == crop_after
    ok = np.r_[False, ndimage.maximum(touches & crop_changed, pieces, np.arange(1, m + 1)).astype(bool)]
    out = after.copy()
    out[box] = np.where(crop_changed & ~ok[pieces], crop_before, crop_after)
    return out
