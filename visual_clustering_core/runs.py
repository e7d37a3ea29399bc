"""Clustering runs on FiftyOne datasets: custom runs plus the label field they write.

A run and its field are the plugin's own: ``overwrite=True`` replaces only the
run of that key and the field that run wrote; a user's field, another run's
field or another kind of run is refused whatever the flag. Saving is
crash-consistent (see ``journal.py``): the labels are written once, the run
being replaced stays whole until the new one is complete, and whatever a
failed or killed save left behind is finished or rolled back by the next
call on the dataset.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from . import journal
from .app_colours import forget_noise_colour, move_noise_colour
from .encoding import cluster_value, decode_array, encode_array, label_values
from .journal import CLASSIFICATION, LABEL_TYPES, RUN_KIND, field_exists, field_path, holds_run_labels, path_of, repair_runs
from .saved_projections import release_projection
_RESERVED = {"id", "_id", "filepath", "tags", "metadata", "created_at", "last_modified_at", "media_type"}


def check_key(run_key, what="run_key"):
    if not isinstance(run_key, str) or not run_key.isidentifier() or run_key.startswith("_"):
        raise ValueError(f"{what} must be a Python identifier that does not start with '_', like 'visual_clusters'; got {run_key!r}.")


def check_new_run(sample_collection, run_key, label_field, overwrite, patches_field=None, label_type="string"):
    """Raise a ValueError saying what to do if the run or its field would clobber something.

    Returns the key of the clustering run this one replaces (``overwrite=True``), or None.
    """
    dataset = sample_collection._dataset
    replaced = check_run_key(dataset, run_key, overwrite)
    check_label_field(dataset, label_field, replaced, patches_field)
    check_label_type(dataset, label_type, field_path(dataset, label_field, patches_field), replaced, patches_field)
    return replaced


def check_label_type(dataset, label_type, path, replaced=None, patches_field=None):
    """Refuse an unknown label type, classifications of patches, and a change of type within one field."""
    if label_type not in LABEL_TYPES:
        raise ValueError(f"label_type must be one of {', '.join(LABEL_TYPES)}; got {label_type!r}.")
    if label_type == CLASSIFICATION and patches_field is not None:
        raise ValueError(
            "label_type 'classification' is for sample-level runs: a patch's cluster is an attribute of its label. "
            "Use label_type 'string'."
        )
    if replaced and path_of(dataset, replaced) == path and (label_type == CLASSIFICATION) != journal.is_classification(dataset, replaced):
        raise ValueError(
            f"run {replaced!r} wrote {'classifications' if label_type != CLASSIFICATION else 'strings'} to field {path!r}; "
            f"a run of label_type {label_type!r} cannot replace them there: choose another label_field, or delete run "
            f"{replaced!r} first."
        )


def check_run_key(dataset, run_key, overwrite):
    """Refuse a key that is no public identifier, or names a run that may not be replaced; returns the replaced run."""
    check_key(run_key)
    if run_key not in dataset.list_runs():
        return None
    if run_key not in dataset.list_runs(kind=RUN_KIND):
        raise ValueError(
            f"{run_key!r} is a run of another kind on dataset {dataset.name!r}, not a clustering run; overwrite "
            "replaces only clustering runs: choose another run_key."
        )
    if not overwrite:
        raise ValueError(f"dataset {dataset.name!r} already has a clustering run {run_key!r}; choose another run_key or pass overwrite=True.")
    return run_key


def check_label_field(dataset, label_field, replaced=None, patches_field=None):
    """Refuse a label field name that is not allowed, or a field that holds anything but the replaced run's labels."""
    if not isinstance(label_field, str) or not label_field.isidentifier() or label_field in _RESERVED or label_field.startswith("_"):
        raise ValueError(f"label_field must be an identifier that is not a built-in field and does not start with '_'; got {label_field!r}.")
    _check_field_free(dataset, field_path(dataset, label_field, patches_field), replaced)


def _check_field_free(dataset, path, replaced):
    """Refuse a field that holds anything but the labels of the run being replaced."""
    if not field_exists(dataset, path):
        return
    owner = field_owner(dataset, path)
    if owner is None:
        raise ValueError(
            f"field {path!r} already exists on dataset {dataset.name!r} and was not written by a clustering run; "
            "it is never overwritten: choose another label_field."
        )
    if owner != replaced:
        raise ValueError(
            f"field {path!r} holds the labels of clustering run {owner!r}; choose another label_field, or delete or "
            f"overwrite run {owner!r} itself."
        )
    if not holds_run_labels(dataset, owner):
        raise ValueError(
            f"field {path!r} no longer holds the labels run {owner!r} wrote (it was edited); it is kept as it is: "
            "choose another label_field."
        )


def field_owner(dataset, path):
    """The clustering run whose label field is ``path``, or None."""
    return next((key for key in dataset.list_runs(kind=RUN_KIND) if path_of(dataset, key) == path), None)


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


def save_run(sample_collection, run_key, config, features, labels, extra=None, overwrite=False, progress=None, save_projection=None):
    """Write the labels and save the run, all or nothing; returns the FiftyOne run results.

    ``save_projection(brain_key)``: optional, stores the points as the brain run ``config["save_brain_key"]``
    (under a temporary key, swapped in with the run).
    """
    dataset = sample_collection._dataset  # repaired by the caller; checked again, as minutes may have passed
    replaced = check_new_run(sample_collection, run_key, config["label_field"], overwrite, features.patches_field, config["label_type"])
    if save_projection:
        check_brain_key(dataset, config["save_brain_key"], overwrite)
    labels = np.asarray(labels, dtype=np.int32)
    payload = dict(
        labels=encode_array(labels),
        points=encode_array(np.asarray(features.points, dtype=np.float32)) if features.points.shape[1] == 2 else None,
        sample_ids=list(features.sample_ids),
        label_ids=list(features.label_ids) if features.label_ids is not None else None,
        cluster_sizes=np.bincount(labels[labels >= 0]).tolist() if (labels >= 0).any() else [],
        **(extra or {}),
    )
    with journal.Save(sample_collection, run_key, config, replaced) as write:
        if save_projection:
            _report(progress, 0.6, f"saving the projection as brain run {config['save_brain_key']!r}")
            save_projection(write.new_brain_key)
        _report(progress, 0.8, "writing the label field")
        write.labels(features, label_values(labels))
        _report(progress, 0.95, "saving the run")
        results = write.results(payload)
    _report(progress, 1.0, "done")
    return results


def check_brain_key(dataset, brain_key, overwrite):
    """Refuse a ``save_brain_key`` naming a brain run this plugin did not save, or an existing one without overwrite."""
    if brain_key is None:
        return
    check_key(brain_key, "save_brain_key")
    if brain_key not in dataset.list_brain_runs():
        return
    savers = [key for key in dataset.list_runs(kind=RUN_KIND) if getattr(dataset.get_run_info(key).config, "save_brain_key", None) == brain_key]
    if not savers:
        raise ValueError(
            f"brain run {brain_key!r} already exists on dataset {dataset.name!r} and was not saved by a clustering run; "
            "it is never overwritten: choose another save_brain_key."
        )
    if not overwrite:
        raise ValueError(f"brain run {brain_key!r} already exists (saved by run {savers[0]!r}); choose another save_brain_key or pass overwrite=True.")


def _report(progress, fraction, label):
    if progress is not None:
        progress(fraction, label)


def list_clustering_runs(sample_collection, method=None):
    """Keys of the complete clustering runs on the collection's dataset (optionally of one method)."""
    dataset = sample_collection._dataset
    repair_runs(dataset)
    kwargs = {"method": method} if method else {}
    return [key for key in dataset.list_runs(kind=RUN_KIND, **kwargs) if journal.is_complete(dataset, key)]


def _check_run(dataset, run_key):
    runs = list_clustering_runs(dataset)
    if run_key not in runs:
        runs = ", ".join(runs) or "none"
        raise ValueError(f"{run_key!r} is not a clustering run of dataset {dataset.name!r} (clustering runs: {runs}).")


def load_clustering_run(sample_collection, run_key):
    """The decoded results of a clustering run."""
    dataset = sample_collection._dataset
    _check_run(dataset, run_key)
    results = dataset.load_run_results(run_key, cache=False, load_view=False)
    images = {name: decode_array(getattr(results, name)) for name in ("mask", "label_map") if hasattr(results, name)}
    return ClusteringRun(
        run_key=run_key,
        config=_info_dict(dataset, run_key)["config"],
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
    return _info_dict(dataset, run_key)


def _info_dict(dataset, run_key):
    info = dataset.get_run_info(run_key)
    config = {k: v for k, v in info.config.serialize().items() if k not in ("cls", "type", "kind", "journal")}
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
    check_key(new_run_key, "new_run_key")
    if new_run_key in dataset.list_runs():
        raise ValueError(f"dataset {dataset.name!r} already has a run {new_run_key!r}; choose another new_run_key.")
    info = dataset.get_run_info(run_key)
    new_label_field = new_label_field or new_run_key
    patches_field = getattr(info.config, "patches_field", None)
    old_path = field_path(dataset, info.config.label_field, patches_field)
    new_path = field_path(dataset, new_label_field, patches_field)
    if new_path != old_path:
        check_key(new_label_field, "new_label_field")
        if field_exists(dataset, new_path):
            raise ValueError(f"field {new_path!r} already exists on dataset {dataset.name!r}; choose another new_label_field.")
    dataset.rename_run(run_key, new_run_key)
    if new_path != old_path and dataset.has_field(old_path):
        dataset.rename_sample_field(old_path, new_path)
        move_noise_colour(dataset, old_path, new_path)
    config = dataset.get_run_info(new_run_key).config
    config.label_field = new_label_field
    dataset.update_run_config(new_run_key, config)


def delete_clustering_run(sample_collection, run_key, keep_projection=False):
    """Delete a run, the label field it wrote and the projection it saved.

    A field that no longer holds the run's labels is kept, with a warning; so is the projection when
    ``keep_projection=True`` or another run reads it.
    """
    dataset = sample_collection._dataset
    _check_run(dataset, run_key)
    release_projection(dataset, run_key, keep=keep_projection)
    path = path_of(dataset, run_key)
    if holds_run_labels(dataset, run_key):
        journal.drop_field(dataset, path, journal.is_classification(dataset, run_key))
        forget_noise_colour(dataset, path)
    elif field_exists(dataset, path):
        warnings.warn(f"field {path!r} no longer holds the labels of run {run_key!r} (it was edited or replaced); it is kept.", stacklevel=2)
    dataset.delete_run(run_key)


def cluster_view(sample_collection, run_key, cluster):
    """The samples (or, for patch runs, the labels) of one cluster; ``cluster=-1`` for noise."""
    from fiftyone import ViewField as F

    dataset = sample_collection._dataset
    _check_run(dataset, run_key)
    config = dataset.get_run_info(run_key).config
    n_clusters = len(dataset.load_run_results(run_key, cache=False, load_view=False).cluster_sizes)
    value = cluster_value(int(cluster), n_clusters)
    patches_field = getattr(config, "patches_field", None)
    if patches_field is None:
        return sample_collection.match(F(journal.values_path(dataset, run_key)) == value)
    return sample_collection.filter_labels(patches_field, F(config.label_field) == value)
