"""The person-separable suite on other draws of its generators: how much of its score is the draw's luck.

    python bench/bench_draws.py             # 3 other draws of every set under 200,000 points (about 5 minutes)

The suite's own draws (``person_suite.load``) are the ones the engine was
looked at on; a rule that holds on them only by chance fails on other draws of
the same generators. Each set is drawn again with seeds 100, 101 and 102 and
scored as ``bench_person`` scores it (AMI, noise a class; one group: share in
the largest cluster). Writes ``bench/results/draws.md`` and the README between
its ``bench:draws`` markers.
"""

import argparse

import numpy as np

import person_suite
from bench_person import COLLAPSE, score
from common import write_section

SEEDS = (100, 101, 102)
MAX_POINTS = 200_000  # larger sets take minutes a draw and do not vary between draws


def draws(seeds=SEEDS):
    """Rows of (name, suite draw's score, [(score, clusters) per other draw])."""
    from visual_clustering_core import VisualClustering

    rows = []
    for name, generate in person_suite.SUITE.items():
        X, truth = person_suite.load(name)
        if len(X) > MAX_POINTS:
            continue
        own = score(truth, VisualClustering().fit_predict(X))
        others = []
        for seed in seeds:
            X, truth = generate(np.random.default_rng(seed))
            labels = VisualClustering().fit_predict(np.asarray(X, float))
            others.append((score(np.asarray(truth, int), labels), len(np.unique(labels[labels >= 0]))))
        rows.append((name, own, others))
        print(name, f"{own:.3f}", [f"{s:.3f}/{k}" for s, k in others], flush=True)
    return rows


def report(rows, command):
    own = np.array([r[1] for r in rows])
    others = np.array([[s for s, _ in r[2]] for r in rows])
    lines = [f"Measured with `{command}`: visual clustering on {len(rows)} suite sets of at most {MAX_POINTS:,} points, "
             f"each drawn again with seeds {', '.join(map(str, SEEDS))}. Cells: score (clusters found).", "",
             "| | mean | median | collapses (< 0.2) |", "|---|---|---|---|",
             f"| the suite's draws | {own.mean():.3f} | {np.median(own):.3f} | {int((own < COLLAPSE).sum())} |",
             f"| other draws | {others.mean():.3f} | {np.median(others):.3f} | {int((others < COLLAPSE).sum())} of {others.size} |",
             "", "<details><summary>Per dataset</summary>", "",
             "| dataset | suite's draw | " + " | ".join(f"seed {s}" for s in SEEDS) + " |", "|---|---|" + "---|" * len(SEEDS)]
    lines += [f"| {name} | {o:.2f} | " + " | ".join(f"{s:.2f} ({k})" for s, k in draw) + " |" for name, o, draw in rows]
    return "\n".join(lines + ["", "</details>"]) + "\n"


def main():
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    text = report(draws(), "python bench/bench_draws.py")
    print(text)
    write_section("draws", text)


if __name__ == "__main__":
    main()
