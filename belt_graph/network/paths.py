"""Shared shortest-path helpers for the analysis modules (private).

The all-pairs work runs Dijkstra's search on the weighted adjacency matrix in chunks of origins,
so that a caller can reduce each chunk (sums for closeness, weighted sums for accessibility)
without ever holding more than one chunk and its own output in memory. The search is compiled
and runs in threads where numba is installed (:mod:`belt_graph.network.dijkstra`); without it,
:func:`scipy.sparse.csgraph.dijkstra` searches, in forked processes for large matrices.

Stations under places: a place whose ``transit`` attribute is False (it has stations) is an end
of a route, never a step of one. The matrix search therefore runs on the *core* (every node a
route may pass through) and joins each place through its access links afterwards: from a place,
the minutes are the best over its stations of ``access + minutes from the station``; to a place,
the best over its stations of ``minutes to the station + access``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterator, Sequence
from itertools import count
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as S
from ..errors import GraphValidationError
from .arrays import (
    Entries,
    chunk_rows,
    fill_minutes,
    iter_place_minutes,
    minutes_budget,
    place_nodes,
)
from .arrays import (
    Progress as Progress,
)
from .journeys import has_services, journey_graph
from .layers import check_weights, simple_graph


def places(G: nx.Graph, *, include_hubs: bool = False) -> list[Any]:
    """Node ids (unchanged) of places, in graph order (see :func:`belt_graph.place_ids`).

    A graph with nodes but no place says why on the ``belt_graph`` logger: the answers built
    on its places (a matrix, a centrality table) come out empty.
    """
    return place_nodes(dict(G.nodes(data="kind")), include_hubs=include_hubs)


def ends_only(G: nx.Graph) -> set[Any]:
    """Nodes routes never pass through (places with stations: ``transit`` False)."""
    return {n for n, t in G.nodes(data=S.TRANSIT) if t is False}


def adjacency(G: nx.Graph, weight: str = S.MINUTES) -> tuple[list[Any], Any]:
    """Return the node order and the symmetric CSR matrix of ``weight`` (after checking it).

    Parallel edges of a MultiGraph count once, with the fastest weight; directed graphs are
    refused (:func:`~belt_graph.network.layers.simple_graph`).
    """
    G = simple_graph(G, weight)
    check_weights(G, weight)
    order = list(G.nodes)
    return order, link_matrix(G, {n: i for i, n in enumerate(order)}, weight)


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


def iter_minutes(
    G: nx.Graph,
    sources: Sequence[Any],
    targets: Sequence[Any] | None = None,
    *,
    weight: str = S.MINUTES,
    progress: Progress | None = None,
    max_cells: int | None = None,
    reduce: Callable[[np.ndarray], Any] | None = None,
) -> Iterator[tuple[int, Any]]:
    """Yield ``(start, D)``: fastest minutes from ``sources[start:start+len(D)]`` to ``targets``.

    ``D`` has ``inf`` where unreachable and 0 from a node to itself. Routes never pass through
    a place whose ``transit`` is False (see the module docstring). ``targets`` defaults to
    ``sources``. Peak memory is one chunk of searches (see :func:`chunk_rows`). With
    ``reduce``, each chunk is ``reduce(D)`` instead, computed where ``D`` is (in the worker
    process, when the matrix is searched by several), so that only what it returns travels.
    """
    G = simple_graph(G, weight)
    check_weights(G, weight)
    targets = list(sources) if targets is None else list(targets)
    t_pos = {t: j for j, t in enumerate(targets)}
    if has_services(G):  # journeys where changes cost time: from ready to arrive states
        J = journey_graph(G, weight)
        yield from iter_place_minutes(
            J.matrix,
            [],
            [J.ready[s] for s in sources],
            [[(J.arrive[t], 0.0)] for t in targets],
            [t_pos.get(s, -1) for s in sources],
            progress=progress,
            max_cells=max_cells,
            reduce=reduce,
        )
        return
    c = _Core(G, sources, weight)
    index, start_of, entries_core = c.index, c.start_of, c.entries
    yield from iter_place_minutes(
        c.A,
        [entries_core(n) for n in start_of],
        [index[s] if s in index else start_of[s] for s in sources],
        [[(index[t], 0.0)] if t in index else entries_core(t) for t in targets],
        [t_pos.get(s, -1) for s in sources],
        progress=progress,
        max_cells=max_cells,
        reduce=reduce,
    )


def _journey_search(
    G: nx.Graph, sources: list[Any], cutoff: float, weight: str, *, with_first: bool = False
) -> tuple[dict[Any, float], dict[Any, Any], dict[Any, Any], dict[Any, tuple[Any, float]]]:
    """:func:`cutoff_search` on a network of services (journeys where changes cost time)."""
    from scipy.sparse.csgraph import dijkstra

    J = journey_graph(G, weight)
    rows = np.array([J.ready[s] for s in dict.fromkeys(sources)], dtype=np.int64)
    limit = cutoff + 1e-3 if math.isfinite(cutoff) else np.inf
    D, pred, src = dijkstra(
        J.matrix,
        directed=True,
        indices=rows,
        min_only=True,
        return_predecessors=True,
        limit=limit,
    )
    dist: dict[Any, float] = {}
    origin: dict[Any, Any] = {}
    parent: dict[Any, Any] = {}
    for s in dict.fromkeys(sources):
        dist[s], origin[s], parent[s] = 0.0, s, None
    node = J.node
    for n, i in J.arrive.items():
        if n in dist or not math.isfinite(D[i]):
            continue
        d = float(D[i])
        if d > cutoff:
            continue
        dist[n] = d
        origin[n] = node[src[i]]
        # the previous node of the journey: walk back to the last state at another node
        k = int(pred[i])
        while k >= 0 and node[k] == n:
            k = int(pred[k])
        parent[n] = node[k] if k >= 0 else None
    order = sorted(dist, key=lambda n: dist[n])
    first: dict[Any, tuple[Any, float]] = {}
    if with_first:
        places = ends_only(G)
        step = first_steps(pred, rows)
        for n in order:
            o = origin[n]
            s = int(step[J.arrive[n]]) if n != o else -1
            first[n] = (node[s], float(D[s])) if o in places and s >= 0 else (o, 0.0)
    return {n: dist[n] for n in order}, origin, parent, first


def first_steps(pred: np.ndarray, roots: int | Sequence[int] | np.ndarray) -> np.ndarray:
    """Return, for every node of a search's predecessor row, the node after its root.

    ``pred`` is a row of :func:`scipy.sparse.csgraph.dijkstra`'s predecessors (-9999 where
    not reached, and at the roots) from ``roots`` (one source, or several searched at once).
    A root and an unreached node get -1. Pointer jumping, one vector step per link of the
    longest path.
    """
    n = len(pred)
    is_root = np.zeros(n + 1, dtype=bool)
    is_root[np.atleast_1d(np.asarray(roots, dtype=np.int64))] = True
    parent = np.where(pred < 0, n, pred)  # n: a sink past every node
    cur = np.arange(n)
    cur[is_root[:n]] = n
    while True:
        nxt = parent[np.minimum(cur, n - 1)]
        move = (cur < n) & ~is_root[nxt] & (nxt < n)
        if not move.any():
            break
        cur = np.where(move, nxt, cur)
    # a node whose chain ends at no root (unreached) has none
    reached = (cur < n) & is_root[parent[np.minimum(cur, n - 1)]]
    return np.where(reached, cur, -1)


#: Columns of :func:`ends_table`.
ENDS_COLUMNS = [
    "origin",
    "destination",
    "minutes",
    "from_station",
    "access_minutes",
    "station_minutes",
    "to_station",
    "egress_minutes",
]


class _Core:
    """The nodes routes pass through, their link matrix, and the sources outside them.

    The core is every node but the ends (:func:`ends_only`).

    A source that routes never pass through (a place) becomes one more row of the matrix, with
    its links out and none in (``start_of``: its row): one search from it, not one per station
    it has.
    """

    def __init__(
        self, G: nx.Graph, sources: Sequence[Any], weight: str, ends: set[Any] | None = None
    ) -> None:
        self.G, self.weight = G, weight
        ends = ends_only(G) if ends is None else ends
        self.core = [n for n in G if n not in ends]
        self.index = {n: i for i, n in enumerate(self.core)}
        self.A = link_matrix(G, self.index, weight)
        self.outside = [s for s in dict.fromkeys(sources) if s not in self.index]
        self.start_of = {n: len(self.core) + k for k, n in enumerate(self.outside)}

    def entries(self, n: Any) -> Entries:
        """Return a node's neighbours among the core nodes, with the minutes to each."""
        idx, w = self.index, self.weight
        return [(idx[x], float(d[w])) for x, d in self.G.adj[n].items() if x in idx]


def ends_table(
    G: nx.Graph,
    origins: Sequence[Any],
    targets: Sequence[Any],
    *,
    weight: str = S.MINUTES,
) -> pd.DataFrame:
    """Return the fastest journeys from ``origins`` to ``targets`` with the stations at each end.

    One row per (origin, target) pair, origins first, in the order given: ``minutes`` (as
    :func:`iter_minutes` finds them; NaN where not reached), ``from_station`` and
    ``access_minutes`` (the station a journey from a place leaves from, and the minutes of the
    place's access link to it; the origin itself and 0 for a station), ``to_station`` and
    ``egress_minutes`` (likewise at the destination), and ``station_minutes``: the rest, from
    the first station to the last (on trains, walking and changing). A pair of a node with
    itself has 0 minutes and its own id at both ends. Where two journeys tie, the one the
    search settles first is described.
    """
    from scipy.sparse.csgraph import dijkstra

    G = simple_graph(G, weight)
    check_weights(G, weight)
    ends = ends_only(G)
    rows: list[tuple[Any, ...]] = []
    if has_services(G):
        J = journey_graph(G, weight)
        starts = [J.ready[o] for o in origins]
        into = [J.arrive[t] for t in targets]
        node = J.node
        for k, o in enumerate(origins):
            D, P = dijkstra(J.matrix, directed=True, indices=starts[k], return_predecessors=True)
            first = first_steps(P, starts[k])
            for t, i in zip(targets, into, strict=True):
                d = float(D[i])
                if t == o or not math.isfinite(d):
                    rows.append((o, t, 0.0 if t == o else math.nan, *_same_ends(o, t)))
                    continue
                s, access = (node[first[i]], float(D[first[i]])) if o in ends else (o, 0.0)
                j = int(P[i])
                to, egress = (node[j], d - float(D[j])) if t in ends else (t, 0.0)
                rows.append((o, t, d, s, access, d - access - egress, to, egress))
        return _ends_frame(rows)
    c = _Core(G, origins, weight, ends)
    core, index, start_of, entries = c.core, c.index, c.start_of, c.entries
    from .arrays import with_start_rows

    A = with_start_rows(c.A, [entries(o) for o in c.outside]) if c.outside else c.A
    for o in origins:
        root = index[o] if o in index else start_of[o]
        D, P = dijkstra(A, directed=True, indices=root, return_predecessors=True)
        first = first_steps(P, root)
        for t in targets:
            if t == o:
                rows.append((o, t, 0.0, *_same_ends(o, t)))
                continue
            if t in index:
                to, egress, d = t, 0.0, float(D[index[t]])
                at = index[t]
            else:
                best = min(entries(t), key=lambda e: D[e[0]] + e[1], default=None)
                if best is None or not math.isfinite(D[best[0]]):
                    rows.append((o, t, math.nan, *_same_ends(o, t)))
                    continue
                to, egress, d, at = core[best[0]], best[1], float(D[best[0]] + best[1]), best[0]
            if not math.isfinite(d):
                rows.append((o, t, math.nan, *_same_ends(o, t)))
                continue
            s, access = (core[first[at]], float(D[first[at]])) if o in start_of else (o, 0.0)
            rows.append((o, t, d, s, access, d - access - egress, to, egress))
    return _ends_frame(rows)


def _same_ends(o: Any, t: Any) -> tuple[Any, ...]:
    """Return the ends of a pair with no journey described: a node with itself, or unreached."""
    if o == t:
        return (o, 0.0, 0.0, t, 0.0)
    return ("", math.nan, math.nan, "", math.nan)


def _ends_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ENDS_COLUMNS)


def link_matrix(G: nx.Graph, index: dict[Any, int], weight: str) -> Any:
    """Return the CSR matrix of ``weight`` on the links among the nodes of ``index``.

    ``index`` maps a node to its row and column. Read straight from the adjacency of a simple
    graph (:func:`~belt_graph.network.layers.simple_graph`): ``nx.to_scipy_sparse_array``
    with a node list goes through a filtered subgraph view, 2 s for cn-rail-2023's 125,000 links.
    """
    from scipy.sparse import csr_array

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    adj = G._adj
    for u, i in index.items():
        for v, d in adj[u].items():
            j = index.get(v)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(d[weight])
    n = len(index)
    return csr_array((np.asarray(vals, dtype=float), (rows, cols)), shape=(n, n))


def _bad(v: Any, w: Any, data: dict[str, Any], weight: str) -> GraphValidationError:
    return GraphValidationError(v, w, weight, data.get(weight))


def cutoff_search(
    G: nx.Graph, sources: list[Any], cutoff: float, weight: str
) -> tuple[dict[Any, float], dict[Any, Any], dict[Any, Any]]:
    """Return a Dijkstra search from several sources at once that stops at ``cutoff`` minutes.

    Returns the minutes to each node reached, the source it was reached from and the node
    before it (None for a source). ``G`` is read only. Places that are ends only (``transit``
    False) are reached but, unless they are sources, never passed through; the search asks
    each node it settles, which costs far less than a pass over a large network when the
    cutoff keeps the search small.
    """
    dist, origin, parent, _ = _cutoff_search(G, sources, cutoff, weight, with_first=False)
    return dist, origin, parent


def cutoff_search_ends(
    G: nx.Graph, sources: list[Any], cutoff: float, weight: str
) -> tuple[dict[Any, float], dict[Any, Any], dict[Any, Any], dict[Any, tuple[Any, float]]]:
    """:func:`cutoff_search`, and for each node reached the first station of its journey.

    The fourth result maps each node to ``(station, access minutes)``: the station its journey
    leaves from and the minutes of the access link to it, when its source is a place; the
    source itself and 0 otherwise.
    """
    return _cutoff_search(G, sources, cutoff, weight, with_first=True)


def _cutoff_search(
    G: nx.Graph, sources: list[Any], cutoff: float, weight: str, *, with_first: bool
) -> tuple[dict[Any, float], dict[Any, Any], dict[Any, Any], dict[Any, tuple[Any, float]]]:
    if has_services(G):
        return _journey_search(G, sources, cutoff, weight, with_first=with_first)
    # The heap orders by (minutes, key): the key is the origin's rank, then the order of
    # pushing, so that among paths of equal minutes the one from the origin listed first is
    # settled first; its predecessor travels with it and is kept when it is settled.
    adj, node = G._adj, G._node
    dist: dict[Any, float] = {}
    parent: dict[Any, Any] = {}
    origin: dict[Any, Any] = {}
    best: dict[Any, float] = {}  # the fewest minutes pushed so far
    tie = count()
    shift = 1 << 48
    heap: list[tuple[float, int, Any, Any]] = []
    for rank, s in enumerate(sources):
        if s not in best:
            best[s] = 0.0
            heap.append((0.0, rank * shift + next(tie), s, None))
    heapq.heapify(heap)
    pop, push, inf = heapq.heappop, heapq.heappush, math.inf
    starts = set(sources)
    several = len(starts) > 1
    transit = S.TRANSIT
    while heap:
        d, key, v, before = pop(heap)
        if v in dist:
            continue
        dist[v] = d
        parent[v] = before
        if several:
            origin[v] = sources[key // shift]
        if node[v].get(transit) is False and v not in starts:
            continue  # a place is the end of a route, never a step of one
        base = key // shift * shift
        for w, data in adj[v].items():
            if w in dist:  # settled: this edge was checked from w's side
                continue
            try:
                length = data[weight]
                if not 0 <= length < inf:
                    raise _bad(v, w, data, weight)
            except (KeyError, TypeError):
                raise _bad(v, w, data, weight) from None
            alt = d + length
            # equal minutes are pushed too: the heap then settles the earlier origin's first
            if alt <= cutoff and alt <= best.get(w, inf):
                best[w] = alt
                push(heap, (alt, base + next(tie), w, v))
    if not several:
        origin = dict.fromkeys(dist, sources[0])
    out = {v: float(x) for v, x in dist.items()}
    first: dict[Any, tuple[Any, float]] = {}
    if with_first:
        for v in out:  # settled in order: a node's parent has its first step already
            o, before = origin[v], parent[v]
            if before is None:
                first[v] = (o, 0.0)
            elif before == o and node[o].get(transit) is False:
                first[v] = (v, out[v])
            else:
                first[v] = first[before]
    # minutes as plain floats, whatever number type the weights were (numpy's from pandas)
    return out, origin, parent, first


def minutes_array(
    G: nx.Graph,
    nodes: Sequence[Any] | None = None,
    *,
    weight: str = S.MINUTES,
    progress: Progress | None = None,
) -> np.ndarray:
    """Fastest minutes between ``nodes`` (default all, in graph order) as a float64 array.

    Routes pass through every node of ``G`` but the places that are ends only. Unreachable
    pairs are NaN. Peak memory is the result plus one chunk of rows (at most an eighth of the
    result's cells).
    """
    wanted = list(G.nodes) if nodes is None else list(nodes)
    out = np.empty((len(wanted), len(wanted)), dtype=np.float64)
    chunks = iter_minutes(
        G, wanted, wanted, weight=weight, progress=progress, max_cells=minutes_budget(len(wanted))
    )
    return fill_minutes(out, chunks)


def minutes_matrix(
    G: nx.Graph,
    nodes: Sequence[Any] | None = None,
    *,
    weight: str = S.MINUTES,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """:func:`minutes_array` as a DataFrame (index ``origin``, columns ``destination``)."""
    wanted = list(G.nodes) if nodes is None else list(nodes)
    return minutes_frame(wanted, minutes_array(G, wanted, weight=weight, progress=progress))


def minutes_frame(nodes: Sequence[Any], D: np.ndarray) -> pd.DataFrame:
    """Return the minutes ``D`` between ``nodes`` as a DataFrame (``origin`` x ``destination``)."""
    df = pd.DataFrame(
        D, index=pd.Index(list(nodes), name="origin"), columns=list(nodes), copy=False
    )
    df.columns.name = "destination"
    return df
