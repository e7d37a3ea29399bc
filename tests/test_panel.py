"""The Clustering runs panel through FiftyOne's own panel execution: what it shows, and where its clicks lead."""

import fiftyone as fo
import fiftyone.operators as foo

from visual_clustering_core.sdk import compute_baseline_clusters, compute_visual_clusters

PANEL = "@vcl/visual-clustering/clustering_runs"


def _event(dataset, method, state, **params):
    """Run one panel event as the App does; returns the requests the panel sends back to the App, by operator."""
    result = foo.execute_operator(PANEL, ctx={"dataset": dataset, "params": {"__method__": method, "panel_id": "p", "panel_state": state, **params}})
    assert result.error is None, result.error
    requests = {}
    for request in result.to_json()["executor"]["requests"]:
        requests.setdefault(request["operator_uri"], []).append(request["params"])
    return requests


def _shown(requests):
    return requests["show_panel_output"][-1]["output"]["type"]["properties"]


def _blobs_with_truth(blobs):
    blobs.set_values("gt", [fo.Classification(label="abc"[t]) for t in blobs.values("truth")])
    compute_visual_clusters(blobs, "vc", brain_key="points")
    compute_baseline_clusters(blobs, "km", brain_key="points", n_clusters=3)


def test_the_panel_opens_on_the_latest_runs_against_the_only_truth(blobs):
    _blobs_with_truth(blobs)
    blobs.delete_sample_fields(["truth", "embed_truth"])  # gt is left the only candidate
    requests = _event(blobs, "on_load", {})
    state = {k: v for patch in requests["patch_panel_state"] for k, v in patch["state"].items()}
    assert state == {"run_keys": ["km", "vc"], "gt_field": "gt"}
    shown = _shown(requests)
    agreement = shown["agreement"]["view"]["data"][0]
    assert agreement["x"] == ["km", "vc"] and agreement["z"][0][1] > 0.95
    confusion = shown["confusion_vc"]["view"]["data"][0]
    assert confusion["type"] == "heatmap" and confusion["x"] == ["a", "b", "c"] and confusion["name"] == "vc"
    assert sum(map(sum, confusion["z"])) == len(blobs), "every point is in one cell"
    assert "f_score" in str(shown["scores"]), "the scores table"
    assert shown["confusion_vc"]["view"]["on_click"].endswith("#on_click_cell")


def test_a_click_on_a_cell_opens_that_clusters_samples_of_that_class(blobs):
    _blobs_with_truth(blobs)
    confusion = _shown(_event(blobs, "on_change_truth", {"run_keys": ["vc"]}, value="gt"))["confusion_vc"]["view"]["data"][0]
    row = confusion["z"][0]
    column = row.index(max(row))
    requests = _event(blobs, "on_click_cell", {"run_keys": ["vc"], "gt_field": "gt"}, trace="vc", x=confusion["x"][column], y=confusion["y"][0])
    view = fo.DatasetView._build(blobs, requests["set_view"][0]["view"])
    assert len(view) == row[column], "the cell's count of samples"
    assert set(view.values("vc")) == {"0"} and set(view.values("gt.label")) == {confusion["x"][column]}


def test_without_a_truth_each_run_shows_its_cluster_sizes_and_a_click_opens_a_cluster(blobs):
    compute_visual_clusters(blobs, "vc", brain_key="points")
    requests = _event(blobs, "on_change_truth", {"run_keys": ["vc"], "gt_field": "truth"}, value=None)
    bars = _shown(requests)["sizes_vc"]["view"]["data"][0]
    assert bars["type"] == "bar" and sum(bars["y"]) == len(blobs)
    requests = _event(blobs, "on_click_bar", {"run_keys": ["vc"]}, trace="vc", x=bars["x"][0], y=bars["y"][0])
    view = fo.DatasetView._build(blobs, requests["set_view"][0]["view"])
    assert len(view) == bars["y"][0] and set(view.values("vc")) == {"0"}


def test_with_no_run_the_panel_says_what_to_do(blobs):
    assert "Compute visual clusters" in str(_shown(_event(blobs, "on_load", {})))
