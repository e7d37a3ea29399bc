"""Run management operators: info, rename, delete, and the view of one cluster."""

import json

import fiftyone.operators as foo
import fiftyone.operators.types as types

from ..visual_clustering_core.runs import (
    cluster_view,
    delete_clustering_run,
    load_clustering_run,
    rename_clustering_run,
    run_info_dict,
)
from .forms import run_choice


class GetClusteringRunInfo(foo.Operator):
    @property
    def config(self):
        return foo.OperatorConfig(name="get_clustering_run_info", label="Get clustering run info", dynamic=True, icon="/assets/icon.svg")

    def resolve_input(self, ctx):
        inputs = types.Object()
        run_choice(ctx, inputs)
        return types.Property(inputs, view=types.View(label="Clustering run info"))

    def execute(self, ctx):
        info = run_info_dict(ctx.dataset, ctx.params["run_key"])
        run = load_clustering_run(ctx.dataset, ctx.params["run_key"])
        sizes = ", ".join(f"{i}: {n:,}" for i, n in enumerate(run.cluster_sizes[:20]))
        return {
            "run_key": info["run_key"],
            "method": info["method"],
            "timestamp": info["timestamp"],
            "label_field": info["config"]["label_field"],
            "clusters": f"{run.n_clusters} ({sizes}{', ...' if run.n_clusters > 20 else ''})",
            "noise": f"{int((run.labels < 0).sum()):,} of {len(run.labels):,} points",
            "config": json.dumps(info["config"], indent=2, default=str),
        }

    def resolve_output(self, ctx):
        outputs = types.Object()
        for name in ("run_key", "method", "timestamp", "label_field", "clusters", "noise"):
            outputs.str(name, label=name.replace("_", " ").capitalize())
        outputs.str("config", label="Config", view=types.CodeView(language="json"))
        return types.Property(outputs, view=types.View(label="Clustering run info"))


class RenameClusteringRun(foo.Operator):
    @property
    def config(self):
        return foo.OperatorConfig(name="rename_clustering_run", label="Rename clustering run", dynamic=True, icon="/assets/icon.svg")

    def resolve_input(self, ctx):
        inputs = types.Object()
        if run_choice(ctx, inputs) is not None or ctx.params.get("run_key"):
            inputs.str("new_run_key", label="New run key", required=True)
            inputs.str("new_label_field", label="New label field", description="Defaults to the new run key")
        return types.Property(inputs, view=types.View(label="Rename clustering run"))

    def execute(self, ctx):
        rename_clustering_run(ctx.dataset, ctx.params["run_key"], ctx.params["new_run_key"], ctx.params.get("new_label_field") or None)
        ctx.ops.reload_dataset()


class DeleteClusteringRun(foo.Operator):
    @property
    def config(self):
        return foo.OperatorConfig(name="delete_clustering_run", label="Delete clustering run", dynamic=True, icon="/assets/icon.svg")

    def resolve_input(self, ctx):
        inputs = types.Object()
        if run_choice(ctx, inputs) is not None:
            inputs.view("warning", types.Warning(label="The run and its label field will be deleted."))
        return types.Property(inputs, view=types.View(label="Delete clustering run"))

    def execute(self, ctx):
        delete_clustering_run(ctx.dataset, ctx.params["run_key"])
        ctx.ops.reload_dataset()


class LoadClusterView(foo.Operator):
    @property
    def config(self):
        return foo.OperatorConfig(name="load_cluster_view", label="Load the view of one cluster", dynamic=True, icon="/assets/icon.svg")

    def resolve_input(self, ctx):
        inputs = types.Object()
        if run_choice(ctx, inputs) is not None:
            inputs.int("cluster", default=0, label="Cluster", description="Cluster number; -1 for noise", required=True)
        return types.Property(inputs, view=types.View(label="Load cluster view"))

    def execute(self, ctx):
        view = cluster_view(ctx.dataset, ctx.params["run_key"], ctx.params.get("cluster", 0))
        ctx.ops.set_view(view=view)
        return {"samples": len(view)}
