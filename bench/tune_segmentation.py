"""How the post-processing defaults were chosen: a grid over seed threshold, seed size, merge level, grow.

    python bench/tune_segmentation.py [--datasets 150]

Scores mean AMI on the validation stream of synthetic datasets (seeds
``[0, 2, i]``: neither the training stream nor the held-out stream the
benchmark reports). The network runs once per dataset; only the cheap
post-processing is repeated for each setting.
"""

import argparse
import itertools

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.estimator import _lookup, finish_label_map
from visual_clustering_core.raster import pixel_counts
from visual_clustering_core.segmentation import label_areas
from visual_clustering_core.training import render_example

SEED_THRESHOLDS = (0.4, 0.5, 0.6)
MIN_SEEDS = (0.0, 0.02)
MERGE_LEVELS = (None, 0.7, 0.8, 0.9)
GROWS = (3, 6, 10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=150)
    parser.add_argument("--weights", default=None)
    args = parser.parse_args()
    cases = []
    for i in range(args.datasets):
        _, _, X, truth = render_example([0, 2, i])
        model = VisualClustering(weights=args.weights).fit(X)
        pixels = model.transform_.pixel_indices(X)
        cases.append((truth, model.probability_, pixels, pixel_counts(pixels, model.resolution)))
    rows = []
    for setting in itertools.product(SEED_THRESHOLDS, MIN_SEEDS, MERGE_LEVELS, GROWS):
        seed_threshold, min_seed, merge_level, grow = setting
        scores = []
        for truth, prob, pixels, counts in cases:
            areas = label_areas(prob[0], prob[1], 0.5, seed_threshold, min_seed, merge_level)
            label_map, _ = finish_label_map(areas, counts, grow, 5)
            scores.append(adjusted_mutual_info_score(truth, _lookup(label_map, pixels)))
        rows.append((float(np.mean(scores)), setting))
    print("| mean AMI | seed threshold | min seed | merge level | grow |\n|---|---|---|---|---|")
    for score, setting in sorted(rows, key=lambda row: -row[0])[:15]:
        print(f"| {score:.4f} | " + " | ".join(map(str, setting)) + " |")


if __name__ == "__main__":
    main()
