"""The scikit-learn-style estimator: ``VisualClustering().fit_predict(X)``."""

import numbers
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClusterMixin

from . import dask_points, lattice
from .bridges import cut_bridges
from .dask_points import check_dask_points, is_dask_array
from .empty_lanes import cut_empty_lanes
from .labelling import final_areas, label_map, rank_clusters
from .raster import (
    FAR_GAP,
    GridTransform,
    bounds_within,
    bulk_window,
    denoised,
    density_image,
    density_scale,
    finite_bounds,
    pixel_counts,
    pooled_counts,
    stretched,
    unstacked,
)
from .segmentation import PERSISTENCE, SIGNIFICANCE, split_by_density, splitting_density, threshold_mask
from .unet import TRAINING_GRID, WEIGHTS_PATH, load_model
from .validation import check_points


MIN_RESOLUTION, MAX_RESOLUTION = 32, 2048
MAX_ZOOMS = 4  # far outliers beyond far outliers: the grid is fitted to the bulk of the points at most this often


class VisualClustering(ClusterMixin, BaseEstimator):
    """Cluster 2-D points the way a person does: by looking at their plot.

    The points are rendered into a square density image and a small U-Net
    marks the cluster areas; areas a gap separates are never joined. The density's modes, merged unless a valley deep
    relative to the lower one and significant for its number of points
    separates them, decide which cluster each area pixel belongs to; lines
    that cross (an X, interlocking rings) are followed through their crossings, and sparse lines
    across the stretches where their points thin out by chance; and every point
    takes the label of the pixel it falls in. No hyperparameter has to
    be set.

    Parameters
    ----------
    resolution : int, default=256
        Side of the square grid, in pixels (a multiple of 16, 32 to 2048). The
        network was trained at 256, and on a finer grid it sees the counts
        pooled to 256 (its area spread back over the grid); the density, its
        modes and the label map keep the finer grid's detail.
    denoise : int, default=0
        Kernel size of a median filter applied to the point counts before
        segmentation (the paper's D); 3 or 5 cuts sparse bridges between
        clusters. 0 or 1 turns it off.
    grow : float, default=6
        Points outside every cluster area but within this many pixels of one
        join it (the paper's M); farther points are noise (-1), unless
        ``reach`` or ``strays`` lets them join.
    reach : float, default=0.5
        Points outside every cluster area also join one within this multiple
        of its radius, so the sparse outskirts of a large cluster are not
        noise. 0 keeps only ``grow``.
    strays : float, default=3
        Points still outside every cluster join the nearest cluster area
        within this many times the median distance from one such stray point
        to the next: the scattered stragglers of a heavy-tailed cluster join
        it, while stray points lying close together (background noise, a
        small far group) stay noise. 0: none joins a cluster area. A group of
        stray points that an empty gap, several times wider than the steps
        between them, parts from every other point (a sparse ring the
        network missed) is a cluster of its own when it holds three times
        ``min_cluster_size`` points or more; with a small cluster inside that
        gap, about as closely spaced, it joins that cluster (a sparse disc
        whose middle alone the network marked).
    threshold : float, default=0.5
        Probability above which a pixel belongs to a cluster area. Lower it to
        get larger areas and fewer noise points.
    min_cluster_size : int, default=5
        Areas holding fewer points are no clusters: their points join a
        near cluster (see ``grow``, ``reach`` and ``strays``), or become noise.
    keep_aspect : bool, default=True
        Scale both axes equally, as a plot with equal axes shows the data. False
        stretches each axis to fill the grid, as the reference package does.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where the network runs; "auto" takes CUDA when it is available.
    segmenter : {"unet", "threshold"}, default="unet"
        "threshold" replaces the network by a blurred-density Otsu threshold
        (the no-network baseline used in the benchmarks).
    weights : str or Path, optional
        U-Net weights written by ``visual_clustering_core.training``; defaults
        to the shipped ``assets/unet.pt``.
    persistence : float, default=0.7
        Two touching groups stay apart only where the smoothed density between
        them falls below this fraction of the lower group's peak. Lower it for
        fewer clusters (only deep valleys split), raise it (up to 1) for more.
        Groups an empty gap parts stay apart whatever it is.
    significance : float, default=3.0
        ...and where that dip is this many standard deviations deep for the
        points under the smoothing kernel (Poisson counts), so noise bumps do
        not split. Raise it for fewer clusters among few points.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,), int32
        Cluster of each point, ``0..n_clusters_-1`` from the largest cluster to
        the smallest; -1 for noise, for rows with NaN or inf, and for far
        outliers (``raster.bulk_window``: the grid is fitted to the rest). A
        lazy dask array when X was one.
    n_clusters_ : int
    density_image_ : ndarray of shape (2, side, side)
        The network's input: occupancy and normalised log-density; on a grid
        finer than the network's (256), of the counts pooled to 256 (side 256),
        so the network sees the plot at the scale it was trained at.
    probability_ : ndarray of shape (2, resolution, resolution) or None
        The network's output: area and core probabilities, spread over the
        grid (None for "threshold").
    mask_ : ndarray of shape (resolution, resolution), bool
        The cluster areas: the network's (or the threshold's), with the empty
        bridges it drew across a corridor between two groups cut (``bridges``),
        and the straight empty lanes between two filled areas (``empty_lanes``).
    sigma_ : float
        The smoothing scale chosen from the data, in pixels.
    density_ : ndarray of shape (resolution, resolution), float32
        The point counts smoothed at ``sigma_`` (along the local orientation
        where most points lie on lines, as sparse stripes and spiral arms do):
        what splits are decided on.
    basins_ : ndarray of shape (resolution, resolution), int32
        The basin of each density mode (1..m; 0 where no point reaches).
    regions_ : ndarray of shape (resolution, resolution), int32
        The basins' area pixels, cut where the area mask has a gap (1..r; 0
        outside the area): what is merged.
    region_clusters_ : ndarray of shape (r + 1,)
        The group each region was merged into.
    areas_ : ndarray of shape (resolution, resolution), int32
        The clusters' area pixels (0 outside): the regions' groups, with the
        boundaries between touching blobs where their Gaussian fits meet,
        connected areas of crossing lines split into their lines, and line
        pieces that continue into each other joined; what grows into ``label_map_``.
    label_map_ : ndarray of shape (resolution, resolution), int32
        The label every pixel gives its points (-1: noise): the areas grown,
        patches of a background scatter dropped (``background``).
    cluster_sizes_ : ndarray of shape (n_clusters_,)
        Number of points in each cluster.
    transform_ : GridTransform
        How data coordinates map to pixels, and the cells of the lattice the
        coordinates lie on (recorded to a coarse precision: ``lattice``) that
        the points were counted spread over; each reads its label at its own pixel.
    """

    def __init__(
        self,
        resolution=256,
        denoise=0,
        grow=6,
        reach=0.5,
        strays=3.0,
        threshold=0.5,
        min_cluster_size=5,
        keep_aspect=True,
        device="cpu",
        segmenter="unet",
        weights=None,
        persistence=PERSISTENCE,
        significance=SIGNIFICANCE,
    ):
        self.resolution = resolution
        self.denoise = denoise
        self.grow = grow
        self.reach = reach
        self.strays = strays
        self.threshold = threshold
        self.min_cluster_size = min_cluster_size
        self.keep_aspect = keep_aspect
        self.device = device
        self.segmenter = segmenter
        self.weights = weights
        self.persistence = persistence
        self.significance = significance

    def _check_params(self):
        def need(ok, message):
            if not ok:
                raise ValueError(message)

        integer = numbers.Integral
        need(isinstance(self.resolution, integer) and MIN_RESOLUTION <= self.resolution <= MAX_RESOLUTION and self.resolution % 16 == 0,
             f"resolution must be a multiple of 16 from {MIN_RESOLUTION} to {MAX_RESOLUTION} (the network was trained at 256; "
             f"4096 takes over 20 s and 5 GB); got {self.resolution!r}.")
        need(isinstance(self.denoise, integer) and self.denoise >= 0,
             f"denoise must be a median-filter size >= 0 (0 or 1: off); got {self.denoise!r}.")
        need(isinstance(self.grow, numbers.Real) and self.grow >= 0, f"grow must be >= 0 pixels; got {self.grow!r}.")
        need(isinstance(self.reach, numbers.Real) and self.reach >= 0,
             f"reach must be >= 0 (a multiple of a cluster's radius); got {self.reach!r}.")
        need(isinstance(self.strays, numbers.Real) and self.strays >= 0,
             f"strays must be >= 0 (a multiple of the stray points' spacing; 0: none joins a cluster area); got {self.strays!r}.")
        need(isinstance(self.threshold, numbers.Real) and 0 < self.threshold < 1,
             f"threshold must be a probability strictly between 0 and 1; got {self.threshold!r}.")
        need(isinstance(self.min_cluster_size, integer) and self.min_cluster_size >= 1,
             f"min_cluster_size must be an integer >= 1; got {self.min_cluster_size!r}.")
        need(isinstance(self.persistence, numbers.Real) and 0 < self.persistence <= 1,
             f"persistence must be a fraction of the lower peak in (0, 1] (lower: fewer clusters); got {self.persistence!r}.")
        need(isinstance(self.significance, numbers.Real) and self.significance >= 0,
             f"significance must be >= 0 standard deviations (higher: fewer clusters); got {self.significance!r}.")
        need(isinstance(self.keep_aspect, (bool, np.bool_)), f"keep_aspect must be True or False; got {self.keep_aspect!r}.")
        need(self.segmenter in ("unet", "threshold"), f"segmenter must be 'unet' or 'threshold'; got {self.segmenter!r}.")
        need(self.weights is None or Path(self.weights).is_file(),
             f"weights must be the path of a weights file written by visual_clustering_core.training; {str(self.weights)!r} is no file.")
        need(self.device in ("cpu", "cuda", "auto") or str(self.device).startswith("cuda:"),
             f"device must be 'cpu', 'cuda' or 'auto'; got {self.device!r}.")
        if str(self.device).startswith("cuda") and not torch.cuda.is_available():
            raise ValueError("device='cuda' was asked for but PyTorch sees no CUDA GPU; use device='cpu' or 'auto'.")

    def _torch_device(self):
        if self.device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        return self.device

    def fit(self, X, y=None):
        """Cluster X, an array-like of shape (n_samples, 2), or a dask array (``labels_`` is then lazy). ``y`` is ignored.

        A dask array is read twice on its workers (bounds, then pixel counts; twice
        more for each zoom past far outliers; once more for counts spread over a
        coarse lattice, which its first rows tell); the image step runs here;
        ``labels_`` is a lazy dask array over the label map.
        """
        lazy = is_dask_array(X)
        X = check_dask_points(X) if lazy else check_points(X)
        self._check_params()
        self.n_features_in_ = 2
        pixels, counts, sites = self._rasterised(X, lazy)
        network = self.segmenter == "unet"
        pooled = network and self.resolution > TRAINING_GRID
        plotted = unstacked(counts)
        self.density_image_ = density_image(pooled_counts(plotted, TRAINING_GRID) if pooled else plotted, self.denoise)
        if network:
            self.probability_ = stretched(self._predict_probabilities(self.density_image_), self.resolution)
            area = self.probability_[0] >= self.threshold
        else:
            self.probability_ = None
            area = threshold_mask(self.density_image_)
        seen = denoised(plotted, self.denoise)
        self.sigma_ = density_scale(seen)
        self.mask_ = cut_empty_lanes(cut_bridges(area, seen, self.sigma_), seen, self.sigma_)
        self.density_, along = splitting_density(seen, self.sigma_)
        self.basins_, self.regions_, self.region_clusters_ = split_by_density(
            self.density_, self.sigma_, self.mask_, seen, self.persistence, self.significance, along=along
        )
        self.areas_ = final_areas(self.regions_, self.region_clusters_, plotted, self.density_, self.sigma_)
        self.label_map_, self.cluster_sizes_ = label_map(
            self.basins_, self.areas_, counts, self.grow, self.reach, self.min_cluster_size, self.strays, self.sigma_,
            whole=network, seen=seen,
        )
        if sites is not None:  # each point reads its label at its recorded site, not where it was counted
            self.label_map_, self.cluster_sizes_ = rank_clusters(self.label_map_ + 1, sites)
        self.n_clusters_ = len(self.cluster_sizes_)
        self.labels_ = dask_points.lookup(self.label_map_, X, self.transform_) if lazy else _lookup(self.label_map_, pixels)
        if self.n_clusters_ == 0 and self.denoise > 1:
            warnings.warn(
                f"every point is noise: denoise={self.denoise} filters sparse points out of the image; "
                "use a smaller denoise (3) or 0.",
                stacklevel=2,
            )
        return self

    def _rasterised(self, X, lazy):
        """Fit the grid to the finite points but far outliers, warning of either, and count the points per pixel: the
        points' pixels (None for dask), the counts (spread over their lattice cells, where the coordinates lie on a
        coarse lattice), and the counts at their recorded sites (None where nothing was spread)."""
        steps = lattice.lattice_steps(X[: lattice.SAMPLE].compute() if lazy else X)
        if lazy:
            lo, hi, n_bad = dask_points.bounds(X)
        else:
            lo, hi, finite = finite_bounds(X)
            n_bad = 0 if finite is None else int((~finite).sum())
        if n_bad:
            warnings.warn(f"{n_bad} of {X.shape[0]} rows of X hold NaN or inf; they are labelled -1 (noise).", stacklevel=3)
        pixels, counts, sites = self._counted(X, lo, hi, lazy, steps)
        for _ in range(MAX_ZOOMS):
            window = bulk_window(counts, self.transform_)
            if window is None:
                break
            lo, hi = dask_points.bounds(X, window)[:2] if lazy else bounds_within(X, *window)
            pixels, counts, sites = self._counted(X, lo, hi, lazy, steps)
        n_far = X.shape[0] - n_bad - int(counts.sum())
        if n_far:
            warnings.warn(f"{n_far} of {X.shape[0]} points lie far from all the others (beyond an empty stretch {FAR_GAP:g} "
                          "times as wide as the rest of the plot); they are labelled -1 (noise) and the plot is drawn "
                          "without them. Cluster them on their own if they matter.", stacklevel=3)
        return pixels, counts, sites

    def _counted(self, X, lo, hi, lazy, steps):
        """Set the grid over the window [lo, hi] (``steps``: the coordinates' lattice): the points' pixels (None for
        dask), the counts per pixel (spread over the lattice's cells where it shows on the grid), and the counts at
        the recorded sites where they were spread (else None)."""
        self.transform_ = GridTransform.from_bounds(lo, hi, self.resolution, self.keep_aspect, steps)
        pixels = None if lazy else self.transform_.pixel_indices(X)
        sites = dask_points.counts(X, self.transform_) if lazy else pixel_counts(pixels, self.resolution)
        if not self.transform_.spreads:
            return pixels, sites, None
        if lazy:
            return pixels, dask_points.counts(X, self.transform_, sites), sites
        return pixels, pixel_counts(self.transform_.spread_pixel_indices(X, sites), self.resolution), sites

    def predict(self, X):
        """Labels of new points from the fitted label map (-1 off the fitted grid)."""
        if not hasattr(self, "label_map_"):
            raise AttributeError("This VisualClustering instance is not fitted yet; call fit(X) first.")
        if is_dask_array(X):
            return dask_points.lookup(self.label_map_, check_dask_points(X), self.transform_)
        return _lookup(self.label_map_, self.transform_.pixel_indices(check_points(X)))

    def _predict_probabilities(self, image):
        device = self._torch_device()
        model = load_model(self.weights or WEIGHTS_PATH, device)
        with torch.inference_mode():
            logits = model(torch.from_numpy(image)[None].to(device, memory_format=torch.channels_last))
        return torch.sigmoid(logits)[0].float().cpu().numpy()


def _lookup(label_map, pixels):
    """Label of each point's pixel; pixel -1 (off the grid, non-finite) reads the trailing -1."""
    return np.append(label_map.ravel(), np.int32(-1))[pixels]
