"""belt_graph.centralities: closeness, betweenness and gravity accessibility by hand and against
NetworkX, sampled betweenness, stations under places."""

from __future__ import annotations

import math
import random
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph._compiled import COMPILED
from belt_graph.network.brandes import brandes, closeness_sums
from belt_graph.network.dijkstra import MAX_BUCKETS, buckets_for, over_blocks
from belt_graph.network.paths import link_matrix
from tests.helpers import weighted_graphs


@pytest.mark.parametrize(
    ("decay", "param", "expected"),
    [
        ("exponential", 60, math.exp(-1)),
        ("power", 1, 1 / 60),
        ("cumulative", 60, 1.0),
        ("cumulative", 59, 0.0),
    ],
)
def test_decays(decay: str, param: float, expected: float) -> None:
    f = bg.decay_function(decay, param)
    assert f(np.array([60.0]))[0] == pytest.approx(expected)


def _as_two_level(H: nx.Graph) -> nx.Graph:
    """Each node of H becomes a station with its own place attached by a 0-minute access."""
    G = nx.Graph()
    for n in H:
        G.add_node(f"s{n}", kind="station", place=f"P{n}", transit=True)
        G.add_node(f"P{n}", kind="city", transit=False)
        G.add_edge(f"P{n}", f"s{n}", minutes=0.0, kind="access")
    for u, v, d in H.edges(data=True):
        G.add_edge(f"s{u}", f"s{v}", minutes=d["minutes"], kind="track")
    return G


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(3, 9),
    edges=st.lists(
        st.tuples(st.integers(0, 8), st.integers(0, 8), st.sampled_from([1, 2, 3])),
        min_size=2,
        max_size=20,
    ),
)
def test_place_betweenness_equals_networkx_on_one_station_per_place(
    n: int, edges: list[tuple[int, int, int]]
) -> None:
    H = nx.Graph()
    H.add_nodes_from(range(n))
    for u, v, w in edges:
        if u < n and v < n and u != v:
            H.add_edge(u, v, minutes=float(w))
    ours = bg.betweenness(_as_two_level(H))
    theirs = nx.betweenness_centrality(H, weight="minutes")
    for v in H:
        assert ours[f"P{v}"] == pytest.approx(theirs[v]), v


def test_centrality_hand_checked(toy: bg.Dataset, toy_rail: nx.Graph) -> None:
    c = bg.centrality(toy_rail, bg.cooperation_graph(toy), decay="cumulative", param=30)
    assert c.loc["A", "mean_minutes_service"] == pytest.approx((20 + 25 + 65) / 3)
    assert c.loc["A", "harmonic_service"] == pytest.approx(1 / 20 + 1 / 25 + 1 / 65)
    assert c.loc["A", "closeness_service"] == pytest.approx(3 / 110)
    assert c["accessibility_service"].to_dict() == {"A": 5000.0, "B": 1000.0, "C": 1000.0, "D": 0.0}
    assert c.loc["A", "rank_accessibility_service"] == 1
    # Betweenness: A lies on B-H, B-C, B-D shortest paths; as NetworkX computes it
    ref = nx.betweenness_centrality(toy_rail, weight="minutes")
    assert c.loc["A", "betweenness_service"] == pytest.approx(ref["A"])
    assert c.loc["A", "pagerank_partnerships"] > c.loc["D", "pagerank_partnerships"]


def test_closeness_matches_networkx_without_hubs() -> None:
    G = nx.Graph()
    for n in "abcd":
        G.add_node(n, kind="city", population=1.0)
    G.add_weighted_edges_from(
        [("a", "b", 3), ("b", "c", 4), ("c", "d", 5), ("a", "d", 20)], weight="minutes"
    )
    c = bg.centrality(G)
    ref = nx.closeness_centrality(G, distance="minutes")
    for n in "abcd":
        assert c.loc[n, "closeness_rail"] == pytest.approx(ref[n])


def test_bad_decay() -> None:
    with pytest.raises(ValueError, match="decay"):
        bg.decay_function("linear")
    with pytest.raises(ValueError, match="positive"):
        bg.decay_function("power", -1)


@settings(max_examples=80, deadline=None)
@given(st.one_of(weighted_graphs(), weighted_graphs(whole=False)))
def test_closeness_equals_networkx(G: nx.Graph) -> None:
    ours = bg.closeness(G)
    ref = nx.closeness_centrality(G, distance="minutes")
    assert ours.to_dict() == pytest.approx(ref, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(st.one_of(weighted_graphs(), weighted_graphs(whole=False)))
def test_exact_betweenness_equals_networkx(G: nx.Graph) -> None:
    ours = bg.betweenness(G)
    ref = nx.betweenness_centrality(G, weight="minutes", normalized=True)
    assert ours.to_dict() == pytest.approx(ref, abs=1e-12)


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


def test_sampled_betweenness_on_a_star_is_at_most_one() -> None:
    G = nx.star_graph(6)
    nx.set_edge_attributes(G, 1.0, "minutes")
    ours = bg.betweenness(G, k=3, seed=1)
    theirs = nx.betweenness_centrality(G, k=3, seed=1, weight="minutes")
    assert ours.to_dict() == pytest.approx(theirs, nan_ok=True)
    assert ours.max() <= 1.0


@pytest.mark.parametrize("seed", range(5))
def test_sampled_betweenness_equals_networkx(seed: int) -> None:
    G = nx.gnm_random_graph(30, 60, seed=seed)
    for u, v in G.edges:
        G.edges[u, v]["minutes"] = float(1 + (u * 7 + v * 3) % 11)
    for k in (1, 5, 29):
        ours = bg.betweenness(G, k=k, seed=seed)
        theirs = nx.betweenness_centrality(G, k=k, seed=seed, weight="minutes")
        assert ours.to_dict() == pytest.approx(theirs, nan_ok=True)


def test_wuxi_lies_between_places_on_the_track(belt: bg.Dataset, belt_rail: nx.Graph) -> None:
    T = bg.rail_graph(belt, network="track")
    assert not any(d["kind"] == "service" for _, _, d in T.edges(data=True))
    c = bg.centrality(belt_rail, bg.cooperation_graph(belt), structure=T)
    assert c.loc["Wuxi", "betweenness_track"] > 0
    assert {
        "degree_track",
        "betweenness_track",
        "closeness_service",
        "accessibility_service",
        "pagerank_partnerships",
    } <= set(c.columns)
    # on the service network expresses run past Wuxi
    s = bg.centrality(belt_rail, bg.cooperation_graph(belt))
    assert s.loc["Wuxi", "betweenness_service"] < c.loc["Wuxi", "betweenness_track"]


def test_place_betweenness_counts_a_route_through_two_stations_once() -> None:
    # places A and C at the ends; B has two stations b1, b2 on the only route between them
    G = nx.Graph()
    for p in "ABC":
        G.add_node(p, kind="city", transit=False)
    for s, p in (("a", "A"), ("b1", "B"), ("b2", "B"), ("c", "C")):
        G.add_node(s, kind="station", place=p, transit=True)
        G.add_edge(p, s, minutes=0.0, kind="access")
    G.add_edge("a", "b1", minutes=5.0, kind="track")
    G.add_edge("b1", "b2", minutes=5.0, kind="track")
    G.add_edge("b2", "c", minutes=5.0, kind="track")
    b = bg.betweenness(G)
    # B lies on every route between the other two places: both ordered pairs, once each
    assert b["B"] == pytest.approx(1.0) and b["A"] == 0 and b["C"] == 0


@pytest.mark.skipif(not COMPILED, reason="numba is a test dependency")
@settings(max_examples=60, deadline=None)
@given(weighted_graphs(max_nodes=30), st.integers(1, 3))
def test_the_bucket_queue_and_the_heap_settle_alike_in_any_number_of_threads(
    G: nx.Graph, threads: int
) -> None:
    # whole minutes: the ring of buckets and the indexed heap give the same closeness sums, bit
    # for bit; betweenness within rounding, since nodes at equal minutes settle in another order
    # and their dependencies are summed in it (a dense graph of 28 nodes: 1.4e-14 apart); each
    # queue's blocks of sources, summed in 1, 2 or 3 threads, give the same numbers every run
    order = list(G)
    A = link_matrix(G, {v: i for i, v in enumerate(order)}, "minutes")
    ip, ix, w = A.indptr.astype(np.int64), A.indices.astype(np.int64), A.data.astype(float)
    transit = np.array([v % 3 != 0 for v in order], dtype=np.bool_)  # some ends only
    src = np.arange(len(order), dtype=np.int64)
    buckets = buckets_for(w)
    assert buckets == (int(w.max()) + 1 if len(w) else 1)
    for b in (buckets, 0):
        reach, total = closeness_sums(ip, ix, w, transit, src, b)
        brand = brandes(ip, ix, w, src, b)
        threaded = sum(
            (
                part
                for _, part in over_blocks(lambda s, b=b: brandes(ip, ix, w, s, b), src, threads)
            ),
            np.zeros(len(order)),
        )
        again = sum(
            (
                part
                for _, part in over_blocks(lambda s, b=b: brandes(ip, ix, w, s, b), src, threads)
            ),
            np.zeros(len(order)),
        )
        assert np.array_equal(threaded, again)
        assert np.allclose(threaded, brand, rtol=1e-12, atol=1e-12)
        if b == buckets:
            first = (reach, total, brand, threaded)
        else:
            assert np.array_equal(reach, first[0]) and np.array_equal(total, first[1])
            assert np.allclose(brand, first[2], rtol=1e-12, atol=1e-12)
    # and against scipy: the other nodes reached, and their minutes, routes not passing
    # through an end-only node
    D = _scipy_minutes_avoiding(A, transit)
    finite = np.isfinite(D)
    assert np.array_equal(first[0], finite.sum(axis=1) - 1)
    assert np.allclose(first[1], np.where(finite, D, 0).sum(axis=1), rtol=0, atol=1e-9)


def _scipy_minutes_avoiding(A: Any, transit: np.ndarray) -> np.ndarray:
    """All pairs by scipy, a route passing through no end-only node but its own ends."""
    from scipy.sparse.csgraph import dijkstra

    n = A.shape[0]
    D = np.full((n, n), np.inf)
    keep = np.flatnonzero(transit)
    for s in range(n):
        # the source's links out, then the transit nodes' links only
        rows = np.zeros(n, dtype=bool)
        rows[keep] = True
        rows[s] = True
        B = A.multiply(rows[:, None]).tocsr()
        B.eliminate_zeros()  # a stored 0 would be a link of 0 minutes to scipy
        D[s] = dijkstra(B, directed=True, indices=s)
    return D


def test_buckets_only_for_whole_minutes() -> None:
    assert buckets_for(np.array([3.0, 1156.0])) == 1157
    assert buckets_for(np.array([2.5, 4.0])) == 0
    assert buckets_for(np.array([float(MAX_BUCKETS)])) == 0


def test_mixed_node_ids_and_self_loops() -> None:
    """Issue 39: ids of mixed types are ranked, a self-loop is no rail link."""
    G = nx.Graph([(1, (2, 3), {"minutes": 7}), ((2, 3), 4, {"minutes": 1})])
    c = bg.centrality(G)
    # closeness by hand: (n - 1) / the sum of minutes to the others
    close = c["closeness_rail"].to_dict()
    assert close[(2, 3)] == pytest.approx(2 / (7 + 1))
    assert close[4] == pytest.approx(2 / (1 + 8))
    assert close[1] == pytest.approx(2 / (7 + 8))
    assert c["degree_rail"].to_dict() == {(2, 3): 2, 4: 1, 1: 1}
    H = nx.Graph()
    H.add_edge("a", "a", minutes=3)
    H.add_edge("a", "b", minutes=5)
    assert bg.centrality(H)["degree_rail"].to_dict() == {"a": 1, "b": 1}
