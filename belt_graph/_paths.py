"""Shared shortest-path helpers for the analysis modules (private).

The all-pairs work runs :func:`scipy.sparse.csgraph.dijkstra` on the weighted adjacency matrix in
chunks of origins, so that a caller can reduce each chunk (sums for closeness, weighted sums for
accessibility) without ever holding more than one chunk and its own output in memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from .network import check_weights, simple_graph

#: ``progress(done, total)``: called after each chunk of work.
Progress = Callable[[int, int], None]

#: Upper bound on the cells of one chunk of rows (8 bytes each: 64 MB).
CHUNK_CELLS = 8_000_000


def places(G: nx.Graph, *, include_hubs: bool = False) -> list[Any]:
    """Node ids (unchanged) of places (kind city, district or station), in graph order."""
    return [n for n, k in G.nodes(data="kind") if include_hubs or k in S.PLACE_KINDS]


def adjacency(G: nx.Graph, weight: str = S.MINUTES) -> tuple[list[Any], Any]:
    """Return the node order and the symmetric CSR matrix of ``weight`` (after checking it).

    Parallel edges of a MultiGraph count once, with the fastest weight; directed graphs are
    refused (:func:`~belt_graph.network.simple_graph`).
    """
    G = simple_graph(G, weight)
    check_weights(G, weight)
    order = list(G.nodes)
    A = nx.to_scipy_sparse_array(G, nodelist=order, weight=weight, format="csr")
    return order, A


def chunk_rows(n_columns: int, max_cells: int | None = None) -> int:
    """How many origins one chunk holds for ``n_columns`` destinations.

    At most :data:`CHUNK_CELLS` cells, and at most ``max_cells`` (at least 64 cells' worth)
    when given.
    """
    cells = CHUNK_CELLS if max_cells is None else min(CHUNK_CELLS, max(64, max_cells))
    return max(1, min(1024, cells // max(n_columns, 1)))


def iter_distances(
    A: Any,
    rows: Sequence[int],
    *,
    progress: Progress | None = None,
    max_cells: int | None = None,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(start, D)``: fastest minutes from ``rows[start:start+len(D)]`` to every node.

    ``D`` has ``inf`` where unreachable. ``A`` must be symmetric (an undirected graph), so the
    search runs as directed and scipy need not build the transpose on every call. A chunk holds
    at most ``max_cells`` cells (see :func:`chunk_rows`).
    """
    from scipy.sparse.csgraph import dijkstra

    n = A.shape[0]
    step = chunk_rows(n, max_cells)
    total = len(rows)
    for start in range(0, total, step):
        idx = np.asarray(rows[start : start + step], dtype=np.int64)
        yield start, dijkstra(A, directed=True, indices=idx)
        if progress is not None:
            progress(min(start + step, total), total)


def minutes_array(
    G: nx.Graph,
    nodes: Sequence[Any] | None = None,
    *,
    weight: str = S.MINUTES,
    progress: Progress | None = None,
) -> np.ndarray:
    """Fastest minutes between ``nodes`` (default all, in graph order) as a float64 array.

    Routes pass through every node of ``G``. Unreachable pairs are NaN. Peak memory is the
    result plus one chunk of rows (at most an eighth of the result's cells).
    """
    order, A = adjacency(G, weight)
    wanted = order if nodes is None else list(nodes)
    index = {n: i for i, n in enumerate(order)}
    rows = [index[n] for n in wanted]
    out = np.empty((len(rows), len(rows)), dtype=np.float64)
    same = rows == list(range(len(order)))
    cols = np.asarray(rows, dtype=np.int64)
    # chunks of at most an eighth of the result: scipy also allocates a predecessor array per
    # chunk, so the peak stays near 1.2 x the result
    budget = len(rows) * len(rows) // 8
    for start, D in iter_distances(A, rows, progress=progress, max_cells=budget):
        block = D if same else D[:, cols]
        block[np.isinf(block)] = math.nan
        out[start : start + len(D)] = block
        del D, block  # free this chunk before the next search allocates its own
    return out


def minutes_matrix(
    G: nx.Graph,
    nodes: Sequence[Any] | None = None,
    *,
    weight: str = S.MINUTES,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """:func:`minutes_array` as a DataFrame (index ``origin``, columns ``destination``)."""
    wanted = list(G.nodes) if nodes is None else list(nodes)
    D = minutes_array(G, wanted, weight=weight, progress=progress)
    df = pd.DataFrame(D, index=pd.Index(wanted, name="origin"), columns=wanted, copy=False)
    df.columns.name = "destination"
    return df
