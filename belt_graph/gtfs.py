"""GTFS in and out: a dataset from any public-transport feed, and a feed from any timetable.

:func:`import_gtfs` turns a GTFS feed (a ``.zip`` or a folder) into a dataset folder that every
belt-graph command reads with ``--data``:

- **nodes** are stations: a stop's ``parent_station`` when it has one, otherwise the stop itself,
  with the GTFS ``stop_id`` as node id, its name and coordinates;
- **timetable.csv** holds the trips of one service day (``date``; default the date with the
  most trips): ``calendar.txt`` and ``calendar_dates.txt`` honoured, ``frequencies.txt``
  expanded into trips (``trip_id@HH:MM:SS``), times to the second, times past 24:00 kept as the
  next day, missing times between timepoints interpolated, the pickup and drop-off rules kept;
- **links.csv** joins consecutive stations of every trip with the fastest in-vehicle minutes, the
  route's name as the line and its type as the mode. A link is ``track`` where no trip passes
  a station between the two, ``service`` (an express) where one does;
- **changes**: each station's minimum minutes between trips from ``transfers.txt`` (else
  ``min_transfer_minutes``), changes between stations from ``transfers.txt``, and optionally
  walks between stations within ``max_walk_meters`` (:data:`WALK_RULE`) as ``transfer`` links.

:func:`export_gtfs` writes a dataset's timetable as a GTFS feed, for checking our answers with
other tools (OpenTripPlanner, r5py, gtfs-kit ...).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd

from . import schema as S
from ._files import atomic_write, write_folder
from ._gtfs_read import (
    WEEKDAYS,
    Feed,
    Table,
    flag,
    integers,
    known,
    numbers,
    parse_dates,
    parse_times,
    read_feed,
    required_values,
    unique,
)
from ._tables import Collector
from .dataset import Dataset
from .errors import BeltGraphError, DataFileError, NoTimetableError

__all__ = [
    "DEFAULT_MIN_TRANSFER_MINUTES",
    "ROUTE_TYPE_NAMES",
    "WALK_RULE",
    "ExportSummary",
    "FeedError",
    "ImportSummary",
    "export_gtfs",
    "import_gtfs",
    "route_category",
]

#: Minutes between arriving and departing at one station where the feed gives none: an
#: assumption for buses, trams and metros (belt-graph's national rail default is 15).
DEFAULT_MIN_TRANSFER_MINUTES = 2.0

#: Walks between nearby stations (``max_walk_meters``): the great-circle distance times a route
#: factor, at a walking speed. An assumption, stated in the written datasheet.
WALK_RULE = {"route_factor": 1.3, "speed_kmh": 4.8}

#: Minutes of a link whose every trip takes no time between the two stops (the feed rounds two
#: close stops to the same minute): an estimate, flagged in the link's ``confidence``.
ZERO_LINK_MINUTES = 0.5

#: The basic GTFS route types, by name (``--route-types`` takes names or numbers).
ROUTE_TYPE_NAMES = {
    0: "tram",
    1: "subway",
    2: "rail",
    3: "bus",
    4: "ferry",
    5: "cable_tram",
    6: "aerial_lift",
    7: "funicular",
    11: "trolleybus",
    12: "monorail",
}

# Extended route types (hundreds) to the name of their basic category.
_EXTENDED = {
    1: "rail",
    2: "coach",
    3: "rail",  # suburban railway
    4: "subway",  # urban railway
    5: "subway",  # metro
    6: "subway",  # underground
    7: "bus",
    8: "trolleybus",
    9: "tram",
    10: "ferry",  # water transport
    11: "air",
    12: "ferry",
    13: "aerial_lift",
    14: "funicular",
    15: "taxi",
    16: "self_drive",
    17: "misc",
}

# Category name to a link mode of belt-graph (schema.LINK_MODES).
_MODE = {
    "tram": "tram",
    "subway": "metro",
    "monorail": "metro",
    "rail": "rail",
    "bus": "bus",
    "coach": "bus",
    "trolleybus": "bus",
    "ferry": "ferry",
    "cable_tram": "cable",
    "aerial_lift": "cable",
    "funicular": "cable",
    "air": "air",
    "taxi": "road",
    "self_drive": "road",
    "misc": "road",
}


def route_category(route_type: int) -> str:
    """The name of a GTFS route type's category: ``3`` and ``700`` are ``bus``.

    Examples
    --------
    >>> route_category(2), route_category(101), route_category(1), route_category(401)
    ('rail', 'rail', 'subway', 'subway')
    """
    if route_type in ROUTE_TYPE_NAMES:
        return ROUTE_TYPE_NAMES[route_type]
    return _EXTENDED.get(route_type // 100, "misc") if route_type >= 100 else "misc"


def _valid_route_type(t: int) -> bool:
    return t in ROUTE_TYPE_NAMES or (100 <= t < 1800 and t // 100 in _EXTENDED)


class FeedError(DataFileError):
    """A GTFS feed cannot be read: every problem found, each with its file, line and column."""


@dataclass(frozen=True)
class ImportSummary:
    """What :func:`import_gtfs` wrote.

    ``date`` is the service day imported; ``busiest`` says it was chosen as the date with the
    most trips (``trips_on_date``). ``warnings`` are what the feed gets wrong but could be read.
    """

    path: Path
    date: dt.date
    busiest: bool
    trips_on_date: int
    stations: int
    links: int
    calls: int
    trips: int
    walks: int
    warnings: list[str] = field(default_factory=list)


# --- checks of each file -------------------------------------------------------------------------


@dataclass
class _Parsed:
    """The checked, parsed columns of a feed that the import needs."""

    stops: pd.DataFrame  # stop_id, name, lat, lon, location_type, parent, station
    routes: pd.DataFrame  # route_id, agency_id, name, route_type
    trips: pd.DataFrame  # trip_id, route_id, service_id
    stop_times: pd.DataFrame  # trip, stop, seq, arr, dep (s), pickup, drop_off, dist
    services: pd.DataFrame  # service_id, date (datetime64[D]) where the service runs
    frequencies: pd.DataFrame  # trip_id, start, end, headway (s)
    transfers: pd.DataFrame  # from_stop, to_stop, type, seconds (NaN if none)
    agencies: pd.DataFrame
    special_transfers: int  # rules for particular routes or trips, left out


def _check_stops(t: Table, problems: Collector) -> pd.DataFrame:
    df = t.df
    required_values(t, ["stop_id"], problems)
    unique(t, ["stop_id"], problems, "stop_id")
    loc = integers(t, "location_type", problems, low=0, high=4, optional=True)
    lat = numbers(t, "stop_lat", problems, low=-90, high=90, optional=True)
    lon = numbers(t, "stop_lon", problems, low=-180, high=180, optional=True)
    placed = (loc >= 0) & (loc <= 2)
    flag(t, placed & np.isnan(lat) & (t.col("stop_lat") == ""), "stop_lat",
         "a stop, station or entrance needs coordinates", problems)  # fmt: skip
    flag(t, placed & np.isnan(lon) & (t.col("stop_lon") == ""), "stop_lon",
         "a stop, station or entrance needs coordinates", problems)  # fmt: skip
    parent = t.col("parent_station")
    ids = pd.Index(df["stop_id"])
    bad_parent = known(t, "parent_station", ids, problems, "parent_station", optional=True)
    loc_of = pd.Series(loc, index=df["stop_id"]).groupby(level=0).first()
    parent_loc = parent.map(loc_of).to_numpy()
    flag(
        t,
        (loc == 0) & (parent != "").to_numpy() & ~bad_parent & (parent_loc != 1),
        "parent_station",
        lambda pos: (
            f"the parent of a stop must be a station (location_type 1), {parent.iat[pos]!r} is not"
        ),
        problems,
    )
    flag(t, (loc == 1) & (parent != "").to_numpy(), "parent_station",
         "a station (location_type 1) cannot have a parent_station", problems)  # fmt: skip
    station = np.where((loc == 0) & (parent != "").to_numpy(), parent, df["stop_id"])
    return pd.DataFrame(
        {
            "stop_id": df["stop_id"].to_numpy(),
            "name": t.col("stop_name").str.strip().to_numpy(),
            "code": t.col("stop_code").to_numpy(),
            "lat": lat,
            "lon": lon,
            "location_type": loc,
            "station": station,
            "_pos": np.arange(len(df)),
        }
    )


def _check_agencies(t: Table | None, problems: Collector) -> pd.DataFrame:
    if t is None:
        return pd.DataFrame(
            columns=["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"]
        )
    required_values(t, ["agency_name", "agency_url", "agency_timezone"], problems)
    if len(t) > 1:
        required_values(t, ["agency_id"], problems)
    unique(t, ["agency_id"], problems, "agency_id")
    return pd.DataFrame(
        {
            c: t.col(c).to_numpy()
            for c in ("agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang")
        }
    )


def _check_routes(t: Table, agencies: pd.DataFrame, problems: Collector) -> pd.DataFrame:
    df = t.df
    required_values(t, ["route_id"], problems)
    unique(t, ["route_id"], problems, "route_id")
    rtype = integers(t, "route_type", problems, low=0, high=1799, optional=False)
    flag(
        t,
        (rtype >= 0) & ~np.vectorize(_valid_route_type, otypes=[bool])(rtype)
        if len(rtype)
        else np.zeros(0, dtype=bool),
        "route_type",
        lambda pos: f"unknown route type {df['route_type'].iat[pos]!r}",
        problems,
    )
    names = t.col("route_short_name").str.strip()
    long_names = t.col("route_long_name").str.strip()
    flag(t, (names == "") & (long_names == ""), "route_short_name",
         "a route needs a route_short_name or a route_long_name", problems)  # fmt: skip
    if len(agencies) and (agencies["agency_id"] != "").any():
        known(
            t,
            "agency_id",
            set(agencies["agency_id"].tolist()),
            problems,
            "agency_id",
            optional=True,
        )
    agency = t.col("agency_id")
    if len(agencies) == 1:
        agency = agency.where(agency != "", str(agencies["agency_id"].iat[0]))
    return pd.DataFrame(
        {
            "route_id": t.col("route_id"),
            "agency_id": agency,
            "line": names.where(names != "", long_names),
            "long_name": long_names,
            "route_type": rtype,
        }
    )


def _check_calendar(feed: Feed, problems: Collector) -> tuple[pd.DataFrame, set[str]]:
    """Every (service_id, date) on which a service runs, and every service_id defined."""
    services: dict[str, int] = {}
    keys = []  # service code << 32 | day number (days since 1970-01-01, offset to be >= 0)
    offset = 1 << 20

    def code(sid: str) -> int:
        return services.setdefault(sid, len(services))

    cal = feed.get("calendar.txt")
    if cal is not None:
        required_values(cal, ["service_id"], problems)
        unique(cal, ["service_id"], problems, "service_id")
        days = np.stack(
            [integers(cal, d, problems, low=0, high=1, optional=False) for d in WEEKDAYS], axis=1
        )
        start = parse_dates(cal, "start_date", problems)
        end = parse_dates(cal, "end_date", problems)
        flag(cal, start > end, "end_date", "is before start_date", problems)
        for sid, mask, a, b in zip(cal.df["service_id"].tolist(), days, start, end, strict=True):
            c = code(sid)
            if np.isnat(a) or np.isnat(b) or a > b or (mask < 0).any():
                continue
            day = np.arange(a.astype(np.int64), b.astype(np.int64) + 1)
            keep = mask[(day - 4) % 7] == 1  # 1970-01-01 was a Thursday
            keys.append((c << 32) | (day[keep] + offset))
    base = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    cd = feed.get("calendar_dates.txt")
    if cd is not None:
        required_values(cd, ["service_id"], problems)
        date = parse_dates(cd, "date", problems)
        kind = integers(cd, "exception_type", problems, low=1, high=2, optional=False)
        unique(cd, ["service_id", "date"], problems, "service_id and date")
        codes = np.array([code(x) for x in cd.df["service_id"].tolist()], dtype=np.int64)
        ok = ~np.isnat(date) & (kind > 0)
        ex = (codes << 32) | (date.astype(np.int64) + offset)
        base = np.setdiff1d(base, ex[ok & (kind == 2)])
        base = np.union1d(base, ex[ok & (kind == 1)])
    base = np.unique(base)
    names = np.array(list(services), dtype=object)
    runs = pd.DataFrame(
        {
            "service_id": pd.Series(names[base >> 32] if len(names) else [], dtype=object),
            "date": ((base & 0xFFFFFFFF) - offset).astype("datetime64[D]"),
        }
    )
    return runs, set(services)


def _check_trips(
    t: Table, routes: pd.DataFrame, services: set[str], problems: Collector
) -> pd.DataFrame:
    required_values(t, ["trip_id"], problems)
    unique(t, ["trip_id"], problems, "trip_id")
    known(t, "route_id", set(routes["route_id"].tolist()), problems, "route_id")
    known(
        t,
        "service_id",
        services,
        problems,
        "service_id (in neither calendar.txt nor calendar_dates.txt)",
    )
    return t.df[["trip_id", "route_id", "service_id"]]


def _check_stop_times(
    t: Table, trips: pd.DataFrame, stops: pd.DataFrame, problems: Collector
) -> pd.DataFrame:
    df = t.df
    bad_trip = known(t, "trip_id", set(trips["trip_id"].tolist()), problems, "trip_id")
    loc = stops.set_index("stop_id")["location_type"]
    bad_stop = known(t, "stop_id", pd.Index(stops["stop_id"]), problems, "stop_id")
    stop_loc = df["stop_id"].map(loc).to_numpy()
    flag(
        t,
        ~bad_stop & (stop_loc != 0),
        "stop_id",
        lambda pos: (
            f"{df['stop_id'].iat[pos]!r} is not a stop or platform (location_type 0): "
            "trips call at stops, not at stations or entrances"
        ),
        problems,
    )
    seq = integers(t, "stop_sequence", problems, low=0, high=10**9, optional=False)
    arr = parse_times(t, "arrival_time", problems)
    dep = parse_times(t, "departure_time", problems)
    pickup = integers(t, "pickup_type", problems, low=0, high=3, optional=True)
    drop_off = integers(t, "drop_off_type", problems, low=0, high=3, optional=True)
    dist = numbers(t, "shape_dist_traveled", problems, low=0, high=1e12, optional=True)
    # one of the two times stands for both
    arr = np.where(np.isnan(arr), dep, arr)
    dep = np.where(np.isnan(dep), arr, dep)
    flag(t, dep < arr, "departure_time", "departs before it arrives", problems)
    out = pd.DataFrame(
        {
            "trip": t.col("trip_id").to_numpy(),
            "stop": df["stop_id"].to_numpy(),
            "seq": seq,
            "arr": arr,
            "dep": dep,
            "pickup": pickup,
            "drop_off": drop_off,
            "dist": dist,
            "_pos": np.arange(len(df)),
        }
    )
    out = out[~bad_trip & ~bad_stop & (seq >= 0)]
    out = _sort_calls(out)
    trip = out["trip"].to_numpy()
    same = np.concatenate(([False], trip[1:] == trip[:-1]))
    first = ~same
    last = np.concatenate((~same[1:], [True]))
    seqs = out["seq"].to_numpy()
    pos = out["_pos"].to_numpy()

    def at(mask: np.ndarray, column: str, message: str | Callable[[int], str]) -> None:
        rows = np.flatnonzero(mask)
        full = np.zeros(len(df), dtype=bool)
        full[pos[rows]] = True
        if callable(message):
            inner = message
            where = dict(zip(pos[rows].tolist(), rows.tolist(), strict=True))
            flag(t, full, column, lambda p: inner(where[p]), problems)
        else:
            flag(t, full, column, message, problems)

    dup = same & np.concatenate(([False], seqs[1:] == seqs[:-1]))
    at(dup, "stop_sequence", lambda r: f"repeats stop_sequence {seqs[r]} of trip {trip[r]!r}")
    a, d = out["arr"].to_numpy(), out["dep"].to_numpy()
    at((first | last) & np.isnan(a), "arrival_time",
       "the first and the last stop of a trip need times")  # fmt: skip
    prev_dep = np.concatenate(([np.nan], d[:-1]))
    back = same & (a < prev_dep)
    at(back, "arrival_time", "arrives before the trip left its previous stop")
    one_call = first & last
    at(one_call, "trip_id", lambda r: f"trip {trip[r]!r} has only one stop")
    return out


def _sort_calls(df: pd.DataFrame) -> pd.DataFrame:
    """Calls in order of trip (first appearance in the file) and stop_sequence."""
    codes, _ = pd.factorize(df["trip"], sort=False)
    seq = df["seq"].to_numpy()
    if len(codes) > 1:
        same = codes[1:] == codes[:-1]
        grouped = len(np.unique(codes[1:][~same])) == int((~same).sum())
        if grouped and (same <= (seq[1:] > seq[:-1])).all():
            return df.reset_index(drop=True)  # already in order, as feeds usually are
    order = np.lexsort((seq, codes))
    return df.iloc[order].reset_index(drop=True)


def _check_frequencies(t: Table | None, trips: pd.DataFrame, problems: Collector) -> pd.DataFrame:
    cols = ["trip_id", "start", "end", "headway"]
    if t is None:
        return pd.DataFrame(columns=cols)
    bad = known(t, "trip_id", set(trips["trip_id"].tolist()), problems, "trip_id")
    start = parse_times(t, "start_time", problems)
    end = parse_times(t, "end_time", problems)
    headway = integers(t, "headway_secs", problems, low=1, high=86_400 * 7, optional=False)
    integers(t, "exact_times", problems, low=0, high=1, optional=True)
    flag(t, end <= start, "end_time", "is not after start_time", problems)
    ok = ~bad & ~np.isnan(start) & ~np.isnan(end) & (headway > 0) & (end > start)
    return pd.DataFrame(
        {
            "trip_id": t.df["trip_id"].to_numpy()[ok],
            "start": start[ok],
            "end": end[ok],
            "headway": headway[ok],
        }
    )


def _check_transfers(
    t: Table | None, stops: pd.DataFrame, problems: Collector
) -> tuple[pd.DataFrame, int]:
    cols = ["from_stop", "to_stop", "type", "seconds", "_pos"]
    if t is None:
        return pd.DataFrame(columns=cols), 0
    ids = pd.Index(stops["stop_id"])
    b1 = known(t, "from_stop_id", ids, problems, "stop_id", optional=True)
    b2 = known(t, "to_stop_id", ids, problems, "stop_id", optional=True)
    kind = integers(t, "transfer_type", problems, low=0, high=5, optional=True)
    secs = numbers(t, "min_transfer_time", problems, low=0, high=86_400, optional=True)
    flag(t, (kind == 2) & np.isnan(secs), "min_transfer_time",
         "transfer_type 2 needs a min_transfer_time", problems)  # fmt: skip
    df = t.df
    ok = ~b1 & ~b2 & (kind >= 0) & (df["from_stop_id"] != "").to_numpy()
    ok &= (df["to_stop_id"] != "").to_numpy()
    # rules for particular trips or routes are beyond a station-level model
    special = (
        (t.col("from_trip_id") != "") | (t.col("to_trip_id") != "")
        | (t.col("from_route_id") != "") | (t.col("to_route_id") != "")
    ).to_numpy()  # fmt: skip
    use = ok & ~special
    table = pd.DataFrame(
        {
            "from_stop": df["from_stop_id"].to_numpy()[use],
            "to_stop": df["to_stop_id"].to_numpy()[use],
            "type": kind[use],
            "seconds": secs[use],
            "_pos": np.flatnonzero(use),
        }
    )
    return table, int(special.sum())


def _check(feed: Feed, problems: Collector) -> _Parsed:
    agencies = _check_agencies(feed.get("agency.txt"), problems)
    stops = _check_stops(feed["stops.txt"], problems)
    routes = _check_routes(feed["routes.txt"], agencies, problems)
    services, defined = _check_calendar(feed, problems)
    trips = _check_trips(feed["trips.txt"], routes, defined, problems)
    unique_stops = stops.drop_duplicates("stop_id")  # a duplicate is already a problem
    stop_times = _check_stop_times(feed["stop_times.txt"], trips, unique_stops, problems)
    frequencies = _check_frequencies(feed.get("frequencies.txt"), trips, problems)
    transfers, special = _check_transfers(feed.get("transfers.txt"), unique_stops, problems)
    return _Parsed(
        stops, routes, trips, stop_times, services, frequencies, transfers, agencies, special
    )


# --- the service day -----------------------------------------------------------------------------


def _trips_per_date(services: pd.DataFrame, trips: pd.DataFrame) -> pd.Series:
    """Trips running on each date (dates with none left out), sorted by date."""
    per_service = trips["service_id"].value_counts()
    counts = services["service_id"].map(per_service).fillna(0).astype(np.int64)
    by_date = counts.groupby(services["date"].to_numpy()).sum()
    return by_date[by_date > 0].sort_index()


def _choose_date(
    services: pd.DataFrame, trips: pd.DataFrame, date: dt.date | None
) -> tuple[dt.date, bool, int]:
    per_date = _trips_per_date(services, trips)
    if not len(per_date):
        raise BeltGraphError("no trip of the feed (after the filters) runs on any date")
    if date is None:
        best = per_date[per_date == per_date.max()].index[0]  # ties: the earliest date
        return pd.Timestamp(best).date(), True, int(per_date.max())
    key = np.datetime64(date, "D")
    if key not in per_date.index:
        first = pd.Timestamp(per_date.index[0]).date()
        last = pd.Timestamp(per_date.index[-1]).date()
        raise BeltGraphError(
            f"no trip (after the filters) runs on {date.isoformat()}; the feed's trips run "
            f"on dates from {first} to {last} (without --date: the date with the most trips)"
        )
    return date, False, int(per_date.loc[key])


# --- building the dataset ------------------------------------------------------------------------


def _select_routes(
    routes: pd.DataFrame,
    agencies: pd.DataFrame,
    route_types: Iterable[str] | None,
    agency: Iterable[str] | None,
) -> pd.DataFrame:
    keep = np.ones(len(routes), dtype=bool)
    if route_types:
        wanted = [str(x).strip().lower() for x in route_types if str(x).strip()]
        names = {"metro": "subway", "underground": "subway", "train": "rail"}
        cats = routes["route_type"].map(route_category)
        hit = np.zeros(len(routes), dtype=bool)
        valid = set(ROUTE_TYPE_NAMES.values()) | set(_EXTENDED.values()) | set(names)
        for w in wanted:
            if w.isdigit():
                hit |= (routes["route_type"] == int(w)).to_numpy()
            elif w in valid:
                hit |= (cats == names.get(w, w)).to_numpy()
            else:
                raise BeltGraphError(
                    f"unknown route type {w!r}: give GTFS numbers or names "
                    f"({', '.join(sorted(valid))})"
                )
        keep &= hit
    if agency:
        names_wanted = {str(a).strip().casefold() for a in agency if str(a).strip()}
        ids = {
            str(r["agency_id"])
            for r in agencies.to_dict("records")
            if str(r["agency_id"]).casefold() in names_wanted
            or str(r["agency_name"]).strip().casefold() in names_wanted
        }
        if not ids:
            listed = "; ".join(
                f"{r['agency_id'] or '(no id)'}: {r['agency_name']}"
                for r in agencies.to_dict("records")
            )
            raise BeltGraphError(
                f"no agency matches {', '.join(sorted(names_wanted))}; the feed's agencies: "
                f"{listed or 'none (no agency.txt)'}"
            )
        keep &= routes["agency_id"].isin(ids).to_numpy()
    if not keep.any():
        raise BeltGraphError("no route of the feed matches --route-types and --agency")
    return routes[keep]


def _expand_frequencies(st: pd.DataFrame, freq: pd.DataFrame) -> pd.DataFrame:
    """Replace each trip of ``frequencies.txt`` by one trip per start (``trip@HH:MM:SS``)."""
    if not len(freq):
        return st
    templated = st["trip"].isin(set(freq["trip_id"].tolist()))
    plain = st[~templated]
    parts = [plain]
    first_dep = st[templated].groupby("trip")["dep"].min()
    for trip_id, rows in st[templated].groupby("trip", sort=True):
        t0 = first_dep[trip_id]
        for f in freq[freq["trip_id"] == trip_id].itertuples(index=False):
            for start in range(int(f.start), int(f.end), int(f.headway)):
                shift = start - t0
                copy = rows.copy()
                copy["arr"] = copy["arr"] + shift
                copy["dep"] = copy["dep"] + shift
                copy["trip"] = f"{trip_id}@{_clock(start)}"
                parts.append(copy)
    return pd.concat(parts, ignore_index=True)


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def _interpolate(st: pd.DataFrame, stops: pd.DataFrame) -> int:
    """Fill the times of calls between timepoints, in place: linear in the distance travelled
    (``shape_dist_traveled`` where the trip gives it, else great-circle between the stops).
    Returns how many calls were filled."""
    arr = st["arr"].to_numpy(dtype=float).copy()
    missing = np.isnan(arr)
    if not missing.any():
        return 0
    coords = stops.set_index("stop_id")[["lat", "lon"]]
    trip = st["trip"].to_numpy()
    bounds = np.flatnonzero(np.concatenate(([True], trip[1:] != trip[:-1], [True])))
    starts = bounds[:-1]
    owner = np.searchsorted(starts, np.flatnonzero(missing), side="right") - 1
    dist_all = st["dist"].to_numpy(dtype=float)
    stop_all = st["stop"].to_numpy()
    spans = [(int(bounds[k]), int(bounds[k + 1])) for k in np.unique(owner)]
    rows = np.concatenate([np.arange(lo, hi) for lo, hi in spans])
    ll_rows = coords.reindex(stop_all[rows]).to_numpy(dtype=float)
    ll_of = dict(zip(rows.tolist(), range(len(rows)), strict=True))
    for lo, hi in spans:
        dist = dist_all[lo:hi]
        if np.isnan(dist).any():
            ll = ll_rows[ll_of[lo] : ll_of[lo] + hi - lo]
            steps = _haversine_km(ll[:-1, 0], ll[:-1, 1], ll[1:, 0], ll[1:, 1])
            dist = np.concatenate(([0.0], np.cumsum(np.where(np.isnan(steps), 0.0, steps))))
            if dist[-1] == 0:
                dist = np.arange(hi - lo, dtype=float)
        a = arr[lo:hi]
        known_ = ~np.isnan(a)
        arr[lo:hi] = np.where(known_, a, np.round(np.interp(dist, dist[known_], a[known_])))
    st["dep"] = np.where(missing, arr, st["dep"].to_numpy(dtype=float))
    st["arr"] = arr
    return int(missing.sum())


def _collapse(st: pd.DataFrame) -> pd.DataFrame:
    """Merge consecutive calls of a trip at one station (two platforms of one station, or a
    repeated stop) into one call: the first's arrival and drop-off, the last's departure and
    pickup."""
    trip = st["trip"].to_numpy()
    station = st["station"].to_numpy()
    same = (trip[1:] == trip[:-1]) & (station[1:] == station[:-1])
    if not same.any():
        return st
    first = np.flatnonzero(np.concatenate(([True], ~same)))
    last = np.concatenate((first[1:] - 1, [len(st) - 1]))
    out = st.iloc[first].reset_index(drop=True)
    for col in ("dep", "pickup"):
        out[col] = st[col].to_numpy()[last]
    return out


def _links(
    st: pd.DataFrame, routes: pd.DataFrame, year: int, feed_name: str
) -> tuple[pd.DataFrame, int]:
    """One link per pair of stations consecutive in some trip (see the module docstring)."""
    trip = st["trip"].to_numpy()
    station = st["station"].to_numpy()
    codes, names = pd.factorize(station, sort=True)  # code order is id order
    nxt = (trip[1:] == trip[:-1]) & (codes[1:] != codes[:-1])
    a, b = codes[:-1][nxt], codes[1:][nxt]
    u, v = np.minimum(a, b), np.maximum(a, b)
    dep = st["dep"].to_numpy(dtype=float)[:-1][nxt]
    arr = st["arr"].to_numpy(dtype=float)[1:][nxt]
    minutes = (arr - dep) / 60.0
    key = u.astype(np.int64) * len(names) + v
    zero = minutes <= 0
    ride = np.flatnonzero(nxt)  # position of each ride's first call in st
    # per pair: the fastest positive ride (ties: the earliest in the file); where every ride
    # takes 0 s, the first one, with an estimated time
    order = np.lexsort((ride, minutes, zero, key))
    first = np.concatenate(([True], key[order][1:] != key[order][:-1]))
    best = order[first]
    n_trips = np.diff(np.flatnonzero(np.concatenate((first, [True]))))
    is_zero = zero[best]
    r = routes.set_index("route_id")
    mode_of_route = r["route_type"].map(lambda x: _MODE[route_category(int(x))])
    route = st["route_id"].to_numpy()[:-1][nxt][best]
    trips_best = trip[:-1][nxt][best]
    names_l = list(map(str, names))
    frm = [names_l[i] for i in a[best]]
    to = [names_l[i] for i in b[best]]
    dep_t = _seconds_text(dep[best])
    arr_t = _seconds_text(arr[best])
    evidence = [
        f"every trip takes 0 s between the two stops; {ZERO_LINK_MINUTES} min estimated"
        if z
        else f"trip {t} {f} {d} -> {g} {ar}"
        for z, t, f, d, g, ar in zip(is_zero, trips_best, frm, dep_t, to, arr_t, strict=True)
    ]
    minutes_best = np.where(is_zero, ZERO_LINK_MINUTES, minutes[best])
    express = _express_pairs(st)
    source = [names_l[i] for i in u[best]]
    target = [names_l[i] for i in v[best]]
    links = pd.DataFrame(
        {
            "source": source,
            "target": target,
            "minutes": [f"{m:.10g}" for m in minutes_best],
            "mode": pd.Series(route).map(mode_of_route).to_numpy(),
            "line": pd.Series(route).map(r["line"]).to_numpy(),
            "status": "open",
            "kind": [
                "service" if (x, y) in express else "track"
                for x, y in zip(source, target, strict=True)
            ],
            "confidence": np.where(is_zero, "estimated", "high"),
            "data_year": str(year),
            "trips": n_trips.astype(str),
            "fastest_trip": trips_best,
            "evidence": evidence,
            "source_ref": f"GTFS feed {feed_name}: stop_times.txt",
        }
    )
    return links, int(is_zero.sum())


def _express_pairs(st: pd.DataFrame) -> set[tuple[str, str]]:
    """Pairs of stations consecutive in some trip that some trip calls at with other stations
    between them (an express passes stops there): their link is a ``service``, not ``track``.

    A loop that calls at a station twice counts the nearest calls of the two.
    """
    trip = st["trip"].to_numpy()
    station = st["station"].to_numpy()
    bounds = np.flatnonzero(np.concatenate(([True], trip[1:] != trip[:-1], [True])))
    patterns = {tuple(station[s:e]) for s, e in itertools.pairwise(bounds)}
    positions: list[dict[str, list[int]]] = []
    having: dict[str, set[int]] = {}
    consecutive: set[tuple[str, str]] = set()
    for n, p in enumerate(patterns):
        where: dict[str, list[int]] = {}
        for i, x in enumerate(p):
            where.setdefault(x, []).append(i)
            having.setdefault(x, set()).add(n)
        positions.append(where)
        for x, y in itertools.pairwise(p):
            if x != y:
                consecutive.add((x, y) if x < y else (y, x))
    express = set()
    for x, y in consecutive:
        for n in having[x] & having[y]:
            px, py = positions[n][x], positions[n][y]
            if min(abs(i - j) for i in px for j in py) > 1:
                express.add((x, y))
                break
    return express


def _walk_pairs(nodes: pd.DataFrame, max_meters: float) -> list[tuple[str, str, float, float]]:
    """Pairs of stations within ``max_meters`` (great-circle): (a, b, metres, minutes)."""
    if max_meters <= 0 or len(nodes) < 2:
        return []
    from scipy.spatial import cKDTree

    lat = nodes["lat"].to_numpy(dtype=float)
    lon = nodes["lon"].to_numpy(dtype=float)
    lat0 = math.radians(float(np.mean(lat)))
    xy = np.column_stack(
        (np.radians(lon) * math.cos(lat0) * 6_371_000.0, np.radians(lat) * 6_371_000.0)
    )
    tree = cKDTree(xy)
    # the planar distance is within a fraction of a percent of the great-circle one at
    # walking range; the exact check below uses the great-circle distance
    pairs = tree.query_pairs(max_meters * 1.01, output_type="ndarray")
    out = []
    ids = nodes["id"].to_numpy()
    if len(pairs):
        metres = _haversine_km(
            lat[pairs[:, 0]], lon[pairs[:, 0]], lat[pairs[:, 1]], lon[pairs[:, 1]]
        )
        metres = np.asarray(metres) * 1000.0
        rule = WALK_RULE
        for (i, j), m in zip(pairs, metres, strict=True):
            if m <= max_meters:
                minutes = m / 1000.0 * rule["route_factor"] / rule["speed_kmh"] * 60.0
                # to the second, as GTFS times are (so that an export round-trips)
                minutes = max(round(minutes * 60), 1) / 60
                a, b = sorted((str(ids[i]), str(ids[j])))
                out.append((a, b, float(m), minutes))
    return sorted(out)


def _seconds_text(values: np.ndarray) -> np.ndarray:
    """``HH:MM:SS`` of seconds (empty for NaN), formatting each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = np.array([_clock(v) for v in uniques] + [""], dtype=object)
    return text[codes] if len(codes) else np.zeros(0, dtype=object)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _text_in_python_strings(f: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``f`` with pandas' text in Python strings (numpy object arrays).

    pandas keeps text in pyarrow arrays when pyarrow is installed (the [parquet] and [dask]
    extras bring it); the import works on numpy object arrays throughout, and converting every
    column back and forth made it about 60 % slower (Cairns: 247 ms against 155 ms).
    """

    @functools.wraps(f)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with pd.option_context("mode.string_storage", "python"):
            return f(*args, **kwargs)

    return wrapper


@_text_in_python_strings
def import_gtfs(
    feed: str | Path,
    output: str | Path,
    *,
    date: dt.date | None = None,
    route_types: Iterable[str] | None = None,
    agencies: Iterable[str] | None = None,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    max_walk_meters: float = 0.0,
    force: bool = False,
    warn: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Read a GTFS feed and write a dataset folder of its stations and one day's timetable.

    Parameters
    ----------
    feed : str or Path
        A GTFS ``.zip`` file or a folder of its ``.txt`` files.
    output : str or Path
        The dataset folder to write (whole or not at all; ``force`` to replace a folder).
    date : datetime.date, optional
        The service day to import. Default: the date with the most trips (earliest of ties).
    route_types : iterable of str, optional
        Keep only routes of these types: GTFS numbers (``3``, ``101``) or names (``rail``,
        ``subway`` or ``metro``, ``bus``, ``tram``, ``ferry`` ...; a name covers the extended
        types of its category, ``rail`` also 100-199).
    agencies : iterable of str, optional
        Keep only routes of these agencies (``agency_id`` or ``agency_name``).
    min_transfer_minutes : float, default 2
        Minimum minutes between arriving and departing at a station that ``transfers.txt``
        gives no time for (written to every station's ``min_transfer_minutes``).
    max_walk_meters : float, default 0 (no walks)
        Also join stations within this great-circle distance by a walk (:data:`WALK_RULE`).
    warn : callable, optional
        Told each warning (what the feed gets wrong but could be read).

    Raises
    ------
    FeedError
        Listing every problem of the feed with its file, line and column.
    BeltGraphError
        If no trip runs on ``date`` or no route matches the filters.
    OutputError
        If ``output`` cannot or may not be written.
    """
    feed = Path(feed)
    if not math.isfinite(min_transfer_minutes) or not 0 <= min_transfer_minutes <= 1440:
        raise ValueError(f"min_transfer_minutes must be 0 to 1,440, got {min_transfer_minutes!r}")
    if not math.isfinite(max_walk_meters) or not 0 <= max_walk_meters <= 10_000:
        raise ValueError(f"max_walk_meters must be 0 to 10,000, got {max_walk_meters!r}")
    problems = Collector()
    f = read_feed(feed, problems)
    problems.raise_if_any(FeedError)
    p = _check(f, problems)
    problems.raise_if_any(FeedError)
    notes = list(f.warnings)
    unused = set(p.stops.loc[p.stops["location_type"] == 0, "stop_id"].tolist()) - set(
        pd.unique(p.stop_times["stop"].to_numpy()).tolist()
    )
    if unused:
        notes.append(
            f"{f['stops.txt'].label}: {len(unused):,} stop(s) no trip calls at "
            f"(e.g. {sorted(unused)[0]!r}); left out"
        )
    if p.special_transfers:
        notes.append(
            f"{f['transfers.txt'].label}: {p.special_transfers:,} rule(s) for "
            "particular routes or trips; left out (belt-graph's changes are per station)"
        )
    routes = _select_routes(p.routes, p.agencies, route_types, agencies)
    trips = p.trips[p.trips["route_id"].isin(set(routes["route_id"].tolist()))]
    day, busiest, n_trips = _choose_date(p.services, trips, date)
    running = set(
        p.services.loc[p.services["date"] == np.datetime64(day, "D"), "service_id"].tolist()
    )
    trips = trips[trips["service_id"].isin(running)]
    st = p.stop_times[p.stop_times["trip"].isin(set(trips["trip_id"].tolist()))].copy()
    interpolated = _interpolate(st, p.stops)
    st["route_id"] = st["trip"].map(trips.set_index("trip_id")["route_id"])
    if len(p.frequencies):  # the copies of a trip go to the end: sort again
        st = _sort_calls(_expand_frequencies(st, p.frequencies))
    station_of = p.stops.set_index("stop_id")["station"]
    st["station"] = st["stop"].map(station_of).to_numpy()
    st = _collapse(st.reset_index(drop=True))
    links, zero_links = _links(st, routes, day.year, feed.name)
    nodes = _nodes(p, st, f, problems)
    problems.raise_if_any(FeedError)
    change, transfer_links, n_rule = _transfers(
        p, nodes, links, max_walk_meters, feed.name, day.year
    )
    nodes["min_transfer_minutes"] = [
        f"{change.get(i, min_transfer_minutes):.10g}" for i in nodes["id"].tolist()
    ]
    nodes["min_transfer_source"] = [
        "GTFS transfers.txt" if i in change else "assumption (--min-transfer-minutes)"
        for i in nodes["id"].tolist()
    ]
    links = pd.concat([links, transfer_links], ignore_index=True).fillna("")
    timetable = _timetable(st, routes)
    for n in notes:
        if warn is not None:
            warn(n)
    info = {
        "feed": feed,
        "date": day,
        "busiest": busiest,
        "trips": n_trips,
        "routes": routes,
        "agencies": p.agencies,
        "feed_info": f.get("feed_info.txt"),
        "attributions": f.get("attributions.txt"),
        "route_types": list(route_types or []),
        "agency_filter": list(agencies or []),
        "min_transfer": min_transfer_minutes,
        "max_walk": max_walk_meters,
        "own_change": len(change),
        "transfer_links": int((transfer_links["method"] == "transfers.txt").sum())
        if len(transfer_links)
        else 0,
        "walk_links": n_rule,
        "interpolated": interpolated,
        "zero_links": zero_links,
        "frequencies": len(p.frequencies),
        "warnings": notes,
        "n_nodes": len(nodes),
        "n_links": len(links),
        "n_calls": len(timetable),
        "n_train": timetable["train"].nunique(),
        "express": int((links["kind"] == "service").sum()),
    }
    out = Path(output)

    def build(tmp: Path) -> None:
        _write_csv(tmp / S.NODES_FILE, nodes)
        _write_csv(tmp / S.LINKS_FILE, links)
        _write_csv(tmp / S.TIMETABLE_FILE, timetable)
        _write_csv(tmp / S.METADATA_FILE, _metadata(info))
        (tmp / "README.md").write_text(_datasheet(info), encoding="utf-8")
        (tmp / "attribution.txt").write_text(_attribution(info) + "\n", encoding="utf-8")

    write_folder(out, build, force=force, protect=[feed] if feed.is_dir() else [])
    return ImportSummary(
        path=out,
        date=day,
        busiest=busiest,
        trips_on_date=n_trips,
        stations=len(nodes),
        links=len(links),
        calls=len(timetable),
        trips=int(info["n_train"]),
        walks=len(transfer_links),
        warnings=notes,
    )


def _nodes(p: _Parsed, st: pd.DataFrame, f: Feed, problems: Collector) -> pd.DataFrame:
    used = np.sort(pd.unique(st["station"].to_numpy()))
    stops = p.stops.set_index("stop_id")
    rows = stops.loc[used]
    merged = p.stops[p.stops["location_type"] == 0].groupby("station").size()
    ids = rows.index.to_numpy()
    name = rows["name"].to_numpy()
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": np.where(name == "", ids, name),
            "kind": "station",
            "lat": [f"{x:.7f}" for x in rows["lat"].tolist()],
            "lon": [f"{x:.7f}" for x in rows["lon"].tolist()],
            "coord_status": "sourced",
            "coord_source": "GTFS stops.txt",
            "stop_code": rows["code"].to_numpy(),
            "gtfs_stops": merged.reindex(ids).fillna(1).astype(int).astype(str).to_numpy(),
        }
    )
    t = f["stops.txt"]
    line_of = dict(zip(ids.tolist(), t.line(rows["_pos"].to_numpy()), strict=True))
    seen: dict[str, str] = {}
    for node_id, node_name in zip(ids.tolist(), nodes["name"].tolist(), strict=True):
        where = (t.label, line_of[node_id])
        if len(node_id) > S.MAX_ID_CHARS:
            problems.add(*where, "stop_id", f"is {len(node_id)} characters long (belt-graph "
                         f"ids: at most {S.MAX_ID_CHARS})")  # fmt: skip
        if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in node_id):
            problems.add(*where, "stop_id", "contains a control character or line break")
        if len(node_name) > S.MAX_NAME_CHARS:
            problems.add(*where, "stop_name", f"is {len(node_name)} characters long "
                         f"(belt-graph names: at most {S.MAX_NAME_CHARS})")  # fmt: skip
        key = unicodedata.normalize("NFKC", node_id).casefold()
        if key in seen:
            problems.add(*where, "stop_id",
                         f"{node_id!r} differs from {seen[key]!r} only by case or character "
                         "width; belt-graph looks stations up ignoring both")  # fmt: skip
        seen[key] = node_id
    return nodes


def _transfers(
    p: _Parsed,
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    max_walk: float,
    feed_name: str,
    year: int,
) -> tuple[dict[str, float], pd.DataFrame, int]:
    """Each station's own change minutes, and transfer links (from transfers.txt and walks)."""
    station_of = p.stops.set_index("stop_id")["station"]
    known_ = set(nodes["id"].tolist())
    change: dict[str, float] = {}
    rows: dict[tuple[str, str], dict[str, object]] = {}
    forbidden: set[tuple[str, str]] = set()
    pos = nodes.set_index("id")[["lat", "lon"]].astype(float)
    t = p.transfers
    for r in t.itertuples(index=False):
        a, b = station_of.get(r.from_stop), station_of.get(r.to_stop)
        if a not in known_ or b not in known_:
            continue
        if r.type == 3:
            forbidden.add((min(a, b), max(a, b)))
            continue
        if r.type not in (0, 1, 2):
            continue  # in-seat transfers (4, 5): the same vehicle goes on
        secs = float(r.seconds) if r.type == 2 else math.nan
        if a == b:
            if not math.isnan(secs):  # several rules of one station: the longest
                change[a] = max(change.get(a, 0.0), secs / 60.0)
            continue
        k = (min(a, b), max(a, b))
        if math.isnan(secs):
            km = float(_haversine_km(*pos.loc[a], *pos.loc[b]))
            minutes = km * WALK_RULE["route_factor"] / WALK_RULE["speed_kmh"] * 60
            how = f"transfers.txt (type {r.type}, no time): walk rule"
        else:
            minutes = secs / 60.0
            how = "transfers.txt min_transfer_time"
        old = rows.get(k)
        if old is None or float(str(old["minutes"])) > minutes:
            rows[k] = {
                "source": k[0],
                "target": k[1],
                "minutes": f"{max(minutes, 1 / 60):.10g}",
                "mode": "walk",
                "line": "",
                "status": "open",
                "kind": "transfer",
                "confidence": "high" if not math.isnan(secs) else "estimated",
                "method": "transfers.txt",
                "data_year": "" if math.isnan(secs) else str(year),
                "evidence": how,
                "source_ref": f"GTFS feed {feed_name}: transfers.txt",
            }
    walks = 0
    rule = WALK_RULE
    for a, b, metres, minutes in _walk_pairs(nodes, max_walk):
        if (a, b) in rows or (a, b) in forbidden:
            continue
        walks += 1
        rows[(a, b)] = {
            "source": a,
            "target": b,
            "minutes": f"{minutes:.10g}",
            "mode": "walk",
            "line": "",
            "status": "open",
            "kind": "transfer",
            "confidence": "estimated",
            "method": "walk_rule",
            "evidence": f"great-circle {metres:.0f} m",
            "source_ref": (
                f"estimated: great-circle distance x route factor {rule['route_factor']} / "
                f"{rule['speed_kmh']} km/h walking (max {max_walk:g} m)"
            ),
        }
    transfer = pd.DataFrame(list(rows.values()))
    return change, transfer, walks


def _timetable(st: pd.DataFrame, routes: pd.DataFrame) -> pd.DataFrame:
    trip = st["trip"].to_numpy()
    starts = np.concatenate(([True], trip[1:] != trip[:-1]))
    group = np.cumsum(starts) - 1
    first_index = np.flatnonzero(starts)
    sequence = np.arange(len(st)) - first_index[group] + 1
    r = routes.set_index("route_id")
    ends = np.concatenate((trip[1:] != trip[:-1], [True]))
    arr = st["arr"].to_numpy(dtype=float).copy()
    dep = st["dep"].to_numpy(dtype=float).copy()
    arr[starts] = np.nan  # nobody arrives at the first call, nobody leaves from the last
    dep[ends] = np.nan
    return pd.DataFrame(
        {
            "train": trip,
            "sequence": sequence,
            "station": st["station"].to_numpy(),
            "arrival": _seconds_text(arr),
            "departure": _seconds_text(dep),
            "line": st["route_id"].map(r["line"]).to_numpy(),
            "mode": st["route_id"]
            .map(r["route_type"].map(lambda x: _MODE[route_category(int(x))]))
            .to_numpy(),
            "pickup": np.where(st["pickup"].to_numpy() == 1, "no", ""),
            "drop_off": np.where(st["drop_off"].to_numpy() == 1, "no", ""),
        }
    )


def _write_csv(path: Path, df: pd.DataFrame) -> None:
    """Write a table as CSV (quoted only where a value needs it), quickly."""
    cols = []
    for c in df.columns:
        values = df[c].to_numpy()
        text = values.tolist() if values.dtype == object else values.astype(str).tolist()
        try:
            joined = "\x1e".join(text)
        except TypeError:  # not all text
            text = [v if isinstance(v, str) else str(v) for v in text]
            joined = "\x1e".join(text)
        if "," in joined or '"' in joined or "\n" in joined or "\r" in joined:
            text = [_quote(v) for v in text]
        cols.append(text)
    header = ",".join(_quote(str(c)) for c in df.columns)
    body = "\n".join(map(",".join, zip(*cols, strict=True)))
    path.write_text(header + "\n" + body + ("\n" if body else ""), encoding="utf-8")


def _quote(v: str) -> str:
    if "," in v or '"' in v or "\n" in v or "\r" in v:
        return '"' + v.replace('"', '""') + '"'
    return v


def _feed_info(info: dict[str, Any]) -> dict[str, str]:
    t = info["feed_info"]
    if t is None or not len(t):
        return {}
    return {str(k): str(v) for k, v in t.df.iloc[0].to_dict().items()}


def _metadata(info: dict[str, Any]) -> pd.DataFrame:
    ag = info["agencies"]
    fi = _feed_info(info)
    rows = []
    if len(ag):
        rows.append(("timezone", str(ag["agency_timezone"].iat[0]), "GTFS agency.txt"))
    url = fi.get("feed_publisher_url") or (str(ag["agency_url"].iat[0]) if len(ag) else "")
    if url:
        rows.append(("url", url, "GTFS feed_info.txt" if fi else "GTFS agency.txt"))
    lang = fi.get("feed_lang") or (str(ag["agency_lang"].iat[0]) if len(ag) else "")
    if lang:
        rows.append(("language", lang, "GTFS feed_info.txt" if fi else "GTFS agency.txt"))
    day = info["date"].isoformat()
    rows += [
        ("service_start", day, "the service day imported"),
        ("service_end", day, "the service day imported"),
        ("source_feed", info["feed"].name, "import-gtfs"),
    ]
    if fi.get("feed_version"):
        rows.append(("feed_version", fi["feed_version"], "GTFS feed_info.txt"))
    return pd.DataFrame(rows, columns=["key", "value", "source"])


def _attribution(info: dict[str, Any]) -> str:
    ag = info["agencies"]
    names = "; ".join(dict.fromkeys(map(str, ag["agency_name"]))) if len(ag) else ""
    fi = _feed_info(info)
    publisher = fi.get("feed_publisher_name", "")
    parts = [f"Timetable: {names or 'unknown agency'} (GTFS feed {info['feed'].name}"]
    if publisher and publisher != names:
        parts[0] += f", published by {publisher}"
    parts[0] += f"; service day {info['date'].isoformat()})."
    return " ".join(parts)


def _datasheet(info: dict[str, Any]) -> str:
    ag = info["agencies"]
    names = "; ".join(dict.fromkeys(map(str, ag["agency_name"]))) if len(ag) else "unknown agency"
    fi = _feed_info(info)
    day = info["date"].isoformat()
    routes = info["routes"]
    cats = routes["route_type"].map(route_category).value_counts()
    lines = [
        f"# Datasheet: {names}, timetable of {day} (GTFS import)",
        "",
        f"Imported by `belt-graph import-gtfs` from the GTFS feed `{info['feed'].name}`: "
        f"{info['n_nodes']:,} stations, {info['n_links']:,} links, "
        f"{info['n_train']:,} trips with {info['n_calls']:,} calls on {day}"
        + (
            f" (the date with the most trips, {info['trips']:,}; `--date` picks another)."
            if info["busiest"]
            else " (given with `--date`)."
        ),
        "",
        "## Source and attribution",
        "",
    ]
    for r in ag.to_dict("records") if len(ag) else []:
        lines.append(
            f"- Agency: {r['agency_name']} ({r['agency_url']}), time zone {r['agency_timezone']}."
        )
    if not len(ag):
        lines.append("- The feed has no agency.txt: the operator is unknown.")
    if fi:
        extra = ", ".join(
            f"{k} {fi[k]}"
            for k in ("feed_version", "feed_start_date", "feed_end_date")
            if fi.get(k)
        )
        lines.append(
            f"- Published by {fi.get('feed_publisher_name', '')} "
            f"({fi.get('feed_publisher_url', '')})" + (f"; {extra}" if extra else "") + "."
        )
    att = info["attributions"]
    if att is not None and len(att):
        for r in att.df.to_dict("records"):
            lines.append(f"- Attribution (attributions.txt): {r['organization_name']}.")
    lines += [
        "- The feed's licence is the publisher's: check it before you share this folder, and "
        "credit the agency as `attribution.txt` does.",
        "",
        "## What was imported",
        "",
        f"- Service day {day}: the trips whose service runs that day by `calendar.txt` and "
        "`calendar_dates.txt`. belt-graph repeats one day's timetable every day, so a search "
        "that runs past midnight uses the same day's trips again.",
        "- Route types kept: "
        + (", ".join(info["route_types"]) if info["route_types"] else "all")
        + "; agencies kept: "
        + (", ".join(info["agency_filter"]) if info["agency_filter"] else "all")
        + ". Routes by category: "
        + ", ".join(f"{k} {v}" for k, v in cats.items())
        + ".",
        "- Nodes are stations: a stop with a `parent_station` is merged into it (consecutive "
        "calls of a trip at one station become one call); a stop without one is its own station. "
        "`id` is the GTFS `stop_id`; `gtfs_stops` counts the stops merged.",
        f"- `frequencies.txt`: {info['frequencies']} rule(s) expanded into trips named "
        "`trip_id@HH:MM:SS` (the first departure).",
        f"- Times between timepoints: {info['interpolated']:,} call(s) had no time and were "
        "interpolated linearly in the distance travelled (`shape_dist_traveled`, else the "
        "great-circle distance between the stops), to the second.",
        "- `pickup` / `drop_off` `no` where the feed's pickup or drop-off type is 1 (none); "
        "types 2 and 3 (arranged with the agency or driver) are taken as allowed.",
        "",
        "## Links",
        "",
        "One link per pair of stations consecutive in some trip: the fastest in-vehicle minutes "
        "over every trip of the day (arrival at the second minus departure from the first, in "
        "either direction), the line (`route_short_name`, else `route_long_name`) and mode of "
        "that fastest trip, and how many trips run it. A link is `track` when no trip passes "
        "stations between the two, `service` (an express) when one does "
        f"({info['express']:,} links).",
        f"- {info['zero_links']:,} link(s) take 0 s in every trip (two stops timed to the same "
        f"second): {ZERO_LINK_MINUTES} min, `confidence` `estimated`.",
        "",
        "## Changes between trips",
        "",
        f"- {info['own_change']:,} station(s) have their own minimum change time from "
        "`transfers.txt` (type 2, the longest where several); the others "
        f"{info['min_transfer']:g} min (`--min-transfer-minutes`, an assumption): the "
        "`min_transfer_minutes` column of `nodes.csv`.",
        f"- {info['transfer_links']:,} change(s) between stations from `transfers.txt` are "
        "`transfer` links (mode `walk`; their minutes include the change).",
    ]
    if info["max_walk"] > 0:
        lines.append(
            f"- {info['walk_links']:,} walk(s) between stations within {info['max_walk']:g} m "
            f"(great-circle) are `transfer` links, minutes = distance x "
            f"{WALK_RULE['route_factor']} / {WALK_RULE['speed_kmh']} km/h (`confidence` "
            "`estimated`)."
        )
    else:
        lines.append("- No other walks between stations (`--max-walk-meters` was 0).")
    if info["warnings"]:
        lines += ["", "## Warnings of the import", ""]
        lines += [f"- {w}" for w in info["warnings"]]
    lines += [
        "",
        "## Files",
        "",
        "`nodes.csv`, `links.csv` and `timetable.csv` in belt-graph's format (see the "
        "package's `data/README.md`); `metadata.csv` (time zone, publisher URL, language, "
        "service day); `attribution.txt` (the credit line printed on maps).",
        "",
    ]
    return "\n".join(lines)


# --- export --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSummary:
    """What :func:`export_gtfs` wrote: counts of the feed's files and what was left out."""

    path: Path
    stops: int
    routes: int
    trips: int
    stop_times: int
    transfers: int
    warnings: list[str] = field(default_factory=list)


_TRAIN_CLASS = re.compile(r"[A-Za-z]+")


def export_gtfs(
    ds: Dataset,
    path: str | Path,
    *,
    timezone: str | None = None,
    url: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_transfer_minutes: float = 15.0,
    force: bool = False,
) -> ExportSummary:
    """Write a dataset's timetable as a GTFS feed (a ``.zip``).

    Every train runs every day from ``start`` to ``end`` (one ``daily`` service): belt-graph's
    timetable is one day's, repeated. A ride between calls with missing times becomes its own
    trip (``train``, ``train#2`` ...), so that no one rides through a missing time; a train's
    calls at a station without coordinates are left out (GTFS needs them; said in the
    warnings). Routes are the timetable's ``line`` (else ``service_type``, else the train
    number's letter prefix, e.g. ``G``); ``transfers.txt`` carries every station's change
    minutes (its ``min_transfer_minutes``, else ``min_transfer_minutes``) and the dataset's
    changes between stations.

    Parameters
    ----------
    timezone, url : str, optional
        The agency's time zone and URL, required by GTFS. Default: the dataset's
        ``metadata.csv`` (``timezone``, ``url``).
    start, end : datetime.date, optional
        The dates the feed's service runs. Default: ``service_start`` / ``service_end`` of
        ``metadata.csv``.

    Raises
    ------
    NoTimetableError
        If the dataset has no timetable.
    BeltGraphError
        If the time zone, URL or dates are neither given nor in ``metadata.csv``.
    """
    if ds.timetable is None:
        raise NoTimetableError(ds.name)
    meta = ds.metadata
    timezone = timezone or meta.get("timezone")
    url = url or meta.get("url")
    start = start or _date_or_none(meta.get("service_start"))
    end = end or _date_or_none(meta.get("service_end"))
    missing = [
        f"{name} ({option})"
        for name, option, value in (
            ("a time zone", "--timezone", timezone),
            ("an agency URL", "--url", url),
            ("a first service date", "--start", start),
            ("a last service date", "--end", end),
        )
        if not value
    ]
    if missing:
        raise BeltGraphError(
            f"a GTFS feed needs {', '.join(missing)}: give them, or add them to the dataset's "
            "metadata.csv (keys timezone, url, service_start, service_end)"
        )
    assert timezone and url and start and end
    if start > end:
        raise BeltGraphError(f"the first service date {start} is after the last {end}")
    tables, notes = _feed_tables(ds, timezone, url, start, end, min_transfer_minutes)
    out = Path(path)

    def write(fh: IO[bytes]) -> None:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, df in tables.items():
                buf = io.StringIO()
                df.to_csv(buf, index=False, lineterminator="\n")
                zf.writestr(name, buf.getvalue())

    atomic_write(out, write, force=force)
    return ExportSummary(
        path=out,
        stops=len(tables["stops.txt"]),
        routes=len(tables["routes.txt"]),
        trips=len(tables["trips.txt"]),
        stop_times=len(tables["stop_times.txt"]),
        transfers=len(tables["transfers.txt"]),
        warnings=notes,
    )


def _date_or_none(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _feed_tables(
    ds: Dataset,
    timezone: str,
    url: str,
    start: dt.date,
    end: dt.date,
    min_transfer_minutes: float,
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    tt = ds.timetable
    assert tt is not None
    notes: list[str] = []
    nodes = ds.nodes
    placed = nodes["lat"].notna() & nodes["lon"].notna()
    unplaced = set(nodes.index[~placed])
    tt = tt.sort_values(["train", "sequence"], kind="stable")
    dropped = tt["station"].isin(unplaced)
    if dropped.any():
        names = ", ".join(sorted(map(str, set(tt.loc[dropped, "station"]))))
        notes.append(
            f"{int(dropped.sum()):,} call(s) at {names} left out: no coordinates (GTFS needs "
            "them); the trains still run between their other calls"
        )
    calls = tt[~dropped].reset_index(drop=True)
    train = calls["train"].astype(str).to_numpy()
    arr = calls["arrival_minutes"].to_numpy(dtype=float)
    dep = calls["departure_minutes"].to_numpy(dtype=float)
    same = np.concatenate(([False], train[1:] == train[:-1]))
    # a ride continues to the next call only where this one departs and the next arrives
    link = np.concatenate((same[1:] & ~np.isnan(dep[:-1]) & ~np.isnan(arr[1:]), [False]))
    into = np.concatenate(([False], link[:-1]))
    keep = link | into  # calls on some ride; a call on none (a lone call) is left out
    new_ride = keep & ~into
    ride = np.cumsum(new_ride) - 1
    calls = calls.assign(_ride=ride, _keep=keep)
    calls = calls[keep].reset_index(drop=True)
    ride = calls["_ride"].to_numpy()
    train = calls["train"].astype(str).to_numpy()
    first_of_ride = np.concatenate(([True], ride[1:] != ride[:-1]))
    last_of_ride = np.concatenate((ride[1:] != ride[:-1], [True]))
    # trips: the first ride of a train keeps its number, later ones get #2, #3 ...
    ride_train = train[first_of_ride]
    nth = pd.Series(ride_train).groupby(ride_train).cumcount().to_numpy() + 1
    trip_ids = np.array([t if k == 1 else f"{t}#{k}" for t, k in zip(ride_train, nth, strict=True)])
    split = int((nth > 1).sum())
    if split:
        notes.append(
            f"{split:,} trip(s) split where a call has a missing time (named train#2 ...): "
            "nobody rides through a missing time"
        )
    a = calls["arrival_minutes"].to_numpy(dtype=float)
    d = calls["departure_minutes"].to_numpy(dtype=float)
    a = np.where(first_of_ride | np.isnan(a), d, a)
    d = np.where(last_of_ride | np.isnan(d), a, d)
    route_key = _route_keys(calls)
    routes_u = sorted(set(route_key))
    route_id = {r: f"R{i + 1}" for i, r in enumerate(routes_u)}
    mode_of = (
        calls["mode"].astype(str).replace("", "rail")
        if "mode" in calls.columns
        else pd.Series("rail", index=calls.index)
    )
    route_mode: dict[str, str] = {}
    for k, m in zip(route_key, mode_of, strict=True):
        route_mode.setdefault(k, m)
    gtfs_type = {"rail": 2, "metro": 1, "tram": 0, "bus": 3, "ferry": 4, "cable": 6, "air": 1100}
    stops = nodes[placed & nodes.index.isin(set(calls["station"]) | _transfer_ends(ds))]
    stops_df = pd.DataFrame(
        {
            "stop_id": stops.index.astype(str),
            "stop_name": stops["name"].astype(str).to_numpy(),
            "stop_desc": stops["name_zh"].fillna("").astype(str).to_numpy()
            if "name_zh" in stops.columns
            else "",
            "stop_lat": [f"{x:.7f}" for x in stops["lat"]],
            "stop_lon": [f"{x:.7f}" for x in stops["lon"]],
            "location_type": 0,
        }
    )
    title = ds.title
    agency = pd.DataFrame(
        [
            {
                "agency_id": "A1",
                "agency_name": title,
                "agency_url": url,
                "agency_timezone": timezone,
            }
        ]
    )
    routes = pd.DataFrame(
        {
            "route_id": [route_id[r] for r in routes_u],
            "agency_id": "A1",
            "route_short_name": routes_u,
            "route_long_name": "",
            "route_type": [gtfs_type.get(route_mode[r], 3) for r in routes_u],
        }
    )
    ride_route = route_key[first_of_ride]
    trips = pd.DataFrame(
        {
            "route_id": [route_id[r] for r in ride_route],
            "service_id": "daily",
            "trip_id": trip_ids,
            "trip_short_name": ride_train,
        }
    )
    stop_seq = np.arange(len(calls)) - np.flatnonzero(first_of_ride)[ride - ride.min()] + 1
    stop_times = pd.DataFrame(
        {
            "trip_id": trip_ids[ride - ride.min()],
            "arrival_time": _seconds_text(np.round(a * 60)),
            "departure_time": _seconds_text(np.round(d * 60)),
            "stop_id": calls["station"].astype(str).to_numpy(),
            "stop_sequence": stop_seq,
        }
    )
    for col, gtfs in (("pickup", "pickup_type"), ("drop_off", "drop_off_type")):
        if col in calls.columns:
            stop_times[gtfs] = np.where(calls[col].astype(str) == "no", 1, 0)
    calendar = pd.DataFrame(
        [
            {
                "service_id": "daily",
                **dict.fromkeys(WEEKDAYS, 1),
                "start_date": start.strftime("%Y%m%d"),
                "end_date": end.strftime("%Y%m%d"),
            }
        ]
    )
    transfers = _export_transfers(ds, stops.index, min_transfer_minutes)
    feed_info = pd.DataFrame(
        [
            {
                "feed_publisher_name": f"belt-graph export of {title}",
                "feed_publisher_url": url,
                "feed_lang": ds.metadata.get("language", "en") or "en",
                "feed_start_date": start.strftime("%Y%m%d"),
                "feed_end_date": end.strftime("%Y%m%d"),
            }
        ]
    )
    tables = {
        "agency.txt": agency,
        "stops.txt": stops_df,
        "routes.txt": routes,
        "trips.txt": trips,
        "stop_times.txt": stop_times,
        "calendar.txt": calendar,
        "transfers.txt": transfers,
        "feed_info.txt": feed_info,
    }
    return tables, notes


def _route_keys(calls: pd.DataFrame) -> np.ndarray:
    """A route per line: the timetable's ``line``, else ``service_type``, else the letters
    that start the train number (``G`` for G8), else ``other``."""
    for col in ("line", "service_type"):
        if col in calls.columns and (calls[col].astype(str) != "").any():
            first = calls.groupby("train")[col].agg(lambda s: next((x for x in s if x), ""))
            keys = calls["train"].map(first).replace("", "other").astype(str)
            return np.asarray(keys.to_numpy(), dtype=object)
    prefix = (
        calls["train"]
        .astype(str)
        .map(lambda t: m[0].upper() if (m := _TRAIN_CLASS.match(t)) else "other")
    )
    return np.asarray(prefix.to_numpy(), dtype=object)


def _transfer_ends(ds: Dataset) -> set[str]:
    links = ds.links
    if S.KIND not in links.columns:
        return set()
    t = links[(links[S.KIND] == "transfer") & (links["status"] == "open")]
    return set(t["source"]) | set(t["target"])


def _export_transfers(ds: Dataset, stops: pd.Index, default: float) -> pd.DataFrame:
    nodes = ds.nodes
    own = (
        pd.to_numeric(nodes["min_transfer_minutes"], errors="coerce")
        if "min_transfer_minutes" in nodes.columns
        else pd.Series(np.nan, index=nodes.index)
    )
    rows = [
        {
            "from_stop_id": s,
            "to_stop_id": s,
            "transfer_type": 2,
            "min_transfer_time": round(
                (default if math.isnan(own.get(s, np.nan)) else own[s]) * 60
            ),
        }
        for s in map(str, stops)
    ]
    links = ds.links
    if S.KIND in links.columns:
        t = links[(links[S.KIND] == "transfer") & (links["status"] == "open")]
        for r in t.itertuples(index=False):
            if r.source in stops and r.target in stops:
                secs = round(float(r.minutes) * 60)
                rows.append(
                    {
                        "from_stop_id": r.source,
                        "to_stop_id": r.target,
                        "transfer_type": 2,
                        "min_transfer_time": secs,
                    }
                )
                rows.append(
                    {
                        "from_stop_id": r.target,
                        "to_stop_id": r.source,
                        "transfer_type": 2,
                        "min_transfer_time": secs,
                    }
                )
    return pd.DataFrame(
        rows, columns=["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"]
    )
