"""Gaps between groups of sparse points as a person sees them: wider than any step inside either group.

Smoothed over several point spacings, the density of a few hundred points
in chains (evenly spaced spiral arms) bridges the gap where two chains end
near each other, and the few points under the kernel make the dip look like
noise. A person sees the gap: each chain's points are closer to one another
than to the other chain's. That is single linkage: the gap between two
groups (their closest points) against the longest step inside each (the
longest edge of its minimum spanning tree). The points are the occupied
pixels of the area regions, and the edges between them their Delaunay
triangulation's: it holds the minimum spanning tree, and the closest pair of
two groups unless a third group's point lies between them.
"""

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay, QhullError

WIDER = 2.0  # two groups are apart when their gap is this many times the longest step inside either...
MIN_POINTS = 10  # ...and each holds at least this many occupied pixels (the longest of fewer steps is no measure of the spacing)


class PointGaps:
    """The gaps between the groups of regions (``regions``, ids 1..n) as they merge, on the pixels ``counts`` occupies.

    ``apart(a, b)`` tells whether two groups (their root region ids) are apart;
    ``join(a, b)`` records that ``a`` merged into ``b``.
    """

    def __init__(self, regions, counts, n):
        rows, cols = np.nonzero((counts > 0) & (regions > 0))
        label = regions[rows, cols].astype(np.int64)
        self.size = np.bincount(label, minlength=n + 1)
        self.gaps = [{} for _ in range(n + 1)]
        self.widest = np.zeros(n + 1)
        edges, length = delaunay_edges(np.c_[rows, cols].astype(np.float64))
        if len(edges) == 0:
            return
        a, b = label[edges[:, 0]], label[edges[:, 1]]
        inside = a == b
        tree = minimum_spanning_tree(coo_matrix((length[inside], tuple(edges[inside].T)), shape=(len(label),) * 2)).tocoo()
        np.maximum.at(self.widest, label[tree.row], tree.data)
        between = ~inside
        pairs, which = np.unique(np.c_[np.minimum(a, b), np.maximum(a, b)][between], axis=0, return_inverse=True)
        closest = np.full(len(pairs), np.inf)
        np.minimum.at(closest, which.ravel(), length[between])
        for (i, j), gap in zip(pairs.tolist(), closest.tolist()):
            self.gaps[i][j] = self.gaps[j][i] = gap

    def apart(self, a, b):
        """Whether groups ``a`` and ``b`` each hold ``MIN_POINTS`` and their gap is ``WIDER`` than the longest step
        inside either (no Delaunay edge between them: not apart, another group's points lie between)."""
        if min(self.size[a], self.size[b]) < MIN_POINTS:
            return False
        return self.gaps[a].get(b, 0.0) >= WIDER * max(self.widest[a], self.widest[b])

    def join(self, a, b):
        """Record that group ``a`` merged into group ``b``: its gaps to others become ``b``'s, its gap to ``b`` a step."""
        gap = self.gaps[a].pop(b, 0.0)
        self.gaps[b].pop(a, None)
        self.widest[b] = max(self.widest[a], self.widest[b], gap)
        self.size[b] += self.size[a]
        for other, g in self.gaps[a].items():
            del self.gaps[other][a]
            self.gaps[b][other] = self.gaps[other][b] = min(g, self.gaps[b].get(other, np.inf))
        self.gaps[a] = {}


def delaunay_edges(points):
    """The edges (pairs of indices, each once) of the points' Delaunay triangulation and their lengths; along a line
    (no triangulation), the steps between the points in order."""
    if len(points) < 2:
        return np.zeros((0, 2), np.int64), np.zeros(0)
    try:
        simplices = Delaunay(points).simplices
        edges = np.unique(np.sort(np.r_[simplices[:, [0, 1]], simplices[:, [1, 2]], simplices[:, [0, 2]]], axis=1), axis=0)
    except QhullError:  # fewer than 3 points, or all on one line
        order = np.lexsort(points.T[::-1])
        edges = np.c_[order[:-1], order[1:]]
    return edges, np.sqrt(((points[edges[:, 0]] - points[edges[:, 1]]) ** 2).sum(1))
