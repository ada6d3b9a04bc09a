"""belt_graph.gtfs.build: stations, calls, links, changes and walks from raw feeds."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from pathlib import Path

import pytest

import belt_graph as bg
from belt_graph import place_builder
from belt_graph.gtfs import import_gtfs
from tests.helpers import BASE, CAIRNS, SAMPLE, raw, write_feed


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
    # the day's own calls; besides them, Sunday's 3 trips still running after midnight
    own = tt[tt["service_day"] == 0]
    assert len(own) == len(calls) - merged and own["train"].nunique() == len(trips) == 622
    sunday = {
        r["trip_id"] for r in raw(CAIRNS, "trips.txt") if r["service_id"].endswith("Sunday-00")
    }
    late = {
        r["trip_id"]
        for r in raw(CAIRNS, "stop_times.txt")
        if r["trip_id"] in sunday and int((r["departure_time"] or "0:").split(":")[0]) >= 24
    }
    earlier = tt[tt["service_day"] == -1]
    assert set(earlier["train"]) == {f"{t}@prev" for t in late} and len(late) == 3
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


@pytest.mark.parametrize("seed", range(6))
def test_express_pairs_as_a_search_of_every_pattern_finds_them(seed: int) -> None:
    """The counting over patterns against the rule read literally, pattern by pattern."""
    import numpy as np
    import pandas as pd

    from belt_graph.gtfs.build import _express_pairs

    rng = np.random.default_rng(seed)
    stations = [f"s{i:02d}" for i in range(12)]
    rows = []
    for t in range(40):  # short patterns over few stations: loops, repeats, skips
        calls = rng.choice(stations, size=int(rng.integers(2, 8)), replace=True)
        rows += [(f"t{t}", c) for c in calls]
    st = pd.DataFrame(rows, columns=["trip", "station"])
    patterns = [list(g["station"]) for _, g in st.groupby("trip", sort=False)]
    consecutive = {
        tuple(sorted((x, y))) for p in patterns for x, y in itertools.pairwise(p) if x != y
    }
    expected = set()
    for x, y in consecutive:
        for p in patterns:
            px = [i for i, s in enumerate(p) if s == x]
            py = [i for i, s in enumerate(p) if s == y]
            if px and py and min(abs(i - j) for i in px for j in py) > 1:
                expected.add((x, y))
    assert _express_pairs(st) == expected
    assert seed > 0 or expected  # the rule is exercised


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


@pytest.mark.slow
def test_hostile_frequencies_are_expanded_at_once_or_refused_with_the_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25, 6: one row, headway 1 s over 48 h (a 3 KB feed), took 117 s and 2.3 GB."""
    from belt_graph.gtfs import build

    files = dict(BASE)
    files["frequencies.txt"] = "trip_id,start_time,end_time,headway_secs\nt1,00:00:00,48:00:00,1\n"
    feed = write_feed(tmp_path / "f", files)
    s = import_gtfs(feed, tmp_path / "out")
    # t1 has 2 calls: 48 h x 3,600 starts of 2 calls, plus t2 (2 calls) and b1 (the rest)
    plain = import_gtfs(write_feed(tmp_path / "g", dict(BASE)), tmp_path / "plain")
    assert s.trips == plain.trips - 1 + 48 * 3600
    assert s.calls == plain.calls - 2 + 2 * 48 * 3600
    monkeypatch.setattr(build, "MAX_EXPANDED_STOP_TIMES", 1000)
    with pytest.raises(
        bg.BeltGraphError,
        match=r"frequencies.txt expands into 345,600 stop times, over the limit of 1,000",
    ):
        import_gtfs(feed, tmp_path / "out2")
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize(("route_type", "mode"), [("0", "tram"), ("5", "cable"), ("1", "metro")])
def test_trams_and_cable_cars_import_and_load(tmp_path: Path, route_type: str, mode: str) -> None:
    """Found by the GTFS fuzzer: a tram feed imported as mode 'tram', which the loader refused."""
    files = dict(BASE)
    files["routes.txt"] = f"route_id,route_short_name,route_type\nS1,S1,{route_type}\nB1,Bus 1,3\n"
    import_gtfs(write_feed(tmp_path / "f", files), tmp_path / "out")
    ds = bg.load_dataset(tmp_path / "out")
    assert ds.timetable is not None
    assert set(ds.timetable.loc[ds.timetable["train"] == "t1", "mode"]) == {mode}
