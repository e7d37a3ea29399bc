"""The same data drawn differently: the person-separable suite rounded, turned, stretched, with far outliers.

    python bench/bench_invariance.py      # about 11 minutes on 2 cores

A person sees the same groups in a plot whose values were recorded to a coarse
precision, turned, stretched, or drawn with a few points far away. Each dataset of the suite (and the toys) up to 30,000
points is rounded to 60, 120 and 250 values across its plot's width (4, 2 and 1
pixels a step on the 256 grid), rotated by 17, 30 and 45 degrees, stretched to
1.6 times its width, and given 0.5% more points 2.8 to 4 plot widths away
(scored on the dataset's own points); visual clustering and HDBSCAN(15, 3) are
scored as in ``bench_person.py`` against the truth. Prints the summary and the
datasets a drawing costs visual clustering more than 0.05, and writes them to
``bench/results/invariance.md`` and the README between its ``bench:invariance``
markers.
"""

from functools import partial

import numpy as np

import bench_person
from common import write_section
from person_suite import turned, with_far_outliers

MAX_POINTS = 30_000
COST = 0.05


def rounded(levels):
    """X rounded to ``levels`` values across the width of its plot."""
    def draw(X):
        step = np.ptp(X, axis=0).max() / levels
        return np.round(X / step) * step
    return draw


DRAWINGS = {
    "as drawn": lambda X: X,
    **{f"{levels} values across": rounded(levels) for levels in (60, 120, 250)},
    **{f"turned {degrees} degrees": partial(turned, degrees=degrees) for degrees in (17, 30, 45)},
    "stretched 1.6:1": lambda X: X * [1.6, 1.0],
    "0.5% far outliers": with_far_outliers,
}


def main():
    import hdbscan

    from visual_clustering_core import VisualClustering

    methods = {
        "visual clustering": lambda X: VisualClustering().fit_predict(X),
        "HDBSCAN (15, 3)": lambda X: hdbscan.HDBSCAN(min_cluster_size=15, min_samples=3).fit_predict(X),
    }
    scores, costly = {name: [] for name in methods}, []
    for section, name, X, truth in bench_person.datasets():
        if section == "real" or len(X) > MAX_POINTS:
            continue
        for method, fit_predict in methods.items():
            row = [bench_person.score(truth, fit_predict(draw(X))[: len(X)]) for draw in DRAWINGS.values()]
            scores[method].append(row)
            if method == "visual clustering" and min(row[1:]) < row[0] - COST:
                costly.append(f"| {name} | {len(X):,} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
        print(name, flush=True)
    columns = " | ".join(DRAWINGS)
    rule = "|---" * (len(DRAWINGS) + 1) + "|"
    summary = [f"| | {columns} |", rule]
    for method, rows in scores.items():
        rows = np.array(rows)
        cells = [f"{mean:.3f} ({collapses})" for mean, collapses in zip(rows.mean(0), (rows < bench_person.COLLAPSE).sum(0))]
        summary.append(f"| {method}: mean AMI (collapses) | " + " | ".join(cells) + " |")
    detail = [f"| dataset | points | {columns} |", "|---" * (len(DRAWINGS) + 2) + "|", *costly]
    text = "\n".join([
        f"{len(scores['visual clustering'])} datasets of the suite and the toys (up to {MAX_POINTS:,} points), "
        "scored against their truth:", "", *summary, "",
        f"Where a drawing costs visual clustering more than {COST}:", "", *detail, "",
        "`python bench/bench_invariance.py`", "",
    ])
    print(text)
    write_section("invariance", text)


if __name__ == "__main__":
    main()
