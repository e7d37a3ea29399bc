"""Nothing of the user's is lost: overwrite takes only the plugin's own run and field, a failed or killed
save leaves the dataset as it was, and bad input says what to do (real datasets, real faults)."""

import signal
import subprocess
import sys
import textwrap
import warnings

import fiftyone as fo
import fiftyone.brain as fob
import numpy as np
import pytest
from sklearn.datasets import make_blobs

from visual_clustering_core import VisualClustering
from visual_clustering_core.journal import holds_run_labels
from visual_clustering_core.runs import delete_clustering_run, list_clustering_runs, load_clustering_run, rename_clustering_run
from visual_clustering_core.sdk import compute_baseline_clusters, compute_visual_clusters


def _state(dataset):
    """What a user would compare before and after: runs, brain runs, schema and every field's values."""
    dataset.reload()
    fields = sorted(dataset.get_field_schema(flat=True))
    return dict(
        runs=sorted(dataset.list_runs()),
        brain_runs=sorted(dataset.list_brain_runs()),
        fields=fields,
        values={f: dataset.values(f) for f in fields if f not in ("metadata", "created_at", "last_modified_at")},
    )


def _fail_at(stage):
    def progress(fraction, label):
        if label.startswith(stage):
            raise KeyboardInterrupt(f"stopped at {stage}")

    return progress


# --- overwrite replaces only the plugin's own run and field ---------------------------------------------------


@pytest.mark.parametrize("field", ["truth", "embedding"])
def test_overwrite_never_takes_a_users_field(blobs, field):
    before = _state(blobs)
    with pytest.raises(ValueError, match="never overwritten"):
        compute_visual_clusters(blobs, "vc", brain_key="points", label_field=field, overwrite=True)
    assert _state(blobs) == before


def test_overwrite_never_takes_another_runs_field_or_another_kind_of_run(blobs):
    compute_visual_clusters(blobs, "first", brain_key="points")
    with pytest.raises(ValueError, match="holds the labels of clustering run 'first'"):
        compute_visual_clusters(blobs, "second", brain_key="points", label_field="first", overwrite=True)
    blobs.register_run("notes", blobs.init_run(kind="annotation_notes"))
    with pytest.raises(ValueError, match="another kind"):
        compute_visual_clusters(blobs, "notes", brain_key="points", overwrite=True)
    assert sorted(blobs.list_runs()) == ["first", "notes"]
    assert holds_run_labels(blobs, "first")


def test_overwrite_never_takes_a_brain_run_the_plugin_did_not_save(blobs):
    before = _state(blobs)
    with pytest.raises(ValueError, match="never overwritten"):
        compute_visual_clusters(blobs, "vc", embeddings_field="embedding", projection="pca", save_brain_key="points", overwrite=True)
    assert _state(blobs) == before


def test_delete_keeps_a_field_the_user_made_later_with_the_same_name(blobs):
    compute_visual_clusters(blobs, "vc", brain_key="points")
    blobs.delete_sample_field("vc")
    blobs.set_values("vc", ["mine"] * len(blobs))
    with pytest.warns(UserWarning, match="it is kept"):
        delete_clustering_run(blobs, "vc")
    assert blobs.distinct("vc") == ["mine"] and "vc" not in blobs.list_runs()


def test_patch_runs_never_overwrite_undeclared_label_attributes(patches):
    truth = patches.values("ground_truth.detections.truth")
    assert not patches.has_field("ground_truth.detections.truth")  # set dynamically, never declared
    for overwrite in (False, True):
        with pytest.raises(ValueError, match="never overwritten"):
            compute_visual_clusters(patches, "truth", brain_key="patches", overwrite=overwrite)
    assert patches.values("ground_truth.detections.truth") == truth and patches.list_runs() == []


def test_comparison_reads_undeclared_label_attributes(patches):
    from visual_clustering_core import compare_clustering_runs

    compute_visual_clusters(patches, "pc", brain_key="patches")
    comparison = compare_clustering_runs(patches, ["pc"], gt_field="truth")
    assert comparison.rows[0]["n_points"] == 400 and comparison.rows[0]["ami"] > 0.9


# --- a failed save leaves the dataset as it was ---------------------------------------------------------------


@pytest.mark.parametrize("label_type", ["string", "classification"])
@pytest.mark.parametrize("stage", ["saving the projection", "writing the label field", "saving the run"])
def test_a_failed_new_run_leaves_nothing_behind(blobs, stage, label_type):
    before = _state(blobs)
    with pytest.raises(KeyboardInterrupt):
        compute_visual_clusters(
            blobs, "vc", embeddings_field="embedding", projection="pca", save_brain_key="proj", label_type=label_type,
            progress=_fail_at(stage),
        )
    assert _state(blobs) == before


@pytest.mark.parametrize("label_type", ["string", "classification"])
@pytest.mark.parametrize("label_field", [None, "other_field"])
@pytest.mark.parametrize("stage", ["saving the projection", "writing the label field", "saving the run"])
def test_a_failed_overwrite_keeps_the_previous_run_whole(blobs, stage, label_field, label_type):
    view = blobs.take(400, seed=1)  # the old run labels other samples than the new one
    compute_visual_clusters(view, "vc", embeddings_field="embedding", projection="pca", save_brain_key="proj", label_type=label_type)
    if label_type == "classification":  # a user's tag on a cluster label survives a failed overwrite
        view.take(1, seed=0).tag_labels("checked", label_fields="vc")
    before = _state(blobs)
    old = load_clustering_run(blobs, "vc")
    with pytest.raises(KeyboardInterrupt):
        compute_visual_clusters(
            blobs, "vc", embeddings_field="embedding", projection="umap", save_brain_key="proj", label_field=label_field,
            label_type=label_type, overwrite=True, grow=0, progress=_fail_at(stage),
        )
    assert _state(blobs) == before
    again = load_clustering_run(blobs, "vc")
    assert again.config == old.config and np.array_equal(again.labels, old.labels)


def test_a_successful_overwrite_replaces_labels_on_every_sample(blobs):
    compute_visual_clusters(blobs.take(400, seed=1), "vc", brain_key="points")
    compute_visual_clusters(blobs.take(300, seed=2), "vc", brain_key="points", overwrite=True)
    run = load_clustering_run(blobs, "vc")
    labelled = dict(zip(*blobs.exists("vc").values(["id", "vc"])))
    assert set(labelled) == set(run.sample_ids), "the old run's other samples are cleared"
    assert blobs.list_runs() == ["vc"]


def test_an_overwrite_to_another_field_removes_the_old_field(blobs):
    compute_visual_clusters(blobs, "vc", brain_key="points")
    compute_visual_clusters(blobs, "vc", brain_key="points", label_field="vc2", overwrite=True)
    assert not blobs.has_field("vc") and blobs.count("vc2") == len(blobs)


# --- a killed process: the next call repairs -------------------------------------------------------------------

_KILL_AT_STAGE = """
import os, signal, fiftyone as fo
from visual_clustering_core.sdk import compute_visual_clusters
dataset = fo.load_dataset({name!r})
def progress(fraction, label):
    if label.startswith({stage!r}):
        os.kill(os.getpid(), signal.SIGKILL)
compute_visual_clusters(dataset, "vc", embeddings_field="embedding", projection="pca", save_brain_key="proj",
                        overwrite=True, grow=0, progress=progress)
"""

_KILL_MID_WRITE = """
import os, signal, threading, fiftyone as fo
from fiftyone import ViewField as F
from visual_clustering_core.sdk import compute_baseline_clusters
dataset = fo.load_dataset({name!r})
def kill_once_the_new_labels_appear():
    while not dataset.match(F("vc") == "8").limit(1).count():
        pass
    os.kill(os.getpid(), signal.SIGKILL)
def progress(fraction, label):
    if label.startswith("writing the label field"):
        threading.Thread(target=kill_once_the_new_labels_appear, daemon=True).start()
compute_baseline_clusters(dataset, "vc", method="kmeans", n_clusters=9, brain_key="points", overwrite=True, progress=progress)
"""

_KILL_BEFORE_FINISHING = """
import os, signal, fiftyone as fo
from visual_clustering_core import journal
from visual_clustering_core.features import from_brain_run
from visual_clustering_core.runs import check_new_run
dataset = fo.load_dataset({name!r})
features = from_brain_run(dataset, "points")
replaced = check_new_run(dataset, "vc", "vc", True)
save = journal.Save(dataset, "vc", dict(method="visual_clustering", label_field="vc", patches_field=None), replaced)
save.__enter__()
save.labels(features, ["0"] * len(features.sample_ids))
save.results(dict(labels={{"dtype": "int32", "shape": [0], "data": ""}}))
os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed(script):
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]


@pytest.mark.parametrize("stage", ["loading points", "saving the projection", "writing the label field", "saving the run"])
def test_a_killed_overwrite_is_rolled_back_by_the_next_call(blobs, stage):
    blobs.persistent = True
    compute_visual_clusters(blobs, "vc", embeddings_field="embedding", projection="pca", save_brain_key="proj")
    before = _state(blobs)
    _killed(_KILL_AT_STAGE.format(name=blobs.name, stage=stage))
    assert list_clustering_runs(blobs) == ["vc"]  # the entry point repairs first
    assert _state(blobs) == before
    compute_visual_clusters(blobs, "vc", brain_key="points", overwrite=True)  # the key is not blocked
    assert blobs.count("vc") == len(blobs)


def test_a_process_killed_while_writing_labels_leaves_the_old_run_whole():
    points, _ = make_blobs(n_samples=20_000, centers=4, random_state=0)
    dataset = fo.Dataset(persistent=True)
    try:
        dataset.add_samples([fo.Sample(filepath=f"/tmp/vc/big{i}.png") for i in range(len(points))])
        fob.compute_visualization(dataset, points=points, method="manual", brain_key="points")
        compute_visual_clusters(dataset, "vc", brain_key="points")
        before = _state(dataset)
        _killed(_KILL_MID_WRITE.format(name=dataset.name))
        dataset.reload()
        assert "8" in dataset.count_values("vc"), "killed once the new labels began to land"
        assert list_clustering_runs(dataset) == ["vc"]
        assert _state(dataset) == before
    finally:
        dataset.delete()


def test_a_killed_new_run_leaves_nothing_after_the_next_call(blobs):
    blobs.persistent = True
    before = _state(blobs)
    _killed(_KILL_AT_STAGE.format(name=blobs.name, stage="saving the run"))
    assert list_clustering_runs(blobs) == []
    assert _state(blobs) == before


def test_a_save_killed_after_its_last_write_is_finished_by_the_next_call(blobs):
    blobs.persistent = True
    compute_visual_clusters(blobs, "vc", brain_key="points")
    _killed(_KILL_BEFORE_FINISHING.format(name=blobs.name))
    assert list_clustering_runs(blobs) == ["vc"]
    assert blobs.list_runs() == ["vc"] and blobs.distinct("vc") == ["0"]


@pytest.mark.parametrize("label_type", ["string", "classification"])
def test_a_lost_field_declaration_is_restored(blobs, label_type):
    """Another process saving the dataset document with a stale schema drops the label field's declaration."""
    blobs.persistent = True
    stale = subprocess.Popen(
        [sys.executable, "-c", f"import fiftyone as fo\nds = fo.load_dataset({blobs.name!r})\ninput()\nds.info['note'] = 'x'\nds.save()\n"],
        stdin=subprocess.PIPE, text=True,
    )
    try:
        compute_visual_clusters(blobs, "vc", brain_key="points", label_type=label_type)
    finally:
        stale.communicate("\n", timeout=120)
    assert list_clustering_runs(blobs) == ["vc"]
    blobs.reload()
    assert blobs.has_field("vc") and blobs.count("vc") == len(blobs)
    assert holds_run_labels(blobs, "vc")


# --- views whose labels would land out of sight ---------------------------------------------------------------


@pytest.mark.parametrize("make_view", [lambda d: d.to_patches("ground_truth")])
def test_generated_views_are_refused(patches, make_view):
    with pytest.raises(ValueError, match="temporary dataset"):
        compute_visual_clusters(make_view(patches), "vc", brain_key="patches")
    assert patches.list_runs() == []


def test_an_empty_view_is_refused(blobs):
    with pytest.raises(ValueError, match="empty"):
        compute_visual_clusters(blobs.limit(0), "vc", brain_key="points")


def test_a_group_slice_without_points_says_which_slice(groups):
    groups.group_slice = "right"
    with pytest.raises(ValueError, match="group slice 'right'"):
        compute_visual_clusters(groups, "vc", brain_key="left_points")


# --- bad input: a clear error, nothing written ----------------------------------------------------------------


def test_nan_embeddings_are_left_out_with_a_warning(blobs):
    broken = blobs.take(7, seed=0)
    broken.set_values("embedding", [[float("nan")] * 16] * 7)
    with pytest.warns(UserWarning, match="7 of 600 embeddings"):
        compute_visual_clusters(blobs, "vc", embeddings_field="embedding", projection="pca")
    assert broken.count("vc") == 0 and blobs.count("vc") == 593


def test_fields_that_hold_no_vectors_are_refused(blobs):
    blobs.set_values("number", list(range(len(blobs))))
    blobs.set_values("label", [fo.Classification(label="a")] * len(blobs))
    with pytest.raises(ValueError, match="IntField values, not embedding vectors"):
        compute_visual_clusters(blobs, "vc", embeddings_field="number")
    with pytest.raises(ValueError, match="Classification values, not embedding vectors"):
        compute_visual_clusters(blobs, "vc", embeddings_field="label")


def test_too_few_points_say_so(blobs):
    with pytest.raises(ValueError, match="PCA needs at least 2 points"):
        compute_visual_clusters(blobs.limit(1), "vc", embeddings_field="embedding", projection="pca")
    with pytest.raises(ValueError, match="HDBSCAN .* needs more than 10 points"):
        compute_baseline_clusters(blobs.limit(8), "hd", method="hdbscan", brain_key="points", min_samples=10)
    assert blobs.list_runs() == []


@pytest.mark.parametrize("key", ["_private", "bad key"])
def test_run_keys_must_be_public_identifiers(blobs, key):
    with pytest.raises(ValueError, match="does not start with '_'"):
        compute_visual_clusters(blobs, key, brain_key="points")


def test_rename_says_what_to_do(blobs):
    compute_visual_clusters(blobs, "a", brain_key="points")
    compute_visual_clusters(blobs, "b", brain_key="points")
    with pytest.raises(ValueError, match="choose another new_run_key") as error:
        rename_clustering_run(blobs, "a", "b")
    assert "overwrite" not in str(error.value)


def test_hyperparameter_bounds():
    X = np.random.default_rng(0).normal(size=(300, 2))
    with pytest.raises(ValueError, match="32 to 2048"):
        VisualClustering(resolution=4096).fit(X)
    with pytest.raises(ValueError, match="keep_aspect must be True or False"):
        VisualClustering(keep_aspect="yes").fit(X)
    with pytest.warns(UserWarning, match="every point is noise"):
        VisualClustering(denoise=15).fit(X)


def test_the_operator_passes_every_hyperparameter_and_refuses_unknown_ones(blobs, run_operator):
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points", grow=2.5, segmenter="threshold")
    params = load_clustering_run(blobs, "vc").config["params"]
    assert params["grow"] == 2.5 and params["segmenter"] == "threshold"
    with pytest.raises(Exception, match="unknown parameter.*colour"):
        run_operator("compute_visual_clusters", blobs, run_key="vc2", brain_key="points", colour="red")
    with pytest.raises(Exception, match="weights must be the path"):
        run_operator("compute_visual_clusters", blobs, run_key="vc2", brain_key="points", weights="/nowhere.pt")
    with pytest.raises(Exception, match="exactly one source"):
        run_operator("compute_visual_clusters", blobs, run_key="vc2", brain_key="points", embeddings_field="embedding")
    assert blobs.list_runs() == ["vc"]


# --- fixtures -------------------------------------------------------------------------------------------------


@pytest.fixture
def groups():
    """A grouped dataset with slices left and right; a visualization of the left slice only."""
    dataset = fo.Dataset()
    dataset.add_group_field("group", default="left")
    samples = []
    for i in range(100):
        group = fo.Group()
        samples += [fo.Sample(filepath=f"/tmp/vc/{side}{i}.png", group=group.element(side)) for side in ("left", "right")]
    dataset.add_samples(samples)
    left = dataset.select_group_slices("left")
    points, _ = make_blobs(n_samples=100, centers=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fob.compute_visualization(left, points=points, method="manual", brain_key="left_points")
    yield dataset
    dataset.delete()


def test_leftovers_of_plugin_0_3_are_cleaned_by_the_next_call(blobs):
    """0.3 left a pending field and a run without results when killed; the key stayed blocked."""
    blobs.set_values("vc_pending_0123abcd", ["0"] * len(blobs))
    blobs.register_run("vc", blobs.init_run(kind="clustering", method="visual_clustering", label_field="vc"))
    assert list_clustering_runs(blobs) == []
    assert "vc" not in blobs.list_runs() and not blobs.has_field("vc_pending_0123abcd")
    compute_visual_clusters(blobs, "vc", brain_key="points")
    assert load_clustering_run(blobs, "vc").n_clusters == 3


@pytest.mark.parametrize("stage", ["writing the label field", "saving the run"])
def test_a_failed_overwrite_of_a_patch_run_restores_each_patchs_label(patches, stage):
    compute_visual_clusters(patches, "pc", brain_key="patches", min_cluster_size=150)
    before = patches.values("ground_truth.detections.pc")
    with pytest.raises(KeyboardInterrupt):  # k-means with k=4: other labels than the 2 clusters above
        compute_baseline_clusters(patches, "pc", n_clusters=4, brain_key="patches", overwrite=True, progress=_fail_at(stage))
    assert patches.values("ground_truth.detections.pc") == before
    assert list_clustering_runs(patches) == ["pc"]
