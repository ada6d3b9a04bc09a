"""A seeded synthetic GTFS feed of any size, for the import benchmark.

    python benchmarks/synthetic_feed.py feed.zip --stop-times 1000000

The trips are ``belt_graph.dataset.rail_like_timetable``'s, shaped like a city's feed (about
30 stops a trip, every stop of a line served, stops a kilometre or two apart): ``agency.txt``,
``stops.txt``, ``routes.txt`` (one route per line of stops a trip starts on), ``trips.txt``
(all on one service, every day of 2026), ``stop_times.txt`` (``HH:MM:SS``, past 24:00 after
midnight) and ``calendar.txt``, zipped.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from belt_graph.dataset.synthetic import rail_like_timetable  # noqa: E402

STOPS_PER_TRIP = 30
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _clock(minutes: np.ndarray) -> np.ndarray:
    """``HH:MM:SS`` of whole minutes (hours past 24 kept, as GTFS writes them)."""
    m = minutes.astype(np.int64)
    hours = pd.Series(m // 60).astype(str).str.zfill(2)
    mins = pd.Series(m % 60).astype(str).str.zfill(2)
    out: np.ndarray = (hours + ":" + mins + ":00").to_numpy(dtype=object)
    return out


def make_feed(path: Path, stop_times: int, *, seed: int = 0, rail: bool = False) -> int:
    """Write a feed of about ``stop_times`` stop times to ``path`` (a zip); return how many.

    ``rail``: a long-distance rail feed's shape instead of a bus network's: routes of type 2
    and its days in ``calendar_dates.txt`` alone (every day of 2026 added), as the DB and SNCF
    long-distance feeds publish them.
    """
    # line ends cut some calls short: a first draw says how many, a second has the size asked
    trips = max(1, stop_times // STOPS_PER_TRIP)
    for _ in range(2):
        stations = max(400, trips // 15)
        stops, tt = rail_like_timetable(
            stations, trips, seed=seed, mean_calls=STOPS_PER_TRIP, max_skip=1, spacing_km=1.5
        )
        trips = max(1, round(trips * stop_times / len(tt)))
    arr = tt["arrival_minutes"].to_numpy()
    dep = tt["departure_minutes"].to_numpy()
    arr = np.where(np.isnan(arr), dep, arr)  # GTFS times the first and the last stop both ways
    dep = np.where(np.isnan(dep), arr, dep)
    first = tt.drop_duplicates("train")
    routes = pd.factorize(first["station"])[0]  # a route per first stop
    files = {
        "agency.txt": pd.DataFrame(
            {
                "agency_id": ["SYN"],
                "agency_name": ["Synthetic Transit"],
                "agency_url": ["https://example.org"],
                "agency_timezone": ["Asia/Shanghai"],
            }
        ),
        "stops.txt": pd.DataFrame(
            {
                "stop_id": stops["id"],
                "stop_name": stops["name"],
                "stop_lat": stops["lat"].round(6),
                "stop_lon": stops["lon"].round(6),
            }
        ),
        "routes.txt": pd.DataFrame(
            {
                "route_id": [f"R{i}" for i in range(routes.max() + 1)],
                "agency_id": "SYN",
                "route_short_name": [str(i) for i in range(routes.max() + 1)],
                "route_type": 2 if rail else 3,
            }
        ),
        "trips.txt": pd.DataFrame(
            {
                "route_id": [f"R{i}" for i in routes],
                "service_id": "ALL",
                "trip_id": first["train"].to_numpy(),
            }
        ),
        "stop_times.txt": pd.DataFrame(
            {
                "trip_id": tt["train"].to_numpy(),
                "arrival_time": _clock(arr),
                "departure_time": _clock(dep),
                "stop_id": tt["station"].to_numpy(),
                "stop_sequence": tt["sequence"].to_numpy(),
            }
        ),
    }
    if rail:
        days = pd.date_range("2026-01-01", "2026-12-31", freq="D").strftime("%Y%m%d")
        files["calendar_dates.txt"] = pd.DataFrame(
            {"service_id": "ALL", "date": days, "exception_type": 1}
        )
    else:
        files["calendar.txt"] = pd.DataFrame(
            {
                "service_id": ["ALL"],
                **{d: [1] for d in DAYS},
                "start_date": ["20260101"],
                "end_date": ["20261231"],
            }
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, df in files.items():
            buf = io.StringIO()
            df.to_csv(buf, index=False, lineterminator="\n")
            z.writestr(name, buf.getvalue())
    return len(tt)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--stop-times", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rail", action="store_true", help="rail, calendar_dates.txt only")
    args = parser.parse_args(argv)
    n = make_feed(args.path, args.stop_times, seed=args.seed, rail=args.rail)
    print(f"wrote {args.path} with {n:,} stop times")


if __name__ == "__main__":
    main()
