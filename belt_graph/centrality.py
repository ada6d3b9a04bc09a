"""Which place is most central: by travel time, by betweenness, by cooperation, by accessibility."""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from ._paths import minutes_matrix, places
from .network import check_weights

__all__ = ["DECAYS", "accessibility", "centrality", "decay_function"]

#: Decay functions of travel time and their default parameter.
DECAYS: dict[str, float] = {"exponential": 60.0, "power": 1.0, "cumulative": 60.0}

#: Above this many nodes, betweenness is estimated from a sample of source nodes.
BETWEENNESS_SAMPLE_ABOVE = 2000
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
    return lambda t: (t <= p).astype(float)


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

    Returns
    -------
    Series
        Indexed by ``node``, named ``accessibility_<mass>``, in units of ``mass``.

    Examples
    --------
    >>> from belt_graph.network import rail_graph, toy_dataset
    >>> a = accessibility(rail_graph(toy_dataset()), decay="cumulative", param=30)
    >>> a.to_dict()
    {'A': 5000.0, 'B': 1000.0, 'C': 1000.0, 'D': 0.0}
    """
    f = decay_function(decay, param)
    ids = places(G, include_hubs=include_hubs)
    D = minutes_matrix(G, ids, weight=weight).to_numpy()
    m = np.array([float(G.nodes[n].get(mass, math.nan)) for n in ids])
    m = np.where(np.isnan(m), 0.0, m)
    with np.errstate(divide="ignore", invalid="ignore"):
        W = f(np.where(np.isnan(D), np.inf, D))
    W = np.where(np.isfinite(D), W, 0.0)
    np.fill_diagonal(W, 0.0)
    return pd.Series(W @ m, index=pd.Index(ids, name="node"), name=f"accessibility_{mass}")


def _rank(s: pd.Series) -> pd.Series:
    return s.rank(ascending=False, method="min").astype("Int64")


def centrality(
    G: nx.Graph,
    cooperation: nx.Graph | None = None,
    *,
    decay: str = "exponential",
    param: float | None = None,
    include_hubs: bool = False,
    seed: int | None = 0,
    weight: str = S.MINUTES,
) -> pd.DataFrame:
    """Return the centrality of every place by several measures, each with a rank.

    Parameters
    ----------
    G : networkx.Graph
        The rail layer (hubs are used for routing and betweenness, listed only if
        ``include_hubs``).
    cooperation : networkx.Graph, optional
        The cooperation layer, for ``pagerank``; NaN when not given.
    decay, param : see :func:`decay_function`, for ``accessibility``.
    seed : int, optional
        Seed for sampled betweenness on graphs above 2,000 nodes.

    Returns
    -------
    DataFrame
        Indexed by ``node``, sorted by accessibility (descending) then id. Columns:

        - ``name``
        - ``degree``: rail neighbours (hubs included).
        - ``mean_minutes``: mean fastest minutes to the other reachable places.
        - ``closeness``: ``(r - 1) / sum of minutes`` to the ``r - 1`` other reachable places,
          times ``(r - 1) / (n - 1)`` (Wasserman-Faust, as NetworkX); per minute.
        - ``harmonic``: ``sum of 1 / minutes`` to the other places, per minute.
        - ``betweenness``: weighted shortest-path betweenness over all nodes, normalised.
        - ``pagerank``: PageRank on the cooperation layer (alpha 0.85).
        - ``accessibility``: :func:`accessibility` with population, persons.
        - ``rank_<measure>`` for each measure, 1 = most central (lower ``mean_minutes`` is
          better).

    Notes
    -----
    Closeness and harmonic closeness use the places-only travel-time matrix from
    :func:`scipy.sparse.csgraph.dijkstra`; betweenness uses
    :func:`networkx.betweenness_centrality` (``weight="minutes"``; with ``k=500`` sampled
    sources above 2,000 nodes); PageRank uses :func:`networkx.pagerank`.

    Examples
    --------
    >>> from belt_graph.network import rail_graph, cooperation_graph, toy_dataset
    >>> ds = toy_dataset()
    >>> c = centrality(rail_graph(ds), cooperation_graph(ds), decay="cumulative", param=30)
    >>> round(float(c.loc["A", "mean_minutes"]), 2), int(c.loc["A", "rank_accessibility"])
    (36.67, 1)
    """
    check_weights(G, weight)
    ids = places(G, include_hubs=include_hubs)
    M = minutes_matrix(G, ids, weight=weight)
    n = len(ids)
    rows = {}
    for node in ids:
        d = M.loc[node].drop(node).dropna()
        r = len(d) + 1
        total = float(d.sum())
        closeness = (r - 1) / total * (r - 1) / (n - 1) if total > 0 and n > 1 else 0.0
        rows[node] = {
            "name": G.nodes[node].get("name", node),
            "degree": G.degree(node),
            "mean_minutes": float(d.mean()) if len(d) else math.nan,
            "closeness": closeness,
            "harmonic": float((1 / d[d > 0]).sum()),
        }
    df = pd.DataFrame.from_dict(rows, orient="index")
    df.index.name = "node"
    k = BETWEENNESS_SAMPLE_SIZE if G.number_of_nodes() > BETWEENNESS_SAMPLE_ABOVE else None
    bc = nx.betweenness_centrality(G, k=k, weight=weight, normalized=True, seed=seed)
    df["betweenness"] = [bc[x] for x in ids]
    if cooperation is not None and cooperation.number_of_nodes():
        pr = nx.pagerank(cooperation, alpha=0.85)
        df["pagerank"] = [pr.get(x, math.nan) for x in ids]
    else:
        df["pagerank"] = math.nan
    df["accessibility"] = accessibility(
        G, decay=decay, param=param, include_hubs=include_hubs, weight=weight
    )
    for col in ("degree", "closeness", "harmonic", "betweenness", "pagerank", "accessibility"):
        df[f"rank_{col}"] = _rank(df[col])
    df["rank_mean_minutes"] = df["mean_minutes"].rank(method="min").astype("Int64")
    df = df.reset_index().sort_values(["accessibility", "node"], ascending=[False, True])
    return df.set_index("node")
