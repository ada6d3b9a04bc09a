"""Seeded synthetic rail-like networks and sector layers, for benchmarks and tests at scale.

Real networks of thousands of stations are few; these generators give networks of any size with
the same shape of data: stations with coordinates, a planar-ish set of links between near
neighbours, and minutes that follow distance and speed.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from .. import schema as S

__all__ = ["rail_like_network", "synthetic_sectors"]

#: Line classes of synthetic links: (name, share of links, average speed in km/h).
SPEEDS = (("conventional", 0.6, 90.0), ("high-speed", 0.4, 220.0))
ROUTE_FACTOR = 1.2


def rail_like_network(
    n: int,
    *,
    seed: int = 0,
    width_km: float | None = None,
    keep: float = 0.55,
) -> nx.Graph:
    """Return a connected, rail-like network of ``n`` stations.

    Stations are drawn in clusters (a few dense regions over a sparse background) in a square
    of ``width_km`` (default: about 25 km per station on average, like China's 2021 network of
    2,800 stations over 1,300 km x 1,300 km of its densest half). Links are the shortest
    ``keep`` share of the Delaunay triangulation's edges (a planar graph, so links do not cross)
    plus a minimum spanning tree so that every station is reachable. Each link gets a line
    class and its minutes = straight-line km x 1.2 / speed (:data:`SPEEDS`), at least 1.

    Parameters
    ----------
    n : int
        Stations (>= 3).
    seed : int
        Same seed, same network.
    width_km : float, optional
        The side of the square the stations are spread over (default: about 25 km per
        station on average).
    keep : float, default 0.55
        The share of the Delaunay triangulation's edges kept as links.

    Returns
    -------
    networkx.Graph
        Nodes ``0 .. n-1`` with ``kind="station"``, ``name``, ``lat``/``lon`` (degrees, around
        30 N 115 E); edges with ``minutes``, ``km`` and ``line``.

    Examples
    --------
    >>> G = rail_like_network(200, seed=1)
    >>> G.number_of_nodes(), nx.is_connected(G), nx.check_planarity(G)[0]
    (200, True, True)
    """
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import minimum_spanning_tree
    from scipy.spatial import Delaunay

    if n < 3:
        raise ValueError(f"n must be at least 3, got {n}")
    rng = np.random.default_rng(seed)
    width = width_km if width_km is not None else 25.0 * math.sqrt(n) * 1.2
    n_clusters = max(1, n // 150)
    centres = rng.uniform(0.1 * width, 0.9 * width, size=(n_clusters, 2))
    clustered = int(0.6 * n)
    which = rng.integers(0, n_clusters, size=clustered)
    xy = np.vstack(
        [
            centres[which] + rng.normal(0, 0.06 * width, size=(clustered, 2)),
            rng.uniform(0, width, size=(n - clustered, 2)),
        ]
    )
    tri = Delaunay(xy)
    edges = set()
    for simplex in tri.simplices:
        for a, b in ((0, 1), (1, 2), (0, 2)):
            u, v = sorted((int(simplex[a]), int(simplex[b])))
            edges.add((u, v))
    pairs = np.array(sorted(edges))
    km = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    chosen = km <= np.quantile(km, keep)
    tree = minimum_spanning_tree(coo_array((km, (pairs[:, 0], pairs[:, 1])), shape=(n, n)))
    tu, tv = tree.nonzero()
    in_tree = {(min(a, b), max(a, b)) for a, b in zip(tu.tolist(), tv.tolist(), strict=True)}
    G = nx.Graph(name=f"synthetic-{n}-seed{seed}")
    lat0, lon0 = 30.0, 115.0
    for i, (x, y) in enumerate(xy):
        G.add_node(
            i,
            kind="station",
            name=f"S{i}",
            lat=lat0 + y / 111.32,
            lon=lon0 + x / (111.32 * math.cos(math.radians(lat0))),
        )
    classes = [name for name, _, _ in SPEEDS]
    shares = [share for _, share, _ in SPEEDS]
    speed = {name: v for name, _, v in SPEEDS}
    line = rng.choice(len(classes), size=len(pairs), p=shares)
    for k, (u, v) in enumerate(pairs.tolist()):
        if chosen[k] or (u, v) in in_tree:
            cls = classes[int(line[k])]
            minutes = max(1.0, round(km[k] * ROUTE_FACTOR / speed[cls] * 60))
            G.add_edge(u, v, **{S.MINUTES: minutes, "km": float(km[k]), S.LINE: cls})
    return G


def synthetic_sectors(
    places: list[object],
    *,
    n_sectors: int = 400,
    per_place: tuple[int, int] = (1, 6),
    seed: int = 0,
) -> nx.Graph:
    """Return a place-sector layer like :func:`~belt_graph.sector_graph`'s for ``places``.

    Each place gets a uniform number of sectors in ``per_place`` (inclusive), drawn with
    popularity falling as ``1 / sqrt(rank)`` (some sectors are common, most are rare), in
    families of 10.

    Parameters
    ----------
    places : list
        The place ids.
    n_sectors : int, default 400
        How many sectors there are to draw from.
    per_place : tuple of (int, int), default (1, 6)
        The fewest and most sectors of a place.
    seed : int, default 0
        The random seed.

    Returns
    -------
    networkx.Graph
        Bipartite: places (``kind`` as in the dataset) joined to sectors (``kind``
        ``sector``, with a ``family``).

    Examples
    --------
    >>> B = synthetic_sectors(list(range(50)), n_sectors=20, seed=2)
    >>> sum(1 for _, t in B.nodes(data="node_type") if t == "place")
    50
    """
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.sqrt(np.arange(1, n_sectors + 1))
    weights /= weights.sum()
    B = nx.Graph(layer="sector")
    for p in places:
        B.add_node(p, bipartite=0, node_type="place", name=str(p))
    for s in range(n_sectors):
        B.add_node(
            f"sector:s{s}", bipartite=1, node_type="sector", sector=f"s{s}", family=f"f{s // 10}"
        )
    lo, hi = per_place
    for p in places:
        k = int(rng.integers(lo, hi + 1))
        for s in rng.choice(n_sectors, size=min(k, n_sectors), replace=False, p=weights):
            B.add_edge(p, f"sector:s{int(s)}", evidence="synthetic", sector_raw=f"s{int(s)}")
    return B
