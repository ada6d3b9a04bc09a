"""GTFS import against gtfs-kit's ``read_feed``, partridge's one-day load and pandas, in one run.

    python benchmarks/bench_gtfs.py                      # Cairns and three synthetic feeds
    python benchmarks/bench_gtfs.py --runs 3 --feed FEED.zip
    python benchmarks/bench_gtfs.py --stop-times 0       # Cairns only

Time: medians of alternating runs, in one process, of

* ``belt_graph.import_gtfs(feed, folder)``: read and check every file, choose the day, build
  its stations, links and timetable, write the dataset folder (CSV files and datasheet);
* belt-graph's reading and checking alone (``gtfs.read_feed`` and the checks of every file,
  every fault located), the part that does what ``read_feed`` of gtfs-kit does;
* ``gtfs_kit.read_feed(feed, dist_units="km")``: every file read into typed frames, nothing
  checked (skipped when gtfs-kit is not installed);
* partridge's load of one day (``read_busiest_date``, then ``load_feed`` with a ``trips.txt``
  view of its services, the stop times, trips, routes and stops touched; skipped when
  partridge is not installed);
* ``pandas.read_csv`` of the feed's ``stop_times.txt`` with default options;
* a *floor* (where pyarrow is installed): the least any import that writes this dataset could
  take, with nothing checked and nothing built. Every file of the zip unzipped and parsed by
  pyarrow's multithreaded CSV reader, and the dataset's tables (written by the import
  beforehand, not timed) written by pyarrow's CSV writer. It is not a dataset (pyarrow quotes
  every text): it bounds from below what checks, builds and writes can cost together.

Memory: the peak resident memory of each, in a fresh process, above what the process held
after its imports and a warm-up on a tiny feed (the imports are not the work). The synthetic
feeds are ``synthetic_feed.py``'s (seeded), written to a temporary folder: one of half
``--stop-times`` (NYC-subway-sized at the default), one of ``--stop-times``, and a
long-distance rail feed of a fifth of it whose days are in ``calendar_dates.txt`` alone.
Ratios are the peer's time (or memory) / belt-graph's: above 1, belt-graph is faster (or
smaller).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import belt_graph as bg  # noqa: E402 - after the path is set
from belt_graph.dataset._rows import Collector  # noqa: E402
from belt_graph.gtfs.checks import _check  # noqa: E402
from belt_graph.gtfs.feed import read_feed  # noqa: E402
from belt_graph.gtfs.importer import _text_in_python_strings  # noqa: E402

CAIRNS = ROOT / "tests" / "data" / "gtfs" / "cairns_gtfs.zip"
TINY = ROOT / "tests" / "data" / "gtfs" / "sample_gtfs.zip"


def read_stop_times(feed: Path) -> pd.DataFrame:
    with zipfile.ZipFile(feed) as z:
        name = next(n for n in z.namelist() if n.rsplit("/", 1)[-1] == "stop_times.txt")
        with z.open(name) as fh:
            return pd.read_csv(fh)


FLOOR = "floor: unzip, parse, write"
DATASET_TABLES = ("nodes.csv", "links.csv", "timetable.csv", "metadata.csv")


def floor_task(feed: Path, out: Path) -> Callable[[], Any] | None:
    """The floor's call on ``feed`` (see the module docstring); None without pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    written = out.with_name(out.name + "-floor-input")
    bg.import_gtfs(feed, written, force=True)  # the tables to write: not timed
    tables = {}
    for name in DATASET_TABLES:
        t = pacsv.read_csv(written / name)
        tables[name] = t.cast(pa.schema([pa.field(c, pa.string()) for c in t.column_names]))
    scratch = out.with_name(out.name + "-floor-output")
    scratch.mkdir(parents=True, exist_ok=True)
    options = pacsv.WriteOptions(quoting_style="needed")

    def floor() -> None:
        with zipfile.ZipFile(feed) as z:
            for member in z.namelist():
                pacsv.read_csv(io.BytesIO(z.read(member)))
        for name, table in tables.items():
            pacsv.write_csv(table, scratch / name, write_options=options)

    return floor


def tasks(feed: Path, out: Path) -> dict[str, Callable[[], Any]]:
    """The measured calls on ``feed``, by name (gtfs-kit's only where it is installed)."""

    @_text_in_python_strings  # as the import runs them
    def read_and_check() -> None:
        problems = Collector()
        _check(read_feed(feed, problems), problems)

    out_tasks: dict[str, Callable[[], Any]] = {
        "belt-graph import": lambda: bg.import_gtfs(feed, out, force=True),
        "belt-graph read + check": read_and_check,
        "pandas stop_times.txt": lambda: read_stop_times(feed),
    }
    try:
        import gtfs_kit
    except ImportError:
        return out_tasks
    out_tasks["gtfs-kit read_feed"] = lambda: gtfs_kit.read_feed(feed, dist_units="km")
    try:
        import partridge  # noqa: F401 - only whether it is there
    except ImportError:
        return out_tasks
    out_tasks[PARTRIDGE] = lambda: partridge_day(feed)
    return out_tasks


PARTRIDGE = "partridge one-day load"


def partridge_day(feed: Path) -> None:
    """partridge's load of the busiest day, as its README shows it, with the tables touched.

    ``read_busiest_date`` (the day with the most trips, as the import chooses), then
    ``load_feed`` with a ``trips.txt`` view of that day's services; partridge reads lazily, so
    the tables an import needs (stop times, trips, routes, stops) are read here.
    """
    import partridge as ptg

    with warnings.catch_warnings():  # partridge 1.1 calls pandas APIs that pandas 3 deprecates
        warnings.simplefilter("ignore")
        _date, service_ids = ptg.read_busiest_date(str(feed))
        view = {"trips.txt": {"service_id": service_ids}}
        loaded = ptg.load_feed(str(feed), view)
        for table in ("stop_times", "trips", "routes", "stops"):
            getattr(loaded, table)


def timed_tasks(feed: Path, out: Path) -> dict[str, Callable[[], Any]]:
    """:func:`tasks`, and the floor where pyarrow is installed (timed only: its set-up imports
    the feed, which a fresh process measuring memory would count)."""
    todo = tasks(feed, out)
    floor = floor_task(feed, out)
    if floor is not None:
        todo[FLOOR] = floor
    return todo


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mib() -> float:
    """This process's peak resident memory (``VmHWM``: ``ru_maxrss`` carries the parent's
    over ``exec``, and the parent has run the large feed)."""
    with open("/proc/self/status") as fh:
        line = next(x for x in fh if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def memory_of(task: str, feed: Path) -> float:
    """The peak MiB of one run of ``task`` in a fresh process, above its imports."""
    cmd = [sys.executable, __file__, "--memory-of", task, "--feed", str(feed)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return float(json.loads(done.stdout.strip().splitlines()[-1]))


def _child_memory(task: str, feed: Path) -> float:
    work = Path(tempfile.mkdtemp())
    try:
        tasks(TINY, work / "warm")[task]()  # every lazy import done
        base = _rss_mib()
        tasks(feed, work / "ds")[task]()
        return _peak_mib() - base
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(feed: Path, runs: int) -> dict[str, dict[str, float]]:
    """Median seconds and peak MiB of every task on ``feed``."""
    work = Path(tempfile.mkdtemp())
    try:
        todo = timed_tasks(feed, work / "ds")
        for f in todo.values():  # warm up (imports, caches)
            f()
        times: dict[str, list[float]] = {name: [] for name in todo}
        for _ in range(runs):
            for name, f in todo.items():
                t0 = time.perf_counter()
                f()
                times[name].append(time.perf_counter() - t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        name: {
            "seconds": statistics.median(t),
            "peak_mib": math.nan if name == FLOOR else memory_of(name, feed),
        }
        for name, t in times.items()
    }


def report(label: str, result: dict[str, dict[str, float]]) -> dict[str, float]:
    """Print one feed's table; return the ratios against gtfs-kit (and pandas)."""
    print(label)
    ours = result["belt-graph import"]
    check = result["belt-graph read + check"]
    for name, r in result.items():
        mib = "       -    " if math.isnan(r["peak_mib"]) else f"{r['peak_mib']:8.1f} MiB"
        print(f"  {name:<28}{r['seconds'] * 1000:9.1f} ms {mib}")
    ratios = {
        "time_ratio_pandas": result["pandas stop_times.txt"]["seconds"] / ours["seconds"],
        "memory_ratio_pandas": result["pandas stop_times.txt"]["peak_mib"] / ours["peak_mib"],
    }
    if "gtfs-kit read_feed" in result:
        kit = result["gtfs-kit read_feed"]
        ratios["time_ratio"] = kit["seconds"] / ours["seconds"]
        ratios["memory_ratio"] = kit["peak_mib"] / ours["peak_mib"]
        ratios["time_ratio_read_check"] = kit["seconds"] / check["seconds"]
        ratios["memory_ratio_read_check"] = kit["peak_mib"] / check["peak_mib"]
        if FLOOR in result:
            ratios["time_ratio_floor"] = kit["seconds"] / result[FLOOR]["seconds"]
            print(
                f"  gtfs-kit / floor: time {ratios['time_ratio_floor']:.2f} (the most any "
                "import writing this dataset could reach, with nothing checked or built)"
            )
        if PARTRIDGE in result:
            ratios["time_ratio_partridge"] = result[PARTRIDGE]["seconds"] / ours["seconds"]
            print(
                f"  partridge one-day load / import: time {ratios['time_ratio_partridge']:.2f} "
                "(target >= 1)"
            )
        print(
            f"  gtfs-kit / import: time {ratios['time_ratio']:.2f}, memory "
            f"{ratios['memory_ratio']:.2f}; gtfs-kit / read + check: time "
            f"{ratios['time_ratio_read_check']:.2f}, memory "
            f"{ratios['memory_ratio_read_check']:.2f} (target >= 1)"
        )
    return ratios


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, default=None, help="one feed only")
    parser.add_argument("--stop-times", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory-of", help=argparse.SUPPRESS)  # a child process
    args = parser.parse_args(argv)
    if args.memory_of:
        print(json.dumps(_child_memory(args.memory_of, args.feed)))
        return {}
    feeds = [(args.feed, args.feed.name)] if args.feed else [(CAIRNS, "Cairns")]
    work = Path(tempfile.mkdtemp())
    try:
        if args.feed is None and args.stop_times:
            from synthetic_feed import make_feed

            # a NYC-subway-sized feed (about 500,000 stop times), the size asked for, and a
            # long-distance rail feed whose days are in calendar_dates.txt alone
            half = max(args.stop_times // 2, 1)
            shapes = [("subway-sized", half, False), ("synthetic", args.stop_times, False)]
            shapes.append(("rail, calendar_dates only", max(args.stop_times // 5, 1), True))
            for k, (what, size, rail) in enumerate(shapes):
                path = work / f"synthetic-{k}.zip"
                n = make_feed(path, size, seed=26, rail=rail)
                feeds.append((path, f"{what}, {n:,} stop times"))
        out: dict[str, Any] = {}
        print(f"GTFS import, medians of {args.runs} alternating runs; memory: fresh processes")
        for feed, label in feeds:
            out[label] = report(label, measure(feed, args.runs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


if __name__ == "__main__":
    main()
