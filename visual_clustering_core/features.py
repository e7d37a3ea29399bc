"""2-D points of a FiftyOne collection: from a visualization brain run or an embeddings field."""

import time
import warnings
from dataclasses import dataclass

import numpy as np

from .projection import project


@dataclass
class Features:
    """Points row-aligned with the samples (or, for patch runs, the labels) they belong to."""

    points: np.ndarray
    sample_ids: list
    label_ids: list = None
    patches_field: str = None
    source: dict = None
    n_missing: int = 0
    project_s: float = 0.0  # seconds spent projecting


def from_brain_run(sample_collection, brain_key):
    """The points of a visualization brain run, restricted to the collection's samples (or patches)."""
    import fiftyone.brain as fob

    dataset = sample_collection._dataset
    if brain_key not in dataset.list_brain_runs(type=fob.Visualization):
        available = ", ".join(dataset.list_brain_runs(type=fob.Visualization)) or "none"
        raise ValueError(
            f"{brain_key!r} is not a visualization brain run of dataset {dataset.name!r} (available: {available}). "
            "Create one with fiftyone.brain.compute_visualization(..., brain_key=...)."
        )
    patches_field = dataset.get_brain_info(brain_key).config.patches_field
    if patches_field and dataset._is_frame_field(patches_field):
        raise ValueError(
            f"brain run {brain_key!r} holds frame-level points ({patches_field!r}); visual clustering labels samples or "
            "sample-level patches. Compute a visualization of the samples, or of a sample-level label field."
        )
    results = dataset.load_brain_results(brain_key)
    results.use_view(sample_collection.view(), allow_missing=True)
    points = np.asarray(results.current_points, dtype=np.float32)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"brain run {brain_key!r} has {points.shape[-1]}-D points; visual clustering needs 2-D.")
    if len(points) == 0:
        raise ValueError(
            f"no sample of this view has a point in brain run {brain_key!r}"
            + (f" (the view shows group slice {sample_collection.group_slice!r}; select the slice the run was computed on)"
               if sample_collection.media_type == "group" else "")
            + "; choose a view of the samples the run was computed on, or another run."
        )
    label_ids = results.current_label_ids
    return Features(
        points=points,
        sample_ids=list(results.current_sample_ids),
        label_ids=list(label_ids) if label_ids is not None else None,
        patches_field=patches_field,
        source={"type": "brain_run", "brain_key": brain_key},
        n_missing=len(sample_collection) - len(points) if label_ids is None else 0,
    )


def from_embeddings_field(sample_collection, embeddings_field, projection="umap", random_state=0, progress=None):
    """The embeddings stored in a sample field, projected to 2-D; samples without one (or with NaN/inf) are left out."""
    check_embeddings_field(sample_collection, embeddings_field)
    ids, vectors = sample_collection.values(["id", embeddings_field])
    keep = [i for i, v in enumerate(vectors) if v is not None]
    if not keep:
        raise ValueError(f"no sample in this collection has a value in {embeddings_field!r}; compute embeddings first.")
    try:
        X = np.stack([np.asarray(vectors[i], dtype=np.float32).ravel() for i in keep])
    except (TypeError, ValueError) as error:
        raise ValueError(f"the values of {embeddings_field!r} are not numeric vectors of one length: {error}") from None
    finite = np.isfinite(X).all(axis=1)
    if not finite.all():
        warnings.warn(
            f"{int((~finite).sum())} of {len(X)} embeddings in {embeddings_field!r} hold NaN or inf; those samples are "
            "left out (no label).",
            stacklevel=3,
        )
        keep = [i for i, ok in zip(keep, finite) if ok]
        X = X[finite]
        if not keep:
            raise ValueError(f"every embedding in {embeddings_field!r} holds NaN or inf; recompute the embeddings.")
    if progress is not None and X.shape[1] > 2 and projection != "none":
        progress(0.1, f"projecting {len(X):,} embeddings with {projection.upper()}")
    started = time.perf_counter()
    points = project(X, method=projection, random_state=random_state)
    return Features(
        points=points,
        project_s=time.perf_counter() - started,
        sample_ids=[ids[i] for i in keep],
        source={
            "type": "embeddings_field",
            "embeddings_field": embeddings_field,
            "dimensions": int(X.shape[1]),
            "projection": projection if X.shape[1] > 2 else None,
        },
        n_missing=len(ids) - len(keep),
    )


def check_embeddings_field(sample_collection, embeddings_field):
    """Refuse a missing field, or one that cannot hold vectors (a label, a number, a string)."""
    import fiftyone as fo

    schema = sample_collection.get_field_schema(flat=True)
    if embeddings_field not in schema:
        raise ValueError(
            f"{embeddings_field!r} is not a field of this collection. Compute embeddings first, e.g. "
            "collection.compute_embeddings(model, embeddings_field=...), or use the OpenCLIP option."
        )
    field = schema[embeddings_field]
    if not isinstance(field, (fo.VectorField, fo.ListField, fo.ArrayField)):
        kind = getattr(field, "document_type", None).__name__ if isinstance(field, fo.EmbeddedDocumentField) else type(field).__name__
        raise ValueError(
            f"{embeddings_field!r} holds {kind} values, not embedding vectors; choose a field of vectors "
            "(a VectorField or a list of numbers), e.g. one written by compute_embeddings."
        )
