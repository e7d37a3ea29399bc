"""Pictures: the points by cluster, what the network saw, and clusterings side by side."""

import numpy as np

_MAX_PLOTTED = 200_000


def _colors(labels):
    import matplotlib

    tab20 = matplotlib.colormaps["tab20"].colors
    palette = tab20[::2] + tab20[1::2]  # the ten strong colours first, then their light pairs
    colors = np.array([palette[i % len(palette)] for i in range(max(labels.max() + 1, 1))] + [(0.75, 0.75, 0.75)])
    return colors[np.where(labels >= 0, labels, -1)]


def draw_points(ax, X, labels, title=None, seed=0):
    """Scatter X coloured by cluster (noise in grey), with equal axes; large inputs are subsampled."""
    X = np.asarray(X)
    labels = np.asarray(labels)
    if len(X) > _MAX_PLOTTED:
        keep = np.random.default_rng(seed).choice(len(X), _MAX_PLOTTED, replace=False)
        X, labels = X[keep], labels[keep]
    order = np.argsort(labels >= 0, kind="stable")  # noise underneath
    ax.scatter(X[order, 0], X[order, 1], c=_colors(labels[order]), s=max(0.5, 40 / np.sqrt(len(X))), linewidths=0)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)


def draw_image(ax, image, title=None, labels=False):
    """Show a grid image the way the points are plotted (row 0 at the bottom)."""
    if labels:
        image = _colors(image.ravel()).reshape(*image.shape, 3)
    ax.imshow(image, origin="lower", interpolation="nearest", cmap=None if labels else "magma")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)


def save_diagnostics(estimator, X, path, title=None):
    """Write a PNG of every stage, so a user sees why two groups were split or joined.

    Density (the smoothed counts the split is decided on), the cluster-area
    mask, the density's modes and their basins, the basins merged into
    clusters (bands that cross cut into their bands), the label map points
    read, and the points by cluster.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    e = estimator
    groups = np.unique(e.areas_)
    areas = np.where(e.areas_ > 0, e.label_map_, -1)  # each area in the colour of the cluster its points take
    panels = [
        (np.sqrt(e.density_), f"density the splits read (sigma {e.sigma_:.1f} px)", False),
        (_area_and_cuts(e), "cluster area" + (" (U-Net)" if e.probability_ is not None else " (threshold)") + ", bridges and lanes cut", False),
        (e.basins_ - 1, f"{e.basins_.max()} density modes and their basins", True),
        (areas, f"areas merged, blobs, lines and knots read: {np.count_nonzero(groups)} groups", True),
        (e.label_map_, f"label map ({e.n_clusters_} clusters)", True),
    ]
    fig, axes = plt.subplots(1, 6, figsize=(24, 4.3))
    for ax, (image, name, labels) in zip(axes, panels):
        draw_image(ax, image, name, labels=labels)
    draw_points(axes[5], X, e.labels_, "points by cluster")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def _area_and_cuts(estimator):
    """The cluster-area mask (1) with what ``cut_bridges`` and ``cut_empty_lanes`` removed from it shown grey (0.5),
    thickened."""
    from scipy import ndimage

    from .segmentation import threshold_mask

    e = estimator
    drawn = e.probability_[0] >= e.threshold if e.probability_ is not None else threshold_mask(e.density_image_)
    cuts = ndimage.binary_dilation(drawn & ~e.mask_, iterations=2) & ~e.mask_
    return np.where(e.mask_, 1.0, np.where(cuts, 0.5, 0.0))


def save_point_grid(panels, path, n_cols, panel_size=3.2):
    """Write a PNG of scatter panels, ``(X, labels, title)`` each, ``n_cols`` to a row."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n_rows = -(-len(panels) // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(panel_size * n_cols, panel_size * n_rows), squeeze=False)
    for ax in axes.ravel()[len(panels):]:
        ax.axis("off")
    for ax, (X, labels, title) in zip(axes.ravel(), panels):
        draw_points(ax, X, labels, title)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def save_heatmaps(panels, path, panel_size=3.6):
    """Write a PNG of annotated heatmaps side by side: ``(matrix, row names, column names, title)`` each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    widths = [max(panel_size, 0.5 * len(columns) + 1.5) for _, _, columns, _ in panels]
    height = max(panel_size, max(0.35 * len(rows) + 1.5 for _, rows, _, _ in panels))
    fig, axes = plt.subplots(1, len(panels), figsize=(sum(widths), height), squeeze=False, width_ratios=widths)
    for ax, (matrix, rows, columns, title) in zip(axes[0], panels):
        matrix = np.asarray(matrix, dtype=float)
        top = 1.0 if np.nanmax(matrix) <= 1 else np.nanmax(matrix)
        ax.imshow(matrix, cmap="viridis" if top == 1.0 else "Blues", vmin=0, vmax=top, aspect="auto")
        ax.set_xticks(range(len(columns)), [str(c) for c in columns], rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(rows)), [str(r) for r in rows], fontsize=8)
        for (i, j), value in np.ndenumerate(matrix):
            text = "" if np.isnan(value) else (f"{value:.2f}" if top == 1.0 else f"{int(value)}")
            dark = value < 0.5 * top if top == 1.0 else value > 0.5 * top  # viridis is dark low, Blues dark high
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white" if dark else "black")
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def run_picture(run, path):
    """Write a PNG of what a saved clustering run saw and found, or return None when it kept no 2-D points.

    Visual clustering runs: the cluster areas, the label map and the points by
    cluster; other runs: the points by cluster.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if run.points is None:
        return None
    images = [(run.images[name], title, name == "label_map") for name, title in (("mask", "cluster areas"), ("label_map", "label map")) if name in run.images]
    fig, axes = plt.subplots(1, len(images) + 1, figsize=(3.6 * (len(images) + 1), 3.8), squeeze=False)
    for ax, (image, title, labels) in zip(axes[0], images):
        draw_image(ax, image.astype(float) if not labels else image, title, labels=labels)
    draw_points(axes[0][-1], run.points, run.labels, f"{run.n_clusters} clusters (grey: noise)")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path
