"""The clustering operators: visual clustering, and the k-means / HDBSCAN runs to compare it with."""

import fiftyone as fo
import fiftyone.operators as foo
import fiftyone.operators.types as types

from ..visual_clustering_core.clip import compute_clip_embeddings
from ..visual_clustering_core.runs import load_clustering_run
from ..visual_clustering_core.sdk import compute_baseline_clusters, compute_visual_clusters
from .forms import (
    HYPERPARAMETERS,
    ICON,
    RUN_PARAMS,
    SOURCE_PARAMS,
    baseline_inputs,
    baseline_params,
    check_known_params,
    delegation_inputs,
    free_key,
    hyperparameter_inputs,
    hyperparameters,
    patches_field,
    picture_markdown,
    run_key_inputs,
    source_inputs,
    source_params,
)

class _ClusteringOperator(foo.Operator):
    """Shared by the clustering operators: target, run key and delegation inputs, the result summary, ``__call__``.

    Subclasses add their inputs in ``method_inputs`` and run the SDK in ``compute``.
    """

    name = label = description = key = None

    @property
    def config(self):
        return foo.OperatorConfig(
            name=self.name,
            label=self.label,
            description=self.description,
            dynamic=True,
            allow_immediate_execution=True,
            allow_delegated_execution=True,
            icon=ICON,
        )

    def resolve_input(self, ctx):
        inputs = types.Object()
        inputs.view_target(ctx)
        target = ctx.target_view()
        inputs.md(f"Clusters the {len(target):,} samples of the chosen target; the labels go to a field the Embeddings panel can colour by.")
        default_key = free_key(ctx.dataset, self.default_key(ctx))
        self.method_inputs(ctx, inputs, ctx.params.get("run_key") or default_key)
        inputs.view("run_header", types.Header(label="Run"))
        run_key_inputs(ctx, inputs, default_key, patches_field(ctx))
        delegation_inputs(inputs, len(target))
        return types.Property(inputs, view=types.View(label=self.label))

    def default_key(self, ctx):
        return self.key

    def method_inputs(self, ctx, inputs, run_key):
        """The operator's own inputs; ``run_key``: the key the run will have, for names derived from it."""
        raise NotImplementedError

    def resolve_delegation(self, ctx):
        return bool(ctx.params.get("delegate", False)) and fo.config.allow_legacy_orchestrators

    def execute(self, ctx):
        params = ctx.params
        common = dict(
            label_field=params.get("label_field") or None,
            label_type=params.get("label_type") or "string",
            overwrite=bool(params.get("overwrite")),
            progress=lambda fraction, label: ctx.set_progress(progress=fraction, label=label),
        )
        results = self.compute(ctx, ctx.target_view(), params["run_key"], common)
        if not ctx.delegated:
            ctx.ops.reload_dataset()
        sizes = results.cluster_sizes
        return {
            "picture": picture_markdown(load_clustering_run(ctx.dataset, params["run_key"])),
            "run_key": params["run_key"],
            "label_field": results.config.label_field,
            "n_clusters": len(sizes),
            "n_noise": results.config.n_points - sum(sizes),
            "n_points": results.config.n_points,
        }

    def compute(self, ctx, target, run_key, common):
        raise NotImplementedError

    def resolve_output(self, ctx):
        outputs = types.Object()
        outputs.str("label_field", label="Label field (colour the Embeddings panel by it)")
        outputs.int("n_clusters", label="Clusters")
        outputs.int("n_noise", label="Noise points")
        outputs.int("n_points", label="Points clustered")
        outputs.str("picture", label="What the run saw and found", view=types.MarkdownView())
        return types.Property(outputs, view=types.View(label="Clusters computed"))

    def __call__(self, sample_collection, run_key, **params):
        """SDK form of the operator: ``op(dataset, "run_key", brain_key="umap", ...)``."""
        return foo.execute_operator(self.uri, ctx=dict(view=sample_collection.view(), params=dict(run_key=run_key, **params)))


class ComputeVisualClusters(_ClusteringOperator):
    name, label, key = "compute_visual_clusters", "Compute visual clusters", "visual_clusters"
    description = "Cluster embeddings by segmenting an image of their 2-D plot"

    def method_inputs(self, ctx, inputs, run_key):
        source_inputs(ctx, inputs, run_key)
        hyperparameter_inputs(ctx, inputs)

    def compute(self, ctx, target, run_key, common):
        check_known_params(ctx.params, SOURCE_PARAMS | RUN_PARAMS | set(HYPERPARAMETERS))
        sources = source_params(ctx.params)
        if ctx.params.get("source") == "openclip":
            compute_clip_embeddings(
                target,
                sources["embeddings_field"],
                model_name=ctx.params.get("clip_model") or "ViT-B-32",
                pretrained=ctx.params.get("clip_pretrained", "openai") or None,  # "" builds it without weights
                progress=common["progress"],
            )
        return compute_visual_clusters(target, run_key, **sources, **common, **hyperparameters(ctx))


class ComputeBaselineClusters(_ClusteringOperator):
    name, label = "compute_baseline_clusters", "Compute k-means / HDBSCAN clusters"
    description = "Cluster with k-means or HDBSCAN, to compare with visual clustering"

    def default_key(self, ctx):
        return f"{ctx.params.get('method') or 'kmeans'}_clusters"

    def method_inputs(self, ctx, inputs, run_key):
        source_inputs(ctx, inputs, run_key, projections=("none", "umap", "pca"), openclip=False)
        baseline_inputs(ctx, inputs)

    def compute(self, ctx, target, run_key, common):
        check_known_params(ctx.params, SOURCE_PARAMS | RUN_PARAMS | {"method", "n_clusters", "min_cluster_size", "min_samples"})
        sources = source_params(ctx.params, default_projection="none")
        return compute_baseline_clusters(target, run_key, **baseline_params(ctx.params), **sources, **common)
