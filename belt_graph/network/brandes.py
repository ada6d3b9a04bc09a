"""Centrality over a CSR graph, compiled with numba when it is installed (private).

The kernels of :func:`belt_graph.betweenness` and :func:`belt_graph.closeness`
(:mod:`belt_graph.centralities`), on the search of :mod:`belt_graph.network.dijkstra` from
each source:
Brandes' betweenness sums the dependencies back in reverse settle order; closeness keeps each
source's count of nodes reached and sum of minutes. The caller runs blocks of sources in threads
(:func:`belt_graph.network.dijkstra.over_blocks`).
"""

from __future__ import annotations

import numpy as np

from .._compiled import jit
from .dijkstra import _scratch, _settle

__all__ = ["brandes", "closeness_sums"]


@jit
def brandes(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    sources: np.ndarray,
    buckets: int,
) -> np.ndarray:
    """Return summed pair dependencies of every node over the given sources.

    Brandes 2001, weighted, positive weights: the same counts as NetworkX's
    ``betweenness_centrality`` before its normalisation. Shortest paths tie when their float sums
    are equal, as in NetworkX. ``buckets``: see :func:`buckets_for`.
    """
    n = indptr.shape[0] - 1
    bc = np.zeros(n)
    delta = np.zeros(n)
    transit = np.ones(n, dtype=np.bool_)
    dist, sigma, done, order, heap, pos, head, e_node, e_next = _scratch(
        n, indices.shape[0], buckets
    )
    for s in sources:
        count = _settle(
            indptr, indices, weights, transit, s, buckets,
            dist, sigma, done, order, heap, pos, head, e_node, e_next,
        )  # fmt: skip
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
        for idx in range(count):
            w = order[idx]
            dist[w] = np.inf
            sigma[w] = 0.0
            done[w] = False
            delta[w] = 0.0
    return bc


@jit
def closeness_sums(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    transit: np.ndarray,
    sources: np.ndarray,
    buckets: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each source, the other nodes reached and the sum of their distances.

    A node whose ``transit`` is False is an end only: reached, never passed through (except
    from itself, as a source). ``buckets``: see :func:`buckets_for`.
    """
    n = indptr.shape[0] - 1
    reach = np.zeros(sources.shape[0], dtype=np.int64)
    total = np.zeros(sources.shape[0])
    dist, sigma, done, order, heap, pos, head, e_node, e_next = _scratch(
        n, indices.shape[0], buckets
    )
    for i in range(sources.shape[0]):
        count = _settle(
            indptr, indices, weights, transit, sources[i], buckets,
            dist, sigma, done, order, heap, pos, head, e_node, e_next,
        )  # fmt: skip
        acc = 0.0
        for m in range(count):
            acc += dist[order[m]]
        reach[i] = count - 1
        total[i] = acc
        for m in range(count):
            w = order[m]
            dist[w] = np.inf
            sigma[w] = 0.0
            done[w] = False
    return reach, total
