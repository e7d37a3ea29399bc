"""The Clustering runs panel: the dataset's runs compared side by side, each cluster a click away from its samples."""

import fiftyone.operators as foo
import fiftyone.operators.types as types
from fiftyone import ViewField as F

from ..visual_clustering_core.comparison import compare_clustering_runs, truth_path
from ..visual_clustering_core.runs import cluster_view, list_clustering_runs, load_clustering_run
from .compare import truth_choices
from .forms import ICON

PLOT_CONFIG = dict(displayModeBar=False)
HEATMAP_LAYOUT = dict(margin=dict(l=60, r=10, t=40, b=60), yaxis=dict(autorange="reversed", type="category"), xaxis=dict(type="category"))


def _cluster_number(name):
    return -1 if name == "noise" else int(name)


def _sizes_plot(run):
    """A bar a cluster (noise last), for a run compared without a truth."""
    names = [str(c) for c in range(run.n_clusters)]
    sizes = list(run.cluster_sizes)
    n_noise = int((run.labels < 0).sum())
    if n_noise:
        names, sizes = names + ["noise"], sizes + [n_noise]
    return dict(
        data=[dict(type="bar", name=run.run_key, x=names, y=sizes, marker=dict(color=["#1f77b4"] * run.n_clusters + ["#9e9e9e"] * bool(n_noise)))],
        layout=dict(title=dict(text=f"{run.run_key}: points a cluster"), height=300, xaxis=dict(type="category", title="cluster"),
                    yaxis=dict(title="points"), margin=dict(l=60, r=10, t=40, b=50)),
    )


def _confusion_plot(key, counts, clusters, classes, gt_field):
    return dict(
        data=[dict(type="heatmap", name=key, z=counts.tolist(), x=classes, y=clusters, colorscale="Blues", texttemplate="%{z}",
                   hovertemplate=f"cluster %{{y}}, {gt_field} %{{x}}: %{{z}} points<extra></extra>")],
        layout=dict(title=dict(text=f"{key}: clusters (rows) x {gt_field}"), **HEATMAP_LAYOUT,
                    height=max(320, 28 * len(clusters) + 120)),
    )


def _agreement_plot(comparison):
    text = [[f"{a:.2f} ({n:,})" for a, n in zip(row, shared)] for row, shared in zip(comparison.agreement, comparison.shared)]
    return dict(
        data=[dict(type="heatmap", z=comparison.agreement.tolist(), x=comparison.run_keys, y=comparison.run_keys, zmin=0, zmax=1,
                   colorscale="Viridis", text=text, texttemplate="%{text}", hoverinfo="skip")],
        layout=dict(title=dict(text="Agreement (AMI on the points both labelled)"), **HEATMAP_LAYOUT,
                    height=120 + 50 * len(comparison.run_keys)),
    )


class ClusteringRunsPanel(foo.Panel):
    @property
    def config(self):
        return foo.PanelConfig(
            name="clustering_runs",
            label="Clustering runs",
            icon=ICON,
            help_markdown="Compare the dataset's clustering runs; click a cluster to open its samples.",
        )

    def on_load(self, ctx):
        runs = list_clustering_runs(ctx.dataset)
        truths = truth_choices(ctx.dataset)
        ctx.panel.state.run_keys = runs[-2:]
        ctx.panel.state.gt_field = truths[0] if len(truths) == 1 else None

    def on_change_dataset(self, ctx):
        self.on_load(ctx)

    def on_change_runs(self, ctx):
        ctx.panel.state.run_keys = ctx.params.get("value") or []

    def on_change_truth(self, ctx):
        ctx.panel.state.gt_field = ctx.params.get("value") or None

    def on_click_bar(self, ctx):
        """Open the clicked cluster's samples."""
        ctx.ops.set_view(cluster_view(ctx.dataset, ctx.params["trace"], _cluster_number(str(ctx.params["x"]))))

    def on_click_cell(self, ctx):
        """Open the samples of the clicked cluster in the clicked true class."""
        view = cluster_view(ctx.dataset, ctx.params["trace"], _cluster_number(str(ctx.params["y"])))
        path = truth_path(ctx.dataset, ctx.panel.state.gt_field)
        value = next(v for v in ctx.dataset.distinct(path) if str(v) == str(ctx.params["x"]))
        ctx.ops.set_view(view.match(F(path) == value))

    def render(self, ctx):
        panel = types.Object()
        runs = list_clustering_runs(ctx.dataset)
        if not runs:
            panel.md("No clustering run yet: run **Compute visual clusters** (or k-means / HDBSCAN) from the operator browser.")
            return types.Property(panel, view=types.GridView(orientation="vertical"))
        chosen = [key for key in ctx.panel.state.run_keys or [] if key in runs] or runs[-1:]
        choices = types.DropdownView(multiple=True)
        for key in runs:
            choices.add_choice(key, label=key)
        panel.list("run_keys", types.String(), default=chosen, label="Runs", view=choices, on_change=self.on_change_runs)
        truths = truth_choices(ctx.dataset)
        gt_field = ctx.panel.state.gt_field if ctx.panel.state.gt_field in truths else None
        panel.enum("gt_field", truths, default=gt_field, label="Ground truth (optional)", view=types.DropdownView(),
                   on_change=self.on_change_truth)
        patch_runs = [key for key in chosen if getattr(ctx.dataset.get_run_info(key).config, "patches_field", None)]
        try:
            comparison = compare_clustering_runs(ctx.dataset, chosen, None if patch_runs else gt_field)
        except ValueError as error:  # e.g. sample-level and patch-level runs together
            panel.view("cannot_compare", types.Warning(label=str(error)))
            return types.Property(panel, view=types.GridView(orientation="vertical"))
        if len(chosen) > 1:
            panel.plot("agreement", **_agreement_plot(comparison), config=PLOT_CONFIG)
        hint = "Click a cell to open that cluster's samples of that class." if comparison.confusions else "Click a bar to open that cluster's samples."
        panel.md(hint, name="hint")
        for key in chosen:
            if key in comparison.confusions:
                counts, clusters, classes = comparison.confusions[key]
                panel.plot(f"confusion_{key}", **_confusion_plot(key, counts, clusters, classes, gt_field), config=PLOT_CONFIG,
                           on_click=self.on_click_cell)
            else:
                panel.plot(f"sizes_{key}", **_sizes_plot(load_clustering_run(ctx.dataset, key)), config=PLOT_CONFIG, on_click=self.on_click_bar)
        panel.md(comparison.to_markdown(), name="scores")
        return types.Property(panel, view=types.GridView(orientation="vertical", gap=2, px=2, py=2))
