"""GTFS in and out: the import of real and sample feeds, located errors for broken ones, the
export checked by an independent validator (gtfs-kit) and by round trips, and earliest
arrivals on the Cairns bus network against a brute-force search written here from the raw feed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import shutil
import subprocess
import sys
import warnings
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph import place_builder
from belt_graph.cli import cli
from belt_graph.errors import FeedError
from belt_graph.gtfs import export_gtfs, import_gtfs, route_category

FEEDS = Path(__file__).parent / "data" / "gtfs"
CAIRNS = FEEDS / "cairns_gtfs.zip"
SAMPLE = FEEDS / "sample_gtfs.zip"
SAMPLE_2 = FEEDS / "sample_gtfs_2.zip"


@pytest.fixture(scope="module")
def cairns(tmp_path_factory: pytest.TempPathFactory) -> bg.Dataset:
    out = tmp_path_factory.mktemp("gtfs") / "cairns"
    import_gtfs(CAIRNS, out, date=dt.date(2014, 6, 2))
    return bg.load_dataset(out)


def raw(feed: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(feed) as z:
        return list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8-sig"))))


# ---- what is imported -------------------------------------------------------------------------


def test_default_date_is_the_busiest(tmp_path: Path) -> None:
    # trips.txt: 622 trips of the weekday service, 14 of the Friday-only one, 437 Saturday, 266
    # Sunday; calendar.txt starts the weekday service on Monday 2014-05-26 and the Friday one
    # on Friday 2014-05-30, so the first date with 636 trips is 2014-05-30
    s = import_gtfs(CAIRNS, tmp_path / "c")
    assert (s.date, s.busiest, s.trips_on_date, s.trips) == (dt.date(2014, 5, 30), True, 636, 636)


def test_service_dates_and_exceptions(tmp_path: Path) -> None:
    # 2014-06-09 (a Monday, Queen's Birthday): calendar_dates.txt removes the weekday service
    # and adds the Sunday one
    s = import_gtfs(CAIRNS, tmp_path / "holiday", date=dt.date(2014, 6, 9))
    assert (s.trips, s.busiest) == (266, False)
    with pytest.raises(bg.BeltGraphError, match=r"no trip .* runs on 2015-01-01.*2014-05-26"):
        import_gtfs(CAIRNS, tmp_path / "none", date=dt.date(2015, 1, 1))
    assert not (tmp_path / "none").exists()


def test_trips_per_date_agree_with_gtfs_kit() -> None:
    import gtfs_kit as gk

    from belt_graph.dataset._rows import Collector
    from belt_graph.gtfs import read_feed
    from belt_graph.gtfs.checks import _check
    from belt_graph.gtfs.importer import _trips_per_date

    problems = Collector()
    parsed = _check(read_feed(CAIRNS, problems), problems)
    ours = _trips_per_date(parsed.services, parsed.trips)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        feed = gk.read_feed(CAIRNS, dist_units="km")
        dates = feed.get_dates()
        theirs = {
            d: int(feed.trips["service_id"].isin(feed.get_active_services(d)).sum()) for d in dates
        }
    theirs = {d: n for d, n in theirs.items() if n}
    assert {pd.Timestamp(d).strftime("%Y%m%d"): int(n) for d, n in ours.items()} == theirs


def test_stations_calls_and_links_from_the_raw_feed(cairns: bg.Dataset) -> None:
    stops = raw(CAIRNS, "stops.txt")
    trips = {
        r["trip_id"] for r in raw(CAIRNS, "trips.txt") if r["service_id"].endswith("Weekday-00")
    }
    calls = [r for r in raw(CAIRNS, "stop_times.txt") if r["trip_id"] in trips]
    calls.sort(key=lambda r: (r["trip_id"], int(r["stop_sequence"])))
    # consecutive calls of one trip at the same stop become one call
    merged = sum(
        1
        for a, b in itertools.pairwise(calls)
        if a["trip_id"] == b["trip_id"] and a["stop_id"] == b["stop_id"]
    )
    tt = cairns.timetable
    assert tt is not None
    assert len(tt) == len(calls) - merged and tt["train"].nunique() == len(trips) == 622
    assert set(cairns.nodes.index) == {s["stop_id"] for s in stops}  # every stop is served
    assert (cairns.nodes["kind"] == "station").all()
    assert cairns.metadata["timezone"] == "Australia/Brisbane"
    # a link's minutes are the fastest ride between the two stops (hand-checked pair)
    link = cairns.links[(cairns.links["source"] == "750000") & (cairns.links["target"] == "750001")]
    rides = []
    by_trip: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in calls:
        by_trip[r["trip_id"]].append(r)
    for rows in by_trip.values():
        for a, b in itertools.pairwise(rows):
            if {a["stop_id"], b["stop_id"]} == {"750000", "750001"} and b["arrival_time"]:
                rides.append(
                    bg.parse_clock(b["arrival_time"]) - bg.parse_clock(a["departure_time"])
                )
    assert float(link["minutes"].iat[0]) == min(r for r in rides if r > 0)
    assert int(link["trips"].iat[0]) == len(rides)


def test_times_to_the_second_and_past_midnight(cairns: bg.Dataset) -> None:
    tt = cairns.timetable
    assert tt is not None
    late = tt[tt["departure_minutes"] >= 24 * 60]
    assert len(late) and late["departure"].str.match(r"^2[4-9]:\d\d:\d\d$").all()
    # interpolated calls are written to the second, not rounded to the minute
    assert tt["departure"].str.len().eq(8).all() or tt["departure"].eq("").any()


def test_pickup_and_drop_off_rules_are_kept(cairns: bg.Dataset) -> None:
    tt = cairns.timetable
    assert tt is not None
    trips = {
        r["trip_id"] for r in raw(CAIRNS, "trips.txt") if r["service_id"].endswith("Weekday-00")
    }
    no_pickup = {
        (r["trip_id"], r["stop_id"])
        for r in raw(CAIRNS, "stop_times.txt")
        if r["trip_id"] in trips and r["pickup_type"] == "1"
    }
    ours = set(
        zip(
            tt.loc[tt["pickup"] == "no", "train"],
            tt.loc[tt["pickup"] == "no", "station"],
            strict=True,
        )
    )
    assert ours == no_pickup and len(ours) > 100


def test_frequencies_become_trips(tmp_path: Path) -> None:
    s = import_gtfs(SAMPLE, tmp_path / "s")
    ds = bg.load_dataset(tmp_path / "s")
    tt = ds.timetable
    assert tt is not None
    # frequencies.txt, end times excluded: CITY1 runs every 30 min 06:00-07:59:59 (4 trips),
    # every 10 min 08:00-09:59:59 (12), 30 min 10:00-15:59:59 (12), 10 min 16:00-18:59:59 (18),
    # 30 min 19:00-22:00 (6): 52 trips; STBA every 30 min 06:00-22:00: 32
    city1 = sorted(t for t in tt["train"].unique() if t.startswith("CITY1@"))
    assert len(city1) == 52 and city1[0] == "CITY1@06:00:00" and city1[-1] == "CITY1@21:30:00"
    assert sum(t.startswith("STBA@") for t in tt["train"].unique()) == 32
    # CITY1 takes 26 min from its first to its last stop in stop_times.txt, in every copy
    one = tt[tt["train"] == "CITY1@08:10:00"]
    assert one["departure"].iat[0] == "08:10:00" and one["arrival"].iat[-1] == "08:36:00"
    # both services run on weekends: the first Saturday of the calendar is the busiest date
    assert s.date == dt.date(2007, 1, 6)


def test_what_a_feed_gets_wrong_but_can_be_read_is_a_warning(tmp_path: Path) -> None:
    said: list[str] = []
    import_gtfs(SAMPLE_2, tmp_path / "s2", warn=said.append)
    assert any("unknown column 'drop_off_time'" in w for w in said), said
    said.clear()
    import_gtfs(SAMPLE, tmp_path / "s1", warn=said.append)
    assert any("feed_info.txt: the file has a header but no rows" in w for w in said), said


def test_filters_by_route_type_and_agency(tmp_path: Path) -> None:
    assert route_category(3) == route_category(700) == "bus"
    with pytest.raises(bg.BeltGraphError, match="no route of the feed matches"):
        import_gtfs(CAIRNS, tmp_path / "rail", route_types=["rail"])
    with pytest.raises(bg.BeltGraphError, match="unknown route type 'boat'"):
        import_gtfs(CAIRNS, tmp_path / "x", route_types=["boat"])
    with pytest.raises(bg.BeltGraphError, match=r"no agency matches xyz.*DTA: Demo Transit"):
        import_gtfs(SAMPLE, tmp_path / "x", agencies=["XYZ"])
    s = import_gtfs(
        SAMPLE, tmp_path / "dta", agencies=["demo transit authority"], route_types=["3"]
    )
    assert s.trips > 0


def write_feed(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


BASE = {
    "agency.txt": "agency_name,agency_url,agency_timezone\nTest Rail,https://example.org,Europe/Berlin\n",
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
        "HBF,Hauptbahnhof,51.0,7.0,1,\n"
        "HBF1,Hauptbahnhof platform 1,51.0001,7.0,0,HBF\n"
        "HBF2,Hauptbahnhof platform 2,51.0002,7.0,0,HBF\n"
        "WEST,West,51.0,6.9,0,\n"
        "NORD,Nord,51.1,7.0,0,\n"
        "NORD2,Nord bus,51.1010,7.0,0,\n"
    ),
    "routes.txt": "route_id,route_short_name,route_type\nS1,S1,2\nB1,Bus 1,3\n",
    "trips.txt": "route_id,service_id,trip_id\nS1,D,t1\nS1,D,t2\nB1,D,b1\n",
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "D,1,1,1,1,1,1,1,20240101,20241231\n"
    ),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "t1,08:00:00,08:00:00,WEST,1\n"
        "t1,08:10:00,08:11:00,HBF1,2\n"
        "t2,08:20:00,08:20:00,HBF2,1\n"
        "t2,08:35:30,08:35:30,NORD,2\n"
        "b1,08:40:00,08:40:00,NORD2,1\n"
        "b1,08:55:00,08:55:00,WEST,2\n"
    ),
    "transfers.txt": (
        "from_stop_id,to_stop_id,transfer_type,min_transfer_time\n"
        "HBF1,HBF2,2,240\n"
        "NORD,NORD2,2,300\n"
    ),
}


def test_stations_transfers_and_express_links(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed", BASE)
    import_gtfs(feed, tmp_path / "ds", min_transfer_minutes=3)
    ds = bg.load_dataset(tmp_path / "ds")
    # platforms merge into their station; the stop without a parent is its own
    assert sorted(ds.nodes.index) == ["HBF", "NORD", "NORD2", "WEST"]
    assert ds.nodes.loc["HBF", "gtfs_stops"] == "2"
    # transfers.txt: 4 min within HBF (its own), 5 min NORD <-> NORD2 (a walk link)
    assert ds.nodes.loc["HBF", "min_transfer_minutes"] == 4.0
    assert ds.nodes.loc["WEST", "min_transfer_minutes"] == 3.0
    walk = ds.links[ds.links["kind"] == "transfer"]
    assert walk[["source", "target", "minutes", "mode"]].values.tolist() == [
        ["NORD", "NORD2", 5.0, "walk"]
    ]
    # times to the second
    rails = ds.links[ds.links["mode"] == "rail"].set_index(["source", "target"])
    assert rails.loc[("HBF", "NORD"), "minutes"] == 15.5  # t2 08:20:00 -> 08:35:30
    c = bg.connections(ds)
    # WEST 08:00 -> HBF 08:10; change 4 min within the station (the station's own, not the
    # default 30) to t2 08:20 -> NORD 08:35:30; walk 5 min to NORD2
    j = bg.timetable_commute(c, "WEST", "NORD2", 7 * 60 + 55, min_transfer_minutes=30)
    assert j.legs[["train", "mode", "from", "to"]].values.tolist() == [
        ["t1", "rail", "WEST", "HBF"],
        ["t2", "rail", "HBF", "NORD"],
        ["", "walk", "NORD", "NORD2"],
    ]
    assert j.arrival == 8 * 60 + 40.5 and j.walk_minutes == 5.0


def test_express_link_is_a_service(tmp_path: Path) -> None:
    files = dict(BASE)
    files["stop_times.txt"] = BASE["stop_times.txt"] + (
        "t3,09:00:00,09:00:00,WEST,1\nt3,09:25:00,09:25:00,NORD,2\n"
        "t4,10:00:00,10:00:00,WEST,1\nt4,10:10:00,10:10:00,HBF1,2\nt4,10:30:00,10:30:00,NORD,3\n"
    )
    files["trips.txt"] = BASE["trips.txt"] + "S1,D,t3\nS1,D,t4\n"
    import_gtfs(write_feed(tmp_path / "feed", files), tmp_path / "ds")
    links = bg.load_dataset(tmp_path / "ds").links.set_index(["source", "target"])
    # t3 runs WEST-NORD non-stop where t4 calls at HBF between them
    assert links.loc[("NORD", "WEST"), "kind"] == "service"
    assert links.loc[("HBF", "WEST"), "kind"] == "track"
    assert links.loc[("HBF", "NORD"), "kind"] == "track"


def test_walks_within_max_walk_meters(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed", {k: v for k, v in BASE.items() if k != "transfers.txt"})
    import_gtfs(feed, tmp_path / "ds", max_walk_meters=150)
    walks = bg.load_dataset(tmp_path / "ds").links.query("kind == 'transfer'")
    # NORD and NORD2 are 0.001 deg of latitude apart: 111.2 m; at 1.3 x / 4.8 km/h
    assert walks[["source", "target"]].values.tolist() == [["NORD", "NORD2"]]
    metres = place_builder.haversine_km(51.1, 7.0, 51.101, 7.0) * 1000
    # to the whole second, as GTFS times are
    assert float(walks["minutes"].iat[0]) == round(metres / 1000 * 1.3 / 4.8 * 3600) / 60
    none = import_gtfs(feed, tmp_path / "none", max_walk_meters=100)
    assert none.walks == 0


# ---- broken feeds -----------------------------------------------------------------------------


def test_a_broken_feed_gets_every_problem_located(tmp_path: Path) -> None:
    files = dict(BASE)
    files["stops.txt"] = BASE["stops.txt"].replace("WEST,West,51.0,6.9", "WEST,West,north,6.9") + (
        "HBF1,duplicate,51,7,0,\n"
    )
    files["stop_times.txt"] = BASE["stop_times.txt"].replace(
        "08:35:30,08:35:30,NORD", "8:61:00,08:35:30,NORD"
    ) + ("t2,08:50:00,08:50:00,NOWHERE,3\n")
    files["trips.txt"] = BASE["trips.txt"] + "XX,D,t9\n"
    del files["calendar.txt"]
    feed = write_feed(tmp_path / "broken", files)
    with pytest.raises(FeedError) as info:
        import_gtfs(feed, tmp_path / "out")
    text = str(info.value)
    assert "calendar.txt: file not found: a feed needs calendar.txt or calendar_dates.txt" in text
    assert not (tmp_path / "out").exists()
    files["calendar.txt"] = BASE["calendar.txt"]
    write_feed(tmp_path / "broken", files)
    with pytest.raises(FeedError) as info:
        import_gtfs(feed, tmp_path / "out")
    text = str(info.value)
    for expected in (
        "stops.txt:5: column 'stop_lat': expected a number from -90 to 90, got 'north'",
        "stops.txt:8: column 'stop_id': duplicate stop_id 'HBF1' (first on line 3)",
        "trips.txt:5: column 'route_id': unknown route_id 'XX'",
        "stop_times.txt:5: column 'arrival_time': expected a time H:MM:SS or HH:MM:SS, got '8:61:00'",
        "stop_times.txt:8: column 'stop_id': unknown stop_id 'NOWHERE'",
    ):
        assert expected in text, text
    assert not (tmp_path / "out").exists()


def test_a_feed_that_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    with pytest.raises(FeedError, match="cannot open it as a zip"):
        import_gtfs(tmp_path / "x.zip", tmp_path / "o")
    bad = write_feed(
        tmp_path / "latin", {**BASE, "stops.txt": BASE["stops.txt"] + "Z,Caf\xe9,1,1,0,\n"}
    )
    (bad / "stops.txt").write_bytes(
        BASE["stops.txt"].encode() + "Z,Caf\xe9,1,1,0,\n".encode("latin-1")
    )
    with pytest.raises(FeedError, match=r"stops.txt:8: not valid UTF-8"):
        import_gtfs(bad, tmp_path / "o")
    wide = write_feed(
        tmp_path / "wide", {**BASE, "routes.txt": BASE["routes.txt"] + "R,R,3,extra\n"}
    )
    with pytest.raises(FeedError, match=r"routes.txt:4: 4 values, but the header has 3 columns"):
        import_gtfs(wide, tmp_path / "o")


def test_cli_import_errors_and_success(tmp_path: Path) -> None:
    runner = CliRunner()
    files = dict(BASE)
    files["stop_times.txt"] += "t2,08:50:00,08:50:00,NOWHERE,3\n"
    feed = write_feed(tmp_path / "feed", files)
    r = runner.invoke(cli, ["import-gtfs", str(feed), str(tmp_path / "out")])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "stop_times.txt:8: column 'stop_id': unknown stop_id 'NOWHERE'" in r.output
    r = runner.invoke(
        cli, ["import-gtfs", str(CAIRNS), str(tmp_path / "c"), "--date", "2014-06-02"]
    )
    assert r.exit_code == 0, r.output
    assert "imported cairns_gtfs.zip for 2014-06-02" in r.output
    r = runner.invoke(cli, ["import-gtfs", str(CAIRNS), str(tmp_path / "c")])
    assert r.exit_code == 1 and "use --force" in r.output
    r = runner.invoke(
        cli, ["import-gtfs", str(CAIRNS), str(tmp_path / "d"), "--date", "2014-13-01"]
    )
    assert r.exit_code == 2 and "expected a date YYYY-MM-DD" in r.output


# ---- earliest arrivals on the Cairns network against a brute force ----------------------------


def cairns_brute_force(
    origin: str, depart: float, horizon: float, change: float
) -> dict[str, float]:
    """Earliest arrival at every stop of the Cairns feed on Monday 2014-06-02 (the weekday
    service), from the raw files, by a breadth-first search over a time-expanded graph.

    Events: each call's arrival and departure. Edges: ride to the next call; stay on board;
    at a stop, from an arrival where leaving the bus is allowed to a chain of waiting events in
    time order, from which any departure at least ``change`` minutes later may be boarded where
    boarding is allowed. Missing times are filled linearly in the great-circle distance along
    the trip, to the second. No walks.
    """
    stops = {
        r["stop_id"]: (float(r["stop_lat"]), float(r["stop_lon"])) for r in raw(CAIRNS, "stops.txt")
    }
    trips = {
        r["trip_id"]
        for r in raw(CAIRNS, "trips.txt")
        if r["service_id"] == "CNS2014-CNS_MUL-Weekday-00"
    }
    by_trip: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in raw(CAIRNS, "stop_times.txt"):
        if r["trip_id"] in trips:
            by_trip[r["trip_id"]].append(r)

    def km(a: str, b: str) -> float:
        (la, lo), (lb, lob) = stops[a], stops[b]
        p1, p2 = math.radians(la), math.radians(lb)
        h = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lob - lo) / 2) ** 2
        )
        return 2 * 6371.0 * math.asin(math.sqrt(h))

    events = []  # (trip, index, stop, arrival, departure, may_board, may_leave)
    for trip, rows in by_trip.items():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
        times = [
            bg.parse_clock(r["arrival_time"] or r["departure_time"]) * 60
            if (r["arrival_time"] or r["departure_time"])
            else None
            for r in rows
        ]
        deps = [
            bg.parse_clock(r["departure_time"] or r["arrival_time"]) * 60
            if (r["arrival_time"] or r["departure_time"])
            else None
            for r in rows
        ]
        dist = [0.0]
        for a, b in itertools.pairwise(rows):
            dist.append(dist[-1] + km(a["stop_id"], b["stop_id"]))
        known_i = [i for i, t in enumerate(times) if t is not None]
        for i, t in enumerate(times):
            if t is None:
                lo = max(k for k in known_i if k < i)
                hi = min(k for k in known_i if k > i)
                frac = (dist[i] - dist[lo]) / (dist[hi] - dist[lo])
                times[i] = deps[i] = round(deps[lo] + frac * (times[hi] - deps[lo]))
        for i, r in enumerate(rows):
            events.append(
                (
                    trip,
                    i,
                    r["stop_id"],
                    times[i] / 60,
                    deps[i] / 60,
                    r["pickup_type"] != "1",
                    r["drop_off_type"] != "1",
                )
            )
    import networkx as nx

    E = nx.DiGraph()
    waits: dict[str, list[tuple[float, object]]] = defaultdict(list)
    by_key = {(e[0], e[1]): e for e in events}
    for trip, i, stop, _arr, dep, board, _leave in events:
        if (trip, i + 1) in by_key:
            E.add_edge(("dep", trip, i), ("arr", trip, i + 1))
        E.add_edge(("arr", trip, i), ("dep", trip, i))
        if board and depart <= dep <= depart + horizon:
            waits[stop].append((dep, ("dep", trip, i)))
    for stop, items in waits.items():
        items.sort(key=lambda x: x[0])
        for k, (_t, node) in enumerate(items):
            E.add_edge(("wait", stop, k), node)
            if k + 1 < len(items):
                E.add_edge(("wait", stop, k), ("wait", stop, k + 1))
    import bisect

    for trip, i, stop, arr, _dep, _board, leave in events:
        if i == 0 or not leave or stop not in waits:
            continue
        times = [t for t, _ in waits[stop]]
        k = bisect.bisect_left(times, arr + change)
        if k < len(times):
            E.add_edge(("arr", trip, i), ("wait", stop, k))
    E.add_node("start")
    if origin in waits:
        times = [t for t, _ in waits[origin]]
        k = bisect.bisect_left(times, depart)
        if k < len(times):
            E.add_edge("start", ("wait", origin, k))
    reached = nx.descendants(E, "start")
    best = {origin: depart}
    for trip, i, stop, arr, _dep, _board, leave in events:
        if (
            i
            and leave
            and ("arr", trip, i) in reached
            and arr <= depart + horizon
            and arr < best.get(stop, math.inf)
        ):
            best[stop] = arr
    return best


@pytest.mark.parametrize(
    ("origin", "depart"),
    [("750450", "08:00"), ("750047", "07:10"), ("750128", "12:30"), ("750221", "16:45")],
)
def test_cairns_earliest_arrivals_equal_a_brute_force(
    cairns: bg.Dataset, origin: str, depart: str
) -> None:
    c = bg.connections(cairns)
    t = bg.parse_clock(depart)
    horizon = 120.0
    got = bg.earliest_arrival(c, origin, t, max_minutes=horizon)
    got = {s: a for s, a in got.items() if a <= t + horizon}
    want = cairns_brute_force(origin, t, horizon, change=2.0)
    assert len(want) > 20
    assert got.keys() == want.keys()
    assert all(abs(got[s] - want[s]) < 1e-6 for s in want)


def test_cli_reach_and_commute_on_an_imported_feed(cairns: bg.Dataset) -> None:
    runner = CliRunner()
    data = str(cairns.path)
    r = runner.invoke(
        cli,
        [
            "reach",
            "750450",
            "--hours",
            "0.5",
            "--depart",
            "08:00",
            "--data",
            data,
            "--format",
            "csv",
        ],
    )
    assert r.exit_code == 0, r.output
    table = pd.read_csv(io.StringIO(r.stdout), dtype={"node": str}).set_index("node")
    want = cairns_brute_force("750450", 480.0, 30.0, change=2.0)
    assert set(table.index) == set(want)
    assert "change times: the stations' own" in r.stderr
    r = runner.invoke(
        cli,
        [
            "commute",
            "The Pier Cairns - Terminus Stop A",
            "750033",
            "--depart",
            "08:00",
            "--data",
            data,
        ],
    )
    assert r.exit_code == 0, r.output
    assert "arrive 09:26" in r.stderr


# ---- export -----------------------------------------------------------------------------------


def validate(feed: Path) -> pd.DataFrame:
    """gtfs-kit's validator (a test dependency): a table of errors and warnings."""
    import gtfs_kit as gk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gk.read_feed(feed, dist_units="km").validate()


def same_arrivals(
    a: bg.Dataset,
    b: bg.Dataset,
    origins: list[str],
    times: list[float],
    skip: set[str] = frozenset(),
) -> int:
    ca, cb = bg.connections(a), bg.connections(b)
    compared = 0
    for o in origins:
        for t in times:
            x = bg.earliest_arrival(ca, o, t, max_minutes=36 * 60).drop(list(skip), errors="ignore")
            y = bg.earliest_arrival(cb, o, t, max_minutes=36 * 60)
            x = x[np.isfinite(x)]
            assert x.to_dict() == y[np.isfinite(y)].to_dict(), (o, t)
            compared += len(x)
    return compared


def test_export_of_the_national_timetable_is_valid_and_round_trips(tmp_path: Path) -> None:
    runner = CliRunner()
    zip_path = tmp_path / "cn2020.zip"
    r = runner.invoke(cli, ["export", str(zip_path), "--data", "cn-rail-2020"])
    assert r.exit_code == 0, r.output
    assert "HUL left out: no coordinates" in r.stderr
    problems = validate(zip_path)
    assert not (problems["type"] == "error").any(), problems
    assert set(problems["message"]) <= {"Feed expired"}
    with zipfile.ZipFile(zip_path) as z:
        cal = z.read("calendar.txt").decode()
    assert "20201001,20201231" in cal
    r = runner.invoke(cli, ["import-gtfs", str(zip_path), str(tmp_path / "back")])
    assert r.exit_code == 0, r.output
    original = bg.load_dataset("cn-rail-2020")
    back = bg.load_dataset(tmp_path / "back")
    # Hunchun (HUL) has no coordinates, so the feed leaves it out; every other earliest arrival
    # is the same, from big stations at several times of day
    n = same_arrivals(
        original, back, ["AOH", "VNP", "HFH", "CDW", "KMM"], [0.0, 480.0, 1110.0], skip={"HUL"}
    )
    assert n > 4000


def test_import_export_import_of_cairns_round_trips(cairns: bg.Dataset, tmp_path: Path) -> None:
    s = export_gtfs(cairns, tmp_path / "c.zip")
    problems = validate(tmp_path / "c.zip")
    assert not (problems["type"] == "error").any(), problems
    assert s.trips == 622 and not s.warnings
    import_gtfs(tmp_path / "c.zip", tmp_path / "again")
    again = bg.load_dataset(tmp_path / "again")
    assert same_arrivals(cairns, again, ["750450", "750033"], [420.0, 720.0]) > 200


def test_export_needs_a_time_zone_and_dates(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["export", str(tmp_path / "b.zip")])
    assert r.exit_code == 1 and "has no timetable" in r.output
    shutil.copytree(bg.dataset_path("cn-rail-2020"), tmp_path / "cn")
    (tmp_path / "cn" / "metadata.csv").unlink()
    r = runner.invoke(cli, ["export", str(tmp_path / "n.zip"), "--data", str(tmp_path / "cn")])
    assert r.exit_code == 1 and "needs a time zone (--timezone), an agency URL (--url)" in r.output
    r = runner.invoke(
        cli,
        [
            "export",
            str(tmp_path / "n.zip"),
            "--data",
            str(tmp_path / "cn"),
            "--timezone",
            "Asia/Shanghai",
            "--url",
            "https://example.org",
            "--start",
            "2020-12-01",
            "--end",
            "2020-12-31",
        ],
    )
    assert r.exit_code == 0, r.output


# ---- datasets by name after a plain install -----------------------------------------------------


def test_datasets_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert bg.load_dataset("cn-rail-2020").name == "cn-rail-2020"
    r = CliRunner().invoke(cli, ["info", "--list"])
    assert r.exit_code == 0
    assert {"belt", "cn-rail-2020", "cn-rail-2021"} <= set(r.stdout.split())
    r = CliRunner().invoke(cli, ["info", "--data", "no-such-set"])
    assert r.exit_code == 1 and "datasets by name: belt, cn-rail-2020, cn-rail-2021" in r.output


@pytest.mark.slow
def test_datasets_by_name_from_an_installed_wheel(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("belt_graph-*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import belt_graph as bg; "
        "ds = bg.load_dataset('cn-rail-2020'); print(ds.installed, len(ds.timetable))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(site)], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.stdout.split() == ["True", "35146"], out.stderr
