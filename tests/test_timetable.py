"""The Connection Scan search: hand-built timetables, a brute-force check, the national data."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.errors import DataFileError, NoRouteError, NoTimetableError, UnknownPlaceError

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = ROOT / "data" / "cn-rail-2020"


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


def at(hhmm: str) -> float:
    return bg.dataset.parse_clock(hhmm)


# ---- hand-built timetables -----------------------------------------------------------------


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


def test_format_clock() -> None:
    assert [bg.format_clock(m) for m in (0, 59.6, 1439, 1440, 2 * 1440 + 61)] == [
        "00:00",
        "01:00",
        "23:59",
        "00:00+1",
        "01:01+2",
    ]


# ---- against a brute-force search ------------------------------------------------------------


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


# ---- the national dataset ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def national() -> bg.Dataset:
    return bg.load_dataset(NATIONAL)


def test_national_dataset_loads_and_validates(national: bg.Dataset) -> None:
    assert len(national.nodes) == 321 and set(national.nodes["kind"]) == {"station"}
    assert national.timetable is not None and len(national.timetable) == 35146
    assert national.timetable["train"].nunique() == 8736
    # Hunchun is in no coordinate source: kept, with unknown coordinates
    hunchun = national.nodes.loc["HUL"]
    assert hunchun["coord_status"] == "unknown" and math.isnan(hunchun["lat"])
    assert national.nodes["lat"].notna().sum() == 320
    assert (national.links["minutes"] > 0).all() and national.links["source_ref"].str.len().min()


def test_hongqiao_to_beijing_south_at_eight(national: bg.Dataset) -> None:
    # data/raw/stop_times_keystations_2020.csv: G8 上海虹桥 08:00 -> 北京南 12:24 (nonstop
    # among key stations except 南京南 and 济南西)
    j = bg.timetable_commute(bg.connections(national), "AOH", "VNP", at("08:00"))
    assert j.legs["train"].tolist() == ["G8"] and j.minutes == 264.0


def test_timetable_never_beats_the_fastest_links(national: bg.Dataset) -> None:
    # every ride is at least the fastest ride on its link, so waiting can only add
    G = bg.rail_graph(national)
    c = bg.connections(national)
    for origin, depart in (("AOH", "08:00"), ("VNP", "18:30"), ("HUL", "06:00")):
        t = bg.timetable_vs_links(c, G, origin, 12, at(depart))
        assert (t["imposed_minutes"].dropna() >= -1e-9).all()
        assert t["link_minutes"].notna().all()


def test_timetable_loader_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "nodes.csv").write_text(
        "id,name,kind,lat,lon\nA,A,station,30,120\nB,B,station,31,121\n", encoding="utf-8"
    )
    (tmp_path / "links.csv").write_text(
        "source,target,minutes,mode,line,status,source_ref,data_year\n"
        "A,B,10,rail,x,open,test,2020\n",
        encoding="utf-8",
    )
    (tmp_path / "timetable.csv").write_text(
        "train,sequence,station,arrival,departure\n"
        "T1,1,A,,08:00\n"
        "T1,2,Z,08:30,08:20\n"  # line 3: unknown station; departs before it arrives
        "T2,1,A,,8h00\n"  # line 4: bad time
        "T2,1,B,09:00,\n"  # line 5: repeated sequence
        "T3,1,A,,10:00\n"
        "T3,2,B,09:50,\n",  # line 7: arrives before it left
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        bg.load_dataset(tmp_path)
    text = str(info.value)
    for expected in (
        "timetable.csv:3: column 'station': unknown node 'Z'",
        "timetable.csv:3: column 'departure': departs (08:20) before it arrives",
        "timetable.csv:4: column 'departure': expected a time HH:MM or HH:MM:SS, got '8h00'",
        "timetable.csv:5: column 'sequence': repeats sequence 1",
        "timetable.csv:7: column 'arrival': arrives (09:50) before the train left",
    ):
        assert expected in text, text
