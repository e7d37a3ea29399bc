"""How a run's arrays and labels are stored: base64 arrays in the results, strings in the label field."""

import base64

import numpy as np

NOISE = "noise"


def encode_array(array):
    """A JSON-safe dict holding a numpy array."""
    array = np.ascontiguousarray(array)
    return {"dtype": str(array.dtype), "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode()}


def decode_array(encoded):
    return np.frombuffer(base64.b64decode(encoded["data"]), dtype=encoded["dtype"]).reshape(encoded["shape"])


def cluster_value(cluster, n_clusters):
    """The label field's value for a cluster number: zero-padded to the widest, "noise" for -1.

    Strings make the Embeddings panel and the sidebar treat clusters as categories; the
    padding makes them sort as numbers (00, 01, ..., 10, ... from the largest cluster down).
    """
    return NOISE if cluster < 0 else f"{cluster:0{len(str(max(n_clusters - 1, 0)))}d}"


def label_values(labels):
    """The label field's values for every label (see ``cluster_value``)."""
    labels = np.asarray(labels)
    n_clusters = int(labels.max(initial=-1)) + 1
    names = [cluster_value(c, n_clusters) for c in range(n_clusters)] + [NOISE]
    return [names[label] for label in labels.tolist()]


def value_counts(labels):
    """``{value: count}`` of the label field values the labels give."""
    labels = np.asarray(labels)
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else []
    counts = {cluster_value(i, len(sizes)): int(n) for i, n in enumerate(sizes) if n}
    if (labels < 0).any():
        counts[NOISE] = int((labels < 0).sum())
    return counts
