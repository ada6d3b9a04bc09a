"""belt_graph.dataset.synthetic: seeded, connected, planar-ish networks timed by distance."""

from __future__ import annotations

import networkx as nx

import belt_graph as bg


def test_synthetic_network_is_seeded_connected_planar_and_timed_by_distance() -> None:
    from belt_graph.dataset.synthetic import ROUTE_FACTOR, SPEEDS, rail_like_network

    G = rail_like_network(500, seed=3)
    H = rail_like_network(500, seed=3)
    assert sorted(G.edges(data="minutes")) == sorted(H.edges(data="minutes"))
    assert sorted(G.edges) != sorted(rail_like_network(500, seed=4).edges)
    assert nx.is_connected(G) and nx.check_planarity(G)[0]
    speed = {name: v for name, _, v in SPEEDS}
    for _u, _v, d in G.edges(data=True):
        assert d["minutes"] == max(1.0, round(d["km"] * ROUTE_FACTOR / speed[d["line"]] * 60))
    # sparse like a rail network: a few links per station
    assert 2.5 < 2 * G.number_of_edges() / G.number_of_nodes() < 4.5


def test_synthetic_sectors_shape() -> None:
    from belt_graph.dataset import synthetic_sectors

    B = synthetic_sectors(list(range(300)), n_sectors=50, per_place=(2, 3), seed=1)
    degrees = [B.degree(p) for p in range(300)]
    assert min(degrees) >= 2 and max(degrees) <= 3
    assert bg.sector_projection(B)["shared"].min() >= 1
