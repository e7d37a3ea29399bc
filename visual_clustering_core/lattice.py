"""Coordinates recorded to a coarse precision: the lattice they lie on, and their points spread over its cells.

Measurements rounded to a few digits (iris's 0.1 cm, integer pixel positions)
put every point on a lattice. Where its step spans a pixel or more of the
grid, the plot is a pattern of dots with empty rows and columns between
them, and each dot holds every point recorded at it: the counts show the
rounding instead of the density, a site looks like a stack of copies, and the
finer-scale valley tests find a valley between every two rows (finer steps
alias into stripes of fuller and emptier pixels). A person sees through the
dots to the density they sample. So the points are counted spread over
their sites' cells (the values they stand for; the more crowded a site, the
more of its cell), while each point still reads its label at its recorded
site: points with the same coordinates get the same label.
"""

import numpy as np

SAMPLE = 20_000  # rows read to find a lattice (evenly strided)
MAX_SITES = 4096  # more distinct values than this in the sample: no lattice coarse enough to show on the grid
ON_SITE = 0.01  # a gap between distinct values within this share of a step of a multiple of the step is on the lattice
_R2 = 1.32471795724474602596  # the plastic number: offsets i / R2 and i / R2^2 (mod 1) fill the unit square evenly


def lattice_steps(X):
    """Per axis, the step of the lattice X's values lie on (data units), 0 where they lie on none.

    Read from an evenly strided sample of ``SAMPLE`` rows: the step is the
    smallest gap between the distinct values when every other gap is a whole
    number of steps. Values of no lattice (continuous measurements, a few off
    the lattice among many on it) give 0.
    """
    sample = np.asarray(X[:: max(1, len(X) // SAMPLE)], dtype=np.float64)
    return np.array([_step(sample[:, axis]) for axis in (0, 1)])


def _step(values):
    sites = np.unique(values[np.isfinite(values)])
    if not 3 <= len(sites) <= MAX_SITES:
        return 0.0
    gaps = np.diff(sites)
    step = gaps.min()
    multiples = gaps / step
    return float(step) if np.all(np.abs(multiples - np.rint(multiples)) <= ON_SITE) else 0.0


def spread_share(at_site):
    """The share of its cell a point is spread over, with ``at_site`` points at its site: sqrt(c) / (1 + sqrt(c)),
    so the gap left between the points of neighbouring sites, (1 - share) of a cell, is no wider than their spacing
    within the share, share / sqrt(c) of a cell. A lone point moves within the middle half of its cell: the lattice's
    rows and columns are broken up, its gaps of a site kept."""
    root = np.sqrt(np.maximum(at_site, 1))
    return root / (1 + root)


def spread_offsets(first, n, axis):
    """Offsets in [-0.5, 0.5) of a cell along ``axis`` for the ``n`` rows from row ``first`` on: the R2
    low-discrepancy sequence over the row numbers, so however the rows at one site are ordered, they fill its cell
    evenly, and however the rows are chunked, each gets the same offset."""
    offsets = np.arange(first, first + n, dtype=np.float64)
    offsets *= _R2 ** -(axis + 1)
    offsets += 0.5
    return np.modf(offsets)[0] - 0.5
