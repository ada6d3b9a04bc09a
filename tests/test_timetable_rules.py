"""The timetable search's rules beyond one station: own change times per station, pickup and
drop-off rules, walks between stations and access to places, checked against a brute-force
search over a time-expanded graph written here independently of the scan."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.dataset import parse_clock
from belt_graph.timetable import build_connections

STATIONS = ["A", "B", "C", "D", "E"]
PLACE = "P"  # owns A and B


def brute_force(
    tt: pd.DataFrame,
    walks: pd.DataFrame,
    change: dict[str, float],
    default_change: float,
    origin: str,
    depart: float,
    horizon: float,
) -> dict[str, float]:
    """Earliest arrival at every node by reachability in a time-expanded graph.

    Events: a departure and an arrival per call of each daily run (days -3..3); a "walked"
    event per walk taken. Edges: ride to the next call; stay on board; change at a station
    (arrival -> departure at least that station's change time later) where the arrival
    allows leaving and the departure allows boarding; a walk after a train (arrival -> walked
    event at the walk's end, which may board any departure there at or after it); the start
    (departures at the origin, and the origin's walks, and from a place one more walk to a
    station). Only departures within the horizon count.
    """
    E = nx.DiGraph()
    deps: dict[str, list[tuple[float, object]]] = {}
    arrs: list[tuple[str, float, object]] = []
    for train, calls in tt.groupby("train"):
        calls = calls.sort_values("sequence").to_dict("records")
        for k in range(-3, 4):
            prev = None
            for row in calls:
                a = row["arrival_minutes"] + k * 1440
                d = row["departure_minutes"] + k * 1440
                node_a, node_d = (
                    ("arr", train, k, row["sequence"]),
                    ("dep", train, k, row["sequence"]),
                )
                if prev is not None and not math.isnan(a):
                    E.add_edge(prev, node_a)
                    if row["drop_off"] != "no":
                        arrs.append((row["station"], a, node_a))
                prev = None
                if not math.isnan(d) and depart <= d <= depart + horizon:
                    if row["pickup"] != "no":
                        deps.setdefault(row["station"], []).append((d, node_d))
                    prev = node_d
                    if not math.isnan(a):
                        E.add_edge(node_a, node_d)
    out: dict[str, list[tuple[str, float]]] = {}
    for r in walks.to_dict("records"):
        out.setdefault(r["source"], []).append((r["target"], r["minutes"]))
    walked: list[tuple[str, float, object]] = []

    def walk_node(src: object, station: str, t: float) -> None:
        node = ("walk", station, t, len(walked))
        E.add_edge(src, node)
        walked.append((station, t, node))
        if station != PLACE:
            for d, dnode in deps.get(station, []):
                if d >= t:
                    E.add_edge(node, dnode)

    E.add_node("start")
    for _d, node in deps.get(origin, []):
        if _d >= depart:
            E.add_edge("start", node)
    for w, m in out.get(origin, []):
        walk_node("start", w, depart + m)
        if origin == PLACE:
            for x, m2 in out.get(w, []):
                if x != PLACE:
                    walk_node("start", x, depart + m + m2)
    for station, a, node in list(arrs):
        for d, dnode in deps.get(station, []):
            if d >= a + change.get(station, default_change):
                E.add_edge(node, dnode)
        for w, m in out.get(station, []):
            walk_node(node, w, a + m)
    reached = nx.descendants(E, "start")
    best = {origin: depart}
    for station, a, node in [*arrs, *walked]:
        if node in reached and a < best.get(station, math.inf):
            best[station] = a
    return best


@st.composite
def networks(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    rows = []
    for t in range(draw(st.integers(1, 6))):
        stops = draw(st.lists(st.sampled_from(STATIONS), min_size=2, max_size=4, unique=True))
        clock = draw(st.integers(0, 2400))
        for i, s in enumerate(stops):
            dwell = draw(st.integers(0, 5)) if 0 < i < len(stops) - 1 else 0
            rows.append(
                {
                    "train": f"T{t}",
                    "sequence": i + 1,
                    "station": s,
                    "arrival_minutes": float(clock) if i else math.nan,
                    "departure_minutes": float(clock + dwell) if i < len(stops) - 1 else math.nan,
                    "pickup": draw(st.sampled_from(["", "", "", "no"])),
                    "drop_off": draw(st.sampled_from(["", "", "", "no"])),
                }
            )
            clock += dwell + draw(st.integers(1, 300))
    links = [("P", "A", "access"), ("P", "B", "access")]
    links += draw(
        st.lists(
            st.tuples(st.sampled_from(STATIONS), st.sampled_from(STATIONS), st.just("walk")).filter(
                lambda x: x[0] != x[1]
            ),
            max_size=3,
        )
    )
    walk_rows = []
    for a, b, mode in links:
        m = float(draw(st.integers(0 if mode == "access" else 1, 40)))
        walk_rows += [
            {"source": a, "target": b, "minutes": m, "mode": mode},
            {"source": b, "target": a, "minutes": m, "mode": mode},
        ]
    walks = pd.DataFrame(walk_rows)
    walks = walks.sort_values("minutes", kind="stable").drop_duplicates(["source", "target"])
    change = {s: float(draw(st.integers(0, 30))) for s in draw(st.sets(st.sampled_from(STATIONS)))}
    return pd.DataFrame(rows), walks, change


@settings(max_examples=200, deadline=None)
@given(networks(), st.sampled_from(["A", "C", "P"]), st.integers(0, 1439), st.integers(0, 20))
def test_scan_with_walks_and_rules_equals_brute_force(
    net: tuple[pd.DataFrame, pd.DataFrame, dict[str, float]],
    origin: str,
    depart: int,
    default_change: int,
) -> None:
    tt, walks, change = net
    c = build_connections(tt, walks, change, {PLACE})
    if origin not in c.stations:
        return
    horizon = 1440.0
    got = bg.earliest_arrival(
        c, origin, depart, min_transfer_minutes=default_change, max_minutes=horizon
    )
    want = brute_force(tt, walks, change, default_change, origin, depart, horizon)
    assert {s: a for s, a in got.items() if math.isfinite(a)} == want
    # every journey is a chain of legs that keeps the rules
    for node, arrival in want.items():
        if node == origin:
            continue
        j = bg.timetable_commute(
            c, origin, node, depart, min_transfer_minutes=default_change, max_hours=24
        )
        assert j.arrival == arrival
        legs = j.legs.to_dict("records")
        assert legs[0]["from"] == origin and legs[0]["departure"] >= depart
        assert all(leg["from"] != PLACE for leg in legs[1:])  # never through a place
        for prev, nxt in itertools.pairwise(legs):
            assert prev["to"] == nxt["from"] and nxt["departure"] >= prev["arrival"]
            if prev["train"] and nxt["train"]:
                need = change.get(prev["to"], default_change)
                assert nxt["departure"] >= prev["arrival"] + need
        assert j.minutes == pytest.approx(j.in_vehicle_minutes + j.walk_minutes + j.wait_minutes)


def timetable(*trains: tuple[str, list[tuple[str, str, str]]]) -> pd.DataFrame:
    rows = []
    for train, calls in trains:
        for i, (station, arr, dep) in enumerate(calls, start=1):
            rows.append(
                {
                    "train": train,
                    "sequence": i,
                    "station": station,
                    "arrival_minutes": parse_clock(arr) if arr else math.nan,
                    "departure_minutes": parse_clock(dep) if dep else math.nan,
                }
            )
    return pd.DataFrame(rows)


def test_change_of_station_walks_and_counts_its_minutes() -> None:
    # T1 A 08:00 -> B 08:30; walk B -> X (12 min); T2 X 08:45 -> C 09:15
    tt = timetable(
        ("T1", [("A", "", "08:00"), ("B", "08:30", "")]),
        ("T2", [("X", "", "08:45"), ("C", "09:15", "")]),
    )
    walks = pd.DataFrame(
        [
            {"source": "B", "target": "X", "minutes": 12.0, "mode": "metro"},
            {"source": "X", "target": "B", "minutes": 12.0, "mode": "metro"},
        ]
    )
    c = build_connections(tt, walks)
    j = bg.timetable_commute(c, "A", "C", 7 * 60 + 50, min_transfer_minutes=30)
    assert j.legs[["train", "mode", "from", "to"]].values.tolist() == [
        ["T1", "rail", "A", "B"],
        ["", "metro", "B", "X"],
        ["T2", "rail", "X", "C"],
    ]
    # 10 min waiting at A, 30 + 30 on trains, 12 walking, 3 waiting at X
    assert (j.minutes, j.in_vehicle_minutes, j.walk_minutes, j.wait_minutes, j.changes) == (
        85.0,
        60.0,
        12.0,
        13.0,
        1,
    )
    # a walk of 16 min misses T2
    slow = walks.assign(minutes=16.0)
    with pytest.raises(bg.NoRouteError):
        bg.timetable_commute(build_connections(tt, slow), "A", "C", 470, max_hours=3)


def test_pickup_and_drop_off_rules() -> None:
    tt = timetable(("T1", [("A", "", "08:00"), ("B", "08:30", "08:31"), ("C", "09:00", "")]))
    tt["pickup"] = ["", "no", ""]
    tt["drop_off"] = ["", "no", ""]
    c = build_connections(tt)
    arrival = bg.earliest_arrival(c, "A", 470)
    assert math.isinf(arrival["B"]) and arrival["C"] == parse_clock("09:00")
    assert math.isinf(bg.earliest_arrival(c, "B", 470)["C"])  # cannot board at B


def test_own_change_time_of_a_station_wins_over_the_default() -> None:
    tt = timetable(
        ("T1", [("A", "", "08:00"), ("B", "08:30", "")]),
        ("T2", [("B", "", "08:35"), ("C", "09:00", "")]),
    )
    assert bg.earliest_arrival(build_connections(tt), "A", 470, min_transfer_minutes=5)[
        "C"
    ] == parse_clock("09:00")
    slow_b = build_connections(tt, change={"B": 10.0})
    # 10 min at B misses T2 today: the next day's T2 (trains run daily)
    assert bg.earliest_arrival(slow_b, "A", 470, min_transfer_minutes=5)["C"] == 1440 + 540


def test_a_place_is_reached_by_access_and_never_passed_through() -> None:
    # P owns A and B (access 5 and 0 min); T1 from A; T2 to B; no walk A <-> B
    tt = timetable(
        ("T1", [("A", "", "08:10"), ("C", "08:40", "")]),
        ("T2", [("D", "", "08:00"), ("B", "08:20", "")]),
    )
    walks = pd.DataFrame(
        [
            {"source": "P", "target": "A", "minutes": 5.0, "mode": "access"},
            {"source": "A", "target": "P", "minutes": 5.0, "mode": "access"},
            {"source": "P", "target": "B", "minutes": 0.0, "mode": "access"},
            {"source": "B", "target": "P", "minutes": 0.0, "mode": "access"},
        ]
    )
    c = build_connections(tt, walks, places={"P"})
    from_p = bg.earliest_arrival(c, "P", 8 * 60)
    assert from_p["A"] == 485.0 and from_p["C"] == 520.0
    from_d = bg.earliest_arrival(c, "D", 470)
    assert from_d["P"] == 500.0  # arrive B 08:20, the place at once
    assert math.isinf(from_d["A"]) and math.isinf(from_d["C"])  # not B -> P -> A
