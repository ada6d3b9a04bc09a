"""Seeded synthetic rail-like networks and sector layers, for benchmarks and tests at scale.

Real networks of thousands of stations are few; these generators give networks of any size with
the same shape of data: stations with coordinates, a planar-ish set of links between near
neighbours, and minutes that follow distance and speed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from .. import schema as S

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DWELL_MINUTES", "rail_like_network", "rail_like_timetable", "synthetic_sectors"]

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


#: Minutes a synthetic train stands at each intermediate stop.
DWELL_MINUTES = 2.0


def rail_like_timetable(
    n_stations: int,
    n_trains: int,
    *,
    seed: int = 0,
    mean_calls: float = 4.0,
    max_skip: int = 3,
    spacing_km: float = 150.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the stations and one day's timetable of a seeded rail-like network.

    The stations and tracks are :func:`rail_like_network`'s. Lines are shortest routes (in
    minutes) from a few hundred start stations to far-away ends, run in both directions; each
    train takes a line (main lines more often: in proportion to their stations), a first
    station along it and ``2 + Poisson(mean_calls - 2)`` calls, stopping every 1 to
    ``max_skip`` stations of the line (express trains pass stations by) and ending early where
    the line ends. A train leaves its first station at a whole minute of
    05:00-23:00, more often in the morning and evening peaks, runs at the tracks' minutes and
    stands :data:`DWELL_MINUTES` at each intermediate stop; long trains run past midnight
    (minutes above 1,440), as China's do. With ``n_stations=321, n_trains=8_736`` it has about
    the size of ``cn-rail-2020``'s timetable (35,000 calls; here about 31,000, as trains end
    early at line ends); multiply both for a larger one.

    A station that no line passes gets a branch line to the nearest station on a line (trains
    may still pass a station by: at 100x, about three stations in four have calls).

    Parameters
    ----------
    n_stations : int
        Stations (>= 3).
    n_trains : int
        Trains (>= 1).
    seed : int, default 0
        Same seed, same timetable (the stations and tracks are
        ``rail_like_network(n_stations, seed=seed, width_km=...)``).
    mean_calls : float, default 4.0
        The mean number of calls of a train before line ends cut some short (>= 2;
        ``cn-rail-2020``: 4.0).
    max_skip : int, default 3
        A train's next stop is 1 to ``max_skip`` stations further along its line.
    spacing_km : float, default 150
        About the distance between neighbouring stations (the square's side is
        ``1.2 * spacing_km * sqrt(n_stations)``). 150 km gives rides between calls like
        ``cn-rail-2020``'s between its 321 key stations (median about 80 against 76 minutes); a
        larger timetable at the same spacing spreads over a larger square.

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.DataFrame)
        ``stations``: ``id`` (``S0`` ...), ``name``, ``kind`` (``station``), ``lat``, ``lon``;
        ``timetable``: ``train`` (``T0`` ...), ``sequence`` (from 1), ``station``, ``arrival``,
        ``departure`` (``HH:MM``, empty at the first and the last call), ``arrival_minutes``,
        ``departure_minutes`` (after midnight of the train's first day; NaN where empty),
        sorted by train and sequence: the columns of a dataset's ``timetable``, ready for
        :func:`~belt_graph.timetable.schedule.build_connections`.

    Examples
    --------
    >>> stations, tt = rail_like_timetable(60, 200, seed=3)
    >>> len(stations), tt["train"].nunique(), bool((tt.groupby("train").size() >= 2).all())
    (60, 200, True)
    >>> both = tt.dropna(subset=["arrival_minutes", "departure_minutes"])
    >>> bool((both["departure_minutes"] - both["arrival_minutes"] == DWELL_MINUTES).all())
    True
    """
    import pandas as pd
    from scipy.sparse.csgraph import dijkstra

    if n_stations < 3:
        raise ValueError(f"n_stations must be at least 3, got {n_stations}")
    if n_trains < 1:
        raise ValueError(f"n_trains must be at least 1, got {n_trains}")
    if not mean_calls >= 2:
        raise ValueError(f"mean_calls must be at least 2, got {mean_calls}")
    if max_skip < 1:
        raise ValueError(f"max_skip must be at least 1, got {max_skip}")
    if not spacing_km > 0:
        raise ValueError(f"spacing_km must be positive, got {spacing_km}")
    width = 1.2 * spacing_km * math.sqrt(n_stations)
    G = rail_like_network(n_stations, seed=seed, width_km=width)
    n = n_stations
    A = nx.to_scipy_sparse_array(G, nodelist=range(n), weight=S.MINUTES, format="csr")
    rng = np.random.default_rng([seed, 26])  # a stream of its own, apart from the network's

    # lines: from each start station, shortest routes to a few stations far from it
    per_start = 8
    n_lines = max(2, n // 4)
    starts = rng.choice(n, size=min(n, -(-n_lines // per_start)), replace=False)
    line_stations: list[np.ndarray] = []
    line_minutes: list[np.ndarray] = []
    for k in range(0, len(starts), 64):  # 64 trees at a time: bounded memory
        block = starts[k : k + 64]
        dist, pred = dijkstra(A, indices=block, return_predecessors=True)
        for row, s in enumerate(block.tolist()):
            far = np.flatnonzero(dist[row] >= np.quantile(dist[row], 0.5))
            for t in rng.choice(far, size=min(per_start, len(far)), replace=False).tolist():
                path = [t]
                while path[-1] != s:
                    path.append(int(pred[row, path[-1]]))
                route = np.array(path[::-1])
                line_stations.append(route)
                line_minutes.append(dist[row, route])
    # branch lines: a station no line passes gets one to the nearest station a line passes
    on_line = np.zeros(n, dtype=bool)
    for route in line_stations:
        on_line[route] = True
    if not on_line.all():
        dist, pred, _ = dijkstra(
            A, indices=np.flatnonzero(on_line), min_only=True, return_predecessors=True
        )
        for u in np.argsort(-dist, kind="stable").tolist():  # the farthest first
            if on_line[u]:
                continue
            path = [u]
            while not on_line[path[-1]]:
                path.append(int(pred[path[-1]]))
            route = np.array(path[::-1])
            on_line[route] = True
            line_stations.append(route)
            line_minutes.append(dist[route])  # from the station on a line, 0 minutes
    # both directions; flat arrays with each line's first position
    fwd = len(line_stations)
    line_stations += [r[::-1] for r in line_stations[:fwd]]
    line_minutes += [m[-1] - m[::-1] for m in line_minutes[:fwd]]
    length = np.array([len(r) for r in line_stations])
    first = np.concatenate(([0], np.cumsum(length)[:-1]))
    flat_station = np.concatenate(line_stations)
    flat_minutes = np.concatenate(line_minutes)

    # trains: a line, a first station, a number of calls, the steps between them
    # a line gets trains in proportion to its stations: main lines more, branches fewer
    line = rng.choice(len(line_stations), size=n_trains, p=length / length.sum())
    L = length[line]
    start = rng.integers(0, L - 1)
    calls = 2 + rng.poisson(mean_calls - 2, size=n_trains)
    total = int(calls.sum())
    train_of = np.repeat(np.arange(n_trains), calls)
    offset = np.concatenate(([0], np.cumsum(calls)[:-1]))
    j = np.arange(total) - offset[train_of]  # the call's number within its train
    step = rng.integers(1, max_skip + 1, size=total)
    step[j == 0] = 0
    # the first step never leaves the line: every train keeps at least two calls
    second = offset + 1
    step[second] = np.minimum(step[second], L - 1 - start)
    along = start[train_of] + np.cumsum(step) - np.cumsum(step)[offset][train_of]
    keep = along < L[train_of]
    train_of, j, along = train_of[keep], j[keep], along[keep]
    pos = first[line[train_of]] + along
    station = flat_station[pos]
    ride = flat_minutes[pos] - flat_minutes[first[line] + start][train_of]
    # the departure from the first station: the day, with morning and evening peaks
    kind = rng.random(n_trains)
    leave = np.where(
        kind < 0.6,
        rng.uniform(300, 1380, size=n_trains),
        np.where(kind < 0.8, rng.normal(480, 60, n_trains), rng.normal(1050, 60, n_trains)),
    )
    leave = np.clip(np.round(leave), 300, 1380)
    last = np.concatenate((train_of[1:] != train_of[:-1], [True]))
    arrival = leave[train_of] + ride + DWELL_MINUTES * np.maximum(j - 1, 0)
    departure = arrival + DWELL_MINUTES
    departure[j == 0] = leave[train_of[j == 0]]
    arrival[j == 0] = np.nan
    departure[last] = np.nan

    def clock(minutes: np.ndarray) -> np.ndarray:
        m = np.nan_to_num(minutes, nan=0.0).astype(np.int64) % 1440
        text = np.char.add(
            np.char.add(np.char.zfill((m // 60).astype(str), 2), ":"),
            np.char.zfill((m % 60).astype(str), 2),
        ).astype(object)
        text[np.isnan(minutes)] = ""
        return text

    names = np.array([f"S{i}" for i in range(n)], dtype=object)
    stations = pd.DataFrame(
        {
            "id": names,
            "name": names,
            "kind": "station",
            "lat": [G.nodes[i]["lat"] for i in range(n)],
            "lon": [G.nodes[i]["lon"] for i in range(n)],
        }
    )
    trains = np.array([f"T{i}" for i in range(n_trains)], dtype=object)
    timetable = pd.DataFrame(
        {
            "train": trains[train_of],
            "sequence": j + 1,
            "station": names[station],
            "arrival": clock(arrival),
            "departure": clock(departure),
            "arrival_minutes": arrival,
            "departure_minutes": departure,
        }
    )
    return stations, timetable
