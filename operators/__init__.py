"""The plugin's operators."""

from .compute import ComputeVisualClusters
from .manage import DeleteClusteringRun, GetClusteringRunInfo, LoadClusterView, RenameClusteringRun

OPERATORS = (ComputeVisualClusters, GetClusteringRunInfo, RenameClusteringRun, DeleteClusteringRun, LoadClusterView)
