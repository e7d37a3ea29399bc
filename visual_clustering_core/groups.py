"""Union-find over integer ids."""

import numpy as np


def union_roots(n, pairs):
    """For ids 0..n-1 joined by ``pairs`` of ids, the root id of each one's group (array of n ints)."""
    parent = np.arange(n)

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[find(a)] = find(b)
    return np.array([find(i) for i in range(n)])
