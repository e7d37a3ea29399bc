"""The scikit-learn toy datasets of the paper's comparison figure (n = 1500, standardised)."""

import numpy as np
from sklearn import datasets
from sklearn.preprocessing import StandardScaler

TOY_NAMES = ("noisy_circles", "noisy_moons", "varied", "aniso", "blobs", "no_structure")


def toy_dataset(name, n_samples=1500, seed=170):
    """Points (standardised) and true labels of one toy dataset; no_structure's labels are all 0."""
    if name == "noisy_circles":
        X, y = datasets.make_circles(n_samples=n_samples, factor=0.5, noise=0.05, random_state=seed)
    elif name == "noisy_moons":
        X, y = datasets.make_moons(n_samples=n_samples, noise=0.05, random_state=seed)
    elif name == "blobs":
        X, y = datasets.make_blobs(n_samples=n_samples, random_state=8)
    elif name == "varied":
        X, y = datasets.make_blobs(n_samples=n_samples, cluster_std=[1.0, 2.5, 0.5], random_state=170)
    elif name == "aniso":
        X, y = datasets.make_blobs(n_samples=n_samples, random_state=170)
        X = X @ np.array([[0.6, -0.6], [-0.4, 0.8]])
    elif name == "no_structure":
        X, y = np.random.default_rng(seed).random((n_samples, 2)), np.zeros(n_samples, int)
    else:
        raise ValueError(f"unknown toy dataset {name!r}; choose from {', '.join(TOY_NAMES)}")
    return StandardScaler().fit_transform(X), y
