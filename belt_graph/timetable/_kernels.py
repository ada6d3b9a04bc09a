"""The fast timetable engine (private): one Connection Scan kernel, compiled with numba.

The kernel is the search of :mod:`belt_graph.timetable`, rule for rule (its docstring states
them), written over flat numpy arrays so that numba can compile it: boarding only where allowed,
each station's own change time, at most one walk between two trains, a place never passed
through. :func:`scan` answers one query and leaves the labels from which the journey is rebuilt;
:func:`sweep` answers every (origin, departure) pair of a block in one compiled loop.

numba is optional (``pip install "belt-graph[fast]"``): without it, :data:`COMPILED` is False and
the callers use the pure-Python reference scan instead, which gives the same answers, slower.
The tests compare the two on random and real timetables.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

numba: Any
try:  # optional: the fast path only
    if os.environ.get("BELT_GRAPH_NO_NUMBA"):
        raise ImportError("disabled by BELT_GRAPH_NO_NUMBA")
    import numba

    COMPILED = True
except ImportError:  # pragma: no cover - exercised where numba is not installed
    numba = None
    COMPILED = False

__all__ = ["COMPILED", "UNREACHED", "brandes", "scan", "sweep"]

#: Label kinds: how a station was reached (or made ready to board).
NONE, ORIGIN, TRAIN, WALK = 0, 1, 2, 3
UNREACHED = math.inf


def _jit(f: Callable[..., Any]) -> Callable[..., Any]:
    if numba is None:
        return f
    compiled: Callable[..., Any] = numba.njit(cache=True, nogil=True)(f)
    return compiled


@_jit
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


@_jit
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


@_jit
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


@_jit
def _heap_push(keys: np.ndarray, items: np.ndarray, size: int, key: float, item: int) -> int:
    i = size
    keys[i] = key
    items[i] = item
    while i > 0:
        parent = (i - 1) // 2
        if keys[parent] <= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        items[parent], items[i] = items[i], items[parent]
        i = parent
    return size + 1


@_jit
def _heap_pop(keys: np.ndarray, items: np.ndarray, size: int) -> int:
    """Move the smallest entry to ``size - 1`` (read it there) and restore the heap."""
    last = size - 1
    keys[0], keys[last] = keys[last], keys[0]
    items[0], items[last] = items[last], items[0]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= last:
            break
        small = left
        if left + 1 < last and keys[left + 1] < keys[left]:
            small = left + 1
        if keys[i] <= keys[small]:
            break
        keys[i], keys[small] = keys[small], keys[i]
        items[i], items[small] = items[small], items[i]
        i = small
    return last


@_jit
def brandes(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, sources: np.ndarray
) -> np.ndarray:
    """Return summed pair dependencies of every node over the given sources.

    Brandes 2001, weighted, positive weights: the same counts as NetworkX's
    ``betweenness_centrality`` before its normalisation. Shortest paths tie when their float sums
    are equal, as in NetworkX.
    """
    n = indptr.shape[0] - 1
    bc = np.zeros(n)
    dist = np.empty(n)
    sigma = np.empty(n)
    delta = np.empty(n)
    order = np.empty(n, dtype=np.int64)
    done = np.zeros(n, dtype=np.bool_)
    cap = indices.shape[0] + n + 1
    keys = np.empty(cap)
    items = np.empty(cap, dtype=np.int64)
    for s in sources:
        for v in range(n):
            dist[v] = np.inf
            sigma[v] = 0.0
            done[v] = False
        dist[s] = 0.0
        sigma[s] = 1.0
        size = _heap_push(keys, items, 0, 0.0, s)
        count = 0
        while size > 0:
            size = _heap_pop(keys, items, size)
            v = items[size]
            if done[v]:
                continue
            done[v] = True
            order[count] = v
            count += 1
            d = dist[v]
            for k in range(indptr[v], indptr[v + 1]):
                w = indices[k]
                if done[w]:
                    continue
                alt = d + weights[k]
                if alt < dist[w]:
                    dist[w] = alt
                    sigma[w] = sigma[v]
                    size = _heap_push(keys, items, size, alt, w)
                elif alt == dist[w]:
                    sigma[w] += sigma[v]
        for idx in range(count):
            delta[order[idx]] = 0.0
        for idx in range(count - 1, -1, -1):
            w = order[idx]
            coeff = (1.0 + delta[w]) / sigma[w]
            dw = dist[w]
            for k in range(indptr[w], indptr[w + 1]):
                v = indices[k]
                if v != w and done[v] and dist[v] + weights[k] == dw:
                    delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    return bc
