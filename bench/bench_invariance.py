"""The same data drawn differently: the person-separable suite rounded, turned, stretched, with far outliers, with
fewer points.

    python bench/bench_invariance.py      # about 6 minutes on 2 cores

A person sees the same groups in a plot whose values were recorded to a coarse
precision, turned, stretched, or drawn with a few points far away. Each dataset of the suite (and the toys) up to 30,000
points is rounded to 60, 120 and 250 values across its plot's width (4, 2 and 1
pixels a step on the 256 grid), rotated by 17, 30 and 45 degrees, stretched to
1.6 times its width, given 0.5% more points 2.8 to 4 plot widths away
(scored on the dataset's own points), and, where it has ``FEWEST`` points or more,
drawn with a random half and a random quarter of its points (the same shapes,
sparser: a person still sees them); visual clustering and HDBSCAN(15, 3) are
scored as in ``bench_person.py`` against the truth. Prints the summary and the
datasets a drawing costs visual clustering more than 0.05, and writes them to
``bench/results/invariance.md`` and the README between its ``bench:invariance``
markers.
"""

from functools import partial

import numpy as np

import bench_person
from common import IMAGES, write_section
from person_suite import load, turned, with_far_outliers

MAX_POINTS = 30_000
COST = 0.05
FEWEST = 600  # datasets of fewer points are not thinned: a quarter of them is no longer the same plot


def rounded(levels):
    """X rounded to ``levels`` values across the width of its plot."""
    def draw(X):
        step = np.ptp(X, axis=0).max() / levels
        return np.round(X / step) * step
    return draw


def whole(draw):
    """A drawing of every point: the drawn X, whose first rows are X's, and the rows of X they are."""
    return lambda X: (draw(X), np.arange(len(X)))


def thinned(share):
    """A drawing of a random ``share`` of X's points (None for datasets under ``FEWEST`` points)."""
    def draw(X):
        if len(X) < FEWEST:
            return None
        rows = np.sort(np.random.default_rng(0).permutation(len(X))[: int(len(X) * share)])
        return X[rows], rows
    return draw


DRAWINGS = {
    "as drawn": whole(lambda X: X),
    **{f"{levels} values across": whole(rounded(levels)) for levels in (60, 120, 250)},
    **{f"turned {degrees} degrees": whole(partial(turned, degrees=degrees)) for degrees in (17, 30, 45)},
    "stretched 1.6:1": whole(lambda X: X * [1.6, 1.0]),
    "0.5% far outliers": whole(with_far_outliers),
    "half the points": thinned(1 / 2),
    "a quarter of the points": thinned(1 / 4),
}


def scored(fit_predict, draw, X, truth):
    """The score of ``fit_predict`` on X as ``draw`` draws it, against the truth of the points drawn (nan where the
    drawing does not apply)."""
    drawn = draw(X)
    if drawn is None:
        return np.nan
    Xd, rows = drawn
    return bench_person.score(truth[rows], fit_predict(Xd)[: len(rows)])


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
            row = [scored(fit_predict, draw, X, truth) for draw in DRAWINGS.values()]
            scores[method].append(row)
            if method == "visual clustering" and np.nanmin(row[1:]) < row[0] - COST:
                cells = ("" if np.isnan(v) else f"{v:.2f}" for v in row)
                costly.append(f"| {name} | {len(X):,} | " + " | ".join(cells) + " |")
        print(name, flush=True)
    columns = " | ".join(DRAWINGS)
    thinned_sets = int(np.isfinite(np.array(scores["visual clustering"])[:, -1]).sum())
    rule = "|---" * (len(DRAWINGS) + 1) + "|"
    summary = [f"| | {columns} |", rule]
    for method, rows in scores.items():
        rows = np.array(rows)
        cells = [f"{mean:.3f} ({collapses})"
                 for mean, collapses in zip(np.nanmean(rows, 0), (rows < bench_person.COLLAPSE).sum(0))]
        summary.append(f"| {method}: mean AMI (collapses) | " + " | ".join(cells) + " |")
    detail = [f"| dataset | points | {columns} |", "|---" * (len(DRAWINGS) + 2) + "|", *costly]
    text = "\n".join([
        f"{len(scores['visual clustering'])} datasets of the suite and the toys (up to {MAX_POINTS:,} points), "
        f"scored against their truth; thinned, the {thinned_sets} of {FEWEST} points or more:", "", *summary, "",
        f"Where a drawing costs visual clustering more than {COST}:", "", *detail, "",
        "`python bench/bench_invariance.py`", "",
    ])
    print(text)
    write_section("invariance", text)
    lanes_picture()


def lanes_picture(path=IMAGES / "diagnostics_lanes.png"):
    """Every stage of visual clustering on the 3x3 squares with thin gaps drawn with half their points: the empty
    lanes cut along the corridors the kernel blurs."""
    from visual_clustering_core import VisualClustering
    from visual_clustering_core.plotting import save_diagnostics

    X, _ = thinned(1 / 2)(load("3x3 squares with thin gaps")[0])
    return save_diagnostics(VisualClustering().fit(X), X, path)


if __name__ == "__main__":
    main()
