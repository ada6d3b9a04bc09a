"""belt_graph.network: the layers built from a dataset, stations under places, fastest parallel
links, planned links and weight checks."""

from __future__ import annotations

import math

import networkx as nx
import pytest

import belt_graph as bg
from belt_graph.errors import GraphValidationError


def test_rail_graph_keeps_fastest_parallel_link(toy: bg.Dataset) -> None:
    G = bg.rail_graph(toy)
    assert G.edges["A", "B"]["minutes"] == 20.0
    assert G.edges["A", "B"]["line"] == "red"
    assert [r[0] for r in G.edges["A", "B"]["routes"]] == ["red", "yellow"]


def test_planned_links_only_when_asked(toy: bg.Dataset) -> None:
    assert not bg.rail_graph(toy).has_edge("A", "D")
    assert bg.rail_graph(toy, include_planned=True).edges["A", "D"]["minutes"] == 30.0


@pytest.mark.parametrize("bad", [None, -1, math.nan, math.inf, "5", True])
def test_check_weights_rejects(bad: object) -> None:
    G = nx.Graph()
    G.add_edge("a", "b", minutes=bad)
    with pytest.raises(GraphValidationError, match="'minutes'"):
        bg.check_weights(G)


def test_layers_are_separate(toy: bg.Dataset) -> None:
    coop = bg.cooperation_graph(toy)
    assert all("minutes" not in d for _, _, d in coop.edges(data=True))
    B = bg.sector_graph(toy)
    assert nx.is_bipartite(B)
    # "chips" and "semiconductors" both map to canonical "chips"
    assert sorted(B["B"]) == ["sector:chips"]
    M = bg.multilayer_graph(toy)
    layers = [d for _, _, d in M.edges(data="layer")]
    assert (
        layers.count("rail") == 6
        and layers.count("cooperation") == 2
        and layers.count("sector") == 5
    )


def test_belt_rail_graph_connected(belt: bg.Dataset) -> None:
    G = bg.rail_graph(belt)
    assert G.number_of_nodes() == 68
    # everything is joined but the three planned stations, whose links are all planned
    isolated = {n for n in G if G.degree(n) == 0}
    assert isolated == {"南京北", "泰州南", "上海宝山"}
    assert nx.is_connected(G.subgraph(set(G) - isolated))
    assert nx.is_connected(bg.rail_graph(belt, include_planned=True))


def test_the_places_only_format_still_works(toy: bg.Dataset) -> None:
    track, service = bg.rail_graph(toy, network="track"), bg.rail_graph(toy)
    assert nx.utils.graphs_equal(track, service) is False or set(track.edges) == set(service.edges)
    assert not bg.network.is_two_level(service)
    assert "station" not in bg.reach(service, "A", 1).columns
    assert bg.travel_time_matrix(service).loc["A", "C"] == 25.0
