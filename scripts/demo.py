"""Cluster the scikit-learn toy datasets with the default VisualClustering and draw the result."""

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.plotting import draw_image, draw_points
from visual_clustering_core.toy import TOY_NAMES, toy_dataset


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="out", help="folder for toy_clusters.png")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    fig, axes = plt.subplots(2, len(TOY_NAMES), figsize=(3 * len(TOY_NAMES), 6.2))
    print(f"{'dataset':<14} {'clusters':>8} {'noise':>6} {'AMI':>6} {'time':>8}")
    for column, name in enumerate(TOY_NAMES):
        X, y = toy_dataset(name)
        VisualClustering().fit(X)  # warm-up: the first call loads the network
        start = time.perf_counter()
        model = VisualClustering().fit(X)
        elapsed = time.perf_counter() - start
        ami = adjusted_mutual_info_score(y, model.labels_) if name != "no_structure" else float("nan")
        noise = (model.labels_ < 0).mean()
        print(f"{name:<14} {model.n_clusters_:>8} {noise:>6.1%} {ami:>6.3f} {elapsed * 1000:>6.1f}ms")
        draw_points(axes[0, column], X, model.labels_, f"{name}\n{model.n_clusters_} clusters, AMI {ami:.2f}")
        draw_image(axes[1, column], model.label_map_, "segmentation", labels=True)
    fig.tight_layout()
    path = out / "toy_clusters.png"
    fig.savefig(path, dpi=80)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
