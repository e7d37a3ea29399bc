"""Values recorded to a coarse precision: the person-separable suite rounded to a lattice, against the unrounded data.

    python bench/bench_lattice.py      # about 3 minutes on 2 cores

Each dataset of the suite (and the toys) up to 30,000 points is rounded to 60, 120
and 250 values across its plot's width (4, 2 and 1 pixels a step on the 256 grid)
and clustered by visual clustering and HDBSCAN(15, 3), scored as in
``bench_person.py`` against the truth of the unrounded points. Prints the summary
and the datasets rounding costs more than 0.05, and writes them to
``bench/results/lattice.md`` and the README between its ``bench:lattice`` markers.
"""

import numpy as np

import bench_person
from common import write_section

LEVELS = (60, 120, 250)
MAX_POINTS = 30_000
COST = 0.05


def rounded(X, levels):
    """X rounded to ``levels`` values across the width of its plot."""
    step = np.ptp(X, axis=0).max() / levels
    return np.round(X / step) * step


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
            row = [bench_person.score(truth, fit_predict(X if levels is None else rounded(X, levels)))
                   for levels in (None, *LEVELS)]
            scores[method].append(row)
            if method == "visual clustering" and min(row[1:]) < row[0] - COST:
                costly.append(f"| {name} | {len(X):,} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
        print(name, flush=True)
    header = "| | unrounded | " + " | ".join(f"{levels} values across" for levels in LEVELS) + " |"
    rule = "|---" * (len(LEVELS) + 2) + "|"
    summary = [header, rule]
    for method, rows in scores.items():
        rows = np.array(rows)
        cells = [f"{mean:.3f} ({collapses})" for mean, collapses in zip(rows.mean(0), (rows < bench_person.COLLAPSE).sum(0))]
        summary.append(f"| {method}: mean AMI (collapses) | " + " | ".join(cells) + " |")
    detail = ["| dataset | points | unrounded | " + " | ".join(str(levels) for levels in LEVELS) + " |",
              "|---" * (len(LEVELS) + 3) + "|", *costly]
    text = "\n".join([
        f"{len(scores['visual clustering'])} datasets of the suite and the toys (up to {MAX_POINTS:,} points), "
        "scored against their truth:", "", *summary, "",
        f"Where rounding costs visual clustering more than {COST}:", "", *detail, "",
        "`python bench/bench_lattice.py`", "",
    ])
    print(text)
    write_section("lattice", text)


if __name__ == "__main__":
    main()
