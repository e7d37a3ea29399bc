"""Quality on random scenes of shapes a visible gap parts (``bench/scenes.py``), against HDBSCAN and k-means.

    python bench/bench_scenes.py             # 120 scenes, seeds 1000-1119 (about 4 minutes on 2 cores)

Scored as ``bench_person`` scores (AMI, noise a class). Noise as a class
hides a shape left all noise (a partition is the same whatever its label),
so the table also counts the shapes *lost* (over 30% of their points noise)
and *split* (their largest cluster holding under 80% of their points).
Writes ``bench/results/scenes.md`` and the README between its
``bench:scenes`` markers.
"""

import argparse

import numpy as np

from bench_person import COLLAPSE, methods, score
from common import write_section
from scenes import scene

SEEDS = range(1000, 1120)
LOST, SPLIT = 0.3, 0.8


def evaluate(seeds=SEEDS):
    """Per method: a row per scene of (score, clusters found == shapes, shapes lost, shapes split); and the number
    of shapes."""
    rows, shapes = {}, 0
    for seed in seeds:
        X, truth, _ = scene(seed)
        k = len(np.unique(truth))
        shapes += k
        for method, fit_predict in methods(k, quick=False).items():
            if method == "HDBSCAN (default)":
                continue
            labels = np.asarray(fit_predict(X))
            rows.setdefault(method, []).append((score(truth, labels), len(np.unique(labels[labels >= 0])) == k,
                                                *_lost_and_split(truth, labels)))
        print(seed, {m: f"{r[-1][0]:.3f}" for m, r in rows.items()}, flush=True)
    return rows, shapes


def _lost_and_split(truth, labels):
    """How many shapes are mostly noise, and how many are spread over clusters (not lost, largest under ``SPLIT``)."""
    lost = split = 0
    for shape in np.unique(truth):
        found = labels[truth == shape]
        if (found < 0).mean() > LOST:
            lost += 1
        elif np.bincount(found[found >= 0]).max() < SPLIT * len(found):
            split += 1
    return lost, split


def report(rows, shapes, command):
    n = len(next(iter(rows.values())))
    lines = [f"Measured with `{command}`: {n} scenes (`bench/scenes.py`, seeds {SEEDS.start}-{SEEDS.stop - 1}), "
             f"{shapes} shapes, 2 to 8 a scene, each parted from the others by a gap of 4 point spacings or more.", "",
             "| method | mean AMI | median AMI | under 0.9 | exact k | shapes lost | shapes split | collapses (< 0.2) "
             "|",
             "|---|---|---|---|---|---|---|---|"]
    for method, r in rows.items():
        s, exact, lost, split = (np.array(c) for c in zip(*r))
        lines.append(f"| {method} | {s.mean():.3f} | {np.median(s):.3f} | {(s < 0.9).sum()} | {exact.mean():.0%} | "
                     f"{lost.sum()} | {split.sum()} | {(s < COLLAPSE).sum()} |")
    return "\n".join(lines) + "\n"


def main():
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    text = report(*evaluate(), "python bench/bench_scenes.py")
    print(text)
    write_section("scenes", text)


if __name__ == "__main__":
    main()
