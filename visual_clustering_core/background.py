"""A background scatter: clusters that are patches of it, and a cluster's points amid it, are noise.

Where uniform noise lies around real groups, the area map marks some of its
patches, and each would be a cluster a person never sees: its points are
hardly denser than the scatter. A grown cluster stands out when the density
its points sit in (each point's own share left out, taken ``SURE`` Poisson
standard deviations of its points low: the area map picked the patch for
its points, and a small one is the densest of many) is at least ``STANDOUT``
times that of the points outside every cluster in the ring ``RING`` sigma
around it. One that does not is background, its points noise, when it does
not stand out either from the scatter around the clusters that do (the
median of their rings' densities): a cluster's own outskirts, which the area
missed, lie around it alone, a background scatter around the real groups
too. A scatter alone (no structure) is the one group a person sees. Where
the area map marked a scatter all over, in patches, no point lies outside
them: a cluster as sparse as a scatter (``SPARSE``) counts as the scatter
around the others, as the points outside every cluster do.

The scatter is measured within the points' convex hull, where it could lie:
the plot's empty margins beyond every point are no sparse scatter (counted,
they made a scatter filling the plot look several times sparser than it is).
A cluster amid the scatter (its ring under ``STANDOUT`` times as dense as the
scatter far from every cluster, measured on ``SCATTER_POINTS`` or more: not a
heavy-tailed blob's own stragglers, nor clumps too small for a cluster)
grew over the scatter's points beside it and took them in; those of its
points that sit in under ``MIXED`` times its ring's density, where the
scatter puts as many points as the cluster does, are noise (the Bayes rule
between the two). Only where the areas hold their clusters whole, as the
network's do: the no-network threshold marks a sparse group's core alone,
and its own outskirts would read as a scatter.

Where the area map marks the scatter itself as area, a small blob amid it
merges with the scatter's faint bumps and no point lies outside to measure the
scatter by: inside each cluster, a core that stands out of an even, flat
scatter of the cluster's own points around it keeps them only where it is the
denser (``_scatter_taken_in``); the rest go to the scatter's own cluster where
the area map marked the scatter beside it, so a dense blob in a sparse halo
leaves the halo one group, not shared between the blob and a cluster of its own.
Where none is marked, the scatter is a group of its own when it stands out from
the points around the cluster that took it in (a sparse disc a dense worm runs
into, the worm's cluster grown over it), and noise where a background goes on
around it at its own density.
"""

import numpy as np
from scipy import ndimage
from scipy.special import ndtr, pdtrc

from .blob_boundaries import gaussian_fits, point_moments
from .distances import edt
from .groups import union_roots
from .raster import kernel_points, occupied_hull, smoothed_density, unstacked

STANDOUT = 3.0  # a cluster stands out when its points sit in at least this many times the scatter's density
RING = (2.0, 6.0)  # the scatter around a cluster: points outside every cluster this many sigma from it
SURE = 2.0  # a cluster's density is taken this many Poisson standard deviations of its points low; a scatter's
# points beyond a cluster's core hold more than a thinning tail would, as unlikely by chance as this many
SPARSE = 8.0  # a cluster whose typical point has fewer neighbours than this in a kernel is as sparse as a scatter: the
# area map's patches of a scatter it marked all over are each other's surroundings
CORE = 0.5  # a cluster's core: the pixels about its peak whose density is at least this fraction of it
MIXED = 2.0  # a point amid a scatter is noise where the density is under this many times the scatter's: the scatter
# puts as many points there as the cluster does
SCATTER_POINTS = 20  # a scatter far from every cluster measured on fewer points is no measure of one
CLUMP = 3  # points far from every cluster in groups this large, compact, are clumps too small for a cluster
FLAT_POINTS = 5  # fewer points beyond a cluster's ring are its tail's stragglers, however few a thinned band predicts
# there (a Gaussian of 500 points put 2 where 0.06 were due: as unlikely as 2.9 sd under so crude a model of its tail)
ASIDE = 0.5  # a scatter whose centre lies this many of its RMS radii off a cluster's core is no halo of the core...
ASIDE_SPREAD = 3.0  # ...where its points sit in under this many times its count per pixel (a cloud, not a line)
SPIKE = 9.0  # a core standing out this many times from the points off it is a tight blob, no spread group's own peak
# (2.7 to 4.2 times in the suite's Gaussians): its halo, were it its own, would centre on it (0.02 to 0.10 of its RMS
# radius off in the cored blobs), so it lies aside from a cloud already at...
ASIDE_SPIKE = 0.3  # ...this many of the cloud's RMS radii off its middle (0.40 for a tight blob at 0.5, the cloud's
# other side taken by another blob)


def drop_background(clusters, counts, sigma, whole=True):
    """The grown label map (0: none, ids > 0) with the patches of a background scatter turned into 0, and, where the
    areas hold their clusters whole (``whole``: the network's do), the points of a cluster amid it no denser than it
    (``_trimmed``, ``_scatter_taken_in``); ``counts`` the points per pixel (copies of a point counted as one dot:
    ``raster.unstacked``), ``sigma`` the density's kernel."""
    if clusters.max() == 0:
        return clusters
    counts = unstacked(counts).astype(np.float64)
    # the density each point sits in, its own share left out
    density = smoothed_density(counts, sigma) - _kernel_peak(sigma) * (counts > 0)
    typical = _typical_density(clusters, counts, density)
    plot = occupied_hull(counts > 0)  # where a scatter could lie: not the empty margins beyond every point
    around = _scatter_around(clusters, counts, typical, sigma, plot)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = typical / around
        standing = ratio >= STANDOUT
    if standing.any():
        background = (ratio < STANDOUT) & (typical < STANDOUT * np.median(around[standing]))
        clusters = np.where(background[clusters], 0, clusters).astype(clusters.dtype)
        if whole:
            clusters = _trimmed(clusters, counts, density, around, sigma, plot)
    return _scatter_taken_in(clusters, counts, density, sigma, plot) if whole else clusters


def _trimmed(clusters, counts, density, around, sigma, plot):
    """``clusters`` with the points of a cluster amid the scatter (its ring, ``around`` it, under ``STANDOUT`` times as
    dense as the scatter far from every cluster in the ``plot``, the points' convex hull, holding ``SCATTER_POINTS``
    and not ``_clumped``) that sit in under ``MIXED`` times its ring's density turned into 0; only where that asks for
    a neighbour in a kernel or more (sparser, a point with none is as likely a cluster's straggler)."""
    far = (edt(clusters == 0) > RING[0] * sigma) & plot
    if counts[far].sum() < SCATTER_POINTS or _clumped(far, counts, sigma):
        return clusters
    scatter = counts[far].sum() / np.count_nonzero(far)
    level = np.where((around < STANDOUT * scatter) & (kernel_points(MIXED * around, sigma) >= 1), MIXED * around, 0)
    level[0] = 0
    if not level.any():
        return clusters
    thin = (counts > 0) & (density < level[clusters])
    return np.where(thin, 0, clusters).astype(clusters.dtype)


def _clumped(far, counts, sigma):
    """Whether most points in ``far`` sit in clumps: groups of ``CLUMP`` points or more, each within a kernel (sigma)
    of the next, whose RMS radius is under sigma. Clumps too few for a cluster are small groups a gap parts, no
    scatter (a wide Gaussian's four satellites of 7 points, read as one, trimmed 141 of its 499 points); a scatter's
    points lie apart, or, dense, in one wide group."""
    occupied = far & (counts > 0)
    groups, n = ndimage.label(edt(~occupied) <= sigma / 2)
    rows, cols = np.nonzero(occupied)
    moments = point_moments(groups[rows, cols], rows.astype(np.float64), cols.astype(np.float64),
                            counts[rows, cols].astype(np.float64), n + 1)
    points, _, covariances = gaussian_fits(moments[1:])
    clumps = (points >= CLUMP) & (np.trace(covariances, axis1=1, axis2=2) < sigma**2)
    return points[clumps].sum() >= points.sum() / 2


def _scatter_taken_in(clusters, counts, density, sigma, plot):
    """``clusters`` with the scatter each took in handed to the scatter's own cluster (``_handed_on``), else made a
    cluster of its own where it stands out (``_stands_out``; its points at ``1 / STANDOUT`` of its density or more,
    all of them where the scatter lies aside), else turned into 0: where a cluster's core (the pixels about its peak
    whose density is at least ``CORE`` of it) stands out ``STANDOUT`` times from the density at its own points
    ``RING[0]`` sigma or more beyond it (a ring's points, as dense as its densest stretch's, do not); per pixel of
    the cluster's box that is its own or no cluster's, within the ``plot`` (the points' convex hull: its grown area
    hugs a spray's points, and another cluster's pixels or the empty margins hold none of its points), those points
    lie evenly (their density under ``MIXED`` times their count per pixel: a scatter over the plane, not a line or
    ring the band cuts across) and go on beyond ``RING[1]`` sigma (``FLAT_POINTS`` of them or more there, more than
    the band ``RING`` sigma beyond the core would put there thinned ``STANDOUT`` times, as unlikely by chance as
    ``SURE`` standard deviations: flat, not a spray or a blob's tail that thins out), or lie aside
    (``SCATTER_POINTS`` of them or more beyond ``RING[1]`` sigma, their centre ``ASIDE`` of their RMS radius or more
    off the core's peak, ``ASIDE_SPIKE`` where the core stands out ``SPIKE`` times from them, and their density
    under ``ASIDE_SPREAD`` times their count per pixel: a cloud the core sits in off its middle, not the core's own
    halo, however it thins), the points off the core sitting in under ``MIXED`` times the band's density are the
    scatter's, where a kernel asks for a neighbour or more (``_trimmed``'s terms). Scatters that clusters touching
    each other took in are one."""
    taken = {}  # cluster -> (its points that are the scatter's, the scatter's points per pixel, whether it lies aside)
    for i, box in enumerate(ndimage.find_objects(clusters), 1):
        if box is None:
            continue
        inside = clusters[box] == i
        values = np.where(inside, density[box], -np.inf)
        top = np.unravel_index(values.argmax(), values.shape)
        parts, _ = ndimage.label(values >= CORE * values[top])
        core = parts == parts[top]
        distance = edt(~core)
        own = np.where(inside, counts[box], 0)  # over the cluster's box, its own points
        beyond = distance > RING[1] * sigma
        if not own[beyond].any():
            continue
        measured = (inside | (clusters[box] == 0)) & plot[box]
        band = (distance > RING[0] * sigma) & ~beyond
        off = band | beyond
        level, spread = (own[part].sum() / max(np.count_nonzero(part & measured), 1) for part in (band, off))
        thinned = level * np.count_nonzero(beyond & measured) / STANDOUT  # the points beyond, were they a tail
        # P(as many or more) under a thinning tail
        flat = own[beyond].sum() >= FLAT_POINTS and pdtrc(own[beyond].sum() - 1, thinned) < ndtr(-SURE)
        at_points = (density[box] * own)[off].sum() / own[off].sum()
        core_level = _typical_density(core.astype(np.int32), counts[box], density[box])[1]
        off_by = ASIDE_SPIKE if core_level >= SPIKE * at_points else ASIDE
        aside = own[beyond].sum() >= SCATTER_POINTS and _off_centre(np.where(off, own, 0), top) >= off_by
        if (((flat and at_points < MIXED * spread) or (aside and at_points < ASIDE_SPREAD * spread))
                and core_level >= STANDOUT * at_points and kernel_points(MIXED * level, sigma) >= 1):
            thin = np.zeros(clusters.shape, bool)
            thin[box] = inside & ~core & (counts[box] > 0) & (density[box] < MIXED * level)
            taken[i] = thin, level, aside
    return _scatters_parted(clusters, counts, density, sigma, plot, taken)


def _scatters_parted(clusters, counts, density, sigma, plot, taken):
    """``clusters`` with the scatter each cluster took in (``taken``: cluster -> its scatter's points, their points
    per pixel, whether they lie aside) handed on (``_handed_on``; to the cluster the receiver's own scatter became,
    where it took one in too), else made a cluster of its own where it stands out: one cluster for the scatters of
    clusters that touch each other."""
    typical = _typical_density(clusters, counts, density)
    receivers, scatter_of = {}, {}  # cluster -> the ids its scatter's points go to / the new cluster its scatter is
    for i, (thin, level, aside) in taken.items():
        receivers[i] = _handed_on(clusters, i, thin, level, typical)
        left = np.zeros(clusters.shape, bool)
        left[thin] = receivers[i] == 0
        left &= aside | (density >= level / STANDOUT)
        if counts[left].sum() >= SCATTER_POINTS and _stands_out(clusters, counts, i, level, sigma, plot):
            scatter_of[i] = int(clusters.max()) + 1 + len(scatter_of)
            receivers[i] = np.where(left[thin], scatter_of[i], receivers[i])
    ids = np.arange(int(clusters.max()) + 1 + len(scatter_of))
    ids[list(scatter_of)] = list(scatter_of.values())  # handed to a cluster whose scatter parted: to that scatter
    pairs = [(k, scatter_of[j]) for i, k in scatter_of.items()
             for j in np.unique(clusters[ndimage.binary_dilation(clusters == i)]) if j in scatter_of]
    merged = union_roots(len(ids), pairs)
    out = clusters.copy()
    for i, (thin, _, _) in taken.items():
        out[thin] = merged[ids[receivers[i]]]
    return out


def _off_centre(weights, top):
    """How far the centre of ``weights`` lies from the pixel ``top``, in their RMS radius about their centre."""
    rows, cols = np.indices(weights.shape)
    total = weights.sum()
    centre = np.array([(weights * rows).sum(), (weights * cols).sum()]) / total
    radius = np.sqrt((weights * ((rows - centre[0]) ** 2 + (cols - centre[1]) ** 2)).sum() / total)
    return np.hypot(*(centre - top)) / max(radius, 1e-12)


def _stands_out(clusters, counts, i, level, sigma, plot):
    """Whether the scatter cluster ``i`` took in (``level`` points per pixel) is a group of its own: the points
    outside every cluster in the ring ``RING`` sigma around ``i``, within the ``plot``, are under ``1 / STANDOUT``
    as dense (a background scatter goes on around it at its own density); never where none of the ring's pixels is
    such (the cluster fills the plot, as one over a uniform scatter does)."""
    ring = _ring(clusters, i, sigma) & (clusters == 0) & plot
    return counts[ring].sum() < level * np.count_nonzero(ring) / STANDOUT


def _ring(labels, i, sigma):
    """The pixels ``RING`` sigma from id ``i`` of ``labels``."""
    distance = edt(labels != i)
    return (distance > RING[0] * sigma) & (distance <= RING[1] * sigma)


def _handed_on(clusters, i, thin, level, typical):
    """The ids the pixels ``thin`` (the scatter cluster ``i`` took in, of ``level`` points per pixel) take: their
    nearest other cluster where it touches ``i`` and is as sparse as that scatter (its points' density, ``typical``,
    under ``MIXED`` times it: the scatter's own cluster, where the area map marked it), else 0."""
    others = np.where(clusters == i, 0, clusters)
    if not others.any():
        return 0
    _, (rows, cols) = ndimage.distance_transform_edt(others == 0, return_indices=True)
    nearest = others[rows[thin], cols[thin]]
    scatter = np.zeros(len(typical), bool)
    scatter[np.unique(others[ndimage.binary_dilation(clusters == i)])] = True
    scatter &= typical < MIXED * level
    scatter[0] = False
    return np.where(scatter[nearest], nearest, 0)


def _scatter_around(clusters, counts, typical, sigma, plot):
    """The density (points per pixel) of the scatter in each id's ring within the ``plot`` (the points' convex hull):
    the points outside every cluster, and those of the clusters as sparse as a scatter (``SPARSE``) no more than
    ``STANDOUT`` times denser than it (``typical``: each id's density); 0 where none lies near it."""
    pad = int(np.ceil(RING[1] * sigma)) + 1
    density = np.nan_to_num(typical, nan=np.inf)
    sparse = kernel_points(density, sigma) < SPARSE
    scatter = np.zeros(int(clusters.max()) + 1)
    for i, box in enumerate(ndimage.find_objects(clusters), 1):
        if box is None:
            continue
        crop = tuple(slice(max(s.start - pad, 0), s.stop + pad) for s in box)
        peers = sparse & (density < STANDOUT * typical[i])
        peers[0], peers[i] = True, False
        area = peers[clusters[crop]]
        points = np.where(area, counts[crop], 0)
        if not points.any():
            continue
        ring = _ring(clusters[crop], i, sigma) & area & plot[crop]
        scatter[i] = points[ring].sum() / max(np.count_nonzero(ring), 1)
    return scatter


def _typical_density(clusters, counts, density):
    """The mean ``density`` at each id's points, taken ``SURE`` standard deviations of its points low; nan for ids with
    no point (the background, 0, included)."""
    n = int(clusters.max()) + 1
    points = np.bincount(clusters.ravel(), weights=counts.ravel(), minlength=n)
    at_points = np.bincount(clusters.ravel(), weights=(density * counts).ravel(), minlength=n)
    typical = at_points / np.where(points > 0, points, np.nan)
    typical[0] = np.nan
    return typical * np.maximum(1 - SURE / np.sqrt(np.maximum(points, 1)), 0)


def _kernel_peak(sigma):
    """The weight a point gives its own pixel under scipy's Gaussian filter of ``sigma``."""
    impulse = np.zeros((2 * int(4 * sigma + 0.5) + 1,) * 2)
    impulse[impulse.shape[0] // 2, impulse.shape[1] // 2] = 1.0
    return smoothed_density(impulse, sigma).max()
