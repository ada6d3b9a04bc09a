"""Links of 0 minutes (two ids for one station, a user's edit) are accepted by every analysis.

Distances are checked against NetworkX's Dijkstra, which is exact with 0 weights; betweenness
against a brute force over every simple path, since NetworkX's path counts are not defined
for them (a 0-minute link makes its two ends each other's predecessor).
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import given, settings

import belt_graph as bg
from tests.helpers import assert_matrix_equals_networkx, weighted_graphs


def _fastest_simple_paths(G: nx.Graph, s: object, t: object) -> list[list[object]]:
    """Every simple s-t path with the fewest minutes, then the fewest 0-minute links."""
    best: tuple[float, int] | None = None
    found: list[list[object]] = []
    for path in nx.all_simple_paths(G, s, t):
        legs = [G.edges[u, v]["minutes"] for u, v in itertools.pairwise(path)]
        key = (sum(legs), sum(1 for m in legs if m == 0))
        if best is None or key < best:
            best, found = key, [path]
        elif key == best:
            found.append(path)
    return found


def _brute_betweenness(G: nx.Graph) -> dict[object, float]:
    nodes = list(G)
    n = len(nodes)
    bc = dict.fromkeys(nodes, 0.0)
    for s, t in itertools.permutations(nodes, 2):
        paths = _fastest_simple_paths(G, s, t)
        for v in nodes:
            if v not in (s, t) and paths:
                bc[v] += sum(v in p for p in paths) / len(paths)
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {v: b * scale for v, b in bc.items()}


@settings(max_examples=60, deadline=None)
@given(weighted_graphs(max_nodes=8, zeros=True))
def test_betweenness_with_zero_minute_links_counts_the_fastest_simple_paths(G: nx.Graph) -> None:
    got = bg.betweenness(G).to_dict()
    want = _brute_betweenness(G)
    assert got == pytest.approx(want, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(weighted_graphs(zeros=True))
def test_times_with_zero_minute_links_equal_networkx(G: nx.Graph) -> None:
    assert_matrix_equals_networkx(G)
    close = bg.closeness(G).to_dict()
    assert close == pytest.approx(nx.closeness_centrality(G, distance="minutes"))
    s = next(iter(G))
    assert bg.nearest_origin_dijkstra(G, [s], 3)[0] == nx.single_source_dijkstra_path_length(
        G, s, cutoff=3, weight="minutes"
    )


def test_every_analysis_takes_a_zero_minute_link() -> None:
    # b and b2 are one station under two ids
    G = nx.Graph()
    G.add_edge("a", "b", minutes=10.0)
    G.add_edge("b", "b2", minutes=0.0)
    G.add_edge("b2", "c", minutes=5.0)
    G.add_edge("a", "c", minutes=20.0)
    trip = bg.commute(G, "a", "c")
    assert trip.minutes == 15.0 and list(trip.legs["to"]) == ["b", "b2", "c"]
    assert bg.travel_time_matrix(G).loc["b", "b2"] == 0.0
    assert set(bg.reach(G, "a", 0.2).index) == {"a", "b", "b2"}
    table = bg.centrality(G)
    # b lies on a-b2, a-c and back (4 of the 6 ordered pairs without b); b2 on a-c, b-c, back
    assert table.loc["b", "betweenness_rail"] == pytest.approx(4 / 6)
    assert table.loc["b2", "betweenness_rail"] == pytest.approx(4 / 6)


def test_the_library_graph_edited_to_zero_minutes_is_accepted() -> None:
    G = bg.rail_graph(bg.load_dataset())
    u, v, _ = next(iter(G.edges(data=True)))
    G.edges[u, v]["minutes"] = 0.0
    assert bg.commute(G, u, v).minutes == 0.0
    assert bg.travel_time_matrix(G, include_hubs=True).loc[u, v] == 0.0
    # a ride on the track: its edited minutes are what a journey over it takes
    a, b = next((a, b) for a, b, d in G.edges(data=True) if d.get("kind") == "track")
    G.edges[a, b]["minutes"] = 0.0
    assert bg.commute(G, a, b).minutes == 0.0
