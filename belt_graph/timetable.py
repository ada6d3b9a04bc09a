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
- Change trains at the same station only if the next train departs at least the station's
  own minimum (``min_transfer_minutes`` of ``nodes.csv``, where given) or else
  ``min_transfer_minutes`` after the arrival (staying on a train needs no time).
- Board and leave trains only where the timetable allows (``pickup`` / ``drop_off`` ``no``:
  a GTFS feed's pickup and drop-off types).
- Walk along at most one walk between two trains, and at either end: a change of station (an
  open ``transfer`` link of the dataset, its minutes including the change, so no other
  minimum applies) or the access link between a place and one of its stations. A journey
  from a place walks to one of its stations and may then change station once before the first
  train; a journey never passes through a place.
- Trains run every day: a train whose calls are past 24:00 (``25:10`` is 01:10 the next day)
  started the day before, and that earlier run is running today too.
- Times in results are minutes after midnight of the departure day; 1,500 is 01:00 the next
  day (:func:`format_clock` writes ``01:00+1``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import schema as S
from ._units import check_hours, minutes_limit
from .dataset import Dataset
from .errors import NoRouteError, NoTimetableError, UnknownPlaceError

__all__ = [
    "DEFAULT_MIN_TRANSFER_MINUTES",
    "MAX_TIMETABLE_HOURS",
    "Connections",
    "Journey",
    "build_connections",
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

    Besides the rides: ``board`` / ``alight`` say whether a connection may be boarded at its
    first stop and left at its second (GTFS pickup and drop-off rules); ``change`` is each
    station's own minimum minutes between trains (NaN: the search's default); ``walk_*`` are the
    walks (changes of station and access to places, from the dataset's ``transfer`` and
    ``access`` links) as directed edges grouped by their first node (``walk_start[i]`` to
    ``walk_start[i + 1]``); ``transit`` is False for places, which a journey never passes
    through.
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
    board: np.ndarray
    alight: np.ndarray
    change: np.ndarray
    transit: np.ndarray
    walk_start: np.ndarray
    walk_to: np.ndarray
    walk_minutes: np.ndarray
    walk_mode: tuple[str, ...]
    train_mode: tuple[str, ...]
    position: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, np.int64))

    def __len__(self) -> int:
        return len(self.departure)

    @functools.cached_property
    def walk_from(self) -> np.ndarray:
        """The first node of each walk (the ``walk_*`` arrays are grouped by it)."""
        return np.repeat(np.arange(len(self.stations)), np.diff(self.walk_start))

    def unrolled(self, k_lo: int, k_hi: int) -> _Unrolled:
        """The daily runs of every ride from day ``k_lo`` to ``k_hi`` as one connection list
        sorted by departure (cached, grown as later queries need more days)."""
        have = self.__dict__.get("_unrolled")
        if have is None or have.k_lo > k_lo or have.k_hi < k_hi:
            if have is not None:
                k_lo, k_hi = min(k_lo, have.k_lo), max(k_hi, have.k_hi)
            have = _unroll(self, k_lo, k_hi)
            self.__dict__["_unrolled"] = have
        return have

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """Station id to its position in :attr:`stations` (built once per timetable)."""
        return {s: i for i, s in enumerate(self.stations)}

    def walks(self, station: int) -> range:
        """Positions in the ``walk_*`` arrays of the walks from ``station``."""
        return range(int(self.walk_start[station]), int(self.walk_start[station + 1]))


def connections(timetable: pd.DataFrame | Dataset) -> Connections:
    """Return the connections of a timetable (or of a dataset's ``timetable``).

    Consecutive calls of a train (by ``sequence``) make a connection when the first has a
    departure and the second an arrival. Connections that follow each other through a call
    with both times form one ride (``trip``); where a time is missing the ride ends. Optional
    timetable columns: ``pickup`` / ``drop_off`` (``no``: no boarding / no leaving the train at
    that call), ``mode`` (of the train, default ``rail``).

    From a dataset, the stations also carry ``min_transfer_minutes`` (a ``nodes.csv`` column,
    where given) and the walks of its open ``transfer`` and ``access`` links; the search may
    then also start from or arrive at a place.

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
    if not isinstance(timetable, Dataset):
        return build_connections(timetable)
    ds = timetable
    if ds.timetable is None:
        raise NoTimetableError(ds.name)
    change: dict[str, float] = {}
    if "min_transfer_minutes" in ds.nodes.columns:
        own = pd.to_numeric(ds.nodes["min_transfer_minutes"], errors="coerce").dropna()
        change = {str(k): float(v) for k, v in own.items()}
    places = set(ds.nodes[S.PLACE]) - {""} if S.PLACE in ds.nodes.columns else set()
    return build_connections(ds.timetable, _walk_links(ds), change, places)


def build_connections(
    timetable: pd.DataFrame,
    walks: pd.DataFrame | None = None,
    change: dict[str, float] | None = None,
    places: set[str] | None = None,
) -> Connections:
    """Return the connections of a timetable with the walks and changes given directly.

    ``walks`` has columns ``source``, ``target``, ``minutes``, ``mode`` (directed: give both
    directions); ``change`` maps a station to its own minimum minutes between trains; a node in
    ``places`` is never passed through (see the rules in the module's docstring). Used by
    :func:`connections`, and by tests that build timetables by hand.
    """
    df = timetable.sort_values(["train", "sequence"], kind="stable")
    if walks is None:
        walks = pd.DataFrame(columns=_WALK_COLUMNS)
    walks = walks.sort_values(["source", "target", "minutes"], kind="stable")
    walks = walks.drop_duplicates(["source", "target"]).reset_index(drop=True)
    names = set(map(str, df["station"].unique()))
    names |= set(walks["source"]) | set(walks["target"])
    stations = tuple(sorted(names))
    trains = tuple(sorted(map(str, df["train"].unique())))
    s_index = {s: i for i, s in enumerate(stations)}
    t_index = {t: i for i, t in enumerate(trains)}
    st = df["station"].map(s_index).to_numpy(dtype=np.int64)
    tr = df["train"].map(t_index).to_numpy(dtype=np.int64)
    dep = df["departure_minutes"].to_numpy(dtype=float)
    arr = df["arrival_minutes"].to_numpy(dtype=float)
    n_calls = len(df)
    pickup = _allowed(df, "pickup", n_calls)
    drop_off = _allowed(df, "drop_off", n_calls)
    ok = (tr[1:] == tr[:-1]) & ~np.isnan(dep[:-1]) & ~np.isnan(arr[1:])
    # a ride continues from one connection to the next only through a call with both times,
    # that is where the pair before it is a connection too
    starts = ok & ~np.concatenate(([False], ok[:-1]))
    trip_of_pair = np.cumsum(starts) - 1
    d, a = dep[:-1][ok], arr[1:][ok]
    trip = trip_of_pair[ok]
    trip_train = tr[:-1][starts]
    # position along the ride: breaks ties of departure and arrival (two stops timed to the
    # same second) in the order the train runs
    position = np.arange(len(trip)) - np.searchsorted(trip, trip, side="left")
    order = np.lexsort((position, a, d))
    modes = ["rail"] * len(trains)
    if "mode" in df.columns:
        first = df[df["mode"].astype(str) != ""].drop_duplicates("train")
        for t, m in zip(first["train"], first["mode"], strict=True):
            modes[t_index[str(t)]] = str(m)
    own = np.full(len(stations), math.nan)
    for node, value in (change or {}).items():
        if node in s_index:
            own[s_index[node]] = value
    transit = np.ones(len(stations), dtype=bool)
    for node in places or ():
        if node in s_index:
            transit[s_index[node]] = False
    w_from = walks["source"].map(s_index).to_numpy(dtype=np.int64)
    w_order = np.argsort(w_from, kind="stable")
    walk_start = np.searchsorted(w_from[w_order], np.arange(len(stations) + 1))
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
        position=position[order].astype(np.int64),
        board=pickup[:-1][ok][order],
        alight=drop_off[1:][ok][order],
        change=own,
        transit=transit,
        walk_start=walk_start.astype(np.int64),
        walk_to=walks["target"].map(s_index).to_numpy(dtype=np.int64)[w_order],
        walk_minutes=walks["minutes"].to_numpy(dtype=float)[w_order],
        walk_mode=tuple(map(str, walks["mode"].to_numpy()[w_order])),
        train_mode=tuple(modes),
    )


_WALK_COLUMNS = ["source", "target", "minutes", "mode"]


def _allowed(df: pd.DataFrame, column: str, n: int) -> np.ndarray:
    """Per call: may a traveller board (``pickup``) or leave (``drop_off``) there."""
    if column not in df.columns:
        return np.ones(n, dtype=bool)
    return np.asarray((df[column].astype(str).str.strip().str.lower() != "no").to_numpy(), bool)


def _walk_links(ds: Dataset) -> pd.DataFrame:
    """The walks of a dataset: open transfer and access links, in both directions, the
    fastest of parallel links."""
    links = ds.links
    if S.KIND not in links.columns:
        return pd.DataFrame(columns=_WALK_COLUMNS)
    w = links[links[S.KIND].isin(("transfer", "access")) & (links["status"] == "open")]
    both = pd.concat(
        [
            w[["source", "target", "minutes", "mode"]],
            w[["target", "source", "minutes", "mode"]].set_axis(_WALK_COLUMNS, axis=1),
        ],
        ignore_index=True,
    )
    return both.reset_index(drop=True)


@dataclass(frozen=True)
class _Scan:
    """Result of one scan: per station the arrival and how it was reached.

    ``label[v]`` is how the earliest arrival at ``v`` was reached, a chain of tuples back to
    the origin: ``("O",)`` the origin; ``("T", j, i, board)`` riding one trip from window
    connection ``j`` to ``i``, boarded where ``board`` (the label of being ready there) left
    off; ``("W", u, v, start, minutes, mode, before)`` a walk from ``u`` to ``v`` starting at
    ``start``, after ``before``.
    """

    conns: Connections
    origin: int
    depart: float
    arrival: np.ndarray
    label: list[Any]
    w_dep: np.ndarray
    w_arr: np.ndarray
    w_from: np.ndarray
    w_to: np.ndarray
    w_trip: np.ndarray
    n_days: int


def _window(
    c: Connections, depart: float, horizon: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Connections departing in [depart, depart + horizon], with the daily runs unrolled.

    Each run of a ride (started ``k`` days before or after the departure day) is its own trip
    instance, numbered ``trip * n_days + (k - k_min)``. The last array gives each window
    connection's position in ``c``.
    """
    if not len(c):
        e = np.zeros(0, dtype=np.int64)
        return e.astype(float), e.astype(float), e, e, e, e, 1
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
        e = np.zeros(0, dtype=np.int64)
        return e.astype(float), e.astype(float), e, e, e, e, n_days
    dep = np.concatenate([c.departure[lo:hi] + k * DAY for k, lo, hi in parts])
    arr = np.concatenate([c.arrival[lo:hi] + k * DAY for k, lo, hi in parts])
    base = np.concatenate([np.arange(lo, hi) for _, lo, hi in parts])
    trip = np.concatenate([c.trip[lo:hi] * n_days + (k - k_min) for k, lo, hi in parts])
    order = np.lexsort((c.position[base], arr, dep))
    base = base[order]
    return (
        dep[order],
        arr[order],
        c.from_station[base],
        c.to_station[base],
        trip[order],
        base,
        n_days,
    )


@dataclass(frozen=True)
class _Unrolled:
    """Every daily run of every ride from day ``k_lo`` to ``k_hi``, sorted as a scan needs."""

    k_lo: int
    k_hi: int
    n_days: int
    dep: np.ndarray
    arr: np.ndarray
    frm: np.ndarray
    to: np.ndarray
    trip: np.ndarray  # trip instance: ride * n_days + (day - k_lo)
    board: np.ndarray
    alight: np.ndarray


def _unroll(c: Connections, k_lo: int, k_hi: int) -> _Unrolled:
    days = np.arange(k_lo, k_hi + 1)
    n_days, m = len(days), len(c)
    dep = (c.departure[None, :] + days[:, None] * DAY).ravel()
    arr = (c.arrival[None, :] + days[:, None] * DAY).ravel()
    base = np.tile(np.arange(m), n_days)
    trip = (c.trip[None, :] * n_days + (days - k_lo)[:, None]).ravel()
    order = np.lexsort((c.position[base], arr, dep))
    base = base[order]
    return _Unrolled(
        k_lo,
        k_hi,
        n_days,
        np.ascontiguousarray(dep[order]),
        np.ascontiguousarray(arr[order]),
        np.ascontiguousarray(c.from_station[base]),
        np.ascontiguousarray(c.to_station[base]),
        np.ascontiguousarray(trip[order]),
        np.ascontiguousarray(c.board[base]),
        np.ascontiguousarray(c.alight[base]),
    )


def _day_range(c: Connections, depart: float, horizon: float) -> tuple[int, int]:
    """The days whose runs can depart in [depart, depart + horizon] (as :func:`_window`)."""
    latest = float(c.departure.max()) if len(c) else 0.0
    return math.floor((depart - latest) / DAY), math.floor((depart + horizon) / DAY)


def engine_available() -> bool:
    """Whether the compiled engine (numba) is installed: ``pip install "belt-graph[fast]"``."""
    from ._engine import COMPILED

    return COMPILED


@dataclass(frozen=True)
class _FastScan:
    """Result of one query of the compiled engine: arrivals and the labels to rebuild journeys."""

    conns: Connections
    origin: int
    depart: float
    arrival: np.ndarray
    u: _Unrolled
    labels: tuple[np.ndarray, ...]  # a_kind, a_idx, a_prev, r_kind, r_idx, r_prev
    enter_conn: np.ndarray


def _fast_scan(
    c: Connections,
    origin: str,
    depart: float,
    *,
    min_transfer_minutes: float,
    horizon: float,
    target: str | None = None,
) -> _FastScan:
    from . import _engine as E

    _check_query(c, origin, depart, min_transfer_minutes)
    u = c.unrolled(*_day_range(c, depart, horizon))
    lo = int(np.searchsorted(u.dep, depart, side="left"))
    hi = int(np.searchsorted(u.dep, depart + horizon, side="right"))
    n = len(c.stations)
    change = np.where(np.isnan(c.change), min_transfer_minutes, c.change)
    arrival, ready, by_train = np.empty(n), np.empty(n), np.empty(n)
    a_kind, r_kind = np.zeros(n, np.int8), np.zeros(n, np.int8)
    a_idx, a_prev, r_idx, r_prev, reached = (np.zeros(n, np.int64) for _ in range(5))
    n_trips = (int(c.trip.max()) + 1) * u.n_days if len(c) else 1
    enter_stamp = np.full(n_trips, -1, np.int64)
    enter_conn = np.zeros(n_trips, np.int64)
    E.scan(
        u.dep, u.arr, u.frm, u.to, u.trip, u.board, u.alight, lo, hi, change, c.transit,
        c.walk_start, c.walk_to, c.walk_minutes, c.index[origin], float(depart),
        c.index.get(target, -1) if target is not None else -1, 0,
        arrival, ready, by_train, a_kind, a_idx, a_prev, r_kind, r_idx, r_prev,
        enter_stamp, enter_conn, reached,
    )  # fmt: skip
    return _FastScan(
        c,
        c.index[origin],
        float(depart),
        arrival,
        u,
        (a_kind, a_idx, a_prev, r_kind, r_idx, r_prev),
        enter_conn,
    )


def _fast_legs(s: _FastScan, station: int) -> pd.DataFrame:
    """The legs of the earliest journey to ``station`` from a :class:`_FastScan`."""
    from ._engine import ORIGIN, TRAIN

    c, u = s.conns, s.u
    a_kind, a_idx, a_prev, r_kind, r_idx, r_prev = s.labels
    walk_from = c.walk_from
    rows = []
    kind, idx, prev = int(a_kind[station]), int(a_idx[station]), int(a_prev[station])
    guard = 0
    while kind != ORIGIN:
        if kind == TRAIN:
            i = idx
            j = int(s.enter_conn[u.trip[i]])
            ride = int(u.trip[i]) // u.n_days
            train = int(c.trip_train[ride])
            rows.append(
                (
                    c.trains[train],
                    c.train_mode[train],
                    c.stations[int(u.frm[j])],
                    c.stations[int(u.to[i])],
                    float(u.dep[j]),
                    float(u.arr[i]),
                )
            )
            b = int(u.frm[j])
            kind, idx, prev = int(r_kind[b]), int(r_idx[b]), int(r_prev[b])
        else:
            e = idx
            if prev >= 0:  # after a train
                start = float(u.arr[prev])
                nxt = (TRAIN, prev, 0)
            elif prev == -1:  # from the origin
                start = s.depart
                nxt = (ORIGIN, 0, 0)
            else:  # after the origin's walk to a station
                e1 = -prev - 2
                start = s.depart + float(c.walk_minutes[e1])
                nxt = (3, e1, -1)
            rows.append(
                (
                    "",
                    c.walk_mode[e],
                    c.stations[int(walk_from[e])],
                    c.stations[int(c.walk_to[e])],
                    start,
                    start + float(c.walk_minutes[e]),
                )
            )
            kind, idx, prev = nxt
        guard += 1
        if guard > 4 * len(c.stations) + 8:  # pragma: no cover - would mean a bug
            raise RuntimeError("journey reconstruction did not reach the origin")
    df = pd.DataFrame(rows[::-1], columns=_LEG_COLUMNS[:6])
    df["departure_time"] = [format_clock(x) for x in df["departure"]]
    df["arrival_time"] = [format_clock(x) for x in df["arrival"]]
    df["minutes"] = df["arrival"] - df["departure"]
    return df[_LEG_COLUMNS]


def _check_query(c: Connections, origin: str, depart: float, min_transfer_minutes: float) -> None:
    if not math.isfinite(depart) or depart < 0:
        raise ValueError(f"depart must be minutes >= 0 after midnight, got {depart!r}")
    if not math.isfinite(min_transfer_minutes) or min_transfer_minutes < 0:
        raise ValueError(
            f"min_transfer_minutes must be a finite number >= 0, got {min_transfer_minutes!r}"
        )
    if origin not in c.index:
        raise UnknownPlaceError(origin)


def _search(
    c: Connections,
    origin: str,
    depart: float,
    *,
    min_transfer_minutes: float,
    horizon: float,
    target: str | None = None,
    engine: str = "auto",
) -> _Scan | _FastScan:
    """One query on the compiled engine when it is installed, else on the reference scan."""
    if engine == "reference" or (engine == "auto" and not engine_available()):
        return _scan(
            c,
            origin,
            depart,
            min_transfer_minutes=min_transfer_minutes,
            horizon=horizon,
            target=target,
        )
    return _fast_scan(
        c,
        origin,
        depart,
        min_transfer_minutes=min_transfer_minutes,
        horizon=horizon,
        target=target,
    )


def _check_engine(engine: str) -> str:
    if engine not in ("auto", "fast", "reference"):
        raise ValueError(f"engine must be 'auto', 'fast' or 'reference', got {engine!r}")
    if engine == "fast" and not engine_available():
        raise ValueError('the fast engine needs numba: pip install "belt-graph[fast]"')
    return engine


def _journey_legs(s: _Scan | _FastScan, station: int) -> pd.DataFrame:
    return _fast_legs(s, station) if isinstance(s, _FastScan) else _legs(s, station)


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
    _check_query(c, origin, depart, min_transfer_minutes)
    index = c.index
    dep, arr, frm, to, trip, base, n_days = _window(c, depart, horizon)
    n = len(c.stations)
    o = index[origin]
    stop = index.get(target, -1) if target is not None else -1
    change = np.where(np.isnan(c.change), min_transfer_minutes, c.change).tolist()
    transit = c.transit.tolist()
    walk_start, walk_to = c.walk_start.tolist(), c.walk_to.tolist()
    walk_minutes, walk_mode = c.walk_minutes.tolist(), c.walk_mode
    arrival = [math.inf] * n
    ready = [math.inf] * n
    by_train = [math.inf] * n
    label: list[Any] = [None] * n  # how the earliest arrival was reached
    ready_label: list[Any] = [None] * n  # how the earliest readiness to board was reached
    start: tuple[Any, ...] = ("O",)
    arrival[o] = ready[o] = depart
    label[o] = ready_label[o] = start

    def walk(u: int, at: float, before: tuple[Any, ...], stations_only: bool) -> list[int]:
        """Walk from ``u`` (reached at ``at`` by ``before``) along each of its walks."""
        reached = []
        for e in range(walk_start[u], walk_start[u + 1]):
            w = walk_to[e]
            if stations_only and not transit[w]:
                continue
            t = at + walk_minutes[e]
            step = ("W", u, w, at, walk_minutes[e], walk_mode[e], before)
            if t < arrival[w]:
                arrival[w], label[w] = t, step
                reached.append(w)
            if transit[w] and t < ready[w]:  # walking includes the change
                ready[w], ready_label[w] = t, step
        return reached

    # from the origin: its walks; from a place, its stations and then one change of station
    # from each, starting from the walk to it
    first = [(w, arrival[w], label[w]) for w in walk(o, depart, start, False)]
    if not transit[o]:
        for w, at, how in first:
            walk(w, at, how, True)
    on: dict[int, tuple[int, tuple[Any, ...]]] = {}  # trip instance -> (boarded at, label)
    dep_l, arr_l, frm_l, to_l, trip_l = (x.tolist() for x in (dep, arr, frm, to, trip))
    board_l, alight_l = c.board[base].tolist(), c.alight[base].tolist()
    for i in range(len(dep_l)):
        d = dep_l[i]
        if stop >= 0 and d >= arrival[stop]:
            break
        t = trip_l[i]
        boarded = on.get(t)
        if boarded is None:
            u = frm_l[i]
            if not board_l[i] or ready[u] > d:
                continue
            boarded = on[t] = (i, ready_label[u])
        if not alight_l[i]:
            continue
        a = arr_l[i]
        v = to_l[i]
        if a < by_train[v]:  # the earliest train here: changes and walks start from it
            by_train[v] = a
            step = ("T", boarded[0], i, boarded[1])
            if a < arrival[v]:
                arrival[v], label[v] = a, step
            if a + change[v] < ready[v]:
                ready[v], ready_label[v] = a + change[v], step
            walk(v, a, step, False)
    return _Scan(c, o, depart, np.array(arrival), label, dep, arr, frm, to, trip, n_days)


def earliest_arrival(
    conns: Connections,
    origin: str,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    max_minutes: float = DEFAULT_MAX_HOURS * 60,
    engine: str = "auto",
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
    engine : {"auto", "fast", "reference"}
        ``fast``: the compiled engine (needs numba, ``pip install "belt-graph[fast]"``);
        ``reference``: the pure-Python scan that the tests compare it with; ``auto``: fast
        when numba is installed. Both give the same answers.

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
    s = _search(
        conns,
        origin,
        depart,
        min_transfer_minutes=min_transfer_minutes,
        horizon=max_minutes,
        engine=_check_engine(engine),
    )
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
        One row per train ridden or walk: ``train`` (empty for a walk), ``mode`` (the train's,
        or the walk's link: ``walk``, ``metro``, ``access`` ...), ``from``, ``to``,
        ``departure``, ``arrival`` (minutes after midnight of the departure day),
        ``departure_time``, ``arrival_time`` (``HH:MM``, ``+N`` for later days) and
        ``minutes`` (in the train, or walking).
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
        return _leg_sums(self.legs)[0]

    @property
    def walk_minutes(self) -> float:
        """Minutes walking (changes of station, access to places)."""
        return _leg_sums(self.legs)[1]

    @property
    def wait_minutes(self) -> float:
        """Minutes waiting: at the origin before the first train, and between trains."""
        return self.minutes - self.in_vehicle_minutes - self.walk_minutes

    @property
    def changes(self) -> int:
        """Changes of train."""
        return max(_leg_sums(self.legs)[2] - 1, 0)


def _leg_sums(legs: pd.DataFrame) -> tuple[float, float, int]:
    """Minutes on trains, minutes walking, and the number of trains of a journey's legs."""
    if not len(legs):
        return 0.0, 0.0, 0
    on_train = (legs["train"] != "").to_numpy()
    minutes = legs["minutes"].to_numpy(dtype=float)
    return float(minutes[on_train].sum()), float(minutes[~on_train].sum()), int(on_train.sum())


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
    "mode",
    "from",
    "to",
    "departure",
    "arrival",
    "departure_time",
    "arrival_time",
    "minutes",
]


def _legs(s: _Scan, station: int) -> pd.DataFrame:
    """The legs of the earliest journey to ``station``: trains and walks, in order."""
    c = s.conns
    rows = []
    step = s.label[station]
    guard = 0
    while step[0] != "O":
        if step[0] == "T":
            _, j, i, before = step
            t = int(s.w_trip[i]) // s.n_days
            train = int(c.trip_train[t])
            rows.append(
                (
                    c.trains[train],
                    c.train_mode[train],
                    c.stations[int(s.w_from[j])],
                    c.stations[int(s.w_to[i])],
                    float(s.w_dep[j]),
                    float(s.w_arr[i]),
                )
            )
        else:
            _, u, w, at, minutes, mode, before = step
            rows.append(("", mode, c.stations[u], c.stations[w], at, at + minutes))
        step = before
        guard += 1
        if guard > 2 * len(c) + 4:  # pragma: no cover - would mean a bug in the scan
            raise RuntimeError("journey reconstruction did not reach the origin")
    df = pd.DataFrame(rows[::-1], columns=_LEG_COLUMNS[:6])
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
    engine: str = "auto",
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
    s = _search(
        conns,
        origin,
        depart,
        min_transfer_minutes=min_transfer_minutes,
        horizon=max_hours * 60,
        target=destination,
        engine=_check_engine(engine),
    )
    d = index[destination]
    if not math.isfinite(s.arrival[d]):
        raise NoRouteError(origin, destination)
    return Journey(origin, destination, depart, _journey_legs(s, d))


def timetable_reach(
    conns: Connections,
    origin: str,
    hours: float,
    depart: float,
    *,
    min_transfer_minutes: float = DEFAULT_MIN_TRANSFER_MINUTES,
    engine: str = "auto",
) -> pd.DataFrame:
    """Return the stations reached within ``hours`` of leaving ``origin`` at ``depart``.

    Returns
    -------
    DataFrame
        Indexed by ``node`` (the origin included at 0 minutes), sorted by minutes then id;
        columns ``minutes`` (from the requested departure to the earliest arrival, waiting
        included), ``hours``, ``arrival_time`` (``HH:MM``, ``+1`` the next day),
        ``first_train``, ``first_departure_time``, ``wait_minutes`` (at the origin and between
        trains), ``in_vehicle_minutes``, ``walk_minutes`` (changes of station and access to
        places) and ``changes``.

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
    s = _search(
        conns,
        origin,
        depart,
        min_transfer_minutes=min_transfer_minutes,
        horizon=limit,
        engine=_check_engine(engine),
    )
    limit += depart
    rows = []
    for v in np.flatnonzero(s.arrival <= limit):
        legs = _journey_legs(s, int(v))
        in_vehicle, walking, trains = _leg_sums(legs)
        rides = legs[legs["train"] != ""]
        minutes = float(s.arrival[v]) - depart
        rows.append(
            {
                "node": s.conns.stations[v],
                "minutes": minutes,
                "hours": minutes / 60,
                "arrival_time": format_clock(float(s.arrival[v])),
                "first_train": str(rides["train"].iat[0]) if len(rides) else "",
                "first_departure_time": rides["departure_time"].iat[0] if len(rides) else "",
                "wait_minutes": minutes - in_vehicle - walking,
                "in_vehicle_minutes": in_vehicle,
                "walk_minutes": walking,
                "changes": max(trains - 1, 0),
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
        "walk_minutes",
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
    # both sums are of the same link minutes in another order: drop the rounding noise
    table["imposed_minutes"] = (table["minutes"] - table["link_minutes"]).round(9)
    return table
