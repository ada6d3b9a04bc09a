"""Which place is most central: by travel time, by betweenness, by cooperation, by accessibility."""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from ._units import LIMIT_TOLERANCE_MINUTES
from .network import check_weights, simple_graph
from .network.paths import Progress, ends_only, iter_minutes, link_matrix, places

__all__ = [
    "BETWEENNESS_EXACT_UP_TO",
    "BETWEENNESS_SAMPLE_SIZE",
    "DECAYS",
    "accessibility",
    "betweenness",
    "centrality",
    "closeness",
    "decay_function",
    "measure",
    "place_degree",
]

#: Decay functions of travel time and their default parameter.
DECAYS: dict[str, float] = {"exponential": 60.0, "power": 1.0, "cumulative": 60.0}

#: Betweenness is exact on graphs up to this many nodes, estimated from a seeded sample of
#: :data:`BETWEENNESS_SAMPLE_SIZE` source nodes above it (errors: ``benchmarks/README.md``).
BETWEENNESS_EXACT_UP_TO = 2000
BETWEENNESS_SAMPLE_SIZE = 500


def decay_function(
    decay: str = "exponential", param: float | None = None
) -> Callable[[np.ndarray], np.ndarray]:
    """Return ``f(minutes)``, the weight a destination gets at a travel time in minutes.

    Parameters
    ----------
    decay : {"exponential", "power", "cumulative"}
        - ``exponential``: ``f(t) = exp(-t / param)``, ``param`` = the e-folding time in minutes
          (default 60: a place one hour away counts 1/e = 0.37).
        - ``power``: ``f(t) = t ** -param`` with ``t`` in minutes (default exponent 1).
        - ``cumulative``: ``f(t) = 1 if t <= param else 0``, ``param`` = the cut-off in minutes
          (default 60).
    param : float, optional
        Must be positive.

    Returns
    -------
    callable
        ``f(minutes)`` on a numpy array, returning the weights (1 at 0 minutes for
        ``exponential`` and ``cumulative``).

    Examples
    --------
    >>> f = decay_function("cumulative", 60)
    >>> f(np.array([30.0, 60.0, 90.0])).tolist()
    [1.0, 1.0, 0.0]
    """
    if decay not in DECAYS:
        raise ValueError(f"decay must be one of {', '.join(DECAYS)}, got {decay!r}")
    p = DECAYS[decay] if param is None else float(param)
    if not math.isfinite(p) or p <= 0:
        raise ValueError(f"the {decay} decay parameter must be a positive number, got {param!r}")
    if decay == "exponential":
        return lambda t: np.exp(-t / p)
    if decay == "power":
        return lambda t: np.power(t, -p)
    return lambda t: (t <= p + LIMIT_TOLERANCE_MINUTES).astype(float)


def accessibility(
    G: nx.Graph,
    *,
    decay: str = "exponential",
    param: float | None = None,
    mass: str = "population",
    include_hubs: bool = False,
    weight: str = S.MINUTES,
) -> pd.Series:
    """Return each place's Hansen accessibility: the decayed sum of other places' mass.

    ``A_i = sum_{j != i} M_j * f(t_ij)``, over places ``j`` reachable from ``i`` whose mass
    ``M_j`` (default population, persons) is known; ``t_ij`` is the fastest minutes and ``f``
    is :func:`decay_function`. Unknown masses count as 0 (and are reported by the caller).

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    decay : {"exponential", "power", "cumulative"}, default "exponential"
        The decay function (:func:`decay_function`).
    param : float, optional
        The decay's parameter in minutes (or the exponent of ``power``); default
        :data:`DECAYS`.
    mass : str, default "population"
        The node attribute weighed (persons; ``gdp_cny_bn`` for GDP).
    include_hubs : bool, default False
        Also include hub nodes (junctions that are not places).
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    Series
        Indexed by ``node``, named ``accessibility_<mass>``, in units of ``mass``.

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> a = accessibility(rail_graph(toy_dataset()), decay="cumulative", param=30)
    >>> a.to_dict()
    {'A': 5000.0, 'B': 1000.0, 'C': 1000.0, 'D': 0.0}
    """
    f = decay_function(decay, param)
    G = simple_graph(G, weight)
    ids = places(G, include_hubs=include_hubs)
    m = np.array([float(G.nodes[n].get(mass, math.nan)) for n in ids])
    m = np.where(np.isnan(m), 0.0, m)
    out = np.zeros(len(ids))
    for start, D in iter_minutes(G, ids, weight=weight):
        out[start : start + len(D)] = _decayed(D, f, start) @ m
    return pd.Series(out, index=pd.Index(ids, name="node"), name=f"accessibility_{mass}")


def _matrix_chunks(matrix: pd.DataFrame, rows: int = 512) -> Iterator[tuple[int, np.ndarray]]:
    """Rows of a travel-time matrix as :func:`iter_minutes` gives them (inf: unreachable)."""
    values = matrix.to_numpy(dtype=float)
    for start in range(0, len(values), rows):
        block = values[start : start + rows]
        yield start, np.where(np.isnan(block), np.inf, block)


def _decayed(D: np.ndarray, f: Callable[[np.ndarray], np.ndarray], start: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        W = f(D)
    W = np.where(np.isfinite(D), W, 0.0)
    W[np.arange(len(D)), np.arange(start, start + len(D))] = 0.0
    return W


def closeness(
    G: nx.Graph, *, weight: str = S.MINUTES, progress: Progress | None = None
) -> pd.Series:
    """Return the weighted closeness of every node, as :func:`networkx.closeness_centrality`.

    ``C(u) = (r - 1) / sum_v d(u, v) * (r - 1) / (n - 1)`` over the ``r - 1`` other nodes
    reachable from ``u`` (Wasserman and Faust's correction for disconnected graphs; 0 for an
    isolated node), with ``d`` in minutes, so the unit is 1/minute. Routes never pass through a
    place that is an end only (``transit`` False); on a graph without such places this is
    exactly NetworkX's value.

    With numba (the ``fast`` extra), a compiled Dijkstra from every node keeps only its count
    and sum, blocks of sources in threads, one per core; without it, chunks of
    :func:`scipy.sparse.csgraph.dijkstra` rows are reduced as they come. Memory stays small
    whatever the size of the network.

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.
    progress : callable, optional
        Called as ``progress(done, total)`` as the searches advance.

    Returns
    -------
    pandas.Series
        Indexed by ``node``, named ``closeness``, in 1/minute.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"minutes": 10}), ("b", "c", {"minutes": 20})])
    >>> closeness(G).round(4).to_dict()
    {'a': 0.05, 'b': 0.0667, 'c': 0.04}
    """
    G = simple_graph(G, weight)
    order = list(G)
    n = len(order)
    compiled = _compiled_closeness(G, order, weight, progress)
    if compiled is not None:
        reach, total = compiled
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(total > 0, reach / total, 0.0)
        if n > 1:
            c = c * reach / (n - 1)
        return pd.Series(c, index=pd.Index(order, name="node"), name="closeness")
    out = np.zeros(n)

    def sums(D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each row's count of reachable others and sum of minutes: all closeness needs."""
        finite = np.isfinite(D)
        return finite.sum(axis=1) - 1, np.where(finite, D, 0.0).sum(axis=1)

    for start, (reach, total) in iter_minutes(
        G, order, weight=weight, progress=progress, reduce=sums
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(total > 0, reach / total, 0.0)
        if n > 1:
            c = c * reach / (n - 1)
        out[start : start + len(c)] = c
    return pd.Series(out, index=pd.Index(order, name="node"), name="closeness")


def betweenness(
    G: nx.Graph,
    *,
    weight: str = S.MINUTES,
    k: int | None = None,
    seed: int | None = 0,
    progress: Progress | None = None,
) -> pd.Series:
    """Return weighted shortest-path betweenness, normalised as NetworkX does.

    ``b(v) = sum over pairs s != v != t of sigma_st(v) / sigma_st`` (shortest paths in minutes,
    ties counted; where a link takes 0 minutes, of the tied paths only those with the fewest
    0-minute links), divided by ``(n - 1)(n - 2) / 2`` (the pairs not involving ``v``): the same
    values as ``networkx.betweenness_centrality(G, weight=weight, normalized=True)`` where no
    link takes 0 minutes.

    On a network of stations under places (places with ``transit`` False), the pairs are the
    pairs of places, since routes run between places: a place's value is the share of the
    shortest routes between the other places that pass through at least one of its stations
    (divided by ``(P - 1)(P - 2)`` ordered pairs of the ``P`` places), a station's the share of
    the routes between any two places that pass through it (divided by ``P (P - 1)``).

    Parameters
    ----------
    k : int, optional
        Estimate from ``k`` source nodes drawn with ``random.Random(seed).sample`` (the same
        sample as ``networkx.betweenness_centrality(G, k=k, seed=seed)``), scaled as NetworkX
        3.5 and later do (see Notes). Default: every node (exact). Networks of stations under
        places are always exact.
    seed : int, optional
        The seed for the sample.
    progress : callable, optional
        ``progress(done, total)`` every few hundred sources.
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    pandas.Series
        Indexed by ``node``, named ``betweenness``, in [0, 1].

    Notes
    -----
    Brandes' algorithm (2001): a Dijkstra search from each source that counts shortest paths,
    then the dependencies accumulated back along them. With ``k`` sampled sources, a node that
    is itself a source is scaled by ``1 / ((k - 1)(n - 2))`` and any other node by
    ``1 / (k (n - 2))``: NetworkX's convention since 3.5 (before it, every node got
    ``n / (k (n - 1)(n - 2))``, which could exceed 1 on a star). For places, the routes from
    each source place are counted again with each other place's stations left out: the
    routes that pass through the place are those that do not survive its removal.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"minutes": 1}), ("b", "c", {"minutes": 1})])
    >>> betweenness(G).to_dict()
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    G = simple_graph(G, weight)
    check_weights(G, weight)
    nodes = list(G)
    n = len(nodes)
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k <= 0):
        raise ValueError(f"k must be a positive whole number of sources, got {k!r}")
    adj = {u: [(v, float(d[weight])) for v, d in nbrs.items()] for u, nbrs in G.adj.items()}
    ends = ends_only(G)
    if ends:
        values = _place_betweenness(G, adj, ends, progress)
        return pd.Series(
            [values[v] for v in nodes], index=pd.Index(nodes, name="node"), name="betweenness"
        )
    sampled = k is not None and k < n
    sources = random.Random(seed).sample(nodes, k) if k is not None and sampled else nodes
    bc = _compiled_betweenness(G, nodes, sources, weight, progress)
    if bc is None:
        bc = dict.fromkeys(nodes, 0.0)
        tick = max(1, len(sources) // 100)
        for done, s in enumerate(sources, start=1):
            _brandes_source(adj, s, bc)
            if progress is not None and (done % tick == 0 or done == len(sources)):
                progress(done, len(sources))
    scaled = [bc[v] * s for v, s in zip(nodes, _scales(nodes, sources, sampled), strict=True)]
    return pd.Series(scaled, index=pd.Index(nodes, name="node"), name="betweenness")


def _compiled_closeness(
    G: nx.Graph, order: list[Any], weight: str, progress: Progress | None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Return each node's count of others reached and sum of minutes, compiled, or None.

    None without numba: the caller then reduces scipy's rows instead (the same values up to
    the order of the additions).
    """
    from ._compiled import COMPILED

    if not COMPILED or not order:
        return None
    check_weights(G, weight)
    from .network.brandes import closeness_sums
    from .network.dijkstra import buckets_for, over_blocks

    index = {v: i for i, v in enumerate(order)}
    A = link_matrix(G, index, weight)
    ends = ends_only(G)
    transit = np.array([v not in ends for v in order], dtype=np.bool_)
    indptr, indices = A.indptr.astype(np.int64), A.indices.astype(np.int64)
    data = A.data.astype(float)
    buckets = buckets_for(data)
    reach = np.zeros(len(order), dtype=np.int64)
    total = np.zeros(len(order))
    start = 0
    for end, (r, t) in over_blocks(
        lambda block: closeness_sums(indptr, indices, data, transit, block, buckets),
        np.arange(len(order), dtype=np.int64),
    ):
        reach[start:end], total[start:end] = r, t
        start = end
        if progress is not None:
            progress(end, len(order))
    return reach, total


def _compiled_betweenness(
    G: nx.Graph,
    nodes: list[Any],
    sources: list[Any],
    weight: str,
    progress: Progress | None,
) -> dict[Any, float] | None:
    """Return Brandes' sums from the compiled engine, or None where it does not apply.

    It does not apply without numba, or with a weight of 0, whose ties need the settle order.
    """
    from ._compiled import COMPILED

    if not COMPILED or not len(nodes):
        return None
    index = {v: i for i, v in enumerate(nodes)}
    A = link_matrix(G, index, weight)
    if A.nnz and float(A.data.min()) <= 0:
        return None
    from .network.brandes import brandes
    from .network.dijkstra import buckets_for, over_blocks

    src = np.array([index[s] for s in sources], dtype=np.int64)
    indptr, indices = A.indptr.astype(np.int64), A.indices.astype(np.int64)
    data = A.data.astype(float)
    sums = np.zeros(len(nodes))
    # blocks of sources in threads, added in a fixed order (the same sums on any machine)
    buckets = buckets_for(data)
    for end, part in over_blocks(lambda block: brandes(indptr, indices, data, block, buckets), src):
        sums += part
        if progress is not None:
            progress(end, len(src))
    return dict(zip(nodes, sums.tolist(), strict=True))


def _scales(nodes: list[Any], sources: list[Any], sampled: bool) -> list[float]:
    """Normalisation of each node's summed dependencies, as NetworkX 3.5 and later.

    Exact: ``1 / ((n - 1)(n - 2))``, the ordered pairs of other nodes. From ``k`` sampled
    sources: a sampled node ``v`` can only lie between the other ``k - 1`` sources and the
    ``n - 2`` other targets, so it gets ``1 / ((k - 1)(n - 2))`` (NaN when ``k = 1``); a node
    not sampled ``1 / (k (n - 2))``. Both estimates are unbiased.
    """
    n = len(nodes)
    if n <= 2:
        return [1.0] * n
    if not sampled:
        return [1.0 / ((n - 1) * (n - 2))] * n
    k = len(sources)
    chosen = set(sources)
    own = 1.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    other = 1.0 / (k * (n - 2))
    return [own if v in chosen else other for v in nodes]


def _dijkstra_dag(
    adj: dict[Any, list[tuple[Any, float]]], s: Any, ends: set[Any] | frozenset[Any] = frozenset()
) -> tuple[list[Any], dict[Any, list[Any]], dict[Any, float]]:
    """Settle order, shortest-path predecessors and path counts from ``s``.

    Nodes in ``ends`` (other than ``s``) are reached but never expanded: routes end there.
    Paths are ordered by minutes, then by their number of 0-minute links, so that a 0-minute
    link never ties with a path that does without it (two ids joined at 0 minutes would
    otherwise be each other's predecessor). The settle order is a topological order of the
    shortest-path DAG.
    """
    order: list[Any] = []
    preds: dict[Any, list[Any]] = {s: []}
    sigma: dict[Any, float] = {s: 1.0}
    done: set[Any] = set()
    best: dict[Any, tuple[float, int]] = {s: (0.0, 0)}
    tie = count()
    heap: list[tuple[float, int, int, Any]] = [(0.0, 0, next(tie), s)]
    while heap:
        dist, zeros, _, v = heapq.heappop(heap)
        if v in done:
            continue
        done.add(v)
        order.append(v)
        if v in ends and v != s:
            continue
        sv = sigma[v]
        for w, length in adj[v]:
            if w in done:
                continue
            alt = (dist + length, zeros + (length == 0))
            old = best.get(w)
            if old is None or alt < old:
                best[w] = alt
                sigma[w] = sv
                preds[w] = [v]
                heapq.heappush(heap, (alt[0], alt[1], next(tie), w))
            elif alt == old:
                sigma[w] += sv
                preds[w].append(v)
    return order, preds, sigma


def _brandes_source(adj: dict[Any, list[tuple[Any, float]]], s: Any, bc: dict[Any, float]) -> None:
    """Add the dependencies of source ``s`` to ``bc`` (Brandes 2001, weighted)."""
    order, preds, sigma = _dijkstra_dag(adj, s)
    delta = dict.fromkeys(order, 0.0)
    for w in reversed(order):
        coeff = (1.0 + delta[w]) / sigma[w]
        for v in preds[w]:
            delta[v] += sigma[v] * coeff
        if w != s:
            bc[w] += delta[w]


def _place_betweenness(
    G: nx.Graph,
    adj: dict[Any, list[tuple[Any, float]]],
    ends: set[Any],
    progress: Progress | None,
) -> dict[Any, float]:
    """Betweenness on routes between places (see :func:`betweenness`), exact."""
    sources = [p for p in G if p in ends]
    P = len(sources)
    place_col = {p: c for c, p in enumerate(sources)}
    column = {w: place_col[p] for p in sources for w, _ in adj[p]}  # a station: its place
    bc = dict.fromkeys(G, 0.0)
    for done, s in enumerate(sources, start=1):
        order, preds, sigma = _dijkstra_dag(adj, s, ends)
        # stations: Brandes' accumulation with only the places as targets
        delta = dict.fromkeys(order, 0.0)
        for w in reversed(order):
            coeff = ((1.0 if w in ends and w != s else 0.0) + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s and w not in ends:
                bc[w] += delta[w]
        # places: count the routes again with each place's stations left out, every place at
        # once: kept[i, c] is the number of shortest routes from s to order[i] that avoid the
        # stations of place c (the settle order is a topological order of the route DAG)
        targets = [t for t in order if t in ends and t != s]
        if targets:
            row = {w: i for i, w in enumerate(order)}
            kept = np.empty((len(order), P))
            for i, w in enumerate(order):
                if w == s:
                    kept[i] = 1.0
                else:
                    before = preds[w]
                    if len(before) == 1:
                        kept[i] = kept[row[before[0]]]
                    else:
                        kept[i] = kept[[row[v] for v in before]].sum(axis=0)
                    if w in column:
                        kept[i, column[w]] = 0.0
            rows = [row[t] for t in targets]
            lost = 1.0 - kept[rows] / np.array([sigma[t] for t in targets])[:, None]
            # a place is no target of its own count (every route to it uses its stations)
            for k, t in enumerate(targets):
                lost[k, place_col[t]] = 0.0
            lost[:, place_col[s]] = 0.0
            for c, total in enumerate(lost.sum(axis=0)):
                bc[sources[c]] += float(total)
        if progress is not None:
            progress(done, P)
    for v in bc:
        pairs = (P - 1) * (P - 2) if v in ends else P * (P - 1)
        bc[v] = bc[v] / pairs if pairs > 0 else 0.0
    return bc


def place_degree(G: nx.Graph, ids: list[Any] | None = None) -> pd.Series:
    """Return how many other places each place is joined to directly.

    On a network of stations under places, two places are neighbours when a link joins a
    station of one to a station of the other, or a chain of links does through stations of no
    place (a junction such as 扬州 between Nanjing and Taizhou); access links do not count. On
    a network of places only, this is the number of other nodes joined to each (hubs counted
    as neighbours; a self-loop does not count).

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    ids : list, optional
        The places to count (default: every place of ``G``).

    Returns
    -------
    pandas.Series
        Indexed by ``node``: the number of neighbouring places (int).

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"minutes": 1}), ("b", "c", {"minutes": 1})])
    >>> place_degree(G).to_dict()
    {'a': 1, 'b': 2, 'c': 1}
    """
    ids = list(G) if ids is None else ids
    ends = ends_only(G)
    if not ends:
        # the other nodes joined to each: a self-loop is no rail link (networkx counts it twice)
        return pd.Series(
            [sum(1 for w in G.adj[x] if w != x) for x in ids],
            index=pd.Index(ids, name="node"),
            dtype=int,
        )
    owner = {n: G.nodes[n].get(S.PLACE) or None for n in G}
    for p in ends:
        owner[p] = p

    def step(v: Any) -> list[Any]:
        return [w for w, d in G.adj[v].items() if d.get(S.KIND) != "access"]

    out = []
    for p in ids:
        found: set[Any] = set()
        seen = {w for w in G.adj[p]} | {p}
        queue = [w for w in G.adj[p]]
        while queue:
            v = queue.pop()
            for w in step(v):
                if w in seen:
                    continue
                seen.add(w)
                o = owner.get(w)
                if o is None:
                    queue.append(w)  # a junction of no place: go on
                elif o != p:
                    found.add(o)
                else:
                    queue.append(w)  # another station of the same place
        out.append(len(found))
    return pd.Series(out, index=pd.Index(ids, name="node"), dtype=int)


def _rank(s: pd.Series) -> pd.Series:
    return s.rank(ascending=False, method="min").astype("Int64")


def _network_name(G: nx.Graph) -> str:
    return str(G.graph.get("network") or "rail")


def centrality(
    G: nx.Graph,
    cooperation: nx.Graph | None = None,
    *,
    structure: nx.Graph | None = None,
    decay: str = "exponential",
    param: float | None = None,
    include_hubs: bool = False,
    seed: int | None = 0,
    weight: str = S.MINUTES,
    progress: Progress | None = None,
    betweenness_progress: Progress | None = None,
    matrix: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the centrality of every place by several measures, each with a rank.

    Every column's name ends in the network it was computed on: travel-time measures on the
    travel network ``G`` (``_service`` for :func:`~belt_graph.rail_graph`'s default), degree and
    betweenness on the ``structure`` network (``_track`` for ``rail_graph(network="track")``),
    PageRank on the partnership layer (``_partnerships``).

    Parameters
    ----------
    G : networkx.Graph
        The rail layer for travel times (hubs and stations route; places are listed).
    cooperation : networkx.Graph, optional
        The cooperation layer, for PageRank; NaN when not given.
    structure : networkx.Graph, optional
        The network for degree and betweenness, e.g. ``rail_graph(ds, network="track")``.
        Default: ``G``.
    decay, param : see :func:`decay_function`, for accessibility.
    matrix : DataFrame, optional
        :func:`~belt_graph.travel_time_matrix` of ``G``, when the caller has it: the
        travel-time measures are read off it instead of searching again.
    seed : int, optional
        Seed for sampled betweenness on graphs above :data:`BETWEENNESS_EXACT_UP_TO` nodes.
    progress, betweenness_progress : callable, optional
        ``progress(done, total)`` for the travel-time searches and for betweenness.
    include_hubs : bool, default False
        Also include hub nodes (junctions that are not places).
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    DataFrame
        Indexed by ``node``, sorted by accessibility (descending; closeness when
        accessibility is unknown) then id. With ``<t>`` the travel network's name and ``<s>``
        the structure network's:

        - ``name``
        - ``degree_<s>``: other places joined directly (:func:`place_degree`).
        - ``reachable_<t>``: how many other places can be reached at all.
        - ``mean_minutes_<t>``: mean fastest minutes to the other reachable places (compare
          it only between places with the same ``reachable``).
        - ``closeness_<t>``: ``(r - 1) / sum of minutes`` to the ``r - 1`` other reachable
          places, times ``(r - 1) / (n - 1)`` (Wasserman-Faust, as NetworkX); per minute.
        - ``harmonic_<t>``: ``sum of 1 / minutes`` to the other places, per minute.
        - ``betweenness_<s>``: weighted shortest-path betweenness (:func:`betweenness`).
        - ``pagerank_partnerships``: PageRank on the cooperation layer (alpha 0.85); NaN when
          there is no cooperation layer or it has no partnerships.
        - ``accessibility_<t>``: :func:`accessibility` with population, persons; NaN when no
          place has a known population (then the table is sorted by closeness).
        - ``rank_<column>`` for each measure, 1 = most central (lower ``mean_minutes`` is
          better).

    Notes
    -----
    Closeness, harmonic closeness and accessibility are reduced from chunks of
    :func:`scipy.sparse.csgraph.dijkstra` rows (no n x n matrix is held); betweenness is
    :func:`betweenness` (exact up to :data:`BETWEENNESS_EXACT_UP_TO` nodes, from 500 seeded
    sample sources above); PageRank uses :func:`networkx.pagerank`.

    Examples
    --------
    >>> from belt_graph import rail_graph, cooperation_graph, toy_dataset
    >>> ds = toy_dataset()
    >>> c = centrality(rail_graph(ds), cooperation_graph(ds), decay="cumulative", param=30)
    >>> round(float(c.loc["A", "mean_minutes_service"]), 2)
    36.67
    >>> int(c.loc["A", "rank_accessibility_service"])
    1
    """
    G = simple_graph(G, weight)
    check_weights(G, weight)
    H = G if structure is None else simple_graph(structure, weight)
    t, s = _network_name(G), _network_name(H)
    ids = places(G, include_hubs=include_hubs)
    missing = [x for x in ids if x not in H]
    if missing:
        raise ValueError(f"structure lacks places of G: {missing[:5]}")
    n = len(ids)
    f = decay_function(decay, param)
    m = np.array([float(G.nodes[x].get("population", math.nan)) for x in ids])
    m = np.where(np.isnan(m), 0.0, m)
    mean = np.full(n, math.nan)
    reachable = np.zeros(n, dtype=np.int64)
    close = np.zeros(n)
    harmonic = np.zeros(n)
    access = np.zeros(n)
    chunks = (
        _matrix_chunks(matrix)
        if matrix is not None and list(matrix.index) == ids and list(matrix.columns) == ids
        else iter_minutes(G, ids, weight=weight, progress=progress)
    )
    for start, D in chunks:
        rows = np.arange(len(D))
        D = D.copy()
        D[rows, rows + start] = np.inf  # leave each place itself out
        finite = np.isfinite(D)
        r = finite.sum(axis=1)
        reachable[start : start + len(D)] = r
        total = np.where(finite, D, 0.0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean[start : start + len(D)] = np.where(r > 0, total / r, math.nan)
            c = np.where(total > 0, r / total, 0.0)
            harmonic[start : start + len(D)] = np.where(finite & (D > 0), 1.0 / D, 0.0).sum(1)
        close[start : start + len(D)] = c * r / (n - 1) if n > 1 else 0.0
        access[start : start + len(D)] = _decayed(D, f, start) @ m
    df = pd.DataFrame(
        {
            "name": [G.nodes[x].get("name", x) for x in ids],
            f"degree_{s}": place_degree(H, ids).to_numpy(),
            f"reachable_{t}": reachable,
            f"mean_minutes_{t}": mean,
            f"closeness_{t}": close,
            f"harmonic_{t}": harmonic,
        },
        index=pd.Index(ids, name="node"),
    )
    k = BETWEENNESS_SAMPLE_SIZE if H.number_of_nodes() > BETWEENNESS_EXACT_UP_TO else None
    bc = betweenness(H, k=k, weight=weight, seed=seed, progress=betweenness_progress)
    df[f"betweenness_{s}"] = bc.loc[ids].to_numpy()
    if cooperation is not None and cooperation.number_of_edges():
        pr = nx.pagerank(cooperation, alpha=0.85)
        df["pagerank_partnerships"] = [pr.get(x, math.nan) for x in ids]
    else:
        df["pagerank_partnerships"] = math.nan
    known_mass = bool(np.any(m > 0))
    df[f"accessibility_{t}"] = access if known_mass else math.nan
    for col in (
        f"degree_{s}",
        f"closeness_{t}",
        f"harmonic_{t}",
        f"betweenness_{s}",
        "pagerank_partnerships",
        f"accessibility_{t}",
    ):
        df[f"rank_{col}"] = _rank(df[col])
    df[f"rank_mean_minutes_{t}"] = df[f"mean_minutes_{t}"].rank(method="min").astype("Int64")
    key = f"accessibility_{t}" if known_mass else f"closeness_{t}"
    # ties in the order of the ids as text: ids of mixed types (1, (2, 3)) do not compare
    df = df.reset_index().sort_values(
        [key, "node"],
        ascending=[False, True],
        key=lambda c: c.map(str) if c.name == "node" else c,
    )
    return df.set_index("node")


def measure(table: pd.DataFrame, name: str) -> str:
    """Return the column of ``table`` (from :func:`centrality`) that holds measure ``name``.

    Examples
    --------
    >>> t = pd.DataFrame(columns=["closeness_service", "rank_closeness_service"])
    >>> measure(t, "closeness")
    'closeness_service'
    """
    for col in table.columns:
        if col == name or (col.startswith(f"{name}_") and not col.startswith("rank_")):
            rest = col[len(name) + 1 :]
            if col == name or "_" not in rest:
                return str(col)
    raise KeyError(f"no {name!r} column in {list(table.columns)}")
