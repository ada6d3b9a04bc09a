"""belt_graph.gtfs.importer: the service day, calendars against gtfs-kit, filters, warnings, and
earliest arrivals on Cairns against a brute-force search on the raw feed."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from belt_graph.errors import FeedError
from belt_graph.gtfs import import_gtfs, route_category
from tests.helpers import BASE, CAIRNS, FEEDS, SAMPLE, cairns_brute_force, write_feed

SAMPLE_2 = FEEDS / "sample_gtfs_2.zip"


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


def test_a_calendar_from_year_1_to_9999_is_read_within_plausible_years(tmp_path: Path) -> None:
    """Issue 25, 10: 0001-9999 imported after 19 s and 640 MB, then every command refused it."""
    files = dict(BASE)
    files["calendar.txt"] = BASE["calendar.txt"].replace("20240101,20241231", "00010101,99991231")
    warned: list[str] = []
    s = import_gtfs(write_feed(tmp_path / "f", files), tmp_path / "out", warn=warned.append)
    assert any(
        "calendar.txt:2: service 'D' runs 0001-01-01 to 9999-12-31; read as 1900-01-01 to "
        "2100-12-31" in w
        for w in warned
    ), warned
    assert s.trips == 3
    ds = bg.load_dataset(tmp_path / "out")  # the dataset loads
    assert ds.timetable is not None and len(ds.timetable) == s.calls


def test_trips_with_faults_of_their_own_are_left_out_and_named(tmp_path: Path) -> None:
    """Issue 25, 18: a real feed was refused whole for 3 rows of 2 cross-border night trains."""
    files = dict(BASE)
    # t2 arrives at NORD before it left HBF2: a time that jumps across a time-zone border
    files["stop_times.txt"] = BASE["stop_times.txt"].replace(
        "t2,08:35:30,08:35:30,NORD,2", "t2,08:10:30,08:10:30,NORD,2"
    )
    feed = write_feed(tmp_path / "f", files)
    warned: list[str] = []
    s = import_gtfs(feed, tmp_path / "out", warn=warned.append)
    fault = f"{feed}/stop_times.txt:5: column 'arrival_time': arrives before the trip left its previous stop"
    assert s.dropped_trips == 1 and f"trip 't2' left out: {fault}" in warned
    ds = bg.load_dataset(tmp_path / "out")
    assert ds.timetable is not None and set(ds.timetable["train"]) == {"t1", "b1"}
    assert f"- trip 't2' left out: {fault}" in (tmp_path / "out" / "README.md").read_text()
    # the same feed without the fault: one trip more, the others the same
    whole = import_gtfs(write_feed(tmp_path / "g", dict(BASE)), tmp_path / "whole")
    assert whole.trips == s.trips + 1 and whole.dropped_trips == 0
    with pytest.raises(FeedError, match="arrives before the trip left its previous stop"):
        import_gtfs(feed, tmp_path / "strict", strict=True)
    # a feed whose every trip is faulty is refused, every fault listed
    files["stop_times.txt"] = files["stop_times.txt"].replace(":", "h")
    with pytest.raises(FeedError) as err:
        import_gtfs(write_feed(tmp_path / "h", files), tmp_path / "none")
    assert "stop_times.txt:2: column 'arrival_time': expected a time" in str(err.value)
    assert not (tmp_path / "none").exists()


NIGHT = {
    "agency.txt": "agency_name,agency_url,agency_timezone\nNight,https://example.org,Europe/Berlin\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,51.0,7.0\nB,B,51.01,7.0\n",
    "routes.txt": "route_id,route_short_name,route_type\nR,R,1\n",
    "trips.txt": "route_id,service_id,trip_id\nR,MON,m1\nR,SUN,s1\nR,SUN,s2\nR,MON,d1\n",
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "MON,1,0,0,0,0,0,0,20240101,20240131\n"
        "SUN,0,0,0,0,0,0,1,20240101,20240131\n"
    ),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "m1,24:23:00,24:23:00,A,1\nm1,24:24:30,24:24:30,B,2\n"
        "s1,24:28:00,24:28:00,A,1\ns1,24:35:00,24:35:00,B,2\n"
        "s2,24:33:00,24:33:00,A,1\ns2,24:40:00,24:40:00,B,2\n"
        "d1,08:00:00,08:00:00,A,1\nd1,08:10:00,08:10:00,B,2\n"
    ),
}


def test_after_midnight_the_previous_service_days_trips_run(tmp_path: Path) -> None:
    """Issue 25, 15: at 00:23 on a Monday the Sunday trips timed 24:28 and 24:33 run, not the
    Monday trip timed 24:23 (which runs on Monday night)."""
    s = import_gtfs(write_feed(tmp_path / "f", NIGHT), tmp_path / "out", date=dt.date(2024, 1, 8))
    assert (s.trips, s.previous_day_trips) == (2, 2)  # m1 and d1; s1 and s2 of Sunday
    c = bg.connections(bg.load_dataset(tmp_path / "out"))
    assert not c.daily
    # leaving A at 00:23: wait for s1 (00:28), arrive B at 00:35
    assert bg.earliest_arrival(c, "A", 23.0)["B"] == 35.0
    assert bg.earliest_arrival(c, "A", 29.0)["B"] == 40.0  # s2
    # Monday night: m1 at 24:23, 1.5 minutes; nothing of Tuesday's service is imported
    assert bg.earliest_arrival(c, "A", 23 * 60.0)["B"] == 24 * 60 + 24.5
    assert bg.earliest_arrival(c, "A", 24 * 60 + 30.0).get("B", math.inf) == math.inf
    r = CliRunner().invoke(
        cli, ["commute", "A", "B", "--depart", "00:23", "--data", str(tmp_path / "out"),
              "--format", "csv"],
    )  # fmt: skip
    assert r.exit_code == 0 and "s1@prev" in r.stdout and "m1" not in r.stdout, r.output
    sheet = (tmp_path / "out" / "README.md").read_text()
    assert "previous day's ones" in sheet and "2 trips" in sheet


@pytest.mark.slow
@pytest.mark.parametrize("origin", ["750073", "750039", "750374", "750333", "750187"])
def test_cairns_after_midnight_equals_a_brute_force_with_sundays_trips(
    cairns: bg.Dataset, origin: str
) -> None:
    """On Monday 2014-06-02 from 00:00 to 01:30, against a search on the raw feed that runs the
    weekday service and Sunday's, 24 h earlier (Cairns runs 3 Sunday trips past midnight and 5
    weekday ones, which run on Monday night)."""
    c = bg.connections(cairns)
    services = {"CNS2014-CNS_MUL-Weekday-00": 0, "CNS2014-CNS_MUL-Sunday-00": -1}
    reached = 0
    for depart in (0.0, 15.0, 30.0, 60.0, 90.0):
        got = bg.earliest_arrival(c, origin, depart, max_minutes=120)
        got = {s: a for s, a in got.items() if a <= depart + 120}
        want = cairns_brute_force(origin, depart, 120, change=2.0, services=services)
        assert got.keys() == want.keys(), (depart, set(got) ^ set(want))
        assert all(abs(got[s] - want[s]) < 1e-6 for s in want)
        reached += len(want) - 1
    if origin in ("750073", "750039", "750374"):  # on Sunday's late trips
        assert reached > 0


def test_an_agency_url_that_is_no_web_address_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """Found by the GTFS fuzzer: agency_url '-1' went into metadata.csv, which then refused it."""
    files = dict(BASE)
    files["agency.txt"] = BASE["agency.txt"].replace("https://example.org", "-1")
    warned: list[str] = []
    import_gtfs(write_feed(tmp_path / "f", files), tmp_path / "out", warn=warned.append)
    assert any("agency_url '-1' is not a web address" in w for w in warned)
    assert not bg.load_dataset(tmp_path / "out").metadata.get("url")


def test_frequency_trips_of_the_day_before_run_after_midnight(tmp_path: Path) -> None:
    """A Sunday trip repeated by frequencies.txt until 25:00 runs on Monday from 00:00 on."""
    files = dict(NIGHT)
    files["frequencies.txt"] = (
        "trip_id,start_time,end_time,headway_secs\ns1,23:00:00,25:00:00,1800\n"
    )
    # no time of stop_times.txt reaches 24:00: only the copies of s1 run past midnight
    files["stop_times.txt"] = (
        NIGHT["stop_times.txt"]
        .replace("s1,24:28:00,24:28:00,A,1\ns1,24:35:00,24:35:00,B,2\n",
                 "s1,10:00:00,10:00:00,A,1\ns1,10:07:00,10:07:00,B,2\n")
        .replace("24:33:00,24:33:00", "12:33:00,12:33:00").replace("24:40:00,24:40:00", "12:40:00,12:40:00")
        .replace("24:23:00,24:23:00", "11:23:00,11:23:00").replace("24:24:30,24:24:30", "11:24:30,11:24:30")
    )  # fmt: skip
    s = import_gtfs(write_feed(tmp_path / "f", files), tmp_path / "out", date=dt.date(2024, 1, 8))
    c = bg.connections(bg.load_dataset(tmp_path / "out"))
    # Sunday's copies leave A at 23:00, 23:30, 24:00, 24:30: from 00:10 the 24:30 one (00:30)
    assert bg.earliest_arrival(c, "A", 10.0)["B"] == 37.0
    assert s.previous_day_trips == 2  # the copies starting 24:00 and 24:30
