"""Clustering runs on FiftyOne datasets: custom runs plus the label field they write.

A run is saved only once its labels are written, and its label field appears
only once the run is saved: the labels go to a pending field first, which is
renamed into place last, so a failure leaves the dataset as it was.
"""

import base64
import uuid
from dataclasses import dataclass

import numpy as np

RUN_KIND = "clustering"
NOISE = "noise"
_RESERVED = {"id", "_id", "filepath", "tags", "metadata", "created_at", "last_modified_at", "media_type"}


def encode_array(array):
    """A JSON-safe dict holding a numpy array."""
    array = np.ascontiguousarray(array)
    return {"dtype": str(array.dtype), "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode()}


def decode_array(encoded):
    return np.frombuffer(base64.b64decode(encoded["data"]), dtype=encoded["dtype"]).reshape(encoded["shape"])


def label_values(labels):
    """The label field's values: the cluster number as a string ("0", "1", ...), "noise" for -1.

    Strings make the Embeddings panel and the sidebar treat clusters as categories.
    """
    return [NOISE if label < 0 else str(label) for label in np.asarray(labels).tolist()]


def check_new_run(sample_collection, run_key, label_field, overwrite, patches_field=None):
    """Raise a ValueError saying what to do if the run or its field would clobber something."""
    dataset = sample_collection._dataset
    if not isinstance(run_key, str) or not run_key.isidentifier():
        raise ValueError(f"run_key must be a valid Python identifier, like 'visual_clusters'; got {run_key!r}.")
    if not isinstance(label_field, str) or not label_field.isidentifier() or label_field in _RESERVED:
        raise ValueError(f"label_field must be an identifier that is not a built-in field; got {label_field!r}.")
    if run_key in dataset.list_runs() and not overwrite:
        raise ValueError(f"dataset {dataset.name!r} already has a run {run_key!r}; choose another run_key or pass overwrite=True.")
    path = field_path(dataset, label_field, patches_field)
    if dataset.has_field(path) and not overwrite:
        raise ValueError(
            f"field {path!r} already exists on dataset {dataset.name!r}; choose another label_field or pass overwrite=True."
        )


def field_path(dataset, label_field, patches_field=None):
    """Where the labels live: a sample field, or an attribute of each label of a patches field."""
    if patches_field is None:
        return label_field
    return dataset._get_label_field_path(patches_field, label_field)[1]


@dataclass
class ClusteringRun:
    """A saved clustering run, decoded: what was run and what it found."""

    run_key: str
    config: dict
    labels: np.ndarray
    sample_ids: list
    label_ids: list
    points: np.ndarray  # the 2-D points clustered; None for runs on raw high-dimensional vectors
    cluster_sizes: list
    timings: dict
    images: dict

    @property
    def n_clusters(self):
        return len(self.cluster_sizes)


def save_run(sample_collection, run_key, config, features, labels, extra=None, overwrite=False, progress=None):
    """Write the labels and save the run, all or nothing; returns the FiftyOne run results."""
    dataset = sample_collection._dataset
    label_field = config["label_field"]
    patches_field = features.patches_field
    check_new_run(sample_collection, run_key, label_field, overwrite, patches_field)
    pending = f"{label_field}_pending_{uuid.uuid4().hex[:8]}"
    pending_path = field_path(dataset, pending, patches_field)
    old_field = None
    if run_key in dataset.list_runs():
        old_field = getattr(dataset.get_run_info(run_key).config, "label_field", None)
    registered = False
    try:
        _write_labels(dataset, features, pending_path, label_values(labels))
        _report(progress, 0.8, "saving the run")
        run_config = sample_collection.init_run(kind=RUN_KIND, **config)
        sample_collection.register_run(run_key, run_config, overwrite=overwrite)
        registered = True
        results = sample_collection.init_run_results(
            run_key,
            labels=encode_array(np.asarray(labels, dtype=np.int32)),
            points=encode_array(np.asarray(features.points, dtype=np.float32)) if features.points.shape[1] == 2 else None,
            sample_ids=list(features.sample_ids),
            label_ids=list(features.label_ids) if features.label_ids is not None else None,
            cluster_sizes=np.bincount(labels[labels >= 0]).tolist() if (labels >= 0).any() else [],
            **(extra or {}),
        )
        sample_collection.save_run_results(run_key, results)
        _report(progress, 0.95, "writing the label field")
        target = field_path(dataset, label_field, patches_field)
        for stale in {target, field_path(dataset, old_field, patches_field) if old_field else None} - {None}:
            if dataset.has_field(stale):
                dataset.delete_sample_field(stale)
        dataset.rename_sample_field(pending_path, target)
    except BaseException:
        if dataset.has_field(pending_path):
            dataset.delete_sample_field(pending_path)
        if registered and run_key in dataset.list_runs():
            dataset.delete_run(run_key)
        raise
    return results


def _report(progress, fraction, label):
    if progress is not None:
        progress(fraction, label)


def _write_labels(dataset, features, path, values):
    """Write by id: each value lands on its own sample (or label); the others stay unset."""
    if features.label_ids is None:
        dataset.set_values(path, dict(zip(features.sample_ids, values)), key_field="id")
    else:
        dataset.set_label_values(
            path,
            [{"sample_id": s, "label_id": l, "value": v} for s, l, v in zip(features.sample_ids, features.label_ids, values)],
            dynamic=True,
        )


def list_clustering_runs(sample_collection, method=None):
    """Keys of the clustering runs on the collection's dataset (optionally of one method)."""
    kwargs = {"method": method} if method else {}
    return sample_collection._dataset.list_runs(kind=RUN_KIND, **kwargs)


def _check_run(dataset, run_key):
    if run_key not in list_clustering_runs(dataset):
        runs = ", ".join(list_clustering_runs(dataset)) or "none"
        raise ValueError(f"{run_key!r} is not a clustering run of dataset {dataset.name!r} (clustering runs: {runs}).")


def load_clustering_run(sample_collection, run_key):
    """The decoded results of a clustering run."""
    dataset = sample_collection._dataset
    _check_run(dataset, run_key)
    results = dataset.load_run_results(run_key, cache=False, load_view=False)
    images = {name: decode_array(getattr(results, name)) for name in ("mask", "label_map") if hasattr(results, name)}
    return ClusteringRun(
        run_key=run_key,
        config=run_info_dict(dataset, run_key)["config"],
        labels=decode_array(results.labels),
        sample_ids=results.sample_ids,
        label_ids=results.label_ids,
        points=decode_array(results.points) if results.points else None,
        cluster_sizes=results.cluster_sizes,
        timings=getattr(results, "timings", {}),
        images=images,
    )


def run_info_dict(sample_collection, run_key):
    """Key, method, UTC timestamp and config of a clustering run, as plain data."""
    dataset = sample_collection._dataset
    _check_run(dataset, run_key)
    info = dataset.get_run_info(run_key)
    config = {k: v for k, v in info.config.serialize().items() if k not in ("cls", "type", "kind")}
    return {
        "run_key": run_key,
        "method": info.config.method,
        "timestamp": info.timestamp.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "config": config,
    }


def rename_clustering_run(sample_collection, run_key, new_run_key, new_label_field=None):
    """Rename a run and its label field (to ``new_label_field``, by default the new run key)."""
    dataset = sample_collection._dataset
    _check_run(dataset, run_key)
    info = dataset.get_run_info(run_key)
    new_label_field = new_label_field or new_run_key
    patches_field = getattr(info.config, "patches_field", None)
    old_path = field_path(dataset, info.config.label_field, patches_field)
    new_path = field_path(dataset, new_label_field, patches_field)
    if new_path == old_path:  # only the key changes
        check_new_run(dataset, new_run_key, "unused", overwrite=False)
    else:
        check_new_run(dataset, new_run_key, new_label_field, overwrite=False, patches_field=patches_field)
    dataset.rename_run(run_key, new_run_key)
    if new_path != old_path and dataset.has_field(old_path):
        dataset.rename_sample_field(old_path, new_path)
    config = dataset.get_run_info(new_run_key).config
    config.label_field = new_label_field
    dataset.update_run_config(new_run_key, config)


def delete_clustering_run(sample_collection, run_key):
    """Delete a run and the label field it wrote."""
    dataset = sample_collection._dataset
    _check_run(dataset, run_key)
    config = dataset.get_run_info(run_key).config
    path = field_path(dataset, config.label_field, getattr(config, "patches_field", None))
    if dataset.has_field(path):
        dataset.delete_sample_field(path)
    dataset.delete_run(run_key)


def cluster_view(sample_collection, run_key, cluster):
    """The samples (or, for patch runs, the labels) of one cluster; ``cluster=-1`` for noise."""
    from fiftyone import ViewField as F

    dataset = sample_collection._dataset
    _check_run(dataset, run_key)
    config = dataset.get_run_info(run_key).config
    value = NOISE if int(cluster) < 0 else str(int(cluster))
    patches_field = getattr(config, "patches_field", None)
    if patches_field is None:
        return sample_collection.match(F(config.label_field) == value)
    return sample_collection.filter_labels(patches_field, F(config.label_field) == value)
