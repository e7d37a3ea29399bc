"""The main job, offline: visual clustering of the toy datasets and of a FiftyOne dataset of digits.

1. Clusters scikit-learn's toy datasets and writes ``<out>/toy_clusters.png``.
2. Builds a FiftyOne dataset of scikit-learn's 1,797 handwritten digits (written as
   PNG files, their pixels as the embedding, the digit as ground truth), computes
   a UMAP visualization with FiftyOne Brain, runs ``compute_visual_clusters`` and
   prints what it found against the digits. ``--app`` then opens the App with the
   plugin loaded: colour the Embeddings panel by ``visual_clusters``.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = "visual-clustering-digits"


def toy_figure(out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import adjusted_mutual_info_score

    from visual_clustering_core import VisualClustering
    from visual_clustering_core.plotting import draw_image, draw_points
    from visual_clustering_core.toy import TOY_NAMES, toy_dataset

    fig, axes = plt.subplots(2, len(TOY_NAMES), figsize=(3 * len(TOY_NAMES), 6.2))
    print(f"{'toy dataset':<14} {'clusters':>8} {'noise':>6} {'AMI':>6} {'time':>8}")
    for column, name in enumerate(TOY_NAMES):
        X, y = toy_dataset(name)
        VisualClustering().fit(X[:10])  # the first call loads the network
        start = time.perf_counter()
        model = VisualClustering().fit(X)
        elapsed = time.perf_counter() - start
        ami = adjusted_mutual_info_score(y, model.labels_) if name != "no_structure" else float("nan")
        print(f"{name:<14} {model.n_clusters_:>8} {(model.labels_ < 0).mean():>6.1%} {ami:>6.3f} {elapsed * 1000:>6.1f}ms")
        draw_points(axes[0, column], X, model.labels_, f"{name}\n{model.n_clusters_} cluster{'s' * (model.n_clusters_ != 1)}" + (f", AMI {ami:.2f}" if ami == ami else ""))
        draw_image(axes[1, column], model.label_map_, "segmentation", labels=True)
    fig.tight_layout()
    fig.savefig(out / "toy_clusters.png", dpi=80)
    plt.close(fig)
    print(f"wrote {out / 'toy_clusters.png'}\n")


def digits_dataset(image_dir):
    """scikit-learn's digits as a FiftyOne dataset: 32x32 PNGs, 64-D pixel embeddings, the digit as truth."""
    import fiftyone as fo
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    image_dir.mkdir(parents=True, exist_ok=True)
    samples = []
    for i, (pixels, target) in enumerate(zip(digits.images, digits.target)):
        path = image_dir / f"{i:04d}.png"
        if not path.exists():
            Image.fromarray((255 - pixels * 16).clip(0, 255).astype(np.uint8)).resize((32, 32), Image.NEAREST).save(path)
        samples.append(fo.Sample(filepath=str(path), ground_truth=fo.Classification(label=str(target)), pixels=(pixels.ravel() / 16).tolist()))
    if fo.dataset_exists(DATASET):
        fo.delete_dataset(DATASET)
    dataset = fo.Dataset(DATASET, persistent=True)
    dataset.add_samples(samples)
    return dataset


def cluster_digits(out):
    import fiftyone.brain as fob
    import numpy as np
    from sklearn.metrics import adjusted_mutual_info_score

    from visual_clustering_core.sdk import compute_visual_clusters

    dataset = digits_dataset(out / "digits")
    print(f"dataset {dataset.name!r}: {len(dataset)} digit images; computing a UMAP visualization ...")
    fob.compute_visualization(dataset, embeddings="pixels", method="umap", brain_key="umap", seed=0, verbose=False)
    results = compute_visual_clusters(dataset, "visual_clusters", brain_key="umap")
    truth, clusters = dataset.values(["ground_truth.label", "visual_clusters"])
    print(f"visual clustering found {len(results.cluster_sizes)} clusters; AMI against the digits: "
          f"{adjusted_mutual_info_score(truth, clusters):.3f}")
    print(f"{'cluster':>8} {'size':>5}  {'main digit':>10} {'purity':>7}")
    for cluster in sorted(set(clusters), key=lambda c: (c == "noise", int(c) if c.isdigit() else 0)):
        members = np.array(truth)[np.array(clusters) == cluster]
        digit, count = np.unique(members, return_counts=True)
        print(f"{cluster:>8} {len(members):>5}  {digit[count.argmax()]:>10} {count.max() / len(members):>7.1%}")
    return dataset


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "out"), help="folder for the picture and the digit images")
    parser.add_argument("--app", action="store_true", help="then open the FiftyOne App with the plugin loaded")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    plugins = Path(tempfile.mkdtemp(prefix="visual-clustering-plugins-"))
    (plugins / "visual-clustering").symlink_to(ROOT, target_is_directory=True)
    os.environ["FIFTYONE_PLUGINS_DIR"] = str(plugins)

    toy_figure(out)
    dataset = cluster_digits(out)
    if args.app:
        import fiftyone as fo

        print("opening the App: Embeddings panel -> brain key 'umap' -> colour by 'visual_clusters'")
        fo.launch_app(dataset).wait()


if __name__ == "__main__":
    main()
