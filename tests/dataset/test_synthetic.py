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


def test_synthetic_timetable_is_seeded_and_rides_the_network_shortest_routes() -> None:
    import math

    import numpy as np

    from belt_graph.dataset.synthetic import DWELL_MINUTES, rail_like_network, rail_like_timetable

    stations, tt = rail_like_timetable(80, 600, seed=5, spacing_km=100.0)
    again = rail_like_timetable(80, 600, seed=5, spacing_km=100.0)[1]
    assert tt.equals(again)
    assert not tt.equals(rail_like_timetable(80, 600, seed=6, spacing_km=100.0)[1])
    assert len(stations) == 80 and tt["train"].nunique() == 600
    # the network it runs on, searched by NetworkX: every ride between two calls takes the
    # shortest route's minutes (a line is a shortest route, so is each stretch of it)
    G = rail_like_network(80, seed=5, width_km=1.2 * 100.0 * math.sqrt(80))
    short = dict(nx.all_pairs_dijkstra_path_length(G, weight="minutes"))
    for _train, calls in tt.groupby("train", sort=False):
        seq = calls["sequence"].tolist()
        assert seq == list(range(1, len(calls) + 1)) and len(calls) >= 2
        arr = calls["arrival_minutes"].to_numpy()
        dep = calls["departure_minutes"].to_numpy()
        assert math.isnan(arr[0]) and math.isnan(dep[-1])
        assert not np.isnan(arr[1:]).any() and not np.isnan(dep[:-1]).any()
        assert (dep[1:-1] - arr[1:-1] == DWELL_MINUTES).all()
        ids = [int(s[1:]) for s in calls["station"]]
        for k in range(1, len(calls)):
            assert arr[k] - dep[k - 1] == short[ids[k - 1]][ids[k]]
        assert 300 <= dep[0] <= 1380
    # the clock text is the minutes of the day, empty where there is no time
    m = tt["departure_minutes"].dropna().astype(int) % 1440
    text = (m // 60).map("{:02d}".format) + ":" + (m % 60).map("{:02d}".format)
    assert (tt.loc[m.index, "departure"] == text).all()
    assert (tt.loc[tt["arrival_minutes"].isna(), "arrival"] == "").all()


def test_synthetic_timetable_is_searched_like_any_other() -> None:
    import numpy as np

    from belt_graph.dataset.synthetic import rail_like_timetable
    from belt_graph.timetable.schedule import build_connections
    from belt_graph.timetable.window import sweep_arrivals

    _, tt = rail_like_timetable(40, 400, seed=2, spacing_km=60.0)
    c = build_connections(tt)
    assert len(c.stations) == 40
    origins = list(c.stations[:6])
    departs = [420.0, 435.0, 450.0]
    fast = sweep_arrivals(c, origins, departs, engine="fast")
    reference = sweep_arrivals(c, origins, departs, engine="reference")
    np.testing.assert_array_equal(fast, reference)
    assert np.isfinite(fast).sum() > len(origins) * len(departs)  # not only the origins


def test_synthetic_timetable_refuses_impossible_sizes_naming_the_argument() -> None:
    import pytest

    from belt_graph.dataset.synthetic import rail_like_timetable

    for kwargs, name in (
        ({"n_trains": 0}, "n_trains"),
        ({"mean_calls": 1.5}, "mean_calls"),
        ({"mean_calls": float("nan")}, "mean_calls"),
        ({"max_skip": 0}, "max_skip"),
        ({"spacing_km": 0.0}, "spacing_km"),
    ):
        args = {"n_trains": 10, **kwargs}
        with pytest.raises(ValueError, match=name):
            rail_like_timetable(30, **args)
    with pytest.raises(ValueError, match="n_stations must be at least 3"):
        rail_like_timetable(2, 10)
