"""Baseline runs and the comparison, through FiftyOne's operator execution on real datasets."""

import numpy as np
import pytest
from sklearn import metrics as skm

from visual_clustering_core import compare_clustering_runs, compute_baseline_clusters, load_clustering_run
from visual_clustering_core.encoding import NOISE
from visual_clustering_core.runs import list_clustering_runs


def test_kmeans_run_through_the_operator(blobs, run_operator):
    result = run_operator("compute_baseline_clusters", blobs, run_key="km", method="kmeans", n_clusters=3, brain_key="points")
    assert result.result["n_clusters"] == 3 and result.result["n_noise"] == 0
    run = load_clustering_run(blobs, "km")
    assert run.config["method"] == "kmeans" and run.config["params"]["n_clusters"] == 3
    assert run.timings["cluster_s"] > 0
    labels, truth = blobs.values(["km", "truth"])
    assert skm.adjusted_mutual_info_score(truth, labels) > 0.95
    assert sorted(set(labels)) == ["0", "1", "2"]


def test_hdbscan_on_raw_embeddings_marks_noise_like_visual_clustering(blobs, run_operator):
    outlier = blobs.first()
    outlier["embedding"] = (np.ones(16) * 1e3).tolist()
    outlier.save()
    run_operator("compute_baseline_clusters", blobs, run_key="hd", method="hdbscan", min_cluster_size=15, embeddings_field="embedding")
    run = load_clustering_run(blobs, "hd")
    assert run.config["source"]["projection"] == "none" and run.config["source"]["dimensions"] == 16
    assert run.points is None  # no 2-D points to keep for raw 16-D vectors
    assert blobs.first()["hd"] == NOISE
    assert len(set(blobs.distinct("hd")) - {NOISE}) == 3


def test_baseline_runs_are_managed_like_visual_ones(blobs, run_operator):
    compute_baseline_clusters(blobs, "km", n_clusters=3, brain_key="points")
    with pytest.raises(ValueError, match="overwrite=True"):
        compute_baseline_clusters(blobs, "km", n_clusters=4, brain_key="points")
    run_operator("rename_clustering_run", blobs, run_key="km", new_run_key="kmeans3", confirm=True)
    assert blobs.has_field("kmeans3") and not blobs.has_field("km")
    run_operator("delete_clustering_run", blobs, run_key="kmeans3")
    assert list_clustering_runs(blobs) == [] and not blobs.has_field("kmeans3")


def test_bad_baseline_params_leave_nothing_behind(blobs):
    fields = set(blobs.get_field_schema())
    with pytest.raises(ValueError, match="n_clusters"):
        compute_baseline_clusters(blobs, "km", n_clusters=0, brain_key="points")
    with pytest.raises(ValueError, match="only 2-D points"):
        compute_baseline_clusters(blobs, "km", embeddings_field="embedding", save_brain_key="raw")
    assert set(blobs.get_field_schema()) == fields and blobs.list_runs() == []


def test_comparison_scores_match_scikit_learn(blobs, run_operator, tmp_path):
    run_operator("compute_visual_clusters", blobs, run_key="vc", brain_key="points")
    run_operator("compute_baseline_clusters", blobs, run_key="km", method="kmeans", n_clusters=2, brain_key="points")
    comparison = compare_clustering_runs(blobs, ["vc", "km"], gt_field="truth", plot_path=tmp_path / "runs.png")
    truth = np.array(blobs.values("truth"))
    for row, key in zip(comparison.rows, ["vc", "km"]):
        run = load_clustering_run(blobs, key)
        labels = dict(zip(run.sample_ids, run.labels))
        labels = np.array([labels[i] for i in blobs.values("id")])
        assert row["ami"] == pytest.approx(skm.adjusted_mutual_info_score(truth, labels))
        assert row["ari"] == pytest.approx(skm.adjusted_rand_score(truth, labels))
        assert row["n_clusters"] == len(set(labels[labels >= 0]))
    assert comparison.rows[1]["n_clusters"] == 2 and comparison.rows[1]["purity"] == pytest.approx(2 / 3, abs=0.01)
    assert comparison.agreement.shape == (2, 2) and comparison.agreement[0, 1] < 1
    assert (tmp_path / "runs.png").stat().st_size > 10_000
    assert "| n_clusters | 3 | 2 |" in comparison.to_markdown() and "| n_points | 600 | 600 |" in comparison.to_markdown()
    assert all(row["cluster_s"] > 0 for row in comparison.rows)  # seconds clustering, and apart projecting:
    assert "| project_s | 0.000 | 0.000 |" in comparison.to_markdown()  # the points were a visualization run's


def test_a_run_agrees_perfectly_with_itself(blobs):
    compute_baseline_clusters(blobs, "km", n_clusters=3, brain_key="points")
    comparison = compare_clustering_runs(blobs, ["km", "km"])
    assert np.allclose(comparison.agreement, 1.0)
    assert "ami" not in comparison.rows[0]  # no ground truth, no scores


def test_runs_on_different_samples_are_compared_where_they_overlap(blobs, run_operator):
    import fiftyone as fo

    view = blobs.match(fo.ViewField("truth") != 2)
    run_operator("compute_visual_clusters", blobs, view=view, run_key="part", brain_key="points")
    compute_baseline_clusters(blobs, "km", n_clusters=3, brain_key="points")
    comparison = compare_clustering_runs(blobs, ["part", "km"], gt_field="truth")
    assert [row["n_points"] for row in comparison.rows] == [len(view), len(blobs)]
    assert comparison.shared[0, 1] == len(view) and comparison.warnings
    noisy = comparison.cluster_purity["part"]
    assert sum(r["size"] for r in noisy) == len(view)


def test_compare_operator_shows_a_table_and_a_picture(blobs, run_operator):
    compute_baseline_clusters(blobs, "km", n_clusters=3, brain_key="points")
    compute_baseline_clusters(blobs, "hd", method="hdbscan", brain_key="points")
    result = run_operator("compare_clustering_runs", blobs, run_keys=["km", "hd"], gt_field="truth")
    report = result.result["report"]
    assert report.startswith("![runs](data:image/png;base64,") and "![runs_tables](data:image/png;base64," in report
    assert "|  | km | hd |" in report and "| ami |" in report
    assert [row["run_key"] for row in result.result["rows"]] == ["km", "hd"]


def test_ground_truth_must_exist(blobs):
    compute_baseline_clusters(blobs, "km", n_clusters=3, brain_key="points")
    with pytest.raises(ValueError, match="not a field"):
        compare_clustering_runs(blobs, ["km"], gt_field="nope")


def test_a_run_on_a_few_samples_does_not_shrink_the_others(blobs):
    compute_baseline_clusters(blobs, "km", n_clusters=3, brain_key="points")
    compute_baseline_clusters(blobs.limit(4), "tiny", n_clusters=1, brain_key="points")
    comparison = compare_clustering_runs(blobs, ["km", "tiny"], gt_field="truth")
    assert [row["n_points"] for row in comparison.rows] == [600, 4]
    assert comparison.rows[0]["ami"] > 0.95, "km is scored on its own 600 points"
    assert comparison.shared[0, 1] == 4 and "labelled different points" in comparison.warnings[0]
    assert "Warning" in comparison.to_markdown()
