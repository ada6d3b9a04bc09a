"""Window sweeps in one pass (issue 26, 1): the profile scan against a scan per departure.

    python benchmarks/bench_window.py             # medians of 5 runs
    python benchmarks/bench_window.py --quick     # one run, 20 origins, 07:00-07:20 (tests)

On ``cn-rail-2020`` (321 stations, 160 cities), every departure minute of 07:00-09:00 (121
departures), one process:

* the arrivals of every origin (stations and cities) at every node, as the window sweep
  computes them (blocks of origins in a reused buffer): the engine before issue 26, which
  scans the timetable once per origin and departure (``_kernels.sweep``), against one profile
  scan per origin for all departures (``_kernels.sweep_profile``); the two arrays are checked
  equal, number for number;
* ``window_accessibility`` end to end (search, percentiles, share, table), station level and
  city level, with either engine; the tables are checked equal;
* the city-level sweep on 2 processes (the default), time only.

Ratios are the engine before / the profile scan (above 1: the profile scan is faster).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_cities import median_time  # noqa: E402 - the same medians as the other benchmarks

import belt_graph as bg  # noqa: E402 - after the path is set
from belt_graph.timetable import window  # noqa: E402
from belt_graph.timetable.schedule import format_clock  # noqa: E402


def with_kernel(kernel: str, f: Callable[[], Any]) -> Callable[[], Any]:
    """``f`` run with the window sweep's compiled kernel set to ``kernel``."""

    def run() -> Any:
        before = window._KERNEL
        window._KERNEL = kernel
        try:
            return f()
        finally:
            window._KERNEL = before

    return run


def arrivals(sw: window.Sweep, origins: np.ndarray, departs: np.ndarray) -> np.ndarray:
    """Every origin's arrivals, in blocks of ``window.CHUNK_BYTES`` as the sweep runs them."""
    per = len(departs) * len(sw.stations)
    size = max(1, window.CHUNK_BYTES // (8 * per))
    out = np.empty((len(origins), len(departs), len(sw.stations)))
    buffer = np.empty(size * per)
    horizon = window._horizon(window.WINDOW_MAX_HOURS)
    for k in range(0, len(origins), size):
        block = origins[k : k + size]
        out[k : k + len(block)] = window._run(sw, block, departs, horizon, buffer)
    return out


def row(label: str, seconds: float, before: float | None = None) -> dict[str, Any]:
    """Print and return one measured line."""
    ratio = "" if before is None else f"  ratio {before / seconds:6.2f}"
    print(f"  {label:<52}{seconds:8.3f} s{ratio}")
    ratio_value = None if before is None else before / seconds
    return {"task": label, "seconds": seconds, "ratio": ratio_value}


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run, a small window (tests)")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    ds = bg.load_dataset("cn-rail-2020")
    c = bg.connections(ds)
    span = (420.0, 440.0) if args.quick else (420.0, 540.0)
    departs = window.departures(*span, 1)
    sw = window._prepare(c, departs, window._horizon(window.WINDOW_MAX_HOURS), 15.0)
    origins = np.arange(len(c.stations), dtype=np.int64)[: 20 if args.quick else None]
    # compile (or load) both kernels outside the timings
    arrivals(sw, origins[:2], departs)
    with_kernel("sweep", lambda: arrivals(sw, origins[:2], departs))()
    rows = []
    print(
        f"window sweep, {ds.name}: {len(origins):,} origins x {len(departs)} departures "
        f"({format_clock(span[0])}-{format_clock(span[1])} every minute) x "
        f"{len(c.stations):,} nodes, "
        f"one process, medians of {runs}"
    )
    each_t, each = median_time(with_kernel("sweep", lambda: arrivals(sw, origins, departs)), runs)
    prof_t, prof = median_time(lambda: arrivals(sw, origins, departs), runs)
    if not np.array_equal(each, prof):
        raise SystemExit("the profile scan's arrivals differ from the scan per departure")
    rows.append(row("arrivals: a scan per origin and departure", each_t))
    rows.append(row("arrivals: one profile scan per origin", prof_t, each_t))
    for level in ("station", "place"):
        kw: dict[str, Any] = {"window": span, "step": 1, "workers": 1, "level": level}
        if args.quick:
            kw["origins"] = [c.stations[i] for i in origins]
        before_t, before = median_time(
            with_kernel("sweep", lambda kw=kw: bg.window_accessibility(ds, **kw)), runs
        )
        after_t, after = median_time(lambda kw=kw: bg.window_accessibility(ds, **kw), runs)
        pd.testing.assert_frame_equal(before, after)
        n = after["origin"].nunique()
        rows.append(row(f"window_accessibility, {n} {level}s, before", before_t))
        rows.append(row(f"window_accessibility, {n} {level}s, profile scan", after_t, before_t))
    kw = {"window": span, "step": 1, "level": "place", "workers": 2}
    if args.quick:
        kw["origins"] = [c.stations[i] for i in origins]
    t, table = median_time(lambda: bg.window_accessibility(ds, **kw), runs)
    rows.append(row(f"window_accessibility, {table['origin'].nunique()} cities, 2 processes", t))
    return rows


if __name__ == "__main__":
    main()
