"""How the post-processing defaults were chosen: a grid over seeds, density-valley merging and reach.

    python bench/tune_segmentation.py [--datasets 60]

Scores mean AMI on the validation stream of synthetic datasets (seeds
``[0, 2, i]``: neither the training stream nor the held-out stream the
benchmark reports; AMI on at most 30,000 sampled points per dataset) and on
the scikit-learn toy datasets, which a setting must not break. The network
runs once per dataset; only the cheap post-processing is repeated.
"""

import argparse
import itertools

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import VisualClustering
from visual_clustering_core.estimator import _lookup, finish_label_map
from visual_clustering_core.raster import pixel_counts, smoothed_density
from visual_clustering_core.segmentation import MIN_SEED_PIXELS, SEED_THRESHOLD, VALLEY, label_areas
from visual_clustering_core.toy import TOY_NAMES, toy_dataset
from visual_clustering_core.training import render_example

SEED_THRESHOLDS = (0.5, 0.6, 0.7)
SEED_PIXELS = (8, 16, 32)
VALLEYS = (None, 0.4, 0.5, 0.6)
REACHES = (0.0, 0.5)
GROW = 6
MAX_POINTS = 30_000


def network_outputs(X, truth, weights, rng):
    """What the post-processing needs from one dataset: truth, probabilities, pixels, counts, density."""
    model = VisualClustering(weights=weights).fit(X)
    pixels = model.transform_.pixel_indices(X)
    counts = pixel_counts(pixels, model.resolution)
    if len(X) > MAX_POINTS:
        keep = rng.choice(len(X), MAX_POINTS, replace=False)
        truth, pixels = truth[keep], pixels[keep]
    return truth, model.probability_, pixels, counts, smoothed_density(counts)


def score(case, setting):
    truth, prob, pixels, counts, density = case
    seed_threshold, min_seed_pixels, valley, reach = setting
    areas = label_areas(prob[0], prob[1], None if valley is None else density, 0.5, seed_threshold, min_seed_pixels, valley)
    label_map, _ = finish_label_map(areas, counts, GROW, reach, 5)
    return adjusted_mutual_info_score(truth, _lookup(label_map, pixels))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=60)
    parser.add_argument("--weights", default=None)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    toys = [network_outputs(*toy_dataset(name), args.weights, rng) for name in TOY_NAMES if name != "no_structure"]
    cases = []
    for i in range(args.datasets):
        _, _, X, truth = render_example([0, 2, i])
        cases.append(network_outputs(X, truth, args.weights, rng))
    rows = []
    for setting in itertools.product(SEED_THRESHOLDS, SEED_PIXELS, VALLEYS, REACHES):
        validation = float(np.mean([score(case, setting) for case in cases]))
        toy_scores = [score(case, setting) for case in toys]
        rows.append((validation, min(toy_scores), setting))
    print("| validation mean AMI | worst toy AMI | seed threshold | min seed pixels | valley | reach |")
    print("|---|---|---|---|---|---|")
    default = (SEED_THRESHOLD, MIN_SEED_PIXELS, VALLEY, VisualClustering().reach)
    ranked = sorted(rows, key=lambda row: -row[0])
    for validation, worst_toy, setting in ranked[:20] + [row for row in ranked[20:] if row[2] == default]:
        mark = " (default)" if setting == default else ""
        print(f"| {validation:.4f}{mark} | {worst_toy:.3f} | " + " | ".join(map(str, setting)) + " |")


if __name__ == "__main__":
    main()
