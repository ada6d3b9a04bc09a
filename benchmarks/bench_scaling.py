"""The window sweep as the timetable grows (issue 26, 6): 1x, 10x and 100x the national one.

    python benchmarks/bench_scaling.py                 # 1x, 10x, 100x; medians of 5
    python benchmarks/bench_scaling.py --factors 1 10  # some sizes only
    python benchmarks/bench_scaling.py --quick         # tiny sizes, one run (tests)

Each size runs in a fresh process (its own peak memory): a seeded synthetic timetable of
``321 * k`` stations and ``8,736 * k`` trains (``rail_like_timetable``: ``k = 1`` has the size of
``cn-rail-2020``, 35,000 calls), its connections, then the window sweep of 07:00-09:00 every
minute (121 departures) from the same number of origins at every size (seeded, among stations
with departures), one process. Printed per size: the time to generate and to build the
connections, the compiled profile scan alone (blocks of origins in a reused buffer, as
``window_accessibility`` runs it), the connections it scans per origin (those leaving from
07:00 to 09:00 + 24 h), the nanoseconds per connection scanned, ``window_accessibility`` end to
end (search, percentiles, table) and the process's peak memory. The cost per connection
should stay flat as the timetable grows; ``--rides-by-train`` measures the rides numbered by
train name, as before issue 26 (each ride's label far from those of the rides running beside it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import belt_graph as bg  # noqa: E402 - after the path is set
from belt_graph.dataset.synthetic import rail_like_timetable  # noqa: E402
from belt_graph.timetable import window  # noqa: E402
from belt_graph.timetable.schedule import build_connections  # noqa: E402

STATIONS, TRAINS = 321, 8_736


def _peak_mib() -> float:
    """This process's peak resident memory (``VmHWM``: ``ru_maxrss`` keeps the parent's)."""
    with open("/proc/self/status") as fh:
        line = next(x for x in fh if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def one(factor: float, origins: int, runs: int, span: tuple[float, float]) -> dict[str, Any]:
    """Measure one size in this process; return its numbers."""
    t0 = time.perf_counter()
    _, tt = rail_like_timetable(round(STATIONS * factor), round(TRAINS * factor), seed=26)
    generate = time.perf_counter() - t0
    t0 = time.perf_counter()
    c = build_connections(tt)
    build = time.perf_counter() - t0
    n_calls = len(tt)
    del tt
    departs = window.departures(*span, 1)
    horizon = window._horizon(window.WINDOW_MAX_HOURS)
    sw = window._prepare(c, departs, horizon, 15.0)
    rng = np.random.default_rng(26)
    leaving = np.unique(c.from_station[(c.departure >= span[0]) & (c.departure <= span[1])])
    picked = np.sort(rng.choice(leaving, size=min(origins, len(leaving)), replace=False))
    per = len(departs) * len(sw.stations)
    size = max(1, window.CHUNK_BYTES // (8 * per))
    buffer = np.empty(size * per)

    def kernel() -> None:
        for k in range(0, len(picked), size):
            window._run(sw, picked[k : k + size], departs, horizon, buffer)

    kernel()  # compile or load the kernel outside the timings
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        kernel()
        times.append(time.perf_counter() - t0)
    scan = statistics.median(times)
    lo = np.searchsorted(sw.dep, departs[0], side="left")
    hi = np.searchsorted(sw.dep, departs[-1] + horizon, side="right")
    names = [c.stations[i] for i in picked]
    ends = []
    for _ in range(runs):
        t0 = time.perf_counter()
        table = bg.window_accessibility(c, names, window=span, step=1, workers=1)
        ends.append(time.perf_counter() - t0)
    return {
        "factor": factor,
        "stations": len(c.stations),
        "trains": len(c.trains),
        "calls": n_calls,
        "connections": len(c),
        "origins": len(picked),
        "departures": len(departs),
        "generate_s": generate,
        "build_s": build,
        "scan_s": scan,
        "scanned_per_origin": int(hi - lo),
        "ns_per_connection": scan / (len(picked) * (hi - lo)) * 1e9,
        "window_accessibility_s": statistics.median(ends),
        "rows": len(table),
        "peak_mib": _peak_mib(),
    }


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--origins", type=int, default=32)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run (tests)")
    parser.add_argument(
        "--rides-by-train",
        action="store_true",
        help="keep the rides numbered by train (the layout before issue 26), for comparison",
    )
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # a child process
    args = parser.parse_args(argv)
    if args.rides_by_train:
        window._by_first_ride = lambda trip, n_trips: trip
    span = (420.0, 440.0) if args.quick else (420.0, 540.0)
    if args.quick:
        args.factors, args.origins, args.runs = [0.1, 0.2], 4, 1
    if args.one is not None:
        print(json.dumps(one(args.one, args.origins, args.runs, span)))
        return []
    rows = []
    print(
        f"window sweep of a synthetic timetable, {args.origins} origins, 07:00-"
        f"{'07:20' if args.quick else '09:00'} every minute, one process, medians of {args.runs}"
    )
    for k in args.factors:
        cmd = [sys.executable, __file__, "--one", str(k), "--origins", str(args.origins)]
        cmd += ["--runs", str(args.runs)] + (["--quick"] if args.quick else [])
        cmd += ["--rides-by-train"] if args.rides_by_train else []
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(r)
        base = rows[0]["ns_per_connection"]
        print(
            f"  {k:g}x: {r['stations']:,} stations, {r['trains']:,} trains, {r['calls']:,} calls, "
            f"{r['connections']:,} connections (generated {r['generate_s']:.1f} s, "
            f"connections {r['build_s']:.1f} s)\n"
            f"      scan {r['scan_s']:.3f} s for {r['origins']} origins x "
            f"{r['scanned_per_origin']:,} connections: {r['ns_per_connection']:.2f} ns per "
            f"connection ({r['ns_per_connection'] / base:.2f}x the first size); "
            f"window_accessibility {r['window_accessibility_s']:.3f} s "
            f"({r['rows']:,} rows); peak {r['peak_mib']:.0f} MiB"
        )
    return rows


if __name__ == "__main__":
    main()
