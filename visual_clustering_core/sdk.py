"""One-call SDK: ``compute_visual_clusters(dataset, "run_key", brain_key="umap")``, and the baseline runs."""

import time

import numpy as np

from . import __version__
from .baselines import check_baseline, make_baseline, rank_by_size
from .estimator import VisualClustering
from .features import from_brain_run, from_embeddings_field
from .encoding import encode_array
from .journal import RUN_KIND, repair_runs
from .runs import check_brain_key, check_new_run, save_run
from .saved_projections import default_brain_key, reusable_projection


def load_features(sample_collection, brain_key=None, embeddings_field=None, projection="umap", reuse_of=None, progress=None):
    """2-D points from exactly one source: a visualization brain run, or an embeddings field.

    ``reuse_of``: the embeddings field and projection the brain run ``brain_key`` holds (a saved projection).
    """
    if (brain_key is None) == (embeddings_field is None):
        raise ValueError("give exactly one source of points: brain_key (a visualization run) or embeddings_field.")
    if brain_key is None:
        return from_embeddings_field(sample_collection, embeddings_field, projection=projection, progress=progress)
    features = from_brain_run(sample_collection, brain_key)
    if reuse_of:
        features.source = dict(type="embeddings_field", **reuse_of, projection_brain_key=brain_key)
    return features


def save_visualization(sample_collection, features, brain_key):
    """Store projected points as a `manual` visualization brain run, for the Embeddings panel."""
    import fiftyone.brain as fob

    fob.compute_visualization(
        sample_collection._dataset.select(features.sample_ids, ordered=True),
        points=features.points,
        method="manual",
        brain_key=brain_key,
    )


def compute_visual_clusters(
    sample_collection,
    run_key,
    brain_key=None,
    embeddings_field=None,
    projection="umap",
    save_brain_key=None,
    label_field=None,
    label_type="string",
    overwrite=False,
    progress=None,
    **hyperparameters,
):
    """Cluster a collection's 2-D points visually; save a run and a label field; return the run results.

    Args:
        sample_collection: a FiftyOne dataset or view (only its samples are clustered and labelled)
        run_key: key of the custom run to save (a Python identifier)
        brain_key: a visualization brain run whose points are clustered (sample or patch level)
        embeddings_field: or a field of embeddings, projected to 2-D unless already 2-D
        projection: "umap" or "pca", for ``embeddings_field``
        save_brain_key: the visualization run the projection of ``embeddings_field`` is saved as, for the
            Embeddings panel; by default ``<run_key>_<projection>``, or the projection an earlier run saved
            from the same field (reused, not recomputed); False: not saved
        label_field: field for the cluster labels ("0", "1", ..., zero-padded past 10 clusters, "noise"); default: ``run_key``
        label_type: "string" (a string field), or "classification": ``fo.Classification`` labels, for FiftyOne's
            label filters and evaluation (sample-level runs only)
        overwrite: replace this plugin's own run of that key, the field it wrote and the visualization it saved
            (never another field or run); the old ones stay until the new ones are complete
        progress: optional ``callable(fraction, label)``
        **hyperparameters: ``VisualClustering`` parameters by name (``VisualClustering().get_params()``)
    """
    try:
        estimator = VisualClustering(**hyperparameters)
    except TypeError:
        known = ", ".join(VisualClustering().get_params())
        raise ValueError(f"unknown hyperparameter in {sorted(hyperparameters)}; VisualClustering takes {known}.") from None
    estimator._check_params()

    def cluster(points):
        estimator.fit(points)
        images = dict(mask=encode_array(estimator.mask_.astype(np.uint8)), label_map=encode_array(estimator.label_map_))
        return estimator.labels_, estimator.get_params(), images

    sources = dict(brain_key=brain_key, embeddings_field=embeddings_field, projection=projection)
    return _cluster_and_save(
        sample_collection, run_key, "visual_clustering", cluster, sources, save_brain_key, label_field, label_type, overwrite, progress
    )


def compute_baseline_clusters(
    sample_collection,
    run_key,
    method="kmeans",
    brain_key=None,
    embeddings_field=None,
    projection="none",
    save_brain_key=None,
    label_field=None,
    label_type="string",
    overwrite=False,
    progress=None,
    n_clusters=8,
    min_cluster_size=5,
    min_samples=None,
):
    """Cluster with k-means or HDBSCAN into the same kind of run and label field as visual clustering.

    Args:
        method: "kmeans" (``n_clusters``; MiniBatchKMeans above 100,000 points) or
            "hdbscan" (``min_cluster_size``, ``min_samples``)
        projection: "none" clusters an embeddings field's raw vectors; "umap" or "pca" project them first
        the other arguments: as for ``compute_visual_clusters``
    """
    check_baseline(method, n_clusters, min_cluster_size, min_samples)

    def cluster(points):
        estimator, params = make_baseline(method, len(points), n_clusters, min_cluster_size, min_samples)
        return rank_by_size(estimator.fit_predict(points)), params, {}

    sources = dict(brain_key=brain_key, embeddings_field=embeddings_field, projection=projection)
    return _cluster_and_save(
        sample_collection, run_key, method, cluster, sources, save_brain_key, label_field, label_type, overwrite, progress
    )


def _cluster_and_save(sample_collection, run_key, method, cluster, sources, save_brain_key, label_field, label_type, overwrite, progress):
    """Load the points, ``cluster(points) -> (labels, params, images)``, and save the run, all or nothing."""
    started = time.perf_counter()
    label_field = label_field or run_key
    check_collection(sample_collection)
    dataset = sample_collection._dataset
    repair_runs(dataset)
    brain_key = sources["brain_key"]
    patches_field = dataset.get_brain_info(brain_key).config.patches_field if brain_key in dataset.list_brain_runs() else None
    check_new_run(sample_collection, run_key, label_field, overwrite, patches_field, label_type)
    check_brain_key(dataset, save_brain_key, overwrite)
    progress = progress or (lambda fraction, label: None)
    sources, save_brain_key, owned = _projection_plan(sample_collection, run_key, sources, save_brain_key, overwrite)
    check_brain_key(dataset, save_brain_key, overwrite)
    progress(0.0, "loading points")
    features = load_features(sample_collection, **sources, progress=progress)
    if save_brain_key and features.points.shape[1] != 2:
        raise ValueError("only 2-D points can be saved as a visualization run; choose projection 'umap' or 'pca'.")
    loaded = time.perf_counter()
    progress(0.4, f"clustering {len(features.points):,} points")
    labels, params, images = cluster(features.points)
    clustered = time.perf_counter()
    config = dict(
        method=method,
        label_field=label_field,
        label_type=label_type,
        source=features.source,
        patches_field=features.patches_field,
        params=params,
        n_points=len(features.points),
        n_missing=features.n_missing,
        save_brain_key=save_brain_key or owned,
        plugin_version=__version__,
    )
    timings = {"load_s": loaded - started - features.project_s, "project_s": features.project_s, "cluster_s": clustered - loaded}
    saver = (lambda key: save_visualization(sample_collection, features, key)) if save_brain_key else None
    return save_run(sample_collection, run_key, config, features, labels, dict(images, timings=timings), overwrite, progress, saver)


def _projection_plan(sample_collection, run_key, sources, save_brain_key, overwrite):
    """The points' sources, the brain run to save the projection as, and a reused projection this run takes over.

    An embeddings field's projection is saved by default, or reused when an earlier run saved it (the run
    being overwritten hands its own projection over).
    """
    field, projection = sources["embeddings_field"], sources["projection"]
    if field is None or save_brain_key is False:
        return sources, None, None
    if save_brain_key is not None or projection == "none":
        return sources, save_brain_key, None
    reused = reusable_projection(sample_collection, field, projection)
    if reused is None:
        return sources, default_brain_key(run_key, projection), None
    dataset = sample_collection._dataset
    replaced = overwrite and run_key in dataset.list_runs(kind=RUN_KIND)
    owned = reused if replaced and getattr(dataset.get_run_info(run_key).config, "save_brain_key", None) == reused else None
    return dict(brain_key=reused, reuse_of=dict(embeddings_field=field, projection=projection)), None, owned


def check_collection(sample_collection):
    """Refuse collections whose labels would land where the user does not see them, and empty ones."""
    dataset = sample_collection._dataset
    if dataset._is_generated:
        kind = "patches" if dataset._is_patches else "frames" if dataset._is_frames else "clips"
        raise ValueError(
            f"this is a {kind} view: its samples live in a temporary dataset, so labels written there would not reach "
            "your dataset. Run on the dataset itself (or a view of its samples); to cluster objects, compute a "
            "patch-level visualization with fiftyone.brain.compute_visualization(dataset, patches_field=...) and pass its brain_key."
        )
    if len(sample_collection) == 0:
        raise ValueError("the collection is empty: there is nothing to cluster. Choose a view with samples.")
