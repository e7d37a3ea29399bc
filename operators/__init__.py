"""The plugin's operators."""

from .compare import CompareClusteringRuns
from .compute import ComputeBaselineClusters, ComputeVisualClusters
from .manage import DeleteClusteringRun, GetClusteringRunInfo, LoadClusterView, RenameClusteringRun
from .panel import ClusteringRunsPanel

OPERATORS = (
    ComputeVisualClusters,
    ComputeBaselineClusters,
    CompareClusteringRuns,
    GetClusteringRunInfo,
    RenameClusteringRun,
    DeleteClusteringRun,
    LoadClusterView,
    ClusteringRunsPanel,
)
