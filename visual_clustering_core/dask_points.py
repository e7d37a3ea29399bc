"""Points held in a dask array: the two passes over them run on the workers, chunk by chunk.

Visual clustering reads the points twice around a fixed-size image step:
their bounds and per-pixel counts (reduced over the chunks, summed on the
client as one small image), then each point's label (a lazy lookup in the
label map). Values on a coarse lattice are counted a second time, spread over
its cells. The points are never gathered on the client. dask is an optional
dependency (``pip install .[dask]``); nothing here imports it unless a dask
array is passed.
"""

import numpy as np

from .raster import pixel_counts

_BOUNDS = 5  # per chunk: min x, min y, max x, max y (finite rows), number of non-finite rows


def is_dask_array(X):
    return type(X).__module__.split(".")[0] == "dask" and hasattr(X, "map_blocks")


def check_dask_points(X):
    """X as a dask array of shape (n, 2) of real numbers, with both columns in every chunk."""
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"X must be a dask array of shape (n_samples, 2); got shape {X.shape}. "
            "Project high-dimensional embeddings to 2-D first (e.g. PCA on a sample, applied per chunk)."
        )
    if X.dtype.kind not in "biuf":
        raise TypeError(f"X must hold real numbers; got dtype {X.dtype}. Convert it with X.astype(float).")
    if X.shape[0] == 0:
        raise ValueError("X is empty: visual clustering needs at least one point.")
    return X.rechunk({1: 2})


def _chunk_bounds(block, window=None):
    finite = np.isfinite(block).all(axis=1)
    if window is not None:
        finite &= ((block >= window[0]) & (block <= window[1])).all(axis=1)
    if not finite.any():
        return np.array([[np.inf, np.inf, -np.inf, -np.inf, len(block)]])
    good = block[finite] if not finite.all() else block
    lo, hi = good.min(axis=0), good.max(axis=0)
    return np.array([[lo[0], lo[1], hi[0], hi[1], (~finite).sum()]], dtype=np.float64)


def bounds(X, window=None):
    """Per-axis min and max over the finite rows (inside ``window``, a (lo, hi) pair, if given), and the number of
    rows holding NaN or inf or outside the window (one pass)."""
    stats = X.map_blocks(_chunk_bounds, window, chunks=((1,) * X.numblocks[0], (_BOUNDS,)), dtype=np.float64).compute()
    lo, hi = stats[:, :2].min(axis=0), stats[:, 2:4].max(axis=0)
    if not np.isfinite(lo).all():  # no finite row at all
        lo = hi = np.zeros(2)
    return lo, hi, int(stats[:, 4].sum())


def counts(X, transform, sites=None):
    """Points per pixel (resolution, resolution) int64: a bincount per chunk on the workers, summed (one pass); the
    points spread over their lattice cells given the counts at their ``sites`` (``GridTransform.spread_pixel_indices``)."""
    R = transform.resolution

    def chunk_counts(block, block_info=None):
        if sites is None:
            return pixel_counts(transform.pixel_indices(block), R)[None]
        first_row = block_info[0]["array-location"][0][0]
        return pixel_counts(transform.spread_pixel_indices(block, sites, first_row), R)[None]

    per_chunk = X.map_blocks(chunk_counts, chunks=((1,) * X.numblocks[0], (R,), (R,)), new_axis=2, dtype=np.int64)
    return per_chunk.sum(axis=0).compute()


def lookup(label_map, X, transform):
    """The lazy labels of X's rows: each chunk reads the label map (-1 off the grid or non-finite)."""
    table = np.append(label_map.ravel(), np.int32(-1))

    def chunk_labels(block):
        return table[transform.pixel_indices(block)]

    return X.map_blocks(chunk_labels, drop_axis=1, dtype=np.int32)
