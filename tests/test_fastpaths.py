"""The fast paths give NetworkX's answers on random graphs (NetworkX is the reference)."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.errors import GraphValidationError


@st.composite
def weighted_graphs(draw: st.DrawFn, max_nodes: int = 14) -> nx.Graph:
    """Random, possibly disconnected graphs; small integer weights make equal-length ties."""
    n = draw(st.integers(1, max_nodes))
    G = nx.Graph()
    G.add_nodes_from(range(n), kind="station")
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n)]
    for u, v in draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []:
        G.add_edge(u, v, minutes=float(draw(st.integers(1, 4))))
    return G


@settings(max_examples=80, deadline=None)
@given(weighted_graphs())
def test_matrix_equals_networkx(G: nx.Graph) -> None:
    ids, m = bg.travel_time_array(G)
    ref = dict(nx.all_pairs_dijkstra_path_length(G, weight="minutes"))
    for i, u in enumerate(ids):
        for j, v in enumerate(ids):
            assert (m[i, j] == ref[u][v]) if v in ref[u] else math.isnan(m[i, j])


@settings(max_examples=80, deadline=None)
@given(weighted_graphs())
def test_closeness_equals_networkx(G: nx.Graph) -> None:
    ours = bg.closeness(G)
    ref = nx.closeness_centrality(G, distance="minutes")
    assert ours.to_dict() == pytest.approx(ref, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(weighted_graphs())
def test_exact_betweenness_equals_networkx(G: nx.Graph) -> None:
    ours = bg.betweenness(G)
    ref = nx.betweenness_centrality(G, weight="minutes", normalized=True)
    assert ours.to_dict() == pytest.approx(ref, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(weighted_graphs(), st.integers(0, 8), st.data())
def test_cutoff_search_equals_networkx(G: nx.Graph, cutoff: int, data: st.DataObject) -> None:
    sources = data.draw(st.lists(st.sampled_from(list(G)), min_size=1, max_size=3, unique=True))
    dist, nearest = bg.nearest_origin_dijkstra(G, sources, cutoff)
    ref = nx.multi_source_dijkstra_path_length(G, set(sources), cutoff=cutoff, weight="minutes")
    assert dist == ref
    for node, origin in nearest.items():
        # the origin named is one of the nearest
        assert nx.dijkstra_path_length(G, origin, node, weight="minutes") == dist[node]


def test_sampled_betweenness_is_seeded_and_close() -> None:
    G = nx.random_geometric_graph(400, 0.09, seed=3)
    rng = random.Random(3)
    for u, v in G.edges:
        G.edges[u, v]["minutes"] = float(rng.randint(5, 60))
    exact = bg.betweenness(G)
    a = bg.betweenness(G, k=200, seed=7)
    assert a.equals(bg.betweenness(G, k=200, seed=7))
    assert not a.equals(bg.betweenness(G, k=200, seed=8))
    # an estimate from half the sources: same scale, strongly rank-correlated
    assert abs(a.sum() - exact.sum()) / exact.sum() < 0.1
    assert a.rank().corr(exact.rank()) > 0.9


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 6)), max_size=40),
)
def test_sector_projection_equals_networkx(n: int, edges: list[tuple[int, int]]) -> None:
    B = nx.Graph()
    places = [f"p{i}" for i in range(n)]
    B.add_nodes_from(places, node_type="place", bipartite=0)
    # one sector nobody has: NetworkX refuses to project a graph without a second side
    B.add_node("sector:none", node_type="sector", bipartite=1, sector="none", family="f")
    for p, s in edges:
        if p < n:
            B.add_node(f"sector:{s}", node_type="sector", bipartite=1, sector=str(s), family="f")
            B.add_edge(f"p{p}", f"sector:{s}")
    got = bg.sector_projection(B)
    ref = nx.bipartite.weighted_projected_graph(B, places)
    assert len(got) == ref.number_of_edges()
    for row in got.itertuples():
        assert ref.edges[row.origin, row.destination]["weight"] == row.shared
        a, b = set(B[row.origin]), set(B[row.destination])
        assert row.overlap == pytest.approx(len(a & b) / len(a | b))


def test_reach_checks_only_the_weights_it_uses() -> None:
    G = nx.Graph([("a", "b", {"minutes": 5.0}), ("b", "c", {"minutes": 50.0})])
    G.add_edge("c", "d")  # no weight, but beyond the cutoff's reach from a
    assert bg.nearest_origin_dijkstra(G, ["a"], 10)[0] == {"a": 0.0, "b": 5.0}
    for bad in (None, 0.0, -1.0, math.inf, math.nan, "5"):
        H = nx.Graph([("a", "b", {"minutes": bad})])
        with pytest.raises(GraphValidationError, match="'minutes'"):
            bg.nearest_origin_dijkstra(H, ["a"], 10)


def test_matrix_progress_and_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    from belt_graph import _shortest_paths as _paths

    monkeypatch.setattr(_paths, "CHUNK_CELLS", 30)  # ten nodes: three rows per chunk
    G = nx.path_graph(10)
    nx.set_edge_attributes(G, 2.0, "minutes")
    nx.set_node_attributes(G, "station", "kind")
    calls: list[tuple[int, int]] = []
    _ids, m = bg.travel_time_array(G, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(3, 10), (6, 10), (9, 10), (10, 10)]
    assert np.array_equal(m, 2.0 * np.abs(np.subtract.outer(np.arange(10), np.arange(10))))


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
