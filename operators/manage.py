"""Run management operators: info, rename, delete, and the view of one cluster."""

import json

import fiftyone.operators as foo
import fiftyone.operators.types as types

from ..visual_clustering_core.encoding import cluster_value
from ..visual_clustering_core.runs import (
    cluster_view,
    delete_clustering_run,
    load_clustering_run,
    rename_clustering_run,
    run_info_dict,
)
from .forms import ICON, picture_markdown, run_choice


class _RunOperator(foo.Operator):
    """An operator on one clustering run, picked from a dropdown; subclasses add inputs and ``execute``."""

    name = label = None

    @property
    def config(self):
        return foo.OperatorConfig(name=self.name, label=self.label, dynamic=True, icon=ICON)

    def resolve_input(self, ctx):
        inputs = types.Object()
        run_key = run_choice(ctx, inputs)
        if run_key is not None:
            self.run_inputs(ctx, inputs, run_key)
        return types.Property(inputs, view=types.View(label=self.label))

    def run_inputs(self, ctx, inputs, run_key):
        """Inputs shown once a run is chosen."""


class GetClusteringRunInfo(_RunOperator):
    name, label = "get_clustering_run_info", "Get clustering run info"

    def execute(self, ctx):
        info = run_info_dict(ctx.dataset, ctx.params["run_key"])
        run = load_clustering_run(ctx.dataset, ctx.params["run_key"])
        sizes = ", ".join(f"{cluster_value(i, run.n_clusters)}: {n:,}" for i, n in enumerate(run.cluster_sizes[:20]))
        return {
            "run_key": info["run_key"],
            "method": info["method"],
            "timestamp": info["timestamp"],
            "label_field": info["config"]["label_field"],
            "clusters": f"{run.n_clusters} ({sizes}{', ...' if run.n_clusters > 20 else ''})",
            "noise": f"{int((run.labels < 0).sum()):,} of {len(run.labels):,} points",
            "config": "```json\n" + json.dumps(info["config"], indent=2, default=str) + "\n```",
            "picture": picture_markdown(run),
        }

    def resolve_output(self, ctx):
        outputs = types.Object()
        for name in ("run_key", "method", "timestamp", "label_field", "clusters", "noise"):
            outputs.str(name, label=name.replace("_", " ").capitalize())
        outputs.str("picture", label="What the run saw and found", view=types.MarkdownView())
        self.cluster_buttons(ctx, outputs)
        outputs.str("config", label="Config", view=types.MarkdownView())  # CodeView loads its editor from a CDN
        return types.Property(outputs, view=types.View(label=self.label))


    def cluster_buttons(self, ctx, outputs, most=20):
        """A button per cluster (the largest ``most``, and noise) that loads its samples in the App."""
        run = load_clustering_run(ctx.dataset, ctx.params["run_key"])
        clusters = [(c, n) for c, n in enumerate(run.cluster_sizes[:most])] + [(-1, int((run.labels < 0).sum()))]
        for cluster, size in clusters:
            if size:
                name = "noise" if cluster < 0 else cluster_value(cluster, run.n_clusters)
                outputs.view(f"open_{cluster + 1}", types.Button(
                    label=f"Open {'the noise' if cluster < 0 else 'cluster ' + name} ({size:,} points)",
                    operator=f"{self.plugin_name}/load_cluster_view",
                    params=dict(run_key=run.run_key, cluster=cluster),
                ))


class RenameClusteringRun(_RunOperator):
    name, label = "rename_clustering_run", "Rename clustering run"

    def run_inputs(self, ctx, inputs, run_key):
        inputs.str("new_run_key", label="New run key", required=True)
        inputs.str("new_label_field", label="New label field", description="Defaults to the new run key")
        new_key = ctx.params.get("new_run_key")
        if new_key:
            old_field = ctx.dataset.get_run_info(run_key).config.label_field
            new_field = ctx.params.get("new_label_field") or new_key
            inputs.view("consequence", types.Warning(label=(
                f"Renames run {run_key!r} to {new_key!r} and its field {old_field!r} to {new_field!r}: "
                f"an Embeddings panel coloured by {old_field!r} must be coloured by {new_field!r} again."
            )))
            confirmed = bool(ctx.params.get("confirm"))
            inputs.bool("confirm", default=False, label="Rename them", view=types.CheckboxView(),
                        invalid=not confirmed, error_message="" if confirmed else "Tick to confirm the rename")

    def execute(self, ctx):
        params = ctx.params
        rename_clustering_run(ctx.dataset, params["run_key"], params["new_run_key"], params.get("new_label_field") or None)
        ctx.ops.reload_dataset()


class DeleteClusteringRun(_RunOperator):
    name, label = "delete_clustering_run", "Delete clustering run"

    def run_inputs(self, ctx, inputs, run_key):
        inputs.view("warning", types.Warning(label="The run and its label field will be deleted."))
        brain_key = getattr(ctx.dataset.get_run_info(run_key).config, "save_brain_key", None)
        if brain_key in ctx.dataset.list_brain_runs():
            inputs.bool("keep_projection", default=False, label=f"Keep the projection {brain_key!r}",
                        description="The visualization run this run saved (kept anyway while another run reads it)")

    def execute(self, ctx):
        delete_clustering_run(ctx.dataset, ctx.params["run_key"], keep_projection=bool(ctx.params.get("keep_projection")))
        ctx.ops.reload_dataset()


class LoadClusterView(_RunOperator):
    name, label = "load_cluster_view", "Load the view of one cluster"

    def run_inputs(self, ctx, inputs, run_key):
        run = load_clustering_run(ctx.dataset, run_key)
        choices = types.DropdownView()
        for cluster, size in enumerate(run.cluster_sizes):
            choices.add_choice(cluster, label=f"{cluster} ({size:,} points)")
        noise = int((run.labels < 0).sum())
        if noise:
            choices.add_choice(-1, label=f"noise ({noise:,} points)")
        inputs.enum("cluster", choices.values(), default=0 if run.cluster_sizes else -1, label="Cluster", required=True, view=choices)

    def execute(self, ctx):
        view = cluster_view(ctx.dataset, ctx.params["run_key"], ctx.params.get("cluster", 0))
        ctx.ops.set_view(view=view)
        return {"samples": len(view)}
