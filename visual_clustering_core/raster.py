"""Rasterising 2-D points onto the square grid the network sees.

The grid keeps the data's aspect ratio by default (one scale for both axes) and
leaves a margin of ``resolution // 32`` pixels on every side. Pixel indices are
computed in chunks, so memory stays flat however many points there are.
"""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

_CHUNK = 1 << 20


@dataclass(frozen=True)
class GridTransform:
    """Maps data coordinates to pixels: ``pixel = resolution / 2 + (x - center) * scale``."""

    center: tuple
    scale: tuple
    resolution: int

    @classmethod
    def from_bounds(cls, lo, hi, resolution, keep_aspect=True):
        lo = np.asarray(lo, dtype=np.float64)
        hi = np.asarray(hi, dtype=np.float64)
        span = hi - lo
        if keep_aspect:
            span = np.full(2, span.max())
        inner = resolution - 2 * (resolution // 32)
        with np.errstate(divide="ignore"):
            scale = np.where(span > 0, inner / span, 1.0)
        return cls(tuple((lo + hi) / 2), tuple(scale), int(resolution))

    def pixel_indices(self, X):
        """Flat pixel index (``row * resolution + col``) of each row of X; -1 off the grid or non-finite."""
        n = len(X)
        R = self.resolution
        out = np.empty(n, dtype=np.int32)
        center = np.asarray(self.center)
        scale = np.asarray(self.scale)
        for start in range(0, n, _CHUNK):
            block = np.array(X[start : start + _CHUNK], dtype=np.float64)  # a copy: X stays untouched
            block -= center
            block *= scale
            block += R / 2
            with np.errstate(invalid="ignore"):
                inside = ((block >= 0) & (block < R)).all(axis=1)
            block[~inside] = 0
            cols = block[:, 0].astype(np.int32)
            rows = block[:, 1].astype(np.int32)
            idx = rows * R + cols
            idx[~inside] = -1
            out[start : start + len(block)] = idx
        return out


def finite_bounds(X):
    """Per-axis min and max over the finite rows of X, and the mask of finite rows (None if all are)."""
    lo, hi = X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)
    if np.isfinite(lo).all() and np.isfinite(hi).all():
        return lo, hi, None
    finite = np.isfinite(X).all(axis=1)
    lo, hi = np.full(2, np.inf), np.full(2, -np.inf)
    for start in range(0, len(X), _CHUNK):
        block = X[start : start + _CHUNK][finite[start : start + _CHUNK]]
        if len(block):
            lo = np.minimum(lo, block.min(axis=0))
            hi = np.maximum(hi, block.max(axis=0))
    if not finite.any():
        lo, hi = np.zeros(2), np.zeros(2)
    return lo, hi, finite


def pixel_counts(pixels, resolution):
    """Number of points per pixel, as a (resolution, resolution) int64 image."""
    valid = pixels[pixels >= 0] if pixels.min(initial=0) < 0 else pixels
    counts = np.bincount(valid, minlength=resolution * resolution)
    return counts.reshape(resolution, resolution)


def density_image(counts, denoise=0):
    """The network's input: occupancy and log-density normalised to [0, 1], shape (2, R, R) float32.

    ``denoise`` > 1 median-filters the counts first with that kernel size, which
    removes isolated points and thin bridges between clusters.
    """
    if denoise and denoise > 1:
        counts = ndimage.median_filter(counts, size=int(denoise))
    log_counts = np.log1p(counts.astype(np.float32))
    peak = log_counts.max()
    if peak > 0:
        log_counts /= peak
    return np.stack([(counts > 0).astype(np.float32), log_counts])
