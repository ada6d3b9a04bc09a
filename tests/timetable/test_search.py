"""belt_graph.timetable.search: the Connection Scan on hand-built timetables, against brute-force
searches, and its rules."""

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
from belt_graph.errors import (
    NoRouteError,
    NoTimetableError,
    UnknownPlaceError,
)
from belt_graph.timetable import build_connections
from tests.helpers import (
    NATIONAL,
    PLACE,
    at,
    networks,
    rules_timetable,
    run_in_folder,
    stations_only,
    tt_frame,
)

FOUR_STOPS = tt_frame(
    [
        ("T", 1, "A", math.nan, 480),
        ("T", 2, "B", 500, math.nan),  # arrives, no departure: the ride ends here
        ("T", 3, "C", 505, 510),
        ("T", 4, "D", 540, math.nan),
    ]
)


def timetable(*trains: tuple[str, list[tuple[str, str, str]]]) -> pd.DataFrame:
    """Build a timetable frame from ``(train, [(station, arrival, departure), ...])``."""
    rows = []
    for train, calls in trains:
        for seq, (station, arr, dep) in enumerate(calls, start=1):
            rows.append(
                {
                    "train": train,
                    "sequence": seq,
                    "station": station,
                    "arrival_minutes": bg.dataset.parse_clock(arr) if arr else math.nan,
                    "departure_minutes": bg.dataset.parse_clock(dep) if dep else math.nan,
                }
            )
    return pd.DataFrame(rows)


def brute_force(tt: pd.DataFrame, origin: str, depart: float, transfer: float, horizon: float):
    """Earliest arrivals by reachability in a time-expanded graph (independent of the scan).

    Every run of every train (day offsets -3..3) becomes events: a departure event and an
    arrival event per call. Edges: ride to the next call, stay on board (arrival -> departure
    of the same call), change (arrival -> any departure at the same station at least
    ``transfer`` later), and the start (to any departure at the origin at or after ``depart``).
    Only departures within the horizon count. The earliest arrival at a station is the
    smallest arrival event reachable from the start.
    """
    E = nx.DiGraph()
    deps: dict[str, list[tuple[float, tuple[object, ...]]]] = {}
    arrs: list[tuple[str, float, tuple[object, ...]]] = []
    for train, calls in tt.groupby("train"):
        calls = calls.sort_values("sequence")
        for k in range(-3, 4):
            prev = None
            for _, row in calls.iterrows():
                a, d = row["arrival_minutes"] + k * 1440, row["departure_minutes"] + k * 1440
                node_a = ("arr", train, k, row["sequence"])
                node_d = ("dep", train, k, row["sequence"])
                if prev is not None and not math.isnan(a):
                    E.add_edge(prev, node_a)
                    arrs.append((row["station"], a, node_a))
                prev = None
                if not math.isnan(d) and depart <= d <= depart + horizon:
                    deps.setdefault(row["station"], []).append((d, node_d))
                    prev = node_d
                    if not math.isnan(a):
                        E.add_edge(node_a, node_d)
    E.add_node("start")
    for _d, node in deps.get(origin, []):
        E.add_edge("start", node)
    for station, a, node in arrs:
        for d, dnode in deps.get(station, []):
            if d >= a + transfer:
                E.add_edge(node, dnode)
    reached = nx.descendants(E, "start")
    best = {origin: depart}
    for station, a, node in arrs:
        if node in reached and a < best.get(station, math.inf):
            best[station] = a
    return best


@st.composite
def random_timetables(draw: st.DrawFn) -> pd.DataFrame:
    stations = ["A", "B", "C", "D", "E"]
    trains = []
    for t in range(draw(st.integers(1, 6))):
        stops = draw(st.lists(st.sampled_from(stations), min_size=2, max_size=4, unique=True))
        clock = draw(st.integers(0, 2400))
        calls = []
        for i, s in enumerate(stops):
            arr = clock if i else None
            dwell = draw(st.integers(0, 5)) if 0 < i < len(stops) - 1 else 0
            dep = clock + dwell if i < len(stops) - 1 else None
            calls.append((s, arr, dep))
            clock += dwell + draw(st.integers(1, 300))
        trains.append((f"T{t}", calls))
    rows = [
        {
            "train": train,
            "sequence": i + 1,
            "station": s,
            "arrival_minutes": math.nan if a is None else float(a),
            "departure_minutes": math.nan if d is None else float(d),
        }
        for train, calls in trains
        for i, (s, a, d) in enumerate(calls)
    ]
    return pd.DataFrame(rows)


@settings(max_examples=150, deadline=None)
@given(
    random_timetables(),
    st.sampled_from(["A", "B", "C"]),
    st.integers(0, 1439),
    st.integers(0, 30),
)
def test_scan_equals_brute_force(tt: pd.DataFrame, origin: str, depart: int, transfer: int) -> None:
    c = bg.connections(tt)
    if origin not in c.stations:
        return
    horizon = 1440.0
    got = bg.earliest_arrival(c, origin, depart, min_transfer_minutes=transfer, max_minutes=horizon)
    want = brute_force(tt, origin, depart, transfer, horizon)
    assert {s: a for s, a in got.items() if math.isfinite(a)} == want
    # every reported journey is consistent: legs chain in time with the transfer rule
    for station, arrival in want.items():
        if station == origin:
            continue
        j = bg.timetable_commute(
            c, origin, station, depart, min_transfer_minutes=transfer, max_hours=horizon / 60
        )
        assert j.arrival == arrival and j.legs["from"].iat[0] == origin
        assert j.legs["departure"].iat[0] >= depart
        legs = j.legs.to_dict("records")
        for prev, nxt in itertools.pairwise(legs):
            assert prev["to"] == nxt["from"] and nxt["departure"] >= prev["arrival"] + transfer


def brute_force_with_rules(
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


def test_no_ride_through_a_call_without_departure() -> None:
    arrival = bg.earliest_arrival(bg.connections(FOUR_STOPS), "A", 470).to_dict()
    # B is reached; C and D only by boarding at C, which nobody who rode from A can do
    assert arrival == {"A": 470.0, "B": 500.0, "C": math.inf, "D": math.inf}


def test_the_next_ride_is_boarded_where_the_train_next_departs() -> None:
    c = bg.connections(FOUR_STOPS)
    j = bg.timetable_commute(c, "C", "D", 500)
    assert j.legs[["train", "from", "to", "departure", "arrival"]].values.tolist() == [
        ["T", "C", "D", 510.0, 540.0]
    ]
    assert len(set(c.trip.tolist())) == 2 and c.trip_train.tolist() == [0, 0]


def test_national_answer_follows_the_documented_rule() -> None:
    ds = stations_only(bg.load_dataset(NATIONAL))
    arrival = bg.earliest_arrival(bg.connections(ds), "HFH", 6 * 60 + 10)
    # riding on through a call without departure gave 19:39; the rule gives 20:08
    assert bg.format_clock(arrival["ZZQ"]) == "20:08"
    # with the cities' changes of station (issue 22), Hefei -> Hefei South by road (41 min)
    # and Zhuzhou West -> Zhuzhou (41 min) make an earlier journey
    cities = bg.earliest_arrival(bg.connections(bg.load_dataset(NATIONAL)), "HFH", 6 * 60 + 10)
    assert bg.format_clock(cities["ZZQ"]) == "13:28"


def test_timetable_hours_are_capped() -> None:
    args = ["reach", "上海虹桥", "--hours", "100000", "--depart", "08:00"]
    code, _, err = run_in_folder(*args, "--data", str(NATIONAL))
    assert code == 2 and "--hours" in err and "at most 168" in err
    tt = bg.connections(bg.load_dataset(NATIONAL))
    with pytest.raises(ValueError, match="at most 168"):
        bg.timetable_reach(tt, "AOH", 1000, 480)


def test_waits_for_the_first_train() -> None:
    c = bg.connections(timetable(("T1", [("A", "", "09:00"), ("B", "09:30", "")])))
    j = bg.timetable_commute(c, "A", "B", at("08:00"))
    # leave 08:00, wait 60 min, ride 30 min
    assert (j.minutes, j.wait_minutes, j.in_vehicle_minutes, j.changes) == (90.0, 60.0, 30.0, 0)
    assert j.legs[["train", "departure_time", "arrival_time"]].values.tolist() == [
        ["T1", "09:00", "09:30"]
    ]


def test_a_train_that_left_is_missed_until_the_next_day() -> None:
    c = bg.connections(timetable(("T1", [("A", "", "07:00"), ("B", "07:30", "")])))
    j = bg.timetable_commute(c, "A", "B", at("08:00"))
    # trains run daily: the next T1 is tomorrow at 07:00
    assert j.arrival == at("07:30") + 1440 and j.legs["departure_time"].tolist() == ["07:00+1"]
    with pytest.raises(NoRouteError):
        bg.timetable_commute(c, "A", "B", at("08:00"), max_hours=12)


def test_missed_connection_because_of_transfer_time() -> None:
    tt = timetable(
        ("T1", [("A", "", "08:00"), ("B", "08:50", "")]),
        ("T2", [("B", "", "09:00"), ("C", "09:40", "")]),  # 10 min after T1 arrives
        ("T3", [("B", "", "10:00"), ("C", "10:40", "")]),
    )
    c = bg.connections(tt)
    fast = bg.timetable_commute(c, "A", "C", at("07:55"), min_transfer_minutes=10)
    assert fast.legs["train"].tolist() == ["T1", "T2"] and fast.arrival == at("09:40")
    slow = bg.timetable_commute(c, "A", "C", at("07:55"), min_transfer_minutes=11)
    assert slow.legs["train"].tolist() == ["T1", "T3"] and slow.arrival == at("10:40")
    assert slow.wait_minutes == 5 + 70  # at the origin, then at B


def test_staying_on_a_train_needs_no_transfer_time() -> None:
    tt = timetable(("T1", [("A", "", "08:00"), ("B", "08:30", "08:31"), ("C", "09:00", "")]))
    j = bg.timetable_commute(bg.connections(tt), "A", "C", at("08:00"), min_transfer_minutes=60)
    assert j.arrival == at("09:00") and j.changes == 0 and len(j.legs) == 1


def test_overnight_train() -> None:
    tt = timetable(("Z1", [("A", "", "22:00"), ("B", "23:50", "23:55"), ("C", "30:10", "")]))
    r = bg.timetable_reach(bg.connections(tt), "A", 10, at("21:30"))
    assert r.loc["C", "arrival_time"] == "06:10+1"
    assert r.loc["C", "minutes"] == 30 * 60 + 10 - (21 * 60 + 30)
    # waiting is before boarding; the dwell at B is spent on board
    assert r.loc["C", "wait_minutes"] == 30
    assert r.loc["C", "in_vehicle_minutes"] == 30 * 60 + 10 - 22 * 60


def test_a_train_that_started_the_day_before_runs_today() -> None:
    # Z2 leaves X at 20:00 and reaches A at 26:00 (02:00 the next day), then B at 27:00.
    tt = timetable(("Z2", [("X", "", "20:00"), ("A", "26:00", "26:10"), ("B", "27:00", "")]))
    c = bg.connections(tt)
    j = bg.timetable_commute(c, "A", "B", at("01:00"))
    # yesterday's run of Z2 calls at A today at 02:10
    assert j.legs["departure_time"].tolist() == ["02:10"] and j.arrival == at("03:00")
    assert bg.timetable_reach(c, "A", 2, at("01:00")).loc["B", "minutes"] == 120.0


def test_earliest_arrival_and_errors() -> None:
    c = bg.connections(timetable(("T1", [("A", "", "09:00"), ("B", "09:30", "")])))
    e = bg.earliest_arrival(c, "B", at("08:00"))
    assert e["B"] == at("08:00") and math.isinf(e["A"])
    with pytest.raises(UnknownPlaceError):
        bg.timetable_commute(c, "A", "nowhere", 0)
    with pytest.raises(UnknownPlaceError):
        bg.timetable_reach(c, "nowhere", 1, 0)
    with pytest.raises(ValueError, match="min_transfer_minutes"):
        bg.timetable_reach(c, "A", 1, 0, min_transfer_minutes=-1)
    with pytest.raises(ValueError, match="hours"):
        bg.timetable_reach(c, "A", -1, 0)
    with pytest.raises(NoTimetableError, match=r"timetable\.csv"):
        bg.connections(bg.toy_dataset())


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
    want = brute_force_with_rules(tt, walks, change, default_change, origin, depart, horizon)
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


def test_pickup_and_drop_off_rules() -> None:
    tt = rules_timetable(("T1", [("A", "", "08:00"), ("B", "08:30", "08:31"), ("C", "09:00", "")]))
    tt["pickup"] = ["", "no", ""]
    tt["drop_off"] = ["", "no", ""]
    c = build_connections(tt)
    arrival = bg.earliest_arrival(c, "A", 470)
    assert math.isinf(arrival["B"]) and arrival["C"] == parse_clock("09:00")
    assert math.isinf(bg.earliest_arrival(c, "B", 470)["C"])  # cannot board at B


def test_own_change_time_of_a_station_wins_over_the_default() -> None:
    tt = rules_timetable(
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
    tt = rules_timetable(
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
