"""The main operator: cluster a dataset's embeddings visually."""

import fiftyone.operators as foo
import fiftyone.operators.types as types

from ..visual_clustering_core.clip import compute_clip_embeddings
from ..visual_clustering_core.sdk import compute_visual_clusters
from .forms import ICON, hyperparameter_inputs, hyperparameters, run_key_inputs, source_inputs

DELEGATE_ABOVE = 100_000


class ComputeVisualClusters(foo.Operator):
    @property
    def config(self):
        return foo.OperatorConfig(
            name="compute_visual_clusters",
            label="Compute visual clusters",
            description="Cluster embeddings by segmenting an image of their 2-D plot",
            dynamic=True,
            allow_immediate_execution=True,
            allow_delegated_execution=True,
            icon=ICON,
        )

    def resolve_placement(self, ctx):
        return types.Placement(
            types.Places.EMBEDDINGS_ACTIONS,
            types.Button(label="Compute visual clusters", icon=ICON, prompt=True),
        )

    def resolve_input(self, ctx):
        inputs = types.Object()
        target = ctx.target_view()
        inputs.md(f"Clusters the {len(target):,} samples of the chosen target; the labels go to a field the Embeddings panel can colour by.")
        source_inputs(ctx, inputs)
        inputs.view("hyperparameters_header", types.Header(label="Hyperparameters", description="The defaults need no tuning"))
        hyperparameter_inputs(inputs)
        inputs.view("run_header", types.Header(label="Run"))
        run_key_inputs(inputs, default_key="visual_clusters")
        inputs.bool("delegate", default=len(target) > DELEGATE_ABOVE, label="Delegate", description="Run in the background (recommended for large datasets)")
        return types.Property(inputs, view=types.View(label="Compute visual clusters"))

    def resolve_delegation(self, ctx):
        return bool(ctx.params.get("delegate", False))

    def execute(self, ctx):
        params = ctx.params
        target = ctx.target_view()
        progress = lambda fraction, label: ctx.set_progress(progress=fraction, label=label)
        source = params.get("source") or ("embeddings_field" if params.get("embeddings_field") else "brain_run")
        embeddings_field = params.get("embeddings_field") or ("clip_embeddings" if source == "openclip" else None)
        if source == "openclip":
            compute_clip_embeddings(
                target,
                embeddings_field,
                model_name=params.get("clip_model") or "ViT-B-32",
                pretrained=params.get("clip_pretrained", "openai") or None,  # "" builds it without weights
                overwrite=bool(params.get("overwrite")),
                progress=progress,
            )
        from_field = source != "brain_run"
        results = compute_visual_clusters(
            target,
            params["run_key"],
            brain_key=None if from_field else params.get("brain_key"),
            embeddings_field=embeddings_field if from_field else None,
            projection=params.get("projection") or "umap",
            save_brain_key=(params.get("save_brain_key") or None) if from_field else None,
            label_field=params.get("label_field") or None,
            overwrite=bool(params.get("overwrite")),
            progress=progress,
            **hyperparameters(ctx),
        )
        if not ctx.delegated:
            ctx.ops.reload_dataset()
        sizes = results.cluster_sizes
        return {
            "run_key": params["run_key"],
            "label_field": results.config.label_field,
            "n_clusters": len(sizes),
            "n_noise": results.config.n_points - sum(sizes),
            "n_points": results.config.n_points,
        }

    def resolve_output(self, ctx):
        outputs = types.Object()
        outputs.str("label_field", label="Label field (colour the Embeddings panel by it)")
        outputs.int("n_clusters", label="Clusters")
        outputs.int("n_noise", label="Noise points")
        outputs.int("n_points", label="Points clustered")
        return types.Property(outputs, view=types.View(label="Visual clusters computed"))

    def __call__(self, sample_collection, run_key, **params):
        """SDK form of the operator: ``op(dataset, "run_key", brain_key="umap", grow=4)``."""
        return foo.execute_operator(self.uri, ctx=dict(view=sample_collection.view(), params=dict(run_key=run_key, **params)))
