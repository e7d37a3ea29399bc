"""Crash-consistent saving of a clustering run, and the repair of saves a failure or a kill interrupted.

The run's own config is the journal. A save goes (every step but the labels is one database write):

1. a run being replaced (``overwrite=True``) is renamed to ``_vc_old_<key>``: it and its field stay whole;
2. the new run is registered with ``journal={"state": "writing", host, pid, backup}``;
3. an optional projection is saved as brain run ``_vc_new_<brain key>``;
4. the labels are written once, by id (over the old run's labels when both use one field, the old run's
   other samples cleared in the same write), and the field's declaration is checked, since a concurrent
   schema write elsewhere can drop it;
5. the results are saved, and the journal says "complete";
6. the backup run goes, with its field when the new run writes another one; the new brain run takes its key;
   the field's noise is coloured grey in the App (``app_colours.py``).

A failure in steps 1-5 rolls back to what was there before step 1 (the old labels restored from the
backup's results). A process killed there leaves a "writing" journal whose process is gone: ``repair_runs``,
called by every entry point, rolls it back the same way; a kill in step 6 is rolled forward.
"""

import os
import re
import socket
import warnings

from .app_colours import forget_noise_colour, show_noise_grey
from .encoding import decode_array, label_values, value_counts

RUN_KIND = "clustering"
CLASSIFICATION = "classification"
LABEL_TYPES = ("string", CLASSIFICATION)  # the label field: strings, or fo.Classification labels
BACKUP = "_vc_old_"
NEW_BRAIN = "_vc_new_"
_LEGACY_PENDING = re.compile(r"_pending_[0-9a-f]{8}$")  # fields a killed save of plugin 0.3 left behind


def field_path(dataset, label_field, patches_field=None):
    """Where the labels live: a sample field, or an attribute of each label of a patches field."""
    if patches_field is None:
        return label_field
    return dataset._get_label_field_path(patches_field, label_field)[1]


def field_exists(dataset, path):
    """Whether the field is declared, or holds values undeclared (a dynamic label attribute, a lost declaration)."""
    return dataset.has_field(path) or _has_values(dataset, path)


def _has_values(dataset, path):
    if "." in path:  # an attribute of the labels in a list
        return dataset.count(path) > 0
    return dataset.exists(path).limit(1).count() > 0


def drop_field(dataset, path, classification=False):
    """Delete a field and its values, declared or not."""
    if not dataset.has_field(path):
        if not _has_values(dataset, path):
            return
        _declare(dataset, path, classification)
    dataset.delete_sample_field(path)


def holds_run_labels(dataset, run_key):
    """Whether the run's label field holds exactly the labels the run wrote (by their counts)."""
    if not field_exists(dataset, path_of(dataset, run_key)):
        return False
    labels = decode_array(dataset.load_run_results(run_key, cache=False, load_view=False).labels)
    found = {value: n for value, n in dataset.count_values(values_path(dataset, run_key)).items() if value is not None}
    return found == value_counts(labels)


def _declare(dataset, path, classification=False):
    import fiftyone as fo

    if classification:
        dataset.add_sample_field(path, fo.EmbeddedDocumentField, embedded_doc_type=fo.Classification)
    else:
        dataset.add_sample_field(path, fo.StringField)


def _config(dataset, key):
    return dataset.get_run_info(key).config


def path_of(dataset, key):
    """Where run ``key``'s labels live."""
    config = _config(dataset, key)
    return field_path(dataset, config.label_field, getattr(config, "patches_field", None))


def is_classification(dataset, key):
    """Whether run ``key`` writes ``fo.Classification`` labels (runs from before label types wrote strings)."""
    return getattr(_config(dataset, key), "label_type", None) == CLASSIFICATION


def values_path(dataset, key):
    """Where run ``key``'s cluster names are read: its field, or its classifications' ``label``."""
    return path_of(dataset, key) + (".label" if is_classification(dataset, key) else "")


def _journal(dataset, key):
    return getattr(_config(dataset, key), "journal", None) or {}


def is_complete(dataset, key):
    """Whether a clustering run finished saving (runs from before the journal count when they hold results)."""
    if key.startswith(BACKUP):
        return False
    state = _journal(dataset, key).get("state")
    return state == "complete" or (state is None and bool(dataset._doc.runs[key].results))


class Save:
    """``with Save(collection, key, config, replaced) as save: save.labels(...); save.results(...)``."""

    def __init__(self, sample_collection, run_key, config, replaced):
        self.collection = sample_collection
        self.dataset = sample_collection._dataset
        self.run_key = run_key
        self.config = config
        self.backup = BACKUP + run_key if replaced else None
        brain_key = config.get("save_brain_key")
        self.new_brain_key = NEW_BRAIN + brain_key if brain_key else None

    def __enter__(self):
        if self.backup:
            self.dataset.rename_run(self.run_key, self.backup)
        journal = dict(state="writing", host=socket.gethostname(), pid=os.getpid(), backup=self.backup)
        try:
            self.collection.register_run(self.run_key, self.collection.init_run(kind=RUN_KIND, **self.config, journal=journal))
        except BaseException:
            if self.backup:
                self.dataset.rename_run(self.backup, self.run_key)
            raise
        return self

    def labels(self, features, values):
        """Write the labels once; the backup run's other samples (same field) are cleared in the same write."""
        dataset = self.dataset
        path = path_of(dataset, self.run_key)
        keys = features.label_ids if features.label_ids is not None else features.sample_ids
        written = dict(zip(keys, values))
        owners = dict(zip(features.label_ids, features.sample_ids)) if features.label_ids is not None else {}
        if self.backup and path_of(dataset, self.backup) == path:
            old = dataset.load_run_results(self.backup, cache=False, load_view=False)
            old_keys = old.label_ids if old.label_ids is not None else old.sample_ids
            written = {**dict.fromkeys(old_keys), **written}
            if old.label_ids is not None:
                owners = {**dict(zip(old.label_ids, old.sample_ids)), **owners}
        write_values(dataset, path, written, owners, is_classification(dataset, self.run_key))

    def results(self, payload):
        """Save the results and mark the run complete; returns the FiftyOne run results."""
        results = self.collection.init_run_results(self.run_key, **payload)
        self.collection.save_run_results(self.run_key, results)
        _set_journal(self.dataset, self.run_key, dict(_journal(self.dataset, self.run_key), state="complete"))
        return results

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            finish(self.dataset, self.run_key)
        else:
            roll_back(self.dataset, self.run_key)
        return False


def write_values(dataset, path, values, owners=None, classification=False):
    """Set ``path`` from ``{sample id: value}``, or ``{label id: value}`` with ``owners`` ``{label id: sample id}``.

    A value of None clears; with ``classification`` the others go to ``fo.Classification`` labels (see
    ``_write_classifications``). The field's declaration is checked afterwards and restored if a concurrent
    schema write dropped it.
    """
    if classification:
        _write_classifications(dataset, path, values)
    elif not owners:
        dataset.set_values(path, values, key_field="id")
    else:
        dataset.set_label_values(path, [dict(sample_id=owners[k], label_id=k, value=v) for k, v in values.items()], dynamic=True)
    dataset.reload()
    if not dataset.has_field(path) and any(v is not None for v in values.values()):
        _declare(dataset, path, classification)


def _write_classifications(dataset, path, values):
    """Sample-level classifications: a sample's existing label gets the new ``label`` (its id, tags and
    attributes stay, so a rolled-back overwrite gives back the very same labels); other samples get a new label."""
    import fiftyone as fo

    labelled = set(dataset.exists(path).values("id")) if dataset.has_field(path) else set()
    kept = {k: v for k, v in values.items() if v is not None and k in labelled}
    new = {k: None if v is None else fo.Classification(label=v) for k, v in values.items() if k not in kept}
    if kept:
        dataset.set_values(path + ".label", kept, key_field="id")
    if new:
        dataset.set_values(path, new, key_field="id")


def _set_journal(dataset, key, journal):
    config = _config(dataset, key)
    config.journal = journal
    dataset.update_run_config(key, config)


def roll_back(dataset, run_key):
    """Undo an unfinished save: the old labels back (or the new field gone), the new run gone, the backup back."""
    journal = _journal(dataset, run_key)
    backup = journal.get("backup")
    path = path_of(dataset, run_key)
    if backup in dataset.list_runs() and path_of(dataset, backup) == path:
        restore_labels(dataset, backup, path)
    else:
        drop_field(dataset, path, is_classification(dataset, run_key))
    brain_key = getattr(_config(dataset, run_key), "save_brain_key", None)
    if brain_key and NEW_BRAIN + brain_key in dataset.list_brain_runs():
        dataset.delete_brain_run(NEW_BRAIN + brain_key)
    dataset.delete_run(run_key)
    if backup in dataset.list_runs():
        dataset.rename_run(backup, run_key)


def restore_labels(dataset, key, path):
    """Put the labels of run ``key`` back into ``path``, clearing every other value there."""
    results = dataset.load_run_results(key, cache=False, load_view=False)
    values = label_values(decode_array(results.labels))
    if results.label_ids is None:
        stale = dict.fromkeys(dataset.exists(path).values("id"))
        write_values(dataset, path, {**stale, **dict(zip(results.sample_ids, values))}, classification=is_classification(dataset, key))
        return
    list_path = path.rsplit(".", 1)[0]
    sample_ids, label_ids = dataset.values(["id", list_path + ".id"])
    owners = {label: sample for sample, labels in zip(sample_ids, label_ids) for label in (labels or [])}
    stale = dict.fromkeys(owners)
    write_values(dataset, path, {**stale, **dict(zip(results.label_ids, values))}, owners)


def finish(dataset, run_key):
    """Complete a saved run: the backup and its field (if the new run writes another) go, the new brain run takes its key."""
    journal = _journal(dataset, run_key)
    backup = journal.get("backup")
    if backup in dataset.list_runs():
        old_path = path_of(dataset, backup)
        if old_path != path_of(dataset, run_key) and holds_run_labels(dataset, backup):
            drop_field(dataset, old_path, is_classification(dataset, backup))
            forget_noise_colour(dataset, old_path)
        dataset.delete_run(backup)
    brain_key = getattr(_config(dataset, run_key), "save_brain_key", None)
    if brain_key and NEW_BRAIN + brain_key in dataset.list_brain_runs():
        if brain_key in dataset.list_brain_runs():
            dataset.delete_brain_run(brain_key)
        dataset.rename_brain_run(NEW_BRAIN + brain_key, brain_key)
    if backup or journal.get("state") != "complete":
        _set_journal(dataset, run_key, dict(state="complete"))
    show_noise_grey(dataset, path_of(dataset, run_key))


def _alive(journal):
    """Whether the process that wrote a journal may still be running (on another host: it cannot be told)."""
    if journal.get("host") != socket.gethostname():
        return True
    try:
        os.kill(int(journal["pid"]), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, KeyError, TypeError, ValueError):
        return True
    return True


def repair_runs(dataset, force=False):
    """Finish or roll back what interrupted saves left on the dataset; returns what was done.

    A save whose process is gone is rolled back (or, past its last step, finished). One that may still be
    running (its process is alive, or it ran on another host) is left alone with a warning, unless
    ``force=True``: use that only when no other process is saving runs on this dataset.
    """
    done = []
    dataset.reload()  # another process may have changed the runs or the schema
    for key in dataset.list_runs(kind=RUN_KIND):
        if key.startswith(BACKUP):
            if key[len(BACKUP):] not in dataset.list_runs():  # killed between renaming it and registering the new run
                dataset.rename_run(key, key[len(BACKUP):])
                done.append(f"restored run {key[len(BACKUP):]!r}")
            continue
        journal = _journal(dataset, key)
        state = journal.get("state")
        if state == "writing":
            if _alive(journal) and not force:
                warnings.warn(
                    f"clustering run {key!r} is being saved by process {journal.get('pid')} on {journal.get('host')}; "
                    "if that process is gone, repair with visual_clustering_core.repair_runs(dataset, force=True).",
                    stacklevel=3,
                )
                continue
            roll_back(dataset, key)
            done.append(f"rolled back the interrupted save of run {key!r}")
        elif state == "complete" and journal.get("backup"):
            finish(dataset, key)
            done.append(f"finished the save of run {key!r}")
        elif state is None and not dataset._doc.runs[key].results:
            dataset.delete_run(key)  # registered without results by a killed save of plugin 0.3
            done.append(f"deleted run {key!r}, which was saved without results")
        elif not dataset.has_field(path := path_of(dataset, key)) and _has_values(dataset, path):
            _declare(dataset, path, is_classification(dataset, key))  # a concurrent schema write dropped the declaration
            done.append(f"declared the label field of run {key!r} again")
    for name in list(dataset.get_field_schema()):
        if _LEGACY_PENDING.search(name):
            dataset.delete_sample_field(name)
            done.append(f"deleted the leftover field {name!r}")
    return done
