"""Speed of a whole run on a FiftyOne dataset, per stage, against FiftyOne's own bare ``set_values`` of the same labels.

For 100,000 and 1,000,000 samples (a manual visualization run of the scaling
workload): ``compute_visual_clusters`` end to end on a new key and with
``overwrite=True``, each stage timed through the progress callback (loading the
points, clustering, writing the labels, saving the run), and
``dataset.set_values(field, labels)`` alone. Medians of ``--repeats`` runs.
"""

import argparse
import time

import numpy as np

from common import blobs, seconds_cell, write_section

STAGES = ("loading points", "clustering", "writing the label field", "saving the run")


def make_dataset(n):
    import fiftyone as fo
    import fiftyone.brain as fob

    X, _ = blobs(n)
    dataset = fo.Dataset()
    dataset.add_samples([fo.Sample(filepath=f"/data/{i:07d}.jpg") for i in range(n)], progress=False)
    fob.compute_visualization(dataset, points=X, method="manual", brain_key="points", progress=False)
    return dataset


def timed_run(dataset, run_key, overwrite=False):
    """End-to-end seconds and seconds per stage of one ``compute_visual_clusters``."""
    from visual_clustering_core.sdk import compute_visual_clusters

    marks = []
    start = time.perf_counter()
    compute_visual_clusters(
        dataset, run_key, brain_key="points", overwrite=overwrite, progress=lambda f, label: marks.append((time.perf_counter(), label))
    )
    end = time.perf_counter()
    times = [t for t, _ in marks] + [end]
    stages = {}
    for (t, label), t_next in zip(marks, times[1:]):
        stage = next((s for s in STAGES if label.startswith(s)), None)
        if stage:  # "done" ends the last stage
            stages[stage] = stages.get(stage, 0.0) + t_next - t
    return end - start, stages


def measure(n, repeats):
    dataset = make_dataset(n)
    try:
        new, overwrite, bare, stages = [], [], [], []
        for i in range(repeats):
            total, per_stage = timed_run(dataset, "vc")
            new.append(total)
            stages.append(per_stage)
            overwrite.append(timed_run(dataset, "vc", overwrite=True)[0])
            labels = dataset.values("vc")
            start = time.perf_counter()
            dataset.set_values("bare", labels)
            bare.append(time.perf_counter() - start)
            dataset.delete_sample_field("bare")
            from visual_clustering_core.runs import delete_clustering_run

            delete_clustering_run(dataset, "vc")
        median = lambda values: float(np.median(values))  # noqa: E731
        return dict(
            n=n,
            stages={s: median([p.get(s, 0.0) for p in stages]) for s in STAGES},
            new=median(new),
            overwrite=median(overwrite),
            bare=median(bare),
        )
    finally:
        dataset.delete()


def report(rows, command, repeats):
    lines = [f"Measured with `{command}` on this 2-core CPU machine; medians of {repeats} runs.", ""]
    lines += ["| samples | " + " | ".join(STAGES) + " | whole run (new key) | whole run (overwrite) | bare `set_values` | ratio |"]
    lines += ["|---|" + "---|" * (len(STAGES) + 4)]
    for r in rows:
        cells = [seconds_cell(r["stages"][s]) for s in STAGES]
        cells += [seconds_cell(r["new"]), seconds_cell(r["overwrite"]), seconds_cell(r["bare"]), f"{r['new'] / r['bare']:.2f}x"]
        lines.append(f"| {r['n']:,} | " + " | ".join(cells) + " |")
    lines += ["", "ratio: the whole run on a new key over FiftyOne's bare `set_values` of the same labels."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave the README as it is")
    args = parser.parse_args()
    rows = [measure(n, args.repeats) for n in args.sizes]
    command = "python bench/bench_writes.py" + (f" --sizes {' '.join(map(str, args.sizes))}" if args.sizes != [100_000, 1_000_000] else "")
    text = report(rows, command, args.repeats)
    print(text)
    if not args.no_write:
        write_section("writes", text)


if __name__ == "__main__":
    import os

    os.environ.setdefault("FIFTYONE_SHOW_PROGRESS_BARS", "false")
    main()
