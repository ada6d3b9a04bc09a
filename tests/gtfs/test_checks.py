"""belt_graph.gtfs.checks: a broken feed gets every problem located."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from belt_graph.errors import FeedError
from belt_graph.gtfs import import_gtfs
from tests.helpers import BASE, NATIONAL, write_feed


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


def test_an_unknown_time_zone_is_refused_on_import_and_on_export(tmp_path: Path) -> None:
    """Issue 25, 11: 'export --timezone Mars/Base' wrote an invalid agency_timezone."""
    files = dict(BASE)
    files["agency.txt"] = BASE["agency.txt"].replace("Europe/Berlin", "Mars/Base")
    feed = write_feed(tmp_path / "mars", files)
    with pytest.raises(
        FeedError, match=r"agency.txt:2: column 'agency_timezone': unknown time zone 'Mars/Base'"
    ):
        import_gtfs(feed, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    ds = bg.load_dataset(NATIONAL)
    with pytest.raises(bg.BeltGraphError, match=r"unknown time zone 'Mars/Base' \(`timezone`\)"):
        bg.export_gtfs(ds, tmp_path / "x.zip", timezone="Mars/Base")
    r = CliRunner().invoke(
        cli, ["export", str(tmp_path / "x.zip"), "--data", str(NATIONAL), "--timezone", "Mars/Base"]
    )
    assert r.exit_code == 1 and "unknown time zone 'Mars/Base' (--timezone)" in r.output
    assert not (tmp_path / "x.zip").exists()
