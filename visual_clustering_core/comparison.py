"""Compare clustering runs of a FiftyOne dataset: with each other, and with a ground-truth field."""

import itertools
from dataclasses import dataclass, field

import numpy as np

from . import metrics
from .encoding import cluster_value
from .journal import field_exists, field_path
from .runs import load_clustering_run

SCORES = ("ami", "ari", "nmi", "homogeneity", "completeness", "purity", "f_score")


@dataclass
class Comparison:
    """What ``compare_clustering_runs`` found: each run on its own points, each pair on the points both labelled."""

    run_keys: list
    rows: list  # one dict per run: method, points, clusters, noise, cluster_s, project_s and, with a truth, every score
    agreement: np.ndarray  # pairwise AMI between the runs, on the points both labelled
    shared: np.ndarray  # how many points each pair of runs both labelled (the diagonal: each run's own)
    gt_field: str = None
    cluster_purity: dict = field(default_factory=dict)  # run key -> per-cluster rows
    confusions: dict = field(default_factory=dict)  # run key -> (counts, cluster names, class names): clusters x classes
    warnings: list = field(default_factory=list)  # where the runs cover different points
    plot_path: str = None
    heatmap_path: str = None  # the agreement and, with a truth, each run's clusters against the classes

    def to_markdown(self):
        """The comparison as markdown tables, for the App and for reports."""
        measures = ["method", "n_points", "n_clusters", "noise_fraction", "cluster_s", "project_s"] + (
            list(SCORES) if self.gt_field else [])
        lines = [f"> **Warning:** {w}" for w in self.warnings] + ([""] if self.warnings else [])
        lines += ["Each run on the points it labelled" + (f", scored against `{self.gt_field}`" if self.gt_field else ""), ""]
        lines += _markdown_table([""] + self.run_keys, [[m, *(row[m] for row in self.rows)] for m in measures])  # a column a run: it fits
        lines += ["", "**Agreement between runs** (adjusted mutual information, on the points both labelled: how many in brackets)", ""]
        cells = [[f"{a:.3f} ({n:,})" for a, n in zip(agreement, shared)] for agreement, shared in zip(self.agreement, self.shared)]
        lines += _markdown_table([""] + self.run_keys, [[key, *row] for key, row in zip(self.run_keys, cells)])
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


def truth_path(dataset, gt_field):
    """Where a sample field's true classes are: the field, or its Classification's label."""
    import fiftyone as fo

    if not dataset.has_sample_field(gt_field):
        raise ValueError(f"{gt_field!r} is not a field of dataset {dataset.name!r}; pass the field holding the true classes.")
    kind = dataset.get_field(gt_field)
    if isinstance(kind, fo.EmbeddedDocumentField) and issubclass(kind.document_type, fo.Classification):
        return gt_field + ".label"
    return gt_field


def ground_truth(dataset, gt_field, patches_field=None):
    """``{sample or label id: class}`` from a sample field (a Classification's label is used), or an attribute of the patches."""
    if patches_field is None:
        ids, values = dataset.values(["id", truth_path(dataset, gt_field)])
    else:
        path = field_path(dataset, gt_field, patches_field)
        if not field_exists(dataset, path):
            raise ValueError(f"the patches of {patches_field!r} have no attribute {gt_field!r}; pass one, like 'label'.")
        ids, values = (list(itertools.chain.from_iterable(v or [] for v in dataset.values(p))) for p in (field_path(dataset, "id", patches_field), path))
    return {key: value for key, value in zip(ids, values) if value is not None}


def compare_clustering_runs(sample_collection, run_keys, gt_field=None, plot_path=None):
    """Compare clustering runs with each other, and with ``gt_field`` if given.

    Each run is described and scored on the points it labelled (those with a
    true class, given a ``gt_field``): the number of points, clusters, noise
    fraction, seconds clustering and projecting (0 for a reused projection) and AMI, ARI, NMI, homogeneity,
    completeness, purity and F-score; per-cluster purity. Each pair of runs is
    compared on the points both labelled (``agreement``, ``shared``), and
    ``warnings`` say where the runs cover different points. With
    ``plot_path``, also writes a PNG of each run's points coloured by cluster.
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
    classes = ground_truth(dataset, gt_field, levels.pop()) if gt_field else None
    labelled = [_labelled(run, classes) for run in runs]
    empty = [run.run_key for run, labels in zip(runs, labelled) if not labels]
    if empty:
        raise ValueError(f"runs {empty} labelled no point" + (f" with a value in {gt_field!r}." if gt_field else "."))
    rows, purity, confusions = [], {}, {}
    for run, labels in zip(runs, labelled):
        values = np.array(list(labels.values()))
        row = {"run_key": run.run_key, "method": run.config["method"], "n_points": len(values), **metrics.summary(values)}
        row |= {key: run.timings.get(key, 0.0) for key in ("cluster_s", "project_s")}  # a reused projection: 0 s
        if classes is not None:
            truth = np.array([classes[key] for key in labels])
            row |= metrics.scores(truth, values)
            purity[run.run_key] = metrics.cluster_purity(truth, values)
            confusions[run.run_key] = _confusion(labels, classes)
        rows.append(row)
    agreement, shared = _pairwise(labelled)
    comparison = Comparison(
        run_keys=list(run_keys),
        rows=rows,
        agreement=agreement,
        shared=shared,
        gt_field=gt_field,
        cluster_purity=purity,
        confusions=confusions,
        warnings=_coverage_warnings(run_keys, labelled, shared),
    )
    if plot_path:
        comparison.plot_path = _plot(runs, classes, gt_field, plot_path)
        comparison.heatmap_path = _heatmaps(comparison, str(plot_path).rsplit(".", 1)[0] + "_tables.png")
    return comparison


def _confusion(labels, classes):
    """Points of each cluster (rows, noise last) in each true class (columns), and the rows' and columns' names
    (the clusters named as in the label field)."""
    clusters = sorted(set(labels.values()), key=lambda c: (c < 0, c))
    names = sorted({str(classes[k]) for k in labels})
    row, column = {c: i for i, c in enumerate(clusters)}, {n: j for j, n in enumerate(names)}
    counts = np.zeros((len(clusters), len(names)), int)
    for k, cluster in labels.items():
        counts[row[cluster], column[str(classes[k])]] += 1
    n_clusters = max(clusters) + 1
    return counts, [cluster_value(c, n_clusters) for c in clusters], names


def _heatmaps(comparison, path):
    """The agreement matrix and, with a truth, each run's confusion of clusters (rows) against classes."""
    from .plotting import save_heatmaps

    keys = comparison.run_keys
    panels = [(comparison.agreement, keys, keys, "agreement between runs (AMI)")] if len(keys) > 1 else []
    panels += [(counts, rows, columns, f"{key}: clusters x {comparison.gt_field}") for key, (counts, rows, columns) in comparison.confusions.items()]
    return str(save_heatmaps(panels, path)) if panels else None


def _labelled(run, classes=None):
    """``{sample or label id: cluster}`` of the points the run labelled (and the truth covers)."""
    return {key: label for key, label in zip(_keys(run), run.labels.tolist()) if classes is None or key in classes}


def _pairwise(labelled):
    """AMI and number of shared points for every pair of labellings (the diagonal: 1 and each one's size)."""
    n = len(labelled)
    agreement, shared = np.eye(n), np.zeros((n, n), int)
    for i in range(n):
        shared[i, i] = len(labelled[i])
        for j in range(i + 1, n):
            common = [key for key in labelled[i] if key in labelled[j]]
            shared[i, j] = shared[j, i] = len(common)
            if common:
                pair = [[labelled[i][key] for key in common], [labelled[j][key] for key in common]]
                agreement[i, j] = agreement[j, i] = metrics.agreement(pair)[0, 1]
            else:
                agreement[i, j] = agreement[j, i] = np.nan
    return agreement, shared


def _coverage_warnings(run_keys, labelled, shared):
    sizes = [len(labels) for labels in labelled]
    if len(set(sizes)) <= 1 and all(shared[i, j] == sizes[i] for i in range(len(sizes)) for j in range(len(sizes))):
        return []
    counts = ", ".join(f"{key}: {n:,}" for key, n in zip(run_keys, sizes))
    return [f"the runs labelled different points ({counts}): each is scored on its own points, each pair agrees on the points both labelled."]


def _plot(runs, classes, gt_field, path):
    """Each run's own points coloured by its clusters (grey: noise), and the truth, in a grid."""
    from .plotting import save_point_grid

    panels = []
    for run in runs:
        if run.points is None:
            continue
        k = len(run.cluster_sizes)
        panels.append((run.points, run.labels, f"{run.run_key} ({run.config['method']})\n{k} clusters, {len(run.labels):,} points"))
    if not panels:
        return None
    if classes is not None:
        source = next(run for run in runs if run.points is not None)
        keep = [i for i, key in enumerate(_keys(source)) if key in classes]
        truth = [classes[_keys(source)[i]] for i in keep]
        panels.append((source.points[keep], np.unique(truth, return_inverse=True)[1], f"truth: {gt_field}\n{len(set(truth))} classes"))
    return str(save_point_grid(panels, path, n_cols=min(len(panels), 4), panel_size=3.6))
