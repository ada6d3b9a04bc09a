"""The fast timetable engine (private): one Connection Scan kernel, compiled with numba.

The kernel is the search of :mod:`belt_graph.timetable`, rule for rule (its docstring states
them), written over flat numpy arrays so that numba can compile it: boarding only where allowed,
each station's own change time, at most one walk between two trains, a place never passed
through. :func:`scan` answers one query and leaves the labels from which the journey is rebuilt;
:func:`sweep_profile` answers every departure of a window from each origin in one scan (labels
carry the latest departure that reaches them); :func:`sweep`, a scan per origin and departure,
is the engine it replaced, kept for the tests and the benchmark to compare with.

numba is optional (``pip install "belt-graph[fast]"``, :mod:`belt_graph._compiled`): without
it, :data:`COMPILED` is False and the callers use the pure-Python reference scan instead, which
gives the same answers, slower. The tests compare the two on random and real timetables.
"""

from __future__ import annotations

import math

import numpy as np

from .._compiled import COMPILED, jit
from ..network.dijkstra import _heap_pop, _heap_push

__all__ = ["COMPILED", "UNREACHED", "scan", "sweep", "sweep_profile"]

#: Label kinds: how a station was reached (or made ready to board).
NONE, ORIGIN, TRAIN, WALK = 0, 1, 2, 3
UNREACHED = math.inf


@jit
def _walk_from(
    u: int,
    at: float,
    prev: int,
    stations_only: bool,
    walk_start: np.ndarray,
    walk_to: np.ndarray,
    walk_min: np.ndarray,
    transit: np.ndarray,
    arrival: np.ndarray,
    ready: np.ndarray,
    a_kind: np.ndarray,
    a_idx: np.ndarray,
    a_prev: np.ndarray,
    r_kind: np.ndarray,
    r_idx: np.ndarray,
    r_prev: np.ndarray,
    reached: np.ndarray,
) -> int:
    """Walk from ``u`` (reached at ``at``) along each of its walks.

    ``prev`` says how ``u`` was reached (a connection index, -1 the origin, -(e + 2) the origin's
    walk ``e``). Writes the stations whose arrival improved into ``reached`` and returns how many.
    """
    count = 0
    for e in range(walk_start[u], walk_start[u + 1]):
        w = walk_to[e]
        if stations_only and not transit[w]:
            continue
        t = at + walk_min[e]
        if t < arrival[w]:
            arrival[w] = t
            a_kind[w] = WALK
            a_idx[w] = e
            a_prev[w] = prev
            reached[count] = w
            count += 1
        if transit[w] and t < ready[w]:
            ready[w] = t
            r_kind[w] = WALK
            r_idx[w] = e
            r_prev[w] = prev
    return count


@jit
def scan(
    dep: np.ndarray,
    arr: np.ndarray,
    frm: np.ndarray,
    to: np.ndarray,
    trip: np.ndarray,
    board: np.ndarray,
    alight: np.ndarray,
    lo: int,
    hi: int,
    change: np.ndarray,
    transit: np.ndarray,
    walk_start: np.ndarray,
    walk_to: np.ndarray,
    walk_min: np.ndarray,
    origin: int,
    depart: float,
    target: int,
    stamp: int,
    arrival: np.ndarray,
    ready: np.ndarray,
    by_train: np.ndarray,
    a_kind: np.ndarray,
    a_idx: np.ndarray,
    a_prev: np.ndarray,
    r_kind: np.ndarray,
    r_idx: np.ndarray,
    r_prev: np.ndarray,
    enter_stamp: np.ndarray,
    enter_conn: np.ndarray,
    reached: np.ndarray,
) -> None:
    """One earliest-arrival query over connections ``lo:hi`` (sorted by departure).

    ``stamp`` must differ between queries that share ``enter_stamp`` (it marks the trips
    boarded in this query without clearing the array). Results: ``arrival`` (inf where not
    reached) and the labels ``a_*`` (how each station was reached), ``r_*`` (how each became
    ready to board) and ``enter_conn`` (where each boarded trip was boarded).
    """
    n = arrival.shape[0]
    for v in range(n):
        arrival[v] = UNREACHED
        ready[v] = UNREACHED
        by_train[v] = UNREACHED
        a_kind[v] = NONE
        r_kind[v] = NONE
    arrival[origin] = depart
    ready[origin] = depart
    a_kind[origin] = ORIGIN
    r_kind[origin] = ORIGIN
    first = _walk_from(
        origin, depart, -1, False, walk_start, walk_to, walk_min, transit,
        arrival, ready, a_kind, a_idx, a_prev, r_kind, r_idx, r_prev, reached,
    )  # fmt: skip
    if not transit[origin]:
        # from a place: its stations, then one change of station from each (starting from
        # the walk to it, not from another station's change)
        hop = reached[:first].copy()
        hop_time = np.empty(first)
        hop_edge = np.empty(first, dtype=np.int64)
        for k in range(first):
            hop_time[k] = arrival[hop[k]]
            hop_edge[k] = a_idx[hop[k]]
        for k in range(first):
            _walk_from(
                hop[k], hop_time[k], -(hop_edge[k] + 2), True, walk_start, walk_to, walk_min,
                transit, arrival, ready, a_kind, a_idx, a_prev, r_kind, r_idx, r_prev, reached,
            )  # fmt: skip
    for i in range(lo, hi):
        d = dep[i]
        if target >= 0 and d >= arrival[target]:
            break
        t = trip[i]
        if enter_stamp[t] != stamp:
            u = frm[i]
            if not board[i] or ready[u] > d:
                continue
            enter_stamp[t] = stamp
            enter_conn[t] = i
        if not alight[i]:
            continue
        a = arr[i]
        v = to[i]
        if a < by_train[v]:  # the earliest train here: changes and walks start from it
            by_train[v] = a
            if a < arrival[v]:
                arrival[v] = a
                a_kind[v] = TRAIN
                a_idx[v] = i
            if a + change[v] < ready[v]:
                ready[v] = a + change[v]
                r_kind[v] = TRAIN
                r_idx[v] = i
            _walk_from(
                v, a, i, False, walk_start, walk_to, walk_min, transit,
                arrival, ready, a_kind, a_idx, a_prev, r_kind, r_idx, r_prev, reached,
            )  # fmt: skip


@jit
def sweep(
    dep: np.ndarray,
    arr: np.ndarray,
    frm: np.ndarray,
    to: np.ndarray,
    trip: np.ndarray,
    board: np.ndarray,
    alight: np.ndarray,
    change: np.ndarray,
    transit: np.ndarray,
    walk_start: np.ndarray,
    walk_to: np.ndarray,
    walk_min: np.ndarray,
    n_trips: int,
    origins: np.ndarray,
    departs: np.ndarray,
    horizon: float,
    out: np.ndarray,
) -> None:
    """Fill ``out`` with the earliest arrivals for every origin and departure.

    ``out[i, j, v]`` is the arrival at station ``v`` leaving ``origins[i]`` at ``departs[j]`` (inf
    beyond ``horizon`` minutes).
    """
    n = out.shape[2]
    arrival = np.empty(n)
    ready = np.empty(n)
    by_train = np.empty(n)
    a_kind = np.zeros(n, dtype=np.int8)
    r_kind = np.zeros(n, dtype=np.int8)
    a_idx = np.zeros(n, dtype=np.int64)
    a_prev = np.zeros(n, dtype=np.int64)
    r_idx = np.zeros(n, dtype=np.int64)
    r_prev = np.zeros(n, dtype=np.int64)
    reached = np.zeros(n, dtype=np.int64)
    enter_stamp = np.full(n_trips, -1, dtype=np.int64)
    enter_conn = np.zeros(n_trips, dtype=np.int64)
    stamp = 0
    for i in range(origins.shape[0]):
        for j in range(departs.shape[0]):
            d = departs[j]
            lo = np.searchsorted(dep, d, side="left")
            hi = np.searchsorted(dep, d + horizon, side="right")
            scan(
                dep, arr, frm, to, trip, board, alight, lo, hi, change, transit,
                walk_start, walk_to, walk_min, origins[i], d, -1, stamp,
                arrival, ready, by_train, a_kind, a_idx, a_prev, r_kind, r_idx, r_prev,
                enter_stamp, enter_conn, reached,
            )  # fmt: skip
            stamp += 1
            for v in range(n):
                out[i, j, v] = arrival[v] if arrival[v] <= d + horizon else UNREACHED


@jit
def boardable_index(
    dep: np.ndarray, frm: np.ndarray, board: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return each station's boardable departures, in order: ``(start, times)``.

    ``times[start[v]:start[v + 1]]`` are the departure minutes of the connections that may be
    boarded at station ``v`` (``dep`` is sorted, so each station's run is sorted too).
    """
    start = np.zeros(n + 1, dtype=np.int64)
    for i in range(dep.shape[0]):
        if board[i]:
            start[frm[i] + 1] += 1
    for v in range(n):
        start[v + 1] += start[v]
    fill = start[:-1].copy()
    times = np.empty(start[n])
    for i in range(dep.shape[0]):
        if board[i]:
            times[fill[frm[i]]] = dep[i]
            fill[frm[i]] += 1
    return start, times


@jit
def _start(
    origin: int,
    depart: float,
    transit: np.ndarray,
    walk_start: np.ndarray,
    walk_to: np.ndarray,
    walk_min: np.ndarray,
    arrival: np.ndarray,
    ready: np.ndarray,
    hop_time: np.ndarray,
    touched: np.ndarray,
) -> int:
    """Where a rider leaving ``origin`` at ``depart`` is before any train, as :func:`scan` starts.

    ``arrival`` and ``ready`` must be unreached (inf) on entry; the stations given a time are
    written to ``touched`` (their count returned), for the caller to read and reset.
    ``hop_time`` is scratch.
    """
    arrival[origin] = depart
    ready[origin] = depart
    touched[0] = origin
    count = 1
    for e in range(walk_start[origin], walk_start[origin + 1]):
        w = walk_to[e]
        t = depart + walk_min[e]
        if t < arrival[w]:
            if arrival[w] == UNREACHED and ready[w] == UNREACHED:
                touched[count] = w
                count += 1
            arrival[w] = t
        if transit[w] and t < ready[w]:
            ready[w] = t
    if not transit[origin]:
        # from a place: one change of station from each of its stations, walking on from
        # the walk to it (the times of the first walks, all of them taken first)
        first = count
        for m in range(1, first):
            hop_time[m] = arrival[touched[m]]
        for m in range(1, first):
            h = touched[m]
            at = hop_time[m]
            for e in range(walk_start[h], walk_start[h + 1]):
                w = walk_to[e]
                if not transit[w]:
                    continue
                t = at + walk_min[e]
                if arrival[w] == UNREACHED and ready[w] == UNREACHED:
                    touched[count] = w
                    count += 1
                if t < arrival[w]:
                    arrival[w] = t
                if t < ready[w]:
                    ready[w] = t
    return count


@jit
def sweep_profile(
    dep: np.ndarray,
    arr: np.ndarray,
    frm: np.ndarray,
    to: np.ndarray,
    trip: np.ndarray,
    board: np.ndarray,
    alight: np.ndarray,
    change: np.ndarray,
    transit: np.ndarray,
    walk_start: np.ndarray,
    walk_to: np.ndarray,
    walk_min: np.ndarray,
    n_trips: int,
    origins: np.ndarray,
    departs: np.ndarray,
    horizon: float,
    out: np.ndarray,
) -> None:
    """Fill ``out`` as :func:`sweep` does, in one scan per origin for all departures.

    ``departs`` must be increasing. A journey that leaves at ``departs[k]`` can also be taken
    leaving earlier (waiting at the origin), so each label carries the **latest departure**
    (its index) with which it is reached: a station is ready to board from the latest
    departure whose rider is there by the train's time; a trip carries the latest departure
    that boarded it; an arrival at a station is kept for that departure. The earliest arrival
    leaving at ``departs[j]`` is then the smallest arrival kept for any departure from ``j``
    on. Every rule of :func:`scan` holds, step for step: boarding only where allowed, each
    station's change time (a pending "ready at" event per arrival, released in time order as
    the scan passes it), at most one walk between two trains, a place never passed through.
    The answers are the same numbers as :func:`sweep`'s (the tests compare the two).
    """
    n = out.shape[2]
    n_dep = departs.shape[0]
    if n_dep == 0:
        return
    start_arrival = np.full(n, UNREACHED)
    start_ready = np.full(n, UNREACHED)
    hop_time = np.empty(n)
    reached = np.zeros(n, dtype=np.int64)
    ready_from = np.empty(n, dtype=np.int64)  # the latest departure ready here by now
    on_trip = np.empty(n_trips, dtype=np.int64)  # the latest departure on board each trip
    lo = np.searchsorted(dep, departs[0], side="left")
    hi = np.searchsorted(dep, departs[n_dep - 1] + horizon, side="right")
    most_walks = 0
    for v in range(n):
        most_walks = max(most_walks, walk_start[v + 1] - walk_start[v])
    cap = (hi - lo) * (1 + most_walks) + n_dep * n + 1
    keys = np.empty(cap)  # pending "ready at" events: time, and station * n_dep + departure
    items = np.empty(cap, dtype=np.int64)
    for i in range(origins.shape[0]):
        best = out[i]  # [departure, station]: the earliest arrival kept for that departure
        best[:, :] = UNREACHED
        ready_from[:] = -1
        on_trip[:] = -1
        size = 0
        for j in range(n_dep):
            count = _start(
                origins[i], departs[j], transit, walk_start, walk_to, walk_min,
                start_arrival, start_ready, hop_time, reached,
            )  # fmt: skip
            for m in range(count):
                v = reached[m]
                if start_arrival[v] < best[j, v]:
                    best[j, v] = start_arrival[v]
                if start_ready[v] < UNREACHED:
                    size = _heap_push(keys, items, size, start_ready[v], v * n_dep + j)
                start_arrival[v] = UNREACHED
                start_ready[v] = UNREACHED
        for c in range(lo, hi):
            d = dep[c]
            while size > 0 and keys[0] <= d:
                size = _heap_pop(keys, items, size)
                s = items[size] // n_dep
                k = items[size] % n_dep
                if k > ready_from[s]:
                    ready_from[s] = k
            t = trip[c]
            if board[c] and ready_from[frm[c]] > on_trip[t]:
                on_trip[t] = ready_from[frm[c]]
            k = on_trip[t]
            if k < 0 or not alight[c]:
                continue
            a = arr[c]
            v = to[c]
            if a < best[k, v]:
                best[k, v] = a
            if k > ready_from[v]:
                size = _heap_push(keys, items, size, a + change[v], v * n_dep + k)
            for e in range(walk_start[v], walk_start[v + 1]):
                w = walk_to[e]
                tw = a + walk_min[e]
                if tw < best[k, w]:
                    best[k, w] = tw
                if transit[w] and k > ready_from[w]:
                    size = _heap_push(keys, items, size, tw, w * n_dep + k)
        for j in range(n_dep - 2, -1, -1):
            for v in range(n):
                if best[j + 1, v] < best[j, v]:
                    best[j, v] = best[j + 1, v]
        for j in range(n_dep):
            limit = departs[j] + horizon
            for v in range(n):
                if best[j, v] > limit:
                    best[j, v] = UNREACHED
