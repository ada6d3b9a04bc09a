"""Earliest arrival over a real timetable: the Connection Scan and its rules.

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

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._units import check_hours
from ..errors import UnknownPlaceError
from .schedule import (
    DAY,
    DEFAULT_MAX_HOURS,
    DEFAULT_MIN_TRANSFER_MINUTES,
    MAX_TIMETABLE_HOURS,
    Connections,
    _day_range,
    _Unrolled,
    format_clock,
)

__all__ = ["earliest_arrival"]


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
    """Return connections departing in [depart, depart + horizon], with the daily runs unrolled.

    Each run of a ride (started ``k`` days before or after the departure day) is its own trip
    instance, numbered ``trip * n_days + (k - k_min)``. The last array gives each window
    connection's position in ``c``.
    """
    if not len(c):
        e = np.zeros(0, dtype=np.int64)
        return e.astype(float), e.astype(float), e, e, e, e, 1
    k_min, k_max = _day_range(c, depart, horizon)
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


def engine_available() -> bool:
    """Whether the compiled engine (numba) is installed: ``pip install "belt-graph[fast]"``.

    Returns
    -------
    bool
        Whether numba is installed (the compiled engine runs).

    """
    from ._kernels import COMPILED

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
    from . import _kernels as E

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
    """Return the legs of the earliest journey to ``station`` from a :class:`_FastScan`."""
    from ._kernels import ORIGIN, TRAIN

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
    >>> from belt_graph import connections
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
    """Return the legs of the earliest journey to ``station``: trains and walks, in order."""
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
