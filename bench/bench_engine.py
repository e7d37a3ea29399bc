"""Benchmark of the visual clustering engine; prints markdown tables and writes them for the README.

    python bench/bench_engine.py            # full run (a few minutes on 2 cores)
    python bench/bench_engine.py --quick    # smaller sizes, fewer repeats

Every figure is a median of several warm runs, with the baselines measured in
the same run on the same points. Peak memory is the peak resident set during
the call minus the resident set before it, read in a fresh process per size.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "engine.md"
README = ROOT / "README.md"
MARKERS = ("<!-- bench:engine:start -->", "<!-- bench:engine:end -->")


def _blobs(n, seed=0):
    """n points in 8 Gaussian blobs of uneven size and spread (the scaling workload)."""
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-10, 10, (8, 2))
    which = rng.choice(8, size=n, p=rng.dirichlet(np.ones(8)))
    return centers[which] + rng.normal(size=(n, 2)) * rng.uniform(0.3, 1.2, 8)[which, None], which


def _time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def _methods():
    import hdbscan
    from sklearn.cluster import KMeans

    from visual_clustering_core import VisualClustering

    return {
        "visual clustering": lambda X: VisualClustering().fit_predict(X),
        "KMeans(n_init=1)": lambda X: KMeans(8, n_init=1, random_state=0).fit_predict(X),
        "hdbscan (boruvka_kdtree)": lambda X: hdbscan.HDBSCAN(min_cluster_size=50).fit_predict(X),
    }


# Inputs past which a method is skipped rather than waited for (measured on 2 cores:
# hdbscan takes ~64 s at 1 M points).
LIMITS = {"hdbscan (boruvka_kdtree)": 100_000}


def _status_kb(key):
    """A memory figure of this process from /proc/self/status, in kB."""
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(line.split()[1] for line in lines if line.startswith(key)))


def measure_one(method, n, repeats):
    """Time and peak memory of one method at one size; run in its own process."""
    X, _ = _blobs(n)
    fn = _methods()[method]
    fn(X[:2000])  # warm: load the network, import and JIT what needs it
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak resident set
    before = _status_kb("VmRSS")
    seconds, _ = _time(lambda: fn(X), repeats)
    peak = _status_kb("VmHWM")
    return {"seconds": seconds, "extra_mb": max(peak - before, 0) / 1024, "input_mb": X.nbytes / 1e6}


def scaling(sizes, repeats):
    rows = []
    for n in sizes:
        row = {"n": n}
        for method in _methods():
            if n > LIMITS.get(method, float("inf")):
                row[method] = None
                continue
            reps = repeats if n < 5_000_000 else max(1, repeats // 2)
            out = subprocess.run(
                [sys.executable, __file__, "--measure", method, str(n), str(reps)],
                check=True, capture_output=True, text=True,
            ).stdout
            row[method] = json.loads(out.strip().splitlines()[-1])
        rows.append(row)
        print(f"  scaled {n:,}", file=sys.stderr)
    return rows


def toy_quality():
    from visual_clustering_core import VisualClustering
    from visual_clustering_core.toy import TOY_NAMES, toy_dataset

    rows = []
    for name in TOY_NAMES:
        X, y = toy_dataset(name)
        row = {"name": name}
        for label, segmenter in (("unet", "unet"), ("threshold", "threshold")):
            model = VisualClustering(segmenter=segmenter)
            seconds, labels = _time(lambda: model.fit_predict(X), 5)
            row[label] = {
                "ami": adjusted_mutual_info_score(y, labels) if name != "no_structure" else None,
                "clusters": int(model.n_clusters_),
                "ms": 1000 * seconds,
            }
        rows.append(row)
    return rows


def heldout(n_datasets):
    """AMI of the U-Net path and of the no-network path on held-out synthetic datasets."""
    from visual_clustering_core import VisualClustering
    from visual_clustering_core.training import render_example

    scores = {"unet": [], "threshold": []}
    for i in range(n_datasets):
        _, _, X, labels = render_example([0, 1, i])
        for segmenter in scores:
            predicted = VisualClustering(segmenter=segmenter).fit_predict(X)
            scores[segmenter].append(adjusted_mutual_info_score(labels, predicted))
    return {k: (float(np.mean(v)), float(np.median(v))) for k, v in scores.items()}


def _cell(result):
    if result is None:
        return "skipped"
    return f"{result['seconds'] * 1000:,.0f} ms" if result["seconds"] < 10 else f"{result['seconds']:,.1f} s"


def report(scale_rows, toy_rows, held, command):
    methods = list(_methods())
    lines = [f"Measured with `{command}` on this 2-core CPU machine; medians of warm runs.", ""]
    lines += ["**Speed and memory** (8 Gaussian blobs; peak memory above the input during the call)", ""]
    lines += ["| points | input | " + " | ".join(methods) + " | k-means / visual | visual peak memory |"]
    lines += ["|---" * (len(methods) + 4) + "|"]
    for row in scale_rows:
        vc, km = row["visual clustering"], row["KMeans(n_init=1)"]
        ratio = f"{km['seconds'] / vc['seconds']:.0f}x" if km else "-"
        cells = [_cell(row[m]) for m in methods]
        lines.append(f"| {row['n']:,} | {vc['input_mb']:.0f} MB | " + " | ".join(cells) + f" | {ratio} | +{vc['extra_mb']:.0f} MB |")
    lines += ["", f"hdbscan is skipped above {LIMITS['hdbscan (boruvka_kdtree)']:,} points (about 64 s at 1 M here).", ""]
    lines += ["**scikit-learn toy datasets** (n = 1500, standardised; AMI against the true labels)", ""]
    lines += ["| dataset | U-Net AMI | clusters | time | no-network AMI | clusters |", "|---|---|---|---|---|---|"]
    for row in toy_rows:
        u, t = row["unet"], row["threshold"]
        fmt = lambda v: "-" if v is None else f"{v:.3f}"
        lines.append(f"| {row['name']} | {fmt(u['ami'])} | {u['clusters']} | {u['ms']:.0f} ms | {fmt(t['ami'])} | {t['clusters']} |")
    n_held = held.pop("n")
    lines += ["", f"**Held-out synthetic suite** ({n_held} datasets the network never saw; mean / median AMI)", ""]
    lines += ["| path | mean AMI | median AMI |", "|---|---|---|"]
    lines += [f"| U-Net (default) | {held['unet'][0]:.3f} | {held['unet'][1]:.3f} |"]
    lines += [f"| no network: blur + Otsu threshold + connected components | {held['threshold'][0]:.3f} | {held['threshold'][1]:.3f} |"]
    return "\n".join(lines) + "\n"


def write_readme(table):
    text = README.read_text()
    start, end = text.index(MARKERS[0]) + len(MARKERS[0]), text.index(MARKERS[1])
    README.write_text(text[:start] + "\n" + table + text[end:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and suites, for a smoke run")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        method, n, repeats = args.measure
        print(json.dumps(measure_one(method, int(n), int(repeats))))
        return
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000, 10_000_000]
    repeats = 3 if args.quick else 5
    command = "python bench/bench_engine.py" + (" --quick" if args.quick else "")
    scale_rows = scaling(sizes, repeats)
    toy_rows = toy_quality()
    n_held = 20 if args.quick else 200
    held = heldout(n_held) | {"n": n_held}
    table = report(scale_rows, toy_rows, held, command)
    print(table)
    if not args.quick:
        RESULTS.write_text(table)
        write_readme(table)


if __name__ == "__main__":
    main()
