"""Level sets: the points returned lie on f = level, and cover the whole curve."""

import numpy as np

from tutor.plots.levelsets import level_sets


def test_circle_points_lie_on_the_circle_all_the_way_round():
    (level, xs, ys), = level_sets(lambda X, Y: X**2 + Y**2, (-2, 2), (-2, 2), [1.0])
    assert level == 1.0
    r = np.hypot(xs, ys)
    assert len(xs) > 100
    assert np.max(np.abs(r - 1.0)) < 0.01  # linear interpolation on a 4/119 lattice
    angles = np.sort(np.arctan2(ys, xs))
    assert np.max(np.diff(angles)) < 0.1  # no gap in the ring


def test_elongated_bowl_rings_are_ellipses():
    f = lambda X, Y: 0.5 * X**2 + 10 * Y**2  # noqa: E731
    for level, xs, ys in level_sets(f, (-3, 3), (-1, 1), [0.5, 2.0]):
        assert np.allclose(f(xs, ys), level, rtol=0.05, atol=1e-3)
        assert np.ptp(xs) > np.ptp(ys) * 3  # long along x


def test_level_count_spreads_levels_between_min_and_max():
    sets = level_sets(lambda X, Y: X + Y, (0, 1), (0, 1), 4, grid=50)
    values = [level for level, _, _ in sets]
    assert len(values) == 4 and values == sorted(values)
    assert 0 < values[0] and values[-1] < 2
    for level, xs, ys in sets:
        assert np.allclose(xs + ys, level, atol=1e-9)  # exact for a linear f


def test_levels_never_reached_and_undefined_regions_give_no_points():
    (_, xs, ys), = level_sets(lambda X, Y: X**2 + Y**2, (-1, 1), (-1, 1), [10.0])
    assert xs.size == 0 and ys.size == 0
    # log is undefined for x <= 0: no crossing is invented across the NaN half
    (_, xs, ys), = level_sets(lambda X, Y: np.log(X) + 0 * Y, (-1, 1), (-1, 1), [-1.0])
    assert xs.size > 0 and np.all(xs > 0)
    assert np.allclose(xs, np.exp(-1.0), atol=0.02)


def test_level_lines_join_a_ring_into_one_closed_curve():
    from tutor.plots.levelsets import level_lines

    (level, xs, ys), = level_lines(lambda X, Y: X**2 + Y**2, (-2, 2), (-2, 2), [1.0], grid=60)
    assert not np.isnan(xs).any()  # one curve, no gap
    assert np.allclose(np.hypot(xs, ys), 1.0, atol=0.02)
    assert (xs[0], ys[0]) == (xs[-1], ys[-1])  # closed
    steps = np.hypot(np.diff(xs), np.diff(ys))
    assert steps.max() < 2 * (4 / 59)  # neighbours on the curve, never a jump across the ring


def test_level_lines_keep_separate_curves_apart():
    from tutor.plots.levelsets import level_lines

    # Two bowls: the level 0.5 is two rings, drawn with a gap between them.
    f = lambda X, Y: np.minimum((X - 2) ** 2 + Y**2, (X + 2) ** 2 + Y**2)  # noqa: E731
    (_, xs, ys), = level_lines(f, (-4, 4), (-2, 2), [0.5], grid=80)
    pieces = np.split(np.arange(len(xs)), np.flatnonzero(np.isnan(xs)))
    assert np.isnan(xs).sum() == 1
    left, right = xs[: np.flatnonzero(np.isnan(xs))[0]], xs[np.flatnonzero(np.isnan(xs))[0] + 1:]
    assert {bool(np.all(left < 0)), bool(np.all(right < 0))} == {True, False}
    assert len(pieces) == 2
