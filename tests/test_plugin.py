"""The plugin through FiftyOne's own operator execution, on real datasets in the embedded database."""

import json
import subprocess
import sys

import fiftyone as fo
import pytest
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core.app_colours import NOISE_COLOUR
from visual_clustering_core.encoding import NOISE, label_values
from visual_clustering_core.runs import cluster_view, list_clustering_runs, load_clustering_run
from visual_clustering_core.sdk import compute_visual_clusters

PLUGIN = "@vcl/visual-clustering"


def _ami(dataset, field, truth="truth"):
    labels, true = dataset.exists(field).values([field, truth])
    return adjusted_mutual_info_score(true, labels)


def test_visualization_run_clusters_agree_with_the_truth(blobs, run_operator):
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    assert _ami(blobs, "vc") >= 0.95


def test_operator_clusters_a_visualization_run(blobs, run_operator):
    result = run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    assert result.result["n_clusters"] == 3
    assert blobs.get_field("vc") is not None and isinstance(blobs.get_field("vc"), fo.StringField)
    assert "vc" in list_clustering_runs(blobs)
    run = load_clustering_run(blobs, "vc")
    assert run.config["source"] == {"type": "brain_run", "brain_key": "points"}
    assert run.config["params"]["grow"] == 6 and "plugin_version" in run.config
    assert run.images["label_map"].shape == (256, 256) and run.points.shape == (600, 2)


@pytest.mark.parametrize("projection", ["umap", "pca"])
def test_operator_projects_an_embeddings_field(blobs, projection, run_operator):
    run_operator("compute_visual_clusters", blobs, run_key="emb", embeddings_field="embedding", projection=projection, save_brain_key="emb_2d")
    assert _ami(blobs, "emb", truth="embed_truth") >= 0.95
    assert "emb_2d" in blobs.list_brain_runs()
    assert load_clustering_run(blobs, "emb").config["source"]["projection"] == projection


def test_hyperparameters_reach_the_estimator(blobs, run_operator):
    run_operator("compute_visual_clusters", blobs, run_key="tuned", brain_key="points", grow=0, min_cluster_size=400,
                 persistence=0.5, significance=4.0)
    run = load_clustering_run(blobs, "tuned")
    assert run.config["params"]["grow"] == 0 and run.config["params"]["min_cluster_size"] == 400
    assert run.config["params"]["persistence"] == 0.5 and run.config["params"]["significance"] == 4.0
    assert set(blobs.distinct("tuned")) == {NOISE}  # every blob is smaller than 400


def test_samples_without_embeddings_stay_unset(blobs, run_operator):
    missing = blobs.take(50, seed=0)
    missing.set_field("embedding", None).save()
    missing_ids = set(missing.values("id"))
    run_operator("compute_visual_clusters", blobs, run_key="partial", embeddings_field="embedding", projection="pca")
    for sample_id, value in zip(*blobs.values(["id", "partial"])):
        assert (value is None) == (sample_id in missing_ids)
    assert _ami(blobs, "partial", truth="embed_truth") >= 0.95


def test_a_view_target_labels_only_that_view(blobs, run_operator):
    view = blobs.match(fo.ViewField("truth") != 2)
    run_operator("compute_visual_clusters", blobs, view=view, run_key="some", brain_key="points")
    assert blobs.match(fo.ViewField("truth") == 2).count("some") == 0
    assert view.count("some") == len(view)
    assert len(set(view.distinct("some")) - {NOISE}) == 2


def test_overwrite_is_refused_then_allowed(blobs, run_operator):
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    before = blobs.values("vc")
    with pytest.raises(Exception, match="overwrite=True"):
        run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points", grow=0)
    assert blobs.values("vc") == before and load_clustering_run(blobs, "vc").config["params"]["grow"] == 6
    blobs.add_sample_field("mine", fo.StringField)
    with pytest.raises(Exception, match="already exists"):
        run_operator("compute_visual_clusters", blobs, run_key="other", label_field="mine", brain_key="points")
    assert "other" not in blobs.list_runs()
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points", grow=0, overwrite=True)
    assert load_clustering_run(blobs, "vc").config["params"]["grow"] == 0


def test_rename_and_delete_take_the_field_along(blobs, run_operator):
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    run_operator("rename_clustering_run", blobs, run_key="vc", new_run_key="renamed", confirm=True)
    assert not blobs.has_field("vc") and blobs.has_field("renamed")
    assert list_clustering_runs(blobs) == ["renamed"]
    assert load_clustering_run(blobs, "renamed").config["label_field"] == "renamed"
    run_operator("delete_clustering_run", blobs, run_key="renamed")
    assert not blobs.has_field("renamed") and list_clustering_runs(blobs) == []


def _noise_colour(dataset, path):
    scheme = dataset.app_config.color_scheme
    entry = next((e for e in (scheme.fields or []) if e["path"] == path), None) if scheme else None
    return next((v["color"] for v in entry.get("valueColors", []) if v["value"] == NOISE), None) if entry else None


def test_noise_is_grey_in_the_app_and_the_colour_follows_the_field(blobs, run_operator):
    blobs.app_config.color_scheme = fo.ColorScheme(color_pool=["#ff0000", "#00ff00"], fields=[{"path": "truth", "fieldColor": "#123456"}])
    blobs.save()
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    assert _noise_colour(blobs, "vc") == NOISE_COLOUR
    run_operator("rename_clustering_run", blobs, run_key="vc", new_run_key="renamed", confirm=True)
    assert _noise_colour(blobs, "vc") is None and _noise_colour(blobs, "renamed") == NOISE_COLOUR
    run_operator("delete_clustering_run", blobs, run_key="renamed")
    scheme = blobs.app_config.color_scheme
    assert scheme.fields == [{"path": "truth", "fieldColor": "#123456"}], "only the plugin's own entry goes"
    assert scheme.color_pool == ["#ff0000", "#00ff00"], "the user's colour settings stay"


def test_a_noise_colour_the_user_chose_is_kept(blobs, run_operator):
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    blobs.app_config.color_scheme.fields = [{"path": "vc", "valueColors": [{"value": NOISE, "color": "#ff00ff"}]}]
    blobs.save()
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points", overwrite=True)
    assert _noise_colour(blobs, "vc") == "#ff00ff"


def test_run_info_loads_in_a_fresh_process(blobs, run_operator):
    blobs.persistent = True
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    script = (
        "import json, fiftyone as fo, fiftyone.operators as foo\n"
        f"ds = fo.load_dataset({blobs.name!r})\n"
        f"r = foo.execute_operator('{PLUGIN}/get_clustering_run_info', dict(dataset=ds), params=dict(run_key='vc'))\n"
        "print(json.dumps(r.result))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    info = json.loads(out.strip().splitlines()[-1])
    assert info["method"] == "visual_clustering" and info["label_field"] == "vc"
    assert info["clusters"].startswith("3 (")
    year = int(info["timestamp"][:4])
    month = int(info["timestamp"][5:7])
    assert year >= 2024 and 1 <= month <= 12


def test_cluster_view_operator(blobs, run_operator):
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    result = run_operator("load_cluster_view", blobs, run_key="vc", cluster=0)
    assert result.result["samples"] == blobs.count_values("vc")["0"]


def test_a_failure_mid_run_leaves_no_run_and_no_field(blobs):
    fields_before = set(blobs.get_field_schema())

    def interrupt(fraction, label):
        if label == "writing the label field":
            raise KeyboardInterrupt("stopped by the user")

    with pytest.raises(KeyboardInterrupt):
        compute_visual_clusters(blobs, "vc", embeddings_field="embedding", projection="pca", save_brain_key="proj", progress=interrupt)
    assert set(blobs.get_field_schema()) == fields_before
    assert blobs.list_runs() == [] and "proj" not in blobs.list_brain_runs()


def test_classification_labels_work_with_fiftyone_filters_and_evaluation(blobs, run_operator):
    blobs.set_values("gt", [fo.Classification(label="abc"[t]) for t in blobs.values("truth")])
    result = run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points", label_type="classification")
    assert result.error is None
    assert isinstance(blobs.get_field("vc"), fo.EmbeddedDocumentField) and blobs.get_field("vc").document_type is fo.Classification
    assert sum(blobs.count_values("vc.label").values()) == len(blobs)
    assert len(cluster_view(blobs, "vc", 0)) == load_clustering_run(blobs, "vc").cluster_sizes[0]
    results = blobs.evaluate_classifications("vc", gt_field="gt")
    matrix = results.confusion_matrix(classes=["a", "b", "c"] + sorted(blobs.distinct("vc.label")))
    truth_rows = matrix[:3]
    assert (truth_rows.max(1) >= 0.95 * truth_rows.sum(1)).all(), "each true class falls in one cluster"
    run_operator("rename_clustering_run", blobs, run_key="vc", new_run_key="renamed", confirm=True)
    assert blobs.count("renamed.label") == len(blobs)
    run_operator("delete_clustering_run", blobs, run_key="renamed")
    assert not blobs.has_field("renamed")


def test_the_label_type_of_a_field_never_changes_under_it(blobs, patches):
    compute_visual_clusters(blobs, "vc", brain_key="points", label_type="classification")
    with pytest.raises(ValueError, match="wrote classifications to field 'vc'"):
        compute_visual_clusters(blobs, "vc", brain_key="points", overwrite=True)
    compute_visual_clusters(blobs, "vc", brain_key="points", overwrite=True, label_field="as_text")
    assert blobs.distinct("as_text") and not blobs.has_field("vc")
    with pytest.raises(ValueError, match="label_type must be one of string, classification"):
        compute_visual_clusters(blobs, "other", brain_key="points", label_type="Classification")
    with pytest.raises(ValueError, match="for sample-level runs"):
        compute_visual_clusters(patches, "vc", brain_key="patches", label_type="classification")


def test_bad_sources_say_what_to_do(blobs):
    with pytest.raises(ValueError, match="exactly one source"):
        compute_visual_clusters(blobs, "vc")
    with pytest.raises(ValueError, match="not a visualization brain run"):
        compute_visual_clusters(blobs, "vc", brain_key="nope")
    with pytest.raises(ValueError, match="not a field"):
        compute_visual_clusters(blobs, "vc", embeddings_field="nope")
    with pytest.raises(ValueError, match="identifier"):
        compute_visual_clusters(blobs, "bad key", brain_key="points")
    with pytest.raises(ValueError, match="unknown hyperparameter"):
        compute_visual_clusters(blobs, "vc", brain_key="points", colour="red")
    assert blobs.list_runs() == []


def test_patch_level_runs_label_each_patch(patches, run_operator):
    dataset = patches
    run_operator("compute_visual_clusters", dataset, run_key="pc", brain_key="patches")
    labels, true = dataset.values(["ground_truth.detections.pc", "ground_truth.detections.truth"], unwind=True)
    run = load_clustering_run(dataset, "pc")
    assert len(labels) == 400 and labels == label_values(run.labels)  # each patch got its own point's label
    assert len(run.label_ids) == 400 and run.config["patches_field"] == "ground_truth"
    assert len(run_operator("load_cluster_view", dataset, run_key="pc", cluster=0).result) == 1
    run_operator("rename_clustering_run", dataset, run_key="pc", new_run_key="patch_clusters", confirm=True)
    assert dataset.has_field("ground_truth.detections.patch_clusters") and not dataset.has_field("ground_truth.detections.pc")
    run_operator("delete_clustering_run", dataset, run_key="patch_clusters")
    assert not dataset.has_field("ground_truth.detections.patch_clusters")
