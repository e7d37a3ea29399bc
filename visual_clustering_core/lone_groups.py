"""Groups the area map missed: sparse points a visible gap parts from every other point are a cluster of their own.

The network marks no area on a small sparse group far from the denser
clusters that set the plot's scale (a ring of a few dozen points, a loose
disc beside dense shapes), and stray points lying close together stay noise
(``labelling.join_strays``). A person sees such a group: the empty space
around it is much wider than the steps between its points. That is single
linkage on the points left outside every cluster: as their minimum spanning
tree's edges join them from the shortest up, a group about to be joined to
another (by the edge leaving it: its gap to the other strays) is a cluster
of its own when that gap and its gap to every clustered point are ``WIDER``
times its mean step and no shorter than its longest, and it holds ``SIZE``
times the smallest cluster's points. The finest such groups are taken, so
two groups a gap parts stay two (and a sparse ring whose Poisson gaps part an
arc of it keeps the arc). A background scatter's groups have its other points
around them at their own spacing, and a cluster's stragglers lie beside it:
no gap parts either, and the background stage still drops a group no denser
than the scatter around it. A cluster too small to be a lone group counts
among the points left: it may be the piece of a sparse group the area map
marked, beside which the rest of the group would otherwise lie. A cluster
up to ``PART`` times larger takes part in the linkage as itself: a lone
group holding it and strays is that cluster with its outskirts (a sparse
disc whose middle alone the area map marked), and its strays join it when
they are spaced no more than ``CLOSE`` times as widely as its own points (a
scatter around a small dense blob stays noise). Strays a chain of short
steps ties to a cluster join it this way or stay noise, never a new cluster.
"""

import numpy as np
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import cKDTree

from .crossings import EIGHT
from .distances import edt
from .groups import find_root
from .point_gaps import delaunay_edges

SIZE = 3  # a lone group holds at least this many times ``min_cluster_size`` points...
WIDER = 4.0  # ...and its gaps are this many times its mean step and no shorter than its longest
PART = 10  # a cluster of fewer than this many times a lone group's least points may be part of one...
CLOSE = 2.0  # ...whose strays join it when their spacing is at most this many times its own


def lone_groups(grown, counts, min_cluster_size):
    """The grown label map (0: none, ids > 0) with each lone group of the occupied pixels outside every cluster of
    ``SIZE`` x ``min_cluster_size`` dots or more (``counts`` the dots per pixel) given an id of its own, and each lone
    group of such pixels and one cluster of fewer than ``PART`` x that many dots given that cluster's id (so strays
    fewer than a lone group's may join a small cluster they lie around; fewer than ``min_cluster_size`` stay noise)."""
    occupied, least = counts > 0, SIZE * min_cluster_size
    held = np.bincount(grown.ravel(), weights=counts.ravel())
    # a cluster smaller than a lone group may be the piece of one the area map marked: its points count as strays
    small = held < least
    small[0] = True
    stray = occupied & small[grown]
    if counts[stray].sum() < min_cluster_size:
        return grown
    # a cluster a few times larger may be the part of a sparse group the area map marked: it takes part, as itself
    part = (held < PART * least) & ~small
    node = stray | (occupied & part[grown])
    # strays a chain of steps under 3 pixels ties to another clustered point lie too near one for any gap: the rest
    islands, n = ndimage.label(ndimage.binary_dilation(occupied, EIGHT))
    tied, near = np.zeros(n + 1, bool), np.zeros(n + 1, bool)
    tied[islands[occupied & ~node]] = True
    near[islands[occupied & ~stray]] = True
    node &= ~tied[islands]
    if counts[node & stray].sum() < min_cluster_size:
        return grown
    where = np.argwhere(node)
    owner = np.where(stray[node], 0, grown[node])
    others = occupied & ~node
    beside = edt(~others)[node] if others.any() else np.full(len(where), np.inf)
    out, next_id = grown.copy(), int(grown.max()) + 1
    # strays tied to a cluster join it, or stay noise: they are never a new cluster's
    free = ~near[islands[node]]
    dots = counts[node]
    for members, cluster in _lone(where, dots, owner, beside, least):
        members = [m for m in members if owner[m] == 0 and (cluster or free[m])]
        if cluster:
            if _spacing(where[members]) <= CLOSE * _spacing(where[owner == cluster]):
                out[tuple(where[members].T)] = cluster
        elif dots[members].sum() >= least:
            out[tuple(where[members].T)] = next_id
            next_id += 1
    return out


def _spacing(pixels):
    """The median distance from each of the pixels to the nearest other (1 for a single pixel)."""
    return np.median(cKDTree(pixels).query(pixels, k=2)[0][:, 1]) if len(pixels) > 1 else 1.0


def _lone(where, points, owner, beside, least):
    """(index list, cluster id or 0) of the finest groups of pixels ``where`` (holding ``points`` each, ``beside`` from
    the nearest other occupied pixel; ``owner``: each pixel's cluster, 0 for a stray) holding ``least`` points, strays
    among them and at most one cluster, that single linkage parts from every other pixel by ``WIDER`` times their
    mean step, and by their longest."""
    n = len(where)
    edges, length = delaunay_edges(where.astype(np.float64))
    tree = minimum_spanning_tree(coo_matrix((length, tuple(edges.T)), shape=(n, n))).tocoo()
    parent = np.arange(n)
    members = [[i] for i in range(n)]
    clusters = [{int(c)} - {0} for c in owner]
    longest, total, held = np.zeros(n), np.zeros(n), points.astype(np.float64)
    strays = (owner == 0).astype(np.int64)
    gap, done, found = beside.astype(np.float64), np.zeros(n, bool), []

    def settle(root, step):
        """Take the group, about to be joined across ``step``, when it is lone and holds no lone group."""
        typical = total[root] / max(len(members[root]) - 1, 1)
        if (not done[root] and held[root] >= least and strays[root] and len(clusters[root]) <= 1
                and min(step, gap[root]) >= max(longest[root], WIDER * typical, 1.0)):
            found.append((list(members[root]), next(iter(clusters[root]), 0)))
            done[root] = True

    for k in np.argsort(tree.data, kind="stable"):
        a, b, step = find_root(parent, tree.row[k]), find_root(parent, tree.col[k]), tree.data[k]
        settle(a, step)
        settle(b, step)
        if len(members[a]) < len(members[b]):
            a, b = b, a
        parent[b] = a
        members[a] += members[b]
        clusters[a] |= clusters[b]
        longest[a], total[a] = max(longest[a], longest[b], step), total[a] + total[b] + step
        held[a], gap[a], done[a] = held[a] + held[b], min(gap[a], gap[b]), done[a] or done[b]
        strays[a] += strays[b]
    for root in {find_root(parent, i) for i in range(n)}:
        settle(root, np.inf)
    return found
