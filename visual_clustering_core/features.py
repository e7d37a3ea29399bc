"""2-D points of a FiftyOne collection: from a visualization brain run or an embeddings field."""

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
    results = dataset.load_brain_results(brain_key)
    results.use_view(sample_collection.view())
    points = np.asarray(results.current_points, dtype=np.float32)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"brain run {brain_key!r} has {points.shape[-1]}-D points; visual clustering needs 2-D.")
    label_ids = results.current_label_ids
    return Features(
        points=points,
        sample_ids=list(results.current_sample_ids),
        label_ids=list(label_ids) if label_ids is not None else None,
        patches_field=results.config.patches_field,
        source={"type": "brain_run", "brain_key": brain_key},
        n_missing=len(sample_collection) - len(points) if label_ids is None else 0,
    )


def from_embeddings_field(sample_collection, embeddings_field, projection="umap", random_state=0):
    """The embeddings stored in a sample field, projected to 2-D; samples without one are left out."""
    schema = sample_collection.get_field_schema(flat=True)
    if embeddings_field not in schema:
        raise ValueError(
            f"{embeddings_field!r} is not a field of this collection. Compute embeddings first, e.g. "
            "collection.compute_embeddings(model, embeddings_field=...), or use the OpenCLIP option."
        )
    ids, vectors = sample_collection.values(["id", embeddings_field])
    keep = [i for i, v in enumerate(vectors) if v is not None]
    if not keep:
        raise ValueError(f"no sample in this collection has a value in {embeddings_field!r}.")
    try:
        X = np.stack([np.asarray(vectors[i], dtype=np.float32).ravel() for i in keep])
    except ValueError as error:
        raise ValueError(f"the values of {embeddings_field!r} are not vectors of one length: {error}") from None
    return Features(
        points=project(X, method=projection, random_state=random_state),
        sample_ids=[ids[i] for i in keep],
        source={
            "type": "embeddings_field",
            "embeddings_field": embeddings_field,
            "dimensions": int(X.shape[1]),
            "projection": projection if X.shape[1] > 2 else None,
        },
        n_missing=len(ids) - len(keep),
    )
