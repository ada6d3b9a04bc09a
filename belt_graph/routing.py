"""Fastest commutes between places, and the travel-time matrix."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from .errors import NoRouteError, UnknownPlaceError
from .network import check_weights, simple_graph
from .network.journeys import (
    edge_routes,
    has_services,
    journey_graph,
    rail_routes,
    ridden_train,
    route_wait,
    train_of,
)
from .network.paths import (
    Progress,
    ends_only,
    ends_table,
    minutes_array,
    minutes_matrix,
    places,
)

__all__ = ["Commute", "commute", "travel_time_array", "travel_time_matrix", "travel_time_table"]

# Added to every change of line inside the search so that, among routes of equal minutes, the one
# with fewer changes wins; never reported.
_TIE_BREAK = 1e-6

#: Links a journey walks (or takes to and from a place), not rides.
WALKS = ("transfer", "access")

#: Columns of a commute's legs.
LEG_COLUMNS = ["from", "to", "kind", "line", "train", "mode", "minutes", "cumulative_minutes"]


@dataclass(frozen=True)
class Commute:
    """The fastest route between two places.

    Attributes
    ----------
    origin, destination : str
        Node ids.
    legs : DataFrame
        One row per link used: ``from``, ``to`` (node ids: on a network of stations under
        places, stations, with an ``access`` leg from the origin place to its station and an
        ``egress`` leg from the last station into the destination place), ``kind``
        (``track``, ``service``, ``transfer`` for a change of station, ``access``, ``egress``,
        ``change`` for a change of train at one station on a network of services; empty for
        links without a kind), ``line``, ``train`` (a ride's train: a service's own, or the
        train whose running minutes time a track link, the link's ``fastest_train``; empty
        where the data name none, and on walks, access and changes), ``mode``, ``minutes`` and
        ``cumulative_minutes`` (minutes so far). Each leg starts where the one before ended.
    minutes : float
        Total minutes: on trains, walking and changing, and (between places, door to door)
        access and egress; no waiting for a train.
    changes : int
        Number of changes: of train on a network of services, else of line.
    transfer_penalty_minutes : float
        The penalty per change used in the search.
    expected_minutes : float
        On a network of services: ``minutes`` plus the expected wait for each boarding (half
        the headway of its train, from the links' ``trains_per_day``, capped:
        :func:`belt_graph.network.journeys.expected_wait`); NaN on other networks.
    ends : str
        What ``minutes`` counts between places: ``door`` to door (the graph's access links:
        access from the origin's reference point to its station, egress at the other end) or
        ``stations`` (access and egress count nothing).
    """

    origin: str
    destination: str
    legs: pd.DataFrame
    minutes: float
    changes: int
    transfer_penalty_minutes: float
    expected_minutes: float = math.nan
    ends: str = "door"

    @property
    def access_minutes(self) -> float:
        """Minutes of the first leg when it is the origin's access to a station, else 0."""
        kinds = self.legs["kind"]
        return (
            float(self.legs["minutes"].iat[0]) if len(kinds) and kinds.iat[0] == "access" else 0.0
        )

    @property
    def egress_minutes(self) -> float:
        """Minutes of the last leg when it is the egress from a station, else 0."""
        kinds = self.legs["kind"]
        return (
            float(self.legs["minutes"].iat[-1]) if len(kinds) and kinds.iat[-1] == "egress" else 0.0
        )

    @property
    def from_station(self) -> str:
        """The station the journey leaves from (the origin itself when it is a station)."""
        legs = self.legs
        if not len(legs):
            return self.origin
        return str(legs["to"].iat[0] if legs["kind"].iat[0] == "access" else legs["from"].iat[0])

    @property
    def to_station(self) -> str:
        """The station the journey arrives at (the destination itself when it is a station)."""
        legs = self.legs
        if not len(legs):
            return self.destination
        return str(legs["from"].iat[-1] if legs["kind"].iat[-1] == "egress" else legs["to"].iat[-1])

    @property
    def generalized_minutes(self) -> float:
        """In-vehicle minutes plus the transfer penalty for each change."""
        return self.minutes + self.changes * self.transfer_penalty_minutes

    @property
    def lines(self) -> list[str]:
        """Return the lines ridden (and changes of station), in order.

        Each once per continuous ride; access legs left out.
        """
        out: list[str] = []
        for line, kind in zip(self.legs["line"], self.legs["kind"], strict=True):
            if kind not in ("access", "egress", "change") and (not out or out[-1] != line):
                out.append(str(line))
        return out


class _Legs:
    """A commute's legs as they are found, with the running total of minutes."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.total = 0.0

    def add(
        self, a: Any, b: Any, kind: str, line: str, mode: str, minutes: float, train: str = ""
    ) -> None:
        """Append one leg from ``a`` to ``b`` (``train``: the train ridden, if known)."""
        self.total += minutes
        self.rows.append(
            {
                "from": a,
                "to": b,
                "kind": kind,
                "line": line,
                "train": train,
                "mode": mode,
                "minutes": minutes,
                "cumulative_minutes": self.total,
            }
        )

    def table(self, destination: Any = None) -> pd.DataFrame:
        """Return the legs as a table of :data:`LEG_COLUMNS`.

        The last leg, when it is the access link into ``destination`` (a place), is its
        ``egress``.
        """
        rows = self.rows
        if rows and rows[-1]["kind"] == "access" and rows[-1]["to"] == destination:
            rows[-1] = {**rows[-1], "kind": "egress", "mode": "egress"}
        return pd.DataFrame(rows, columns=LEG_COLUMNS)


def commute(
    G: nx.Graph,
    origin: str,
    destination: str,
    *,
    transfer_penalty_minutes: float = 0.0,
    weight: str = S.MINUTES,
) -> Commute:
    """Return the fastest route from ``origin`` to ``destination`` in minutes, with its legs.

    Parameters
    ----------
    G : networkx.Graph
        The rail layer (:func:`~belt_graph.rail_graph`); its edges' ``routes`` list the parallel
        lines on each pair.
    origin, destination : str
        Node ids (see :func:`~belt_graph.resolve_place` for names).
    transfer_penalty_minutes : float, default 0
        Extra minutes charged for each change of line. The search runs on a line-aware graph
        (one node per place and line), so a penalty can make a slower route with fewer changes
        win.
    weight : str, default "minutes"

    Returns
    -------
    Commute
        ``legs`` (columns ``from``, ``to``, ``line``, ``mode``, ``minutes``,
        ``cumulative_minutes``), ``minutes``, ``changes``.

    Raises
    ------
    UnknownPlaceError
        If a node id is not in ``G``.
    NoRouteError
        If no route joins the two places.
    ValueError
        If ``transfer_penalty_minutes`` is negative or not finite.

    Notes
    -----
    On a network of services (a graph with links of kind ``service``: one train's ride
    between two of its stops) the search runs on the journey graph of
    :mod:`belt_graph.network.journeys`: every change of train costs the station's
    ``min_transfer_minutes`` (else :data:`~belt_graph.schema.DEFAULT_MIN_TRANSFER_MINUTES`)
    and appears in ``legs`` as a row of kind ``change``; ``changes`` counts changes of train
    (boardings after the first). A service leg's ``line`` is its train.

    On other networks the line-aware graph is a directed graph with a node ``(place, line)``
    for every line at a place; riding ``(p, l) -> (q, l)`` costs the link's minutes on line
    ``l``; changing ``(p, l1) -> (p, l2)`` costs the penalty. Origin and destination are
    joined to all their line nodes at no cost. :func:`networkx.dijkstra_path` finds the
    cheapest path.

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> G = rail_graph(toy_dataset())
    >>> c = commute(G, "B", "C")
    >>> c.minutes, c.changes, c.lines
    (45.0, 1, ['red', 'blue'])
    >>> commute(G, "B", "C", transfer_penalty_minutes=10).lines
    ['red']
    """
    if not math.isfinite(transfer_penalty_minutes) or transfer_penalty_minutes < 0:
        raise ValueError(
            "transfer_penalty_minutes must be a finite number >= 0, "
            f"got {transfer_penalty_minutes!r}"
        )
    G = simple_graph(G, weight)
    for name in (origin, destination):
        if name not in G:
            raise UnknownPlaceError(name)
    check_weights(G, weight)
    if origin == destination:
        empty = pd.DataFrame(columns=LEG_COLUMNS)
        return Commute(
            origin,
            destination,
            empty,
            0.0,
            0,
            transfer_penalty_minutes,
            ends=str(G.graph.get("ends", "door")),
        )
    if has_services(G):
        return _journey_commute(G, origin, destination, transfer_penalty_minutes, weight)
    ends = ends_only(G)
    D = nx.DiGraph()
    lines_at: dict[Any, set[str]] = {}
    access: dict[Any, list[tuple[Any, float]]] = {}
    for u, v, data in G.edges(data=True):
        routes = edge_routes(data, weight)
        if u in ends or v in ends:  # an access link: used only to start or end a route
            place, station = (u, v) if u in ends else (v, u)
            access.setdefault(place, []).append((station, float(data[weight])))
            continue
        for line, mode, minutes, *kind in routes:
            line = str(line)
            attrs = {
                "minutes": float(minutes),
                "mode": mode,
                "kind": kind[0] if kind else "",
                "train": str(kind[1]) if len(kind) > 1 and kind[1] else "",
            }
            for a, b in ((u, v), (v, u)):
                D.add_edge((a, line), (b, line), cost=float(minutes), **attrs)
            lines_at.setdefault(u, set()).add(line)
            lines_at.setdefault(v, set()).add(line)
    src, dst = ("__origin__", None), ("__destination__", None)
    starts = access.get(origin, []) if origin in ends else [(origin, 0.0)]
    stops = access.get(destination, []) if destination in ends else [(destination, 0.0)]
    for station, minutes in starts:
        for line in lines_at.get(station, ()):
            D.add_edge(src, (station, line), cost=minutes, minutes=minutes)
    for station, minutes in stops:
        for line in lines_at.get(station, ()):
            D.add_edge((station, line), dst, cost=minutes, minutes=minutes)
    for node, lines in lines_at.items():
        for l1 in lines:
            for l2 in lines:
                if l1 != l2:
                    D.add_edge((node, l1), (node, l2), cost=transfer_penalty_minutes + _TIE_BREAK)
    try:
        path = nx.dijkstra_path(D, src, dst, weight="cost")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        raise NoRouteError(origin, destination) from None
    legs = _Legs()
    leg = legs.add
    changes = 0

    first, last = path[1], path[-2]
    if first[0] != origin:
        leg(origin, first[0], "access", "", "access", float(D.edges[src, first]["minutes"]))
    for a, b in itertools.pairwise(path[1:-1]):
        if a[0] == b[0]:
            changes += 1
            continue
        edge = D.edges[a, b]
        leg(a[0], b[0], edge["kind"], a[1], edge["mode"], edge["minutes"], edge["train"])
    if last[0] != destination:
        leg(last[0], destination, "access", "", "access", float(D.edges[last, dst]["minutes"]))
    return Commute(
        origin,
        destination,
        legs.table(destination),
        legs.total,
        changes,
        transfer_penalty_minutes,
        ends=str(G.graph.get("ends", "door")),
    )


def _journey_commute(
    G: nx.Graph, origin: Any, destination: Any, penalty: float, weight: str
) -> Commute:
    """:func:`commute` on a network of services: a journey whose changes cost time."""
    from scipy.sparse.csgraph import dijkstra

    J = journey_graph(G, weight, penalty=penalty, tie_break=True)
    start, goal = J.ready[origin], J.arrive[destination]
    dist, pred = dijkstra(J.matrix, directed=True, indices=start, return_predecessors=True)
    if not math.isfinite(dist[goal]):
        raise NoRouteError(origin, destination)
    path = [goal]
    while path[-1] != start:
        path.append(int(pred[path[-1]]))
    path.reverse()
    legs = _Legs()
    leg = legs.add
    boardings = 0
    waits = 0.0

    node, state = J.node, J.state
    riding: list[Any] = []  # on board along a line's track: [from, line, mode, minutes]
    for i, j in itertools.pairwise(path):
        a, b, sa, sb = node[i], node[j], state[i], state[j]
        if sb == "on":  # board a line's track at a, or ride on along it to b
            line = J.line[j]
            r = min(
                (x for x in rail_routes(G.edges[a, b], weight) if str(x[0]) == line),
                key=lambda x: x[2],
            )
            minutes = float(r[2]) if weight == S.MINUTES else float(G.edges[a, b][weight])
            if sa == "on":
                riding[3] += minutes
            else:
                boardings += 1
                waits += route_wait(r)
                riding = [a, line, str(r[1]), minutes, str(r[3])]
            continue
        if sa == "on":  # off at b: the ride along the line's track is one leg
            leg(riding[0], b, riding[4], riding[1], riding[2], riding[3])
            continue
        if a == b:
            if sa == "arrive" and sb == "ready" and a in J.change:
                leg(a, a, "change", "", "change", J.change[a])
            continue  # a hub: the train runs on
        data = G.edges[a, b]
        rides = rail_routes(data, weight) if sa == "ready" and sb == "arrive" else []
        by = (lambda r: r[2] + route_wait(r)) if J.expected else (lambda r: r[2])
        walks = [r for r in edge_routes(data, weight) if len(r) > 3 and r[3] in WALKS]
        transfers = [r[2] + penalty for r in walks if r[3] == "transfer"]
        if rides and transfers and min(map(by, rides)) > min(transfers):
            rides = []  # the walk was the cheaper way from a to b
        if rides:  # one train's ride
            boardings += 1
            r = min(rides, key=by)
            minutes = float(r[2]) if weight == S.MINUTES else float(data[weight])
            waits += route_wait(r)
            kind = str(r[3]) if len(r) > 3 else ""
            leg(a, b, kind, train_of(r), str(r[1]), minutes, ridden_train(r))
            continue
        # a walk (a change of station) or access between a place and its station
        w = min(walks, key=lambda r: r[2]) if walks else None
        minutes = float(w[2]) if w is not None and weight == S.MINUTES else float(data[weight])
        kind = str(w[3]) if w is not None else str(data.get(S.KIND, "") or "access")
        leg(a, b, kind, str(w[0]) if w is not None else "", str(w[1]) if w else kind, minutes)
    return Commute(
        origin,
        destination,
        legs.table(destination),
        legs.total,
        max(boardings - 1, 0),
        penalty,
        legs.total + waits,
        ends=str(G.graph.get("ends", "door")),
    )


def travel_time_matrix(
    G: nx.Graph,
    *,
    nodes: list[str] | None = None,
    include_hubs: bool = False,
    weight: str = S.MINUTES,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Return the fastest minutes between every pair of places (NaN where unreachable).

    Parameters
    ----------
    G : networkx.Graph
        The rail layer. Routes may pass through any node, hubs included.
    nodes : list of str, optional
        The rows and columns, in this order. Default: every place (hubs too if
        ``include_hubs``), in graph order.
    include_hubs : bool, default False
    weight : str, default "minutes"
    progress : callable, optional
        ``progress(done, total)`` after each chunk of origins.

    Returns
    -------
    DataFrame
        Square, index named ``origin``, columns named ``destination``, values in minutes; zero
        on the diagonal.

    Notes
    -----
    Computed with :func:`scipy.sparse.csgraph.dijkstra` (undirected) on the sparse adjacency
    matrix, which is many times faster than NetworkX's all-pairs Dijkstra on large networks and
    gives the same values (a property test checks this).

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> travel_time_matrix(rail_graph(toy_dataset())).loc["A"].tolist()
    [0.0, 20.0, 25.0, 65.0]
    """
    wanted = nodes if nodes is not None else places(G, include_hubs=include_hubs)
    for n in wanted:
        if n not in G:
            raise UnknownPlaceError(n)
    return minutes_matrix(G, wanted, weight=weight, progress=progress)


def travel_time_array(
    G: nx.Graph,
    *,
    nodes: list[str] | None = None,
    include_hubs: bool = False,
    weight: str = S.MINUTES,
    progress: Progress | None = None,
) -> tuple[list[str], np.ndarray]:
    """Return ``(ids, minutes)``: :func:`travel_time_matrix` as a bare float64 array.

    For networks too large for a DataFrame or CSV: the array is the only n x n allocation
    (searches run in chunks of origins), and ``np.savez`` can write it as it is.

    Parameters
    ----------
    G : networkx.Graph
        The network (:func:`~belt_graph.rail_graph`, or any undirected graph whose edges carry
        ``weight``).
    nodes : list of str, optional
        The rows and columns (default: the places of ``G``).
    include_hubs : bool, default False
        Also include hub nodes (junctions that are not places).
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.
    progress : callable, optional
        Called as ``progress(done, total)`` as the searches advance.

    Returns
    -------
    tuple of (list, numpy.ndarray)
        The node ids and an n x n float64 array of minutes (inf where not reachable).

    Examples
    --------
    >>> from belt_graph import rail_graph, toy_dataset
    >>> ids, m = travel_time_array(rail_graph(toy_dataset()))
    >>> ids, m[0].tolist()
    (['A', 'B', 'C', 'D'], [0.0, 20.0, 25.0, 65.0])
    """
    wanted = nodes if nodes is not None else places(G, include_hubs=include_hubs)
    for n in wanted:
        if n not in G:
            raise UnknownPlaceError(n)
    return list(wanted), minutes_array(G, wanted, weight=weight, progress=progress)


def travel_time_table(
    G: nx.Graph,
    *,
    nodes: list[str] | None = None,
    include_hubs: bool = False,
    weight: str = S.MINUTES,
) -> pd.DataFrame:
    """Return :func:`travel_time_matrix` as a long table, with the stations at each end.

    Parameters
    ----------
    G : networkx.Graph
        The rail layer (:func:`~belt_graph.rail_graph`).
    nodes : list of str, optional
        The origins and destinations, in this order (default: every place).
    include_hubs : bool, default False
        Also include hub nodes.
    weight : str, default "minutes"
        The edge attribute that holds the travel time in minutes.

    Returns
    -------
    DataFrame
        One row per ordered pair: ``origin``, ``destination``, ``minutes`` (as the matrix;
        NaN where unreachable), ``from_station`` and ``access_minutes`` (the station a journey
        from a place leaves from and the minutes from the place's reference point to it; the
        origin and 0 for a station), ``station_minutes`` (from the first station to the last:
        trains, walking and changing), ``to_station`` and ``egress_minutes`` (the station the
        destination is reached at, and the minutes from it into the place). ``minutes`` is
        their sum.

    Examples
    --------
    >>> from belt_graph import load_dataset, rail_graph
    >>> t = travel_time_table(rail_graph(load_dataset()), nodes=["Putuo", "Nanjing"])
    >>> row = t.iloc[1]
    >>> row[["origin", "destination", "from_station", "to_station"]].tolist()
    ['Putuo', 'Nanjing', 'AOH', 'NKH']
    >>> parts = row["access_minutes"] + row["station_minutes"] + row["egress_minutes"]
    >>> float(parts - row["minutes"])
    0.0
    """
    wanted = nodes if nodes is not None else places(G, include_hubs=include_hubs)
    for n in wanted:
        if n not in G:
            raise UnknownPlaceError(n)
    return ends_table(G, wanted, wanted, weight=weight)
