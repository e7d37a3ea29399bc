"""Small form builders shared by the operators."""

import fiftyone.brain as fob
import fiftyone.operators.types as types

from ..visual_clustering_core import VisualClustering
from ..visual_clustering_core.clip import INSTALL, openclip_installed
from ..visual_clustering_core.projection import PROJECTIONS
from ..visual_clustering_core.journal import field_path
from ..visual_clustering_core.runs import check_label_field, check_label_type, check_run_key, list_clustering_runs
from ..visual_clustering_core.saved_projections import default_brain_key, saved_projections

ICON = "/assets/icon.svg"
DELEGATE_ABOVE = 100_000

# name: (type, label, help); the type is the form's, so 2.5 stays 2.5 where the estimator takes a float
HYPERPARAMETERS = {
    "resolution": (int, "Image size (pixels)", "Side of the square image the points are drawn into (multiple of 16, 32 to 2048)"),
    "denoise": (int, "Denoise (median filter size)", "3 or 5 cuts thin bridges between clusters before segmentation (0: off)"),
    "grow": (float, "Grow (pixels)", "Points within this many pixels of a cluster join it; farther ones are noise unless reach or strays lets them join"),
    "reach": (float, "Reach (x cluster radius)", "Points within this multiple of a cluster's radius also join it (0: only grow)"),
    "strays": (float, "Strays (x their spacing)", "Scattered points left over join the nearest cluster within this multiple of their median spacing; close-set ones stay noise, or a cluster of their own where a wide gap parts them from the rest (0: none joins)"),
    "threshold": (float, "Area threshold (probability)", "Above it a pixel is cluster area; lower it for fewer noise points"),
    "min_cluster_size": (int, "Smallest cluster (points)", "Areas with fewer points are no clusters: their points join a near cluster or become noise"),
    "persistence": (float, "Valley depth (x lower peak)", "Touching groups split where the density between them falls below this fraction of the lower one's peak; lower: fewer clusters"),
    "significance": (float, "Valley significance (sd)", "...and the dip is this many standard deviations deep for the points there; higher: fewer clusters"),
    "keep_aspect": (bool, "Keep the aspect ratio", "Scale both axes equally, as the Embeddings panel shows them"),
    "device": (("cpu", "cuda", "auto"), "Device", "Where the network runs: cpu, cuda, or auto"),
    "segmenter": (("unet", "threshold"), "Segmenter", "unet: the trained network marks cluster areas; threshold: a density threshold (no network)"),
    "weights": (str, "U-Net weights file", "Path of other weights written by the training script (empty: the shipped ones)"),
}
SOURCE_PARAMS = {"source", "brain_key", "embeddings_field", "projection", "save_brain_key", "clip_model", "clip_pretrained"}
RUN_PARAMS = {"run_key", "label_field", "label_type", "overwrite", "delegate", "view_target", "view", "advanced"}


def hyperparameters(ctx):
    """The VisualClustering hyperparameters in ``ctx.params``, defaults filled in, as given (never truncated)."""
    defaults = VisualClustering().get_params()
    return {name: defaults[name] if ctx.params.get(name) in (None, "") else ctx.params[name] for name in HYPERPARAMETERS}


def check_known_params(params, known):
    """Refuse parameters the operator does not take, instead of dropping them silently."""
    unknown = sorted(name for name, value in params.items() if value is not None and name not in known)
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)}; this operator takes {', '.join(sorted(known))}.")


def hyperparameter_inputs(ctx, inputs):
    """Behind a switch, one input per hyperparameter with its default, a one-line help and the estimator's check."""
    inputs.bool("advanced", default=False, label="Advanced: hyperparameters", description="The defaults need no tuning",
                view=types.SwitchView())
    if not ctx.params.get("advanced"):
        return
    defaults = VisualClustering().get_params()
    for name, (kind, label, help_text) in HYPERPARAMETERS.items():
        default = defaults[name]
        value = ctx.params.get(name)
        error = "" if value in (None, "") else _error(lambda: VisualClustering(**{name: value})._check_params())
        common = dict(label=label, description=help_text, invalid=bool(error), error_message=error)
        if kind is bool:
            inputs.bool(name, default=default, view=types.CheckboxView(), **common)
        elif kind is int:
            inputs.int(name, default=default, min=0, **common)
        elif kind is float:
            inputs.float(name, default=float(default), min=0, **common)
        elif kind is str:
            inputs.str(name, default=default, **common)
        else:
            inputs.enum(name, list(kind), default=default, **common)


def baseline_inputs(ctx, inputs):
    """The method (k-means or HDBSCAN) and its parameters."""
    methods = types.RadioGroup()
    methods.add_choice("kmeans", label="k-means", description="scikit-learn KMeans (MiniBatchKMeans above 100,000 points)")
    methods.add_choice("hdbscan", label="HDBSCAN", description="Density-based; labels sparse points noise")
    inputs.enum("method", methods.values(), default="kmeans", label="Method", view=methods)
    if (ctx.params.get("method") or "kmeans") == "kmeans":
        inputs.int("n_clusters", default=8, min=1, label="Number of clusters (k)", description="k-means makes exactly this many clusters and labels no point noise")
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


def source_inputs(ctx, inputs, run_key, projections=PROJECTIONS, openclip=True):
    """Where the points come from: a visualization run, or an embeddings field (projected with one of ``projections``)."""
    runs, fields = visualization_runs(ctx.dataset), embedding_fields(ctx.dataset)
    choices = types.RadioGroup()
    choices.add_choice("brain_run", label="Visualization run", description="Points of a compute_visualization run")
    choices.add_choice("embeddings_field", label="Embeddings field", description="Vectors, " + " or ".join(projections) + " projected")
    if openclip:
        choices.add_choice("openclip", label="OpenCLIP embeddings", description="Embed the images with OpenCLIP first (downloads the model's weights on first use)")
    default = "brain_run" if runs else "embeddings_field"
    source = ctx.params.get("source") or ("embeddings_field" if ctx.params.get("embeddings_field") else default)
    inputs.enum("source", choices.values(), default=default, label="Points from", view=choices)
    if source == "brain_run":
        if not runs:
            inputs.view("no_runs", types.Warning(label="This dataset has no visualization run; choose another source."))
        inputs.enum("brain_key", runs, default=runs[0] if runs else None, label="Visualization run", required=bool(runs), view=types.DropdownView())
        return
    if source == "openclip":
        if not openclip_installed():
            inputs.view("no_openclip", types.Error(label=f"OpenCLIP is not installed: {INSTALL}"))
        inputs.str("clip_model", default="ViT-B-32", label="OpenCLIP model", description="An open_clip model name")
        inputs.str("clip_pretrained", default="openai", label="Pretrained tag", description="Weights tag, e.g. openai or laion2b_s34b_b79k")
        inputs.str("embeddings_field", default="clip_embeddings", label="Store embeddings in", required=True)
    else:
        inputs.enum("embeddings_field", fields, default=fields[0] if len(fields) == 1 else None, label="Embeddings field", required=True, view=types.DropdownView())
    inputs.enum("projection", list(projections), default=projections[0], label="Projection", view=types.RadioGroup())
    projection_inputs(ctx, inputs, ctx.params.get("projection") or projections[0], run_key)


def projection_inputs(ctx, inputs, projection, run_key):
    """Where the projection is saved for the Embeddings panel, or which saved one is reused."""
    if projection == "none":
        return
    field = ctx.params.get("embeddings_field")
    saved = saved_projections(ctx.dataset, field, projection) if field else []
    if saved:
        inputs.view("reused_projection", types.Notice(label=f"Reuses the {projection.upper()} projection {saved[0]!r} an earlier run saved (when it covers these samples)."))
        return
    inputs.str("save_brain_key", default=default_brain_key(run_key, projection), label="Save the projection as",
               description="Visualization run for the Embeddings panel; later runs on this field reuse it; deleted with the run")


def patches_field(ctx):
    """The patches field of the chosen visualization run; None for sample-level sources."""
    brain_key = ctx.params.get("brain_key") if ctx.params.get("source") in (None, "brain_run") else None
    if brain_key not in visualization_runs(ctx.dataset):
        return None
    return ctx.dataset.get_brain_info(brain_key).config.patches_field


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


def free_key(dataset, base):
    """``base``, or ``base_2``, ``base_3``, ... : the first key no run and no field of the dataset uses."""
    taken = set(dataset.list_runs()) | set(dataset.get_field_schema())
    return next(key for key in [base] + [f"{base}_{i}" for i in range(2, 1000)] if key not in taken)


def _error(check):
    """The message of the ValueError ``check()`` raises, or "" when it passes."""
    try:
        check()
    except ValueError as error:
        return str(error)
    return ""


def run_key_inputs(ctx, inputs, default_key, patches_field=None):
    """Run key, label field and overwrite, each marked invalid on the form with the SDK's own message."""
    params, dataset = ctx.params, ctx.dataset
    overwrite = bool(params.get("overwrite"))
    run_key = params.get("run_key") or default_key
    key_error = _error(lambda: check_run_key(dataset, run_key, overwrite))
    replaced = run_key if not key_error and run_key in dataset.list_runs() else None
    label_field = params.get("label_field") or run_key
    field_error = _error(lambda: check_label_field(dataset, label_field, replaced, patches_field))
    type_error = "" if field_error else _error(lambda: check_label_type(
        dataset, params.get("label_type", "string"), field_path(dataset, label_field, patches_field), replaced, patches_field))
    inputs.str("run_key", default=default_key, label="Run key", required=True, description="A Python identifier",
               invalid=bool(key_error), error_message=key_error)
    inputs.str("label_field", label="Label field", description="Field for the cluster labels; defaults to the run key",
               invalid=bool(field_error), error_message=field_error)
    label_types = types.RadioGroup(orientation="horizontal")
    label_types.add_choice("string", label="Text", description="A string field: \"00\", \"01\", ..., \"noise\"")
    label_types.add_choice("classification", label="Classification",
                           description="fo.Classification labels, for FiftyOne's label filters and evaluate_classifications")
    inputs.enum("label_type", label_types.values(), default="string", label="Label type", view=label_types,
                invalid=bool(type_error), error_message=type_error)
    inputs.bool("overwrite", default=False, label="Overwrite",
                description="Replace this plugin's run of that key and the field it wrote (never another field)")


def delegation_inputs(inputs, n_samples):
    """The Delegate box where this FiftyOne can run operations in the background; otherwise how to enable it."""
    import fiftyone as fo

    if not fo.config.allow_legacy_orchestrators:
        inputs.view("no_delegation", types.Notice(label=(
            "Runs here execute now. To run them in the background, start the App with "
            "FIFTYONE_ALLOW_LEGACY_ORCHESTRATORS=true and run `fiftyone delegated launch` beside it."
        )))
        return
    inputs.bool("delegate", default=n_samples > DELEGATE_ABOVE, label="Delegate",
                description="Run in the background (`fiftyone delegated launch` executes it; recommended above 100,000 samples)")


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
        inputs.list(name, types.String(), default=runs[-2:], label=label, required=True, view=choices)
        return ctx.params.get(name) or runs[-2:]
    inputs.enum(name, runs, default=runs[-1], label=label, required=True, view=types.DropdownView())
    return ctx.params.get(name) or runs[-1]


def picture_markdown(run):
    """The run's picture (``plotting.run_picture``) as an inline markdown image; "" when it has none."""
    import base64
    import tempfile
    from pathlib import Path

    from ..visual_clustering_core.plotting import run_picture

    with tempfile.TemporaryDirectory() as folder:
        path = run_picture(run, Path(folder) / "run.png")
        return f"![{run.run_key}](data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()})" if path else ""
