"""belt_graph.timetable.window: the window sweep against the reference, by hand, on Dask."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import belt_graph as bg
from belt_graph.dataset import parse_clock
from belt_graph.timetable import (
    build_connections,
    departures,
    engine_available,
    nearest_rank,
    sweep_arrivals,
    window,
    window_accessibility,
)
from tests.helpers import PLACE, networks, run

pytestmark = pytest.mark.skipif(not engine_available(), reason="numba is a test dependency")


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
    # on the station network: the dataset's own cities are replaced by these three places
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


@pytest.mark.slow
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


def test_a_window_is_bounded_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 25, 4: '--window 00:00-48:00 --step 1e-7' asked for 1.9 TiB, then a traceback."""
    from belt_graph.timetable import window

    with pytest.raises(ValueError, match=r"has more than 100,000 departures, the limit"):
        window.departures(0, 48 * 60, 1e-7)
    # issue 39: a step so small the count overflows (5e-324: infinity) or has 300 digits
    for step in (5e-324, 1e-300):
        with pytest.raises(ValueError, match=r"more than 100,000 departures.*at least 1e-05 min"):
            window.departures(0, 1, step)
    assert len(window.departures(0, 99_999, 1)) == 100_000  # the limit itself is allowed
    code, _, err = run(
        "accessibility", "--data", "cn-rail-2020", "--window", "00:00-00:01", "--step", "5e-324"
    )
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    # 2,881 departures x 481 nodes (321 stations, 160 cities) x 8 bytes for one origin
    ds = bg.load_dataset("cn-rail-2020")
    assert len(ds.nodes) == 481
    monkeypatch.setattr(window, "MAX_BLOCK_BYTES", 7_000_000)
    with pytest.raises(ValueError, match=r"2,881 departures x 481 stations need 11,086,088 bytes"):
        window_accessibility(ds, ["AOH"], window=(0, 48 * 60), step=1)


def test_smaller_blocks_give_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from belt_graph.timetable import window

    ds = bg.load_dataset("cn-rail-2020")
    origins = ["AOH", "VNP", "HGH", "NKH", "SHH"]
    whole = window_accessibility(ds, origins, window=(420, 440), step=5, workers=1)
    # 5 departures x 321 stations x 8 bytes = 12,840 bytes an origin: two origins a block
    monkeypatch.setattr(window, "MAX_BLOCK_BYTES", 2 * 12_840)
    assert [len(b) for b in window._blocks(origins, 1, max_size=2)] == [2, 2, 1]
    split = window_accessibility(ds, origins, window=(420, 440), step=5, workers=1)
    pd.testing.assert_frame_equal(whole, split)


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            out.append(int(status.parent.name))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_workers_die_with_their_parent_and_let_go_of_its_pipes() -> None:
    """Issue 25, 3: SIGKILL to 'accessibility --workers 2' left both workers running."""
    import signal
    import subprocess
    import sys
    import time

    p = subprocess.Popen(
        [sys.executable, "-m", "belt_graph", "accessibility", "--data", "cn-rail-2020",
         "--workers", "2", "--window", "00:00-23:59", "--step", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = _children(p.pid)
    assert len(workers) >= 2, "the workers did not start"
    time.sleep(1)  # into the work
    p.send_signal(signal.SIGKILL)
    p.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = []
    for w in workers:
        try:
            state = Path(f"/proc/{w}/status").read_text()
        except OSError:
            continue
        if "\nState:\tZ" not in state:  # a zombie is dead, waiting for its reaper
            alive.append(w)
    assert not alive, f"workers {alive} outlived their parent"
    # nothing holds the caller's pipes any more: reading them ends
    assert p.stdout is not None and p.stderr is not None
    p.stdout.read()
    p.stderr.read()
    p.stdout.close()
    p.stderr.close()


@settings(max_examples=120, deadline=None)
@given(
    networks(),
    st.sampled_from(["A", "C", "P"]),
    st.lists(st.integers(0, 1500), min_size=1, max_size=6),
    st.integers(0, 20),
    st.sampled_from([3.0, 24.0]),
)
def test_one_profile_scan_equals_a_scan_per_departure(
    net: tuple[pd.DataFrame, pd.DataFrame, dict[str, float]],
    origin: str,
    departs: list[int],
    default_change: int,
    max_hours: float,
) -> None:
    # departures in any order and repeated; a place origin (P); walks; changes per station
    tt, walks, change = net
    c = build_connections(tt, walks, change, {PLACE})
    if origin not in c.stations:
        return
    kw = {"min_transfer_minutes": default_change, "max_hours": max_hours}
    profile = sweep_arrivals(c, [origin], departs, **kw)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(window, "_KERNEL", "sweep")
        each = sweep_arrivals(c, [origin], departs, **kw)
    reference = sweep_arrivals(c, [origin], departs, engine="reference", **kw)
    assert np.array_equal(profile, each)
    assert np.array_equal(profile, reference)


def test_one_profile_scan_equals_a_scan_per_minute_on_the_national_timetable(
    national: bg.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every minute of the morning peak from a fifth of the stations and every city
    c = bg.connections(national)
    stations = list(c.stations)
    origins = stations[::5] + [s for s in stations if not c.transit[c.index[s]]]
    departs = departures(420, 540, 1)
    profile = sweep_arrivals(c, origins, departs)
    monkeypatch.setattr(window, "_KERNEL", "sweep")
    each = sweep_arrivals(c, origins, departs)
    assert np.array_equal(profile, each)
    # the answers are not all the same number: most cells are reached, and they differ
    reached = np.isfinite(profile)
    assert reached.mean() > 0.5 and len(np.unique(profile[reached])) > 1000


def test_from_a_place_one_change_of_station_after_the_walk_to_each() -> None:
    # P's stations: A 10 min, B 30 min away; walks A-B and B-C 5 min. Leaving P at 0, B is
    # reached at 15 (via A) but the walk on to C starts from the walk to B itself (30 + 5):
    # P -> A -> B -> C would be two changes of station before the first train
    tt = pd.DataFrame(
        [
            {"train": "T", "sequence": 1, "station": "C", "arrival_minutes": math.nan,
             "departure_minutes": 36.0, "pickup": "", "drop_off": ""},
            {"train": "T", "sequence": 2, "station": "D", "arrival_minutes": 50.0,
             "departure_minutes": math.nan, "pickup": "", "drop_off": ""},
        ]
    )  # fmt: skip
    walks = pd.DataFrame(
        [
            {"source": a, "target": b, "minutes": m, "mode": mode}
            for x, y, m, mode in (
                ("P", "A", 10.0, "access"), ("P", "B", 30.0, "access"),
                ("A", "B", 5.0, "walk"), ("B", "C", 5.0, "walk"),
            )
            for a, b in ((x, y), (y, x))
        ]
    )  # fmt: skip
    c = build_connections(tt, walks, {}, {PLACE})
    arrivals = sweep_arrivals(c, ["P"], [0.0, 1.0, 2.0])[0]
    at = [dict(zip(c.stations, row, strict=True)) for row in arrivals]
    assert (at[0]["B"], at[0]["C"], at[0]["D"]) == (15.0, 35.0, 50.0)
    # ready at C at 36 catches T at 36; at 37 it has gone
    assert (at[1]["C"], at[1]["D"]) == (36.0, 50.0)
    assert (at[2]["C"], at[2]["D"]) == (37.0, math.inf)
    reference = sweep_arrivals(c, ["P"], [0.0, 1.0, 2.0], engine="reference")[0]
    assert np.array_equal(arrivals, reference)


def test_rides_renumbered_in_the_order_they_start() -> None:
    from belt_graph.timetable.window import _by_first_ride

    trip = np.array([5, 2, 5, 0, 2, 7, 0])
    assert _by_first_ride(trip, 8).tolist() == [0, 1, 0, 2, 1, 3, 2]
    assert _by_first_ride(np.zeros(0, dtype=np.int64), 3).tolist() == []
    rng = np.random.default_rng(1)
    trip = rng.integers(0, 50, size=400)
    new = _by_first_ride(trip, 50)
    # the same rides (equal before, equal after), numbered 0, 1, 2 ... as they first appear
    assert ((trip[:, None] == trip[None, :]) == (new[:, None] == new[None, :])).all()
    seen = []
    for t in new.tolist():
        if t not in seen:
            seen.append(t)
    assert seen == list(range(len(seen)))
