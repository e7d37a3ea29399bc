"""The operators' forms as the App resolves them: bad input is marked on the form before Execute."""

from visual_clustering_core.runs import delete_clustering_run, load_clustering_run
from visual_clustering_core.sdk import compute_visual_clusters


def _invalid(properties):
    return {name: p.error_message for name, p in properties.items() if p.invalid}


def test_a_taken_run_key_is_marked_on_the_form_until_overwrite_is_ticked(blobs, form):
    compute_visual_clusters(blobs, "vc", brain_key="points")
    assert "already has a clustering run 'vc'" in _invalid(form("compute_visual_clusters", blobs, run_key="vc", brain_key="points"))["run_key"]
    assert _invalid(form("compute_visual_clusters", blobs, run_key="vc", brain_key="points", overwrite=True)) == {}


def test_a_users_field_is_marked_whatever_overwrite_says(blobs, form):
    for overwrite in (False, True):
        invalid = _invalid(form("compute_visual_clusters", blobs, run_key="vc", label_field="truth", overwrite=overwrite, brain_key="points"))
        assert "never overwritten" in invalid["label_field"]


def test_a_change_of_label_type_in_a_field_and_patch_classifications_are_marked(blobs, patches, form):
    compute_visual_clusters(blobs, "vc", brain_key="points")
    invalid = _invalid(form("compute_visual_clusters", blobs, run_key="vc", brain_key="points", overwrite=True, label_type="classification"))
    assert "wrote strings to field 'vc'" in invalid["label_type"]
    assert _invalid(form("compute_visual_clusters", blobs, run_key="vc", brain_key="points", overwrite=True, label_field="cls",
                         label_type="classification")) == {}
    invalid = _invalid(form("compute_visual_clusters", patches, run_key="vc", brain_key="patches", label_type="classification"))
    assert "for sample-level runs" in invalid["label_type"]


def test_bad_identifiers_and_hyperparameters_are_marked(blobs, form):
    invalid = _invalid(form("compute_visual_clusters", blobs, run_key="bad key", brain_key="points", advanced=True, resolution=100, threshold=1.5,
                            persistence=2.0))
    assert "identifier" in invalid["run_key"]
    assert "multiple of 16" in invalid["resolution"] and "between 0 and 1" in invalid["threshold"]
    assert "fewer clusters" in invalid["persistence"]


def test_the_default_run_key_is_free_and_follows_the_method(blobs, form):
    assert form("compute_visual_clusters", blobs)["run_key"].default == "visual_clusters"
    compute_visual_clusters(blobs, "visual_clusters", brain_key="points")
    assert form("compute_visual_clusters", blobs)["run_key"].default == "visual_clusters_2"
    assert form("compute_baseline_clusters", blobs, method="hdbscan")["run_key"].default == "hdbscan_clusters"


def test_delegation_says_what_it_needs_on_stock_fiftyone(blobs, form):
    properties = form("compute_visual_clusters", blobs)
    assert "delegate" not in properties
    assert "FIFTYONE_ALLOW_LEGACY_ORCHESTRATORS" in properties["no_delegation"].view.label


def test_the_projection_is_saved_by_default_reused_and_deleted_with_its_runs(blobs, form):
    properties = form("compute_visual_clusters", blobs, source="embeddings_field", embeddings_field="embedding", projection="pca", run_key="a")
    assert properties["save_brain_key"].default == "a_pca"
    compute_visual_clusters(blobs, "a", embeddings_field="embedding", projection="pca")
    assert "a_pca" in blobs.list_brain_runs()
    assert "reused_projection" in form("compute_visual_clusters", blobs, source="embeddings_field", embeddings_field="embedding", projection="pca")
    compute_visual_clusters(blobs, "b", embeddings_field="embedding", projection="pca")
    b = load_clustering_run(blobs, "b")
    assert b.config["source"]["projection_brain_key"] == "a_pca" and b.timings["project_s"] == 0
    assert sorted(blobs.list_brain_runs()) == ["a_pca", "points"], "reused, not saved again"
    delete_clustering_run(blobs, "a")
    assert "a_pca" in blobs.list_brain_runs(), "run b still reads it"
    delete_clustering_run(blobs, "b")
    assert blobs.list_brain_runs() == ["points"]


def test_a_projection_can_be_kept(blobs):
    compute_visual_clusters(blobs, "a", embeddings_field="embedding", projection="pca")
    delete_clustering_run(blobs, "a", keep_projection=True)
    assert "a_pca" in blobs.list_brain_runs()


def test_labels_sort_as_numbers_past_ten_clusters():
    from visual_clustering_core.encoding import label_values

    assert label_values([0, 10, 2, -1]) == ["00", "10", "02", "noise"]
    assert label_values([1, 0, -1]) == ["1", "0", "noise"]


def test_load_cluster_lists_the_clusters_with_their_sizes(blobs, form):
    compute_visual_clusters(blobs, "vc", brain_key="points", min_cluster_size=150)
    run = load_clustering_run(blobs, "vc")
    choices = form("load_cluster_view", blobs, run_key="vc")["cluster"].view.choices
    labels = [choice.label for choice in choices]
    assert labels[: run.n_clusters] == [f"{i} ({n:,} points)" for i, n in enumerate(run.cluster_sizes)]
    if (run.labels < 0).any():
        assert labels[-1].startswith("noise (")


def test_run_info_and_the_run_summary_show_the_methods_picture(blobs, run_operator):
    result = run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    assert result.result["picture"].startswith("![vc](data:image/png;base64,")
    info = run_operator("get_clustering_run_info", blobs, run_key="vc").result
    assert info["picture"].startswith("![vc](data:image/png;base64,") and info["config"].startswith("```json")


def test_the_only_embeddings_field_is_preselected(blobs, form):
    assert form("compute_visual_clusters", blobs, source="embeddings_field")["embeddings_field"].default == "embedding"


def test_rename_says_what_it_will_do(blobs, form):
    compute_visual_clusters(blobs, "vc", brain_key="points")
    properties = form("rename_clustering_run", blobs, run_key="vc", new_run_key="renamed")
    assert "its field 'vc' to 'renamed'" in properties["consequence"].view.label
    assert properties["confirm"].invalid, "Execute stays disabled until the rename is confirmed"
    assert not form("rename_clustering_run", blobs, run_key="vc", new_run_key="renamed", confirm=True)["confirm"].invalid


def test_run_forms_open_on_the_latest_run(blobs, form):
    compute_visual_clusters(blobs, "first", brain_key="points")
    compute_visual_clusters(blobs, "latest", brain_key="points")
    for name in ("get_clustering_run_info", "rename_clustering_run", "delete_clustering_run", "load_cluster_view"):
        assert form(name, blobs)["run_key"].default == "latest", name
