"""Projections kept as visualization brain runs, so the Embeddings panel can plot what was clustered.

A run that projects an embeddings field saves its projection as a brain run
(``<run key>_<projection>`` unless told otherwise); a later run on the same
field with the same projection reuses it instead of projecting again, when it
covers every sample the run clusters. Deleting the run that saved it deletes
it too, unless the user keeps it or another run still reads it (that run then
owns it).
"""

from .journal import RUN_KIND, is_complete


def default_brain_key(run_key, projection):
    return f"{run_key}_{projection}"


def _projection_runs(dataset):
    """``{brain key: [clustering runs reading it]}`` for the projections clustering runs saved or reused."""
    readers = {}
    for key in dataset.list_runs(kind=RUN_KIND):
        if not is_complete(dataset, key):
            continue
        config = dataset.get_run_info(key).config
        brain_key = getattr(config, "save_brain_key", None) or (config.source or {}).get("projection_brain_key")
        if brain_key:
            readers.setdefault(brain_key, []).append(key)
    return readers


def saved_projections(dataset, embeddings_field, projection):
    """Brain runs that clustering runs saved from this field with this projection."""
    keys = []
    for brain_key, readers in _projection_runs(dataset).items():
        source = dataset.get_run_info(readers[0]).config.source or {}
        if brain_key in dataset.list_brain_runs() and (source.get("embeddings_field"), source.get("projection")) == (embeddings_field, projection):
            keys.append(brain_key)
    return keys


def reusable_projection(sample_collection, embeddings_field, projection):
    """A saved projection of the same field covering every sample of the collection that has an embedding; or None."""
    wanted = sample_collection.exists(embeddings_field).count()
    for brain_key in saved_projections(sample_collection._dataset, embeddings_field, projection):
        results = sample_collection._dataset.load_brain_results(brain_key)
        results.use_view(sample_collection.view(), allow_missing=True)
        if len(results.current_sample_ids) == wanted:
            return brain_key
    return None


def release_projection(dataset, run_key, keep=False):
    """Delete the brain run the run saved, unless kept or read by another run (which then owns it); returns what was done."""
    brain_key = getattr(dataset.get_run_info(run_key).config, "save_brain_key", None)
    if not brain_key or brain_key not in dataset.list_brain_runs():
        return None
    others = [key for key in _projection_runs(dataset).get(brain_key, []) if key != run_key]
    if others:
        config = dataset.get_run_info(others[0]).config
        config.save_brain_key = brain_key
        dataset.update_run_config(others[0], config)
        return f"handed the projection {brain_key!r} over to run {others[0]!r}, which reads it"
    if keep:
        return f"kept the projection {brain_key!r}"
    dataset.delete_brain_run(brain_key)
    return f"deleted the projection {brain_key!r}"
