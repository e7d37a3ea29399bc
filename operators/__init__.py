"""The plugin's operators."""

from .compare import CompareClusteringRuns
from .compute import ComputeBaselineClusters, ComputeVisualClusters
from .manage import DeleteClusteringRun, GetClusteringRunInfo, LoadClusterView, RenameClusteringRun

OPERATORS = (
    ComputeVisualClusters,
    ComputeBaselineClusters,
    CompareClusteringRuns,
    GetClusteringRunInfo,
    RenameClusteringRun,
    DeleteClusteringRun,
    LoadClusterView,
)
