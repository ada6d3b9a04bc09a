"""Dijkstra's search over a CSR graph, compiled with numba when it is installed (private).

:func:`_settle` settles every node reachable from one source by increasing distance, counting
shortest paths as it goes; the matrix (:mod:`belt_graph.network.paths`) and centrality
(:mod:`belt_graph.network.brandes`) are built on it.

Where every weight is a whole number of minutes (as in the bundled datasets), the queue is a
ring of buckets, one per minute (Dial 1969): a node is put in the bucket of its distance and
taken out in order of the buckets, with no comparisons; distances are then sums of whole
numbers, exact in floating point, and the answers equal the heap's. Other weights use a binary
heap indexed by node, whose keys decrease in place. The kernels release the GIL, so blocks of
sources run in threads (:func:`over_blocks`), in a fixed order: the same numbers whatever the
number of threads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .._compiled import COMPILED, jit
from .._workers import cores

__all__ = [
    "BLOCKS",
    "MAX_BUCKETS",
    "buckets_for",
    "distance_rows",
    "over_blocks",
    "row_search",
]

#: Sources are split into this many blocks, whatever the number of threads, so that sums over
#: them are added in the same order on every machine.
BLOCKS = 32
#: The most buckets (the largest weight + 1) the bucket queue takes; past it, the heap.
MAX_BUCKETS = 1_000_000


def buckets_for(weights: np.ndarray) -> int:
    """Return the bucket queue's size for these weights, or 0 where the heap must be used.

    The buckets need whole, non-negative weights no larger than :data:`MAX_BUCKETS`.
    """
    if not weights.size:
        return 1
    top = float(weights.max())
    whole = bool(np.all(weights >= 0)) and bool(np.all(weights == np.floor(weights)))
    return int(top) + 1 if whole and top < MAX_BUCKETS else 0


@jit
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


@jit
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


@jit
def _scratch(n: int, m: int, buckets: int) -> tuple[np.ndarray, ...]:
    """Arrays for :func:`_settle`, for ``n`` nodes, ``m`` arcs and ``buckets`` buckets."""
    dist = np.full(n, np.inf)
    sigma = np.zeros(n)
    done = np.zeros(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    heap = np.empty(n, dtype=np.int64)
    pos = np.full(n, -1, dtype=np.int64)
    head = np.full(max(buckets, 1), -1, dtype=np.int64)
    e_node = np.empty(m + 1, dtype=np.int64)
    e_next = np.empty(m + 1, dtype=np.int64)
    return dist, sigma, done, order, heap, pos, head, e_node, e_next


@jit
def _sift_up(heap: np.ndarray, pos: np.ndarray, dist: np.ndarray, j: int, v: int) -> None:
    key = dist[v]
    while j > 0:
        parent = (j - 1) // 2
        if dist[heap[parent]] <= key:
            break
        heap[j] = heap[parent]
        pos[heap[j]] = j
        j = parent
    heap[j] = v
    pos[v] = j


@jit
def _pop_min(heap: np.ndarray, pos: np.ndarray, dist: np.ndarray, size: int) -> int:
    """Take the root off the heap of ``size`` entries and return it (``size - 1`` remain)."""
    top = heap[0]
    size -= 1
    if size > 0:
        last = heap[size]
        key = dist[last]
        j = 0
        while True:
            c = 2 * j + 1
            if c >= size:
                break
            if c + 1 < size and dist[heap[c + 1]] < dist[heap[c]]:
                c += 1
            if dist[heap[c]] >= key:
                break
            heap[j] = heap[c]
            pos[heap[j]] = j
            j = c
        heap[j] = last
        pos[last] = j
    return int(top)


@jit
def _settle(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    transit: np.ndarray,
    s: int,
    buckets: int,
    dist: np.ndarray,
    sigma: np.ndarray,
    done: np.ndarray,
    order: np.ndarray,
    heap: np.ndarray,
    pos: np.ndarray,
    head: np.ndarray,
    e_node: np.ndarray,
    e_next: np.ndarray,
) -> int:
    """Settle every node reachable from ``s`` by increasing distance; return how many.

    Fills ``dist``, ``sigma`` (the number of shortest paths, ties being equal float sums, as
    in NetworkX) and ``order`` (the settle order). A node whose ``transit`` is False is
    reached but never passed through (unless it is ``s``). ``buckets`` > 0: the ring of
    buckets (whole weights below ``buckets``); 0: the indexed heap. The caller resets ``dist``,
    ``sigma``, ``done`` and ``pos`` of the settled nodes before the next source.
    """
    dist[s] = 0.0
    sigma[s] = 1.0
    count = 0
    if buckets > 0:
        e_node[0] = s
        e_next[0] = -1
        head[0] = 0
        used = 1
        pending = 1
        cur = 0
        while pending > 0:
            b = cur % buckets
            e = head[b]
            if e == -1:
                cur += 1
                continue
            head[b] = e_next[e]
            pending -= 1
            v = e_node[e]
            if done[v] or dist[v] != cur:
                continue  # settled already, or put here before its distance fell
            done[v] = True
            order[count] = v
            count += 1
            if v != s and not transit[v]:
                continue
            dv = dist[v]
            for k in range(indptr[v], indptr[v + 1]):
                w = indices[k]
                if done[w]:
                    continue
                alt = dv + weights[k]
                if alt < dist[w]:
                    dist[w] = alt
                    sigma[w] = sigma[v]
                    bw = int(alt) % buckets
                    e_node[used] = w
                    e_next[used] = head[bw]
                    head[bw] = used
                    used += 1
                    pending += 1
                elif alt == dist[w]:
                    sigma[w] += sigma[v]
        return count
    heap[0] = s
    pos[s] = 0
    size = 1
    while size > 0:
        v = _pop_min(heap, pos, dist, size)
        size -= 1
        pos[v] = -1
        done[v] = True
        order[count] = v
        count += 1
        if v != s and not transit[v]:
            continue
        dv = dist[v]
        for k in range(indptr[v], indptr[v + 1]):
            w = indices[k]
            if done[w]:
                continue
            alt = dv + weights[k]
            if alt < dist[w]:
                dist[w] = alt
                sigma[w] = sigma[v]
                j = pos[w]
                if j == -1:
                    j = size
                    size += 1
                _sift_up(heap, pos, dist, j, w)
            elif alt == dist[w]:
                sigma[w] += sigma[v]
    return count


@jit
def distance_rows(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    sources: np.ndarray,
    buckets: int,
    out: np.ndarray,
) -> None:
    """Fill ``out[i]`` with the minutes from ``sources[i]`` to every node (inf: unreached)."""
    n = indptr.shape[0] - 1
    transit = np.ones(n, dtype=np.bool_)
    dist, sigma, done, order, heap, pos, head, e_node, e_next = _scratch(
        n, indices.shape[0], buckets
    )
    for i in range(sources.shape[0]):
        count = _settle(
            indptr, indices, weights, transit, sources[i], buckets,
            dist, sigma, done, order, heap, pos, head, e_node, e_next,
        )  # fmt: skip
        row = out[i]
        row[:] = np.inf
        for m in range(count):
            w = order[m]
            row[w] = dist[w]
            dist[w] = np.inf
            sigma[w] = 0.0
            done[w] = False


def over_blocks(
    kernel: Callable[[np.ndarray], Any], sources: np.ndarray, threads: int | None = None
) -> Iterator[tuple[int, Any]]:
    """Yield ``(end, kernel(block))`` for :data:`BLOCKS` blocks of ``sources``, in order.

    The blocks run in ``threads`` threads (default: the machine's cores); the compiled kernels
    release the GIL, so they run at once.
    """
    size = max(1, -(-len(sources) // BLOCKS))
    starts = range(0, len(sources), size)
    workers = max(1, min(threads or cores(), len(starts)))
    if workers == 1:
        for start in starts:
            yield min(start + size, len(sources)), kernel(sources[start : start + size])
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(kernel, sources[start : start + size]) for start in starts]
        for start, f in zip(starts, futures, strict=True):
            yield min(start + size, len(sources)), f.result()


def row_search(A: Any) -> Callable[[np.ndarray], np.ndarray] | None:
    """Return a search of rows of the sparse graph ``A``, compiled and threaded, or None.

    ``search(rows)`` is the array of minutes from each of ``rows`` to every node, as
    ``scipy.sparse.csgraph.dijkstra(A, directed=True, indices=rows)`` gives it (links are
    read from row to column). None without numba, or where a weight is negative or not a
    number: the caller uses scipy then.
    """
    if not COMPILED:
        return None
    data = np.asarray(A.data, dtype=float)
    if data.size and not (np.all(np.isfinite(data)) and float(data.min()) >= 0):
        return None
    indptr = np.asarray(A.indptr, dtype=np.int64)
    indices = np.asarray(A.indices, dtype=np.int64)
    n = A.shape[0]
    buckets = buckets_for(data)

    def search(rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty((len(rows), n))

        def block(at: np.ndarray) -> None:  # positions in ``rows``, one run of them
            part = slice(int(at[0]), int(at[-1]) + 1)
            distance_rows(indptr, indices, data, rows[part], buckets, out[part])

        for _ in over_blocks(block, np.arange(len(rows))):
            pass
        return out

    return search
