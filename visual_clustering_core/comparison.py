"""Compare clustering runs of a FiftyOne dataset: with each other, and with a ground-truth field."""

import itertools
from dataclasses import dataclass, field

import numpy as np

from . import metrics
from .journal import field_exists, field_path
from .runs import load_clustering_run

SCORES = ("ami", "ari", "nmi", "homogeneity", "completeness", "purity", "f_score")


@dataclass
class Comparison:
    """What ``compare_clustering_runs`` found, on the points every run labelled (and the truth covers)."""

    run_keys: list
    rows: list  # one dict per run: method, clusters, noise, runtime and, with a truth, every score
    agreement: np.ndarray  # pairwise AMI between the runs
    n_points: int
    gt_field: str = None
    cluster_purity: dict = field(default_factory=dict)  # run key -> per-cluster rows
    plot_path: str = None

    def to_markdown(self):
        """The comparison as markdown tables, for the App and for reports."""
        columns = ["run_key", "method", "n_clusters", "noise_fraction", "runtime_s"]
        columns += list(SCORES) if self.gt_field else []
        lines = [f"**{self.n_points:,} points** labelled by every run" + (f", scored against `{self.gt_field}`" if self.gt_field else ""), ""]
        lines += _markdown_table(columns, [[row[c] for c in columns] for row in self.rows])
        lines += ["", "**Agreement between runs** (adjusted mutual information)", ""]
        lines += _markdown_table([""] + self.run_keys, [[key, *row] for key, row in zip(self.run_keys, self.agreement)])
        for key, rows in self.cluster_purity.items():
            lines += ["", f"**Clusters of `{key}`** against `{self.gt_field}`", ""]
            lines += _markdown_table(["cluster", "size", "majority", "purity"], [[_cluster_name(r["cluster"]), r["size"], r["majority"], r["purity"]] for r in rows])
        return "\n".join(lines)


def _cluster_name(cluster):
    return "noise" if cluster < 0 else str(cluster)


def _markdown_table(columns, rows):
    def cell(value):
        if isinstance(value, float):
            return f"{value:.3f}"
        return "" if value is None else str(value)

    return ["| " + " | ".join(map(str, columns)) + " |", "|" + "---|" * len(columns)] + [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in rows
    ]


def _keys(run):
    return run.label_ids if run.label_ids is not None else run.sample_ids


def ground_truth(dataset, gt_field, patches_field=None):
    """``{sample or label id: class}`` from a sample field (a Classification's label is used), or an attribute of the patches."""
    import fiftyone as fo

    if patches_field is None:
        if not dataset.has_sample_field(gt_field):
            raise ValueError(f"{gt_field!r} is not a field of dataset {dataset.name!r}; pass the field holding the true classes.")
        kind = dataset.get_field(gt_field)
        if isinstance(kind, fo.EmbeddedDocumentField) and issubclass(kind.document_type, fo.Classification):
            gt_field += ".label"
        ids, values = dataset.values(["id", gt_field])
    else:
        path = field_path(dataset, gt_field, patches_field)
        if not field_exists(dataset, path):
            raise ValueError(f"the patches of {patches_field!r} have no attribute {gt_field!r}; pass one, like 'label'.")
        ids, values = (list(itertools.chain.from_iterable(v or [] for v in dataset.values(p))) for p in (field_path(dataset, "id", patches_field), path))
    return {key: value for key, value in zip(ids, values) if value is not None}


def compare_clustering_runs(sample_collection, run_keys, gt_field=None, plot_path=None):
    """Compare clustering runs on the points all of them labelled; score them against ``gt_field`` if given.

    Returns a ``Comparison``: per run the number of clusters, noise fraction,
    runtime and (with a ground truth) AMI, ARI, NMI, homogeneity, completeness,
    purity and F-score; the pairwise agreement matrix; per-cluster purity. With
    ``plot_path``, also writes a PNG of the 2-D points coloured by each run.
    """
    if isinstance(run_keys, str):
        run_keys = [run_keys]
    if not run_keys:
        raise ValueError("choose at least one clustering run to compare.")
    dataset = sample_collection._dataset
    runs = [load_clustering_run(dataset, key) for key in run_keys]
    levels = {run.config.get("patches_field") for run in runs}
    if len(levels) > 1:
        raise ValueError(f"runs {run_keys} mix sample-level and patch-level labels ({levels}); compare runs of one level.")
    position = [dict(zip(_keys(run), range(len(run.labels)))) for run in runs]
    common = [key for key in _keys(runs[0]) if all(key in p for p in position[1:])]
    truth = None
    if gt_field:
        classes = ground_truth(dataset, gt_field, levels.pop())
        common = [key for key in common if key in classes]
        truth = np.array([classes[key] for key in common])
    if not common:
        raise ValueError(f"runs {run_keys} share no labelled points" + (f" with a value in {gt_field!r}." if gt_field else "."))
    labelings = [run.labels[[p[key] for key in common]] for run, p in zip(runs, position)]
    rows = []
    for run, labels in zip(runs, labelings):
        row = {"run_key": run.run_key, "method": run.config["method"], **metrics.summary(labels)}
        row["runtime_s"] = run.timings.get("cluster_s", 0.0) + run.timings.get("project_s", 0.0)  # a reused projection: 0
        rows.append(row | (metrics.scores(truth, labels) if truth is not None else {}))
    comparison = Comparison(
        run_keys=list(run_keys),
        rows=rows,
        agreement=metrics.agreement(labelings),
        n_points=len(common),
        gt_field=gt_field,
        cluster_purity={run.run_key: metrics.cluster_purity(truth, labels) for run, labels in zip(runs, labelings)} if truth is not None else {},
    )
    if plot_path:
        comparison.plot_path = _plot(runs, position, common, labelings, truth, gt_field, plot_path)
    return comparison


def _plot(runs, position, common, labelings, truth, gt_field, path):
    """The 2-D points (of the first run that has them) coloured by each run, and by the truth."""
    from .plotting import save_point_grid

    source = next(((run, p) for run, p in zip(runs, position) if run.points is not None), None)
    if source is None:
        return None
    points = source[0].points[[source[1][key] for key in common]]
    panels = [(points, labels, f"{run.run_key} ({run.config['method']})") for run, labels in zip(runs, labelings)]
    if truth is not None:
        panels.append((points, np.unique(truth, return_inverse=True)[1], f"truth: {gt_field}"))
    return str(save_point_grid(panels, path, n_cols=len(panels)))
