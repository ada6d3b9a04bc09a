"""belt_graph.reachability: reach by hand, bands and summaries, the limit included, ties, and
where a place is reached."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.errors import UnknownPlaceError
from tests.helpers import random_graphs


def test_reach_hand_checked(toy_rail: nx.Graph) -> None:
    r = bg.reach(toy_rail, "A", 0.5)
    assert r["minutes"].to_dict() == {"A": 0.0, "B": 20.0, "C": 25.0}
    multi = bg.reach(toy_rail, ["B", "D"], 0.75)
    assert multi["nearest_origin"].to_dict() == {"B": "B", "D": "D", "A": "B", "C": "D"}


def test_reach_summary_and_bands(toy_rail: nx.Graph) -> None:
    s = bg.reach_summary(toy_rail, "A", 0.5).iloc[0]
    # A, B, C: 1000 + 2000 + 3000 of 10000 persons; GDP 10 + 20 of 70 (C unknown)
    assert s["places"] == 3 and s["population"] == 6000 and s["population_share"] == 0.6
    assert s["gdp_cny_bn"] == 30 and s["gdp_share"] == pytest.approx(30 / 70)
    assert s["gdp_unknown"] == "C"
    # A 0, B 20, C 25, D 65 min: within 1 h A-C, within 2 and 3 h all four
    assert bg.reach_bands(toy_rail, "A")["places"].tolist() == [3, 4, 4]


@settings(max_examples=40, deadline=None)
@given(random_graphs(), st.floats(0, 3), st.floats(0, 3))
def test_reach_grows_with_hours(toy_rail: nx.Graph, h1: float, h2: float) -> None:
    lo, hi = sorted((h1, h2))
    assert set(bg.reach(toy_rail, 0, lo).index) <= set(bg.reach(toy_rail, 0, hi).index)


@pytest.mark.parametrize("hours", [-1, math.nan, math.inf])
def test_reach_bad_hours(toy_rail: nx.Graph, hours: float) -> None:
    with pytest.raises(ValueError, match="hours"):
        bg.reach(toy_rail, "A", hours)


def test_reach_bad_origins(toy_rail: nx.Graph) -> None:
    with pytest.raises(ValueError, match="empty"):
        bg.reach(toy_rail, [], 1)
    with pytest.raises(UnknownPlaceError):
        bg.reach(toy_rail, "Q", 1)


def test_reach_includes_a_place_exactly_at_the_limit(edge_123: nx.Graph) -> None:
    assert 2.05 * 60 < 123  # the rounding this is about
    assert "Z" in bg.reach(edge_123, "N", 2.05).index
    assert bg.reach_bands(edge_123, "N", [2.05]).loc[2.05, "places"] == 2


def test_the_origin_listed_first_wins_a_tie() -> None:
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "x", 5), ("x", "b", 5), ("c", "b", 10)], weight="minutes")
    assert bg.nearest_origin_dijkstra(G, ["a", "c"], 60)[1]["b"] == "a"
    assert bg.nearest_origin_dijkstra(G, ["c", "a"], 60)[1]["b"] == "c"


def test_reach_says_where_a_place_is_reached(belt_rail: nx.Graph) -> None:
    r = bg.reach(belt_rail, "Putuo", 1.5)
    assert r.loc["Putuo", ["from_station", "to_station"]].tolist() == ["", ""]
    assert r.loc["Putuo", ["access_minutes", "egress_minutes"]].tolist() == [0, 0]
    assert "SXH" not in r.index  # stations are not places
    for place in r.index.drop("Putuo"):
        row = r.loc[place]
        # the ends are the journey's: Putuo's access link to its first station, the egress from
        # the last station into the place, each the minutes of that access link
        assert belt_rail.nodes[row["to_station"]]["place"] == place
        assert row["access_minutes"] == belt_rail.edges["Putuo", row["from_station"]]["minutes"]
        assert row["egress_minutes"] == belt_rail.edges[place, row["to_station"]]["minutes"]
        c = bg.commute(belt_rail, "Putuo", place)
        assert (c.from_station, c.to_station, c.minutes) == (
            row["from_station"],
            row["to_station"],
            row["minutes"],
        )
        assert row["minutes"] > row["access_minutes"] + row["egress_minutes"]
