"""The fast timetable engine (private): one Connection Scan kernel, compiled with numba.

The kernel is the search of :mod:`belt_graph.timetable`, rule for rule (its docstring states
them), written over flat numpy arrays so that numba can compile it: boarding only where allowed,
each station's own change time, at most one walk between two trains, a place never passed
through. :func:`scan` answers one query and leaves the labels from which the journey is rebuilt;
:func:`sweep` answers every (origin, departure) pair of a block in one compiled loop.

numba is optional (``pip install "belt-graph[fast]"``, :mod:`belt_graph._compiled`): without
it, :data:`COMPILED` is False and the callers use the pure-Python reference scan instead, which
gives the same answers, slower. The tests compare the two on random and real timetables.
"""

from __future__ import annotations

import math

import numpy as np

from .._compiled import COMPILED, jit

__all__ = ["COMPILED", "UNREACHED", "scan", "sweep"]

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


# --- betweenness ---------------------------------------------------------------------------------
