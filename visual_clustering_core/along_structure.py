"""The point counts smoothed along the plot's local orientation: how a person follows stripes and spiral arms.

Sparse stripes or spiral arms a few kernels apart blur into one under the
isotropic kernel, yet each is dense along its length. Where the structure
tensor is coherent (the gradient of the counts smoothed at ``GRADIENT_SCALE``
x sigma, finer than the gap between stripes, averaged over 2 sigma), the
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
        """Coherence (0 to 1) and the orientation along the structure (radians, 0 to pi), per pixel."""
        d_row, d_col = np.gradient(ndimage.gaussian_filter(self.counts.astype(np.float64), GRADIENT_SCALE * self.sigma))
        cc, rr, rc = (ndimage.gaussian_filter(a, 2 * self.sigma) for a in (d_col * d_col, d_row * d_row, d_col * d_row))
        coherence = np.hypot(cc - rr, 2 * rc) / (cc + rr + 1e-12)
        return coherence, (0.5 * np.arctan2(2 * rc, cc - rr) + np.pi / 2) % np.pi  # the gradient runs across

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
        position = ((self.tensor[1] - self.dominant) % np.pi) / step
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
