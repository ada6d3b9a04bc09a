"""Brandes' betweenness over a CSR graph, compiled with numba when it is installed (private).

The kernel of :func:`belt_graph.betweenness` (:mod:`belt_graph.centralities`): a Dijkstra from
each source with a binary heap, then the dependencies summed back in reverse settle order.
"""

from __future__ import annotations

import numpy as np

from ._compiled import jit

__all__ = ["brandes"]


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
