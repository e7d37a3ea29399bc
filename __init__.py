"""FiftyOne plugin entry point: registers the visual clustering operators.

| Clustering embeddings by segmenting an image of their plot.
"""

from .operators import OPERATORS


def register(p):
    for operator in OPERATORS:
        p.register(operator)
