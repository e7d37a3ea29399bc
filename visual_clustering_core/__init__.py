"""Visual clustering: cluster 2-D points by segmenting an image of their plot.

``VisualClustering`` is the scikit-learn estimator; ``compute_visual_clusters``
runs it on a FiftyOne collection and saves the result as a custom run;
``compute_baseline_clusters`` does the same with k-means or HDBSCAN, and
``compare_clustering_runs`` scores runs against each other and a ground truth.
"""

__version__ = "0.4.0"

from .comparison import compare_clustering_runs  # noqa: E402
from .estimator import VisualClustering  # noqa: E402
from .journal import repair_runs  # noqa: E402
from .projection import project  # noqa: E402
from .runs import (  # noqa: E402
    cluster_view,
    delete_clustering_run,
    list_clustering_runs,
    load_clustering_run,
    rename_clustering_run,
    run_info_dict,
)
from .sdk import compute_baseline_clusters, compute_visual_clusters  # noqa: E402

__all__ = [
    "VisualClustering",
    "cluster_view",
    "compare_clustering_runs",
    "compute_baseline_clusters",
    "compute_visual_clusters",
    "delete_clustering_run",
    "list_clustering_runs",
    "load_clustering_run",
    "project",
    "rename_clustering_run",
    "repair_runs",
    "run_info_dict",
]
