"""belt_graph.routing: commutes and the travel-time matrix by hand, against NetworkX and against a
brute-force search over stations under places."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import belt_graph as bg
from belt_graph.errors import NoRouteError, UnknownPlaceError
from tests.helpers import journeys_by_rounds, random_graphs


def _stations_of(belt_rail: nx.Graph, place: str) -> dict[str, float]:
    return {s: d["minutes"] for s, d in belt_rail.adj[place].items()}


def _brute_force(belt_rail: nx.Graph, a: str, b: str) -> float:
    """Place to place: the best over their stations of access + station journey + access.

    The station journeys come from an independent round-based search (one round per train,
    every change costing the minimum: tests/helpers.journeys_by_rounds).
    """
    best = math.inf
    for s, ma in _stations_of(belt_rail, a).items():
        dist = journeys_by_rounds(belt_rail, s)
        for t, mb in _stations_of(belt_rail, b).items():
            best = min(best, ma + dist.get(t, math.inf) + mb)
    return best


def test_commute_hand_checked(toy_rail: nx.Graph) -> None:
    c = bg.commute(toy_rail, "B", "C")
    # B-A red 20, A-H blue 10, H-C blue 15 = 45 with one change (direct red B-C is 50)
    assert c.minutes == 45.0 and c.changes == 1
    assert c.legs["to"].tolist() == ["A", "H", "C"]
    assert c.legs["cumulative_minutes"].tolist() == [20.0, 30.0, 45.0]


def test_transfer_penalty_changes_route(toy_rail: nx.Graph) -> None:
    c = bg.commute(toy_rail, "B", "C", transfer_penalty_minutes=10)
    assert c.minutes == 50.0 and c.changes == 0 and c.lines == ["red"]
    assert c.generalized_minutes == 50.0
    # a penalty of 4 is not enough: 45 + 4 < 50
    assert bg.commute(toy_rail, "B", "C", transfer_penalty_minutes=4).minutes == 45.0


def test_commute_errors(toy_rail: nx.Graph) -> None:
    H = toy_rail.copy()
    H.add_node("Z", kind="city")
    with pytest.raises(NoRouteError, match="'A' to 'Z'"):
        bg.commute(H, "A", "Z")
    with pytest.raises(UnknownPlaceError):
        bg.commute(toy_rail, "A", "nowhere")
    with pytest.raises(ValueError, match="transfer_penalty_minutes"):
        bg.commute(toy_rail, "A", "B", transfer_penalty_minutes=-1)


def test_matrix_hand_checked(toy_rail: nx.Graph) -> None:
    m = bg.travel_time_matrix(toy_rail)
    expected = pd.DataFrame(
        [[0, 20, 25, 65], [20, 0, 45, 85], [25, 45, 0, 40], [65, 85, 40, 0]],
        index=list("ABCD"),
        columns=list("ABCD"),
        dtype=float,
    )
    np.testing.assert_allclose(m.to_numpy(), expected.to_numpy())


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_matrix_equals_networkx_and_is_metric(toy_rail: nx.Graph) -> None:
    m = bg.travel_time_matrix(toy_rail, nodes=list(toy_rail.nodes))
    ref = dict(nx.all_pairs_dijkstra_path_length(toy_rail, weight="minutes"))
    for u in toy_rail:
        for v in toy_rail:
            if v in ref[u]:
                assert m.loc[u, v] == pytest.approx(ref[u][v])
            else:
                assert math.isnan(m.loc[u, v])
    a = m.to_numpy()
    np.testing.assert_allclose(a, a.T, equal_nan=True)
    assert np.all(np.diag(a) == 0)
    # triangle inequality where defined
    k = a[:, :, None] <= a[:, None, :] + a.T[None, :, :] + 1e-9
    finite = np.isfinite(a[:, :, None]) & np.isfinite(a[:, None, :]) & np.isfinite(a.T[None, :, :])
    assert np.all(k | ~finite)


def test_place_minutes_match_a_brute_force_search(belt: bg.Dataset, belt_rail: nx.Graph) -> None:
    places = bg.place_ids(belt.nodes)
    m = bg.travel_time_matrix(belt_rail)
    for a, b in itertools.permutations(places, 2):
        assert m.loc[a, b] == pytest.approx(_brute_force(belt_rail, a, b)), (a, b)


def test_no_free_change_of_station(belt: bg.Dataset, belt_rail: nx.Graph) -> None:
    stations = belt.nodes[belt.nodes["place"] != ""]
    stations = stations[
        [belt_rail.degree(s) > 1 for s in stations.index]
    ]  # planned ones: access only
    ids = list(stations.index)
    m = bg.travel_time_matrix(belt_rail, nodes=ids)
    for place, group in stations.groupby("place"):
        for a, b in itertools.permutations(group.index, 2):
            # never through the place: exactly the station journey's minutes, never 0
            want = journeys_by_rounds(belt_rail, a)[b]
            assert m.loc[a, b] == pytest.approx(want) and m.loc[a, b] > 0, (place, a, b)
    # 苏州北 to 苏州: never 0; by hand, track to 昆山南 (11), a change (15), a train to 苏州
    # (11): 37, faster than the estimated change of station (43)
    assert m.loc["OHH", "SZH"] == 37


def test_commute_names_stations_and_every_change_is_a_leg(belt_rail: nx.Graph) -> None:
    for a, b in (("Putuo", "Nanjing"), ("Suzhou", "Nantong"), ("Nantong", "Zhenjiang")):
        c = bg.commute(belt_rail, a, b, transfer_penalty_minutes=10)
        legs = c.legs
        assert legs["from"].iloc[0] == a and legs["to"].iloc[-1] == b
        assert (legs["from"].iloc[1:].to_numpy() == legs["to"].iloc[:-1].to_numpy()).all()
        assert legs.loc[legs["kind"] == "transfer", "minutes"].gt(0).all()
        access = legs[legs["kind"] == "access"]
        assert set(access.index) <= {legs.index[0], legs.index[-1]}
        assert set(access["from"]) | set(access["to"]) <= {a, b} | set(belt_rail.adj[a]) | set(
            belt_rail.adj[b]
        )
        # the penalty trades minutes for fewer changes, never the other way
        fastest = bg.commute(belt_rail, a, b)
        assert fastest.minutes == pytest.approx(_brute_force(belt_rail, a, b))
        assert c.minutes >= fastest.minutes and c.changes <= fastest.changes
        assert c.generalized_minutes <= fastest.minutes + 10 * fastest.changes + 1e-9


def test_commute_without_penalty_is_the_matrix(belt: bg.Dataset, belt_rail: nx.Graph) -> None:
    m = bg.travel_time_matrix(belt_rail)
    for a, b in itertools.permutations(bg.place_ids(belt.nodes), 2):
        assert bg.commute(belt_rail, a, b).minutes == pytest.approx(m.loc[a, b])


def test_a_far_station_is_not_the_city(belt_rail: nx.Graph) -> None:
    # Hai'an is Nantong's (a county-level city 68 km out): door to door its access link costs
    # 10 min at the station + 10 km x 1.3 at 25 km/h + the other 58 km x 1.3 at 60 km/h
    nodes = belt_rail.nodes
    km = bg.place_builder.haversine_km(
        nodes["Nantong"]["lat"], nodes["Nantong"]["lon"], nodes["HIH"]["lat"], nodes["HIH"]["lon"]
    )
    assert 68 < km < 68.2
    by_hand = 10 + 10 * 1.3 / 25 * 60 + (km - 10) * 1.3 / 60 * 60
    assert belt_rail.edges["Nantong", "HIH"]["minutes"] == round(by_hand) == 117
    assert bg.commute(belt_rail, "Nantong", "Taizhou").minutes > 27 + 10


def test_no_two_belt_cities_are_under_25_minutes_door_to_door(belt_rail: nx.Graph) -> None:
    """Issue 37: Wuxi-Changzhou was 10 min (Wuxi station to Qishuyan, a suburban stop counted
    as the city for nothing)."""
    m = bg.travel_time_matrix(belt_rail)
    off = m.where(~np.eye(len(m), dtype=bool))
    assert off.min().min() >= 25
    c = bg.commute(belt_rail, "Wuxi", "Changzhou")
    # the legs: access to a Wuxi station, the train, egress from a Changzhou station
    assert c.legs["kind"].iat[0] == "access" and c.legs["kind"].iat[-1] == "egress"
    assert c.access_minutes == belt_rail.edges["Wuxi", c.from_station]["minutes"] >= 10
    assert c.egress_minutes == belt_rail.edges["Changzhou", c.to_station]["minutes"] >= 10
    assert c.minutes == pytest.approx(c.legs["minutes"].sum())
