"""A sparse blob beside a dense one: two Gaussians, where the density shows only a shoulder.

Beside a dense blob, a sparse one of a few dozen points makes a dip too
shallow, for its few points, to pass the density's significance test: the two
merge (150 dense points touching 50 sparse ones were one cluster on 2 of 3
draws). A person sees two blobs of different density, each round. So two
groups that are each a blob (their points' mean lies in the group, where the
density is at least ``BLOB`` of its peak), whose peaks differ by ``DENSER``
or more and the smaller holding at least ``SHARE`` of the larger's points,
stay apart when two Gaussians explain their points better than one by the
Bayesian information criterion: the log-likelihood gained exceeds half the
six extra parameters' ``log N``. Each group's moments are summed as groups
merge, so a test costs the same whatever the group's size.
"""

import numpy as np

from .blob_boundaries import BLOB, DENSER, gaussian_fits, point_moments

SHARE = 0.1  # ...and the smaller group holding at least this share of the larger's points
MIN_POINTS = 10  # ...each holding this many points at least (a Gaussian fitted to a few is no measure of a blob)
EXTRA_PARAMETERS = 6  # two Gaussians instead of one: a weight, a mean (2) and a covariance (3) more


class BlobPairs:
    """The points' moments of the groups of regions (``regions``, ids 1..n; ``counts`` the points per pixel), in
    pixel coordinates, as the groups merge.

    ``apart(a, b, ...)`` tells whether two groups (their root region ids) are two blobs;
    ``join(a, b)`` records that ``a`` merged into ``b``.
    """

    def __init__(self, regions, counts, n):
        rows, cols = np.nonzero((counts > 0) & (regions > 0))
        self.moments = point_moments(regions[rows, cols], rows.astype(np.float64), cols.astype(np.float64),
                                     counts[rows, cols].astype(np.float64), n + 1)

    def apart(self, a, b, peaks, density, group_at):
        """Whether groups ``a`` and ``b``, of density peaks ``peaks`` (two values), are two blobs that two Gaussians
        explain better than one; ``density`` the smoothed counts, ``group_at(pixel)`` the group of a flat pixel."""
        ma, mb = self.moments[a], self.moments[b]
        (na, nb, n), means, covs = gaussian_fits(np.stack([ma, mb, ma + mb]))
        if min(na, nb) < max(SHARE * max(na, nb), MIN_POINTS) or max(peaks) < DENSER * min(peaks):
            return False
        for group, mean, peak in zip((a, b), means, peaks):
            pixel = np.ravel_multi_index(tuple(np.clip(np.rint(mean).astype(int), 0, np.array(density.shape) - 1)), density.shape)
            if group_at(pixel) != group or density.flat[pixel] < BLOB * peak:
                return False
        log_det = np.log(np.maximum(np.linalg.det(covs), 1e-12))
        gained = (n * log_det[2] - na * log_det[0] - nb * log_det[1]) / 2 + na * np.log(na / n) + nb * np.log(nb / n)
        return gained > EXTRA_PARAMETERS / 2 * np.log(n)

    def join(self, a, b):
        """Record that group ``a`` merged into group ``b``."""
        self.moments[b] += self.moments[a]
