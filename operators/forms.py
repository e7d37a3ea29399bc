"""Small form builders shared by the operators."""

import fiftyone.brain as fob
import fiftyone.operators.types as types

from ..visual_clustering_core import VisualClustering
from ..visual_clustering_core.projection import PROJECTIONS
from ..visual_clustering_core.runs import list_clustering_runs

ICON = "/assets/icon.svg"

# name: (type, help); the type is the form's, so 2.5 stays 2.5 where the estimator takes a float
HYPERPARAMETERS = {
    "resolution": (int, "Side of the square image the points are drawn into, in pixels (multiple of 16, 32 to 2048)"),
    "denoise": (int, "Median filter size before segmentation; 3 or 5 cuts thin bridges between clusters (0: off)"),
    "grow": (float, "Points within this many pixels of a cluster join it; farther ones are noise unless reach lets them join"),
    "reach": (float, "Points within this multiple of a cluster's radius also join it (0: only grow)"),
    "threshold": (float, "Probability above which a pixel is cluster area; lower it for fewer noise points"),
    "min_cluster_size": (int, "Areas with fewer points are no clusters: their points join a near cluster or become noise"),
    "keep_aspect": (bool, "Scale both axes equally, as the Embeddings panel shows them"),
    "device": (("cpu", "cuda", "auto"), "Where the network runs: cpu, cuda, or auto"),
    "segmenter": (("unet", "threshold"), "unet: the trained network marks cluster areas; threshold: a density threshold (no network)"),
    "weights": (str, "Path of other U-Net weights written by the training script (empty: the shipped ones)"),
}
SOURCE_PARAMS = {"source", "brain_key", "embeddings_field", "projection", "save_brain_key", "clip_model", "clip_pretrained"}
RUN_PARAMS = {"run_key", "label_field", "overwrite", "delegate", "view_target", "view"}


def hyperparameters(ctx):
    """The VisualClustering hyperparameters in ``ctx.params``, defaults filled in, as given (never truncated)."""
    defaults = VisualClustering().get_params()
    return {name: defaults[name] if ctx.params.get(name) in (None, "") else ctx.params[name] for name in HYPERPARAMETERS}


def check_known_params(params, known):
    """Refuse parameters the operator does not take, instead of dropping them silently."""
    unknown = sorted(name for name, value in params.items() if value is not None and name not in known)
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)}; this operator takes {', '.join(sorted(known))}.")


def hyperparameter_inputs(inputs):
    """One input per hyperparameter, with its default and a one-line help."""
    defaults = VisualClustering().get_params()
    for name, (kind, help_text) in HYPERPARAMETERS.items():
        default, label = defaults[name], name.replace("_", " ")
        if kind is bool:
            inputs.bool(name, default=default, label=label, description=help_text, view=types.CheckboxView())
        elif kind is int:
            inputs.int(name, default=default, label=label, description=help_text, min=0)
        elif kind is float:
            inputs.float(name, default=float(default), label=label, description=help_text, min=0)
        elif kind is str:
            inputs.str(name, default=default, label=label, description=help_text)
        else:
            inputs.enum(name, list(kind), default=default, label=label, description=help_text)


def baseline_inputs(ctx, inputs):
    """The method (k-means or HDBSCAN) and its parameters."""
    methods = types.RadioGroup()
    methods.add_choice("kmeans", label="k-means", description="scikit-learn KMeans (MiniBatchKMeans above 100,000 points)")
    methods.add_choice("hdbscan", label="HDBSCAN", description="Density-based; labels sparse points noise")
    inputs.enum("method", methods.values(), default="kmeans", label="Method", view=methods)
    if (ctx.params.get("method") or "kmeans") == "kmeans":
        inputs.int("n_clusters", default=8, min=1, label="Number of clusters", description="k")
    else:
        inputs.int("min_cluster_size", default=5, min=2, label="min cluster size", description="Smallest group HDBSCAN calls a cluster")
        inputs.int("min_samples", min=1, label="min samples", description="Neighbours a core point needs; empty: min cluster size")


def baseline_params(params):
    """``compute_baseline_clusters`` method arguments from a form (the SDK's defaults for those left empty)."""
    method = params.get("method") or "kmeans"
    names = ("n_clusters",) if method == "kmeans" else ("min_cluster_size", "min_samples")
    return dict(method=method, **{name: int(params[name]) for name in names if params.get(name) is not None})


def visualization_runs(dataset):
    return dataset.list_brain_runs(type=fob.Visualization)


def embedding_fields(dataset):
    """Sample fields that hold vectors (lists or arrays)."""
    import fiftyone as fo

    schema = dataset.get_field_schema(ftype=(fo.VectorField, fo.ListField))
    return sorted(name for name, field in schema.items() if not isinstance(field, fo.ListField) or field.field is None or isinstance(field.field, fo.FloatField))


def source_inputs(ctx, inputs, projections=PROJECTIONS, openclip=True):
    """Where the points come from: a visualization run, or an embeddings field (projected with one of ``projections``)."""
    runs, fields = visualization_runs(ctx.dataset), embedding_fields(ctx.dataset)
    choices = types.RadioGroup()
    choices.add_choice("brain_run", label="Visualization run", description="Points of a compute_visualization run")
    choices.add_choice("embeddings_field", label="Embeddings field", description="Vectors, " + " or ".join(projections) + " projected")
    if openclip:
        choices.add_choice("openclip", label="OpenCLIP embeddings", description="Compute CLIP embeddings first")
    default = "brain_run" if runs else "embeddings_field"
    source = ctx.params.get("source") or ("embeddings_field" if ctx.params.get("embeddings_field") else default)
    inputs.enum("source", choices.values(), default=default, label="Points from", view=choices)
    if source == "brain_run":
        if not runs:
            inputs.view("no_runs", types.Warning(label="This dataset has no visualization run; choose another source."))
        inputs.enum("brain_key", runs, default=runs[0] if runs else None, label="Visualization run", required=bool(runs), view=types.DropdownView())
        return
    if source == "openclip":
        inputs.str("clip_model", default="ViT-B-32", label="OpenCLIP model", description="An open_clip model name")
        inputs.str("clip_pretrained", default="openai", label="Pretrained tag", description="Weights tag, e.g. openai or laion2b_s34b_b79k")
        inputs.str("embeddings_field", default="clip_embeddings", label="Store embeddings in", required=True)
    else:
        inputs.enum("embeddings_field", fields, label="Embeddings field", required=True, view=types.DropdownView())
    inputs.enum("projection", list(projections), default=projections[0], label="Projection", view=types.RadioGroup())
    inputs.str("save_brain_key", label="Save the projection as visualization run", description="Optional brain key, so the Embeddings panel can show it")


def source_params(params, default_projection="umap"):
    """The SDK's source arguments (brain_key, or embeddings_field with projection and save_brain_key) from a form."""
    if not params.get("source") and params.get("brain_key") and params.get("embeddings_field"):
        raise ValueError("give exactly one source of points: brain_key or embeddings_field (or say which with source=).")
    source = params.get("source") or ("embeddings_field" if params.get("embeddings_field") else "brain_run")
    if source == "brain_run":
        return dict(brain_key=params.get("brain_key"))
    return dict(
        embeddings_field=params.get("embeddings_field") or "clip_embeddings",
        projection=params.get("projection") or default_projection,
        save_brain_key=params.get("save_brain_key") or None,
    )


def run_key_inputs(inputs, default_key):
    inputs.str("run_key", default=default_key, label="Run key", required=True, description="A Python identifier")
    inputs.str("label_field", label="Label field", description="Field for the cluster labels; defaults to the run key")
    inputs.bool("overwrite", default=False, label="Overwrite", description="Replace a run or field of the same name")


def run_choice(ctx, inputs, name="run_key", label="Clustering run", multiple=False):
    """A dropdown of the dataset's clustering runs; returns the chosen key(s) (or None)."""
    runs = list_clustering_runs(ctx.dataset)
    if not runs:
        inputs.view("no_runs", types.Warning(label="This dataset has no clustering run yet."))
        return None
    if multiple:
        choices = types.DropdownView(multiple=True)
        for run in runs:
            choices.add_choice(run, label=run)
        inputs.list(name, types.String(), default=runs, label=label, required=True, view=choices)
        return ctx.params.get(name) or runs
    inputs.enum(name, runs, label=label, required=True, view=types.DropdownView())
    return ctx.params.get(name)
