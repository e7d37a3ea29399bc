"""Visual clustering against k-means, HDBSCAN and DBSCAN: quality, speed and memory; tables and plots for the README.

    python bench/bench_compare.py            # full run (about 10 minutes on 2 cores)
    python bench/bench_compare.py --quick    # small sizes, prints only

Writes ``bench/results/compare.md`` (also into the README between its
``bench:compare`` markers), ``docs/images/toy_comparison.png`` (each method on
each dataset, like the paper's comparison figure) and ``docs/images/scaling.png``.
Times are medians of warm runs; each (method, size) of the scaling table runs in
a fresh process, so its peak memory is its own.
"""

import argparse
import json
import os
import signal
import subprocess
import sys

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

from common import IMAGES, blobs, median_time, seconds_cell, time_and_peak, write_section

TIME_LIMIT_S = 120  # a method slower than this at one size is not run at larger sizes
SIZE_LIMITS = {"DBSCAN (eps 0.3)": 10_000}  # its eps-neighbour lists grow as n^2 in dense blobs (GBs at 100 k)


def quality_methods(k):
    """The methods of the quality tables, for data with ``k`` true clusters: name -> ``fit_predict``."""
    import hdbscan
    from sklearn.cluster import DBSCAN, KMeans

    from visual_clustering_core import VisualClustering

    return {
        "visual clustering": lambda X: VisualClustering().fit_predict(X),
        "k-means (true k)": lambda X: KMeans(k, n_init="auto", random_state=0).fit_predict(X),
        "HDBSCAN (default)": lambda X: hdbscan.HDBSCAN().fit_predict(X),
        "HDBSCAN (15, 3)": lambda X: hdbscan.HDBSCAN(min_cluster_size=15, min_samples=3).fit_predict(X),
        "DBSCAN (eps 0.3)": lambda X: DBSCAN(eps=0.3).fit_predict(X),
    }


def scaling_methods():
    """The methods of the scaling table (8 true clusters): name -> ``fit_predict``."""
    import hdbscan
    from sklearn.cluster import DBSCAN, KMeans, MiniBatchKMeans

    from visual_clustering_core import VisualClustering

    return {
        "visual clustering": lambda X: VisualClustering().fit_predict(X),
        "KMeans(n_init=1)": lambda X: KMeans(8, n_init=1, random_state=0).fit_predict(X),
        "MiniBatchKMeans": lambda X: MiniBatchKMeans(8, n_init=1, batch_size=4096, random_state=0).fit_predict(X),
        "HDBSCAN (min_cluster_size=50)": lambda X: hdbscan.HDBSCAN(min_cluster_size=50).fit_predict(X),
        "DBSCAN (eps 0.3)": lambda X: DBSCAN(eps=0.3).fit_predict(X),
    }


def datasets():
    """The toy datasets and the digits embedding (UMAP of scikit-learn's 8x8 digits, as in the demo)."""
    from sklearn.datasets import load_digits

    from visual_clustering_core import project
    from visual_clustering_core.toy import TOY_NAMES, toy_dataset

    for name in TOY_NAMES:
        yield (name, *toy_dataset(name))
    digits = load_digits()
    yield "digits (UMAP)", project(digits.data, "umap", random_state=0), digits.target


def quality(repeats):
    """AMI, clusters and time of every method on every dataset; and the picture's panels."""
    rows, panels = [], []
    for name, X, y in datasets():
        row = {"dataset": name}
        for method, fit_predict in quality_methods(len(np.unique(y))).items():
            fit_predict(X[:50])  # warm
            seconds, labels = median_time(lambda: fit_predict(X), repeats)
            ami = adjusted_mutual_info_score(y, labels) if name != "no_structure" else None
            row[method] = {"ami": ami, "clusters": len(np.unique(labels[labels >= 0])), "seconds": seconds}
            panels.append((X, labels, f"{method}\n{name}: " + (f"AMI {ami:.2f}" if ami is not None else _clusters(row[method]["clusters"]))))
        rows.append(row)
        print(f"  {name}", file=sys.stderr)
    return rows, panels


def scaling(sizes, repeats):
    """Time and peak memory of each method at each size, each in its own process; slow methods stop early.

    A cell is None where the method was not run, "timeout" where it was stopped
    after TIME_LIMIT_S per repeat.
    """
    rows, stopped = [], {}
    for n in sizes:
        row = {"n": n}
        for method in scaling_methods():
            if method in stopped or n > SIZE_LIMITS.get(method, float("inf")):
                row[method] = None
                continue
            reps = repeats if n < 5_000_000 else max(1, repeats // 2)
            row[method] = _measure_in_subprocess(method, n, reps)
            if row[method] == "timeout" or row[method]["seconds"] > TIME_LIMIT_S:
                stopped[method] = n
        rows.append(row)
        print(f"  scaled {n:,}", file=sys.stderr)
    return rows, stopped


def _measure_in_subprocess(method, n, repeats):
    """``time_and_peak`` of one method in a fresh process group, killed whole (worker pools too) past the limit."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--measure", method, str(n), str(repeats)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=TIME_LIMIT_S * (repeats + 1))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return "timeout"
    if process.returncode:
        raise RuntimeError(f"measuring {method} at {n:,} points failed (exit {process.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def _clusters(n):
    return f"{n} cluster" + "s" * (n != 1)


def quality_table(rows):
    methods = [m for m in rows[0] if m != "dataset"]
    lines = ["| dataset | " + " | ".join(methods) + " |", "|---" * (len(methods) + 1) + "|"]
    for row in rows:
        cells = []
        for m in methods:
            r = row[m]
            score = f"{r['ami']:.3f}" if r["ami"] is not None else _clusters(r["clusters"])
            cells.append(f"{score} ({seconds_cell(r['seconds'])})")
        lines.append(f"| {row['dataset']} | " + " | ".join(cells) + " |")
    return lines


def scaling_table(rows, stopped):
    methods = list(scaling_methods())
    lines = ["| points | input | " + " | ".join(methods) + " | KMeans / visual | visual peak memory |"]
    lines += ["|---" * (len(methods) + 4) + "|"]
    for row in rows:
        vc, km = row["visual clustering"], row["KMeans(n_init=1)"]
        ratio = f"{km['seconds'] / vc['seconds']:.1f}x" if km else "-"
        cells = [_scaling_cell(row[m]) for m in methods]
        lines.append(f"| {row['n']:,} | {vc['input_mb']:,.0f} MB | " + " | ".join(cells) + f" | {ratio} | +{vc['extra_mb']:,.0f} MB |")
    notes = [f"{m} took over {TIME_LIMIT_S} s at {n:,} points and was not run on more" for m, n in stopped.items()]
    notes += [f"{m} is run up to {n:,} points only: its eps-neighbour lists grow as n² in dense blobs" for m, n in SIZE_LIMITS.items()]
    return lines + ["", "Each cell: median time / peak memory above the input during the call. " + "; ".join(notes) + "."]


def _scaling_cell(result):
    if result is None:
        return "skipped"
    if result == "timeout":
        return f"over {TIME_LIMIT_S} s"
    return f"{seconds_cell(result['seconds'])} / +{result['extra_mb']:,.0f} MB"


def scaling_plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for method in scaling_methods():
        measured = [row for row in rows if isinstance(row[method], dict)]
        ax.plot([row["n"] for row in measured], [row[method]["seconds"] for row in measured], "o-", label=method)
    ax.set(xscale="log", yscale="log", xlabel="points", ylabel="seconds (median, warm)", title="Time to cluster 8 Gaussian blobs")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat, nothing written")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        method, n, repeats = args.measure
        X, _ = blobs(int(n))
        print(json.dumps(time_and_peak(scaling_methods()[method], X, int(repeats))))
        return
    repeats = 1 if args.quick else 5
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000, 10_000_000]
    command = "python bench/bench_compare.py" + (" --quick" if args.quick else "")
    quality_rows, panels = quality(repeats)
    scale_rows, stopped = scaling(sizes, repeats)
    lines = [f"Measured with `{command}` on this 2-core CPU machine; medians of {repeats} warm runs.", ""]
    lines += ["**Quality**: AMI against the true labels (time in brackets). Toy datasets: n = 1,500, standardised;",
              "digits: UMAP of scikit-learn's 1,797 8x8 digits, against the digit. k-means is given the true k.", ""]
    lines += quality_table(quality_rows)
    lines += ["", "![Each method on each dataset](docs/images/toy_comparison.png)", ""]
    lines += ["**Scaling** (8 Gaussian blobs of uneven size and spread)", ""]
    lines += scaling_table(scale_rows, stopped)
    lines += ["", "![Time against points](docs/images/scaling.png)"]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        from visual_clustering_core.plotting import save_point_grid

        save_point_grid(panels, IMAGES / "toy_comparison.png", n_cols=len(quality_methods(2)), panel_size=2.6)
        scaling_plot(scale_rows, IMAGES / "scaling.png")
        write_section("compare", text)


if __name__ == "__main__":
    main()
