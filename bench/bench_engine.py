"""The U-Net path against the no-network path on the toys and on the generator's held-out data.

    python bench/bench_engine.py            # full run (a few minutes on 2 cores)
    python bench/bench_engine.py --quick    # smaller suite, prints only

The no-network path replaces the U-Net's area map by a blurred log-density above
its Otsu threshold; the density split is the same. Speed and memory
against k-means, HDBSCAN and DBSCAN are in ``bench/bench_compare.py``. Writes
``bench/results/engine.md`` and the README between its ``bench:engine`` markers.
"""

import argparse

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

from common import write_section

PATHS = {"unet": "U-Net (default)", "threshold": "no network: blurred-density Otsu area (same density split)"}


def toy_quality():
    from visual_clustering_core import VisualClustering
    from visual_clustering_core.toy import TOY_NAMES, toy_dataset

    rows = []
    for name in TOY_NAMES:
        X, y = toy_dataset(name)
        row = {"name": name}
        for segmenter in PATHS:
            model = VisualClustering(segmenter=segmenter).fit(X)
            row[segmenter] = {
                "ami": adjusted_mutual_info_score(y, model.labels_) if name != "no_structure" else None,
                "clusters": int(model.n_clusters_),
            }
        rows.append(row)
    return rows


def heldout(n_datasets):
    """AMI of both paths on each held-out synthetic dataset (seeds [0, 1, i], never trained on)."""
    from visual_clustering_core import VisualClustering
    from visual_clustering_core.training import render_example

    scores = {segmenter: [] for segmenter in PATHS}
    for i in range(n_datasets):
        _, _, X, labels = render_example([0, 1, i])
        for segmenter in scores:
            scores[segmenter].append(adjusted_mutual_info_score(labels, VisualClustering(segmenter=segmenter).fit_predict(X)))
    return {k: np.array(v) for k, v in scores.items()}


def report(toy_rows, held, n_held, command):
    fmt = lambda v: "-" if v is None else f"{v:.3f}"
    lines = [f"Measured with `{command}` on this 2-core CPU machine (speed: `bench/bench_compare.py`).", ""]
    lines += ["**scikit-learn toy datasets** (n = 1500, standardised; AMI against the true labels)", ""]
    lines += ["| dataset | U-Net AMI | clusters | no-network AMI | clusters |", "|---|---|---|---|---|"]
    for row in toy_rows:
        u, t = row["unet"], row["threshold"]
        lines.append(f"| {row['name']} | {fmt(u['ami'])} | {u['clusters']} | {fmt(t['ami'])} | {t['clusters']} |")
    lines += ["", f"**Held-out synthetic suite** ({n_held} datasets the network never saw; mean / median AMI)", ""]
    lines += ["| path | mean AMI | median AMI |", "|---|---|---|"]
    lines += [f"| {label} | {held[k].mean():.3f} | {np.median(held[k]):.3f} |" for k, label in PATHS.items()]
    difference = held["unet"] - held["threshold"]
    lines += ["", f"The U-Net path scores higher on {(difference > 0.01).sum()} datasets, lower on "
              f"{(difference < -0.01).sum()}, within 0.01 on the other {(abs(difference) <= 0.01).sum()}."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 20-dataset held-out suite; nothing written")
    args = parser.parse_args()
    n_held = 20 if args.quick else 200
    command = "python bench/bench_engine.py" + (" --quick" if args.quick else "")
    text = report(toy_quality(), heldout(n_held), n_held, command)
    print(text)
    if not args.quick:
        write_section("engine", text)


if __name__ == "__main__":
    main()
