"""Two sets of U-Net weights on every benchmark's data: does a network that fits its targets better cluster better?

    python bench/bench_weights.py tuned.pt                  # against the shipped weights (about 12 minutes on 2 cores)
    python bench/bench_weights.py tuned.pt --against a.pt

The training script scores a network by its held-out area IoU; a user gets
the clustering. Both weights cluster the person-separable suite, the toys,
digits-UMAP and the real plots (``bench_person``), the suite's other draws
(``bench_draws``), its drawings rounded to 60 values, turned 30 degrees and
thinned to a half and a quarter (``bench_invariance``), the scenes
(``bench_scenes``) and 100 held-out generator datasets (``bench_engine``),
each scored as ``bench_person`` scores. Prints each benchmark's mean and
collapses for both, and the datasets whose score moved by more than
``MOVED``. Writes nothing.
"""

import argparse

import numpy as np

import person_suite
from bench_draws import MAX_POINTS, SEEDS as DRAW_SEEDS
from bench_invariance import DRAWINGS, MAX_POINTS as DRAWN_POINTS
from bench_person import COLLAPSE, datasets as person_datasets, score
from bench_scenes import SEEDS as SCENE_SEEDS
from scenes import scene

DRAWN = ("60 values across", "turned 30 degrees", "half the points", "a quarter of the points")
HELD_OUT = 100
MOVED = 0.05


def datasets():
    """(benchmark, name, X, truth) of every benchmark above."""
    from visual_clustering_core.training import render_example

    yield from person_datasets()
    for name, generate in person_suite.SUITE.items():
        X, truth = person_suite.load(name)
        if len(X) > MAX_POINTS:
            continue
        for seed in DRAW_SEEDS:
            Xs, ts = generate(np.random.default_rng(seed))
            yield "draws", f"{name}, seed {seed}", np.asarray(Xs, float), np.asarray(ts, int)
        for drawing in DRAWN if len(X) <= DRAWN_POINTS else ():
            drawn = DRAWINGS[drawing](X)
            if drawn is not None:
                yield "drawings", f"{name}, {drawing}", drawn[0], truth[drawn[1]]
    for seed in SCENE_SEEDS:
        X, truth, _ = scene(seed)
        yield "scenes", f"scene {seed}", X, truth
    for i in range(HELD_OUT):
        _, _, X, labels = render_example([0, 1, i])
        yield "held-out generator", f"dataset {i}", X, labels


def compare(weights, against):
    """Rows of (benchmark, name, score with ``weights``, score with ``against``)."""
    from visual_clustering_core import VisualClustering

    rows = []
    for benchmark, name, X, truth in datasets():
        new, old = (score(np.asarray(truth), VisualClustering(weights=w).fit_predict(X)) for w in (weights, against))
        rows.append((benchmark, name, new, old))
        print(f"{benchmark}: {name} {old:.3f} -> {new:.3f}", flush=True)
    return rows


def report(rows, weights, against):
    lines = [f"| benchmark | sets | `{against}` | `{weights}` | collapses (< {COLLAPSE}) |", "|---|---|---|---|---|"]
    for benchmark in dict.fromkeys(r[0] for r in rows):
        new, old = (np.array([r[k] for r in rows if r[0] == benchmark]) for k in (2, 3))
        lines.append(f"| {benchmark} | {len(new)} | {old.mean():.3f} | {new.mean():.3f} | "
                     f"{(old < COLLAPSE).sum()} -> {(new < COLLAPSE).sum()} |")
    moved = [f"- {b}: {name} {old:.3f} -> {new:.3f}" for b, name, new, old in rows if abs(new - old) > MOVED]
    return "\n".join(lines + ["", f"Moved by more than {MOVED}:"] + moved) + "\n"


def main():
    from visual_clustering_core.unet import WEIGHTS_PATH

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("weights", help="weights written by visual_clustering_core.training")
    parser.add_argument("--against", default=str(WEIGHTS_PATH), help="the weights to compare with (the shipped ones)")
    args = parser.parse_args()
    print(report(compare(args.weights, args.against), args.weights, args.against))


if __name__ == "__main__":
    main()
