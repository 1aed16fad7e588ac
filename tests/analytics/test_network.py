import pytest

from roundtable.analytics.network import layout_referrals


def test_it_places_only_nodes_that_take_part_in_a_referral():
    placed = layout_referrals([1, 2, 3, 4], [(1, 2), (1, 3)])
    assert [p.id for p in placed] == [1, 2, 3]
    hub = placed[0]
    assert (hub.referrals_made, hub.referrals_received) == (2, 0)
    assert (placed[1].referrals_made, placed[1].referrals_received) == (0, 1)


def test_positions_fill_the_unit_square_with_a_margin():
    placed = layout_referrals(list(range(10)), [(i, i + 1) for i in range(9)])
    xs = [p.x for p in placed]
    ys = [p.y for p in placed]
    assert (min(xs), max(xs)) == pytest.approx((0.05, 0.95))
    assert (min(ys), max(ys)) == pytest.approx((0.05, 0.95))


def test_the_same_network_draws_the_same_way_every_time():
    edges = [(1, 2), (2, 3), (3, 1), (3, 4)]
    assert layout_referrals([1, 2, 3, 4], edges) == layout_referrals([1, 2, 3, 4], edges)


def test_an_empty_network_has_nothing_to_draw():
    assert layout_referrals([1, 2], []) == []
