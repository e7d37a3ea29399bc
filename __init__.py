"""FiftyOne plugin entry point: registers the visual clustering operators and the Clustering runs panel.

| Clustering embeddings by segmenting an image of their plot.
"""

from .operators import OPERATORS


def register(p):
    for operator in OPERATORS:
        p.register(operator)
