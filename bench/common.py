"""What the benchmarks share: timing, peak memory of a call, the scaling workload, and writing the README."""

import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
IMAGES = ROOT / "docs" / "images"
RESULTS = ROOT / "bench" / "results"


def blobs(n, seed=0):
    """n points in 8 Gaussian blobs of uneven size and spread (the scaling workload), and their blob."""
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-10, 10, (8, 2))
    which = rng.choice(8, size=n, p=rng.dirichlet(np.ones(8)))
    return centers[which] + rng.normal(size=(n, 2)) * rng.uniform(0.3, 1.2, 8)[which, None], which


def median_time(fn, repeats):
    """Median wall time of ``repeats`` calls, and the last call's result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def _status_kb(key):
    """A memory figure of this process from /proc/self/status, in kB."""
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(line.split()[1] for line in lines if line.startswith(key)))


def time_and_peak(fn, X, repeats):
    """Median time of ``fn(X)`` (after a warm call on a slice) and the peak resident memory it adds, in MB."""
    fn(X[:2000])  # warm: load the network, import and JIT what needs it
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak resident set
    before = _status_kb("VmRSS")
    seconds, _ = median_time(lambda: fn(X), repeats)
    return {"seconds": seconds, "extra_mb": max(_status_kb("VmHWM") - before, 0) / 1024, "input_mb": X.nbytes / 1e6}


def write_section(name, text, path=README):
    """Replace the README's text between ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->``."""
    start_marker, end_marker = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    content = path.read_text()
    start, end = content.index(start_marker) + len(start_marker), content.index(end_marker)
    path.write_text(content[:start] + "\n" + text + content[end:])
    (RESULTS / f"{name}.md").write_text(text)


def seconds_cell(seconds):
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"
