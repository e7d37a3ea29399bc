"""Rasterising 2-D points onto the square grid the network sees.

The grid keeps the data's aspect ratio by default (one scale for both axes) and
leaves a margin of ``resolution // 32`` pixels on every side. Pixel indices are
computed in chunks, so memory stays flat however many points there are.
"""

import functools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from scipy.spatial import ConvexHull, QhullError, cKDTree

from .distances import edt
from .lattice import spread_offsets, spread_share

_CHUNK = 1 << 17  # rows per pass: their float64 coordinates (1 MB) stay in the cache between the passes over them
_BLOCK = 1 << 15  # rows read once for all four bounds while they sit in the cache
SMOOTHING = 4.0
MAX_SIGMA = 16.0
FAR_GAP = 2.0  # points farther from the bulk of the plot than this many times its longer side...
FAR_SHARE = 0.01  # ...are left off the grid when they hold at most this share of the points: far outliers
FAR_GRID = 128  # they are sought on the occupied pixels pooled to at most this many blocks a side
MIN_CELL = 0.1  # a lattice of coordinates with a step under this many pixels does not show on the grid
STACK = 4.0  # a pixel holding this many Poisson sd (plus as many points) over the fullest of its 8 neighbours is a stack
_RING = np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]], bool)


@dataclass(frozen=True)
class GridTransform:
    """Maps data coordinates to pixels: ``pixel = resolution / 2 + (x - center) * scale``.

    ``cells``: per axis, the width in pixels of the lattice cell each point is
    counted spread over (``lattice``; 0: none) by ``spread_pixel_indices``.
    """

    center: tuple
    scale: tuple
    resolution: int
    cells: tuple = (0.0, 0.0)

    @classmethod
    def from_bounds(cls, lo, hi, resolution, keep_aspect=True, steps=(0.0, 0.0)):
        """The grid over [lo, hi]; ``steps``, the lattice's per axis in data units (``lattice.lattice_steps``), widen
        it by half a step each side: the outermost values stand for cells that reach that far."""
        steps = np.asarray(steps, dtype=np.float64)
        lo = np.asarray(lo, dtype=np.float64) - steps / 2
        hi = np.asarray(hi, dtype=np.float64) + steps / 2
        span = hi - lo
        if keep_aspect:
            span = np.full(2, span.max())
        inner = resolution - 2 * (resolution // 32)
        with np.errstate(divide="ignore"):
            scale = np.where(span > 0, inner / span, 1.0)
        cells = steps * scale
        cells[cells < MIN_CELL] = 0.0
        return cls(tuple((lo + hi) / 2), tuple(scale), int(resolution), tuple(cells))

    @property
    def spreads(self):
        return any(self.cells)

    def pixel_indices(self, X):
        """Flat pixel index (``row * resolution + col``) of each row of X; -1 off the grid or non-finite."""
        out = np.empty(len(X), dtype=np.int32)
        for start in range(0, len(X), _CHUNK):
            out[start : start + _CHUNK] = self._block_indices(X[start : start + _CHUNK])
        return out

    def spread_pixel_indices(self, X, sites, first_row=0):
        """Where X's rows are counted: each moved within its lattice cell (``lattice.spread_offsets``; X's rows are
        rows ``first_row`` on of the data), over the share of it ``lattice.spread_share`` gives the points at its
        recorded site (``sites``: the counts there)."""
        at_site = np.append(sites.ravel(), 0)
        out = np.empty(len(X), dtype=np.int32)
        for start in range(0, len(X), _CHUNK):
            block = X[start : start + _CHUNK]
            share = spread_share(at_site[self._block_indices(block)])
            shifts = [spread_offsets(first_row + start, len(block), axis) * (self.cells[axis] * share) if self.cells[axis] else None
                      for axis in (0, 1)]
            out[start : start + len(block)] = self._block_indices(block, shifts)
        return out

    def _block_indices(self, block, shifts=(None, None)):
        R = self.resolution
        cols, inside_cols = _axis_pixels(block[:, 0], self.center[0], self.scale[0], R, shifts[0])
        rows, inside_rows = _axis_pixels(block[:, 1], self.center[1], self.scale[1], R, shifts[1])
        rows *= R
        rows += cols
        if inside_cols is not True or inside_rows is not True:
            rows[~(inside_cols & inside_rows)] = -1
        return rows

    def pixel_edge(self, pixel, axis):
        """The data coordinate where ``pixel`` (0..resolution) starts along ``axis`` (0: x, columns; 1: y, rows)."""
        return self.center[axis] + (pixel - self.resolution / 2) / self.scale[axis]


def bulk_window(counts, transform):
    """The data window (lo, hi) of the plot without its far outliers, or None when it has none.

    A few points far from the rest squash them into a corner of the plot, a
    few pixels wide, where no clusters can be told apart. The bulk starts as
    the occupied pixels in the box of the narrowest stretches, along either
    axis, holding all but ``FAR_SHARE`` of the points, and takes in every
    occupied pixel within ``FAR_GAP`` times that box's longer side of it, again
    and again. When the points left beyond hold at most ``FAR_SHARE`` of them,
    they are far outliers, on one side of the plot or all around it, and the
    window is the bulk's, as a person zooms in on the bulk of a plot. (Growing
    the box instead let one outlier taken in stretch it towards all the others
    around the plot.) The bulk is grown on the occupied pixels pooled to at most
    ``FAR_GRID`` blocks a side, so it stays cheap on any grid."""
    total = counts.sum()
    if total == 0:
        return None
    box = np.array([_narrowest(counts.sum(axis=0)), _narrowest(counts.sum(axis=1))])  # (first, last): x, y
    step = reduction_step(counts.shape, FAR_GRID)
    occupied = counts > 0
    start = np.zeros_like(occupied)
    inside = np.s_[box[1, 0] : box[1, 1] + 1, box[0, 0] : box[0, 1] + 1]
    start[inside] = occupied[inside]
    blocks, bulk = (_pooled_any(image, step) for image in (occupied, start))
    reach = FAR_GAP * (box[:, 1] - box[:, 0] + 1).max() / step + 1  # blocks: the one more for their own width
    while (near := blocks & ~bulk & (edt(~bulk) <= reach)).any():
        bulk |= near
    bulk = occupied & bulk.repeat(step, axis=0).repeat(step, axis=1)[: counts.shape[0], : counts.shape[1]]
    held = counts[bulk].sum()
    if held == total or total - held > FAR_SHARE * total:
        return None
    rows, cols = np.flatnonzero(bulk.any(axis=1)), np.flatnonzero(bulk.any(axis=0))
    lo, hi = (np.array([transform.pixel_edge(pixel, axis) for axis, pixel in enumerate(edge)])
              for edge in ((cols[0], rows[0]), (cols[-1] + 1, rows[-1] + 1)))
    return lo, hi


def _pooled_any(image, step):
    """Whether any pixel of each step x step block of a bool image is set (the image padded with False to whole
    blocks)."""
    padded = np.zeros((-(-image.shape[0] // step) * step, -(-image.shape[1] // step) * step), bool)
    padded[: image.shape[0], : image.shape[1]] = image
    return functools.reduce(np.logical_or, (padded[i::step, j::step] for i in range(step) for j in range(step)))


def _narrowest(marginal):
    """The first and last pixel of the narrowest stretch of a marginal of the counts holding all but ``FAR_SHARE``
    of its points."""
    occupied = np.flatnonzero(marginal)
    held = np.cumsum(marginal[occupied])
    ends = np.searchsorted(held, np.r_[0, held[:-1]] + (1 - FAR_SHARE) * held[-1], side="left")
    starts = np.flatnonzero(ends < len(occupied))
    low = starts[np.argmin(occupied[ends[starts]] - occupied[starts])]
    return occupied[low], occupied[ends[low]]


def bounds_within(X, lo, hi):
    """Per-axis min and max of the rows of X inside the window [lo, hi] (non-finite rows are outside)."""
    inside = (X[:, 0] >= lo[0]) & (X[:, 0] <= hi[0]) & (X[:, 1] >= lo[1]) & (X[:, 1] <= hi[1])
    kept = X[inside]
    return kept.min(axis=0).astype(np.float64), kept.max(axis=0).astype(np.float64)


def _axis_pixels(values, center, scale, resolution, shift=None):
    """Pixel coordinate along one axis (int32), each value moved by ``shift`` pixels if given, and whether each lies
    on the grid (True when all do).

    Works column by column: numpy reduces a contiguous column ~50x faster than
    it reduces an (n, 2) array along its rows.
    """
    u = np.subtract(values, center, dtype=np.float64)  # a new array: the caller's stays untouched
    u *= scale
    u += resolution / 2
    if shift is not None:
        u += shift
    with np.errstate(invalid="ignore"):
        inside = True if u.min() >= 0 and u.max() < resolution else (u >= 0) & (u < resolution)  # NaN: not all
        return u.astype(np.int32), inside


def finite_bounds(X):
    """Per-axis min and max over the finite rows of X, and the mask of finite rows (None if all are)."""
    blocks = np.array([(b[:, 0].min(), b[:, 1].min(), b[:, 0].max(), b[:, 1].max())
                       for b in (X[start : start + _BLOCK] for start in range(0, len(X), _BLOCK))], dtype=np.float64)
    lo, hi = blocks[:, :2].min(0), blocks[:, 2:].max(0)  # NaN propagates
    if np.isfinite(lo).all() and np.isfinite(hi).all():
        return lo, hi, None
    finite = np.isfinite(X[:, 0]) & np.isfinite(X[:, 1])
    if not finite.any():
        return np.zeros(2), np.zeros(2), finite
    lo = np.array([X[finite, 0].min(), X[finite, 1].min()], dtype=np.float64)
    hi = np.array([X[finite, 0].max(), X[finite, 1].max()], dtype=np.float64)
    return lo, hi, finite


def occupied_hull(occupied):
    """The pixels whose centres lie in the convex hull of the ``occupied`` ones' (a 2-D bool image).

    The hull is taken over each row's first and last occupied pixel, and
    filled row by row from where its edges cross the row, so it costs a few
    passes over the image whatever the number of points."""
    rows = np.flatnonzero(occupied.any(axis=1))
    hull = np.zeros(occupied.shape, bool)
    if len(rows) == 0:
        return hull
    first = occupied[rows].argmax(axis=1)
    last = occupied.shape[1] - 1 - occupied[rows, ::-1].argmax(axis=1)
    lo, hi = np.full(occupied.shape[0], np.inf), np.full(occupied.shape[0], -np.inf)
    lo[rows], hi[rows] = first, last
    ends = np.r_[np.c_[rows, first], np.c_[rows, last]].astype(np.float64)
    try:
        corners = ends[ConvexHull(ends).vertices]
    except QhullError:  # fewer than 3 ends, or all on one line: each row's own stretch
        corners = np.zeros((0, 2))
    y = np.arange(occupied.shape[0], dtype=np.float64)
    for (y0, x0), (y1, x1) in zip(corners, np.roll(corners, -1, axis=0)):
        if y0 == y1:
            continue
        t = (y - y0) / (y1 - y0)
        crossed = (t >= 0) & (t <= 1)
        x = x0 + t[crossed] * (x1 - x0)
        lo[crossed], hi[crossed] = np.minimum(lo[crossed], x), np.maximum(hi[crossed], x)
    columns = np.arange(occupied.shape[1])
    hull[:] = (columns >= np.ceil(lo - 1e-9)[:, None]) & (columns <= np.floor(hi + 1e-9)[:, None])
    return hull


def pixel_counts(pixels, resolution):
    """Number of points per pixel, as a (resolution, resolution) int64 image."""
    valid = pixels[pixels >= 0] if pixels.min(initial=0) < 0 else pixels
    counts = np.bincount(valid, minlength=resolution * resolution)
    return counts.reshape(resolution, resolution)


def pooled_counts(counts, size):
    """The counts of a square grid summed into a coarser size x size grid (fine pixel i into coarse pixel
    i * size // side)."""
    starts = -(-np.arange(size) * counts.shape[0] // size)  # the first fine pixel of each coarse one
    return np.add.reduceat(np.add.reduceat(counts, starts, axis=0), starts, axis=1)


def stretched(image, size):
    """A (channels, r, r) image spread over a finer size x size grid, each fine pixel reading the coarse pixel
    ``pooled_counts`` summed it into."""
    if image.shape[-1] == size:
        return image
    index = np.arange(size) * image.shape[-1] // size
    return image[:, index[:, None], index[None, :]]


def density_image(counts, denoise=0):
    """The network's input: occupancy and log-density normalised to [0, 1], shape (2, R, R) float32.

    ``denoise`` > 1 median-filters the counts first with that kernel size, which
    removes isolated points and thin bridges between clusters.
    """
    counts = denoised(counts, denoise)
    log_counts = np.log1p(counts.astype(np.float32))
    peak = log_counts.max()
    if peak > 0:
        log_counts /= peak
    return np.stack([(counts > 0).astype(np.float32), log_counts])


def unstacked(counts):
    """The counts with each stack of copies of a point counted as the fullest of its 8 neighbours holds (1 alone).

    Copies of one point (duplicate images share one embedding) are one dot in
    a plot: a person sees no more points there than around it, while a pixel
    of hundreds of points collapses the smoothing scale and makes a peak of
    its own. A pixel holds a stack when it holds ``STACK`` Poisson standard
    deviations, plus ``STACK`` points, more than its fullest neighbour: among
    other points its copies take the label around them, alone they are a lone dot.
    """
    fullest = ndimage.maximum_filter(counts, footprint=_RING, mode="constant")
    stack = counts > fullest + STACK * (np.sqrt(fullest) + 1)
    return np.where(stack, np.maximum(fullest, 1), counts) if stack.any() else counts


def denoised(counts, denoise):
    """The counts median-filtered with kernel size ``denoise`` (unchanged for 0 or 1)."""
    return ndimage.median_filter(counts, size=int(denoise)) if denoise and denoise > 1 else counts


def point_spacing(occupied, rng=None):
    """Median distance, in pixels, from an occupied pixel to its nearest occupied neighbour (2,000 sampled).

    Where most sampled pixels touch an occupied neighbour (distance 1 or the
    square root of 2), the median is read off the image; otherwise a k-d tree finds it.
    """
    rows, cols = np.nonzero(occupied)
    if len(rows) < 2:
        return 1.0
    query = np.arange(len(rows))
    if len(rows) > 2000:
        rng = rng if rng is not None else np.random.default_rng(0)
        query = rng.choice(len(rows), 2000, replace=False)
    spacing = float(np.median(_touching_distance(occupied, rows[query], cols[query])))
    if np.isfinite(spacing):
        return spacing
    points = np.c_[rows, cols]
    distances, _ = cKDTree(points).query(points[query], k=2)
    return float(np.median(distances[:, 1]))


def _touching_distance(occupied, rows, cols):
    """Distance from each given pixel to its nearest occupied 8-neighbour: 1, the square root of 2, or inf (none)."""
    padded = np.pad(occupied, 1)
    r, c = rows + 1, cols + 1
    side = padded[r - 1, c] | padded[r + 1, c] | padded[r, c - 1] | padded[r, c + 1]
    corner = padded[r - 1, c - 1] | padded[r - 1, c + 1] | padded[r + 1, c - 1] | padded[r + 1, c + 1]
    return np.where(side, 1.0, np.where(corner, np.sqrt(2.0), np.inf))


def density_scale(counts, smoothing=SMOOTHING):
    """The smoothing scale chosen from the data, in pixels (1 to MAX_SIGMA): ``smoothing`` x the point spacing.

    The spacing is the occupied pixels' nearest-neighbour distance, shrunk by
    the square root of the typical count per occupied pixel (the count the
    average point shares its pixel with), so dense data is smoothed less.
    """
    positive = counts > 0
    occupied = counts[positive].astype(np.float64)
    typical = (occupied**2).sum() / max(occupied.sum(), 1.0)
    spacing = point_spacing(positive) / np.sqrt(max(typical, 1.0))
    return float(np.clip(smoothing * spacing, 1.0, MAX_SIGMA))


def smoothed_density(counts, sigma):
    """Point counts blurred by a Gaussian of ``sigma`` pixels (float32; the sum stays the number of points)."""
    return ndimage.gaussian_filter(counts.astype(np.float32), sigma, mode="constant")


def kernel_points(density, sigma):
    """The number of points the smoothing kernel of ``sigma`` holds where the density is ``density`` (points per
    pixel): density x 4 pi sigma^2."""
    return density * (4 * np.pi * sigma**2)


def reduction_step(shape, side):
    """The step (1 or more) that subsamples or block-reduces an image of ``shape`` to at most ``side`` a side."""
    return -(-max(shape) // side)


def widened(box):
    """A box of ``ndimage.find_objects`` one pixel wider on every side (slicing clips it at the image's far edges)."""
    return tuple(slice(max(s.start - 1, 0), s.stop + 1) for s in box)


def nearest_area(labels):
    """Each pixel's distance to the nearest labelled pixel, and that pixel's label."""
    depth, (rows, cols) = ndimage.distance_transform_edt(labels == 0, return_indices=True)
    return depth, labels[rows, cols]


def spread_labels(labels, step, mask):
    """Labels found on a grid subsampled by ``step`` spread back over ``mask`` (full size): each mask pixel takes the
    label of the nearest labelled subsampled pixel, the rest 0."""
    full = np.repeat(np.repeat(labels, step, axis=0), step, axis=1)[: mask.shape[0], : mask.shape[1]]
    _, (rows, cols) = ndimage.distance_transform_edt(full == 0, return_indices=True)
    return np.where(mask, full[rows, cols], 0)
