"""Union-find over integer ids."""

import numpy as np


def find_root(parent, i):
    """The root of id ``i`` in the forest ``parent`` (an int array, modified: the path is halved on the way)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def union_roots(n, pairs):
    """For ids 0..n-1 joined by ``pairs`` of ids, the root id of each one's group (array of n ints)."""
    parent = np.arange(n)
    for a, b in pairs:
        parent[find_root(parent, a)] = find_root(parent, b)
    return np.array([find_root(parent, i) for i in range(n)])
