"""Visual clustering: cluster 2-D points by segmenting an image of their plot."""

from .estimator import VisualClustering

__version__ = "0.1.0"
__all__ = ["VisualClustering"]
