import numpy as np

from visual_clustering_core.point_gaps import MIN_POINTS, PointGaps


def _chains(gap, step=4, n=15, size=200):
    """Regions 1 and 2: two chains of ``n`` points ``step`` pixels apart along one row, ``gap`` pixels between them;
    region 3: a chain of ``n`` 2.5 steps below the first. Returns (regions, counts)."""
    regions, counts = np.zeros((size, size), np.int32), np.zeros((size, size), int)
    first = 10 + step * np.arange(n)
    second = first[-1] + gap + step * np.arange(n)
    for label, row, cols in ((1, 50, first), (2, 50, second), (3, 50 + 5 * step // 2, first)):
        regions[row - 2 : row + 3, cols[0] : cols[-1] + 1] = label
        counts[row, cols] = 1
    return regions, counts


def test_a_gap_wider_than_twice_the_step_parts_two_chains():
    assert PointGaps(*_chains(gap=12), n=3).apart(1, 2)
    assert not PointGaps(*_chains(gap=6), n=3).apart(1, 2)


def test_a_chain_and_the_one_beside_it_are_apart_either_way():
    gaps = PointGaps(*_chains(gap=6), n=3)
    assert gaps.apart(3, 1) and gaps.apart(1, 3)


def test_a_merged_group_counts_the_gap_it_closed_as_a_step():
    """Once the chains across a 6-pixel gap merge, the chain 10 pixels beside them is no longer twice a step away."""
    gaps = PointGaps(*_chains(gap=6), n=3)
    gaps.join(1, 2)
    assert gaps.widest[2] == 6 and gaps.size[2] == 30
    assert 1 not in gaps.gaps[3] and gaps.gaps[3][2] == 10
    assert not gaps.apart(3, 2)


def test_groups_of_a_few_points_are_never_apart():
    gaps = PointGaps(*_chains(gap=40, n=MIN_POINTS - 1), n=3)
    assert not gaps.apart(1, 2)
    assert PointGaps(*_chains(gap=40, n=MIN_POINTS), n=3).apart(1, 2)


def test_no_points_no_gaps():
    gaps = PointGaps(np.zeros((20, 20), np.int32), np.zeros((20, 20), int), n=0)
    assert gaps.gaps == [{}]
