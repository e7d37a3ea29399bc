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


def label_values(labels):
    """The label field's values: the cluster number as a string ("0", "1", ...), "noise" for -1.

    Strings make the Embeddings panel and the sidebar treat clusters as categories.
    """
    return [NOISE if label < 0 else str(label) for label in np.asarray(labels).tolist()]


def value_counts(labels):
    """``{value: count}`` of the label field values the labels give."""
    labels = np.asarray(labels)
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else []
    counts = {str(i): int(n) for i, n in enumerate(sizes) if n}
    if (labels < 0).any():
        counts[NOISE] = int((labels < 0).sum())
    return counts
