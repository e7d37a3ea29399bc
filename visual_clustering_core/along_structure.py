"""The point counts smoothed along the plot's local orientation: how a person follows stripes and spiral arms.

Sparse stripes or spiral arms a few kernels apart blur into one under the
isotropic kernel, yet each is dense along its length. Where the structure
tensor is coherent (the gradient of the counts smoothed at ``GRADIENT_SCALE``
x sigma, finer than the gap between stripes, averaged over ``WINDOW`` sigma), the
counts are smoothed by a Gaussian ``LENGTH`` sigma long along the local
orientation and ``WIDTH`` sigma wide across it: the gap between stripes
stays deep and the kernel still holds many points. The kernel is one of
``ORIENTATIONS``, each pixel blending the two nearest its orientation, so the
density has no seams where the orientation passes from one to the next. A
kernel half a step (11 degrees) off two lines 1.3 sigma apart spreads across
them: their valley rises from 0.27 to 0.83 of the peak. So where the plot's
coherent structure has one dominant orientation (parallel stripes: the
resultant of its doubled angles, weighted by points and coherence, at least
``DOMINANT``), the kernels are turned to it, and the lines are followed
exactly whatever their slant (16 orientations everywhere kept every slant's
valley under 0.44, but split iris's petals along their lattice's rows and
sparse spirals at chance gaps). The kernels are applied in the Fourier domain
(a Gaussian's transform is a Gaussian), on the counts' spectrum taken once.
The window suits sparse points, whose orientation needs many of them; where
the points are much denser than the typical point's (the middle of spirals
drawn at equal steps of angle, where their turns are tightest), the kernels'
orientation is read over a window down to half as wide: over the wide one,
a tight turn reads as its chord, and the density along three such chords
joined the arms' inner ends (one cluster on every draw).
"""

from functools import cached_property

import numpy as np
from scipy import fft, ndimage

GRADIENT_SCALE = 0.5
LENGTH = 2.0
WIDTH = 1 / 3
ORIENTATIONS = 8
DOMINANT = 0.8  # the kernels turn to a dominant orientation whose resultant is this long (parallel stripes 0.98;
# spirals, rings, moons and zigzags 0.03-0.3 as drawn, up to 0.69 stretched 1.6:1 or for a line beside a blob)
COHERENT = 0.4  # the structure is oriented where the structure tensor's coherence is above this
LINES = 0.35  # most points lie on lines where their mean coherence is above this (the suite's lines 0.43-0.66, three
# sparse spirals drawn again 0.36-0.46; its blobs, rings around blobs and real plots 0.12-0.32)
WINDOW = 2.0  # the structure tensor is averaged over this many sigma...
DENSER = (0.75, 0.65)  # ...the kernels' orientation over half of it where the typical point's density is this share of
# the points' around (blended between the two): a spiral's dense inner turns 0.56-0.7, sparse stripes' clumps 0.73 up
MIN_WIDTH = 2.0  # pixels: a narrower kernel across would sample single pixels


class AlongStructure:
    """The structure tensor and the density along the structure of ``counts`` at the scale ``sigma``, made on first
    use; the kernel is ``across`` pixels wide (``WIDTH`` sigma unless given)."""

    def __init__(self, counts, sigma, across=None):
        self.counts, self.sigma = counts, sigma
        self.across = WIDTH * sigma if across is None else across

    @cached_property
    def usable(self):
        """Whether the kernel across is wide enough (dense data, whose kernel is narrow, keeps the isotropic one)."""
        return self.across >= MIN_WIDTH

    @cached_property
    def lines(self):
        """Whether most of the points lie on oriented structure: their mean coherence is at least ``LINES``."""
        return self.usable and self.counts.any() and np.average(self.tensor[0], weights=self.counts) >= LINES

    def oriented(self, box, inside):
        """Whether the pixels ``inside`` (a mask on the crop ``box``) lie on oriented structure: their mean coherence
        is at least ``COHERENT`` (never where the kernel is not ``usable``)."""
        return self.usable and self.tensor[0][box][inside].mean() >= COHERENT

    @cached_property
    def tensor(self):
        """Coherence (0 to 1) and the orientation along the structure (radians, 0 to pi), per pixel, over the
        ``WINDOW`` x sigma window."""
        return _coherence_and_orientation(self._wide)

    @cached_property
    def orientation(self):
        """The orientation the kernels follow: the ``tensor``'s, read over half its window where the points around are
        ``DENSER`` than the typical point's (a spiral's tight inner turns, which the wide window reads as chords)."""
        dense = self._dense_share()
        if not dense.any():
            return self.tensor[1]
        position = -2 * np.log2(1 - dense / 2)  # 0 to 2: windows of 1, 1/sqrt(2) and 1/2 of the tensor's
        blend = 0.0
        for k in range(3):
            weight = np.clip(1 - np.abs(position - k), 0.0, 1.0)  # the two nearest windows, linearly
            if weight.any():
                window = self._wide if k == 0 else self._products(WINDOW * self.sigma / np.sqrt(2) ** k)
                blend = blend + weight[..., None] * window
        return _coherence_and_orientation(blend)[1]

    @cached_property
    def _wide(self):
        return self._products(WINDOW * self.sigma)

    @cached_property
    def _fine(self):
        """The counts smoothed at ``GRADIENT_SCALE`` x sigma (float64)."""
        return ndimage.gaussian_filter(self.counts.astype(np.float64), GRADIENT_SCALE * self.sigma)

    @cached_property
    def _gradient(self):
        return np.gradient(self._fine)

    def _products(self, window):
        """The gradient products (d_col^2, d_row^2, d_col d_row) of the counts smoothed at ``GRADIENT_SCALE`` x sigma,
        averaged over ``window`` pixels and divided by their trace: (rows, cols, 3)."""
        d_row, d_col = self._gradient
        products = np.stack([ndimage.gaussian_filter(a, window) for a in (d_col * d_col, d_row * d_row, d_col * d_row)], -1)
        return products / (products[..., :2].sum(-1, keepdims=True) + 1e-12)

    def _dense_share(self):
        """Per pixel, 0 to 1: how far the points around are denser than the typical point's. Each point's density at
        ``GRADIENT_SCALE`` x sigma is read as the typical one's share of it (at most 1, at least 1/2), averaged over
        sigma weighted by the points: 0 where that mean is ``DENSER[0]`` or more, 1 where it is ``DENSER[1]`` or less
        (a chance clump or two among sparse points keeps it near 1)."""
        counts = self.counts.astype(np.float64)
        if not counts.any():
            return np.zeros(counts.shape)
        local = self._fine
        share = np.clip(np.average(local, weights=counts) / np.maximum(local, 1e-12), 0.5, 1.0)
        weight = ndimage.gaussian_filter(counts, self.sigma)
        around = np.where(weight > 0, ndimage.gaussian_filter(counts * share, self.sigma) / np.maximum(weight, 1e-12), 1.0)
        first, last = DENSER
        return np.clip((first - around) / (first - last), 0.0, 1.0)

    @cached_property
    def dominant(self):
        """The orientation the kernels are turned to (radians): the points' dominant one, where its resultant (of the
        doubled angles, weighted by points and coherence) is at least ``DOMINANT`` long, else 0."""
        coherence, orientation = self.tensor
        weight = self.counts * coherence
        resultant = (weight * np.exp(2j * orientation)).sum() / max(weight.sum(), 1e-12)
        return float(np.angle(resultant) / 2 % np.pi) if abs(resultant) >= DOMINANT else 0.0

    @cached_property
    def density(self):
        """The counts smoothed along the local orientation (points per pixel, like the isotropic density)."""
        length, width = LENGTH * self.sigma, self.across
        reach = int(np.ceil(3 * length))  # padding, so that the transform's wrap-around stays off the plot
        shape = [fft.next_fast_len(n + reach, real=True) for n in self.counts.shape]
        spectrum = fft.rfft2(self.counts.astype(np.float64), shape)
        f_row, f_col = np.meshgrid(fft.fftfreq(shape[0]), fft.rfftfreq(shape[1]), indexing="ij")
        step = np.pi / ORIENTATIONS
        position = ((self.orientation - self.dominant) % np.pi) / step
        below = np.floor(position).astype(int) % ORIENTATIONS
        above = (below + 1) % ORIENTATIONS
        share = position - np.floor(position)  # of the orientation above
        out = np.zeros(self.counts.shape)
        rows, cols = self.counts.shape
        for k, angle in enumerate(self.dominant + np.arange(ORIENTATIONS) * step):
            u, v = f_col * np.cos(angle) + f_row * np.sin(angle), f_row * np.cos(angle) - f_col * np.sin(angle)
            kernel = np.exp(-2 * np.pi**2 * ((length * u) ** 2 + (width * v) ** 2))  # the Gaussian's transform
            weight = np.where(below == k, 1 - share, 0.0) + np.where(above == k, share, 0.0)
            out += weight * fft.irfft2(spectrum * kernel, shape)[:rows, :cols]
        return np.maximum(out, 0.0)

    @cached_property
    def per_kernel(self):
        """``density`` scaled so that, like the isotropic density at sigma, x 4 pi sigma^2 it is the number of points
        under the kernel (whose area is ``LENGTH`` x ``across`` / sigma of the isotropic one's): float32."""
        return (self.density * (LENGTH * self.across / self.sigma)).astype(np.float32)


def _coherence_and_orientation(products):
    """Coherence (0 to 1) and the orientation along the structure (radians, 0 to pi) from trace-divided gradient
    products (``AlongStructure._products``)."""
    cc, rr, rc = np.moveaxis(products, -1, 0)
    coherence = np.hypot(cc - rr, 2 * rc) / (cc + rr + 1e-12)
    return coherence, (0.5 * np.arctan2(2 * rc, cc - rr) + np.pi / 2) % np.pi  # the gradient runs across
