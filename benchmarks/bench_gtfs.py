"""GTFS import against reading the feed's stop_times.txt with pandas alone, in one run.

    python benchmarks/bench_gtfs.py            # the Cairns feed, 7 alternating runs
    python benchmarks/bench_gtfs.py --runs 3 --feed FEED.zip

Time: the median of alternating runs of ``belt_graph.import_gtfs(feed, folder)`` (reading and
checking every file, building the stations, links and timetable of one day, writing the dataset)
and of ``pandas.read_csv`` on the zip's ``stop_times.txt`` with default options. Memory: the
peak traced by ``tracemalloc`` during each (the import against reading that frame, its text in
Python strings: tracemalloc does not see pyarrow's buffers). Targets: 3x for both.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

import belt_graph as bg

ROOT = Path(__file__).resolve().parents[1]
CAIRNS = ROOT / "tests" / "data" / "gtfs" / "cairns_gtfs.zip"


def read_stop_times(feed: Path) -> pd.DataFrame:
    with zipfile.ZipFile(feed) as z:
        name = next(n for n in z.namelist() if n.rsplit("/", 1)[-1] == "stop_times.txt")
        with z.open(name) as fh:
            return pd.read_csv(fh)


def peak(f: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        f()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, default=CAIRNS)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp())
    out = work / "ds"

    def ours() -> None:
        bg.import_gtfs(args.feed, out, force=True)

    def theirs() -> None:
        read_stop_times(args.feed)

    try:
        ours()  # warm up both (imports, caches)
        theirs()
        a, b = [], []
        for _ in range(args.runs):
            for f, times in ((ours, a), (theirs, b)):
                t0 = time.perf_counter()
                f()
                times.append(time.perf_counter() - t0)
        mem_ours = peak(ours)
        # tracemalloc sees Python's allocations only, not pyarrow's buffers, in which pandas
        # keeps text when pyarrow is installed: the frame's memory is traced with text in
        # Python strings (as the import holds it), else the read would look almost free
        with pd.option_context("mode.string_storage", "python"):
            mem_theirs = peak(theirs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "import_s": statistics.median(a),
        "read_stop_times_s": statistics.median(b),
        "time_ratio": statistics.median(a) / statistics.median(b),
        "import_peak_mib": mem_ours / 2**20,
        "read_peak_mib": mem_theirs / 2**20,
        "memory_ratio": mem_ours / mem_theirs,
    }
    print(f"feed: {args.feed.name}, {args.runs} alternating runs")
    print(
        f"time:   import {result['import_s'] * 1000:.1f} ms, pandas read of stop_times.txt "
        f"{result['read_stop_times_s'] * 1000:.1f} ms, ratio {result['time_ratio']:.2f} "
        "(target <= 3)"
    )
    print(
        f"memory: import peak {result['import_peak_mib']:.1f} MiB, read peak "
        f"{result['read_peak_mib']:.1f} MiB, ratio {result['memory_ratio']:.2f} (target <= 3)"
    )
    return result


if __name__ == "__main__":
    main()
