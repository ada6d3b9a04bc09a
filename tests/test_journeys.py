"""Journeys a rider can take (issue 23, 1): on a network of services a change of train costs time.

Checked against a hand computation on a three-station network, and against an independent
round-based search (one round per train ridden, as RAPTOR counts them) on the whole belt.
"""

from __future__ import annotations

import itertools
import math
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.schema import DEFAULT_MIN_TRANSFER_MINUTES as CHANGE
from tests.helpers import journeys_by_rounds, network_folders

RIDES = ("service", "track")


def _services(change_at_b: float | None = None, time: str = "in-vehicle") -> nx.Graph:
    """A - B - C: train X rides A-B in 30, train Y B-C in 30, train Z A-C in 70.

    Trains per day (both ways): X 36 (half the headway one way over 18 h: 1080 / 36 = 30 min),
    Y 108 (10 min), Z 72 (15 min).
    """
    G = nx.Graph(time=time)
    for n in "ABC":
        G.add_node(n, kind="station")
    if change_at_b is not None:
        G.nodes["B"]["min_transfer_minutes"] = change_at_b
    for u, v, train, m, per_day in (
        ("A", "B", "X", 30, 36.0),
        ("B", "C", "Y", 30, 108.0),
        ("A", "C", "Z", 70, 72.0),
    ):
        route = (train, "rail", m, "service", "", per_day)
        G.add_edge(u, v, minutes=m, kind="service", routes=(route,))
    return G


def test_a_change_of_train_costs_the_default_minimum_by_hand() -> None:
    G = _services()
    # X then Y: 30 + 15 + 30 = 75 > 70 by Z, the one train
    c = bg.commute(G, "A", "C")
    assert (c.minutes, c.changes, c.lines) == (70.0, 0, ["Z"])
    assert bg.travel_time_matrix(G, nodes=["A", "B", "C"]).loc["A", "C"] == 70.0
    assert bg.reach(G, "A", 2).loc["C", "minutes"] == 70.0


def test_a_station_of_quick_changes_makes_the_change_win_by_hand() -> None:
    G = _services(change_at_b=5)
    c = bg.commute(G, "A", "C")
    # X, a change of 5 min at B, then Y: 30 + 5 + 30 = 65 < 70
    assert c.minutes == 65.0 and c.changes == 1
    assert c.legs["kind"].tolist() == ["service", "change", "service"]
    assert c.legs["minutes"].tolist() == [30.0, 5.0, 30.0]
    assert c.legs["line"].tolist() == ["X", "", "Y"]
    assert c.legs["cumulative_minutes"].iloc[-1] == 65.0
    # a penalty is a preference, never time: with 10 more per change Z wins again
    assert bg.commute(G, "A", "C", transfer_penalty_minutes=10).lines == ["Z"]


def test_expected_minutes_add_half_the_headway_per_boarding_by_hand() -> None:
    # Z alone: 70 + 15 = 85
    c = bg.commute(_services(), "A", "C")
    assert (c.minutes, c.expected_minutes) == (70.0, 85.0)
    # with a 5-minute change at B, X then Y is fastest in the train (65), but waits 30 + 10
    c = bg.commute(_services(change_at_b=5), "A", "C")
    assert (c.minutes, c.expected_minutes, c.lines) == (65.0, 105.0, ["X", "Y"])
    # counting expected time, Z wins (85 < 105); the matrix and reach count it too
    G = _services(change_at_b=5, time="expected")
    c = bg.commute(G, "A", "C")
    assert (c.minutes, c.expected_minutes, c.lines) == (70.0, 85.0, ["Z"])
    assert bg.travel_time_matrix(G, nodes=["A", "C"]).loc["A", "C"] == 85.0
    assert bg.reach(G, "A", 1.5).loc["C", "minutes"] == 85.0
    # a train of unknown frequency waits the cap (30)
    H = _services()
    H.edges["A", "C"]["routes"] = (("Z", "rail", 70, "service", ""),)
    assert bg.commute(H, "A", "C").expected_minutes == 100.0


@pytest.mark.slow
def test_expected_minutes_on_the_belt_against_the_round_based_search() -> None:
    ds = bg.load_dataset()
    G = bg.rail_graph(ds, time="expected")
    M = bg.travel_time_matrix(G)
    for o, d in (("Putuo", "Nanjing"), ("Nantong", "Suzhou"), ("Zhenjiang", "Taizhou")):
        want = journeys_by_rounds(G, o, waits=True)[d]
        assert M.loc[o, d] == pytest.approx(want), (o, d)
        c = bg.commute(G, o, d)
        assert c.expected_minutes == pytest.approx(want)
        assert c.expected_minutes >= bg.commute(bg.rail_graph(ds), o, d).minutes


def test_without_services_changes_stay_free() -> None:
    G = nx.path_graph(["A", "B", "C"])
    nx.set_edge_attributes(G, 10, "minutes")
    assert bg.commute(G, "A", "C").minutes == 20.0


@pytest.mark.slow
def test_the_belt_matrix_equals_an_independent_round_based_search() -> None:
    G = bg.rail_graph(bg.load_dataset())
    ids = bg.place_ids(bg.load_dataset().nodes)
    M = bg.travel_time_matrix(G, nodes=ids)
    for o in ids:
        expected = journeys_by_rounds(G, o)
        got = M.loc[o].to_numpy(float)
        want = np.array([expected.get(d, math.inf) for d in ids])
        assert np.allclose(got, want), (o, dict(zip(ids, got, strict=True)), expected)


@pytest.mark.slow
def test_no_itinerary_joins_two_trains_without_a_change() -> None:
    ds = bg.load_dataset()
    G = bg.rail_graph(ds)
    ids = bg.place_ids(ds.nodes)
    checked = 0
    for o in ids:
        for d in ids:
            if o == d:
                continue
            c = bg.commute(G, o, d)
            legs = c.legs.to_dict("records")
            rides = [x for x in legs if x["kind"] in ("service", "track")]
            # every rail leg is one train's ride: two of them are always joined by a change of
            # at least the minimum change time, or by a walk to another station
            for a, b in itertools.pairwise(legs):
                assert not (a["kind"] in RIDES and b["kind"] in RIDES), (o, d)
                if a["kind"] == "change":
                    assert a["minutes"] >= CHANGE and a["from"] == a["to"]
            assert rides and c.changes == len(rides) - 1, (o, d)
            assert c.minutes == pytest.approx(sum(x["minutes"] for x in legs))
            checked += 1
    assert checked == len(ids) * (len(ids) - 1)


@pytest.mark.slow
def test_jiangsu_journeys_stay_in_jiangsu_and_nantong_takes_the_hutong_railway() -> None:
    ds = bg.load_dataset()
    G = bg.rail_graph(ds)
    jiangsu = ["Nanjing", "Wuxi", "Changzhou", "Suzhou", "Nantong", "Zhenjiang", "Taizhou"]
    shanghai = {"AOH", "SHH", "SXH", "SNH"}
    for a in jiangsu:
        for b in jiangsu:
            if a != b:
                legs = bg.commute(G, a, b).legs
                assert not (set(legs["from"]) | set(legs["to"])) & shanghai, (a, b)
    # Nantong to Suzhou: a train on the Shanghai-Suzhou-Nantong railway from a Nantong
    # station to Changshu (a county-level city of Suzhou), then its egress by road; not round
    # by Shanghai
    c = bg.commute(G, "Nantong", "Suzhou")
    rides = c.legs[c.legs["kind"].isin(["service", "track"])]
    assert len(rides) == 1 and list(rides["to"]) == ["CAU"]
    assert G.nodes[rides["from"].iat[0]]["place"] == "Nantong"
    links = ds.links
    ride = links[
        (links["source"].isin([rides["from"].iat[0], "CAU"]))
        & (links["target"].isin([rides["from"].iat[0], "CAU"]))
        & (links["line"] == rides["line"].iat[0])
    ]
    assert "Shanghai-Suzhou-Nantong railway" in ride["railways"].iat[0].split(";")
    assert c.egress_minutes == G.edges["Suzhou", "CAU"]["minutes"]


def _route_network() -> nx.Graph:
    """A feed's links: route R rides A-B-C (10 + 10 min), route S rides B-D (5 min)."""
    G = nx.Graph(time="in-vehicle", ride_on_track=True)
    for n in "ABCD":
        G.add_node(n, kind="station", min_transfer_minutes=2.0)
    for u, v, line, m in (("A", "B", "R", 10), ("B", "C", "R", 10), ("B", "D", "S", 5)):
        route = (line, "bus", m, "track", "", 40.0)
        G.add_edge(u, v, minutes=m, kind="track", routes=(route,))
    return G


def test_riding_on_along_a_route_is_one_ride_by_hand() -> None:
    G = _route_network()
    # A to C on route R: 10 + 10, no change, one leg
    c = bg.commute(G, "A", "C")
    assert (c.minutes, c.changes, c.lines) == (20.0, 0, ["R"])
    assert c.legs[["from", "to", "minutes"]].values.tolist() == [["A", "C", 20.0]]
    # A to D: R to B, a change of 2 min, S to D
    c = bg.commute(G, "A", "D")
    assert (c.minutes, c.changes) == (17.0, 1)
    assert c.legs["kind"].tolist() == ["track", "change", "track"]
    # each boarding waits half the headway one way: 1080 / 40 = 27 min; riding on waits nothing
    assert bg.commute(G, "A", "C").expected_minutes == 20.0 + 27.0
    assert bg.commute(G, "A", "D").expected_minutes == 17.0 + 2 * 27.0
    # without ride_on_track (and with a service somewhere, so that changes cost time) every
    # link is a ride of its own, as on the belt: riding on from B is a change
    G.graph["ride_on_track"] = False
    G.add_edge("C", "D", minutes=60, kind="service", routes=(("T", "bus", 60, "service"),))
    assert bg.commute(G, "A", "C").minutes == 22.0


def test_an_imported_feed_rides_on_along_its_routes(cairns: bg.Dataset) -> None:
    # the bug: 11 changes of bus on one bus route, each a hop between consecutive stops
    assert cairns.metadata["ride_on_track"] == "yes"
    G = bg.rail_graph(cairns)
    assert G.graph["ride_on_track"] is True
    c = bg.commute(G, "750047", "750186")
    assert c.changes == 0 and c.lines == ["123"]
    # every origin's journeys against the independent round-based search (a round per vehicle)
    places = list(G.nodes)
    rng = np.random.default_rng(7)
    origins = [str(x) for x in rng.choice(places, size=12, replace=False)]
    m = bg.travel_time_matrix(G, nodes=places)
    for o in origins:
        want = journeys_by_rounds(G, o)
        got = m.loc[o]
        for d in places:
            assert got[d] == pytest.approx(want.get(d, math.inf)), (o, d)


def test_a_bad_ride_on_track_value_is_located(cairns: bg.Dataset, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path / "feed"
    shutil.copytree(cairns.path, folder)
    meta = folder / "metadata.csv"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("ride_on_track,yes,", "ride_on_track,maybe,"), encoding="utf-8")
    line = 1 + next(i for i, x in enumerate(text.splitlines()) if x.startswith("ride_on_track"))
    with pytest.raises(bg.BeltGraphError, match=rf"metadata.csv:{line}: column 'value': "
                       r"expected yes or no, got 'maybe'"):  # fmt: skip
        bg.load_dataset(folder)
    # "no": each link a ride of its own, as on the belt
    meta.write_text(text.replace("ride_on_track,yes,", "ride_on_track,no,"), encoding="utf-8")
    assert bg.rail_graph(bg.load_dataset(folder)).graph["ride_on_track"] is False


def _equal_journey_graphs(a: Any, b: Any) -> None:
    assert a.matrix.shape == b.matrix.shape
    assert (a.matrix != b.matrix).nnz == 0
    # explicit zeros (free boarding, free access) are edges: the same pattern too
    assert np.array_equal(a.matrix.indptr, b.matrix.indptr)
    assert np.array_equal(a.matrix.indices, b.matrix.indices)
    assert (a.ready, a.arrive, a.node, a.state) == (b.ready, b.arrive, b.node, b.state)
    assert (a.line, a.change, a.expected) == (b.line, b.change, b.expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    network_folders(services=True),
    st.sampled_from(["in-vehicle", "expected"]),
    st.sampled_from([0.0, 10.0]),
    st.booleans(),
)
def test_the_journey_graph_by_arrays_is_the_one_edge_by_edge(
    files: dict[str, str], time: str, penalty: float, tie_break: bool
) -> None:
    """Two builders of one graph: numpy over the edges, and the loop that also rides on."""
    from belt_graph.network.journeys import TIE_BREAK, _by_arrays, _by_edges

    extra = penalty + (TIE_BREAK if tie_break else 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        G = bg.rail_graph(bg.load_dataset(tmp), include_planned=True, time=time)
    expected = time == "expected"
    _equal_journey_graphs(
        _by_arrays(G, "minutes", extra=extra, expected=expected),
        _by_edges(G, "minutes", extra=extra, expected=expected, ride_on=False),
    )


@pytest.mark.parametrize("time", ["in-vehicle", "expected"])
def test_the_belt_journey_graph_by_arrays_is_the_one_edge_by_edge(time: str) -> None:
    from belt_graph.network.journeys import _by_arrays, _by_edges

    G = bg.rail_graph(bg.load_dataset(), time=time)
    for extra in (0.0, 5.0):
        _equal_journey_graphs(
            _by_arrays(G, "minutes", extra=extra, expected=time == "expected"),
            _by_edges(G, "minutes", extra=extra, expected=time == "expected", ride_on=False),
        )


def test_journey_graphs_are_kept_only_for_the_networks_named_and_only_in_the_block() -> None:
    from belt_graph.network.journeys import JourneyStore, journey_graph, reuse_journey_graphs

    ds = bg.load_dataset()
    G, H = bg.rail_graph(ds), bg.rail_graph(ds)
    store = JourneyStore()
    with reuse_journey_graphs(store, G):
        first = journey_graph(G)
        assert journey_graph(G) is first  # kept
        assert journey_graph(G, tie_break=True) is not first  # other arguments: built
        assert journey_graph(G, tie_break=True) is journey_graph(G, tie_break=True)
        assert journey_graph(H) is not journey_graph(H)  # not named: built each time
    assert journey_graph(G) is not first  # outside the block: built
    again = journey_graph(G)
    assert (again.matrix != first.matrix).nnz == 0 and again.ready == first.ready


def test_the_reports_expected_network_is_the_expected_rail_graph() -> None:
    from belt_graph.report.results import Results

    ds = bg.load_dataset()
    r = Results(ds)
    with r.reusing_journeys():
        got = r.matrix_expected
    want = bg.travel_time_matrix(bg.rail_graph(ds, time="expected")).round(1)
    assert got.equals(want)
    assert not got.equals(r.matrix.round(1))  # the waits are in it
    assert r.graph.graph["time"] == "in-vehicle"  # the network itself is unchanged
