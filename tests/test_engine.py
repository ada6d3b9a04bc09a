"""The compiled timetable engine against the reference scan, the window sweep and its summary
by hand, the sweep on a local Dask cluster, and the command line."""

from __future__ import annotations

import io
import itertools
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_timetable_rules import PLACE, networks

import belt_graph as bg
from belt_graph.cli import cli
from belt_graph.dataset import parse_clock
from belt_graph.timetable import (
    build_connections,
    departures,
    engine_available,
    nearest_rank,
    sweep_arrivals,
    window_accessibility,
)

pytestmark = pytest.mark.skipif(not engine_available(), reason="numba is a test dependency")


@pytest.fixture(scope="module")
def national() -> bg.Dataset:
    return bg.load_dataset("cn-rail-2020")


@settings(max_examples=150, deadline=None)
@given(networks(), st.sampled_from(["A", "C", "P"]), st.integers(0, 1439), st.integers(0, 20))
def test_engine_equals_the_reference_scan(
    net: tuple[pd.DataFrame, pd.DataFrame, dict[str, float]],
    origin: str,
    depart: int,
    default_change: int,
) -> None:
    tt, walks, change = net
    c = build_connections(tt, walks, change, {PLACE})
    if origin not in c.stations:
        return
    kw = {"min_transfer_minutes": default_change, "max_minutes": 1440.0}
    fast = bg.earliest_arrival(c, origin, depart, engine="fast", **kw)
    ref = bg.earliest_arrival(c, origin, depart, engine="reference", **kw)
    assert fast.to_dict() == ref.to_dict()
    for node, arrival in fast.items():
        if node == origin or math.isinf(arrival):
            continue
        j = bg.timetable_commute(
            c,
            origin,
            node,
            depart,
            min_transfer_minutes=default_change,
            max_hours=24,
            engine="fast",
        )
        assert j.arrival == arrival
        legs = j.legs.to_dict("records")
        assert legs[0]["from"] == origin and legs[-1]["to"] == node
        for prev, nxt in itertools.pairwise(legs):
            assert prev["to"] == nxt["from"] and nxt["departure"] >= prev["arrival"]
            if prev["train"] and nxt["train"]:
                assert nxt["departure"] >= prev["arrival"] + change.get(prev["to"], default_change)


def test_engine_equals_the_reference_on_the_national_timetable(national: bg.Dataset) -> None:
    c = bg.connections(national)
    for origin, depart in (("AOH", "08:00"), ("VNP", "23:50"), ("HUL", "06:00"), ("KMM", "00:00")):
        t = parse_clock(depart)
        fast = bg.earliest_arrival(c, origin, t, engine="fast")
        ref = bg.earliest_arrival(c, origin, t, engine="reference")
        assert fast.equals(ref), origin
        a = bg.timetable_reach(c, origin, 6, t, engine="fast")
        b = bg.timetable_reach(c, origin, 6, t, engine="reference")
        pd.testing.assert_frame_equal(a, b)


def test_sweep_equals_the_reference_on_a_sample(national: bg.Dataset) -> None:
    c = bg.connections(national)
    origins = ["AOH", "NKH", "HUL", "XAY"]
    departs = [420.0, 421.0, 455.0, 539.0, 540.0]
    fast = sweep_arrivals(c, origins, departs, max_hours=24)
    ref = sweep_arrivals(c, origins, departs, max_hours=24, engine="reference")
    assert np.array_equal(fast, ref)
    assert np.isfinite(fast).sum() > 2000


def test_window_summary_by_hand() -> None:
    # A -> B at 08:00 (30 min) and 08:20 (20 min); leaving 07:50, 08:00, 08:10, 08:20 takes
    # 40, 30, 30 and 20 minutes (waiting included)
    rows = []
    for train, dep, arr in (("T1", "08:00", "08:30"), ("T2", "08:20", "08:40")):
        rows += [
            {"train": train, "sequence": 1, "station": "A", "arrival_minutes": math.nan,
             "departure_minutes": parse_clock(dep)},
            {"train": train, "sequence": 2, "station": "B", "arrival_minutes": parse_clock(arr),
             "departure_minutes": math.nan},
        ]  # fmt: skip
    c = build_connections(pd.DataFrame(rows))
    assert departures(470, 500, 10).tolist() == [470.0, 480.0, 490.0, 500.0]
    table = window_accessibility(
        c, ["A"], window=(470, 500), step=10, percentiles=(25, 50, 100), hours=0.5, workers=1
    )
    row = table.set_index("destination").loc["B"]
    # nearest rank of [20, 30, 30, 40]: p25 the 1st, p50 the 2nd, p100 the 4th
    assert (row["p25"], row["p50"], row["p100"]) == (20.0, 30.0, 40.0)
    assert row["share_within_0.5h"] == 0.75 and row["departures"] == 4
    assert np.isnan(nearest_rank(np.array([10.0, np.inf]), [100])[0])


def test_places_are_origins_and_destinations_of_a_place_network(tmp_path: Path) -> None:
    places = pd.DataFrame(
        [
            {"id": "Shanghai", "name": "Shanghai", "lat": 31.2304, "lon": 121.4737,
             "stations": "上海;上海虹桥;上海南"},
            {"id": "Nanjing", "name": "Nanjing", "lat": 32.0603, "lon": 118.7969,
             "stations": "南京;南京南"},
            {"id": "Suzhou", "name": "Suzhou", "lat": 31.2989, "lon": 120.5853,
             "stations": "苏州;苏州北"},
        ]
    )  # fmt: skip
    places.to_csv(tmp_path / "p.csv", index=False)
    bg.write_places(bg.load_dataset("cn-rail-2020"), tmp_path / "p.csv", tmp_path / "belt")
    ds = bg.load_dataset(tmp_path / "belt")
    table = window_accessibility(ds, window=(420, 480), step=10, workers=1)
    assert set(table["origin"]) == {"Shanghai", "Nanjing", "Suzhou"}
    assert set(table["destination"]) == {"Shanghai", "Nanjing", "Suzhou"} and len(table) == 6
    # a place's time is never better than its best station's, walked to and from by access
    c = bg.connections(ds)
    ref = sweep_arrivals(c, ["Shanghai"], departures(420, 480, 10), engine="reference")
    fast = sweep_arrivals(c, ["Shanghai"], departures(420, 480, 10))
    assert np.array_equal(ref, fast)


def test_sweep_on_a_local_dask_cluster_equals_the_local_one(
    national: bg.Dataset, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("dask.distributed")
    origins = ["AOH", "NKH", "VNP", "HZH", "CDW", "KMM", "HUL"]
    kw = {"window": (420, 450), "step": 5, "percentiles": (5, 50, 95), "hours": 2}
    local = window_accessibility(national, origins, workers=1, **kw)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = window_accessibility(
            national, origins, client=client, output=tmp_path / "a.parquet", **kw
        )
    parts = sorted((tmp_path / "a.parquet").glob("part-*.parquet"))
    assert len(parts) > 1
    key = ["origin", "destination"]
    a = local.sort_values(key).reset_index(drop=True)
    b = remote.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    from_parts = pd.concat([pd.read_parquet(p) for p in parts]).sort_values(key)
    pd.testing.assert_frame_equal(a, from_parts.reset_index(drop=True), check_dtype=False)


def test_cli_accessibility(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["accessibility", "--data", "cn-rail-2020", "--origin", "上海虹桥", "--origin", "NKH",
            "--window", "07:00-08:00", "--step", "10", "--percentiles", "5,50,95", "--hours", "2"]  # fmt: skip
    r = runner.invoke(cli, [*args, "--format", "csv", "--output", str(tmp_path / "a.csv")])
    assert r.exit_code == 0, r.output
    table = pd.read_csv(tmp_path / "a.csv")
    assert list(table.columns) == [
        "origin", "destination", "p5", "p50", "p95", "share_within_2h", "departures"
    ]  # fmt: skip
    assert len(table) == 2 * 320 and (table["departures"] == 7).all()
    assert "2 origin(s) x 321 destinations, 7 departures from 07:00 to 08:00" in r.stderr
    # the same numbers as a direct computation
    c = bg.connections(bg.load_dataset("cn-rail-2020"))
    arr = sweep_arrivals(c, ["AOH"], departures(420, 480, 10))[0]
    times = arr - departures(420, 480, 10)[:, None]
    nkh = c.index["NKH"]
    got = table[(table["origin"] == "AOH") & (table["destination"] == "NKH")].iloc[0]
    assert got["p50"] == nearest_rank(times[:, nkh], [50])[0]
    assert got["share_within_2h"] == pytest.approx((times[:, nkh] <= 120).mean())
    r = runner.invoke(cli, [*args, "--output", str(tmp_path / "a.parquet")])
    assert r.exit_code == 0, r.output
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a.parquet"), table, check_dtype=False)
    r = runner.invoke(cli, ["accessibility", "--data", "cn-rail-2020", "--window", "09:00-08:00"])
    assert r.exit_code == 2 and "start first" in r.output
    r = runner.invoke(cli, ["accessibility", "--window", "07:00-07:10"])
    assert r.exit_code == 1 and "has no timetable" in r.output


def test_without_numba_the_reference_scan_answers(tmp_path: Path) -> None:
    env = {**os.environ, "BELT_GRAPH_NO_NUMBA": "1"}
    code = (
        "import belt_graph as bg; from belt_graph.timetable import engine_available; "
        "c = bg.connections(bg.load_dataset('cn-rail-2020')); "
        "print(engine_available(), bg.timetable_commute(c, 'AOH', 'VNP', 480).minutes)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stdout.split() == ["False", "264.0"], r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "belt_graph", "accessibility", "--data", "cn-rail-2020",
         "--origin", "AOH", "--window", "07:00-07:10"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    # the sweep still answers, on the reference scan, and says how to get the fast engine
    assert r.returncode == 0, r.stderr
    assert 'pip install "belt-graph[fast]"' in r.stderr and "Traceback" not in r.stderr
    assert len(pd.read_csv(io.StringIO(r.stdout), sep=r"\s{2,}", engine="python")) == 320
