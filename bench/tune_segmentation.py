"""How the defaults of the density split were chosen: a grid over smoothing, persistence and significance.

    python bench/tune_segmentation.py

Scores each setting on the person-separable suite and the scikit-learn toys
(``bench_person.score``; at most 30,000 sampled points a dataset). The network
runs once per dataset; only the split and the label map are repeated. Prints
the suite's mean AMI and collapses, and each toy's score, per setting; writes
``bench/results/tune_segmentation.md``.
"""

import itertools

import numpy as np

from bench_person import COLLAPSE, datasets, score
from common import RESULTS
from visual_clustering_core import VisualClustering
from visual_clustering_core.estimator import _lookup
from visual_clustering_core.labelling import final_areas, label_map
from visual_clustering_core.raster import SMOOTHING, density_scale, pixel_counts
from visual_clustering_core.segmentation import PERSISTENCE, SIGNIFICANCE, split_by_density, splitting_density

SMOOTHINGS = (2.0, 3.0, 4.0)
PERSISTENCES = (0.6, 0.7, 0.8)
SIGNIFICANCES = (2.5, 3.0, 4.0)
MAX_POINTS = 30_000


def prepared(rng):
    """Per dataset: section, truth, pixels (sampled), counts and the network's mask."""
    out = []
    for section, _, X, truth in datasets():
        model = VisualClustering().fit(X)
        pixels = model.transform_.pixel_indices(X)
        counts = pixel_counts(pixels, model.resolution)
        if len(X) > MAX_POINTS:
            keep = rng.choice(len(X), MAX_POINTS, replace=False)
            truth, pixels = truth[keep], pixels[keep]
        out.append((section, truth, pixels, counts, model.mask_))
    return out


def scores(data, smoothing, persistence, significance):
    defaults = VisualClustering()
    result = []
    for section, truth, pixels, counts, mask in data:
        sigma = density_scale(counts, smoothing)
        density, along = splitting_density(counts, sigma)
        basins, regions, clusters = split_by_density(density, sigma, mask, counts, persistence, significance, along)
        areas = final_areas(regions, clusters, counts, density, sigma)
        labels, _ = label_map(basins, areas, counts, defaults.grow, defaults.reach, defaults.min_cluster_size,
                              defaults.strays, sigma)
        result.append((section, score(truth, _lookup(labels, pixels))))
    return result


def main():
    data = prepared(np.random.default_rng(0))
    lines = ["| smoothing | persistence | significance | suite mean | collapses | toys |", "|---|---|---|---|---|---|"]
    settings = list(itertools.product(SMOOTHINGS, PERSISTENCES, SIGNIFICANCES))
    for setting in settings + [(SMOOTHING, PERSISTENCE, SIGNIFICANCE)]:
        result = scores(data, *setting)
        suite = np.array([s for section, s in result if section == "suite"])
        toys = " ".join(f"{s:.3f}" for section, s in result if section == "toys")
        row = f"| {' | '.join(map(str, setting))} | {suite.mean():.3f} | {(suite < COLLAPSE).sum()} | {toys} |"
        lines.append(row)
        print(lines[-1], flush=True)
    lines[-1] = lines[-1].replace("| ", "| default: ", 1)
    (RESULTS / "tune_segmentation.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
