"""Earliest arrival over a real timetable: reach and commute by departure time.

A dataset with a ``timetable.csv`` (one row per call of a train at a station) can answer "where can
I be by when, leaving at 08:00?" with real trains, waits and changes, where the rail layer only
knows the fastest ride on each link.

The search is a Connection Scan (Dibbelt, Pajor, Strasser and Wagner, "Connection Scan
Algorithm", 2018): every ride of a train from one stop to its next is a *connection*; scanning
connections in order of departure and keeping the earliest arrival at each station answers a
one-to-all query in one pass.

Rules of the search
-------------------
- Leave the origin at ``depart`` (minutes after midnight) or later, on any train.
- A train is ridden only between calls with known times: a call with no departure (in the
  middle of a train) ends the ride there, and the train's next call with a departure starts a
  new ride that must be boarded there. Where a time is missing, the search never rides
  through.
- Change trains only at the same station, and only if the next train departs at least
  ``min_transfer_minutes`` after the arrival (staying on a train needs no time).
- Trains run every day: a train whose calls are past 24:00 (``25:10`` is 01:10 the next day)
  started the day before, and that earlier run is running today too.
- Times in results are minutes after midnight of the departure day; 1,500 is 01:00 the next
  day (:func:`format_clock` writes ``01:00+1``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._units import check_hours, minutes_limit
from .dataset import Dataset
from .errors import NoRouteError, NoTimetableError, UnknownPlaceError

__all__ = [
    "DEFAULT_MIN_TRANSFER_MINUTES",
    "MAX_TIMETABLE_HOURS",
    "Connections",
    "Journey",
    "connections",
    "earliest_arrival",
    "format_clock",
    "timetable_commute",
    "timetable_reach",
    "timetable_vs_links",
]

#: Minimum minutes between arriving on one train and departing on another at the same
#: station. An assumption (no source gives one national figure): set your own.
DEFAULT_MIN_TRANSFER_MINUTES = 15.0

#: How far ahead a commute searches, in hours after the departure time.
DEFAULT_MAX_HOURS = 96.0

#: The longest time budget of one timetable search: the daily timetable is repeated for every
#: day of the budget, so the work and memory grow with it (the longest train in China runs
#: about three days).
MAX_TIMETABLE_HOURS = 7 * 24.0

DAY = 1440.0


@dataclass(frozen=True)
class Connections:
    """A timetable as connections: one ride of one train from a stop to its next stop.

    Arrays are aligned and sorted by departure, then arrival. Times are minutes after midnight
    of the train's first day (so they may exceed 1,440). ``trip`` numbers the rides: a train
    whose calls all have times is one ride; a call with a missing time splits it into several
    (``trip_train`` gives each ride's index in ``trains``).
    """

    stations: tuple[str, ...]
    trains: tuple[str, ...]
    departure: np.ndarray
    arrival: np.ndarray
    from_station: np.ndarray
    to_station: np.ndarray
    train: np.ndarray
    trip: np.ndarray
    trip_train: np.ndarray

    def __len__(self) -> int:
        return len(self.departure)

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """Station id to its position in :attr:`stations` (built once per timetable)."""
        return {s: i for i, s in enumerate(self.stations)}


def connections(timetable: pd.DataFrame | Dataset) -> Connections:
    """Return the connections of a timetable (or of a dataset's ``timetable``).

    Consecutive calls of a train (by ``sequence``) make a connection when the first has a
    departure and the second an arrival. Connections that follow each other through a call
    with both times form one ride (``trip``); where a time is missing the ride ends.

    Raises
    ------
    NoTimetableError
        If a dataset without a timetable is given.

    Examples
    --------
    >>> tt = pd.DataFrame({"train": ["T1", "T1", "T1"], "sequence": [1, 2, 3],
    ...     "station": ["A", "B", "C"], "arrival_minutes": [math.nan, 490.0, 530.0],
    ...     "departure_minutes": [480.0, 495.0, math.nan]})
    >>> c = connections(tt)
    >>> len(c), c.departure.tolist(), c.arrival.tolist()
    (2, [480.0, 495.0], [490.0, 530.0])
    """
    if isinstance(timetable, Dataset):
        if timetable.timetable is None:
            raise NoTimetableError(timetable.name)
        timetable = timetable.timetable
    df = timetable.sort_values(["train", "sequence"], kind="stable")
    stations = tuple(sorted(map(str, df["station"].unique())))
    trains = tuple(sorted(map(str, df["train"].unique())))
    s_index = {s: i for i, s in enumerate(stations)}
    t_index = {t: i for i, t in enumerate(trains)}
    st = df["station"].map(s_index).to_numpy(dtype=np.int64)
    tr = df["train"].map(t_index).to_numpy(dtype=np.int64)
    dep = df["departure_minutes"].to_numpy(dtype=float)
    arr = df["arrival_minutes"].to_numpy(dtype=float)
    ok = (tr[1:] == tr[:-1]) & ~np.isnan(dep[:-1]) & ~np.isnan(arr[1:])
    # a ride continues from one connection to the next only through a call with both times,
    # that is where the pair before it is a connection too
    starts = ok & ~np.concatenate(([False], ok[:-1]))
    trip_of_pair = np.cumsum(starts) - 1
    d, a = dep[:-1][ok], arr[1:][ok]
    trip = trip_of_pair[ok]
    trip_train = tr[:-1][starts]
    order = np.lexsort((a, d))
    return Connections(
        stations=stations,
        trains=trains,
        departure=d[order],
        arrival=a[order],
        from_station=st[:-1][ok][order],
        to_station=st[1:][ok][order],
        train=tr[:-1][ok][order],
        trip=trip[order].astype(np.int64),
        trip_train=trip_train.astype(np.int64),
    )


@dataclass(frozen=True)
class _Scan:
    """Result of one scan: per station the arrival and the connection that brought it."""

    conns: Connections
    origin: int
    depart: float
    arrival: np.ndarray
    via: np.ndarray  # index into the window arrays, -1 if not reached
    enter: dict[int, int]  # trip instance -> window index where it was boarded
    w_dep: np.ndarray
    w_arr: np.ndarray
    w_from: np.ndarray
    w_to: np.ndarray
    w_trip: np.ndarray
    n_days: int


def _window(
    c: Connections, depart: float, horizon: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Connections departing in [depart, depart + horizon], with the daily runs unrolled.

    Each run of a ride (started ``k`` days before or after the departure day) is its own trip
    instance, numbered ``trip * n_days + (k - k_min)``.
    """
    if not len(c):
        empty = np.zeros(0)
        return empty, empty, empty.astype(int), empty.astype(int), empty.astype(int), 1
    k_min = math.floor((depart - float(c.departure.max())) / DAY)
    k_max = math.floor((depart + horizon) / DAY)
    n_days = k_max - k_min + 1
    parts = []
    for k in range(k_min, k_max + 1):
        shifted = c.departure + k * DAY
        lo = np.searchsorted(shifted, depart, side="left")
        hi = np.searchsorted(shifted, depart + horizon, side="right")
        if hi > lo:
            parts.append((k, lo, hi))
    if not parts:
        empty = np.zeros(0)
        return empty, empty, empty.astype(int), empty.astype(int), empty.astype(int), n_days
    dep = np.concatenate([c.departure[lo:hi] + k * DAY for k, lo, hi in parts])
    arr = np.concatenate([c.arrival[lo:hi] + k * DAY for k, lo, hi in parts])
    frm = np.concatenate([c.from_station[lo:hi] for _, lo, hi in parts])
    to = np.concatenate([c.to_station[lo:hi] for _, lo, hi in parts])
    trip = np.concatenate([c.trip[lo:hi] * n_days + (k - k_min) for k, lo, hi in parts])
    order = np.lexsort((arr, dep))
    return dep[order], arr[order], frm[order], to[order], trip[order], n_days


def _check_budget(hours: float, name: str = "hours") -> float:
    hours = check_hours(hours, name)
    if hours > MAX_TIMETABLE_HOURS:
        raise ValueError(
            f"{name} must be at most {MAX_TIMETABLE_HOURS:g} for a timetable search "
            f"(one week of daily trains), got {hours:g}"
        )
    return hours


def _scan(
    c: Connections,
    origin: str,
    depart: float,
    *,
    min_transfer_minutes: float,
    horizon: float,
    target: str | None = None,
) -> _Scan:
    if not math.isfinite(depart) or depart < 0:
        raise ValueError(f"depart must be minutes >= 0 after midnight, got {depart!r}")
    if not math.isfinite(min_transfer_minutes) or min_transfer_minutes < 0:
        raise ValueError(
            f"min_transfer_minutes must be a finite number >= 0, got {min_transfer_minutes!r}"
        )
    index = c.index
    if origin not in index:
        raise UnknownPlaceError(origin)
    dep, arr, frm, to, trip, n_days = _window(c, depart, horizon)
    n = len(c.stations)
    o = index[origin]
    stop = index.get(target, -1) if target is not None else -1
    arrival = [math.inf] * n
    ready = [math.inf] * n
    via = [-1] * n
    arrival[o] = depart
    ready[o] = depart
    on: set[int] = set()
    enter: dict[int, int] = {}
    dep_l, arr_l, frm_l, to_l, trip_l = (x.tolist() for x in (dep, arr, frm, to, trip))
    for i in range(len(dep_l)):
        d = dep_l[i]
        if stop >= 0 and d >= arrival[stop]:
            break
        t = trip_l[i]
        if t not in on:
            if ready[frm_l[i]] > d:
                continue
            on.add(t)
            enter[t] = i
        a = arr_l[i]
        v = to_l[i]
        if a < arrival[v]:
            arrival[v] = a
            ready[v] = a + min_transfer_minutes
            via[v] = i
    return _Scan(
        c, o, depart, np.array(arrival), np.array(via), enter, dep, arr, frm, to, trip, n_days
    )


def earliest_arrival(
    conns: Connections,
    origin: str,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    max_minutes: float = DEFAULT_MAX_HOURS * 60,
) -> pd.Series:
    """Return the earliest arrival (minutes after midnight of the departure day) at every station.

    Parameters
    ----------
    conns : Connections
        From :func:`connections`.
    origin : str
        Station id.
    depart : float
        Minutes after midnight; trains departing at or after it may be boarded.
    min_transfer_minutes : float, default 15
    max_minutes : float, default 5,760 (four days)
        Only connections departing within this many minutes after ``depart`` are used (at
        most :data:`MAX_TIMETABLE_HOURS` x 60).

    Returns
    -------
    Series
        Indexed by station id (every station of the timetable), ``inf`` where not reached; the
        origin has ``depart``.

    Examples
    --------
    >>> tt = pd.DataFrame({"train": ["T1", "T1"], "sequence": [1, 2], "station": ["A", "B"],
    ...     "arrival_minutes": [math.nan, 600.0], "departure_minutes": [540.0, math.nan]})
    >>> earliest_arrival(connections(tt), "A", 480).to_dict()
    {'A': 480.0, 'B': 600.0}
    """
    _check_budget(max_minutes / 60, "max_minutes / 60")
    s = _scan(conns, origin, depart, min_transfer_minutes=min_transfer_minutes, horizon=max_minutes)
    return pd.Series(s.arrival, index=pd.Index(conns.stations, name="station"), name="arrival")


@dataclass(frozen=True)
class Journey:
    """The earliest-arriving journey between two stations leaving at a given time.

    Attributes
    ----------
    origin, destination : str
    depart : float
        The requested departure, minutes after midnight.
    legs : DataFrame
        One row per train ridden: ``train``, ``from``, ``to``, ``departure``, ``arrival``
        (minutes after midnight of the departure day), ``departure_time``, ``arrival_time``
        (``HH:MM``, ``+N`` for later days) and ``minutes`` (in the train).
    """

    origin: str
    destination: str
    depart: float
    legs: pd.DataFrame

    @property
    def arrival(self) -> float:
        """Arrival at the destination, minutes after midnight of the departure day."""
        return float(self.legs["arrival"].iloc[-1]) if len(self.legs) else self.depart

    @property
    def minutes(self) -> float:
        """Minutes from the requested departure to the arrival (waiting included)."""
        return self.arrival - self.depart

    @property
    def in_vehicle_minutes(self) -> float:
        """Minutes spent on trains."""
        return float(self.legs["minutes"].sum()) if len(self.legs) else 0.0

    @property
    def wait_minutes(self) -> float:
        """Minutes waiting: at the origin before the first train, and between trains."""
        return self.minutes - self.in_vehicle_minutes

    @property
    def changes(self) -> int:
        """Changes of train."""
        return max(len(self.legs) - 1, 0)


def format_clock(minutes: float) -> str:
    """Write minutes after midnight as ``HH:MM``, with ``+N`` for N days later.

    Examples
    --------
    >>> format_clock(485), format_clock(1500), format_clock(3000)
    ('08:05', '01:00+1', '02:00+2')
    """
    m = round(minutes)
    day, rest = divmod(m, int(DAY))
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    return text + (f"+{day}" if day else "")


_LEG_COLUMNS = [
    "train",
    "from",
    "to",
    "departure",
    "arrival",
    "departure_time",
    "arrival_time",
    "minutes",
]


def _legs(s: _Scan, station: int) -> pd.DataFrame:
    c = s.conns
    rows = []
    v = station
    guard = 0
    while v != s.origin:
        i = int(s.via[v])
        t = int(s.w_trip[i])
        j = s.enter[t]
        rows.append(
            {
                "train": c.trains[int(c.trip_train[t // s.n_days])],
                "from": c.stations[int(s.w_from[j])],
                "to": c.stations[v],
                "departure": float(s.w_dep[j]),
                "arrival": float(s.w_arr[i]),
            }
        )
        v = int(s.w_from[j])
        guard += 1
        if guard > len(c.stations):  # pragma: no cover - would mean a bug in the scan
            raise RuntimeError("journey reconstruction did not reach the origin")
    df = pd.DataFrame(rows[::-1], columns=_LEG_COLUMNS[:5])
    df["departure_time"] = [format_clock(x) for x in df["departure"]]
    df["arrival_time"] = [format_clock(x) for x in df["arrival"]]
    df["minutes"] = df["arrival"] - df["departure"]
    return df[_LEG_COLUMNS]


def timetable_commute(
    conns: Connections,
    origin: str,
    destination: str,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    max_hours: float = DEFAULT_MAX_HOURS,
) -> Journey:
    """Return the journey that arrives earliest at ``destination`` leaving ``origin`` at ``depart``.

    Among journeys arriving at the same earliest time, the scan keeps the first one found (the
    one whose last train departed earliest); it does not minimise changes.

    Raises
    ------
    UnknownPlaceError
        If either station is not in the timetable.
    NoRouteError
        If no journey arrives within ``max_hours``.

    Examples
    --------
    >>> tt = pd.DataFrame({"train": ["T1", "T1", "T2", "T2"], "sequence": [1, 2, 1, 2],
    ...     "station": ["A", "B", "B", "C"],
    ...     "arrival_minutes": [math.nan, 500.0, math.nan, 560.0],
    ...     "departure_minutes": [480.0, math.nan, 520.0, math.nan]})
    >>> j = timetable_commute(connections(tt), "A", "C", 470, min_transfer_minutes=10)
    >>> j.legs[["train", "departure_time", "arrival_time"]].values.tolist()
    [['T1', '08:00', '08:20'], ['T2', '08:40', '09:20']]
    >>> j.minutes, j.wait_minutes, j.changes
    (90.0, 30.0, 1)
    """
    index = conns.index
    if destination not in index:
        raise UnknownPlaceError(destination)
    max_hours = _check_budget(max_hours, "max_hours")
    s = _scan(
        conns,
        origin,
        depart,
        min_transfer_minutes=min_transfer_minutes,
        horizon=max_hours * 60,
        target=destination,
    )
    d = index[destination]
    if not math.isfinite(s.arrival[d]):
        raise NoRouteError(origin, destination)
    return Journey(origin, destination, depart, _legs(s, d))


def timetable_reach(
    conns: Connections,
    origin: str,
    hours: float,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
) -> pd.DataFrame:
    """Return the stations reached within ``hours`` of leaving ``origin`` at ``depart``.

    Returns
    -------
    DataFrame
        Indexed by ``node`` (the origin included at 0 minutes), sorted by minutes then id;
        columns ``minutes`` (from the requested departure to the earliest arrival, waiting
        included), ``hours``, ``arrival_time`` (``HH:MM``, ``+1`` the next day),
        ``first_train``, ``first_departure_time``, ``wait_minutes`` (at the origin and between
        trains), ``in_vehicle_minutes`` and ``changes``.

    Examples
    --------
    >>> tt = pd.DataFrame({"train": ["T1", "T1", "T1"], "sequence": [1, 2, 3],
    ...     "station": ["A", "B", "C"], "arrival_minutes": [math.nan, 520.0, 600.0],
    ...     "departure_minutes": [500.0, 522.0, math.nan]})
    >>> r = timetable_reach(connections(tt), "A", 1, 480)
    >>> r[["minutes", "wait_minutes", "first_train"]].values.tolist()
    [[0.0, 0.0, ''], [40.0, 20.0, 'T1']]
    """
    hours = _check_budget(hours)
    limit = minutes_limit(hours)
    s = _scan(conns, origin, depart, min_transfer_minutes=min_transfer_minutes, horizon=limit)
    limit += depart
    rows = []
    for v in np.flatnonzero(s.arrival <= limit):
        legs = _legs(s, int(v))
        in_vehicle = float(legs["minutes"].sum())
        minutes = float(s.arrival[v]) - depart
        rows.append(
            {
                "node": s.conns.stations[v],
                "minutes": minutes,
                "hours": minutes / 60,
                "arrival_time": format_clock(float(s.arrival[v])),
                "first_train": str(legs["train"].iat[0]) if len(legs) else "",
                "first_departure_time": legs["departure_time"].iat[0] if len(legs) else "",
                "wait_minutes": minutes - in_vehicle,
                "in_vehicle_minutes": in_vehicle,
                "changes": max(len(legs) - 1, 0),
            }
        )
    columns = [
        "node",
        "minutes",
        "hours",
        "arrival_time",
        "first_train",
        "first_departure_time",
        "wait_minutes",
        "in_vehicle_minutes",
        "changes",
    ]
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values(["minutes", "node"]).set_index("node")


def timetable_vs_links(
    conns: Connections,
    G: Any,
    origin: str,
    hours: float,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
) -> pd.DataFrame:
    """Return :func:`timetable_reach` with the fastest-link minutes beside the timetable's.

    Parameters
    ----------
    conns : Connections
    G : networkx.Graph
        The rail layer of the same dataset (:func:`~belt_graph.rail_graph`).

    Returns
    -------
    DataFrame
        The columns of :func:`timetable_reach` plus ``link_minutes`` (the fastest route over
        the links, riding the fastest train of each link with no wait, no dwell and no
        transfer time; NaN when the links do not join the two) and ``imposed_minutes``
        (``minutes - link_minutes``: what the timetable adds by waiting, dwelling and changing).

    Examples
    --------
    >>> import networkx as nx
    >>> tt = pd.DataFrame({"train": ["T1", "T1"], "sequence": [1, 2], "station": ["A", "B"],
    ...     "arrival_minutes": [math.nan, 560.0], "departure_minutes": [520.0, math.nan]})
    >>> G = nx.Graph([("A", "B", {"minutes": 40.0})])
    >>> t = timetable_vs_links(connections(tt), G, "A", 2, 480)
    >>> t.loc["B", ["minutes", "link_minutes", "imposed_minutes"]].tolist()
    [80.0, 40.0, 40.0]
    """
    from .reach import nearest_origin_dijkstra

    table = timetable_reach(conns, origin, hours, depart, min_transfer_minutes=min_transfer_minutes)
    links, _ = nearest_origin_dijkstra(G, [origin], math.inf) if origin in G else ({}, {})
    table["link_minutes"] = [links.get(n, math.nan) for n in table.index]
    table["imposed_minutes"] = table["minutes"] - table["link_minutes"]
    return table
