"""The checks of each GTFS file, every fault located to file, line and column.

Also the route types (:data:`ROUTE_TYPE_NAMES`, :func:`route_category`). :func:`_check` runs the
checks in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..dataset._rows import Collector, known_timezone
from ..errors import Problem
from .feed import (
    WEEKDAYS,
    Feed,
    Table,
    flag,
    integers,
    known,
    known_codes,
    numbers,
    parse_dates,
    parse_times,
    required_values,
    unique,
)

__all__ = ["ROUTE_TYPE_NAMES", "route_category"]


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
    """Return the name of a GTFS route type's category: ``3`` and ``700`` are ``bus``.

    Parameters
    ----------
    route_type : int
        A GTFS ``route_type`` (basic or extended).

    Returns
    -------
    str
        ``rail``, ``subway``, ``tram``, ``bus``, ``ferry`` ... (:data:`ROUTE_TYPE_NAMES`).

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
    faulty_trips: set[str] = field(default_factory=set)  # trips with a fault of their own
    trip_faults: Collector = field(default_factory=Collector)  # those faults, located
    dropped: dict[str, list[Problem]] = field(default_factory=dict)  # by trip id


def _check_stops(t: Table, problems: Collector) -> pd.DataFrame:
    df = t.df
    required_values(t, ["stop_id"], problems)
    unique(t, ["stop_id"], problems, "stop_id")
    loc = integers(t, "location_type", problems, low=0, high=4, optional=True)
    lat = numbers(t, "stop_lat", problems, low=-90, high=90, optional=True)
    lon = numbers(t, "stop_lon", problems, low=-180, high=180, optional=True)
    placed = (loc >= 0) & (loc <= 2)
    flag(t, placed & np.isnan(lat) & (t.col("stop_lat").str.strip() == ""), "stop_lat",
         "a stop, station or entrance needs coordinates", problems)  # fmt: skip
    flag(t, placed & np.isnan(lon) & (t.col("stop_lon").str.strip() == ""), "stop_lon",
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
    zones = t.col("agency_timezone")
    unknown = np.array([bool(z) and not known_timezone(z) for z in zones])
    flag(
        t,
        unknown,
        "agency_timezone",
        lambda pos: f"unknown time zone {zones[pos]!r} (an IANA name such as Australia/Brisbane)",
        problems,
    )
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


#: The years a service may run in: a calendar row beyond them (``00010101`` to ``99991231`` for
#: "always") is read within them, with a warning, so that no range expands into millions of days.
SERVICE_YEARS = (1900, 2100)


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
        first = np.datetime64(f"{SERVICE_YEARS[0]}-01-01", "D")
        last = np.datetime64(f"{SERVICE_YEARS[1] + 1}-01-01", "D") - np.timedelta64(1, "D")
        rows = zip(cal.df["service_id"].tolist(), days, start, end, strict=True)
        for pos, (sid, mask, a, b) in enumerate(rows):
            c = code(sid)
            if np.isnat(a) or np.isnat(b) or a > b or (mask < 0).any():
                continue
            if a < first or b > last:
                # "forever" written as 00010101-99991231: read within SERVICE_YEARS
                a2, b2 = max(a, first), min(b, last)
                feed.warnings.append(
                    f"{cal.label}:{int(cal.line(np.array([pos]))[0])}: service {sid!r} runs "
                    f"{a} to {b}; read as {a2} to {b2} (service dates are read from "
                    f"{SERVICE_YEARS[0]} to {SERVICE_YEARS[1]})"
                )
                a, b = a2, b2
                if a > b:
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
) -> tuple[pd.DataFrame, np.ndarray]:
    """Check every call; return the calls and, per row, whether its trip is faulty.

    Every fault here is confined to one trip (a bad time, an unknown stop, times that run
    backwards ...): it is recorded in ``problems`` like any other, and its rows are marked,
    so that the import can leave those trips out instead of refusing the feed.
    """
    df = t.df

    def filled(failed: np.ndarray, column: str) -> np.ndarray:
        """Return where a value failed to parse and was not blank (blank is allowed here)."""
        out = np.zeros(len(failed), dtype=bool)
        if column not in df.columns:  # an optional column the file lacks: all blank
            return out
        rows = np.flatnonzero(failed)  # only the rows that failed are looked at again
        values = df[column].to_numpy()[rows]
        written = values != ""  # most often simply empty; the rest may be white space
        rows, values = rows[written], values[written]
        if len(rows):
            out[rows] = (pd.Series(values, dtype=object).str.strip() != "").to_numpy()
        return out

    trip_ids = set(trips["trip_id"].tolist())
    bad_trip, trip_codes, _ = known_codes(t, "trip_id", trip_ids, problems, "trip_id")
    loc = stops.set_index("stop_id")["location_type"]
    stop_ids = pd.Index(stops["stop_id"])
    bad_stop, stop_codes, stop_values = known_codes(t, "stop_id", stop_ids, problems, "stop_id")
    stop_loc = pd.Series(stop_values, dtype=object).map(loc).to_numpy()[stop_codes]
    not_a_stop = ~bad_stop & (stop_loc != 0)
    flag(
        t,
        not_a_stop,
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
    faulty = (
        np.asarray(bad_trip, dtype=bool)
        | np.asarray(bad_stop, dtype=bool)
        | not_a_stop
        | (seq < 0)
        | filled(np.isnan(arr), "arrival_time")
        | filled(np.isnan(dep), "departure_time")
        | filled(pickup < 0, "pickup_type")
        | filled(drop_off < 0, "drop_off_type")
        | filled(np.isnan(dist), "shape_dist_traveled")
    )
    # one of the two times stands for both
    arr = np.where(np.isnan(arr), dep, arr)
    dep = np.where(np.isnan(dep), arr, dep)
    backwards = dep < arr
    flag(t, backwards, "departure_time", "departs before it arrives", problems)
    faulty |= backwards
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
    keep = ~bad_trip & ~bad_stop & (seq >= 0)
    out = out[keep]
    # the trips' codes hold for the rows kept only if every row is kept (else first
    # appearances may move)
    out = _sort_calls(out, trip_codes if keep.all() else None)
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
        faulty[full] = True
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
    return out, faulty


def _sort_calls(df: pd.DataFrame, codes: np.ndarray | None = None) -> pd.DataFrame:
    """Return calls in order of trip (first appearance in the file) and stop_sequence.

    ``codes``: the trips' ``pd.factorize`` codes of ``df``'s rows, where the caller has them.
    """
    if codes is None:
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
    # faults confined to some trips are collected apart: the import may leave those trips out
    trip_faults = Collector()
    stop_times, faulty = _check_stop_times(feed["stop_times.txt"], trips, unique_stops, trip_faults)
    table = feed["stop_times.txt"]
    ids = table.col("trip_id").to_numpy()
    dropped: dict[str, list[Problem]] = {}
    if len(trip_faults):
        rows = np.flatnonzero(faulty)
        line_trip = dict(zip(table.line(rows), ids[rows].tolist(), strict=True))
        for prob in trip_faults.sorted():
            dropped.setdefault(line_trip.get(prob.line or -1, ""), []).append(prob)
    frequencies = _check_frequencies(feed.get("frequencies.txt"), trips, problems)
    transfers, special = _check_transfers(feed.get("transfers.txt"), unique_stops, problems)
    return _Parsed(
        stops, routes, trips, stop_times, services, frequencies, transfers, agencies, special,
        faulty_trips=set(ids[faulty].tolist()), trip_faults=trip_faults, dropped=dropped,
    )  # fmt: skip
