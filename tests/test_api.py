"""The public API as a whole: analyses never change their input, any hashable node id works,
directed graphs are refused and parallel edges count their fastest."""

from __future__ import annotations

import networkx as nx
import pytest

import belt_graph as bg


def test_analyses_do_not_mutate(toy: bg.Dataset) -> None:
    G = bg.rail_graph(toy)
    before = G.copy()
    bg.commute(G, "B", "C", transfer_penalty_minutes=5)
    bg.travel_time_matrix(G)
    bg.reach(G, "A", 1)
    bg.centrality(G, bg.cooperation_graph(toy))
    assert nx.utils.graphs_equal(G, before)


def test_integer_node_ids_work_everywhere() -> None:
    G = nx.path_graph(4)
    nx.set_node_attributes(G, "city", "kind")
    nx.set_node_attributes(G, 10.0, "population")
    nx.set_edge_attributes(G, 5.0, "minutes")
    assert bg.travel_time_matrix(G).loc[0, 3] == 15.0
    assert bg.reach(G, 0, 0.2).index.tolist() == [0, 1, 2]
    assert bg.centrality(G).loc[1, "rank_betweenness_rail"] == 1


def test_directed_graphs_are_refused() -> None:
    D = nx.DiGraph()
    D.add_edge("a", "b", minutes=1.0, kind="city")
    calls = [
        lambda: bg.closeness(D),
        lambda: bg.betweenness(D),
        lambda: bg.travel_time_matrix(D, nodes=["a", "b"]),
        lambda: bg.reach(D, "a", 1),
        lambda: bg.commute(D, "a", "b"),
        lambda: bg.centrality(D),
    ]
    for call in calls:
        with pytest.raises(bg.UnsupportedGraphError, match="directed"):
            call()


def test_parallel_edges_count_their_fastest() -> None:
    M = nx.MultiGraph()
    for n in ("a", "b", "c"):
        M.add_node(n, kind="city", name=n)
    M.add_edge("a", "b", minutes=10.0, line="fast")
    M.add_edge("a", "b", minutes=100.0, line="slow")
    M.add_edge("b", "c", minutes=5.0, line="fast")
    assert bg.travel_time_matrix(M).loc["a", "b"] == 10.0
    assert bg.closeness(M)["a"] == pytest.approx(2 / (10 + 15))
    assert bg.betweenness(M)["b"] == 1.0
    assert bg.reach(M, "a", 0.25)["minutes"].to_dict() == {"a": 0.0, "b": 10.0, "c": 15.0}
    assert bg.commute(M, "a", "c").minutes == 15.0


def test_a_plain_networkx_graph_is_a_network_of_places() -> None:
    """Issue 25, 17: nodes without a ``kind`` were taken for stations, and the answers were empty."""
    G = nx.Graph([("a", "b", {"minutes": 7}), ("b", "c", {"minutes": 5})])
    m = bg.travel_time_matrix(G)
    assert m.to_dict("index") == {
        "a": {"a": 0.0, "b": 7.0, "c": 12.0},
        "b": {"a": 7.0, "b": 0.0, "c": 5.0},
        "c": {"a": 12.0, "b": 5.0, "c": 0.0},
    }
    r = bg.reach(G, "a", 0.2)  # 12 minutes: c is exactly at the limit
    assert r["minutes"].to_dict() == {"a": 0.0, "b": 7.0, "c": 12.0}
    c = bg.centrality(G)
    assert sorted(c.index) == ["a", "b", "c"]
    # closeness by hand: b reaches a and c in 7 + 5 minutes, so 2 / 12
    assert c.loc["b", "closeness_rail"] == pytest.approx(2 / 12)
    # a MultiGraph counts its fastest parallel edge
    M = nx.MultiGraph([("a", "b", {"minutes": 7}), ("a", "b", {"minutes": 3})])
    M.add_edge("b", "c", minutes=5)
    assert bg.travel_time_matrix(M).loc["a", "c"] == 8.0
    # hubs stay junctions when the graph names its cities
    H = nx.Graph([("x", "h", {"minutes": 1}), ("h", "y", {"minutes": 2})])
    nx.set_node_attributes(H, {"x": "city", "y": "city", "h": "hub"}, "kind")
    assert list(bg.travel_time_matrix(H).index) == ["x", "y"]


def test_an_empty_answer_says_why(caplog: pytest.LogCaptureFixture) -> None:
    H = nx.Graph([("h1", "h2", {"minutes": 3})])
    nx.set_node_attributes(H, "hub", "kind")
    with caplog.at_level("WARNING", logger="belt_graph"):
        m = bg.travel_time_matrix(H)
    assert m.empty
    assert "none of the graph's 2 nodes is a place (their kinds: hub)" in caplog.text
