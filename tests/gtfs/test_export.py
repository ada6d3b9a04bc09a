"""belt_graph.gtfs.export: valid for gtfs-kit's validator, and import-export-import round trips."""

from __future__ import annotations

import math
import shutil
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from belt_graph.gtfs import export_gtfs, import_gtfs


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
    until: float = math.inf,
) -> int:
    """Compare earliest arrivals of two datasets; only those before ``until`` when given."""
    ca, cb = bg.connections(a), bg.connections(b)
    compared = 0
    for o in origins:
        for t in times:
            x = bg.earliest_arrival(ca, o, t, max_minutes=36 * 60).drop(list(skip), errors="ignore")
            y = bg.earliest_arrival(cb, o, t, max_minutes=36 * 60)
            x, y = x[np.isfinite(x) & (x < until)], y[np.isfinite(y) & (y < until)]
            assert x.to_dict() == y.to_dict(), (o, t)
            compared += len(x)
    return compared


@pytest.mark.slow
def test_export_of_the_national_timetable_is_valid_and_round_trips(tmp_path: Path) -> None:
    runner = CliRunner()
    zip_path = tmp_path / "cn2020.zip"
    # issue 25, 16: --quiet silences progress and notes, never the warning that data was left
    # out (HUL, Hunchun, has no coordinates; timetable.csv has 20 calls there)
    r = runner.invoke(cli, ["-q", "export", str(zip_path), "--data", "cn-rail-2020"])
    assert r.exit_code == 0, r.output
    # 华山 (HGY) too: its listed position is a homonym's, rejected by the build (issue 22)
    assert "warning: 35 call(s) at HGY, HUL left out: no coordinates" in r.stderr
    assert "wrote" not in r.stderr  # the note is quiet
    with zipfile.ZipFile(zip_path) as z:
        readme = z.read("README.txt").decode()
    assert (
        "'cn-rail-2020'" in readme and "- 35 call(s) at HGY, HUL left out: no coordinates" in readme
    )
    problems = validate(zip_path)
    assert not (problems["type"] == "error").any(), problems
    assert set(problems["message"]) <= {"Feed expired"}
    with zipfile.ZipFile(zip_path) as z:
        cal = z.read("calendar.txt").decode()
    assert "20201001,20201231" in cal
    # a Monday inside the feed's dates, so that the days before run too (trains of up to 3
    # days); the import is that one dated day, with the earlier days' trains still running
    r = runner.invoke(
        cli, ["import-gtfs", str(zip_path), str(tmp_path / "back"), "--date", "2020-11-02"]
    )
    assert r.exit_code == 0, r.output
    original = bg.load_dataset("cn-rail-2020")
    back = bg.load_dataset(tmp_path / "back")
    # Hunchun (HUL) has no coordinates, so the feed leaves it out; every other earliest arrival
    # within the day is the same, from big stations at several times of day (after midnight
    # the original's every-day trains run again; the import holds one day)
    # The cities are not stops: a feed has no place over its stations (issue 22)
    # and a station that only one-call trains serve (攀枝花, PRW) is no stop of the feed
    cities = set(bg.place_ids(original.nodes))
    with zipfile.ZipFile(zip_path) as z:
        exported = set(pd.read_csv(z.open("stops.txt"), dtype=str)["stop_id"])
    assert set(original.nodes.index) - cities - exported == {"HGY", "HUL", "PRW"}
    n = same_arrivals(
        original, back, ["AOH", "VNP", "HFH", "CDW", "KMM"], [0.0, 480.0, 1110.0],
        skip={"HGY", "HUL", "PRW"} | cities, until=24 * 60,
    )  # fmt: skip
    assert n > 2000  # pairs compared (2,406 on 2026-12-03)


def test_import_export_import_of_cairns_round_trips(cairns: bg.Dataset, tmp_path: Path) -> None:
    s = export_gtfs(cairns, tmp_path / "c.zip")
    problems = validate(tmp_path / "c.zip")
    assert not (problems["type"] == "error").any(), problems
    # the import for Monday holds 3 Sunday trips still running after midnight: not exported
    assert s.trips == 622 and s.warnings == [
        "3 trip(s) of earlier service days left out: the feed runs one day's trips every "
        "day, its late trips past midnight"
    ]
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
